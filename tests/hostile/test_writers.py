"""Class 5: writers at once.

Writers (``annotate``, ``import``, ``doctor --repair``) wait their turn for
the write lock, up to ``--wait`` seconds, saying on stderr whom they wait
for, and refuse in one line naming the holder if they give up; all of many
simultaneous ``annotate`` calls succeed. ``export`` and ``list`` never take
the lock and never write the notes, whatever corpus they are pointed at.
A reader that is open holds the lock; a writer waiting for it gives up,
bounded, naming it.

No test here depends on a speed: processes are released by what they print
(a holder says "holding", a waiter says "waiting"), and the generous
``--wait`` and ``timeout`` values only keep a broken build from hanging.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.pilot import SAMPLE, open_first
from tui.app import DossierApp
from tui.cli import main
from tui.core.notes.repair import doctor
from tui.core.notes.store import Store

ROOT = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, PYTHONPATH=str(ROOT))
ARTICLE = "crowd.txt"
SENTENCES = [f"Delegate number {n} said the transit fee for cargo {n * 7} was fair." for n in range(40)]

HOLDER = textwrap.dedent(
    """
    import sys
    from tui.core.notes.store import Store
    store = Store.open(sys.argv[1], mode="write")
    print("holding", flush=True)
    sys.stdin.read()  # hold the lock until stdin closes
    store.close()
    """
)


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / ARTICLE).write_text("\n\n".join(SENTENCES) + "\n", encoding="utf-8")
    shutil.copy(SAMPLE / "01_pipeline-deal-signed.txt", folder)
    return folder


def annotate(corpus: Path, notes: Path, n: int, wait: str = "600") -> list[str]:
    return [sys.executable, "-m", "tui.cli", "annotate", str(corpus / ARTICLE), "--quote", SENTENCES[n][:-1],
            "--tag", "energy", "--note", f"writer {n}", "--notes", str(notes), "--wait", wait]


def stored(notes: Path) -> dict[str, str]:
    with Store.open(notes, mode="read") as store:
        return {a.id: a.note for a in store.all_annotations()}


def only_waiting(stderr: str) -> bool:
    """Whether stderr holds nothing but the waiting notice (no error, no traceback)."""
    return all("waiting for the notes: they are being written by process" in line for line in stderr.splitlines())


@pytest.mark.parametrize("writers", [10, 30])
def test_simultaneous_annotates_all_succeed(tmp_path, corpus, writers) -> None:
    notes = tmp_path / "notes"
    processes = [subprocess.Popen(annotate(corpus, notes, n), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=ENV, cwd=ROOT) for n in range(writers)]
    results = [(p.communicate(timeout=900), p.returncode) for p in processes]
    for (_, err), status in results:
        assert status == 0 and only_waiting(err), err
    ids = [out.strip() for (out, _), _ in results]
    assert len(set(ids)) == writers
    notes_by_id = stored(notes)
    assert {notes_by_id[i] for i in ids} == {f"writer {n}" for n in range(writers)}  # every one, each once
    assert len(notes_by_id) == writers and doctor(notes).ok


@pytest.fixture
def holder(tmp_path):
    """A process holding the notes folder's write lock until the test lets it go."""
    notes = tmp_path / "notes"
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(notes)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True, env=ENV, cwd=ROOT)
    try:
        assert process.stdout.readline().strip() == "holding"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=60)


def writers_of(corpus: Path, notes: Path, tmp_path: Path) -> dict[str, list[str]]:
    export = tmp_path / "import.json"
    export.write_text(json.dumps({"type": "AnnotationCollection", "total": 0, "items": []}))
    return {
        "annotate": annotate(corpus, notes, 0, wait="{wait}"),
        "import": [sys.executable, "-m", "tui.cli", "import", str(export), "--notes", str(notes), "--wait", "{wait}"],
        "repair": [sys.executable, "-m", "tui.cli", "doctor", "--notes", str(notes), "--repair", "--wait", "{wait}"],
    }


@pytest.mark.parametrize("command", ["annotate", "import", "repair"])
def test_a_writer_gives_up_in_one_line_naming_the_holder(tmp_path, corpus, holder, command) -> None:
    notes = tmp_path / "notes"
    argv = writers_of(corpus, notes, tmp_path)[command]
    now = subprocess.run([a.replace("{wait}", "0") for a in argv], capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300)
    assert now.returncode == 2 and now.stderr.count("\n") == 1, now.stderr
    assert f"notes are being written by process {holder.pid} on " in now.stderr and "close it and try again" in now.stderr
    later = subprocess.run([a.replace("{wait}", "2") for a in argv], capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300)
    waited, refusal = later.stderr.splitlines()
    assert later.returncode == 2 and "Traceback" not in later.stderr
    assert f"waiting for the notes: they are being written by process {holder.pid} on " in waited
    assert f"notes are being written by process {holder.pid} on " in refusal and "(waited 2 s)" in refusal
    assert stored(notes) == {}


def test_a_waiting_writer_goes_on_when_the_holder_is_done(tmp_path, corpus, holder) -> None:
    notes = tmp_path / "notes"
    waiter = subprocess.Popen(annotate(corpus, notes, 3), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=ENV, cwd=ROOT)
    try:
        said = waiter.stderr.readline()  # the writer's own word that it is waiting, not a clock
        assert f"waiting for the notes: they are being written by process {holder.pid}" in said
        holder.stdin.close()  # the holder closes its store and exits
        out, err = waiter.communicate(timeout=600)
    finally:
        if waiter.poll() is None:
            waiter.kill()
    assert waiter.returncode == 0 and err == "", err
    assert stored(notes) == {out.strip(): "writer 3"}


