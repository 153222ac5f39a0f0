"""Bringing the corpus cache up to date (tui.core.cache.refresh): what is read, and what is not.

A cold update reads every file, a warm one reads none, only what changed is
read again, a rename or a touch costs no cleaning, and the evidence and the
full-text index follow every change exactly. Real corpus folders and a real
SQLite file (see ``tests/small_corpus.py``).
"""

from __future__ import annotations

import os

import pytest

from tests.cached_corpus import CachedCorpus, set_mtime
from tests.small_corpus import (
    ARTICLES,
    HARBOUR,
    LIGHTHOUSE,
    LISTED,
    UNREADABLE_FILES,
    assert_evidence_is_counted_over,
    filled,
    fts_rels,
    index_answers,
    never,
    sources,
    sql,
)
from tui.core.cache import refresh
from tui.core.cache.analyse import cleaner_version
from tui.core.cache.corpus_cache import PENDING, READ, UNREADABLE, CorpusCache
from tui.core.cache.refresh import Listing, read_files, take_listing
from tui.core.clean import clean_text
from tui.core.corpus import ArticleError, read_article, scan_corpus
from tui.core.document import title_of, word_count


@pytest.fixture
def corpus(tmp_path):
    corpus = filled(tmp_path)
    yield corpus
    corpus.close()


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
