"""The reader's export dialog (e): scope, grouping, tags, live preview, save, replace."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.pilot import SAMPLE, drawn, open_first, settle, until
from tui.app import DossierApp
from tui.core.export import report
from tui.screens.confirm import Confirm
from tui.screens.export import ExportDialog


@pytest.fixture
def notes(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return Path("notes")


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch) -> None:
    """Reports say when they were made; a fixed time keeps snapshots stable."""

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2024, 5, 1, 9, 30, tzinfo=UTC)

    monkeypatch.setattr(report, "datetime", Clock)


async def wait_for_preview(pilot, needle: str) -> str:
    """Wait until the dialog's preview holds ``needle`` and is drawn."""

    def shown() -> bool:
        dialog = pilot.app.screen
        return isinstance(dialog, ExportDialog) and needle in dialog.built

    await until(pilot, shown, f"the preview to show {needle!r}")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen.built


async def tag_and_open_export(pilot) -> ExportDialog:
    await open_first(pilot)
    await pilot.press("1")
    await settle(pilot)
    await pilot.press("e")
    await wait_for_preview(pilot, "## security")
    return pilot.app.screen


async def test_export_saves_the_report_and_asks_before_replacing(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await tag_and_open_export(pilot)
        assert dialog.query_one("#export-path", Input).value == "notes/report.md"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ExportDialog), "the dialog to close once saved")
        written = (notes / "report.md").read_text(encoding="utf-8")
        assert "## security" in written and "> Turkey and Azerbaijan signed a long-delayed transit agreement" in written
        assert "<!-- dossier:annotation " in written

        (notes / "report.md").write_text("older report", encoding="utf-8")
        await pilot.press("e")
        await wait_for_preview(pilot, "## security")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, Confirm), "the question before replacing")
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog), "the dialog again")
        assert (notes / "report.md").read_text(encoding="utf-8") == "older report"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, Confirm), "the question before replacing")
        await pilot.press("y")
        await until(pilot, lambda: not isinstance(app.screen, (ExportDialog, Confirm)), "the dialog to close once saved")
        assert "## security" in (notes / "report.md").read_text(encoding="utf-8")


async def test_export_choices_change_the_preview(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await tag_and_open_export(pilot)
        dialog.query_one("#export-format").query("RadioButton")[1].value = True  # JSON
        text = await wait_for_preview(pilot, '"AnnotationCollection"')
        assert '"value": "security"' in text
        assert dialog.query_one("#export-path", Input).value == "notes/report.json"
        dialog.query_one("#export-format").query("RadioButton")[0].value = True  # back to Markdown
        dialog.query_one("#export-by").query("RadioButton")[1].value = True  # by article
        text = await wait_for_preview(pilot, "## Ankara and Baku sign transit deal")
        dialog.query_one("#export-tag-1").value = True  # only energy: nothing tagged energy
        text = await wait_for_preview(pilot, "0 annotations")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ExportDialog), "the dialog to close")
        assert not (notes / "report.md").exists()


def test_snapshot_export_dialog(snap_compare, notes) -> None:
    async def run_before(pilot) -> None:
        await tag_and_open_export(pilot)
        await drawn(pilot)

    assert snap_compare(DossierApp(SAMPLE, notes), terminal_size=(120, 40), run_before=run_before)
