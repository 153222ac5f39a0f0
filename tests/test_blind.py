"""Blind coding: ``dossier --blind`` shows, counts and searches the analyst's own annotations only, until ``B`` shows everyone's."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.pilot import FIRST, SAMPLE, SECOND_PARAGRAPH, open_first, screen_text, settle, until
from tests.review_notes import SECOND, THIRD, span_of, three_analysts
from tui.app import DossierApp
from tui.cli_parsers import reader_parser
from tui.core.corpus import read_article
from tui.core.document import article_ref
from tui.core.notes.store import Store
from tui.reader.screen import ReaderScreen
from tui.screens.overview import OverviewScreen
from tui.screens.search import SearchScreen


@pytest.fixture
def notes(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return Path("notes")


def analysts(annotations) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(a.analyst for a in annotations)


async def tag_second_paragraph(notes: Path, analyst: str, key: str) -> None:
    """Open the reader as ``analyst`` (not blind), press a tag key on the first article's second paragraph, quit."""
    app = DossierApp(SAMPLE, notes, analyst=analyst)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press(key)
        await settle(pilot)


def test_the_reader_takes_blind_on_the_command_line() -> None:
    assert reader_parser().parse_args(["corpus", "--blind"]).blind is True
    assert reader_parser().parse_args(["corpus"]).blind is False


