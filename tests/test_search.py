"""Corpus search: the index (tui.core.search.index) and the search dialog (tui.screens.search).

Update the snapshots with ``pytest tests/test_search.py --snapshot-update``.
"""

from __future__ import annotations

import threading
from typing import ClassVar
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, CSSPathType
from textual.widgets import Input, OptionList, Static

from tests.pilot import drawn, until
from tui.core.passages import paragraphs
from tui.core.paths import styles_dir
from tui.core.search import index as search_module
from tui.core.search.index import Hit, SearchIndex, SearchResult, fold, parse_query
from tui.screens.search import SearchScreen

KILLING = (
    "Killing of Russia's ambassador\n"
    "\n"
    "One day after Russia's ambassador was shot in Ankara, officials met.\n"
    "The Russian side asked for calm.\n"
    "\n"
    "Belarussia was not mentioned. Gas talks went on in Ankara."
)
PIPELINE = (
    "Pipeline deal signed\n"
    "\n"
    "Turkey and Russia agreed on the natural\n"
    "gas pipeline after long talks.\n"
    "\n"
    "A [bold]markup[/] line about C++ (a) and Istanbul stays literal."
)


def index_of(*articles: tuple[str, str, str]) -> SearchIndex:
    index = SearchIndex()
    for path, title, text in articles:
        index.add_article(path, title, text)
    return index


def corpus() -> SearchIndex:
    return index_of(("a/killing.txt", "Killing of Russia's ambassador", KILLING), ("b/pipeline.txt", "Pipeline deal signed", PIPELINE))


def spans_text(text: str, hit: Hit) -> list[str]:
    return [text[s:e] for s, e in hit.matches]


# --- the query language ------------------------------------------------------


def test_parse_query_splits_words_and_quoted_phrases() -> None:
    assert parse_query('gas  "natural\n gas   pipeline" Ankara') == ["gas", "natural gas pipeline", "Ankara"]
    assert parse_query('talks "unclosed phrase here') == ["talks", "unclosed phrase here"]
    assert parse_query("gas gas GAS") == ["gas", "GAS"]  # exact repeats add nothing


def test_blank_and_punctuation_only_queries_have_no_terms() -> None:
    assert parse_query("") == [] and parse_query("   \n") == [] and parse_query('""') == []
    assert parse_query("-- … c++") == ["c++"]
    result = corpus().search("  ")
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


def test_searches_in_turkish_russian_and_arabic_find_what_other_keyboards_type() -> None:
    index = SearchIndex()
    index.add_article("tr.txt", "t", "İstanbul ve Ankara arasında IŞIK görüşmeleri Kırıkkale'de sürdü.")
    index.add_article("ru.txt", "t", "Министр иностранных дел России Сергей Лавров провёл переговоры.")
    index.add_article("ar.txt", "t", "وزير الخارجية التركي يلتقي نظيره الروسي في موسكو إلى الغد.")
    for query, path in [
        ("istanbul", "tr.txt"), ("ISTANBUL", "tr.txt"), ("isik", "tr.txt"), ("gorusme", "tr.txt"), ("kirikkale", "tr.txt"),
        ("минист", "ru.txt"), ("МИНИСТР", "ru.txt"), ("провел", "ru.txt"), ("переговор", "ru.txt"), ("россии", "ru.txt"),
        ("الخارجيه", "ar.txt"), ("موسك", "ar.txt"), ("الي", "ar.txt"),
    ]:
        result = index.search(query)
        assert [hit.path for hit in result.hits] == [path], query
        hit = result.hits[0]
        # The highlight covers the word as written in the article.
        assert all(fold(hit.context[s:e]).startswith(fold(query)) for s, e in hit.context_matches), query


@given(st.text(max_size=200))
def test_fold_never_changes_the_length(text: str) -> None:
    assert len(fold(text)) == len(text)


# --- matching ----------------------------------------------------------------


def test_a_term_matches_where_a_word_starts() -> None:
    result = corpus().search("russia")
    killing = [hit for hit in result.hits if hit.path == "a/killing.txt"]
    assert [spans_text(KILLING, hit) for hit in killing] == [["Russia"], ["Russia", "Russia"]]
    assert all("Belarussia" not in KILLING[hit.start : hit.end] for hit in killing)
    assert result.total == 3 and result.articles == 2 and result.exact


def test_hits_are_whole_paragraphs_in_corpus_order() -> None:
    result = corpus().search("ankara")
    assert [(hit.path, hit.kind) for hit in result.hits] == [("a/killing.txt", "text"), ("a/killing.txt", "text")]
    for hit in result.hits:
        assert (hit.start, hit.end) in paragraphs(KILLING)
        assert hit.title == "Killing of Russia's ambassador"
    assert result.hits[0].start < result.hits[1].start


