"""Annotations counted over time and by outlet: per tag per month, and per outlet × tag.

Both answer an analyst's "how did coverage of energy change between 2016
and 2020, and which outlets framed it as security?" from the annotations
and each article's facts (:mod:`tui.core.facts`). The overview draws them
in the terminal; the report as a Mermaid chart and tables.

Counting follows the coding matrix (:mod:`tui.core.overview`): an
annotation with two of the tags counts once in each tag's cell and once in
its row's total; tags are matched ignoring case, and an annotation none of
whose tags is a column is left out. Orphans count if they are given (their
article's date and outlet are known); the caller decides.

A month is ``YYYY-MM``. The months run without a gap from the first to the
last, so a chart shows quiet months as quiet. Annotations on articles whose
date is unknown, or known only to the year, are counted in a last row
:data:`UNKNOWN`; so are those on articles without an outlet in the outlet
matrix. Outlets are grouped ignoring case and spacing (``TASS`` and ``Tass``
are one row, shown as first spelled) and ordered by their total, most
first, then by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.notes.model import Annotation

#: The row of annotations whose article's month (or outlet) is not known.
UNKNOWN = ""
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Counts:
    """Annotations counted per (row, tag), rows in order, the :data:`UNKNOWN` row last if it has any."""

    rows: list[str]
    tags: list[str]
    counts: dict[tuple[str, str], int]
    totals: dict[str, int]  # per row: its annotations, each counted once

    def count(self, row: str, tag: str) -> int:
        """Annotations with ``tag`` in ``row``."""
        return self.counts.get((row, tag), 0)

    def row_total(self, row: str) -> int:
        """Annotations in ``row`` (one with two tags counts once)."""
        return self.totals.get(row, 0)

    def column_total(self, tag: str) -> int:
        """Annotations with ``tag`` in every row."""
        return sum(self.count(row, tag) for row in self.rows)

    @property
    def total(self) -> int:
        """Annotations counted (each once)."""
        return sum(self.totals.values())

    @property
    def known(self) -> list[str]:
        """The rows but :data:`UNKNOWN`."""
        return [row for row in self.rows if row != UNKNOWN]


def month_of(date: str | None) -> str | None:
    """The ``YYYY-MM`` of an ISO 8601 date; None when it is unknown or known only to the year."""
    match = _MONTH.match(date or "")
    if match is None or not 1 <= int(match[2]) <= 12:
        return None
    return match.group()


def timeline(annotations: Iterable[Annotation], dates: Mapping[str, str | None], tags: Sequence[str]) -> Counts:
    """Annotations per month (rows, without gaps) and tag (columns); ``dates`` maps article paths to their dates."""
    return _count(annotations, lambda path: month_of(dates.get(path)), tags, _months)


def by_outlet(annotations: Iterable[Annotation], outlets: Mapping[str, str | None], tags: Sequence[str]) -> Counts:
    """Annotations per outlet (rows, most annotated first) and tag (columns); ``outlets`` maps article paths to outlets."""
    spelled: dict[str, str] = {}

    def outlet(path: str) -> str | None:
        name = " ".join((outlets.get(path) or "").split())
        if not name:
            return None
        return spelled.setdefault(name.casefold(), name)

    return _count(annotations, outlet, tags, None)


def _count(
    annotations: Iterable[Annotation],
    row_of: Callable[[str], str | None],
    tags: Sequence[str],
    fill: Callable[[list[str]], list[str]] | None,
) -> Counts:
    """The counts of ``annotations`` by row (``row_of`` their article's path; None: :data:`UNKNOWN`) and tag."""
    columns = {tag.casefold(): tag for tag in reversed(tags)}  # the first spelling of a tag listed twice
    counts: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = {}
    for ann in annotations:
        mine = list(dict.fromkeys(columns[t.casefold()] for t in ann.tags if t.casefold() in columns))
        if not mine:
            continue
        row = row_of(ann.article.path) or UNKNOWN
        totals[row] = totals.get(row, 0) + 1
        for tag in mine:
            counts[(row, tag)] = counts.get((row, tag), 0) + 1
    known = [row for row in totals if row != UNKNOWN]
    if fill is not None:
        rows = fill(known)
    else:
        rows = sorted(known, key=lambda row: (-totals[row], row.casefold(), row))
    if UNKNOWN in totals:
        rows.append(UNKNOWN)
    return Counts(rows, list(dict.fromkeys(columns[t.casefold()] for t in tags)), counts, totals)


def _months(known: list[str]) -> list[str]:
    """Every month from the first of ``known`` to the last, in order."""
    if not known:
        return []
    first, last = min(known), max(known)
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
