"""Figures for a large corpus (issue 14): start, memory, search, list, export and notes at 10k-100k articles.

    python bench/scale_bench.py [--sizes 10000,30000,100000] [--runs 3] [--work DIR] [--skip-tmux]

For each size a corpus of ~3.9 KB generated articles is made once under
``--work`` (kept between runs; one article holds a word found nowhere else)
with a notes folder of 10 annotations per article on a tenth of them. Then:

- first screen, cold (no cache) and warm, as a ratio to a bare Textual app
  started in tmux in the same rounds (medians: ``--runs`` cold starts,
  three warm starts after each, each warm start beside a bare one), and how
  long the cold cache takes to fill;
- the reader's resident memory: the largest seen while the cache fills
  (the reader; its reading processes apart), its peak until the notes have
  followed the new listing (the kernel's high-water mark, VmHWM), and 60 s
  after a warm start, with that run's peak;
- after a warm restart, seconds from the first screen until ctrl+f shows
  the article holding the one-article word;
- search p95 (in process, on the warm cache) for common words, prefixes
  and phrases;
- ``dossier list --json`` and ``dossier export --format md``, warm, as a
  ratio to a lean script that reads the same files and notes files;
- the first annotation of an article without notes, p95, beside an SQLite
  WAL insert in the same run.
``--big`` adds a 50 MB article: first screen ratio and resident memory.
Timing is wall-clock on a shared machine: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from reader_bench import BARE_APP, article, p95  # noqa: E402

PYTHON = sys.executable
DOSSIER = str(Path(PYTHON).parent / "dossier")
RARE = "zanzibarite"  # in one article only
SOCKET = "dossier-scale"  # a tmux server of its own: nothing else's kill-server ends a run
SIZE = 3900
#: Warm starts (each beside a start of the bare app) after each cold start: one start of each varies by a third.
WARM_STARTS = 3
LEAN = """
import json, os, sys
root, notes = sys.argv[1], sys.argv[2]
counts, paths = {}, {}
folder = os.path.join(notes, "articles")
for entry in os.scandir(folder) if os.path.isdir(folder) else ():
    if entry.name.endswith(".json"):
        data = json.load(open(entry.path, encoding="utf-8"))
        path = paths[entry.name] = data["article"]["1"]["path"]
        counts[path] = counts.get(path, 0) + len(data.get("annotations", {}))
# Each analyst's annotations of an article, in a file named as the article's (notes schema 3).
analysts = os.path.join(notes, "analysts")
for analyst in os.scandir(analysts) if os.path.isdir(analysts) else ():
    for entry in os.scandir(os.path.join(analyst.path, "articles")):
        if entry.name in paths:
            path = paths[entry.name]
            counts[path] = counts.get(path, 0) + len(json.load(open(entry.path, encoding="utf-8"))["annotations"])
out = []
for entry in sorted(os.scandir(root), key=lambda e: e.name):
    text = open(entry.path, encoding="utf-8").read()
    out.append({"path": entry.name, "title": text.split("\\n", 1)[0], "words": len(text.split()),
                "annotations": counts.get(entry.name, 0)})
if sys.argv[3] == "md":
    print("\\n".join(f"## {a['title']}\\n\\n{a['annotations']} annotations" for a in out if a["annotations"]))
else:
    print(json.dumps({"articles": out}))
