"""The ? screen: every key of the reader, by pane, from the bindings themselves.

The rows are built from the ``BINDINGS`` lists of the app and its widgets,
so the help can never fall behind a key that was added or changed. The tag
keys come first: each number key, its tag and the tag's description (the
codebook's coding rule), from the vocabulary as it is now.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tui.core.neutral import for_terminal
from tui.core.paths import styles_dir

if TYPE_CHECKING:  # the store is imported after the first screen
    from tui.core.notes.tags import Tag

_KEY_NAMES = {
    "question_mark": "?", "left_square_bracket": "[", "right_square_bracket": "]", "left_curly_bracket": "{",
    "right_curly_bracket": "}", "slash": "/", "escape": "esc", "delete": "del", "full_stop": ".", "equals_sign": "=",
}


def key_label(keys: str) -> str:
    """How a binding's keys read on screen: ``j,down`` becomes ``j ↓``."""
    out = []
    for key in keys.split(","):
        key = _KEY_NAMES.get(key, key)
        key = {"down": "↓", "up": "↑", "left": "←", "right": "→", "shift+down": "shift+↓", "shift+up": "shift+↑"}.get(key, key)
        out.append(key)
    return " ".join(out)


def tag_rows(tags: Sequence[Tag]) -> list[tuple[str, str, str]]:
    """(``tag keys``, the key, the tag and its description) for the tags on number keys, in the vocabulary's order."""
    rows = []
    for number, tag in enumerate(tags[:9], 1):
        described = " ".join(tag.description.split())
        rows.append(("tag keys", str(number), f"{tag.name} — {described}" if described else tag.name))
    return rows


def binding_rows(groups: list[tuple[str, list[BindingType]]]) -> list[tuple[str, str, str]]:
    """(pane, keys, what it does) for every binding of every group."""
    rows = []
    for pane, bindings in groups:
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.description.startswith("Toggle tag "):
                # Nine rows saying the same thing read as one.
                if binding.key == "1":
                    rows.append((pane, "1 … 9", "Toggle tag N (in the tag manager's order) on the selection"))
                continue
            # A key whose footer word is short says more here (its tooltip) when it has more to say.
            rows.append((pane, key_label(binding.key), binding.tooltip or binding.description))
    return rows


class HelpScreen(ModalScreen[None]):
    """Every key, grouped by where it works. Escape, q or ? closes it."""

    CSS_PATH = str(styles_dir() / "dialogs.tcss")  # loaded with the first dialog, not at start-up

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close")]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, expand=True)
        table.add_column("where", style="dim", no_wrap=True, width=12)
        table.add_column("key", style="bold", no_wrap=True, width=16)
        table.add_column("does")
        last = None
        for pane, keys, what in self.rows:
            # A tag's name and description come from the notes (an imported codebook): drawn safely.
            table.add_row(pane if pane != last else "", Text(keys), Text(for_terminal(what)))
            last = pane
        with VerticalScroll(id="help-dialog", classes="dialog") as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc close · ctrl+p finds any action by name"
            yield Static(table)
        yield Footer()  # the dialog's own keys, over the reader's

    def on_mount(self) -> None:
        self.query_one("#help-dialog").focus()

    async def action_dismiss(self, result: None = None) -> None:
        """Close the help."""
        self.dismiss(None)
