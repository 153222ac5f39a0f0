"""Tests for ``tui.core.search.corpus``: ``OffsetMap`` against ``Cleaned``, and ``CorpusSearch``."""

from __future__ import annotations

import re
import threading
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.clean import PARAGRAPH_SEPARATOR, clean_text
from tui.core.search.corpus import CorpusSearch

# --- texts for the properties -------------------------------------------------

PROSE = [
    "The committee met on Tuesday to discuss the harbour plans for the coming year.",
    "Officials said the budget would be reviewed again in the spring by the council.",
    "Residents have complained for months about the noise from the new ferry terminal.",
    "It is not clear whether the minister will attend the meeting, a spokesman said.",
    "Prices rose by three per cent in the last quarter, according to the statistics office.",
    "The river burst its banks after a week of heavy rain across the northern valleys.",
]
MENU = [
    "Home | News | Sport | Weather",
    "Share this article",
    "Sign up for our newsletter",
    "Related articles",
    "Advertisement",
    "World | Business | Culture",
    "Comments (12)",
]
HEADINGS = [
    "Harbour plans divide the town council",
    "What happens next",
]
LINES = st.one_of(
    st.sampled_from(PROSE),
    st.sampled_from(MENU),
    st.sampled_from(HEADINGS),
    st.just(""),
    st.just("   "),
    st.text(alphabet="abc XYZ.,|é", min_size=1, max_size=30),
)
TEXTS = st.lists(LINES, min_size=0, max_size=25).map("\n".join)


@st.composite
def cleaned_texts(draw):
    """A text, cleaned with or without random keep/drop overrides."""
    text = draw(TEXTS)
    count = text.count("\n") + 1
    overrides = draw(
        st.one_of(
            st.none(),
            st.dictionaries(st.integers(1, count), st.sampled_from(["keep", "drop"]), max_size=count),
        )
    )
    return text, clean_text(text, overrides)


# --- OffsetMap properties -----------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(cleaned_texts())
def test_offset_map_to_source_matches_cleaned(case):
    _, cleaned = case
    offsets = cleaned.offsets
    for o in range(len(cleaned.text) + 1):
        assert offsets.to_source(o) == cleaned.to_source(o), o


@settings(max_examples=300, deadline=None)
@given(cleaned_texts(), st.data())
def test_offset_map_to_clean_inside_one_kept_line(case, data):
    _, cleaned = case
    kept = cleaned.kept
    if not kept:
        return
    assert all(line.text for line in kept)  # blank lines are never kept
    line = data.draw(st.sampled_from(kept))
    s = data.draw(st.integers(line.start, line.end - 1))
    e = data.draw(st.integers(s + 1, line.end))
    assert cleaned.offsets.to_clean(s, e) == (cleaned.to_clean(s), cleaned.to_clean(e))


@settings(max_examples=300, deadline=None)
@given(cleaned_texts(), st.data())
def test_offset_map_to_clean_inside_a_dropped_line_is_none(case, data):
    _, cleaned = case
    dropped = [line for line in cleaned.lines if not line.keep and line.text]
    if not dropped:
        return
    line = data.draw(st.sampled_from(dropped))
    s = data.draw(st.integers(line.start, line.end - 1))
    e = data.draw(st.integers(s + 1, line.end))
    assert cleaned.offsets.to_clean(s, e) is None


@settings(max_examples=300, deadline=None)
@given(cleaned_texts(), st.data())
def test_offset_map_to_clean_any_span_is_cut_to_its_kept_part(case, data):
    """Any source span: None iff it holds no kept character; else it ends after its last kept one."""
    text, cleaned = case
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, len(text)))
    kept_positions = [
        cleaned.to_clean(p)
        for line in cleaned.kept
        for p in range(max(s, line.start), min(e, line.end))
    ]
    got = cleaned.offsets.to_clean(s, e)
    if not kept_positions:
        assert got is None
    else:
        assert got is not None
        start, end = got
        assert end == max(kept_positions) + 1
        # It starts at the first kept character, or (a span starting on the newline
        # that ends a kept line) on the paragraph separator just before it.
        assert min(kept_positions) - len(PARAGRAPH_SEPARATOR) <= start <= min(kept_positions)


def test_offset_map_of_an_article_with_nothing_kept():
    cleaned = clean_text("Home | News | Sport\nShare this article\n")
    assert cleaned.kept == []
    offsets = cleaned.offsets
    assert offsets.to_source(0) == 0
    assert offsets.to_clean(0, 5) is None


# --- CorpusSearch ---------------------------------------------------------------

