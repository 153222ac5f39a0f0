"""The tag expression dialog (``F``): type ``security AND (Syria OR energy) AND NOT diplomacy``.

The line under the input says, as the analyst types, whether the expression
can be read (else the one-line error, with its position), and names a tag
it mentions that the vocabulary does not have (it would match nothing).
Enter closes with the text, if it can be read; an empty text asks for every
passage again. Escape closes with None: the filter stays as it was. The
grammar is :mod:`tui.core.tag_expression`'s; the tag names listed are drawn
through :func:`~tui.core.neutral.for_terminal`.
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
from tui.core.paths import styles_dir
from tui.core.tag_expression import TagExpressionError, parse, quoted

EXAMPLE = "security AND (Syria OR energy) AND NOT diplomacy"


class TagFilterDialog(ModalScreen[str | None]):
    """Ask for a tag expression: Enter shows only the passages it picks, Escape cancels."""

    CSS_PATH = str(styles_dir() / "dialogs.tcss")  # loaded with the first dialog, not at start-up

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="tag_filter.cancel"),
    ]

    def __init__(self, current: str, tags: list[str]) -> None:
        """``current`` is the filter in force, written as an expression; ``tags`` the vocabulary's names."""
        super().__init__()
        # Drawn in the input as it is: only if it holds nothing a terminal would act on (a tag imported with escapes).
        self.current = current if for_terminal(current) == current else ""
        self.tags = tags
        self.problem: str | None = None  # why the text cannot be read, or None

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-filter-dialog", classes="dialog") as box:
            box.border_title = "Show only passages whose tags satisfy"
            box.border_subtitle = "enter show · empty: every passage · esc cancel"
            yield Input(self.current, placeholder=EXAMPLE, id="tag-filter-input")
            yield Static(id="tag-filter-hint")
            names = ", ".join(quoted(tag) for tag in self.tags) or "none yet (t adds some)"
            yield Static(Text(f"tags: {for_terminal(names)}", style="dim"), id="tag-filter-tags")
        yield Footer()  # the dialog's own keys, over the reader's

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._check(self.current)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._check(event.value)

    def _check(self, text: str) -> None:
        """Say under the input whether ``text`` can be read, and which of its tags the vocabulary lacks."""
        hint = self.query_one("#tag-filter-hint", Static)
        self.problem = None
        if not text.strip():
            hint.update(Text("AND, OR, NOT and parentheses; quote a name with spaces: \"human rights\"", style="dim"))
            return
        try:
            expression = parse(text)
        except TagExpressionError as error:
            self.problem = str(error)
            hint.update(Text(for_terminal(self.problem), style="bold red"))
            return
        known = {tag.casefold() for tag in self.tags}
        unknown = [name for name in expression.names() if name.casefold() not in known]
        if unknown:
            hint.update(Text(f"no tag is called {for_terminal(', '.join(unknown))}", style="yellow"))
        else:
            hint.update(Text(f"shows passages tagged {for_terminal(str(expression))}", style="green"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._check(event.value)
        if self.problem is None:
            self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Close without changing the filter."""
        self.dismiss(None)
