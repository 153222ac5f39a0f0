"""The first schema of a notes folder, read into today's shape.

Schema 1 kept everything in ``dossier.json``: one flat ``annotations`` table
of ``{id, path, sha256, start, end, quote, tag, note, created}``, a single tag
string per annotation, no context, no vocabulary and no overrides.

``convert`` turns such a file into today's main file and article files, in
memory: the migration writes them, and a read-only store (a folder it may
not write, ``dossier export``) reads them without writing anything. It is
strict: a document of the wrong shape stops it, naming the document.
``readable`` is its lenient twin for salvage: it takes whatever part of a
damaged document can still be placed.
"""

from __future__ import annotations

from typing import Any

from .files import SCHEMA_VERSION, Doc, StoreError, annotation_faults, check_table, is_text, now, path_key

V1_FIELDS: dict[str, type] = {"id": str, "path": str, "sha256": str, "start": int, "end": int, "quote": str, "created": str}


def is_schema1(data: Doc) -> bool:
    """Whether a parsed main file is of the first schema: a flat annotations table, no index, schema 1 (or none)."""
    meta = data.get("meta")
    first = next(iter(meta.values()), None) if isinstance(meta, dict) else None
    schema = first.get("schema", 1) if isinstance(first, dict) else 1
    return "annotations" in data and "articles" not in data and schema == 1


def _annotation(doc: Doc) -> Doc:
    """A schema-1 document (already checked) as today's annotation."""
    tags = [doc["tag"]] if isinstance(doc.get("tag"), str) and doc["tag"] else []
    return {
        "id": doc["id"], "article": {"path": doc["path"], "sha256": doc["sha256"]},
        "target": {"start": doc["start"], "end": doc["end"], "exact": doc["quote"], "prefix": "", "suffix": ""},
        "tags": tags, "note": doc["note"] if isinstance(doc.get("note"), str) else "",
        "created": doc["created"], "updated": doc["created"], "orphan": False,
    }


def convert(data: Doc, default_tags: list[Doc], name: str = "dossier.json") -> tuple[Doc, dict[str, Doc]]:
    """(main file, article files by key) of today's schema holding a schema-1 file's notes.

    Raises StoreError naming the first document that does not follow schema 1.
    """
    faults: list[str] = []
    check_table(data, "annotations", V1_FIELDS, faults)
    if faults:
        raise StoreError(f"{name}: wrong shape for schema 1: {faults[0]}")
    annotations = []
    for key, doc in data["annotations"].items():
        ann = _annotation(doc)
        problems = annotation_faults(ann)
        if problems:
            raise StoreError(f"{name}: wrong shape for schema 1: annotations/{key}: {problems[0]}")
        annotations.append(ann)
    return layout(annotations, default_tags, {"migrated_from": 1})


def layout(annotations: list[Doc], default_tags: list[Doc], meta: Doc | None = None) -> tuple[Doc, dict[str, Doc]]:
    """Today's main file and article files for a list of annotations (each naming its article).

    Tags are matched to the vocabulary ignoring case; a tag it lacks is added
    once, spelled as first seen, so ``SECURITY`` never stands beside ``security``.
    """
    spelling = {t["name"].casefold(): t["name"] for t in default_tags}
    extra = []
    shards: dict[str, Doc] = {}
    for ann in annotations:
        names = []
        for tag in ann["tags"]:
            if tag.casefold() not in spelling:
                spelling[tag.casefold()] = tag
                extra.append({"name": tag, "colour": "grey", "key": ""})
            names.append(spelling[tag.casefold()])
        ann = dict(ann, tags=list(dict.fromkeys(names)))
        article = dict(ann["article"])
        shard = shards.setdefault(article["path"], {"article": {"1": article}, "annotations": {}, "overrides": {}})
        shard["annotations"][str(len(shard["annotations"]) + 1)] = ann
    index = {}
    by_key = {}
    for n, (path, shard) in enumerate(sorted(shards.items()), 1):
        index[str(n)] = {"key": path_key(path), **shard["article"]["1"]}
        by_key[path_key(path)] = shard
    main = {
        "meta": {"1": {"schema": SCHEMA_VERSION, "created": now(), **(meta or {})}},
        "tags": {str(i): t for i, t in enumerate(default_tags + extra, 1)},
        "articles": index,
    }
    return main, by_key


