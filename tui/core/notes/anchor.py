"""Quote search and re-anchoring after an article's text changes.

A `Target` (in :mod:`.model`) is where an annotation sits: character offsets
into the decoded source text plus the quote and its context.

`reanchor` places a target on a new version of the text. Among the exact
occurrences of the quote it takes the one whose surroundings best match the
stored prefix and suffix, whatever the quote's length (a paragraph pasted
before the original must not pull the annotation onto the copy); only when
the surroundings tie does position decide, by nearness to where the quote
was (or to where it went if everything before it grew by as much as the
whole text did, when the old text's length is known). Without an exact
occurrence, the best fuzzy match above a minimum score; else an orphan.
Nothing here ever returns a position whose text does not resemble the quote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .model import Target, make_target

__all__ = [
    "Placement", "QuoteError", "Target", "context_match", "find_quote", "line_col", "make_target", "reanchor", "remap_lines",
]

#: A fuzzy candidate must reach this combined score (0-100) ...
MIN_SCORE = 75.0
#: ... and its own text must be at least this similar to the quote.
MIN_QUOTE_SIMILARITY = 75.0
#: Exact occurrences scored by their surroundings at most (a short quote can occur
#: thousands of times; past this many, the ones nearest the old position count).
MAX_OCCURRENCES = 2000
#: Short quotes say too little on their own: an exact match away from the
#: stored position (below SHORT_EXACT characters) or a fuzzy match (below
#: SHORT_FUZZY) also needs its surroundings to resemble the stored context,
#: and below MIN_FUZZY_LENGTH a quote is never matched fuzzily at all.
SHORT_EXACT = 16
SHORT_FUZZY = 40
MIN_CONTEXT = 50.0
MIN_FUZZY_LENGTH = 8

# Weights of the fuzzy score; the quote dominates so that matching context
# can never carry text that does not resemble the quote.
_W_QUOTE, _W_PREFIX, _W_SUFFIX, _W_DISTANCE = 0.6, 0.15, 0.15, 0.1


class QuoteError(ValueError):
    """The quote is absent from the text, or occurs more than once."""


@dataclass(frozen=True)
class Placement:
    """The outcome of re-anchoring one target on a new text.

    `method` is exact, nearest, fuzzy or orphan; `target` is None for an
    orphan; `score` is 100 for exact matches, the combined score of a fuzzy
    match, and for an orphan the best score that was rejected.
    """

    target: Target | None
    method: str
    score: float


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def find_quote(text: str, quote: str) -> tuple[int, int]:
    """The (start, end) of the only occurrence of `quote` in `text`.

    An exact match is tried first; if there is none, runs of whitespace in the
    quote may match any run of whitespace (a quote typed on one line may span
    a line break in the article). Raises QuoteError naming the line and
    column of every occurrence when there is not exactly one.
    """
    if not quote.strip():
        raise QuoteError("the quote is empty")
    spans = _exact_spans(text, quote)
    if not spans:
        loose = r"\s+".join(re.escape(word) for word in quote.split())
        spans = [m.span() for m in re.finditer(loose, text)]
    shown = quote if len(quote) <= 60 else quote[:57] + "..."
    if not spans:
        raise QuoteError(f"quote not found in the article: {shown!r}")
    if len(spans) > 1:
        places = ", ".join("line {} column {}".format(*line_col(text, s)) for s, _ in spans[:5])
        more = f" and {len(spans) - 5} more" if len(spans) > 5 else ""
        raise QuoteError(
            f"quote occurs {len(spans)} times ({places}{more}): {shown!r}; quote more words to make it unique"
        )
    return spans[0]


def _exact_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Every occurrence of quote, overlapping ones included."""
    spans, i = [], text.find(quote)
    while i != -1:
        spans.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return spans


def reanchor(target: Target, text: str, old_length: int | None = None) -> Placement:
    """Place `target` on `text`: the exact quote in the best-matching surroundings, else fuzzy, else an orphan.

    `old_length` is the length of the text the target was placed on, if known.
    """
    exact = target.exact
    priors = [target.start]
    if old_length is not None and old_length != len(text):
        priors.append(target.start + len(text) - old_length)  # where it is if all the change came before it
    for at in priors:  # the common case, answered without a search: nothing moved, or everything before it did
        if text[at : at + len(exact)] == exact and _context_exact(target, text, at):
            return Placement(make_target(text, at, at + len(exact)), "exact" if at == target.start else "nearest", 100.0)
    best = _best_exact(target, text, priors)
    if best is not None:
        return Placement(make_target(text, best, best + len(exact)), "exact" if best == target.start else "nearest", 100.0)
    if len(exact) < MIN_FUZZY_LENGTH:
        return Placement(None, "orphan", 0.0)
    return _fuzzy(target, text)


def _context_exact(target: Target, text: str, start: int) -> bool:
    """Whether the text around the quote at `start` is exactly the stored prefix and suffix."""
    end = start + len(target.exact)
    return text[max(0, start - len(target.prefix)) : start] == target.prefix and text[end : end + len(target.suffix)] == target.suffix


def _occurrences(text: str, quote: str, priors: list[int]) -> list[int]:
    """Starts of the quote's exact occurrences (overlapping ones included); the MAX_OCCURRENCES nearest the priors if more."""
    found = [start for start, _ in _exact_spans(text, quote)]
    if len(found) > MAX_OCCURRENCES:
        found = sorted(found, key=lambda s: min(abs(s - p) for p in priors))[:MAX_OCCURRENCES]
    return found


