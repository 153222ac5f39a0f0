"""The corpus cache as the rest of Dossier sees it: open it, read rows, ask the evidence.

``CorpusCache`` answers from disk what used to be held in memory for every
article: the list's rows (title, words, warning, annotation count and tags),
an article's cleaned text and kept lines, the lines that recur across the
corpus. Nothing is read until asked, so the reader's memory follows what is
on screen, not the size of the corpus. :mod:`tui.core.cache.refresh` fills
it from a scan; :mod:`tui.core.search.corpus` searches it.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from tui.core.cache.analyse import cleaned_text, cleaner_version, unpack_spans
from tui.core.cache.database import CacheDB, CacheError, cache_path, corpus_id, from_db, to_db, user_cache
from tui.core.evidence import MIN_ARTICLES, line_key

log = logging.getLogger(__name__)

#: A file's row before it has been read: the list shows its path.
PENDING, READ, UNREADABLE = 0, 1, 2

_ROW = (
    "SELECT f.id, f.rel, f.position, f.state, f.title, f.words, f.warning, f.error, f.sha256, f.language, f.facts,"
    " (SELECT sum(count) FROM notes WHERE path = f.rel), (SELECT tags FROM notes WHERE path = f.rel LIMIT 1)"
    " FROM files f"
)
# What the reader's list keeps of each row (no hash, language or position: 100,000 of each would be read for nothing).
_LISTED = (
    "SELECT f.rel, f.title, f.error, f.words, f.warning, f.facts,"
    " (SELECT sum(count) FROM notes WHERE path = f.rel), (SELECT tags FROM notes WHERE path = f.rel LIMIT 1)"
    " FROM files f"
)


def shown_title(rel: str, title: str | None, error: str | None) -> str:
    """The title the list shows: the article's, else why it cannot be read, else its path."""
    if error is not None:
        return f"{rel.rsplit('/', 1)[-1]} (cannot be read: {error})"
    return title if title is not None else rel


@dataclass(frozen=True, slots=True)
class Row:
    """An article as the list shows it; ``title`` is None until the file is read."""

    id: int
    rel: str
    position: int
    state: int
    title: str | None
    words: int | None
    warning: str
    error: str | None
    sha256: str | None
    language: str | None
    facts: str | None  # JSON: what the article says about itself (tui.core.cache.analyse.unpack_facts)
    notes: int
    tags: tuple[str, ...]

    @property
    def shown_title(self) -> str:
        """The title the list shows: the article's, else why it cannot be read, else its path."""
        return shown_title(self.rel, self.title, self.error)


class Listed(NamedTuple):
    """A row as the reader's list takes it: only what the list shows, sorts and filters on.

    ``facts`` and ``tags`` are left as the cache stores them (JSON), for the
    list to read once per distinct value rather than once per row.
    """

    rel: str
    title: str  # as the list shows it (:func:`shown_title`)
    words: int | None
    warning: str
    facts: str | None  # JSON: what the article says about itself (tui.core.cache.analyse.unpack_facts)
    notes: int
    tags: str | None  # JSON list of the tags of its annotations, None when it has none


def _listed(values: Sequence[object]) -> Listed:
    rel, title, error, words, warning, facts, count, tags = values
    rel = from_db(str(rel))
    return Listed(
        rel, shown_title(rel, title if isinstance(title, str) else None, error if isinstance(error, str) else None),
        words if isinstance(words, int) else None, warning if isinstance(warning, str) else "",
        facts if isinstance(facts, str) else None, count if isinstance(count, int) else 0,
        tags if isinstance(tags, str) else None,
    )


def _row(values: Sequence[object]) -> Row:
    (id_, rel, position, state, title, words, warning, error, sha256, language, facts, count, tags) = values
    names = tuple(json.loads(tags)) if isinstance(tags, str) else ()
    return Row(
        int(id_), from_db(str(rel)), int(position), int(state),  # type: ignore[call-overload]
        title if isinstance(title, str) else None, words if isinstance(words, int) else None,
        warning if isinstance(warning, str) else "", error if isinstance(error, str) else None,
        sha256 if isinstance(sha256, str) else None, language if isinstance(language, str) else None,
        facts if isinstance(facts, str) else None, count if isinstance(count, int) else 0, names,
    )


