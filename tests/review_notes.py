"""Notes by two analysts on the sample's first article, for the review mode's tests and snapshots; and by three.

anna and bea agree on the second paragraph (energy); on the third anna says
security and bea energy; on the fourth only bea codes (security): two
disagreements, the third and fourth paragraphs. ``three_analysts`` writes
other notes, for choosing whose annotations are shown and for blind coding:
anna, bea and carla code one paragraph each, and bea the second article too.
"""

from __future__ import annotations

from pathlib import Path

from tests.pilot import FIRST, SAMPLE, SECOND_PARAGRAPH
from tui.core.corpus import read_article
from tui.core.document import article_ref
from tui.core.notes.store import Store

THIRD = "The deal, initialled in Ankara by Turkey’s energy minister"
FOURTH = "This is not a pipeline between two countries"
CODING = {"anna": [(SECOND_PARAGRAPH, "energy"), (THIRD, "security")],
          "bea": [(SECOND_PARAGRAPH, "energy"), (THIRD, "energy"), (FOURTH, "security")]}
SECOND = "02_black-sea-patrols.txt"
BEA_ON_SECOND = "Russian frigates shadow Meridian survey ship"
#: ``three_analysts``' coding of the first article: one paragraph and tag each.
ONE_EACH = {"anna": (SECOND_PARAGRAPH, "energy"), "bea": (THIRD, "security"), "carla": (FOURTH, "Syria")}


def span_of(quote: str) -> tuple[int, int]:
    """The source span of ``quote`` in the first article."""
    start = read_article(SAMPLE, FIRST).text.index(quote)
    return start, start + len(quote)


def two_analysts(notes: Path) -> None:
    """Write anna's and bea's annotations (see the module's docstring)."""
    article = read_article(SAMPLE, FIRST)
    with Store.open(notes) as store:
        for analyst, codings in CODING.items():
            store.analyst = analyst
            for quote, tag in codings:
                store.add(article_ref(article), article.text, *span_of(quote), [tag])


def three_analysts(notes: Path) -> None:
    """anna, bea and carla each code one paragraph of the first article; bea codes the second article too (diplomacy)."""
    first, second = read_article(SAMPLE, FIRST), read_article(SAMPLE, SECOND)
    with Store.open(notes) as store:
        for analyst, (quote, tag) in ONE_EACH.items():
            store.analyst = analyst
            store.add(article_ref(first), first.text, *span_of(quote), [tag])
        store.analyst = "bea"
        start = second.text.index(BEA_ON_SECOND)
        store.add(article_ref(second), second.text, start, start + len(BEA_ON_SECOND), ["diplomacy"])


def saved(notes: Path, analyst: str = "consensus") -> list[tuple[int, int, tuple[str, ...], str]]:
    """``analyst``'s annotations as (start, end, tags, note), in order."""
    with Store.open(notes, mode="read") as store:
        return sorted((a.target.start, a.target.end, a.tags, a.note) for a in store.all_annotations() if a.analyst == analyst)