"""


# --- making the corpora ---------------------------------------------------------------------------------


def make_corpus(folder: Path, count: int) -> None:
    """``count`` articles of ~3.9 KB; the one in the middle holds :data:`RARE`."""
    if folder.is_dir() and sum(1 for _ in os.scandir(folder)) == count:
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(14)
    for n in range(count):
        text = article(rng, f"Dispatch number {n} on the pipeline talks", SIZE, n * 1000)
        if n == count // 2:
            text += f"\n\nThe {RARE} deposit was mentioned once.\n"
        (folder / f"{n:06d}.txt").write_text(text, encoding="utf-8")


def make_notes(notes: Path, corpus: Path, count: int) -> None:
    """10 annotations on each tenth article, imported in one write (as a team's import would)."""
    if (notes / "articles").is_dir():
        return
    from tui.core.notes.anchor import make_target
    from tui.core.notes.files import now
    from tui.core.notes.model import Annotation, ArticleRef
    from tui.core.notes.store import Store

    rng = random.Random(3)
    stamp = now()
    annotations = []
    for n in range(0, count, 10):
        rel = f"{n:06d}.txt"
        text = (corpus / rel).read_text(encoding="utf-8")
        ref = ArticleRef.of(rel, text)
        for i in range(10):
            start = rng.randrange(60, len(text) - 100)
            target = make_target(text, start, start + 40)
            annotations.append(Annotation(f"{n:06d}-{i:02d}-0000-0000-000000000000", ref, target, ("energy",), "", stamp, stamp))
    with Store.open(notes, mode="write") as store:
        store.import_annotations(annotations)


# --- the reader in tmux ---------------------------------------------------------------------------------


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True).stdout


def start(command: str, cwd: Path) -> str:
    session = f"scale{time.monotonic_ns()}"
    # An analyst named, or the reader asks for one (a dialog that would take the keys the bench types).
    command = f"env DOSSIER_ANALYST=bench {command}"
    subprocess.run(["tmux", "-L", SOCKET, "new-session", "-d", "-s", session, "-x", "140", "-y", "40", "-c", str(cwd), command], check=True)
    return session


def wait_for(session: str, marker: str, timeout: float = 120.0) -> float:
    """Seconds until ``marker`` is on the session's screen (from now)."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        if marker in tmux("capture-pane", "-p", "-t", session):
            return time.perf_counter() - began
        time.sleep(0.005)
    raise RuntimeError(f"{marker!r} never appeared: {tmux('capture-pane', '-p', '-t', session)[-500:]}")


def reader_pid(session: str) -> int | None:
    """The reader's process: the pane's, or its child if the pane runs a shell."""
    pane = tmux("list-panes", "-t", session, "-F", "#{pane_pid}").strip()
    if not pane:
        return None
    pid = int(pane)
    for _ in range(2):
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") if Path(f"/proc/{pid}").exists() else b""
        if b"dossier" in cmdline:
            return pid
        children = children_of(pid)
        if not children:
            return pid
        pid = children[0]
    return pid


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory now (``VmHWM``: the most it ever had), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cache_file(notes: Path) -> Path | None:
    found = sorted((notes / "cache").glob("corpus-*.sqlite"))
    return found[0] if found else None


def cache_row(notes: Path, query: str) -> tuple | None:  # type: ignore[type-arg]
    """The first row of ``query`` on the notes' cache, read-only; None if there is no cache yet, or it is busy or damaged."""
    path = cache_file(notes)
    if path is None:
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
            row: tuple | None = conn.execute(query).fetchone()  # type: ignore[type-arg]
            return row
    except sqlite3.Error:
        return None


def cache_done(notes: Path) -> bool:
    """Whether the cache has read every file of the corpus."""
    row = cache_row(notes, "SELECT count(*) FILTER (WHERE state = 0), count(*) FROM files")
    return row is not None and row[1] > 0 and row[0] == 0


def notes_followed(notes: Path) -> bool:
    """Whether the reader's notes have followed the cache's listing (renames), which it does once the cache is filled."""
    return cache_row(notes, "SELECT value FROM meta WHERE key = 'followed'") == ("1",)


def drop_cache(notes: Path) -> None:
    shutil.rmtree(notes / "cache", ignore_errors=True)


