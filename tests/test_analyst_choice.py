"""Whose annotations the reader shows: several analysts ticked at once in a checklist (``ctrl+a``).

Three analysts coded the sample's first article, one paragraph each
(``tests/review_notes.py``). The keys are the real ones, pressed in the reader.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pilot import FIRST, SAMPLE, SECOND_PARAGRAPH, drawn, open_first, screen_text, settle, until
from tests.review_notes import span_of, three_analysts
from tui.app import DossierApp
from tui.core.corpus import read_article
from tui.core.document import article_ref
from tui.core.notes.store import Store
from tui.reader.screen import ReaderScreen
from tui.screens.analyst_picker import AnalystPicker


def on_disk(notes: Path) -> dict[str, bytes]:
    """Every file of the notes folder but the corpus cache and the lock, by path: what the analyst's notes are."""
    return {str(p.relative_to(notes)): p.read_bytes() for p in sorted(notes.rglob("*"))
            if p.is_file() and "cache" not in p.relative_to(notes).parts and p.name != ".lock"}


@pytest.fixture
def notes(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DOSSIER_ANALYST", raising=False)
    three_analysts(Path("notes"))
    return Path("notes")


def analysts(annotations) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(a.analyst for a in annotations)


def status(app: DossierApp) -> str:
    return screen_text(app.reader.status)


async def pick(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Open the checklist with ctrl+a, press ``keys`` in it, and let the reader settle."""
    app = pilot.app
    await pilot.press("ctrl+a")
    await until(pilot, lambda: isinstance(app.screen, AnalystPicker), "the checklist of analysts")
    await pilot.pause()
    await pilot.press(*keys)
    await settle(pilot)


# --- several analysts at once --------------------------------------------------------------------------------


async def test_ctrl_a_shows_exactly_the_analysts_ticked_and_writes_nothing(notes) -> None:
    app = DossierApp(SAMPLE, notes, analyst="anna")
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("a")  # the annotations pane
        await settle(pilot)
        reader = app.reader
        pane = reader.on_demand("notes")
        assert analysts(pane.annotations) == ["anna", "bea", "carla"]
        before = on_disk(notes)

        # Every analyst is ticked at first (every analyst's annotations are shown): untick bea.
        await pick(pilot, "down", "space", "enter")
        assert isinstance(app.screen, ReaderScreen)
        await until(pilot, lambda: analysts(pane.annotations) == ["anna", "carla"], "anna's and carla's annotations")
        assert reader.main.document is not None and analysts(reader.main.document.annotations) == ["anna", "carla"]
        assert len(reader.main.view.paint.marks) == 2  # the article's colours follow: bea's paragraph is plain
        assert app.notes.showing == frozenset({"anna", "carla"})
        assert "showing: anna, carla" in status(app)

        # The checklist opens with the choice in force; escape leaves it as it was.
        await pick(pilot, "m", "escape")
        assert app.notes.showing == frozenset({"anna", "carla"}) and analysts(pane.annotations) == ["anna", "carla"]
        # m: only me.
        await pick(pilot, "m", "enter")
        await until(pilot, lambda: analysts(pane.annotations) == ["anna"], "anna's own only")
        assert "showing: anna" in status(app)
        # Nothing ticked is refused, and the dialog says why.
        await pick(pilot, "space", "enter")
        assert isinstance(app.screen, AnalystPicker)
        assert "tick at least one analyst" in screen_text(app.screen.query_one("#analysts-error"))
        # a: every analyst, the same as no choice at all.
        await pilot.press("a", "enter")
        await settle(pilot)
        await until(pilot, lambda: analysts(pane.annotations) == ["anna", "bea", "carla"], "every analyst's again")
        assert app.notes.showing is None and "showing" not in status(app)

        # A still steps through the analysts one by one, from the choice in force.
        await pick(pilot, "j", "j", "k", "space", "enter")  # j and k move as down and up: anna and carla again
        pane.focus()
        await pilot.press("A")
        await settle(pilot)
        await until(pilot, lambda: analysts(pane.annotations) == ["anna"], "A: the first analyst")
        await pilot.press("A")
        await settle(pilot)
        await until(pilot, lambda: analysts(pane.annotations) == ["bea"], "A: the next analyst")
    assert on_disk(notes) == before  # whose annotations are shown is never written to the notes


async def test_the_status_line_counts_the_analysts_when_their_names_are_long(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    notes = Path("notes")
    first = read_article(SAMPLE, FIRST)
    names = ["alexandra-k", "bartholomew-m", "constantine-p", "dorothea-v"]
    with Store.open(notes) as store:
        for name in names:
            store.analyst = name
            store.add(article_ref(first), first.text, *span_of(SECOND_PARAGRAPH), ["energy"])
    app = DossierApp(SAMPLE, notes, analyst="alexandra-k")
    async with app.run_test(size=(160, 35)) as pilot:
        await open_first(pilot)
        await pick(pilot, "down", "down", "space", "enter")  # all but constantine-p
        assert "showing 3 of 4 analysts" in status(app)
        assert analysts(app.reader.main.document.annotations) == ["alexandra-k", "bartholomew-m", "dorothea-v"]


def test_help_lists_the_key_and_the_checklists_keys() -> None:
    from tui.screens.help import binding_rows

    rows = binding_rows([("everywhere", list(ReaderScreen.BINDINGS)), ("analysts", list(AnalystPicker.BINDINGS))])
    assert ("everywhere", "ctrl+a", "Show the annotations of the analysts ticked in a list") in rows
    assert ("analysts", "a", "Tick every analyst") in rows and ("analysts", "m", "Tick only yourself") in rows


# --- the picture ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_snapshot_analyst_checklist(snap_compare, notes, size) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        # The raw pane hidden: the reason the cleaner gives for a dropped appeal line quotes one of its
        # phrases, which one varying from run to run, and with it the raw pane's length and scrollbar.
        await pilot.press("r", "ctrl+a")
        await until(pilot, lambda: isinstance(pilot.app.screen, AnalystPicker), "the checklist")
        await pilot.press("down", "space")  # bea unticked, the cursor on her
        await drawn(pilot)

    assert snap_compare(DossierApp(SAMPLE, notes, analyst="anna"), terminal_size=size, run_before=run_before)
