"""One corpus cache file (tui.core.cache.database) for several runs and threads, and paths of any bytes in it.

A cache of the version before is upgraded in place. Two runs on one cache file see each other's rows, each thread has its own
connection, and a path whose bytes are not UTF-8 round-trips through the
text SQLite stores.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.small_corpus import LIGHTHOUSE, filled
from tui.core.cache import database, refresh
from tui.core.cache.corpus_cache import CorpusCache
from tui.core.cache.notes_index import note_attributes, sync_notes
from tui.core.corpus import scan_corpus
from tui.core.notes.model import ArticleRef


@pytest.fixture
def corpus(tmp_path):
    corpus = filled(tmp_path)
    yield corpus
    corpus.close()


# --- versions ------------------------------------------------------------------------------------


def test_a_cache_of_the_version_before_is_upgraded_in_place_and_reads_the_notes_again(corpus):
    """Version 6 added the analyst's attribute edits to the notes index: the corpus's rows are kept, the notes read again."""
    harbour = corpus.source("harbour.txt")
    ref = ArticleRef.of("harbour.txt", harbour)
    with corpus.store() as store:
        store.attributes.set(ref, harbour, {"source": "Harbour Weekly"})
    corpus.sync()
    path, progress = corpus.cache.path, corpus.cache.progress()
    corpus.cache.close()
    with sqlite3.connect(path) as old:  # the file as version 5 left it: its notes table without the edits
        old.executescript(
            "CREATE TABLE notes4(key TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, path TEXT NOT NULL,"
            " sha256 TEXT NOT NULL, count INTEGER NOT NULL, tags TEXT NOT NULL);"
            " INSERT INTO notes4 SELECT key, size, mtime_ns, path, sha256, count, tags FROM notes;"
            " DROP TABLE notes; ALTER TABLE notes4 RENAME TO notes; CREATE INDEX notes_path ON notes(path);"
            f" PRAGMA user_version = {database.UPGRADABLE};"
        )
    old.close()
    upgraded = CorpusCache.open(corpus.notes, corpus.corpus)
    assert upgraded.db.replaced == ""  # not thrown away: 100,000 articles are not read again for a column
    assert upgraded.progress() == progress and progress[0] == progress[1] > 0  # every article still read
    assert upgraded.db.connect().execute("PRAGMA user_version").fetchone()[0] == database.SCHEMA_VERSION
    assert note_attributes(upgraded) == {}  # not read yet
    assert sync_notes(upgraded, corpus.notes) == 1
    assert note_attributes(upgraded) == {"harbour.txt": {"source": "Harbour Weekly"}}
    assert upgraded.row("harbour.txt").title == corpus.cache.row("harbour.txt").title
    upgraded.close()


# --- several connections ----------------------------------------------------------------------


def test_two_runs_on_one_cache_file_see_each_others_rows(corpus):
    other = CorpusCache.open(corpus.notes, corpus.corpus)  # a command line run while the reader is open
    assert other.path == corpus.cache.path
    corpus.write("lighthouse.txt", LIGHTHOUSE)
    refresh.update_cache(other, scan_corpus(corpus.corpus), processes=1)
    assert corpus.cache.row("lighthouse.txt").title == "Lighthouse repairs approved"
    assert [hit.path for hit in corpus.search("lighthouse").hits] == ["lighthouse.txt", "lighthouse.txt"]
    other.close()


def test_each_thread_has_its_own_connection(corpus):
    mine = corpus.cache.db.connect()
    theirs: list[sqlite3.Connection] = []
    thread = threading.Thread(target=lambda: theirs.append(corpus.cache.db.connect()))
    thread.start()
    thread.join()
    assert theirs[0] is not mine and corpus.cache.db.connect() is mine
    assert mine.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(["\udc80", "\udce9", "\udcff", "é", "/", "\U000f00e9"])))
def test_a_path_round_trips_through_the_cache_whatever_its_bytes(path: str) -> None:
    """Names with bytes that are not UTF-8 (lone surrogates) are stored as text SQLite accepts, and come back whole."""
    stored = database.to_db(path)
    stored.encode("utf-8")  # what SQLite needs: no lone surrogate left
    if not any("\U000f0080" <= c <= "\U000f00ff" for c in path):  # the escape's private-use range (see to_db)
        assert database.from_db(stored) == path
