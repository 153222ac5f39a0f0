"""Working as a team: the analyst on the command line and in the reader, two git clones, ``dossier merge``."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.pilot import FIRST, SAMPLE, SECOND_PARAGRAPH, open_first, settle, until
from tui.app import DossierApp
from tui.cli import main
from tui.core.notes.files import ARTICLES_DIR, MAIN_FILE
from tui.core.notes.repair import doctor
from tui.core.notes.store import Store
from tui.screens.analyst import AnalystDialog

QUOTE_A = "Turkey and Azerbaijan signed a long-delayed transit agreement"
QUOTE_B = "The deal, initialled in Ankara by Turkey’s energy minister"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def annotate(capsys, notes: Path, analyst: str | None, quote: str, tag: str, article: str = FIRST) -> str:
    extra = ["--analyst", analyst] if analyst else []
    status, out, err = run(capsys, "annotate", str(SAMPLE / article), "--quote", quote, "--tag", tag, "--notes", str(notes), *extra)
    assert status == 0, err
    return out.strip()


def listed(notes: Path) -> dict[str, str]:
    """Every annotation of a notes folder, id -> analyst (read as every command reads it)."""
    with Store.open(notes, mode="read") as store:
        return {a.id: a.analyst for a in store.all_annotations()}


# --- the command line ------------------------------------------------------------------------------------


def test_annotate_records_the_analyst_and_the_exports_carry_it(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("DOSSIER_ANALYST", raising=False)
    notes = tmp_path / "notes"
    first = annotate(capsys, notes, "anna", QUOTE_A, "energy")
    monkeypatch.setenv("DOSSIER_ANALYST", "bea")
    second = annotate(capsys, notes, None, QUOTE_A, "security")  # the same span: bea's own annotation
    assert first != second and listed(notes) == {first: "anna", second: "bea"}
    monkeypatch.delenv("DOSSIER_ANALYST")
    third = annotate(capsys, notes, None, QUOTE_A, "Syria")  # the folder remembers anna (given with --analyst)
    assert third == first and listed(notes)[first] == "anna"

    _, out, _ = run(capsys, "export", str(SAMPLE), "--notes", str(notes), "--format", "json")
    creators = {item["id"].removeprefix("urn:uuid:"): item["creator"] for item in json.loads(out)["items"]}
    assert creators == {first: {"type": "Person", "name": "anna"}, second: {"type": "Person", "name": "bea"}}
    _, out, _ = run(capsys, "export", str(SAMPLE), "--notes", str(notes), "--format", "csv")
    assert {(r["id"], r["analyst"]) for r in csv.DictReader(io.StringIO(out, newline=""))} == {(first, "anna"), (second, "bea")}
    _, out, _ = run(capsys, "export", str(SAMPLE), "--notes", str(notes))
    assert "Analyst: anna" in out and "Analyst: bea" in out


@pytest.mark.parametrize("name", ["../x", "a/b", "", "\x1b[31m", "x" * 65])
def test_a_bad_analyst_name_is_one_line_and_nothing_is_written(capsys, tmp_path, name):
    notes = tmp_path / "notes"
    status, _, err = run(capsys, "annotate", str(SAMPLE / FIRST), "--quote", QUOTE_A, "--tag", "energy",
                         "--notes", str(notes), "--analyst", name)
    if name == "":  # an empty --analyst means none given: the default analyst
        assert status == 0
        return
    assert status == 2 and err.count("\n") == 1 and "analyst" in err and "Traceback" not in err
    assert not notes.exists()


def test_import_keeps_each_creator_and_gives_the_rest_to_the_importing_analyst(capsys, tmp_path):
    notes, other = tmp_path / "notes", tmp_path / "other"
    first = annotate(capsys, notes, "anna", QUOTE_A, "energy")
    run(capsys, "export", str(SAMPLE), "--notes", str(notes), "--format", "json", "-o", str(tmp_path / "a.json"))
    data = json.loads((tmp_path / "a.json").read_text())
    old = json.loads(json.dumps(data["items"][0]))
    del old["creator"]  # an export of an older Dossier
    old["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    data["items"].append(old)
    (tmp_path / "b.json").write_text(json.dumps(data))
    status, _, err = run(capsys, "import", str(tmp_path / "b.json"), "--notes", str(other), "--analyst", "carla")
    assert status == 0, err
    assert listed(other) == {first: "anna", "00000000-0000-4000-8000-000000000001": "carla"}


# --- the reader ---------------------------------------------------------------------------------------------


@pytest.fixture
def notes(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return Path("notes")


async def test_the_reader_asks_once_and_tags_as_that_analyst(notes) -> None:
    app = DossierApp(SAMPLE, notes, ask=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AnalystDialog), "the analyst dialog")
        await pilot.pause()
        box = app.screen.query_one("#analyst-dialog").region
        assert box.x > 0 and box.y > 0  # centred on the screen like every dialog, not in its corner
        await pilot.press(*"../x", "enter")
        assert "path separator" in str(app.screen.query_one("#analyst-error").render())
        await pilot.press("ctrl+u", *"dana", "enter")
        await until(pilot, lambda: not isinstance(app.screen, AnalystDialog), "the dialog to close")
        await open_first(pilot)
        await pilot.press("1")
        await settle(pilot)
    assert set(listed(notes).values()) == {"dana"}
    assert json.loads((notes / "local.json").read_text())["analyst"] == "dana"  # asked once: remembered here


async def test_the_annotations_pane_names_the_analyst_and_A_cycles_whose_are_shown(notes, capsys) -> None:
    anna = annotate(capsys, notes, "anna", SECOND_PARAGRAPH, "energy")
    bea = annotate(capsys, notes, "bea", SECOND_PARAGRAPH, "security")
    app = DossierApp(SAMPLE, notes, analyst="bea")
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("a")
        await settle(pilot)
        pane = app.reader.on_demand("notes")

        def shown() -> list[str]:
            return [a.id for a in pane.annotations]

        assert sorted(shown()) == sorted([anna, bea])
        assert any("— anna" in str(o.prompt) for o in pane.options) and any("— bea" in str(o.prompt) for o in pane.options)
        pane.focus()
        for expected in ([anna], [bea], sorted([anna, bea])):
            await pilot.press("A")
            await settle(pilot)
            await until(pilot, lambda expected=expected: sorted(shown()) == expected, f"only {expected}")
        # A tag key makes or changes bea's own annotation, never anna's.
        app.reader.main.view.focus()
        await pilot.press("3")
        await settle(pilot)
    with Store.open(notes, mode="read") as store:
        assert store.get(anna).tags == ("energy",)
        assert [a.tags for a in store.all_annotations() if a.analyst == "bea" and "Syria" in a.tags]


# --- two clones of one git repository -------------------------------------------------------------------------

GIT = shutil.which("git")


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_two_analysts_in_two_clones_never_conflict(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("DOSSIER_ANALYST", raising=False)
    origin, one, two = tmp_path / "origin", tmp_path / "one", tmp_path / "two"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    Store.open(origin / "notes").close()  # the team's notes folder, with its .gitignore
    git(origin, "add", "notes")
    git(origin, "commit", "-q", "-m", "notes")
    hub = tmp_path / "hub.git"  # the team's shared repository (a bare one, as on a server)
    git(tmp_path, "clone", "-q", "--bare", str(origin), str(hub))
    git(tmp_path, "clone", "-q", str(hub), str(one))
    git(tmp_path, "clone", "-q", str(hub), str(two))
    for clone in (one, two):
        git(clone, "config", "pull.rebase", "false")

    SECOND = "02_black-sea-patrols.txt"
    a_same = annotate(capsys, one / "notes", "anna", QUOTE_A, "energy")
    b_same = annotate(capsys, two / "notes", "bea", QUOTE_A, "security")  # the same passage of the same article
    b_more = annotate(capsys, two / "notes", "bea", QUOTE_B, "Syria")  # bea's second on it
    a_other = annotate(capsys, one / "notes", "anna", first_words(SAMPLE / SECOND), "diplomacy", article=SECOND)
    # machine-only files stay out of git
    assert "local.json" not in git(one, "status", "--porcelain", "--untracked-files=all")
    assert ".lock" not in git(one, "status", "--porcelain", "--untracked-files=all")

    for clone, message in ((one, "anna's coding"), (two, "bea's coding")):
        git(clone, "add", "notes")
        git(clone, "commit", "-q", "-m", message)
    git(one, "push", "-q", "origin", "main")
    git(two, "pull", "-q", "--no-rebase", "origin", "main")  # would fail on a conflict
    git(two, "push", "-q", "origin", "main")
    git(one, "pull", "-q", "--no-rebase", "origin", "main")
    for clone in (one, two):
        assert git(clone, "diff", "--name-only", "--diff-filter=U") == ""
        assert "<<<<<<<" not in "".join(p.read_text(errors="replace") for p in (clone / "notes").rglob("*.json"))
        assert listed(clone / "notes") == {a_same: "anna", a_other: "anna", b_same: "bea", b_more: "bea"}
        status, out, _ = run(capsys, "list", str(SAMPLE), "--json", "--notes", str(clone / "notes"))
        counts = {a["path"]: a["annotations"] for a in json.loads(out)["articles"]}
        assert counts[FIRST] == 3 and counts[SECOND] == 1
        status, out, _ = run(capsys, "doctor", "--notes", str(clone / "notes"))
        assert status == 0, out
    assert (one / "notes" / "analysts" / "bea" / ARTICLES_DIR).is_dir() and (two / "notes" / "analysts" / "anna").is_dir()


def first_words(path: Path) -> str:
    """A quote that occurs once in the article: its longest line's first 40 characters."""
    text = path.read_text(encoding="utf-8")
    line = max(text.splitlines(), key=len)[:40]
    assert text.count(line) == 1
    return line


