"""Lines that recur across the articles of one corpus: evidence of boilerplate.

An outlet prints the same footer, newsletter box, cookie notice and "most
read" heading under every one of its articles. Whatever the language, a line
found in many articles of a corpus is not the text of any one of them. A
:class:`CorpusEvidence` counts, for each line, in how many articles it
appears; :func:`tui.core.clean.clean_text` takes it as ``evidence=`` and
drops such lines with a reason that says so ("appears in 14 articles of this
corpus").

Lines are compared by :func:`tui.core.line_features.corpus_key` (case, white
space and numbers folded: "© 2023" and "© 2024" are one line). Only the
keys' 64-bit hashes (:func:`line_key`) are kept, so a corpus of thousands
of articles costs a few megabytes; they are the same in every process, so
the corpus cache stores them (``tui.core.cache``) and answers
:class:`Evidence` from disk for corpora too large to count in memory.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from tui.core.line_features import corpus_key

#: A line in this many articles of a corpus is boilerplate (an outlet's
#: furniture); fewer could be a quotation two articles share.
MIN_ARTICLES = 3


def line_key(line: str) -> int:
    """A line's identity across the corpus as a signed 64-bit number (stable across processes)."""
    return int.from_bytes(hashlib.blake2b(corpus_key(line).encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def line_keys(text: str) -> set[int]:
    """The keys of the distinct non-blank lines of ``text`` (each counts once per article)."""
    return {line_key(line) for line in text.split("\n") if line and not line.isspace()}


class Evidence(Protocol):
    """What the cleaner asks of a corpus's evidence."""

    def recurs(self, line: str) -> int:
        """The number of articles ``line`` appears in if that makes it boilerplate, else 0."""


class CorpusEvidence:
    """How many articles of a corpus each line appears in.

    Build it from all the texts at once (:meth:`from_texts`) or feed it
    article by article (:meth:`add`) while a corpus loads; remove an article
    that changed or left the corpus with :meth:`discard`.
    """

    def __init__(self, min_articles: int = MIN_ARTICLES) -> None:
        if min_articles < 2:
            raise ValueError("a line must appear in at least 2 articles to count as recurring")
        self.min_articles = min_articles
        self.articles = 0
        self._counts: Counter[int] = Counter()

    @classmethod
    def from_texts(cls, texts: Iterable[str], min_articles: int = MIN_ARTICLES) -> CorpusEvidence:
        """Evidence counted over ``texts``, the articles of one corpus."""
        evidence = cls(min_articles)
        for text in texts:
            evidence.add(text)
        return evidence

    def add(self, text: str) -> None:
        """Count the lines of one more article."""
        self._counts.update(line_keys(text))
        self.articles += 1

    def discard(self, text: str) -> None:
        """Stop counting the lines of an article added before (it changed or left the corpus)."""
        self._counts.subtract(line_keys(text))
        self.articles = max(0, self.articles - 1)

    def count(self, line: str) -> int:
        """In how many of the counted articles ``line`` appears."""
        return self._counts.get(line_key(line), 0)

    def recurs(self, line: str) -> int:
        """The number of articles ``line`` appears in if that makes it boilerplate, else 0."""
        n = self._counts.get(line_key(line), 0)
        return n if n >= self.min_articles else 0
