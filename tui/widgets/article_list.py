"""The article list: a virtualised list of articles, sorted and filtered.

Each article takes two rows: its title, then its date and outlet (when
known), word count, annotation count, tag chips and file. The list is a
``ScrollView`` that draws only the rows on screen. ``OptionList`` was
measured first: it measures every option when options change, 0.3 s for
10,000 two-line articles and again on every filter keystroke, far over the
100 ms a filter must answer in. Here a filter (:class:`~tui.core.listing.ListFilter`)
is a substring test over folded titles (C speed) and over each entry's facts
and tags, plus the articles whose text the corpus index matched, and a new
list of indices, nothing more: no article's text is held here. ``s`` cycles
the order (:data:`~tui.core.listing.SORTS`): a sort is one key per entry and
one ``sorted``, made when the key is pressed. File names, titles, outlets
and tag names are drawn through :func:`~tui.core.neutral.for_terminal` (a
file name may hold ESC; a title is the file name until the article is read).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input

from tui.core.listing import SORT_LABELS, ListFilter, next_sort, order, shown_date
from tui.core.neutral import for_terminal
from tui.widgets.drawing import BOLD, DIM, ITALIC, PLAIN, REVERSE, FrameStyle
from tui.widgets.entries import Entries, Entry

ROWS = 2  # rows per article
_CHOSEN = Style(bgcolor="grey23")  # the highlighted article while the list has no focus
_UNDIMMED = Style(dim=False)
_WARNING = Style(color="yellow")
_NO_FILTER = ListFilter()


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
        Binding("s", "sort", "Sort", id="list.sort", tooltip="Sort by position, date, title, outlet, annotations (next)"),
    ]

    class Highlighted(Message):
        """The highlight moved to the article ``rel``."""

        def __init__(self, rel: str, filtering: bool = False) -> None:
            super().__init__()
            self.rel = rel
            self.filtering = filtering  # moved by a filter keystroke (the app waits for typing to pause)

    class Sorted(Message):
        """The list's order changed to ``sort`` (one of :data:`~tui.core.listing.SORTS`)."""

        def __init__(self, sort: str) -> None:
            super().__init__()
            self.sort = sort

    class Chosen(Message):
        """The analyst chose the article ``rel`` (Enter)."""

        def __init__(self, rel: str) -> None:
            super().__init__()
            self.rel = rel

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries = Entries()
        self._by_rel: dict[str, int] | None = {}  # each article's index in ``entries``; None: to be made (``_index``)
        self.shown: list[int] = []  # indices of entries that pass the filter, in the sort's order
        self.highlighted = 0  # index into visible
        self.filter = _NO_FILTER
        self.sort = "position"
        self.colours: dict[str, Style] = {}
        self.placeholder = "Reading the corpus…"
        self._positions: list[int] = []  # every entry's index, in the corpus's order
        self._order: list[int] = []  # every entry's index, in the sort's order
        self._rank: list[int] | None = None  # each entry's place in ``_order``; None: the corpus's order
        self._text_matches: set[str] | None = None  # articles whose text matches the filter's words (None: not known)
        self._excluded: set[str] = set()  # articles whose text holds a word the filter excludes

    # --- content -----------------------------------------------------------

    def set_entries(self, entries: list[Entry] | Entries) -> None:
        """Show these articles (the filter, if any, still applies; the highlight stays on its article if it is here)."""
        current = self.current  # read before the entries change: ``shown`` indexes the old ones
        self.entries = entries if isinstance(entries, Entries) else Entries(entries)
        self._positions = list(range(len(entries)))  # the corpus's order: its numbers are shared with ``_by_rel``
        self._by_rel = None  # made when first asked: not in the first screen's time (100,000 paths hashed)
        self.placeholder = "" if entries else "No articles in this folder (.txt, .md, .html)."
        self._arrange()
        self.apply_filter(self.filter, self._text_matches, self._excluded, announce=False, keep=current)

    @property
    def query_text(self) -> str:
        """The filter as typed."""
        return self.filter.text

    @property
    def text_matches(self) -> set[str] | None:
        """The articles whose title or text holds the filter's words, as the index last answered (None: not yet)."""
        return self._text_matches

    @property
    def excluded(self) -> set[str]:
        """The articles whose text holds a word the filter excludes, as the index last answered."""
        return self._excluded

    def shown_rels(self) -> list[str]:
        """The paths of the articles shown, top to bottom."""
        return [self.entries[i].rel for i in self.shown]

    # --- order -------------------------------------------------------------

    def _arrange(self) -> None:
        """Sort every entry in the current order (the filter then keeps those that pass, in it)."""
        self._order = self._positions if self.sort == "position" else order(self.entries.every(), self.sort)
        if self.sort == "position":
            self._rank = None
        else:
            rank = [0] * len(self._order)
            for place, index in enumerate(self._order):
                rank[index] = place
            self._rank = rank

    def action_sort(self) -> None:
        """Sort the list the next way (position, date, title, outlet, annotations); the highlight stays on its article."""
        self.sort_by(next_sort(self.sort))

    def sort_by(self, sort: str) -> None:
        """Sort the list by ``sort`` (one of :data:`~tui.core.listing.SORTS`), keeping the highlighted article."""
        self.sort = sort
        self.rearrange()
        self.post_message(self.Sorted(sort))

    def rearrange(self) -> None:
        """Sort and filter again from the entries as they are now (their facts or counts changed)."""
        current = self.current
        self._arrange()
        self.apply_filter(self.filter, self._text_matches, self._excluded, announce=False, keep=current)

    @property
    def sort_label(self) -> str:
        """How the list's title names its order (``"by date"``; ``""`` for the corpus's own)."""
        return SORT_LABELS.get(self.sort, "")

    def entry(self, rel: str) -> Entry | None:
        """The entry of the article ``rel``."""
        index = self._index(rel)
        return None if index is None else self.entries[index]

    def _index(self, rel: str | None) -> int | None:
        """The index in ``entries`` of the article ``rel`` (None: not listed)."""
        if self._by_rel is None:
            self._by_rel = dict(zip(self.entries.rels(), self._positions, strict=True))
        return self._by_rel.get(rel) if rel is not None else None

    def update_entries(self, changed: list[Entry]) -> None:
        """Replace entries in place (titles read, annotation counts changed)."""
        entries = self.entries
        for new in changed:
            index = self._index(new.rel)
            if index is not None:
                new.rel = entries[index].rel  # the same path: one string for it, not one more per update
                entries[index] = new
        self.refresh()

    @property
    def current(self) -> str | None:
        """The highlighted article's path, if any."""
        if not self.shown:
            return None
        return self.entries[self.shown[self.highlighted]].rel

    def apply_filter(
        self,
        wanted: ListFilter,
        text_matches: set[str] | None = None,
        excluded: set[str] | None = None,
        announce: bool = True,
        keep: str | None = None,
    ) -> int:
        """Keep the articles that pass ``wanted``, in the list's order.

        Fields and tags are tested on each entry here; the filter's words
        must be in the title (folded: "istanbul" finds "İstanbul") or the
        article be in ``text_matches``, the articles whose text holds them,
        found in the corpus index by the caller (None until it answers:
        titles only). ``excluded``: articles whose text holds a word the
        filter excludes. ``keep``: the article to keep highlighted (default:
        the one that is). Returns how many articles are shown.
        """
        current = keep if keep is not None else self.current
        self.filter = wanted
        self._text_matches = text_matches
        self._excluded = excluded or set()
        # An empty filter reads no entry: the placeholders stay unmade until drawn (the first screen's time).
        entries = self.entries.every() if wanted else self.entries
        self.shown = wanted.select(entries, self._order, text_matches, self._excluded)
        self.highlighted = self._position(self._index(current)) if current else 0
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.shown) * ROWS)
        self._scroll_to_highlight()
        self.refresh()
        if announce and self.current and self.current != current:
            self.post_message(self.Highlighted(self.current, filtering=True))
        return len(self.shown)

    def highlight(self, rel: str) -> None:
        """Move the highlight to ``rel`` if it is shown (no message: the caller knows)."""
        index = self._index(rel)
        position = self._position(index)
        if index is not None and position < len(self.shown) and self.shown[position] == index:
            self.highlighted = position
            self._scroll_to_highlight()
            self.refresh()

    def _position(self, index: int | None) -> int:
        """Where entry ``index`` is among the shown ones (``shown`` is in the sort's order: a binary search), else 0."""
        if index is None:
            return 0
        rank = self._rank
        position = bisect_left(self.shown, index) if rank is None else bisect_left(self.shown, rank[index], key=rank.__getitem__)
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
            details = style + (_UNDIMMED if chosen else DIM)
            segments = [Segment(f"  {_details(entry, width)}", details)]
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


