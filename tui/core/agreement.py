"""How far analysts agree on where each tag applies: units, the coding rule, the figures per tag and overall.

The unit of coding is a passage as the reader's cursor steps it: a
paragraph (one kept line of the cleaned text, the title and headings
included) or a sentence of one. Units are counted, not characters, so one
long passage coded by both analysts weighs no more than a short one.

An analyst *codes* a unit with a tag when one of their annotations with that
tag overlaps the unit by at least one character, in source offsets (where
every annotation offset lives). Orphan annotations have no place in the text
and do not count. Each unit and tag is then a yes/no question per analyst,
and the figures of :mod:`tui.core.reliability` measure how far the answers
agree:

- per tag, over every unit of every article that at least one of the chosen
  analysts annotated (with any tag);
- overall, pooled: every (unit, tag) pair is one item, so a tag used often
  weighs more than a rare one (not an average of the per-tag figures).

Percent agreement is the share of units on which all chosen analysts answer
alike; Cohen's kappa exists for exactly two analysts; Krippendorff's alpha
(nominal) for two or more. Both are None when undefined (see
:mod:`tui.core.reliability`): for instance a tag nobody, or everybody, put on
every unit.

:func:`measure` works on plain data (units and codings per article, in
source offsets), so it is tested without a corpus or notes;
:func:`units_of` and :func:`codings_of` make that data from an article's
cleaned text and its annotations.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.core import passages
from tui.core.notes.analyst_names import DEFAULT_ANALYST
from tui.core.passages import Span
from tui.core.reliability import Pattern, cohen_kappa, krippendorff_alpha, percent_agreement

if TYPE_CHECKING:
    from tui.core.cleaned import OffsetMap
    from tui.core.document import Document
    from tui.core.notes.model import Annotation

PARAGRAPH = "paragraph"
SENTENCE = "sentence"
#: The units ``dossier agree --unit`` takes.
UNITS = (PARAGRAPH, SENTENCE)

#: The analyst of an annotation that names none (notes written before annotations carried one).
UNKNOWN = DEFAULT_ANALYST  # whoever made the annotations of notes older than analysts


# --- the data: units and codings ------------------------------------------------


@dataclass(frozen=True)
class Coding:
    """One analyst's tag on a source span (an annotation with three tags is three codings)."""

    analyst: str
    tag: str
    start: int
    end: int


@dataclass(frozen=True)
class ArticleCodings:
    """One article: its units and every coding on it, all in source offsets."""

    article: str
    units: Sequence[Span]
    codings: Sequence[Coding]


def units_of(text: str, offsets: OffsetMap, unit: str = PARAGRAPH) -> list[Span]:
    """The units of a cleaned text, as the reader's cursor steps them, in source offsets.

    ``text`` is the cleaned text and ``offsets`` its map to the source (a
    ``Cleaned``'s, or the corpus cache's for an article it holds); both are
    all the reader uses. Empty units are left out: nothing can overlap them.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r} (expected one of {', '.join(UNITS)})")
    lines = [
        text[clean : clean + end - start]
        for clean, start, end in zip(offsets.clean_starts, offsets.source_starts, offsets.source_ends, strict=True)
    ]
    spans = passages.line_paragraphs(lines)
    if unit == SENTENCE:
        spans = passages.all_sentences(text, spans)
    # A unit lies within one kept line, so its two ends map into that line's source.
    return [(offsets.to_source(start), offsets.to_source(end)) for start, end in spans if end > start]


def document_units(document: Document, unit: str = PARAGRAPH) -> list[Span]:
    """The units of an opened article (see :func:`units_of`)."""
    return units_of(document.cleaned.text, document.cleaned.offsets, unit)


def analyst_of(annotation: Annotation) -> str:
    """The analyst who made ``annotation`` (``unattributed`` for notes older than analysts)."""
    return annotation.analyst or UNKNOWN


def codings_of(annotations: Iterable[Annotation], analyst: Callable[[Annotation], str] | None = None) -> list[Coding]:
    """Each tag of each placed annotation as a coding; orphans are left out.

    ``analyst`` names an annotation's analyst (default :func:`analyst_of`);
    an explicit one maps annotations to analysts where the notes do not say.
    """
    name = analyst or analyst_of
    return [
        Coding(name(ann), tag, ann.target.start, ann.target.end)
        for ann in annotations
        if not ann.orphan
        for tag in ann.tags
    ]


# --- the result -----------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """The agreement on one tag, or pooled over all (``units`` is then units × tags).

    ``agreement`` is a share from 0 to 1 (None without units); ``kappa`` is
    None unless there are exactly two analysts, ``alpha`` unless two or more;
    either is None too where the data leave it undefined.
    """

    units: int
    coded: dict[str, int]
    agreement: float | None
    kappa: float | None
    alpha: float | None

    def to_json(self) -> dict[str, Any]:
        """``{"units", "coded": {ANALYST: n}, "agreement", "kappa", "alpha"}``."""
        return {"units": self.units, "coded": dict(self.coded), "agreement": self.agreement, "kappa": self.kappa, "alpha": self.alpha}


@dataclass(frozen=True)
class Disagreement:
    """A unit and tag on which the analysts differ: who coded it (the others did not)."""

    article: str
    start: int
    end: int
    tag: str
    coded_by: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"article", "start", "end", "tag", "coded_by": [...]}``, offsets in the source."""
        return {"article": self.article, "start": self.start, "end": self.end, "tag": self.tag, "coded_by": list(self.coded_by)}


