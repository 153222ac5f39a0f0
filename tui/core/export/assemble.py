"""Assemble an export (Markdown report, JSON or CSV) from a store and a corpus.

The command line and the reader's export dialog both call :func:`export_text`,
so the two can never disagree about what an export contains.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from tui.core.catalogue import Catalogue
from tui.core.export.formats import to_csv, to_web_annotation, to_wide_csv
from tui.core.export.report import ArticleInfo, ReportScope, markdown_report
from tui.core.export.report_sections import memo_from
from tui.core.export.sources import ExportSource
from tui.core.filtering import parse
from tui.core.neutral import for_json_text
from tui.core.notes.files import atomic_write, describe
from tui.core.notes.model import Annotation
from tui.core.notes.store import ArticleRef, Store, TagError
from tui.core.tag_expression import parse as parse_tags

FORMATS = ("md", "json", "csv")


class ExportError(Exception):
    """An export cannot be written where asked; the message says why, in one line."""


@dataclass(frozen=True)
class ExportOptions:
    """What to export: format, grouping, tags (empty = all), articles (None = whole corpus), and more.

    ``filter`` is a filter expression (:mod:`tui.core.filtering`) the
    articles must match, on top of ``paths``; ``where`` a tag expression
    (:mod:`tui.core.tag_expression`) each annotation's tags must satisfy,
    on top of ``tags``; ``title`` the report's title
    (empty: the corpus memo's); ``wide``: CSV with a 0/1 column per tag.
    """

    format: str = "md"
    by: str = "tag"
    tags: tuple[str, ...] = ()
    paths: frozenset[str] | None = field(default=None)
    filter: str = ""
    where: str = ""
    title: str = ""
    wide: bool = False


@dataclass(frozen=True)
class Selection:
    """What an export holds: its annotations in list order, and every article they or a memo name, with its memo as written."""

    annotations: list[Annotation]
    infos: list[ArticleInfo]
    memos: dict[str, str]


def export_text(store: Store, source: ExportSource, options: ExportOptions, corpus: str, notes: str) -> str:
    """The export as text. ``source`` is the corpus in list order, read only where the export needs it.

    Each article's facts come from its page, its text, the corpus's
    manifest (read from the articles' folder) and the analyst's edits
    (:class:`~tui.core.catalogue.Catalogue`). Raises :class:`TagError` for a
    tag the vocabulary does not know (in ``tags`` or ``where``),
    :class:`~tui.core.filtering.FilterError` for a filter and
    :class:`~tui.core.tag_expression.TagExpressionError` for a tag expression
    that cannot be read.
    """
    if options.format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    chosen = select(store, source, options)
    annotations, infos, tags = chosen.annotations, chosen.infos, [tag.name for tag in store.tags()]
    wanted = {tag.casefold() for tag in options.tags}
    about_articles = {info.path: {"title": info.title, **(info.facts.contract() if info.facts else {})} for info in infos}
    if options.format == "json":
        # Same values, but no raw control or bidi character for whoever prints the file (see neutral.py).
        collection = to_web_annotation(annotations, about_articles.get, store.tags())
        return for_json_text(json.dumps(collection, ensure_ascii=False, indent=2)) + "\n"
    if options.format == "csv":
        if options.wide:
            return to_wide_csv(annotations, about_articles.get, [t for t in tags if not wanted or t.casefold() in wanted])
        return to_csv(annotations, lambda path: str((about_articles.get(path) or {}).get("title") or ""), about_articles.get)
    return markdown_report(
        annotations, infos, tags, ReportScope(corpus, notes), by=options.by, only_tags=options.tags,
        title=options.title or None, corpus_memo=memo_from(store.memos.corpus()), filter_text=options.filter,
        where_text=options.where, codebook=store.tags(),
    )


def select(store: Store, source: ExportSource, options: ExportOptions) -> Selection:
    """The annotations an export holds (its tags, paths and filter applied) and the articles it describes.

    Raises :class:`TagError` for a tag the vocabulary does not know (in ``tags`` or ``where``).
    """
    expression = parse(options.filter)
    tags = [tag.name for tag in store.tags()]
    known = {t.casefold() for t in tags}
    for tag in options.tags:
        if tag.casefold() not in known:
            raise TagError(f"unknown tag {tag!r}; known tags: {', '.join(tags)}")
    wanted = {tag.casefold() for tag in options.tags}
    where = parse_tags(options.where) if options.where.strip() else None
    for tag in where.names() if where is not None else ():
        if tag.casefold() not in known:  # a misspelt tag would silently match nothing (or, after NOT, everything)
            raise TagError(f"--where: unknown tag {tag!r}; known tags: {', '.join(tags)}")
    order = {rel: i for i, rel in enumerate(source.rels)}
    noted = [path for path in store.articles() if path in order]  # only these have annotations, memos or edits
    for path in noted:  # flagged missing by a run on another corpus, but here it is (in memory if read-only)
        if store.files.missing(path) and (article := source.article(path)) is not None:
            store.sync(ArticleRef(path, article.sha256), article.text)
    catalogue = Catalogue.of(source.root, store)
    paths = options.paths
    if expression:
        chosen = frozenset(
            rel for rel in source.rels
            if (subject := source.subject(rel, expression.needs, catalogue)) is not None and expression.matches(subject)
        )
        paths = chosen if paths is None else paths & chosen
    if paths is None:
        annotations = store.all_annotations()
    else:
        annotations = [ann for path in sorted(paths) for ann in store.annotations(path)]
    annotations = [a for a in annotations if not wanted or wanted & {t.casefold() for t in a.tags}]
    if where is not None:
        annotations = [a for a in annotations if where.matches(a.tags)]
    # The store re-anchors an article whose text changed, or whose offsets no longer hold their quote,
    # when it is synced; an annotation that still does not sit on its quote is shown as an orphan,
    # never with the text that happens to be at its offsets.
    texts = {path: article.text for path in {a.article.path for a in annotations} if path in order
             and (article := source.article(path)) is not None}
    annotations = [
        replace(a, orphan=True)
        if not a.orphan and a.article.path in texts and texts[a.article.path][a.target.start : a.target.end] != a.target.exact
        else a
        for a in annotations
    ]
    annotations.sort(key=lambda a: (order.get(a.article.path, len(order)), a.article.path, a.orphan, a.target.start))
    annotated = {a.article.path for a in annotations}
    memos = {rel: text for rel in noted if (paths is None or rel in paths) and (text := catalogue.memo(rel)).strip()}
    infos = []
    for rel in sorted(annotated | set(memos), key=lambda rel: order.get(rel, len(order))):
        article = source.article(rel) if rel in order else None
        if article is None:
            continue
        about = source.describe(article, catalogue)
        memo = memo_from(memos[rel]) if rel in memos else None
        infos.append(ArticleInfo(rel, about.title, article.text, about.paragraphs, about.kinds, about.facts, memo))
    return Selection(annotations, infos, memos)


def _replaceable(path: Path) -> None:
    """Refuse to replace what an atomic rename would destroy rather than overwrite.

    A symbolic link (``/dev/stdout`` is one) would be replaced by a file,
    not written through; a device or a FIFO would be replaced by a file.
    """
    if path.is_symlink():
        raise ExportError(f"{path} is a symbolic link; name the file itself (to print the export, leave out -o)")
    if path.exists() and not path.is_file():
        raise ExportError(f"{path} is not a regular file; name a file to write (to print the export, leave out -o)")


def check_output(path: Path, force: bool) -> None:
    """Refuse, before any work, an output that cannot be written: ExportError saying why.

    A folder (even with `force`: replacing a folder by a report would lose
    it), a missing or read-only folder to write in, or an existing file
    without `force`.
    """
    if path.is_dir():
        raise ExportError(f"{path} is a folder; name a file to write")
    parent = path.parent
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise ExportError(f"cannot write {path}: the folder {parent} {what}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {path}: the folder {parent} is read-only")
    _replaceable(path)
    if (path.exists() or path.is_symlink()) and not force:
        raise ExportError(f"{path} exists; add --force to replace it")


def write_export(path: Path, text: str | bytes, fmt: str) -> None:
    """Write an export atomically; a CSV file starts with a BOM for spreadsheets; bytes (a .qdpx) are written as they are.

    Raises ExportError (one line) if it cannot be written; an existing file
    is then left as it was.
    """
    if path.is_dir():
        raise ExportError(f"{path} is a folder; name a file to write")
    _replaceable(path)
    try:
        atomic_write(path, text if isinstance(text, bytes) else text.encode("utf-8-sig" if fmt == "csv" else "utf-8"))
    except IsADirectoryError:
        raise ExportError(f"{path} is a folder; name a file to write") from None
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {describe(exc)}") from None