def reader_figures(corpus: Path, notes: Path, count: int, runs: int, work: Path) -> dict[str, object]:
    """Cold and warm first screens beside the bare app, cache fill time and memory, ctrl+f after a restart."""
    bare_script = work / "bare.py"
    bare_script.write_text(BARE_APP)
    command = f"{DOSSIER} {corpus} --notes {notes}"
    marker = "Dispatch number 0 on"
    figures: dict[str, object] = {}
    bare, cold, warm = [], [], []
    fill, peak, peak_children, peak_followed = [], 0.0, 0.0, 0.0
    for _ in range(runs):
        session = start(f"{PYTHON} {bare_script}", work)
        bare.append(wait_for(session, "bare app ready"))
        tmux("kill-session", "-t", session)
        drop_cache(notes)
        session = start(command, work)
        began = time.perf_counter()
        cold.append(wait_for(session, marker))
        pid = reader_pid(session)
        while not cache_done(notes):
            if pid:
                peak = max(peak, rss_mb(pid))
                peak_children = max([peak_children, *(rss_mb(c) for c in children_of(pid))])
            if time.perf_counter() - began > 1800:
                raise RuntimeError("the cache did not fill in 30 minutes")
            time.sleep(0.5)
        fill.append(time.perf_counter() - began)
        while not notes_followed(notes) and time.perf_counter() - began < 1800:
            time.sleep(0.5)  # the notes follow the new listing: every annotated article's notes are read
        peak_followed = max(peak_followed, rss_mb(pid, "VmHWM") if pid else 0.0)
        tmux("send-keys", "-t", session, "q")
        time.sleep(1)
        tmux("kill-session", "-t", session)
        for _ in range(WARM_STARTS):  # cheap next to a cold start and its fill: more of them, taking turns with the bare app
            session = start(command, work)
            warm.append(wait_for(session, marker))
            tmux("kill-session", "-t", session)
            session = start(f"{PYTHON} {bare_script}", work)
            bare.append(wait_for(session, "bare app ready"))
            tmux("kill-session", "-t", session)
    figures["bare"] = statistics.median(bare)
    figures["cold"] = statistics.median(cold) / statistics.median(bare)
    figures["warm"] = statistics.median(warm) / statistics.median(bare)
    starts = {"bare": bare, "cold": cold, "warm": warm}
    figures["spread"] = {name: (min(seconds), max(seconds), len(seconds)) for name, seconds in starts.items()}
    figures["fill"] = statistics.median(fill)
    figures["peak_mb"] = peak
    figures["peak_children_mb"] = peak_children
    figures["peak_followed_mb"] = peak_followed
    # A warm restart: ctrl+f for the word one article holds, timed from the first screen.
    session = start(command, work)
    wait_for(session, marker)
    began = time.perf_counter()
    tmux("send-keys", "-t", session, "C-f")
    wait_for(session, "─ Search ─")  # typed before the dialog is up, letters would go to the reader
    tmux("send-keys", "-t", session, "-l", RARE)
    rare_file = f"{count // 2:06d}.txt"
    wait_for(session, rare_file, timeout=60)
    figures["ctrl_f"] = time.perf_counter() - began  # from the first screen, keys included
    tmux("send-keys", "-t", session, "Escape")
    pid = reader_pid(session)
    time.sleep(max(0.0, 60 - (time.perf_counter() - began)))
    figures["rss_60s_mb"] = rss_mb(pid) if pid else 0.0
    figures["peak_warm_mb"] = rss_mb(pid, "VmHWM") if pid else 0.0
    tmux("kill-session", "-t", session)
    return figures


# --- in process --------------------------------------------------------------------------------------------


def search_figures(corpus: Path, notes: Path) -> dict[str, float]:
    """p95 of searches on the warm cache, by kind of query."""
    from tui.core.cache.corpus_cache import CorpusCache
    from tui.core.search.corpus import CorpusSearch

    search = CorpusSearch(CorpusCache.open(notes, corpus))
    kinds = {
        "common words": ["the", "minister", "pipeline", "said"],
        "prefixes": ["pip", "mini", "ank", "fri"],
        "phrases": ['"gas pipeline"', '"the minister"', 'minister "said the"', '"talks in case"'],
    }
    figures = {}
    for kind, queries in kinds.items():
        samples = []
        for _ in range(5):
            for query in queries:
                began = time.perf_counter()
                search.search(query)
                samples.append(time.perf_counter() - began)
        figures[kind] = p95(samples)
    return figures


