"""Search across the corpus: article text and annotation notes.

A query is a list of terms, words or "quoted phrases" (:func:`parse_query`).
A term matches, case-insensitively, where a word starts: ``russia`` finds
"Russia's" and "Russian" but not "Belarussia"; a phrase matches its words in
order with any white space between them, never across a blank line. An
article's paragraph (a run of non-blank lines, as in
:func:`tui.core.passages.paragraphs`) is a hit when every term occurs in it;
an annotation is a hit when every term occurs in its note.

:class:`SearchIndex` keeps, for each article, its text folded to lower case
(:func:`fold`, one character for one, so offsets in the folded copy are
offsets in the text) and an inverted index from each word to the articles
holding it. A search looks its terms' words up in the sorted vocabulary (a
word is a prefix of the words it matches), intersects the articles, and runs
the terms' regular expressions only on those candidates, in corpus order,
until enough hits are found. Pure Python: no Textual, no Rich.
"""

from __future__ import annotations

import re
import threading
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from tui.core.folding import fold
from tui.core.passages import paragraphs

__all__ = ["Hit", "SearchIndex", "SearchResult", "fold", "parse_query"]

Span = tuple[int, int]

#: Counting stops after the article in which the hit count reaches this many
#: (or ``limit``, if larger): a word found in every article would otherwise
#: have every article read to say how many times.
TOTAL_CAP = 1000
#: New postings are packed after this many articles (see ``SearchIndex._postings``).
PACK_EVERY = 128
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

    ``start``/``end`` are offsets into the article's cleaned text of the
    passage to open: the paragraph for a ``"text"`` hit, the annotated span
    for a ``"note"`` hit. ``matches`` are the term matches inside that
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


class _Term:
    """A query term ready to match folded text."""

    def __init__(self, term: str) -> None:
        folded = fold(term)
        #: The words to look up in the index: each starts a word in any text the term matches.
        self.words = _WORD.findall(folded)
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


def _words(folded: str) -> set[str]:
    """The distinct words of a folded text: what the index files an article under."""
    return set(_WORD.findall(folded))


def _is_word_char(char: str) -> bool:
    """Whether ``char`` is a word character, exactly as ``\\w`` decides."""
    return char.isalnum() or char == "_"


@dataclass
class _Article:
    """An indexed article; ``order`` is its place in the corpus, ``starts`` its paragraphs' starts."""

    order: int
    path: str
    title: str
    text: str
    folded: str
    paragraphs: tuple[Span, ...]  # tuples: the garbage collector stops walking them
    starts: tuple[int, ...]


@dataclass(frozen=True)
class _Note:
    """An annotation's note and the span of the article it is about."""

    annotation_id: str
    start: int
    end: int
    note: str
    folded: str


# A hit before it becomes a Hit: (start, end, matches, note or None). Only
# the hits returned are given a context line; the others are only counted.
_Found = tuple[int, int, tuple[Span, ...], _Note | None]


