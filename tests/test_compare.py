"""Shared passages between two articles (tui.core.compare)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE
from tui.core.clean import clean_text
from tui.core.compare import SharedPassage, normalise, shared_passages
from tui.core.passages import all_sentences

WIRE = "Turkish officials said the pipeline would carry gas to southern Europe by the end of next year."
OTHER = "The Black Sea fleet held its annual exercise off the coast of Crimea on Tuesday morning."


def quoted(text: str, passages: list[SharedPassage], side: str) -> list[str]:
    return [text[getattr(p, side)[0] : getattr(p, side)[1]] for p in passages]


def test_an_identical_sentence_is_marked_in_both_texts_with_score_100() -> None:
    left = f"ANKARA (Reuters) - Talks went on. {WIRE} Nobody else spoke to reporters about the plan at all."
    right = f"From our correspondent.\n\n{WIRE} The minister left for Baku after the meeting ended."
    found = shared_passages(left, right)
    assert len(found) == 1
    assert quoted(left, found, "left") == [WIRE] and quoted(right, found, "right") == [WIRE]
    assert found[0].score == 100.0


def test_case_quotes_dashes_and_white_space_do_not_lower_the_score() -> None:
    left = "“We will not back down” — said Ankara’s envoy to the talks in Vienna."
    right = '"we will NOT back down" - said\n  Ankara\'s envoy to the talks in Vienna.'
    assert normalise(left) == normalise(right)
    [found] = shared_passages(left, right)
    assert found.score == 100.0


def test_a_changed_word_still_matches_but_an_unrelated_sentence_does_not() -> None:
    edited = WIRE.replace("southern", "south-eastern")
    [found] = shared_passages(WIRE, edited)
    assert 90 <= found.score < 100
    assert shared_passages(WIRE, OTHER) == []
    # Same words, a different claim: a wholesale rewrite stays below the bar.
    rewritten = "Officials in Ankara denied that any pipeline would carry gas to Europe before the next decade."
    assert shared_passages(WIRE, rewritten) == []


def test_short_sentences_are_ignored() -> None:
    text = "Read more. Photo: AP. " + WIRE
    found = shared_passages(text, text)
    assert quoted(text, found, "left") == [WIRE]
    assert len(shared_passages(text, text, min_words=3)) == 1  # "Read more." and "Photo: AP." have two words
    assert len(shared_passages(text, text, min_words=2)) == 3


def test_each_sentence_pairs_with_one_counterpart_the_best() -> None:
    near = WIRE.replace("next year", "the year")
    nearer = WIRE.replace("next year", "next yeah")
    left = f"{WIRE} {WIRE}"  # twice on the left, once (nearly) on the right twice
    right = f"{near}\n\n{nearer}"
    found = shared_passages(left, right)
    assert len(found) == 2
    assert [p.left for p in found] == sorted(p.left for p in found)
    by_right = {right[p.right[0] : p.right[1]]: p.score for p in found}
    assert set(by_right) == {near, nearer}
    # One left sentence alone takes the closer of the two right ones.
    [best] = shared_passages(WIRE, right)
    assert right[best.right[0] : best.right[1]] == nearer
    assert best.score > shared_passages(WIRE, near)[0].score


def test_reused_wire_copy_between_two_real_articles() -> None:
    first = clean_text((SAMPLE / "01_pipeline-deal-signed.txt").read_text(encoding="utf-8")).text
    second = clean_text((SAMPLE / "02_black-sea-patrols.txt").read_text(encoding="utf-8")).text
    assert shared_passages(first, second) == []
    # The second article reuses a sentence of the first, one word changed.
    start, end = all_sentences(first)[3]
    borrowed = first[start:end]
    words = borrowed.split()
    words[len(words) // 2] = "reportedly"
    reused = second + "\n\nReuters reported this earlier in the week. " + " ".join(words)
    found = shared_passages(first, reused)
    assert [p.left for p in found] == [(start, end)]
    assert found[0].score >= 90


# --- properties ----------------------------------------------------------------

WORDS = st.sampled_from(["gas", "pipeline", "ankara", "moscow", "talks", "envoy", "said", "the", "of", "to", "in", "deal", "sea", "fleet"])
SENTENCE = st.lists(WORDS, min_size=1, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)
TEXT = st.lists(PARAGRAPH, min_size=0, max_size=5).map("\n\n".join)


@st.composite
def reworked(draw) -> tuple[str, str]:
    """A text and a second one made of its paragraphs, shuffled, some words changed, some new paragraphs."""
    left = draw(st.lists(PARAGRAPH, min_size=1, max_size=5))
    right = []
    for paragraph in draw(st.permutations(left)):
        words = paragraph.split(" ")
        for _ in range(draw(st.integers(0, 2))):
            words[draw(st.integers(0, len(words) - 1))] = draw(WORDS)
        right.append(" ".join(words))
    right += draw(st.lists(PARAGRAPH, max_size=2))
    return "\n\n".join(left), "\n\n".join(right)


def sentence_spans(text: str) -> set[tuple[int, int]]:
    return set(all_sentences(text))


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_a_text_shares_every_long_sentence_with_itself(text: str) -> None:
    found = shared_passages(text, text)
    long = [span for span in all_sentences(text) if len(text[span[0] : span[1]].split()) >= 6]
    assert [p.left for p in found] == long
    assert all(p.left == p.right and p.score == 100.0 for p in found)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.tuples(TEXT, TEXT), reworked()))
def test_results_are_sentence_spans_paired_once_and_symmetric(texts: tuple[str, str]) -> None:
    left, right = texts
    found = shared_passages(left, right)
    assert all(p.left in sentence_spans(left) and p.right in sentence_spans(right) for p in found)
    assert len({p.left for p in found}) == len(found) == len({p.right for p in found})
    assert all(90 <= p.score <= 100 for p in found)
    assert [p.left for p in found] == sorted(p.left for p in found)
    swapped = shared_passages(right, left)
    assert sorted((p.right, p.left, p.score) for p in swapped) == sorted((p.left, p.right, p.score) for p in found)
