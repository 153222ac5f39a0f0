"""The overview's co-occurrence view (key 4): the tags × tags table, its two modes, a cell's passages.

Driven with real keys on the dated corpus (``tests/dated_corpus.py``) with
two more annotations: one overlapping another of a different tag, one
sharing a paragraph with another without overlapping it, so the two modes
count differently. Snapshotted at 80×24 and 200×50.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from textual.app import App, CSSPathType

from tests.dated_corpus import make_corpus
from tests.pilot import keys, screen_text, settle, until
from tui.app import DossierApp
from tui.core.cooccurrence import Placement, cooccurrence
from tui.core.corpus import read_article
from tui.core.document import article_ref
from tui.core.notes.anchor import Target
from tui.core.notes.store import Annotation, ArticleRef, Store
from tui.core.overview import coding_matrix
from tui.core.paths import styles_dir
from tui.reader.screen import ReaderScreen
from tui.screens.overview import OverviewScreen
from tui.widgets.cooccurrence_table import CooccurrenceView

#: (article, quote, tags) added to the dated corpus's annotations.
MORE = [
    ("a_pipeline.txt", "Turkey and Azerbaijan signed", ["security"]),  # overlaps "signed a long-delayed …" (energy)
    ("b_patrols.txt", "Analysts said the move", ["Syria"]),  # shares a paragraph with "meant to reassure allies"
]


def make(root: Path) -> Path:
    corpus = make_corpus(root, root / "notes")
    with Store.open(root / "notes", mode="write") as store:
        for rel, quote, tags in MORE:
            article = read_article(corpus, rel)
            start = article.text.index(quote)
            store.add(article_ref(article), article.text, start, start + len(quote), tags=tags)
    return corpus


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    """The corpus and its notes, named relative to the working folder (no absolute path on screen)."""
    monkeypatch.chdir(tmp_path)
    return make(Path("."))


async def open_view(pilot) -> tuple[OverviewScreen, CooccurrenceView]:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("v")
    await until(pilot, lambda: isinstance(pilot.app.screen, OverviewScreen), "the overview")
    await settle(pilot)
    overview = pilot.app.screen
    await pilot.press("4")
    await settle(pilot)
    view = overview.query_one(CooccurrenceView)
    return overview, view


def rows(view: CooccurrenceView) -> list[str]:
    return [" ".join(line.split()) for line in screen_text(view.table).splitlines() if line.strip()]


async def test_the_table_counts_overlapping_annotations_and_moves_by_arrows(corpus) -> None:
    app = DossierApp(corpus, Path("notes"))
    async with app.run_test(size=(100, 30)) as pilot:
        overview, view = await open_view(pilot)
        assert overview.view == "cooccurrence" and app.focused is view.table
        assert view.mode == "overlap"
        assert "counting passages of overlapping annotations" in screen_text(overview.query_one("#cooccurrence-mode"))
        assert rows(view) == [
            "security energy Syria diplomacy",
            "security 4 2 · 1",  # security × energy: an overlapping pair and one annotation with both
            "energy 2 3 1 ·",
            "Syria · 1 2 ·",
            "diplomacy 1 · · 2",
        ]
        assert view.table.cursor_coordinate == (0, 1)  # on the first cell, not on the names
        await pilot.press("right")
        assert view.table.cursor_coordinate == (0, 2)
        await settle(pilot)
        assert "security × energy: 2 passages" in screen_text(overview.query_one("#cooccurrence-caption"))
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "cooccurrence-passages"
        assert [(m.first.quote, m.second.quote if m.second else None) for m in view.shown] == [
            ("Turkey and Azerbaijan signed", "signed a long-delayed transit agreement"),
            ("the first gas would flow west", None),
        ]
        await pilot.press("escape")  # from the list back to the table, then out
        assert app.focused is view.table and isinstance(app.screen, OverviewScreen)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the overview to close")


async def test_m_counts_annotations_sharing_a_paragraph_and_enter_opens_the_passage(corpus) -> None:
    app = DossierApp(corpus, Path("notes"))
    async with app.run_test(size=(100, 30)) as pilot:
        overview, view = await open_view(pilot)
        assert view.counts.count("Syria", "security") == 0
        await pilot.press("m")
        await settle(pilot)
        assert view.mode == "paragraph"
        assert "annotations sharing a paragraph" in screen_text(overview.query_one("#cooccurrence-mode"))
        assert rows(view)[3] == "Syria 1 1 2 1"
        await pilot.press("down", "down", "left")  # Syria × security (arrows stop at the names)
        assert view.table.cursor_coordinate == (2, 1)
        await pilot.press("enter")
        await settle(pilot)
        assert [(m.path, m.first.quote, m.second.quote if m.second else None) for m in view.shown] == [
            ("b_patrols.txt", "Analysts said the move", "meant to reassure allies"),
        ]
        await pilot.press("enter")  # open it in the reader, as the coding table does
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the overview to close")
        await settle(pilot)
        document = app.reader.main.document
        assert document is not None and document.rel == "b_patrols.txt"
        start, end = document.to_clean(*(lambda s: (s, s + len("Analysts said the move")))(document.text.index("Analysts")))  # type: ignore[misc]
        assert app.reader.main.view.selected == (start, end)


async def test_v_goes_through_all_five_views(corpus) -> None:
    app = DossierApp(corpus, Path("notes"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        overview = app.screen
        seen = [overview.view]
        for _ in range(5):
            await pilot.press("v")
            seen.append(overview.view)
        assert seen == ["coding", "timeline", "outlets", "cooccurrence", "analysts", "coding"]


async def test_many_tags_fit_80_columns_by_cutting_their_names(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    corpus = make(Path("."))
    with Store.open(Path("notes"), mode="write") as store:
        for n in range(12):
            store.vocabulary.add(f"a rather long tag name {n}", "#888888", key="")
    app = DossierApp(corpus, Path("notes"))
    async with app.run_test(size=(80, 24)) as pilot:
        _, view = await open_view(pilot)
        assert len(view.counts.tags) == 16
        lines = screen_text(view.table).splitlines()
        assert all(len(line) <= view.table.size.width for line in lines)
        assert "…" in lines[0]  # headings cut
        for _ in range(15):
            await pilot.press("right")
        assert view.table.cursor_coordinate == (0, 16)  # the last column, scrolled to
        assert view.table.scroll_x > 0
        await settle(pilot)
        caption = screen_text(view.query_one("#cooccurrence-caption"))
        assert "security × a rather long tag name 11" in caption  # the cell named in full


# --- snapshots --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_snapshot_cooccurrence(snap_compare, corpus, size) -> None:
    app = DossierApp(corpus, Path("notes"))
    assert snap_compare(app, terminal_size=size, run_before=keys("v", "4", "right", "enter"))


# --- hostile names, on the screen alone ------------------------------------------------------

HOSTILE = "\x1b]0;pwned\x07[bold]x[/bold]"


async def test_tag_names_titles_and_quotes_are_drawn_literally_and_harmlessly() -> None:
    evil = Annotation("e", ArticleRef("e.txt", "0" * 64), Target(0, 5, "\x1b[2J[red]q[/red]", "", ""), (HOSTILE, "energy"), "", "", "")
    tags = [HOSTILE, "energy"]
    together = {"overlap": cooccurrence([Placement(evil)], tags, "overlap")}
    screen = OverviewScreen(coding_matrix([evil], ["e.txt"], tags), {"e.txt": "\x1b[31m[i]t[/i]"}, {}, together=together)

    class Bare(App[None]):
        CSS_PATH: ClassVar[CSSPathType] = [str(styles_dir() / "overview.tcss")]

        def on_mount(self) -> None:
            self.push_screen(screen)

    app = Bare()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        view = app.screen.query_one(CooccurrenceView)
        await pilot.press("right", "enter")
        await pilot.pause()
        everything = "\n".join(screen_text(widget) for widget in view.query("*") if widget.size.height)
        assert "\x1b" not in everything and "\x07" not in everything
        assert "[bold]x[/bold]" in everything and "[red]q[/red]" in everything and "[i]t[/i]" in everything
