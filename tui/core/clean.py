"""Line classifier that separates an article from its web boilerplate.

Every source line gets a *kind* and a human-readable *reason*; the cleaned
text is the kept lines, verbatim, so every character of it maps back to an
offset in the source (:meth:`Cleaned.to_source`). Nothing is rewritten, and
nothing is dropped without a reason the reader can show.

Kinds: ``title``, ``heading``, ``body`` (kept) and ``caption``, ``byline``,
``boilerplate``, ``duplicate``, ``blank`` (dropped). The analyst's overrides
(force keep / force drop of a line number) win over every rule.

The rules work on the *shape* of the page rather than on the five articles
we test with: where the headline is, where the run of sentence-like
paragraphs begins and ends, what repeats, and general vocabulary of
captions, appeals, navigation and comment threads.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from tui.core import cues

KEPT_KINDS = frozenset({"title", "heading", "body"})
KINDS = ("title", "heading", "body", "caption", "byline", "boilerplate", "duplicate", "blank")
PARAGRAPH_SEPARATOR = "\n\n"

#: How far into the page the headline is looked for (non-blank lines).
_TITLE_WINDOW = 40
_APPEAL_REASON = "donation or subscription appeal"
#: A tail marker only ends the article once this share of its prose is above it.
_TAIL_MIN_SHARE = 0.5



@dataclass(frozen=True)
class Line:
    """One source line and the cleaner's decision about it."""

    n: int  # 1-based line number in the source
    start: int  # offset of the first character in the source text
    text: str
    kind: str
    reason: str
    keep: bool
    overridden: bool = False

    @property
    def end(self) -> int:
        """Offset just past the line's last character (before its newline)."""
        return self.start + len(self.text)


class OffsetMap:
    """Where each kept line of a cleaned article starts in the source and in the cleaned text.

    Enough to map offsets both ways, and small: the search keeps one per
    article of the corpus, long after the article's ``Cleaned`` is gone.
    """

    __slots__ = ("source_starts", "source_ends", "clean_starts")

    def __init__(self, kept: list[Line]) -> None:
        # Tuples of numbers: the garbage collector stops walking them, which
        # matters with one map per article of a large corpus.
        self.source_starts = tuple(line.start for line in kept)
        self.source_ends = tuple(line.end for line in kept)
        clean_starts = []
        offset = 0
        for line in kept:
            clean_starts.append(offset)
            offset += len(line.text) + len(PARAGRAPH_SEPARATOR)
        self.clean_starts = tuple(clean_starts)

    def to_source(self, offset: int) -> int:
        """The source offset of a cleaned-text offset."""
        i = max(0, bisect.bisect_right(self.clean_starts, offset) - 1)
        if not self.clean_starts:
            return 0
        return min(self.source_starts[i] + offset - self.clean_starts[i], self.source_ends[i])

    def clean_offset(self, source_offset: int) -> int | None:
        """The cleaned-text offset of a source offset, or None if its line was dropped."""
        index = bisect.bisect_right(self.source_starts, source_offset) - 1
        if index < 0 or source_offset > self.source_ends[index]:
            return None
        return self.clean_starts[index] + source_offset - self.source_starts[index]

    def to_clean(self, start: int, end: int) -> tuple[int, int] | None:
        """A source span in cleaned offsets, cut to its kept part (None if it is all in dropped lines)."""
        first = bisect.bisect_right(self.source_starts, start) - 1
        if first < 0 or start > self.source_ends[first]:
            first += 1  # starts in a dropped line: from the next kept one
        last = bisect.bisect_right(self.source_starts, end - 1) - 1  # the last kept line starting before the end
        if first >= len(self.source_starts) or last < first:
            return None
        clean_start = self.clean_starts[first] + max(0, start - self.source_starts[first])
        clean_end = self.clean_starts[last] + min(end, self.source_ends[last]) - self.source_starts[last]
        return (clean_start, clean_end) if clean_end > clean_start else None


