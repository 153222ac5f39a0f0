"""The tag vocabulary: default tags, the rules a tag must follow, and the vocabulary of a folder.

The vocabulary lives in the notes folder (the `tags` table of the main
file); ``Vocabulary`` applies these rules when it adds, renames, recolours
or removes a tag, and the store when an annotation names one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, MutableMapping
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

from tinydb import Query, TinyDB

from .files import ReadOnlyError, StoreError, now

if TYPE_CHECKING:
    from .articles import ArticleFiles


class TagError(StoreError):
    """A tag name, colour or key is invalid, unknown, taken or still in use."""


@dataclass(frozen=True)
class Tag:
    """One tag of the vocabulary: its name, display colour and shortcut key ('' for none)."""

    name: str
    colour: str
    key: str


DEFAULT_TAGS = (
    Tag("security", "#d9534f", "1"),
    Tag("energy", "#f0ad4e", "2"),
    Tag("Syria", "#5cb85c", "3"),
    Tag("diplomacy", "#5bc0de", "4"),
)

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})|[a-z_]+")


def check_name(name: str) -> str:
    """The name, if it can be a tag: non-empty, one line, no surrounding spaces."""
    if not name or name != name.strip() or "\n" in name or len(name) > 40:
        raise TagError(f"invalid tag name {name!r}: use 1-40 characters on one line, without surrounding spaces")
    return name


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
        return [Tag(d["name"], d["colour"], d["key"]) for d in self._tags.all()]

    def resolve(self, names: Iterable[str]) -> list[str]:
        """The vocabulary's spelling of each name (see the module function ``resolve``)."""
        return resolve(self.all(), list(names))

    def add(self, name: str, colour: str, key: str | None = None) -> Tag:
        """Add a tag; `key` defaults to the first free digit or letter."""
        self._writable()
        tags = self.all()
        check_name(name)
        if any(t.name.casefold() == name.casefold() for t in tags):
            raise TagError(f"tag {name!r} already exists")
        tag = Tag(name, check_colour(colour), check_key(free_key(tags) if key is None else key, tags))
        self._tags.insert(asdict(tag))
        return tag

    def edit(self, name: str, *, colour: str | None = None, key: str | None = None) -> Tag:
        """Change a tag's colour and/or shortcut key."""
        self._writable()
        tag = self.get(name)
        changes = {}
        if colour is not None:
            changes["colour"] = check_colour(colour)
        if key is not None:
            changes["key"] = check_key(key, self.all(), keep=tag.name)
        self._tags.update(changes, Query().name == tag.name)
        return replace(tag, **changes)

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
        replacement = {old.name: asdict(new) for old, new in zip(tags, order, strict=True)}

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
        if new is None:
            self._tags.remove(Query().name == old)
        else:
            self._tags.update({"name": new}, Query().name == old)
        self._meta.update({"pending": None}, doc_ids=[1])
        return changed
