"""A real corpus folder, notes folder and corpus cache for the cache and search tests.

Everything goes through the code the reader and the command line run:
articles are files in a folder, :func:`~tui.core.corpus.scan_corpus` lists
them, :func:`~tui.core.cache.refresh.update_cache` reads them into the
SQLite cache, annotations are saved by the real notes store and counted by
:func:`~tui.core.cache.notes_index.sync_notes`. Nothing is faked.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

from tui.core.cache.corpus_cache import READ, CorpusCache
from tui.core.cache.notes_index import sync_notes
from tui.core.cache.refresh import Listing, Progress, update_cache
from tui.core.corpus import read_article, scan_corpus
from tui.core.notes.model import Annotation, ArticleRef
from tui.core.notes.store import Store
from tui.core.search.corpus import CorpusSearch
from tui.core.search.query import SearchResult


class CachedCorpus:
    """``<root>/corpus`` and ``<root>/notes``, and the cache of that corpus (beside the notes)."""

    def __init__(self, root: Path) -> None:
        self.corpus = root / "corpus"
        self.notes = root / "notes"
        self.corpus.mkdir(parents=True, exist_ok=True)
        self.notes.mkdir(parents=True, exist_ok=True)
        self.cache = CorpusCache.open(self.notes, self.corpus)
        self.searcher = CorpusSearch(self.cache)

    def close(self) -> None:
        self.cache.close()

    # --- the corpus ---------------------------------------------------------

    def write(self, rel: str, content: str | bytes) -> Path:
        """Write an article file (text as UTF-8)."""
        path = self.corpus / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_bytes(content)
        return path

    def write_all(self, articles: Iterable[tuple[str, str | bytes]]) -> None:
        for rel, content in articles:
            self.write(rel, content)

    def remove(self, rel: str) -> None:
        (self.corpus / rel).unlink()

    def update(self, progress: Progress | None = None, stop: threading.Event | None = None, processes: int | None = 1) -> Listing:
        """Scan the corpus and bring the cache up to date (in this thread unless ``processes`` says otherwise)."""
        return update_cache(self.cache, scan_corpus(self.corpus), progress, stop, processes)

    def source(self, rel: str) -> str:
        """The article's decoded source text: what every offset refers to."""
        return read_article(self.corpus, rel).text

    def kept_lines(self, rel: str) -> list[tuple[int, int]]:
        """The source spans of the lines the cache kept for ``rel`` (its paragraphs)."""
        stored = self.cache.stored(rel)
        assert stored is not None, f"{rel} is not read into the cache"
        return stored.spans

    def read_rels(self) -> list[str]:
        return [row.rel for row in self.cache.rows() if row.state == READ]

    # --- notes ------------------------------------------------------------------

    def annotate(
        self, rel: str, quote: str, note: str = "", tags: Iterable[str] = (), occurrence: int = 0, analyst: str | None = None,
    ) -> Annotation:
        """Annotate the ``occurrence``-th ``quote`` of the article through the real store (as ``analyst``), then sync the cache."""
        text = self.source(rel)
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(quote, start + 1)
        with Store.open(self.notes) as store:
            if analyst is not None:
                store.analyst = analyst
            annotation = store.add(ArticleRef.of(rel, text), text, start, start + len(quote), list(tags), note)
        self.sync()
        return annotation

    def store(self) -> Store:
        """The notes store, opened for writing (close it, or use it in a ``with``)."""
        return Store.open(self.notes)

    def sync(self) -> int:
        return sync_notes(self.cache, self.notes)

    # --- search ---------------------------------------------------------------

    def search(self, query: str, limit: int = 200, analysts: frozenset[str] | None = None) -> SearchResult:
        return self.searcher.search(query, limit, analysts)


def set_mtime(path: Path, seconds: int) -> None:
    """Give a file a modification time of its own, whatever the clock's resolution."""
    os.utime(path, ns=(seconds * 1_000_000_000, seconds * 1_000_000_000))