def timed(command: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def command_figures(corpus: Path, notes: Path, work: Path, runs: int) -> dict[str, float]:
    """``list --json`` and ``export --format md`` warm, and the lean script reading the same files."""
    lean = work / "lean.py"
    lean.write_text(LEAN)
    subprocess.run([DOSSIER, "list", str(corpus), "--notes", str(notes), "--json"], stdout=subprocess.DEVNULL, check=True)  # warm it
    out = work / "report.md"
    return {
        "list": timed([DOSSIER, "list", str(corpus), "--notes", str(notes), "--json"], runs),
        "lean_list": timed([PYTHON, str(lean), str(corpus), str(notes), "json"], runs),
        "export": timed([DOSSIER, "export", str(corpus), "--notes", str(notes), "--format", "md", "-o", str(out), "--force"], runs),
        "lean_export": timed([PYTHON, str(lean), str(corpus), str(notes), "md"], runs),
    }


def first_annotation_figures(corpus: Path, notes: Path, count: int) -> dict[str, float]:
    """p95 of the first annotation of articles without notes, and of an SQLite WAL insert, in the same run."""
    from tui.core.notes.model import ArticleRef
    from tui.core.notes.store import Store

    samples = []
    with Store.open(notes, mode="write") as store:
        for n in range(1, min(count, 401), 10):  # every tenth article has notes: these have none
            rel = f"{n:06d}.txt"
            text = (corpus / rel).read_text(encoding="utf-8")
            ref = ArticleRef.of(rel, text)
            began = time.perf_counter()
            store.add(ref, text, 100, 140, ["security"])
            samples.append(time.perf_counter() - began)
    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(Path(folder) / "wal.sqlite", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE a(id INTEGER PRIMARY KEY, path TEXT, start INT, end INT, tags TEXT)")
        inserts = []
        for n in range(len(samples)):
            began = time.perf_counter()
            conn.execute("INSERT INTO a(path, start, end, tags) VALUES (?, 100, 140, 'security')", (f"{n:06d}.txt",))
            inserts.append(time.perf_counter() - began)
        conn.close()
    # Undo, so the next run finds the same notes.
    with Store.open(notes, mode="write") as store:
        for n in range(1, min(count, 401), 10):
            rel = f"{n:06d}.txt"
            for ann in store.annotations(rel):
                store.delete(ann.id)
    return {"first": p95(samples), "sqlite": p95(inserts)}


def big_article_figures(work: Path, runs: int) -> dict[str, float]:
    """A 50 MB article: first screen beside the bare app, and the reader's resident memory."""
    folder = work / "big"
    if not folder.is_dir():
        folder.mkdir(parents=True)
        rng = random.Random(50)
        (folder / "big.txt").write_text(article(rng, "A fifty megabyte dispatch", 50_000_000), encoding="utf-8")
    notes = work / "big-notes"
    bare_script = work / "bare.py"
    bare, big, peak = [], [], 0.0
    for _ in range(runs):
        session = start(f"{PYTHON} {bare_script}", work)
        bare.append(wait_for(session, "bare app ready"))
        tmux("kill-session", "-t", session)
        shutil.rmtree(notes, ignore_errors=True)
        session = start(f"{DOSSIER} {folder} --notes {notes}", work)
        big.append(wait_for(session, "A fifty megabyte dispatch"))
        pid = reader_pid(session)
        began = time.perf_counter()
        while time.perf_counter() - began < 30 and pid:
            peak = max(peak, rss_mb(pid))
            time.sleep(0.25)
        tmux("kill-session", "-t", session)
    return {"ratio": statistics.median(big) / statistics.median(bare), "peak_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "dossier-scale"))
    parser.add_argument("--skip-tmux", action="store_true", help="only the in-process and command-line figures")
    parser.add_argument("--big", action="store_true", help="also the 50 MB article")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    if not args.skip_tmux:  # a session that outlives the others: killing the last one ends the server, racing the next start
        tmux("new-session", "-d", "-s", "keeper", "sleep 86400")
        # The reader starts from compiled bytecode, as an installed package does (pip compiles it; with
        # PYTHONDONTWRITEBYTECODE set, a changed module was compiled again at every start).
        compileall.compile_dir(ROOT / "tui", quiet=1)
    os.environ.pop("DOSSIER_CACHE", None)
    for count in [int(size) for size in args.sizes.split(",") if size]:
        corpus, notes = work / f"corpus{count}", work / f"notes{count}"
        began = time.perf_counter()
        make_corpus(corpus, count)
        make_notes(notes, corpus, count)
        print(f"== {count:,} articles ({sum(f.stat().st_size for f in os.scandir(corpus)) / 1e6:.0f} MB,"
              f" {count:,} annotations; made in {time.perf_counter() - began:.0f} s)", flush=True)
        if not args.skip_tmux:
            r = reader_figures(corpus, notes, count, args.runs, work)
            print(f"first screen: cold {r['cold']:.2f}x, warm {r['warm']:.2f}x bare Textual ({r['bare']:.2f} s)"
                  f"   [goals: cold <= 3x, warm <= 2x]")
            print("  starts (min-max s, count): " + ", ".join(
                f"{name} {low:.2f}-{high:.2f} ({n})" for name, (low, high, n) in r["spread"].items()))  # type: ignore[attr-defined]
            print(f"cache filled in {r['fill']:.1f} s; reader RSS peak {r['peak_mb']:.0f} MB while filling"
                  f" (reading processes {r['peak_children_mb']:.0f} MB each at most), {r['peak_followed_mb']:.0f} MB"
                  f" until the notes followed; {r['rss_60s_mb']:.0f} MB 60 s after a warm start"
                  f" (peak {r['peak_warm_mb']:.0f} MB)   [goal <= 300 MB]")
            print(f"warm restart, ctrl+f {RARE!r} (one article) shown {r['ctrl_f']:.2f} s after the first screen   [goal <= 1 s]")
        elif cache_file(notes) is None or not cache_done(notes):
            subprocess.run([DOSSIER, "list", str(corpus), "--notes", str(notes), "--json"], stdout=subprocess.DEVNULL, check=True)
        s = search_figures(corpus, notes)
        print("search p95: " + ", ".join(f"{kind} {value * 1000:.0f} ms" for kind, value in s.items()) + "   [goal <= 100 ms]")
        c = command_figures(corpus, notes, work, args.runs)
        print(f"list --json {c['list']:.2f} s = {c['list'] / c['lean_list']:.2f}x lean ({c['lean_list']:.2f} s);"
              f" export md {c['export']:.2f} s = {c['export'] / c['lean_export']:.2f}x lean ({c['lean_export']:.2f} s)"
              f"   [goal <= 3x]")
        a = first_annotation_figures(corpus, notes, count)
        print(f"first annotation of an article p95 {a['first'] * 1000:.2f} ms; SQLite WAL insert (synchronous=FULL)"
              f" p95 {a['sqlite'] * 1000:.2f} ms   [goal <= 15 ms]", flush=True)
    if args.big and not args.skip_tmux:
        b = big_article_figures(work, args.runs)
        print(f"== 50 MB article: first screen {b['ratio']:.2f}x bare [goal <= 3x]; reader RSS peak {b['peak_mb']:.0f} MB"
              f" [goal <= 500 MB]")
    if not args.skip_tmux:
        tmux("kill-server")
    print(json.dumps({"python": sys.version.split()[0], "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
