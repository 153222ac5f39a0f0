"""The corpus cache's process pool, progress and stop event (tui.core.cache.refresh) change nothing but how the work is done.

The pool stores what the thread stores; a pool that breaks or cannot start
leaves the rest to this thread; progress is told after each batch, and a
stop ends the reading after the batch, the rest read next time.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest

from tests.cached_corpus import CachedCorpus
from tests.small_corpus import UNREADABLE_FILES, many_articles
from tui.core.cache import database, refresh
from tui.core.cache.corpus_cache import PENDING, READ, CorpusCache
from tui.core.corpus import scan_corpus
from tui.core.search.corpus import CorpusSearch

# --- the process pool, progress and stopping ------------------------------------------------

def comparable(cache: CorpusCache) -> list[tuple]:
    """Everything the cache holds of each file, but its row id."""
    rows = cache.db.connect().execute(
        "SELECT rel, position, size, mtime_ns, state, digest, cleaner, sha256, chars, title, words, language, warning,"
        " error, text, spans, keys FROM files ORDER BY position"
    ).fetchall()
    evidence = cache.db.connect().execute("SELECT key, n FROM evidence ORDER BY key").fetchall()
    return [*rows, *evidence]


def test_the_process_pool_stores_what_the_thread_stores(tmp_path, monkeypatch):
    monkeypatch.setattr(refresh, "POOL_MIN", 4)
    monkeypatch.setattr(refresh, "BATCH", 3)
    pools: list[int] = []

    class CountedPool(refresh.ProcessPoolExecutor):
        def __init__(self, workers, **kwargs):
            pools.append(workers)
            super().__init__(workers, **kwargs)

    monkeypatch.setattr(refresh, "ProcessPoolExecutor", CountedPool)
    corpus = CachedCorpus(tmp_path / "a")
    corpus.write_all(many_articles(8).items())
    corpus.write_all(UNREADABLE_FILES.items())
    seen: list[tuple[int, int, list[str]]] = []
    pooled = corpus.update(progress=lambda done, total, rels: seen.append((done, total, rels)), processes=2)
    assert pools == [2]
    assert [total for _, total, _ in seen] == [10] * 4 and [done for done, _, _ in seen] == [3, 6, 9, 10]
    assert [rel for _, _, rels in seen for rel in rels] == [rel for rel, _, _ in pooled.work]  # every file once, in order
    monkeypatch.setattr(database, "CACHE_ENV", "DOSSIER_TEST_OTHER_CACHE")
    monkeypatch.setenv("DOSSIER_TEST_OTHER_CACHE", str(tmp_path / "thread-cache"))
    threaded = CorpusCache.open(corpus.notes, corpus.corpus)
    assert threaded.path != corpus.cache.path
    refresh.update_cache(threaded, scan_corpus(corpus.corpus), processes=1)
    assert pools == [2]  # no pool for one process
    assert comparable(corpus.cache) == comparable(threaded)
    assert corpus.search("quarry", limit=1000).total == CorpusSearch(threaded).search("quarry", limit=1000).total == 16
    threaded.close()
    corpus.close()


def test_big_files_are_stored_by_the_process_that_read_them_and_the_rest_as_usual(tmp_path, monkeypatch):
    """A big file's row is written by its reading process (its folded text never crosses back): same cache as a thread's."""
    monkeypatch.setattr(refresh, "POOL_MIN", 1000)  # only size sends work to the pool here
    monkeypatch.setattr(refresh, "BATCH", 3)
    monkeypatch.setattr(refresh, "POOL_BYTES", 1500)
    submitted: list[str] = []

    class WatchedPool(refresh.ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):
            submitted.append(fn.__name__)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(refresh, "ProcessPoolExecutor", WatchedPool)
    corpus = CachedCorpus(tmp_path / "a")
    articles = many_articles(5)
    big = {f"big{n}.txt": "Quarry workers\n\n" + "\n\n".join(f"The quarry paragraph {n}.{i} about stone." for i in range(60))
           for n in range(2)}
    corpus.write_all([*articles.items(), *big.items()])
    seen: list[tuple[int, int, list[str]]] = []
    pooled = corpus.update(progress=lambda done, total, rels: seen.append((done, total, rels)), processes=2)
    assert submitted.count("analyse_into") == 2 and "analyse_many" in submitted  # each big file alone, stored by its process
    assert seen[-1][0] == seen[-1][1] == 7
    assert sorted(rel for _, _, rels in seen for rel in rels) == sorted(rel for rel, _, _ in pooled.work)
    monkeypatch.setattr(database, "CACHE_ENV", "DOSSIER_TEST_OTHER_CACHE")
    monkeypatch.setenv("DOSSIER_TEST_OTHER_CACHE", str(tmp_path / "thread-cache"))
    threaded = CorpusCache.open(corpus.notes, corpus.corpus)
    refresh.update_cache(threaded, scan_corpus(corpus.corpus), processes=1)
    assert comparable(corpus.cache) == comparable(threaded)
    assert corpus.search("quarry", limit=1000).total == CorpusSearch(threaded).search("quarry", limit=1000).total
    threaded.close()
    corpus.close()


class PoolThatBreaks:
    """Stands in for the process pool: reads the first batch, then its processes die."""

    def __init__(self, workers, **kwargs):
        self.submitted = 0

    def submit(self, function, *args):
        self.submitted += 1
        future: Future = Future()
        if self.submitted == 1:
            future.set_result(function(*args))
        else:
            future.set_exception(BrokenProcessPool("a reading process died"))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


class PoolThatCannotStart:
    def __init__(self, workers, **kwargs):
        raise OSError("no /dev/shm")


@pytest.mark.parametrize("pool", [PoolThatBreaks, PoolThatCannotStart])
def test_a_pool_that_breaks_or_cannot_start_leaves_the_rest_to_this_thread(tmp_path, monkeypatch, pool):
    monkeypatch.setattr(refresh, "POOL_MIN", 2)
    monkeypatch.setattr(refresh, "BATCH", 2)
    monkeypatch.setattr(refresh, "ProcessPoolExecutor", pool)
    corpus = CachedCorpus(tmp_path)
    corpus.write_all(many_articles(5).items())
    seen: list[tuple[int, int, list[str]]] = []
    corpus.update(progress=lambda done, total, rels: seen.append((done, total, rels)), processes=2)
    assert seen == [(2, 5, ["m0.txt", "m1.txt"]), (4, 5, ["m2.txt", "m3.txt"]), (5, 5, ["m4.txt"])]  # each file once
    assert corpus.cache.progress() == (5, 5)
    assert corpus.search("quarry", limit=100).total == 10
    corpus.close()


def test_progress_is_told_after_each_batch(tmp_path, monkeypatch):
    monkeypatch.setattr(refresh, "BATCH", 2)
    corpus = CachedCorpus(tmp_path)
    corpus.write_all(many_articles(5).items())
    seen: list[tuple[int, int, list[str]]] = []
    corpus.update(progress=lambda done, total, rels: seen.append((done, total, rels)))
    assert seen == [(2, 5, ["m0.txt", "m1.txt"]), (4, 5, ["m2.txt", "m3.txt"]), (5, 5, ["m4.txt"])]
    corpus.close()


@pytest.mark.parametrize("processes", [1, 2])
def test_a_stop_ends_the_reading_after_the_batch_and_the_rest_is_read_next_time(tmp_path, monkeypatch, processes):
    monkeypatch.setattr(refresh, "BATCH", 2)
    monkeypatch.setattr(refresh, "POOL_MIN", 2)
    corpus = CachedCorpus(tmp_path)
    articles = many_articles(7)
    corpus.write_all(articles.items())
    stop = threading.Event()
    seen: list[list[str]] = []

    def progress(done: int, total: int, rels: list[str]) -> None:
        seen.append(rels)
        stop.set()  # quitting while the first batch is stored

    listing = corpus.update(progress=progress, stop=stop, processes=processes)
    assert len(listing.work) == 7
    assert seen == [["m0.txt", "m1.txt"]]
    assert corpus.cache.progress() == (2, 7)
    assert [row.state for row in corpus.cache.rows()] == [READ, READ] + [PENDING] * 5
    assert corpus.cache.row("m3.txt").title is None
    listing = corpus.update(processes=processes)  # the next run
    assert [rel for rel, _, _ in listing.work] == [f"m{n}.txt" for n in range(2, 7)]
    assert corpus.cache.progress() == (7, 7)
    assert corpus.search("quarry", limit=100).total == 14
    corpus.close()


def test_a_stop_set_before_reading_reads_nothing(tmp_path):
    corpus = CachedCorpus(tmp_path)
    corpus.write_all(many_articles(3).items())
    stop = threading.Event()
    stop.set()
    corpus.update(stop=stop)
    assert corpus.cache.progress() == (0, 3)
    corpus.close()
