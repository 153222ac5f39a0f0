"""The article view's rows: the wrapped text, and the annotations' rows placed under the rows where they end.

The text is wrapped once per width (and per tag filter) into a ``RowTable``,
the *base* rows: each shown paragraph's ``TEXT`` rows, then one ``GAP`` row
that separates it from the next. The rows that show an annotation's labels
and note are not in it: they are an overlay, a short sorted list of "these
annotations' rows come after base row b". Tagging changes only the overlay,
which costs a bisect per annotation however long the article is: a 50 MB
article's 700,000 base rows are never wrapped again, copied or turned into
Python objects for it.

The view scrolls over *display* rows: the base rows with the overlay's rows
between them. An annotation gets one row, right under the text row holding
its last character (its labels in their colours, then its note's first
line); when that row is a paragraph's last, the paragraph's ``GAP`` row
shows it, so a paragraph tagged whole looks as it always did.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from tui.core.document import Mark
from tui.core.passages import Span, index_at
from tui.widgets.wrap import RowTable

#: Row kinds: wrapped text; the row after a paragraph (blank, or an annotation's);
#: the one row of an empty view; an annotation's row inserted under a text row.
TEXT, GAP, BLANK, MARK = 0, 1, 2, 3


def shows(mark: Mark) -> bool:
    """Whether an annotation has anything to show under its passage: tags or a note."""
    return bool(mark.tags) or bool(mark.note.strip())


class ArticleLayout:
    """Base rows in arrays (``rows``) and the annotations' rows placed between them."""

    __slots__ = ("_after", "_before", "_first", "_gap_marks", "_inserted", "rows")

    def __init__(self, rows: RowTable | None = None) -> None:
        self.rows = rows if rows is not None else RowTable()
        self._after: list[int] = []  # base rows followed by annotations' rows, ascending
        self._inserted: list[tuple[Mark, ...]] = []  # the annotations whose rows follow each of them
        self._before: list[int] = [0]  # rows inserted before _after[k]'s group (one more entry than _after)
        self._first: list[int] = []  # the display row of the first row of each group
        self._gap_marks: dict[int, Mark] = {}  # a paragraph's gap row -> the annotation it shows

    @classmethod
    def wrapped(cls, text: str, paragraphs: Iterable[Span], width: int) -> ArticleLayout:
        """The base rows of ``paragraphs`` of ``text`` wrapped to ``width``, with no annotation placed."""
        rows = RowTable()
        for start, end in paragraphs:
            rows.add_wrapped(TEXT, text, start, end, width)
            # Gap rows carry their paragraph's end, so the starts stay non-decreasing for bisect.
            rows.add(GAP, end, end)
        if not rows:
            rows.add(BLANK, 0, 0)
        return cls(rows)

    def place(self, marks: Iterable[Mark], paragraphs: list[Span], shown: list[Span], keep: int = 0) -> int:
        """Place each annotation's row under the text row holding its last character; where display row ``keep`` went.

        ``paragraphs`` are every paragraph, ``shown`` those laid out (the tag
        filter hides the others): an annotation ending in a hidden paragraph,
        or with neither tags nor a note, gets no row. Annotations ending in the
        same row follow one another in text order. Rows placed or removed
        above ``keep`` move it; the view keeps the text on screen still with it.
        """
        anchor = self.base_of(keep) if 0 <= keep < len(self) else None
        was = self.display_row(anchor) if anchor is not None else 0
        rows = self.rows
        groups: dict[int, list[Mark]] = {}
        for mark in sorted(marks, key=lambda m: (m.end, m.start)):
            if not paragraphs or not shown or not shows(mark):
                continue
            last = max(mark.start, mark.end - 1)
            para = paragraphs[index_at(paragraphs, last)]
            if shown[index_at(shown, para[0])] != para:
                continue
            # The row holding the last character; one ending in the spaces after its
            # paragraph (a span of the source's line) belongs to the paragraph's last row.
            row = bisect_right(rows.starts, max(para[0], min(last, para[1] - 1))) - 1
            while row > 0 and rows.kinds[row] != TEXT:
                row -= 1
            groups.setdefault(max(0, row), []).append(mark)
        self._after, self._inserted, self._gap_marks = [], [], {}
        for row, group in sorted(groups.items()):
            after, rest = row, tuple(group)
            if row + 1 < len(rows) and rows.kinds[row + 1] == GAP:
                # The paragraph's last row: its gap row shows the first, the others follow it.
                self._gap_marks[row + 1] = group[0]
                after, rest = row + 1, rest[1:]
            if rest:
                self._after.append(after)
                self._inserted.append(rest)
        self._before, self._first = [0], []
        for after, inserted in zip(self._after, self._inserted, strict=True):
            self._first.append(after + 1 + self._before[-1])
            self._before.append(self._before[-1] + len(inserted))
        return keep if anchor is None else keep + self.display_row(anchor) - was

    def __len__(self) -> int:
        return len(self.rows) + self._before[-1]

    def row(self, y: int) -> tuple[int, int, int, Mark | None]:
        """Display row ``y`` as ``(kind, start, end, annotation)``; the annotation of a ``GAP`` or ``MARK`` row, if any.

        An inserted row's offsets are the end of the text row it is under.
        """
        group = bisect_right(self._first, y) - 1
        if group >= 0 and y - self._first[group] < len(self._inserted[group]):
            after = self._after[group]
            end = self.rows.ends[after]
            return MARK, end, end, self._inserted[group][y - self._first[group]]
        base = y - self._before[group + 1]
        rows = self.rows
        return rows.kinds[base], rows.starts[base], rows.ends[base], self._gap_marks.get(base)

    def kind(self, y: int) -> int:
        """The kind of display row ``y``."""
        return self.row(y)[0]

    def base_of(self, y: int) -> int:
        """The base row display row ``y`` is, or (an inserted row) follows."""
        group = bisect_right(self._first, y) - 1
        if group >= 0 and y - self._first[group] < len(self._inserted[group]):
            return self._after[group]
        return y - self._before[group + 1]

    def display_row(self, base: int) -> int:
        """Where base row ``base`` is among the display rows."""
        return base + self._before[bisect_left(self._after, base)]

    def row_of(self, offset: int) -> int:
        """The display row of the text row that shows the offset ``offset``."""
        rows = self.rows
        base = bisect_right(rows.starts, offset) - 1
        while base > 0 and rows.kinds[base] != TEXT:
            base -= 1
        return self.display_row(max(0, base))

    def rows_under(self, y: int) -> int:
        """How many annotation rows (gap or inserted) follow display row ``y`` before the next text."""
        count = 0
        while y + count + 1 < len(self) and self.kind(y + count + 1) in (GAP, MARK):
            count += 1
        return count
