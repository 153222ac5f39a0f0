"""The filter expression shared by the reader's ``/`` filter, ``dossier list --filter`` and ``dossier export --filter``.

An expression is terms separated by spaces; an article passes when every
term does (an empty expression passes every article):

====================  ===================================================================
``pipeline``          a word in the title or the text (folded: ``istanbul`` finds
                      "İstanbul", ``cafe`` "café"; ``pipe`` finds "pipeline")
``"gas deal"``        the phrase, as one string
``title:meridian``    a word in the title only
``source:tass``       the outlet holds "tass" (folded); ``source:"The World"`` with quotes
``author:`` ``url:``  the same, for the author and the URL
``lang:ru``           the language is Russian (``ru-RU`` is ``ru`` too)
``date:2019``         published in 2019; also ``date:2019-03``, ``date:2019-03-05``,
                      ``date:2019..2020``, ``date:..2018``, ``date:2020..``,
                      ``date:2019-03..2019-06-15``
``tag:energy``        at least one annotation tagged energy or a child of it (energy/pipelines), any case
``tag:(EXPR)``        the article's tags, all its annotations' together, satisfy the tag
                      expression (:mod:`tui.core.tag_expression`):
                      ``tag:(security AND (Syria OR energy) AND NOT diplomacy)``
``untagged``          no annotation at all
``KEY:value``         any other attribute (``section:energy``), as ``source:``
``-TERM``             negation: ``-source:tass``, ``-untagged``, ``-"gas deal"``
====================  ===================================================================

A date matches when the article's whole date lies in the range: an
article dated only ``2019`` is not in ``date:2019-03`` (nobody knows that
it is), so ``-date:2019-03`` passes it. An article without the attribute a
field asks about never passes the field, so it passes its negation. Other names of the five attributes work as fields (``outlet:``,
``language:``). A quote left open runs to the end (the reader filters as
the analyst types). The word ``untagged`` itself is searched as
``"untagged"``.

``tag:(…)`` runs to its closing parenthesis, spaces and all (an open one
runs to the end). It asks about the article, not about one passage:
``tag:(security AND energy)`` is an article with both tags, on one passage
or two, like ``tag:security tag:energy``; the reader's ``F`` and
``dossier export --where`` ask the same expression of each annotation.

:func:`parse` raises :class:`FilterError` with one line naming the term
(``date:20x9: not a date or range``) and nothing else, whatever the text.
:meth:`Expression.matches` needs an article only through the small
:class:`Filterable` protocol, so the reader's list, the command line and a
cache can each give it what they hold (:class:`Subject` is the plain one).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from tui.core.facts import canonical_key, normalise_language
from tui.core.folding import fold
from tui.core.tag_expression import TagExpressionError
from tui.core.tag_expression import parse as parse_tags
from tui.core.tag_tree import tag_matches


class FilterError(ValueError):
    """The expression cannot be read; the message is one line naming the term and why."""


class Filterable(Protocol):
    """What the filter needs of an article."""

    @property
    def title(self) -> str:
        """The article's title."""

    @property
    def facts(self) -> Mapping[str, str]:
        """Its attributes by key (``Facts.values()``): ``date``, ``source``, … and any other."""

    @property
    def tags(self) -> Sequence[Collection[str]]:
        """The tags of each of its annotations, one collection per annotation."""

    def contains(self, folded: str) -> bool:
        """Whether its text, folded with :func:`tui.core.folding.fold`, holds ``folded``."""


@dataclass(frozen=True)
class Subject:
    """A :class:`Filterable` made of plain values; the text is folded once, when it is first searched."""

    title: str
    text: str = ""
    facts: Mapping[str, str] = field(default_factory=dict)
    tags: Sequence[Collection[str]] = ()
    _folded: list[str] = field(default_factory=list, init=False, repr=False, compare=False)

    def contains(self, folded: str) -> bool:
        """Whether the folded text holds ``folded``."""
        if not self._folded:
            self._folded.append(fold(self.text))
        return folded in self._folded[0]


# --- terms -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One term of an expression: what it tests, whether it is negated, and how it was written."""

    written: str
    negated: bool
    test: Callable[[Filterable], bool] = field(compare=False, repr=False)
    needs: str = "text"  # what the test reads: "text", "title", "facts" or "tags"
    needle: str = ""  # a word or phrase term's folded text (the reader's list matches it on titles and its index)
    key: str = ""  # the one attribute a "facts" term reads (the reader's list tests each value it meets once)

    def matches(self, article: Filterable) -> bool:
        """Whether the article passes this term (its test, or its test's negation)."""
        return self.test(article) != self.negated


@dataclass(frozen=True)
class Expression:
    """A parsed filter: its terms, all of which an article must pass."""

    text: str
    terms: tuple[Term, ...] = ()

    def matches(self, article: Filterable) -> bool:
        """Whether the article passes every term."""
        return all(term.matches(article) for term in self.terms)

    def __bool__(self) -> bool:
        """An expression with no term filters nothing out."""
        return bool(self.terms)

    @property
    def needs(self) -> frozenset[str]:
        """What its terms read ("text", "title", "facts", "tags"): a caller computes only what is asked for."""
        return frozenset(term.needs for term in self.terms)


# A term: an optional minus, an optional field name and colon, then a value, quoted or bare.
_TOKEN = re.compile(
    r"""(?P<minus>-)?(?:(?P<key>[^\W\d_][\w-]*):)?(?:["“”](?P<quoted>[^"“”]*)(?:["“”]|$)|(?P<bare>[^\s"“”]*))""",
)
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
# A field followed by an opening parenthesis: ``tag:(`` (and ``-tag:(``) starts a tag expression.
_GROUP = re.compile(r"(?P<minus>-)?(?P<key>[^\W\d_][\w-]*):\(")


