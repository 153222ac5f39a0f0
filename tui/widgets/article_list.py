"""The article list: a virtualised list of articles with a filter.

Each article takes two rows: its title, then its file, word count,
annotation count and tag chips. The list is a ``ScrollView`` that draws only
the rows on screen. ``OptionList`` was measured first: it measures every
option when options change, 0.3 s for 10,000 two-line articles and again on
every filter keystroke, far over the 100 ms a filter must answer in. Here a
filter is a substring test over folded titles (C speed) plus the articles
whose text the corpus index matched, and a new list of indices, nothing
more: no article's text is held here. File names, titles and tag names are
drawn through :func:`~tui.core.neutral.for_terminal` (a file name may hold
ESC; a title is the file name until the article is read).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input

from tui.core.folding import fold
from tui.core.neutral import for_terminal
from tui.widgets.drawing import BOLD, DIM, ITALIC, PLAIN, REVERSE, FrameStyle

ROWS = 2  # rows per article
_CHOSEN = Style(bgcolor="grey23")  # the highlighted article while the list has no focus
_UNDIMMED = Style(dim=False)
_WARNING = Style(color="yellow")


@dataclass
class Entry:
    """One article as the list shows it; ``title`` is the file name until the article is read."""

    rel: str
    title: str
    words: int | None = None
    notes: int = 0
    tags: tuple[str, ...] = ()
    warning: str = ""  # the cleaner could not keep much of it: a mark says so

    @cached_property
    def folded_title(self) -> str:
        """The title folded for the filter: made on the first filter, not for each of 100,000 rows at start."""
        return fold(self.title)


class ArticleList(FrameStyle, ScrollView, can_focus=True):
    """The corpus's articles; posts ``Highlighted`` as the highlight moves and ``Chosen`` on Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "move(1)", "Next article", show=False),
        Binding("k,up", "move(-1)", "Previous article", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "edge(0)", "First", show=False),
        Binding("end,G", "edge(1)", "Last", show=False),
        Binding("enter,l,right", "choose", "Read", id="list.choose"),
    ]

    class Highlighted(Message):
        """The highlight moved to the article ``rel``."""

        def __init__(self, rel: str, filtering: bool = False) -> None:
            super().__init__()
            self.rel = rel
            self.filtering = filtering  # moved by a filter keystroke (the app waits for typing to pause)

    class Chosen(Message):
        """The analyst chose the article ``rel`` (Enter)."""

        def __init__(self, rel: str) -> None:
            super().__init__()
            self.rel = rel

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[Entry] = []
        self._by_rel: dict[str, int] = {}
        self.shown: list[int] = []  # indices of entries that pass the filter
        self.highlighted = 0  # index into visible
        self.query_text = ""
        self.colours: dict[str, Style] = {}
        self.placeholder = "Reading the corpus…"
        self._text_matches: set[str] = set()  # articles whose text matches the filter, from the corpus index

    # --- content -----------------------------------------------------------

    def set_entries(self, entries: list[Entry]) -> None:
        """Show these articles (the filter, if any, still applies; the highlight stays on its article if it is here)."""
        current = self.current  # read before the entries change: ``shown`` indexes the old ones
        self.entries = entries
        self._by_rel = {e.rel: i for i, e in enumerate(entries)}
        self.placeholder = "" if entries else "No articles in this folder (.txt, .md, .html)."
        self.apply_filter(self.query_text, self._text_matches, announce=False, keep=current)

    @property
    def text_matches(self) -> set[str]:
        """The articles whose text matched the filter, as the index last answered."""
        return self._text_matches

    def entry(self, rel: str) -> Entry | None:
        """The entry of the article ``rel``."""
        index = self._by_rel.get(rel)
        return None if index is None else self.entries[index]

    def update_entries(self, changed: list[Entry]) -> None:
        """Replace entries in place (titles read, annotation counts changed)."""
        for new in changed:
            index = self._by_rel.get(new.rel)
            if index is not None:
                self.entries[index] = new
        self.refresh()

    @property
    def current(self) -> str | None:
        """The highlighted article's path, if any."""
        if not self.shown:
            return None
        return self.entries[self.shown[self.highlighted]].rel

    def apply_filter(
        self, query: str, text_matches: set[str] | None = None, announce: bool = True, keep: str | None = None
    ) -> int:
        """Keep the articles whose title holds ``query`` (ignoring case) or whose path is in ``text_matches``.

        ``text_matches`` are the articles whose text matches, found in the
        corpus index by the caller (None until it answers: titles only).
        ``keep``: the article to keep highlighted (default: the one that is).
        Returns how many articles are shown.
        """
        current = keep if keep is not None else self.current
        self.query_text = query
        self._text_matches = text_matches or set()
        needle = fold(query).strip()  # "istanbul" finds "İstanbul", "isik" "IŞIK"
        if needle:
            extra = self._text_matches
            self.shown = [i for i, e in enumerate(self.entries) if needle in e.folded_title or e.rel in extra]
        else:
            self.shown = list(range(len(self.entries)))
        self.highlighted = self._position(self._by_rel.get(current)) if current else 0
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.shown) * ROWS)
        self._scroll_to_highlight()
        self.refresh()
        if announce and self.current and self.current != current:
            self.post_message(self.Highlighted(self.current, filtering=True))
        return len(self.shown)

    def highlight(self, rel: str) -> None:
        """Move the highlight to ``rel`` if it is shown (no message: the caller knows)."""
        index = self._by_rel.get(rel)
        position = self._position(index)
        if index is not None and position < len(self.shown) and self.shown[position] == index:
            self.highlighted = position
            self._scroll_to_highlight()
            self.refresh()

    def _position(self, index: int | None) -> int:
        """Where entry ``index`` is among the shown ones (``shown`` is in order: a binary search), else 0."""
        if index is None:
            return 0
        position = bisect_left(self.shown, index)
        return position if position < len(self.shown) and self.shown[position] == index else 0

    # --- moving ------------------------------------------------------------

    def _move_to(self, position: int) -> None:
        if not self.shown:
            return
        position = min(max(0, position), len(self.shown) - 1)
        if position != self.highlighted:
            self.highlighted = position
            self._scroll_to_highlight()
            self.refresh()
            if self.current is not None:
                self.post_message(self.Highlighted(self.current))

    def step(self, delta: int) -> None:
        """Move the highlight by ``delta`` articles (the app's { and } use this)."""
        self._move_to(self.highlighted + delta)

    def action_move(self, delta: int) -> None:
        """Highlight the next or previous article."""
        self.step(delta)

    def action_page(self, direction: int) -> None:
        """Move the highlight a screen down or up."""
        self._move_to(self.highlighted + direction * max(1, self.scrollable_content_region.height // ROWS))

    def action_edge(self, end: int) -> None:
        """Highlight the first or the last article."""
        self._move_to(len(self.shown) - 1 if end else 0)

    def action_choose(self) -> None:
        """Open the highlighted article and move to it."""
        if self.current:
            self.post_message(self.Chosen(self.current))

    def _scroll_to_highlight(self) -> None:
        top = self.highlighted * ROWS
        height = max(ROWS, self.scrollable_content_region.height)
        y = self.scroll_offset.y
        if top < y:
            y = top
        elif top + ROWS > y + height:
            y = top + ROWS - height
        if y != self.scroll_offset.y:
            self.scroll_to(y=y, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.shown) * ROWS)

    def on_click(self, event: events.Click) -> None:
        """A click highlights the article under the pointer."""
        self._move_to((event.y + self.scroll_offset.y) // ROWS)

    # --- drawing -----------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Draw one row: an article's title, or its details line."""
        width = self.scrollable_content_region.width
        base = self.base_style
        row = y + self.scroll_offset.y
        position, part = divmod(row, ROWS)
        if position >= len(self.shown):
            if row == 0 and self.placeholder:
                return Strip([Segment(self.placeholder, base + ITALIC)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        entry = self.entries[self.shown[position]]
        chosen = position == self.highlighted
        style = base + (REVERSE if chosen and self.has_focus else _CHOSEN if chosen else PLAIN)
        if part == 0:
            bold = style + BOLD
            segments = [Segment("▸ " if chosen else "  ", bold)]
            if entry.warning:  # the cleaner kept little: never a title with nothing under it unexplained
                segments.append(Segment("⚠ ", bold + _WARNING))
            segments.append(Segment(for_terminal(entry.title), bold))
        else:
            words = "…" if entry.words is None else f"{entry.words:,} w"
            notes = f" · {entry.notes} ✎" if entry.notes else ""
            details = style + (_UNDIMMED if chosen else DIM)
            segments = [Segment(f"  {words}{notes}", details)]
            for tag in entry.tags:
                segments.append(Segment(" ", style))
                segments.append(Segment(f"●{for_terminal(tag[:3])}", style + self.colours.get(tag, PLAIN)))
            segments.append(Segment(f" · {for_terminal(entry.rel)}", details))
        strip = Strip(segments)
        if strip.cell_length > width:
            strip = strip.crop(0, width - 1)
            strip = Strip([*strip, Segment("…", style)])
        return strip.adjust_cell_length(width, style)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class FilterInput(Input):
    """The list's filter line; Escape clears and closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close filter", id="filter.close")]

    class Closed(Message):
        """The analyst closed the filter."""

    def action_close(self) -> None:
        """Clear the filter and hand the keys back to the list."""
        self.post_message(self.Closed())
