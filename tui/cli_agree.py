"""``dossier agree``: how far analysts agree on where each tag applies, per tag and overall.

The figures, units and the coding rule are :mod:`tui.core.agreement`'s; this
module reads the corpus and the notes for it and prints the result. The
corpus is read through the corpus cache, as ``dossier list`` and ``export``
read it: an article the cache holds as it is now, with no cleaning
overrides, is never cleaned again (its units come from the cached cleaned
text). The notes are opened read-only and renamed or edited articles are
followed in memory only, as ``export`` does.

Each annotation's analyst is its ``analyst`` field; notes written before
annotations carried one give every annotation the analyst "unknown", and
one analyst has nobody to agree with: the command says so in one line and
exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli_common import corpus_and_notes, notes_folder, one_line
from tui.cli_parsers import UsageError
from tui.core.neutral import for_json_text, for_terminal
from tui.core.paths import sample_corpus

if TYPE_CHECKING:
    from tui.core.agreement import Agreement, ArticleCodings, Coding, Figures
    from tui.core.cache.corpus_cache import CorpusCache
    from tui.core.export.sources import ExportSource
    from tui.core.notes.store import Store

#: What ``dossier agree`` says when there is nobody to compare.
NOBODY = "fewer than two analysts: nothing to compare"


def analyst_names(given: str | None) -> list[str] | None:
    """The analysts named with ``--analysts A,B,...`` (None: every analyst in the notes); a refusal if it names none."""
    if given is None:
        return None
    names = list(dict.fromkeys(name.strip() for name in given.split(",") if name.strip()))
    if not names:
        raise UsageError("dossier agree: --analysts: name at least two analysts, separated by commas")
    return names


@one_line
def run_agree(args: argparse.Namespace) -> int:
    """``dossier agree``: the agreement table per tag and overall, or ``--json``."""
    from tui.core.cache.database import CacheError
    from tui.core.notes.files import MAIN_FILE

    wanted = analyst_names(args.analysts)
    root = Path(args.corpus) if args.corpus else sample_corpus()
    folder = notes_folder(args.notes)
    if not (folder / MAIN_FILE).exists():
        raise UsageError(f"dossier agree: no notes in {folder} (annotate first, or name the folder with --notes)")
    try:
        with corpus_and_notes("agree", folder, root) as (store, source):  # renamed, edited articles followed in memory only
            return _agree(args, wanted, store, source)
    except CacheError as error:
        raise UsageError(str(error)) from None


def _agree(args: argparse.Namespace, wanted: list[str] | None, store: Store, source: ExportSource) -> int:
    """The figures over the articles the chosen analysts annotated, printed."""
    from tui.core.agreement import codings_of, measure

    cache = source.cache
    assert cache is not None  # corpus_and_notes reads the corpus through its cache
    noted = store.articles()
    codings = {rel: codings_of(store.annotations(rel)) for rel in source.rels if rel in noted}
    found = sorted({coding.analyst for article in codings.values() for coding in article})
    analysts = wanted if wanted is not None else found
    for name in analysts:
        if name not in found:
            print(f"dossier agree: warning: no annotation by {for_terminal(name)} in these notes", file=sys.stderr)
    if len(analysts) < 2:
        return _nobody(args, analysts, found)
    chosen = set(analysts)
    articles = [
        article
        for rel, article_codings in codings.items()
        if any(c.analyst in chosen for c in article_codings)
        and (article := _article(rel, article_codings, store, source, cache, args.unit)) is not None
    ]
    tags = list(dict.fromkeys(args.tag)) if args.tag else _used_tags(store, articles, chosen)
    result = measure(articles, analysts, tags)
    if args.json:
        sys.stdout.write(for_json_text(json.dumps(result.to_json(args.unit), ensure_ascii=False, indent=2)) + "\n")
    else:
        print_table(result, args.unit)
    return 0


def _nobody(args: argparse.Namespace, analysts: list[str], found: list[str]) -> int:
    """Say there is nobody to compare (naming who the notes hold), and exit 0: it is not an error in the input."""
    from tui.core.agreement import UNKNOWN

    if not found:
        holds = " (the notes hold no placed annotation)"
    elif found == [UNKNOWN]:
        holds = " (no annotation in these notes names its analyst)"
    else:
        holds = f" (the notes name {', '.join(found)})"
    message = f"dossier agree: {NOBODY}{holds}"
    if args.json:  # a script still gets the shape it parses
        payload = {"unit": args.unit, "analysts": analysts, "tags": {}, "disagreements": []}
        sys.stdout.write(for_json_text(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n")
        print(for_terminal(message), file=sys.stderr)
    else:
        print(for_terminal(message))
    return 0


def _article(
    rel: str, codings: Sequence[Coding], store: Store, source: ExportSource, cache: CorpusCache, unit: str
) -> ArticleCodings | None:
    """One annotated article's units and codings; the units from the cache unless the analyst set cleaning overrides."""
    from tui.core.agreement import ArticleCodings, document_units, units_of
    from tui.core.cleaned import OffsetMap
    from tui.core.document import clean_document

    overrides = store.overrides(rel)
    # The cache was just brought up to date: what it holds is the text the notes were followed onto.
    stored = None if overrides else cache.stored(rel)
    if stored is not None:
        return ArticleCodings(rel, units_of(stored.text, OffsetMap(stored.spans), unit), codings)
    article = source.article(rel)
    if article is None:
        print(f"dossier agree: skipped {for_terminal(rel)}: cannot be read", file=sys.stderr)
        return None
    return ArticleCodings(rel, document_units(clean_document(article, overrides), unit), codings)


