"""The tag manager: add, rename, recolour, describe, reorder, merge and remove tags.

The screen never touches the store: it posts ``TagManager.Request`` (a
message, bubbling up to the app) and the app saves it through the session in
a thread worker, then calls ``show_tags`` with the new vocabulary (or
``show_error``). Tag keys follow the order of the list: the first tag is 1 (``k`` puts the
highlighted tag on a key, ``J``/``K`` move it). The highlighted tag's
description (its coding rule) shows under the list; ``e`` edits it in the
memo editor. ``m`` merges the highlighted tag into another one, named in the
input line: its annotations get that tag instead, and it leaves the list.
Tag names and colours may come from an imported file, so they, and the
messages that quote them, are drawn through
:func:`~tui.core.neutral.for_terminal`; renaming starts from the name as
shown, so what the analyst sees is what is saved.
"""

from __future__ import annotations

from itertools import cycle
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.neutral import for_terminal
from tui.core.paths import styles_dir
from tui.screens.memo_editor import MemoEditor
from tui.widgets.drawing import drawable

if TYPE_CHECKING:  # the store is imported after the first screen
    from tui.core.notes.tags import Tag


#: Colours offered to a new tag, in turn, when none is typed.
PALETTE = ("#9b59b6", "#e67e22", "#1abc9c", "#e84393", "#95a5a6", "#3498db", "#f1c40f", "#2ecc71")


def _excerpt(description: str, width: int = 36) -> str:
    """The description's start on one line, cut with "…": enough to tell the tags' rules apart in the list."""
    line = for_terminal(" ".join(description.split()))
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


