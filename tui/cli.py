"""The ``dossier`` command line: the reader, and subcommands that call ``tui.core``.

Each subcommand's options are parsed by :mod:`tui.cli_parsers`; the
articles' facts (``list``, ``set``, ``export``) come from
:class:`tui.core.catalogue.Catalogue`.

The command-line contract is in DESIGN.md; scripts depend on it. Every
error on bad input is one line on stderr and exit status 2, never a traceback.

File names, titles and messages that quote them are printed through
:func:`tui.core.neutral.for_terminal` (a control character in a file name
cannot act on the terminal, nor a line break or tab forge a line or column of
``list``); JSON through :func:`~tui.core.neutral.for_json_text` (the same
values, with no raw control character). The cleaned text that ``clean``
prints is the article's, already free of control characters when read.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import gc
import json
import os
import stat
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli_agree import run_agree
from tui.cli_codebook import run_codebook, run_tags
from tui.cli_common import (
    analyst_for,
    article_of,
    corpus_and_notes,
    notes_folder,
    one_line,
    reading_notes,
    remember_given,
    say_corpus,
    waiting,
)
from tui.cli_memo import run_memo
from tui.cli_parsers import (
    UsageError,
    agree_parser,
    annotate_parser,
    attribute_changes,
    clean_parser,
    codebook_parser,
    doctor_parser,
    export_parser,
    import_parser,
    list_parser,
    memo_parser,
    merge_parser,
    reader_parser,
    serve_parser,
    set_parser,
    tags_parser,
)
from tui.cli_qdpx import run_import_project
from tui.cli_team import reader_analyst, run_merge
from tui.core.corpus import ArticleError, CorpusError, Skipped, read_article, scan_corpus
from tui.core.neutral import for_json_text, for_terminal
from tui.core.paths import notes_dir, sample_corpus

if TYPE_CHECKING:
    from tui.core.document import Document

# The reader imports only what its first screen needs: the cleaner, the store
# (TinyDB, rapidfuzz) and the exporters are imported by the subcommands that
# use them, inside the functions below.

def _targets(paths: Sequence[str]) -> tuple[list[tuple[Path, str]], list[Skipped]]:
    """Expand files and folders into (root, relative path) pairs.

    A named file that does not exist or is not an article is an error; files
    found inside a folder that cannot be read are skipped with a reason.
    """
    targets: list[tuple[Path, str]] = []
    skipped: list[Skipped] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            scan = scan_corpus(path)
            targets.extend((path, rel) for rel in scan.files)
            skipped.extend(Skipped((path / s.path).as_posix(), s.reason) for s in scan.skipped)
        elif path.exists() or path.is_symlink():
            targets.append((path.parent, path.name))
        else:
            raise UsageError(f"no such file or folder: {raw}")
    return targets, skipped


def run_clean(args: argparse.Namespace) -> int:
    """``dossier clean``: cleaned text, or every line's decision as JSON.

    Several files are cleaned as one corpus: a line that recurs in several
    of them (an outlet's footer, a newsletter box) is dropped as such.
    """
    from tui.core.document import clean_document
    from tui.core.evidence import CorpusEvidence

    targets, skipped = _targets(args.paths)
    named_files = {(Path(p).parent, Path(p).name) for p in args.paths if not Path(p).is_dir()}
    read = []
    for root, rel in targets:
        try:
            read.append(((root / rel).as_posix(), read_article(root, rel)))
        except ArticleError as error:
            if (root, rel) in named_files:
                raise UsageError(f"cannot read {(root / rel).as_posix()}: {error}") from None
            skipped.append(Skipped((root / rel).as_posix(), str(error)))
    evidence = CorpusEvidence.from_texts(article.text for _, article in read) if len(read) > 1 else None
    files = [(path, clean_document(article, evidence=evidence)) for path, article in read]
    if args.json:
        _print_json({
            "files": [
                {
                    "path": path,
                    "title": item.cleaned.title,
                    "byline": item.cleaned.byline,
                    "language": item.cleaned.language,
                    "warnings": list(item.article.warnings) + list(item.cleaned.warnings),
                    "text": item.cleaned.text,
                    "lines": [
                        {"n": line.n, "text": line.text, "keep": line.keep, "kind": line.kind, "reason": line.reason}
                        for line in item.cleaned.lines
                    ],
                }
                for path, item in files
            ],
            "skipped": [{"path": s.path, "reason": s.reason} for s in skipped],
        })
        return 0
    for index, (path, item) in enumerate(files):
        if len(files) > 1:
            print(("\n" if index else "") + f"==> {for_terminal(path)} <==")
        print(item.cleaned.text)
    _say_skipped("clean", skipped)
    return 0


def run_list(args: argparse.Namespace) -> int:
    """``dossier list``: one line per article (path, date, outlet, words, annotations, title), or JSON.

    Answered from the corpus cache: only new or changed files are read and
    cleaned, and annotation counts come from its index of the notes (no
    annotation is loaded to be counted). An article with cleaning
    overrides is cleaned again with them. ``--filter`` keeps the articles
    the expression matches. The manifest's warnings go to stderr (in JSON:
    under ``"warnings"``); none is fatal.
    """
    from tui.core.cache.analyse import unpack_facts
    from tui.core.cache.articles import CachedArticle, up_to_date
    from tui.core.cache.corpus_cache import UNREADABLE
    from tui.core.cache.database import CacheError
    from tui.core.cache.notes_index import note_counts
    from tui.core.catalogue import Catalogue, without_manifest
    from tui.core.document import open_document
    from tui.core.filtering import Filterable, FilterError, parse
    from tui.core.notes.files import ARTICLES_DIR

    try:
        expression = parse(args.filter)
    except FilterError as error:
        raise UsageError(f"dossier list: --filter: {error}") from None
    root = Path(args.corpus) if args.corpus else sample_corpus()
    scan = scan_corpus(root)
    articles, skipped = [], without_manifest(scan.skipped)
    with reading_notes(args.notes) as store:
        if store is not None:
            say_corpus("list", store, root)
        try:
            cache = up_to_date(notes_dir(args.notes), root, scan)
        except CacheError as error:
            raise UsageError(str(error)) from None
        with contextlib.closing(cache):  # the last connection: SQLite folds its write-ahead log back and removes it
            counts = note_counts(cache)
            if store is not None and not (notes_dir(args.notes) / ARTICLES_DIR).is_dir():  # schema 1: one file, read by the store
                counts = {path: (len(store.annotations(path)), ()) for path in store.articles()}
            catalogue = Catalogue.of(root, store)
            for row in cache.rows():
                if row.state == UNREADABLE:
                    skipped.append(Skipped(row.rel, row.error or "cannot be read"))
                    continue
                noted = row.rel in counts  # only an article with a notes file has overrides, edits or tags
                overrides = catalogue.overrides(row.rel) if noted else {}
                subject: Filterable
                if overrides:  # cleaned as the analyst asked: title and facts may differ from the cache's
                    try:
                        item = open_document(root, row.rel, overrides)
                    except ArticleError as error:
                        skipped.append(Skipped(row.rel, str(error)))
                        continue
                    title, words, facts = item.title, item.words, catalogue.facts(item)
                    subject = catalogue.subject(item, facts)
                else:
                    title, words = row.shown_title, row.words or 0
                    facts = catalogue.with_extracted(row.rel, unpack_facts(row.facts))
                    tags = [a.tags for a in catalogue.annotations(row.rel)] if noted and expression else []
                    subject = CachedArticle(title, facts.values(), tags, cache, row.rel)
                if expression and not expression.matches(subject):
                    continue
                articles.append({
                    "path": row.rel, "title": title, "words": words, "annotations": counts.get(row.rel, (0, ()))[0],
                    **facts.contract(), "attributes": facts.to_json(),
                })
            warnings = catalogue.warnings(scan.files)
    if args.json:
        _print_json({"articles": articles, "skipped": [{"path": s.path, "reason": s.reason} for s in skipped], "warnings": warnings})
        return 0
    for entry in articles:
        path, date, source, title = (for_terminal(str(entry[key] or "-")) for key in ("path", "date", "source", "title"))
        count = entry["annotations"]
        print(f"{path}\t{date}\t{source}\t{entry['words']} words\t{count} annotation{'' if count == 1 else 's'}\t{title}")
    _say_skipped("list", skipped)
    for warning in warnings:
        print(f"dossier list: {for_terminal(warning)}", file=sys.stderr)
    return 0


@one_line
def run_annotate(args: argparse.Namespace) -> int:
    """``dossier annotate``: find the quote, save the annotation (or add to the one on that span), print its id."""
    from tui.core.corpus import load_corpus
    from tui.core.document import article_ref, clean_document
    from tui.core.notes.anchor import QuoteError, find_quote
    from tui.core.notes.store import Store, annotate_span, sync_articles

    root, rel, article = article_of(args.file, args.corpus)
    try:
        start, end = find_quote(article.text, args.quote)
    except QuoteError as error:
        raise UsageError(f"{args.file}: {error}") from None
    folder = notes_folder(args.notes)
    analyst = analyst_for("annotate", args.analyst, folder)
    articles, _ = load_corpus(root)  # read before the lock is taken: other writers wait only for the save
    with Store.open(folder, mode="write", wait=args.wait, waiting=waiting("annotate")) as store:
        store.analyst = analyst  # the passage's own annotation is only ever this analyst's
        remember_given(folder, args.analyst, analyst)
        sync_articles(store, articles)
        say_corpus("annotate", store, root)
        annotation, new = annotate_span(store, article_ref(article), article.text, start, end, args.tag, args.note)
        hidden = _hidden_by_the_cleaner(clean_document(article, store.overrides(rel)), start, end)
    print(annotation.id)
    if not new:  # one passage, one annotation: its tags are added to the one already there
        print(f"dossier annotate: the passage was annotated already: {for_terminal(', '.join(annotation.tags))} on it now", file=sys.stderr)
    if hidden:
        print(f"dossier annotate: {for_terminal(hidden)}", file=sys.stderr)
    return 0


@one_line
def run_set(args: argparse.Namespace) -> int:
    """``dossier set``: save the analyst's attributes of an article; print its attributes, each with where it came from.

    Every value is checked before the notes are opened, so a bad date
    changes nothing.
    """
    from tui.core.catalogue import Catalogue
    from tui.core.corpus import load_corpus
    from tui.core.document import article_ref, clean_document
    from tui.core.notes.store import Store, sync_articles

    changes = attribute_changes(args)
    root, rel, article = article_of(args.file, args.corpus)
    folder = notes_folder(args.notes)
    analyst_for("set", args.analyst, folder)  # checked and remembered; attributes are shared, not an analyst's
    articles, _ = load_corpus(root)  # read before the lock is taken, as annotate does
    with Store.open(folder, mode="write", wait=args.wait, waiting=waiting("set")) as store:
        say_corpus("set", store, root)
        sync_articles(store, articles)  # a renamed article's notes are found under its new path first
        store.attributes.set(article_ref(article), article.text, changes)
        facts = Catalogue.of(root, store).facts(clean_document(article, store.overrides(rel)))
    for key, fact in facts.to_json().items():
        value = " ".join((fact["value"] or "-").split())
        print(f"{for_terminal(key)}\t{for_terminal(value)}\t{fact['origin']}")
    return 0


def _hidden_by_the_cleaner(document: Document, start: int, end: int) -> str | None:
    """Why the passage ``start:end`` is not (all) in the cleaned text, or None if it is.

    The annotation is saved either way; the analyst must know that the reader
    shows it only in the raw pane and the annotations list.
    """
    dropped = [line for line in document.cleaned.lines
               if not line.keep and line.kind != "blank" and line.start < end and line.end > start]
    if not dropped:
        return None
    shown = document.to_clean(start, end)
    where = ", ".join(f"line {line.n} ({line.kind}: {line.reason})" for line in dropped[:3])
    if shown is None:
        return f"saved, but the passage is not in the cleaned text: the cleaner drops {where}"
    return f"saved, but part of the passage is not in the cleaned text: the cleaner drops {where}"


@one_line
def run_export(args: argparse.Namespace) -> int:
    """``dossier export``: the report, JSON or CSV of a corpus's annotations.

    The notes are opened read-only and re-anchored in memory: an export
    never takes the write lock and never writes the notes, whatever corpus
    it is pointed at.
    """
    from tui.core.cache.database import CacheError
    from tui.core.export.assemble import ExportError, ExportOptions, check_output, export_text, write_export
    from tui.core.filtering import FilterError, parse
    from tui.core.notes.files import MAIN_FILE

    if args.format == "qdpx" and not args.output:
        raise UsageError("dossier export: --format qdpx writes a zip file: name it with -o FILE")
    if args.wide and args.format != "csv":
        raise UsageError("dossier export: --wide goes with --format csv")
    if args.title and args.format != "md":
        raise UsageError("dossier export: --title goes with --format md (the report)")
    try:
        parse(args.filter)
    except FilterError as error:
        raise UsageError(f"dossier export: --filter: {error}") from None
    root = Path(args.corpus) if args.corpus else sample_corpus()
    folder = notes_folder(args.notes)
    if not (folder / MAIN_FILE).exists():
        raise UsageError(f"no notes in {folder} (annotate first, or name the folder with --notes)")
    output = Path(args.output) if args.output else None
    options = ExportOptions(
        format=args.format, by=args.by, tags=tuple(args.tag), filter=args.filter, where=args.where or "", title=args.title,
        wide=args.wide,
    )
    try:
        if output:
            check_output(output, args.force)
        with corpus_and_notes("export", folder, root) as (store, source):
            label = args.corpus or "the sample corpus"  # not the sample's install path
            said: list[str] = []
            if args.format == "qdpx":  # a REFI-QDA project: tui/core/refi
                from tui.core.refi.write import export_project

                data, said = export_project(store, source, options, Path(label).name or label)
            else:
                text = export_text(store, source, options, corpus=label, notes=str(folder))
        if output:
            write_export(output, data if args.format == "qdpx" else text, args.format)
        for line in said:
            print(f"dossier export: {for_terminal(line)}", file=sys.stderr)
    except (ExportError, CacheError) as error:
        raise UsageError(str(error)) from None
    if not output:
        sys.stdout.write(text)
    return 0


#: The largest file `dossier import` reads (an export of a million annotations is about 1 GB).
MAX_IMPORT = 2 * 1024**3


@one_line
def run_import(args: argparse.Namespace) -> int:
    """``dossier import``: add a JSON export's annotations, all or nothing; ids already present are skipped; or a ``.qdpx``."""
    from tui.core.export.formats import AnnotationFormatError, from_web_annotation, vocabulary_from
    from tui.core.notes.files import parse_json
    from tui.core.notes.store import Store
    from tui.core.refi.archive import is_project

    path = Path(args.file)
    if is_project(path):  # a REFI-QDA project: tui/cli_qdpx.py
        return run_import_project(args)
    if args.corpus:
        raise UsageError("dossier import: CORPUS goes with a .qdpx project (a JSON export names its articles by path)")
    try:
        with path.open("rb") as handle:  # not read_bytes: a pipe could be endless
            if stat.S_ISCHR(os.fstat(handle.fileno()).st_mode) or stat.S_ISBLK(os.fstat(handle.fileno()).st_mode):
                raise UsageError(f"{args.file} is a device, not an export")
            raw = handle.read(MAX_IMPORT + 1)
    except FileNotFoundError:
        raise UsageError(f"no such file: {args.file}") from None
    except IsADirectoryError:
        raise UsageError(f"{args.file} is a folder, not an export") from None
    except OSError as error:
        raise UsageError(f"cannot read {args.file}: {error.strerror or error}") from None
    if len(raw) > MAX_IMPORT:
        raise UsageError(f"{args.file}: larger than {MAX_IMPORT // 1024**3} GB; split it")
    payload = parse_json(raw.removeprefix(codecs.BOM_UTF8), args.file)
    try:
        annotations, vocabulary = from_web_annotation(payload), vocabulary_from(payload)
    except AnnotationFormatError as error:
        raise UsageError(f"{args.file}: {error}") from None
    folder = notes_folder(args.notes)
    analyst = analyst_for("import", args.analyst, folder)
    # An item without a creator is the importing analyst's (an export of an older Dossier, another tool's).
    annotations = [a if "creator" in item else replace(a, analyst=analyst)
                   for a, item in zip(annotations, payload.get("items", []), strict=True)] if isinstance(payload, dict) else annotations
    with Store.open(folder, mode="write", wait=args.wait, waiting=waiting("import")) as store:
        remember_given(folder, args.analyst, analyst)
        added = store.import_annotations(annotations, vocabulary)
    print(f"imported {added} annotation(s); {len(annotations) - added} already present")
    return 0


