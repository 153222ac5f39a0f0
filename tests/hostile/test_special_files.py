"""Class 2: special files in a corpus (FIFOs, sockets, devices, a folder where a file was named).

A FIFO used to block ``list``, ``clean`` and ``annotate`` for ever (opening
it waits for a writer), and a link to ``/dev/zero`` was read until memory ran
out (its ``stat`` size is 0). Each is now skipped with a reason, or refused in
one line with exit status 2 when named, and nothing already annotated is lost.

Every command runs in a subprocess with a generous timeout and a cap on its
memory, so that if the bug comes back the test fails instead of hanging CI or
eating the machine; no test measures time.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Seconds before a hung command is killed: only a guard against a regression, never a measure.
TIMEOUT = 120
#: Address space a command may take: far above what it needs, far below what /dev/zero would take.
MEMORY = 2 * 1024**3
GOOD = "01_pipeline-deal-signed.txt"
QUOTE = "signed a long-delayed transit agreement"

#: Each special file, and the reason it is skipped with.
KINDS = {
    "pipe.txt": "not a regular file: a named pipe (FIFO)",
    "sock.txt": "not a regular file: a socket",
    "zero.txt": "not a regular file: a character device",
    "null.txt": "not a regular file: a character device",
    "random.txt": "not a regular file: a character device",
}


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def dossier(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the console script's code in a fresh process without a terminal, killed if it hangs."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], capture_output=True, text=True, cwd=ROOT,
        stdin=subprocess.DEVNULL, timeout=TIMEOUT, preexec_fn=_limit_memory, check=False,
    )


@pytest.fixture
def corpus(tmp_path, sample_corpus) -> Iterator[Path]:
    """A corpus of one good article and every kind of special file, named like articles."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(sample_corpus / GOOD, folder / GOOD)
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "null.txt").symlink_to("/dev/null")
    (folder / "random.txt").symlink_to("/dev/urandom")
    (folder / "folder.txt").mkdir()  # a folder named like an article is read as a folder
    server = socket.socket(socket.AF_UNIX)
    here = os.getcwd()
    os.chdir(folder)  # a relative name: a socket's path may not be longer than 107 bytes
    try:
        server.bind("sock.txt")
    finally:
        os.chdir(here)
    yield folder
    server.close()


def one_line_refusal(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit status 2, nothing on stdout, one line on stderr holding every needle, no traceback."""
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("dossier"), result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr


def test_list_skips_every_special_file_with_its_reason(corpus) -> None:
    result = dossier("list", str(corpus), "--json", "--notes", str(corpus.parent / "notes"))
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert [a["path"] for a in payload["articles"]] == [GOOD]
    assert {s["path"]: s["reason"] for s in payload["skipped"]} == KINDS


def test_list_in_plain_text_names_each_skip_on_stderr(corpus) -> None:
    result = dossier("list", str(corpus), "--notes", str(corpus.parent / "notes"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{GOOD}\t")
    assert sorted(result.stderr.splitlines()) == sorted(f"dossier list: skipped {p}: {r}" for p, r in KINDS.items())


def test_clean_of_the_folder_skips_every_special_file(corpus) -> None:
    result = dossier("clean", str(corpus), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert [Path(f["path"]).name for f in payload["files"]] == [GOOD]
    assert {Path(s["path"]).name: s["reason"] for s in payload["skipped"]} == KINDS


@pytest.mark.parametrize("name", [*KINDS, "folder.txt"])
def test_annotate_refuses_a_special_file_and_loses_nothing(corpus, name) -> None:
    notes = str(corpus.parent / "notes")
    first = dossier("annotate", str(corpus / GOOD), "--quote", QUOTE, "--tag", "energy", "--notes", notes)
    assert first.returncode == 0, first.stderr
    result = dossier("annotate", str(corpus / name), "--quote", QUOTE, "--tag", "energy", "--notes", notes)
    if (corpus / name).is_symlink():  # annotate resolves links: one to /dev is outside the corpus, refused as such
        one_line_refusal(result, name)
    else:
        one_line_refusal(result, name, KINDS.get(name, "not a regular file: a folder"))
    listed = json.loads(dossier("list", str(corpus), "--json", "--notes", notes).stdout)
    assert listed["articles"] == [{**listed["articles"][0], "path": GOOD, "annotations": 1}]


@pytest.mark.parametrize("name", list(KINDS))
def test_clean_refuses_a_named_special_file(corpus, name) -> None:
    one_line_refusal(dossier("clean", str(corpus / name)), name, KINDS[name])


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_clean_refuses_a_device_named_directly(device) -> None:
    one_line_refusal(dossier("clean", device), device, "not a regular file: a character device")


def test_a_fifo_is_not_a_corpus(corpus) -> None:
    one_line_refusal(dossier("list", str(corpus / "pipe.txt")), "not a folder")


def test_the_readers_first_look_skips_special_files(corpus, tmp_path) -> None:
    """The reader lists and reads its first article in a thread before Textual loads: no FIFO may block it."""
    first = tmp_path / "first"
    first.mkdir()
    os.mkfifo(first / "0-pipe.txt")  # sorts first
    (first / "1-zero.txt").symlink_to("/dev/zero")
    shutil.copy(corpus / GOOD, first / GOOD)
    code = (
        "import sys; from tui.core.firstlook import FirstLook\n"
        "look = FirstLook(sys.argv[1]); look.wait()\n"
        "print(look.scan.files, look.article.rel if look.article else None)\n"
        "for s in look.scan.skipped: print(s.path, '|', s.reason)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(first)], capture_output=True, text=True, cwd=ROOT,
        stdin=subprocess.DEVNULL, timeout=TIMEOUT, preexec_fn=_limit_memory, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"['{GOOD}'] {GOOD}",
        "0-pipe.txt | not a regular file: a named pipe (FIFO)",
        "1-zero.txt | not a regular file: a character device",
    ]
