"""An article read and cleaned together: what the list, the reader and the CLI show."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from tui.core.clean import Cleaned, clean_text
from tui.core.corpus import Article, read_article

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
