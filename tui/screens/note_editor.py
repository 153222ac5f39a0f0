"""The note editor: the quoted passage, and the note on it to write or change.

It dismisses with the note (or None on Escape); the pane that opened it
decides what to save. The quote is article text, shown as plain ``Text``.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from tui.core.paths import styles_dir


class NoteEditor(ModalScreen[str | None]):
    """Edit the note of the selection: ctrl+s saves, Escape cancels."""

    CSS_PATH = str(styles_dir() / "dialogs.tcss")  # loaded with the first dialog, not at start-up

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note", id="note.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="note.cancel", priority=True),
    ]

    def __init__(self, quote: str, note: str) -> None:
        super().__init__()
        self.quote = quote
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog") as box:
            box.border_title = "Note"
            box.border_subtitle = "ctrl+s save · esc cancel"
            quote = self.quote if len(self.quote) <= 300 else self.quote[:297] + "…"
            yield Static(Text(f"“{quote}”", style="italic"), id="note-quote")
            yield TextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False)
        yield Footer()  # the dialog's own keys, over the reader's

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """Close and hand the note to the app for saving."""
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
