"""The team's subcommands: ``dossier merge``, and the analyst the reader starts as.

Kept apart from :mod:`tui.cli` (which is near its size limit); it uses the
same one-line refusals (:mod:`tui.cli_common`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli_common import notes_folder, one_line, waiting
from tui.cli_parsers import UsageError
from tui.core.neutral import for_terminal


def reader_analyst(given: str | None, folder: Path) -> str | None:
    """The analyst the reader starts as (``--analyst``, ``$DOSSIER_ANALYST``, the remembered one), None to ask; a refusal if bad."""
    from tui.core.notes.analysts import AnalystError, current_analyst

    try:
        return current_analyst(given, folder)
    except AnalystError as error:
        raise UsageError(f"dossier: {error}") from None


@one_line
def run_merge(args: argparse.Namespace) -> int:
    """``dossier merge SRC... --notes DEST``: every source's annotations into DEST; exit 1 if a source was refused."""
    from tui.core.notes.merging import merge
    from tui.core.notes.store import Store

    folder = notes_folder(args.notes)
    sources = [Path(source) for source in args.sources]
    with Store.open(folder, mode="write", wait=args.wait, waiting=waiting("merge")) as store:
        report = merge(store, sources)
    for line in report.refused:
        print(f"dossier merge: {for_terminal(line)}", file=sys.stderr)
    print(f"merged {report.added} annotation(s) into {for_terminal(str(folder))}; {report.present} already present")
    for old, new, source in report.twice:
        print(f"changed in two places: {old}: the version of {for_terminal(source)} kept as {new}")
    return 1 if report.refused else 0