@one_line
def run_doctor(args: argparse.Namespace) -> int:
    """``dossier doctor``: report problems (exit 1 if any); ``--repair`` salvages."""
    from tui.core.notes.repair import doctor
    from tui.core.notes.store import Store

    folder = notes_dir(args.notes)
    if not folder.exists():
        raise UsageError(f"no notes folder at {folder}")
    notes_folder(args.notes)
    if args.repair:
        for line in Store.repair(folder, wait=args.wait, waiting=waiting("doctor")):
            print(for_terminal(line))
    report = doctor(folder)
    for line in report.lines():
        print(for_terminal(line))  # the lines quote file names, ids and quotes from the notes
    return 0 if report.ok else 1


def _print_json(payload: Mapping[str, Sequence[object]]) -> None:
    """Print ``{"name": [item, ...], ...}`` with one item per line.

    Each item is encoded by json's C encoder in one call (an indented dump
    goes through the pure-Python encoder, piece by piece: on 945 web pages
    that cost 14 of 19 seconds) and neutralised for the terminal; a large
    corpus's JSON is still never held whole.
    """
    write = sys.stdout.write
    write("{")
    for number, (name, items) in enumerate(payload.items()):
        write(f'{"," if number else ""}\n  {json.dumps(name)}: [')
        for index, item in enumerate(items):
            write(("," if index else "") + "\n    " + for_json_text(json.dumps(item, ensure_ascii=False)))
        write("\n  ]" if items else "]")
    write("\n}\n")


