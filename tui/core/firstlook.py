"""The corpus listing and its first article, read while the reader's UI loads.

Python spends about a quarter of a second importing Textual before the
reader can draw anything. ``FirstLook`` lists the folder and reads and
cleans the first article in a thread during those same milliseconds, so the
reader's first frame can show the article instead of "Reading the corpus…".
"""

from __future__ import annotations

import contextlib
import os
import threading
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.corpus import Article, ArticleError, CorpusError, Scan, read_article, scan_corpus

if TYPE_CHECKING:  # the cleaner is imported in the thread, in parallel with Textual
    from tui.core.clean import Cleaned

#: A first article longer than this is cleaned only as far as its opening
#: (a preview); the reader cleans the whole of it in a worker.
MAX_CHARS = 128_000


class FirstLook:
    """Lists ``root`` and reads its first article in a background thread, started at once."""

    def __init__(self, root: str | os.PathLike[str], notes: Path | None = None) -> None:
        """``notes``: the notes folder, beside which the corpus cache may already list the corpus."""
        self.root = Path(root)
        self.notes = notes
        self.scan: Scan | None = None
        self.error: CorpusError | None = None
        self.article: Article | None = None  # None if it could not be read (the reader says why) or is long
        self.cleaned: Cleaned | None = None  # the article, cleaned without overrides (the notes are not open yet)
        self.preview = False  # ``cleaned`` is only the opening of a long article
        self._listed = self._list_now()
        self._done = threading.Event()
        threading.Thread(target=self._run, name="dossier-first-look", daemon=True).start()

    def _run(self) -> None:
        try:
            # The cache's listing of the last run is read in a tenth of the time a scan of 100,000 files
            # takes; the reader scans the folder again in its worker and shows what changed.
            self.scan = self._cached() or scan_corpus(self.root, measure=False, listed=self._listed)  # sizes and times later
            self._listed = None
            if self.scan.files:
                article = read_article(self.root, self.scan.files[0])
                if len(article.text) <= MAX_CHARS:
                    from tui.core.clean import clean_text  # imported here, in parallel with Textual
                    from tui.core.language import UNDETERMINED

                    # Not waiting for the language model (most of a second): the reader
                    # cleans the article again, in its language, once the model is loaded.
                    self.cleaned = clean_text(article.text, None, article.page_title, language_code=UNDETERMINED)
                    self.article = article
                else:
                    from tui.core.document import preview_document

                    # A long article (50 MB, say): its opening is on the first screen, and the
                    # reader cleans the whole of this very text (not read twice) in its worker.
                    early = preview_document(article)
                    if early is not None:
                        self.cleaned, self.article, self.preview = early.cleaned, article, True
        except CorpusError as error:
            self.error = error
        except ArticleError:
            pass  # the reader reads it again and shows the reason
        finally:
            self._done.set()

    def _list_now(self) -> list[os.DirEntry[str]] | None:
        """The corpus folder's entries, listed here and now when no cache lists them (None: the thread lists).

        ``os.scandir`` lets go of the GIL for every entry, and while Textual
        is imported on the main thread it took the GIL back only every 5 ms:
        a thread listed 100,000 files only once the import was over. Listed
        here, before that import, they take a twentieth of a second.
        """
        from tui.core.cache.database import cache_path

        if self.notes is not None and cache_path(self.notes, self.root).is_file():
            return None  # the thread reads the cache's listing: one query
        try:
            with os.scandir(self.root) as found:
                return list(found)
        except OSError:
            return None  # the scan in the thread meets the same error and says why

    def _cached(self) -> Scan | None:
        """The corpus as the cache listed it at the last run, read-only; None if there is no such cache."""
        if self.notes is None:
            return None
        import sqlite3

        from tui.core.cache.database import SCHEMA_VERSION, UPGRADABLE, cache_path, from_db

        path = cache_path(self.notes, self.root)
        if not path.is_file():
            return None
        try:
            with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)) as conn:
                if conn.execute("PRAGMA user_version").fetchone()[0] not in (SCHEMA_VERSION, UPGRADABLE):  # its files table is the same
                    return None
                # One row, not 100,000: each row's step lets go of the GIL, and while Textual is being
                # imported on the main thread, taking it back cost up to 5 ms a row (0.6 s, not 0.06).
                # The aggregate's order is not promised (SQLite before 3.44 cannot say it): checked.
                joined, positions = conn.execute(
                    "SELECT group_concat(rel, char(0)), group_concat(position) FROM (SELECT rel, position FROM files ORDER BY position)"
                ).fetchone()
        except sqlite3.Error:
            return None  # damaged or locked: the scan answers, and the worker replaces the cache
        if not joined:
            return None
        stored = joined.split("\0")  # no path holds a NUL
        numbers = [int(n) for n in positions.split(",")]
        if len(numbers) != len(stored):
            return None  # not the cache we wrote: the scan answers
        if any(a > b for a, b in pairwise(numbers)):
            stored = [rel for _, rel in sorted(zip(numbers, stored, strict=True))]
        files = stored if joined.isascii() else [from_db(rel) for rel in stored]  # (an ASCII path is stored as it is)
        return Scan(self.root, files=files, from_cache=True)

    def ready(self) -> bool:
        """Whether the listing (and first article) are in; never blocks."""
        return self._done.is_set()

    def wait(self) -> None:
        """Block until ready (call from a worker thread, not the event loop)."""
        self._done.wait()
