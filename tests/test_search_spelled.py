"""Corpus search (tui.core.search.corpus): a prefix spelled out as the index's words, and paragraphs found around matches.

The text index is asked for the words a term's last word starts, a seek
each, instead of an FTS5 prefix query (which merges every such word's
positions in every article before its first row). The articles it returns
must be the prefix query's: each test here sets the spelled-out search
beside the prefix queries alone on the same cache, and every hit, offset,
count and context must be the same. A match's paragraph is found from the
paragraph separators around it; that is checked against each line looked
at in turn, on lines the cleaner would never make (empty, blank, accented).

Every search here runs over a real cache (see ``tests/cached_corpus.py``).
"""

from __future__ import annotations

import re
import tempfile
from array import array
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cached_corpus import CachedCorpus
from tests.search_corpus import cached
from tui.core.cleaned import PARAGRAPH_SEPARATOR
from tui.core.search import corpus as corpus_search
from tui.core.search.query import Term, fold, merge, parse_query

# Words that share prefixes, so that a prefix stands for one word, several, or none.
WORDS = ["pip", "pipe", "pipeline", "Pipelines", "minister", "ministry", "mini", "gas", "talks", "the", "then",
         "them", "a", "an", "and", "x_y", "1", "12", "120", "café", "Ankara", "ankara's", "straße"]
GAPS = [" ", " ", " ", ", ", ". ", "  ", "-", "\t", "\n"]
NO_WORD = re.compile(r"(?!)")


def prefix_queries_only():
    """The search as it was: every term's last word asked as an FTS5 prefix."""
    return mock.patch.object(corpus_search, "_PLAIN_WORD", NO_WORD)


def same(corpus: CachedCorpus, query: str, limit: int = 1000) -> None:
    """``query`` finds the same hits, counts and contexts with its prefixes spelled out as with prefix queries."""
    spelled = corpus.search(query, limit)
    with prefix_queries_only():
        assert corpus.search(query, limit) == spelled


def match_of(corpus: CachedCorpus, query: str) -> str | None:
    conn = corpus.cache.db.connect()
    return corpus_search._text_match(conn, [Term(term) for term in parse_query(query)])


ARTICLE = (
    "Pipeline talks resumed\n\nThe pipeline and the pipelines were discussed by the minister.\n\n"
    "A pip of an orange, a pipe and the ministry.\n"
)


# --- the query the index is asked ---------------------------------------------------------------


def test_a_prefix_is_spelled_out_as_the_words_of_the_index_it_starts(tmp_path) -> None:
    corpus = cached(tmp_path, ("a.txt", ARTICLE))
    assert match_of(corpus, "pip") == 'body : (("pip" OR "pipe" OR "pipeline" OR "pipelines"))'
    assert match_of(corpus, '"the pipe"') == 'body : (("the pipe" OR "the pipeline" OR "the pipelines"))'
    assert match_of(corpus, 'minis "the pip"') == (
        'body : (("minister" OR "ministry") AND ("the pip" OR "the pipe" OR "the pipeline" OR "the pipelines"))'
    )
    for query in ("pip", '"the pipe"', "pipelines", 'minis "the pip"', "orange pip", '"a pip"', "talks", "resumed"):
        same(corpus, query)
    corpus.close()


def test_a_word_no_article_starts_asks_nothing_of_the_texts_but_the_notes_are_searched(tmp_path) -> None:
    corpus = cached(tmp_path, ("a.txt", ARTICLE))
    assert match_of(corpus, "zanzibar") is None and match_of(corpus, "pipeline zanz") is None
    corpus.annotate("a.txt", "pipelines", note="the zanzibar route")
    result = corpus.search("zanzibar")
    assert [(hit.kind, hit.path) for hit in result.hits] == [("note", "a.txt")] and result.total == 1
    same(corpus, "zanzibar")
    same(corpus, "pipelines zanzibar")
    corpus.close()


def test_a_prefix_of_more_words_than_are_spelled_out_stays_a_prefix_query(tmp_path, monkeypatch) -> None:
    corpus = cached(tmp_path, ("a.txt", ARTICLE))
    monkeypatch.setattr(corpus_search, "_SPELLED_OUT", 3)
    assert match_of(corpus, "pip") == 'body : ("pip"*)'
    assert match_of(corpus, "pipel") == 'body : (("pipeline" OR "pipelines"))'
    same(corpus, "pip")
    corpus.close()


