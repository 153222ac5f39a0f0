"""Pilot and snapshot tests of the tag manager's codebook keys: describe (e), merge (m), key (k), undo (u).

Real keys are pressed; what is checked is what the notes hold on disk (read
back with a read-only ``Store``) and what the dialog shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.pilot import SAMPLE, drawn, open_first, saved, settle, tags_on_disk
from tui.app import DossierApp
from tui.core.notes.store import Store
from tui.screens.tag_manager import TagManager


@pytest.fixture
def notes(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return Path("notes")


def typed(text: str) -> list[str]:
    """The keys that type ``text``."""
    names = {" ": "space", "/": "slash", ",": "comma", ".": "full_stop", ":": "colon"}
    return [names.get(c, c) for c in text]


def description(notes: Path, name: str) -> str:
    with Store.open(notes, mode="read") as store:
        return store.vocabulary.get(name).description


def shown_description(app: DossierApp) -> str:
    return str(app.screen.query_one("#tag-description", Static).render())


async def test_a_description_is_written_shown_and_undone(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("t", "down", "e", *typed("Gas, oil, power"), "enter", *typed("Not prices alone."), "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TagManager)
        assert description(notes, "energy") == "Gas, oil, power\nNot prices alone."
        assert "Gas, oil, power" in shown_description(app)
        await pilot.press("up")
        await settle(pilot)
        assert "security: no description yet" in shown_description(app)
        await pilot.press("u")
        await settle(pilot)
        assert description(notes, "energy") == ""
        await pilot.press("down", "e", "escape")  # the editor cancelled: nothing saved
        await settle(pilot)
        assert description(notes, "energy") == ""


async def test_merging_two_tags_keeps_the_others_and_undoes(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("1", "3")  # security and Syria on the passage
        await settle(pilot)
        await pilot.press("t", "m", *typed("diplomacy"), "enter")  # security into diplomacy
        await settle(pilot)
        assert tags_on_disk(notes) == ["energy", "Syria", "diplomacy"]
        assert [a.tags for a in saved(notes)] == [("diplomacy", "Syria")]
        await pilot.press("m", *typed("nothing"), "enter")  # energy into a tag that does not exist
        await settle(pilot)
        assert "unknown tag 'nothing'" in str(app.screen.query_one("#tag-message", Static).render())
        await pilot.press("u")
        await settle(pilot)
        assert tags_on_disk(notes) == ["security", "energy", "Syria", "diplomacy"]
        assert [a.tags for a in saved(notes)] == [("security", "Syria")]


async def test_k_puts_a_tag_on_a_number_key(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("t", "end", "k", "1", "enter")
        await settle(pilot)
        assert tags_on_disk(notes) == ["diplomacy", "security", "energy", "Syria"]
        await pilot.press("k", "9", "enter")  # only four tags: refused in the dialog
        await settle(pilot)
        assert "no key '9'" in str(app.screen.query_one("#tag-message", Static).render())
        await pilot.press("escape", "1")  # key 1 is diplomacy now
        await settle(pilot)
        assert [a.tags for a in saved(notes)] == [("diplomacy",)]


def test_snapshot_tag_manager_with_descriptions_80x24(snap_compare, notes) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("t", "a", *typed("energy/pipelines"), "enter")
        await settle(pilot)
        await pilot.press("home", "e", *typed("Violence, threats and attacks, by anyone."), "ctrl+s")
        await settle(pilot)
        await pilot.press("end", "e", *typed("Gas pipelines: routes, deals, transit fees."), "ctrl+s")
        await settle(pilot)
        await drawn(pilot)

    assert snap_compare(DossierApp(SAMPLE, notes), terminal_size=(80, 24), run_before=run_before)


async def test_help_lists_each_tag_key_with_its_description(notes) -> None:
    from tui.screens.help import HelpScreen

    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("t", "down", "e", *typed("Gas and oil"), "ctrl+s")
        await settle(pilot)
        await pilot.press("escape", "question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.rows[:2] == [("tag keys", "1", "security"), ("tag keys", "2", "energy — Gas and oil")]