@dataclass
class Cleaned:
    """The result of cleaning one text: every line, and the kept text."""

    lines: list[Line]
    title: str | None
    byline: str | None
    text: str = field(init=False)
    offsets: OffsetMap = field(init=False, repr=False)
    _kept: list[Line] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._kept = [line for line in self.lines if line.keep]
        self.offsets = OffsetMap(self._kept)
        self.text = PARAGRAPH_SEPARATOR.join(line.text for line in self._kept)

    @property
    def kept(self) -> list[Line]:
        """The kept lines, in source order."""
        return self._kept

    def to_source(self, offset: int) -> int:
        """Map an offset in the cleaned text to the offset in the source.

        An offset inside a paragraph separator maps to the end of the
        paragraph before it.
        """
        if not self._kept:
            return 0
        if offset < 0 or offset > len(self.text):
            raise IndexError(f"offset {offset} outside the cleaned text (0..{len(self.text)})")
        return self.offsets.to_source(offset)

    def to_clean(self, source_offset: int) -> int | None:
        """Map a source offset to the cleaned text, or None if it was dropped."""
        return self.offsets.clean_offset(source_offset)


@dataclass
class _Features:
    """What the rules look at in one non-blank line."""

    text: str
    stripped: str
    words: int
    tokens: int  # whitespace-separated pieces: words, numbers, symbols
    sentence_end: bool
    question: bool
    stopword_share: float
    starts_lower: bool
    wordset: frozenset[str]
    key: str  # lower case, white space folded: what "the same line" means


def _features(text: str) -> _Features:
    stripped = text.strip()
    words = cues.WORD.findall(stripped.lower())
    last = stripped.rstrip(cues.CLOSERS)[-1:]
    return _Features(
        text=text,
        stripped=stripped,
        words=len(words),
        tokens=stripped.count(" ") + 1,
        sentence_end=last != "" and last in cues.SENTENCE_MARKS,
        question=last in ("?", "!"),
        stopword_share=sum(map(cues.STOPWORDS.__contains__, words)) / len(words) if words else 0.0,
        starts_lower=stripped[:1].islower(),
        wordset=frozenset(words),
        key=" ".join(stripped.lower().split()),
    )


def _is_prose(f: _Features) -> bool:
    """A line that reads as running text: sentences, not a label or a link.

    A lone short question is a headline shape ("Are relations falling
    apart?"), so a question or exclamation needs ten words to count.
    """
    if f.words >= 25 and f.stopword_share >= 0.15:
        return True
    if not f.sentence_end or f.stopword_share < 0.12:
        return False
    return f.words >= (10 if f.question else 5)


def _is_headline_shape(f: _Features) -> bool:
    """A line shaped like a headline or subheading: mostly words, no full stop."""
    if not 3 <= f.words <= 25 or f.starts_lower or f.words < 0.6 * f.tokens:
        return False
    return not f.stripped.endswith((".", ",", ";", ":")) or f.stripped.endswith("...")


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def clean_text(text: str, overrides: dict[int, str | bool] | None = None, page_title: str | None = None) -> Cleaned:
    """Classify every line of ``text`` and return the cleaned result.

    ``overrides`` maps 1-based line numbers to ``"keep"``/``True`` or
    ``"drop"``/``False`` (the store's :meth:`Store.overrides` shape);
    ``page_title`` (from an HTML ``<title>``) helps find the headline.
    """
    raw_lines = text.split("\n")
    starts, offset = [], 0
    for raw in raw_lines:
        starts.append(offset)
        offset += len(raw) + 1
    feats: list[_Features | None] = [None if not raw.strip() else _features(raw) for raw in raw_lines]
    decisions: list[tuple[str, str] | None] = [None] * len(raw_lines)

    for i, f in enumerate(feats):
        if f is None:
            decisions[i] = ("blank", "blank line")
        else:
            decisions[i] = _line_rule(f, feats, i)

    _mark_repeats(feats, decisions)
    title_index = _find_title(feats, decisions, page_title)
    _mark_region(feats, decisions, title_index)

    lines = []
    for i, raw in enumerate(raw_lines):
        kind, reason = decisions[i]  # type: ignore[misc]
        keep = kind in KEPT_KINDS
        overridden = False
        wish = (overrides or {}).get(i + 1)
        if wish is not None and wish in (True, False, "keep", "drop") and kind != "blank":
            wanted = wish is True or wish == "keep"
        else:
            wanted = keep
        if wanted != keep:
            keep = wanted
            overridden = True
            reason = f"{'kept' if keep else 'dropped'} by your override (cleaner: {kind}, {reason})"
        lines.append(Line(i + 1, starts[i], raw, kind, reason, keep, overridden))
    # The line stays verbatim in the text; the title string drops Markdown marks.
    title = raw_lines[title_index].strip().lstrip("#").strip(" *_") if title_index is not None else None
    bylines = [line.text.strip() for line in lines if line.kind == "byline"]
    return Cleaned(lines, title, bylines[0] if bylines else None)


