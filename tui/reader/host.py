"""What the reader screen offers the helpers that act for it: compare mode, editing, the corpus dialogs.

The helpers (``startup``, ``comparing``, ``editing``, ``dialogs``) are given the screen
and may use only what ``ReaderHost`` names. Written as a protocol, this is
both their contract and the reason no helper imports the screen: the
screen imports them, never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import BindingType
    from textual.widget import Widget

    from tui.core.document import Document
    from tui.core.notes.tags import Tag
    from tui.reader.library import Library
    from tui.reader.notes_service import NotesService
    from tui.reader.panes import ArticlePane
    from tui.widgets.late_footer import LateFooter
    from tui.widgets.raw_view import RawView
    from tui.widgets.status_line import StatusLine


class ReaderHost(Protocol):
    """The reader screen, as its helpers see it."""

    BINDINGS: ClassVar[list[BindingType]]
    corpus: Path
    notes: NotesService
    tags: list[Tag]
    notes_open: bool
    library: Library
    main: ArticlePane
    raw: RawView
    status: StatusLine
    footer: LateFooter

    @property
    def app(self) -> App[Any]:
        """The running app (to push dialogs, and to call back from a worker thread)."""

    @property
    def right(self) -> str:
        """What the right pane shows: raw, notes, compare or none."""

    @right.setter
    def right(self, value: str) -> None: ...

    @property
    def side(self) -> ArticlePane | None:
        """The compare pane, once it has been made."""

    def panes(self) -> list[ArticlePane]:
        """The article panes made so far."""

    def shown_documents(self) -> list[Document]:
        """The documents on screen."""

    def focused_pane(self) -> ArticlePane:
        """The article pane the analyst is in (or was last in)."""

    def on_demand(self, name: str, create: bool = True) -> Widget | None:
        """The annotations pane or the compare pane, made the first time it is needed."""

    def say(self, message: str, error: bool = True) -> None:
        """Show a message in the status line."""

    def set_tags(self, tags: list[Tag]) -> None:
        """The vocabulary changed: every part of the reader follows it."""

    def open_in_reader(self, rel: str, then: Callable[[ArticlePane], object]) -> None:
        """Show ``rel`` in the main pane, then call ``then(pane)``."""

    def run_in_thread(self, work: Callable[[], object], group: str) -> None:
        """Run ``work`` in a thread worker; a newer one in the same group replaces it."""

    def call_after_refresh(self, callback: Callable[[], object]) -> bool:
        """Call ``callback`` once the screen has been drawn again (Textual's ``MessagePump`` method)."""
