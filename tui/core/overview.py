"""The coding overview: articles × tags, how much of each article is tagged, what is left.

``coding_matrix`` counts annotations per article and tag and keeps their
passages for listing; ``coverage`` is the share of an article's cleaned text
under an annotation; ``next_untagged`` finds the next paragraph no
annotation touches. Pure Python: no Textual, no Rich.

Choices:
- An orphan (an annotation whose quote is no longer in the article) still
  counts: it is the analyst's coding, and its passage says ``orphan``. It
  has no place in the text, so it adds nothing to coverage.
- An annotation with two of the matrix's tags counts once in each tag's
  cell but once only in its article's row total (and in the grand total):
  the row total is how many passages the article has coded. So column
  totals add up to the grand total only when no annotation has two tags.
- Tags that are not columns are ignored, and an annotation none of whose
  tags is a column is left out altogether.
- A column counts its tag's children too (``tui.core.tag_tree``): the
  column ``energy`` counts an annotation tagged ``energy/pipelines`` (once,
  however many of its children it has), so a parent's column rolls up its
  subtree; ``tree_order`` gives the columns with each parent before its children.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from tui.core.document import clean_spans
from tui.core.passages import Span
from tui.core.tag_tree import tag_matches

if TYPE_CHECKING:
    from tui.core.cleaned import Cleaned
    from tui.core.notes.model import Annotation


@dataclass(frozen=True)
class CodedPassage:
    """One annotation as the overview lists it."""

    annotation_id: str
    path: str
    quote: str  # the annotation's exact quoted text
    note: str
    tags: tuple[str, ...]  # the annotation's tags that are columns of the matrix
    orphan: bool = False


@dataclass(frozen=True)
class Matrix:
    """Counts of annotations per (article path, tag), with the passages behind them."""

    articles: list[str]  # article paths: the rows, in order
    tags: list[str]  # the columns, in order
    counts: dict[tuple[str, str], int]  # (path, tag) -> annotations with that tag in that article
    coded: list[CodedPassage] = field(default_factory=list)  # every counted annotation, by row then position

    def count(self, path: str, tag: str) -> int:
        """Annotations with ``tag`` in the article at ``path``."""
        return self.counts.get((path, tag), 0)

    def row_total(self, path: str) -> int:
        """Annotations in the article (one with two tags counts once)."""
        return len(self.passages(path, None))

    def column_total(self, tag: str) -> int:
        """Annotations with ``tag``, in every article."""
        return sum(self.count(path, tag) for path in self.articles)

    @property
    def total(self) -> int:
        """Annotations counted in the matrix (each once)."""
        return len(self.coded)

    def passages(self, path: str | None, tag: str | None) -> list[CodedPassage]:
        """The passages of one cell; ``None`` stands for every article or every tag."""
        row = self.coded if path is None else self._by_path.get(path, [])
        return [passage for passage in row if tag is None or tag in passage.tags]

    @cached_property
    def _by_path(self) -> dict[str, list[CodedPassage]]:
        """The passages of each row, so a table of thousands of rows does not rescan them all per row."""
        rows: dict[str, list[CodedPassage]] = {}
        for passage in self.coded:
            rows.setdefault(passage.path, []).append(passage)
        return rows


def coding_matrix(annotations: Iterable[Annotation], articles: list[str], tags: list[str]) -> Matrix:
    """The matrix of ``articles`` (rows) × ``tags`` (columns).

    Tags that are not columns are ignored; an annotated article missing from
    ``articles`` gets a row after them, in order of first appearance.
    Passages are listed by row, then by their position in the article.
    """
    columns = list(dict.fromkeys(tags))
    rows = list(articles)
    row_of = {path: n for n, path in enumerate(rows)}
    counts: dict[tuple[str, str], int] = {}
    placed: list[tuple[int, int, CodedPassage]] = []
    for ann in annotations:
        # A column counts its own tag and its children's; a tag listed twice counts once.
        mine = tuple(column for column in columns if any(tag_matches(tag, column) for tag in ann.tags))
        if not mine:
            continue
        path = ann.article.path
        if path not in row_of:
            row_of[path] = len(rows)
            rows.append(path)
        for tag in mine:
            counts[(path, tag)] = counts.get((path, tag), 0) + 1
        passage = CodedPassage(ann.id, path, ann.target.exact, ann.note, mine, ann.orphan)
        placed.append((row_of[path], ann.target.start, passage))
    placed.sort(key=lambda item: (item[0], item[1]))
    return Matrix(rows, list(tags), counts, [passage for _, _, passage in placed])


def tagged_spans(cleaned: Cleaned, annotations: Iterable[Annotation]) -> list[Span]:
    """The non-orphan annotations' spans in cleaned-text offsets, cut to their kept parts (see ``clean_spans``)."""
    return [span for _, span in clean_spans(cleaned.offsets, annotations)]


def coverage(cleaned: Cleaned, annotations: Iterable[Annotation]) -> float:
    """The share (0..1) of the cleaned text's characters that some annotation covers.

    White space (including the blank lines between paragraphs) is not
    counted on either side, so the figure does not depend on layout;
    overlapping annotations count once; orphans count nothing.
    """
    text = cleaned.text
    total = _visible(text, 0, len(text))
    if not total:
        return 0.0
    covered = sum(_visible(text, start, end) for start, end in _merged(tagged_spans(cleaned, annotations)))
    return covered / total


def next_untagged(paragraphs: list[Span], tagged: list[Span], after: int) -> Span | None:
    """The first paragraph starting after ``after`` that no tagged span touches.

    Both lists hold cleaned-text offsets. The search wraps round to the
    first paragraph (so the paragraph at ``after`` comes last); None when
    every paragraph is tagged.
    """
    merged = _merged(tagged)
    starts = [start for start, _ in merged]

    def touched(paragraph: Span) -> bool:
        # The one merged span that could overlap is the last starting before the paragraph's end.
        n = bisect_left(starts, paragraph[1]) - 1
        return n >= 0 and merged[n][1] > paragraph[0]

    first = bisect_right([start for start, _ in paragraphs], after)
    for paragraph in paragraphs[first:] + paragraphs[:first]:
        if not touched(paragraph):
            return paragraph
    return None


def _merged(spans: Iterable[Span]) -> list[Span]:
    """Non-empty spans sorted and joined where they overlap or meet."""
    out: list[Span] = []
    for start, end in sorted(span for span in spans if span[1] > span[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _visible(text: str, start: int, end: int) -> int:
    """Characters of ``text[start:end]`` that are not white space."""
    return sum(map(len, text[start:end].split()))
