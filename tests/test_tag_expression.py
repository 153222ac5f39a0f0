"""Boolean tag expressions (tui.core.tag_expression): precedence, quoting, one-line errors, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.tag_expression import And, Not, Or, Tag, TagExpression, TagExpressionError, parse, quoted


def test_the_issue_s_example() -> None:
    expression = parse("security AND (Syria OR energy) AND NOT diplomacy")
    assert expression == And(And(Tag("security"), Or(Tag("Syria"), Tag("energy"))), Not(Tag("diplomacy")))
    assert expression.matches({"security", "Syria"})
    assert expression.matches({"security", "energy", "other"})
    assert not expression.matches({"security", "Syria", "diplomacy"})
    assert not expression.matches({"Syria", "energy"})
    assert not expression.matches(set())
    assert expression.names() == ["security", "Syria", "energy", "diplomacy"]


def test_precedence_not_then_and_then_or() -> None:
    assert parse("a OR b AND NOT c") == Or(Tag("a"), And(Tag("b"), Not(Tag("c"))))
    assert parse("NOT a AND b") == And(Not(Tag("a")), Tag("b"))
    assert parse("a AND b OR c") == Or(And(Tag("a"), Tag("b")), Tag("c"))
    assert parse("a OR b OR c") == Or(Or(Tag("a"), Tag("b")), Tag("c"))  # grouped from the left
    assert parse("NOT NOT a") == Not(Not(Tag("a")))


def test_operators_and_tag_names_ignore_case() -> None:
    expression = parse("Security and not DIPLOMACY or syria")
    assert expression == Or(And(Tag("Security"), Not(Tag("DIPLOMACY"))), Tag("syria"))
    assert expression.matches({"SECURITY"}) and expression.matches({"Syria"})
    assert not expression.matches({"security", "Diplomacy"})


def test_quoted_names_hold_spaces_operators_quotes_and_parentheses() -> None:
    assert parse('"human rights" AND "and"') == And(Tag("human rights"), Tag("and"))
    assert parse(r'"say \"no\" (twice)"') == Tag('say "no" (twice)')
    assert parse(r'"back\\slash"') == Tag("back\\slash")
    assert parse("energy/pipelines").matches({"energy/pipelines"})
    assert parse("(energy)") == Tag("energy")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("security AND (Syria OR energy)) AND NOT diplomacy", "unexpected ')' at 31: nothing to close"),
        ("security AND", "unexpected end at 13: expected a tag name"),
        ("(security", "unexpected end at 10: expected ')' to close a '('"),
        ("security energy", "unexpected 'energy' at 10: expected AND or OR"),
        ("AND security", "unexpected 'AND' at 1: expected a tag name"),
        ("security AND ()", "unexpected ')' at 15: expected a tag name"),
        ('"security', "unclosed quote at 1"),
        ('""', "empty tag name at 1"),
        ("   ", "empty expression: name a tag, e.g. security AND NOT diplomacy"),
    ],
)
def test_errors_are_one_line_and_say_where(text: str, message: str) -> None:
    with pytest.raises(TagExpressionError) as error:
        parse(text)
    assert str(error.value) == message


def test_printing_uses_the_fewest_parentheses_and_quotes_what_it_must() -> None:
    assert str(parse("security and (syria or energy) and not diplomacy")) == "security AND (syria OR energy) AND NOT diplomacy"
    assert str(parse("(a AND b) OR c")) == "a AND b OR c"
    assert str(parse("a AND (b AND c)")) == "a AND (b AND c)"  # kept: AND groups from the left
    assert str(parse("NOT (a OR b)")) == "NOT (a OR b)"
    assert quoted("human rights") == '"human rights"' and quoted("or") == '"or"' and quoted('a"b') == r'"a\"b"'


# --- properties ----------------------------------------------------------------------------------

names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
expressions: st.SearchStrategy[TagExpression] = st.recursive(
    names.map(Tag),
    lambda inner: st.one_of(
        inner.map(Not),
        st.tuples(inner, inner).map(lambda pair: And(*pair)),
        st.tuples(inner, inner).map(lambda pair: Or(*pair)),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(expressions)
def test_a_printed_expression_reads_back_the_same(expression: TagExpression) -> None:
    assert parse(str(expression)) == expression


@settings(max_examples=300, deadline=None)
@given(expressions, st.sets(names, max_size=4))
def test_printing_keeps_the_meaning(expression: TagExpression, tags: set[str]) -> None:
    tags |= set(expression.names()[:2])  # now and then a set that holds some of its tags
    assert parse(str(expression)).matches(tags) == expression.matches(tags)


alphabet = st.sampled_from([*'()" \\', "AND", "OR", "NOT", "and", "a", "b", "é", "\x1b", "\n", "\u202e"])


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(alphabet, max_size=20).map(" ".join), st.lists(alphabet, max_size=20).map("".join)))
def test_any_text_parses_or_fails_with_one_line(text: str) -> None:
    try:
        expression = parse(text)
    except TagExpressionError as error:
        message = str(error)
        assert message and "\n" not in message and "\r" not in message and "\x1b" not in message
        assert len(message) < 120
    else:
        expression.matches({"a", "b"})
        assert parse(str(expression)) == expression
