"""Writers and readers of annotations for other tools: W3C Web Annotation JSON and CSV.

The JSON shape is the one DESIGN.md gives for `dossier export --format json`;
:func:`from_web_annotation` reads it back for `dossier import`. The Markdown
report is in :mod:`tui.core.export.report`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

from tui.core.neutral import for_csv_cell
from tui.core.notes.model import Annotation, ArticleRef, Target

CSV_COLUMNS = ("article", "title", "tag", "quote", "note", "start", "end", "id")

def web_annotation_item(ann: Annotation) -> dict[str, Any]:
    """One annotation as a W3C Web Annotation, with `"orphan": true` if it could not be re-anchored."""
    body = [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in ann.tags]
    if ann.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": ann.note})
    t = ann.target
    item: dict[str, Any] = {
        "id": f"urn:uuid:{ann.id}",
        "type": "Annotation",
        "created": ann.created,
        "modified": ann.updated,
        "body": body,
        "target": {
            "source": ann.article.path,
            "selector": [
                {"type": "TextQuoteSelector", "exact": t.exact, "prefix": t.prefix, "suffix": t.suffix},
                {"type": "TextPositionSelector", "start": t.start, "end": t.end},
            ],
        },
    }
    if ann.orphan:
        item["orphan"] = True
    return item


def to_web_annotation(annotations: Iterable[Annotation]) -> dict[str, Any]:
    """An AnnotationCollection of the annotations, in the order given, ready for json.dump."""
    items = [web_annotation_item(ann) for ann in annotations]
    # Exactly the DESIGN.md shape (scripts compare it), so no "@context" key.
    return {"type": "AnnotationCollection", "total": len(items), "items": items}


class AnnotationFormatError(ValueError):
    """The file is not a Web Annotation collection Dossier can read; the message says where."""


def from_web_annotation(payload: object) -> list[Annotation]:
    """Annotations from an AnnotationCollection written by :func:`to_web_annotation`.

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
    return [_item(item, index) for index, item in enumerate(items)]


def _item(item: object, index: int) -> Annotation:
    where = f"item {index}"
    try:
        assert isinstance(item, dict)
        ann_id = str(item["id"]).removeprefix("urn:uuid:")
        target = item["target"]
        quote = next(s for s in target["selector"] if s["type"] == "TextQuoteSelector")
        position = next(s for s in target["selector"] if s["type"] == "TextPositionSelector")
        tags = tuple(b["value"] for b in item.get("body", []) if b.get("purpose") == "tagging")
        notes = [b["value"] for b in item.get("body", []) if b.get("purpose") == "commenting"]
        start, end = int(position["start"]), int(position["end"])
        return Annotation(
            ann_id,
            ArticleRef(str(target["source"]), ""),
            Target(start, end, str(quote["exact"]), str(quote.get("prefix", "")), str(quote.get("suffix", ""))),
            tags,
            "\n\n".join(notes),
            str(item["created"]),
            str(item.get("modified", item["created"])),
            bool(item.get("orphan", False)),
        )
    except (AssertionError, KeyError, StopIteration, TypeError, ValueError, AttributeError) as error:
        detail = f"missing {error}" if isinstance(error, KeyError) else "unexpected shape"
        raise AnnotationFormatError(f"{where}: {detail}") from None


def to_csv(annotations: Iterable[Annotation], title_of: Callable[[str], str]) -> str:
    """One row per annotation and tag (RFC 4180 quoting, CRLF line ends, header row).

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
        for tag in ann.tags or ("",):
            texts = (ann.article.path, title_of(ann.article.path), tag, ann.target.exact, ann.note)
            writer.writerow([*map(for_csv_cell, texts), ann.target.start, ann.target.end, for_csv_cell(ann.id)])
    return buffer.getvalue()
