"""Corpus search (tui.core.search, answered from the corpus cache) and the search dialog (tui.screens.search).

Every search here runs over a real cache: articles are written to a corpus
folder and read in with ``update_cache``, notes are saved by the real store
and synced with ``sync_notes`` (see ``tests/cached_corpus.py``). A
paragraph is a line the cleaner kept; every offset is in the article's
source text.

Update the snapshots with ``pytest tests/test_search.py --snapshot-update``.
"""

from __future__ import annotations

import re
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, NamedTuple

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from textual.app import App, CSSPathType
from textual.widgets import Input, OptionList, Static

from tests.cached_corpus import CachedCorpus, set_mtime
from tests.pilot import drawn, until
from tui.core.paths import styles_dir
from tui.core.search import corpus as corpus_search
from tui.core.search import query as search_module
from tui.core.search.query import Hit, SearchResult, fold, parse_query
from tui.screens.search import SearchScreen

KILLING = (
    "Killing of Russia's ambassador\n"
    "\n"
    "One day after Russia's ambassador was shot in Ankara, officials met. The Russian side asked for calm.\n"
    "\n"
    "Belarussia was not mentioned. Gas talks went on in Ankara.\n"
)
PIPELINE = (
    "Pipeline deal signed\n"
    "\n"
    "Turkey and Russia agreed on the natural gas pipeline after long talks.\n"
    "\n"
    "A [bold]markup[/] line about C++ (a) and Istanbul stays literal.\n"
)
KILLING_TITLE = "Killing of Russia's ambassador"


def cached(root: Path, *articles: tuple[str, str | bytes]) -> CachedCorpus:
    """A corpus of ``articles`` (path, text), read into its cache."""
    corpus = CachedCorpus(root)
    corpus.write_all(articles)
    corpus.update()
    return corpus


@pytest.fixture
def two(tmp_path):
    """The killing and the pipeline, read into a cache."""
    corpus = cached(tmp_path, ("a/killing.txt", KILLING), ("b/pipeline.txt", PIPELINE))
    yield corpus
    corpus.close()


def spans_text(text: str, hit: Hit) -> list[str]:
    return [text[s:e] for s, e in hit.matches]


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


# --- changing the corpus ------------------------------------------------------


def test_a_removed_article_is_forgotten_with_its_notes(two) -> None:
    two.annotate("a/killing.txt", "Killing", "follow up")
    assert two.search("follow").total == 1
    two.remove("a/killing.txt")
    two.update()
    assert len(two.searcher) == 1
    assert two.search("ambassador").total == 0 and two.search("follow").total == 0
    assert two.search("pipeline").articles == 1


def test_a_rewritten_article_is_replaced_in_its_place(two) -> None:
    rewritten = (
        "Pipeline report rewritten\n\nNothing about ambassadors now, only pipeline news from the talks on Monday.\n\n"
        "The talks went on late into the night, officials said.\n"
    )
    set_mtime(two.write("a/killing.txt", rewritten), 1_000_000)
    two.update()
    assert len(two.searcher) == 2
    assert two.cache.rels() == ["a/killing.txt", "b/pipeline.txt"]
    assert two.search("belarussia").total == 0
    result = two.search("pipeline")
    assert [(hit.path, hit.title) for hit in result.hits] == [
        ("a/killing.txt", "Pipeline report rewritten"), ("a/killing.txt", "Pipeline report rewritten"),
        ("b/pipeline.txt", "Pipeline deal signed"), ("b/pipeline.txt", "Pipeline deal signed"),
    ]
    assert two.search("ambassadors").total == 1


WORDS = ["gas", "oil", "navy", "talks"]


def report(words: set[str]) -> str:
    return f"The report on {' and '.join(sorted(words)) or 'nothing'} was published on Monday, officials said.\n"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["write", "remove", "update"]), st.integers(0, 7), st.sets(st.sampled_from(WORDS))),
                max_size=30))
def test_writes_removes_and_updates_in_any_order_match_a_plain_model(steps) -> None:
    with tempfile.TemporaryDirectory() as folder:
        corpus = CachedCorpus(Path(folder))
        model: dict[str, set[str]] = {}
        try:
            for clock, (action, number, words) in enumerate([*steps, ("update", 0, set())]):
                path = f"a{number}.txt"
                if action == "write":
                    set_mtime(corpus.write(path, report(words)), 1_000_000 + clock)
                    model[path] = words
                elif action == "remove" and path in model:
                    corpus.remove(path)
                    del model[path]
                elif action == "update":
                    corpus.update()
                    for word in [*WORDS, "report"]:
                        expected = {path for path, words in model.items() if word in words or word == "report"}
                        assert {hit.path for hit in corpus.search(word).hits} == expected, word
                        assert set(corpus.searcher.matching(word)) == expected, word
        finally:
            corpus.close()


# --- notes ------------------------------------------------------------------------


