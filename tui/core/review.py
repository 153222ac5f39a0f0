"""Reviewing two analysts' coding of one article: where they differ, and what a consolidated analyst has settled.

The reader's review mode shows one article coded by analyst A on the left
and B on the right. A *disagreement* is a unit (a paragraph, as the cursor
steps it: :func:`tui.core.agreement.units_of`) on which A and B code a
different set of tags, by the coding rule of :mod:`tui.core.agreement` (an
annotation with a tag overlapping the unit by one character or more codes
it); :func:`disagreement_units` takes them from :func:`~tui.core.agreement.measure`,
so the reader marks exactly the units ``dossier agree`` counts.

Accepting a side copies its annotations overlapping the unit into the
consolidated analyst (:data:`CONSENSUS`; ``History.accept``). A unit is
*resolved* once an annotation of that analyst, tagged or not, overlaps it:
whichever side was chosen, the unit has been looked at. Accepting a side that
coded nothing there leaves a note-only annotation on the unit, so that
choice counts too and adds no tag to the figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from tui.core.agreement import ArticleCodings, analyst_of, codings_of, measure
from tui.core.passages import Span

if TYPE_CHECKING:
    from tui.core.notes.model import Annotation

#: The analyst a review writes its accepted codings as.
CONSENSUS = "consensus"


def disagreement_units(units: Sequence[Span], annotations: Iterable[Annotation], left: str, right: str) -> list[Span]:
    """The units (source spans, in order) on which ``left`` and ``right`` code different tags."""
    article = ArticleCodings("", units, codings_of(annotations))
    found = measure([article], [left, right]).disagreements
    return sorted({(d.start, d.end) for d in found})


def resolved(units: Iterable[Span], annotations: Iterable[Annotation], into: str = CONSENSUS) -> set[Span]:
    """The ``units`` that an annotation of ``into`` (tagged or note-only, not an orphan) overlaps."""
    theirs = [a.target for a in annotations if analyst_of(a) == into and not a.orphan]
    return {(start, end) for start, end in units if any(t.start < end and t.end > start for t in theirs)}


def overlapping(annotations: Iterable[Annotation], analysts: Sequence[str], start: int, end: int) -> list[Annotation]:
    """The placed annotations of ``analysts`` overlapping the source span ``start:end``."""
    return [a for a in annotations if analyst_of(a) in analysts and not a.orphan and a.target.start < end and a.target.end > start]


def pairs_by_count(annotations: Iterable[Annotation], into: str = CONSENSUS) -> list[tuple[str, str]]:
    """Every pair of analysts (not ``into``) with annotations here, the pair with the most annotations first.

    Within a pair the names are in alphabetical order: the left pane's analyst, then the right one's.
    """
    counts: dict[str, int] = {}
    for annotation in annotations:
        name = analyst_of(annotation)
        if name != into:
            counts[name] = counts.get(name, 0) + 1
    names = sorted(counts)
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]
    return sorted(pairs, key=lambda pair: -(counts[pair[0]] + counts[pair[1]]))