def _line_rule(f: _Features, feats: list[_Features | None], i: int) -> tuple[str, str] | None:
    """Decide a line from its own text (and its neighbours); None if undecided."""
    s = f.stripped
    if (len(s) <= 3 or s[0] in "![") and cues.IMAGE_RESIDUE.match(s):
        return ("boilerplate", "image residue")
    if f.words == 0:
        return ("boilerplate", "no words (stray symbol or separator)")
    previous = feats[i - 1] if i > 0 else None
    if previous is not None and previous.stripped.startswith("![") and cues.IMAGE_RESIDUE.match(previous.stripped):
        return ("caption", "text right under an image placeholder")
    low = f.wordset
    if cues.CREDIT.search(s, low):
        return ("caption", "photo credit")
    if not f.sentence_end and s.endswith(" |"):
        return ("caption", "caption cell of an image table")
    # The anchored label patterns describe short lines; long ones skip them.
    hit = (
        (f.tokens <= 20 and cues.BOILERPLATE_LINE.match(s))
        or (f.tokens <= 30 and cues.STRONG_BOILERPLATE_START.match(s))
        or cues.STRONG_BOILERPLATE.search(s, low)
    )
    if hit:
        return ("boilerplate", f"page furniture: “{_quote(hit.group(0))}”")
    hit = cues.APPEAL.search(s, low)
    if hit and cues.APPEAL.count(s, low) >= (1 if f.words <= 14 else 2):
        return ("boilerplate", f"{_APPEAL_REASON}: “{_quote(hit.group(0))}”")
    if not low.isdisjoint(cues.LINK_WORDS) and cues.LINK_LINE.match(s):
        return ("boilerplate", "link to another article")
    if f.words <= 14 and (cues.META_LINE.match(s) or cues.META_ANYWHERE.search(s, low)):
        return ("byline", "date, byline or reading-time line")
    if f.words <= 8 and (cues.COMMENT_META.match(s) or cues.TIME_AGO.search(s, low)):
        return ("boilerplate", "comment thread furniture")
    if not f.sentence_end and f.words >= 4:
        hit = cues.CAPTION_WORDS.search(s)
        if hit:
            return ("caption", f"describes a picture: “{hit.group(0)}”")
    if f.starts_lower and not f.sentence_end and f.words <= 15 and _isolated(feats, i):
        return ("caption", "lower-case line without punctuation: image alt text")
    return None


