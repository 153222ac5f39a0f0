"""The overview's pictures: the timeline of annotations per tag per month, and the outlets × tags table.

Drawing is tested on ``Counts`` made by :mod:`tui.core.timeline`; the
reader is tested with real keys on a corpus whose manifest gives dates and
outlets (``tests/dated_corpus.py``), and snapshotted at 80×24 and 200×50.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.dated_corpus import make_corpus
from tests.pilot import keys, screen_text, settle, until
from tui.app import DossierApp
from tui.core.notes.anchor import Target
from tui.core.notes.store import Annotation, ArticleRef
from tui.core.timeline import timeline
from tui.reader.screen import ReaderScreen
from tui.screens.attributes import AttributeEditor
from tui.screens.overview import OverviewScreen
from tui.widgets.timeline_chart import NO_DATES, TimelineChart, timeline_lines

TAGS = ["security", "energy"]
COLOURS = {"security": "#d9534f", "energy": "#f0ad4e"}


def ann(path: str, *tags: str) -> Annotation:
    return Annotation("id", ArticleRef(path, "0" * 64), Target(0, 1, "x", "", ""), tags, "", "", "")


def plain(lines) -> list[str]:  # type: ignore[no-untyped-def]
    return [line.plain for line in lines]


DATES = {"a": "2016-11-03", "b": "2017-01-20T09:30", "c": None, "d": "2016"}
ANNOTATIONS = [ann("a", "security"), ann("a", "security", "energy"), ann("b", "energy"), ann("c", "energy"), ann("d", "security")]


def test_one_block_per_month_without_gaps_then_the_undated() -> None:
    lines = plain(timeline_lines(timeline(ANNOTATIONS, DATES, TAGS), COLOURS, 80))
    assert lines[0].startswith("5 annotations, 2016-11 to 2017-01 (2 undated)")
    body = [line.rstrip() for line in lines[2:]]
    labels = [line[:8].strip() for line in body]
    assert labels == ["2016-11", "", "2016-12", "2017-01", "undated", ""]  # a year alone is undated
    assert body[2] == "2016-12  ·"  # a quiet month is drawn quiet
    assert body[0].split()[1:] and body[0].split()[-1] == "2" and "security" in body[0]
    assert "energy" in body[1] and body[1].endswith(" 1")


def test_bars_share_one_scale_and_fit_the_width() -> None:
    counts = timeline(ANNOTATIONS, DATES, TAGS)
    for width in (80, 200):
        lines = plain(timeline_lines(counts, COLOURS, width))
        assert max(len(line) for line in lines) <= width
        bars = [line.count("█") for line in lines[2:] if "█" in line]
        per = min(bars)
        assert per >= 1 and all(bar % per == 0 for bar in bars)  # whole cells per annotation
        assert max(bars) == 2 * per  # the biggest count (2) is twice the smallest (1)
    narrow = max(line.count("█") for line in plain(timeline_lines(counts, COLOURS, 80)))
    wide = max(line.count("█") for line in plain(timeline_lines(counts, COLOURS, 200)))
    assert wide > 2 * narrow  # a wide terminal's width is used


def test_counts_too_big_for_the_width_are_scaled_down_never_to_nothing() -> None:
    many = [ann("a", "security")] * 500 + [ann("b", "energy")]
    lines = plain(timeline_lines(timeline(many, DATES, TAGS), COLOURS, 80))
    assert max(len(line) for line in lines) <= 80
    assert "bars scaled to fit" in lines[0]
    bars = {line.split()[-1]: line.count("█") for line in lines if "█" in line}
    assert bars["1"] == 1 and bars["500"] > 40


def test_no_dates_and_no_annotations_say_so() -> None:
    undated = plain(timeline_lines(timeline(ANNOTATIONS, {}, TAGS), COLOURS, 80))
    assert undated[1] == NO_DATES[:80] or undated[1] == NO_DATES
    assert plain(timeline_lines(timeline([], DATES, TAGS), COLOURS, 80)) == ["No tagged annotations yet."]


def test_tag_names_are_drawn_harmlessly() -> None:
    lines = timeline_lines(timeline([ann("a", "\x1b]0;pwned\x07x")], DATES, ["\x1b]0;pwned\x07x"]), {}, 80)
    assert not any("\x1b" in line.plain or "\x07" in line.plain for line in lines)


# --- in the reader -----------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_corpus(Path("."), Path("notes"))


async def open_overview(pilot) -> OverviewScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("v")
    await until(pilot, lambda: isinstance(pilot.app.screen, OverviewScreen), "the overview")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, OverviewScreen)
    return screen


async def test_the_timeline_counts_each_article_by_its_month(corpus) -> None:
    app = DossierApp(corpus, Path("notes"))
    async with app.run_test(size=(100, 30)) as pilot:
        overview = await open_overview(pilot)
        counts = overview.timeline
        assert counts.rows == ["2016-11", "2016-12", "2017-01", "2017-02", ""]
        assert (counts.count("2016-11", "energy"), counts.count("2016-11", "security")) == (2, 1)
        assert counts.count("2016-12", "security") == 2 and counts.count("", "diplomacy") == 1
        await pilot.press("2")
        await settle(pilot)
        chart = overview.query_one(TimelineChart)
        assert overview.view == "timeline" and app.focused is not None and app.focused.id == "timeline"
        lines = [line.plain for line in chart.lines()]
        assert lines[0].startswith("6 annotations, 2016-11 to 2017-02 (1 undated)")
        assert any(line.startswith("2017-01  ·") for line in lines)
        assert any(line.startswith("undated  diplomacy") for line in lines)
        await pilot.press("v")  # the next view: the outlets
        await settle(pilot)
        assert overview.view == "outlets"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the overview to close")


async def test_the_outlet_matrix_counts_outlets_and_draws_their_names_literally(corpus) -> None:
    app = DossierApp(corpus, Path("notes"))
    async with app.run_test(size=(100, 30)) as pilot:
        overview = await open_overview(pilot)
        await pilot.press("3")
        await settle(pilot)
        table = overview.query_one("#outlets", DataTable)
        assert app.focused is table
        rows = [" ".join(line.split()) for line in screen_text(table).splitlines()]
        assert rows[0] == "outlet security energy Syria diplomacy total"
        assert rows[1] == "The World 1 3 1 · 3"  # two articles: 3 annotations, energy on all three
        assert rows[2] == "TASS 2 · · 1 2"
        assert rows[3] == "[bold]Evil[/bold] News · · · 1 1"  # markup drawn as typed, the escape sequence gone
        assert rows[4] == "total 3 3 1 2 6"
        assert not any("\x1b" in row or "\x07" in row for row in rows)
        await pilot.press("down", "right")  # keyboard-navigable like the coding table
        assert table.cursor_coordinate == (1, 1)


async def test_an_attribute_edit_moves_an_article_in_the_timeline(corpus) -> None:
    app = DossierApp(corpus, Path("notes"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, AttributeEditor), "the attribute editor")
        await pilot.press("ctrl+u", *"2017-01-05", "tab", "ctrl+u", *"Reuters", "enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the editor to close")
        overview = await open_overview(pilot)
        assert overview.timeline.count("2017-01", "energy") == 2 and overview.timeline.row_total("2016-11") == 0
        assert "Reuters" in overview.outlets.rows


# --- snapshots --------------------------------------------------------------------------------



@pytest.fixture
def relative(tmp_path, monkeypatch) -> Path:
    """The dated corpus and its notes, named relative to the working folder (no absolute path on screen)."""
    monkeypatch.chdir(tmp_path)
    return make_corpus(Path("."), Path("notes"))


def test_snapshot_attribute_editor(snap_compare, relative) -> None:
    app = DossierApp(relative, Path("notes"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("i"))


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_snapshot_overview_timeline(snap_compare, relative, size) -> None:
    app = DossierApp(relative, Path("notes"))
    assert snap_compare(app, terminal_size=size, run_before=keys("v", "2"))
