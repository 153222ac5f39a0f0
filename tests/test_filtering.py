"""The filter expression: each field, negation, quoting, errors, and that an expression is the AND of its terms."""

from __future__ import annotations

from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.filtering import Expression, FilterError, Subject, parse

TASS = Subject(
    "Москва и Анкара обсудили газ",
    "Россия и Турция в пятницу обсудили поставки газа по Турецкому потоку.",
    {"date": "2019-04-12T09:30+03:00", "source": "ТАСС (TASS)", "author": "Иван Петров", "url": "https://tass.ru/politika/1",
     "language": "ru", "section": "Energy"},
    [("energy",), ("security", "Diplomacy")],
)
WORLD = Subject(
    "Killing of Russia's ambassador in Turkey may bring the two nations closer",
    "One day after Russia's ambassador to İstanbul was gunned down, the café stayed open.",
    {"date": "2016-12-20", "source": "The World", "language": "en"},
    [("Syria",)],
)
UNDATED = Subject("Ankara and Baku sign transit deal", "Turkey and Azerbaijan signed a long-delayed transit agreement.", {}, [])
YEAR_ONLY = Subject("A year only", "Nothing more is known.", {"date": "2019"}, [])
ALL = {"tass": TASS, "world": WORLD, "undated": UNDATED, "year": YEAR_ONLY}


def passing(expression: str) -> set[str]:
    parsed = parse(expression)
    return {name for name, subject in ALL.items() if parsed.matches(subject)}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("", {"tass", "world", "undated", "year"}),
        ("istanbul cafe", {"world"}),  # folded: İstanbul, café
        ("ambassador", {"world"}),  # in the title and the text
        ("TURKEY", {"world", "undated"}),  # in a title, in a text
        ('"transit agreement"', {"undated"}),
        ('"agreement transit"', set()),
        ("title:baku", {"undated"}),
        ("title:azerbaijan", set()),  # only in the text
        ("source:tass", {"tass"}),
        ("source:тасс", {"tass"}),
        ('source:"The World"', {"world"}),
        ('source:"the world"', {"world"}),
        ("-source:tass", {"world", "undated", "year"}),
        ("outlet:world", {"world"}),  # another name of the attribute
        ("author:петров", {"tass"}),
        ("url:tass.ru", {"tass"}),
        ("lang:ru", {"tass"}),
        ("lang:ru-RU", {"tass"}),
        ("language:EN", {"world"}),
        ("-lang:ru", {"world", "undated", "year"}),
        ("section:energy", {"tass"}),
        ("date:2019", {"tass", "year"}),
        ("date:2019-04", {"tass"}),  # a date known only to the year is not known to be in April
        ("date:2019-04-12", {"tass"}),
        ("date:2016..2019", {"tass", "world", "year"}),
        ("date:..2018", {"world"}),
        ("date:2017..", {"tass", "year"}),
        ("date:2016-12-01..2016-12-31", {"world"}),
        ("-date:2019-04", {"world", "undated", "year"}),
        ("tag:energy", {"tass"}),
        ("tag:DIPLOMACY", {"tass"}),
        ("tag:ener", set()),  # a tag is named whole
        ("-tag:syria", {"tass", "undated", "year"}),
        ("untagged", {"undated", "year"}),
        ("-untagged", {"tass", "world"}),
        ('"untagged"', set()),  # the word itself, searched
        ("source:tass tag:energy date:2019..2020 lang:ru", {"tass"}),
        ("source:tass tag:syria", set()),
        ('source:"The World', {"world"}),  # a quote left open runs to the end
        ('""', {"tass", "world", "undated", "year"}),
        # tag expressions ask about the article's tags together (TASS: energy on one passage, security on another)
        ("tag:(energy AND security)", {"tass"}),
        ("tag:(Syria OR energy)", {"tass", "world"}),
        ("-tag:(syria or ENERGY)", {"undated", "year"}),
        ("tag:(NOT diplomacy)", {"world", "undated", "year"}),
        ('tag:("security" AND (syria OR diplomacy)) source:tass', {"tass"}),
        ("tag:(security AND (energy OR syria) AND NOT diplomacy)", set()),
        ("tag:(syria)gas", set()),  # the expression ends at its parenthesis: "gas" is a word of its own
        ("tag:(syria) gas", set()),
    ],
)
def test_each_field(expression: str, expected: set[str]) -> None:
    assert passing(expression) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("date:20x9", "date:20x9: not a date or range"),
        ("energy date:2019-13", "date:2019-13: not a date or range"),
        ("date:2019-02-30", "date:2019-02-30: not a date or range"),
        ("date:..", "date:..: not a date or range"),
        ("date:2020..2019", "date:2020..2019: the range ends before it starts"),
        ("source:", 'source:: needs a value (source:word, or source:"two words")'),
        ('source:""', 'source:"": needs a value (source:word, or source:"two words")'),
        ("gas -", "-: a minus needs a term after it"),
        ("untagged:yes", "untagged:yes: untagged takes no value (write untagged, or -untagged)"),
        ("gas tag:(energy AND", "tag:(energy AND: unexpected end at 20: expected a tag name"),
        ("tag:(energy OR OR syria)", "tag:(energy OR OR syria): unexpected 'OR' at 16: expected a tag name"),
        ("-tag:()", "-tag:(): unexpected ')' at 7: expected a tag name"),
    ],
)
def test_malformed_expressions_say_why_in_one_line(expression: str, message: str) -> None:
    with pytest.raises(FilterError) as caught:
        parse(expression)
    assert str(caught.value) == message