@dataclass(frozen=True)
class Stored:
    """What the cache holds of one read article: enough to place annotations without cleaning it again."""

    rel: str
    sha256: str
    chars: int
    title: str
    text: str  # the cleaned text
    spans: list[tuple[int, int]]  # each kept line's (start, end) in the source
    kinds: tuple[str, ...] = ()  # each kept line's kind (title, heading, body)
    facts: str | None = None  # JSON: what the article says about itself (tui.core.cache.analyse.unpack_facts)


class CorpusCache:
    """The cache of one corpus (and one notes folder's counts), on disk."""

    def __init__(self, db: CacheDB, corpus: Path) -> None:
        self.db = db
        self.corpus = corpus

    @classmethod
    def open(cls, notes: Path, corpus: str | os.PathLike[str]) -> CorpusCache:
        """The cache for ``corpus`` with the notes in ``notes``: beside the notes, else in the user's cache, else in memory.

        Never raises for a folder that cannot be written: the next place is tried.
        """
        places = [cache_path(notes, corpus), user_cache() / f"corpus-{corpus_id(corpus)}.sqlite"]
        for path in dict.fromkeys(places):
            try:
                return cls(CacheDB(path), Path(corpus))
            except CacheError as error:
                log.info("%s", error)
        return cls.in_memory(corpus)  # no place can take a file: a cache for this run only

    @classmethod
    def in_memory(cls, corpus: str | os.PathLike[str]) -> CorpusCache:
        """A cache that lives in this process's memory (no disk can take one): rebuilt at every run."""
        return cls(CacheDB(None), Path(corpus))

    def close(self) -> None:
        """Close every connection."""
        self.db.close()

    @property
    def path(self) -> Path | None:
        """The cache file (None: the cache is in memory)."""
        return self.db.path

    def _sql(self) -> sqlite3.Connection:
        return self.db.connect()

    # --- the list ----------------------------------------------------------

    def count(self) -> int:
        """How many article files the cache lists."""
        return int(self._sql().execute("SELECT count(*) FROM files").fetchone()[0])

    def progress(self) -> tuple[int, int]:
        """(files read, files listed): the list is complete when they are equal."""
        read, listed = self._sql().execute("SELECT count(*) FILTER (WHERE state != 0), count(*) FROM files").fetchone()
        return int(read), int(listed)

    def rows(self, offset: int = 0, limit: int = -1) -> list[Row]:
        """Rows in the list's order, from ``offset``, at most ``limit`` (-1: all)."""
        query = f"{_ROW} ORDER BY f.position LIMIT ? OFFSET ?"
        return [_row(values) for values in self._sql().execute(query, (limit, offset))]

    def listed(self, rels: Iterable[str] | None = None) -> Iterator[Listed]:
        """What the list shows of every row, in the list's order, or of the rows of ``rels`` (those the cache lists).

        One row at a time, as the caller takes them: the list of 100,000
        articles is made without 100,000 rows held at once beside it.
        """
        sql = self._sql()
        if rels is None:
            for values in sql.execute(f"{_LISTED} ORDER BY f.position"):
                yield _listed(values)
            return
        for rel in rels:
            found = sql.execute(f"{_LISTED} WHERE f.rel = ?", (to_db(rel),)).fetchone()
            if found is not None:
                yield _listed(found)

    def rows_by_id(self, ids: Iterable[int]) -> dict[int, Row]:
        """The rows with these ids (those that still exist)."""
        wanted = list(ids)
        found: dict[int, Row] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for values in self._sql().execute(f"{_ROW} WHERE f.id IN ({marks})", chunk):
                row = _row(values)
                found[row.id] = row
        return found

    def row(self, rel: str) -> Row | None:
        """The row of the article at ``rel``, if the cache lists it."""
        values = self._sql().execute(f"{_ROW} WHERE f.rel = ?", (to_db(rel),)).fetchone()
        return None if values is None else _row(values)

    def language(self, rel: str, sha256: str) -> str | None:
        """The language the cleaner identified in the text hashed ``sha256`` at ``rel`` (None: not read, or none told).

        Only a row read from that very text by this version of the cleaner
        answers: cleaning with it is cleaning as the cleaner would, without
        loading the language model into the reader.
        """
        found = self._sql().execute(
            "SELECT language FROM files WHERE rel = ? AND state = ? AND sha256 = ? AND cleaner = ?",
            (to_db(rel), READ, sha256, cleaner_version()),
        ).fetchone()
        return found[0] if found is not None and isinstance(found[0], str) else None

    def ids(self) -> list[int]:
        """Every file's id, in the list's order."""
        return [i for (i,) in self._sql().execute("SELECT id FROM files ORDER BY position")]

    def rels(self) -> list[str]:
        """Every file's path, in the list's order."""
        return [from_db(rel) for (rel,) in self._sql().execute("SELECT rel FROM files ORDER BY position")]

    def refs(self) -> list[tuple[str, str]]:
        """(path, SHA-256 of the text) of every read article, in the list's order: what the notes follow."""
        query = "SELECT rel, sha256 FROM files WHERE state = ? AND sha256 IS NOT NULL ORDER BY position"
        return [(from_db(rel), sha256) for rel, sha256 in self._sql().execute(query, (READ,))]

    def stored(self, rel: str) -> Stored | None:
        """The cleaned text and kept lines of a read article (None if it is not read, or unreadable)."""
        values = self._sql().execute(
            "SELECT sha256, chars, title, text, spans, kinds, facts FROM files WHERE rel = ? AND state = ?", (to_db(rel), READ)
        ).fetchone()
        if values is None:
            return None
        sha256, chars, title, text, spans, kinds, facts = values
        return Stored(rel, sha256, chars, title, cleaned_text(text), unpack_spans(spans), tuple(kinds.split("\n")) if kinds else (), facts)

    # --- what the notes last followed ----------------------------------------------

    def followed(self) -> bool:
        """Whether the notes have followed the corpus as the cache lists it (renames, edits) since it last changed."""
        found = self._sql().execute("SELECT value FROM meta WHERE key = 'followed'").fetchone()
        return found is not None and found[0] == "1"

    def set_followed(self, done: bool) -> None:
        """Record that the notes have followed this listing (True), or that the listing changed since (False)."""
        self._sql().execute(
            "INSERT INTO meta(key, value) VALUES ('followed', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            ("1" if done else "0",),
        )

    # --- the corpus evidence --------------------------------------------------

    def evidence(self) -> StoredEvidence:
        """The lines that recur across the corpus, answered from the cache."""
        return StoredEvidence(self.db)


class StoredEvidence:
    """:class:`~tui.core.evidence.Evidence` read from the cache, one line at a time (any thread)."""

    def __init__(self, db: CacheDB, min_articles: int = MIN_ARTICLES) -> None:
        self.db = db
        self.min_articles = min_articles

    def count(self, line: str) -> int:
        """In how many of the corpus's articles ``line`` appears."""
        try:
            found = self.db.connect().execute("SELECT n FROM evidence WHERE key = ?", (line_key(line),)).fetchone()
        except sqlite3.Error as error:  # evidence only ever drops more: without it the page is cleaned on its own
            log.info("corpus evidence unavailable: %s", error)
            return 0
        return int(found[0]) if found else 0

    def recurs(self, line: str) -> int:
        """The number of articles ``line`` appears in if that makes it boilerplate, else 0."""
        n = self.count(line)
        return n if n >= self.min_articles else 0
