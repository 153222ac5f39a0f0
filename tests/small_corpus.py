"""The small corpus the corpus cache tests read, and the checks they share.

Three articles the cleaner keeps whole, two files that cannot be read, and
the checks that the cache's evidence and full-text index answer exactly
what the articles hold (see ``tests/cached_corpus.py`` for the corpus and
its cache).
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.cached_corpus import CachedCorpus
from tui.core.evidence import CorpusEvidence, line_keys
from tui.core.folding import fold

# --- a small corpus the cleaner keeps whole --------------------------------------

HARBOUR = (
    "Harbour plans divide the town council\n"
    "\n"
    "The committee met on Tuesday to discuss the harbour plans for the coming year.\n"
    "\n"
    "Officials said the budget would be reviewed again in the spring by the council.\n"
)
FERRY = (
    "Ferry terminal noise angers residents\n"
    "\n"
    "Residents have complained for months about the noise from the new ferry terminal.\n"
    "\n"
    "It is not clear whether the minister will attend the meeting, a spokesman said.\n"
)
RIVER = (
    "Floods across the northern valleys\n"
    "\n"
    "The river burst its banks after a week of heavy rain across the northern valleys.\n"
    "\n"
    "Prices rose by three per cent in the last quarter, according to the statistics office.\n"
)
LIGHTHOUSE = (
    "Lighthouse repairs approved\n"
    "\n"
    "The committee approved the lighthouse repairs after a short debate on Thursday evening.\n"
)
ARTICLES = {"harbour.txt": HARBOUR, "ferry.md": FERRY, "sub/river.txt": RIVER}
UNREADABLE_FILES = {"empty.txt": b"", "binary.txt": b"\x00\x01 not text \x00" * 8}
#: Every listed file, in the list's (natural) order.
LISTED = ["binary.txt", "empty.txt", "ferry.md", "harbour.txt", "sub/river.txt"]


def filled(root: Path) -> CachedCorpus:
    """The small corpus, written and read into its cache (a cold update)."""
    corpus = CachedCorpus(root)
    corpus.write_all(ARTICLES.items())
    corpus.write_all(UNREADABLE_FILES.items())
    corpus.write("cover.pdf", b"%PDF-1.4")  # not an article file: never listed
    corpus.update()
    return corpus


def never(*args, **kwargs):
    raise AssertionError("nothing should be read here")


def sql(corpus: CachedCorpus, query: str, *args: object) -> list[tuple]:
    return corpus.cache.db.connect().execute(query, args).fetchall()


def fts_rels(corpus: CachedCorpus, word: str) -> set[str]:
    """The files whose indexed title or text holds ``word`` as a token, straight from the FTS table."""
    rows = sql(corpus, "SELECT f.rel FROM text_index JOIN files f ON f.id = text_index.rowid WHERE text_index MATCH ?", f'"{word}"')
    return {rel for (rel,) in rows}


def sources(corpus: CachedCorpus) -> dict[str, str]:
    """The decoded source text of every file the cache has read."""
    return {rel: corpus.source(rel) for rel in corpus.read_rels()}


def assert_evidence_is_counted_over(corpus: CachedCorpus, texts: dict[str, str], lines_ever: set[str]) -> None:
    """The cache's evidence is exactly ``CorpusEvidence.from_texts`` over ``texts``: every count, and no stale key."""
    expected = CorpusEvidence.from_texts(texts.values())
    stored = corpus.cache.evidence()
    for line in lines_ever:
        assert stored.count(line) == expected.count(line), line
        assert stored.recurs(line) == expected.recurs(line), line
    keys = set().union(*(line_keys(text) for text in texts.values()))
    rows = dict(sql(corpus, "SELECT key, n FROM evidence"))
    assert set(rows) == keys
    assert all(n > 0 for n in rows.values())


def index_answers(corpus: CachedCorpus) -> None:
    """Every word of every read article's title and cleaned text is found in the index in exactly the articles that hold it."""
    holders: dict[str, set[str]] = {}
    for rel in corpus.read_rels():
        stored = corpus.cache.stored(rel)
        assert stored is not None
        for word in set(_words(fold(stored.title)) + _words(fold(stored.text))):
            holders.setdefault(word, set()).add(rel)
    for word, rels in holders.items():
        assert fts_rels(corpus, word) == rels, word


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def many_articles(count: int) -> dict[str, str]:
    return {
        f"m{n}.txt": f"Report number {n} on the quarry\n\n"
        f"Article number {n} reports that the quarry expansion was approved by the council on Monday.\n\n"
        f"Residents of street {n} said they would appeal against the decision before the summer.\n"
        for n in range(count)
    }
