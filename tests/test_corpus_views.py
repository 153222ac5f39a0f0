"""Pilot and snapshot tests of compare mode, corpus search and the overview, in the reader.

The keys are pressed for real; what a key changes in the notes is read back
from disk with a read-only ``Store``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pilot import FIRST, SAMPLE, drawn, saved, screen_text, settle, until
from tui.app import DossierApp
from tui.screens.overview import OverviewScreen
from tui.screens.picker import ArticlePicker
from tui.screens.search import SearchScreen

WIRE = "07_wire-transit-deal.txt"
PATROLS = "02_black-sea-patrols.txt"


@pytest.fixture
def notes(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return Path("notes")


async def compare_with(pilot, query: str) -> DossierApp:
    """Open the first article, then compare it with the article the picker finds for ``query``."""
    app = await settle(pilot)
    await pilot.press("enter", "c")
    await pilot.pause()
    assert isinstance(app.screen, ArticlePicker)
    await pilot.press(*query, "enter")
    await settle(pilot)
    await until(pilot, lambda: app.reader.compare.shared, "the shared passages (found in a worker)")
    return app


async def test_compare_picks_by_fuzzy_title_and_tags_the_focused_pane(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(160, 40)) as pilot:
        app = await compare_with(pilot, "azerbajan hurdle")  # a typo, and words out of order
        reader = app.reader
        assert reader.side.document is not None and reader.side.document.rel == WIRE
        assert app.focused is reader.side.view and reader.focused_pane() is reader.side
        await pilot.press("j", "1")  # tag the wire story's second paragraph
        await settle(pilot)
        [ann] = saved(notes, WIRE)
        assert ann.tags == ("security",) and "ANKARA" in ann.target.exact
        assert saved(notes, FIRST) == []
        await pilot.press("shift+tab")  # back to the main article: keys act there now
        assert reader.focused_pane() is reader.main
        await pilot.press("2")
        await settle(pilot)
        assert [a.tags for a in saved(notes, FIRST)] == [("energy",)]


async def test_shared_passages_are_marked_and_m_jumps_to_the_counterpart(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(160, 40)) as pilot:
        app = await compare_with(pilot, "hurdle")
        shared = app.reader.compare.shared
        assert len(shared) == 3
        main, side = app.reader.main.view, app.reader.side.view
        pair = shared[1]
        main.select(*pair.left)
        main.focus()
        await pilot.press("m")
        assert app.focused is side and side.selected == pair.right
        assert side.text[slice(*pair.right)] == main.text[slice(*pair.left)]
        assert "≈" in screen_text(side)
        await pilot.press("m")  # and back again
        assert app.focused is main and main.selected == pair.left


async def test_swap_lock_and_tag_filter(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(160, 40)) as pilot:
        app = await compare_with(pilot, "hurdle")
        await pilot.press("x")
        await settle(pilot)
        reader = app.reader
        assert reader.main.document.rel == WIRE and reader.side.document.rel == FIRST
        assert reader.query_one("#raw").display is False  # still comparing
        # Locked: scrolling the focused pane moves the other one too.
        await pilot.press("equals_sign")
        side = reader.side.view
        side.focus()
        await pilot.press("pagedown")
        await pilot.pause()
        assert side.scroll_y > 0 and reader.main.view.scroll_y > 0
        # The tag filter shows only the passages with that tag, in both panes.
        await pilot.press("k", "1")
        await settle(pilot)
        await pilot.press("f")
        assert reader.compare.only == "security"
        assert len(side.passages) == 1
        assert "no passage tagged security" in screen_text(reader.main.view)
        for _ in reader.tags:
            await pilot.press("f")
        assert reader.compare.only is None and len(side.passages) > 1


async def test_search_opens_the_passage_with_its_terms_highlighted(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"warships nautical")
        await until(pilot, lambda: app.screen.result and app.screen.result.query == "warships nautical", "the search")
        result = app.screen.result
        assert result.total == 2 and result.articles == 1
        await pilot.press("down", "enter")
        await settle(pilot)
        view = app.reader.main.view
        assert app.reader.main.document.rel == PATROLS
        start, end = view.selected
        assert "two nautical miles" in view.text[start:end]
        words = sorted(view.text[s:e].lower() for s, e in view.highlights)
        assert words == ["nautical", "warships"]


async def test_search_finds_notes(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "j", "j", "n")
        await pilot.pause()
        await pilot.press(*"zeolite grade", "ctrl+s")
        await settle(pilot)
        await pilot.press("k", "k")  # away from the passage
        await pilot.press("ctrl+f", *"zeolite")
        await until(pilot, lambda: app.screen.result and app.screen.result.query == "zeolite", "the search")
        [hit] = app.screen.result.hits
        assert hit.kind == "note" and hit.annotation_id == saved(notes)[0].id
        await pilot.press("down", "enter")
        await settle(pilot)
        ann = saved(notes)[0]
        view = app.reader.main.view
        assert app.reader.main.document.cleaned.to_source(view.selected[0]) == ann.target.start


async def test_overview_counts_and_opens_a_passage(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "j", "2", "j", "j", "2", "4")
        await settle(pilot)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        matrix = screen.matrix
        assert matrix.count(FIRST, "energy") == 2 and matrix.count(FIRST, "diplomacy") == 1
        assert matrix.row_total(FIRST) == 2 and matrix.total == 2
        assert 0 < screen.coverage[FIRST] < 1 and screen.coverage[PATROLS] == 0
        app.reader.main.view.select(0, 1)  # move away, so opening the passage must move back
        screen.show_passages(FIRST, "diplomacy")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        ann = next(a for a in saved(notes) if "diplomacy" in a.tags)
        assert app.reader.main.document.cleaned.to_source(app.reader.main.view.selected[0]) == ann.target.start


async def test_w_goes_to_the_next_untagged_paragraph(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "j", "1", "j", "1", "k", "k")
        await settle(pilot)
        view = app.reader.main.view
        assert view.cursor == 0
        await pilot.press("w")  # the title is untagged, so w goes past the two tagged paragraphs
        assert view.cursor == 3


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_snapshot_compare_mode(snap_compare, notes, size) -> None:
    async def compare(pilot) -> None:
        app = await compare_with(pilot, "hurdle")
        shared = app.reader.compare.shared
        app.reader.main.view.select(*shared[0].left)
        app.reader.side.view.select(*shared[0].right)
        await drawn(pilot)

    assert snap_compare(DossierApp(SAMPLE, notes), terminal_size=size, run_before=compare)


def test_snapshot_article_picker(snap_compare, notes) -> None:
    async def pick(pilot) -> None:
        await settle(pilot)
        await pilot.press("c", *"sea")
        await drawn(pilot)

    assert snap_compare(DossierApp(SAMPLE, notes), terminal_size=(80, 24), run_before=pick)


async def test_compare_mode_never_shows_an_article_beside_itself_and_says_when_it_closes(notes) -> None:
    """c, x, then the main pane opens the compared article (as a search hit or the overview would)."""
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(160, 40)) as pilot:
        app = await compare_with(pilot, "hurdle")
        reader = app.reader
        await pilot.press("equals_sign", "x")  # locked, then swapped: the wire story on the left
        await settle(pilot)
        assert reader.main.document.rel == WIRE and reader.side.document.rel == FIRST
        reader.open_in_reader(FIRST, lambda pane: None)
        await settle(pilot)
        assert reader.main.document.rel == FIRST
        assert reader.right == "raw" and reader.compare.shared == [] and not reader.compare.locked
        assert "locked" not in str(reader.main.border_title)
        status = str(reader.query_one("#status").render())
        assert "compare mode closed" in status and "shared passage" not in status


async def test_leaving_compare_mode_clears_its_title_and_status(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(160, 40)) as pilot:
        app = await compare_with(pilot, "hurdle")
        await pilot.press("equals_sign", "r")
        await settle(pilot)
        reader = app.reader
        assert "locked" not in str(reader.main.border_title)
        assert "shared passage" not in str(reader.query_one("#status").render())
