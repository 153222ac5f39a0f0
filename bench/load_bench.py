"""Print how long a 50 MB article takes to load, decode and clean.

Run: ``python bench/load_bench.py [--megabytes 50]``. Three encodings are
timed (UTF-8, UTF-16 with BOM, cp1252, which goes through detection), with
the cleaner run on the UTF-8 text, so the figures cover the whole path from
bytes on disk to the cleaned view.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.core.clean import clean_text
from tui.core.corpus import read_article

PARAGRAPH = (
    "Officials in Ankara said on Tuesday that talks on the pipeline would resume next week, "
    "after the navy reported two warships near the survey vessel – a “serious” incident. "
) * 4 + "\n\n"


def main() -> None:
    """Write the test files, time each load, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=50.0)
    args = parser.parse_args()
    repeats = int(args.megabytes * 1024 * 1024 / len(PARAGRAPH.encode("utf-8"))) + 1
    # Numbered so that no paragraph repeats another (repeats are dropped as duplicates).
    text = "A headline for a very large article\n\n" + "".join(f"{i}. {PARAGRAPH}" for i in range(repeats))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, encoding in (("utf8.txt", "utf-8"), ("utf16.txt", "utf-16"), ("cp1252.txt", "cp1252")):
            (root / name).write_bytes(text.encode(encoding))
            size = (root / name).stat().st_size / 1_000_000
            start = time.perf_counter()
            article = read_article(root, name)
            loaded = time.perf_counter() - start
            line = f"{name:11} {size:6.1f} MB on disk  load+decode {loaded:5.2f} s ({article.encoding})"
            if name == "utf8.txt":
                start = time.perf_counter()
                cleaned = clean_text(article.text)
                line += f"  clean {time.perf_counter() - start:5.2f} s ({len(cleaned.kept)} paragraphs kept)"
            print(line)


if __name__ == "__main__":
    main()
