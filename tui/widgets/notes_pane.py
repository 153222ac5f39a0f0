"""The annotations pane: this article's annotations in text order, orphans last.

Each entry shows the tags, the quote's first words and the note's first
words; an orphan (its quote no longer found in the article) carries a
warning. Enter asks the app to jump to the passage, d to delete (the app
asks first). The pane is an ``OptionList``: an article has tens of
annotations, not thousands. Tags, quotes and notes may come from an imported
file: each is drawn through :func:`~tui.core.neutral.for_terminal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.neutral import for_terminal
from tui.core.notes.analyst_names import DEFAULT_ANALYST
from tui.widgets.drawing import drawable

if TYPE_CHECKING:  # the store is imported after the first screen
    from tui.core.notes.model import Annotation



def first_words(text: str, count: int) -> str:
    """The first ``count`` words of ``text`` on one line, with … if there were more, safe to draw."""
    words = text.split()
    return for_terminal(" ".join(words[:count]) + (" …" if len(words) > count else ""))


class NotesPane(OptionList):
    """This article's annotations; posts ``Jump`` and ``Delete``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d,delete", "delete", "Delete annotation", id="notes.delete"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        *[Binding(str(n), f"toggle_tag({n})", f"Toggle tag {n}", show=False) for n in range(1, 10)],
        Binding("A", "next_analyst", "Next analyst", id="notes.analyst"),
    ]

    class NextAnalyst(Message):
        """Show every analyst's annotations, or the next analyst's only."""

    @dataclass
    class ToggleTag(Message):
        """Add tag ``number`` to this annotation, or take it off."""

        annotation: Annotation
        number: int

    class Jump(Message):
        """Go to the passage of this annotation."""

        def __init__(self, annotation: Annotation) -> None:
            super().__init__()
            self.annotation = annotation

    class Delete(Message):
        """Delete this annotation (after asking)."""

        def __init__(self, annotation: Annotation) -> None:
            super().__init__()
            self.annotation = annotation

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.annotations: list[Annotation] = []

    def show(self, annotations: list[Annotation], colours: dict[str, str], hidden: frozenset[str] = frozenset()) -> None:
        """List these annotations, keeping the highlight where it was; ``hidden`` ids sit in dropped lines."""
        old = self.highlighted
        self.annotations = annotations
        self.clear_options()
        if not annotations:
            self.add_option(Option(Text("No annotations yet: select a passage and press 1–9 or n.", style="dim italic"), disabled=True))
            return
        for ann in annotations:
            prompt = Text()
            if ann.orphan:
                prompt.append("⚠ orphan: its text is gone from the article\n", style="bold yellow")
            elif ann.id in hidden:
                prompt.append("⚠ hidden: its line is dropped (the raw pane shows it; o there keeps the line)\n", style="bold yellow")
            for tag in ann.tags:
                prompt.append(f"[{for_terminal(tag)}] ", style=Style(color=drawable(colours.get(tag)), bold=True))
            prompt.append(first_words(ann.target.exact, 8), style="italic")
            if ann.analyst != DEFAULT_ANALYST:  # who coded it; notes from before analysts (or with none set) name nobody
                prompt.append(f"  — {for_terminal(ann.analyst)}", style="dim")
            if ann.note:
                prompt.append("\n✎ " + first_words(ann.note, 10), style="dim")
            self.add_option(Option(prompt, id=ann.id))
        self.highlighted = min(old or 0, len(annotations) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.annotations and event.option_index < len(self.annotations):
            self.post_message(self.Jump(self.annotations[event.option_index]))

    def action_toggle_tag(self, number: int) -> None:
        """Toggle tag ``number`` on the highlighted annotation."""
        if self.annotations and self.highlighted is not None:
            self.post_message(self.ToggleTag(self.annotations[self.highlighted], number))

    def action_next_analyst(self) -> None:
        """Ask the reader to show the next analyst's annotations only (then every analyst's again)."""
        self.post_message(self.NextAnalyst())

    def action_delete(self) -> None:
        """Ask the app to delete the highlighted annotation."""
        if self.annotations and self.highlighted is not None:
            self.post_message(self.Delete(self.annotations[self.highlighted]))

