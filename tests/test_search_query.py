"""Corpus search (tui.core.search): the query language and what a term or a phrase matches.

Words and quoted phrases, folding (case, accents, Turkish, Greek, Arabic
letters) with offsets kept exact, a term matching where a word starts,
every term in one paragraph, a phrase across white space but never across
lines, markup and regex characters as plain text, and the context line.

Every search here runs over a real cache: articles are written to a corpus
folder and read in with ``update_cache``, notes are saved by the real store
and synced with ``sync_notes`` (see ``tests/cached_corpus.py``). A
paragraph is a line the cleaner kept; every offset is in the article's
source text.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.search_corpus import KILLING, KILLING_TITLE, PIPELINE, cached, spans_text
from tui.core.search import query as search_module
from tui.core.search.query import fold, parse_query


@pytest.fixture
def two(tmp_path):
    """The killing and the pipeline, read into a cache."""
    corpus = cached(tmp_path, ("a/killing.txt", KILLING), ("b/pipeline.txt", PIPELINE))
    yield corpus
    corpus.close()


def test_the_cleaner_keeps_the_fixture_texts_whole(two):
    """The tests below count paragraphs: they rely on every line of these texts being kept."""
    for rel, text in (("a/killing.txt", KILLING), ("b/pipeline.txt", PIPELINE)):
        lines = [line for line in text.split("\n") if line]
        assert [text[s:e] for s, e in two.kept_lines(rel)] == lines
        assert two.cache.row(rel).title == lines[0]


# --- the query language ------------------------------------------------------


def test_parse_query_splits_words_and_quoted_phrases() -> None:
    assert parse_query('gas  "natural\n gas   pipeline" Ankara') == ["gas", "natural gas pipeline", "Ankara"]
    assert parse_query('talks "unclosed phrase here') == ["talks", "unclosed phrase here"]
    assert parse_query("gas gas GAS") == ["gas", "GAS"]  # exact repeats add nothing


def test_blank_and_punctuation_only_queries_have_no_terms(two) -> None:
    assert parse_query("") == [] and parse_query("   \n") == [] and parse_query('""') == []
    assert parse_query("-- … c++") == ["c++"]
    for query in ("  ", "--", '"…"'):
        result = two.search(query)
        assert (result.hits, result.total, result.articles) == ([], 0, 0)


def test_fold_keeps_one_character_for_one() -> None:
    assert fold("İSTANBUL") == "istanbul"
    assert fold("Kırmızı") == "kirmizi"
    assert fold("ΟΔΟΣ") == fold("οδος")
    assert fold("[Bold] C++") == "[bold] c++"
    assert fold("IŞIK Görüşme Çağrı") == "isik gorusme cagri"
    assert fold("Провёл ЁЛКУ") == "провел елку"
    assert fold("Ἀθῆναι café") == "αθηναι cafe"
    assert fold("أحمد إلى آخر مدرسة") == "احمد الي اخر مدرسه"
    assert fold("Straße Øresund") == "straße øresund"  # not a base letter with marks: kept


LANGUAGES = {
    "tr.txt": "İstanbul ve Ankara arasında IŞIK görüşmeleri Kırıkkale'de sürdü.\n",
    "ru.txt": "Министр иностранных дел России Сергей Лавров провёл переговоры.\n",
    "ar.txt": "وزير الخارجية التركي يلتقي نظيره الروسي في موسكو إلى الغد.\n",
}


def test_searches_in_turkish_russian_and_arabic_find_what_other_keyboards_type(tmp_path) -> None:
    corpus = cached(tmp_path, *LANGUAGES.items())
    for query, path, written in [
        ("istanbul", "tr.txt", "İstanbul"), ("ISTANBUL", "tr.txt", "İstanbul"), ("isik", "tr.txt", "IŞIK"),
        ("gorusme", "tr.txt", "görüşme"), ("kirikkale", "tr.txt", "Kırıkkale"),
        ("минист", "ru.txt", "Минист"), ("МИНИСТР", "ru.txt", "Министр"), ("провел", "ru.txt", "провёл"),
        ("переговор", "ru.txt", "переговор"), ("россии", "ru.txt", "России"),
        ("الخارجيه", "ar.txt", "الخارجية"), ("موسك", "ar.txt", "موسك"), ("الي", "ar.txt", "إلى"),
    ]:
        result = corpus.search(query)
        assert [hit.path for hit in result.hits] == [path], query
        (hit,) = result.hits
        # The highlight covers the word as written in the article, in the source and in the context line.
        assert spans_text(LANGUAGES[path], hit) == [written], query
        assert [hit.context[s:e] for s, e in hit.context_matches] == [written], query
    corpus.close()


@given(st.text(max_size=200))
def test_fold_never_changes_the_length(text: str) -> None:
    assert len(fold(text)) == len(text)


# --- matching ----------------------------------------------------------------


def test_a_term_matches_where_a_word_starts(two) -> None:
    result = two.search("russia")
    killing = [hit for hit in result.hits if hit.path == "a/killing.txt"]
    assert [spans_text(KILLING, hit) for hit in killing] == [["Russia"], ["Russia", "Russia"]]  # Russia's, Russian
    assert all("Belarussia" not in KILLING[hit.start : hit.end] for hit in killing)
    assert result.total == 3 and result.articles == 2 and result.exact


def test_hits_are_whole_kept_lines_in_corpus_order(two) -> None:
    result = two.search("ankara")
    assert [(hit.path, hit.kind) for hit in result.hits] == [("a/killing.txt", "text"), ("a/killing.txt", "text")]
    for hit in result.hits:
        assert (hit.start, hit.end) in two.kept_lines("a/killing.txt")
        assert hit.title == KILLING_TITLE
    assert result.hits[0].start < result.hits[1].start
    assert "Gas talks" in KILLING[result.hits[1].start : result.hits[1].end]


def test_every_term_must_be_in_the_same_paragraph(two) -> None:
    assert two.search("ambassador calm").total == 1  # one paragraph
    assert two.search("belarussia calm").total == 0  # same article, different paragraphs
    hit = two.search("calm ambassador").hits[0]
    assert spans_text(KILLING, hit) == ["ambassador", "calm"]


def test_a_phrase_matches_its_words_in_order_within_one_paragraph(two) -> None:
    hit = two.search('"natural gas pipeline"').hits[0]
    assert spans_text(PIPELINE, hit) == ["natural gas pipeline"]
    assert hit.context.count("natural gas pipeline") == 1 and "\n" not in hit.context
    assert two.search('"ambassador was"').total == 1
    assert two.search('"ambassador one"').total == 0  # the title, a blank line, then "One day"
    assert two.search('"calm belarussia"').total == 0  # the end of one paragraph and the start of the next
    assert two.search('"pipeline natural"').total == 0  # words in order only


def test_a_phrase_matches_across_any_white_space_in_a_line_but_never_across_lines(tmp_path) -> None:
    spaced = "Pipeline deal signed\n\nTurkey and Russia agreed on the natural \t gas\u00a0pipeline after long talks.\n"
    # Hard-wrapped: the cleaner keeps each line as a paragraph of its own, and the reader shows them so.
    wrapped = (
        "Pipeline deal signed\n\nTurkey and Russia agreed on the natural\n"
        "gas pipeline after long talks that lasted for many weeks in Ankara.\n"
    )
    corpus = cached(tmp_path, ("spaced.txt", spaced), ("wrapped.txt", wrapped))
    assert len(corpus.kept_lines("wrapped.txt")) == 2
    (hit,) = corpus.search('"natural gas pipeline"').hits
    assert hit.path == "spaced.txt" and spans_text(spaced, hit) == ["natural \t gas\u00a0pipeline"]
    assert [hit.context[s:e] for s, e in hit.context_matches] == ["natural   gas pipeline"]  # one space per white space
    assert corpus.search("natural gas").articles == 1
    assert corpus.searcher.matching("natural gas") == ["spaced.txt", "wrapped.txt"]  # the filter: anywhere in the article
    corpus.close()


def test_case_and_turkish_letters_are_folded_and_offsets_stay_exact(tmp_path) -> None:
    text = "İİİ said: İSTANBUL and ıstanbul and ISTANBUL.\n"
    corpus = cached(tmp_path, ("t.txt", text))
    hit = corpus.search("istanbul").hits[0]
    assert spans_text(text, hit) == ["İSTANBUL", "ıstanbul", "ISTANBUL"]
    assert [hit.context[s:e] for s, e in hit.context_matches] == ["İSTANBUL", "ıstanbul", "ISTANBUL"]
    corpus.close()


def test_markup_and_regex_characters_are_just_text(two) -> None:
    hit = two.search("bold").hits[0]
    assert spans_text(PIPELINE, hit) == ["bold"] and "[bold]markup[/]" in hit.context
    assert spans_text(PIPELINE, two.search("c++").hits[0]) == ["C++"]
    assert spans_text(PIPELINE, two.search("(a)").hits[0]) == ["(a)"]
    for query in ["[x", "a.b*", "\\d+", "(?P<x>", "$^", "c+++", "a*", '"a b"*', "NEAR(a b)", "bold OR pipeline", "-talks"]:
        assert two.search(query).total == 0, query
    assert two.search("talks NOT").total == 1  # "was not mentioned": the full-text index's operators are words here
    assert two.search("and").total == 2


def test_context_is_one_line_around_the_first_match(tmp_path) -> None:
    filler = " ".join(f"word{n}" for n in range(60))
    text = f"{filler} needle {filler}\n"
    corpus = cached(tmp_path, ("long.txt", text))
    hit = corpus.search("needle").hits[0]
    assert hit.context.startswith("…") and hit.context.endswith("…")
    assert len(hit.context) <= search_module.CONTEXT_WIDTH + 2
    ((start, end),) = hit.context_matches
    assert hit.context[start:end] == "needle"
    assert spans_text(text, hit) == ["needle"]
    assert " word" in hit.context and "\n" not in hit.context
    assert hit.context[1:].split(" ")[0].startswith("word")  # cut between words, not inside one
    corpus.close()
