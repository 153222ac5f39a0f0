"""The tag vocabulary: default tags, the rules a tag must follow, and the vocabulary of a folder.

The vocabulary lives in the notes folder (the `tags` table of the main
file); ``Vocabulary`` applies these rules when it adds, renames, recolours,
describes, merges or removes a tag, and the store when an annotation names one.

It is a codebook: each tag may carry a description (its coding rule), and
names with a ``/`` form a hierarchy (``energy/pipelines`` is a child of
``energy``; :mod:`tui.core.tag_tree` holds the rules). A tag's record on
disk is ``{"name", "colour", "key"}`` plus ``"description"`` only when it
has one, so folders written before descriptions existed read unchanged, and
an older Dossier still reads a folder written by this one (it ignores the field).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from tinydb import Query, TinyDB

from tui.core.tag_tree import SEPARATOR

from .files import ReadOnlyError, StoreError, is_text, now

if TYPE_CHECKING:
    from .articles import ArticleFiles


class TagError(StoreError):
    """A tag name, colour or key is invalid, unknown, taken or still in use."""


@dataclass(frozen=True)
class Tag:
    """One tag of the vocabulary: its name, display colour, shortcut key ('' for none) and description ('' for none).

    The description is the tag's coding rule: when a passage gets the tag.
    The reader's number keys follow the vocabulary's order (the first tag is
    1), so ``key`` is the key a codebook file asked for, kept for the file's sake.
    """

    name: str
    colour: str
    key: str
    description: str = ""


def record(tag: Tag) -> dict[str, str]:
    """The tag as stored in the ``tags`` table: the description only when there is one (old folders have none)."""
    doc = {"name": tag.name, "colour": tag.colour, "key": tag.key}
    if tag.description:
        doc["description"] = tag.description
    return doc


def from_record(doc: Any) -> Tag:
    """A stored tag; a description that is not text (a damaged or foreign file) reads as none."""
    description = doc.get("description", "")
    return Tag(doc["name"], doc["colour"], doc["key"], description if isinstance(description, str) else "")


DEFAULT_TAGS = (
    Tag("security", "#d9534f", "1"),
    Tag("energy", "#f0ad4e", "2"),
    Tag("Syria", "#5cb85c", "3"),
    Tag("diplomacy", "#5bc0de", "4"),
)

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})|[a-z_]+")


#: The longest description a tag may have, in characters: a coding rule, not an essay.
DESCRIPTION_LIMIT = 4000


def check_name(name: str) -> str:
    """The name, if it can be a tag: one line, each ``/``-separated level 1-40 characters without surrounding spaces."""
    levels = name.split(SEPARATOR)
    if "\n" in name or len(levels) > 5 or any(not level or level != level.strip() or len(level) > 40 for level in levels):
        raise TagError(
            f"invalid tag name {name!r}: use 1-40 characters on one line, without surrounding spaces "
            "(a child tag: parent/child, up to 5 levels)"
        )
    return name


def check_description(description: str) -> str:
    """The description, if a tag can hold it: Unicode text of at most 4000 characters; line ends made \\n, ends trimmed."""
    if not is_text(description):
        raise TagError("invalid description: it is not valid Unicode text (it holds a lone surrogate)")
    text = description.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > DESCRIPTION_LIMIT:
        raise TagError(f"description too long: {len(text)} characters, at most {DESCRIPTION_LIMIT}")
    return text


def check_colour(colour: str) -> str:
    """The colour, if it is #rgb, #rrggbb or a colour name such as 'red'."""
    if not _COLOUR.fullmatch(colour):
        raise TagError(f"invalid colour {colour!r}: use #rrggbb, #rgb or a colour name")
    return colour


def check_key(key: str, tags: list[Tag], keep: str | None = None) -> str:
    """The shortcut key, if it is one character (or '') not used by another tag than `keep`."""
    if len(key) > 1 or key.isspace():
        raise TagError(f"invalid key {key!r}: use one character, or none")
    taken = next((t.name for t in tags if key and t.key == key and t.name != keep), None)
    if taken:
        raise TagError(f"key {key!r} is already used by tag {taken!r}")
    return key


def find(tags: list[Tag], name: str) -> Tag | None:
    """The tag called `name`; failing that, the only one whose name matches ignoring case."""
    exact = next((t for t in tags if t.name == name), None)
    if exact:
        return exact
    folded = [t for t in tags if t.name.casefold() == name.casefold()]
    return folded[0] if len(folded) == 1 else None


def resolve(tags: list[Tag], names: list[str] | tuple[str, ...]) -> list[str]:
    """The vocabulary's spelling of each name, without repeats; TagError listing known tags if one is unknown."""
    resolved: list[str] = []
    for name in names:
        tag = find(tags, name)
        if tag is None:
            known = ", ".join(t.name for t in tags) or "none"
            raise TagError(f"unknown tag {name!r}; known tags: {known}")
        if tag.name not in resolved:
            resolved.append(tag.name)
    return resolved


def free_key(tags: list[Tag]) -> str:
    """The first digit or letter no tag uses yet, '' if all are taken."""
    used = {t.key for t in tags}
    return next((k for k in "123456789abcdefghijklmnopqrstuvwxyz" if k not in used), "")