def test_every_term_must_be_in_the_same_paragraph() -> None:
    index = corpus()
    assert index.search("ambassador calm").total == 1  # one paragraph, two lines
    assert index.search("belarussia calm").total == 0  # same article, different paragraphs
    hit = index.search("calm ambassador").hits[0]
    assert spans_text(KILLING, hit) == ["ambassador", "calm"]


def test_a_phrase_matches_across_a_line_break_but_not_a_blank_line() -> None:
    index = corpus()
    hit = index.search('"natural gas pipeline"').hits[0]
    assert spans_text(PIPELINE, hit) == ["natural\ngas pipeline"]
    assert hit.context.count("natural gas pipeline") == 1 and "\n" not in hit.context
    assert index.search('"ambassador was"').total == 1
    assert index.search('"ambassador one"').total == 0  # the title, a blank line, then "One day"
    assert index.search('"pipeline natural"').total == 0  # words in order only


def test_case_and_turkish_letters_are_folded_and_offsets_stay_exact() -> None:
    text = "İİİ said: İSTANBUL and ıstanbul and ISTANBUL."
    hit = index_of(("t.txt", "T", text)).search("istanbul").hits[0]
    assert spans_text(text, hit) == ["İSTANBUL", "ıstanbul", "ISTANBUL"]
    assert [hit.context[s:e] for s, e in hit.context_matches] == ["İSTANBUL", "ıstanbul", "ISTANBUL"]


def test_markup_and_regex_characters_are_just_text() -> None:
    index = corpus()
    hit = index.search("bold").hits[0]
    assert spans_text(PIPELINE, hit) == ["bold"] and "[bold]markup[/]" in hit.context
    assert spans_text(PIPELINE, index.search("c++").hits[0]) == ["C++"]
    assert spans_text(PIPELINE, index.search("(a)").hits[0]) == ["(a)"]
    for query in ["[x", "a.b*", "\\d+", "(?P<x>", "$^", "c+++"]:
        assert index.search(query).total == 0, query


def test_context_is_one_line_around_the_first_match() -> None:
    filler = " ".join(f"word{n}" for n in range(60))
    text = f"{filler} needle {filler}"
    hit = index_of(("long.txt", "Long", text)).search("needle").hits[0]
    assert hit.context.startswith("…") and hit.context.endswith("…")
    assert len(hit.context) <= search_module.CONTEXT_WIDTH + 2
    (start, end), = hit.context_matches
    assert hit.context[start:end] == "needle"
    assert " word" in hit.context and "\n" not in hit.context
    assert hit.context[1:].split(" ")[0].startswith("word")  # cut between words, not inside one


# --- changing the index ------------------------------------------------------


def test_remove_forgets_an_article_and_its_notes() -> None:
    index = corpus()
    index.set_notes("a/killing.txt", [("n1", 0, 7, "follow up")])
    index.remove("a/killing.txt")
    index.remove("not/indexed.txt")
    assert len(index) == 1
    assert index.search("ambassador").total == 0 and index.search("follow").total == 0
    assert index.search("pipeline").articles == 1


def test_adding_a_path_again_replaces_it_in_its_place() -> None:
    index = corpus()
    index.add_article("a/killing.txt", "Rewritten", "Nothing about ambassadors now.\n\nOnly pipeline news.")
    assert len(index) == 2
    assert index.search("belarussia").total == 0
    result = index.search("pipeline")
    assert (result.hits[0].path, result.hits[0].title) == ("a/killing.txt", "Rewritten")
    assert index.search("ambassadors").total == 1


# PACK_EVERY at 3 makes every sequence cross several packings of the postings.
@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "remove"]), st.integers(0, 7), st.sets(st.sampled_from(["gas", "oil", "navy", "talks"]))),
                max_size=40))
def test_adds_and_removes_across_packed_batches_match_a_plain_model(steps) -> None:
    with patch.object(search_module, "PACK_EVERY", 3):
        check_against_a_plain_model(steps)


def check_against_a_plain_model(steps) -> None:
    index, model = SearchIndex(), {}
    for action, number, words in steps:
        path = f"a{number}.txt"
        if action == "add":
            index.add_article(path, path, " ".join(sorted(words)) + " end")
            model[path] = words
        else:
            index.remove(path)
            model.pop(path, None)
    for word in ("gas", "oil", "navy", "talks", "end"):
        expected = {path for path, words in model.items() if word in words or word == "end"}
        assert {hit.path for hit in index.search(word).hits} == expected


