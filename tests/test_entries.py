"""The article list's entries: placeholders made when first read, kept once made, replaced in place."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.widgets.entries import NO_FACTS, Entries, Entry


def test_a_placeholder_is_made_when_read_and_kept() -> None:
    entries = Entries(rels=["a.txt", "b.txt", "c.txt"])
    assert entries._made == [None, None, None]  # nothing made before it is read
    first = entries[1]
    assert (first.rel, first.title, first.notes, first.facts) == ("b.txt", "b.txt", 0, NO_FACTS)
    first.notes = 3  # the list changes entries in place: the change must stay
    assert entries[1] is first and entries[1].notes == 3
    assert entries._made[0] is None and entries._made[2] is None


def test_replaced_entries_and_paths() -> None:
    entries = Entries(rels=["a.txt", "b.txt"])
    entries[0] = Entry("a.txt", "A title", words=12)
    assert entries.rels() == ["a.txt", "b.txt"]
    assert entries._made[1] is None  # the paths are told without making the placeholders
    assert [e.title for e in entries] == ["A title", "b.txt"]
    assert [e.title for e in entries[-1:]] == ["b.txt"]


def test_entries_given_as_they_are() -> None:
    made = [Entry("x.txt", "X"), Entry("y.txt", "Y")]
    entries = Entries(made)
    assert list(entries) == made and entries.rels() == ["x.txt", "y.txt"] and len(entries) == 2
    assert len(Entries()) == 0 and Entries().rels() == []


@given(st.lists(st.text(min_size=1, max_size=8), max_size=30), st.sets(st.integers(min_value=0, max_value=29)))
def test_placeholders_read_alike_however_few_were_made(rels: list[str], read: set[int]) -> None:
    entries = Entries(rels=rels)
    for index in read:
        if index < len(rels):
            entries[index].notes = index + 1
    assert entries.rels() == rels
    assert [(e.rel, e.title) for e in entries] == [(r, r) for r in rels]
    assert [e.notes for e in entries] == [i + 1 if i in read else 0 for i in range(len(rels))]


def test_every_entry_as_a_plain_list_keeps_those_made_and_makes_the_rest_once() -> None:
    entries = Entries(rels=["a.txt", "b.txt", "c.txt"])
    made = entries[1]
    made.notes = 2
    every = entries.every()
    assert type(every) is list and [e.rel for e in every] == ["a.txt", "b.txt", "c.txt"]
    assert every[1] is made and every[1].notes == 2  # a change made before is not lost
    assert entries.every() is every and entries[0] is every[0]  # made once: reads after it see the same objects
    entries[2] = Entry("c.txt", "C")
    assert entries.every()[2].title == "C" and entries.rels() == ["a.txt", "b.txt", "c.txt"]