def _clean(value: Any) -> Any:
    """A string without lone surrogates (each becomes U+FFFD), so that it follows the store's rules; other values as they are."""
    if not isinstance(value, str) or is_text(value):
        return value
    return "".join("\ufffd" if 0xD800 <= ord(char) <= 0xDFFF else char for char in value)


def _offsets(start: Any, end: Any, exact: str) -> tuple[int, int, bool]:
    """Offsets for a quote: the stored ones if they fit it, else (start or 0, start + len), flagged as guessed."""
    def valid(n: Any) -> bool:
        return isinstance(n, int) and not isinstance(n, bool) and 0 <= n < (1 << 31) - len(exact)

    if valid(start) and valid(end) and end - start == len(exact):
        return start, end, False
    begin = start if valid(start) else 0
    return begin, begin + len(exact), True


def readable(doc: Any, path: str | None = None) -> tuple[Doc, bool] | None:
    """Today's annotation from whatever can be read of a damaged document of either schema, or None.

    Readable means: an object with a non-empty string id and a non-empty
    quote (without its quote an annotation cannot be placed, and placing it
    anyway could put it on the wrong words). Everything else is taken if it
    has the right type and defaulted otherwise. The flag says the offsets
    were guessed, so the article must be re-anchored before they are trusted.
    `path` is the article the document's file belongs to, if known.
    """
    if not isinstance(doc, dict) or not isinstance(doc.get("id"), str) or not doc["id"]:
        return None
    target = doc.get("target")
    if isinstance(target, dict):  # today's schema
        exact, start, end = target.get("exact"), target.get("start"), target.get("end")
        raw_tags = doc.get("tags")
        article: Doc = doc["article"] if isinstance(doc.get("article"), dict) else {}
        where = path or article.get("path")
        prefix, suffix = target.get("prefix"), target.get("suffix")
        updated = doc.get("updated")
    else:  # schema 1
        exact, start, end = doc.get("quote"), doc.get("start"), doc.get("end")
        raw_tags = doc.get("tag")
        article = {"path": doc.get("path"), "sha256": doc.get("sha256")}
        where = path or article.get("path")
        prefix = suffix = updated = None
    if not isinstance(exact, str) or not exact or not isinstance(where, str):
        return None
    doc = {k: _clean(v) for k, v in doc.items()}
    exact = _clean(exact)
    prefix, suffix, updated = _clean(prefix), _clean(suffix), _clean(updated)
    raw_tags = [_clean(t) for t in raw_tags] if isinstance(raw_tags, list) else _clean(raw_tags)
    start, end, guessed = _offsets(start, end, exact)
    tags = raw_tags if isinstance(raw_tags, list) else [raw_tags]
    names = list(dict.fromkeys(t for t in tags if isinstance(t, str) and t))
    created = doc.get("created") if isinstance(doc.get("created"), str) else None
    stamp = created or (updated if isinstance(updated, str) else None) or now()
    sha = article.get("sha256") if isinstance(article.get("sha256"), str) else ""
    return {
        "id": doc["id"], "article": {"path": where, "sha256": sha},
        "target": {"start": start, "end": end, "exact": exact,
                   "prefix": prefix if isinstance(prefix, str) else "", "suffix": suffix if isinstance(suffix, str) else ""},
        "tags": names, "note": doc.get("note") if isinstance(doc.get("note"), str) else "",
        "created": stamp, "updated": updated if isinstance(updated, str) else stamp,
        "orphan": doc.get("orphan") is True,
    }, guessed
