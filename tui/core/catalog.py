"""An article read and cleaned together: what the list, the reader and the CLI show."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from tui.core.clean import Cleaned, clean_text
from tui.core.corpus import Article, Skipped, load_corpus, read_article
from tui.core.store import ArticleRef, Store, SyncReport

_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class CleanedArticle:
    """An article and the cleaner's decisions about it."""

    article: Article
    cleaned: Cleaned

    @property
    def title(self) -> str:
        """The headline the cleaner found, else the page title, else the file name."""
        return self.cleaned.title or self.article.page_title or Path(self.article.rel).stem

    @property
    def words(self) -> int:
        """Words in the cleaned text."""
        return len(_WORDS.findall(self.cleaned.text))


def open_article(
    root: str | os.PathLike[str], rel: str, overrides: dict[int, str] | None = None
) -> CleanedArticle:
    """Read, decode and clean one article (raises ``ArticleError``)."""
    article = read_article(root, rel)
    return CleanedArticle(article, clean_text(article.text, overrides, article.page_title))


def article_ref(article: Article) -> ArticleRef:
    """The store's name for an article: relative path and SHA-256 of its text."""
    return ArticleRef(article.rel, article.sha256)


def sync_store(store: Store, root: str | os.PathLike[str]) -> tuple[list[Article], list[Skipped], SyncReport]:
    """Read a corpus and bring the store in line with it.

    Renamed articles keep their notes and edited ones are re-anchored; this
    is the one place renames are noticed, so exports and new annotations
    call it first.
    """
    articles, skipped = load_corpus(root)
    by_path = {article.rel: article for article in articles}
    report = store.sync_corpus([article_ref(a) for a in articles], lambda ref: by_path[ref.path].text)
    return articles, skipped, report
