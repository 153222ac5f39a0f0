"""Tag × tag co-occurrence (tui.core.cooccurrence): overlapping annotations, annotations sharing a paragraph."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_overview import cleaned
from tui.core.cooccurrence import Meeting, Placement, cooccurrence, place, unplaced
from tui.core.notes.anchor import Target
from tui.core.notes.store import Annotation, ArticleRef

TAGS = ["security", "energy", "Syria", "diplomacy"]


def ann(path: str, start: int, end: int, *tags: str, orphan: bool = False) -> Annotation:
    target = Target(start, end, f"quote {start}-{end}", "", "")
    return Annotation(f"{path}:{start}:{end}", ArticleRef(path, "0" * 64), target, tags, "", "t", "t", orphan)


def at(path: str, start: int, end: int, *tags: str, paragraphs: tuple[int, ...] = ()) -> Placement:
    """An annotation placed at cleaned offsets ``start:end``, touching ``paragraphs``."""
    return Placement(ann(path, start, end, *tags), (start, end), frozenset(paragraphs))


def ids(meetings: list[Meeting]) -> list[tuple[str, str | None]]:
    return [(m.first.annotation_id, m.second.annotation_id if m.second else None) for m in meetings]


# A paragraph 0 (0-100) and a paragraph 1 (102-200) of one article, and one annotation in another article.
PLACED = [
    at("a", 10, 30, "security", paragraphs=(0,)),
    at("a", 20, 40, "energy", paragraphs=(0,)),  # overlaps the first
    at("a", 60, 70, "Syria", paragraphs=(0,)),  # same paragraph, no overlap
    at("a", 110, 120, "security", "energy", paragraphs=(1,)),  # both tags on one annotation
    at("b", 10, 30, "Syria", paragraphs=(0,)),  # another article: meets nothing of a
]


def test_overlapping_annotations_meet_and_one_annotation_meets_itself() -> None:
    counts = cooccurrence(PLACED, TAGS, "overlap", ["a", "b"])
    assert counts.count("security", "energy") == 2  # the overlapping pair, and the annotation with both tags
    assert counts.count("energy", "security") == 2  # either way round
    assert ids(counts.passages("security", "energy")) == [("a:10:30", "a:20:40"), ("a:110:120", None)]
    assert counts.count("security", "Syria") == 0 and counts.count("energy", "Syria") == 0
    # The diagonal is each tag's own annotations.
    assert [counts.count(tag, tag) for tag in TAGS] == [2, 2, 2, 0]
    assert counts.label == "overlapping annotations"


def test_annotations_sharing_a_paragraph_meet() -> None:
    counts = cooccurrence(PLACED, TAGS, "paragraph", ["a", "b"])
    assert counts.count("security", "energy") == 2
    assert ids(counts.passages("security", "Syria")) == [("a:10:30", "a:60:70")]  # b's Syria is another article
    assert ids(counts.passages("energy", "Syria")) == [("a:20:40", "a:60:70")]
    assert counts.count("Syria", "Syria") == 2
    assert counts.label == "annotations sharing a paragraph"


def test_a_pair_counts_once_whatever_it_shares() -> None:
    placed = [
        at("a", 0, 150, "security", "energy", paragraphs=(0, 1)),
        at("a", 110, 160, "energy", "security", paragraphs=(1,)),
    ]
    for mode in ("overlap", "paragraph"):
        counts = cooccurrence(placed, TAGS, mode)
        # each annotation with itself, and the pair once (not once per direction, not once per paragraph)
        assert ids(counts.passages("security", "energy")) == [("a:0:150", None), ("a:0:150", "a:110:160"), ("a:110:160", None)]
        # two annotations with the same tag are not a meeting of that tag with itself
        assert counts.count("security", "security") == 2


def test_orphans_and_unplaced_annotations_meet_only_themselves() -> None:
    placed = [
        at("a", 10, 30, "security", paragraphs=(0,)),
        Placement(ann("a", 10, 30, "energy", orphan=True)),  # would overlap, but it has no place
        *unplaced([ann("gone", 0, 5, "security", "Syria")]),
    ]
    for mode in ("overlap", "paragraph"):
        counts = cooccurrence(placed, TAGS, mode, ["a"])
        assert counts.count("security", "energy") == 0
        assert ids(counts.passages("security", "Syria")) == [("gone:0:5", None)]
        assert counts.count("energy", "energy") == 1


def test_tags_outside_the_table_are_ignored_and_order_follows_the_articles() -> None:
    placed = [at("b", 0, 10, "security", "energy", "other"), at("a", 0, 10, "security", "energy")]
    counts = cooccurrence(placed, ["energy", "security"], "overlap", ["a", "b"])
    assert counts.tags == ["energy", "security"]
    assert [m.path for m in counts.passages("security", "energy")] == ["a", "b"]
    assert counts.count("other", "security") == 0


def test_an_unknown_mode_is_refused() -> None:
    try:
        cooccurrence([], TAGS, "sentence")
    except ValueError as error:
        assert "overlap" in str(error)
    else:
        raise AssertionError("a bad mode was accepted")


def test_place_finds_cleaned_spans_and_paragraphs() -> None:
    # Source lines: 0 "First para." (kept), 12 "menu" (dropped), 17 "Second para." (kept).
    text = cleaned(("First para.", True), ("menu", False), ("Second para.", True))
    annotations = [
        ann("a", 0, 5, "security"),  # "First"
        ann("a", 6, 28, "energy"),  # "para.\nmenu\nSecond": cut to its kept parts, across both paragraphs
        ann("a", 12, 16, "Syria"),  # all of it in the dropped line
        ann("a", 17, 23, "diplomacy", orphan=True),
    ]
    placed = {p.annotation.tags[0]: p for p in place(text, annotations)}
    assert placed["security"].paragraphs == {0}
    assert placed["energy"].paragraphs == {0, 1}
    assert placed["Syria"].span is None and placed["diplomacy"].span is None
    counts = cooccurrence(place(text, annotations), TAGS, "paragraph")
    assert counts.count("security", "energy") == 1 and counts.count("energy", "Syria") == 0


spans = st.tuples(st.integers(0, 60), st.integers(1, 20), st.sets(st.sampled_from(TAGS), min_size=1, max_size=3))


@settings(max_examples=150, deadline=None)
@given(st.lists(spans, max_size=12))
def test_overlap_counts_equal_a_brute_force_count(raw) -> None:  # type: ignore[no-untyped-def]
    placed = [at("a", start, start + length, *sorted(tags), paragraphs=(start // 25,)) for start, length, tags in raw]
    counts = cooccurrence(placed, TAGS, "overlap")
    for a in TAGS:
        for b in TAGS:
            if a == b:
                expected = sum(a in p.annotation.tags for p in placed)
            else:
                expected = sum({a, b} <= set(p.annotation.tags) for p in placed)
                for i, one in enumerate(placed):
                    for other in placed[i + 1 :]:
                        meet = one.span[0] < other.span[1] and other.span[0] < one.span[1]  # type: ignore[index]
                        crossed = (a in one.annotation.tags and b in other.annotation.tags) or (
                            b in one.annotation.tags and a in other.annotation.tags
                        )
                        expected += meet and crossed
            assert counts.count(a, b) == expected == counts.count(b, a)