def _say_skipped(command: str, skipped: Sequence[Skipped]) -> None:
    """One line on stderr per file skipped, the file name shown safely."""
    for s in skipped:
        print(f"dossier {command}: skipped {for_terminal(s.path)}: {for_terminal(s.reason)}", file=sys.stderr)


def _not_a_terminal() -> str | None:
    """Which standard stream is not a terminal (keys come from stdin, Textual draws on stderr), or None."""
    for name, stream in (("input", sys.stdin), ("output", sys.stdout), ("error", sys.stderr)):
        try:
            if stream is None or not stream.isatty():
                return name
        except ValueError:  # a closed stream
            return name
    return None


def run_reader(args: argparse.Namespace) -> int:
    """Open the Textual reader on a corpus."""
    # Without a terminal Textual waits for keys that never come, at full CPU;
    # a script that ran `dossier` meant a subcommand. Standard output counts
    # too: `dossier | less` or `dossier > file` is not someone reading.
    from tui.serving import served  # a reader textual-serve started for a browser has pipes, not a terminal

    stream = None if served() else _not_a_terminal()
    if stream:
        raise UsageError(
            f"the reader needs a terminal (standard {stream} is not one); use `dossier list`, `clean` or `export` from scripts"
        )
    corpus = Path(args.corpus) if args.corpus else sample_corpus()
    if not corpus.exists():
        raise UsageError(f"no such folder: {corpus}")
    if not corpus.is_dir():
        raise UsageError(f"not a folder: {corpus} (the reader opens a folder of articles)")
    from tui.core.firstlook import FirstLook

    # Until the first screen is drawn (``Startup.after_first_screen``) no collection of cycles: start-up
    # makes objects that live as long as the reader (Textual's, the list's 100,000 entries), and the
    # collector walked them over and over, a tenth of the first screen's time at 100,000 articles.
    gc.disable()
    # Lists the folder (or reads the cache's listing) and the first article while Textual is imported.
    look = FirstLook(corpus, notes_dir(args.notes), child=True)
    from tui.app import DossierApp  # Textual is imported only when the reader runs

    # None: the reader asks once (one served to browsers does not: it is --analyst, DOSSIER_ANALYST or unattributed)
    analyst = reader_analyst(args.analyst, notes_dir(args.notes))
    DossierApp(corpus=corpus, notes=notes_dir(args.notes), first_look=look, analyst=analyst, ask=not served(), blind=args.blind).run()
    return 0


