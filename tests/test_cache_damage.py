"""A damaged or foreign corpus cache file (tui.core.cache.database) is replaced rather than trusted.

Garbage, a truncated file, a table damaged at its root or deeper down,
another schema version, another program's database: each is found (when the
cache is opened, or when it is listed) and replaced by a new cache that an
update fills as new. An empty file is a new cache; the cache can be deleted
at any time.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cached_corpus import CachedCorpus
from tests.small_corpus import ARTICLES, LISTED, UNREADABLE_FILES, filled, many_articles
from tui.core.cache import refresh
from tui.core.cache.corpus_cache import CorpusCache
from tui.core.cache.database import SCHEMA_VERSION, UPGRADABLE, CacheDB
from tui.core.cache.notes_index import sync_notes
from tui.core.corpus import scan_corpus
from tui.core.search.corpus import CorpusSearch


@pytest.fixture
def corpus(tmp_path):
    corpus = filled(tmp_path)
    yield corpus
    corpus.close()


# --- a damaged or foreign cache file --------------------------------------------------


def filled_cache_bytes(tmp_path: Path) -> tuple[CachedCorpus, Path, bytes]:
    corpus = filled(tmp_path)
    corpus.close()
    path = corpus.cache.path
    assert not Path(f"{path}-wal").exists()  # the last connection closed: everything is in the main file
    return corpus, path, path.read_bytes()


def assert_rebuilt(corpus: CachedCorpus, why: str) -> None:
    """Open the cache again: it was replaced (``why``), starts empty, and an update fills it as new."""
    cache = CorpusCache.open(corpus.notes, corpus.corpus)
    try:
        assert why in cache.db.replaced
        assert cache.count() == 0
        listing = refresh.update_cache(cache, scan_corpus(corpus.corpus), processes=1)
        assert [rel for rel, _, _ in listing.work] == LISTED
        assert [(row.rel, row.title) for row in cache.rows()] == [
            (rel, ARTICLES[rel].split("\n")[0] if rel in ARTICLES else None) for rel in LISTED
        ]
        reopened = CacheDB(cache.path)
        assert reopened.replaced == ""  # the new file is trusted next time
        reopened.close()
    finally:
        cache.close()


def test_a_cache_file_of_garbage_is_replaced(tmp_path):
    corpus, path, _ = filled_cache_bytes(tmp_path)
    path.write_bytes(bytes(range(256)) * 64)
    assert_rebuilt(corpus, "file is not a database")


# Cut by less than a page, a file is read as if its end were zeros: SQLite cannot tell (nor can we, cheaply).
@pytest.mark.parametrize("keep", [10, 100, 4096, 0.5, -4096, -6000])
def test_a_truncated_cache_file_is_replaced(tmp_path, keep):
    corpus, path, data = filled_cache_bytes(tmp_path)
    size = int(len(data) * keep) if isinstance(keep, float) else keep % len(data)
    path.write_bytes(data[:size])
    assert_rebuilt(corpus, "file is not a database" if size < 100 else "malformed")


def damage_page(path: Path, data: bytes, page: int) -> None:
    """Write over one page of the cache file (1-based, as SQLite numbers them)."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    damaged = bytearray(data)
    damaged[(page - 1) * page_size : page * page_size] = b"\xff" * page_size
    path.write_bytes(bytes(damaged))


def pages_of(path: Path, table: str) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [page for (page,) in conn.execute("SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno", (table,))]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find a table's pages")
    finally:
        conn.close()


@pytest.mark.parametrize("table", ["files", "evidence", "text_index_data", "notes", "note_rows"])
def test_a_cache_whose_table_is_damaged_at_its_root_is_replaced_when_it_is_opened(tmp_path, table):
    corpus, path, data = filled_cache_bytes(tmp_path)
    conn = sqlite3.connect(path)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    conn.close()
    damage_page(path, data, root)
    assert_rebuilt(corpus, "vtable constructor failed" if table.startswith("text_index") else "malformed")


