"""Annotations per tag per month, and per outlet × tag."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.notes.model import Annotation, ArticleRef, Target
from tui.core.timeline import UNKNOWN, by_outlet, month_of, timeline

TAGS = ["security", "energy", "Syria"]


def ann(path: str, *tags: str, n: int = 0) -> Annotation:
    return Annotation(f"id-{path}-{n}-{'-'.join(tags)}", ArticleRef(path, ""), Target(n, n + 1, "x", "", ""), tags, "",
                      "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z")


DATES = {"a.txt": "2016-12-20", "b.txt": "2017-03-01T09:30+03:00", "c.txt": "2017", "d.txt": None}
OUTLETS = {"a.txt": "The World", "b.txt": "TASS", "c.txt": " tass ", "d.txt": None}
ANNS = [
    ann("a.txt", "security", "energy"), ann("a.txt", "Energy", n=1), ann("b.txt", "Syria"), ann("b.txt", "diplomacy"),
    ann("c.txt", "security"), ann("d.txt", "energy"), ann("gone.txt", "syria"),
]


def test_months_run_without_gaps_and_undated_articles_come_last() -> None:
    counts = timeline(ANNS, DATES, TAGS)
    assert counts.rows == ["2016-12", "2017-01", "2017-02", "2017-03", UNKNOWN]
    assert counts.tags == TAGS
    assert [counts.count("2016-12", t) for t in TAGS] == [1, 2, 0]  # tags match ignoring case
    assert counts.row_total("2016-12") == 2  # an annotation with two tags counts once in its row
    assert counts.row_total("2017-01") == 0 and counts.count("2017-03", "Syria") == 1
    # known only to the year (c), no date (d), not in the corpus (gone): the last row
    assert counts.row_total(UNKNOWN) == 3 and counts.count(UNKNOWN, "Syria") == 1
    assert counts.total == 6  # "diplomacy" is no column: that annotation is left out
    assert counts.column_total("energy") == 3 and counts.known == counts.rows[:-1]


def test_outlets_are_grouped_ignoring_case_and_ordered_by_total() -> None:
    counts = by_outlet(ANNS, OUTLETS, TAGS)
    assert counts.rows == ["TASS", "The World", UNKNOWN]  # two each: by name then
    assert counts.row_total("TASS") == 2 and counts.count("TASS", "security") == 1 and counts.count("TASS", "Syria") == 1
    assert counts.row_total(UNKNOWN) == 2


def test_month_of() -> None:
    assert [month_of(d) for d in ("2016-12-20", "2016-12", "2016", None, "", "2016-13-01", "2019-04-12T09:30+03:00")] == [
        "2016-12", "2016-12", None, None, None, None, "2019-04"]
    assert timeline([], DATES, TAGS).rows == [] and timeline(ANNS, DATES, []).total == 0


paths = st.sampled_from([*DATES, "gone.txt"])
annotations = st.lists(
    st.tuples(paths, st.lists(st.sampled_from(["security", "ENERGY", "Syria", "other"]), max_size=3)), max_size=30
).map(lambda items: [ann(p, *tags, n=k) for k, (p, tags) in enumerate(items)])
dates = st.dictionaries(paths, st.none() | st.sampled_from(["2015-01-31", "2016-12-20", "2016", "2018-06", "2016-02-29"]))


@settings(max_examples=200, deadline=None)
@given(annotations, dates)
def test_every_annotation_with_a_column_tag_is_counted_once_in_one_row(anns: list[Annotation], when: dict) -> None:
    counts = timeline(anns, when, TAGS)
    counted = [a for a in anns if {t.casefold() for t in a.tags} & {t.casefold() for t in TAGS}]
    assert counts.total == len(counted) == sum(counts.row_total(r) for r in counts.rows)
    for tag in TAGS:
        assert counts.column_total(tag) == sum(1 for a in anns if tag.casefold() in {t.casefold() for t in a.tags})
    months = counts.known
    assert months == sorted(months) and len(set(months)) == len(months)
    for earlier, later in itertools.pairwise(months):  # no gap: each month follows the one before
        year, month = int(earlier[:4]), int(earlier[5:])
        assert later == (f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}")
