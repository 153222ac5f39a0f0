"""The overview's per-analyst view: annotations per tag per analyst, and how far the analysts agree on each tag.

Counts: each annotation counts once for each of its tags, under its analyst
(orphans included: they were coded). Agreement: percent agreement and
Krippendorff's alpha of :func:`tui.core.agreement.measure`, by paragraph,
over every article the analysts annotated, among the analysts who coded
(not :data:`~tui.core.review.CONSENSUS`, whose annotations are what a review
accepted from them); None with fewer than two such analysts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.core.agreement import Agreement, ArticleCodings, analyst_of, codings_of, measure
from tui.core.passages import Span
from tui.core.review import CONSENSUS

if TYPE_CHECKING:
    from tui.core.notes.model import Annotation


@dataclass(frozen=True)
class AnalystTable:
    """Tags × analysts (consensus last), and the coders' agreement per tag (None with fewer than two coders)."""

    tags: list[str]
    analysts: list[str]
    counts: Counter[tuple[str, str]]  # (tag, analyst) -> annotations
    agreement: Agreement | None

    def count(self, tag: str, analyst: str) -> int:
        """How many of ``analyst``'s annotations carry ``tag``."""
        return self.counts[(tag, analyst)]


def analyst_table(annotations: Sequence[Annotation], units: Mapping[str, Sequence[Span]], tags: Iterable[str]) -> AnalystTable:
    """The table of ``annotations``; ``units`` are each readable annotated article's paragraphs (source spans)."""
    counts: Counter[tuple[str, str]] = Counter((tag, analyst_of(a)) for a in annotations for tag in a.tags)
    names = sorted({analyst_of(a) for a in annotations})
    coders = [name for name in names if name != CONSENSUS]
    chosen = list(tags)
    agreement = None
    if len(coders) >= 2:
        by_path: dict[str, list[Annotation]] = {}
        for annotation in annotations:
            by_path.setdefault(annotation.article.path, []).append(annotation)
        articles = [ArticleCodings(path, units[path], codings_of(anns)) for path, anns in by_path.items() if path in units]
        agreement = measure(articles, coders, chosen)
    return AnalystTable(chosen, coders + [CONSENSUS] * (CONSENSUS in names), counts, agreement)
