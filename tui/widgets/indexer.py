"""Off-screen helpers of the app: reading the corpus for the list, placing annotations.

``index_corpus`` runs in a thread worker and yields the list's entries in
batches (so the screen shows file names at once and titles as they come).
``marks_for`` maps annotations from source offsets to the cleaned text
(``Cleaned.offsets``: a binary search over the kept lines).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from tui.core.corpus import ArticleError, read_article
from tui.widgets.article_list import Entry
from tui.widgets.article_view import Mark

if TYPE_CHECKING:  # the store is imported after the first screen
    from tui.core.clean import Cleaned
    from tui.core.store import Annotation

_WORDS = re.compile(r"\w+")
BATCH = 250


def index_corpus(root: Path, files: list[str], found: Callable[[str, str, Cleaned], object]) -> Iterator[list[Entry]]:
    """Read and clean each article for its title, word count and filter text; yield batches of entries.

    ``found(rel, title, cleaned)`` is called for each article read (the corpus search indexes it).
    """
    from tui.core.clean import clean_text  # here: the cleaner loads in the worker, not before the first screen

    batch: list[Entry] = []
    for rel in files:
        try:
            article = read_article(root, rel)
        except ArticleError as error:
            batch.append(Entry(rel, f"{Path(rel).name} (cannot be read: {error})", 0))
        else:
            cleaned = clean_text(article.text, None, article.page_title)
            title = cleaned.title or article.page_title or Path(rel).stem
            words = len(_WORDS.findall(cleaned.text))
            batch.append(Entry(rel, title, words, text=article.text.casefold()))
            found(rel, title, cleaned)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def marks_for(cleaned: Cleaned, annotations: list[Annotation]) -> list[Mark]:
    """The annotations that show in the cleaned text, as marks in cleaned offsets.

    A span partly in dropped lines is cut to its kept part; one wholly in
    dropped lines (or an orphan) has no mark: the annotations pane lists it.
    """
    marks = []
    for ann in annotations:
        span = None if ann.orphan else cleaned.offsets.to_clean(ann.target.start, ann.target.end)
        if span is not None:
            marks.append(Mark(ann.id, *span, ann.tags))
    return marks
