"""The note editor: the quoted passage, and the note on it to write or change.

It dismisses with the note (or None on Escape); the pane that opened it
decides what to save. The quote is article text, shown as plain ``Text``.
An imported note may hold control characters, which the editor would draw
raw: it shows them visibly (:func:`~tui.core.neutral.for_terminal`), and a
note saved unchanged is handed back exactly as it was.
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
        self.shown_note = for_terminal(note, lines=True)

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog") as box:
            box.border_title = "Note"
            box.border_subtitle = "ctrl+s save · esc cancel"
            quote = self.quote if len(self.quote) <= 300 else self.quote[:297] + "…"
            yield Static(Text(f"“{for_terminal(quote, lines=True)}”", style="italic"), id="note-quote")
            yield TextArea(self.shown_note, id="note-text", soft_wrap=True, show_line_numbers=False)
        yield Footer()  # the dialog's own keys, over the reader's

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """Close and hand the note to the app for saving (as it was, if it was not changed)."""
        text = self.query_one(TextArea).text.strip()
        self.dismiss(self.note.strip() if text == self.shown_note.strip() else text)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
