"""The fast check of stored annotations (``files.annotation_ok``) never passes what the full rules refuse."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.notes.files import ANNOTATION_FIELDS, MAX_OFFSET, annotation_faults, annotation_ok, check_shard, check_table
from tui.core.notes.layout import analyst_faults
from tui.core.notes.model import Annotation, ArticleRef, make_target

TEXT = "Gas talks in Ankara: the minister met the envoy.\n"
GOOD = Annotation("a-1", ArticleRef.of("a.txt", TEXT), make_target(TEXT, 4, 9), ("energy",), "", "t", "t", analyst="anna").to_dict()

#: Values a hostile or damaged file may hold in any field: wrong types, bools for ints, lone surrogates, empties.
ODD = st.one_of(
    st.none(), st.booleans(), st.integers(-2, MAX_OFFSET + 2), st.sampled_from([0, 1, 4, 5, 9, MAX_OFFSET]),
    st.text(max_size=6), st.sampled_from(["", "\udcff", "gas", "anna", "../x", "a/b", "talks"]),
    st.lists(st.sampled_from(["energy", "", "\ud800", 3]), max_size=3), st.just({}),
)


@st.composite
def documents(draw) -> dict:
    """A good stored annotation with some of its fields (top level or target) replaced by odd values, or removed."""
    doc = {**GOOD, "target": dict(GOOD["target"]), "article": dict(GOOD["article"])}
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.sampled_from(["top", "target", "article"]))
        place = doc[where] if where != "top" and isinstance(doc.get(where), dict) and doc[where] else doc
        key = draw(st.sampled_from(sorted(place)))
        if draw(st.booleans()):
            place[key] = draw(ODD)
        else:
            place.pop(key)
    return doc


def full_faults(doc: dict) -> list[str]:
    faults: list[str] = []
    check_table({"annotations": {"1": doc}}, "annotations", ANNOTATION_FIELDS, faults)
    return faults or annotation_faults(doc)


@settings(max_examples=600, deadline=None)
@given(documents())
def test_what_the_fast_check_passes_the_full_rules_pass(doc):
    if annotation_ok(doc):
        assert full_faults(doc) == []
    # and the file checks that take the fast path agree with the full rules
    shard = {"article": {"1": {"path": "a.txt", "sha256": ""}}, "annotations": {"1": doc}, "overrides": {}}
    assert bool(check_shard(shard)) == bool(full_faults(doc))
    if not full_faults(doc) and doc["id"] and doc.get("analyst", "unattributed") == "anna":
        assert analyst_faults({"annotations": {doc["id"]: doc}}, "anna") == []


def test_a_good_annotation_takes_the_fast_path_and_a_lone_surrogate_does_not():
    assert annotation_ok(GOOD)
    assert not annotation_ok({**GOOD, "note": "bad \udcff byte"})
    assert full_faults({**GOOD, "note": "bad \udcff byte"}) == ["'note' is not valid Unicode text (it holds a lone surrogate)"]
    assert not annotation_ok({**GOOD, "target": {**GOOD["target"], "start": True}})
    assert analyst_faults({"annotations": {"a-1": GOOD}}, "bea") == ["annotations/a-1: made by 'anna', in the folder of 'bea'"]
    assert analyst_faults({"annotations": {"other": GOOD}}, "anna") == ["annotations/other: the line's key is not the annotation's id"]
