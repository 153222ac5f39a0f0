"""What the library's workers report to it, and what it tells the screen: typed messages, handled as ``on_library_*``.

Defined here, not inside ``Library``, to keep that class to what it does.
Each is in the ``library`` namespace, so its handler is still ``on_library_rows`` and so on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.core.cache.corpus_cache import CorpusCache
    from tui.core.document import Document
    from tui.core.evidence import Evidence
    from tui.core.notes.model import ArticleRef
    from tui.widgets.entries import Entry


@dataclass
class Listed(Message, namespace="library"):
    """The corpus is listed; ``first`` is its first article, already read, if it was."""

    files: list[str]
    first: Document | None = None
    error: str | None = None

@dataclass
class Summarised(Message, namespace="library"):
    """Every article is read: each readable one's path and the hash of its text, and the lines that recur."""

    refs: list[ArticleRef] | None  # None when the notes followed this very listing before (nothing to follow)
    evidence: Evidence

@dataclass
class Progress(Message, namespace="library"):
    """Another batch of articles is read; ``left`` are still to read."""

    left: int

@dataclass
class CacheOpened(Message, namespace="library"):
    """The corpus cache is open: search and the filter can answer from it (posted to itself)."""

    cache: CorpusCache

@dataclass
class Unindexed(Message, namespace="library"):
    """The corpus cache could not be opened or failed: the list stays, search cannot answer."""

    reason: str

@dataclass
class Relisted(Message, namespace="library"):
    """A scan found other files than the list shows (the cache's listing of the last run): show these."""

    files: list[str]

@dataclass
class Matched(Message, namespace="library"):
    """What the cache's index says of the filter ``query``: the articles holding its words, those holding a word it excludes."""

    query: str
    rels: set[str] | None
    excluded: set[str]

@dataclass
class Rows(Message, namespace="library"):
    """These articles as the cache now holds them; ``left`` still to read (-1: not known yet)."""

    entries: list[Entry]
    left: int

@dataclass
class Open(Message, namespace="library"):
    """Show this article (the list's highlight moved to it)."""

    rel: str
