"""The corpus cache (tui.core.cache): real corpus folders, real notes, a real SQLite file.

What the reader and the command line rely on: a cold update reads every
file, a warm one reads none, only what changed is read again, a rename or a
touch costs no cleaning, the evidence and the full-text index follow every
change exactly, a damaged or foreign cache file is replaced rather than
trusted, the cache lives where the rules say, the notes' counts follow the
notes folder, and the process pool and the stop event change nothing but
how the work is done.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import tempfile
import threading
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cached_corpus import CachedCorpus, set_mtime
from tui.core.cache import database, notes_index, refresh
from tui.core.cache.analyse import cleaner_version
from tui.core.cache.corpus_cache import PENDING, READ, UNREADABLE, CorpusCache
from tui.core.cache.database import SCHEMA_VERSION, CacheDB, cache_path, corpus_id
from tui.core.cache.notes_index import note_counts, record_notes, sync_notes
from tui.core.cache.refresh import Listing, read_files, take_listing
from tui.core.clean import clean_text
from tui.core.corpus import ArticleError, read_article, scan_corpus
from tui.core.document import title_of, word_count
from tui.core.evidence import CorpusEvidence, line_keys
from tui.core.folding import fold
from tui.core.notes.files import ARTICLES_DIR, path_key
from tui.core.notes.model import ArticleRef
from tui.core.search.corpus import CorpusSearch

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


@pytest.fixture
def corpus(tmp_path):
    corpus = filled(tmp_path)
    yield corpus
    corpus.close()


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


# --- cold and warm ------------------------------------------------------------------


def test_a_cold_update_lists_and_reads_every_file(tmp_path):
    corpus = CachedCorpus(tmp_path)
    corpus.write_all(ARTICLES.items())
    corpus.write_all(UNREADABLE_FILES.items())
    corpus.write("cover.pdf", b"%PDF-1.4")
    seen: list[tuple[int, int, list[str]]] = []
    listing = corpus.update(progress=lambda done, total, rels: seen.append((done, total, rels)))
    assert [rel for rel, _, _ in listing.work] == LISTED
    assert (listing.added, listing.removed, listing.renamed, listing.unchanged_bytes) == (5, 0, 0, 0)
    assert seen == [(5, 5, LISTED)]  # one batch
    cache = corpus.cache
    assert cache.rels() == LISTED and cache.count() == 5 and cache.progress() == (5, 5)
    assert [row.position for row in cache.rows()] == list(range(5))
    assert [row.rel for row in cache.rows(offset=1, limit=2)] == LISTED[1:3]
    for rel, text in ARTICLES.items():
        article = read_article(corpus.corpus, rel)
        assert article.text == text
        cleaned = clean_text(article.text, None, article.page_title)
        assert cleaned.text.count("\n\n") == 2 and cleaned.text.startswith(text.split("\n")[0])  # the whole text is kept
        row = cache.row(rel)
        assert row is not None
        assert (row.state, row.title, row.words) == (READ, title_of(article, cleaned), word_count(cleaned))
        assert (row.error, row.warning) == (None, "")
        assert (row.sha256, row.language, row.notes, row.tags) == (article.sha256, cleaned.language, 0, ())
        assert row.shown_title == row.title == text.split("\n")[0]
        stored = cache.stored(rel)
        assert stored is not None
        assert (stored.text, stored.chars, stored.sha256) == (cleaned.text, len(text), article.sha256)
        assert stored.spans == [(line.start, line.end) for line in cleaned.kept]
    for rel in UNREADABLE_FILES:
        with pytest.raises(ArticleError) as why:
            read_article(corpus.corpus, rel)
        row = cache.row(rel)
        assert row is not None
        assert (row.state, row.error, row.title, row.words, row.sha256) == (UNREADABLE, str(why.value), None, None, None)
        assert row.shown_title == f"{rel} (cannot be read: {why.value})"
        assert cache.stored(rel) is None
    assert {row.error for row in cache.rows() if row.state == UNREADABLE} == {"empty file", "binary file (contains NUL bytes)"}
    assert cache.row("cover.pdf") is None
    assert set(cache.rows_by_id([cache.row(rel).id for rel in ("ferry.md", "harbour.txt")] + [999])) == {
        cache.row("ferry.md").id, cache.row("harbour.txt").id
    }
    index_answers(corpus)
    corpus.close()


def test_a_warm_update_reads_nothing(corpus, monkeypatch):
    monkeypatch.setattr(refresh, "analyse", never)
    monkeypatch.setattr(refresh, "read_bytes", never)  # not even to compare bytes
    assert corpus.update() == Listing([])
    corpus.close()
    # Another run (a new process would do the same): the cache file is found again, and still nothing is read.
    again = CorpusCache.open(corpus.notes, corpus.corpus)
    assert again.path == corpus.cache.path and again.db.replaced == ""
    assert take_listing(again, scan_corpus(corpus.corpus)) == Listing([])
    assert again.progress() == (5, 5)
    again.close()


def test_rows_listed_before_they_are_read_show_their_path(tmp_path):
    corpus = CachedCorpus(tmp_path)
    corpus.write_all(ARTICLES.items())
    listing = take_listing(corpus.cache, scan_corpus(corpus.corpus))
    assert len(listing.work) == 3 and corpus.cache.progress() == (0, 3)
    row = corpus.cache.row("harbour.txt")
    assert (row.state, row.title, row.shown_title) == (PENDING, None, "harbour.txt")
    assert corpus.cache.stored("harbour.txt") is None
    assert corpus.search("harbour").hits == []  # nothing indexed yet
    assert read_files(corpus.cache, listing.work, processes=1) == 3
    assert corpus.cache.progress() == (3, 3)
    assert [hit.path for hit in corpus.search("harbour").hits] == ["harbour.txt", "harbour.txt"]  # the title and a line
    corpus.close()


# --- only what changed ------------------------------------------------------------


def test_a_touched_file_with_the_same_bytes_is_not_cleaned_again(corpus, monkeypatch):
    before = corpus.cache.row("harbour.txt")
    set_mtime(corpus.corpus / "harbour.txt", 1_000_000)
    monkeypatch.setattr(refresh, "analyse", never)
    listing = corpus.update()
    assert (listing.work, listing.unchanged_bytes) == ([], 1)
    assert corpus.cache.row("harbour.txt") == before
    # The new time is remembered: the next scan does not even read the bytes.
    monkeypatch.setattr(refresh, "read_bytes", never)
    assert corpus.update() == Listing([])


def test_a_changed_file_is_read_again_and_its_old_text_and_lines_leave_the_index_and_the_evidence(corpus):
    lines_ever = {line for text in ARTICLES.values() for line in text.split("\n")}
    before = corpus.cache.row("harbour.txt")
    assert fts_rels(corpus, "harbour") == {"harbour.txt"}
    corpus.write("harbour.txt", LIGHTHOUSE)
    lines_ever |= set(LIGHTHOUSE.split("\n"))
    listing = corpus.update()
    assert [rel for rel, _, _ in listing.work] == ["harbour.txt"]
    after = corpus.cache.row("harbour.txt")
    assert (after.id, after.position) == (before.id, before.position)  # the same row, read again
    assert (after.title, after.state) == ("Lighthouse repairs approved", READ)
    assert fts_rels(corpus, "harbour") == set() and fts_rels(corpus, "lighthouse") == {"harbour.txt"}
    assert fts_rels(corpus, "committee") == {"harbour.txt"}  # in both versions: indexed once
    assert corpus.search("harbour").hits == []
    assert [hit.path for hit in corpus.search("lighthouse").hits] == ["harbour.txt", "harbour.txt"]  # the title and a line
    assert_evidence_is_counted_over(corpus, sources(corpus), lines_ever)
    index_answers(corpus)


def test_bytes_changed_under_the_same_size_are_found_by_their_hash(corpus):
    changed = HARBOUR.replace("on Tuesday", "on Fridays")  # the same length
    assert len(changed) == len(HARBOUR) and changed != HARBOUR
    path = corpus.write("harbour.txt", changed)
    set_mtime(path, 2_000_000)  # a new time, whatever the clock's resolution
    listing = corpus.update()
    assert [rel for rel, _, _ in listing.work] == ["harbour.txt"] and listing.unchanged_bytes == 0
    assert [hit.path for hit in corpus.search("fridays").hits] == ["harbour.txt"]
    assert corpus.search("tuesday").hits == []


def test_a_renamed_file_keeps_its_row_and_is_not_read_again(corpus, monkeypatch):
    before = corpus.cache.row("harbour.txt")
    (corpus.corpus / "zz").mkdir()
    os.rename(corpus.corpus / "harbour.txt", corpus.corpus / "zz" / "harbour-moved.txt")
    monkeypatch.setattr(refresh, "analyse", never)
    listing = corpus.update()
    assert (listing.work, listing.renamed, listing.added, listing.removed) == ([], 1, 0, 0)
    assert corpus.cache.row("harbour.txt") is None
    moved = corpus.cache.row("zz/harbour-moved.txt")
    assert (moved.id, moved.title, moved.words, moved.sha256) == (before.id, before.title, before.words, before.sha256)
    assert corpus.cache.rels() == ["binary.txt", "empty.txt", "ferry.md", "sub/river.txt", "zz/harbour-moved.txt"]
    assert [row.position for row in corpus.cache.rows()] == list(range(5))
    assert [hit.path for hit in corpus.search("harbour").hits] == ["zz/harbour-moved.txt", "zz/harbour-moved.txt"]
    assert corpus.update() == Listing([])


def test_a_renamed_and_a_new_file_in_one_scan(corpus):
    os.rename(corpus.corpus / "ferry.md", corpus.corpus / "ferry-renamed.md")
    corpus.write("lighthouse.txt", LIGHTHOUSE)
    listing = corpus.update()
    assert (listing.renamed, listing.added, listing.removed) == (1, 1, 0)
    assert [rel for rel, _, _ in listing.work] == ["lighthouse.txt"]
    assert corpus.cache.progress() == (6, 6)
    index_answers(corpus)


def test_a_deleted_file_is_forgotten(corpus):
    lines_ever = {line for text in ARTICLES.values() for line in text.split("\n")}
    corpus.remove("harbour.txt")
    corpus.remove("empty.txt")
    listing = corpus.update()
    assert (listing.work, listing.removed) == ([], 2)
    assert corpus.cache.row("harbour.txt") is None and corpus.cache.stored("harbour.txt") is None
    assert corpus.cache.rels() == ["binary.txt", "ferry.md", "sub/river.txt"]
    assert fts_rels(corpus, "harbour") == set() and corpus.search("harbour").total == 0
    assert_evidence_is_counted_over(corpus, sources(corpus), lines_ever)
    index_answers(corpus)


def test_another_cleaner_version_reads_everything_again(corpus, monkeypatch):
    before = {row.rel: row for row in corpus.cache.rows()}
    harbour_hits = corpus.search("harbour").hits
    assert {cleaner for (cleaner,) in sql(corpus, "SELECT cleaner FROM files")} == {cleaner_version()}
    monkeypatch.setattr(refresh, "cleaner_version", lambda: "another cleaner")
    listing = corpus.update()
    assert [rel for rel, _, _ in listing.work] == LISTED  # the unreadable files too: the new cleaner may read them
    assert {cleaner for (cleaner,) in sql(corpus, "SELECT cleaner FROM files")} == {"another cleaner"}
    assert {row.rel: row for row in corpus.cache.rows()} == before
    assert corpus.search("harbour").hits == harbour_hits  # indexed once, not twice
    index_answers(corpus)
    assert_evidence_is_counted_over(corpus, sources(corpus), {line for text in ARTICLES.values() for line in text.split("\n")})
    assert corpus.update() == Listing([])


def test_a_file_gone_between_listing_and_reading(corpus):
    corpus.write("lighthouse.txt", LIGHTHOUSE)
    listing = take_listing(corpus.cache, scan_corpus(corpus.corpus))
    assert [rel for rel, _, _ in listing.work] == ["lighthouse.txt"]
    corpus.remove("lighthouse.txt")
    assert read_files(corpus.cache, listing.work, processes=1) == 1
    row = corpus.cache.row("lighthouse.txt")
    assert (row.state, row.error) == (UNREADABLE, "no such file")
    assert corpus.update().removed == 1
    assert corpus.cache.row("lighthouse.txt") is None


def test_a_file_read_after_another_run_forgot_it_is_not_stored(corpus):
    corpus.write("lighthouse.txt", LIGHTHOUSE)
    listing = take_listing(corpus.cache, scan_corpus(corpus.corpus))
    corpus.remove("lighthouse.txt")
    assert take_listing(corpus.cache, scan_corpus(corpus.corpus)).removed == 1  # another run listed the corpus meanwhile
    corpus.write("lighthouse.txt", LIGHTHOUSE)
    assert read_files(corpus.cache, listing.work, processes=1) == 0
    assert corpus.cache.row("lighthouse.txt") is None
    assert fts_rels(corpus, "lighthouse") == set()


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


# --- where the cache lives ---------------------------------------------------------------


def test_the_cache_lives_beside_the_notes_and_is_never_shared_through_git(tmp_path):
    corpus = CachedCorpus(tmp_path)
    path = corpus.cache.path
    assert path == corpus.notes / "cache" / f"corpus-{corpus_id(corpus.corpus)}.sqlite"
    assert path.is_file() and (corpus.notes / "cache" / ".gitignore").read_text(encoding="utf-8") == "*\n"
    corpus.close()


def test_one_corpus_reached_by_two_paths_has_one_cache(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "corpus")
    assert corpus_id(tmp_path / "link") == corpus_id(tmp_path / "corpus") == corpus_id(f"{tmp_path}/corpus/../corpus")
    assert cache_path(tmp_path, tmp_path / "link") == cache_path(tmp_path, tmp_path / "corpus")
    assert corpus_id(tmp_path / "other") != corpus_id(tmp_path / "corpus")


def test_dossier_cache_names_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_CACHE", str(tmp_path / "elsewhere"))
    corpus = CachedCorpus(tmp_path)
    assert corpus.cache.path.parent == tmp_path / "elsewhere"
    assert not (corpus.notes / "cache").exists()
    corpus.close()


def test_without_a_notes_folder_the_cache_goes_to_the_user_cache(tmp_path):
    cache = CorpusCache.open(tmp_path / "no-notes-yet", tmp_path)
    assert cache.path.parent == Path(os.environ["XDG_CACHE_HOME"]) / "dossier"
    assert not (tmp_path / "no-notes-yet").exists()  # opening the cache does not make the notes folder
    cache.close()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write a read-only folder")
def test_a_read_only_notes_folder_sends_the_cache_to_the_user_cache(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    notes.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        cache = CorpusCache.open(notes, tmp_path)
        assert cache.path.parent == Path(os.environ["XDG_CACHE_HOME"]) / "dossier"
        cache.close()
    finally:
        notes.chmod(stat.S_IRWXU)


def test_a_notes_folder_that_cannot_be_written_sends_the_cache_to_the_user_cache(tmp_path, monkeypatch):
    """The rule itself, where the tests run as root (who can write anywhere)."""
    notes = tmp_path / "notes"
    notes.mkdir()
    real_access = os.access
    monkeypatch.setattr(database.os, "access", lambda path, mode: False if Path(path) == notes else real_access(path, mode))
    assert database.cache_folder(notes) == Path(os.environ["XDG_CACHE_HOME"]) / "dossier"
    cache = CorpusCache.open(notes, tmp_path)
    assert cache.path.parent == Path(os.environ["XDG_CACHE_HOME"]) / "dossier"
    assert not (notes / "cache").exists()
    cache.close()


def test_a_cache_folder_that_cannot_be_made_falls_back_to_the_user_cache_then_to_memory(tmp_path, monkeypatch):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "cache").write_text("a file where the cache folder should be", encoding="utf-8")
    cache = CorpusCache.open(notes, tmp_path)
    assert cache.path.parent == Path(os.environ["XDG_CACHE_HOME"]) / "dossier"
    cache.close()
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Harbour talks resume\n\nThe harbour talks resumed on Monday after a long pause.\n")
    cache = CorpusCache.open(notes, corpus)  # nowhere to write: a cache in memory, for this run only
    assert cache.path is None
    refresh.update_cache(cache, scan_corpus(corpus))
    assert [row.state for row in cache.rows()] == [READ]
    found: list[int] = []
    reader = threading.Thread(target=lambda: found.append(cache.count()))  # another thread sees the same cache
    reader.start()
    reader.join()
    assert found == [1]
    cache.close()


# --- the evidence, over any sequence of changes --------------------------------------------

EVIDENCE_LINES = [
    "Share this article",
    "Sign up for our newsletter",
    "Advertisement",
    "© 2024 The Daily Courier",
    "The committee met on Tuesday to discuss the harbour plans.",
    "Officials said the budget would be reviewed again.",
    "The river burst its banks after a week of heavy rain.",
    "   ",
    "",
]
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.integers(0, 4), st.lists(st.sampled_from(EVIDENCE_LINES), min_size=1, max_size=6)),
        st.tuples(st.just("remove"), st.integers(0, 4), st.just([])),
        st.tuples(st.just("rename"), st.integers(0, 4), st.just([])),
        st.tuples(st.just("empty"), st.integers(0, 4), st.just([])),
        st.tuples(st.just("update"), st.just(0), st.just([])),
    ),
    max_size=14,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STEPS)
def test_the_evidence_is_always_counted_over_the_articles_read(steps):
    with tempfile.TemporaryDirectory() as folder:
        corpus = CachedCorpus(Path(folder))
        files: dict[int, str] = {}  # what each file holds now (rel a<i>.txt, or a<i>-moved.txt after a rename)
        names: dict[int, str] = {}
        clock = 1_000_000
        try:
            for action, i, lines in [*steps, ("update", 0, [])]:
                clock += 1
                if action == "write" or action == "empty":
                    names.setdefault(i, f"a{i}.txt")
                    text = "\n".join(lines) if action == "write" else ""
                    set_mtime(corpus.write(names[i], text), clock)
                    files[i] = text
                elif action == "remove" and i in files:
                    corpus.remove(names.pop(i))
                    del files[i]
                elif action == "rename" and i in files:
                    new = f"a{i}-moved.txt" if names[i] == f"a{i}.txt" else f"a{i}.txt"
                    os.rename(corpus.corpus / names[i], corpus.corpus / new)
                    names[i] = new
                elif action == "update":
                    corpus.update()
                    readable = {names[i]: text for i, text in files.items() if text.strip()}
                    assert set(corpus.read_rels()) == set(readable)
                    assert_evidence_is_counted_over(corpus, sources(corpus), set(EVIDENCE_LINES))
                    assert sources(corpus) == readable
        finally:
            corpus.close()


# --- the notes' counts -------------------------------------------------------------------


def note_state(cache: CorpusCache) -> tuple[dict, list]:
    rows = cache.db.connect().execute("SELECT annotation, path, start, end, note FROM note_rows ORDER BY annotation").fetchall()
    return note_counts(cache), rows


def test_sync_notes_counts_and_tags_each_article_from_the_notes_folder(corpus, monkeypatch):
    harbour, ferry = corpus.source("harbour.txt"), corpus.source("ferry.md")
    with corpus.store() as store:
        first = store.add(ArticleRef.of("harbour.txt", harbour), harbour, 4, 9, ["energy"], "plans for the port")
        store.add(ArticleRef.of("harbour.txt", harbour), harbour, 40, 50, ["security", "energy"])
        store.add(ArticleRef.of("ferry.md", ferry), ferry, 0, 5, ["diplomacy"], "ask the ferry operator")
    assert corpus.sync() == 2
    assert note_counts(corpus.cache) == {"harbour.txt": (2, ("energy", "security")), "ferry.md": (1, ("diplomacy",))}
    row = corpus.cache.row("harbour.txt")
    assert (row.notes, row.tags) == (2, ("energy", "security"))
    assert (corpus.cache.row("sub/river.txt").notes, corpus.cache.row("sub/river.txt").tags) == (0, ())
    _, rows = note_state(corpus.cache)
    assert [(a, p, s, e, n) for a, p, s, e, n in rows if a == first.id] == [(first.id, "harbour.txt", 4, 9, "plans for the port")]
    assert len(rows) == 2  # the annotation without a note is counted, not indexed
    assert corpus.sync() == 0

    read: list[str] = []
    real_load = notes_index.load_json
    monkeypatch.setattr(notes_index, "load_json", lambda path: read.append(path.name) or real_load(path))
    with corpus.store() as store:
        store.add(ArticleRef.of("ferry.md", ferry), ferry, 10, 20, ["Syria"], "second")
    assert corpus.sync() == 1
    assert read == [f"{path_key('ferry.md')}.json"]  # only the file that changed
    assert note_counts(corpus.cache)["ferry.md"] == (2, ("diplomacy", "Syria"))

    read.clear()
    with corpus.store() as store:
        store.update(first.id, note="a longer note about the plans for the port")
    assert corpus.sync() == 1 and read == [f"{path_key('harbour.txt')}.json"]
    assert [h.annotation_id for h in corpus.search("longer").hits] == [first.id]

    with corpus.store() as store:
        for ann in store.annotations("ferry.md"):
            store.delete(ann.id)
    assert corpus.sync() == 1
    assert note_counts(corpus.cache).get("ferry.md", (0, ())) == (0, ())
    assert corpus.cache.row("ferry.md").notes == 0
    assert corpus.search("operator").hits == []

    (corpus.notes / ARTICLES_DIR / f"{path_key('harbour.txt')}.json").unlink()
    assert corpus.sync() == 1
    assert "harbour.txt" not in note_counts(corpus.cache)
    assert corpus.cache.row("harbour.txt").notes == 0


def test_a_damaged_notes_file_is_left_out_until_it_is_mended(corpus):
    harbour = corpus.source("harbour.txt")
    with corpus.store() as store:
        store.add(ArticleRef.of("harbour.txt", harbour), harbour, 4, 9, ["energy"], "plans")
    corpus.sync()
    shard = corpus.notes / ARTICLES_DIR / f"{path_key('harbour.txt')}.json"
    good = shard.read_bytes()
    shard.write_bytes(b"{ not json")
    assert corpus.sync() == 1
    assert note_counts(corpus.cache) == {}
    shard.write_bytes(json.dumps({"something": "else"}).encode())  # JSON, but not an article file
    assert corpus.sync() == 1 and note_counts(corpus.cache) == {}
    shard.write_bytes(good)
    assert corpus.sync() == 1
    assert note_counts(corpus.cache) == {"harbour.txt": (1, ("energy",))}


def test_notes_of_a_missing_notes_folder_are_none(tmp_path):
    cache = CorpusCache.open(tmp_path / "nowhere", tmp_path)
    assert sync_notes(cache, tmp_path / "nowhere") == 0 and note_counts(cache) == {}
    cache.close()


def test_recorded_notes_are_shown_at_once_and_the_notes_folder_wins_at_the_next_sync(corpus, monkeypatch, tmp_path):
    harbour = corpus.source("harbour.txt")
    ref = ArticleRef.of("harbour.txt", harbour)
    with corpus.store() as store:
        store.add(ref, harbour, 4, 9, ["energy"], "plans")
    corpus.sync()
    with corpus.store() as store:
        store.add(ref, harbour, 20, 30, ["security"], "a turbine remark")
        saved = store.annotations("harbour.txt")
    # The reader records what it saved: counts, tags and notes follow without a file read.
    record_notes(corpus.cache, "harbour.txt", saved)
    assert note_counts(corpus.cache) == {"harbour.txt": (2, ("energy", "security"))}
    assert [h.kind for h in corpus.search("turbine").hits] == ["note"]
    # What it recorded can be wrong (a save that failed): the notes folder wins.
    record_notes(corpus.cache, "harbour.txt", saved[:1])
    assert note_counts(corpus.cache) == {"harbour.txt": (1, ("energy",))}
    assert corpus.sync() >= 1
    converged = note_state(corpus.cache)
    assert converged[0] == {"harbour.txt": (2, ("energy", "security"))}
    assert corpus.sync() == 0
    # The same state as a cache that only ever read the notes folder.
    monkeypatch.setenv("DOSSIER_CACHE", str(tmp_path / "fresh"))
    fresh = CorpusCache.open(corpus.notes, corpus.corpus)
    refresh.update_cache(fresh, scan_corpus(corpus.corpus), processes=1)
    sync_notes(fresh, corpus.notes)
    assert note_state(fresh) == converged
    assert [h.annotation_id for h in corpus.search("turbine").hits] == [saved[1].id]
    fresh.close()


# --- the process pool, progress and stopping ------------------------------------------------


def many_articles(count: int) -> dict[str, str]:
    return {
        f"m{n}.txt": f"Report number {n} on the quarry\n\n"
        f"Article number {n} reports that the quarry expansion was approved by the council on Monday.\n\n"
        f"Residents of street {n} said they would appeal against the decision before the summer.\n"
        for n in range(count)
    }


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
