"""The overview's timeline: annotations per tag per month, drawn as bars of terminal cells.

One block per month, from the first dated month to the last without a gap
(a quiet month shows as a dot), then the undated articles' block: one line
per tag the month has, its name in the tag's colour, a bar in that colour,
and the count. Every bar has the same scale, chosen for the width the
widget has: when the largest count fits, each annotation is the same whole
number of cells (so at 200 columns the bars use the width, and bars compare
exactly); when it does not, bars are scaled down and rounded, never below
one cell. An annotation with two tags counts in both tags' lines, as in the
coding table. Tag names are the analyst's words and are drawn through
:func:`~tui.core.neutral.for_terminal`.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from tui.core.neutral import for_terminal
from tui.core.timeline import UNKNOWN, Counts
from tui.widgets.drawing import drawable

#: The label of the block of articles without a known month.
UNDATED = "undated"
#: The widest a tag's name is drawn beside its bars (cut with an ellipsis beyond).
TAG_WIDTH = 16
BAR = "█"
NO_DATES = "No annotated article has a date: give dates in a manifest (dossier.csv), with dossier set, or with i in the reader."


def timeline_lines(counts: Counts, colours: dict[str, str], width: int) -> list[Text]:
    """The timeline's lines for ``width`` columns (at least 30 are assumed)."""
    width = max(30, width)
    if not counts.total:
        return [Text("No tagged annotations yet.")]
    shown = [tag for tag in counts.tags if counts.column_total(tag)]
    tag_width = min(TAG_WIDTH, max(len(for_terminal(tag)) for tag in shown))
    label_width = max(len(UNDATED), *(len(row) for row in counts.rows))
    biggest = max(counts.counts.values())
    number_width = len(str(biggest))
    bar_width = max(1, width - label_width - 2 - tag_width - 1 - 1 - number_width)
    per = bar_width // biggest  # whole cells per annotation, if the biggest count fits

    def cells(count: int) -> int:
        return count * per if per else max(1, round(count * bar_width / biggest))

    lines = [_legend(counts, width, per)]
    if not counts.known:
        lines.append(Text(NO_DATES, style="dim"))
    lines.append(Text(""))
    for row in counts.rows:
        label = UNDATED if row == UNKNOWN else row
        present = [tag for tag in shown if counts.count(row, tag)]
        if not present:
            lines.append(Text(f"{label:<{label_width}}  ·", style="dim"))
            continue
        for n, tag in enumerate(present):
            count = counts.count(row, tag)
            style = Style(color=drawable(colours.get(tag, ""))) if colours.get(tag) else Style()
            line = Text(f"{label if n == 0 else '':<{label_width}}  ", style="bold" if n == 0 else "")
            line.append(f"{_cut(for_terminal(tag), tag_width):<{tag_width}} ", style=style)
            line.append(BAR * cells(count), style=style)
            line.append(f" {count}")
            lines.append(line)
    return lines


def _legend(counts: Counts, width: int, per: int) -> Text:
    """The first line: how many annotations, over which months, how many undated, and what a cell is worth."""
    undated = counts.row_total(UNKNOWN)
    months = counts.known
    text = Text(f"{counts.total} annotation{'s' if counts.total != 1 else ''}", style="bold")
    if months:
        text.append(f", {months[0]} to {months[-1]}" if len(months) > 1 else f", {months[0]}", style="bold")
    if undated:
        text.append(f" ({undated} undated)", style="bold")
    if per:
        text.append(f" · {BAR * per if per <= 8 else f'{per} cells'} = 1 annotation")
    else:
        text.append(" · bars scaled to fit")
    text.truncate(width, overflow="ellipsis")
    return text


def _cut(text: str, width: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


class TimelineChart(Widget):
    """The timeline of the overview, drawn for the widget's width (again when it changes)."""

    DEFAULT_CSS = "TimelineChart { height: auto; }"

    def __init__(self, counts: Counts, colours: dict[str, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts = counts
        self.colours = colours

    def lines(self) -> list[Text]:
        """What the chart shows at its present width."""
        return timeline_lines(self.counts, self.colours, self.size.width or 80)

    def render(self) -> Text:
        return Text("\n").join(self.lines())

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(timeline_lines(self.counts, self.colours, width))

    def on_resize(self) -> None:
        self.refresh(layout=True)