class SearchIndex:
    """An inverted index of the corpus's cleaned texts and notes.

    Safe to use from several threads: a lock makes each call atomic, so a
    search may run while a worker is still adding articles (it sees those
    added so far).
    """

    def __init__(self) -> None:
        self._articles: dict[str, _Article] = {}
        self._by_order: dict[int, _Article] = {}
        self._notes: dict[str, list[_Note]] = {}
        # Word -> the articles (by order) holding it, packed as C ints in a
        # bytearray. Not a list or set per word: with 350,000 words for 10,000
        # articles, that many containers made each full garbage collection a
        # 300 ms freeze of the reader, while the collector never walks byte
        # buffers. New postings wait in short lists and are packed in batches.
        self._postings: dict[str, bytearray] = {}
        self._pending: dict[str, list[int]] = {}
        self._pending_articles = 0
        self._vocabulary: list[str] | None = []  # sorted words of the index; None when stale
        self._next_order = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """The number of articles indexed."""
        return len(self._articles)

    def add_article(self, path: str, title: str, text: str) -> None:
        """Index an article's cleaned text; an article already at ``path`` is replaced, keeping its place."""
        folded = fold(text)
        words = _words(folded)
        paras = paragraphs(text)
        with self._lock:
            old = self._articles.get(path)
            if old:
                order = old.order
                old_words = _words(old.folded)
                self._unpost(order, old_words - words)
                self._post(order, words - old_words)
            else:
                order = self._next_order
                self._next_order += 1
                self._post(order, words)
            article = _Article(order, path, title, text, folded, tuple(paras), tuple(s for s, _ in paras))
            self._articles[path] = article
            self._by_order[order] = article

    def set_notes(self, path: str, notes: list[tuple[str, int, int, str]]) -> None:
        """Replace the notes of the article at ``path``: ``(annotation_id, start, end, note)``.

        ``start``/``end`` are offsets into the article's cleaned text. Notes
        may be set before the article is added; they are searched once it is.
        """
        kept = [_Note(aid, start, end, note, fold(note)) for aid, start, end, note in notes if note.strip()]
        with self._lock:
            if kept:
                self._notes[path] = kept
            else:
                self._notes.pop(path, None)

    def remove(self, path: str) -> None:
        """Forget the article at ``path`` and its notes (nothing happens if it is not indexed)."""
        with self._lock:
            self._notes.pop(path, None)
            article = self._articles.pop(path, None)
            if article:
                del self._by_order[article.order]
                self._unpost(article.order, _words(article.folded))

    def _post(self, order: int, words: set[str]) -> None:
        for word in words:
            pending = self._pending.get(word)
            if pending is None:
                self._pending[word] = [order]
                if word not in self._postings:
                    self._vocabulary = None
            else:
                pending.append(order)
        self._pending_articles += 1
        if self._pending_articles >= PACK_EVERY:
            self._pack()

    def _pack(self) -> None:
        """Move the pending postings into the packed ones."""
        for word, orders in self._pending.items():
            posting = self._postings.get(word)
            if posting is None:
                posting = self._postings[word] = bytearray()
            posting += array("i", orders).tobytes()  # in place: a frequent word is not copied at each pack
        self._pending.clear()
        self._pending_articles = 0

    def _unpost(self, order: int, words: set[str]) -> None:
        self._pack()
        for word in words:
            posting = array("i")
            posting.frombytes(self._postings[word])
            posting.remove(order)
            if posting:
                self._postings[word] = bytearray(posting.tobytes())
            else:
                del self._postings[word]
                self._vocabulary = None

    def search(self, query: str, limit: int = 200) -> SearchResult:
        """The hits of ``query`` (see :func:`parse_query`), at most ``limit``, in corpus order.

        Articles come in the order they were first added; within an article,
        hits come by position, a paragraph before a note that starts with it.
        """
        terms = [_Term(term) for term in parse_query(query)]
        if not terms:
            return SearchResult(query, [], 0, 0)
        with self._lock:
            by_term = sorted(((self._candidates(term), term) for term in terms), key=lambda pair: len(pair[0]))
            in_text = set.intersection(*(candidates for candidates, _ in by_term))
            # The rarest term first: verifying it rules out most paragraphs.
            terms = [term for _, term in by_term]
            noted = self._noted(terms)
            order = sorted(in_text | {self._articles[path].order for path in noted})
            hits: list[Hit] = []
            total = articles = 0
            cap = max(limit, TOTAL_CAP)
            for index, number in enumerate(order):
                article = self._by_order[number]
                found = self._text_hits(article, terms) if number in in_text else []
                found += self._note_hits(article, terms, noted.get(article.path, []))
                if not found:
                    continue
                found.sort(key=lambda item: (item[0], item[3] is not None))
                total += len(found)
                articles += 1
                hits.extend(_hit(article, item, terms) for item in found[: max(0, limit - len(hits))])
                if total >= cap and index + 1 < len(order):
                    return SearchResult(query, hits, total, articles, exact=False)
            return SearchResult(query, hits, total, articles)

    def _candidates(self, term: _Term) -> set[int]:
        """The articles holding a word starting with each of ``term``'s words."""
        self._pack()
        if self._vocabulary is None:
            self._vocabulary = sorted(self._postings)
        vocabulary = self._vocabulary
        found: set[int] | None = None
        for word in term.words:
            first = bisect_left(vocabulary, word)
            # Every key starting with `word` sorts between `word` and `word` + the highest character.
            last = bisect_right(vocabulary, word + "\U0010ffff", first)
            having = set().union(*(memoryview(self._postings[key]).cast("i") for key in vocabulary[first:last]))
            found = having if found is None else found & having
            if not found:
                break
        return found or set()

    def _noted(self, terms: list[_Term]) -> dict[str, list[_Note]]:
        """The notes, by article path, that hold every term (articles not indexed are left out)."""
        noted: dict[str, list[_Note]] = {}
        for path, notes in self._notes.items():
            if path in self._articles:
                matching = [note for note in notes if all(term.spans(note.folded) for term in terms)]
                if matching:
                    noted[path] = matching
        return noted

    def _text_hits(self, article: _Article, terms: list[_Term]) -> list[_Found]:
        """The paragraphs of ``article`` that hold every term, with all the terms' matches in each."""
        folded, paras, starts = article.folded, article.paragraphs, article.starts
        # Paragraph index -> matches, from the first term over the whole text ...
        by_paragraph: dict[int, list[Span]] = {}
        for span in terms[0].spans(folded):
            by_paragraph.setdefault(bisect_right(starts, span[0]) - 1, []).append(span)
        # ... then each further term only inside the paragraphs still in the running.
        for term in terms[1:]:
            for index in list(by_paragraph):
                spans = term.spans(folded, *paras[index])
                if spans:
                    by_paragraph[index].extend(spans)
                else:
                    del by_paragraph[index]
        return [(*paras[index], _merge(spans), None) for index, spans in by_paragraph.items()]

    def _note_hits(self, article: _Article, terms: list[_Term], notes: list[_Note]) -> list[_Found]:
        """The notes that matched, with the terms' matches inside each annotated span."""
        found: list[_Found] = []
        for note in notes:
            # Offsets come from the store; keep them inside this text whatever happened to it.
            start = min(max(note.start, 0), len(article.text))
            end = min(max(note.end, start), len(article.text))
            spans = [span for term in terms for span in term.spans(article.folded, start, end)]
            found.append((start, end, _merge(spans), note))
        return found


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    """``spans`` sorted, with overlapping or touching spans joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def _hit(article: _Article, found: _Found, terms: list[_Term]) -> Hit:
    """A :class:`Hit` with its context line: from the paragraph, or from the note."""
    start, end, matches, note = found
    if note is None:
        context, context_matches = _context(article.text, start, end, matches)
        return Hit(article.path, article.title, "text", start, end, matches, context, context_matches)
    note_matches = _merge([span for term in terms for span in term.spans(note.folded)])
    context, context_matches = _context(note.note, 0, len(note.note), note_matches)
    return Hit(article.path, article.title, "note", start, end, matches, context, context_matches, note.annotation_id)


def _context(text: str, start: int, end: int, matches: tuple[Span, ...]) -> tuple[str, tuple[Span, ...]]:
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
