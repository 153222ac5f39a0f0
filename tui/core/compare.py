"""Sentences two articles share: the same or nearly the same wording, as with reused wire copy.

``shared_passages(left, right)`` pairs each sentence of one cleaned text with
at most one sentence of the other. Sentences are compared after normalising
case, quotes, dashes and white space, so "Ankara’s" and "ankara's" are the
same; identical sentences are found by a hash lookup, near ones with
rapidfuzz's ``fuzz.ratio``. Only sentences that share one of their rarest
words are scored at all, which keeps two 100 KB articles far from the
million comparisons a full scan would take. Pure Python: no Textual, no Rich.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from tui.core.passages import Span, all_sentences

#: How many of a sentence's rarest words look for its counterpart: a near
#: duplicate (90 % alike) rarely changes more than one or two words, so one
#: of three rare words survives the edit.
RARE_WORDS = 3

_WORD = re.compile(r"\w+")
_FOLD = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
    }
)


@dataclass(frozen=True)
class SharedPassage:
    """One sentence of the left text and its counterpart in the right text."""

    left: Span  # sentence span in the left text
    right: Span  # sentence span in the right text
    score: float  # 100.0 = identical after normalising case, quotes, dashes and white space


@dataclass
class _Sentence:
    span: Span
    key: str  # the normalised sentence
    words: frozenset[str]


def normalise(sentence: str) -> str:
    """The sentence as compared: case folded, quotes and dashes unified, white space single spaces."""
    return " ".join(sentence.casefold().translate(_FOLD).split())


def shared_passages(left: str, right: str, min_score: float = 90.0, min_words: int = 6) -> list[SharedPassage]:
    """The sentences ``left`` and ``right`` share, sorted by their start in ``left``.

    Sentences of fewer than ``min_words`` words (datelines, "Read more.")
    are left out. A pair's score is ``fuzz.ratio`` of the normalised
    sentences, at least ``min_score``; each sentence pairs with at most one
    counterpart, the best one still free (identical sentences first, then
    the highest scores). Swapping ``left`` and ``right`` swaps the spans of
    the result and nothing else.
    """
    lefts = _sentences(left, min_words)
    rights = _sentences(right, min_words)
    pairs = _identical(lefts, rights)
    used_left = {i for i, _, _ in pairs}
    used_right = {j for _, j, _ in pairs}
    free_left = [i for i in range(len(lefts)) if i not in used_left]
    free_right = [j for j in range(len(rights)) if j not in used_right]
    for i, j, score in _near(lefts, rights, free_left, free_right, min_score):
        if i not in used_left and j not in used_right:
            pairs.append((i, j, score))
            used_left.add(i)
            used_right.add(j)
    result = [SharedPassage(lefts[i].span, rights[j].span, score) for i, j, score in pairs]
    return sorted(result, key=lambda shared: shared.left)


def _sentences(text: str, min_words: int) -> list[_Sentence]:
    out = []
    for start, end in all_sentences(text):
        key = normalise(text[start:end])
        words = _WORD.findall(key)
        if len(words) >= min_words:
            out.append(_Sentence((start, end), key, frozenset(words)))
    return out


def _identical(lefts: list[_Sentence], rights: list[_Sentence]) -> list[tuple[int, int, float]]:
    """Pairs of identical sentences; a sentence repeated on both sides pairs in order of appearance."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for j, sentence in enumerate(rights):
        by_key[sentence.key].append(j)
    pairs = []
    taken: dict[str, int] = defaultdict(int)
    for i, sentence in enumerate(lefts):
        candidates = by_key.get(sentence.key)
        if candidates and taken[sentence.key] < len(candidates):
            pairs.append((i, candidates[taken[sentence.key]], 100.0))
            taken[sentence.key] += 1
    return pairs


def _near(
    lefts: list[_Sentence], rights: list[_Sentence], free_left: list[int], free_right: list[int], min_score: float
) -> list[tuple[int, int, float]]:
    """Every candidate pair scoring at least ``min_score``, best first.

    Candidates share one of the rarest words of either sentence (rarity
    counted over both texts, so the candidates do not depend on which text
    is on the left). Ties are broken by a key that is itself symmetric:
    the sum, then the difference, of the two sentence indices.
    """
    if not free_left or not free_right:
        return []
    frequency: dict[str, int] = defaultdict(int)
    for sentence in lefts + rights:
        for word in sentence.words:
            frequency[word] += 1
    left_index = _index(lefts, free_left)
    right_index = _index(rights, free_right)
    candidates: set[tuple[int, int]] = set()
    for i in free_left:
        for word in _rarest(lefts[i].words, right_index, frequency):
            candidates.update((i, j) for j in right_index[word])
    for j in free_right:
        for word in _rarest(rights[j].words, left_index, frequency):
            candidates.update((i, j) for i in left_index[word])
    # ratio >= min_score bounds the length difference: skip pairs that cannot reach it.
    slack = 1 - min_score / 100
    scored = []
    for i, j in candidates:
        a, b = lefts[i].key, rights[j].key
        if abs(len(a) - len(b)) > slack * (len(a) + len(b)):
            continue
        score = fuzz.ratio(a, b, score_cutoff=min_score)
        if score >= min_score:
            scored.append((i, j, score))
    scored.sort(key=lambda pair: (-pair[2], pair[0] + pair[1], abs(pair[0] - pair[1])))
    return scored


def _index(sentences: list[_Sentence], free: list[int]) -> dict[str, list[int]]:
    """Word -> the free sentences holding it."""
    index: dict[str, list[int]] = defaultdict(list)
    for n in free:
        for word in sentences[n].words:
            index[word].append(n)
    return index


def _rarest(words: frozenset[str], other: dict[str, list[int]], frequency: dict[str, int]) -> list[str]:
    """The sentence's rarest words that the other text's free sentences hold (ties by the word, for determinism)."""
    present = [word for word in words if word in other]
    return sorted(present, key=lambda word: (frequency[word], word))[:RARE_WORDS]
