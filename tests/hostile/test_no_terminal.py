"""Class 9: the reader without a terminal.

``dossier`` with standard input not a terminal used to spin at full CPU
until killed. Now it refuses at once, in one line on stderr with exit status
2, when standard input, output or error is not a terminal; the subcommands
keep working from scripts, and the pilot tests, which build the app
themselves, are not affected.

Every command runs in a subprocess with a generous timeout, so that if the
bug comes back the test fails instead of hanging CI; no test measures time.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pilot import SAMPLE, settle
from tui.app import DossierApp

ROOT = Path(__file__).resolve().parents[2]
#: Seconds before a hung command is killed: only a guard against a regression, never a measure.
TIMEOUT = 120
ADVICE = "use `dossier list`, `clean` or `export` from scripts"


def dossier(*args: str, **streams) -> subprocess.CompletedProcess[bytes]:  # type: ignore[no-untyped-def]
    """Run the console script's code in a fresh process with the given standard streams (``input``: a pipe)."""
    options = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE} | streams
    if "input" not in options:
        options.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=ROOT, timeout=TIMEOUT, check=False, **options)


@pytest.fixture
def terminal() -> Iterator[int]:
    """A pseudo-terminal's far end (what the program gets), closed after the test."""
    near, far = pty.openpty()
    yield far
    os.close(near)
    os.close(far)


def refused(result: subprocess.CompletedProcess[bytes], stream: str) -> None:
    """Exit status 2 and one line on stderr naming the stream that is not a terminal."""
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert err == f"dossier: the reader needs a terminal (standard {stream} is not one); {ADVICE}\n"


def test_stdin_from_dev_null_is_refused_at_once(tmp_path) -> None:
    result = dossier(str(SAMPLE), "--notes", str(tmp_path / "notes"))
    refused(result, "input")
    assert result.stdout == b""
    assert not (tmp_path / "notes").exists()  # refused before anything was opened or created


def test_keys_from_a_pipe_are_refused(tmp_path) -> None:
    refused(dossier("--notes", str(tmp_path / "notes"), input=b"jjq"), "input")


def test_output_into_a_pipe_is_refused(tmp_path, terminal) -> None:
    refused(dossier(str(SAMPLE), "--notes", str(tmp_path / "notes"), stdin=terminal), "output")


def test_errors_into_a_pipe_are_refused(tmp_path, terminal) -> None:
    """Textual draws on standard error: a reader drawing into a pipe would show nothing."""
    result = dossier(str(SAMPLE), "--notes", str(tmp_path / "notes"), stdin=terminal, stdout=terminal)
    refused(result, "error")


def test_a_missing_corpus_without_a_terminal_is_one_line(tmp_path) -> None:
    result = dossier(str(tmp_path / "missing"))
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1 and b"Traceback" not in result.stderr


def test_subcommands_still_work_from_scripts(tmp_path) -> None:
    listed = dossier("list", str(SAMPLE), "--json", "--notes", str(tmp_path / "notes"))
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)["articles"]) == 10
    cleaned = dossier("clean", str(SAMPLE / "01_pipeline-deal-signed.txt"), input=b"")
    assert cleaned.returncode == 0, cleaned.stderr
    assert cleaned.stdout.startswith(b"Ankara and Baku sign transit deal")


async def test_the_app_built_directly_still_runs(tmp_path) -> None:
    """Pilot and snapshot tests build DossierApp themselves, without a terminal: the check is not in their way."""
    app = DossierApp(SAMPLE, tmp_path / "notes")
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.reader.main.document is not None
