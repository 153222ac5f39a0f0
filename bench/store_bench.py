"""Benchmark of the annotation store: durable saves, opening, re-anchoring.

    python bench/store_bench.py [--quick] [--dir DIR]

Prints, for stores of 1k, 10k and 100k annotations spread over 1k articles
(1k and 10k with --quick):
- a durable save (Store.add, which returns after the fsync of the file and
  of its folder), p50 and p95, with the size of the one article file a save
  rewrites: the cost follows that file, not the store;
- the first annotation of a new article (one file written: the article's own);
- opening the store (lock, main file with the tag vocabulary and the index
  of every article; article files are read lazily), and separately the time
  to load every annotation;
- re-anchoring 1,000 annotations on an edited 100 KB article, saved.
Stores are filled with Store.import_annotations (one write per article).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.core.notes.anchor import make_target
from tui.core.notes.store import Annotation, ArticleRef, Store, now

ARTICLES = 1000
SAVES = 300
WORDS = (
    "Ankara Moscow gas pipeline ambassador talks Syria border energy security minister said the of "
    "and to"
).split()


def article_text(rng: random.Random, chars: int) -> str:
    """Text of roughly `chars` characters in short lines of words."""
    out, size = [], 0
    while size < chars:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 15))) + "."
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


def fake_annotations(rng: random.Random, ref: ArticleRef, text: str, count: int) -> list[Annotation]:
    """`count` annotations on random spans of `text`."""
    stamp = now()
    anns = []
    for _ in range(count):
        start = rng.randrange(0, len(text) - 80)
        target = make_target(text, start, start + rng.randint(20, 80))
        anns.append(Annotation(str(uuid.uuid4()), ref, target, ("energy",), "a note of a few words", stamp, stamp))
    return anns


def percentiles(samples: list[float]) -> str:
    """p50 and p95 of samples in seconds, as milliseconds."""
    q = statistics.quantiles(samples, n=20)
    return f"p50 {statistics.median(samples) * 1000:6.2f} ms   p95 {q[18] * 1000:6.2f} ms"


def bench_saves(folder: Path, sizes: list[int]) -> None:
    """Fill the store stage by stage and time durable saves at each size."""
    rng = random.Random(1)
    texts = {f"corpus/article_{n:04d}.txt": article_text(rng, 3000) for n in range(ARTICLES)}
    refs = {path: ArticleRef.of(path, text) for path, text in texts.items()}
    paths = sorted(texts)
    total = 0
    print(f"durable save (Store.add) over {ARTICLES} articles, {SAVES} saves each:")
    for size in sizes:
        with Store.open(folder, mode="write") as store:
            missing = size - total
            start = time.perf_counter()
            store.import_annotations(
                ann for i, p in enumerate(paths)
                for ann in fake_annotations(rng, refs[p], texts[p], missing // ARTICLES + (i < missing % ARTICLES))
            )
            fill = time.perf_counter() - start
            total = size
            samples = []
            for _ in range(SAVES):
                path = rng.choice(paths)
                text = texts[path]
                s = rng.randrange(0, len(text) - 60)
                t0 = time.perf_counter()
                store.add(refs[path], text, s, s + 40, ["security"], "bench")
                samples.append(time.perf_counter() - t0)
            shard = folder / "articles" / f"{store.files.of_path(paths[0]).key}.json"
            print(f"  {size:>7,} annotations ({size // ARTICLES:>3}/article, article file {shard.stat().st_size / 1024:6.1f} KB):"
                  f"  {percentiles(samples)}   (filled in {fill:.1f} s)")
            total += SAVES
    with Store.open(folder, mode="write") as store:
        samples = []
        for n in range(SAVES):
            text = article_text(rng, 3000)
            ref = ArticleRef.of(f"corpus/new_{n:04d}.txt", text)
            t0 = time.perf_counter()
            store.add(ref, text, 0, 40, ["security"])
            samples.append(time.perf_counter() - t0)
        print(f"  first annotation of a new article (its own file; {len(store.articles())} articles with notes):"
              f"  {percentiles(samples)}")


def bench_open(folder: Path) -> None:
    """Time opening the filled store, and loading every annotation from it."""
    opens, loads = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        store = Store.open(folder, mode="write")
        t1 = time.perf_counter()
        count = len(store.all_annotations())
        t2 = time.perf_counter()
        store.close()
        opens.append(t1 - t0)
        loads.append(t2 - t1)
    print(f"open a store of {count:,} annotations: median {statistics.median(opens) * 1000:.1f} ms, "
          f"max {max(opens) * 1000:.1f} ms (lock + main file; article files read when asked)")
    print(f"  then load every annotation (all {count:,}): median {statistics.median(loads) * 1000:.0f} ms")


def bench_reanchor(folder: Path) -> None:
    """Re-anchor 1,000 annotations on a 100 KB article after light edits, saving the result."""
    rng = random.Random(2)
    text = article_text(rng, 100_000)
    ref = ArticleRef.of("corpus/long.txt", text)
    lines = text.split("\n")
    with Store.open(folder, mode="write") as store:
        store.import_annotations(fake_annotations(rng, ref, text, 1000))
        for _ in range(5):  # a few lines inserted and deleted ...
            lines.insert(rng.randrange(len(lines)), article_text(rng, 60))
            del lines[rng.randrange(len(lines))]
        for _ in range(20):  # ... and a few words
            i = rng.randrange(len(lines))
            words = lines[i].split(" ")
            words.insert(rng.randrange(len(words)), rng.choice(WORDS))
            lines[i] = " ".join(words)
        edited = "\n".join(lines)
        t0 = time.perf_counter()
        counts = store.sync(ArticleRef.of(ref.path, edited), edited)
        elapsed = time.perf_counter() - t0
    print(f"re-anchor 1,000 annotations on an edited {len(edited) / 1000:.0f} KB article (saved): "
          f"{elapsed * 1000:.0f} ms  {counts}")


def main() -> None:
    """Run the benchmark in a temporary folder (or --dir) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="stop at 10k annotations")
    parser.add_argument("--dir", type=Path, help="folder for the notes (default: a temporary one)")
    args = parser.parse_args()
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        bench_saves(Path(tmp) / "notes", sizes)
        bench_open(Path(tmp) / "notes")
        bench_reanchor(Path(tmp) / "long")


if __name__ == "__main__":
    main()
