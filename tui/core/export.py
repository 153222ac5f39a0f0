"""Writers of annotations for other tools: W3C Web Annotation JSON.

The shape is the one DESIGN.md gives for `dossier export --format json`.
"""

from __future__ import annotations

from collections.abc import Iterable

from .store import Annotation

def web_annotation_item(ann: Annotation) -> dict:
    """One annotation as a W3C Web Annotation, with `"orphan": true` if it could not be re-anchored."""
    body = [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in ann.tags]
    if ann.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": ann.note})
    t = ann.target
    item = {
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


def to_web_annotation(annotations: Iterable[Annotation]) -> dict:
    """An AnnotationCollection of the annotations, in the order given, ready for json.dump."""
    items = [web_annotation_item(ann) for ann in annotations]
    # Exactly the DESIGN.md shape (scripts compare it), so no "@context" key.
    return {"type": "AnnotationCollection", "total": len(items), "items": items}