def _quote(text: str, limit: int = 40) -> str:
    """A short, single-line excerpt of matched text for a reason."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _neighbour_index(feats: list[_Features | None], i: int, step: int) -> int | None:
    """Index of the nearest non-blank line before (step -1) or after (step 1) line i."""
    j = i + step
    while 0 <= j < len(feats):
        if feats[j] is not None:
            return j
        j += step
    return None

def _isolated(feats: list[_Features | None], i: int) -> bool:
    before = feats[i - 1] if i > 0 else None
    after = feats[i + 1] if i + 1 < len(feats) else None
    return before is None and after is None


def _mark_repeats(feats: list[_Features | None], decisions: list) -> None:
    """Mark later copies of a line, and captions written out twice.

    Headlines and captions are often printed two or three times on a page
    (in the header, over the picture, in the share box); the first copy is
    judged by the other rules, the later ones are dropped as duplicates.
    """
    first_seen: dict[str, int] = {}
    for i, f in enumerate(feats):
        if f is None or f.words < 2:
            continue
        key = f.key
        if key in first_seen:
            j = first_seen[key]
            if decisions[j] is None and f.starts_lower:
                decisions[j] = ("caption", f"image alt text, repeated on line {i + 1}")
            kind = decisions[j][0] if decisions[j] else None
            decisions[i] = ("duplicate", f"repeats line {j + 1}" + (f" ({kind})" if kind in ("caption",) else ""))
        else:
            first_seen[key] = i
    # A caption followed by a longer version of itself (the picture's alt
    # text, then its full caption) is the same caption twice.
    previous = None
    for i, f in enumerate(feats):
        if f is None:
            continue
        if previous is not None and not feats[previous].sentence_end:
            shorter, longer = feats[previous].key, f.key
            if len(shorter.split()) >= 6 and longer.startswith(shorter) and longer != shorter:
                decisions[previous] = ("caption", f"caption repeated with more text on line {i + 1}")
                decisions[i] = ("caption", f"caption repeating line {previous + 1} with more text")
        previous = i


def _find_title(feats: list[_Features | None], decisions: list, page_title: str | None) -> int | None:
    """Index of the headline line, or None for a page without one.

    The headline is the line matching the HTML page title, or a Markdown
    ``#`` heading, or else the first headline-shaped line near the top that
    is not already furniture, comes before the article's prose, is not
    followed by a menu (site names are), and has five words or more if any
    such line does (site names and menu entries rarely do).
    """
    candidates = []
    seen = 0
    for i, f in enumerate(feats):
        if f is None:
            continue
        seen += 1
        if seen > _TITLE_WINDOW:
            break
        if decisions[i] is not None:
            continue
        if page_title and _norm(f.text).lstrip("# ") == _norm(page_title):
            return i
        if f.stripped.startswith("# "):
            return i
        if _is_headline_shape(f) and not _is_prose(f) and not _heads_appeal(feats, decisions, i):
            candidates.append(i)
        elif _is_prose(f) and f.words >= 20:
            break  # the article has begun: its headline is above
    candidates = [i for i in candidates if not _followed_by_menu(feats, decisions, i)] or candidates
    if not candidates:
        return None
    long_enough = [i for i in candidates if feats[i].words >= 5]
    return (long_enough or candidates)[0]


def _followed_by_menu(feats: list[_Features | None], decisions: list, i: int) -> bool:
    """True when the next few lines are short labels: a site name's menu."""
    labels = 0
    for f in feats[i + 1 : i + 12]:
        if f is None:
            continue
        if f.words > 3 or f.sentence_end:
            break
        labels += 1
    return labels >= 3


def _heads_appeal(feats: list[_Features | None], decisions: list, i: int) -> bool:
    """True when the next line is an appeal: this line is its heading."""
    following = _neighbour_index(feats, i, 1)
    return following is not None and decisions[following] is not None and decisions[following][1].startswith(_APPEAL_REASON)


def _heading_follows(feats: list[_Features | None], decisions: list, i: int) -> bool:
    """True when the next undecided line, past dropped ones, is prose.

    Captions, bylines and share buttons often stand between a subheading or
    standfirst and the paragraph it introduces, so they are stepped over.
    """
    for j in range(i + 1, min(len(feats), i + 16)):
        f = feats[j]
        if f is None:
            continue
        decided = decisions[j]
        if decided is None and _is_name(f):
            continue  # a byline under a standfirst
        if decided is None:
            return _is_prose(f) or bool(cues.LIST_ITEM.match(f.stripped))
        if decided[0] in KEPT_KINDS:
            return decided[0] == "body"
        if decided[1].startswith(_APPEAL_REASON):
            return False  # the heading of a donation or newsletter box
    return False


