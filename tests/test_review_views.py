"""The pictures of review mode (80×24, 200×50) and the overview's per-analyst view (key 5): its figures and its snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pilot import FIRST, SAMPLE, keys, settle, until
from tests.review_notes import two_analysts
from tui.app import DossierApp
from tui.core.agreement import document_units
from tui.core.analyst_overview import analyst_table
from tui.core.corpus import read_article
from tui.core.document import clean_document
from tui.core.notes.store import Store
from tui.screens.overview import OverviewScreen


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch) -> None:
    """Notes named relative to the working folder (no absolute path on screen), by anna and bea."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DOSSIER_ANALYST", raising=False)
    two_analysts(Path("notes"))



def app() -> DossierApp:
    return DossierApp(SAMPLE, Path("notes"), analyst="carla")


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_snapshot_review_mode(snap_compare, size) -> None:
    # anna left, bea right, the two disagreements marked ≠; the cursor on the first one, accepted from the left.
    assert snap_compare(app(), terminal_size=size, run_before=keys("enter", "D", "right_square_bracket", "less_than_sign"))


def test_snapshot_overview_analysts(snap_compare) -> None:
    assert snap_compare(app(), terminal_size=(120, 35), run_before=keys("v", "5"))


def test_the_analyst_table_counts_per_analyst_and_measures_the_coders_only() -> None:
    with Store.open(Path("notes"), mode="read") as store:
        annotations = store.all_annotations()
    units = {FIRST: document_units(clean_document(read_article(SAMPLE, FIRST), {}, []))}
    table = analyst_table(annotations, units, ["security", "energy", "Syria"])
    assert table.analysts == ["anna", "bea"]
    assert [(table.count(t, "anna"), table.count(t, "bea")) for t in table.tags] == [(1, 1), (1, 2), (0, 0)]
    assert table.agreement is not None
    n = len(units[FIRST])
    energy, security = table.agreement.tags["energy"], table.agreement.tags["security"]
    assert energy.units == n and energy.agreement == pytest.approx((n - 1) / n)  # they differ on the third paragraph
    assert security.agreement == pytest.approx((n - 2) / n)  # the third (anna) and the fourth (bea)
    one = analyst_table([a for a in annotations if a.analyst == "anna"], units, ["energy"])
    assert one.agreement is None and one.analysts == ["anna"]


async def test_key_5_shows_the_analysts_view_with_agreement_per_tag() -> None:
    reader = app()
    async with reader.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(reader.screen, OverviewScreen), "the overview")
        await pilot.press("5")
        await settle(pilot, article=False)
        overview = reader.screen
        assert isinstance(overview, OverviewScreen) and overview.view == "analysts"
        table = overview.query_one("#analysts")
        energy = [str(cell) for cell in table.get_row("tag:energy")]  # type: ignore[attr-defined]
        assert energy[1:3] == ["1", "2"] and energy[3].endswith("%") and energy[4] != "–"
        await pilot.press("v")  # after the last view, the first again
        await settle(pilot, article=False)
        assert overview.view == "coding"
