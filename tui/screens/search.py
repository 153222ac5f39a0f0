"""The search dialog: type a query, see the hits across the corpus, open one.

The dialog knows nothing of the index: the app hands it a function from a
query to a :class:`~tui.core.search.query.SearchResult`. That function runs in a
thread worker as the user types, after a short pause so a fast typist does
not start a search per key; a newer query cancels the older one. Titles and
context lines are built as ``Text`` from plain strings, so article text is
never read as markup, and through :func:`~tui.core.neutral.for_terminal`, so
a note, title or file name holding ESC never reaches the terminal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import pairwise
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual._path import CSSPathType  # the type Textual gives CSS_PATH
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from tui.core.neutral import for_terminal
from tui.core.paths import styles_dir
from tui.core.search.query import Hit, SearchResult

#: Seconds of quiet typing before a search starts.
DEBOUNCE = 0.12
#: How a match is marked in the context lines.
MATCH_STYLE = "bold black on yellow"


class SearchScreen(ModalScreen[Hit | None]):
    """Search the corpus's text and notes; dismisses with the chosen hit, or ``None``.

    Enter in the query moves to the results; up and down move into them
    from the query; Enter on a hit opens it; Escape closes.
    """

    # Loaded when the dialog is first shown, not at start-up.
    CSS_PATH: ClassVar[CSSPathType] = [str(styles_dir() / "dialogs.tcss"), str(styles_dir() / "search.tcss")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="search.cancel", priority=True),
        Binding("down", "to_results(0)", "To the results", id="search.down", show=False),
        Binding("up", "to_results(-1)", "To the results", id="search.up", show=False),
    ]

    def __init__(self, search: Callable[[str], SearchResult], initial_query: str = "", show_timing: bool = True) -> None:
        """``show_timing=False`` leaves the milliseconds out of the status line (for snapshots)."""
        super().__init__()
        self.search = search
        self.initial_query = initial_query
        self.show_timing = show_timing
        self.result: SearchResult | None = None
        self._focus_results = False

    def compose(self) -> ComposeResult:
        with Vertical(id="search-dialog", classes="dialog") as box:
            box.border_title = "Search"
            box.border_subtitle = "enter results · ↑↓ move · enter open · esc close"
            yield Input(
                self.initial_query,
                id="search-input",
                placeholder='words match where a word starts · "a phrase" · all in one paragraph or note',
            )
            yield Static(Text(""), id="search-status")
            yield OptionList(id="search-results")
        yield Footer()  # the dialog's own keys, over the reader's

    def on_mount(self) -> None:
        self.query_one("#search-input", Input).focus()

    @on(Input.Changed, "#search-input")
    def _query_changed(self, event: Input.Changed) -> None:
        # The input reports its initial value too: that first search need not wait.
        self.run_search(event.value, delay=DEBOUNCE if self.result else 0.0)

    @on(Input.Submitted, "#search-input")
    def _query_submitted(self, event: Input.Submitted) -> None:
        if self.result is not None and self.result.query == event.value:
            self.action_to_results(0)
        else:  # the results are still coming: move to them when they do
            self._focus_results = True
            self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str, delay: float = 0.0) -> tuple[SearchResult, float] | None:
        """Search off the event loop; returns the result and the seconds it took."""
        if delay:
            time.sleep(delay)
            if get_current_worker().is_cancelled:  # a newer query has started
                return None
        started = time.perf_counter()
        result = self.search(query)
        return result, time.perf_counter() - started

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Only the newest search ends in SUCCESS: exclusive workers cancel the older ones.
        if event.worker.group != "search":
            return
        if event.state == WorkerState.SUCCESS and event.worker.result is not None:
            self._show(*event.worker.result)
        elif event.state == WorkerState.ERROR:
            message = for_terminal(f"search failed: {event.worker.error}")
            self.query_one("#search-status", Static).update(Text(message, style="bold red"))

    def _show(self, result: SearchResult, seconds: float) -> None:
        self.result = result
        results = self.query_one("#search-results", OptionList)
        results.set_options(Option(hit_prompt(hit)) for hit in result.hits)
        if result.hits:
            results.highlighted = 0
        self.query_one("#search-status", Static).update(Text(self._status(result, seconds), style="dim"))
        if self._focus_results and result.hits:
            results.focus()
        self._focus_results = False

    def _status(self, result: SearchResult, seconds: float) -> str:
        if not result.query.strip():
            return ""
        timing = f" ({seconds * 1000:.0f} ms)" if self.show_timing else ""
        if not result.total:
            return "no hits" + timing
        more = "" if result.exact else "+"
        text = f"{result.total:,}{more} {_plural(result.total, 'hit')} in {result.articles:,}{more} {_plural(result.articles, 'article')}"
        if len(result.hits) < result.total:
            text += f", the first {len(result.hits):,} listed"
        return text + timing

    @on(OptionList.OptionSelected, "#search-results")
    def _hit_chosen(self, event: OptionList.OptionSelected) -> None:
        if self.result is not None:
            self.dismiss(self.result.hits[event.option_index])

    def action_to_results(self, index: int) -> None:
        """Move to the results, highlighting the hit at ``index`` (-1: the last)."""
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            results.focus()
            results.highlighted = index % results.option_count

    def action_cancel(self) -> None:
        """Close without opening anything."""
        self.dismiss(None)


def hit_prompt(hit: Hit) -> Text:
    """Two lines for a hit: the article's title and path, then the context with its matches marked."""
    prompt = Text()
    prompt.append(for_terminal(" ".join(hit.title.split()) or hit.path), style="bold")
    prompt.append(f"  {for_terminal(hit.path)}", style="dim")
    marker = "✎ note: " if hit.kind == "note" else ""
    context = Text(f"  {marker}")
    # Piece by piece: a visible escape is longer than the character it stands for, so the
    # match offsets (into the raw context) are applied before each piece is neutralised.
    cuts = sorted({0, len(hit.context), *(i for span in hit.context_matches for i in span)})
    for start, end in pairwise(cuts):
        inside = any(s <= start and end <= e for s, e in hit.context_matches)
        context.append(for_terminal(hit.context[start:end]), style=MATCH_STYLE if inside else "")
    prompt.append("\n")
    prompt.append_text(context)
    return prompt


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"