def test_notes_are_searched_and_open_the_annotated_span(two) -> None:
    start = KILLING.index("One day")
    n1 = two.annotate("a/killing.txt", KILLING[start : start + 30], "Russia's reply: cross-check with the Kremlin readout")
    two.annotate("a/killing.txt", "Killing", "")
    (hit,) = two.search("kremlin").hits
    assert (hit.kind, hit.annotation_id, hit.start, hit.end, hit.matches) == ("note", n1.id, start, start + 30, ())
    assert hit.context[slice(*hit.context_matches[0])] == "Kremlin"
    both = two.search("russia kremlin").hits  # "Russia" is also inside the annotated span
    assert [h.kind for h in both] == ["note"] and spans_text(KILLING, both[0]) == ["Russia"]
    # A note comes after the paragraph it starts in, and before the next paragraph.
    assert [(h.path, h.kind) for h in two.search("russia").hits] == [
        ("a/killing.txt", "text"), ("a/killing.txt", "text"), ("a/killing.txt", "note"), ("b/pipeline.txt", "text")
    ]
    with two.store() as store:
        store.delete(n1.id)
    two.sync()
    assert two.search("kremlin").total == 0


def test_notes_saved_before_the_article_count_once_it_is_read(tmp_path) -> None:
    corpus = CachedCorpus(tmp_path)
    text = "Text of the later article, which mentions a levy in passing, was published.\n"
    with corpus.store() as store:
        from tui.core.notes.model import ArticleRef

        note = store.add(ArticleRef.of("later.txt", text), text, 0, 4, [], "tariff question")
    corpus.sync()
    assert corpus.search("tariff").total == 0
    corpus.write("later.txt", text)
    corpus.update()
    assert [h.annotation_id for h in corpus.search("tariff").hits] == [note.id]
    corpus.close()


# --- limits and counts -----------------------------------------------------------------

GAS = (
    "Gas prices rose again this week, traders said.\n"
    "\n"
    "The gas market stays tight until the summer, analysts expect.\n"
)


def test_limit_caps_the_hits_and_total_counts_past_it(tmp_path, monkeypatch) -> None:
    corpus = cached(tmp_path, *((f"{n:03d}.txt", GAS) for n in range(40)))
    result = corpus.search("gas", limit=5)
    assert len(result.hits) == 5 and result.total == 80 and result.articles == 40 and result.exact
    assert [h.path for h in result.hits] == ["000.txt", "000.txt", "001.txt", "001.txt", "002.txt"]
    monkeypatch.setattr(corpus_search, "TOTAL_CAP", 10)
    capped = corpus.search("gas", limit=5)
    assert not capped.exact and capped.total == 10 and capped.articles == 5
    assert [h.path for h in capped.hits] == ["000.txt", "000.txt", "001.txt", "001.txt", "002.txt"]
    assert corpus.search("gas", limit=30).total == 30  # the cap is never under the limit
    corpus.close()


def test_search_while_another_thread_stores_articles(tmp_path) -> None:
    corpus = CachedCorpus(tmp_path)
    texts = {f"{n}.txt": f"Gas talks number {n} were held on Monday, officials said.\n\nMore text followed later.\n" for n in range(150)}
    corpus.write_all(texts.items())
    errors = []

    def search() -> None:
        try:
            for _ in range(50):
                for hit in corpus.search("gas").hits:
                    assert spans_text(texts[hit.path], hit) == ["Gas"]
        except Exception as error:
            errors.append(error)

    thread = threading.Thread(target=search)
    thread.start()
    corpus.update()
    thread.join()
    assert errors == [] and corpus.search("gas", limit=1000).total == 150
    corpus.close()


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


# --- the search dialog -------------------------------------------------------


class SearchApp(App[None]):
    """A bare app that opens the search dialog over a search function and records what it returns."""

    CSS_PATH: ClassVar[CSSPathType] = [str(styles_dir() / "dossier.tcss"), str(styles_dir() / "search.tcss")]

    def __init__(self, search, initial_query: str = "", show_timing: bool = False) -> None:
        super().__init__()
        self.search_function = search
        self.initial_query = initial_query
        self.show_timing = show_timing
        self.chosen: list[Hit | None] = []

    def on_mount(self) -> None:
        self.push_screen(SearchScreen(self.search_function, self.initial_query, show_timing=self.show_timing), self.chosen.append)


class Noted(NamedTuple):
    search: Callable[[str], SearchResult]
    note_id: str


@pytest.fixture
def noted(two) -> Noted:
    """The two articles, with a note on the start of the killing's second paragraph."""
    start = KILLING.index("One day")
    note = two.annotate("a/killing.txt", KILLING[start : start + 40], "Russia's reply: ask the [red]Kremlin[/] for the readout")
    return Noted(two.search, note.id)


