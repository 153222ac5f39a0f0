"""Reading damaged notes files: every JSON object that still parses, wherever it is, sorted by shape.

Used by ``salvage.py`` (repair) and ``repair.py`` (doctor's count of what a
``.corrupt-*`` copy still holds).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .files import Doc, now
from .schema1 import readable


@dataclass
class Found:
    """What could be read from a damaged file, sorted by shape, in file order."""

    annotations: list[Doc] = field(default_factory=list)  # either schema's documents, as they were
    tags: list[Doc] = field(default_factory=list)
    entries: list[Doc] = field(default_factory=list)  # index entries {key, path, sha256}
    headers: list[Doc] = field(default_factory=list)  # article headers {path, sha256}
    overrides: list[Doc] = field(default_factory=list)
    attributes: list[Doc] = field(default_factory=list)  # the analyst's attribute edits {attribute, value, updated}
    memos: list[Doc] = field(default_factory=list)  # {memo, updated}
    schemas: list[object] = field(default_factory=list)  # the "schema" of each meta document


def _sort(obj: object, found: Found, depth: int = 0) -> None:
    """File a parsed object by its shape, then look inside it (a table, the whole file, a damaged
    document that swallowed the next ones) for more."""
    if isinstance(obj, list) and depth < 16:
        for value in obj:
            _sort(value, found, depth + 1)
    if not isinstance(obj, dict) or depth >= 16:
        return
    if isinstance(obj.get("id"), str) and ("target" in obj or "quote" in obj):
        found.annotations.append(obj)
    elif isinstance(obj.get("name"), str) and isinstance(obj.get("colour"), str):
        found.tags.append(obj)
    elif isinstance(obj.get("key"), str) and isinstance(obj.get("path"), str) and isinstance(obj.get("sha256"), str):
        found.entries.append(obj)
    elif isinstance(obj.get("path"), str) and isinstance(obj.get("sha256"), str):
        found.headers.append(obj)
    elif isinstance(obj.get("line"), int) and isinstance(obj.get("keep"), bool) and isinstance(obj.get("text"), str):
        found.overrides.append(obj)
    elif isinstance(obj.get("attribute"), str) and obj["attribute"] and isinstance(obj.get("value"), str):
        found.attributes.append({"attribute": obj["attribute"], "value": obj["value"], "updated": str(obj.get("updated") or now())})
    elif isinstance(obj.get("memo"), str):
        found.memos.append({"memo": obj["memo"], "updated": str(obj.get("updated") or now())})
    elif "schema" in obj:
        found.schemas.append(obj["schema"])
    for key, value in obj.items():
        if key not in ("target", "article"):  # an annotation's own parts are not documents of their own
            _sort(value, found, depth + 1)


def _unique(docs: list[Doc]) -> list[Doc]:
    """The documents without repeats (the scan below meets a document inside its table and on its own), in order."""
    seen: set[str] = set()
    kept = []
    for doc in docs:
        key = json.dumps(doc, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            kept.append(doc)
    return kept


#: Strings (which may hold braces) and brackets, as a JSON scanner sees them; a string stops at a line's end.
_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]]')
#: Our documents nest four levels deep; an object holding more than this is damage or an attack.
_NESTING = 32


def _candidates(text: str) -> list[int]:
    """Where an object that could still parse starts: a ``{`` that is closed, holding at most _NESTING levels.

    One pass with a stack of open brackets, so that a file of 100,000 nested
    brackets costs one pass rather than 100,000 parses that each give up at
    the recursion limit (which took nine seconds).
    """
    stack: list[tuple[int, str]] = []
    deep = 0  # the levels of the stack below this one hold more than _NESTING levels
    starts = []
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "{[":
            stack.append((match.start(), token))
            deep = max(deep, len(stack) - _NESTING)
        elif token in "}]" and stack:
            level = len(stack) - 1
            start, opener = stack.pop()
            if level < deep:
                deep = level
            elif opener == "{":
                starts.append(start)
    return sorted(starts)


def found_in(path: Path) -> Found:
    """Every object that still parses in a damaged file, sorted by shape; nothing from what is not a regular file.

    The whole file is parsed if it can be; otherwise every ``{`` starts an
    attempt, inside objects that parsed too (a damaged document can swallow
    the next ones, or hide them in a string). The store writes one document
    per line and schema 1 wrote them indented, so in both a damaged byte
    costs the document around it, not the file.
    """
    found = Found()
    if not path.is_file():  # a folder, a FIFO, a device behind a link: nothing to read, and reading could hang
        return found
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return found
    decoder = json.JSONDecoder()
    try:
        _sort(json.loads(text), found)
        return found
    except (ValueError, RecursionError):
        pass
    for at in _candidates(text):
        try:
            obj, _ = decoder.raw_decode(text, at)
        except (ValueError, RecursionError):
            continue
        _sort(obj, found)
    for kind in ("annotations", "tags", "entries", "headers", "overrides", "attributes", "memos"):
        setattr(found, kind, _unique(getattr(found, kind)))
    return found


def readable_annotations(path: Path) -> list[Doc]:
    """The annotations that can be read from a file of any schema (today's shape; offsets maybe guessed)."""
    found = found_in(path)
    where = next((h["path"] for h in found.headers), None)
    return [doc for doc, _ in filter(None, (readable(a, None if "quote" in a else where) for a in found.annotations))]


