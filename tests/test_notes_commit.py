"""The all-or-nothing commit of a bulk import (``notes/commit.py``): it writes each analyst's own files directly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.core.notes import commit
from tui.core.notes.files import ARTICLES_DIR, MAIN_FILE, SaveError, StoreError, path_key
from tui.core.notes.layout import ANALYSTS_DIR
from tui.core.notes.model import Annotation, ArticleRef, make_target
from tui.core.notes.repair import doctor
from tui.core.notes.store import Store

STAMP = "2024-01-01T00:00:00+00:00"
TEXTS = {f"a{n}.txt": f"Article {n}: the minister met the envoy in Ankara to talk about gas.\n" for n in range(3)}


def made(ident: str, path: str, analyst: str, tag: str = "energy") -> Annotation:
    text = TEXTS[path]
    return Annotation(ident, ArticleRef.of(path, text), make_target(text, 13, 25), (tag,), "", STAMP, STAMP, analyst=analyst)


def batch() -> list[Annotation]:
    """Two analysts on three articles: more than one file, so the import takes the commit."""
    return [made(f"{who}-{n}", path, who) for n, path in enumerate(TEXTS) for who in ("anna", "bea")]


def ids(notes: Path) -> dict[str, str]:
    with Store.open(notes, mode="read") as store:
        return {a.id: a.analyst for a in store.all_annotations()}


def test_an_import_writes_each_analysts_files_and_shared_headers_only(tmp_path):
    notes = tmp_path / "notes"
    with Store.open(notes) as store:
        assert store.import_annotations(batch()) == 6
    for path in TEXTS:
        key = path_key(path)  # named after the path, as the reader names a new article's file
        shared = json.loads((notes / ARTICLES_DIR / f"{key}.json").read_text())
        assert shared["annotations"] == {} and shared["article"]["1"]["path"] == path
        for who in ("anna", "bea"):
            mine = json.loads((notes / ANALYSTS_DIR / who / ARTICLES_DIR / f"{key}.json").read_text())
            assert list(mine["annotations"]) == [f"{who}-{list(TEXTS).index(path)}"]
    main = json.loads((notes / MAIN_FILE).read_text())
    assert main["articles"] == {}, "files named after their path need no index entry (nothing shared grows)"
    assert not list(notes.rglob("*.staged"))
    assert ids(notes) == {a.id: a.analyst for a in batch()}
    assert doctor(notes).ok, doctor(notes).lines()


def test_a_second_import_adds_to_an_analysts_file_and_leaves_the_others_untouched(tmp_path):
    notes = tmp_path / "notes"
    with Store.open(notes) as store:
        store.import_annotations(batch())
    key = path_key("a0.txt")
    bea = notes / ANALYSTS_DIR / "bea" / ARTICLES_DIR / f"{key}.json"
    shared = notes / ARTICLES_DIR / f"{key}.json"
    before = (bea.stat().st_mtime_ns, bea.stat().st_ino, shared.stat().st_ino)
    with Store.open(notes) as store:
        assert store.import_annotations([made("anna-more", "a0.txt", "anna"), made("carla-1", "a1.txt", "carla")]) == 2
    assert (bea.stat().st_mtime_ns, bea.stat().st_ino, shared.stat().st_ino) == before
    anna = json.loads((notes / ANALYSTS_DIR / "anna" / ARTICLES_DIR / f"{key}.json").read_text())
    assert sorted(anna["annotations"]) == ["anna-0", "anna-more"]
    assert ids(notes)["carla-1"] == "carla" and len(ids(notes)) == 8


def test_a_commit_cut_short_after_its_commit_point_is_seen_whole_and_finished_next_time(tmp_path, monkeypatch):
    notes = tmp_path / "notes"
    with Store.open(notes) as store:
        store.import_annotations([made("first", "a0.txt", "anna")])

    def refuse(staged: Path, final: Path) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(commit, "promote", refuse)
    with Store.open(notes) as store, pytest.raises(SaveError, match="not yet put in place"):
        store.import_annotations(batch())
    monkeypatch.undo()
    staged = sorted(p.relative_to(notes).parts[0] for p in notes.rglob("*.staged"))
    assert staged.count(ANALYSTS_DIR) == 6 and staged.count(ARTICLES_DIR) == 2  # a0's shared file is not rewritten
    # A reader sees the commit whole, the staged analysts' files in place of theirs ...
    assert ids(notes) == {"first": "anna", **{a.id: a.analyst for a in batch()}}
    assert not doctor(notes).ok
    # ... and the next writer finishes it.
    Store.open(notes).close()
    assert not list(notes.rglob("*.staged"))
    assert ids(notes) == {"first": "anna", **{a.id: a.analyst for a in batch()}}
    assert doctor(notes).ok, doctor(notes).lines()


def test_a_commit_that_fails_before_its_commit_point_leaves_nothing(tmp_path, monkeypatch):
    notes = tmp_path / "notes"
    with Store.open(notes) as store:
        store.import_annotations([made("first", "a0.txt", "anna")])
    real, calls = commit.stage, []

    def full(path: Path, data: bytes, sync: bool = True) -> None:
        calls.append(path)
        if len(calls) == 4:
            raise SaveError(f"not saved: {path}: No space left on device")
        real(path, data, sync)

    monkeypatch.setattr(commit, "stage", full)
    with Store.open(notes) as store, pytest.raises(SaveError, match="No space left"):
        store.import_annotations(batch())
    assert len(calls) == 4 and not list(notes.rglob("*.staged"))
    assert ids(notes) == {"first": "anna"}


def test_a_commit_listed_by_an_older_dossier_still_finishes(tmp_path):
    """Before analysts' files were staged, a commit listed only the shared files' keys."""
    notes = tmp_path / "notes"
    with Store.open(notes) as store:
        store.import_annotations([made("first", "a0.txt", "anna")])
    key, token = path_key("a1.txt"), "0123456789abcdef"
    header = {"path": "a1.txt", "sha256": ArticleRef.of("a1.txt", TEXTS["a1.txt"]).sha256}
    doc = made("old", "a1.txt", "unattributed").to_dict()
    del doc["analyst"]
    body = {"article": {"1": header}, "annotations": {"1": doc}, "overrides": {}}
    commit.staged_path(notes, key, token).write_text(json.dumps(body))
    main = json.loads((notes / MAIN_FILE).read_text())
    main["meta"]["1"]["commit"] = {"token": token, "keys": [key]}
    (notes / MAIN_FILE).write_text(json.dumps(main))
    assert ids(notes) == {"first": "anna", "old": "unattributed"}
    Store.open(notes).close()
    assert not list(notes.rglob("*.staged")) and ids(notes) == {"first": "anna", "old": "unattributed"}


@pytest.mark.parametrize("analysts", [{"../../etc": ["0" * 40]}, {"anna": ["../x"]}, {"anna": "0" * 40}, ["anna"]])
def test_a_commit_record_naming_a_path_outside_the_analysts_folders_is_refused(tmp_path, analysts):
    notes = tmp_path / "notes"
    Store.open(notes).close()
    main = json.loads((notes / MAIN_FILE).read_text())
    main["meta"]["1"]["commit"] = {"token": "0123456789abcdef", "keys": [], "analysts": analysts}
    (notes / MAIN_FILE).write_text(json.dumps(main))
    with pytest.raises(StoreError, match="meta 'commit' should name"):
        Store.open(notes, mode="read")


def test_the_staged_files_are_synced_at_once_and_a_failed_sync_leaves_nothing(tmp_path, monkeypatch):
    """Where syncfs(2) exists the staged files are not fsynced one by one; if it fails, the import is not committed."""
    import ctypes

    notes = tmp_path / "notes"
    with Store.open(notes) as store:
        store.import_annotations([made("first", "a0.txt", "anna")])
    synced: list[int] = []

    def failing(fd: int) -> int:
        synced.append(fd)
        ctypes.set_errno(28)  # ENOSPC, as syncfs reports a write-back that failed
        return -1

    monkeypatch.setattr(commit, "_syncfs", lambda: failing)
    with Store.open(notes) as store, pytest.raises(SaveError, match="No space left on device"):
        store.import_annotations(batch())
    assert len(synced) == 1, "one file system: one call"
    assert not list(notes.rglob("*.staged")) and ids(notes) == {"first": "anna"}


def test_without_syncfs_each_staged_file_is_fsynced(tmp_path, monkeypatch):
    notes = tmp_path / "notes"
    real, synced = commit.stage, []

    def stage(path: Path, data: bytes, sync: bool = True) -> None:
        synced.append(sync)
        real(path, data, sync)

    monkeypatch.setattr(commit, "_syncfs", lambda: None)
    monkeypatch.setattr(commit, "stage", stage)
    with Store.open(notes) as store:
        assert store.import_annotations(batch()) == 6
    assert synced and all(synced)
    assert ids(notes) == {a.id: a.analyst for a in batch()}
