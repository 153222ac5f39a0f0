"""The list's entries made from the corpus cache's rows, each with its facts merged as ``dossier list`` merges them.

The cache keeps what each article says about itself (front matter, page
metadata, bylines and datelines); the manifest (``dossier.csv``,
``dossier.json``) and the analyst's edits in the notes folder go on top,
in that order (:func:`tui.core.catalogue.merged_facts`), so the reader's
list, its filter and ``dossier list --filter`` never disagree about an
article's date or outlet. Everything here runs in the library's worker
thread; the analyst's edits are read from the cache's notes index
(:func:`tui.core.cache.notes_index.note_attributes`), never from the store.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterable, Mapping
from contextlib import suppress
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from tui.core.facts import ORIGINS
from tui.widgets.entries import NO_FACTS, Entry

if TYPE_CHECKING:
    from tui.core.cache.corpus_cache import CorpusCache, Listed


_RANK = {origin: rank for rank, origin in enumerate(ORIGINS)}
_SHARED = ("source", "language")  # values that recur across a corpus: one string each
#: At most this many distinct facts (and tag lists) are shared: a corpus whose articles all differ
#: (a date each) keeps a mapping per article, not a growing table of them as well.
_DISTINCT = 4096


def extracted_values(packed: str | None) -> dict[str, str]:
    """``unpack_facts(packed).values()`` without making a ``Fact`` of each: the winner of each key, if it has a value.

    Made for every row of the list (100,000 at start) in the worker; the
    rule is :class:`tui.core.facts.Facts`'s (the strongest origin wins, the
    first found among equals), and a test holds the two to the same answers.
    """
    if not packed:
        return {}
    best: dict[str, tuple[str, int]] = {}
    for key, value, origin, _reason in json.loads(packed)["found"]:
        rank = _RANK[origin]
        held = best.get(key)
        if held is None or rank < held[1]:
            best[key] = (value, rank)
    return {key: value for key, (value, _rank) in best.items() if value}


class EntryFacts:
    """Makes the list's entries of a corpus: the cache's rows, with the manifest's rows and the analyst's edits."""

    def __init__(self, corpus: Path) -> None:
        """Read the corpus's manifest (a manifest that cannot be read gives none: ``dossier list`` says why)."""
        # Here, in the reader's worker, not with the first screen (with the cache's reading code: 30 ms).
        from tui.core.manifest import read_manifest

        self.manifest = read_manifest(corpus)
        self.edits: dict[str, dict[str, str]] = {}  # the analyst's attribute edits, by article path
        self._facts: dict[str, Mapping[str, str]] = {}  # the facts made of each JSON the cache stores (some)
        self._tags: dict[str, tuple[str, ...]] = {}  # the tags made of each JSON the cache stores (some)

    def read_edits(self, cache: CorpusCache) -> list[str]:
        """Read the analyst's attribute edits of every article from the cache's notes index; returns the paths edited.

        Call it after ``sync_notes``: the cache keeps each notes file's edits
        beside its counts, so this is one query, where asking the notes
        would load every annotated article's files (a tenth of the corpus,
        with all their annotations) for a few edits.
        """
        from tui.core.cache.notes_index import note_attributes

        with suppress(sqlite3.Error):  # a cache that fails here: the list shows the extracted facts
            self.edits = note_attributes(cache)
        return list(self.edits)

    def facts(self, row: Listed) -> Mapping[str, str]:
        """The article's attributes by key, as the filter expression and the list see them.

        Articles that say the same about themselves (``{"language": "en"}``,
        an outlet and a language) share one mapping, made once: the cache's
        JSON is read once per distinct value, not once per row.
        """
        manifest = self.manifest.rows.get(row.rel)
        analyst = self.edits.get(row.rel)
        if not row.facts and manifest is None and not analyst:
            return NO_FACTS  # nothing known: the one shared empty mapping
        if manifest is None and not analyst:
            shared = self._facts.get(row.facts or "")
            if shared is not None:
                return shared
            values = extracted_values(row.facts)  # the usual case, a tenth of the cost of the merge
        else:
            from tui.core.cache.analyse import unpack_facts
            from tui.core.catalogue import merged_facts

            values = merged_facts(unpack_facts(row.facts), manifest, analyst).values()
        # 100,000 articles name a few hundred outlets and languages: one string each, not one per article.
        made = {sys.intern(key): sys.intern(value) if key in _SHARED else value for key, value in values.items()}
        if manifest is None and not analyst and len(self._facts) < _DISTINCT:
            shared = self._facts[row.facts or ""] = MappingProxyType(made)
            return shared
        return made

    def tags(self, stored: str | None) -> tuple[str, ...]:
        """The tags of an article's annotations from the cache's JSON; articles with the same tags share one tuple."""
        if not stored:
            return ()
        found = self._tags.get(stored)
        if found is None:
            found = tuple(sys.intern(tag) for tag in json.loads(stored) if isinstance(tag, str))
            if len(self._tags) < _DISTINCT:
                self._tags[stored] = found
        return found

    def entries(self, rows: Iterable[Listed]) -> list[Entry]:
        """The list's entries for cache rows (made in the worker: 100,000 of them take a while)."""
        return [
            Entry(row.rel, row.title, row.words, row.notes, self.tags(row.tags), row.warning, self.facts(row))
            for row in rows
        ]
