"""The corpus as an export reads it: its files in list order, each article read only if the export needs it.

An export of a large corpus mentions few of its articles: those with
annotations or a memo, and those a filter looks at. :class:`ExportSource`
reads an article's file only when asked, and answers what the report says
of an article (its title, kept paragraphs and their kinds, its facts) from
the corpus cache when the cache read that very text and the analyst set no
cleaning overrides, so an unchanged article is never cleaned again. Without
a cache (or for an article the cache does not hold as it is now) the
article is cleaned as the reader shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.corpus import Article, ArticleError, read_article
from tui.core.document import clean_document
from tui.core.facts import Facts
from tui.core.filtering import Filterable, Subject

if TYPE_CHECKING:
    from tui.core.cache.corpus_cache import CorpusCache
    from tui.core.catalogue import Catalogue


@dataclass(frozen=True)
class Described:
    """What the report says of one article: title, kept paragraphs (source offsets) and their kinds, facts."""

    title: str
    paragraphs: list[tuple[int, int]]
    kinds: tuple[str, ...]
    facts: Facts


@dataclass
class ExportSource:
    """A corpus's files in list order, read lazily; ``cache`` (optional) spares cleaning unchanged articles."""

    root: Path
    rels: list[str]
    cache: CorpusCache | None = None
    _articles: dict[str, Article | None] = field(default_factory=dict)

    @classmethod
    def of_articles(cls, root: Path, articles: Sequence[Article]) -> ExportSource:
        """A source over articles already read (the reader's current article, tests)."""
        source = cls(root, [a.rel for a in articles])
        source._articles.update({a.rel: a for a in articles})
        return source

    def article(self, rel: str) -> Article | None:
        """The article at ``rel``, read once (None if it cannot be read now)."""
        if rel not in self._articles:
            try:
                self._articles[rel] = read_article(self.root, rel)
            except ArticleError:
                self._articles[rel] = None
        return self._articles[rel]

    def describe(self, article: Article, catalogue: Catalogue) -> Described:
        """Title, paragraphs, kinds and facts of ``article``: from the cache if it holds this text uncleaned-again, else cleaned."""
        overrides = catalogue.overrides(article.rel)
        stored = self.cache.stored(article.rel) if self.cache is not None and not overrides else None
        if stored is not None and stored.sha256 == article.sha256:
            from tui.core.cache.analyse import unpack_facts

            facts = catalogue.with_extracted(article.rel, unpack_facts(stored.facts))
            return Described(stored.title, list(stored.spans), stored.kinds, facts)
        document = clean_document(article, overrides)
        kept = document.cleaned.kept
        return Described(
            document.title, [(line.start, line.end) for line in kept], tuple(line.kind for line in kept), catalogue.facts(document)
        )

    def subject(self, rel: str, needs: frozenset[str], catalogue: Catalogue) -> Filterable | None:
        """The article as a filter sees it (None if it cannot be read); cleaned only when the cache cannot answer."""
        tags = [ann.tags for ann in catalogue.annotations(rel)]
        if needs <= {"tags"}:
            return Subject(rel, tags=tags)
        if self.cache is not None and not catalogue.overrides(rel):
            row = self.cache.row(rel)
            if row is not None and row.title is not None:
                from tui.core.cache.analyse import unpack_facts
                from tui.core.cache.articles import CachedArticle

                facts = catalogue.with_extracted(rel, unpack_facts(row.facts))
                return CachedArticle(row.title, facts.values(), tags, self.cache, rel)
        article = self.article(rel)
        if article is None:
            return None
        document = clean_document(article, catalogue.overrides(rel))
        return catalogue.subject(document, catalogue.facts(document))

