"""Tag × tag co-occurrence: where two codes meet, counted in passages.

Two ways for annotations to meet, one per :data:`MODES`:

* ``overlap``: their spans share at least one character of the cleaned text;
* ``paragraph``: they touch a common paragraph of the cleaned text.

What a cell counts (the unit is the *passage*, a meeting):

- for two different tags A and B, each **pair** of different annotations of
  one article that meet, one carrying A and the other B (in either order),
  plus each **single annotation** carrying both A and B: an annotation
  with two tags co-occurs with itself, since the analyst put both codes on
  the very same words. A pair counts once, however many paragraphs it
  shares and however many of its tags are A or B;
- on the diagonal (A with A), the annotations carrying A: the code's own
  frequency, so a cell can be read against it.

An orphan (its quote is no longer in the article) and an annotation wholly
in lines the cleaner dropped have no place in the cleaned text: they meet
no other annotation, but still count with themselves (the analyst's
coding stands, as in the coding table). Annotations of different articles
never meet. Pure Python: no Textual, no Rich.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations
from typing import TYPE_CHECKING

from tui.core.document import clean_spans
from tui.core.overview import CodedPassage
from tui.core.passages import Span, paragraphs

if TYPE_CHECKING:
    from tui.core.cleaned import Cleaned
    from tui.core.notes.model import Annotation

#: The two modes, in the order the overview's key toggles them, and how each is named on screen.
MODES = {"overlap": "overlapping annotations", "paragraph": "annotations sharing a paragraph"}


@dataclass(frozen=True)
class Placement:
    """One annotation where the cleaned text has it: its span and the paragraphs it touches (none if it has no place)."""

    annotation: Annotation
    span: Span | None = None
    paragraphs: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Meeting:
    """One passage of a cell: a single annotation carrying both tags, or two annotations that meet."""

    first: CodedPassage  # the earlier of the two in the article (the one the reader opens)
    second: CodedPassage | None = None  # None: ``first`` alone carries both tags

    @property
    def path(self) -> str:
        """The article both annotations are in."""
        return self.first.path


@dataclass(frozen=True)
class Cooccurrence:
    """Meetings per pair of tags, in one mode."""

    mode: str  # one of MODES
    tags: list[str]  # rows and columns, in order
    cells: dict[tuple[str, str], list[Meeting]] = field(default_factory=dict)  # keyed (row, column) in tag order

    @cached_property
    def _order(self) -> dict[str, int]:
        """Each tag's place, built once: a table of n tags asks for n² cells."""
        return {tag: n for n, tag in enumerate(self.tags)}

    def _key(self, a: str, b: str) -> tuple[str, str]:
        order = self._order
        return (a, b) if order.get(a, -1) <= order.get(b, -1) else (b, a)

    def passages(self, a: str, b: str) -> list[Meeting]:
        """The meetings of tags ``a`` and ``b`` (the same either way round), by article then position."""
        return self.cells.get(self._key(a, b), [])

    def count(self, a: str, b: str) -> int:
        """How many passages: on the diagonal the annotations with the tag, elsewhere the meetings."""
        return len(self.passages(a, b))

    @property
    def label(self) -> str:
        """What this mode counts, as the screen says it."""
        return MODES[self.mode]


def place(cleaned: Cleaned, annotations: Iterable[Annotation]) -> list[Placement]:
    """Each annotation of one article with its cleaned span and the paragraphs it touches.

    The paragraphs are the cleaned text's (its kept lines); an orphan or an
    annotation wholly in dropped lines gets no span and no paragraph.
    """
    chosen = list(annotations)
    paras = paragraphs(cleaned.text)
    starts = [start for start, _ in paras]
    spans = {id(ann): span for ann, span in clean_spans(cleaned.offsets, chosen)}
    placed = []
    for ann in chosen:
        span = spans.get(id(ann))
        if span is None:
            placed.append(Placement(ann))
            continue
        placed.append(Placement(ann, span, _touched(paras, starts, span)))
    return placed


