"""Class 4: an import that breaks the store.

``dossier import`` of a W3C Web Annotation export must check every item by
the store's own rules before writing anything, refuse the whole file in one
line naming the first bad item, match tags to the vocabulary ignoring case,
and write all of it or none of it, even when killed with SIGKILL half way.
After any import, good or refused, every command still works on the folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.notes.repair import doctor
from tui.core.notes.store import Store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tui" / "sample"
FIRST = "01_pipeline-deal-signed.txt"
QUOTES = ("signed a long-delayed transit agreement", "brushed the remark aside")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))  # an exception here would be a traceback for the user
    out, err = capsys.readouterr()
    return status, out, err


def count(notes: Path) -> int:
    with Store.open(notes, mode="read") as store:
        return len(store.all_annotations())


def snapshot(notes: Path) -> dict[str, str]:
    return {str(p.relative_to(notes)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(notes.rglob("*")) if p.is_file() and not p.name.startswith(".lock")}


@pytest.fixture
def corpus(tmp_path) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(SAMPLE, copy)
    return copy


@pytest.fixture
def notes(tmp_path, corpus, capsys) -> Path:
    folder = tmp_path / "notes"
    for quote in QUOTES:
        assert main(["annotate", str(corpus / FIRST), "--quote", quote, "--tag", "energy", "--notes", str(folder)]) == 0
    capsys.readouterr()
    return folder


@pytest.fixture
def item(tmp_path, corpus, notes, capsys) -> dict:
    """One exported item, as `dossier export --format json` writes it."""
    path = tmp_path / "export.json"
    assert main(["export", str(corpus), "--notes", str(notes), "--format", "json", "-o", str(path)]) == 0
    capsys.readouterr()
    return json.loads(path.read_text())["items"][0]


def collection(items: list[dict]) -> dict:
    return {"type": "AnnotationCollection", "total": len(items), "items": items}


def fresh(item: dict, n: int, source: str | None = None) -> dict:
    """A copy of `item` under a new id (and maybe another article)."""
    copy = json.loads(json.dumps(item))
    copy["id"] = f"urn:uuid:00000000-0000-4000-8000-{n:012d}"
    if source is not None:
        copy["target"]["source"] = source
    return copy


def position(item: dict) -> dict:
    return item["target"]["selector"][1]


def quote(item: dict) -> dict:
    return item["target"]["selector"][0]


def tag_values(*values: object) -> Callable[[dict], None]:
    def change(item: dict) -> None:
        item["body"] = [{"type": "TextualBody", "purpose": "tagging", "value": v} for v in values]
    return change


def setter(where: Callable[[dict], dict], key: str, value: object) -> Callable[[dict], None]:
    def change(item: dict) -> None:
        where(item)[key] = value
    return change


def dropper(where: Callable[[dict], dict], key: str) -> Callable[[dict], None]:
    def change(item: dict) -> None:
        del where(item)[key]
    return change


def itself(item: dict) -> dict:
    return item


def target(item: dict) -> dict:
    return item["target"]


BAD_ITEMS: list[tuple[str, Callable[[dict], None], str]] = [
    ("end before start", lambda i: position(i).update(start=40, end=10), "target span 40:10 ends before it starts"),
    ("empty span", lambda i: position(i).update(end=position(i)["start"]), "is empty or negative"),
    ("negative start", setter(position, "start", -5), "is empty or negative"),
    ("start a string", setter(position, "start", "5"), "'start' should be an integer offset, not a string"),
    ("start a fraction", setter(position, "start", 5.5), "'start' should be an integer offset, not 5.5"),
    ("start Infinity", setter(position, "start", float("inf")), "'start' should be an integer offset, not Infinity"),
    ("end NaN", setter(position, "end", float("nan")), "'end' should be an integer offset, not NaN"),
    ("end true", setter(position, "end", True), "not true or false"),
    ("end null", setter(position, "end", None), "not null"),
    ("huge offsets", lambda i: position(i).update(start=10**30, end=10**30 + len(quote(i)["exact"])), "beyond any article"),
    ("quote of another length", setter(quote, "exact", "signed"), "does not fit its quote"),
    ("empty quote", setter(quote, "exact", ""), "'exact' should be a non-empty string"),
    ("quote a number", setter(quote, "exact", 12), "'exact' should be a non-empty string"),
    ("prefix a list", setter(quote, "prefix", ["a"]), "'prefix' should be a string"),
    ("tag an integer", tag_values(5), "a tag should be a string"),
    ("tag a list", tag_values(["energy"]), "a tag should be a string"),
    ("tag null", tag_values(None), "a tag should be a string"),
    ("tag empty", tag_values(""), "invalid tag name"),
    ("tag on two lines", tag_values("oil\nprices"), "invalid tag name"),
    ("tag too long", tag_values("x" * 60), "invalid tag name"),
    ("note a number", lambda i: i.update(body=[{"purpose": "commenting", "value": 3}]), "a comment should be a string"),
    ("note a lone surrogate", lambda i: i.update(body=[{"purpose": "commenting", "value": "bad \ud800"}]),
     "'note' is not valid Unicode text"),
    ("tag a lone surrogate", tag_values("oil\udcff"), "'tags' is not valid Unicode text"),
    ("body not a list", setter(itself, "body", "energy"), "'body' should be a list of objects"),
    ("body of numbers", setter(itself, "body", [1, 2]), "'body' should be a list of objects"),
    ("no id", dropper(itself, "id"), "'id' should be a non-empty string"),
    ("id a number", setter(itself, "id", 17), "'id' should be a non-empty string"),
    ("id empty", setter(itself, "id", "urn:uuid:"), "'id' should be a non-empty string"),
    ("no target", dropper(itself, "target"), "'target' should be an object"),
    ("selector a string", setter(target, "selector", "TextQuoteSelector"), "'selector' should be a list"),
    ("no position", lambda i: target(i).update(selector=[quote(i)]), "has no TextPositionSelector"),
    ("no source", setter(target, "source", ""), "'source' should be a non-empty string"),
    ("no created", dropper(itself, "created"), "'created' should be a non-empty string"),
    ("orphan a string", setter(itself, "orphan", "yes"), "'orphan' should be true or false"),
]


@pytest.mark.parametrize(("what", "change", "message"), BAD_ITEMS, ids=[b[0] for b in BAD_ITEMS])
def test_a_bad_item_refuses_the_whole_file_and_writes_nothing(capsys, tmp_path, corpus, notes, item, what, change, message) -> None:
    items = [fresh(item, n, source=f"other_{n}.txt" if n % 2 else None) for n in range(5)]
    change(items[2])
    path = tmp_path / "import.json"
    path.write_text(json.dumps(collection(items)))
    before, total = snapshot(notes), count(notes)
    status, out, err = run(capsys, "import", str(path), "--notes", str(notes))
    assert status == 2 and out == "" and err.count("\n") == 1, err
    assert "import.json: item 2: " in err and message in err, err
    assert snapshot(notes) == before and count(notes) == total
    still_works(capsys, corpus, notes)


def test_an_id_used_twice_in_one_file_refuses_it(capsys, tmp_path, corpus, notes, item) -> None:
    items = [fresh(item, n) for n in range(4)]
    items[3]["id"] = items[1]["id"]
    path = tmp_path / "import.json"
    path.write_text(json.dumps(collection(items)))
    before = snapshot(notes)
    status, _, err = run(capsys, "import", str(path), "--notes", str(notes))
    assert status == 2 and err.count("\n") == 1 and "item 3: id 00000000-0000-4000-8000-000000000001 is the id of item 1 too" in err
    assert snapshot(notes) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON at line 1"),
        (b"[" * 100_000, "nested too deeply"),
        (b'{"type": "AnnotationCollection", "items": [{"id": ' + b"7" * 5000 + b"}]}", "not valid JSON"),
        (b"", "not valid JSON"),
        (bytes(range(256)) * 8, "not UTF-8"),
        (b'{"type": "Collection", "items": []}', "not a Web Annotation collection"),
        (b'{"type": "AnnotationCollection", "items": {}}', '"items" should be a list'),
        (b'{"type": "AnnotationCollection", "items": [5]}', "item 0: should be an object"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_in_one_line(capsys, tmp_path, corpus, notes, content, message) -> None:
    path = tmp_path / "import.json"
    path.write_bytes(content)
    before = snapshot(notes)
    status, out, err = run(capsys, "import", str(path), "--notes", str(notes))
    assert status == 2 and out == "" and err.count("\n") == 1 and message in err, err
    assert snapshot(notes) == before


def test_a_note_that_is_not_unicode_text_is_refused_in_one_line(capsys, corpus, notes) -> None:
    before = snapshot(notes)
    # An undecodable byte on the command line arrives as a lone surrogate, which has no UTF-8 form.
    status, out, err = run(capsys, "annotate", str(corpus / FIRST), "--quote", "Turkish grid operator", "--tag", "energy",
                           "--note", "bad \udcff byte", "--notes", str(notes))
    assert status == 2 and out == "" and err.count("\n") == 1 and "'note' is not valid Unicode text" in err
    assert snapshot(notes) == before


def test_an_import_path_that_is_not_a_file(capsys, tmp_path, notes) -> None:
    for path, message in ((tmp_path, "is a folder"), (tmp_path / "missing.json", "no such file")):
        status, _, err = run(capsys, "import", str(path), "--notes", str(notes))
        assert status == 2 and err.count("\n") == 1 and message in err, err


def still_works(capsys, corpus: Path, notes: Path) -> None:
    """list, export, annotate and doctor all work on the folder."""
    for argv in (["list", str(corpus)], ["export", str(corpus), "--format", "json"], ["export", str(corpus)],
                 ["annotate", str(corpus / FIRST), "--quote", "Turkish grid operator", "--tag", "Energy"], ["doctor"]):
        status, _, err = run(capsys, *argv, "--notes", str(notes))
        assert status == 0 and err == "", (argv, err)
    with Store.open(notes, mode="write") as store:
        store.delete(next(a.id for a in store.all_annotations() if a.target.exact == "Turkish grid operator"))


def test_tags_are_matched_ignoring_case_and_a_new_tag_is_added_once(capsys, tmp_path, corpus, notes, item) -> None:
    spellings = [["SECURITY"], ["Security", "security"], ["Oil"], ["OIL", "energy"], ["oil"]]
    items = []
    for n, names in enumerate(spellings):
        one = fresh(item, n, source=f"article_{n}.txt")
        tag_values(*names)(one)
        items.append(one)
    path = tmp_path / "import.json"
    path.write_text(json.dumps(collection(items)))
    status, out, err = run(capsys, "import", str(path), "--notes", str(notes))
    assert status == 0 and "imported 5 annotation(s)" in out, err
    with Store.open(notes, mode="read") as store:
        names = [t.name for t in store.tags()]
        stored = {a.article.path: a.tags for a in store.all_annotations() if a.article.path.startswith("article_")}
    assert names == ["security", "energy", "Syria", "diplomacy", "Oil"]
    assert stored == {"article_0.txt": ("security",), "article_1.txt": ("security",), "article_2.txt": ("Oil",),
                      "article_3.txt": ("Oil", "energy"), "article_4.txt": ("Oil",)}
    still_works(capsys, corpus, notes)


def test_a_good_import_leaves_a_folder_every_command_can_use(capsys, tmp_path, corpus, notes, item) -> None:
    items = [fresh(item, n, source=[FIRST, "gone.txt", "02_black-sea-patrols.txt"][n % 3]) for n in range(9)]
    path = tmp_path / "import.json"
    path.write_text(json.dumps(collection(items)))
    total = count(notes)
    status, out, _ = run(capsys, "import", str(path), "--notes", str(notes))
    assert status == 0 and "imported 9 annotation(s); 0 already present" in out
    assert count(notes) == total + 9
    status, out, _ = run(capsys, "import", str(path), "--notes", str(notes))
    assert status == 0 and "imported 0 annotation(s); 9 already present" in out
    assert count(notes) == total + 9 and doctor(notes).ok
    still_works(capsys, corpus, notes)
    # The copies on the first article were exported from its very text: they sit on their quote.
    status, out, _ = run(capsys, "export", str(corpus), "--notes", str(notes), "--format", "json")
    text = (corpus / FIRST).read_text(encoding="utf-8")
    for exported in json.loads(out)["items"]:
        if exported["target"]["source"] == FIRST and not exported.get("orphan"):
            assert text[position(exported)["start"] : position(exported)["end"]] == quote(exported)["exact"]


# --- all or nothing, even killed -------------------------------------------------------------------------------

KILLED = textwrap.dedent(
    """
    import sys
    from tui.core.notes import commit

    step, nth = sys.argv[1], int(sys.argv[2])
    real = getattr(commit, step)
    seen = 0

    def announce(*args, **kwargs):
        global seen
        real(*args, **kwargs)
        seen += 1
        if seen == nth:
            print(f"{step} {seen} done", flush=True)
            sys.stdin.readline()  # stay here until killed

    setattr(commit, step, announce)
    from tui.cli import main
    sys.exit(main(sys.argv[3:]))
    """
)


@pytest.mark.parametrize(
    ("step", "nth", "kept"),
    [("stage", 1, False), ("stage", 150, False), ("record", 1, True), ("promote", 1, True), ("promote", 150, True)],
)
def test_an_import_killed_at_any_step_leaves_all_of_it_or_none(capsys, tmp_path, corpus, notes, item, step, nth, kept) -> None:
    # 3,000 annotations on 300 articles, some on the article that already has notes (its file is rewritten too).
    items = [fresh(item, n, source=FIRST if n % 100 == 0 else f"batch/article_{n % 300:03d}.txt") for n in range(3000)]
    path = tmp_path / "import.json"
    path.write_text(json.dumps(collection(items)))
    before = ids(notes)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED, step, str(nth), "import", str(path), "--notes", str(notes)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )
    try:
        said = process.stdout.readline()  # calibrated on the process's own word, not on a clock
        assert said.strip() == f"{step} {nth} done", f"{said!r} {process.stderr.read() if process.poll() is not None else ''}"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=60)
    wanted = before | {i["id"].removeprefix("urn:uuid:") for i in items} if kept else before
    # Before anyone writes again, a reader already sees all of it or none of it ...
    assert ids(notes) == wanted
    assert not doctor(notes).ok  # ... and doctor names what the next open will finish or undo
    # ... which the next open does; then doctor is clean.
    Store.open(notes, mode="write").close()
    assert ids(notes) == wanted
    assert doctor(notes).ok, doctor(notes).lines()
    assert not list(notes.rglob("*.staged")) and not list(notes.rglob("*.tmp"))
    still_works(capsys, corpus, notes)
    status, out, _ = run(capsys, "import", str(path), "--notes", str(notes))  # and the import can be run again
    assert "already present" in out
    assert status == 0 and ids(notes) == before | {i["id"].removeprefix("urn:uuid:") for i in items}


def ids(notes: Path) -> set[str]:
    with Store.open(notes, mode="read") as store:
        return {a.id for a in store.all_annotations()}
