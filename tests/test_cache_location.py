"""Where the corpus cache lives (tui.core.cache.database): beside the notes, or where the rules say.

Beside the notes folder (never shared through git), one cache for one corpus
however it is reached, ``$DOSSIER_CACHE`` when it is set, the user's cache
folder when the notes folder is missing or cannot be written, and memory
when nothing can be.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from tests.cached_corpus import CachedCorpus
from tui.core.cache import database, refresh
from tui.core.cache.corpus_cache import READ, CorpusCache
from tui.core.cache.database import cache_path, corpus_id
from tui.core.corpus import scan_corpus

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
