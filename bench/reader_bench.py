"""Figures for the reader (issue 4), printed as a table.

    python bench/reader_bench.py [--runs 5] [--skip-tmux]

1. Time until the sample corpus is on screen, as a ratio to a bare Textual
   app showing one Static; both started in tmux in the same run, timed from
   launch until `tmux capture-pane` shows their text (median of --runs), both
   from compiled bytecode as an installed package runs.
2. A generated corpus of 10,000 articles (~40 MB): time to screen (same
   way), and how long the filter takes to answer once the list is indexed.
3. A generated 5 MB article: time to its first screen (tmux), then, in
   process, p95 of moving the cursor and of toggling a tag until redrawn.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
DOSSIER = str(Path(PYTHON).parent / "dossier")

BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("bare app ready")
Bare().run()
"""

WORDS = (
    "pipeline ministry gas treaty border talks minister coast navy frigate ankara moscow brussels "
    "tariff agreement survey vessel energy security corridor supply winter contract officials "
    "analysts reported said warned announced the a of to and in on for with that by from as at which "
    "was were would could"
).split()


def sentence(rng: random.Random, serial: int) -> str:
    """A sentence unlike any other (the serial number keeps the cleaner from calling it a duplicate)."""
    words = rng.choices(WORDS, k=rng.randint(10, 24))
    return f"{words[0].capitalize()} {' '.join(words[1:])} in case {serial}."


def article(rng: random.Random, title: str, size: int, serial: int = 0) -> str:
    """A plausible article of about ``size`` characters: a headline and paragraphs of prose."""
    parts, length = [title, ""], len(title)
    while length < size:
        para = " ".join(sentence(rng, serial + i) for i in range(rng.randint(3, 6)))
        serial += 6
        parts += [para, ""]
        length += len(para) + 2
    return "\n".join(parts)


def make_corpus(folder: Path, count: int, size: int) -> None:
    rng = random.Random(4)
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"{n:05d}.txt").write_text(article(rng, f"Dispatch number {n} on the pipeline talks", size, n * 1000))