@one_line
def run_serve(args: argparse.Namespace) -> int:
    """``dossier serve``: the reader in web browsers, through textual-serve, until interrupted."""
    from tui.serving import ServeError, run

    corpus = Path(args.corpus) if args.corpus else sample_corpus()
    if not corpus.is_dir():
        raise UsageError(f"dossier serve: {'not a folder' if corpus.exists() else 'no such folder'}: {corpus}")
    try:  # absolute paths: the readers it starts must not depend on where they run
        run(corpus.resolve(), notes_folder(args.notes).resolve(), args.host, args.port, args.public_url)
    except ServeError as error:
        raise UsageError(f"dossier serve: {error}") from None
    return 0


def _refusals() -> tuple[type[Exception], ...]:
    """The errors that are bad input, told in one line: StoreError too if the store was imported (else nothing raised it)."""
    storage = sys.modules.get("tui.core.notes.files")
    return (UsageError, CorpusError, storage.StoreError) if storage is not None else (UsageError, CorpusError)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dossier`` console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {
        "clean": (clean_parser, run_clean),
        "list": (list_parser, run_list),
        "annotate": (annotate_parser, run_annotate),
        "set": (set_parser, run_set),
        "memo": (memo_parser, run_memo),
        "export": (export_parser, run_export),
        "import": (import_parser, run_import),
        "merge": (merge_parser, run_merge),
        "doctor": (doctor_parser, run_doctor),
        "serve": (serve_parser, run_serve),
        "agree": (agree_parser, run_agree),
        "codebook": (codebook_parser, run_codebook),
        "tags": (tags_parser, run_tags),
    }
    try:
        if argv and argv[0] in commands:
            make_parser, run = commands[argv[0]]
            args = make_parser().parse_args(argv[1:])
        else:
            args, run = reader_parser().parse_args(argv), run_reader
        return run(args)
    except _refusals() as error:
        # One line, whatever file name, tag or id the message quotes.
        message = for_terminal(str(error))
        print(message if message.startswith("dossier") else f"dossier: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `dossier clean ... | head` closes the pipe early; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
