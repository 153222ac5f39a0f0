"""Paragraphs, sentences and words of a text, as character offsets.

The reader's passage cursor steps over these spans; every span is a
``(start, end)`` pair of ``str`` indices into the text it was cut from, so a
selection maps straight back to the source through ``Cleaned.to_source``.
Pure Python: no Textual, no Rich.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator

Span = tuple[int, int]

# A paragraph is a run of non-blank lines; blank lines (possibly holding
# spaces) separate paragraphs.
_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
_WORD = re.compile(r"\S+")
# A sentence ends at a full stop, question or exclamation mark of any script
# (Latin, Arabic ``؟`` and Urdu ``۔``, Devanagari ``।`` ``॥``, Armenian,
# Ethiopic), possibly doubled, then closing quotes or brackets, then white
# space; the next sentence must not start in lower case (see
# :func:`_starts_sentence`), which spares "e.g. this". Chinese and Japanese
# full stops end a sentence with no space after them.
_SPACED_ENDS = ".!?…؟۔।॥։።"
_UNSPACED = "。！？"
_SENTENCE_END = re.compile(rf"[{_SPACED_ENDS}]+[\"'”’»)\]\u200e\u200f]*(?=\s)|[{_UNSPACED}]+[」』”’）)\]]*")
_UNSPACED_ENDS = frozenset(_UNSPACED)
# Every character a sentence end starts with: searched first, the pattern above tried only where one
# stands (its two branches start with a class each, so SRE cannot skip ahead: three times slower).
_ENDER = re.compile(f"[{_SPACED_ENDS}{_UNSPACED}]")
# What may open a sentence before its first letter.
_OPENERS = "\"'“‘«„([¿¡-–—"
# Abbreviations whose full stop does not end a sentence: English, then a few
# common in German, French, Spanish, Russian and Turkish news.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st mt jr sr gen col lt sgt capt gov sen rep rev vs etc inc ltd co corp no fig approx dept est "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "bzw ca vgl nr str mme mlle sra srta dra av им ул см др тыс млн млрд руб гг вв bkz vb".split()
)


def paragraphs(text: str) -> list[Span]:
    """The paragraphs of ``text``: runs of non-blank lines, without surrounding blanks."""
    spans = []
    for match in _PARAGRAPH.finditer(text):
        start, end = match.span()
        # Leading and trailing spaces are not part of the passage.
        while text[start].isspace():
            start += 1
        while text[end - 1].isspace():
            end -= 1
        spans.append((start, end))
    return spans


def line_paragraphs(lines: Iterable[str], separator: int = 2) -> list[Span]:
    """The reader's paragraphs of a cleaned text: one per kept line, without its leading and trailing spaces.

    ``lines`` are the kept lines' texts, which the cleaned text joins with
    ``separator`` characters (a blank line). The reader's cursor and
    ``dossier agree`` both step over these, so they count the same units.
    """
    spans, offset = [], 0
    for line in lines:
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        spans.append((offset + lead, offset + lead + len(stripped)))
        offset += len(line) + separator
    return spans


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The sentences of ``text[start:end]`` (one paragraph, usually), as offsets into ``text``."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    begin = start
    for match in _sentence_ends(text, start, end):
        stop = match.end()
        if text[match.start()] not in _UNSPACED_ENDS and (
            not _starts_sentence(text, stop, end) or _is_abbreviation(text, begin, match.start())
        ):
            continue
        if stop > begin:
            spans.append((begin, stop))
        begin = stop
        while begin < end and text[begin].isspace():
            begin += 1
    tail_end = end
    while tail_end > begin and text[tail_end - 1].isspace():
        tail_end -= 1
    if tail_end > begin:
        spans.append((begin, tail_end))
    return spans


def _sentence_ends(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """``_SENTENCE_END.finditer(text, start, end)``, found faster (see ``_ENDER``)."""
    pos = start
    while (ender := _ENDER.search(text, pos, end)) is not None:
        found = _SENTENCE_END.match(text, ender.start(), end)
        if found is None:
            pos = ender.start() + 1
        else:
            yield found
            pos = found.end()


def _starts_sentence(text: str, index: int, end: int) -> bool:
    """Whether the text after white space at ``index`` can open a sentence: not a lower-case letter.

    Capitals of every cased script (Latin, Cyrillic, Greek, Armenian),
    digits, and letters of scripts without case (Arabic, Hebrew, Devanagari)
    all can; an opening quote or bracket is stepped over first.
    """
    while index < end and text[index].isspace():
        index += 1
    while index < end and text[index] in _OPENERS:
        index += 1
    return index < end and not text[index].islower()


def _is_abbreviation(text: str, begin: int, dot: int) -> bool:
    """Whether the full stop at ``dot`` closes an abbreviation or an initial (``Mr.``, ``J.``, ``U.S.``)."""
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > begin and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].strip("\"'“‘(")
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True  # an initial ("John F. Kennedy") or a one-letter abbreviation ("в 2020 г.")
    if "." in word:
        return True  # "U.S." and the like
    return word.casefold() in _ABBREVIATIONS


def all_sentences(text: str, paras: list[Span] | None = None) -> list[Span]:
    """Every sentence of ``text``, paragraph by paragraph (a sentence never spans paragraphs)."""
    out: list[Span] = []
    for start, end in paras if paras is not None else paragraphs(text):
        out.extend(sentences(text, start, end))
    return out


def words(text: str, start: int, end: int) -> Iterator[Span]:
    """The white-space separated words inside ``text[start:end]``."""
    for match in _WORD.finditer(text, start, end):
        yield match.span()


def trim_end(text: str, start: int, end: int) -> Span:
    """The selection without its last word (unchanged if it holds one word only)."""
    spans = list(words(text, start, end))
    return (start, spans[-2][1]) if len(spans) > 1 else (start, end)


def trim_start(text: str, start: int, end: int) -> Span:
    """The selection without its first word (unchanged if it holds one word only)."""
    first_two = []
    for span in words(text, start, end):
        first_two.append(span)
        if len(first_two) == 2:
            return (span[0], end)
    return (start, end)


def grow_end(text: str, start: int, end: int) -> Span:
    """The selection extended to the end of the next word (unchanged at the end of the text)."""
    match = _WORD.search(text, end)
    return (start, match.end()) if match else (start, end)


def grow_start(text: str, start: int, end: int) -> Span:
    """The selection extended to the start of the previous word (unchanged at the start of the text)."""
    # Look back in growing windows so a huge text is never scanned whole.
    window = 256
    while True:
        lo = max(0, start - window)
        found = [m.start() for m in _WORD.finditer(text, lo, start)]
        # A word cut by the window edge might start earlier: widen and retry.
        if found and (found[-1] > lo or lo == 0):
            return (found[-1], end)
        if lo == 0:
            return (start, end)
        window *= 4


def index_at(spans: list[Span], offset: int) -> int:
    """The index of the span holding ``offset``, else of the last span before it (0 if none)."""
    starts = [s for s, _ in spans] if not isinstance(spans, _Starts) else spans.starts
    return max(0, bisect_right(starts, offset) - 1)


class _Starts(list[Span]):
    """A span list that remembers its start offsets, so ``index_at`` need not rebuild them."""

    starts: list[int]


def indexed(spans: list[Span]) -> list[Span]:
    """``spans`` as a list that ``index_at`` searches without copying (for long articles)."""
    out = _Starts(spans)
    out.starts = [s for s, _ in spans]
    return out
