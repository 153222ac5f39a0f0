"""Search over a whole corpus as the reader shows it, answered in source offsets.

``SearchIndex`` works on cleaned texts, whose offsets change when the
analyst overrides a line; annotations and the reader work in source
offsets. ``CorpusSearch`` keeps, for each article, the few numbers that map
one to the other (``Cleaned.offsets``, an ``OffsetMap``: where each kept line
starts on both sides) rather than the article's ``Cleaned`` (which holds
every line, dropped ones included: too much memory for 10,000 articles). It is thread-safe: the
reader fills it in one worker while searches run in another.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from tui.core.document import clean_spans
from tui.core.search.index import Hit, SearchIndex, SearchResult

if TYPE_CHECKING:
    from tui.core.clean import Cleaned, OffsetMap
    from tui.core.notes.model import Annotation

Span = tuple[int, int]


class CorpusSearch:
    """A ``SearchIndex`` of the corpus's cleaned texts and notes, plus each article's ``OffsetMap``."""

    def __init__(self) -> None:
        self._index = SearchIndex()
        self._maps: dict[str, OffsetMap] = {}
        # Each article's annotations as last given: indexed again when the article is
        # (re-)added, since an override moves their cleaned offsets.
        self._annotations: dict[str, list[Annotation]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._index)

    def add(self, rel: str, title: str, cleaned: Cleaned) -> None:
        """Index an article's cleaned text (again, if it was indexed before), with its notes."""
        offsets = cleaned.offsets
        with self._lock:
            self._maps[rel] = offsets
            self._index.add_article(rel, title, cleaned.text)
            if rel in self._annotations:
                self._index_notes(rel)

    def set_annotations(self, rel: str, annotations: Iterable[Annotation]) -> None:
        """Index the notes of an article's annotations (replacing those indexed before)."""
        with self._lock:
            self._annotations[rel] = list(annotations)
            if rel in self._maps:
                self._index_notes(rel)  # else with the article, when it comes

    def _index_notes(self, rel: str) -> None:
        """Put an article's notes in the index, their spans in its current cleaned offsets (lock held)."""
        annotated = [ann for ann in self._annotations[rel] if ann.note.strip()]
        # A note whose passage is not in the cleaned text (an orphan, a dropped line) is still searchable.
        spans = {ann.id: span for ann, span in clean_spans(self._maps[rel], annotated)}
        self._index.set_notes(rel, [(ann.id, *spans.get(ann.id, (0, 0)), ann.note) for ann in annotated])

    def search(self, query: str, limit: int = 200) -> SearchResult:
        """Search the texts and notes (see ``SearchIndex.search``)."""
        with self._lock:
            return self._index.search(query, limit)

    def source_spans(self, hit: Hit) -> tuple[Span, list[Span]]:
        """The hit's passage and its matches, in source offsets of the article."""
        with self._lock:
            offsets = self._maps[hit.path]
        source = offsets.to_source
        return (source(hit.start), source(hit.end)), [(source(s), source(e)) for s, e in hit.matches]
