"""The argument parsers of the ``dossier`` command line: one per subcommand, each error one line.

The options are a contract (DESIGN.md, the README's "Command line"); the
subcommands that use them are in :mod:`tui.cli`.
"""

from __future__ import annotations

import argparse

SUBCOMMANDS = ("clean", "list", "annotate", "set", "memo", "export", "import", "merge", "doctor", "serve", "agree", "codebook", "tags")


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, not usage plus a line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def add_corpus_and_notes(parser: argparse.ArgumentParser) -> None:
    """The optional CORPUS argument and --notes option that several commands share."""
    parser.add_argument("corpus", nargs="?", help="folder of articles (default: the bundled sample)")
    add_notes(parser)


def add_analyst(parser: argparse.ArgumentParser) -> None:
    """--analyst NAME: who is at work (else $DOSSIER_ANALYST, else the notes folder's remembered one)."""
    parser.add_argument(
        "--analyst", metavar="NAME",
        help="who is coding (default: $DOSSIER_ANALYST, else the name last used with this notes folder on this machine)",
    )


def reader_parser() -> argparse.ArgumentParser:
    """``dossier [CORPUS] [--notes DIR]``: the reader."""
    parser = Parser(
        prog="dossier",
        description="A keyboard-driven reader for a folder of news articles. "
        f"Subcommands: {', '.join(SUBCOMMANDS)} (dossier SUBCOMMAND --help).",
    )
    add_corpus_and_notes(parser)
    add_analyst(parser)
    parser.add_argument(
        "--blind", action="store_true",
        help="blind coding: show only your own annotations until you press B (the other analysts' stay hidden)",
    )
    return parser


def clean_parser() -> argparse.ArgumentParser:
    """``dossier clean PATH... [--json]``."""
    parser = Parser(prog="dossier clean", description="Print the cleaned text of files or folders.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or corpus folders")
    parser.add_argument("--json", action="store_true", help="every line with its kind and reason, as JSON")
    return parser


def add_filter(parser: argparse.ArgumentParser) -> None:
    """--filter EXPR: the reader's filter expression (words and fields)."""
    parser.add_argument(
        "--filter", default="", metavar="EXPR",
        help='only articles matching EXPR, as the reader\'s / filter: words, "a phrase", source:tass lang:ru '
        "date:2019..2020 tag:energy tag:(energy AND NOT Syria) untagged, -TERM to exclude "
        "(an EXPR that starts with - is written --filter=-TERM)",
    )


def list_parser() -> argparse.ArgumentParser:
    """``dossier list [CORPUS] [--json] [--filter EXPR]``."""
    parser = Parser(prog="dossier list", description="List a corpus's articles: date, outlet, words, annotations, title.")
    add_corpus_and_notes(parser)
    parser.add_argument("--json", action="store_true", help="print JSON, every attribute with where it came from")
    add_filter(parser)
    return parser


def annotate_parser() -> argparse.ArgumentParser:
    """``dossier annotate FILE --quote TEXT --tag TAG [--note TEXT] [--corpus DIR] [--notes DIR]``."""
    parser = Parser(prog="dossier annotate", description=(
        "Tag a quoted passage of an article and print the annotation's id (the passage's own annotation gains the tags "
        "if it has one)."))
    parser.add_argument("file", metavar="FILE", help="the article's file")
    parser.add_argument("--quote", required=True, help="the passage, exactly as it occurs once in the article")
    parser.add_argument("--tag", action="append", required=True, help="a tag (repeat for several)")
    parser.add_argument("--note", default="", help="a note on the passage")
    parser.add_argument("--corpus", help="the corpus folder (default: the file's folder)")
    add_notes(parser)
    add_analyst(parser)
    add_wait(parser)
    return parser


#: Seconds a writer waits for another one to finish with the notes before it gives up.
WAIT = 30.0


