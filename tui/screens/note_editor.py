"""The note editor: the quoted passage, and the note on it to write or change; and what every text editor dialog shares.

It dismisses with the note (or None on Escape); the pane that opened it
decides what to save. The quote is article text, shown as plain ``Text``.
An imported note may hold control characters, which the editor would draw
raw: it shows them visibly (:func:`~tui.core.neutral.for_terminal`), and a
note saved unchanged is handed back exactly as it was. The memo editor
(:mod:`tui.screens.memo_editor`) is the same dialog with another caption.
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


class TextDialog(ModalScreen[str | None]):
    """A caption and several lines of text to edit: ctrl+s hands the text back (unchanged: as it was), Escape None.

    A subclass names its widgets (``NAME``: ``#NAME-dialog``, ``#NAME-text``),
    gives its title and its caption, and may ``STRIP`` the text it hands back.
    """

    CSS_PATH = str(styles_dir() / "dialogs.tcss")  # loaded with the first dialog, not at start-up
    NAME: ClassVar[str]
    STRIP: ClassVar[bool] = False

    def __init__(self, text: str) -> None:
        super().__init__()
        self.original = text
        self.shown_text = for_terminal(text, lines=True)

    def heading(self) -> str:
        """The dialog's title."""
        raise NotImplementedError

    def caption(self) -> Static:
        """What is written about: the quote, or whose memo it is."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id=f"{self.NAME}-dialog", classes="dialog") as box:
            box.border_title = self.heading()
            box.border_subtitle = "ctrl+s save · esc cancel"
            yield self.caption()
            yield TextArea(self.shown_text, id=f"{self.NAME}-text", soft_wrap=True, show_line_numbers=False)
        yield Footer()  # the dialog's own keys, over the reader's

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """Close and hand the text back (as it was, if it was not changed)."""
        text = self.query_one(TextArea).text
        before, shown = self.original, self.shown_text
        if self.STRIP:
            text, before, shown = text.strip(), before.strip(), shown.strip()
        self.dismiss(before if text == shown else text)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


class NoteEditor(TextDialog):
    """Edit the note of the selection: ctrl+s saves, Escape cancels."""

    NAME = "note"
    STRIP = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note", id="note.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="note.cancel", priority=True),
    ]

    def __init__(self, quote: str, note: str) -> None:
        super().__init__(note)
        self.quote = quote

    def heading(self) -> str:
        return "Note"

    def caption(self) -> Static:
        quote = self.quote if len(self.quote) <= 300 else self.quote[:297] + "…"
        return Static(Text(f"“{for_terminal(quote, lines=True)}”", style="italic"), id="note-quote")