def _mark_region(feats: list[_Features | None], decisions: list, title_index: int | None) -> None:
    """Decide the remaining lines by where they stand relative to the article.

    The article runs from the headline to its last paragraph of prose; a
    tail marker (comments, related articles, a footer) after most of the
    prose ends it early. Before the headline is page furniture; after the
    end is page furniture too, except a name on its own line (the byline).
    """
    start = title_index if title_index is not None else -1
    if title_index is not None:
        decisions[title_index] = ("title", "headline: first headline-shaped line above the article's prose")
    prose = [i for i, f in enumerate(feats) if f is not None and decisions[i] is None and i > start and _is_prose(f)]
    prose_set = set(prose)
    total = sum(len(feats[i].stripped) for i in prose) or 1
    running = 0
    tail_marker = None
    for i in range(start + 1, len(feats)):
        f = feats[i]
        if f is None:
            continue
        if running / total >= _TAIL_MIN_SHARE and f.words <= 12 and cues.TAIL_MARKER.match(f.stripped):
            tail_marker = i
            break
        if i in prose_set:
            running += len(f.stripped)
    if tail_marker is not None:
        before = [i for i in prose if i < tail_marker]
        end = before[-1] if before else start
    else:
        end = prose[-1] if prose else start
    kept_since_title = False
    for i, f in enumerate(feats):
        if f is None or decisions[i] is not None:
            if f is not None and i > start and decisions[i][0] in ("body",):
                kept_since_title = True
            continue
        if i < start:
            if _is_prose(f) and f.words >= 25:
                decisions[i] = ("body", "long prose above the headline")
            else:
                decisions[i] = ("boilerplate", "above the headline: page header")
        elif tail_marker is not None and i >= tail_marker:
            marker = _quote(feats[tail_marker].stripped)
            if i == tail_marker:
                decisions[i] = ("boilerplate", f"end of the article: “{marker}”")
            elif _is_name(f) and i <= end + 4:
                decisions[i] = ("byline", "a name on its own line after the article")
            else:
                decisions[i] = ("boilerplate", f"after the end of the article (“{marker}”, line {tail_marker + 1})")
        elif i > end:
            if _is_name(f) and i <= end + 4:
                decisions[i] = ("byline", "a name on its own line after the last paragraph")
            else:
                decisions[i] = ("boilerplate", "after the article's last paragraph")
        elif i in prose_set or (cues.LIST_ITEM.match(f.stripped) and f.words >= 2):
            decisions[i] = ("body", "running text inside the article" if i in prose_set else "list item inside the article")
        elif _is_name(f) and not kept_since_title:
            decisions[i] = ("byline", "a name on its own line under the headline")
        elif not f.stripped.endswith((".", ",", ";")) and f.words <= 25 and _heading_follows(feats, decisions, i):
            decisions[i] = ("heading", "short line introducing a paragraph: heading")
        elif f.sentence_end and f.words >= 2 and not f.question:
            decisions[i] = ("body", "short sentence inside the article")
        elif f.question and f.words >= 3:
            decisions[i] = ("body", "question inside the article")
        else:
            decisions[i] = ("boilerplate", "short line not followed by text: a link or label")
        if i > start and decisions[i][0] == "body":
            kept_since_title = True


def _is_name(f: _Features) -> bool:
    """A person's name alone on a line, optionally after "By"."""
    return bool(cues.NAME_LINE.match(f.stripped)) and not any(
        w.lower() in cues.STOPWORDS and w.lower() != "and" for w in f.stripped.split()[1:]
    )
