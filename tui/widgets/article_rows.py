"""What is painted over an article's text: tag colours, chips and notes, shared passages, search terms, the selection.

``RowPainter`` holds the decorations of the article on show (all in offsets
of its cleaned text) and turns one row of text into styled segments. The
article view decides which rows are on screen and where the cursor is; the
painter only paints. Article text always becomes plain ``Segment``s, never
markup; tag names in chips and notes go through :func:`~tui.core.neutral.for_terminal`.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import pairwise

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip

from tui.core.document import Mark
from tui.core.neutral import for_terminal
from tui.core.passages import Span
from tui.widgets.drawing import BOLD, ITALIC, PLAIN, REVERSE, SELECTION, UNDERLINE

SHARED_SIGN = Style(color="bright_cyan", bold=True)  # "≈" beside a passage the compared article shares
SHARED_TEXT = ITALIC
SELECTION_SIGN = Style(color="bright_yellow", bold=True)  # "▌" beside the selected rows
NOTE = Style(dim=True)  # a note's first line under its passage
SEARCH_TERM = Style(color="black", bgcolor="yellow", bold=True, reverse=False)  # over the selection's reverse


def tag_styles(colour: str) -> tuple[Style, Style]:
    """The background of a tagged passage and the style of its chip, for a tag colour."""
    try:
        base = Color.parse(colour)
    except Exception:  # an odd colour name must not break drawing
        base = Color.parse("magenta")
    # Darkened so that text stays readable on it in dark and light themes alike.
    background = base.blend(Color(0, 0, 0), 0.55)
    return Style(bgcolor=background.rich_color, color="white"), Style(color=base.rich_color, bold=True)


class RowPainter:
    """The decorations of one article's cleaned text, and how a row looks with them."""

    def __init__(self) -> None:
        self.marks: list[Mark] = []  # annotations, sorted by position
        self._mark_starts: list[int] = []
        self.shared: list[Span] = []  # passages the article shares with the compared one
        self._shared_starts: list[int] = []
        self.sign = "≈"  # the gutter's sign of those passages ("≠" marks review mode's disagreements)
        self.highlights: list[Span] = []  # search terms to show, until another article opens
        self._styles: dict[str, tuple[Style, Style]] = {}

    def clear(self) -> None:
        """Nothing to paint (a message is shown instead of an article)."""
        self.marks, self._mark_starts = [], []
        self.new_text()

    def new_text(self) -> None:
        """Another article: its shared passages and search terms are gone; marks follow with ``set_marks``."""
        self.shared, self._shared_starts, self.highlights = [], [], []

    def set_marks(self, marks: list[Mark], colours: dict[str, str]) -> None:
        """Paint these annotations in their tags' colours (the view places their rows of chips and notes)."""
        self.marks = sorted(marks, key=lambda m: (m.start, m.end))
        self._mark_starts = [m.start for m in self.marks]
        self._styles = {name: tag_styles(colour) for name, colour in colours.items()}

    def set_shared(self, spans: list[Span], sign: str = "≈") -> None:
        """Mark the passages this article shares with the one beside it (or others, with another ``sign``)."""
        self.shared, self.sign = sorted(spans), sign
        self._shared_starts = [s for s, _ in self.shared]

    def set_highlights(self, spans: list[Span]) -> None:
        """Highlight these spans: the terms of the search that opened the article."""
        self.highlights = sorted(spans)

    def mark_row(self, mark: Mark, base: Style, gutter: int, width: int) -> Strip:
        """The row under an annotation's passage: its tags as chips, then its note's first line, cut to ``width`` cells."""
        segments = [Segment(" " * gutter, base)]
        for name in mark.tags:
            chip = self._styles.get(name, (PLAIN, BOLD))[1]
            segments += [Segment(f"[{for_terminal(name)}]", base + chip), Segment(" ", base)]
        lines = mark.note.strip().splitlines()
        if lines:
            # The first line says what the note is about; the annotations pane (a) shows all of it.
            first = for_terminal(lines[0].strip()) + ("…" if len(lines) > 1 else "")
            room = width - sum(cell_len(segment.text) for segment in segments)
            text = f"✎ {first}"
            if cell_len(text) > room:
                text = set_cell_size(text, max(0, room - 1)).rstrip() + "…" if room > 1 else ""
            segments.append(Segment(text, base + NOTE))
        return Strip(segments)

    def text_row(self, text: str, start: int, end: int, base: Style, bold: bool, selected: Span | None, gutter: int) -> Strip:
        """One row of article text (``text[start:end]``, ``bold`` for a heading) with its gutter, tag colours and the selection."""
        # Marks that cover part of this row (starting before its end, ending after its start).
        hi = bisect_left(self._mark_starts, end)
        marks = [m for m in self.marks[:hi] if m.end > start and m.start < end] if hi else []
        shared = self._shared_on(start, end)
        terms = [span for span in self.highlights if span[0] < end and span[1] > start]
        segments = self._gutter(start, end, base, selected, marks, shared, gutter)
        cuts = {start, end}
        for s_start, s_end in [(m.start, m.end) for m in marks] + shared + terms:
            cuts.update((max(start, s_start), min(end, s_end)))
        if selected and selected[0] < end and selected[1] > start:
            cuts.update((max(start, selected[0]), min(end, selected[1])))
        points = sorted(cuts)
        text_style = base + BOLD if bold else base
        for a, b in pairwise(points):
            if a >= b:
                continue
            style = text_style
            covering = [m for m in marks if m.start <= a and m.end >= b]
            if covering:
                tag = covering[-1].tags[0] if covering[-1].tags else ""
                style = style + self._styles.get(tag, (SELECTION, PLAIN))[0]
                if len(covering) > 1:
                    style = style + UNDERLINE  # overlapping annotations
            if any(s_start <= a and s_end >= b for s_start, s_end in shared):
                style = style + SHARED_TEXT
            if selected and selected[0] <= a and selected[1] >= b:
                style = style + REVERSE
            if any(t_start <= a and t_end >= b for t_start, t_end in terms):
                style = style + SEARCH_TERM
            segments.append(Segment(text[a:b], style))
        return Strip(segments)

    def _gutter(
        self, start: int, end: int, base: Style, selected: Span | None, marks: list[Mark], shared: list[Span], width: int
    ) -> list[Segment]:
        """The row's gutter: the selection's bar, up to two tag colours, the shared-passage sign."""
        in_selection = selected is not None and selected[0] <= end and selected[1] >= start and selected[0] != selected[1]
        colours: list[str] = []
        for m in marks:
            if m.tags and m.tags[0] not in colours:
                colours.append(m.tags[0])
        gutter = [Segment("▌" if in_selection else " ", base + SELECTION_SIGN)]
        gutter += [Segment("▌", base + self._styles.get(tag, (PLAIN, PLAIN))[1]) for tag in colours[:2]]
        if shared and len(gutter) < width:
            gutter.append(Segment(self.sign, base + SHARED_SIGN))
        gutter.append(Segment(" " * (width - len(gutter)), base))
        return gutter

    def _shared_on(self, start: int, end: int) -> list[Span]:
        """The shared passages that cover part of the row ``start:end``."""
        hi = bisect_left(self._shared_starts, end)
        return [span for span in self.shared[:hi] if span[1] > start] if hi else []