def test_notes_are_searched_and_open_the_annotated_span() -> None:
    index = corpus()
    start = KILLING.index("One day")
    index.set_notes("a/killing.txt", [("n1", start, start + 30, "Russia's reply: cross-check with the Kremlin readout"), ("n2", 0, 7, "")])
    hit, = index.search("kremlin").hits
    assert (hit.kind, hit.annotation_id, hit.start, hit.end, hit.matches) == ("note", "n1", start, start + 30, ())
    assert hit.context[slice(*hit.context_matches[0])] == "Kremlin"
    both = index.search("russia kremlin").hits  # "Russia" is also inside the annotated span
    assert [h.kind for h in both] == ["note"] and spans_text(KILLING, both[0]) == ["Russia"]
    # A note comes after the paragraph it starts with, and before the next paragraph.
    assert [(h.path, h.kind) for h in index.search("russia").hits] == [
        ("a/killing.txt", "text"), ("a/killing.txt", "text"), ("a/killing.txt", "note"), ("b/pipeline.txt", "text")
    ]
    index.set_notes("a/killing.txt", [])
    assert index.search("kremlin").total == 0


def test_notes_set_before_the_article_count_once_it_is_added() -> None:
    index = SearchIndex()
    index.set_notes("later.txt", [("n1", 0, 4, "tariff question")])
    assert index.search("tariff").total == 0
    index.add_article("later.txt", "Later", "Text of the later article.")
    assert [h.annotation_id for h in index.search("tariff").hits] == ["n1"]


def test_limit_caps_the_hits_and_total_counts_past_it(monkeypatch) -> None:
    index = index_of(*((f"{n:03d}.txt", f"T{n}", "gas here\n\nand gas there") for n in range(40)))
    result = index.search("gas", limit=5)
    assert len(result.hits) == 5 and result.total == 80 and result.articles == 40 and result.exact
    assert [h.path for h in result.hits] == ["000.txt", "000.txt", "001.txt", "001.txt", "002.txt"]
    monkeypatch.setattr(search_module, "TOTAL_CAP", 10)
    capped = index.search("gas", limit=5)
    assert not capped.exact and capped.total == 10 and capped.articles == 5


def test_search_while_another_thread_adds_articles() -> None:
    index = SearchIndex()
    errors = []

    def add() -> None:
        for n in range(300):
            index.add_article(f"{n}.txt", "t", f"gas talks number {n}\n\nmore text")

    def search() -> None:
        try:
            for _ in range(100):
                index.search("gas")
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=add), threading.Thread(target=search)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and index.search("gas", limit=1000).total == 300


# --- properties --------------------------------------------------------------

LETTERS = "aAbBsSİıΣσς1é_"
text_chars = st.sampled_from(list(LETTERS + " ,.'[]-\n\n"))
words = st.text(st.sampled_from(list(LETTERS)), min_size=1, max_size=3)