class Vocabulary:
    """The tag vocabulary of a notes folder: its order, colours and keys.

    Owns the ``tags`` table of the main file. Renaming or removing a tag
    rewrites every article file that uses it; the operation is first
    recorded in the main file's meta document, so that a crash half way is
    finished on the next open instead of leaving tags half renamed.
    """

    def __init__(self, main: TinyDB, files: ArticleFiles, read_only: str | None) -> None:
        """``read_only``: why the notes cannot be written (None if they can)."""
        self._tags = main.table("tags")
        self._meta = main.table("meta")
        self._files = files
        self._read_only = read_only

    def _writable(self) -> None:
        if self._read_only is not None:
            raise ReadOnlyError(self._read_only)

    def all(self) -> list[Tag]:
        """The tags in their order: as added, unless moved (``move``)."""
        return [from_record(d) for d in self._tags.all()]

    def resolve(self, names: Iterable[str]) -> list[str]:
        """The vocabulary's spelling of each name (see the module function ``resolve``)."""
        return resolve(self.all(), list(names))

    def add(self, name: str, colour: str, key: str | None = None, description: str = "") -> Tag:
        """Add a tag; `key` defaults to the first free digit or letter."""
        self._writable()
        tags = self.all()
        check_name(name)
        if any(t.name.casefold() == name.casefold() for t in tags):
            raise TagError(f"tag {name!r} already exists")
        key = check_key(free_key(tags) if key is None else key, tags)
        tag = Tag(name, check_colour(colour), key, check_description(description))
        self._tags.insert(record(tag))
        return tag

    def edit(self, name: str, *, colour: str | None = None, key: str | None = None, description: str | None = None) -> Tag:
        """Change a tag's colour, shortcut key and/or description ('' removes the description)."""
        self._writable()
        tag = self.get(name)
        new = tag
        if colour is not None:
            new = replace(new, colour=check_colour(colour))
        if key is not None:
            new = replace(new, key=check_key(key, self.all(), keep=tag.name))
        if description is not None:
            new = replace(new, description=check_description(description))
        stored = record(new)

        def rewrite(doc: MutableMapping[str, Any]) -> None:
            doc.clear()  # a removed description leaves no field behind: the record keeps the old shape
            doc.update(stored)

        self._tags.update(rewrite, Query().name == tag.name)
        return new

    def move(self, name: str, position: int) -> Tag:
        """Put a tag at ``position`` (0 is first, clamped to the end); the others keep their order.

        The reader's number keys follow this order. The table is rewritten
        in one write: its documents keep their ids and take the contents of
        the tags in their new order, so a crash leaves the old order or the
        new one, never a table short of a tag.
        """
        self._writable()
        tag = self.get(name)
        tags = self.all()
        order = [t for t in tags if t.name != tag.name]
        order.insert(min(max(0, position), len(order)), tag)
        replacement = {old.name: record(new) for old, new in zip(tags, order, strict=True)}

        def reorder(doc: MutableMapping[str, Any]) -> None:
            new = replacement[doc["name"]]
            doc.clear()
            doc.update(new)

        self._tags.update(reorder)
        return tag

    def usage(self, name: str) -> int:
        """How many annotations carry the tag (reads every article file)."""
        tag = self.get(name)
        return sum(file.annotations.count(Query().tags.any([tag.name])) for file in self._files.all())

    def rename(self, old: str, new: str) -> int:
        """Rename a tag; every annotation follows. Returns how many annotations changed."""
        self._writable()
        tag = self.get(old)
        check_name(new)
        clash = find(self.all(), new)
        if clash and clash.name != tag.name:
            raise TagError(f"tag {new!r} already exists")
        return self._run_pending({"op": "rename", "old": tag.name, "new": new})

    def merge(self, source: str, into: str) -> int:
        """Merge the tag ``source`` into ``into``: its annotations get ``into`` instead, and ``source`` leaves the vocabulary.

        An annotation that had both keeps ``into`` once, and every annotation
        keeps its other tags. Returns how many annotations changed. Like a
        rename, it is recorded first and finished on the next open after a crash.
        """
        self._writable()
        tag, target = self.get(source), self.get(into)
        if tag.name == target.name:
            raise TagError(f"cannot merge tag {tag.name!r} into itself")
        return self._run_pending({"op": "merge", "old": tag.name, "new": target.name})

    def remove(self, name: str, *, force: bool = False) -> int:
        """Remove a tag from the vocabulary and from every annotation; returns how many it touched.

        A tag still in use is only removed with force=True; otherwise TagError
        says how many annotations carry it.
        """
        self._writable()
        tag = self.get(name)
        used = self.usage(tag.name)
        if used and not force:
            raise TagError(f"tag {tag.name!r} is used by {used} annotation(s); confirm to remove it from them")
        return self._run_pending({"op": "remove", "old": tag.name, "new": None})

    def get(self, name: str) -> Tag:
        """The tag called `name` (see `find`), or TagError listing the known ones."""
        tags = self.all()
        found = find(tags, resolve(tags, [name])[0])
        assert found is not None  # resolve raised if there was none
        return found

    def _run_pending(self, op: dict[str, Any]) -> int:
        """Record a tag operation, then carry it out."""
        self._meta.update({"pending": op}, doc_ids=[1])
        return self.finish_pending()

    def finish_pending(self) -> int:
        """Carry out a recorded tag operation (idempotent); returns how many annotations changed."""
        meta = self._meta.get(doc_id=1)
        op = meta.get("pending") if isinstance(meta, dict) else None
        if not op:
            return 0
        old, new, stamp = op["old"], op["new"], now()

        def retag(doc: MutableMapping[str, Any]) -> None:
            tags = [new if t == old else t for t in doc["tags"] if t != old or new is not None]
            doc["tags"], doc["updated"] = list(dict.fromkeys(tags)), stamp

        changed = 0
        for file in self._files.all():
            # One write per article file, whatever the number of annotations in it.
            changed += len(file.annotations.update(retag, Query().tags.any([old])))
        if new is None or op.get("op") == "merge":
            self._tags.remove(Query().name == old)
        else:
            self._tags.update({"name": new}, Query().name == old)
        self._meta.update({"pending": None}, doc_ids=[1])
        return changed
