"""The notes' counts, tags and note search in the corpus cache (tui.core.cache.notes_index).

The counts follow the notes folder: only the notes files that changed are
read again, a damaged one is left out until it is mended, and what the
reader records at once is put right by the next sync from the notes folder.
"""

from __future__ import annotations

import json

import pytest

from tests.small_corpus import filled
from tui.core.cache import notes_index, refresh
from tui.core.cache.corpus_cache import CorpusCache
from tui.core.cache.notes_index import note_attributes, note_counts, record_notes, sync_notes
from tui.core.corpus import scan_corpus
from tui.core.notes.files import ARTICLES_DIR, path_key
from tui.core.notes.model import ArticleRef


@pytest.fixture
def corpus(tmp_path):
    corpus = filled(tmp_path)
    yield corpus
    corpus.close()


# --- the notes' counts -------------------------------------------------------------------


def note_state(cache: CorpusCache) -> tuple[dict, list]:
    rows = cache.db.connect().execute("SELECT annotation, path, start, end, note FROM note_rows ORDER BY annotation").fetchall()
    return note_counts(cache), rows


def note_analysts(cache: CorpusCache) -> list[tuple[str, str]]:
    return cache.db.connect().execute("SELECT annotation, analyst FROM note_rows ORDER BY annotation").fetchall()


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
    real_read = notes_index.read_article  # an article's shared file and its analysts' files, read together
    monkeypatch.setattr(notes_index, "read_article", lambda notes, key: read.append(f"{key}.json") or real_read(notes, key))
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

    for gone in corpus.notes.glob(f"**/{path_key('harbour.txt')}.json"):  # its shared file and its analyst's file
        gone.unlink()
    assert corpus.sync() == 1
    assert "harbour.txt" not in note_counts(corpus.cache)
    assert corpus.cache.row("harbour.txt").notes == 0


def test_the_analysts_attribute_edits_are_kept_beside_the_counts_as_the_store_reads_them(corpus, monkeypatch):
    """The reader's list takes each article's edits from here, not from every notes file (notes_index.note_attributes)."""
    harbour, ferry = corpus.source("harbour.txt"), corpus.source("ferry.md")
    ref = ArticleRef.of("harbour.txt", harbour)
    with corpus.store() as store:
        store.attributes.set(ref, harbour, {"source": "Harbour Weekly", "date": "2019-04-12", "author": ""})
        store.add(ArticleRef.of("ferry.md", ferry), ferry, 0, 5, ["diplomacy"])  # annotated, never edited
    corpus.sync()
    with corpus.store() as store:
        expected = store.attributes.of("harbour.txt")
    assert note_attributes(corpus.cache) == {"harbour.txt": expected}
    assert expected == {"source": "Harbour Weekly", "date": "2019-04-12", "author": ""}  # "": cleared by the analyst

    # A save the reader records (its annotations only) keeps the article's edits.
    with corpus.store() as store:
        store.add(ref, harbour, 4, 9, ["energy"])
        saved = store.annotations("harbour.txt")
    record_notes(corpus.cache, "harbour.txt", saved)
    assert note_attributes(corpus.cache) == {"harbour.txt": expected}

    # An edit taken back: the next sync reads that one file again and follows.
    read: list[str] = []
    real_read = notes_index.read_article
    monkeypatch.setattr(notes_index, "read_article", lambda notes, key: read.append(key) or real_read(notes, key))
    with corpus.store() as store:
        store.attributes.set(ref, harbour, {"author": None, "source": None})
    assert corpus.sync() >= 1 and read == [path_key("harbour.txt")]
    assert note_attributes(corpus.cache) == {"harbour.txt": {"date": "2019-04-12"}}


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
        store.analyst = "bea"  # each note row records its analyst: unattributed's first note, bea's second
        store.add(ref, harbour, 20, 30, ["security"], "a turbine remark")
        saved = store.annotations("harbour.txt")
    # The reader records what it saved: counts, tags and notes follow without a file read.
    record_notes(corpus.cache, "harbour.txt", saved)
    assert note_counts(corpus.cache) == {"harbour.txt": (2, ("energy", "security"))}
    assert note_analysts(corpus.cache) == sorted((a.id, a.analyst) for a in saved)
    assert sorted(analyst for _, analyst in note_analysts(corpus.cache)) == ["bea", "unattributed"]
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
    assert note_analysts(fresh) == note_analysts(corpus.cache)
    assert [h.annotation_id for h in corpus.search("turbine").hits] == [saved[1].id]
    fresh.close()
