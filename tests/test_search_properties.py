"""Corpus search (tui.core.search) against a brute-force scan (hypothesis).

Random articles of a small alphabet chosen to be awkward (Turkish dotted and
dotless i, final sigma, combining accents, punctuation, odd white space):
every query finds exactly the kept lines a slow scan finds, its highlights
start where words start, and a phrase taken from a kept line is found in it.

Every search here runs over a real cache: articles are written to a corpus
folder and read in with ``update_cache``, notes are saved by the real store
and synced with ``sync_notes`` (see ``tests/cached_corpus.py``). A
paragraph is a line the cleaner kept; every offset is in the article's
source text.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.cached_corpus import CachedCorpus
from tests.search_corpus import cached
from tui.core.search.query import fold, parse_query

# --- properties: the search against a brute-force scan ------------------------------------------

LETTERS = "aAbBsSİıΣσς1é_\u0301\u0308"
WORD_CHARS = st.sampled_from(list(LETTERS))
words = st.text(WORD_CHARS, min_size=1, max_size=3)
#: What goes between words: spaces and other white space, punctuation, nothing.
GAPS = st.sampled_from([" ", "  ", "\t", "\u00a0", ", ", ". ", "'", "-", "[", "] ", ""])
SUFFIX = " was reported by officials on Monday."


@st.composite
def lines(draw) -> str:
    """A line of the alphabet's words; mostly made sentence-like, so the cleaner keeps many of them."""
    parts = draw(st.lists(st.tuples(words, GAPS), min_size=1, max_size=8))
    line = "".join(word + gap for word, gap in parts).strip()
    return line + draw(st.sampled_from([SUFFIX, SUFFIX, ""]))


texts = st.lists(st.one_of(lines(), st.just("")), min_size=1, max_size=8).map("\n".join)


def is_word_char(char: str) -> bool:
    """A letter, digit or "_", or a combining mark (the accent of a decomposed letter, which the word goes on through)."""
    return char.isalnum() or char == "_" or unicodedata.combining(char) != 0


def occurs(text: str, folded: str, start: int, end: int, term: str) -> bool:
    """Whether ``term`` occurs in ``text[start:end]`` where a word starts, its words apart by white space only."""
    parts = fold(term).split()
    for i in range(start, end):
        if is_word_char(parts[0][0]) and i > 0 and is_word_char(text[i - 1]):
            continue
        j, found = i, True
        for n, part in enumerate(parts):
            if n:
                if j >= end or not folded[j].isspace():
                    found = False
                    break
                while j < end and folded[j].isspace():
                    j += 1
            if not (folded.startswith(part, j) and j + len(part) <= end):
                found = False
                break
            j += len(part)
        if found:
            return True
    return False


def brute_force(corpus: CachedCorpus, terms: list[str]) -> set[tuple[str, int, int]]:
    """The kept lines of every read article where every term occurs, found the slow way."""
    found: set[tuple[str, int, int]] = set()
    if not terms:
        return found
    for rel in corpus.read_rels():
        text = corpus.source(rel)
        folded = fold(text)
        for start, end in corpus.kept_lines(rel):
            if all(occurs(text, folded, start, end, term) for term in terms):
                found.add((rel, start, end))
    return found


@settings(max_examples=150, deadline=None)
@given(st.lists(texts, min_size=1, max_size=3), st.data())
def test_search_finds_exactly_the_paragraphs_a_brute_force_scan_finds(articles: list[str], data) -> None:
    # Words of the texts themselves (often cut to a prefix), so that many queries have hits.
    present = sorted({word[:cut] for word in re.findall(r"\w+", " ".join(articles)) for cut in (1, 2, len(word))})
    own = st.sampled_from(present) if present else words
    terms = data.draw(
        st.lists(st.one_of(own, words, st.lists(st.one_of(own, words), min_size=2, max_size=3).map(lambda ws: '"' + " ".join(ws) + '"')),
                 min_size=1, max_size=3)
    )
    query = " ".join(terms)
    with tempfile.TemporaryDirectory() as folder:
        corpus = CachedCorpus(Path(folder))
        try:
            corpus.write_all((f"{n}.txt", text) for n, text in enumerate(articles) if text.strip())
            corpus.update()
            result = corpus.search(query, limit=1000)
            assert result.exact and result.total == len(result.hits)
            assert {(hit.path, hit.start, hit.end) for hit in result.hits} == brute_force(corpus, parse_query(query))
            folded_terms = [" ".join(fold(term).split()) for term in parse_query(query)]
            for hit in result.hits:
                text = corpus.source(hit.path)
                assert hit.kind == "text" and hit.matches
                for s, e in hit.matches:
                    assert hit.start <= s < e <= hit.end
                    assert s == 0 or not (is_word_char(text[s - 1]) and is_word_char(text[s]))
                    # Overlapping matches of different terms are merged, so a span starts with one of them.
                    assert any(" ".join(fold(text[s:e]).split()).startswith(term) for term in folded_terms)
                assert "\n" not in hit.context
                s, e = hit.context_matches[0]  # the first match is always whole in the context
                assert any(" ".join(fold(hit.context[s:e]).split()).startswith(term) for term in folded_terms)
        finally:
            corpus.close()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["gas", "Gas", "talks", "Ankara", "ankara's", "x"]), min_size=1, max_size=8),
                min_size=1, max_size=4),
       st.lists(st.sampled_from([" ", "  ", "\t", " \u00a0 "]), min_size=1, max_size=8), st.data())
def test_a_phrase_from_a_kept_line_is_found_in_it(paras, gaps, data) -> None:
    built = ["".join(w + gaps[i % len(gaps)] for i, w in enumerate(words_)).strip() + SUFFIX for words_ in paras]
    text = "\n\n".join(built) + "\n"
    which = data.draw(st.integers(0, len(paras) - 1))
    first = data.draw(st.integers(0, len(paras[which]) - 1))
    phrase = paras[which][first : first + data.draw(st.integers(1, 3))]
    with tempfile.TemporaryDirectory() as folder:
        corpus = cached(Path(folder), ("p.txt", text))
        try:
            target = (text.index(built[which]), text.index(built[which]) + len(built[which]))
            assume(target in corpus.kept_lines("p.txt"))
            result = corpus.search('"' + " ".join(phrase) + '"', limit=1000)
            assert target in [(hit.start, hit.end) for hit in result.hits]
            for hit in result.hits:
                for s, e in hit.matches:
                    # Each merged span is one or more whole copies of the phrase, with any white space between words.
                    assert " ".join(text[s:e].split()).lower().startswith(" ".join(phrase).lower())
        finally:
            corpus.close()
