"""Where the article stands on its page: its headline, its paragraphs, its end.

The line rules of :mod:`tui.core.clean` decide what a line's own words give
away (a caption, an appeal, a byline). What is left is decided here, by
position, with signals every language shares:

- lines that repeat an earlier line are duplicates;
- the headline is the first headline-shaped line above the article's prose;
- the article's body is the *densest run of prose*: the stretch of the page
  where sentence-like lines outweigh the labels, links and menus between
  them (a maximum-sum run, each prose line counting its length and each
  other line a cost). Prose far from that run, across a long stretch of
  menus or links (teasers, comment forms, footers), is not the article;
- inside the run, short lines that introduce a paragraph are headings, short
  sentences are body, and the rest are labels or links.

Every decision is a ``(kind, reason)`` pair; ``decisions[i]`` is None while
line ``i`` is undecided.
"""

from __future__ import annotations

import re
from itertools import pairwise

from tui.core import cues
from tui.core.line_features import Features, is_headline_shape, is_name

KEPT_KINDS = frozenset({"title", "heading", "body"})
APPEAL_REASON = "donation or subscription appeal"

Decisions = list[tuple[str, str] | None]
Feats = list[Features | None]

#: How far into the page the headline is looked for (non-blank lines).
_TITLE_WINDOW = 40
#: A tail marker only ends the article once this share of its prose is above it.
_TAIL_MIN_SHARE = 0.5
#: In the densest run, a line that is not prose costs this many characters of
#: prose, plus this share of its own length; a line already dropped by a rule
#: (a caption, a share button) costs little, since articles are full of them.
_GAP_COST = 30
_GAP_SHARE = 0.5
DROPPED_COST = 10


def mark_repeats(feats: Feats, decisions: Decisions) -> None:
    """Mark later copies of a line, and captions written out twice.

    Headlines and captions are often printed two or three times on a page
    (in the header, over the picture, in the share box); the first copy is
    judged by the other rules, the later ones are dropped as duplicates.
    """
    present = _present(feats)
    first_seen: dict[str, int] = {}
    for i, f in present:
        if f.words < 2:
            continue
        key = f.key
        if key in first_seen:
            j = first_seen[key]
            if decisions[j] is None and f.starts_lower:
                decisions[j] = ("caption", f"image alt text, repeated on line {i + 1}")
            first = decisions[j]
            note = " (caption)" if first is not None and first[0] == "caption" else ""
            decisions[i] = ("duplicate", f"repeats line {j + 1}{note}")
        else:
            first_seen[key] = i
    # A caption followed by a longer version of itself (the picture's alt
    # text, then its full caption) is the same caption twice.
    for (before, shorter), (i, longer) in pairwise(present):
        if not shorter.sentence_end and shorter.tokens >= 6 and longer.key.startswith(shorter.key) and longer.key != shorter.key:
            decisions[before] = ("caption", f"caption repeated with more text on line {i + 1}")
            decisions[i] = ("caption", f"caption repeating line {before + 1} with more text")


def find_title(feats: Feats, decisions: Decisions, page_title: str | None) -> int | None:
    """Index of the headline line, or None for a page without one.

    The headline is the line matching the HTML page title, or a Markdown
    ``#`` heading, or else the first headline-shaped line near the top that
    is not already furniture, comes before the article's prose, is not
    followed by a menu (site names are), and has five words or more if any
    such line does (site names and menu entries rarely do).
    """
    candidates = []
    seen = 0
    wanted = _norm(page_title) if page_title else None
    for i, f in enumerate(feats):
        if f is None:
            continue
        seen += 1
        if seen > _TITLE_WINDOW:
            break
        if decisions[i] is not None:
            continue
        if wanted and _norm(f.stripped).lstrip("# ") == wanted:
            return i
        if f.stripped.startswith("# "):
            return i
        if is_headline_shape(f) and not f.prose and not _heads_appeal(feats, decisions, i):
            candidates.append(i)
        elif f.prose and f.words >= 20:
            break  # the article has begun: its headline is above
    candidates = [i for i in candidates if not _followed_by_menu(feats, i)] or candidates
    if not candidates:
        return None
    long_enough = [i for i in candidates if (f := feats[i]) is not None and f.words >= 5]
    return (long_enough or candidates)[0]


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _followed_by_menu(feats: Feats, i: int) -> bool:
    """True when the next few lines are short labels: a site name's menu."""
    labels = 0
    for f in feats[i + 1 : i + 12]:
        if f is None:
            continue
        if f.words > 3 or f.sentence_end:
            break
        labels += 1
    return labels >= 3