ARTICLE_A = (
    "Home | News | Sport | Weather\n"
    "Share this article\n"
    "\n"
    "The committee met on Tuesday to discuss the Harbour plans for the coming year.\n"
    "\n"
    "Officials said the budget would be reviewed again in the spring by the council.\n"
)
ARTICLE_B = (
    "World | Business | Culture\n"
    "Sign up for our newsletter\n"
    "\n"
    "Residents have complained for months about the noise near the harbour wall.\n"
    "\n"
    "The river burst its banks after a week of heavy rain across the northern valleys.\n"
)


def annotation(aid, start, end, note, orphan=False):
    """A stand-in for ``store.Annotation`` with the attributes ``CorpusSearch`` reads."""
    return SimpleNamespace(id=aid, orphan=orphan, note=note, target=SimpleNamespace(start=start, end=end))


def span_of(text, word):
    start = text.index(word)
    return start, start + len(word)


@pytest.fixture
def corpus():
    search = CorpusSearch()
    search.add("a.txt", "Article A", clean_text(ARTICLE_A))
    search.add("b.txt", "Article B", clean_text(ARTICLE_B))
    return search


def test_cleaned_and_source_offsets_differ():
    """The fixture texts only test the mapping if cleaning shifts the offsets."""
    for text in (ARTICLE_A, ARTICLE_B):
        cleaned = clean_text(text)
        word = "harbour" if "harbour" in cleaned.text else "Harbour"
        assert cleaned.text.index(word) != text.index(word)
        assert not cleaned.text.startswith(text.split("\n")[0])


def test_add_counts_articles(corpus):
    assert len(corpus) == 2


def test_source_spans_point_at_the_word_in_the_source(corpus):
    result = corpus.search("harbour")
    assert {hit.path for hit in result.hits} == {"a.txt", "b.txt"}
    sources = {"a.txt": ARTICLE_A, "b.txt": ARTICLE_B}
    for hit in result.hits:
        assert hit.kind == "text"
        (ps, pe), matches = corpus.source_spans(hit)
        assert matches, hit
        source = sources[hit.path]
        for s, e in matches:
            assert source[s:e].lower() == "harbour"
            assert ps <= s and e <= pe
        # The passage is the paragraph holding the word, in the source.
        assert "harbour" in source[ps:pe].lower()
        assert source[ps:pe] in source.split("\n")


def test_source_spans_of_a_phrase_in_the_second_paragraph(corpus):
    hit = corpus.search('"heavy rain"').hits[0]
    (ps, pe), [(s, e)] = corpus.source_spans(hit)
    assert ARTICLE_B[s:e] == "heavy rain"
    assert ARTICLE_B[ps:pe] == PROSE[5]


def test_note_is_searchable_with_its_annotation(corpus):
    s, e = span_of(ARTICLE_A, "budget")
    corpus.set_annotations("a.txt", [annotation("n1", s, e, "Compare with the turbine figures")])
    result = corpus.search("turbine")
    assert len(result.hits) == 1
    hit = result.hits[0]
    assert hit.kind == "note"
    assert hit.annotation_id == "n1"
    assert hit.path == "a.txt"
    # The hit's passage is the annotated span, and maps back to it in the source.
    (ps, pe), _ = corpus.source_spans(hit)
    assert (ps, pe) == (s, e)
    assert ARTICLE_A[ps:pe] == "budget"


def test_note_hit_and_text_hit_for_a_word_in_both(corpus):
    s, e = span_of(ARTICLE_A, "budget")
    corpus.set_annotations("a.txt", [annotation("n1", s, e, "the budget is late")])
    kinds = sorted(hit.kind for hit in corpus.search("budget").hits)
    assert kinds == ["note", "text"]


def test_notes_set_before_the_article_are_applied_when_it_is_added():
    search = CorpusSearch()
    s, e = span_of(ARTICLE_A, "budget")
    search.set_annotations("a.txt", [annotation("early", s, e, "turbine question")])
    assert search.search("turbine").hits == []  # the article is not indexed yet
    search.add("a.txt", "Article A", clean_text(ARTICLE_A))
    hits = search.search("turbine").hits
    assert [(hit.kind, hit.annotation_id) for hit in hits] == [("note", "early")]
    (ps, pe), _ = search.source_spans(hits[0])
    assert ARTICLE_A[ps:pe] == "budget"


def test_orphan_note_is_still_found(corpus):
    corpus.set_annotations("a.txt", [annotation("lost", 10_000, 10_010, "orphaned turbine remark", orphan=True)])
    hits = corpus.search("turbine").hits
    assert len(hits) == 1
    assert hits[0].kind == "note"
    assert hits[0].annotation_id == "lost"
    assert hits[0].path == "a.txt"


def test_note_on_dropped_text_is_still_found(corpus):
    s, e = span_of(ARTICLE_A, "Share this article")
    corpus.set_annotations("a.txt", [annotation("menu", s, e, "why is the turbine here")])
    hits = corpus.search("turbine").hits
    assert [(hit.kind, hit.annotation_id) for hit in hits] == [("note", "menu")]


