"""What the reader's background work reports to the screen: typed messages, one per kind of news.

Workers and the notes service never touch widgets; they post one of these
(dataclasses, so a test can post one by hand) and the screen's ``on_*``
handler applies it on the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the store (TinyDB) is loaded after the first screen
    from tui.core.document import Document
    from tui.core.notes.model import Annotation
    from tui.core.notes.tags import Tag


@dataclass
class NotesChanged(Message):
    """A store call finished: what it was, whether it failed, and the notes as they now are.

    ``documents`` are the articles that were on screen when the call was
    submitted, with their annotations (and, if the overrides changed, their
    cleaned text) as they are now. ``counts`` are the annotations of the
    articles the call touched (all of them if ``complete``), for the list:
    only ``counting``'s while blind, else (``counting`` None) every analyst's.
    ``tags`` is the vocabulary after the call; ``read_only`` says why the
    notes cannot be written, if they cannot.
    """

    label: str | None
    error: str
    documents: dict[str, Document]
    counts: dict[str, list[Annotation]]
    complete: bool
    tags: list[Tag] | None
    read_only: str | None
    pending: int
    opened: bool = False  # this call opened the notes
    crash: BaseException | None = None  # a bug in the call: the app raises it
    described: str | None = None  # the article whose attributes or memo the call changed (undo and redo too)
    notice: str = ""  # opening the notes found them last used with another corpus: the line that says so
    counting: str | None = None  # blind coding: the analyst whose annotations alone ``counts`` hold


@dataclass
class DocumentRead(Message):
    """A pane's read of an article finished (``read`` numbers the pane's reads; older ones are stale)."""

    read: int
    document: Document
    keep_source: int | None
    with_notes: bool  # False: read before the notes were open, so without annotations


@dataclass
class DocumentUnreadable(Message):
    """A pane's read of an article failed; ``reason`` says why."""

    read: int
    rel: str
    reason: str


@dataclass
class CorpusListed(Message):
    """The corpus folder was listed (``error`` if it could not be)."""

    files: list[str]
    error: str | None = None
