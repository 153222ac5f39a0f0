"""Word wrapping by character offsets, fast enough for a 5 MB article.

The article and raw views never build one big ``rich.Text``: they cut each
paragraph into rows of ``(start, end)`` offsets and draw only the rows on
screen. Most text is one cell per character, and is wrapped with ``str.rfind``
(C speed); text with wide or zero-width characters takes a slower path that
measures each character.
"""

from __future__ import annotations

import re
from array import array
from functools import cache

from rich.cells import get_character_cell_size

# Characters that are not one cell wide: combining marks, zero-width
# characters, East Asian wide and full-width forms, emoji. Compiled on first
# use: its large ranges take about 4 ms to compile, and most text never needs
# it (see ``_one_cell_each``).
_NOT_ONE_CELL = (
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u200b-\u200f\u2028-\u202e\u2060-\u2064"
    "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3"
    "\uf900-\ufaff\ufe00-\ufe0f\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0001faff\U00020000-\U0003fffd]"
)
#: Any character outside the scripts that are one cell wide for sure: Latin
#: (with Latin-1 and Latin Extended), Greek and Cyrillic letters, general
#: punctuation, currency signs, letterlike symbols, arrows (the raw pane's
#: "↳") and mathematical operators. Most news text has none, so it never needs
#: ``_NOT_ONE_CELL``; this class is small and quick to compile.
_BEYOND_NARROW_SCRIPTS = re.compile("[^\x00-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2100-\u22ff]")


@cache
def _not_one_cell() -> re.Pattern[str]:
    return re.compile(_NOT_ONE_CELL)


def _one_cell_each(text: str, start: int, end: int) -> bool:
    """Whether every character of ``text[start:end]`` is one cell wide."""
    if not _BEYOND_NARROW_SCRIPTS.search(text, start, end):
        return True
    return not _not_one_cell().search(text, start, end)


def wrap(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Rows of ``text[start:end]`` no wider than ``width`` cells, broken at spaces where possible.

    Rows are ``(start, end)`` offsets; the space a row breaks at belongs to no row.
    An empty span gives one empty row.
    """
    width = max(1, width)
    if not _one_cell_each(text, start, end):
        return _wrap_measured(text, start, end, width)
    if end - start <= width:
        return [(start, end)]
    rows = []
    pos = start
    while end - pos > width:
        cut = text.rfind(" ", pos + 1, pos + width + 1)
        if cut <= pos:
            rows.append((pos, pos + width))  # one word longer than the row: break it
            pos += width
            continue
        rows.append((pos, cut))
        pos = cut + 1
        while pos < end and text[pos] == " ":
            pos += 1
    if pos < end or not rows:
        rows.append((pos, end))
    return rows


def _wrap_measured(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """``wrap`` for text holding characters that are not one cell wide."""
    rows = []
    pos = start
    while pos < end:
        cells = 0
        i = pos
        last_space = -1
        while i < end:
            size = get_character_cell_size(text[i])
            if cells + size > width:
                break
            if text[i] == " ":
                last_space = i
            cells += size
            i += 1
        if i >= end:
            rows.append((pos, end))
            break
        if last_space > pos:
            rows.append((pos, last_space))
            pos = last_space + 1
        else:
            i = max(i, pos + 1)  # a character wider than the row still moves on
            rows.append((pos, i))
            pos = i
        while pos < end and text[pos] == " ":
            pos += 1
    return rows or [(start, end)]


class RowTable:
    """Wrapped rows kept in columns of machine integers: ``(kind, line, start, end)`` per row.

    A 50 MB article wraps into about 700,000 rows; as a list of tuples of
    Python ints they took 430 MB in the two views, in arrays 13 bytes a row.
    Offsets fit in 32 bits: an article is at most ``corpus.MAX_BYTES`` (256 MB).
    ``starts`` is non-decreasing when rows are added in text order, so it can
    be bisected.
    """

    __slots__ = ("ends", "kinds", "lines", "starts")

    def __init__(self, with_lines: bool = False) -> None:
        """``with_lines``: keep each row's source line (the raw view's); the article view has none to keep."""
        self.kinds = bytearray()
        self.lines: array[int] | None = array("i") if with_lines else None
        self.starts = array("i")
        self.ends = array("i")

    def __len__(self) -> int:
        return len(self.kinds)

    def add(self, kind: int, start: int, end: int, line: int = 0) -> None:
        """One row."""
        self.kinds.append(kind)
        if self.lines is not None:
            self.lines.append(line)
        self.starts.append(start)
        self.ends.append(end)

    def add_wrapped(self, kind: int, text: str, start: int, end: int, width: int, line: int = 0) -> None:
        """The rows of ``text[start:end]`` wrapped to ``width`` (see :func:`wrap`)."""
        for row_start, row_end in wrap(text, start, end, width):
            self.add(kind, row_start, row_end, line)
