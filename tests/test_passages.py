"""Paragraphs, sentences and word steps of tui.core.passages."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.core import passages

TEXT = (
    "Mr. Smith went to Washington. He said “Hello.” Then U.S. officials left! What? e.g. this one.\n\n"
    "  Second para here.  \n\nThird."
)


def test_paragraphs_are_runs_of_non_blank_lines_without_surrounding_spaces() -> None:
    spans = passages.paragraphs(TEXT)
    assert [TEXT[s:e] for s, e in spans][1:] == ["Second para here.", "Third."]
    assert TEXT[spans[0][0] : spans[0][1]].startswith("Mr. Smith")


def test_sentences_skip_abbreviations_and_initials() -> None:
    first = passages.paragraphs(TEXT)[0]
    got = [TEXT[s:e] for s, e in passages.sentences(TEXT, *first)]
    assert got == ["Mr. Smith went to Washington.", "He said “Hello.”", "Then U.S. officials left!", "What? e.g. this one."]
    jfk = "John F. Kennedy spoke. Then he left."
    assert [jfk[s:e] for s, e in passages.sentences(jfk)] == [
        "John F. Kennedy spoke.", "Then he left."
    ]


def test_word_steps_trim_and_grow_either_end() -> None:
    text = "one two three four"
    assert passages.trim_end(text, 0, 13) == (0, 7)
    assert passages.grow_end(text, 0, 7) == (0, 13)
    assert passages.trim_start(text, 0, 13) == (4, 13)
    assert passages.grow_start(text, 4, 13) == (0, 13)
    assert passages.trim_end(text, 0, 3) == (0, 3)  # one word: nothing to trim
    assert passages.grow_end(text, 0, 18) == (0, 18)  # end of text
    long = "x " * 5000 + "word"
    assert passages.grow_start(long, len(long) - 4, len(long)) == (len(long) - 6, len(long))


def test_index_at_finds_the_span_holding_an_offset() -> None:
    spans = passages.indexed([(0, 5), (7, 10), (12, 20)])
    assert [passages.index_at(spans, o) for o in (0, 4, 6, 7, 11, 19, 99)] == [0, 0, 0, 1, 1, 2, 2]


@given(st.lists(st.text(alphabet="ab .!?\n", max_size=30), max_size=8).map("\n\n".join))
def test_sentences_tile_each_paragraph_in_order(text: str) -> None:
    for start, end in passages.paragraphs(text):
        spans = passages.sentences(text, start, end)
        assert spans, "a paragraph has at least one sentence"
        assert spans[0][0] == start and spans[-1][1] == end
        for (a, b), (c, d) in zip(spans, spans[1:]):
            assert a < b <= c < d and text[b:c].strip() == ""
