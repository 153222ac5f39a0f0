"""Line classifier that separates an article from its web boilerplate.

Every source line gets a *kind* and a human-readable *reason*; the cleaned
text is the kept lines, verbatim, so every character of it maps back to an
offset in the source (:meth:`Cleaned.to_source`). Nothing is rewritten, and
nothing is dropped without a reason the reader can show.

Kinds: ``title``, ``heading``, ``body`` (kept) and ``caption``, ``byline``,
``boilerplate``, ``duplicate``, ``blank`` (dropped). The analyst's overrides
(force keep / force drop of a line number) win over every rule.

The rules work on the *shape* of the page, in any language and script:
where the densest run of sentence-like lines is (:mod:`tui.core.article_region`),
where its headline stands, what repeats. Words come second, and from
maintained resources where they can: the page's language is identified
from a sample of its longest lines, and its common words come from
jusText's stoplists (:mod:`tui.core.language`); English vocabulary
(:mod:`tui.core.cues`) and short furniture lists of the main languages
(:mod:`tui.core.furniture_words`) name captions, appeals, navigation and
comment threads. Lines far from the article are decided from a cheap
sketch, which keeps the cleaner fast on whole web pages.

Given the corpus's :class:`~tui.core.evidence.Evidence`, lines that recur across
the corpus's articles are dropped as boilerplate. When the cleaner keeps
little of a page's running text it says so in :attr:`Cleaned.warnings`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from tui.core import cues, furniture_words, language
from tui.core.article_region import (
    APPEAL_REASON,
    DROPPED_COST,
    KEPT_KINDS,
    Decisions,
    densest_run,
    find_title,
    gap_cost,
    mark_region,
    mark_repeats,
    quote,
)
from tui.core.cleaned import PARAGRAPH_SEPARATOR, Cleaned, Line
from tui.core.facts import front_matter
from tui.core.line_features import OTHER, PARAGRAPH, Features, features, sketch

if TYPE_CHECKING:
    from tui.core.evidence import Evidence

KINDS = ("title", "heading", "body", "caption", "byline", "boilerplate", "duplicate", "blank")
#: Under this share of its paragraphs kept, a page is flagged (see :attr:`Cleaned.warnings`).
LOW_KEPT_SHARE = 1 / 3
#: A page needs this many paragraphs of running text before a low share means anything.
_MIN_PARAGRAPHS = 3
#: Non-blank lines looked at closely before the densest run of prose (where
#: its headline and standfirst are) and after it (where it may go on past a
#: share bar; further on, nothing is kept whatever the rules say).
_BEFORE = 20
_AFTER = 5
#: Under this many characters, a line is a label in the sketch of a page.
_SHORT_LABEL = 12
#: Non-blank lines at the top of a page looked at closely, where the headline is.
_TOP = 20
_FAR = ("boilerplate", "far from the article's text: menus, link lists or footers around it")
_RESIDUE = "image residue"
_NO_WORDS = "no words (stray symbol or separator)"
#: The reason for the lines of a Markdown front matter block: they are the article's attributes, not its text.
FRONT_MATTER = "front matter: the article's attributes, not its text"
#: Lines of fewer spaces than this are judged once per process (see _judge_short).
_SHORT_WORDS = 8


def clean_text(
    text: str,
    overrides: Mapping[int, str | bool] | None = None,
    page_title: str | None = None,
    *,
    evidence: Evidence | None = None,
    language_code: str | None = None,
) -> Cleaned:
    """Classify every line of ``text`` and return the cleaned result.

    ``overrides`` maps 1-based line numbers to ``"keep"``/``True`` or
    ``"drop"``/``False`` (the store's :meth:`Store.overrides` shape);
    ``page_title`` (from an HTML ``<title>``) helps find the headline.
    ``evidence`` (an :class:`~tui.core.evidence.Evidence` counted over
    the article's corpus) drops lines that recur across its articles;
    without it the page is cleaned on its own. ``language_code`` (ISO 639-1)
    skips identifying the page's language when it is already known.
    """
    raw_lines = text.split("\n")
    stripped = [raw.strip() for raw in raw_lines]
    shapes = [sketch(s) if s else None for s in stripped]
    decisions: list[tuple[str, str] | None] = [None if s else ("blank", "blank line") for s in stripped]
    for i in range(_front_matter_lines(text)):
        decisions[i] = decisions[i] or ("boilerplate", FRONT_MATTER)
    warnings: list[str] = []
    if evidence is not None:
        warnings += _mark_recurring(stripped, shapes, decisions, evidence)
    close = _around_the_article(stripped, shapes, decisions)
    code = language_code or language.identify(language.sample(s for s, shape in zip(stripped, shapes, strict=True) if shape))
    stopwords = _stopwords(code)
    feats: list[Features | None] = [None] * len(raw_lines)
    own: dict[int, tuple[str, str] | None] = {}  # what each line's own text says
    for i in close:
        if decisions[i] is None:
            s = stripped[i]
            feats[i], own[i] = (_judge_short if s.count(" ") < _SHORT_WORDS else _judge)(s, code)
    decisions = [_FAR if d is None and f is None else d for d, f in zip(decisions, feats, strict=True)]
    for i, said in own.items():
        decisions[i] = _with_neighbours(feats, i, said)

    mark_repeats(feats, decisions)
    title_index = find_title(feats, decisions, page_title)
    mark_region(feats, decisions, title_index, stopwords, furniture_words.for_language(code).tail)

    del feats, own  # the rules are done: on a 50 MB article their features weigh more than the lines about to be made
    lines = _lines(text, raw_lines, cast(list[tuple[str, str]], decisions), overrides or {})  # every line is decided now
    # The line stays verbatim in the text; the title string drops Markdown marks.
    title = raw_lines[title_index].strip().lstrip("#").strip(" *_") if title_index is not None else None
    byline = next((line.text.strip() for line in lines if line.kind == "byline"), None)
    warnings += _kept_too_little(stripped, shapes, lines)
    del stripped, shapes
    # Joined from the split lines, not from slices of the source cut again (a second copy of every kept line).
    kept = PARAGRAPH_SEPARATOR.join([raw_lines[line.n - 1] for line in lines if line.keep])
    del raw_lines
    return Cleaned(lines, title, byline, code, warnings, kept)


def _front_matter_lines(text: str) -> int:
    """How many lines open ``text`` as a front matter block of ``key: value`` lines only; 0 when it has none.

    A block with a line that is not ``key: value`` is left to the other
    rules: a text may open with a ``---`` rule that is no front matter.
    """
    if not text[:8].lstrip().startswith("---"):
        return 0
    pairs, warnings, size = front_matter(text)
    return size if pairs and not warnings else 0


def _lines(text: str, raw_lines: list[str], decisions: list[tuple[str, str]], overrides: Mapping[int, str | bool]) -> list[Line]:
    """The decided lines of ``text`` (split into ``raw_lines``), each with its offsets, the analyst's overrides applied."""
    make = tuple.__new__  # Line's own constructor, without the keyword handling: pages have many lines
    kept = KEPT_KINDS
    lines = []
    start = 0
    for n, raw, (kind, reason) in zip(range(1, len(raw_lines) + 1), raw_lines, decisions, strict=True):
        end = start + len(raw)
        lines.append(make(Line, (n, start, end, kind, reason, kind in kept, False, text)))
        start = end + 1
    for n, wish in overrides.items():
        if not (1 <= n <= len(lines)) or wish not in (True, False, "keep", "drop"):
            continue
        line = lines[n - 1]
        if line.kind != "blank" and (wish is True or wish == "keep") != line.keep:
            keep = not line.keep
            reason = f"{'kept' if keep else 'dropped'} by your override (cleaner: {line.kind}, {line.reason})"
            lines[n - 1] = line._replace(reason=reason, keep=keep, overridden=True)
    return lines


def _mark_recurring(stripped: list[str], shapes: list[int | None], decisions: Decisions, evidence: Evidence) -> list[str]:
    """Drop lines that recur across the corpus's articles; return a warning if the page is itself a copy.

    An outlet's footer, newsletter box or cookie notice recurs in every one
    of its articles, in any language. When most of a page's running text
    recurs, though, the page is a copy of another article (wire copy run by
    several outlets): nothing is dropped then, and the analyst is told.
    """
    recurring = {i: n for i, s in enumerate(stripped) if s and (n := evidence.recurs(s))}
    if not recurring:
        return []
    prose = [i for i, shape in enumerate(shapes) if shape]
    prose_chars = sum(len(stripped[i]) for i in prose)
    copied = [i for i in prose if i in recurring]
    if prose_chars and sum(len(stripped[i]) for i in copied) > prose_chars / 2:
        most = max(recurring[i] for i in copied)
        return [f"most of this article's text also appears in other articles of this corpus (up to {most}): it may be a copy"]
    for i, n in recurring.items():
        decisions[i] = ("boilerplate", f"appears in {n} articles of this corpus")
        shapes[i] = OTHER
    return []


def _around_the_article(stripped: list[str], shapes: list[int | None], decisions: Decisions) -> range | list[int]:
    """The lines worth a close look: the top of the page, and the densest run of prose with a margin.

    Lines elsewhere (the menus and link lists between, the footers below)
    are page furniture whatever their words; sketching them is enough. The
    top is looked at for the headline; a page without prose is looked at
    whole.
    """
    # A short label (a menu entry, a share button) costs what a line dropped
    # by the rules does, since the rules drop most of them.
    weights = [
        None if shape is None
        else gap_cost(0) if decision is not None
        else float(len(s)) if shape
        else -DROPPED_COST if len(s) < _SHORT_LABEL
        else gap_cost(len(s))
        for s, shape, decision in zip(stripped, shapes, decisions, strict=True)
    ]
    run = densest_run(weights)
    if run is None:
        return range(len(stripped))
    top = _step(shapes, -1, 1, _TOP)
    lo, hi = _step(shapes, run[0], -1, _BEFORE), _step(shapes, run[1], 1, _AFTER) + 1
    if lo <= top + 1:
        return range(hi)
    return [*range(top + 1), *range(lo, hi)]


def _step(shapes: list[int | None], i: int, step: int, count: int) -> int:
    """The index ``count`` non-blank lines away from line ``i`` (or the page's first or last line)."""
    while count and 0 <= i + step < len(shapes):
        i += step
        if shapes[i] is not None:
            count -= 1
    return i


def _kept_too_little(stripped: list[str], shapes: list[int | None], lines: list[Line]) -> list[str]:
    """A warning when the cleaner kept under a third of the page's paragraphs of running text."""
    paragraphs: dict[str, bool] = {}
    for s, shape, line in zip(stripped, shapes, lines, strict=True):
        if shape == PARAGRAPH:
            paragraphs[s] = paragraphs.get(s, False) or line.keep
    total = len(paragraphs)
    kept = sum(paragraphs.values())
    if total < _MIN_PARAGRAPHS or kept >= total * LOW_KEPT_SHARE:
        return []
    return [
        f"the cleaner kept {kept} of this page's {total} paragraphs of running text; "
        "the rest looked like page furniture (menus, teasers, comments). Check the raw text."
    ]


def _stopwords(code: str | None) -> frozenset[str]:
    """The common words of the language ``code`` (empty when it has no stoplist).

    English keeps its own short list of function words: jusText's holds
    common nouns such as "world", which would unmake names like "The World".
    """
    return cues.STOPWORDS if code == "en" else language.stopwords(code)


def _judge(stripped: str, code: str | None) -> tuple[Features, tuple[str, str] | None]:
    """A line's features and what its own words say (:func:`_text_rule`), in a page of language ``code``."""
    f = features(stripped, _stopwords(code))
    return f, _text_rule(f, furniture_words.for_language(code))


# Short lines (menus, share buttons, labels) recur from page to page of a
# site, and across sites: judged once per process. Features are never
# changed once made, so lines may share them.
_judge_short = lru_cache(maxsize=16384)(_judge)


def forget_judged_lines() -> None:
    """Forget the short lines judged so far (a benchmark measures a cold start this way)."""
    _judge_short.cache_clear()


def _with_neighbours(feats: list[Features | None], i: int, said: tuple[str, str] | None) -> tuple[str, str] | None:
    """Line i's decision from its own words (``said``) and its neighbours; None if undecided."""
    if said is not None and said[1] in (_RESIDUE, _NO_WORDS):
        return said
    previous = feats[i - 1] if i > 0 else None
    if previous is not None and previous.stripped.startswith("![") and cues.IMAGE_RESIDUE.match(previous.stripped):
        return ("caption", "text right under an image placeholder")
    if said is not None:
        return said
    f = feats[i]
    if f.starts_lower and not f.sentence_end and f.words <= 15 and _isolated(feats, i):  # type: ignore[union-attr]
        return ("caption", "lower-case line without punctuation: image alt text")
    return None


def _text_rule(f: Features, words: furniture_words.Vocabulary) -> tuple[str, str] | None:
    """Decide a line from its own text alone; None if its words say nothing.

    English vocabulary (:mod:`tui.core.cues`) applies to every page; ``words``
    adds the furniture of the page's own language.
    """
    s = f.stripped
    if (len(s) <= 3 or s[0] in "![") and cues.IMAGE_RESIDUE.match(s):
        return ("boilerplate", _RESIDUE)
    if f.words == 0:
        return ("boilerplate", _NO_WORDS)
    low = f.cue_words  # empty for most lines: the guarded patterns are skipped
    if (low or "/" in s or "©" in s) and cues.CREDIT.search(s, low):
        return ("caption", "photo credit")
    if words.credit is not None and f.words <= 20 and ":" in s and words.credit.search(s):
        return ("caption", "photo credit")
    if not f.sentence_end and s.endswith(" |"):
        return ("caption", "caption cell of an image table")
    hit = _furniture(f, words)
    if hit is not None:
        return ("boilerplate", f"page furniture: “{quote(hit.group(0))}”")
    for appeal in (cues.APPEAL, words.appeal):
        hit = appeal.search(s, low) if low and appeal is not None else None
        if hit is not None and appeal is not None and appeal.count(s, low) >= (1 if f.words <= 14 else 2):
            return ("boilerplate", f"{APPEAL_REASON}: “{quote(hit.group(0))}”")
    if not low.isdisjoint(cues.LINK_WORDS) and cues.LINK_LINE.match(s):
        return ("boilerplate", "link to another article")
    if words.link is not None and f.words <= 30 and words.link.match(s):
        return ("boilerplate", "link to another article")
    if f.words <= 14 and (cues.META_LINE.match(s) or (low and cues.META_ANYWHERE.search(s, low))):
        return ("byline", "date, byline or reading-time line")
    if f.words <= 8 and (cues.COMMENT_META.match(s) or (low and cues.TIME_AGO.search(s, low))):
        return ("boilerplate", "comment thread furniture")
    if not f.sentence_end and f.words >= 4 and (low or "(" in s):
        hit = cues.CAPTION_WORDS.search(s, low)
        if hit is not None:
            return ("caption", f"describes a picture: “{hit.group(0)}”")
    return None


def _furniture(f: Features, words: furniture_words.Vocabulary) -> re.Match[str] | None:
    """The label, breadcrumb, menu or notice that makes a line page furniture, if any.

    The anchored label patterns describe short lines; long ones skip them.
    """
    s = f.stripped
    hit = cues.BOILERPLATE_LINE.match(s) if f.tokens <= 20 else None
    if hit is None and f.tokens <= 30:
        hit = cues.STRONG_BOILERPLATE_START.match(s)
        if hit is None and not cues.SEPARATORS.isdisjoint(s):
            hit = cues.SEPARATED_LABELS.match(s)
    if hit is None and f.cue_words:
        hit = cues.STRONG_BOILERPLATE.search(s, f.cue_words)
    if hit is None and f.tokens <= 8 and words.label is not None:
        hit = words.label.match(s)
    return hit


def _isolated(feats: list[Features | None], i: int) -> bool:
    before = feats[i - 1] if i > 0 else None
    after = feats[i + 1] if i + 1 < len(feats) else None
    return before is None and after is None
