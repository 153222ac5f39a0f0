"""Print how long the agreement of 3 analysts over 1,000 articles takes, by paragraph and by sentence.

Run: ``python bench/agree_bench.py [--articles 1000] [--analysts 3]``. Each
generated article has 30 paragraphs of three sentences; each analyst tags
about ten passages per article with one of four tags, often where another
analyst did. The timing covers what ``dossier agree`` does once the corpus
cache and the notes are read: cutting each cleaned text into units (as from
the cache: cleaned text and offset map, no cleaning) and measuring.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.core.agreement import ArticleCodings, Coding, measure, units_of
from tui.core.cleaned import OffsetMap

TAGS = ["security", "energy", "Syria", "diplomacy"]
WORDS = "gas pipeline talks minister security border navy tariff sanctions Ankara Moscow Damascus deal".split()


def article(rng: random.Random) -> tuple[str, OffsetMap]:
    """A source text of 30 paragraphs and the offset map of its cleaned text (every line kept)."""
    lines = [
        " ".join(" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(3)) for _ in range(30)
    ]
    spans, offset = [], 0
    for line in lines:
        spans.append((offset, offset + len(line)))
        offset += len(line) + 1  # one newline between lines in the source
    return "\n\n".join(lines), OffsetMap(spans)


def main() -> None:
    """Generate the articles and codings, then time units and figures for each unit."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--analysts", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(16)
    analysts = [f"analyst{i}" for i in range(args.analysts)]
    texts = [article(rng) for _ in range(args.articles)]
    codings = []
    for _, offsets in texts:
        picks = []
        for _ in range(10):
            line = rng.randrange(len(offsets.source_starts))
            start = offsets.source_starts[line] + rng.randrange(20)
            picks.append((start, start + rng.randrange(10, 200), rng.choice(TAGS)))
        # Each analyst takes most of the shared picks: agreement that is high but not perfect.
        codings.append([Coding(name, tag, s, e) for name in analysts for s, e, tag in picks if rng.random() < 0.8])
    for unit in ("paragraph", "sentence"):
        began = time.perf_counter()
        units = [units_of(cleaned, offsets, unit) for cleaned, offsets in texts]
        cut = time.perf_counter()
        articles = [ArticleCodings(f"{i}.txt", u, c) for i, (u, c) in enumerate(zip(units, codings, strict=True))]
        result = measure(articles, analysts)
        done = time.perf_counter()
        print(
            f"{unit}: {result.units} units, {sum(len(c) for c in codings)} codings, {len(result.disagreements)} disagreements: "
            f"units {cut - began:.2f} s, figures {done - cut:.2f} s; alpha over all tags {result.overall.alpha:.3f}"
        )


if __name__ == "__main__":
    main()
