"""The coding overview: a table of articles × tags and the passages behind a cell; a timeline; outlets × tags.

Five views, on ``1`` to ``5`` (``v`` goes to the next, after the last the first):

* **coding**: rows are articles (by title), columns the tags (a parent's
  column rolls up its children's, which follow it, headed ``›child``), then each
  article's total and its coverage (the share of its cleaned text that is
  tagged); the last row holds the column totals. Enter on a cell lists its
  passages below the table (a total lists the whole row or column, the
  grand total everything); enter on a passage closes the screen with it,
  and the app opens it in the reader.
* **timeline**: annotations per tag per month, as bars
  (:mod:`tui.widgets.timeline_chart`); arrows and page keys scroll it.
* **outlets**: annotations per outlet (rows, most first; articles without an
  outlet last) and tag, with totals; arrows move over the cells.
* **co-occurrence**: tags × tags, the passages where two tags meet, in one
  of two modes (``m`` toggles: overlapping annotations, or annotations
  sharing a paragraph); Enter lists a cell's passages, Enter on one opens
  it as the coding table does (:mod:`tui.widgets.cooccurrence_table`).
* **analysts**: tags × analysts (``consensus``, what reviews accepted, last),
  then the coders' percent agreement and Krippendorff's alpha on each tag,
  by paragraph (:mod:`tui.core.analyst_overview`; a dash with fewer than two
  coders or where alpha is undefined); the last row pools every tag.

The screen only shows what it is given: the app builds the ``Matrix``, the
coverage figures, the two ``Counts`` (:mod:`tui.core.timeline`) and the
co-occurrence of each mode (:mod:`tui.core.cooccurrence`). Titles,
file names, outlets, tag names, quotes and notes are drawn through
:func:`~tui.core.neutral.for_terminal`.
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from rich.text import Text
from textual._path import CSSPathType  # the type Textual gives CSS_PATH
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import ContentSwitcher, DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.analyst_overview import AnalystTable
from tui.core.cooccurrence import Cooccurrence
from tui.core.neutral import for_terminal
from tui.core.overview import CodedPassage, Matrix
from tui.core.paths import styles_dir
from tui.core.tag_tree import depth, leaf
from tui.core.timeline import UNKNOWN, Counts
from tui.widgets.cooccurrence_table import CooccurrenceView
from tui.widgets.drawing import drawable
from tui.widgets.timeline_chart import TimelineChart

#: The row key of the totals row (no article has an empty path).
TOTALS = ""
#: Column keys; tags are ``tag:NAME`` so a tag called "total" cannot clash.
ARTICLE, TOTAL, COVERAGE = "article", "total", "coverage"
#: How many words of a note the passage list shows.
NOTE_WORDS = 8
#: The views, in the order of their keys (1, 2, 3, 4), and each one's title.
VIEWS = {
    "coding": "Coding overview", "timeline": "Timeline: annotations per tag per month", "outlets": "Outlets × tags",
    "cooccurrence": "Co-occurrence: tags × tags", "analysts": "Analysts: annotations per tag, and agreement",
}
SUBTITLES = {
    "coding": "enter passages · tab table/list · v next view · esc close",
    "timeline": "↑↓ scroll · 1 table · v next view · esc close",
    "outlets": "arrows move · 1 table · v next view · esc close",
    "cooccurrence": "enter passages · m mode · 1 table · v next view · esc close",
    "analysts": "arrows move · 1 table · v next view · esc close",
}
#: What each view focuses when it is shown.
FOCUS = {"coding": "#overview-table", "timeline": "#timeline", "outlets": "#outlets", "cooccurrence": "#cooccurrence-table",
         "analysts": "#analysts"}
#: The outlets table's row for articles without an outlet.
NO_OUTLET = "no outlet"


class OverviewScreen(ModalScreen[CodedPassage | None]):
    """The coding matrix; dismisses with the passage chosen, or None."""

    # Loaded when the dialog is first shown, not at start-up.
    CSS_PATH: ClassVar[CSSPathType] = [str(styles_dir() / "dialogs.tcss"), str(styles_dir() / "overview.tcss")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="overview.close"),
        Binding("1", "view('coding')", "Coding table", id="overview.coding"),
        Binding("2", "view('timeline')", "Timeline", id="overview.timeline"),
        Binding("3", "view('outlets')", "Outlets", id="overview.outlets"),
        Binding("4", "view('cooccurrence')", "Co-occurrence", id="overview.cooccurrence"),
        Binding("5", "view('analysts')", "Analysts", id="overview.analysts"),
        Binding("v", "next_view", "Next view", id="overview.next", show=False),
    ]

    def __init__(
        self, matrix: Matrix, titles: dict[str, str], coverage: dict[str, float],
        timeline: Counts | None = None, outlets: Counts | None = None, colours: dict[str, str] | None = None,
        together: dict[str, Cooccurrence] | None = None, analysts: AnalystTable | None = None,
    ) -> None:
        """``timeline`` and ``outlets`` count the annotations per month and per outlet; ``colours`` are the tags';
        ``together`` is the co-occurrence of the tags in each mode; ``analysts`` the per-analyst table."""
        super().__init__()
        self.matrix = matrix
        self.titles = titles
        self.coverage = coverage
        self.timeline = timeline if timeline is not None else Counts([], list(matrix.tags), {}, {})
        self.outlets = outlets if outlets is not None else Counts([], list(matrix.tags), {}, {})
        self.colours = colours or {}
        self.together = together if together is not None else {"overlap": Cooccurrence("overlap", list(matrix.tags))}
        self.analysts = analysts if analysts is not None else AnalystTable(list(matrix.tags), [], Counter(), None)
        self.shown: list[CodedPassage] = []  # the passages in the list, in its order
        self.view = "coding"

    def compose(self) -> ComposeResult:
        with Vertical(id="overview-dialog") as box:
            box.border_title = VIEWS["coding"]
            box.border_subtitle = SUBTITLES["coding"]
            with ContentSwitcher(initial="coding", id="overview-views"):
                with Vertical(id="coding"):
                    yield DataTable(id="overview-table", cursor_type="cell", zebra_stripes=True)
                    yield Static(Text("enter on a cell lists its passages"), id="overview-caption")
                    yield OptionList(id="overview-passages")
                with VerticalScroll(id="timeline"):
                    yield TimelineChart(self.timeline, self.colours, id="overview-timeline")
                yield DataTable(id="outlets", cursor_type="cell", zebra_stripes=True)
                yield CooccurrenceView(self.together, self.titles, self.colours, id="cooccurrence")
                yield DataTable(id="analysts", cursor_type="cell", zebra_stripes=True)
        yield Footer()  # the dialog's own keys, over the reader's

    def on_mount(self) -> None:
        self.query_one("#overview-table", DataTable).focus()
        # Filled once laid out: the titles are cut to the width the table has.
        self.call_after_refresh(self._fill_table)
        self.call_after_refresh(self._fill_outlets)
        self.call_after_refresh(self._fill_analysts)

    def action_view(self, view: str) -> None:
        """Show one of the views: the coding table, the timeline or the outlets."""
        self.view = view
        self.query_one("#overview-views", ContentSwitcher).current = view
        box = self.query_one("#overview-dialog", Vertical)
        box.border_title = VIEWS[view]
        box.border_subtitle = SUBTITLES[view]
        self.query_one(FOCUS[view]).focus()

    def action_next_view(self) -> None:
        """Show the next view (after the co-occurrence, the coding table again)."""
        names = list(VIEWS)
        self.action_view(names[(names.index(self.view) + 1) % len(names)])

    def _fill_outlets(self) -> None:
        """The outlets × tags table: outlets by their annotations, most first; articles without an outlet last."""
        counts = self.outlets
        table = self.query_one("#outlets", DataTable)
        others = sum(max(len(tag), 3) + 2 for tag in counts.tags) + len("total") + 2 + 2
        name_width = max(12, min(40, (table.size.width or self.app.size.width - 8) - others))
        table.add_column(Text("outlet"), key="outlet", width=name_width)
        for tag in counts.tags:
            colour = drawable(self.colours.get(tag))
            table.add_column(Text(for_terminal(tag), style=colour or "", justify="right"), key=f"tag:{tag}")
        table.add_column(Text("total", justify="right"), key=TOTAL)
        table.fixed_columns = 1
        for row in counts.rows:
            name = Text(NO_OUTLET, style="dim italic") if row == UNKNOWN else Text(_cut(row, name_width))
            table.add_row(
                name, *(_number(counts.count(row, tag)) for tag in counts.tags), _number(counts.row_total(row), style="bold"),
                key=f"outlet:{row}",
            )
        table.add_row(
            Text("total", style="bold"), *(_number(counts.column_total(tag), style="bold") for tag in counts.tags),
            _number(counts.total, style="bold"), key=TOTALS,
        )

    def _fill_analysts(self) -> None:
        """Tags × analysts, then the coders' agreement and alpha; the last row: every annotation, and the pooled figures."""
        table, data = self.query_one("#analysts", DataTable), self.analysts
        agreement = data.agreement
        table.add_column(Text("tag"), key="tag")
        for name in data.analysts:
            table.add_column(Text(for_terminal(name), justify="right"), key=f"analyst:{name}")
        table.add_column(Text("agreement", justify="right"), key="agreement")
        table.add_column(Text("alpha", justify="right"), key="alpha")
        table.fixed_columns = 1
        for tag in data.tags:
            figures = agreement.tags.get(tag) if agreement is not None else None
            table.add_row(
                _heading_text(tag), *(_number(data.count(tag, name)) for name in data.analysts),
                _share(figures.agreement if figures else None), _alpha(figures.alpha if figures else None), key=f"tag:{tag}",
            )
        overall = agreement.overall if agreement is not None else None
        table.add_row(
            Text("all tags", style="bold"), *(_number(sum(data.count(t, n) for t in data.tags), style="bold") for n in data.analysts),
            _share(overall.agreement if overall else None), _alpha(overall.alpha if overall else None), key=TOTALS,
        )

    def title_of(self, path: str) -> str:
        """The article's title, else its path, safe to draw."""
        return for_terminal(self.titles.get(path) or path)

    def _fill_table(self) -> None:
        matrix = self.matrix
        table = self.query_one("#overview-table", DataTable)
        # The title column takes what the other columns (each padded by 2) and a scroll bar leave.
        others = sum(max(len(_heading(tag)), 3) + 2 for tag in matrix.tags) + len("total") + len("coverage") + 3 * 2 + 2
        title_width = max(12, min(40, table.size.width - others))
        table.add_column(Text("article"), key=ARTICLE, width=title_width)
        for tag in matrix.tags:
            table.add_column(_heading_text(tag), key=f"tag:{tag}")
        table.add_column(Text("total", justify="right"), key=TOTAL)
        table.add_column(Text("coverage", justify="right"), key=COVERAGE)
        table.fixed_columns = 1
        for path in matrix.articles:
            table.add_row(
                Text(_cut(self.title_of(path), title_width)),
                *(_number(matrix.count(path, tag)) for tag in matrix.tags),
                _number(matrix.row_total(path), style="bold"),
                _percent(self.coverage.get(path)),
                key=path,
            )
        table.add_row(
            Text("total", style="bold"),
            *(_number(matrix.column_total(tag), style="bold") for tag in matrix.tags),
            _number(matrix.total, style="bold"),
            Text(""),
            key=TOTALS,
        )

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        if event.data_table.id != "overview-table":
            return  # the outlets table has no passages to list (yet)
        row, column = event.cell_key.row_key.value, event.cell_key.column_key.value
        path = None if row == TOTALS else row
        tag = column.removeprefix("tag:") if column and column.startswith("tag:") else None
        self.show_passages(path, tag)

    def show_passages(self, path: str | None, tag: str | None) -> None:
        """List the passages of the cell (``None``: every article / every tag) and focus the list."""
        self.shown = self.matrix.passages(path, tag)
        where = "every article" if path is None else f"“{self.title_of(path)}”"
        what = "every tag" if tag is None else for_terminal(tag)
        count = len(self.shown)
        caption = f"{count} passage{'' if count == 1 else 's'} · {what} · {where}"
        self.query_one("#overview-caption", Static).update(Text(caption))
        options = self.query_one("#overview-passages", OptionList)
        options.clear_options()
        width = options.scrollable_content_region.width or self.app.size.width - 8
        options.add_options(Option(self._prompt(passage, max(20, width - 1))) for passage in self.shown)
        if self.shown:
            options.highlighted = 0
            options.focus()

    def _prompt(self, passage: CodedPassage, width: int) -> Text:
        """Two lines: the quote, then the article's title and the note's first words (all literal text)."""
        prompt = Text(_cut(passage.quote, width), no_wrap=True)
        detail = Text("  ", style="dim")
        if passage.orphan:
            detail.append("orphan · ", style="bold yellow")
        detail.append(self.title_of(passage.path))
        note_words = for_terminal(passage.note, lines=True).split()
        if note_words:
            note = " ".join(note_words[:NOTE_WORDS]) + (" …" if len(note_words) > NOTE_WORDS else "")
            detail.append(f" · {note}", style="italic")
        detail.truncate(width, overflow="ellipsis")
        return prompt + Text("\n") + detail

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shown[event.option_index])

    def on_cooccurrence_view_chosen(self, event: CooccurrenceView.Chosen) -> None:
        event.stop()
        self.dismiss(event.passage)  # opened in the reader like a passage of the coding table

    def action_close(self) -> None:
        """From a passage list back to its table; from a table, close."""
        if self.view == "coding" and isinstance(self.focused, OptionList):
            self.query_one("#overview-table", DataTable).focus()
        elif self.view == "cooccurrence" and self.query_one(CooccurrenceView).back_to_table():
            pass
        else:
            self.dismiss(None)


