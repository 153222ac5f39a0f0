"""How the store names an article: its relative path and the SHA-256 of its text.

Kept apart from ``store`` so the reader can name the article it shows
without loading TinyDB and rapidfuzz before its first screen.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


def sha256_text(text: str) -> str:
    """Hex SHA-256 of a text's UTF-8 encoding: the hash an ArticleRef carries."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ArticleRef:
    """An article: its POSIX path relative to the corpus and the SHA-256 of its text."""

    path: str
    sha256: str

    @classmethod
    def of(cls, path: str, text: str) -> ArticleRef:
        """The reference of `text` found at `path`."""
        return cls(path, sha256_text(text))
