"""A checklist of the notes folder's analysts (``ctrl+a``): the reader shows the annotations of those ticked.

Space ticks or unticks the analyst under the cursor; ``a`` ticks every one,
``m`` only the analyst at work. Enter dismisses with the names ticked (at
least one: with none ticked a line under the list says so); Escape with
None, and the choice stays as it was. Names are folder names a colleague
chose: each is drawn as ``Text`` through :func:`~tui.core.neutral.for_terminal`,
never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, SelectionList, Static
from textual.widgets.selection_list import Selection

from tui.core.neutral import for_terminal
from tui.core.paths import styles_dir


class AnalystPicker(ModalScreen[frozenset[str] | None]):
    """Tick the analysts whose annotations to show; dismisses with their names, or None (cancelled)."""

    CSS_PATH = str(styles_dir() / "dialogs.tcss")  # loaded with the first dialog, not at start-up

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter and Escape before the list's own: a SelectionList would tick with Enter.
        Binding("enter", "apply", "Show", id="analysts.apply", priority=True, tooltip="Show the ticked analysts' annotations"),
        Binding("escape", "cancel", "Cancel", id="analysts.cancel", priority=True, tooltip="Close, showing what was shown"),
        Binding("a", "every", "All", id="analysts.all", tooltip="Tick every analyst"),
        Binding("m", "only_me", "Only me", id="analysts.me", tooltip="Tick only yourself"),
        # j and k move as in the reader's lists and annotations pane.
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
    ]

    def __init__(self, names: list[str], ticked: Collection[str], me: str | None) -> None:
        """``names`` to choose from, in order; ``ticked`` those shown now; ``me`` the analyst at work (None: not known)."""
        super().__init__()
        self.names = names
        self.ticked = ticked
        self.me = me

    def compose(self) -> ComposeResult:
        with Vertical(id="analysts-dialog", classes="dialog") as box:
            box.border_title = "Show the annotations of"
            box.border_subtitle = "space tick · enter show · esc cancel"
            yield SelectionList[str](*(Selection(self._prompt(name), name, name in self.ticked) for name in self.names),
                                     id="analysts-list")
            yield Static("", id="analysts-error")
        yield Footer()  # the dialog's own keys, over the reader's

    def _prompt(self, name: str) -> Text:
        prompt = Text(for_terminal(name))
        if name == self.me:
            prompt.append("  (you)", style="dim")
        return prompt

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``m`` is shown dimmed when the analyst at work is not known (nobody to show alone)."""
        return None if action == "only_me" and self.me not in self.names else True

    def action_apply(self) -> None:
        """Show the ticked analysts' annotations (at least one must be ticked)."""
        chosen = frozenset(self.query_one(SelectionList).selected)
        if not chosen:
            self._say("tick at least one analyst (space), or a for all")
            return
        self.dismiss(chosen)

    def action_every(self) -> None:
        """Tick every analyst."""
        self.query_one(SelectionList).select_all()
        self._say("")

    def action_only_me(self) -> None:
        """Tick the analyst at work alone."""
        choices: SelectionList[str] = self.query_one(SelectionList)
        choices.deselect_all()
        if self.me is not None:
            choices.select(self.me)
        self._say("")

    def action_move(self, step: int) -> None:
        """Move the cursor one analyst down (1) or up (-1)."""
        choices: SelectionList[str] = self.query_one(SelectionList)
        choices.action_cursor_down() if step > 0 else choices.action_cursor_up()

    def action_cancel(self) -> None:
        """Close without changing whose annotations are shown."""
        self.dismiss(None)

    def _say(self, text: str) -> None:
        self.query_one("#analysts-error", Static).update(Text(text, style="bold red"))
