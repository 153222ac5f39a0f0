"""Writers and readers of annotations for other tools: W3C Web Annotation JSON and CSV.

The JSON shape is the one DESIGN.md gives for `dossier export --format json`;
:func:`from_web_annotation` reads it back for `dossier import`. The Markdown
report is in :mod:`tui.core.export.report`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from tui.core.facts import KEYS
from tui.core.neutral import for_csv_cell
from tui.core.notes.model import Annotation, ArticleRef, Target
from tui.core.notes.tags import Tag, record

#: What an export says about an annotation's article beside its path: its title and the attributes of ``tui.core.facts.KEYS``.
ARTICLE_FIELDS = ("title", *KEYS)
#: An article's fields of ARTICLE_FIELDS by its path; None for an article the export knows nothing of (not in the corpus).
ArticleOf = Callable[[str], Mapping[str, str | None] | None]
CSV_COLUMNS = ("article", "title", "tag", "quote", "note", "start", "end", "id", "analyst", *KEYS)
WIDE_COLUMNS = ("article", "title", "quote", "note", "start", "end", "id", "analyst", *KEYS)


def _article(article_of: ArticleOf, path: str) -> dict[str, str | None]:
    """The ARTICLE_FIELDS of the article at ``path``, null where unknown."""
    known = article_of(path) or {}
    return {name: known.get(name) for name in ARTICLE_FIELDS}


def web_annotation_item(ann: Annotation, article: Mapping[str, str | None] | None = None) -> dict[str, Any]:
    """One annotation as a W3C Web Annotation, with `"orphan": true` if it could not be re-anchored.

    ``article`` (its title, date, outlet, author, URL, language), if given,
    goes under ``target`` as ``"article"``; ``"source"`` stays the path.
    The analyst who made it is the W3C ``creator``, a ``Person``.
    """
    body = [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in ann.tags]
    if ann.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": ann.note})
    t = ann.target
    item: dict[str, Any] = {
        "id": f"urn:uuid:{ann.id}",
        "type": "Annotation",
        "created": ann.created,
        "modified": ann.updated,
        "creator": {"type": "Person", "name": ann.analyst},
        "body": body,
        "target": {
            "source": ann.article.path,
            "selector": [
                {"type": "TextQuoteSelector", "exact": t.exact, "prefix": t.prefix, "suffix": t.suffix},
                {"type": "TextPositionSelector", "start": t.start, "end": t.end},
            ],
        },
    }
    if article is not None:
        item["target"]["article"] = dict(article)
    if ann.orphan:
        item["orphan"] = True
    return item


def to_web_annotation(
    annotations: Iterable[Annotation], article_of: ArticleOf | None = None, vocabulary: Sequence[Tag] | None = None
) -> dict[str, Any]:
    """An AnnotationCollection of the annotations, in the order given, ready for json.dump.

    With ``article_of``, each item's target carries its article's fields
    (:data:`ARTICLE_FIELDS`, null where unknown). With ``vocabulary`` (the
    notes' tags in their order), the collection carries it as
    ``"vocabulary": [{"name", "colour", "key"}]`` (and ``"description"`` for a
    tag that has one), so an import keeps the tags' order, colours, keys and
    descriptions (:func:`vocabulary_from`).
    """
    items = [web_annotation_item(ann, None if article_of is None else _article(article_of, ann.article.path)) for ann in annotations]
    # The DESIGN.md shape (scripts compare it), so no "@context" key; issue 15 added the vocabulary.
    collection: dict[str, Any] = {"type": "AnnotationCollection", "total": len(items)}
    if vocabulary is not None:
        collection["vocabulary"] = [record(t) for t in vocabulary]  # a tag's description only when it has one
    collection["items"] = items
    return collection


class AnnotationFormatError(ValueError):
    """The file is not a Web Annotation collection Dossier can read; the message says where."""


def from_web_annotation(payload: object) -> list[Annotation]:
    """Annotations from an AnnotationCollection written by :func:`to_web_annotation`.

    Every item is checked by the rules the store applies to what it reads
    (``annotation_faults``) and every tag by the vocabulary's naming rules,
    so that the first bad item stops the whole file, named by its index in
    ``items`` (``item 17: target span 9:3 ends before it starts``), before
    anything is written; an id that occurs twice stops it too.

    The article's hash is not part of the export, so imported annotations
    carry an empty one; the store re-anchors them against the article's text
    the first time it meets it (their stored position is checked first, so an
    unchanged article keeps them exactly where they were).
    """
    if not isinstance(payload, dict) or payload.get("type") != "AnnotationCollection":
        raise AnnotationFormatError('not a Web Annotation collection (expected "type": "AnnotationCollection")')
    items = payload.get("items")
    if not isinstance(items, list):
        raise AnnotationFormatError('"items" should be a list')
    annotations = []
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        ann = _item(item, index)
        if ann.id in first:
            raise AnnotationFormatError(f"item {index}: id {ann.id} is the id of item {first[ann.id]} too")
        first[ann.id] = index
        annotations.append(ann)
    return annotations


def vocabulary_from(payload: object) -> list[Tag] | None:
    """The tag vocabulary a collection carries (:func:`to_web_annotation`), checked; None if it carries none.

    Each tag must be one the notes could hold (a name of 1-40 characters on
    one line, a colour, a key of one character or none) and named once
    (ignoring case); the first one that is not stops the import,
    named by its place (``vocabulary item 2: invalid colour 'x': …``).
    """
    from tui.core.notes.tags import TagError, check_colour, check_description, check_key, check_name

    if not isinstance(payload, dict) or "vocabulary" not in payload:
        return None
    entries = payload["vocabulary"]
    if not isinstance(entries, list):
        raise AnnotationFormatError('"vocabulary" should be a list of tags')
    tags: list[Tag] = []
    for index, entry in enumerate(entries):
        where = f"vocabulary item {index}"
        try:
            if not isinstance(entry, dict):
                raise AnnotationFormatError("should be an object")
            name = check_name(_text(entry.get("name"), "its name"))
            tag = Tag(
                name, check_colour(_text(entry.get("colour"), "its colour")), check_key(_text(entry.get("key", ""), "its key"), []),
                check_description(_text(entry.get("description", ""), "its description")),
            )
        except (AnnotationFormatError, TagError) as error:
            raise AnnotationFormatError(f"{where}: {error}") from None
        if any(t.name.casefold() == name.casefold() for t in tags):
            raise AnnotationFormatError(f"{where}: the tag {name!r} is there twice")
        tags.append(tag)
    return tags


def _text(value: object, what: str, empty: bool = True) -> str:
    """A string field of an item, or AnnotationFormatError saying what it should be."""
    if not isinstance(value, str) or (not empty and not value):
        raise AnnotationFormatError(f"{what} should be a{' non-empty' if not empty else ''} string")
    return value


def _offset(value: object, what: str) -> int:
    # bool is an int in Python; Infinity, NaN and 1.5 are floats: none of them is an offset.
    if not isinstance(value, int) or isinstance(value, bool):
        kinds = {type(None): "null", bool: "true or false", str: "a string", list: "a list", dict: "an object"}
        shown = json.dumps(value) if isinstance(value, float) else kinds.get(type(value), type(value).__name__)
        raise AnnotationFormatError(f"{what} should be an integer offset, not {shown}")
    return value


def _selector(selectors: list[object], kind: str) -> dict[str, Any]:
    found = next((s for s in selectors if isinstance(s, dict) and s.get("type") == kind), None)
    if found is None:
        raise AnnotationFormatError(f"the target has no {kind}")
    return found


def _item(item: object, index: int) -> Annotation:
    """One item, checked; AnnotationFormatError naming the item and what is wrong with it."""
    from tui.core.notes.files import annotation_faults
    from tui.core.notes.tags import TagError, check_name

    try:
        if not isinstance(item, dict):
            raise AnnotationFormatError("should be an object")
        ann_id = _text(item.get("id"), "'id'", empty=False).removeprefix("urn:uuid:")
        if not ann_id:
            raise AnnotationFormatError("'id' should be a non-empty string")
        target = item.get("target")
        if not isinstance(target, dict):
            raise AnnotationFormatError("'target' should be an object")
        selectors = target.get("selector")
        selectors = [selectors] if isinstance(selectors, dict) else selectors
        if not isinstance(selectors, list):
            raise AnnotationFormatError("'selector' should be a list")
        quote = _selector(selectors, "TextQuoteSelector")
        position = _selector(selectors, "TextPositionSelector")
        body = item.get("body", [])
        if not isinstance(body, list) or not all(isinstance(b, dict) for b in body):
            raise AnnotationFormatError("'body' should be a list of objects")
        tags = []
        for part in body:
            if part.get("purpose") == "tagging":
                tags.append(check_name(_text(part.get("value"), "a tag")))
        notes = [_text(b.get("value"), "a comment") for b in body if b.get("purpose") == "commenting"]
        created = _text(item.get("created"), "'created'", empty=False)
        orphan = item.get("orphan", False)
        if not isinstance(orphan, bool):
            raise AnnotationFormatError("'orphan' should be true or false")
        ann = Annotation(
            ann_id,
            ArticleRef(_text(target.get("source"), "'source'", empty=False), ""),
            Target(
                _offset(position.get("start"), "'start'"), _offset(position.get("end"), "'end'"),
                _text(quote.get("exact"), "'exact'", empty=False),
                _text(quote.get("prefix", ""), "'prefix'"), _text(quote.get("suffix", ""), "'suffix'"),
            ),
            tuple(tags),
            "\n\n".join(notes),
            created,
            _text(item.get("modified", created), "'modified'", empty=False),
            orphan,
            _creator(item.get("creator")),
        )
        faults = annotation_faults(ann.to_dict())
        if faults:
            raise AnnotationFormatError(faults[0])
        return ann
    except (AnnotationFormatError, TagError) as error:
        raise AnnotationFormatError(f"item {index}: {error}") from None


def _creator(creator: object) -> str:
    """The analyst a W3C ``creator`` names (an object with a ``name``, or a plain name); the default if none."""
    from tui.core.notes.analyst_names import DEFAULT_ANALYST, AnalystError, check_analyst

    if creator is None:
        return DEFAULT_ANALYST
    name = creator.get("name") if isinstance(creator, dict) else creator
    try:
        return check_analyst(_text(name, "'creator' name", empty=False))
    except AnalystError as error:
        raise AnnotationFormatError(f"'creator': {error}") from None


def to_csv(annotations: Iterable[Annotation], title_of: Callable[[str], str], article_of: ArticleOf | None = None) -> str:
    """One row per annotation and tag (RFC 4180 quoting, CRLF line ends, header row).

    The last columns are the article's date, outlet, author, URL and
    language (``article_of``; empty when unknown).

    Every text cell was written by someone else (file names, titles, tags,
    quotes, notes, imported ids) and goes through :func:`for_csv_cell`
    (OWASP's CSV Injection rule: no cell may begin with a formula character).
    Text cells are all quoted, so a ``;`` or ``,`` inside one can never start
    a new cell in a spreadsheet that splits on it; the offsets Dossier writes
    stay bare numbers.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(CSV_COLUMNS)
    for ann in annotations:
        facts = _facts(article_of, ann.article.path)
        for tag in ann.tags or ("",):
            texts = (ann.article.path, title_of(ann.article.path), tag, ann.target.exact, ann.note)
            writer.writerow([*map(for_csv_cell, texts), ann.target.start, ann.target.end, for_csv_cell(ann.id),
                             for_csv_cell(ann.analyst), *facts])
    return buffer.getvalue()


def _facts(article_of: ArticleOf | None, path: str) -> list[str]:
    """The cells of an article's attributes (:data:`~tui.core.facts.KEYS`), each made safe for a spreadsheet."""
    known = (article_of(path) if article_of is not None else None) or {}
    return [for_csv_cell(known.get(key) or "") for key in KEYS]


def to_wide_csv(annotations: Iterable[Annotation], article_of: ArticleOf, tags: Sequence[str]) -> str:
    """One row per annotation with a 0/1 column per tag of ``tags`` (QualCoder's case-variable shape).

    Tags are matched ignoring case, in the order given (the vocabulary's).
    Quoting and neutralisation as :func:`to_csv`; the tag columns are bare
    numbers.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([*WIDE_COLUMNS, *map(for_csv_cell, tags)])
    for ann in annotations:
        article = article_of(ann.article.path) or {}
        texts = (ann.article.path, article.get("title") or "", ann.target.exact, ann.note)
        carried = {t.casefold() for t in ann.tags}
        writer.writerow([
            *map(for_csv_cell, texts), ann.target.start, ann.target.end, for_csv_cell(ann.id), for_csv_cell(ann.analyst),
            *_facts(article_of, ann.article.path), *(int(tag.casefold() in carried) for tag in tags),
        ])
    return buffer.getvalue()