def _details(entry: Entry, width: int) -> str:
    """The start of an article's second row: its date and outlet when known, its words and annotation count.

    The outlet is cut so that the words and the count stay in sight in a
    narrow list when it can keep 8 cells or more; else it keeps 12 and the
    rest is cut at the list's edge, as the tags and the file are.
    """
    date = for_terminal(shown_date(entry.facts.get("date")))
    tail = "…" if entry.words is None else f"{entry.words:,} w"
    if entry.notes:
        tail += f" · {entry.notes} ann."  # annotations (✎ is a memo or a note)
    parts = [date] if date else []
    source = entry.facts.get("source")
    if source:
        room = width - 3 - sum(cell_len(part) + 3 for part in parts) - 3 - cell_len(tail)  # indent, cut mark
        # Room for 8 cells or more beside the words: the outlet takes it; less: the outlet comes first.
        parts.append(_clip(for_terminal(" ".join(source.split())), room if room >= 8 else 12))
    return " · ".join([*parts, tail])


def _clip(text: str, cells: int) -> str:
    """``text`` in at most ``cells`` terminal cells, ending in "…" if it was cut."""
    if cell_len(text) <= cells:
        return text
    out = ""
    for char in text:
        if cell_len(out + char) > cells - 1:
            break
        out += char
    return out.rstrip() + "…"  # "Meridian…", not "Meridian …"


class FilterInput(Input):
    """The list's filter line; Escape clears and closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close filter", id="filter.close")]

    class Closed(Message):
        """The analyst closed the filter."""

    def action_close(self) -> None:
        """Clear the filter and hand the keys back to the list."""
        self.post_message(self.Closed())
