"""How the reader's article list is ordered and filtered: plain functions over what each row holds.

The list holds, for each article, its title (folded once, on first need),
its facts (date, outlet, … as ``dossier list`` merges them), its annotation
count and tags. :func:`order` sorts it one of :data:`SORTS` ways;
:class:`ListFilter` splits a filter expression (:mod:`tui.core.filtering`)
into what the list answers at once from memory (fields, tags, titles) and
what it asks the corpus index for (words and phrases in the text). Kept
apart from the widget so that both can be tested without a terminal, and
so that a keystroke over 100,000 rows stays a loop over plain values.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from tui.core.folding import fold

if TYPE_CHECKING:  # the filter's parser is imported when a filter is typed: not in the first screen's time
    from tui.core.filtering import Term

#: The list's orders, in the order the sort key cycles through them.
SORTS = ("position", "date", "title", "outlet", "annotations")
#: How the list's title names each order ("" for the corpus's own order).
SORT_LABELS = {"position": "", "date": "by date", "title": "by title", "outlet": "by outlet", "annotations": "by annotations"}


class Listed(Protocol):
    """What the list holds of one article."""

    @property
    def rel(self) -> str:
        """The article's path in the corpus."""

    @property
    def title(self) -> str:
        """Its title as shown (its path until it is read)."""

    @property
    def folded_title(self) -> str:
        """The title folded with :func:`tui.core.folding.fold`."""

    @property
    def facts(self) -> Mapping[str, str]:
        """Its attributes by key, as ``Facts.values()`` gives them."""

    @property
    def notes(self) -> int:
        """How many annotations it has."""

    @property
    def tags(self) -> tuple[str, ...]:
        """The tags of its annotations, each once."""


def next_sort(sort: str) -> str:
    """The order after ``sort`` in :data:`SORTS` (after the last: the first again)."""
    return SORTS[(SORTS.index(sort) + 1) % len(SORTS)] if sort in SORTS else SORTS[0]


def shown_date(value: str | None) -> str:
    """A date as the list shows it: the day, month or year it has (``2016-12-20``, ``2016-12``, ``2016``), no time."""
    return (value or "")[:10]


def order(entries: Sequence[Listed], sort: str) -> list[int]:
    """The entries' indices in the order ``sort`` (one of :data:`SORTS`) puts them.

    Dates run oldest first, titles and outlets alphabetically (folded, so
    case and accents do not split them), annotation counts most first.
    Articles without a date or an outlet come last; ties keep the corpus's
    order (the sorts are stable). One key per entry and one sort: O(n log n).
    """
    if sort == "date":
        return _known_first(entries, lambda e: e.facts.get("date") or None)
    if sort == "outlet":
        return _known_first(entries, lambda e: fold(source) if (source := e.facts.get("source")) else None)
    if sort == "title":
        titles = [e.folded_title for e in entries]
        return sorted(range(len(entries)), key=titles.__getitem__)
    if sort == "annotations":
        counts = [-e.notes for e in entries]
        return sorted(range(len(entries)), key=counts.__getitem__)
    return list(range(len(entries)))


def _known_first(entries: Sequence[Listed], key: Callable[[Listed], str | None]) -> list[int]:
    """Indices of the entries with a key, sorted by it, then those without one in their own order."""
    keys = [key(e) for e in entries]
    known = [i for i, k in enumerate(keys) if k is not None]
    known.sort(key=lambda i: keys[i] or "")
    return known + [i for i, k in enumerate(keys) if k is None]


class _View:
    """An article as a filter term sees it (a :class:`~tui.core.filtering.Filterable`), made of one value.

    A term that reads one attribute, or the tags, gives the same answer for
    the same value: it is asked once per value met, not once per article.
    The text is not in memory (only the index answers for it), so
    ``contains`` is never true; field terms never ask it.
    """

    __slots__ = ("facts", "tags", "title")

    def __init__(self, title: str = "", facts: Mapping[str, str] | None = None, tags: Sequence[Collection[str]] = ()) -> None:
        self.title = title
        self.facts: Mapping[str, str] = facts or {}
        self.tags = tags

    def contains(self, folded: str) -> bool:
        """Never: words in the text are the index's to find."""
        return False