def test_a_word_the_tokenizer_may_read_otherwise_stays_a_prefix_query(tmp_path) -> None:
    corpus = cached(tmp_path, ("a.txt", "Die Straße nach Ankara war gesperrt, sagte die Polizei am Montag.\n"))
    assert match_of(corpus, "straß") == 'body : ("straß"*)'
    assert match_of(corpus, "stra") == 'body : ("stra"*)'  # a plain prefix of a word that is not
    assert match_of(corpus, "pol") == 'body : (("polizei"))'
    for query in ("straß", "stra", "strasse", "ankar", "pol"):
        same(corpus, query)
    corpus.close()


def test_without_the_vocabulary_the_prefix_query_finds_the_same(tmp_path, monkeypatch) -> None:
    corpus = cached(tmp_path, ("a.txt", ARTICLE))
    expected = corpus.search("pip")
    # As when the temporary schema cannot be made, or a shared connection's rollback took it away.
    monkeypatch.setattr(corpus_search, "_VOCABULARY", "CREATE VIRTUAL TABLE temp.text_words USING no_such_module")
    assert match_of(corpus, "pip") == 'body : ("pip"*)'
    assert corpus.search("pip") == expected
    corpus.close()


# --- properties ------------------------------------------------------------------------------------

words = st.sampled_from(WORDS)
# Paragraphs that read as prose, so the cleaner keeps most of them.
paragraphs = st.lists(st.tuples(words, st.sampled_from(GAPS)), min_size=1, max_size=12).map(
    lambda parts: "".join(word + gap for word, gap in parts).strip() + " was reported by officials on Monday."
)
texts = st.lists(paragraphs, min_size=1, max_size=5).map("\n\n".join)


@st.composite
def term(draw, present: list[str]) -> str:
    """A word of the articles, a prefix of one (as typed so far), or a phrase ending in one."""
    word = draw(st.sampled_from(present))
    prefix = word[: draw(st.integers(1, len(word)))]
    return draw(st.one_of(st.just(word), st.just(prefix), st.lists(words, min_size=1, max_size=2).map(
        lambda more: '"' + " ".join([*more, prefix]) + '"')))


@settings(max_examples=80, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4), st.sampled_from([1, 3, 1000]), st.sampled_from([2, 1000]), st.data())
def test_spelled_out_prefixes_find_what_prefix_queries_find(articles: list[str], limit: int, cap: int, data) -> None:
    present = sorted({word for word in WORDS if any(word in text for text in articles)})
    query = " ".join(data.draw(st.lists(term(present), min_size=1, max_size=2)))
    with tempfile.TemporaryDirectory() as folder:
        corpus = cached(Path(folder), *((f"{n}.txt", text) for n, text in enumerate(articles)))
        try:
            with mock.patch.object(corpus_search, "TOTAL_CAP", cap):  # 2: counting stops early, at the same article
                same(corpus, query, limit)
        finally:
            corpus.close()


lines = st.lists(st.text(st.sampled_from(list("ab é\u0301\t.İ")), max_size=12), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(lines, st.lists(st.text(st.sampled_from(list("abé\u0301İ")), min_size=1, max_size=3), min_size=1, max_size=3),
       st.lists(st.integers(0, 5), min_size=8, max_size=8))
def test_a_match_is_in_the_paragraph_around_it(kept: list[str], query_terms: list[str], gaps: list[int]) -> None:
    """Each paragraph found, with its matches and source span, is the one a look at every line finds."""
    text = PARAGRAPH_SEPARATOR.join(kept)
    spans, source, clean = array("q"), 0, 0
    expected = []
    parsed = [Term(term) for term in parse_query(" ".join(query_terms))]
    folded = fold(text)
    for line, gap in zip(kept, gaps, strict=False):
        source += gap  # dropped lines between kept ones, in the source
        spans.extend((source, source + len(line)))
        found = [term.spans(folded, clean, clean + len(line)) for term in parsed]
        if parsed and all(found):
            expected.append((clean, clean + len(line), (source, source + len(line)), merge([s for f in found for s in f])))
        source += len(line) + 1
        clean += len(line) + len(PARAGRAPH_SEPARATOR)
    if not parsed:
        return
    for order in (parsed, parsed[::-1]):
        got = corpus_search._paragraphs("a.txt", "A", text, spans.tobytes(), order)
        assert [(p.start, p.end, p.source, p.matches) for p in got] == expected