def _used_tags(store: Store, articles: list[ArticleCodings], chosen: set[str]) -> list[str]:
    """The tags the chosen analysts used, in the vocabulary's order (tags it lacks after, by name)."""
    used = {c.tag for article in articles for c in article.codings if c.analyst in chosen}
    order = {tag.name: i for i, tag in enumerate(store.tags())}
    return sorted(used, key=lambda tag: (order.get(tag, len(order)), tag))


def _number(value: float | None, percent: bool = False) -> str:
    """A figure as the table shows it: a percentage or three decimals, ``-`` where undefined."""
    if value is None:
        return "-"
    return f"{value:.1%}" if percent else f"{value:.3f}"


def print_table(result: Agreement, unit: str) -> None:
    """The text output: who, over what, a row per tag and the overall row, then each disagreement."""
    names = [for_terminal(name) for name in result.analysts]
    plural = f"{unit}s" if result.units != 1 else unit
    print(
        f"Agreement of {', '.join(names[:-1])} and {names[-1]} by {unit}: "
        f"{result.articles} article{'' if result.articles == 1 else 's'}, {result.units} {plural}."
    )
    header = ["tag", f"{unit}s", *names, "agreement", "kappa", "alpha"]
    rows = [_row(for_terminal(tag), figures, result.analysts) for tag, figures in result.tags.items()]
    rows.append(_row("all tags", result.overall, result.analysts))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print()
    for row in [header, *rows]:
        print("  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)).rstrip())
    print()
    print(f"all tags: every ({unit}, tag) pair counted once. agreement: the share of {unit}s every analyst coded alike.")
    print("kappa (two analysts only) and alpha: 1 is perfect agreement, 0 what chance gives; - where undefined (nothing varies).")
    if result.disagreements:
        print()
        print(f"{len(result.disagreements)} disagreement{'' if len(result.disagreements) == 1 else 's'} (source offsets):")
        for d in result.disagreements:
            who = ", ".join(map(for_terminal, d.coded_by))
            print(f"{for_terminal(d.article)}\t{d.start}-{d.end}\t{for_terminal(d.tag)}\tcoded by {who}")


def _row(label: str, figures: Figures, analysts: tuple[str, ...]) -> list[str]:
    """One line of the table."""
    coded = [str(figures.coded.get(name, 0)) for name in analysts]
    return [label, str(figures.units), *coded, _number(figures.agreement, percent=True), _number(figures.kappa), _number(figures.alpha)]