def _cut(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` characters, cut with an ellipsis, safe to draw."""
    line = for_terminal(" ".join(text.split()))
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def _heading(tag: str) -> str:
    """A tag column's heading: a child's last level, led by one ``›`` per level (``››russia`` under ``energy/pipelines``)."""
    return "›" * depth(tag) + for_terminal(leaf(tag))


def _heading_text(tag: str) -> Text:
    """The heading drawn: the ``›`` marks dim, so the name stands out; right-aligned over its counts."""
    marks = depth(tag)
    return Text.assemble(("›" * marks, "dim"), for_terminal(leaf(tag)), justify="right")


def _number(count: int, style: str = "") -> Text:
    """A count, right-aligned; zero as a dot so the filled cells stand out."""
    return Text(str(count) if count else "·", style=style if count else "dim", justify="right")


def _share(share: float | None) -> Text:
    """A percent agreement, to one decimal (None, as with fewer than two coders: a dash)."""
    return Text("–", style="dim", justify="right") if share is None else Text(f"{share * 100:.1f}%", justify="right")


def _alpha(alpha: float | None) -> Text:
    """Krippendorff's alpha to two decimals (None where undefined: a dash)."""
    return Text("–", style="dim", justify="right") if alpha is None else Text(f"{alpha:.2f}", justify="right")


def _percent(share: float | None) -> Text:
    """A coverage share as a whole percentage (never rounded up to 100 %); None as a dash."""
    if share is None:
        return Text("–", style="dim", justify="right")
    if 0 < share < 0.01:
        return Text("<1%", justify="right")
    return Text(f"{int(share * 100 + 1e-9)}%", justify="right")  # 1e-9: 0.29 * 100 is 28.999…
