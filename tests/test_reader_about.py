"""Pilot tests of what the analyst says about an article and the corpus: attributes (i), memos (M, C).

Real keys are pressed; what is checked is what the notes folder holds on
disk (read back with a second, read-only ``Store``) and what the reader
shows of it (its public state).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from tests.dated_corpus import make_corpus
from tests.pilot import settle, until
from tui.app import DossierApp
from tui.core.notes.store import Store
from tui.reader.screen import ReaderScreen
from tui.screens.attributes import AttributeEditor
from tui.screens.memo_editor import MemoEditor

FIRST = "a_pipeline.txt"


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_corpus(tmp_path, Path("notes"))


def on_disk(rel: str = FIRST) -> tuple[dict[str, str], str, str]:
    """The analyst's attributes and memo of ``rel``, and the corpus memo, as the notes folder holds them."""
    with Store.open(Path("notes"), mode="read") as store:
        return store.attributes.of(rel), store.memos.of(rel), store.memos.corpus()


async def open_dialog(pilot, key: str, kind: type) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, kind), f"the {kind.__name__} to open")


async def closed(pilot) -> DossierApp:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: isinstance(pilot.app.screen, ReaderScreen), "the dialog to close")
    return await settle(pilot)


async def test_the_attribute_editor_shows_each_value_with_its_origin(corpus) -> None:
    app = DossierApp(corpus, Path("notes"))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "i", AttributeEditor)
        dialog = app.screen
        assert isinstance(dialog, AttributeEditor)
        shown = {row.key: (row.value, row.describe()) for row in dialog.rows}
        assert shown["date"] == ("2016-11-03", "manifest · dossier.csv, row 2")
        assert shown["source"][0] == "The World"
        assert shown["author"] == ("", "unknown")
        assert shown["language"][0] == "en" and shown["language"][1].startswith("text · ")
        assert app.focused is not None and app.focused.id == "attr-0"  # the date first
        await pilot.press("tab")
        assert app.focused.id == "attr-1"
        await pilot.press("escape")
        await closed(pilot)
        assert on_disk() == ({}, "", "")


async def test_saving_attributes_writes_them_and_u_undoes_and_ctrl_r_redoes(corpus) -> None:
    app = DossierApp(corpus, Path("notes"))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "i", AttributeEditor)
        await pilot.press("ctrl+u", *"2016-11-04")  # the date, corrected
        await pilot.press("tab", "tab", *"Charles Maynes")  # the author, unknown until now
        await pilot.press("tab", "tab", "tab", *"section: energy")  # a new attribute
        await pilot.press("enter")
        await closed(pilot)
        assert on_disk()[0] == {"date": "2016-11-04", "author": "Charles Maynes", "section": "energy"}
        facts = app.reader.library.facts[FIRST]  # the list is told the article's facts changed
        assert facts.get("date") == "2016-11-04" and facts.fact("date").origin == "analyst"
        assert facts.get("section") == "energy"
        entry = app.reader.library.articles.entry(FIRST)  # its row in the list shows the new date
        assert entry is not None and entry.facts["date"] == "2016-11-04"

        await pilot.press("u")
        await settle(pilot)
        assert on_disk()[0] == {}
        assert app.reader.library.facts[FIRST].get("date") == "2016-11-03"  # the manifest's again
        assert app.reader.library.articles.entry(FIRST).facts["date"] == "2016-11-03"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert on_disk()[0] == {"date": "2016-11-04", "author": "Charles Maynes", "section": "energy"}

        # The dialog shows the analyst's values as the analyst's, with what was extracted.
        await open_dialog(pilot, "i", AttributeEditor)
        rows = {row.key: row for row in app.screen.rows}
        assert rows["date"].describe() == "analyst · was 2016-11-03 (manifest)"
        # ctrl+o on the date gives the manifest's value back; emptying the author marks it unknown.
        await pilot.press("ctrl+o", "tab", "tab", "ctrl+u", "enter")
        await closed(pilot)
        assert on_disk()[0] == {"author": "", "section": "energy"}
        assert app.reader.library.facts[FIRST].get("date") == "2016-11-03"
        assert app.reader.library.facts[FIRST].get("author") is None


async def test_a_bad_date_is_one_line_and_nothing_is_saved(corpus) -> None:
    app = DossierApp(corpus, Path("notes"))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "i", AttributeEditor)
        await pilot.press("ctrl+u", *"20 Dec 2016", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AttributeEditor)  # still open: nothing handed back
        error = str(dialog.query_one("#attributes-error", Static).render())
        assert error == "date: not an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY): '20 Dec 2016'"
        assert "\n" not in error
        await pilot.press("ctrl+u", *"2016-13", "enter")  # no thirteenth month
        await pilot.pause()
        assert isinstance(app.screen, AttributeEditor)
        await pilot.press("escape")
        await closed(pilot)
        assert on_disk() == ({}, "", "")


async def test_the_article_memo_is_saved_shown_and_undone(corpus) -> None:
    app = DossierApp(corpus, Path("notes"))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "M", MemoEditor)
        await pilot.press(*"Framing: economic.", "enter", *"Check the figures.", "ctrl+s")
        await closed(pilot)
        assert on_disk()[1] == "Framing: economic.\nCheck the figures."
        assert app.reader.main.memo and "memo" in str(app.reader.main.border_subtitle)
        await open_dialog(pilot, "M", MemoEditor)
        assert app.screen.query_one(TextArea).text == "Framing: economic.\nCheck the figures."
        await pilot.press("escape")
        await closed(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert on_disk()[1] == ""
        assert not app.reader.main.memo and "memo" not in str(app.reader.main.border_subtitle)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert on_disk()[1] == "Framing: economic.\nCheck the figures."
        assert app.reader.main.memo


async def test_the_corpus_memo_is_saved_and_undone(corpus) -> None:
    app = DossierApp(corpus, Path("notes"))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "C", MemoEditor)
        await pilot.press(*"# Research question", "enter", *"How was the pipeline framed?", "ctrl+s")
        await closed(pilot)
        assert on_disk() == ({}, "", "# Research question\nHow was the pipeline framed?")
        assert not app.reader.main.memo  # the corpus's memo is not the article's
        await pilot.press("u")
        await settle(pilot)
        assert on_disk()[2] == ""


async def test_a_memo_left_unchanged_saves_nothing(corpus) -> None:
    app = DossierApp(corpus, Path("notes"))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(pilot, "M", MemoEditor)
        await pilot.press("ctrl+s")
        await closed(pilot)
        await pilot.press("u")  # nothing was saved, so nothing to undo
        await settle(pilot)
        assert app.reader.status.error == "nothing to undo"
