"""Who coded an annotation, and the layout that gives each analyst files of their own (``notes/layout.py``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tui.core.notes.analysts import (
    DEFAULT_ANALYST,
    AnalystError,
    check_analyst,
    current_analyst,
    remember,
)
from tui.core.notes.files import ARTICLES_DIR, MAIN_FILE, StoreError, path_key
from tui.core.notes.model import ArticleRef
from tui.core.notes.repair import doctor
from tui.core.notes.store import Store, annotate_span

FIXTURES = Path(__file__).parent / "fixtures"
TEXT = "The ambassador was shot at an art gallery in Ankara on Monday evening.\n"
REF = ArticleRef.of("ankara.txt", TEXT)


def open_as(notes: Path, analyst: str) -> Store:
    store = Store.open(notes)
    store.analyst = analyst
    return store


@pytest.mark.parametrize("name", ["", "  ", "a/b", "a\\b", "..", ".", ".hidden", "-rf", "tab\there", "bell\x07", "x" * 65])
def test_a_bad_analyst_name_is_refused_in_one_line(name):
    with pytest.raises(AnalystError) as caught:
        check_analyst(name)
    assert "\n" not in str(caught.value)


def test_good_names_are_kept_stripped():
    assert check_analyst(" Ayşe Yılmaz ") == "Ayşe Yılmaz"
    assert check_analyst("anna_b-2") == "anna_b-2"


def test_the_analyst_comes_from_the_option_then_the_environment_then_the_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DOSSIER_ANALYST", raising=False)
    assert current_analyst(None, tmp_path) is None
    remember(tmp_path, "carla")
    assert current_analyst(None, tmp_path) == "carla"
    monkeypatch.setenv("DOSSIER_ANALYST", "bea")
    assert current_analyst(None, tmp_path) == "bea"
    assert current_analyst("anna", tmp_path) == "anna"
    with pytest.raises(AnalystError, match="--analyst"):
        current_analyst("../x", tmp_path)
    monkeypatch.setenv("DOSSIER_ANALYST", "a/b")
    with pytest.raises(AnalystError, match="DOSSIER_ANALYST"):
        current_analyst(None, tmp_path)


def test_each_analyst_writes_only_a_file_of_their_own(tmp_path):
    notes = tmp_path / "notes"
    with open_as(notes, "anna") as store:
        first = store.add(REF, TEXT, 4, 14, ["security"], "anna's")
    shared = (notes / ARTICLES_DIR / f"{path_key(REF.path)}.json").read_bytes()
    main = (notes / MAIN_FILE).read_bytes()
    with open_as(notes, "bea") as store:
        second = store.add(REF, TEXT, 4, 14, ["energy"])
        assert {a.analyst for a in store.annotations(REF.path)} == {"anna", "bea"}
        assert store.get(first.id).analyst == "anna" and store.get(second.id).analyst == "bea"
    # B's annotation touched neither the shared files nor A's.
    assert (notes / ARTICLES_DIR / f"{path_key(REF.path)}.json").read_bytes() == shared
    assert (notes / MAIN_FILE).read_bytes() == main
    mine = notes / "analysts" / "bea" / ARTICLES_DIR / f"{path_key(REF.path)}.json"
    lines = mine.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and second.id in lines[2]  # one annotation per line
    assert json.loads(lines[2].split(": ", 1)[1].rstrip(","))["analyst"] == "bea"
    assert ".lock" in (notes / ".gitignore").read_text() and "local.json" in (notes / ".gitignore").read_text()


def test_the_same_notes_give_the_same_bytes(tmp_path):
    """Sorted keys and ids: the order the annotations were made in does not show in the file."""
    files = []
    for n, order in enumerate(([0, 20, 40], [40, 0, 20])):
        notes = tmp_path / f"notes{n}"
        with open_as(notes, "anna") as store:
            ids = [store.add(REF, TEXT, start, start + 5, ["security"]).id for start in order]
        files.append((notes, ids))
    texts = [(n / "analysts/anna/articles" / f"{path_key(REF.path)}.json").read_text() for n, _ in files]
    lines = [sorted(json.loads(t)["annotations"]) for t in texts]
    assert all(line == sorted(line) for line in lines)
    assert [ln.split(":")[0] for ln in texts[0].splitlines()[2:5]] == sorted(ln.split(":")[0] for ln in texts[0].splitlines()[2:5])


def test_adding_a_tag_on_the_same_span_merges_only_within_one_analyst(tmp_path):
    notes = tmp_path / "notes"
    with open_as(notes, "anna") as store:
        anna, new = annotate_span(store, REF, TEXT, 4, 14, ["security"])
        assert new
    with open_as(notes, "bea") as store:
        bea, new = annotate_span(store, REF, TEXT, 4, 14, ["energy"])
        assert new and bea.id != anna.id
        again, new = annotate_span(store, REF, TEXT, 4, 14, ["Syria"])
        assert not new and again.id == bea.id and again.tags == ("energy", "Syria")
        assert store.get(anna.id).tags == ("security",)


def test_an_old_folder_is_moved_into_the_analysts_files_without_loss(tmp_path):
    """The fixture was written by the Dossier before analysts (schema 2): its annotations read as unattributed."""
    notes = tmp_path / "notes"
    shutil.copytree(FIXTURES / "notes_v2", notes)
    with Store.open(notes, mode="read") as store:
        before = {a.id: a for a in store.all_annotations()}
    assert len(before) == 4 and {a.analyst for a in before.values()} == {DEFAULT_ANALYST}
    assert doctor(notes).ok
    with Store.open(notes) as store:  # a writer moves them
        after = {a.id: a for a in store.all_annotations()}
        assert store.overrides("article_b.txt") == {1: False}
    assert after == before
    assert json.loads((notes / MAIN_FILE).read_text())["meta"]["1"]["schema"] == 3
    for shared in (notes / ARTICLES_DIR).glob("*.json"):
        assert json.loads(shared.read_text())["annotations"] == {}
    moved = sorted((notes / "analysts" / DEFAULT_ANALYST / ARTICLES_DIR).glob("*.json"))
    assert len(moved) == 2 and sum(len(json.loads(p.read_text())["annotations"]) for p in moved) == 4
    assert doctor(notes).ok


def test_an_upgrade_cut_short_reads_each_annotation_once(tmp_path):
    """A crash after an analyst's file was written and before the article file was emptied: no loss, no double."""
    notes = tmp_path / "notes"
    shutil.copytree(FIXTURES / "notes_v2", notes)
    old = {p: p.read_bytes() for p in (notes / ARTICLES_DIR).glob("*.json")}
    with Store.open(notes) as store:
        ids = sorted(a.id for a in store.all_annotations())
    for path, raw in old.items():  # the article files as they were, the analysts' files written
        path.write_bytes(raw)
    main = json.loads((notes / MAIN_FILE).read_text())
    main["meta"]["1"]["schema"] = 2
    (notes / MAIN_FILE).write_text(json.dumps(main))
    with Store.open(notes) as store:
        assert sorted(a.id for a in store.all_annotations()) == ids
    assert doctor(notes).ok


