"""The search's query language, what a hit is, and how a term is matched in text.

A query is a list of terms, words or "quoted phrases" (:func:`parse_query`).
A term matches, case-insensitively and ignoring accents (:func:`fold`),
where a word starts: ``russia`` finds "Russia's" and "Russian" but not
"Belarussia"; a phrase matches its words in order with any white space
between them, never across a blank line. A paragraph of an article's
cleaned text is a hit when every term occurs in it; an annotation is a hit
when every term occurs in its note. :mod:`tui.core.search.corpus` finds the
candidates in the cache's full-text index and checks them here, so the
offsets of every match are exact. Pure Python: no Textual, no Rich.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tui.core.folding import fold

__all__ = ["Hit", "SearchResult", "Term", "fold", "parse_query"]

Span = tuple[int, int]

#: Counting stops after the article in which the hit count reaches this many
#: (or ``limit``, if larger): a word found in every article would otherwise
#: have every article read to say how many times.
TOTAL_CAP = 1000
#: The width of a hit's context line, in characters, and how much of it comes
#: before the first match.
CONTEXT_WIDTH = 100
CONTEXT_BEFORE = 30

_WORD = re.compile(r"\w+")
_QUERY_TERM = re.compile(r'"([^"]*)"?|(\S+)')
# White space between the words of a phrase: any run that holds no blank
# line, so a phrase never matches across two paragraphs.
_GAP = r"(?:[^\S\n]+\n?|\n)[^\S\n]*"
_WHITESPACE = re.compile(r"\s")


def parse_query(query: str) -> list[str]:
    """The terms of ``query``: its words and its "quoted phrases", in order.

    White space inside a phrase becomes one space; an unclosed quote runs to
    the end of the query. A term without a letter or digit (``--``, ``"…"``)
    is left out: it could match anywhere, so it narrows nothing. A blank
    query has no terms.
    """
    terms = []
    for match in _QUERY_TERM.finditer(query):
        term = " ".join((match.group(1) if match.group(2) is None else match.group(2)).split())
        if _WORD.search(term) and term not in terms:
            terms.append(term)
    return terms


@dataclass(frozen=True)
class Hit:
    """One place a query matched: a paragraph of an article, or an annotation's note.

    ``start``/``end`` are offsets into the article's source text (as every
    annotation's are) of the passage to open: the paragraph for a ``"text"``
    hit, the annotated span for a ``"note"`` hit. ``matches`` are the term matches inside that
    passage (empty for a note hit whose terms are only in its note);
    ``context`` is one line around the first match, with ``context_matches``
    the matches inside it.
    """

    path: str
    title: str
    kind: str
    start: int
    end: int
    matches: tuple[Span, ...]
    context: str
    context_matches: tuple[Span, ...]
    annotation_id: str | None = None


@dataclass(frozen=True)
class SearchResult:
    """The hits of a query, at most ``limit`` of them, in corpus order.

    ``total`` counts hits and ``articles`` the articles holding them. Both
    are exact when ``exact`` is true; otherwise counting stopped after the
    article where the count reached :data:`TOTAL_CAP` (or ``limit``), and
    they are lower bounds.
    """

    query: str
    hits: list[Hit]
    total: int
    articles: int
    exact: bool = True


class Term:
    """A query term ready to match folded text."""

    def __init__(self, term: str) -> None:
        folded = fold(term)
        #: The words to look up in the index: each starts a word in any text the term matches.
        self.words = _index_words(folded)
        # A plain pattern (no flags, no look-behind) keeps the regex engine's
        # fast literal-prefix scan; the word-start test is done on each match.
        self.pattern = re.compile(_GAP.join(re.escape(word) for word in folded.split()))
        self.at_word_start = _is_word_char(folded[0])

    def spans(self, folded: str, start: int = 0, end: int | None = None) -> list[Span]:
        """Where the term matches in ``folded[start:end]``, each at a word start."""
        end = len(folded) if end is None else end
        spans = []
        pos = start
        while match := self.pattern.search(folded, pos, end):
            s = match.start()
            if self.at_word_start and s > 0 and _is_word_char(folded[s - 1]):
                pos = s + 1  # inside a word: a match may still start later within it
                continue
            spans.append(match.span())
            pos = match.end()
        return spans


def _is_word_char(char: str) -> bool:
    """Whether ``char`` continues a word: a ``\\w`` character, or a combining mark.

    A combining mark (the accent of a decomposed "é", U+0301) is not ``\\w``,
    but the full-text index keeps it inside its word: a letter after one
    does not start a word, or the index would not have it as a candidate.
    """
    return char.isalnum() or char == "_" or (not char.isascii() and unicodedata.combining(char) != 0)


def _index_words(text: str) -> list[str]:
    """The words of ``text`` as the full-text index cuts them: runs of word characters and combining marks."""
    words, word = [], []
    for char in text:
        if _is_word_char(char):
            word.append(char)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return words


def merge(spans: list[Span]) -> tuple[Span, ...]:
    """``spans`` sorted, with overlapping or touching spans joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def context_line(text: str, start: int, end: int, matches: tuple[Span, ...]) -> tuple[str, tuple[Span, ...]]:
    """One line of about :data:`CONTEXT_WIDTH` characters of ``text[start:end]`` around the first match.

    Cuts fall between words where they can and are marked with "…". Each
    white-space character becomes one space, so offsets shift only by the
    leading "…".
    """
    first = matches[0] if matches else (start, start)
    lo = max(start, first[0] - CONTEXT_BEFORE)
    while lo > start and lo < first[0] and not text[lo - 1].isspace():
        lo += 1  # do not begin inside a word
    while lo < first[0] and text[lo].isspace():
        lo += 1
    hi = min(end, max(lo + CONTEXT_WIDTH, first[1]))
    if hi < end:
        cut = hi
        while cut > first[1] and not text[cut].isspace():
            cut -= 1  # do not end inside a word
        if text[cut].isspace():
            hi = cut
    while hi > first[1] and text[hi - 1].isspace():
        hi -= 1
    prefix = "…" if lo > start else ""
    suffix = "…" if hi < end else ""
    line = prefix + _WHITESPACE.sub(" ", text[lo:hi]) + suffix
    shift = len(prefix) - lo
    inside = tuple((max(s, lo) + shift, min(e, hi) + shift) for s, e in matches if s < hi and e > lo)
    return line, inside


def fts_match(terms: list[Term], column: str | None = None, spelled: dict[str, list[str]] | None = None) -> str:
    """The full-text query that finds every text a list of terms can match (and perhaps a few more).

    Each term becomes a phrase of its words whose last word is a prefix:
    the index splits text into words as ``\\w`` does, so whatever a term's
    pattern matches is such a phrase. The candidates are then checked with
    the patterns, which are exact. ``spelled`` names, for a last word, every
    word of the index it starts (one or more): the phrase becomes one phrase
    per such word, which the index finds the same texts for without a
    prefix query.
    """
    phrases = []
    for term in terms:
        *head, last = term.words
        whole = None if spelled is None else spelled.get(last)
        if whole is None:
            phrases.append('"' + " ".join(term.words) + '"*')
        else:
            phrases.append("(" + " OR ".join('"' + " ".join([*head, word]) + '"' for word in whole) + ")")
    joined = " AND ".join(phrases)
    return f"{column} : ({joined})" if column else joined