def brute_force(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Paragraphs where every term occurs at a word start, found the slow way."""
    folded = fold(text)
    found = []
    def occurs(term: str, start: int, end: int) -> bool:
        key = fold(term)
        return any(
            folded.startswith(key, i) and i + len(key) <= end and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"))
            for i in range(start, end)
        )

    for start, end in paragraphs(text):
        if all(occurs(term, start, end) for term in terms):
            found.append((start, end))
    return found


@settings(max_examples=300, deadline=None)
@given(st.text(text_chars, max_size=200), st.lists(words, min_size=1, max_size=3))
def test_search_finds_exactly_the_paragraphs_a_brute_force_scan_finds(text: str, terms: list[str]) -> None:
    index = index_of(("x.txt", "X", text))
    result = index.search(" ".join(terms), limit=1000)
    assert [(hit.start, hit.end) for hit in result.hits] == brute_force(text, parse_query(" ".join(terms)))
    for hit in result.hits:
        for s, e in hit.matches:
            assert hit.start <= s < e <= hit.end
            assert s == 0 or not (text[s - 1].isalnum() or text[s - 1] == "_")
            # Overlapping matches of different terms are merged, so a span starts with one of them.
            assert any(fold(text[s:e]).startswith(fold(term)) for term in terms)
        assert "\n" not in hit.context
        s, e = hit.context_matches[0]  # the first match is always whole in the context
        assert any(fold(hit.context[s:e]).startswith(fold(term)) for term in terms)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["gas", "Gas", "talks", "Ankara", "ankara's", "x"]), min_size=1, max_size=8),
                min_size=1, max_size=4),
       st.lists(st.sampled_from([" ", "  ", "\n", " \n "]), min_size=1, max_size=8), st.data())
def test_a_phrase_from_the_text_is_found_in_its_paragraph(paras, gaps, data) -> None:
    built = ["".join(w + gaps[i % len(gaps)] for i, w in enumerate(words_)).strip() for words_ in paras]
    text = "\n\n".join(built)
    which = data.draw(st.integers(0, len(paras) - 1))
    first = data.draw(st.integers(0, len(paras[which]) - 1))
    phrase = paras[which][first : first + data.draw(st.integers(1, 3))]
    result = index_of(("p.txt", "P", text)).search('"' + " ".join(phrase) + '"', limit=1000)
    target = paragraphs(text)[which]
    assert target in [(hit.start, hit.end) for hit in result.hits]
    for hit in result.hits:
        for s, e in hit.matches:
            # Each merged span is one or more whole copies of the phrase, with any white space between words.
            assert " ".join(text[s:e].split()).lower().startswith(" ".join(phrase).lower())


# --- the search dialog -------------------------------------------------------


class SearchApp(App[None]):
    """A bare app that opens the search dialog over an index and records what it returns."""

    CSS_PATH: ClassVar[CSSPathType] = [str(styles_dir() / "dossier.tcss"), str(styles_dir() / "search.tcss")]

    def __init__(self, search, initial_query: str = "", show_timing: bool = False) -> None:
        super().__init__()
        self.search_function = search
        self.initial_query = initial_query
        self.show_timing = show_timing
        self.chosen: list[Hit | None] = []

    def on_mount(self) -> None:
        self.push_screen(SearchScreen(self.search_function, self.initial_query, show_timing=self.show_timing), self.chosen.append)


def noted_corpus() -> SearchIndex:
    index = corpus()
    start = KILLING.index("One day")
    index.set_notes("a/killing.txt", [("n1", start, start + 40, "Russia's reply: ask the [red]Kremlin[/] for the readout")])
    return index


async def settled(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def status(app: App) -> str:
    return str(app.screen.query_one("#search-status", Static).render())


async def test_typing_searches_and_enter_opens_the_highlighted_hit() -> None:
    app = SearchApp(noted_corpus().search)
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


async def test_down_and_up_from_the_query_enter_the_results() -> None:
    app = SearchApp(noted_corpus().search, initial_query="russia")
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
    assert (hit.kind, hit.annotation_id) == ("note", "n1")


async def test_enter_before_the_results_arrive_moves_to_them_when_they_do() -> None:
    app = SearchApp(noted_corpus().search)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"pipeline", "enter")
        await settled(pilot)
        results = app.screen.query_one("#search-results", OptionList)
        assert app.focused is results and results.highlighted == 0
        await pilot.press("enter")
        await pilot.pause()
    assert [hit.path for hit in app.chosen] == ["b/pipeline.txt"]


async def test_escape_closes_with_nothing_and_no_hits_says_so() -> None:
    app = SearchApp(noted_corpus().search, show_timing=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"xylophone")
        await settled(pilot)
        assert status(app).startswith("no hits (") and status(app).endswith(" ms)")
        assert app.screen.query_one("#search-results", OptionList).option_count == 0
        await pilot.press("escape")
        await pilot.pause()
    assert app.chosen == [None]


async def test_titles_and_text_with_markup_are_shown_literally() -> None:
    index = index_of(("m.txt", "[bold]Title[/]", "Some [red]gas[/] text"))
    app = SearchApp(index.search, initial_query="gas")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        prompt = app.screen.query_one("#search-results", OptionList).get_option_at_index(0).prompt
        assert prompt.plain == "[bold]Title[/]  m.txt\n  Some [red]gas[/] text"
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


async def test_more_hits_than_listed_are_counted_in_the_status() -> None:
    index = index_of(*((f"{n:04d}.txt", f"T{n}", "gas\n\ngas") for n in range(600)))
    app = SearchApp(index.search, initial_query="gas")
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


def test_snapshot_search_results(snap_compare) -> None:
    assert snap_compare(SearchApp(noted_corpus().search, initial_query="russia"), terminal_size=(80, 24), run_before=_ready())


def test_snapshot_search_results_with_a_note_highlighted(snap_compare) -> None:
    app = SearchApp(noted_corpus().search, initial_query='kremlin "the readout"')
    assert snap_compare(app, terminal_size=(80, 24), run_before=_ready("down"))


@pytest.mark.parametrize("query", ["", "   "])
async def test_a_blank_query_shows_nothing(query: str) -> None:
    app = SearchApp(noted_corpus().search, initial_query="gas")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert app.screen.query_one("#search-results", OptionList).option_count == 2
        app.screen.query_one("#search-input", Input).value = query
        await pilot.pause()
        await settled(pilot)
        assert app.screen.query_one("#search-results", OptionList).option_count == 0
        assert status(app) == ""
