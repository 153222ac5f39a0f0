"""Bringing the cache up to date with a scan of the corpus: only what changed is read again.

Two steps. :func:`take_listing` makes the cache list exactly the scanned
files, in order, in one short transaction: new files are listed unread, a
file gone is forgotten, a renamed file (same bytes under a new path) keeps
its row. It returns the files to read: new ones, ones whose size or time
changed and whose bytes did too, and ones read by another version of the
cleaner. :func:`read_files` reads them (in other processes when there are
many) and stores each, a batch per transaction, so a reader of the cache
sees the list fill in and a crash loses at most a batch.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import sqlite3
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from tui.core.cache.analyse import Analysed, analyse, analyse_many, cleaned_text, cleaner_version, unpack_keys
from tui.core.cache.corpus_cache import PENDING, READ, UNREADABLE, CorpusCache
from tui.core.cache.database import BUSY_SECONDS, from_db, is_damage, to_db, transaction
from tui.core.corpus import ArticleError, Scan, read_bytes
from tui.core.folding import fold

log = logging.getLogger(__name__)

#: Files read in one task of the process pool, and stored in one transaction.
BATCH = 32
#: Fewer files than this are read in the calling thread: starting processes
#: (each loads the cleaner and the language model) costs about a second.
POOL_MIN = 200
#: ... or when they are this big: a 50 MB article is cleaned in a process of its own, so the reader's memory
#: stays that of what it shows, and the cleaning does not hold the reader's interpreter lock for seconds.
POOL_BYTES = 8_000_000

Work = tuple[str, int, int]  # (rel, size, mtime_ns)
#: Told after each batch is stored: (files done, files to do, the batch's paths).
Progress = Callable[[int, int, list[str]], object]


@dataclass
class Listing:
    """What :func:`take_listing` found: the files to read, and what it did without reading."""

    work: list[Work]
    added: int = 0
    removed: int = 0
    renamed: int = 0
    unchanged_bytes: int = 0  # touched files whose bytes had not changed


def take_listing(cache: CorpusCache, scan: Scan) -> Listing:
    """Make the cache list exactly ``scan``'s files in its order; return the files that need reading.

    A cache found damaged here (every start comes through here first) is
    thrown away and listed again from scratch: never repaired, never trusted.
    """
    try:
        return _take_listing(cache, scan)
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise
        cache.db.reset(str(error))
    return _take_listing(cache, scan)


def _take_listing(cache: CorpusCache, scan: Scan) -> Listing:
    scan.measure()
    conn = cache.db.connect()
    version = cleaner_version()
    known = {
        from_db(rel): (id_, size, mtime, state, digest, cleaner)
        for rel, id_, size, mtime, state, digest, cleaner in conn.execute(
            "SELECT rel, id, size, mtime_ns, state, digest, cleaner FROM files"
        )
    }
    stats = scan.stats
    listing = Listing([])
    gone = [rel for rel in known if rel not in stats]
    new = [rel for rel in scan.files if rel not in known]
    with transaction(conn):
        if gone and new:  # renamed files keep their rows: found by their bytes
            by_digest = {known[rel][4]: rel for rel in gone if known[rel][3] == READ and known[rel][5] == version}
            sizes = {known[rel][1] for rel in by_digest.values()}  # only a file of a gone file's size can be it renamed
            for rel in list(new):
                if not by_digest or stats[rel][0] not in sizes:
                    continue
                old = by_digest.pop(_digest(scan, rel) or "", None)
                if old is not None:
                    size, mtime = stats[rel]
                    conn.execute("UPDATE files SET rel = ?, size = ?, mtime_ns = ? WHERE id = ?", (to_db(rel), size, mtime, known[old][0]))
                    known[rel] = (known[old][0], size, mtime, READ, known[old][4], version)
                    gone.remove(old)
                    new.remove(rel)
                    listing.renamed += 1
        for rel in gone:
            _forget(conn, known.pop(rel)[0])
        listing.removed = len(gone)
        for rel in new:
            size, mtime = stats[rel]
            cursor = conn.execute("INSERT INTO files(rel, position, size, mtime_ns) VALUES (?, -1, ?, ?)", (to_db(rel), size, mtime))
            known[rel] = (cursor.lastrowid, size, mtime, PENDING, None, None)
        listing.added = len(new)
        _set_positions(conn, scan.files)
        for rel in scan.files:
            id_, size, mtime, state, digest, cleaner = known[rel]
            if state != PENDING and cleaner == version and (size, mtime) == stats[rel]:
                continue
            if state == READ and cleaner == version and digest == _digest(scan, rel):
                conn.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE id = ?", (*stats[rel], id_))
                listing.unchanged_bytes += 1
                continue
            listing.work.append((rel, *stats[rel]))
    return listing


def _digest(scan: Scan, rel: str) -> str | None:
    """The SHA-256 of a file's bytes, or None if it cannot be read now (it is read again, and the reason kept)."""
    try:
        return hashlib.sha256(read_bytes(scan.root, rel)).hexdigest()
    except ArticleError:
        return None