def parse(text: str) -> Expression:
    """The expression written in ``text``; :class:`FilterError` (one line) if a term cannot be read."""
    terms: list[Term] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            break
        group = _GROUP.match(text, position)
        if group is not None and canonical_key(group["key"]) == "tag":
            end = _closing(text, group.end() - 1)
            terms.append(_tag_expression(text, position, group.end() - 1, end, group["minus"] is not None))
            position = end
            continue
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:  # a stray quote mark or the like: a word of its own
            end = position + 1
            while end < len(text) and not text[end].isspace():
                end += 1
            terms.append(_words(text[position:end], text[position:end], False))
            position = end
            continue
        position = match.end()
        term = _term(match)
        if term is not None:
            terms.append(term)
    return Expression(text, tuple(terms))


def _term(match: re.Match[str]) -> Term | None:
    """One token of the expression as a term; None for an empty pair of quotes, which asks for nothing."""
    written = " ".join(match.group().split())
    negated = match["minus"] is not None
    quoted = match["quoted"]
    value = quoted if quoted is not None else match["bare"]
    key = match["key"]
    if key is None:
        if not value and not negated:
            return None
        if not value:
            raise FilterError(f"{_shown(written)}: a minus needs a term after it")
        if quoted is None and value.casefold() == "untagged":
            return Term(written, negated, lambda a: not a.tags, "tags")
        return _words(written, value, negated)
    name = canonical_key(key)
    if name == "untagged":
        raise FilterError(f"{_shown(written)}: untagged takes no value (write untagged, or -untagged)")
    if not value.strip():
        raise FilterError(f'{_shown(written)}: needs a value ({key}:word, or {key}:"two words")')
    if name == "date":
        return _date_term(written, value, negated)
    if name == "tag":
        wanted = value.strip()
        # A parent matches its children too: tag:energy finds energy/pipelines (tui.core.tag_tree).
        return Term(written, negated, lambda a: any(tag_matches(t, wanted) for tags in a.tags for t in tags), "tags")
    if name == "title":
        needle = fold(value.strip())
        return Term(written, negated, lambda a: needle in fold(a.title), "title")
    if name == "language":
        code = normalise_language(value)
        return Term(written, negated, lambda a: normalise_language(a.facts.get("language") or "") == code, "facts", key="language")
    needle = fold(" ".join(value.split()))

    def holds(article: Filterable) -> bool:
        held = article.facts.get(name)
        return held is not None and needle in fold(held)

    return Term(written, negated, holds, "facts", key=name)


def _closing(text: str, opening: int) -> int:
    """Where the parenthesis at ``opening`` is closed (the index after it), skipping quoted names; else the end."""
    depth, i = 0, opening
    while i < len(text):
        c = text[i]
        if c == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


def _tag_expression(text: str, start: int, opening: int, end: int, negated: bool) -> Term:
    """``tag:(EXPR)`` from ``start`` to ``end``: the article's tags together satisfy EXPR."""
    written = " ".join(text[start:end].split())
    try:
        expression = parse_tags(text[opening:end])
    except TagExpressionError as error:  # said at its place in the whole filter, not in the parentheses
        raise FilterError(f"{_shown(written)}: {error.moved(opening)}") from None

    def holds(article: Filterable) -> bool:
        return expression.matches({tag for tags in article.tags for tag in tags})

    return Term(written, negated, holds, "tags")


def _words(written: str, value: str, negated: bool) -> Term:
    """A word or phrase that must be in the title or the text."""
    needle = fold(value)
    return Term(written, negated, lambda a: needle in fold(a.title) or a.contains(needle), "text", needle)


# --- dates -------------------------------------------------------------------------------------


def _date_term(written: str, value: str, negated: bool) -> Term:
    """``date:`` with a year, month or day, or a range of them with ``..`` and open ends."""
    start_text, dots, end_text = value.strip().partition("..")
    if dots and not start_text and not end_text:
        raise FilterError(f"{_shown(written)}: not a date or range")
    try:
        start = _period(start_text)[0] if start_text else date.min
        end = _period(end_text if dots else start_text)[1] if (end_text or not dots) else date.max
    except ValueError:
        raise FilterError(f"{_shown(written)}: not a date or range") from None
    if end < start:
        raise FilterError(f"{_shown(written)}: the range ends before it starts")

    def within(article: Filterable) -> bool:
        written_date = article.facts.get("date")
        if not written_date:
            return False
        try:
            first, last = _period(written_date[:10])
        except ValueError:
            return False
        return start <= first and last <= end

    return Term(written, negated, within, "facts", key="date")


def _period(text: str) -> tuple[date, date]:
    """The first and last day of a year, month or day written as ISO 8601 (``2019``, ``2019-03``, ``2019-03-05``).

    Raises ValueError for anything else.
    """
    match = _DATE.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    year, month, day = int(match[1]), match[2], match[3]
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if day is None:
        last = calendar.monthrange(year, int(month))[1] if 1 <= int(month) <= 12 else 0
        return date(year, int(month), 1), date(year, int(month), last)
    one = date(year, int(month), int(day))
    return one, one


def _shown(written: str) -> str:
    """A term as an error message quotes it: one line, at most 40 characters."""
    one = " ".join(written.split())
    return one if len(one) <= 40 else one[:39] + "…"