def seconds(value: str) -> float:
    """A --wait value: a finite number of seconds, at least 0."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not 0 <= seconds < 1e9:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"not a number of seconds from 0 up: {value!r}")
    return seconds


def add_notes(parser: argparse.ArgumentParser) -> None:
    """--notes: the notes folder a subcommand reads or writes."""
    parser.add_argument("--notes", help="notes folder (default: $DOSSIER_NOTES or ./notes)")


def add_wait(parser: argparse.ArgumentParser) -> None:
    """--wait: how long a writer waits for another process that is writing the notes."""
    parser.add_argument(
        "--wait", type=seconds, default=WAIT, metavar="SECONDS",
        help=f"if another process is writing the notes, wait up to SECONDS for it (default: {WAIT:g})",
    )


def set_parser() -> argparse.ArgumentParser:
    """``dossier set FILE [--date D] [--source S] [--author A] [--url U] [--attr KEY=VALUE]... [--unset KEY]...``."""
    parser = Parser(
        prog="dossier set",
        description="Set an article's attributes in the notes; they win over what its page, text and the manifest say. "
        'An empty value ("") marks the attribute unknown; --unset gives back the extracted value.',
    )
    parser.add_argument("file", metavar="FILE", help="the article's file")
    parser.add_argument("--date", help="date of publication, ISO 8601: 2016-12-20, 2016-12, 2016 or 2016-12-20T09:30+03:00")
    parser.add_argument("--source", help="the outlet")
    parser.add_argument("--author", help="the author")
    parser.add_argument("--url", help="the article's URL")
    parser.add_argument("--attr", action="append", default=[], metavar="KEY=VALUE", help="any attribute (repeatable)")
    parser.add_argument("--unset", action="append", default=[], metavar="KEY", help="drop the analyst's value of KEY (repeatable)")
    parser.add_argument("--corpus", help="the corpus folder (default: the file's folder)")
    add_notes(parser)
    add_analyst(parser)
    add_wait(parser)
    return parser


def memo_parser() -> argparse.ArgumentParser:
    """``dossier memo [FILE] [--set TEXT | --file F] [--corpus DIR] [--notes DIR]``."""
    parser = Parser(
        prog="dossier memo",
        description="Print an article's memo, or the corpus memo without FILE; --set or --file replaces it "
        "(an empty memo removes it).",
    )
    parser.add_argument("file", nargs="?", metavar="FILE", help="the article's file (none: the corpus memo)")
    given = parser.add_mutually_exclusive_group()
    given.add_argument("--set", metavar="TEXT", help="replace the memo with TEXT")
    given.add_argument("--file", dest="source", metavar="F", help="replace the memo with the text of file F (- for stdin)")
    parser.add_argument("--corpus", help="the corpus folder (default: the file's folder)")
    add_notes(parser)
    add_analyst(parser)
    add_wait(parser)
    return parser


def tag_expression(text: str) -> str:
    """An argparse type: the tag expression as written, if it can be read (else a one-line usage error)."""
    from tui.core.tag_expression import TagExpressionError, parse

    try:
        parse(text)
    except TagExpressionError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def export_parser() -> argparse.ArgumentParser:
    """``dossier export [CORPUS] [--format md|json|csv] [--wide] [--by …] [--tag TAG]... [--where EXPR] [--filter EXPR] [-o FILE]``."""
    parser = Parser(prog="dossier export", description="Export a corpus's annotations.")
    add_corpus_and_notes(parser)
    parser.add_argument(
        "--format", choices=["md", "json", "csv", "qdpx"], default="md",
        help="md: the Markdown report (default); json: W3C Web Annotation; csv: one row per annotation and tag; "
        "qdpx: a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder (needs -o)",
    )
    parser.add_argument("--by", choices=["tag", "article"], default="tag", help="group the Markdown report's passages")
    parser.add_argument("--tag", action="append", default=[], help="only annotations with this tag (repeatable)")
    parser.add_argument(
        "--where", metavar="EXPR", type=tag_expression,  # no default: argparse would check a default string too
        help='only annotations whose tags satisfy EXPR: tag names with AND, OR, NOT and parentheses, '
        'e.g. "security AND (Syria OR energy) AND NOT diplomacy" (any case; quote a name with spaces: '
        '\'"human rights" OR energy\'; README: "Tag expressions")',
    )
    add_filter(parser)
    parser.add_argument("--wide", action="store_true", help="csv: one row per annotation, a 0/1 column per tag")
    parser.add_argument("--title", default="", help="md: the report's title (default: the corpus memo's title)")
    parser.add_argument("-o", "--output", help="write to FILE instead of standard output")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    return parser


def agree_parser() -> argparse.ArgumentParser:
    """``dossier agree [CORPUS] [--notes DIR] [--analysts A,B,...] [--unit paragraph|sentence] [--tag TAG]... [--json]``."""
    parser = Parser(
        prog="dossier agree",
        description="How far analysts agree on where each tag applies: per tag and overall, percent agreement, "
        "Cohen's kappa (two analysts) and Krippendorff's alpha, over the articles any of them annotated.",
    )
    add_corpus_and_notes(parser)
    parser.add_argument("--analysts", metavar="A,B,...", help="the analysts to compare (default: every analyst in the notes)")
    parser.add_argument(
        "--unit", choices=["paragraph", "sentence"], default="paragraph",
        help="what one coding decision is about: a paragraph (default; title and headings included) or a sentence",
    )
    parser.add_argument("--tag", action="append", default=[], help="only this tag (repeatable; default: every tag they used)")
    parser.add_argument("--json", action="store_true", help="print JSON: the figures per tag and every disagreement")
    return parser


def import_parser() -> argparse.ArgumentParser:
    """``dossier import FILE [CORPUS] [--notes DIR]``."""
    parser = Parser(
        prog="dossier import",
        description="Read annotations exported with --format json, or a REFI-QDA project (.qdpx) placed on CORPUS, into a notes folder.",
    )
    parser.add_argument("file", metavar="FILE", help="a W3C Web Annotation JSON export, or a .qdpx project")
    parser.add_argument("corpus", nargs="?", help="a .qdpx's corpus: the folder of its articles (default: the bundled sample)")
    add_notes(parser)
    add_analyst(parser)
    add_wait(parser)
    return parser


def merge_parser() -> argparse.ArgumentParser:
    """``dossier merge SRC... [--notes DEST]``."""
    parser = Parser(
        prog="dossier merge",
        description="Copy every analyst's annotations of other notes folders into one (--notes): the union by id. "
        "An id changed in two places keeps both versions, the second under a new id, and is reported.",
    )
    parser.add_argument("sources", nargs="+", metavar="SRC", help="notes folders to copy from (read only)")
    parser.add_argument("--notes", help="the notes folder to merge into (default: $DOSSIER_NOTES or ./notes)")
    add_wait(parser)
    return parser


def doctor_parser() -> argparse.ArgumentParser:
    """``dossier doctor [--notes DIR] [--repair]``."""
    parser = Parser(prog="dossier doctor", description="Check a notes folder; --repair salvages what it can.")
    add_notes(parser)
    parser.add_argument("--repair", action="store_true", help="salvage damaged files into new ones, keeping the originals")
    add_wait(parser)
    return parser


def codebook_parser() -> argparse.ArgumentParser:
    """``dossier codebook export|import FILE [--format csv|qdc] [--notes DIR] [--force]``."""
    parser = Parser(
        prog="dossier codebook",
        description="Write the tag vocabulary (names, hierarchy, colours, keys, descriptions) as a codebook file, "
        "or merge one in: CSV, or REFI-QDA's .qdc (by the file's extension, or --format).",
    )
    parser.add_argument("action", choices=["export", "import"], help="export: write FILE; import: merge FILE into the notes' tags")
    parser.add_argument("file", metavar="FILE", help="the codebook file (- for standard output or input)")
    parser.add_argument("--format", choices=["csv", "qdc"], help="csv or qdc (default: qdc for a .qdc file, else csv)")
    add_notes(parser)
    parser.add_argument("--force", action="store_true", help="export: replace FILE if it exists")
    add_wait(parser)
    return parser


def tags_parser() -> argparse.ArgumentParser:
    """``dossier tags [list]`` or ``dossier tags merge FROM INTO [--notes DIR]``."""
    parser = Parser(
        prog="dossier tags",
        description="List the tag vocabulary as a tree with descriptions, or merge tag FROM into tag INTO "
        "on every annotation (FROM leaves the vocabulary; an annotation keeps its other tags).",
    )
    parser.add_argument("action", nargs="?", choices=["list", "merge"], default="list", help="list (default) or merge")
    parser.add_argument("names", nargs="*", metavar="TAG", help="merge: FROM INTO")
    add_notes(parser)
    add_wait(parser)
    return parser


def serve_parser() -> argparse.ArgumentParser:
    """``dossier serve [CORPUS] [--notes DIR] [--host H] [--port P] [--public-url URL]``."""
    from tui.serving import port_number

    parser = Parser(
        prog="dossier serve",
        description="Serve the reader to web browsers (textual-serve). It has no authentication: "
        "whoever reaches the port reads the corpus and reads and changes the notes.",
    )
    add_corpus_and_notes(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=port_number, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument(
        "--public-url", metavar="URL",
        help="the address browsers use to reach the server, e.g. behind a proxy (default: http://HOST:PORT)",
    )
    return parser


def attribute_changes(args: argparse.Namespace) -> dict[str, str | None]:
    """The edits ``dossier set`` was given, checked: attribute -> value ("" clears it), None for ``--unset``."""
    from tui.core.facts import FactError, analyst_value, canonical_key

    given = [(key, getattr(args, key)) for key in ("date", "source", "author", "url") if getattr(args, key) is not None]
    for item in args.attr:
        key, equals, value = item.partition("=")
        if not equals:
            raise UsageError(f"dossier set: --attr {item!r}: expected KEY=VALUE")
        given.append((key, value))
    changes: dict[str, str | None] = {}
    for key, value in given:
        try:
            name, _ = analyst_value(key, value)
        except FactError as error:
            raise UsageError(f"dossier set: {error}") from None
        changes[name] = value
    for key in args.unset:
        name = canonical_key(key)
        if name in changes:
            raise UsageError(f"dossier set: {name} is both given a value and --unset")
        changes[name] = None
    if not changes:
        raise UsageError("dossier set: nothing to set: give --date, --source, --author, --url, --attr KEY=VALUE or --unset KEY")
    return changes
