"""Review mode: the disagreements of two analysts on one article, and every key that reviews them (``D ] [ < > = u ctrl+r escape``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pilot import FIRST, SAMPLE, open_first, settle, until
from tests.review_notes import FOURTH, THIRD, saved, span_of, two_analysts
from tui.app import DossierApp
from tui.core.agreement import document_units
from tui.core.corpus import read_article
from tui.core.document import clean_document
from tui.core.notes.store import Store
from tui.core.review import disagreement_units, pairs_by_count, resolved

# --- the disagreements of one article (no screen) ---------------------------------------------------------


def paragraph_of(quote: str, units: list[tuple[int, int]]) -> tuple[int, int]:
    start = span_of(quote)[0]
    return next(u for u in units if u[0] <= start < u[1])


def test_the_disagreements_are_the_paragraphs_where_the_two_code_different_tags(tmp_path) -> None:
    two_analysts(tmp_path / "notes")
    units = document_units(clean_document(read_article(SAMPLE, FIRST), {}, []))
    with Store.open(tmp_path / "notes", mode="read") as store:
        annotations = store.all_annotations()
    assert pairs_by_count(annotations) == [("anna", "bea")]
    found = disagreement_units(units, annotations, "anna", "bea")
    assert found == [paragraph_of(THIRD, units), paragraph_of(FOURTH, units)]
    assert resolved(found, annotations) == set()  # no consensus yet
    assert disagreement_units(units, annotations, "anna", "anna") == []


# --- the keys, in the reader ----------------------------------------------------------------------------


@pytest.fixture
def notes(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("DOSSIER_ANALYST", raising=False)
    two_analysts(tmp_path / "notes")
    return tmp_path / "notes"


def status(app: DossierApp) -> str:
    return str(app.reader.status.render())


async def test_every_review_key_saves_to_consensus_and_counts_what_is_left(notes) -> None:
    third, fourth = span_of(THIRD), span_of(FOURTH)
    app = DossierApp(SAMPLE, notes, analyst="carla")
    async with app.run_test(size=(160, 40)) as pilot:
        await open_first(pilot)
        reader = app.reader
        await pilot.press("D")
        await settle(pilot)
        side = reader.side
        assert reader.right == "compare" and side is not None and side.document is not None and side.document.rel == FIRST
        assert (reader.main.analyst, side.analyst) == ("anna", "bea")
        # Each pane draws only its analyst's annotations: anna has two, bea three.
        assert len(reader.main.view.paint.marks) == 2 and len(side.view.paint.marks) == 3
        assert reader.review.units and len(reader.review.units) == 2
        assert "review anna ↔ bea: 2 of 2 disagreements left" in status(app)

        await pilot.press("[")  # before the first disagreement: nothing that way
        await settle(pilot)
        assert "no more disagreements this way" in status(app)

        await pilot.press("right_square_bracket")
        await settle(pilot)
        for pane in reader.panes():
            selected = pane.selected_source()
            assert selected is not None and selected[0] <= third[0] < selected[1]  # the third paragraph, in both panes
        assert "on 1: open" in status(app)

        await pilot.press("less_than_sign")  # anna's security
        await settle(pilot)
        assert saved(notes) == [(*third, ("security",), "")]
        assert "1 of 2 disagreements left" in status(app) and "on 1: resolved" in status(app)

        await pilot.press("u")
        await settle(pilot)
        assert saved(notes) == []
        assert "2 of 2 disagreements left" in status(app)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert saved(notes) == [(*third, ("security",), "")]
        assert "1 of 2 disagreements left" in status(app)

        await pilot.press("right_square_bracket")  # the fourth paragraph: only bea coded it
        await settle(pilot)
        assert "on 2: open" in status(app)
        await pilot.press("less_than_sign")  # anna coded nothing there: a note-only consensus annotation says so
        await settle(pilot)
        unit = reader.review.units[1]
        assert saved(notes)[1] == (*unit, (), "review: accepted anna, who coded nothing here")
        assert "0 of 2 disagreements left" in status(app)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("greater_than_sign")  # bea's security instead
        await settle(pilot)
        assert saved(notes) == [(*third, ("security",), ""), (*fourth, ("security",), "")]

        await pilot.press("left_square_bracket", "equals_sign")  # back to the third: both (anna's is there already)
        await settle(pilot)
        assert saved(notes) == [(*third, ("energy",), ""), (*third, ("security",), ""), (*fourth, ("security",), "")]
        assert "0 of 2 disagreements left" in status(app)
        assert saved(notes, "anna") == [(*span_of("Turkey and Azerbaijan signed a long-delayed transit agreement"), ("energy",), ""),
                                        (*third, ("security",), "")]  # the analysts' own are untouched

        await pilot.press("escape")
        await settle(pilot)
        assert reader.right == "raw" and not reader.review.on and reader.main.analyst is None
        assert "review closed" in status(app)
        assert len(reader.main.view.paint.marks) == 8  # every analyst's annotations again (anna 2, bea 3, consensus 3)
        await pilot.press("equals_sign")  # outside review = is the compare lock again, with nothing to lock
        await settle(pilot)
        assert "no compared article" in status(app)


async def test_review_needs_two_analysts_and_outside_it_the_brackets_still_jump_to_annotations(tmp_path) -> None:
    notes = tmp_path / "notes"
    app = DossierApp(SAMPLE, notes, analyst="anna")
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("2")  # anna's energy on the second paragraph
        await settle(pilot)
        tagged = app.reader.main.selected_source()
        await pilot.press("D")
        await settle(pilot)
        assert "review needs annotations by two analysts" in status(app) and not app.reader.review.on
        await pilot.press("k")
        await settle(pilot)
        assert app.reader.main.selected_source() != tagged
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: app.reader.main.selected_source() == tagged, "] to jump to the annotated paragraph")