async def test_blind_shows_only_ones_own_until_B_shows_everyones(notes) -> None:
    await tag_second_paragraph(notes, "anna", "1")
    await tag_second_paragraph(notes, "bea", "2")
    app = DossierApp(SAMPLE, notes, analyst="anna", blind=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("a")
        await settle(pilot)
        pane = app.reader.on_demand("notes")
        main = app.reader.main
        assert main.document is not None
        assert analysts(main.document.annotations) == ["anna"]
        assert analysts(pane.annotations) == ["anna"]
        assert "blind: anna's only" in screen_text(app.reader.status)
        # A cycles whose annotations are shown, but not while blind.
        pane.focus()
        await pilot.press("A")
        await settle(pilot)
        assert analysts(pane.annotations) == ["anna"]
        assert "blind coding" in screen_text(app.reader.status)
        # B shows every analyst's, in the article and in the annotations pane; B again hides them.
        await pilot.press("B")
        await settle(pilot)
        await until(pilot, lambda: analysts(pane.annotations) == ["anna", "bea"], "both analysts' annotations")
        assert analysts(main.document.annotations) == ["anna", "bea"]
        assert "blind:" not in screen_text(app.reader.status)
        await pilot.press("B")
        await settle(pilot)
        await until(pilot, lambda: analysts(pane.annotations) == ["anna"], "anna's annotations only again")
        assert analysts(main.document.annotations) == ["anna"]


async def test_tagging_while_blind_never_adds_to_another_analysts_annotation(notes) -> None:
    await tag_second_paragraph(notes, "bea", "1")
    with Store.open(notes, mode="read") as store:
        [bea] = store.all_annotations()
    app = DossierApp(SAMPLE, notes, analyst="anna", blind=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        assert app.reader.main.document is not None and not app.reader.main.document.annotations
        await pilot.press("1")  # the same tag on the same span as bea's: a new annotation of anna's
        await settle(pilot)
        await pilot.press("1")  # and off again: anna's goes, bea's stays
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
    with Store.open(notes, mode="read") as store:
        after = store.all_annotations()
    [bea_after] = [a for a in after if a.analyst == "bea"]
    assert bea_after == bea
    [anna] = [a for a in after if a.analyst == "anna"]
    assert (anna.target.start, anna.target.end) == (bea.target.start, bea.target.end)
    assert anna.id != bea.id and len(anna.tags) == 1 and anna.tags != bea.tags


async def test_the_analyst_given_in_the_dialog_is_the_one_blind_coding_shows(notes) -> None:
    await tag_second_paragraph(notes, "bea", "1")
    from tui.screens.analyst import AnalystDialog

    app = DossierApp(SAMPLE, notes, ask=True, blind=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AnalystDialog), "the analyst dialog")
        await pilot.press(*"carla", "enter")
        await until(pilot, lambda: not isinstance(app.screen, AnalystDialog), "the dialog to close")
        await open_first(pilot)
        await pilot.press("1")
        await settle(pilot)
        main = app.reader.main
        await until(pilot, lambda: main.document is not None and analysts(main.document.annotations) == ["carla"], "carla's own")
        assert "blind: carla's only" in screen_text(app.reader.status)


# --- every figure: the list, its filters, the overview (anna, bea and carla coded; tests/review_notes.py) ---------------------


@pytest.fixture
def three(notes) -> Path:
    three_analysts(notes)
    return notes


async def test_blind_coding_hides_the_others_from_the_list_the_filters_and_the_overview_until_B(three) -> None:
    app = DossierApp(SAMPLE, three, analyst="anna", blind=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        reader = app.reader
        articles = reader.library.articles

        def counts() -> dict[str, tuple[int, tuple[str, ...]]]:
            return {rel: (e.notes, e.tags) for rel in (FIRST, SECOND) if (e := articles.entry(rel)) is not None}

        assert counts() == {FIRST: (1, ("energy",)), SECOND: (0, ())}  # anna's own: not the cache's count of everyone's
        # f: the next tag (security, bea's on this article) shows no passage while blind.
        await pilot.press("f")
        await settle(pilot)
        assert reader.main.view.placeholder == "no passage tagged security here"
        await pilot.press("f", "f", "f", "f")  # energy, Syria, diplomacy, then every passage again
        await settle(pilot)
        # The list's tag: filter finds anna's tags only.
        await pilot.press("slash", *"tag:security")
        await settle(pilot)
        assert articles.shown_rels() == []
        await pilot.press("enter")  # back in the list, the filter in force
        await settle(pilot)

        # The overview's views count anna's annotations only.
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        assert overview.matrix.total == 1 and overview.matrix.count(FIRST, "energy") == 1
        assert overview.analysts.analysts == ["anna"]
        assert overview.together["overlap"].count("security", "security") == 0
        assert sum(overview.outlets.totals.values()) == 1 and sum(overview.timeline.totals.values()) == 1
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")

        # B: every analyst's again, in the list, its filter and the overview.
        await pilot.press("B")
        await settle(pilot)
        await until(pilot, lambda: counts() == {FIRST: (3, ("energy", "security", "Syria")), SECOND: (1, ("diplomacy",))},
                    "every analyst's counts")
        assert articles.shown_rels() == [FIRST]  # tag:security, which bea coded
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        assert overview.matrix.total == 4 and overview.analysts.analysts == ["anna", "bea", "carla"]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")

        # B again hides them from the list at once.
        await pilot.press("B")
        await settle(pilot)
        await until(pilot, lambda: counts() == {FIRST: (1, ("energy",)), SECOND: (0, ())}, "anna's own counts again")
        assert articles.shown_rels() == []


async def test_while_blind_only_B_shows_the_others(three) -> None:
    app = DossierApp(SAMPLE, three, analyst="anna", blind=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("ctrl+a")  # the checklist would name what the others coded: not opened
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and "blind coding" in screen_text(app.reader.status)
        await pilot.press("D")  # review shows both analysts' coding: refused
        await settle(pilot)
        assert app.reader.right != "compare" and "B turns blind coding off first" in app.reader.status.error
        assert analysts(app.reader.main.document.annotations) == ["anna"]


# --- search: the other analysts' notes are not found while blind ------------------------------------------


def notes_by_anna_and_bea(notes: Path) -> dict[str, str]:
    """anna notes the first article's second paragraph "obsidian grade", bea its third "zeolite grade"; their ids by analyst."""
    first = read_article(SAMPLE, FIRST)
    ids = {}
    with Store.open(notes) as store:
        for analyst, quote, note in (("anna", SECOND_PARAGRAPH, "obsidian grade"), ("bea", THIRD, "zeolite grade")):
            store.analyst = analyst
            ids[analyst] = store.add(article_ref(first), first.text, *span_of(quote), ["energy"], note).id
    return ids


async def searched(pilot, query: str) -> tuple[list[tuple[str, str | None]], int]:  # type: ignore[no-untyped-def]
    """Search with ctrl+f; the hits (kind, annotation id) and how many the dialog lists; then close it."""
    app = pilot.app
    await pilot.press("ctrl+f", *query)

    def answered() -> bool:
        return isinstance(app.screen, SearchScreen) and app.screen.result is not None and app.screen.result.query == query

    await until(pilot, answered, f"the search for {query!r}")
    screen = app.screen
    assert isinstance(screen, SearchScreen) and screen.result is not None
    hits = [(hit.kind, hit.annotation_id) for hit in screen.result.hits]
    assert screen.result.total == len(hits)
    listed = screen.query_one("#search-results", OptionList).option_count
    await pilot.press("escape")
    await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
    return hits, listed


async def test_search_finds_only_ones_own_notes_while_blind_and_everyones_after_B(notes) -> None:
    ids = notes_by_anna_and_bea(notes)
    app = DossierApp(SAMPLE, notes, analyst="anna", blind=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        assert await searched(pilot, "zeolite") == ([], 0)  # only bea's note holds it
        assert await searched(pilot, "grade") == ([("note", ids["anna"])], 1)
        await pilot.press("B")
        await settle(pilot)
        assert await searched(pilot, "zeolite") == ([("note", ids["bea"])], 1)
        assert await searched(pilot, "grade") == ([("note", ids["anna"]), ("note", ids["bea"])], 2)
        await pilot.press("B")  # blind again: hidden again
        await settle(pilot)
        assert await searched(pilot, "zeolite") == ([], 0)