def _set_positions(conn: sqlite3.Connection, order: Sequence[str]) -> None:
    """Number the rows in the scan's order (only the rows whose number changes are written)."""
    position = {to_db(rel): n for n, rel in enumerate(order)}
    changes = [(position[rel], id_) for id_, rel, now in conn.execute("SELECT id, rel, position FROM files") if position[rel] != now]
    conn.executemany("UPDATE files SET position = ? WHERE id = ?", changes)


def _forget(conn: sqlite3.Connection, id_: int) -> None:
    """Remove a file's row, its text from the index and its lines from the evidence."""
    _unindex(conn, id_)
    conn.execute("DELETE FROM files WHERE id = ?", (id_,))


def _unindex(conn: sqlite3.Connection, id_: int) -> None:
    """Take a read file's text out of the index and its lines out of the evidence (nothing for an unread one)."""
    found = conn.execute("SELECT state, title, text, keys FROM files WHERE id = ?", (id_,)).fetchone()
    if found is None or found[0] != READ:
        return
    _, title, text, keys = found
    # A contentless index forgets a row when told exactly what it indexed.
    conn.execute(
        "INSERT INTO text_index(text_index, rowid, title, body) VALUES ('delete', ?, ?, ?)",
        (id_, fold(title or ""), fold(cleaned_text(text))),
    )
    lines = [(key,) for key in unpack_keys(keys or b"")]
    conn.executemany("UPDATE evidence SET n = n - 1 WHERE key = ?", lines)
    conn.executemany("DELETE FROM evidence WHERE key = ? AND n <= 0", lines)


def store(conn: sqlite3.Connection, result: Analysed) -> bool:
    """Store one read file in its row (False if the row is gone: the file left the corpus meanwhile)."""
    found = conn.execute("SELECT id FROM files WHERE rel = ?", (to_db(result.rel),)).fetchone()
    if found is None:
        return False
    id_ = found[0]
    _unindex(conn, id_)
    version = cleaner_version()
    if result.error is not None:
        conn.execute(
            "UPDATE files SET state = ?, size = ?, mtime_ns = ?, digest = ?, cleaner = ?, error = ?, sha256 = NULL,"
            " chars = NULL, title = NULL, words = NULL, language = NULL, warning = NULL, text = NULL, spans = NULL,"
            " keys = NULL, facts = NULL, kinds = NULL WHERE id = ?",
            (UNREADABLE, result.size, result.mtime_ns, result.digest, version, result.error, id_),
        )
        return True
    conn.execute(
        "UPDATE files SET state = ?, size = ?, mtime_ns = ?, digest = ?, cleaner = ?, error = NULL, sha256 = ?,"
        " chars = ?, title = ?, words = ?, language = ?, warning = ?, text = ?, spans = ?, keys = ?, facts = ?, kinds = ?"
        " WHERE id = ?",
        (
            READ, result.size, result.mtime_ns, result.digest, version, result.sha256, result.chars, result.title,
            result.words, result.language, result.warning, result.text, result.spans, result.keys, result.facts,
            result.kinds, id_,
        ),
    )
    conn.execute("INSERT INTO text_index(rowid, title, body) VALUES (?, ?, ?)", (id_, result.folded_title, result.folded_body))
    conn.executemany(
        "INSERT INTO evidence(key, n) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET n = n + 1",
        [(key,) for key in unpack_keys(result.keys)],
    )
    return True


def read_files(
    cache: CorpusCache,
    work: list[Work],
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    processes: int | None = None,
) -> int:
    """Read and store ``work`` (from :func:`take_listing`); returns how many were stored.

    ``progress(done, total, rels)`` is called after each batch with the
    batch's files; setting ``stop`` ends the reading after the batch under
    way (the rest stays unread, and is read next time).
    """
    conn = cache.db.connect()
    done = 0
    results: list[Analysed] = []
    into = None if cache.db.path is None else str(cache.db.path)  # an in-memory cache cannot be shared
    for result in _analysed(str(cache.corpus), work, processes, stop, into):
        results.append(result)
        if len(results) >= BATCH or (stop is not None and stop.is_set()):
            done += _store_batch(conn, results)
            if progress is not None:
                progress(done, len(work), [r.rel for r in results])
            results = []
        if stop is not None and stop.is_set():
            break
    if results:
        done += _store_batch(conn, results)
        if progress is not None:
            progress(done, len(work), [r.rel for r in results])
    return done


