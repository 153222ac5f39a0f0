"""The list's orders and its filter as plain functions (tui.core.listing), held to ``dossier list --filter``'s answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

import pytest

from tests.small_corpus import LISTED, filled
from tui.core.cache.analyse import pack_facts, unpack_facts
from tui.core.facts import Fact, Facts
from tui.core.filtering import FilterError, Subject, parse
from tui.core.folding import fold
from tui.core.listing import SORTS, ListFilter, next_sort, order, shown_date
from tui.reader.list_facts import EntryFacts, extracted_values
from tui.widgets.entries import NO_FACTS


@dataclass
class Item:
    """What the list holds of an article (the widget's ``Entry`` has the same shape)."""

    rel: str
    title: str
    facts: dict[str, str] = field(default_factory=dict)
    notes: int = 0
    tags: tuple[str, ...] = ()

    @cached_property
    def folded_title(self) -> str:
        return fold(self.title)


ITEMS = [
    Item("a", "Pipeline deal signed", {"date": "2016-12-20", "source": "TASS", "language": "ru"}, 2, ("energy",)),
    Item("b", "frigates shadow the ship", {"date": "2019-04-12", "source": "Reuters", "language": "en"}),
    Item("c", "Damascus floats a spur", {"date": "2018-03", "source": "Levant Ledger", "language": "en-GB"}, 1, ("syria",)),
    Item("d", "Mayors protest", {"source": "black sea monitor", "section": "Energy"}, 1, ()),
    Item("e", "Zero hour", {}),
    Item("f", "Éclat in Ankara", {"date": "2018", "source": "Şafak"}, 3, ("energy", "syria")),
]


def rels(indices: list[int]) -> str:
    return "".join(ITEMS[i].rel for i in indices)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("position", "abcdef"),
        ("date", "afcbde"),  # oldest first; a year before a month of it; undated last, in their order
        ("title", "cfbdae"),  # folded: É with E, lower case with upper
        ("outlet", "dcbfae"),  # folded; Ş with S; no outlet last
        ("annotations", "facdbe"),  # most first; ties in their order
    ],
)
def test_each_order(sort, expected) -> None:
    assert rels(order(ITEMS, sort)) == expected


def test_the_sort_key_cycles_through_every_order_and_back() -> None:
    seen = ["position"]
    for _ in SORTS:
        seen.append(next_sort(seen[-1]))
    assert seen == ["position", "date", "title", "outlet", "annotations", "position"]


def test_a_date_is_shown_without_its_time() -> None:
    assert shown_date("2016-12-20T10:00:00+03:00") == "2016-12-20"
    assert shown_date("2016-12") == "2016-12"
    assert shown_date(None) == ""


@pytest.mark.parametrize(
    "expression",
    [
        "source:tass", 'source:"black sea"', "-source:tass", "lang:en", "lang:ru", "-lang:en", "date:2018",
        "date:2018..2019", "date:..2017", "date:2019-04..", "-date:2018", "tag:energy", "tag:ENERGY", "-tag:energy",
        "untagged", "-untagged", "section:energy", "outlet:safak", "title:ankara", "-title:ankara",
        "tag:syria source:safak", "date:2016..2018 -untagged",
        "tag:(energy AND NOT syria)", "-tag:(energy OR syria)", "tag:(NOT energy)", "-tag:(NOT energy)",
    ],
)
def test_fields_pass_the_articles_dossier_list_passes(expression) -> None:
    """Each field answers as the shared expression does over an article's facts and its annotations' tags."""
    expected = [
        i for i, item in enumerate(ITEMS)
        # The command line gives the tags of each annotation; the list holds their union and the count.
        if parse(expression).matches(Subject(item.title, "", item.facts, [item.tags] * item.notes))
    ]
    assert ListFilter.of(expression).select(ITEMS, range(len(ITEMS))) == expected


def test_fields_keep_the_lists_order() -> None:
    ordered = order(ITEMS, "date")
    assert rels(ListFilter.of("-untagged").select(ITEMS, ordered)) == "afcd"


