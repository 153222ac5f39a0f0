"""Search over a whole corpus as the reader shows it, answered from the cache, in source offsets.

The cache's full-text index (SQLite FTS5 over each article's folded
cleaned text, and over the notes) names the articles and notes that may
hold every term (for the texts, a term's last word, a prefix, is asked as
the index's words it starts: see ``_SPELLED_OUT``); each is then checked
with the terms' patterns (:class:`~tui.core.search.query.Term`), the
likely rarest term over the whole text and the others in the paragraphs it
matched in, so a hit's offsets are exact. A paragraph of the cleaned text
is one kept line, so a match's offset in the line plus the line's start is
its offset in the article's source text, the offsets every annotation uses.

Notes can be searched for some analysts only (blind coding): each note row
of the cache names its analyst, and the others' rows are left out by the
query, so the counts are of the notes searched.

Articles are read in the index's order (the corpus's, for files read in
one go; a file added later comes after them) until :data:`TOTAL_CAP` hits
are counted, so a word found in every article costs a few hundred articles'
checks, not the corpus's. The hits are then sorted into the list's order.
"""

from __future__ import annotations

import re
import sqlite3
import struct
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import NamedTuple

from tui.core.cache.analyse import cleaned_text, unpack_spans
from tui.core.cache.corpus_cache import READ, CorpusCache
from tui.core.cache.database import from_db
from tui.core.cleaned import PARAGRAPH_SEPARATOR, OffsetMap
from tui.core.search.query import TOTAL_CAP, Hit, SearchResult, Term, context_line, fold, fts_match, merge, parse_query

Span = tuple[int, int]

# A term's last word is a prefix ("pip" finds "pipeline"), and FTS5 answers a prefix query
# by merging the positions of every word the prefix starts, in every article, before its
# first row: 45 ms for "mini" (minister, ministry) at 100,000 articles, 250 ms for "a",
# however few rows the search then reads. The index's vocabulary names those words, a seek
# each (well under a millisecond), and a query for them whole reads only the rows it
# returns. A prefix of more words than this keeps the prefix query (they are mostly rare
# words, whose merge is cheaper than their seeks).
_SPELLED_OUT = 32
_VOCABULARY = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.text_words USING fts5vocab(main, 'text_index', 'instance')"
_NEXT_WORD = "SELECT term FROM temp.text_words WHERE term >= ? LIMIT 1"
# Words the index's tokenizer reads back as themselves, whatever its Unicode tables: for any
# other, what it would make of the word is not ours to tell, and the prefix query stays.
# Both the prefix and every word it is spelled out as must be plain.
_PLAIN_WORD = re.compile(r"[0-9a-z_]+")


class _Paragraph(NamedTuple):
    """A kept line that holds every term, before it becomes a :class:`Hit` (only the listed ones do).

    A named tuple: a search makes one for each of up to :data:`TOTAL_CAP` hits, and a tuple is the cheapest to make.
    """

    rel: str
    title: str
    text: str  # the article's cleaned text
    start: int  # the line in the cleaned text
    end: int
    source: Span  # the line in the source text
    matches: tuple[Span, ...]  # in the cleaned text

    def hit(self) -> Hit:
        context, context_matches = context_line(self.text, self.start, self.end, self.matches)
        shift = self.source[0] - self.start  # cleaned offset -> source offset, within this line
        source = tuple((s + shift, e + shift) for s, e in self.matches)
        return Hit(self.rel, self.title, "text", *self.source, source, context, context_matches)


@dataclass
class _Article:
    """An article with hits: its place in the list, and its hits by source offset."""

    position: int
    found: list[tuple[int, bool, _Paragraph | Hit]] = field(default_factory=list)  # (start, is a note, hit)


