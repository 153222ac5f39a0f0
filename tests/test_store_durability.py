"""Zero lost, zero corrupt: writers killed with SIGKILL at random moments.

A driver subprocess imports the store once, then for each round forks a
writer that opens the notes and saves annotations, printing each id once
add() has returned. The test kills the writer with SIGKILL once it has
acknowledged a random number of saves (so the kill lands in the next save,
whatever the machine's speed), or while it opens, 200+ times on the same
notes folder, then checks every file and every acknowledged id.
"""

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tui.core.notes.files import MAIN_FILE, TMP_SUFFIX
from tui.core.notes.repair import doctor
from tui.core.notes.store import Store

ROOT = Path(__file__).resolve().parents[1]
KILLS = 220

DRIVER = textwrap.dedent(
    """
    import os, random, sys
    from tui.core.notes.store import ArticleRef, Store

    notes = sys.argv[1]
    texts = {f"corpus/article_{n:02d}.txt": f"Article {n}. " + "Ankara and Moscow talk about gas. " * 40 for n in range(40)}

    def write_forever(seed):
        rng = random.Random(seed)
        store = Store.open(notes, mode="write", wait=10)
        while True:
            path = rng.choice(sorted(texts))
            text = texts[path]
            start = rng.randrange(0, len(text) - 40)
            ann = store.add(ArticleRef.of(path, text), text, start, start + 30, ["energy"], note=f"seed {seed}")
            os.write(1, f"id {ann.id}\\n".encode())
            if rng.random() < 0.2:
                store.update(ann.id, tags=["energy", "Syria"], note="updated")

    for line in sys.stdin:
        go, ready = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(ready)
                os.read(go, 1)  # the parent says "pid" first: the test reads the writer's number before its ids
                write_forever(int(line))
            finally:
                os._exit(1)
        os.close(go)
        os.write(1, f"pid {pid}\\n".encode())
        try:
            os.write(ready, b"x")
        except BrokenPipeError:
            pass  # killed already (a kill while it opens): nothing to start
        os.close(ready)
        _, status = os.waitpid(pid, 0)
        os.write(1, f"dead {pid} {status}\\n".encode())
    """
)


def test_sigkill_while_saving_loses_and_corrupts_nothing(tmp_path):
    notes = tmp_path / "notes"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(notes)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )
    rng = random.Random(1234)
    saved: list[str] = []
    kills_during_open = 0
    started = time.monotonic()
    try:
        for round_ in range(KILLS):
            driver.stdin.write(f"{round_}\n")
            driver.stdin.flush()
            first = driver.stdout.readline().split()
            assert first[0] == "pid", f"driver said {first!r}: {driver.stderr.read() if driver.poll() is not None else ''}"
            pid = int(first[1])
            # Calibrated by the writer itself, not by a clock: most rounds wait for a few
            # acknowledged saves, so the kill lands in the save (or update) that follows,
            # however slow the machine; one round in ten kills the writer while it opens.
            wanted = 0 if round_ % 10 == 0 else rng.randint(1, 4)
            kills_during_open += wanted == 0
            while wanted:
                word, value, *_ = driver.stdout.readline().split()
                assert word == "id", f"the writer died before it was killed: {word} {value}"
                saved.append(value)
                wanted -= 1
            os.kill(pid, signal.SIGKILL)
            for line in driver.stdout:
                word, value, *rest = line.split()
                if word == "dead":
                    # A writer that died of anything but our SIGKILL (e.g. a StoreError) fails the test.
                    assert os.WIFSIGNALED(int(rest[0])) and os.WTERMSIG(int(rest[0])) == signal.SIGKILL
                    break
                saved.append(value)
    finally:
        driver.stdin.close()
        driver.wait(timeout=60)
    elapsed = time.monotonic() - started
    print(f"{KILLS} SIGKILLs in {elapsed:.1f} s ({kills_during_open} while opening), {len(saved)} saves acknowledged")
    assert len(saved) >= KILLS - kills_during_open  # every other kill came after at least one acknowledged save

    # Every notes file is valid JSON (temporary files of interrupted saves aside).
    for path in notes.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    leftovers = list(notes.rglob(f".*{TMP_SUFFIX}"))
    kinds = {message.split(";")[0] for _, message in doctor(notes).problems}
    assert kinds <= {"leftover temporary file of an interrupted save", "not in the index (a save was interrupted)"}

    with Store.open(notes, mode="write") as store:
        stored = {ann.id for ann in store.all_annotations()}
    assert not set(saved) - stored, f"{len(set(saved) - stored)} saved annotations lost"
    assert len(stored) - len(saved) <= KILLS  # at most one unconfirmed save per kill
    assert doctor(notes).ok
    assert not any(p.exists() for p in leftovers)
    assert (notes / MAIN_FILE).exists()
