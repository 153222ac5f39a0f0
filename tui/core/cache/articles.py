"""The corpus cache as a command reads it: brought up to date first, and each article as a filter sees it."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.cache.corpus_cache import CorpusCache
from tui.core.cache.database import CacheError
from tui.core.cache.notes_index import sync_notes
from tui.core.cache.refresh import update_cache
from tui.core.corpus import Scan
from tui.core.folding import fold


def up_to_date(notes: Path, root: Path, scan: Scan) -> CorpusCache:
    """The corpus cache brought up to date with ``scan`` and the notes folder (only new or changed files are read).

    Raises :class:`CacheError` with one line (a full disk, a locked file) if it cannot be.
    """
    cache = CorpusCache.open(notes, root)
    try:
        update_cache(cache, scan)
        sync_notes(cache, notes)
        return cache
    except sqlite3.Error as error:  # a full disk, a file-size limit: this run goes on with a cache in memory
        cache.close()
        first = error
    cache = CorpusCache.in_memory(root)
    try:
        update_cache(cache, scan)
        sync_notes(cache, notes)
    except sqlite3.Error as error:
        raise CacheError(f"the corpus cache failed: {first}; in memory too: {error}") from None
    return cache


@dataclass
class CachedArticle:
    """An article as the filter expression sees it, from the cache; its cleaned text is read only if the filter looks at words."""

    title: str
    facts: Mapping[str, str]
    tags: Sequence[Collection[str]]
    cache: CorpusCache
    rel: str
    _folded: str | None = None

    def contains(self, folded: str) -> bool:
        """Whether the article's cleaned text, folded, holds ``folded``."""
        if self._folded is None:
            stored = self.cache.stored(self.rel)
            self._folded = fold(stored.text) if stored is not None else ""
        return folded in self._folded
