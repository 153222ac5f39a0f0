"""Word wrapping by offsets (tui.widgets.wrap): rows fit the width, in cells, and lose nothing but spaces."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len, get_character_cell_size

from tui.widgets.wrap import _one_cell_each, wrap

# Letters, spaces, Western punctuation, and characters that are not one cell wide:
# a combining accent, CJK, Hangul, an emoji.
ALPHABET = st.sampled_from([*"abc xyz  éß’“”–…€şıΩ", "\u0301", "\u0483", "\u200b", "日", "本", "한", "😀", "Ж"])


def test_every_character_of_the_narrow_scripts_is_one_cell() -> None:
    # The quick check of wrap rests on this: text in these scripts is measured by its length.
    narrow = [
        (0x20, 0x7E), (0xA0, 0x2FF), (0x370, 0x482), (0x48A, 0x52F), (0x2010, 0x2027), (0x2030, 0x205E), (0x20A0, 0x20C0), (0x2100, 0x22FF),
    ]
    for low, high in narrow:
        for code in range(low, high + 1):
            # Unassigned code points are measured as one cell too; C0/C1 controls never get here
            # (the corpus reader removes them).
            assert get_character_cell_size(chr(code)) == 1, hex(code)


@given(st.text(ALPHABET, max_size=80))
def test_the_one_cell_check_agrees_with_rich(text: str) -> None:
    assert _one_cell_each(text, 0, len(text)) == (cell_len(text) == len(text) and all(get_character_cell_size(c) == 1 for c in text))


@given(st.text(ALPHABET, max_size=120), st.integers(1, 30))
def test_rows_fit_the_width_and_keep_every_character_but_break_spaces(text: str, width: int) -> None:
    rows = wrap(text, 0, len(text), width)
    assert rows, "an empty span still gives one row"
    position = 0
    for start, end in rows:
        assert position <= start <= end <= len(text)
        assert text[position:start].strip(" ") == "", "only spaces fall between rows"
        row = text[start:end]
        # A row is as wide as the width at most, unless it is one character wider than the row.
        assert cell_len(row) <= width or end - start == 1
        position = end
    assert text[position:].strip(" ") == ""


def test_a_span_inside_a_longer_text_wraps_in_its_own_offsets() -> None:
    text = "HEADER\n“Turkey and Azerbaijan” signed a deal\nFOOTER"
    start = text.index("“")
    end = text.index("\nFOOTER")
    rows = wrap(text, start, end, 12)
    assert [text[s:e] for s, e in rows] == ["“Turkey and", "Azerbaijan”", "signed a", "deal"]


def test_row_offsets_hold_the_largest_article() -> None:
    """RowTable keeps offsets in 32 bits: the longest readable article's cleaned text (lines joined by blank lines) fits."""
    from tui.core.corpus import MAX_BYTES
    from tui.widgets.wrap import RowTable

    rows = RowTable()
    rows.add(0, 2 * MAX_BYTES, 2 * MAX_BYTES)  # one blank line added per one-character line: at most twice the source
    assert rows.starts[0] == rows.ends[0] == 2 * MAX_BYTES
