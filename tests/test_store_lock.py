"""One writer per notes folder, checked with two real processes."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HOLDER = textwrap.dedent(
    """
    import sys
    from tui.core.notes.store import ArticleRef, Store
    store = Store.open(sys.argv[1], mode="write")
    text = "Ankara and Moscow talk about gas."
    store.add(ArticleRef.of("a.txt", text), text, 0, 6, ["energy"])
    print("holding", flush=True)
    sys.stdin.read()  # hold the lock until told to stop, or killed
    """
)

SECOND = textwrap.dedent(
    """
    import sys
    from tui.core.notes.store import ArticleRef, LockedError, ReadOnlyError, Store
    try:
        Store.open(sys.argv[1], mode="write")
    except LockedError as exc:
        print("write refused:", exc)
    with Store.open(sys.argv[1]) as store:
        print("readonly:", store.readonly, "holder:", store.holder)
        print("annotations:", len(store.annotations("a.txt")))
        text = "Ankara and Moscow talk about gas."
        try:
            store.add(ArticleRef.of("a.txt", text), text, 0, 6, ["energy"])
            print("added")
        except ReadOnlyError as exc:
            print("add refused:", exc)
    """
)


def run_second(notes: Path) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", SECOND, str(notes)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_second_process_opens_read_only_and_names_the_holder(tmp_path):
    notes = tmp_path / "notes"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(notes)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        out = run_second(notes)
        assert f"write refused: {notes}: notes are being written by process {holder.pid} on " in out
        assert f"readonly: True holder: process {holder.pid} on " in out
        assert "annotations: 1" in out
        assert f"add refused: {notes}: cannot save: notes are being written by process {holder.pid}" in out
    finally:
        # The OS releases the lock of a killed holder: no stale lock to clean up.
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    out = run_second(notes)
    assert "write refused" not in out and "readonly: False holder: None" in out and "added" in out
