"""The source text of an article, line by line, with the cleaner's decisions.

Kept lines are drawn normally; dropped lines are dimmed and followed by the
reason the cleaner gave (or the analyst's override). A line cursor follows
the article's selection, and can be moved on its own when the pane has the
focus, to choose the line an override applies to. Like the article view it
is a ``ScrollView`` that draws only the rows on screen, with plain segments.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.widgets.drawing import DIM, SELECTION, FrameStyle
from tui.widgets.wrap import RowTable

if TYPE_CHECKING:  # the cleaner is imported by the worker that uses it
    from tui.core.cleaned import Cleaned, Line

LINE, REASON = 0, 1
_CURSOR = Style(reverse=True, bold=True)
_KEPT_BY_HAND = Style(color="cyan")  # a line the analyst overrode
_REASON = Style(dim=True, italic=True, color="yellow")
_OVERRIDDEN = Style(italic=True, color="cyan")


class RawView(FrameStyle, ScrollView, can_focus=True):
    """Source lines with dropped ones dimmed and explained; a line cursor for overrides."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "line(1)", "Next line", id="raw.next"),
        Binding("k,up", "line(-1)", "Previous line", id="raw.prev"),
        Binding("J", "line(10)", "Down 10", show=False),
        Binding("K", "line(-10)", "Up 10", show=False),
        Binding("o", "override", "Keep/drop raw line", id="override"),
    ]

    @dataclass
    class Override(Message):
        """Keep the dropped line ``line``, drop the kept one, or clear the analyst's override of it."""

        line: Line

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        self.lines: list[Line] = []
        self.line_index = 0  # the line cursor (index into lines)
        self._span = (0, 0)  # source span of the article's selection
        self._rows = RowTable(with_lines=True)  # (kind, line index, start, end) per row
        self._row_of_line = array("q")
        self._width = -1
        # Annotated spans (source offsets) and their background: what the cleaned view hides
        # (a passage in a dropped line) stays visible here.
        self._marks: list[tuple[int, int, Style]] = []

    def set_article(self, text: str, cleaned: Cleaned) -> None:
        """Show ``text`` with the decisions in ``cleaned``."""
        self.text = text
        self.lines = cleaned.lines
        self._span = (0, 0)  # the old article's selection means nothing here
        self._line_starts = array("q", [line.start for line in self.lines])
        self.line_index = min(self.line_index, max(0, len(self.lines) - 1))
        self._relayout(force=True)

    def set_marks(self, marks: list[tuple[int, int, Style]]) -> None:
        """Colour these source spans (annotations) with their styles."""
        self._marks = sorted(marks, key=lambda mark: mark[:2])
        self.refresh()

    def clear(self) -> None:
        """Show nothing."""
        self.text, self.lines, self._line_starts = "", [], array("q")
        self._span = (0, 0)
        self._relayout(force=True)

    @property
    def followed(self) -> tuple[int, int]:
        """The source span of the article's selection, highlighted here ((0, 0): none)."""
        return self._span

    @property
    def current_line(self) -> Line | None:
        """The source line under the line cursor."""
        return self.lines[self.line_index] if self.lines else None

    def follow(self, start: int, end: int) -> None:
        """Highlight the source span ``start:end`` and put the line cursor on its first line."""
        self._span = (start, end)
        if self.lines:
            self.line_index = max(0, bisect_right(self._line_starts, start) - 1)
            self._scroll_to_line()
        self.refresh()

    @staticmethod
    def _reason(line: Line) -> str:
        """What the reason rows under a dropped (or overridden) line say."""
        return f"↳ {line.kind}: {line.reason}"

    def _gutter(self) -> int:
        return len(str(len(self.lines))) + 2

    def _relayout(self, force: bool = False) -> None:
        width = max(10, self.scrollable_content_region.width - self._gutter())
        if width == self._width and not force:
            return
        self._width = width
        rows = RowTable(with_lines=True)
        row_of_line = array("q")
        for i, line in enumerate(self.lines):
            row_of_line.append(len(rows))
            rows.add_wrapped(LINE, self.text, line.start, line.end, width, i)
            if (not line.keep and line.kind != "blank") or line.overridden:
                reason = self._reason(line)
                rows.add_wrapped(REASON, reason, 0, len(reason), width, i)
        self._rows = rows
        self._row_of_line = row_of_line
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows))
        self.refresh()

    def on_resize(self) -> None:
        self._relayout()

    def _scroll_to_line(self) -> None:
        if not self._row_of_line:
            return
        row = self._row_of_line[self.line_index]
        height = max(1, self.scrollable_content_region.height)
        y = self.scroll_offset.y
        if row < y or row >= y + height - 1:
            self.scroll_to(y=max(0, row - height // 3), animate=False, immediate=True)

    def action_line(self, delta: int) -> None:
        """Move the line cursor (to choose the line an override applies to)."""
        if self.lines:
            self.line_index = min(max(0, self.line_index + delta), len(self.lines) - 1)
            self._scroll_to_line()
            self.refresh()

    def action_override(self) -> None:
        """Ask for the line under the cursor to be kept if dropped, dropped if kept (again: back to the cleaner)."""
        line = self.current_line
        if line is not None:
            self.post_message(self.Override(line))

    def render_line(self, y: int) -> Strip:
        """Draw one row: line number (first row of a line), then its text or its reason."""
        self._relayout()  # the first frame comes before the Resize event: wrap for the real width
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        base = self.base_style
        if index >= len(self._rows):
            return Strip.blank(width, base)
        rows = self._rows
        assert rows.lines is not None  # made with_lines
        kind, i, start, end = rows.kinds[index], rows.lines[index], rows.starts[index], rows.ends[index]
        line = self.lines[i]
        gutter = self._gutter()
        cursor = i == self.line_index and self.has_focus
        number_style = base + (_CURSOR if cursor else DIM)
        first_row = self._row_of_line[i] == index
        number = f"{line.n:>{gutter - 1}} " if first_row and kind == LINE else " " * gutter
        segments = [Segment(number, number_style)]
        if kind == REASON:
            style = _OVERRIDDEN if line.overridden else _REASON
            segments.append(Segment(self._reason(line)[start:end], base + style))
        else:
            style = base if line.keep else base + DIM
            if line.overridden:
                style = style + _KEPT_BY_HAND
            lo, hi = self._span
            if lo < end and hi > start:  # the article's selection, in step
                style = style + SELECTION
            segments.extend(self._marked(start, end, style))
        strip = Strip(segments)
        return strip.adjust_cell_length(max(width, strip.cell_length), base).crop(scroll_x, scroll_x + width)

    def _marked(self, start: int, end: int, style: Style) -> list[Segment]:
        """The row ``text[start:end]`` cut where annotations begin and end, each piece styled."""
        marks = [m for m in self._marks if m[0] < end and m[1] > start]
        if not marks:
            return [Segment(self.text[start:end], style)]
        cuts = sorted({start, end, *(max(start, m[0]) for m in marks), *(min(end, m[1]) for m in marks)})
        pieces = []
        for a, b in pairwise(cuts):
            over = [m[2] for m in marks if m[0] <= a and m[1] >= b]
            pieces.append(Segment(self.text[a:b], style + over[-1] if over else style))
        return pieces

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