def test_export_list_and_doctor_never_take_the_lock(tmp_path, corpus, capsys) -> None:
    notes = tmp_path / "notes"
    assert main(["annotate", str(corpus / ARTICLE), "--quote", SENTENCES[5][:-1], "--tag", "energy", "--notes", str(notes)]) == 0
    capsys.readouterr()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(notes)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, env=ENV, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "holding"
        for argv in (["export", str(corpus), "--format", "json"], ["export", str(corpus)], ["list", str(corpus), "--json"],
                     ["doctor"]):
            done = subprocess.run([sys.executable, "-m", "tui.cli", *argv, "--notes", str(notes)], capture_output=True,
                                  text=True, env=ENV, cwd=ROOT, timeout=300)
            assert done.returncode == 0 and done.stderr == "", (argv, done.stderr)
        assert json.loads(subprocess.run([sys.executable, "-m", "tui.cli", "export", str(corpus), "--format", "json",
                                          "--notes", str(notes)], capture_output=True, text=True, env=ENV, cwd=ROOT,
                                         timeout=300).stdout)["total"] == 1
    finally:
        holder.kill()
        holder.wait(timeout=60)


def fingerprint(notes: Path) -> dict[str, str]:
    """Every file of the notes folder, lock files included, and the hash of its bytes."""
    # The corpus cache (notes/cache/) is derived data, not notes: commands may bring it up to date.
    return {
        str(p.relative_to(notes)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(notes.rglob("*")) if p.is_file() and p.relative_to(notes).parts[0] != "cache"
    }


def test_export_against_another_corpus_writes_nothing(tmp_path, corpus, capsys) -> None:
    notes = tmp_path / "notes"
    first = "01_pipeline-deal-signed.txt"
    for file, quote in ((ARTICLE, SENTENCES[2][:-1]), (ARTICLE, SENTENCES[30][:-1]), (first, "brushed the remark aside"),
                        (first, "signed a long-delayed transit agreement")):
        assert main(["annotate", str(corpus / file), "--quote", quote, "--tag", "energy", "--notes", str(notes)]) == 0
    capsys.readouterr()
    before = fingerprint(notes)
    # Another corpus: one article edited (a paragraph inserted), the other renamed and edited (a quote gone).
    other = tmp_path / "other"
    other.mkdir()
    (other / ARTICLE).write_text("A new opening paragraph, inserted.\n\n" + (corpus / ARTICLE).read_text())
    (other / "renamed.txt").write_text("Update: " + (corpus / first).read_text().replace("brushed the remark aside", "shrugged"))
    for argv in (["export", str(other), "--format", "json"], ["export", str(other)], ["export", str(other), "--format", "csv"],
                 ["export", str(other), "--by", "article"], ["list", str(other), "--json"], ["list", str(other)], ["doctor"]):
        status = main([*argv, "--notes", str(notes)])
        out, err = capsys.readouterr()
        # the one thing said: these notes were last used with another corpus (recorded by annotate, not by export or list)
        said = [] if argv == ["doctor"] else [f"dossier {argv[0]}: warning: the notes in {notes} were last used with the corpus "
                                             f"{corpus.resolve()}, not {other.resolve()}: if they are not this corpus's notes, "
                                             "name its own with --notes (or DOSSIER_NOTES)"]
        assert status == 0 and err.splitlines() == said and out, (argv, err)
        assert fingerprint(notes) == before, argv  # byte for byte, lock files included
    # What the export showed was re-anchored on the other corpus, in memory.
    main(["export", str(other), "--format", "json", "--notes", str(notes)])
    items = json.loads(capsys.readouterr().out)["items"]
    texts = {p.name: p.read_text() for p in other.iterdir()}
    placed = {(i["target"]["source"], i["target"]["selector"][0]["exact"], bool(i.get("orphan"))) for i in items}
    assert placed == {(ARTICLE, SENTENCES[2][:-1], False), (ARTICLE, SENTENCES[30][:-1], False),
                      ("renamed.txt", "signed a long-delayed transit agreement", False), ("renamed.txt", "brushed the remark aside", True)}
    for item in items:
        quote, position = item["target"]["selector"]
        if not item.get("orphan"):
            assert texts[item["target"]["source"]][position["start"] : position["end"]] == quote["exact"]
    assert fingerprint(notes) == before


async def test_an_open_reader_holds_the_lock_and_a_waiting_writer_gives_up_naming_it(tmp_path, corpus) -> None:
    notes = tmp_path / "notes"
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        with Store.open(notes) as second:  # a second reader opens read-only, and knows who writes
            assert second.readonly and f"process {os.getpid()} on " in second.read_only_reason
        done = subprocess.run(annotate(corpus, notes, 1, wait="1"), capture_output=True, text=True, env=ENV, cwd=ROOT,
                              timeout=300)
        *waited, refusal = done.stderr.splitlines()
        assert done.returncode == 2 and "Traceback" not in done.stderr and len(waited) <= 1
        assert f"notes are being written by process {os.getpid()} on " in refusal and "close it and try again" in refusal
    assert stored(notes) == {}