class CorpusSearch:
    """Search the cached corpus's cleaned texts and notes (any thread: each has its own connection)."""

    def __init__(self, cache: CorpusCache) -> None:
        self.cache = cache

    def __len__(self) -> int:
        """How many articles are read into the index so far (not those that cannot be read)."""
        found = self.cache.db.connect().execute("SELECT count(*) FROM files WHERE state = ?", (READ,)).fetchone()
        return int(found[0])

    def search(self, query: str, limit: int = 200, analysts: AbstractSet[str] | None = None) -> SearchResult:
        """The hits of ``query``, at most ``limit``, in the list's order (see the module's notes).

        ``analysts``: only these analysts' notes are searched (blind coding:
        the analyst's own), left out in the query itself so that the totals
        count no other note; None: every analyst's. The text is searched alike.
        """
        terms = [Term(term) for term in parse_query(query)]
        if not terms:
            return SearchResult(query, [], 0, 0)
        conn = self.cache.db.connect()
        cap = max(limit, TOTAL_CAP)
        articles: dict[str, _Article] = {}
        exact = self._text_hits(conn, terms, cap, articles)
        self._note_hits(conn, terms, articles, analysts)
        ordered = sorted(articles.values(), key=lambda article: article.position)
        found = [item for article in ordered for _, _, item in sorted(article.found, key=lambda f: f[:2])]
        hits = [item.hit() if isinstance(item, _Paragraph) else item for item in found[:limit]]
        return SearchResult(query, hits, len(found), len(ordered), exact)

    def matching(self, query: str) -> list[str]:
        """The paths, in the list's order, of the read articles whose title or text holds every term of ``query``.

        The list's filter: terms match where words start, as in a search,
        but anywhere in the article, not all in one paragraph.
        """
        terms = [Term(term) for term in parse_query(query)]
        if not terms:
            return []  # punctuation alone: nothing for the index to match (the titles may still hold it)
        conn = self.cache.db.connect()
        query_text = (
            "SELECT f.rel FROM text_index JOIN files f ON f.id = text_index.rowid WHERE text_index MATCH ? ORDER BY f.position"
        )
        return [from_db(rel) for (rel,) in conn.execute(query_text, (fts_match(terms),))]

    def _text_hits(self, conn: sqlite3.Connection, terms: list[Term], cap: int, articles: dict[str, _Article]) -> bool:
        """Add each candidate article's matching paragraphs until ``cap`` hits; False if it stopped early."""
        total = 0
        terms = sorted(terms, key=_rarity)  # the likely rarest first: it is the one looked for in the whole text
        match = _text_match(conn, terms)
        if match is None:
            return True  # a term no article holds
        rows = conn.execute(
            "SELECT f.rel, f.position, f.title, f.text, f.spans FROM text_index JOIN files f ON f.id = text_index.rowid"
            " WHERE text_index MATCH ? AND f.state = ? ORDER BY text_index.rowid",
            (match, READ),
        )
        for stored_rel, position, title, blob, spans in rows:
            if total >= cap:
                return False
            rel = from_db(stored_rel)
            found = _paragraphs(rel, title, cleaned_text(blob), spans, terms)
            if found:
                article = articles.get(rel)
                if article is None:
                    article = articles[rel] = _Article(position)
                article.found.extend([(p.source[0], False, p) for p in found])
                total += len(found)
        return True

    def _note_hits(
        self, conn: sqlite3.Connection, terms: list[Term], articles: dict[str, _Article], analysts: AbstractSet[str] | None,
    ) -> None:
        """Add each note (of ``analysts``, None: anyone's) that holds every term, with the terms' matches inside its passage."""
        names = [] if analysts is None else sorted(analysts)
        if analysts is not None and not names:
            return  # nobody's notes
        whose = f" AND r.analyst IN ({', '.join('?' * len(names))})" if names else ""
        rows = conn.execute(
            "SELECT r.annotation, r.path, r.start, r.end, r.note, f.position, f.title, f.text, f.spans"
            " FROM note_index JOIN note_rows r ON r.id = note_index.rowid JOIN files f ON f.rel = r.path"
            f" WHERE note_index MATCH ? AND f.state = ?{whose}",
            (fts_match(terms), READ, *names),
        )
        for annotation, stored_rel, start, end, note, position, title, blob, spans in rows:
            rel = from_db(stored_rel)
            folded_note = fold(note)
            note_matches = [span for term in terms for span in term.spans(folded_note)]
            if not all(term.spans(folded_note) for term in terms):
                continue
            context, context_matches = context_line(note, 0, len(note), merge(note_matches))
            matches = _passage_matches(cleaned_text(blob), unpack_spans(spans), start, end, terms)
            hit = Hit(rel, title, "note", start, end, matches, context, context_matches, annotation)
            articles.setdefault(rel, _Article(position)).found.append((start, True, hit))


