"""Class 1: the notes folder or an output path cannot be used.

The notes path is a file; the notes folder is read-only (by permission, by
a read-only file system); the disk is full (ENOSPC) or the file-size limit
is reached (EFBIG); ``export -o`` names a missing folder, a read-only folder
or a folder. Every command refuses in one line on stderr with exit status 2
(or works, read-only, where it only reads), loses nothing and leaves every
notes file as it was; the reader opens read-only notes read-only, says so,
and keeps working; a save that fails in the reader says "not saved".

Permissions mean nothing to root (CI runs as root), so the chmod tests are
skipped there, and the same paths are also tested without permissions: by
making ``os.access`` deny writes, ``os.open`` fail with EROFS, and file
writes fail with ENOSPC.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.pilot import FIRST, SAMPLE, SECOND_PARAGRAPH, open_first, saved, settle, until
from tui.app import DossierApp
from tui.cli import main
from tui.core.notes.files import ARTICLES_DIR, MAIN_FILE, TMP_SUFFIX
from tui.core.notes.repair import doctor
from tui.core.notes.store import ArticleRef, Store
from tui.screens.export import ExportDialog
from tui.screens.search import SearchScreen

ROOT = Path(__file__).resolve().parents[2]
QUOTES = ("signed a long-delayed transit agreement", "brushed the remark aside")
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0
as_root = pytest.mark.skipif(ROOT_USER, reason="root ignores file permissions; the same paths are tested with os.access and os.open")


# --- helpers ------------------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command line in this process (an unexpected exception would fail the test with its traceback)."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def refused(status: int, err: str, *words: str) -> None:
    """Exit status 2 and exactly one line on stderr, holding each of `words`."""
    assert status == 2, err
    assert err.count("\n") == 1 and err.startswith("dossier"), err
    for word in words:
        assert word in err, err


def count(notes: Path) -> int:
    """Annotations in the notes folder, read without writing."""
    with Store.open(notes, mode="read") as store:
        return len(store.all_annotations())


def snapshot(notes: Path) -> dict[str, str]:
    """Every file of the notes folder (but the lock's) and the hash of its bytes."""
    return {
        str(p.relative_to(notes)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(notes.rglob("*")) if p.is_file() and not p.name.startswith(".lock")
    }


def deny_writes(monkeypatch, folder: Path) -> None:
    """Make os.access say that nothing under `folder` may be written (as for a read-only folder, for root too)."""
    real = os.access
    inside = str(folder.resolve())

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and str(Path(path).resolve()).startswith(inside):
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


def read_only_file_system(monkeypatch, folder: Path) -> None:
    """Make every open for writing under `folder` fail with EROFS, while os.access still says yes."""
    real = os.open
    inside = str(folder.resolve())

    def open_(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and str(Path(os.fsdecode(path)).resolve()).startswith(inside):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)


class _Failing:
    """A file opened for writing whose writes fail with `code` (the disk is full)."""

    def __init__(self, handle, code: int) -> None:
        self._handle, self._code = handle, code

    def write(self, data):
        raise OSError(self._code, os.strerror(self._code))

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._handle.close()

    def __getattr__(self, name):
        return getattr(self._handle, name)


def full_disk(monkeypatch, where: Path, code: int = errno.ENOSPC) -> None:
    """Make every write of a file under `where` (through atomic_write's os.fdopen) fail with `code`."""
    real = os.fdopen
    inside = str(where.resolve())

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real(fd, mode, *args, **kwargs)
        try:
            path = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            path = inside  # no /proc: every write fails
        return _Failing(handle, code) if "w" in mode and path.startswith(inside) else handle

    monkeypatch.setattr(os, "fdopen", fdopen)


def failing_fsync(monkeypatch, code: int = errno.ENOSPC) -> None:
    """Make fsync of a regular file fail (NFS and delayed allocation report a full disk there)."""
    real = os.fsync

    def fsync(fd):
        if os.path.isfile(f"/proc/self/fd/{fd}") or not os.path.exists("/proc/self/fd"):
            raise OSError(code, os.strerror(code))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


@pytest.fixture
def corpus(tmp_path) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(SAMPLE, copy)
    return copy


@pytest.fixture
def notes(tmp_path, corpus, capsys) -> Path:
    """A notes folder with two annotations."""
    folder = tmp_path / "notes"
    for quote in QUOTES:
        assert main(["annotate", str(corpus / FIRST), "--quote", quote, "--tag", "energy", "--notes", str(folder)]) == 0
    capsys.readouterr()
    return folder


@pytest.fixture
def export_file(tmp_path, notes, corpus, capsys) -> Path:
    """A JSON export of the two annotations, for imports (into another folder they are new)."""
    path = tmp_path / "export.json"
    assert main(["export", str(corpus), "--notes", str(notes), "--format", "json", "-o", str(path)]) == 0
    capsys.readouterr()
    data = json.loads(path.read_text())
    for n, item in enumerate(data["items"]):  # new ids, on a second article too: an import that touches two files
        item["id"] = f"urn:uuid:00000000-0000-4000-8000-{n:012d}"
        if n:
            item["target"]["source"] = "02_black-sea-patrols.txt"
    path.write_text(json.dumps(data))
    return path


def writers(corpus: Path, notes: Path, export_file: Path) -> dict[str, list[str]]:
    """The commands that write the notes, each as argv."""
    return {
        "annotate": ["annotate", str(corpus / FIRST), "--quote", "Turkish grid operator", "--tag", "energy", "--notes", str(notes)],
        "import": ["import", str(export_file), "--notes", str(notes)],
        "repair": ["doctor", "--notes", str(notes), "--repair"],
    }


def readers(corpus: Path, notes: Path, out: Path) -> dict[str, list[str]]:
    """The commands that only read the notes, each as argv."""
    return {
        "export": ["export", str(corpus), "--notes", str(notes), "--format", "json", "-o", str(out)],
        "list": ["list", str(corpus), "--notes", str(notes), "--json"],
        "doctor": ["doctor", "--notes", str(notes)],
    }


# --- the notes path is a file ---------------------------------------------------------------------


@pytest.mark.parametrize("command", ["annotate", "import", "export", "doctor", "repair"])
@pytest.mark.parametrize("shape", ["file", "under a file"])
def test_notes_path_that_is_a_file_is_refused_in_one_line(capsys, tmp_path, corpus, export_file, command, shape) -> None:
    blocker = tmp_path / "notes-file"
    blocker.write_text("not a folder")
    notes = blocker if shape == "file" else blocker / "sub"
    argv = {**writers(corpus, notes, export_file), "export": ["export", str(corpus), "--notes", str(notes)],
            "doctor": ["doctor", "--notes", str(notes)]}[command]
    status, out, err = run(capsys, *argv)
    refused(status, err, str(notes))
    assert out == "" and blocker.read_text() == "not a folder"


# --- a read-only notes folder ---------------------------------------------------------------------


def _read_only_folder_refuses_writers_and_serves_readers(capsys, tmp_path, corpus, notes, export_file) -> None:
    before, total = snapshot(notes), count(notes)
    for name, argv in writers(corpus, notes, export_file).items():
        status, out, err = run(capsys, *argv)
        refused(status, err, "read-only")
        assert out == "", name
    for name, argv in readers(corpus, notes, tmp_path / "out.json").items():
        status, out, err = run(capsys, *argv)
        assert status == 0 and err == "", (name, err)
    assert json.loads((tmp_path / "out.json").read_text())["total"] == total == 2
    assert snapshot(notes) == before and count(notes) == total


@as_root
def test_read_only_folder_by_permission(capsys, tmp_path, corpus, notes, export_file) -> None:
    for folder in (notes, notes / ARTICLES_DIR):
        folder.chmod(0o555)
    try:
        _read_only_folder_refuses_writers_and_serves_readers(capsys, tmp_path, corpus, notes, export_file)
    finally:
        for folder in (notes, notes / ARTICLES_DIR):
            folder.chmod(0o755)


def test_read_only_folder_as_the_os_reports_it(capsys, monkeypatch, tmp_path, corpus, notes, export_file) -> None:
    deny_writes(monkeypatch, notes)
    _read_only_folder_refuses_writers_and_serves_readers(capsys, tmp_path, corpus, notes, export_file)


def test_read_only_file_system_refuses_writers_in_one_line(capsys, monkeypatch, tmp_path, corpus, notes, export_file) -> None:
    before, total = snapshot(notes), count(notes)
    read_only_file_system(monkeypatch, notes)
    for argv in writers(corpus, notes, export_file).values():
        status, out, err = run(capsys, *argv)
        refused(status, err, "Read-only file system")
        assert out == ""
    with Store.open(notes) as store:  # the reader's mode: read-only, and it says why
        assert store.readonly and "Read-only file system" in store.read_only_reason
        assert len(store.all_annotations()) == total
    monkeypatch.undo()
    assert snapshot(notes) == before and count(notes) == total


def test_schema_1_notes_in_a_read_only_folder_are_read_without_an_upgrade(capsys, monkeypatch, tmp_path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(ROOT / "tests" / "fixtures" / "notes_v1", notes)
    corpus = ROOT / "tests" / "fixtures" / "corpus_v1"
    before = snapshot(notes)
    deny_writes(monkeypatch, notes)
    status, out, err = run(capsys, "export", str(corpus), "--notes", str(notes), "--format", "json")
    assert status == 0 and err == "" and json.loads(out)["total"] == 3
    status, out, err = run(capsys, "list", str(corpus), "--notes", str(notes), "--json")
    assert status == 0 and sum(a["annotations"] for a in json.loads(out)["articles"]) == 3
    with Store.open(notes) as store:  # what the reader opens: read-only, upgraded in memory only
        assert store.readonly and {t.name for t in store.tags()} >= {"security", "pipelines"}
    status, _, err = run(capsys, "annotate", str(corpus / "article_a.txt"), "--quote", "art gallery", "--tag", "security",
                         "--notes", str(notes))
    refused(status, err, "read-only")
    assert snapshot(notes) == before


def test_read_only_parent_of_a_new_notes_folder(capsys, monkeypatch, tmp_path, corpus) -> None:
    parent = tmp_path / "shelf"
    parent.mkdir()
    deny_writes(monkeypatch, parent)
    notes = parent / "notes"
    status, _, err = run(capsys, "annotate", str(corpus / FIRST), "--quote", QUOTES[0], "--tag", "energy", "--notes", str(notes))
    refused(status, err, "cannot be made")
    with Store.open(notes) as store:  # the reader still opens: no notes, read-only, nothing created
        assert store.readonly and store.all_annotations() == [] and [t.name for t in store.tags()][:1] == ["security"]
    assert not notes.exists()


# --- a full disk, the file-size limit -----------------------------------------------------------------


@pytest.mark.parametrize("failure", ["write", "fsync"])
@pytest.mark.parametrize("command", ["annotate", "import"])
def test_full_disk_refuses_writers_in_one_line_and_changes_nothing(
    capsys, monkeypatch, corpus, notes, export_file, failure, command
) -> None:
    before, total = snapshot(notes), count(notes)
    if failure == "write":
        full_disk(monkeypatch, notes)
    else:
        failing_fsync(monkeypatch)
    status, out, err = run(capsys, *writers(corpus, notes, export_file)[command])
    refused(status, err, "No space left on device", "not saved")
    monkeypatch.undo()
    assert out == "" and snapshot(notes) == before and count(notes) == total
    assert not list(notes.rglob(f".*{TMP_SUFFIX}")) and not list(notes.rglob("*.staged"))
    assert doctor(notes).ok
    status, _, err = run(capsys, *writers(corpus, notes, export_file)[command])  # room again: it works
    assert status == 0, err
    assert count(notes) == total + (1 if command == "annotate" else 2)


def test_full_disk_during_repair_loses_nothing(capsys, monkeypatch, corpus, notes) -> None:
    shard = next((notes / ARTICLES_DIR).glob("*.json"))
    shard.write_text(shard.read_text()[:-5])  # damaged: the last lines' closing braces are gone
    damaged = shard.read_bytes()
    full_disk(monkeypatch, notes)
    status, _, err = run(capsys, "doctor", "--notes", str(notes), "--repair")
    refused(status, err, "No space left on device", "nothing is lost")
    monkeypatch.undo()
    assert shard.read_bytes() == damaged  # never written over
    status, out, err = run(capsys, "doctor", "--notes", str(notes), "--repair")
    assert status == 0, out + err
    assert count(notes) == 2


def test_full_disk_when_the_lock_owner_is_written_does_not_stop_a_writer(capsys, monkeypatch, corpus, notes) -> None:
    real = os.fdopen

    def fdopen(fd, mode="r", *args, **kwargs):  # only the side file that names the lock's holder fails
        handle = real(fd, mode, *args, **kwargs)
        return _Failing(handle, errno.ENOSPC) if "lock.owner" in os.readlink(f"/proc/self/fd/{fd}") else handle

    if not os.path.exists("/proc/self/fd"):
        pytest.skip("needs /proc to tell the files apart")
    monkeypatch.setattr(os, "fdopen", fdopen)
    status, _, err = run(capsys, *writers(corpus, notes, Path("unused"))["annotate"])
    assert status == 0, err
    monkeypatch.undo()
    assert count(notes) == 3


EFBIG = textwrap.dedent(
    """
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the kernel kills the process instead of failing the write
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    from tui.cli import main
    sys.exit(main(sys.argv[2:]))
    """
)


def limited(limit: int, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run the command line in a process that may not write a file beyond `limit` bytes."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-c", EFBIG, str(limit), *argv], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGXFSZ"), reason="needs RLIMIT_FSIZE and SIGXFSZ")
def test_file_size_limit_refuses_in_one_line_and_changes_nothing(tmp_path, corpus, notes, export_file) -> None:
    before, total = snapshot(notes), count(notes)
    big = "x" * 100_000  # one argument may hold 128 KB
    done = limited(50_000, "annotate", str(corpus / FIRST), "--quote", "Turkish grid operator", "--tag", "energy",
                   "--note", big, "--notes", str(notes))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "File too large" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and snapshot(notes) == before
    items = json.loads(export_file.read_text())
    items["items"] = [dict(items["items"][0], id=f"urn:uuid:{n:08d}-0000-4000-8000-000000000000",
                           body=[{"type": "TextualBody", "purpose": "commenting", "value": "y" * 1000}]) for n in range(200)]
    export_file.write_text(json.dumps(items))
    done = limited(50_000, "import", str(export_file), "--notes", str(notes))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "File too large" in done.stderr, done.stderr
    assert snapshot(notes) == before and count(notes) == total
    out = tmp_path / "report.json"
    out.write_text("older report")
    done = limited(500, "export", str(corpus), "--notes", str(notes), "--format", "json", "-o", str(out), "--force")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "File too large" in done.stderr, done.stderr
    assert out.read_text() == "older report" and not list(tmp_path.glob(f".*{TMP_SUFFIX}"))


# --- export -o into a place it cannot write ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "force", "words"),
    [
        ("missing/report.md", False, ("does not exist",)),
        ("missing/report.md", True, ("does not exist",)),
        ("a-file/report.md", False, ("is not a folder",)),
        ("a-folder", False, ("is a folder",)),
        ("a-folder", True, ("is a folder",)),
    ],
)
def test_export_output_that_cannot_be_written_is_refused_in_one_line(capsys, tmp_path, corpus, notes, target, force, words) -> None:
    (tmp_path / "a-file").write_text("keep")
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-folder" / "inside.txt").write_text("keep")
    before = snapshot(notes)
    status, out, err = run(capsys, "export", str(corpus), "--notes", str(notes), "-o", str(tmp_path / target),
                           *(["--force"] if force else []))
    refused(status, err, *words)
    assert out == "" and snapshot(notes) == before
    assert (tmp_path / "a-file").read_text() == "keep" and (tmp_path / "a-folder" / "inside.txt").read_text() == "keep"
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("kind", ["symbolic link", "fifo"])
def test_export_never_replaces_a_link_or_a_special_file(capsys, tmp_path, corpus, notes, kind) -> None:
    real = tmp_path / "real.md"
    real.write_text("keep")
    target = tmp_path / "out.md"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to(real)  # as /dev/stdout is: an atomic rename would replace the link, not write through it
    status, _, err = run(capsys, "export", str(corpus), "--notes", str(notes), "-o", str(target), "--force")
    refused(status, err, "leave out -o")
    assert (target.is_symlink() if kind != "fifo" else target.is_fifo()) and real.read_text() == "keep"


def test_import_from_a_device_is_refused_without_reading_it(capsys, notes) -> None:
    before = snapshot(notes)
    status, _, err = run(capsys, "import", os.devnull, "--notes", str(notes))
    refused(status, err, "is a device, not an export")
    assert snapshot(notes) == before


def test_export_into_a_read_only_folder(capsys, monkeypatch, tmp_path, corpus, notes) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    (shelf / "report.md").write_text("older report")
    deny_writes(monkeypatch, shelf)
    status, _, err = run(capsys, "export", str(corpus), "--notes", str(notes), "-o", str(shelf / "report.md"), "--force")
    refused(status, err, "read-only")
    monkeypatch.undo()
    full_disk(monkeypatch, shelf)  # and a folder that os.access allows but whose disk is full
    status, _, err = run(capsys, "export", str(corpus), "--notes", str(notes), "-o", str(shelf / "report.md"), "--force")
    refused(status, err, "No space left on device")
    assert (shelf / "report.md").read_text() == "older report" and [p.name for p in shelf.iterdir()] == ["report.md"]


@as_root
def test_export_into_a_read_only_folder_by_permission(capsys, tmp_path, corpus, notes) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    shelf.chmod(0o555)
    try:
        status, _, err = run(capsys, "export", str(corpus), "--notes", str(notes), "-o", str(shelf / "report.md"))
        refused(status, err, "read-only")
    finally:
        shelf.chmod(0o755)
    assert list(shelf.iterdir()) == []


# --- the reader ----------------------------------------------------------------------------------------------------


def _one_annotation(notes: Path) -> None:
    text = (SAMPLE / FIRST).read_text(encoding="utf-8")
    start = text.index(SECOND_PARAGRAPH)
    with Store.open(notes, mode="write") as store:
        store.add(ArticleRef.of(FIRST, text), text, start, start + len(SECOND_PARAGRAPH), ["security"], "saved before")


def status_of(app: DossierApp) -> str:
    return str(app.reader.query_one("#status").render())


async def _reader_keeps_working_read_only(app: DossierApp, tmp_path: Path, notes: Path, pilot, why: str) -> None:
    await open_first(pilot)
    assert f"read-only: {why}" in status_of(app)
    [shown] = app.reader.main.document.annotations
    assert shown.note == "saved before"
    await pilot.press("2")  # a change is refused, and says why
    await settle(pilot)
    assert "cannot save" in status_of(app)
    await pilot.press("ctrl+f", *"nautical")  # searching works
    await until(pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen.result is not None
                and app.screen.result.query == "nautical", "the search")
    assert app.screen.result.total >= 1
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("e")  # and so does an export to a writable place
    await until(pilot, lambda: isinstance(app.screen, ExportDialog) and "## security" in app.screen.built, "the preview")
    app.screen.query_one("#export-path", Input).value = str(tmp_path / "report.md")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: not isinstance(app.screen, ExportDialog), "the export to be saved")
    assert SECOND_PARAGRAPH in (tmp_path / "report.md").read_text(encoding="utf-8")


async def test_reader_opens_read_only_notes_read_only_and_keeps_working(tmp_path) -> None:
    notes = tmp_path / "notes"
    _one_annotation(notes)
    before = snapshot(notes)
    with pytest.MonkeyPatch.context() as fault:
        deny_writes(fault, notes)
        app = DossierApp(SAMPLE, notes)
        async with app.run_test(size=(140, 40)) as pilot:
            await _reader_keeps_working_read_only(app, tmp_path, notes, pilot, "the notes folder is read-only")
    assert snapshot(notes) == before and [a.tags for a in saved(notes)] == [("security",)]


@as_root
async def test_reader_on_a_folder_read_only_by_permission(tmp_path) -> None:
    notes = tmp_path / "notes"
    _one_annotation(notes)
    for folder in (notes, notes / ARTICLES_DIR):
        folder.chmod(0o555)
    try:
        app = DossierApp(SAMPLE, notes)
        async with app.run_test(size=(140, 40)) as pilot:
            await _reader_keeps_working_read_only(app, tmp_path, notes, pilot, "the notes folder is read-only")
    finally:
        for folder in (notes, notes / ARTICLES_DIR):
            folder.chmod(0o755)
    assert [a.tags for a in saved(notes)] == [("security",)]


async def test_reader_whose_notes_path_is_a_file_says_so_and_still_reads(tmp_path) -> None:
    notes = tmp_path / "notes"
    notes.write_text("a file")
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_first(pilot)
        assert "notes not open" in status_of(app) and "not a folder" in status_of(app)
        assert app.reader.main.document.rel == FIRST and SECOND_PARAGRAPH in app.reader.main.document.text
        await pilot.press("n", *"a note", "ctrl+s")  # a change is refused, saying why
        await settle(pilot)
        assert "could not be opened" in status_of(app) and "not a folder" in status_of(app)
    assert notes.read_text() == "a file"


async def test_reader_says_not_saved_on_a_full_disk_and_loses_nothing(tmp_path) -> None:
    notes = tmp_path / "notes"
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_first(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert [a.tags for a in saved(notes)] == [("security",)]
        with pytest.MonkeyPatch.context() as fault:
            full_disk(fault, notes)
            await pilot.press("2")  # adds a tag to the saved annotation: a rewrite of its file
            await settle(pilot)
            assert "not saved" in status_of(app) and "No space left on device" in status_of(app)
            await pilot.press("j", "3")  # a new annotation on the next paragraph: a new file
            await settle(pilot)
            assert "not saved" in status_of(app) and "No space left on device" in status_of(app)
        assert [a.tags for a in saved(notes)] == [("security",)]  # what was saved before is still there
        assert [a.tags for a in app.reader.main.document.annotations] == [("security",)]  # and the screen says so
        await pilot.press("k", "2")  # room again: the same key works
        await settle(pilot)
        assert [a.tags for a in saved(notes)] == [("security", "energy")]
        assert "saved" in status_of(app) and "not saved" not in status_of(app)
    assert not list(notes.rglob(f".*{TMP_SUFFIX}")) and (notes / MAIN_FILE).exists()
