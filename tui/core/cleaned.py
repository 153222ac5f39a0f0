"""What the cleaner returns: ``Cleaned``, its ``Line`` decisions and the ``OffsetMap`` between the two texts.

Apart from the cleaner (:mod:`tui.core.clean`, its patterns and rules) so
that a cleaned article can be handed over, and read, without importing the
cleaner: the reader's first article is cleaned in a child process while
Textual is imported, and comes back pickled (:mod:`tui.core.firstlook`).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import InitVar, dataclass, field
from typing import NamedTuple

PARAGRAPH_SEPARATOR = "\n\n"


class Line(NamedTuple):
    """One source line and the cleaner's decision about it.

    A named tuple rather than a dataclass: a page has hundreds of lines,
    and a tuple is built several times faster. It holds the source text it
    is a line of, not a copy of its own: a 50 MB article's lines would
    otherwise hold a second 50 MB (its ``text`` is cut out when asked for).
    """

    n: int  # 1-based line number in the source
    start: int  # offset of the first character in the source text
    end: int  # offset just past the line's last character (before its newline)
    kind: str
    reason: str
    keep: bool
    overridden: bool
    source: str  # the whole source text (shared by every line of it)

    @property
    def text(self) -> str:
        """The line's text, verbatim (without its newline)."""
        return self.source[self.start : self.end]

    def __repr__(self) -> str:
        # Not the source: a failing test would print the whole article once per line.
        return (
            f"Line(n={self.n}, start={self.start}, end={self.end}, text={self.text!r}, kind={self.kind!r},"
            f" reason={self.reason!r}, keep={self.keep}, overridden={self.overridden})"
        )


class OffsetMap:
    """Where each kept line of a cleaned article starts in the source and in the cleaned text.

    Enough to map offsets both ways, and small: the search keeps one per
    article of the corpus, long after the article's ``Cleaned`` is gone.
    """

    __slots__ = ("clean_starts", "source_ends", "source_starts")

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        """``spans``: each kept line's (start, end) in the source, in order."""
        # Tuples of numbers: the garbage collector stops walking them.
        self.source_starts = tuple(start for start, _ in spans)
        self.source_ends = tuple(end for _, end in spans)
        clean_starts = []
        offset = 0
        for start, end in spans:
            clean_starts.append(offset)
            offset += end - start + len(PARAGRAPH_SEPARATOR)
        self.clean_starts = tuple(clean_starts)

    def to_source(self, offset: int) -> int:
        """The source offset of a cleaned-text offset."""
        i = max(0, bisect.bisect_right(self.clean_starts, offset) - 1)
        if not self.clean_starts:
            return 0
        return min(self.source_starts[i] + offset - self.clean_starts[i], self.source_ends[i])

    def clean_offset(self, source_offset: int) -> int | None:
        """The cleaned-text offset of a source offset, or None if its line was dropped."""
        index = bisect.bisect_right(self.source_starts, source_offset) - 1
        if index < 0 or source_offset > self.source_ends[index]:
            return None
        return self.clean_starts[index] + source_offset - self.source_starts[index]

    def to_clean(self, start: int, end: int) -> tuple[int, int] | None:
        """A source span in cleaned offsets, cut to its kept part (None if it is all in dropped lines)."""
        first = bisect.bisect_right(self.source_starts, start) - 1
        if first < 0 or start > self.source_ends[first]:
            first += 1  # starts in a dropped line: from the next kept one
        last = bisect.bisect_right(self.source_starts, end - 1) - 1  # the last kept line starting before the end
        if first >= len(self.source_starts) or last < first:
            return None
        clean_start = self.clean_starts[first] + max(0, start - self.source_starts[first])
        clean_end = self.clean_starts[last] + min(end, self.source_ends[last]) - self.source_starts[last]
        return (clean_start, clean_end) if clean_end > clean_start else None


@dataclass
class Cleaned:
    """The result of cleaning one text: every line, and the kept text."""

    lines: list[Line]
    title: str | None
    byline: str | None
    #: ISO 639-1 code of the page's language, None when it could not be told.
    language: str | None = None
    #: What the analyst should know before trusting the cleaned text, in plain words.
    warnings: list[str] = field(default_factory=list)
    #: The kept lines joined, when the caller has them already (the cleaner does); made from the lines if not.
    joined: InitVar[str | None] = None
    text: str = field(init=False)
    offsets: OffsetMap = field(init=False, repr=False)
    _kept: list[Line] = field(init=False, repr=False)

    def __post_init__(self, joined: str | None) -> None:
        self._kept = [line for line in self.lines if line.keep]
        self.offsets = OffsetMap([(line.start, line.end) for line in self._kept])
        self.text = joined if joined is not None else PARAGRAPH_SEPARATOR.join([line.text for line in self._kept])

    @property
    def kept(self) -> list[Line]:
        """The kept lines, in source order."""
        return self._kept

    def to_source(self, offset: int) -> int:
        """Map an offset in the cleaned text to the offset in the source.

        An offset inside a paragraph separator maps to the end of the
        paragraph before it.
        """
        if not self._kept:
            return 0
        if offset < 0 or offset > len(self.text):
            raise IndexError(f"offset {offset} outside the cleaned text (0..{len(self.text)})")
        return self.offsets.to_source(offset)

    def to_clean(self, source_offset: int) -> int | None:
        """Map a source offset to the cleaned text, or None if it was dropped."""
        return self.offsets.clean_offset(source_offset)