async def settled(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def status(app: App) -> str:
    return str(app.screen.query_one("#search-status", Static).render())


async def test_typing_searches_and_enter_opens_the_highlighted_hit(noted) -> None:
    app = SearchApp(noted.search)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"ankara")
        await settled(pilot)
        assert status(app) == "2 hits in 1 article"
        results = app.screen.query_one("#search-results", OptionList)
        assert results.option_count == 2
        await pilot.press("enter")  # from the query to the results
        assert app.focused is results and results.highlighted == 0
        await pilot.press("down", "enter")
        await pilot.pause()
    hit, = app.chosen
    assert (hit.path, hit.kind) == ("a/killing.txt", "text") and "Gas talks" in KILLING[hit.start : hit.end]


async def test_down_and_up_from_the_query_enter_the_results(noted) -> None:
    app = SearchApp(noted.search, initial_query="russia")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        results = app.screen.query_one("#search-results", OptionList)
        assert results.option_count == 4  # three paragraphs and a note
        await pilot.press("up")
        assert app.focused is results and results.highlighted == 3
        app.screen.query_one("#search-input", Input).focus()
        await pilot.press("down")
        assert app.focused is results and results.highlighted == 0
        await pilot.press("down", "down", "enter")
        await pilot.pause()
    hit, = app.chosen
    assert (hit.kind, hit.annotation_id) == ("note", noted.note_id)


async def test_enter_before_the_results_arrive_moves_to_them_when_they_do(noted) -> None:
    app = SearchApp(noted.search)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"pipeline", "enter")
        await settled(pilot)
        results = app.screen.query_one("#search-results", OptionList)
        assert app.focused is results and results.highlighted == 0
        await pilot.press("enter")
        await pilot.pause()
    assert [hit.path for hit in app.chosen] == ["b/pipeline.txt"]


async def test_escape_closes_with_nothing_and_no_hits_says_so(noted) -> None:
    app = SearchApp(noted.search, show_timing=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"xylophone")
        await settled(pilot)
        assert status(app).startswith("no hits (") and status(app).endswith(" ms)")
        assert app.screen.query_one("#search-results", OptionList).option_count == 0
        await pilot.press("escape")
        await pilot.pause()
    assert app.chosen == [None]


async def test_titles_and_text_with_markup_are_shown_literally(tmp_path) -> None:
    corpus = cached(tmp_path, ("m.md", "# [bold]Title[/]\n\nSome [red]gas[/] text about the market, traders said on Monday.\n"))
    app = SearchApp(corpus.search, initial_query="gas")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        prompt = app.screen.query_one("#search-results", OptionList).get_option_at_index(0).prompt
        assert prompt.plain == "[bold]Title[/]  m.md\n  Some [red]gas[/] text about the market, traders said on Monday."
        highlighted = [prompt.plain[span.start : span.end] for span in prompt.spans if span.style == "bold black on yellow"]
        assert highlighted == ["gas"]


async def test_a_failing_search_is_reported_in_the_dialog() -> None:
    def broken(query: str) -> SearchResult:
        raise RuntimeError("index not ready")

    app = SearchApp(broken, initial_query="gas")
    async with app.run_test(size=(80, 24)) as pilot:
        # Not workers.wait_for_complete(): it raises the worker's error.
        await until(pilot, lambda: status(app), "the dialog to report the failure")
        assert status(app) == "search failed: index not ready"
        assert isinstance(app.screen, SearchScreen)


async def test_more_hits_than_listed_are_counted_in_the_status(tmp_path) -> None:
    corpus = cached(tmp_path, *((f"{n:04d}.txt", GAS) for n in range(600)))
    app = SearchApp(corpus.search, initial_query="gas")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert status(app) == "1,000+ hits in 500+ articles, the first 200 listed"
        assert app.screen.query_one("#search-results", OptionList).option_count == 200


def _ready(*keys: str):
    async def run_before(pilot) -> None:
        await settled(pilot)
        pilot.app.screen.query_one("#search-input", Input).cursor_blink = False
        for key in keys:
            await pilot.press(key)
        await drawn(pilot)

    return run_before


def test_snapshot_search_results(snap_compare, noted) -> None:
    assert snap_compare(SearchApp(noted.search, initial_query="russia"), terminal_size=(80, 24), run_before=_ready())


def test_snapshot_search_results_with_a_note_highlighted(snap_compare, noted) -> None:
    app = SearchApp(noted.search, initial_query='kremlin "the readout"')
    assert snap_compare(app, terminal_size=(80, 24), run_before=_ready("down"))


@pytest.mark.parametrize("query", ["", "   "])
async def test_a_blank_query_shows_nothing(query: str, noted) -> None:
    app = SearchApp(noted.search, initial_query="gas")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert app.screen.query_one("#search-results", OptionList).option_count == 2
        app.screen.query_one("#search-input", Input).value = query
        await pilot.pause()
        await settled(pilot)
        assert app.screen.query_one("#search-results", OptionList).option_count == 0
        assert status(app) == ""