def _next_line(feats: Feats, i: int) -> int | None:
    """Index of the nearest non-blank line after line i."""
    for j in range(i + 1, len(feats)):
        if feats[j] is not None:
            return j
    return None


def _heads_appeal(feats: Feats, decisions: Decisions, i: int) -> bool:
    """True when the next line is an appeal: this line is its heading."""
    following = _next_line(feats, i)
    decided = decisions[following] if following is not None else None
    return decided is not None and decided[1].startswith(APPEAL_REASON)


def _heading_follows(feats: Feats, decisions: Decisions, i: int, stopwords: frozenset[str]) -> bool:
    """True when the next undecided line, past dropped ones, is prose.

    Captions, bylines and share buttons often stand between a subheading or
    standfirst and the paragraph it introduces, so they are stepped over.
    """
    for j in range(i + 1, min(len(feats), i + 16)):
        f = feats[j]
        if f is None:
            continue
        decided = decisions[j]
        if decided is None and is_name(f, stopwords):
            continue  # a byline under a standfirst
        if decided is None:
            return f.prose or bool(cues.LIST_ITEM.match(f.stripped))
        if decided[0] in KEPT_KINDS:
            return decided[0] == "body"
        if decided[1].startswith(APPEAL_REASON):
            return False  # the heading of a donation or newsletter box
    return False


def densest_run(weights: list[float | None]) -> tuple[int, int] | None:
    """First and last index of the maximum-sum run of ``weights`` (None for a blank line).

    Each prose line weighs its length, each other line a cost, so the run
    stops where menus, links and forms outweigh the text around them. None
    if no weight is positive (a page without prose).
    """
    best = running = 0.0
    run_start = 0
    best_run = None
    for i, weight in enumerate(weights):
        if weight is None:
            continue
        if running <= 0:
            running, run_start = 0.0, i
        running += weight
        if running > best:
            best, best_run = running, (run_start, i)
    return best_run


def gap_cost(length: int) -> float:
    """What a line that is not prose costs the run it stands in (a negative weight)."""
    return -(_GAP_COST + _GAP_SHARE * length)


def _present(feats: Feats) -> list[tuple[int, Features]]:
    """The lines that have features, with their index (the others are blank or were decided from afar)."""
    return [(i, f) for i, f in enumerate(feats) if f is not None]


def _run_after(decisions: Decisions, present: list[tuple[int, Features]], prose: set[int], start: int) -> tuple[int, int] | None:
    """The densest run of prose among the lines after ``start``: prose adds, labels cost, dropped lines cost little."""
    after = [(i, f) for i, f in present if i > start]
    weights: list[float | None] = [
        float(len(f.stripped)) if i in prose else gap_cost(len(f.stripped)) if decisions[i] is None else -DROPPED_COST
        for i, f in after
    ]
    run = densest_run(weights)
    return (after[run[0]][0], after[run[1]][0]) if run else None


