"""Every dialog works from the keyboard alone: Tab and shift+Tab walk its fields, arrows and space choose.

Each test opens a dialog from the reader with its key, moves with Tab, checks
where the focus is, and checks what was saved on disk (or opened) at the end.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.pilot import FIRST, SAMPLE, open_first, saved, settle, tags_on_disk, until
from tui.app import DossierApp
from tui.reader.screen import ReaderScreen
from tui.screens.confirm import Confirm
from tui.screens.export import ExportDialog
from tui.screens.help import HelpScreen
from tui.screens.note_editor import NoteEditor
from tui.screens.overview import OverviewScreen
from tui.screens.picker import ArticlePicker
from tui.screens.search import SearchScreen
from tui.screens.tag_manager import TagManager


@pytest.fixture
def notes(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return Path("notes")


def focus_id(app: DossierApp) -> str | None:
    """The id of the focused widget."""
    return app.focused.id if app.focused is not None else None


async def test_export_dialog_every_choice_by_tab_arrows_and_space(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog), "the export dialog")
        walk = []
        for _ in range(8):
            walk.append(focus_id(app))
            await pilot.press("tab")
        assert walk == ["export-scope", "export-by", "export-format", "export-tag-0", "export-tag-1",
                        "export-tag-2", "export-tag-3", "export-path"]
        assert focus_id(app) == "export-preview"  # the preview scrolls by keys too
        await pilot.press(*["shift+tab"] * 6)
        assert focus_id(app) == "export-format"
        await pilot.press("down", "down", "space")  # CSV
        await pilot.press("tab", "space")  # only security
        await pilot.press("tab", "tab", "tab", "tab")  # to the file name
        assert focus_id(app) == "export-path"
        await pilot.press("ctrl+u", *"out.csv", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the dialog to close once saved")
        rows = list(csv.DictReader(Path("out.csv").read_text(encoding="utf-8-sig").splitlines()))
        assert [(r["article"], r["tag"]) for r in rows] == [(FIRST, "security")]


async def test_tag_manager_by_keys_with_undo(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TagManager), "the tag manager")
        assert focus_id(app) == "tag-list"
        await pilot.press("a")
        assert focus_id(app) == "tag-input"  # typing goes to the name
        await pilot.press(*"tanks", "enter")
        await settle(pilot)
        assert focus_id(app) == "tag-list" and tags_on_disk(notes)[-1] == "tanks"
        await pilot.press("u")  # undo works in the manager too
        await settle(pilot)
        assert tags_on_disk(notes) == ["security", "energy", "Syria", "diplomacy"]
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_note_editor_and_confirm_by_keys(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NoteEditor), "the note editor")
        assert focus_id(app) == "note-text"
        await pilot.press(*"pipeline fee", "ctrl+s")
        await settle(pilot)
        assert [a.note for a in saved(notes)] == ["pipeline fee"]
        await pilot.press("a")  # the annotations pane, its only annotation highlighted
        assert focus_id(app) == "notes"
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, Confirm), "the question")
        await pilot.press("n")  # no: nothing deleted
        await settle(pilot)
        assert len(saved(notes)) == 1
        await pilot.press("d", "y")
        await settle(pilot)
        assert saved(notes) == []


async def test_picker_search_overview_and_help_by_keys(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_first(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ArticlePicker), "the picker")
        await pilot.press(*"patrols", "tab")
        assert focus_id(app) == "picker-list"
        await pilot.press("enter")
        await settle(pilot)
        assert app.reader.side.document.rel == "02_black-sea-patrols.txt"

        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search")
        await pilot.press(*"frigates")
        await until(pilot, lambda: app.screen.result and app.screen.result.query == "frigates", "the hits")
        await pilot.press("tab")
        assert focus_id(app) == "search-results"
        await pilot.press("shift+tab")
        assert focus_id(app) == "search-input"
        await pilot.press("escape")

        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        assert focus_id(app) == "overview-table"
        await pilot.press("tab")
        assert focus_id(app) == "overview-passages"
        await pilot.press("shift+tab", "escape")
        assert isinstance(app.screen, ReaderScreen)

        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