def test_an_article_only_an_analysts_file_names_is_read(tmp_path):
    """Git may bring an analyst's file without its article's shared file: the annotations are not lost."""
    notes = tmp_path / "notes"
    with open_as(notes, "anna") as store:
        ann = store.add(REF, TEXT, 4, 14, ["security"])
    (notes / ARTICLES_DIR / f"{path_key(REF.path)}.json").unlink()
    with open_as(notes, "anna") as store:
        assert [a.id for a in store.annotations(REF.path)] == [ann.id]
        second = store.add(REF, TEXT, 20, 30, ["energy"])
        assert [a.id for a in store.annotations(REF.path)] == [ann.id, second.id]


def test_a_conflicted_codebook_is_explained_in_one_line(tmp_path):
    notes = tmp_path / "notes"
    Store.open(notes).close()
    main = (notes / MAIN_FILE).read_text().splitlines()
    at = next(i for i, line in enumerate(main) if '"security"' in line)
    main[at:at + 1] = ["<<<<<<< HEAD", main[at], "=======", main[at].replace("security", "safety"), ">>>>>>> origin/main"]
    (notes / MAIN_FILE).write_text("\n".join(main))
    with pytest.raises(StoreError, match="git conflict markers") as caught:
        Store.open(notes)
    assert "\n" not in str(caught.value)
    problems = doctor(notes).problems
    assert len(problems) == 1 and "conflict markers" in problems[0][1] and "--theirs" in problems[0][1]
