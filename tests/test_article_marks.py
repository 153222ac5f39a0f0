"""Tags and notes where the passage is: the article view's rows of labels and notes.

An annotation's labels and its note's first line go in a row right under the
text row where the annotation ends (``tui.widgets.article_layout``), not at
its paragraph's end; the painter draws that row (``RowPainter.mark_row``).
The layout is tested on its own first, then through the reader with real keys.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.style import Style

from tests.pilot import SAMPLE, open_first, saved, screen_text, settle
from tui.app import DossierApp
from tui.core.document import Mark
from tui.core.passages import indexed
from tui.widgets.article_layout import GAP, MARK, TEXT, ArticleLayout
from tui.widgets.article_rows import RowPainter
from tui.widgets.article_view import ArticleView

# Three paragraphs of 59 characters, each wrapped into three rows of four words at width 20.
WORDS = "one1 two2 thr3 fou4 fiv5 six6 sev7 eig8 nin9 ten0 ele1 twe2"
TEXT_3 = "\n\n".join([WORDS] * 3)
PARAS = indexed([(i * (len(WORDS) + 2), i * (len(WORDS) + 2) + len(WORDS)) for i in range(3)])


def layout(marks: list[Mark], shown: list[tuple[int, int]] | None = None) -> ArticleLayout:
    shown = indexed(list(PARAS if shown is None else shown))
    made = ArticleLayout.wrapped(TEXT_3, shown, 20)
    made.place(marks, PARAS, shown)
    return made


def kinds(made: ArticleLayout) -> list[int]:
    return [made.kind(y) for y in range(len(made))]


# --- the layout, on its own -------------------------------------------------------------------


def test_an_annotation_ending_mid_paragraph_gets_a_row_under_the_row_it_ends_in() -> None:
    plain = layout([])
    assert kinds(plain) == [TEXT, TEXT, TEXT, GAP] * 3
    # Ends in "six6", on the first paragraph's second row.
    mark = Mark("a", 0, TEXT_3.index("six6") + 4, ("energy",))
    made = layout([mark])
    assert kinds(made) == [TEXT, TEXT, MARK, TEXT, GAP] + [TEXT, TEXT, TEXT, GAP] * 2
    assert made.row(2)[3] == mark and made.row(4)[3] is None, "the label is at the passage, not the paragraph's end"
    # Every text row is still found from its offsets, one row further down after the label.
    for y in range(len(made)):
        kind, start, _end, _mark = made.row(y)
        if kind == TEXT:
            assert made.row_of(start) == y
    assert made.row_of(PARAS[1][0]) == plain.row_of(PARAS[1][0]) + 1


def test_a_passage_ending_a_paragraph_keeps_its_labels_in_the_gap_row_and_more_follow() -> None:
    whole = Mark("a", PARAS[1][0], PARAS[1][1], ("energy",))
    sentence = Mark("b", TEXT_3.index("ten0", PARAS[1][0]), PARAS[1][1], (), "why this matters")
    made = layout([sentence, whole])
    assert kinds(made)[4:10] == [TEXT, TEXT, TEXT, GAP, MARK, TEXT]
    assert made.row(7)[3] == whole and made.row(8)[3] == sentence, "in text order: the one starting first first"
    assert made.row_of(PARAS[2][0]) == 9


def test_hidden_paragraphs_and_annotations_with_nothing_to_show_get_no_row() -> None:
    hidden = Mark("a", PARAS[1][0], PARAS[1][0] + 10, ("energy",))
    bare = Mark("b", 0, 10, (), "  ")  # no tag, a blank note
    made = layout([hidden, bare], shown=[PARAS[0], PARAS[2]])
    assert kinds(made) == [TEXT, TEXT, TEXT, GAP] * 2
    assert all(made.row(y)[3] is None for y in range(len(made)))


def test_placing_says_where_a_row_went_so_the_screen_can_stay_still() -> None:
    made = layout([])
    below = made.row_of(PARAS[2][0])
    assert made.place([Mark("a", 0, 4, ("x",))], PARAS, PARAS, keep=below) == below + 1, "a row placed above it"
    assert made.place([Mark("a", PARAS[2][0], PARAS[2][0] + 4, ("x",))], PARAS, PARAS, keep=below + 1) == below, "and gone"
    assert made.place([], PARAS, PARAS, keep=0) == 0


def test_an_empty_view_has_one_blank_row() -> None:
    made = ArticleLayout.wrapped("", [], 20)
    made.place([Mark("a", 0, 0, ("x",))], [], [])
    assert len(made) == 1 and made.row_of(0) == 0


spans = st.tuples(st.integers(0, len(TEXT_3) - 1), st.integers(1, 30)).map(lambda p: (p[0], min(len(TEXT_3), p[0] + p[1])))


@given(st.lists(spans, max_size=8), st.sets(st.integers(0, 2), min_size=1))
def test_every_annotation_shown_once_right_under_the_text_row_it_ends_in(placed: list[tuple[int, int]], shown_at: set[int]) -> None:
    marks = [Mark(str(n), start, end, ("t",)) for n, (start, end) in enumerate(placed)]
    shown = [PARAS[i] for i in sorted(shown_at)]
    made = layout(marks, shown)
    base = ArticleLayout.wrapped(TEXT_3, indexed(shown), 20)
    rows = [made.row(y) for y in range(len(made))]
    # The text rows are the wrapped ones, in order: annotations only add rows between them.
    assert [r[:3] for r in rows if r[0] != MARK] == [base.row(y)[:3] for y in range(len(base))]
    found = {r[3].id: y for y, r in enumerate(rows) if r[3] is not None}
    for mark in marks:
        last = max(mark.start, mark.end - 1)
        in_shown = any(s <= last < e + 2 for s, e in shown)  # "+ 2": the blank line after a paragraph is its own
        assert (mark.id in found) == in_shown, mark
        if in_shown:
            y = found[mark.id]
            above = max(t for t in range(y) if rows[t][0] == TEXT)
            assert rows[above][1] <= last, "it is under the row where it ends, or below it"
            assert all(r[0] != TEXT for r in rows[above + 1 : y]), "with only other annotations' rows between"
            nxt = next((r for r in rows[above + 1 :] if r[0] == TEXT), None)
            assert nxt is None or nxt[1] > min(last, next(e for s, e in shown if s <= last < e + 2) - 1)


# --- the row under a passage --------------------------------------------------------------------


def test_the_row_shows_tags_then_the_notes_first_line_cut_to_the_width() -> None:
    painter = RowPainter()
    painter.set_marks([], {"energy": "green"})
    row = painter.mark_row(Mark("a", 0, 1, ("energy",), "Check the date\nsecond line"), Style(), 3, 60)
    assert row.text == "   [energy] ✎ Check the date…"
    long = painter.mark_row(Mark("a", 0, 1, (), "word " * 40), Style(), 3, 30)
    assert cell_len(long.text) <= 30 and long.text.endswith("…") and long.text.startswith("   ✎ word")
    hostile = painter.mark_row(Mark("a", 0, 1, ("\x1b[31mred",), "\x1b]0;title\x07 x"), Style(), 3, 60)
    assert "\x1b" not in hostile.text and "\x07" not in hostile.text


# --- in the reader --------------------------------------------------------------------------------


@pytest.fixture
def notes(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return Path("notes")


SENTENCE_END = "roughly what Greece and Bulgaria burn between them."


def lines_under(view: ArticleView, offset: int) -> tuple[str, str]:
    """The screen line showing the cleaned ``offset`` and the line under it."""
    lines = screen_text(view).splitlines()
    y = view.row_of(offset) - round(view.scroll_y)
    return lines[y], lines[y + 1]


async def test_a_sentence_tagged_mid_paragraph_has_its_label_and_note_right_under_it_until_undone(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("j", "j", "j", "s", "1")  # the first sentence of the fifth paragraph
        await settle(pilot)
        [ann] = saved(notes)
        assert ann.target.exact.endswith(SENTENCE_END) and ann.tags == ("security",)
        view = app.reader.query_one(ArticleView)
        end = view.selected[1]
        row, under = lines_under(view, end - 1)
        assert "between them." in row and "A second phase" in view.cleaned.text[end : end + 20]
        assert under.strip() == "[security]"
        assert screen_text(view).count("[security]") == 1, "not at the paragraph's end as well"

        await pilot.press("n", *"Check", "space", *"the", "space", *"date", "enter", *"more", "ctrl+s")
        await settle(pilot)
        assert saved(notes)[0].note == "Check the date\nmore"
        assert lines_under(view, end - 1)[1].strip() == "[security] ✎ Check the date…"

        await pilot.press("u")
        await settle(pilot)
        assert lines_under(view, end - 1)[1].strip() == "[security]"
        await pilot.press("u")
        await settle(pilot)
        assert saved(notes) == []
        row, under = lines_under(view, end - 1)
        assert "[security]" not in screen_text(view) and "✎" not in screen_text(view)
        assert under.strip() and not under.strip().startswith("["), "the text goes on right under the passage"


async def test_a_note_without_tags_shows_under_its_paragraph_and_follows_the_tag_filter(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("n", *"untagged", "space", *"remark", "ctrl+s")
        await settle(pilot)
        view = app.reader.query_one(ArticleView)
        end = view.selected[1]
        assert lines_under(view, end - 1)[1].strip() == "✎ untagged remark"
        # A sentence tagged energy mid-paragraph, then only energy's passages shown
        # (f: the first tag, again: the second): its label stays right under it.
        await pilot.press("j", "j", "j", "s", "2", "f", "f")
        await settle(pilot)
        assert app.reader.compare.only == "energy"
        shown = screen_text(view)
        assert "✎ untagged remark" not in shown, "its paragraph is hidden by the filter"
        row, under = lines_under(view, view.selected[1] - 1)
        assert "between them." in row and under.strip() == "[energy]"


async def test_undoing_a_label_above_the_screen_leaves_the_text_on_screen_still(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "j", "s", "1", "space", "space")  # a sentence tagged, then two pages on
        await settle(pilot)
        view = app.reader.query_one(ArticleView)
        assert view.row_of(view.selected[0]) > view.size.height
        before = screen_text(view).splitlines()
        await pilot.press("u")  # its label row, above the screen, goes
        await settle(pilot)
        assert saved(notes) == []
        assert screen_text(view).splitlines()[:-1] == before[:-1]
