"""Benchmark of corpus search: build the index, then time queries (goal: under 300 ms).

    python bench/search_bench.py [--articles 10000] [--runs 20]

Generates a corpus in memory (seeded): articles of about 4 KB in paragraphs
of news-like sentences drawn from a vocabulary of a few thousand words with
English word frequencies (a few words very common, most rare), a handful of
set phrases, rare words planted in a few articles, and a note on one article
in five. Prints the time to index it, then the median and p95 latency of
``SearchIndex.search`` for a rare word, a common word, two words in one
paragraph, a phrase, a prefix and a word that is nowhere, and whether every
p95 is within the goal.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.core.search.index import SearchIndex

GOAL_MS = 300
ARTICLE_CHARS = 4000
COMMON = (
    "the of and to a in that is was for on it with as said by he at from his an be has have are were "
    "had not but this which its they after been who their will also more one would about year two new "
    "first government minister president officials talks security energy gas pipeline border deal "
    "country foreign military forces week last than over into could people state against between "
    "agreement meeting ambassador relations trade economic defence troops ministry spokesman "
    "sanctions secure secured securing Ankara Moscow Damascus Turkey Russia Russian Turkish Syria "
    "Syrian Putin Erdogan Kremlin NATO Europe European Union talks visit crisis support region "
    "regional war peace"
).split()
SYLLABLES = "ka ro ten mi sa lo ver an tor el is um pra de ni gol ba rest ur ion tak ma".split()
RARE = ["zeolite", "quixotic", "obsidian", "marzipan", "kerfuffle"]
PHRASES = ["natural gas pipeline", "foreign minister", "security council", "black sea", "prime minister"]
QUERIES = [
    ("rare word", "zeolite"),
    ("common word", "the"),
    ("two words, one paragraph", "gas minister"),
    ("phrase", '"natural gas pipeline"'),
    ("prefix", "secur"),
    ("no hits", "xylophone"),
]


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Common words plus ~3,000 made-up ones, with cumulative Zipf weights (rank r weighs 1/r)."""
    made_up = sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(3500)})
    rng.shuffle(made_up)
    words = COMMON + made_up[:3000]
    return words, list(accumulate(1 / rank for rank in range(1, len(words) + 1)))


def article(rng: random.Random, words: list[str], weights: list[float]) -> str:
    """About ARTICLE_CHARS characters: a title line, then paragraphs of sentences."""
    paragraphs = [" ".join(w.capitalize() for w in rng.choices(words, cum_weights=weights, k=8))]
    size = len(paragraphs[0])
    while size < ARTICLE_CHARS:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            chosen = rng.choices(words, cum_weights=weights, k=rng.randint(8, 25))
            if rng.random() < 0.1:
                chosen.insert(rng.randrange(len(chosen)), rng.choice(PHRASES))
            sentences.append(" ".join(chosen).capitalize() + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def corpus(count: int) -> list[tuple[str, str, str]]:
    """``count`` articles as (path, title, text); each rare word is planted in a few of them."""
    rng = random.Random(6)
    words, weights = vocabulary(rng)
    out = []
    for n in range(count):
        text = article(rng, words, weights)
        if rng.random() < 0.001:
            cut = text.rindex(" ", 0, len(text) // 2)
            text = f"{text[:cut]} {rng.choice(RARE)}{text[cut:]}"
        out.append((f"corpus/article_{n:05d}.txt", text.split("\n", 1)[0], text))
    return out


def main() -> None:
    """Build the index, time each query, and say whether the goal is met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles to generate (default 10,000)")
    parser.add_argument("--runs", type=int, default=20, help="times each query is run (default 20)")
    args = parser.parse_args()

    started = time.perf_counter()
    articles = corpus(args.articles)
    size = sum(len(text) for _, _, text in articles)
    print(f"corpus: {len(articles):,} articles, {size / 1e6:.1f} MB of text (generated in {time.perf_counter() - started:.1f} s)")

    index = SearchIndex()
    started = time.perf_counter()
    rng = random.Random(7)
    for n, (path, title, text) in enumerate(articles):
        index.add_article(path, title, text)
        if n % 5 == 0:
            start = rng.randrange(len(text) - 100)
            index.set_notes(path, [(f"note-{n}", start, start + 80, "Check this against the ministry's statement on gas.")])
    print(f"build the index: {time.perf_counter() - started:.2f} s")

    worst = 0.0
    for name, query in QUERIES:
        samples = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            result = index.search(query)
            samples.append((time.perf_counter() - t0) * 1000)
        p95 = statistics.quantiles(samples, n=20)[18] if len(samples) > 1 else samples[0]
        worst = max(worst, p95)
        count = f"{result.total:,}{'' if result.exact else '+'} hits in {result.articles:,}{'' if result.exact else '+'} articles"
        print(f"  {name:<26} {query:<24} median {statistics.median(samples):6.1f} ms   p95 {p95:6.1f} ms   ({count})")
    verdict = "met" if worst <= GOAL_MS else "NOT met"
    print(f"goal: every search within {GOAL_MS} ms at p95 on {len(articles):,} articles: {verdict} (worst p95 {worst:.1f} ms)")


if __name__ == "__main__":
    main()
