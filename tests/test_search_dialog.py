"""The search dialog (tui.screens.search) over corpus search.

Typing searches, Enter and the arrow keys move between the query and the
results and open a hit, Escape closes with nothing; the status line counts
hits (past the listed 200 too) and reports a failing search; titles and text
are shown literally, whatever markup they hold.

Every search here runs over a real cache: articles are written to a corpus
folder and read in with ``update_cache``, notes are saved by the real store
and synced with ``sync_notes`` (see ``tests/cached_corpus.py``). A
paragraph is a line the cleaner kept; every offset is in the article's
source text.

Update the snapshots with ``pytest tests/test_search_dialog.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, NamedTuple

import pytest
from textual.app import App, CSSPathType
from textual.widgets import Input, OptionList, Static

from tests.pilot import drawn, until
from tests.search_corpus import GAS, KILLING, PIPELINE, cached
from tui.core.paths import styles_dir
from tui.core.search.query import Hit, SearchResult
from tui.screens.search import SearchScreen


@pytest.fixture
def two(tmp_path):
    """The killing and the pipeline, read into a cache."""
    corpus = cached(tmp_path, ("a/killing.txt", KILLING), ("b/pipeline.txt", PIPELINE))
    yield corpus
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