def _text_match(conn: sqlite3.Connection, terms: list[Term]) -> str | None:
    """The text index's query for ``terms``, each last word spelled out where it can be; None: a term no article holds.

    The vocabulary and the query are read apart: a word that an article
    stored between the two brings in is found by the next search.
    """
    spelled: dict[str, list[str]] = {}
    try:
        conn.execute(_VOCABULARY)  # in this connection's temporary schema: nothing is written to the cache
        for last in dict.fromkeys(term.words[-1] for term in terms):
            words = _index_words(conn, last) if _PLAIN_WORD.fullmatch(last) else None
            if words == []:
                return None
            if words is not None:
                spelled[last] = words
    except sqlite3.OperationalError:
        # No temporary schema (its file has no folder to go in), or a write on a connection shared
        # with another thread (the in-memory cache) rolled it back: the prefix queries find the
        # same articles, only slower; a damaged index fails the query itself.
        spelled = {}
    return fts_match(terms, "body", spelled)


def _index_words(conn: sqlite3.Connection, prefix: str) -> list[str] | None:
    """The words of the text index that start with ``prefix``, in order.

    None: more than :data:`_SPELLED_OUT`, or one that is not a plain word
    (an accented ending): asked whole, the tokenizer might cut it otherwise.
    """
    words: list[str] = []
    after = prefix
    while (row := conn.execute(_NEXT_WORD, (after,)).fetchone()) is not None and row[0].startswith(prefix):
        if len(words) == _SPELLED_OUT or not _PLAIN_WORD.fullmatch(row[0]):
            return None
        words.append(row[0])
        after = row[0] + "\x01"  # the next word: no word holds a control character
    return words


def _paragraphs(rel: str, title: str, text: str, spans: bytes, terms: list[Term]) -> list[_Paragraph]:
    """The kept lines of an article that hold every term, with every term's matches in each.

    ``spans``: the kept lines' source spans as the cache packs them. The
    cleaned text is its kept lines joined by :data:`PARAGRAPH_SEPARATOR`,
    none of which holds a newline, and no match holds a blank line (see
    ``_GAP`` in :mod:`tui.core.search.query`), so a match's line is the run
    between the separators around it: the further terms are looked for in
    those lines only, and only a line that holds every term has its source
    span read.
    """
    folded = fold(text)
    first, *rest = terms
    lines: dict[int, tuple[int, list[Span]]] = {}  # a line's start in the cleaned text -> its end, its matches
    for span in first.spans(folded):  # the first term over the whole text ...
        before = folded.rfind(PARAGRAPH_SEPARATOR, 0, span[0])
        start = 0 if before < 0 else before + len(PARAGRAPH_SEPARATOR)
        if start in lines:
            lines[start][1].append(span)
        else:
            end = folded.find(PARAGRAPH_SEPARATOR, span[1])
            lines[start] = (len(folded) if end < 0 else end, [span])
    for term in rest:  # ... then each further term only in the lines still in the running
        for start, (end, found) in list(lines.items()):
            more = term.spans(folded, start, end)
            if more:
                found.extend(more)
            else:
                del lines[start]
    return [
        _Paragraph(rel, title, text, start, end, _line_span(spans, folded.count(PARAGRAPH_SEPARATOR, 0, start)), merge(found))
        for start, (end, found) in sorted(lines.items())
    ]


def _line_span(spans: bytes, index: int) -> Span:
    """The ``index``-th pair of :func:`~tui.core.cache.analyse.unpack_spans`, read alone (native int64s, as it packs them)."""
    start, end = struct.unpack_from("2q", spans, 16 * index)
    return start, end


def _rarity(term: Term) -> tuple[int, int]:
    """A sort key that puts first the terms likely to match least: more words, then more letters.

    The first term is looked for in the whole text, the others only in the
    lines it matched in; the hits are the same in any order.
    """
    return -len(term.words), -sum(map(len, term.words))


def _passage_matches(text: str, spans: list[Span], start: int, end: int, terms: list[Term]) -> tuple[Span, ...]:
    """The terms' matches inside the source span ``start:end``, where it is in the cleaned text."""
    offsets = OffsetMap(spans)
    inside = offsets.to_clean(start, end)
    if inside is None:
        return ()
    folded = fold(text)
    found = merge([span for term in terms for span in term.spans(folded, *inside)])
    return tuple((offsets.to_source(s), offsets.to_source(e)) for s, e in found)