def _touched(paras: list[Span], starts: list[int], span: Span) -> frozenset[int]:
    """The indices of the paragraphs that share a character with ``span`` (an empty span: the one it sits in)."""
    start, end = span
    n = max(0, bisect_right(starts, start) - 1)
    touched = set()
    while n < len(paras) and paras[n][0] < max(end, start + 1):
        if paras[n][1] > start or paras[n][1] == start == end:
            touched.add(n)
        n += 1
    return frozenset(touched)


def unplaced(annotations: Iterable[Annotation]) -> list[Placement]:
    """Annotations whose article could not be read: they count with themselves only."""
    return [Placement(ann) for ann in annotations]


def cooccurrence(placements: Iterable[Placement], tags: Sequence[str], mode: str, articles: Sequence[str] = ()) -> Cooccurrence:
    """The co-occurrence of ``tags`` among the placed annotations, in ``mode`` (``overlap`` or ``paragraph``).

    Tags that are not in ``tags`` are ignored. Meetings are listed in the
    order of ``articles`` (others after, in order of appearance), then by
    the position of their first annotation.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    columns = list(dict.fromkeys(tags))
    wanted = set(columns)
    order = {tag: n for n, tag in enumerate(columns)}
    rows = {path: n for n, path in enumerate(articles)}
    by_article: dict[str, list[tuple[Placement, CodedPassage]]] = {}
    for placement in placements:
        ann = placement.annotation
        mine = tuple(dict.fromkeys(tag for tag in ann.tags if tag in wanted))
        if not mine:
            continue
        path = ann.article.path
        rows.setdefault(path, len(rows))
        passage = CodedPassage(ann.id, path, ann.target.exact, ann.note, mine, ann.orphan)
        by_article.setdefault(path, []).append((placement, passage))
    found: list[tuple[int, int, tuple[str, str], Meeting]] = []
    for path, items in by_article.items():
        items.sort(key=lambda item: (_position(item[0]), item[1].annotation_id))
        for placement, passage in items:
            position = _position(placement)
            for n, a in enumerate(passage.tags):  # itself: every pair of its own tags, and the diagonal
                for b in passage.tags[n:]:
                    key = (a, b) if order[a] <= order[b] else (b, a)
                    found.append((rows[path], position, key, Meeting(passage)))
        for (one, first), (_, second) in _meeting_pairs(items, mode):
            keys = {
                (a, b) if order[a] <= order[b] else (b, a) for a in first.tags for b in second.tags if a != b
            }
            for key in keys:
                found.append((rows[path], _position(one), key, Meeting(first, second)))
    found.sort(key=lambda item: (item[0], item[1]))
    cells: dict[tuple[str, str], list[Meeting]] = {}
    for _, _, key, meeting in found:
        cells.setdefault(key, []).append(meeting)
    return Cooccurrence(mode, columns, cells)


def _position(placement: Placement) -> int:
    """Where the annotation sorts in its article: its cleaned start, else its source start."""
    return placement.span[0] if placement.span is not None else placement.annotation.target.start


Item = tuple[Placement, CodedPassage]


def _meeting_pairs(items: list[Item], mode: str) -> list[tuple[Item, Item]]:
    """The pairs of different annotations of one article (sorted by start) that meet, each once, earlier first."""
    placed = [item for item in items if item[0].span is not None]
    pairs: list[tuple[Item, Item]] = []
    if mode == "overlap":
        # A sweep: items are sorted by start, so each is compared only with those that start before it ends.
        for n, one in enumerate(placed):
            start, end = one[0].span or (0, 0)
            for other in placed[n + 1 :]:
                other_start, other_end = other[0].span or (0, 0)
                if other_start >= end:
                    break
                if other_end > start and other_start < end:
                    pairs.append((one, other))
        return pairs
    in_paragraph: dict[int, list[int]] = {}
    for n, (placement, _) in enumerate(placed):
        for paragraph in placement.paragraphs:
            in_paragraph.setdefault(paragraph, []).append(n)
    seen: set[tuple[int, int]] = set()
    for members in in_paragraph.values():
        for n, m in combinations(members, 2):
            if (n, m) not in seen:
                seen.add((n, m))
                pairs.append((placed[n], placed[m]))
    pairs.sort(key=lambda pair: (_position(pair[0][0]), _position(pair[1][0])))
    return pairs
