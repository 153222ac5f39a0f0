"""An article's facts from every origin, put together: its front matter, its page, its text, the manifest, the analyst.

:mod:`tui.core.facts` holds what a fact is and reads the origins that need
no cleaner (front matter, a page's metadata); :mod:`tui.core.facts_text`
reads the cleaner's lines; :mod:`tui.core.manifest` the corpus's manifest;
the analyst's edits are kept in the notes folder. This module merges them
in their order of precedence (:func:`facts_for`), and :class:`Catalogue`
answers for a whole corpus: each article's facts, annotations and memo,
and what the filter expression (:mod:`tui.core.filtering`) sees of it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from tui.core.facts import Facts, analyst_facts, front_matter_facts, html_facts, merge_facts
from tui.core.facts_text import text_facts
from tui.core.filtering import Subject
from tui.core.manifest import MANIFEST_NAMES, Manifest, read_manifest

if TYPE_CHECKING:
    from tui.core.cleaned import Line
    from tui.core.corpus import Skipped
    from tui.core.document import Document
    from tui.core.notes.model import Annotation
    from tui.core.notes.store import Store


def extract_facts(
    text: str, html_metadata: Mapping[str, str], lines: Sequence[Line], language: str | None = None
) -> Facts:
    """Everything an article says about itself: its front matter, its page's metadata, its text.

    ``text`` is the article's decoded text (``Article.text``),
    ``html_metadata`` its page's metadata (``Article.metadata``), ``lines``
    the cleaner's lines (``Cleaned.lines``) and ``language`` the language the
    cleaner identified (``Cleaned.language``). Manifest rows and the
    analyst's edits are merged on top with :func:`~tui.core.facts.merge_facts`.
    """
    return merge_facts(front_matter_facts(text), html_facts(html_metadata), text_facts(lines, language))


def facts_for(
    text: str,
    html_metadata: Mapping[str, str],
    lines: Sequence[Line],
    language: str | None = None,
    *,
    manifest: Facts | None = None,
    analyst: Mapping[str, str] | None = None,
) -> Facts:
    """An article's facts from every origin: :func:`extract_facts`, then its manifest row and the analyst's edits."""
    layers = [extract_facts(text, html_metadata, lines, language)]
    if manifest is not None:
        layers.append(manifest)
    if analyst:
        layers.append(analyst_facts(analyst))
    return merge_facts(*layers)


def merged_facts(extracted: Facts, manifest: Facts | None, analyst: Mapping[str, str] | None) -> Facts:
    """What an article says about itself (as the corpus cache keeps it), its manifest row, then the analyst's edits.

    The one merge ``list``, ``export`` and the reader's list all make, so
    they never disagree about an article's date or outlet.
    """
    layers = [extracted, manifest or Facts()]
    if analyst:
        layers.append(analyst_facts(analyst))
    return merge_facts(*layers)


class Catalogue:
    """What a corpus's manifest and notes say about its articles: facts, annotations, memos, the filter's view of each.

    ``store`` may be None (no notes folder yet): then no article has an
    analyst's edit, an annotation or a memo. The command line's ``list``,
    ``export`` and ``set`` ask it, so the three never disagree about an
    article's facts.
    """

    def __init__(self, manifest: Manifest | None = None, store: Store | None = None) -> None:
        """A catalogue of a corpus whose manifest has been read (:func:`tui.core.manifest.read_manifest`)."""
        self.manifest = manifest if manifest is not None else Manifest()
        self.store = store

    @classmethod
    def of(cls, root: str | os.PathLike[str], store: Store | None = None) -> Catalogue:
        """The catalogue of the corpus at ``root``: its manifest read, with the notes of ``store``."""
        return cls(read_manifest(root), store)

    def facts(self, document: Document) -> Facts:
        """Every fact about the article ``document`` shows: extracted, its manifest row, the analyst's edits."""
        analyst = self.store.attributes.of(document.rel) if self.store is not None else {}
        return facts_for(
            document.text, document.article.metadata, document.cleaned.lines, document.cleaned.language,
            manifest=self.manifest.facts(document.rel), analyst=analyst,
        )

    def with_extracted(self, path: str, extracted: Facts) -> Facts:
        """The facts of the article at ``path``: what it says about itself (``extracted``, kept by the
        corpus cache), then its manifest row and the analyst's edits."""
        analyst = self.store.attributes.of(path) if self.store is not None else {}
        return merged_facts(extracted, self.manifest.facts(path), analyst)

    def overrides(self, path: str) -> dict[int, bool]:
        """The analyst's cleaning overrides of the article at ``path`` (none without a store)."""
        return self.store.overrides(path) if self.store is not None else {}

    def annotations(self, path: str) -> list[Annotation]:
        """The annotations of the article at ``path`` (none without a store)."""
        return self.store.annotations(path) if self.store is not None else []

    def memo(self, path: str) -> str:
        """The analyst's memo of the article at ``path``, ``""`` if it has none."""
        return self.store.memos.of(path) if self.store is not None else ""

    def subject(self, document: Document, facts: Facts) -> Subject:
        """The article as the filter expression sees it: title, text, attributes, the tags of each annotation."""
        tags = [ann.tags for ann in self.annotations(document.rel)]
        return Subject(document.title, document.text, facts.values(), tags)

    def warnings(self, paths: Iterable[str]) -> list[str]:
        """What was wrong with the manifest, and each of its rows that names a file not among ``paths``."""
        return [*self.manifest.warnings, *self.manifest.unmatched(paths)]


def without_manifest(skipped: Iterable[Skipped]) -> list[Skipped]:
    """The files a corpus scan skipped, less the manifest itself (it is read, as the manifest, not skipped)."""
    return [s for s in skipped if s.path not in MANIFEST_NAMES]
