"""The cleaned article, drawn line by line with a passage cursor and a selection.

``ArticleView`` is a ``ScrollView`` whose ``render_line`` draws only the rows
on screen (as Textualize/toolong does), so a 5 MB article costs no more to
draw than a short one. Rows are ``(start, end)`` offsets into the cleaned
text, cut by ``tui.widgets.wrap``, with each annotation's labels and note in
a row under the line it ends on (``tui.widgets.article_layout``); article text
becomes plain ``Segment``s, never markup, so ``[bold]`` or escape codes in an
article show literally.

The view owns the cursor and the selection (offsets into the cleaned text)
and reports every change with a ``SelectionChanged`` message; the app maps
the selection to source offsets and does the saving.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core import passages
from tui.core.document import Mark
from tui.core.neutral import for_terminal
from tui.core.tag_tree import tag_matches
from tui.widgets.article_layout import BLANK, TEXT, ArticleLayout
from tui.widgets.article_rows import RowPainter
from tui.widgets.drawing import ITALIC, FrameStyle

if TYPE_CHECKING:  # the cleaner is imported by the worker that uses it
    from tui.core.cleaned import Cleaned

GUTTER = 3  # cursor mark, then up to two tag colours (or one and the shared-passage sign)


class ArticleView(FrameStyle, ScrollView, can_focus=True):
    """The cleaned article with a passage cursor (paragraph or sentence steps)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor(1)", "Next passage", id="article.next"),
        Binding("k,up", "cursor(-1)", "Previous passage", id="article.prev"),
        Binding("J,shift+down", "extend(1)", "Extend down", id="article.extend_down"),
        Binding("K,shift+up", "extend(-1)", "Extend up", id="article.extend_up"),
        Binding("l", "word('end', 1)", "Grow selection end by a word", id="article.end_grow", show=False),
        Binding("h", "word('end', -1)", "Trim selection end by a word", id="article.end_trim", show=False),
        Binding("H", "word('start', -1)", "Grow selection start by a word", id="article.start_grow", show=False),
        Binding("L", "word('start', 1)", "Trim selection start by a word", id="article.start_trim", show=False),
        Binding("s", "toggle_step", "Sentence/para", id="article.step"),
        Binding("escape", "clear_selection", "Clear the selection", id="article.clear", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "edge(0)", "Top", show=False),
        Binding("end,G", "edge(1)", "Bottom", show=False),
    ]

    step: reactive[str] = reactive("paragraph")

    class SelectionChanged(Message):
        """The cursor or the selection moved; offsets are into the cleaned text ``cleaned``."""

        def __init__(self, view: ArticleView, start: int, end: int) -> None:
            super().__init__()
            self.view = view
            self.start = start
            self.end = end
            # The text the offsets are about: by the time the message is handled the view
            # may show another article.
            self.cleaned = view.cleaned

    class Scrolled(Message):
        """The view scrolled (by key, cursor or mouse); a locked neighbour follows it."""

        def __init__(self, view: ArticleView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        self.cleaned: Cleaned | None = None
        self._paras: list[tuple[int, int]] = passages.indexed([])
        self._para_bold: list[bool] = []
        self._sents: list[tuple[int, int]] | None = None
        self._all_paras: list[tuple[int, int]] = []  # every paragraph; _paras holds the ones shown
        self._all_bold: list[bool] = []
        self._only: str | None = None  # the tag (or tag expression) whose passages alone are shown, if any
        self._keeps: Callable[[Collection[str]], bool] | None = None  # which marks' tags it keeps
        self.paint = RowPainter()  # what is drawn over the text: tags, shared passages, search terms
        self._rows = ArticleLayout()
        self._layout_width = -1
        self.cursor = 0
        self.selection: tuple[int, int] | None = None
        self.placeholder = ""

    # --- content -----------------------------------------------------------

    def show_message(self, message: str) -> None:
        """Show a line of text (loading, an error) instead of an article."""
        self.cleaned = None
        self.text = ""
        self.placeholder = for_terminal(message)  # it may quote a file name
        self._paras = self._all_paras = passages.indexed([])
        self._all_bold = []
        self._sents = None
        self.cursor = 0
        self.selection = None
        self.paint.clear()
        self._relayout(force=True)

    def set_article(self, cleaned: Cleaned, keep_offset: int | None = None) -> None:
        """Show a cleaned article; the cursor goes to ``keep_offset`` (cleaned) or the top."""
        self.cleaned = cleaned
        self.text = cleaned.text
        self.placeholder = ""
        paras = passages.line_paragraphs(line.text for line in cleaned.kept)  # kept lines are joined by a blank line
        bold = [line.kind in ("title", "heading") for line in cleaned.kept]
        self._all_paras, self._all_bold = passages.indexed(paras), bold
        self.paint.new_text()
        self._apply_only()
        self.cursor = 0
        self.selection = None
        if keep_offset is not None:
            self.cursor = passages.index_at(self.passages, keep_offset)
        self._relayout(force=True)
        self.scroll_to(y=0, animate=False)
        self._cursor_moved()

    def show_only(self, tag: str | None, keeps: Callable[[Collection[str]], bool] | None = None) -> None:
        """Show only the paragraphs holding a passage tagged ``tag`` or a child of it (None: every paragraph).

        ``keeps`` says which passages' tags pass when ``tag`` names a tag
        expression rather than one tag.
        """
        if tag == self._only:
            return
        selected = self.selected
        self._only, self._keeps = tag, keeps
        self._apply_only()
        self.selection = None
        self.cursor = passages.index_at(self.passages, selected[0]) if selected else 0
        self._relayout(force=True)
        self._cursor_moved()

    def _apply_only(self) -> None:
        """Choose the paragraphs shown: all, or those the filter tag's marks touch."""
        self._sents = None
        if self.cleaned is None:
            return  # a message is shown, not an article: nothing to filter
        shown: Sequence[int]
        if self._only is None:
            shown = range(len(self._all_paras))
            self.placeholder = ""
        else:
            touched: set[int] = set()
            only = self._only
            keeps = self._keeps or (lambda tags: any(tag_matches(tag, only) for tag in tags))  # a parent shows its children
            for mark in self.paint.marks:
                if keeps(mark.tags):
                    i = passages.index_at(self._all_paras, mark.start)
                    while i < len(self._all_paras) and self._all_paras[i][0] < mark.end:
                        if self._all_paras[i][1] > mark.start:
                            touched.add(i)
                        i += 1
            shown = sorted(touched)
            self.placeholder = "" if shown else f"no passage tagged {for_terminal(self._only)} here"
        self._paras = passages.indexed([self._all_paras[i] for i in shown])
        self._para_bold = [self._all_bold[i] for i in shown]

    def set_shared(self, spans: list[tuple[int, int]], sign: str = "≈") -> None:
        """Mark the passages (cleaned offsets) this article shares with the one beside it (review: ``≠``, disagreements)."""
        self.paint.set_shared(spans, sign)
        self.refresh()

    def set_marks(self, marks: list[Mark], colours: dict[str, str]) -> None:
        """Colour these annotations (cleaned offsets) with their tags' colours; their labels and notes go under the rows they end in."""
        self.paint.set_marks(marks, colours)
        if self._only is None:
            self._place_marks(keep_view=True)
        else:  # the filter follows the tags as they change
            selected, shown = self.selected, self._paras
            self._apply_only()
            if self._paras != shown:
                self.selection = None  # it may lie over paragraphs the filter now hides
            self.cursor = min(passages.index_at(self.passages, selected[0]) if selected else 0, max(0, len(self.passages) - 1))
            self._relayout(force=True)
            if self.selected != selected:  # the passage left the filter: the raw pane and the title follow
                self._cursor_moved()
        self.refresh()

    @property
    def passages(self) -> list[tuple[int, int]]:
        """The spans the cursor steps over: paragraphs, or sentences in sentence mode."""
        if self.step == "paragraph":
            return self._paras
        if self._sents is None:
            self._sents = passages.indexed(passages.all_sentences(self.text, self._paras))
        return self._sents

    @property
    def selected(self) -> tuple[int, int] | None:
        """The selection, else the cursor's passage, in cleaned offsets (None without text)."""
        if self.selection is not None:
            return self.selection
        spans = self.passages
        return spans[self.cursor] if spans else None

    @property
    def paragraphs(self) -> list[tuple[int, int]]:
        """Every paragraph of the article (cleaned offsets), shown or hidden by the tag filter."""
        return self._all_paras

    def select(self, start: int, end: int) -> bool:
        """Put the cursor on the passage at ``start`` and select exactly ``start:end``.

        False if no shown paragraph holds ``start`` (the tag filter hides it).
        """
        spans = self.passages
        if not spans or not self._paras:
            return False
        para = self._paras[passages.index_at(self._paras, start)]
        if not para[0] <= start <= para[1]:
            return False
        self.cursor = passages.index_at(spans, start)
        self.selection = None if spans[self.cursor] == (start, end) else (start, end)
        self._cursor_moved()
        return True

    @property
    def highlights(self) -> list[tuple[int, int]]:
        """The search terms highlighted (cleaned offsets)."""
        return self.paint.highlights

    def set_highlights(self, spans: list[tuple[int, int]]) -> None:
        """Highlight these spans (cleaned offsets): the terms of the search that opened the article."""
        self.paint.set_highlights(spans)
        self.refresh()

    # --- layout ------------------------------------------------------------

    def _relayout(self, force: bool = False) -> None:
        """Cut the text into rows for the current width (only when the width or text changed)."""
        width = max(10, self.scrollable_content_region.width - GUTTER)
        if width == self._layout_width and not force:
            return
        self._layout_width = width
        self._rows = ArticleLayout.wrapped(self.text, self._paras, width)
        self._place_marks()

    def _place_marks(self, keep_view: bool = False) -> None:
        """Put each annotation's labels and note under the row where it ends (the text is not wrapped again).

        With ``keep_view`` (the marks changed) the text on screen stays where it was: rows added
        or removed above it (an undo, another writer) would move it under the analyst's eyes,
        and a passage just tagged at the screen's foot brings its labels into view.
        """
        top, height, selected = round(self.scroll_y), self.scrollable_content_region.height, self.selected
        in_view = keep_view and selected is not None and top <= self.row_of(selected[0]) < top + height
        moved = self._rows.place(self.paint.marks, self._all_paras, self._paras, keep=top)
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows))
        self.refresh()
        if keep_view and moved != top:
            self.scroll_to(y=moved, animate=False, immediate=True)
        if in_view:
            self._scroll_to_cursor()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.post_message(self.Scrolled(self))

    def on_resize(self) -> None:
        self._relayout()
        self._scroll_to_cursor()

    def row_of(self, offset: int) -> int:
        """The row that shows the cleaned ``offset`` (counting the rows of labels and notes above it)."""
        return self._rows.row_of(offset)

    # --- drawing -----------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Draw one screen row: gutter, then the article text with its styles."""
        # The first frame is drawn before the Resize event arrives: wrap for the real width now,
        # or that frame shows the text cut for a zero-width widget.
        self._relayout()
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        base = self.base_style
        if index >= len(self._rows):
            if index == 0 and self.placeholder:
                return Strip([Segment(" " * GUTTER), Segment(self.placeholder, base + ITALIC)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        kind, start, end, mark = self._rows.row(index)
        if kind == BLANK:
            if index == 0 and self.placeholder:
                return Strip([Segment(" " * GUTTER), Segment(self.placeholder, base + ITALIC)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        if kind != TEXT:  # a paragraph's gap, or an annotation's row under the text row it ends in
            if mark is None:
                return Strip.blank(width, base)
            return self.paint.mark_row(mark, base, GUTTER, width).adjust_cell_length(width, base).crop(scroll_x, scroll_x + width)
        para = passages.index_at(self._paras, start)
        bold = bool(self._para_bold) and self._para_bold[para]
        strip = self.paint.text_row(self.text, start, end, base, bold, self.selected, GUTTER)
        return strip.adjust_cell_length(max(width, strip.cell_length), base).crop(scroll_x, scroll_x + width)

    # --- cursor and selection ----------------------------------------------

    def _cursor_moved(self) -> None:
        """Redraw, bring the selection into view and tell the app where it is."""
        self.refresh()
        self._scroll_to_cursor()
        selected = self.selected
        if selected is not None:
            self.post_message(self.SelectionChanged(self, *selected))

    def _scroll_to_cursor(self) -> None:
        selected = self.selected
        if selected is None or not self._rows:
            return
        top, bottom = self.row_of(selected[0]), self.row_of(max(selected[0], selected[1] - 1))
        height = max(1, self.scrollable_content_region.height)
        y = self.scroll_offset.y
        # Keep the rows under it in view too: the gap, or its annotations' labels and notes.
        under = min(max(1, self._rows.rows_under(bottom)), height // 2)
        if bottom + under >= y + height:
            y = min(top, bottom + under + 1 - height)
        if top < y:
            y = top
        if y != self.scroll_offset.y:
            self.scroll_to(y=max(0, y), animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        """Move the passage cursor by ``delta`` passages; the selection becomes that passage."""
        spans = self.passages
        if not spans:
            return
        if self.selection is not None:
            # Leave an extended selection from its leading or trailing end.
            edge = self.selection[1] - 1 if delta > 0 else self.selection[0]
            self.cursor = passages.index_at(spans, max(0, edge))
        self.selection = None
        self.cursor = min(max(0, self.cursor + delta), len(spans) - 1)
        self._cursor_moved()

    def action_extend(self, delta: int) -> None:
        """Extend the selection over the next (1) or previous (-1) passage."""
        spans = self.passages
        selected = self.selected
        if not spans or selected is None:
            return
        start, end = selected
        if delta > 0:
            index = passages.index_at(spans, max(start, end - 1)) + 1
            if index < len(spans):
                end = spans[index][1]
                self.cursor = index
        else:
            index = passages.index_at(spans, start)
            if spans[index][0] >= start:
                index -= 1
            if index >= 0:
                start = spans[index][0]
                self.cursor = index
        self.selection = (start, end)
        self._cursor_moved()

    def action_word(self, edge: str, delta: int) -> None:
        """Move the selection's start or end by one word (grow or trim)."""
        selected = self.selected
        if selected is None:
            return
        start, end = selected
        if edge == "end":
            start, end = (passages.grow_end if delta > 0 else passages.trim_end)(self.text, start, end)
        else:
            start, end = (passages.grow_start if delta < 0 else passages.trim_start)(self.text, start, end)
        self.selection = (start, end)
        self._cursor_moved()

    def action_clear_selection(self) -> None:
        """Drop an extended or trimmed selection: back to the cursor's passage."""
        if self.selection is not None:
            self.selection = None
            self._cursor_moved()

    def action_toggle_step(self) -> None:
        """Switch the cursor between paragraph and sentence steps."""
        selected = self.selected
        self.step = "sentence" if self.step == "paragraph" else "paragraph"
        if selected is not None:
            self.cursor = passages.index_at(self.passages, selected[0])
        self.selection = None
        self._cursor_moved()

    def action_page(self, direction: int) -> None:
        """Move the cursor a screen down or up."""
        height = max(1, self.scrollable_content_region.height - 2)
        selected = self.selected
        if selected is None:
            return
        row = min(max(0, self.row_of(selected[0]) + direction * height), len(self._rows) - 1)
        while row > 0 and self._rows.kind(row) != TEXT:
            row -= 1
        self.selection = None
        self.cursor = passages.index_at(self.passages, self._rows.row(row)[1])
        self._cursor_moved()

    def action_edge(self, end: int) -> None:
        """Move the cursor to the first or the last passage."""
        if self.passages:
            self.selection = None
            self.cursor = len(self.passages) - 1 if end else 0
            self._cursor_moved()

