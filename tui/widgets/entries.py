"""What the article list holds of each article: ``Entry``, and ``Entries``, every article's entry made when first wanted.

A corpus of 100,000 articles is listed before its first screen from the
file names alone. Making 100,000 ``Entry`` objects then took 30-40 ms of
the first screen, for rows that are not drawn: ``Entries`` holds the names
and makes an article's entry when it is first read (drawn, filtered,
sorted), and keeps it, since entries are changed in place (counts, tags,
facts). The cache's rows replace the placeholders as they are read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import cast, overload

from tui.core.folding import fold

NO_FACTS: Mapping[str, str] = MappingProxyType({})  # shared by every entry whose article says nothing about itself


@dataclass(slots=True)
class Entry:
    """One article as the list shows it; ``title`` is the file name until the article is read.

    The list holds one for every article of the corpus (100,000 of them),
    so it has slots, not a ``__dict__``, and shares what articles have in
    common: ``NO_FACTS``, and the facts and tags that ``list_facts`` makes
    once for all the articles that have the same.
    """

    rel: str
    title: str
    words: int | None = None
    notes: int = 0
    tags: tuple[str, ...] = ()
    warning: str = ""  # the cleaner could not keep much of it: a mark says so
    facts: Mapping[str, str] = field(default_factory=lambda: NO_FACTS)  # date, source, … as ``dossier list`` merges them
    _folded: str | None = field(default=None, repr=False, compare=False)

    @property
    def folded_title(self) -> str:
        """The title folded for the filter: made on the first filter, not for each of 100,000 rows at start."""
        if self._folded is None:
            self._folded = fold(self.title)
        return self._folded


class Entries(Sequence[Entry]):
    """The list's entries, in the corpus's order; a placeholder (title: the file name) is made when first read."""

    __slots__ = ("_made", "_rels")

    def __init__(self, entries: list[Entry] | None = None, *, rels: list[str] | None = None) -> None:
        """``entries`` as they are, or a placeholder for each path of ``rels`` (made when first read)."""
        self._rels = rels
        self._made: list[Entry | None] = list(entries) if entries is not None else [None] * len(rels or ())

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> list[Entry]: ...

    def __getitem__(self, index: int | slice) -> Entry | list[Entry]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        entry = self._made[index]
        if entry is None:
            assert self._rels is not None  # only placeholders are made later
            rel = self._rels[index]
            entry = self._made[index] = Entry(rel, rel)
        return entry

    def __setitem__(self, index: int, entry: Entry) -> None:
        self._made[index] = entry

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.every())

    def every(self) -> list[Entry]:
        """Every entry as a plain list, the placeholders made now (once): for a loop over all of them.

        A filter keystroke or a sort reads all 100,000 entries: through
        ``__getitem__`` that took three times as long as a list (35 ms, not 11).
        """
        rels = self._rels
        if rels is not None:
            self._made = [Entry(rels[i], rels[i]) if entry is None else entry for i, entry in enumerate(self._made)]
            self._rels = None
        return cast("list[Entry]", self._made)  # (none is left to make)

    def rels(self) -> list[str]:
        """Every entry's path, in order, without making the placeholders."""
        rels = self._rels
        if rels is None:
            return [entry.rel for entry in self.every()]
        return [rels[i] if entry is None else entry.rel for i, entry in enumerate(self._made)]