def time_to_screen(command: str, marker: str, cwd: Path, timeout: float = 30.0) -> float:
    """Seconds from launching ``command`` in a 120x35 tmux window until ``marker`` is on screen."""
    session = f"bench{time.monotonic_ns()}"
    start = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "35", "-c", str(cwd), command], check=True)
    try:
        while time.perf_counter() - start < timeout:
            shown = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
            if marker in shown:
                return time.perf_counter() - start
            time.sleep(0.005)
        raise RuntimeError(f"{marker!r} never appeared; screen: {shown[-400:]}")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def timed_rounds(commands: dict[str, tuple[str, str]], cwd: Path, runs: int) -> dict[str, list[float]]:
    """Times to screen of each ``name: (command, marker)``, one per round, the commands taking turns.

    Taking turns (rather than all runs of one, then the next) spreads the
    machine's noise over all of them, so their ratios hold.
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, marker) in commands.items():
            times[name].append(time_to_screen(command, marker, cwd))
    return times


def ratio_spread(times: dict[str, list[float]], name: str) -> str:
    """The ratio of ``name`` to the bare app in each round: lowest, quartiles and highest."""
    ratios = sorted(a / b for a, b in zip(times[name], times["bare"], strict=True))
    if len(ratios) < 2:
        return f"one round: {ratios[0]:.2f}"
    q1, _, q3 = statistics.quantiles(ratios, n=4)
    return f"per round {ratios[0]:.2f} .. [{q1:.2f} {q3:.2f}] .. {ratios[-1]:.2f}"


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]


async def in_process(big: Path, corpus10k: Path, work: Path) -> dict[str, float]:
    """Filter latency on 10,000 articles; cursor and tag re-render on a 5 MB article."""
    from tui.app import DossierApp
    from tui.widgets.article_list import ArticleList

    figures: dict[str, float] = {}
    app = DossierApp(corpus10k, work / "notes10k")
    async with app.run_test(size=(120, 35)) as pilot:
        articles = app.reader.query_one(ArticleList)
        while not articles.entries or articles.entries[-1].words is None:
            await pilot.pause(0.2)  # wait until every article is read
        # The filter has answered when the list has drawn its new rows: time the
        # filter's handler until the next render_line call (Textual draws on its
        # own refresh timer). Pilot's pause would also wait for the indexing
        # threads to go idle, which the analyst does not.
        drawn = [0.0]
        render_line = articles.render_line

        def spy(y: int):
            drawn[0] = time.perf_counter()
            return render_line(y)

        articles.render_line = spy
        samples = []
        for query in ("case 4100", "dispatch number 77", "frigate", "zzz-none", "") * 3:
            start = time.perf_counter()
            articles.apply_filter(query)
            while drawn[0] < start and time.perf_counter() - start < 5:
                await asyncio.sleep(0.0005)
            samples.append(time.perf_counter() - start)
            await pilot.pause(0.2)
        figures["filter_max"] = max(samples)

    from tui.widgets.article_view import ArticleView
    from tui.widgets.raw_view import RawView

    app = DossierApp(big, work / "notes5mb")
    async with app.run_test(size=(120, 35)) as pilot:
        reader, main = app.reader, app.reader.main
        while main.document is None or main.document.preview or not reader.notes_open:
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        view = main.view
        raw = reader.query_one(RawView)

        def redraw() -> None:
            # What a cursor or tag change costs us: the handler, then every visible row of both views.
            for widget in (view, raw):
                for y in range(widget.size.height):
                    widget.render_line(y)

        moves, presses = [], []
        for _ in range(40):
            start = time.perf_counter()
            view.action_cursor(1)
            reader.on_article_view_selection_changed(ArticleView.SelectionChanged(view, *view.selected))
            redraw()
            moves.append(time.perf_counter() - start)
            start = time.perf_counter()
            await pilot.press("j")  # the whole round trip through Textual's pilot, for comparison
            presses.append(time.perf_counter() - start)
        figures["cursor_p95"] = p95(moves)
        figures["press_p95"] = p95(presses)
        tags, tag_presses = [], []
        for _ in range(20):
            # Like the cursor figure: the key's handler, the save in the store worker (fsync) and
            # the report back to the event loop, then every visible row redrawn. Pilot's own key
            # round trip (three idle waits of >= 20 ms each) is measured apart, for comparison.
            before = len(main.document.annotations)
            start = time.perf_counter()
            main.action_tag(1)
            while len(main.document.annotations) == before:
                await asyncio.sleep(0.0005)
            redraw()
            tags.append(time.perf_counter() - start)
            view.action_cursor(1)
            before = len(main.document.annotations)
            start = time.perf_counter()
            await pilot.press("1")
            while len(main.document.annotations) == before:
                await pilot.pause(0.001)
            redraw()
            tag_presses.append(time.perf_counter() - start)
            await pilot.press("j")
        figures["tag_p95"] = p95(tags)
        figures["tag_press_p95"] = p95(tag_presses)
        figures["rows"] = len(view._rows)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-tmux", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    try:
        corpus10k = work / "corpus10k"
        t0 = time.perf_counter()
        make_corpus(corpus10k, 10_000, 4_000)
        size = sum(p.stat().st_size for p in corpus10k.iterdir())
        big = work / "big"
        big.mkdir()
        (big / "huge.txt").write_text(article(random.Random(5), "A very long dossier on the pipeline", 5_000_000))
        huge_mb = (big / "huge.txt").stat().st_size / 1e6
        print(f"generated 10,000 articles ({size / 1e6:.1f} MB) and a {huge_mb:.1f} MB article in {time.perf_counter() - t0:.1f} s")
        (work / "bare.py").write_text(BARE_APP)
        # Both apps start from compiled bytecode, as installed packages do (pip compiles
        # them on install). Without this, an editable checkout on a machine that sets
        # PYTHONDONTWRITEBYTECODE compiles every Dossier module from source at each
        # start (about 35 ms) while Textual's bytecode was written by pip.
        compileall.compile_dir(ROOT / "tui", quiet=1)
        if not args.skip_tmux and shutil.which("tmux"):
            # A session that outlives each measured one: without it the tmux server exits
            # after every run and the next launch can race its shutdown.
            subprocess.run(["tmux", "new-session", "-d", "-s", "bench-keepalive"], check=False)
            times = timed_rounds(
                {
                    "bare": (f"{PYTHON} bare.py", "bare app ready"),
                    "sample": (f"{DOSSIER} --notes notes-s", "Turkey and Azerbaijan signed"),
                    "many": (f"{DOSSIER} {corpus10k} --notes notes-m", "Dispatch number 0 on"),
                    "huge": (f"{DOSSIER} {big} --notes notes-b", "A very long dossier"),
                },
                work,
                args.runs,
            )
            bare, sample, many, huge = (statistics.median(times[name]) for name in ("bare", "sample", "many", "huge"))
            print(f"bare Textual app (one Static)      {bare * 1000:7.0f} ms")
            spread = ratio_spread(times, "sample")
            print(f"sample corpus on screen            {sample * 1000:7.0f} ms   ratio {sample / bare:.2f}  (goal ≤ 1.5; {spread})")
            spread = ratio_spread(times, "many")
            print(f"10,000 articles on screen          {many * 1000:7.0f} ms   ratio {many / bare:.2f}  (goal ≤ 3; {spread})")
            print(f"5 MB article, first screen         {huge * 1000:7.0f} ms   (launch included; goal ≤ 1000 ms)")
            subprocess.run(["tmux", "kill-session", "-t", "bench-keepalive"], capture_output=True)
        figures = asyncio.run(in_process(big, corpus10k, work))
        filter_ms, cursor_ms = figures["filter_max"] * 1000, figures["cursor_p95"] * 1000
        print(f"filter over 10,000 articles (max)  {filter_ms:7.1f} ms   (goal ≤ 100; 15 queries, until the list is redrawn)")
        print(f"5 MB article: cursor move p95      {cursor_ms:7.1f} ms   (goal ≤ 50; {figures['rows']:,} rows; handler + visible rows)")
        print(f"5 MB article: pilot key press p95  {figures['press_p95'] * 1000:7.1f} ms   (whole pilot round trip, for comparison)")
        print(f"5 MB article: tag toggle p95       {figures['tag_p95'] * 1000:7.1f} ms   (goal ≤ 50; handler, saved (fsync) and redrawn)")
        print(f"5 MB article: tag via pilot p95    {figures['tag_press_p95'] * 1000:7.1f} ms   (whole pilot round trip, for comparison)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