def _passing(term: Term, entries: Sequence[Listed], indices: list[int]) -> list[int]:
    """The indices whose entries pass ``term``, in their order; its test runs once per distinct value it reads."""
    if term.needs == "facts" and term.key:
        key = term.key
        values = [entries[i].facts.get(key) for i in indices]
        answers = {v: term.matches(_View(facts={} if v is None else {key: v})) for v in set(values)}
        return [i for i, v in zip(indices, values, strict=True) if answers[v]]
    if term.needs == "tags":
        # ``untagged`` means no annotation at all, ``tag:`` any annotation's tag: the union of tags answers both.
        held = [entries[i].tags if entries[i].notes else None for i in indices]
        by_tags = {h: term.matches(_View(tags=() if h is None else (h,))) for h in set(held)}
        return [i for i, h in zip(indices, held, strict=True) if by_tags[h]]
    return [i for i in indices if term.matches(_View(entries[i].title, entries[i].facts))]


@dataclass(frozen=True)
class ListFilter:
    """A filter expression as the list applies it.

    ``fields`` are the terms the list tests on each entry in memory
    (``source:``, ``date:``, ``tag:``, ``untagged``, ``title:``, any
    ``KEY:value``, and their negations); ``words`` are the folded words and
    phrases an article must hold in its title or its text, ``unwords``
    those it must not. The text is the index's to answer: until it has,
    words are looked for in titles only.
    """

    text: str = ""  # the expression as typed
    fields: tuple[Term, ...] = ()
    words: tuple[str, ...] = ()
    unwords: tuple[str, ...] = ()

    @classmethod
    def of(cls, text: str) -> ListFilter:
        """The filter written in ``text``; raises :class:`~tui.core.filtering.FilterError` (one line) if it cannot be read."""
        from tui.core.filtering import parse

        terms = parse(text).terms
        return cls(
            text,
            tuple(t for t in terms if t.needs != "text"),
            tuple(t.needle for t in terms if t.needs == "text" and not t.negated),
            tuple(t.needle for t in terms if t.needs == "text" and t.negated),
        )

    def __bool__(self) -> bool:
        """An empty filter shows every article."""
        return bool(self.fields or self.words or self.unwords)

    @property
    def index_query(self) -> str:
        """The words and phrases as a query for the corpus index (``""``: none)."""
        return " ".join(_as_query(word) for word in self.words)

    @property
    def unword_queries(self) -> list[str]:
        """One index query for each word or phrase an article must not hold."""
        return [_as_query(word) for word in self.unwords]

    def select(
        self,
        entries: Sequence[Listed],
        ordered: Sequence[int],
        matched: Collection[str] | None = None,
        excluded: Collection[str] = (),
    ) -> list[int]:
        """The indices of ``ordered`` (into ``entries``) whose entries pass, in that order.

        ``matched``: the articles whose title or text holds every word, as
        the index answered (None until it has: titles only); ``excluded``:
        those whose text holds a word they must not.
        """
        if not self:
            return list(ordered)
        words, unwords = self.words, self.unwords
        extra = matched if matched is not None else ()
        if len(words) == 1 and not unwords and not self.fields:  # the usual filter, one word: kept as tight as it was
            word = words[0]
            return [i for i in ordered if word in entries[i].folded_title or entries[i].rel in extra]
        kept = list(ordered)
        for term in self.fields:  # first: a field narrows 100,000 articles fastest (one test per value)
            kept = _passing(term, entries, kept)
        if words:
            kept = [i for i in kept if entries[i].rel in extra or all(w in entries[i].folded_title for w in words)]
        if unwords:
            kept = [i for i in kept if entries[i].rel not in excluded and not any(w in entries[i].folded_title for w in unwords)]
        return kept


def _as_query(word: str) -> str:
    """A folded word or phrase as the index's query language writes it."""
    return f'"{word}"' if any(c.isspace() for c in word) else word