def test_a_cache_damaged_deeper_in_its_list_of_files_is_replaced_when_it_is_listed(tmp_path):
    corpus = CachedCorpus(tmp_path)
    corpus.write_all(many_articles(60).items())
    corpus.update()
    corpus.close()
    path = corpus.cache.path
    data = path.read_bytes()
    pages = pages_of(path, "files")
    assert len(pages) > 2
    damage_page(path, data, pages[-1])  # a leaf far from the root: the opening's probes do not read it
    cache = CorpusCache.open(corpus.notes, corpus.corpus)
    try:
        assert cache.db.replaced == ""
        listing = refresh.update_cache(cache, scan_corpus(corpus.corpus), processes=1)
        assert "malformed" in cache.db.replaced
        assert len(listing.work) == 60 and listing.added == 60
        assert cache.progress() == (60, 60)
        assert CorpusSearch(cache).search("quarry", limit=1000).total == 120
    finally:
        cache.close()


def test_a_cache_of_another_schema_version_is_replaced(tmp_path):
    corpus, path, _ = filled_cache_bytes(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    assert_rebuilt(corpus, f"schema {SCHEMA_VERSION + 1}, not {SCHEMA_VERSION}")


@pytest.mark.parametrize("claimed", [4, UPGRADABLE, SCHEMA_VERSION])
def test_a_cache_whose_notes_do_not_name_their_analyst_is_replaced_and_filled_anew(tmp_path, claimed):
    """A cache of schema 4 (before each note row named its analyst), or one that claims a later version without the column.

    (A cache of the version before this one is upgraded in place first: the missing column still shows.)
    """
    corpus = filled(tmp_path)
    harbour = corpus.annotate("harbour.txt", "budget", "a turbine remark", analyst="anna")
    corpus.close()
    path = corpus.cache.path
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE note_rows DROP COLUMN analyst")  # note_rows as schema 4 had it
    conn.execute(f"PRAGMA user_version = {claimed}")
    conn.commit()
    conn.close()
    why = f"schema {claimed}, not {SCHEMA_VERSION}" if claimed == 4 else "no such column: analyst"
    assert_rebuilt(corpus, why)
    cache = CorpusCache.open(corpus.notes, corpus.corpus)
    try:
        assert cache.db.replaced == ""  # rebuilt by assert_rebuilt, and trusted now
        sync_notes(cache, corpus.notes)  # the notes are read again whole into the new cache: each row names its analyst
        rows = cache.db.connect().execute("SELECT annotation, analyst FROM note_rows").fetchall()
        assert rows == [(harbour.id, "anna")]
        search = CorpusSearch(cache)
        assert [hit.annotation_id for hit in search.search("turbine", analysts=frozenset({"anna"})).hits] == [harbour.id]
        assert search.search("turbine", analysts=frozenset({"bea"})).total == 0
    finally:
        cache.close()


def test_a_foreign_database_is_replaced(tmp_path):
    corpus = CachedCorpus(tmp_path)
    corpus.write_all(ARTICLES.items())
    corpus.write_all(UNREADABLE_FILES.items())
    path = corpus.cache.path
    corpus.close()
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE files(name TEXT)")
    conn.execute("INSERT INTO files VALUES ('not ours')")
    conn.commit()
    conn.close()
    assert_rebuilt(corpus, "schema 0, not")


def test_an_empty_file_is_a_new_cache(tmp_path):
    corpus = CachedCorpus(tmp_path)
    path = corpus.cache.path
    corpus.close()
    path.write_bytes(b"")
    db = CacheDB(path)
    assert db.replaced == "" and db.connect().execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_the_cache_can_be_deleted_at_any_time(corpus):
    corpus.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{corpus.cache.path}{suffix}").unlink(missing_ok=True)
    again = CorpusCache.open(corpus.notes, corpus.corpus)
    assert again.db.replaced == "" and again.count() == 0
    assert [rel for rel, _, _ in refresh.update_cache(again, scan_corpus(corpus.corpus), processes=1).work] == LISTED
    again.close()