def test_an_expression_says_what_it_needs() -> None:
    assert parse("").needs == frozenset() and not parse("")
    assert parse("gas title:x").needs == {"text", "title"}
    assert parse("source:tass date:2019 lang:ru").needs == {"facts"}
    assert parse("tag:energy -untagged").needs == {"tags"}


def test_the_text_is_searched_through_the_protocol_only_when_needed() -> None:
    asked: list[str] = []

    class Counting:
        title = "Gas talks"
        facts: ClassVar[dict[str, str]] = {"source": "TASS"}
        tags = ()

        def contains(self, folded: str) -> bool:
            asked.append(folded)
            return folded == "pipeline"

    assert parse("source:tass").matches(Counting()) and asked == []
    assert parse("gas").matches(Counting()) and asked == []  # found in the title first
    assert parse("PIPELINE").matches(Counting()) and asked == ["pipeline"]


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(list('-:".“” ')), max_size=40))
def test_parsing_raises_nothing_but_its_own_error(text: str) -> None:
    try:
        expression = parse(text)
    except FilterError as error:
        assert "\n" not in str(error) and str(error)
    else:
        assert isinstance(expression, Expression)
        for subject in ALL.values():
            expression.matches(subject)


words = st.sampled_from(["gas", "ankara", "istanbul", "transit", "nothing", '"transit deal"', "baku"])
fields = st.sampled_from([
    "source:tass", 'source:"the world"', "lang:ru", "lang:en", "author:petrov", "url:tass", "section:energy",
    "date:2019", "date:2016..2019", "date:..2018", "date:2020..", "date:2019-04", "tag:energy", "tag:syria", "untagged",
    "title:baku", "tag:(energy AND NOT syria)", 'tag:(syria OR "security")',
])
terms = st.tuples(st.booleans(), words | fields).map(lambda t: ("-" if t[0] else "") + t[1])
dates = st.sampled_from([None, "2016", "2016-12", "2016-12-20", "2019-04-12T09:30+03:00", "2021-01-01"])
subjects = st.builds(
    lambda title, text, source, language, when, tags: Subject(
        title, text, {k: v for k, v in (("source", source), ("language", language), ("date", when)) if v}, tags),
    st.sampled_from(["Ankara and Baku", "Gas talks", ""]),
    st.sampled_from(["transit deal signed in İstanbul", "nothing here", "gas"]),
    st.sampled_from([None, "TASS", "The World"]),
    st.sampled_from([None, "ru", "en"]),
    dates,
    st.lists(st.lists(st.sampled_from(["energy", "Syria", "security"]), max_size=2), max_size=3),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(terms, max_size=5), subjects)
def test_an_expression_matches_iff_each_of_its_terms_does(written: list[str], subject: Subject) -> None:
    whole = parse(" ".join(written)).matches(subject)
    assert whole == all(parse(term).matches(subject) for term in written)
    for term in written:  # and a negated term passes exactly the articles its term does not
        bare = term.removeprefix("-")
        assert parse("-" + bare).matches(subject) != parse(bare).matches(subject)
