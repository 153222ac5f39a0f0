"""What the notes are made of: articles named by path and hash, targets, annotations.

Plain data with no TinyDB or rapidfuzz import, so the reader can name the
article it shows, and draw annotations, before the store is loaded.

Offsets are ``str`` indices into the article's decoded source text; an
article is named by ``ArticleRef(path, sha256)`` (path relative to the
corpus, SHA-256 of the text).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from .analyst_names import DEFAULT_ANALYST, analyst_of

#: Characters of context kept on either side of a quote.
CONTEXT = 32


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


@dataclass(frozen=True)
class Target:
    """Where an annotation sits in one version of an article's text.

    Character offsets into the decoded source text plus the quoted text and
    up to 32 characters of context either side (the W3C
    TextPositionSelector and TextQuoteSelector together).
    """

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form stored in the notes (written out: ``asdict`` was a tenth of a 50,000-annotation merge)."""
        return {"start": self.start, "end": self.end, "exact": self.exact, "prefix": self.prefix, "suffix": self.suffix}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Target:
        """Rebuild a target from its stored form."""
        return cls(data["start"], data["end"], data["exact"], data["prefix"], data["suffix"])


def make_target(text: str, start: int, end: int, context: int = CONTEXT) -> Target:
    """The target for text[start:end], with `context` characters each side."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}:{end} is empty or outside a text of {len(text)} characters")
    return Target(start, end, text[start:end], text[max(0, start - context) : start], text[end : end + context])


@dataclass(frozen=True)
class Annotation:
    """One annotation; `orphan` means its quote could not be found in the article's current text.

    `analyst` is who made it (``analyst_names.py``); notes made before
    analysts were recorded read as ``unattributed``.
    """

    id: str
    article: ArticleRef
    target: Target
    tags: tuple[str, ...]
    note: str
    created: str
    updated: str
    orphan: bool = False
    analyst: str = DEFAULT_ANALYST

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form stored in the notes."""
        return {
            "id": self.id,
            "article": {"path": self.article.path, "sha256": self.article.sha256},
            "target": self.target.to_dict(),
            "tags": list(self.tags),
            "note": self.note,
            "created": self.created,
            "updated": self.updated,
            "orphan": self.orphan,
            "analyst": self.analyst,
        }

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Annotation:
        """Rebuild an annotation from its stored form."""
        article = ArticleRef(doc["article"]["path"], doc["article"].get("sha256", ""))
        return cls(
            doc["id"], article, Target.from_dict(doc["target"]), tuple(doc["tags"]), doc["note"],
            doc["created"], doc["updated"], bool(doc.get("orphan", False)), analyst_of(doc),
        )


@dataclass
class SyncReport:
    """What `Store.sync_corpus` did: renames followed, articles re-anchored, articles gone."""

    renamed: list[tuple[str, str]] = field(default_factory=list)
    reanchored: dict[str, dict[str, int] | None] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
