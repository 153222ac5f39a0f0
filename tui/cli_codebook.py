"""``dossier codebook`` and ``dossier tags``: the tag vocabulary as a codebook file, and tag operations.

``dossier codebook export FILE`` writes the vocabulary as CSV or as a
REFI-QDA codebook (``.qdc``), by the file's extension or ``--format``;
``dossier codebook import FILE`` merges one into the notes' vocabulary and
says what changed, one line each (a bad row or code is one line too, and
never stops the rest). ``dossier tags`` lists the tags, with their
descriptions; ``dossier tags merge FROM INTO`` merges one tag into another on
every annotation. Names and descriptions come from files others wrote, so
they are printed through :func:`~tui.core.neutral.for_terminal`.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from tui.cli_common import notes_folder, one_line, reading_notes, waiting
from tui.cli_parsers import UsageError
from tui.core.neutral import for_terminal

#: The largest codebook file read: thousands of codes fit in a few megabytes.
MAX_CODEBOOK = 64 * 1024**2


def _format(file: str, given: str | None) -> str:
    """csv or qdc: as given, else by the file's extension (csv when it says nothing)."""
    if given:
        return str(given)
    return "qdc" if file.lower().endswith(".qdc") else "csv"


@one_line
def run_codebook(args: argparse.Namespace) -> int:
    """``dossier codebook export|import FILE``."""
    if args.action == "export":
        return _export(args)
    return _import(args)


def _export(args: argparse.Namespace) -> int:
    from tui.core.codebook import to_csv
    from tui.core.codebook_qdc import to_qdc
    from tui.core.export.assemble import ExportError, check_output, write_export
    from tui.core.notes.tags import DEFAULT_TAGS

    fmt = _format(args.file, args.format)
    with reading_notes(args.notes) as store:
        tags = store.tags() if store is not None else list(DEFAULT_TAGS)
    text = to_csv(tags) if fmt == "csv" else to_qdc(tags).decode("utf-8")
    if args.file == "-":
        sys.stdout.write(text)
        return 0
    try:
        check_output(Path(args.file), args.force)
        write_export(Path(args.file), text, fmt)
    except ExportError as error:
        raise UsageError(str(error)) from None
    print(f"wrote {len(tags)} tag(s) to {for_terminal(args.file)}", file=sys.stderr)
    return 0


def _read(file: str) -> bytes:
    """The bytes of the codebook file (``-``: standard input); a refusal in one line if it cannot be read."""
    if file == "-":
        return sys.stdin.buffer.read(MAX_CODEBOOK + 1)
    try:
        with open(file, "rb") as handle:  # not read_bytes: a pipe could be endless
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode) and not stat.S_ISFIFO(os.fstat(handle.fileno()).st_mode):
                raise UsageError(f"{file} is not a file")
            raw = handle.read(MAX_CODEBOOK + 1)
    except FileNotFoundError:
        raise UsageError(f"no such file: {file}") from None
    except IsADirectoryError:
        raise UsageError(f"{file} is a folder, not a codebook") from None
    if len(raw) > MAX_CODEBOOK:
        raise UsageError(f"{file}: larger than {MAX_CODEBOOK // 1024**2} MB: not a codebook")
    return raw


def _import(args: argparse.Namespace) -> int:
    from tui.core.codebook import apply, read_csv
    from tui.core.codebook_qdc import read_qdc
    from tui.core.notes.store import Store

    fmt = _format(args.file, args.format)
    raw = _read(args.file)
    if fmt == "csv":
        try:
            entries, problems = read_csv(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise UsageError(f"dossier codebook: {args.file}: not UTF-8 text") from None
    else:
        entries, problems = read_qdc(raw)
    for problem in problems:
        print(f"dossier codebook: {for_terminal(args.file)}: {problem}", file=sys.stderr)
    if not entries:
        raise UsageError(f"dossier codebook: {args.file}: no code to import")
    with Store.open(notes_folder(args.notes), mode="write", wait=args.wait, waiting=waiting("codebook")) as store:
        changes = apply(store.vocabulary, entries)
    for line in changes:
        print(line)
    print(f"{len(entries)} code(s) read, {len(changes)} change(s), {len(problems)} problem(s)")
    return 1 if problems else 0


@one_line
def run_tags(args: argparse.Namespace) -> int:
    """``dossier tags`` lists the vocabulary; ``dossier tags merge FROM INTO`` merges a tag into another."""
    from tui.core.notes.store import Store

    if args.action == "merge":
        if len(args.names) != 2:
            raise UsageError("dossier tags merge: give two tags: FROM INTO")
        source, into = args.names
        with Store.open(notes_folder(args.notes), mode="write", wait=args.wait, waiting=waiting("tags")) as store:
            changed = store.vocabulary.merge(source, into)
            merged = store.vocabulary.get(into).name
        print(f"merged {for_terminal(source)} into {for_terminal(merged)}: {changed} annotation(s) changed")
        return 0
    if args.names:
        raise UsageError("dossier tags: list takes no names (did you mean merge FROM INTO?)")
    from tui.core.notes.tags import DEFAULT_TAGS
    from tui.core.tag_tree import depth, leaf, tree_order

    with reading_notes(args.notes) as store:
        tags = store.tags() if store is not None else list(DEFAULT_TAGS)
    by_name = {tag.name: tag for tag in tags}
    keys = {tag.name: str(n) for n, tag in enumerate(tags, 1) if n <= 9}
    for name in tree_order(by_name):
        tag = by_name.get(name)
        label = "  " * depth(name) + (leaf(name) if depth(name) else name)
        line = f"{keys.get(name, ' ')}  {for_terminal(label)}"
        if tag is None:
            line += "  (implied by its children)"
        elif tag.description:
            line += "  — " + for_terminal(" ".join(tag.description.split()))
        print(line)
    return 0
