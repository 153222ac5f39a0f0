"""Print how long the Markdown report (and JSON, CSV) of 100,000 annotations takes.

Run: ``python bench/export_bench.py [--count 100000]``. The annotations are
spread over 1,000 generated articles and four tags; the timing covers building
the report text from annotations already in memory (what ``dossier export``
does after reading the store).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.core.export.formats import to_csv, to_web_annotation
from tui.core.export.report import ArticleInfo, ReportScope, markdown_report
from tui.core.notes.anchor import make_target
from tui.core.notes.store import Annotation, ArticleRef

TAGS = ["security", "energy", "Syria", "diplomacy"]
WORDS = (
    "gas pipeline talks minister security border navy tariff sanctions Ankara Moscow Damascus deal"
).split()


def main() -> None:
    """Generate the annotations and time each export format."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(3)
    articles, annotations = [], []
    per_article = max(1, args.count // 1000)
    for i in range(1000):
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(60)) + "." for _ in range(30)]
        text = "\n\n".join(paragraphs)
        spans, offset = [], 0
        for p in paragraphs:
            spans.append((offset, offset + len(p)))
            offset += len(p) + 2
        path = f"article-{i:04}.txt"
        articles.append(ArticleInfo(path, f"Article number {i}", text, spans))
        for _ in range(per_article):
            start = rng.randrange(0, len(text) - 120)
            target = make_target(text, start, start + rng.randint(30, 120))
            tags = tuple(rng.sample(TAGS, rng.randint(1, 2)))
            annotations.append(Annotation(str(uuid.uuid4()), ArticleRef(path, ""), target, tags,
                                          "A note | with *markup* and <b>html</b>", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"))
    scope = ReportScope("generated", "notes")
    for name, make in (
        ("markdown by tag", lambda: markdown_report(annotations, articles, TAGS, scope, by="tag")),
        ("markdown by article", lambda: markdown_report(annotations, articles, TAGS, scope, by="article")),
        ("json", lambda: to_web_annotation(annotations)),
        ("csv", lambda: to_csv(annotations, lambda path: path)),
    ):
        start = time.perf_counter()
        output = make()
        elapsed = time.perf_counter() - start
        size = f"  ({len(output) / 1e6:.1f} MB of text)" if isinstance(output, str) else ""
        print(f"{name:20} {len(annotations):,} annotations  {elapsed:6.2f} s{size}")


if __name__ == "__main__":
    main()
