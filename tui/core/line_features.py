"""What the cleaner sees in one line of a page, in any language and script.

The shape of a line tells most of its story whatever the language: how many
words it has (counted from characters in scripts written without spaces),
whether it ends like a sentence (``.`` but also ``。`` ``؟`` ``।`` ``۔``),
whether it starts in lower case, how it is punctuated. The one word-based
measure, the share of common words, uses the page language's stoplist and
only refines what the shape says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.core import cues, furniture_words
from tui.core.language import unspaced_letters

#: What may close a sentence after its final punctuation: quotes, brackets,
#: emphasis, and the invisible direction and joining marks of right-to-left text.
CLOSERS = "\"'”’»)]*_ \t」』）\u200e\u200f\u202c\u200b\ufeff"
#: Marks that end a sentence in the world's scripts: Latin, Greek (``;``), Arabic
#: and Urdu (``؟`` ``۔``), Devanagari (``।`` ``॥``), Chinese and Japanese
#: (full-width), Armenian, Ethiopic, Myanmar, Khmer, Tibetan. The colon
#: counts too: a line ending in one introduces what follows.
SENTENCE_MARKS = frozenset(".!?…:;。！？．：؟۔।॥։።။។།")
QUESTION_MARKS = frozenset("?!？！؟")
#: A line of more words than this is running text by its length alone.
LONG_LINE_WORDS = 25
#: Running text in any language is a third to a half common words; a long
#: line without a full stop and with fewer than this share is a list (tags,
#: names, an archive).
_LIST_SHARE = 0.12

_DIGITS = re.compile(r"\d+")
_NONE: frozenset[str] = frozenset()
#: Words that trigger a guarded vocabulary pattern, in English or another language.
TRIGGER_WORDS = cues.TRIGGER_WORDS | furniture_words.trigger_words()


@dataclass(slots=True)
class Features:
    """What the rules look at in one non-blank line (never changed once made: lines share them)."""

    stripped: str
    words: int  # words, or for unspaced scripts about one per two characters
    tokens: int  # whitespace-separated pieces: words, numbers, symbols
    sentence_end: bool
    question: bool
    starts_lower: bool
    cue_words: frozenset[str]  # its words that trigger a vocabulary rule (see TRIGGER_WORDS)
    key: str  # lower case, white space folded: what "the same line" means
    stopword_share: float = -1.0  # share of the page language's common words in a long line; -1 when unknown
    prose: bool = False  # reads as running text (see is_prose), worked out once


def features(stripped: str, stopwords: frozenset[str] = frozenset()) -> Features:
    """The features of one non-blank line without its surrounding white space.

    ``stopwords`` are the common words of the page's language.
    """
    lower = stripped.lower()
    found = cues.WORD.findall(lower)
    tokens = stripped.count(" ") + 1
    words = len(found)
    if len(stripped) >= 8 * tokens:  # long pieces between spaces: maybe a script without spaces
        words += _unspaced_words(stripped, tokens)
    last = stripped.rstrip(CLOSERS)[-1:]
    share = -1.0
    if stopwords and words >= LONG_LINE_WORDS and found:  # only long lines need it (see is_prose)
        share = sum(map(stopwords.__contains__, found)) / len(found)
    f = Features(  # positional: a page has hundreds of lines
        stripped,
        words,
        tokens,
        # Semicolons end Greek questions but mostly join clauses elsewhere.
        last in SENTENCE_MARKS and last != ";",
        last in QUESTION_MARKS,
        stripped[:1].islower(),
        # Most lines hold no trigger word; testing first spares building a set.
        _NONE if TRIGGER_WORDS.isdisjoint(found) else TRIGGER_WORDS.intersection(found),
        # Runs of white space inside a line are rare: fold them only when present.
        " ".join(lower.split()) if "  " in lower or "\t" in lower or "\xa0" in lower else lower,
        share,
    )
    f.prose = is_prose(f)
    return f


def _unspaced_words(stripped: str, pieces: int) -> int:
    """About how many words ``stripped`` holds in scripts written without spaces (two characters each).

    Only a line whose pieces between spaces are long on average can hold
    such text: the count is skipped for the rest, which is most lines.
    """
    if len(stripped) < 8 * pieces or stripped.isascii():
        return 0
    return unspaced_letters(stripped) // 2


def corpus_key(text: str) -> str:
    """A line's identity across articles: lower case, white space folded, numbers as ``0``.

    Footers and counters differ by a year or a count from page to page
    ("© 2023", "Comments (12)"); they are still the same line.
    """
    return _DIGITS.sub("0", " ".join(text.lower().split()))


def is_prose(f: Features) -> bool:
    """A line that reads as running text: sentences, not a label or a link.

    Language-independent: enough words, ending like a sentence. A lone
    short question is a headline shape ("Are relations falling apart?"),
    so a question or exclamation needs ten words. Only a long line without
    a full stop consults the page language's common words: with almost
    none of them it is a list of names or tags. (Sentences never do, so a
    page whose language was mistaken, or that mixes two, keeps its prose.)
    """
    if f.words >= LONG_LINE_WORDS and not f.sentence_end:
        return f.stopword_share < 0 or f.stopword_share >= _LIST_SHARE
    if not f.sentence_end:
        return False
    return f.words >= (10 if f.question else 5)


#: What :func:`sketch` says of a line: neither, running text, a paragraph.
OTHER, PROSE, PARAGRAPH = 0, 1, 2


def sketch(stripped: str) -> int:
    """A first, cheap look at a non-blank line: :data:`OTHER`, :data:`PROSE` or :data:`PARAGRAPH`.

    Counts pieces between spaces rather than words, so it costs a fraction
    of :func:`features`: the cleaner sketches every line of a page to find
    where its article is, then looks closely only at the lines around it.
    A paragraph is a long sentence-like line, what an analyst reads as one.
    """
    if len(stripped) < 8:  # too short for five words and a full stop, in any script
        return OTHER
    pieces = stripped.count(" ") + 1
    if len(stripped) >= 8 * pieces:  # long pieces: maybe a script without spaces
        pieces += _unspaced_words(stripped, pieces)
    last = stripped.rstrip(CLOSERS)[-1:]
    if last in SENTENCE_MARKS and last != ";":
        if last in QUESTION_MARKS:
            return PROSE if pieces >= 10 else OTHER
        if pieces >= 12:
            return PARAGRAPH
        return PROSE if pieces >= 5 else OTHER
    return PROSE if pieces >= LONG_LINE_WORDS else OTHER


def is_headline_shape(f: Features) -> bool:
    """A line shaped like a headline or subheading: mostly words, no full stop."""
    if not 3 <= f.words <= LONG_LINE_WORDS or f.starts_lower or f.words < 0.6 * f.tokens:
        return False
    return not f.stripped.endswith((".", ",", ";", ":", "。", "،")) or f.stripped.endswith("...")


def is_name(f: Features, stopwords: frozenset[str]) -> bool:
    """A person's name alone on a line, optionally after "By" (in any cased script).

    Two to four capitalised words (initials allowed), optionally joined by
    "and" or "&" to a second name; past the first word, none is a common
    word of the page's language ("By the end" is no name).
    """
    if f.tokens < 2 or f.tokens > 7 or f.sentence_end or f.starts_lower:
        return False
    parts = f.stripped.split()
    if len(parts) > 2 and parts[0].lower() in cues.BY_WORDS:
        parts = parts[1:]
    joiners = [k for k, part in enumerate(parts) if part.lower() in cues.NAME_JOINERS]
    if len(joiners) > 1 or (joiners and joiners[0] < 2):
        return False  # one "and", after a first and last name: "Regionalität und Handel" is no name
    names = [part for k, part in enumerate(parts) if k not in joiners]
    if not 2 <= len(names) <= 6:
        return False
    for n, word in enumerate(names):
        if not word[:1].isupper() or not word.translate(_NAME_MARKS).isalpha():
            return False
        if n and (word.lower() in stopwords or word.lower() in cues.STOPWORDS):
            return False
    return True


_NAME_MARKS = str.maketrans("", "", ".-'’")