@dataclass(frozen=True)
class Agreement:
    """The agreement of some analysts over the articles at least one of them annotated."""

    analysts: tuple[str, ...]
    articles: int
    units: int
    tags: dict[str, Figures]
    overall: Figures
    disagreements: list[Disagreement] = field(default_factory=list)

    def to_json(self, unit: str) -> dict[str, Any]:
        """What ``dossier agree --json`` prints (the overall figures are the text output's)."""
        return {
            "unit": unit,
            "analysts": list(self.analysts),
            "tags": {tag: figures.to_json() for tag, figures in self.tags.items()},
            "disagreements": [d.to_json() for d in self.disagreements],
        }


# --- measuring ------------------------------------------------------------------


def measure(articles: Iterable[ArticleCodings], analysts: Sequence[str], tags: Sequence[str] | None = None) -> Agreement:
    """The agreement of ``analysts`` on ``tags`` (default: every tag they used, by name) over ``articles``.

    Only articles where at least one of ``analysts`` has a coding (of any
    tag) count; codings of other analysts are ignored. Units are taken as
    given (disjoint source spans); a coding overlapping a unit by at least
    one character codes it.
    """
    chosen = tuple(dict.fromkeys(analysts))
    if not chosen:
        raise ValueError("no analyst to measure")
    position = {name: i for i, name in enumerate(chosen)}
    # Per tag: the analysts coding each (article, unit), for the units someone coded.
    coded: dict[str, dict[tuple[int, int], set[str]]] = {}
    spans: list[Sequence[Span]] = []
    names: list[str] = []
    units = 0
    for article in articles:
        mine = [c for c in article.codings if c.analyst in position and c.end > c.start]
        if not mine:
            continue  # none of the chosen analysts annotated it
        number = len(spans)
        ordered = sorted({span for span in article.units if span[1] > span[0]})
        spans.append(ordered)
        names.append(article.article)
        units += len(ordered)
        ends = [end for _, end in ordered]
        for coding in mine:
            by_unit = coded.setdefault(coding.tag, {})
            index = bisect_right(ends, coding.start)  # the first unit ending after the coding starts
            while index < len(ordered) and ordered[index][0] < coding.end:
                by_unit.setdefault((number, index), set()).add(coding.analyst)
                index += 1
    chosen_tags = list(dict.fromkeys(tags)) if tags is not None else sorted(coded)
    figures: dict[str, Figures] = {}
    pooled: Counter[Pattern] = Counter()
    disagreements: list[tuple[int, int, int, Disagreement]] = []
    for tag_number, tag in enumerate(chosen_tags):
        by_unit = coded.get(tag, {})
        patterns: Counter[Pattern] = Counter()
        patterns[(False,) * len(chosen)] = units - len(by_unit)  # nobody coded the rest
        for (number, index), who in by_unit.items():
            patterns[tuple(name in who for name in chosen)] += 1
            if len(who) < len(chosen):
                start, end = spans[number][index]
                coded_by = tuple(name for name in chosen if name in who)
                disagreements.append((number, start, tag_number, Disagreement(names[number], start, end, tag, coded_by)))
        pooled.update(patterns)
        figures[tag] = _figures(patterns, chosen, units)
    disagreements.sort(key=lambda item: item[:3])
    return Agreement(
        chosen, len(names), units, figures, _figures(pooled, chosen, units * len(chosen_tags)), [d for *_, d in disagreements]
    )


def _figures(patterns: Counter[Pattern], analysts: tuple[str, ...], units: int) -> Figures:
    """The figures of one pattern table of yes/no codings (one value per analyst, in order)."""
    coded = {name: sum(count for pattern, count in patterns.items() if pattern[i]) for i, name in enumerate(analysts)}
    several = len(analysts) >= 2
    return Figures(
        units=units,
        coded=coded,
        agreement=percent_agreement(patterns) if several and units else None,
        kappa=cohen_kappa(patterns) if len(analysts) == 2 else None,
        alpha=krippendorff_alpha(patterns) if several else None,
    )