class TagManager(ModalScreen[None]):
    """A list of tags; a adds, r renames, c recolours, e describes, k sets the key, m merges, J and K move, d removes (after asking)."""

    CSS_PATH = str(styles_dir() / "dialogs.tcss")  # loaded with the first dialog, not at start-up

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "ask('add')", "Add tag", id="tags.add"),
        Binding("r", "ask('rename')", "Rename", id="tags.rename"),
        Binding("c", "ask('recolour')", "Recolour", id="tags.recolour"),
        Binding("e", "describe", "Describe", tooltip="Write the tag's description: its coding rule", id="tags.describe"),
        Binding("k", "ask('key')", "Key", tooltip="Put the tag on number key 1-9 (it moves to that place)", id="tags.key"),
        Binding("m", "ask('merge')", "Merge", tooltip="Merge the tag into another: its annotations get that one instead", id="tags.merge"),
        Binding("J,shift+down", "move(1)", "Move down", id="tags.down"),
        Binding("K,shift+up", "move(-1)", "Move up", id="tags.up"),
        Binding("d,delete", "ask('remove')", "Remove", id="tags.remove"),
        Binding("u", "undo", "Undo the last change", id="tags.undo"),
        Binding("escape", "close", "Close", id="tags.close"),
    ]

    class Request(Message):
        """Change the vocabulary: op is add, rename, recolour, describe, key (value "1"-"9"), merge (value: the tag
        to merge into), move (value "1" or "-1"), remove or undo."""

        def __init__(self, op: str, name: str, value: str) -> None:
            super().__init__()
            self.op, self.name, self.value = op, name, value

    def __init__(self, tags: list[Tag]) -> None:
        super().__init__()
        self.tags = tags
        self._op: str | None = None
        self._colours = cycle(PALETTE)

    def compose(self) -> ComposeResult:
        with Vertical(id="tags-dialog", classes="dialog") as box:
            box.border_title = "Tags"
            box.border_subtitle = "a add · r rename · c colour · e describe · k key · m merge · d remove · u undo"
            yield OptionList(id="tag-list")
            yield Static("", id="tag-description")
            yield Input(id="tag-input")
            yield Static("", id="tag-message")
        yield Footer()  # the dialog's own keys, over the reader's

    def on_mount(self) -> None:
        self.query_one("#tag-input", Input).display = False
        self.show_tags(self.tags)

    def show_tags(self, tags: list[Tag], message: str = "") -> None:
        """Show the vocabulary (method call down from the app)."""
        before = self.current
        self.tags = tags
        options = self.query_one("#tag-list", OptionList)
        highlighted = options.highlighted or 0
        options.clear_options()
        for number, tag in enumerate(tags, 1):
            key = str(number) if number <= 9 else " "
            prompt = Text.assemble(
                (f"{key}  ", "bold"), ("■ ", drawable(tag.colour) or ""), for_terminal(tag.name), (f"  {for_terminal(tag.colour)}", "dim"),
                (f"  {_excerpt(tag.description)}" if tag.description else "", "dim italic"),
            )
            prompt.no_wrap, prompt.overflow = True, "ellipsis"  # one row per tag: the whole description shows below
            options.add_option(Option(prompt, id=tag.name))
        names = [tag.name for tag in tags]
        if before is not None and before.name in names:
            highlighted = names.index(before.name)  # a moved tag keeps the highlight, however many moves are pending
        if tags:
            options.highlighted = min(highlighted, len(tags) - 1)
        options.focus()
        self._describe_current()
        self.query_one("#tag-message", Static).update(Text(for_terminal(message)))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._describe_current()

    def _describe_current(self) -> None:
        """Show the highlighted tag's description (its coding rule) under the list."""
        tag = self.current
        if tag is None:
            shown = Text("")
        elif tag.description:
            shown = Text.assemble((f"{for_terminal(tag.name)}: ", "bold"), for_terminal(tag.description, lines=True))
        else:
            shown = Text(f"{for_terminal(tag.name)}: no description yet (e writes its coding rule)", style="dim")
        self.query_one("#tag-description", Static).update(shown)

    def action_describe(self) -> None:
        """Edit the highlighted tag's description in the memo editor; saving it asks the app to store it."""
        tag = self.current
        if tag is None or self.query_one("#tag-input", Input).display:
            return
        name = tag.name

        def save(text: str | None) -> None:
            if text is not None and text != tag.description:
                self.post_message(self.Request("describe", name, text))

        about = f"The coding rule of {name}: when a passage gets this tag (empty: no description)"
        self.app.push_screen(MemoEditor("Tag description", about, tag.description), save)

    def show_error(self, message: str) -> None:
        """Say what went wrong (an invalid name or colour, a taken name)."""
        self.query_one("#tag-message", Static).update(Text(for_terminal(message), style="bold red"))

    @property
    def current(self) -> Tag | None:
        """The highlighted tag."""
        index = self.query_one("#tag-list", OptionList).highlighted
        return self.tags[index] if index is not None and index < len(self.tags) else None

    def action_ask(self, op: str) -> None:
        """Ask for the new name or colour in the input line (remove asks the app to confirm)."""
        tag = self.current
        if tag is None:
            if op != "add":
                return
        elif op == "remove":
            self.post_message(self.Request("remove", tag.name, ""))
            return
        self._op = op
        field = self.query_one("#tag-input", Input)
        field.display = True
        if op == "add":
            field.placeholder, field.value = "new tag name, then optionally a colour: tanks #888888", ""
        elif tag is not None and op == "rename":
            name = for_terminal(tag.name)
            field.placeholder, field.value = f"new name for {name} (a child tag: parent/child)", name
        elif tag is not None and op == "key":
            field.placeholder, field.value = f"number key for {for_terminal(tag.name)}: 1 to {min(9, len(self.tags))}", ""
        elif tag is not None and op == "merge":
            field.placeholder, field.value = f"merge {for_terminal(tag.name)} into which tag?", ""
        elif tag is not None:
            field.placeholder, field.value = f"colour for {for_terminal(tag.name)}: #rrggbb or a name", for_terminal(tag.colour)
        field.focus()

    def action_undo(self) -> None:
        """Undo the last change (to the tags or anything else), as u does in the reader."""
        if not self.query_one("#tag-input", Input).display:
            self.post_message(self.Request("undo", "", ""))

    def action_move(self, delta: int) -> None:
        """Move the highlighted tag up or down: its number key follows its place."""
        tag = self.current
        if tag is not None and not self.query_one("#tag-input", Input).display:  # not while typing a name
            self.post_message(self.Request("move", tag.name, str(delta)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        op, self._op = self._op, None
        event.input.display = False
        self.query_one("#tag-list", OptionList).focus()
        if not value or op is None:
            return
        if op == "add":
            name, _, colour = value.rpartition(" ") if value.rsplit(" ", 1)[-1].startswith("#") else (value, "", "")
            self.post_message(self.Request("add", name.strip(), colour or next(self._colours)))
        elif op == "key" and not (value.isdigit() and 1 <= int(value) <= min(9, len(self.tags))):
            self.show_error(f"no key {value!r}: type a number from 1 to {min(9, len(self.tags))}")
        elif op == "recolour" and drawable(value) is None:
            # The notes would keep any name, but a colour nobody can draw would show as no colour at all.
            self.show_error(f"unknown colour {value!r}: use #rrggbb, #rgb or a name such as red, teal or dark_orange")
        elif self.current is not None:
            self.post_message(self.Request(op, self.current.name, value))

    def action_close(self) -> None:
        """Close the manager, or the input line if it is open."""
        field = self.query_one("#tag-input", Input)
        if field.display:
            field.display = False
            self._op = None
            self.query_one("#tag-list", OptionList).focus()
        else:
            self.dismiss(None)

