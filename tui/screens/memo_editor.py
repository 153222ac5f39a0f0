"""The memo editor: an article's memo or the corpus memo, several lines of plain text or Markdown.

It dismisses with the memo (or None on Escape); the reader decides what to
save, through the notes service. A memo may hold control characters (an
imported one): the editor shows them visibly
(:func:`~tui.core.neutral.for_terminal`), and a memo saved unchanged is
handed back exactly as it was, as the note editor does.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from tui.core.neutral import for_terminal
from tui.core.paths import styles_dir


class MemoEditor(ModalScreen[str | None]):
    """Edit a memo: ctrl+s saves (an emptied memo is removed), Escape cancels."""

    CSS_PATH = str(styles_dir() / "dialogs.tcss")  # loaded with the first dialog, not at start-up

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save memo", id="memo.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="memo.cancel", priority=True),
    ]

    def __init__(self, title: str, about: str, memo: str) -> None:
        """``title`` heads the dialog (Article memo, Corpus memo); ``about`` says whose memo it is."""
        super().__init__()
        self.title_shown = title
        self.about = about
        self.memo = memo
        self.shown_memo = for_terminal(memo, lines=True)

    def compose(self) -> ComposeResult:
        with Vertical(id="memo-dialog", classes="dialog") as box:
            box.border_title = self.title_shown
            box.border_subtitle = "ctrl+s save · esc cancel"
            yield Static(Text(for_terminal(" ".join(self.about.split())), style="italic"), id="memo-about")
            yield TextArea(self.shown_memo, id="memo-text", soft_wrap=True, show_line_numbers=False)
        yield Footer()  # the dialog's own keys, over the reader's

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """Close and hand the memo to the reader (as it was, if it was not changed)."""
        text = self.query_one(TextArea).text
        self.dismiss(self.memo if text == self.shown_memo else text)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
