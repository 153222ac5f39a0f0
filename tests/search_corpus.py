"""The articles the corpus search tests search, and what they share.

Two articles whose every line the cleaner keeps (the killing and the
pipeline), a short one about gas to repeat many times, a corpus of any
articles read into its cache (see ``tests/cached_corpus.py``), and the text
a hit highlights.
"""

from __future__ import annotations

from pathlib import Path

from tests.cached_corpus import CachedCorpus
from tui.core.search.query import Hit

KILLING = (
    "Killing of Russia's ambassador\n"
    "\n"
    "One day after Russia's ambassador was shot in Ankara, officials met. The Russian side asked for calm.\n"
    "\n"
    "Belarussia was not mentioned. Gas talks went on in Ankara.\n"
)
PIPELINE = (
    "Pipeline deal signed\n"
    "\n"
    "Turkey and Russia agreed on the natural gas pipeline after long talks.\n"
    "\n"
    "A [bold]markup[/] line about C++ (a) and Istanbul stays literal.\n"
)
KILLING_TITLE = "Killing of Russia's ambassador"


def cached(root: Path, *articles: tuple[str, str | bytes]) -> CachedCorpus:
    """A corpus of ``articles`` (path, text), read into its cache."""
    corpus = CachedCorpus(root)
    corpus.write_all(articles)
    corpus.update()
    return corpus


def spans_text(text: str, hit: Hit) -> list[str]:
    return [text[s:e] for s, e in hit.matches]


GAS = (
    "Gas prices rose again this week, traders said.\n"
    "\n"
    "The gas market stays tight until the summer, analysts expect.\n"
)