def test_words_match_titles_at_once_and_the_index_for_the_text() -> None:
    wanted = ListFilter.of('ankara "deal signed"')
    assert wanted.words == ("ankara", "deal signed") and wanted.index_query == 'ankara "deal signed"'
    everything = range(len(ITEMS))
    assert rels(wanted.select(ITEMS, everything)) == ""  # no title holds both
    assert rels(wanted.select(ITEMS, everything, matched={"a", "e"})) == "ae"  # the index found both in these texts
    one = ListFilter.of("ankara")
    assert rels(one.select(ITEMS, everything)) == "f"  # folded: "Éclat in Ankara"
    assert rels(one.select(ITEMS, everything, matched={"b"})) == "bf"


def test_a_negated_word_drops_titles_at_once_and_texts_once_the_index_answers() -> None:
    wanted = ListFilter.of('-ankara -"the ship" source:a')
    assert wanted.unwords == ("ankara", "the ship") and wanted.unword_queries == ["ankara", '"the ship"']
    everything = range(len(ITEMS))
    assert rels(wanted.select(ITEMS, everything)) == "acd"  # outlets with an "a", less Ankara's and the ship's
    assert rels(wanted.select(ITEMS, everything, excluded={"a"})) == "cd"


def test_an_empty_filter_shows_everything_and_a_bad_one_says_why_in_one_line() -> None:
    assert not ListFilter.of("  ")
    assert ListFilter.of("").select(ITEMS, [2, 0]) == [2, 0]
    for bad in ("date:20", "date:2019-13", "source:", "-", "untagged:yes"):
        with pytest.raises(FilterError) as error:
            ListFilter.of(bad)
        assert "\n" not in str(error.value) and str(error.value)


def test_the_lists_reading_of_stored_facts_is_the_merges() -> None:
    """``extracted_values`` (made for every row at start) answers as ``Facts.values()`` does."""
    facts = Facts((
        Fact("source", "Page Title Outlet", "html", "og:site_name"),
        Fact("date", "2016-12-20", "text", "dateline"),
        Fact("source", "Front Outlet", "front-matter", "front matter"),
        Fact("date", "2016-12-21", "html", "meta"),
        Fact("date", "2016-12-22", "html", "later meta"),  # the first of one origin wins
        Fact("author", "", "text", "cleared"),
        Fact("section", "Energy", "front-matter", "front matter"),
    ))
    packed = pack_facts(facts)
    assert extracted_values(packed) == unpack_facts(packed).values() == {
        "date": "2016-12-21", "source": "Front Outlet", "section": "Energy"}
    assert extracted_values(None) == {} and extracted_values(json.dumps({"found": [], "warnings": []})) == {}


def test_the_lists_entries_share_what_articles_have_in_common(tmp_path) -> None:
    """The list holds an entry per article (100,000 of them): slotted, made from rows read one at a time, sharing equal facts and tags."""
    corpus = filled(tmp_path)
    try:
        for rel in ("harbour.txt", "ferry.md"):
            corpus.annotate(rel, "the", tags=["energy"])
        corpus.sync()
        rows = corpus.cache.listed()
        assert isinstance(rows, Iterator)  # streamed from the cache, never a list of every row beside the entries
        made = EntryFacts(corpus.corpus)
        entries = made.entries(rows)
        assert [e.rel for e in entries] == LISTED
        by_rel = {e.rel: e for e in entries}
        for entry in entries:  # what a full row of the cache says, the entry says
            row = corpus.cache.row(entry.rel)
            assert (entry.title, entry.words, entry.notes, entry.tags, entry.warning) == (
                row.shown_title, row.words, row.notes, row.tags, row.warning)
            assert entry.facts == extracted_values(row.facts)
        harbour, ferry, river = by_rel["harbour.txt"], by_rel["ferry.md"], by_rel["sub/river.txt"]
        assert harbour.facts == ferry.facts == river.facts == {"language": "en"}
        assert harbour.facts is ferry.facts is river.facts  # one mapping for every article that says the same
        assert harbour.tags == ("energy",) and harbour.tags is ferry.tags
        assert by_rel["empty.txt"].facts is NO_FACTS
        assert not hasattr(harbour, "__dict__")  # slots: no dictionary per article
        assert made.entries(corpus.cache.listed(["ferry.md", "gone.txt"])) == [ferry]
    finally:
        corpus.close()