def _best_exact(target: Target, text: str, priors: list[int]) -> int | None:
    """The exact occurrence with the best-matching surroundings (ties: nearest a prior), or None.

    A short quote away from its stored position must also have surroundings
    that resemble the stored ones: on its own it says too little.
    """
    starts = _occurrences(text, target.exact, priors)
    if not starts:
        return None
    perfect = [s for s in starts if _context_exact(target, text, s)]
    if perfect:
        scored = [(100.0, s) for s in perfect]
    else:
        scored = [(_context_score(target, text, s, s + len(target.exact)), s) for s in starts]
    if len(target.exact) < SHORT_EXACT:
        scored = [(score, s) for score, s in scored if s == target.start or score >= MIN_CONTEXT]
    if not scored:
        return None
    best = max(score for score, _ in scored)
    tied = [s for score, s in scored if score >= best - 1e-9]
    return min(tied, key=lambda s: (min(abs(s - p) for p in priors), s))


def context_match(target: Target, text: str) -> float | None:
    """How well the best exact occurrence of the quote in `text` matches its stored surroundings (0-100), None if absent."""
    starts = _occurrences(text, target.exact, [target.start])
    if not starts:
        return None
    if any(_context_exact(target, text, s) for s in starts):
        return 100.0
    return max(_context_score(target, text, s, s + len(target.exact)) for s in starts)


def _similarity(a: str, b: str) -> float:
    """0-100 similarity of two strings; two empty strings are identical."""
    return 100.0 if a == b else fuzz.ratio(a, b)


def _context_score(target: Target, text: str, start: int, end: int) -> float:
    """How well the text around start:end matches the stored prefix and suffix."""
    prefix = text[max(0, start - len(target.prefix)) : start]
    suffix = text[end : end + len(target.suffix)]
    return (_similarity(target.prefix, prefix) + _similarity(target.suffix, suffix)) / 2


def _score(target: Target, text: str, start: int, end: int) -> tuple[float, float]:
    """(combined score, quote similarity) of the candidate text[start:end]."""
    quote = _similarity(target.exact, text[start:end])
    prefix = _similarity(target.prefix, text[max(0, start - len(target.prefix)) : start])
    suffix = _similarity(target.suffix, text[end : end + len(target.suffix)])
    # Distance only breaks ties between similar candidates: a full penalty
    # needs a move across the whole window that was searched.
    reach = max(len(text), 1)
    distance = 100.0 * (1 - min(1.0, abs(start - target.start) / reach))
    total = _W_QUOTE * quote + _W_PREFIX * prefix + _W_SUFFIX * suffix + _W_DISTANCE * distance
    return total, quote


def _fuzzy(target: Target, text: str) -> Placement:
    """Best fuzzy placement near the old position, then anywhere; or an orphan."""
    best: tuple[float, int, int] = (0.0, 0, 0)
    radius = max(2048, 8 * len(target.exact))
    windows = [(max(0, target.start - radius), min(len(text), target.end + radius))]
    if windows[0] != (0, len(text)):
        windows.append((0, len(text)))
    for lo, hi in windows:
        for start, end in _candidates(target, text, lo, hi):
            total, quote = _score(target, text, start, end)
            short_ok = len(target.exact) >= SHORT_FUZZY or _context_score(target, text, start, end) >= MIN_CONTEXT
            if quote >= MIN_QUOTE_SIMILARITY and short_ok and total > best[0]:
                best = (total, start, end)
        if best[0] >= MIN_SCORE:
            return Placement(make_target(text, best[1], best[2]), "fuzzy", round(best[0], 1))
    return Placement(None, "orphan", round(best[0], 1))


def _candidates(target: Target, text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Candidate spans in text[lo:hi]: aligned on quote plus context, and on the quote alone."""
    window = text[lo:hi]
    needle = target.prefix + target.exact + target.suffix
    found = []
    for pattern, bounds in ((needle, (len(target.prefix), len(needle) - len(target.suffix))), (target.exact, None)):
        if len(pattern) >= len(window):
            a, b = 0, len(window)
        else:
            hit = fuzz.partial_ratio_alignment(pattern, window)
            if hit is None or hit.score == 0:
                continue
            # The alignment has the pattern's length; widen it so that text
            # inserted inside the quote still falls inside the mapped region.
            slack = max(4, len(pattern) // 4)
            a, b = max(0, hit.dest_start - slack), min(len(window), hit.dest_end + slack)
        span = _map_bounds(pattern, window[a:b], bounds or (0, len(pattern)))
        if span[0] < span[1]:
            found.append((lo + a + span[0], lo + a + span[1]))
    return found


def _map_bounds(pattern: str, region: str, bounds: tuple[int, int]) -> tuple[int, int]:
    """Map a start and an end offset of `pattern` onto `region` through their alignment.

    Text inserted exactly at a boundary is left outside the span; text
    inserted between two characters of the quote is inside it.
    """
    start, end = bounds
    mapped_start, mapped_end = len(region), 0
    for op in Indel.opcodes(pattern, region):
        if op.tag == "insert":
            continue
        if op.src_start <= start < op.src_end:
            mapped_start = op.dest_start + (start - op.src_start if op.tag == "equal" else 0)
        if op.src_start < end <= op.src_end:
            mapped_end = op.dest_start + (end - op.src_start if op.tag == "equal" else 0)
    return mapped_start, mapped_end


def remap_lines(overrides: Sequence[Mapping[str, Any]], text: str) -> list[dict[str, Any]]:
    """Move each line override ({line, text, ...}) to the nearest line of `text` with the same text, or mark it an orphan."""
    lines = text.split("\n")
    where: dict[str, list[int]] = {}
    for n, line in enumerate(lines, 1):
        where.setdefault(line, []).append(n)
    moved = []
    for o in overrides:
        hits = where.get(o["text"], [])
        if hits:
            moved.append(dict(o, line=min(hits, key=lambda n: abs(n - o["line"])), orphan=False))
        else:
            moved.append(dict(o, orphan=True))
    return moved
