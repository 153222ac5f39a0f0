"""``F`` in the reader: type a tag expression, see only the passages whose tags satisfy it; ``f`` still cycles."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tests.dated_corpus import make_corpus
from tests.pilot import screen_text, settle, until
from tui.app import DossierApp
from tui.reader.screen import ReaderScreen
from tui.screens.tag_filter import TagFilterDialog

TRANSIT = "Turkey and Azerbaijan signed a long-delayed transit agreement for the gas pipeline on Monday."  # energy
FIRST_GAS = "Officials said the first gas would flow west by the end of the decade, after years of talks."  # energy, security


@pytest.fixture
def corpus(tmp_path) -> Path:
    return make_corpus(tmp_path, tmp_path / "notes")


def shown(app: DossierApp) -> list[str]:
    view = app.reader.main.view
    return [view.text[start:end] for start, end in view.passages]


async def type_expression(pilot, text: str, clear: bool = True) -> TagFilterDialog:  # type: ignore[no-untyped-def]
    await pilot.press("F")
    await until(pilot, lambda: isinstance(pilot.app.screen, TagFilterDialog), "the tag expression dialog")
    dialog = pilot.app.screen
    # The filter in force is there, selected: typing replaces it, End goes on from it.
    await pilot.press("ctrl+u" if clear else "end")
    await pilot.press(*text)
    await pilot.pause()
    return dialog


async def test_F_shows_the_passages_an_expression_picks_and_f_still_cycles(corpus) -> None:
    app = DossierApp(corpus, corpus.parent / "notes")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # into the first article (a_pipeline.txt)
        await settle(pilot)
        assert TRANSIT in shown(app) and FIRST_GAS in shown(app)
        await type_expression(pilot, "energy and not SECURITY")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the dialog to close")
        await settle(pilot)
        assert shown(app) == [TRANSIT]
        assert app.reader.main.only == "energy AND NOT SECURITY"  # as the pane's title says it
        assert "energy AND NOT SECURITY" in str(app.reader.main.border_title)

        # The dialog opens on the filter in force; a half-typed expression says why and does not close.
        dialog = await type_expression(pilot, " OR (", clear=False)
        assert dialog.query_one(Input).value == "energy AND NOT SECURITY OR ("
        assert screen_text(dialog.query_one("#tag-filter-hint")).strip() == "unexpected end at 29: expected a tag name"
        await pilot.press("enter")
        assert app.screen is dialog
        await pilot.press("escape")  # cancelled: the filter stays
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the dialog to close")
        assert shown(app) == [TRANSIT]

        await type_expression(pilot, "(security OR Syria) AND energy")
        await pilot.press("enter")
        await settle(pilot)
        assert shown(app) == [FIRST_GAS]

        await pilot.press("f")  # f goes back to cycling through the tags, from the first
        await settle(pilot)
        assert app.reader.main.only == "security" and app.reader.main.expression is None
        assert shown(app) == [FIRST_GAS]
        await pilot.press("f")
        await settle(pilot)
        assert app.reader.main.only == "energy" and shown(app) == [TRANSIT, FIRST_GAS]

        await type_expression(pilot, "")  # empty: every passage again
        await pilot.press("enter")
        await settle(pilot)
        assert app.reader.main.only is None
        assert TRANSIT in shown(app) and FIRST_GAS in shown(app) and len(shown(app)) == 3


async def test_an_unknown_tag_is_named_and_matches_nothing(corpus) -> None:
    app = DossierApp(corpus, corpus.parent / "notes")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        dialog = await type_expression(pilot, 'energy AND "human rights"')
        assert screen_text(dialog.query_one("#tag-filter-hint")).strip() == "no tag is called human rights"
        await pilot.press("enter")
        await settle(pilot)
        assert shown(app) == []
        assert "no tag is called human rights" in screen_text(app.reader.status)


async def test_an_expression_follows_new_tags(corpus) -> None:
    app = DossierApp(corpus, corpus.parent / "notes")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_expression(pilot, "energy AND NOT security")
        await pilot.press("enter")
        await settle(pilot)
        assert shown(app) == [TRANSIT]
        await pilot.press("right_square_bracket", "1")  # security on its annotation: the expression no longer picks it
        await settle(pilot)
        assert shown(app) == []


async def test_the_compared_article_follows_the_expression_in_force(corpus) -> None:
    from tui.screens.picker import ArticlePicker

    app = DossierApp(corpus, corpus.parent / "notes")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_expression(pilot, "energy and not SECURITY")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the dialog to close")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ArticlePicker), "the compare picker")
        await pilot.press("enter")  # the picker's first article
        await settle(pilot)
        side = app.reader.side
        assert side is not None and side.document is not None
        assert side.only == "energy AND NOT SECURITY" and side.expression is not None
        assert "energy AND NOT SECURITY" in str(side.border_title)
        view = side.view
        marks = side.document.marks()
        if view.passages:  # every passage it shows holds a mark whose tags satisfy the expression
            picked = [m for m in marks if side.expression.matches(m.tags)]
            assert all(any(m.start < end and m.end > start for m in picked) for start, end in view.passages)
        else:
            assert view.placeholder.startswith("no passage tagged")


def test_snapshot_tag_expression_dialog_80x24(snap_compare, corpus) -> None:
    """F with a half-typed expression: the dialog says why it cannot be read yet."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_expression(pilot, "energy AND (security OR")

    assert snap_compare(DossierApp(corpus, corpus.parent / "notes"), terminal_size=(80, 24), run_before=run_before)