def test_empty_notes_give_no_note_hits(corpus):
    s, e = span_of(ARTICLE_A, "budget")
    corpus.set_annotations("a.txt", [annotation("blank", s, e, ""), annotation("spaces", s, e, "   \n ")])
    hits = corpus.search("budget").hits
    assert hits, "the text hit should still be there"
    assert all(hit.kind == "text" for hit in hits)
    assert all(hit.annotation_id is None for hit in hits)


def test_set_annotations_replaces_earlier_notes(corpus):
    s, e = span_of(ARTICLE_A, "budget")
    corpus.set_annotations("a.txt", [annotation("n1", s, e, "turbine")])
    assert len(corpus.search("turbine").hits) == 1
    corpus.set_annotations("a.txt", [annotation("n1", s, e, "")])
    assert corpus.search("turbine").hits == []
    corpus.set_annotations("a.txt", [annotation("n2", s, e, "windmill")])
    assert corpus.search("turbine").hits == []
    assert [hit.annotation_id for hit in corpus.search("windmill").hits] == ["n2"]


def test_notes_of_one_article_do_not_touch_another(corpus):
    s, e = span_of(ARTICLE_A, "budget")
    corpus.set_annotations("a.txt", [annotation("n1", s, e, "turbine")])
    corpus.set_annotations("b.txt", [])
    assert [hit.path for hit in corpus.search("turbine").hits] == ["a.txt"]


def test_re_adding_an_article_replaces_it(corpus):
    replacement = ARTICLE_A.replace("Harbour plans", "lighthouse repairs")
    corpus.add("a.txt", "Article A2", clean_text(replacement))
    assert len(corpus) == 2
    assert [hit.path for hit in corpus.search("harbour").hits] == ["b.txt"]
    hits = corpus.search("lighthouse").hits
    assert [(hit.path, hit.title) for hit in hits] == [("a.txt", "Article A2")]
    (_, _), [(s, e)] = corpus.source_spans(hits[0])
    assert replacement[s:e] == "lighthouse"


def test_re_adding_with_overrides_updates_the_offset_map(corpus):
    # Keeping line 2 ("Share this article") shifts the cleaned offsets of everything after it.
    cleaned = clean_text(ARTICLE_A, {2: "keep"})
    assert cleaned.text.startswith("Share this article")
    corpus.add("a.txt", "Article A", cleaned)
    hit = next(hit for hit in corpus.search("budget").hits if hit.path == "a.txt")
    (_, _), [(s, e)] = corpus.source_spans(hit)
    assert ARTICLE_A[s:e] == "budget"
    share = next(hit for hit in corpus.search('"share this"').hits)
    (_, _), [(s, e)] = corpus.source_spans(share)
    assert ARTICLE_A[s:e] == "Share this"


def test_notes_follow_an_article_re_added_with_overrides(corpus):
    s, e = span_of(ARTICLE_A, "budget")
    corpus.set_annotations("a.txt", [annotation("n1", s, e, "turbine")])
    corpus.add("a.txt", "Article A", clean_text(ARTICLE_A, {2: "keep"}))
    hit = corpus.search("turbine").hits[0]
    (ps, pe), _ = corpus.source_spans(hit)
    assert ARTICLE_A[ps:pe] == "budget"


# --- threads --------------------------------------------------------------------


def test_adding_in_one_thread_while_searching_in_another():
    search = CorpusSearch()
    count = 300
    texts = {
        f"{i}.txt": f"Home | News | Sport\nShare this article\n\n"
        f"Article number {i} reports that the quarry expansion was approved by the council.\n"
        for i in range(count)
    }
    errors: list[BaseException] = []

    def writer():
        try:
            for rel, text in texts.items():
                search.add(rel, rel, clean_text(text))
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=writer)
    thread.start()
    seen = []
    while thread.is_alive():
        result = search.search("quarry", limit=count)
        seen.append(len(result.hits))
        for hit in result.hits[:3]:
            (_, _), [(s, e)] = search.source_spans(hit)
            assert texts[hit.path][s:e] == "quarry"
    thread.join()
    assert errors == []
    # Searches only ever saw more articles as they were added.
    assert seen == sorted(seen)
    result = search.search("quarry", limit=count)
    assert result.exact
    assert result.total == count
    assert {hit.path for hit in result.hits} == set(texts)
    for hit in result.hits:
        (_, _), [(s, e)] = search.source_spans(hit)
        assert texts[hit.path][s:e] == "quarry"
        number = re.search(r"number (\d+)", texts[hit.path]).group(1)
        assert hit.path == f"{number}.txt"
