"""The memo editor: an article's memo or the corpus memo, several lines of plain text or Markdown.

It dismisses with the memo (or None on Escape); the reader decides what to
save, through the notes service. A memo may hold control characters (an
imported one): the editor shows them visibly
(:func:`~tui.core.neutral.for_terminal`), and a memo saved unchanged is
handed back exactly as it was: it is the note editor's dialog
(:class:`~tui.screens.note_editor.TextDialog`) with another caption.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tui.core.neutral import for_terminal
from tui.screens.note_editor import TextDialog


class MemoEditor(TextDialog):
    """Edit a memo: ctrl+s saves (an emptied memo is removed), Escape cancels."""

    NAME = "memo"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save memo", id="memo.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="memo.cancel", priority=True),
    ]

    def __init__(self, title: str, about: str, memo: str) -> None:
        """``title`` heads the dialog (Article memo, Corpus memo); ``about`` says whose memo it is."""
        super().__init__(memo)
        self.title_shown = title
        self.about = about

    def heading(self) -> str:
        return self.title_shown

    def caption(self) -> Static:
        return Static(Text(for_terminal(" ".join(self.about.split())), style="italic"), id="memo-about")
