"""The question the reader asks once when it does not know who is coding: the analyst's name.

Asked at start when no ``--analyst``, ``$DOSSIER_ANALYST`` or remembered
name is set. The name is checked as every name is (``analyst_names.py``: it
becomes a folder); a bad one is said in one line under the field. Enter with
a good name dismisses with it (the reader remembers it for the notes folder);
Escape dismisses with None, and this session's annotations are ``unattributed``.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from tui.core.neutral import for_terminal
from tui.core.notes.analyst_names import AnalystError, check_analyst
from tui.core.paths import styles_dir


class AnalystDialog(ModalScreen[str | None]):
    """Ask for the analyst's name: Enter saves a good one, Escape leaves the annotations unattributed."""

    CSS_PATH = str(styles_dir() / "dialogs.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Not now", id="analyst.cancel", priority=True)]

    def compose(self) -> ComposeResult:
        with Vertical(id="analyst-dialog", classes="dialog") as box:
            box.border_title = "Who is coding?"
            box.border_subtitle = "enter saves · esc not now"
            yield Static("Your name goes with every annotation you make (the team's notes keep each analyst's apart).")
            yield Input(placeholder="your name", id="analyst-name")
            yield Static("", id="analyst-error")
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """A good name dismisses the dialog with it; a bad one is said under the field."""
        event.stop()
        try:
            self.dismiss(check_analyst(event.value))
        except AnalystError as error:
            self.query_one("#analyst-error", Static).update(Text(for_terminal(str(error)), style="bold red"))

    def action_cancel(self) -> None:
        """No name this time: the annotations made now are unattributed."""
        self.dismiss(None)
