"""Blind coding: ``dossier --blind`` shows the analyst's own annotations only, until ``B`` shows everyone's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pilot import SAMPLE, open_first, screen_text, settle, until
from tui.app import DossierApp
from tui.cli_parsers import reader_parser
from tui.core.notes.store import Store


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
