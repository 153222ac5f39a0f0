"""A fuzzy picker of articles: type a few letters of a title or file name, Enter opens it.

Matching is rapidfuzz's ``WRatio`` over "title · file", so word order and
typos matter little ("blak sea" finds "Black Sea patrols"). Titles are
article text: they are drawn as ``Text``, never parsed as markup, and titles
and file names through :func:`~tui.core.neutral.for_terminal`.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.neutral import for_terminal
from tui.core.paths import styles_dir

#: How many matches the list shows; more would not help anyone pick.
LIMIT = 200
#: Below this WRatio score a title is not a match.
MIN_SCORE = 50


class ArticlePicker(ModalScreen[str | None]):
    """Choose an article by fuzzy title; dismisses with its relative path, or None."""

    CSS_PATH = str(styles_dir() / "dialogs.tcss")  # loaded with the first dialog, not at start-up

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel", priority=True),
        Binding("down", "focus_list", "To the list", show=False),
    ]

    def __init__(self, articles: list[tuple[str, str]], prompt: str = "Compare with…") -> None:
        """``articles`` are ``(rel, title)`` pairs in list order."""
        super().__init__()
        self.articles = articles
        self.prompt = prompt
        self._keys = {rel: f"{title} · {rel}" for rel, title in articles}
        self._titles = dict(articles)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog", classes="dialog") as dialog:
            dialog.border_title = self.prompt
            yield Input(placeholder="type part of a title or file name; Enter opens the first", id="picker-query")
            yield OptionList(id="picker-list")
            yield Static(id="picker-count")
        yield Footer()  # the dialog's own keys, over the reader's

    def on_mount(self) -> None:
        self._show("")

    def matches(self, query: str) -> list[str]:
        """The paths whose title or file best match ``query``, best first (all, in order, if blank)."""
        if not query.strip():
            return [rel for rel, _ in self.articles[:LIMIT]]
        from rapidfuzz import fuzz, process, utils

        found = process.extract(
            query, self._keys, scorer=fuzz.WRatio, processor=utils.default_process, limit=LIMIT, score_cutoff=MIN_SCORE
        )
        return [rel for _, _, rel in found]

    def _show(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        found = self.matches(query)
        for rel in found:
            label = Text(for_terminal(self._titles[rel]), no_wrap=True, overflow="ellipsis")
            label.append(f"  {for_terminal(rel)}", style="dim")
            options.add_option(Option(label, id=rel))
        if found:
            options.highlighted = 0
        self.query_one("#picker-count", Static).update(f"{len(found)} of {len(self.articles)} articles")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted or 0).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_focus_list(self) -> None:
        """Move from the query to the list."""
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