def update_cache(
    cache: CorpusCache,
    scan: Scan,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    processes: int | None = None,
) -> Listing:
    """Bring the cache up to date with ``scan``: list it, then read what is new or changed."""
    listing = take_listing(cache, scan)
    if listing.work:
        read_files(cache, listing.work, progress, stop, processes)
    return listing


def _store_batch(conn: sqlite3.Connection, results: list[Analysed]) -> int:
    with transaction(conn):
        return sum(store(conn, result) if result.stored is None else result.stored for result in results)


def _analysed(
    root: str, work: list[Work], processes: int | None, stop: threading.Event | None, into: str | None = None
) -> Iterator[Analysed]:
    """Each file of ``work`` read, in order: in this thread for a few small ones, in a process pool for many or big ones.

    If the pool cannot start or breaks (no ``/dev/shm``, a process killed),
    what it has not read is read in this thread: slower, never lost.
    """
    workers = processes if processes is not None else (os.cpu_count() or 1)
    done = 0
    big = sum(size for _, size, _ in work) >= POOL_BYTES
    if processes != 1 and ((workers > 1 and len(work) >= POOL_MIN) or big):
        try:
            for result in _in_processes(root, work, workers, stop, into):
                done += 1
                yield result
            return
        except (OSError, ValueError, BrokenProcessPool) as error:
            log.warning("reading the corpus in one process: %s", error)
    for rel, size, mtime in work[done:]:
        if stop is not None and stop.is_set():
            return
        yield analyse(root, rel, size, mtime)


def _in_processes(
    root: str, work: list[Work], workers: int, stop: threading.Event | None, into: str | None = None
) -> Iterator[Analysed]:
    """``work`` read in a pool of processes, in order; with ``into`` (the cache file) big files are stored there by their process."""
    batches = deque(_batches(work, big_alone=into is not None))
    _start_tracker()
    # "spawn": the reader has threads running, and forking a process with threads can deadlock it.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_quiet)
    pending: deque[Future[list[Analysed]]] = deque()
    try:
        while batches or pending:
            while batches and len(pending) < 2 * workers:  # a bounded queue keeps memory flat
                batch = batches.popleft()
                if into is not None and batch[0][1] >= POOL_BYTES:
                    pending.append(pool.submit(analyse_into, into, root, batch))
                else:
                    pending.append(pool.submit(analyse_many, root, batch))
            yield from pending.popleft().result()
            if stop is not None and stop.is_set():
                return
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _batches(work: list[Work], big_alone: bool) -> Iterator[list[Work]]:
    """``work`` cut into batches of ``BATCH`` files, in order; with ``big_alone`` each big file is a batch of its own."""
    batch: list[Work] = []
    for item in work:
        if big_alone and item[1] >= POOL_BYTES:
            if batch:
                yield batch
            yield [item]
            batch = []
            continue
        batch.append(item)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def analyse_into(path: str, root: str, work: list[Work]) -> list[Analysed]:
    """Read ``work`` and store each file in the cache file ``path`` from this (reading) process; receipts come back.

    For big files: a 50 MB article's folded text and its full-text
    indexing (another 130 MB while SQLite builds the entry) stay in the
    process that read it, and the reader's memory stays that of what it
    shows. SQLite's WAL lets this process write while the reader reads;
    a write waits for the reader's own (``BUSY_SECONDS``).
    """
    receipts = []
    with contextlib.closing(sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)) as conn:
        for rel, size, mtime_ns in work:
            result = analyse(root, rel, size, mtime_ns)
            with transaction(conn):
                kept = store(conn, result)
            receipts.append(Analysed(rel, size, mtime_ns, result.digest, error=result.error, stored=kept))
            del result
    return receipts


def _start_tracker() -> None:
    """Start multiprocessing's resource tracker with the real standard error.

    Inside the reader ``sys.stderr`` is Textual's capture, whose ``fileno()``
    is -1, and the tracker passes that descriptor on: spawning failed with
    "bad value(s) in fds_to_keep".
    """
    from multiprocessing import resource_tracker

    with contextlib.redirect_stderr(sys.__stderr__):
        resource_tracker.ensure_running()


def _quiet() -> None:
    """In a reading process: nothing it prints may reach the reader's terminal (it shares its descriptors)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