# --- dossier merge ------------------------------------------------------------------------------------------------


def test_merge_is_a_union_that_keeps_both_versions_of_an_id_changed_twice(capsys, tmp_path):
    a, b, dest = tmp_path / "a", tmp_path / "b", tmp_path / "dest"
    anna = annotate(capsys, a, "anna", QUOTE_A, "energy")
    shutil.copytree(a, b)  # b started as a copy of a, then both went on
    bea = annotate(capsys, b, "bea", QUOTE_B, "security")
    with Store.open(b) as store:
        store.update(anna, note="changed in b")
    status, out, err = run(capsys, "merge", str(a), str(b), "--notes", str(dest))
    assert status == 0, err
    assert "merged 3 annotation(s)" in out and f"changed in two places: {anna}" in out
    with Store.open(dest, mode="read") as store:
        anns = store.all_annotations()
    assert len(anns) == 3 and {x.analyst for x in anns} == {"anna", "bea"}
    notes = {x.id: x.note for x in anns}
    assert notes[anna] == "" and bea in notes
    second = next(x for x in anns if x.id not in (anna, bea))
    assert second.note.startswith("changed in b\n[merged from") and anna in second.note
    # Merging again changes nothing: every id, and the second version, is there.
    status, out, _ = run(capsys, "merge", str(a), str(b), "--notes", str(dest))
    assert status == 0 and "merged 0 annotation(s)" in out
    assert len(listed(dest)) == 3
    # Each annotation sits in its analyst's own file, none in a shared one (clones of dest would edit those).
    assert in_shared_files(dest) == []
    assert {path.parent.parent.name for path in dest.glob(f"analysts/*/{ARTICLES_DIR}/*.json")} == {"anna", "bea"}


