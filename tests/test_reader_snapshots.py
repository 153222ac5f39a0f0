"""Snapshot tests of the reader's screens (pytest-textual-snapshot).

The notes folder is the relative ``notes`` inside a temporary working
folder, so no absolute path reaches the screen; nothing shows a time.
Update with ``pytest tests/test_reader_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pilot import keys
from tui.app import DossierApp

SAMPLE = Path(__file__).resolve().parent.parent / "tui" / "sample"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)



def app() -> DossierApp:
    return DossierApp(SAMPLE, Path("notes"))


def test_main_screen(snap_compare) -> None:
    assert snap_compare(app(), terminal_size=(120, 35), run_before=keys())


def test_tagged_passage(snap_compare) -> None:
    # Two overlapping annotations: paragraph 2 tagged security, then 2-3 tagged energy.
    assert snap_compare(app(), terminal_size=(120, 35), run_before=keys("enter", "j", "1", "J", "2", "4"))


def typed(text: str) -> list[str]:
    """The keys that type ``text`` (letters and spaces)."""
    return ["space" if c == " " else c for c in text]


def test_sentence_with_a_note_80x24(snap_compare) -> None:
    # The fifth paragraph's first sentence, tagged security, with a two-line note: the label
    # and the note's first line (cut to the pane, "…") sit right under the sentence's last row,
    # mid-paragraph, not under the paragraph.
    note = [*typed("Check the date Reuters says Tuesday"), "enter", *typed("second line")]
    assert snap_compare(app(), terminal_size=(80, 24), run_before=keys("j", "j", "j", "j", "s", "1", "n", *note, "ctrl+s"))


def test_raw_pane_with_dropped_lines(snap_compare) -> None:
    # Line 4 (a caption) kept by an override; lines 2-3 dropped with their reasons.
    assert snap_compare(app(), terminal_size=(120, 35), run_before=keys("enter", "tab", "j", "j", "j", "o"))


def test_note_editor(snap_compare) -> None:
    assert snap_compare(app(), terminal_size=(120, 35), run_before=keys("enter", "j", "n", "T", "a", "r", "i", "f", "f"))


def test_help_screen(snap_compare) -> None:
    assert snap_compare(app(), terminal_size=(120, 35), run_before=keys("question_mark"))


def test_layout_80x24(snap_compare) -> None:
    assert snap_compare(app(), terminal_size=(80, 24), run_before=keys("j"))


def list_app() -> DossierApp:
    """The reader on a corpus whose articles have dates and outlets (``tests/list_corpus.py``), at a relative path."""
    from tests.list_corpus import write_corpus

    return DossierApp(write_corpus(Path("corpus")), Path("notes"))


def test_list_with_dates_and_outlets_80x24(snap_compare) -> None:
    # The list is hidden below 100 columns until b shows it.
    assert snap_compare(list_app(), terminal_size=(80, 24), run_before=keys("b"))


def test_list_sorted_by_date_200x50(snap_compare) -> None:
    assert snap_compare(list_app(), terminal_size=(200, 50), run_before=keys("s"))
