"""The corpus listing and its first article, read while the reader's UI loads.

Python spends about a quarter of a second importing Textual before the
reader can draw anything. ``FirstLook`` lists the folder and reads and
cleans the first article during those same milliseconds, so the reader's
first frame can show the article instead of "Reading the corpus…".

A thread shares the interpreter's lock with that import: splitting the
listing, compiling the cleaner's patterns and cleaning held it for 60 ms
and made the import wait longer still. So the reader (``child=True``, on
Linux) forks a child process before Textual is imported; the child does
the work on the other core and hands back the listing and the cleaned
article pickled (``Cleaned`` is in :mod:`tui.core.cleaned`, so reading it
back does not import the cleaner). Anything amiss with the child, and the
thread does the work itself.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.corpus import Article, ArticleError, CorpusError, Scan, read_article, scan_corpus

if TYPE_CHECKING:  # the cleaner is imported where the first article is cleaned, in parallel with Textual
    from tui.core.cleaned import Cleaned

#: A first article longer than this is cleaned only as far as its opening
#: (a preview); the reader cleans the whole of it in a worker.
MAX_CHARS = 128_000
#: The child reads a first article of at most this many bytes; a larger one
#: would be read again by the parent (a long one is not passed back pickled).
_CHILD_MAX_BYTES = 4 * MAX_CHARS


class FirstLook:
    """Lists ``root`` and reads its first article in the background (a thread, or a child process), started at once."""

    def __init__(self, root: str | os.PathLike[str], notes: Path | None = None, *, child: bool = False) -> None:
        """``notes``: the notes folder, beside which the corpus cache may already list the corpus.

        ``child``: do the work in a forked child process (Linux only; call
        it before any other thread is started, as the reader does).
        """
        self.root = Path(root)
        self.notes = notes
        self.scan: Scan | None = None
        self.error: CorpusError | None = None
        self.article: Article | None = None  # None if it could not be read (the reader says why) or is long
        self.cleaned: Cleaned | None = None  # the article, cleaned without overrides (the notes are not open yet)
        self.preview = False  # ``cleaned`` is only the opening of a long article
        self._unreadable = False  # the first article could not be read: the reader reads it again and says why
        self._done = threading.Event()
        self._listed: list[os.DirEntry[str]] | None = None  # the child lists the folder itself
        forked = self._fork() if child and sys.platform.startswith("linux") else None
        if forked is None:
            self._listed = self._list_now()
        threading.Thread(target=self._run, args=(forked,), name="dossier-first-look", daemon=True).start()

    def _run(self, forked: tuple[int, int] | None) -> None:
        try:
            if forked is None or not self._from_child(*forked):
                self._list()
            if self.scan is not None and self.scan.files and self.cleaned is None and not self._unreadable:
                self._read_first(long_ones=True)  # (a long first article is read here, not passed from the child)
        except CorpusError as error:
            self.error = error
        finally:
            self._done.set()

    def _list(self) -> None:
        # The cache's listing of the last run is read in a tenth of the time a scan of 100,000 files
        # takes; the reader scans the folder again in its worker and shows what changed.
        self.scan = self._cached() or scan_corpus(self.root, measure=False, listed=self._listed)  # sizes and times later
        self._listed = None

    def _read_first(self, long_ones: bool) -> None:
        """Read and clean the first article (``long_ones``: a long one's opening too; else it is left for the parent)."""
        assert self.scan is not None
        if not long_ones:
            try:
                if (self.root / self.scan.files[0]).stat().st_size > _CHILD_MAX_BYTES:
                    return  # surely long (or a large page): the parent reads it, once
            except OSError:
                return  # the parent's read meets the same error and says why
        try:
            article = read_article(self.root, self.scan.files[0])
        except ArticleError:
            self._unreadable = True
            return
        if len(article.text) <= MAX_CHARS:
            from tui.core.clean import clean_text  # imported here, in parallel with Textual
            from tui.core.language import UNDETERMINED

            # Not waiting for the language model (most of a second): the reader
            # cleans the article again, in its language, once the model is loaded.
            self.cleaned = clean_text(article.text, None, article.page_title, language_code=UNDETERMINED)
            self.article = article
        elif long_ones:
            from tui.core.document import preview_document

            # A long article (50 MB, say): its opening is on the first screen, and the
            # reader cleans the whole of this very text (not read twice) in its worker.
            early = preview_document(article)
            if early is not None:
                self.cleaned, self.article, self.preview = early.cleaned, article, True

    def _fork(self) -> tuple[int, int] | None:
        """Start the child that does the work; its pid and the file it answers in (None: no child, the thread works)."""
        try:
            answer = os.memfd_create("dossier-first-look", os.MFD_CLOEXEC)
        except (AttributeError, OSError):
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(answer)
            return None
        if pid == 0:  # the child: no return from here, whatever happens
            status = 1
            try:
                try:
                    self._list()
                    if self.scan is not None and self.scan.files:
                        self._read_first(long_ones=False)  # a long one would be pickled twice over: the parent reads it
                except CorpusError as error:
                    self.error = error
                found = (self.scan, self.error, self.article, self.cleaned, self._unreadable)
                with open(answer, "wb", closefd=False) as out:
                    out.write(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
                status = 0
            finally:
                os._exit(status)  # no clean-up of the parent's objects, no flush of its buffers
        return pid, answer

    def _from_child(self, pid: int, answer: int) -> bool:
        """Take what the child found; False if it found nothing usable (it failed, or was killed)."""
        try:
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                return False
            found = os.pread(answer, os.fstat(answer).st_size, 0)
            self.scan, self.error, self.article, self.cleaned, self._unreadable = pickle.loads(found)  # our own child's
            return True
        except (OSError, pickle.UnpicklingError, ValueError, TypeError, EOFError):
            return False
        finally:
            os.close(answer)

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
        numbers = list(map(int, positions.split(",")))  # (held the GIL 20 ms as a loop, 11 ms so)
        if len(numbers) != len(stored):
            return None  # not the cache we wrote: the scan answers
        if numbers != sorted(numbers):  # (sorting what is in order is one pass)
            stored = [rel for _, rel in sorted(zip(numbers, stored, strict=True))]
        files = stored if joined.isascii() else [from_db(rel) for rel in stored]  # (an ASCII path is stored as it is)
        return Scan(self.root, files=files, from_cache=True)

    def ready(self) -> bool:
        """Whether the listing (and first article) are in; never blocks."""
        return self._done.is_set()

    def wait(self) -> None:
        """Block until ready (call from a worker thread, not the event loop)."""
        self._done.wait()