def in_shared_files(notes: Path) -> list[str]:
    """The ids of annotations kept in the shared article files (``articles/*.json``)."""
    return [doc["id"] for path in (notes / ARTICLES_DIR).glob("*.json")
            for doc in json.loads(path.read_text(encoding="utf-8")).get("annotations", {}).values()]


def test_a_bulk_import_puts_each_annotation_in_its_analysts_file(capsys, tmp_path):
    source, dest = tmp_path / "source", tmp_path / "dest"
    annotate(capsys, source, "anna", QUOTE_A, "energy")
    annotate(capsys, source, "bea", "Russian frigates shadow Meridian survey ship", "security", "02_black-sea-patrols.txt")
    exported = tmp_path / "all.json"  # two articles: one commit of several files, all or nothing
    status, _, err = run(capsys, "export", str(SAMPLE), "--notes", str(source), "--format", "json", "-o", str(exported))
    assert status == 0, err
    status, out, err = run(capsys, "import", str(exported), "--notes", str(dest))
    assert status == 0 and "imported 2 annotation(s)" in out, err
    assert in_shared_files(dest) == []
    assert sorted(listed(dest).values()) == ["anna", "bea"]


def test_merge_refuses_a_damaged_source_in_one_line_and_merges_the_others(capsys, tmp_path):
    good, bad, dest = tmp_path / "good", tmp_path / "bad", tmp_path / "dest"
    kept = annotate(capsys, good, "anna", QUOTE_A, "energy")
    annotate(capsys, bad, "bea", QUOTE_A, "security")
    annotate(capsys, bad, "bea", QUOTE_B, "Syria")
    damaged = next(bad.glob(f"analysts/bea/{ARTICLES_DIR}/*.json"))
    damaged.write_bytes(damaged.read_bytes()[:-40])
    status, _, err = run(capsys, "merge", str(bad), str(good), str(tmp_path / "nowhere"), "--notes", str(dest))
    assert status == 1
    lines = err.splitlines()
    assert len(lines) == 2 and "nothing was merged from it" in lines[0] and "not a notes folder" in lines[1]
    assert listed(dest) == {kept: "anna"}
    assert not (dest / "analysts" / "bea").exists()
    assert json.loads((dest / MAIN_FILE).read_text())["meta"]["1"]["schema"] == 3


def test_merge_from_a_folder_whose_name_is_not_utf8_keeps_a_valid_note_on_the_second_version(capsys, tmp_path):
    a, dest = tmp_path / "a", tmp_path / "dest"
    anna = annotate(capsys, a, "anna", QUOTE_A, "energy")
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/b\xff"))  # an undecodable byte: a lone surrogate in the name
    shutil.copytree(a, dest)
    shutil.copytree(a, odd)
    with Store.open(odd) as store:
        store.update(anna, note="changed in b")
    status, out, err = run(capsys, "merge", str(odd), "--notes", str(dest))
    assert status == 0 and "merged 1 annotation(s)" in out, err
    with Store.open(dest, mode="read") as store:
        second = next(x for x in store.all_annotations() if x.id != anna)
    assert "\\udcff" in second.note and second.note.encode("utf-8")
    assert doctor(dest).ok, doctor(dest).lines()