def mark_region(
    feats: Feats, decisions: Decisions, title_index: int | None, stopwords: frozenset[str], tail: re.Pattern[str] | None = None
) -> None:
    """Decide the remaining lines by where they stand relative to the article.

    The article runs from the headline to the last paragraph of its densest
    run of prose; a tail marker (comments, related articles, a footer) after
    most of that prose ends it early. Before the headline is page furniture;
    after the end is page furniture too, except a name on its own line (the
    byline).
    """
    start = title_index if title_index is not None else -1
    if title_index is not None:
        decisions[title_index] = ("title", "headline: first headline-shaped line above the article's prose")
    present = _present(feats)
    prose_set = {i for i, f in present if decisions[i] is None and i > start and f.prose}
    run = _run_after(decisions, present, prose_set, start)
    run_end = run[1] if run else start
    in_run = sorted(i for i in prose_set if i <= run_end)
    prose_set = set(in_run)
    tail_marker = _tail_marker([(i, f) for i, f in present if start < i <= run_end], prose_set, tail)
    before = [i for i in in_run if tail_marker is None or i < tail_marker[0]]
    end = before[-1] if before else start
    kept_since_title = False
    for i, f in present:
        decided = decisions[i]
        if decided is not None:
            if i > start and decided[0] == "body":
                kept_since_title = True
            continue
        if i < start:
            if f.prose and f.words >= 25:
                decisions[i] = ("body", "long prose above the headline")
            else:
                decisions[i] = ("boilerplate", "above the headline: page header")
        elif tail_marker is not None and i >= tail_marker[0]:
            marker = quote(tail_marker[1])
            if i == tail_marker[0]:
                decisions[i] = ("boilerplate", f"end of the article: “{marker}”")
            elif i <= end + 4 and is_name(f, stopwords):
                decisions[i] = ("byline", "a name on its own line after the article")
            else:
                decisions[i] = ("boilerplate", f"after the end of the article (“{marker}”, line {tail_marker[0] + 1})")
        elif i > end:
            if i <= end + 4 and is_name(f, stopwords):
                decisions[i] = ("byline", "a name on its own line after the last paragraph")
            elif i > run_end and f.prose:
                decisions[i] = ("boilerplate", "text away from the article, past a stretch of links or labels")
            else:
                decisions[i] = ("boilerplate", "after the article's last paragraph")
        elif i in prose_set or (cues.LIST_ITEM.match(f.stripped) and f.words >= 2):
            decisions[i] = ("body", "running text inside the article" if i in prose_set else "list item inside the article")
        elif not kept_since_title and is_name(f, stopwords):
            decisions[i] = ("byline", "a name on its own line under the headline")
        elif not f.stripped.endswith((".", ",", ";")) and f.words <= 25 and _heading_follows(feats, decisions, i, stopwords):
            decisions[i] = ("heading", "short line introducing a paragraph: heading")
        elif f.sentence_end and f.words >= 2 and not f.question:
            decisions[i] = ("body", "short sentence inside the article")
        elif f.question and f.words >= 3:
            decisions[i] = ("body", "question inside the article")
        else:
            decisions[i] = ("boilerplate", "short line not followed by text: a link or label")
        decided = decisions[i]
        if i > start and decided is not None and decided[0] == "body":
            kept_since_title = True


def _tail_marker(lines: list[tuple[int, Features]], prose: set[int], tail: re.Pattern[str] | None) -> tuple[int, str] | None:
    """The first of ``lines`` that is a tail marker ("Comments", "Related articles") after most of the ``prose`` lines.

    ``tail`` matches the markers of the page's language, beside English
    ones. Returns the marker's index and text.
    """
    total = sum(len(f.stripped) for i, f in lines if i in prose) or 1
    running = 0
    for i, f in lines:
        if (
            running / total >= _TAIL_MIN_SHARE
            and f.words <= 12
            and (cues.TAIL_MARKER.match(f.stripped) or (tail and tail.match(f.stripped)))
        ):
            return i, f.stripped
        if i in prose:
            running += len(f.stripped)
    return None


def quote(text: str, limit: int = 40) -> str:
    """A short, single-line excerpt of matched text for a reason."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
