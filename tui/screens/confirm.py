"""The yes/no question asked before anything is removed or replaced.

It dismisses with the answer; whoever asked decides what to do with it.
The question may quote article text, notes or file names: it is shown as
plain ``Text``, through :func:`~tui.core.neutral.for_terminal`.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tui.core.neutral import for_terminal
from tui.core.paths import styles_dir


class Confirm(ModalScreen[bool]):
    """Ask a yes/no question: y or Enter answers yes, n or Escape no."""

    CSS_PATH = str(styles_dir() / "dialogs.tcss")  # loaded with the first dialog, not at start-up

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog") as box:
            box.border_title = "Confirm"
            box.border_subtitle = "y yes · n no"
            yield Static(Text(for_terminal(self.question, lines=True)))
        yield Footer()  # the dialog's own keys, over the reader's

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
