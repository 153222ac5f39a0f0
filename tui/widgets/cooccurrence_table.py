"""The overview's co-occurrence view: a tag × tag table, which mode it counts, and the passages of a cell.

Rows and columns are the tags; a cell counts the passages where its two
tags meet (:mod:`tui.core.cooccurrence`), the diagonal (dimmed) each tag's
own annotations. ``m`` toggles the mode between overlapping annotations and
annotations sharing a paragraph; the line above the table says which is
shown. Arrows move over the cells and the line under the table names the
cell under the cursor in full (column headings are cut to fit: at 80
columns a dozen tags scroll sideways, the row names stay). Enter lists the
cell's passages below; Enter on a passage posts :class:`CooccurrenceView.Chosen`,
and the overview closes with it, as its coding table does.

Tag names, titles and quotes are drawn through :func:`~tui.core.neutral.for_terminal`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.cooccurrence import MODES, Cooccurrence, Meeting
from tui.core.neutral import for_terminal
from tui.core.overview import CodedPassage
from tui.widgets.drawing import drawable

#: The narrowest a tag's column gets (a count of up to three digits), and the widest.
NARROWEST, WIDEST = 3, 16
#: The widest the row names get.
NAME_WIDTH = 20


class CooccurrenceView(Vertical):
    """The co-occurrence table of one mode at a time, and the passages of its chosen cell."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "toggle_mode", "Overlap / same paragraph", id="overview.cooccurrence_mode"),
    ]

    @dataclass
    class Chosen(Message):
        """A passage was chosen: open its (first) annotation in the reader."""

        passage: CodedPassage

    def __init__(
        self, modes: Mapping[str, Cooccurrence], titles: Mapping[str, str], colours: Mapping[str, str] | None = None,
        *, id: str | None = None,
    ) -> None:
        """``modes`` holds a :class:`Cooccurrence` per mode of :data:`~tui.core.cooccurrence.MODES`."""
        super().__init__(id=id)
        self.modes = dict(modes)
        self.titles = titles
        self.colours = colours or {}
        self.mode = next(iter(self.modes), "overlap")
        self.shown: list[Meeting] = []  # the passages in the list, in its order
        self.chosen: tuple[str, str] | None = None  # the cell whose passages are listed

    @property
    def counts(self) -> Cooccurrence:
        """The co-occurrence of the mode shown."""
        return self.modes.get(self.mode) or Cooccurrence(self.mode, [])

    def compose(self) -> ComposeResult:
        yield Static(id="cooccurrence-mode")
        yield DataTable(id="cooccurrence-table", cursor_type="cell", zebra_stripes=True)
        yield Static(Text("enter on a cell lists its passages"), id="cooccurrence-caption")
        yield OptionList(id="cooccurrence-passages")

    def on_mount(self) -> None:
        # Filled once laid out: the columns are cut to the width the table has.
        self.call_after_refresh(self.fill)

    @property
    def table(self) -> DataTable[Text]:
        """The tag × tag table."""
        return self.query_one("#cooccurrence-table", DataTable)

    def fill(self) -> None:
        """(Re)draw the table for the mode shown, keeping the cursor where it was."""
        counts = self.counts
        table = self.table
        at = table.cursor_coordinate
        table.clear(columns=True)
        others = [mode for mode in MODES if mode != self.mode and mode in self.modes]
        line = Text("counting passages of ", style="dim") + Text(counts.label, style="bold")
        if others:
            line.append(f" · m: {MODES[others[0]]}", style="dim")
        self.query_one("#cooccurrence-mode", Static).update(line)
        tags = counts.tags
        if not tags:
            table.add_column(Text("no tags yet"), key="empty")
            return
        name_width = min(NAME_WIDTH, max(len(for_terminal(tag)) for tag in tags))
        room = (table.size.width or self.app.size.width - 8) - name_width - 2 - 2  # padding of the names, a scroll bar
        width = max(NARROWEST, min(WIDEST, room // len(tags) - 2, max(len(for_terminal(tag)) for tag in tags)))
        table.add_column(Text(""), key="tag", width=name_width)
        for tag in tags:
            colour = drawable(self.colours.get(tag)) or ""
            table.add_column(Text(cut(tag, width), style=colour, justify="right"), key=f"tag:{tag}", width=width)
        table.fixed_columns = 1
        for row in tags:
            cells = [_count(counts.count(row, column), diagonal=row == column) for column in tags]
            colour = drawable(self.colours.get(row)) or ""
            table.add_row(Text(cut(row, name_width), style=colour), *cells, key=f"tag:{row}")
        table.move_cursor(row=min(at.row, len(tags) - 1), column=max(1, min(at.column, len(tags))), animate=False)
        self._describe(table.cursor_coordinate.row, table.cursor_coordinate.column)

    def action_toggle_mode(self) -> None:
        """Count the other way: overlapping annotations, or annotations sharing a paragraph."""
        names = [mode for mode in MODES if mode in self.modes]
        if len(names) < 2:
            return
        self.mode = names[(names.index(self.mode) + 1) % len(names)]
        self.fill()
        if self.chosen is not None:  # the list follows the mode
            self.show_passages(*self.chosen, focus=False)

    def cell_tags(self, row: int, column: int) -> tuple[str, str] | None:
        """The two tags of a cell of the table (None for the names' column)."""
        tags = self.counts.tags
        if not 0 <= row < len(tags) or not 1 <= column <= len(tags):
            return None
        return tags[row], tags[column - 1]

    def _describe(self, row: int, column: int) -> None:
        """Name the cell under the cursor in full under the table."""
        pair = self.cell_tags(row, column)
        if pair is None:
            return
        a, b = pair
        count = self.counts.count(a, b)
        what = f"{for_terminal(a)}: {count} annotation{_s(count)}" if a == b else (
            f"{for_terminal(a)} × {for_terminal(b)}: {count} passage{_s(count)}"
        )
        self.query_one("#cooccurrence-caption", Static).update(Text(f"{what} · enter lists them"))

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        if event.coordinate.column == 0 and self.counts.tags:  # the names are headings, not cells: stay on the counts
            self.table.move_cursor(column=1, animate=False)
            return
        self._describe(event.coordinate.row, event.coordinate.column)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        pair = self.cell_tags(event.coordinate.row, event.coordinate.column)
        if pair is not None:
            self.show_passages(*pair)

    def show_passages(self, a: str, b: str, focus: bool = True) -> None:
        """List the passages where tags ``a`` and ``b`` meet (``a`` alone on the diagonal), and focus the list."""
        self.chosen = (a, b)
        self.shown = self.counts.passages(a, b)
        count = len(self.shown)
        if a == b:
            caption = f"{count} annotation{_s(count)} tagged {for_terminal(a)}"
        else:
            caption = f"{count} passage{_s(count)} · {for_terminal(a)} × {for_terminal(b)} · {self.counts.label}"
        self.query_one("#cooccurrence-caption", Static).update(Text(caption))
        options = self.query_one("#cooccurrence-passages", OptionList)
        options.clear_options()
        width = max(20, (options.scrollable_content_region.width or self.app.size.width - 8) - 1)
        options.add_options(Option(self._prompt(meeting, width)) for meeting in self.shown)
        if self.shown:
            options.highlighted = 0
            if focus:
                options.focus()

    def _prompt(self, meeting: Meeting, width: int) -> Text:
        """The quote (and the other annotation's, for a pair), then the article's title and the tags, all literal."""
        prompt = Text(cut(meeting.first.quote, width), no_wrap=True)
        if meeting.second is not None:
            prompt.append("\n")
            prompt.append(Text(cut("+ " + meeting.second.quote, width), no_wrap=True))
        detail = Text("  ", style="dim")
        if meeting.first.orphan:
            detail.append("orphan · ", style="bold yellow")
        detail.append(for_terminal(self.titles.get(meeting.path) or meeting.path))
        tags = list(dict.fromkeys([*meeting.first.tags, *(meeting.second.tags if meeting.second else ())]))
        detail.append(" · " + for_terminal(", ".join(tags)), style="italic")
        detail.truncate(width, overflow="ellipsis")
        return prompt + Text("\n") + detail

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(self.shown[event.option_index].first))

    def back_to_table(self) -> bool:
        """From the passage list back to the table: True if the focus was in the list."""
        options = self.query_one("#cooccurrence-passages", OptionList)
        if self.screen.focused is not options:
            return False
        self.table.focus()
        return True


def cut(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` characters, cut with an ellipsis, safe to draw."""
    line = for_terminal(" ".join(text.split()))
    return line if len(line) <= width else line[: max(1, width - 1)].rstrip() + "…"


def _count(count: int, diagonal: bool) -> Text:
    """A count, right-aligned; zero as a dot; the diagonal (a tag's own annotations) dimmed."""
    if not count:
        return Text("·", style="dim", justify="right")
    return Text(str(count), style="dim italic" if diagonal else "bold", justify="right")


def _s(count: int) -> str:
    return "" if count == 1 else "s"
