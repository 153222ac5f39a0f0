"""The status line: the tag keys, where the notes are saved, whether the last change is, and errors.

It owns what it shows: the screen tells it the tags, the state ("saving…",
"saved: security", "read-only: …") and the last error, and it draws them as
plain ``Text`` (tag names are the analyst's words, never markup), each through
:func:`~tui.core.neutral.for_terminal`: a tag, path or message quoting one
can hold ESC or BEL (an imported tag ``ESC]0;…BEL`` once retitled the
terminal), and Rich passes ESC through.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from rich.text import Text
from textual.widgets import Static

from tui.core.neutral import for_terminal
from tui.widgets.drawing import drawable

ALARM = "bold red"
NOTICE = "yellow"
_LEVELS = 6  # how far redraw shortens the line (see StatusLine._line)


class StatusLine(Static):
    """One line under the panes; the read-only warning and errors in red."""

    def __init__(self, notes: str, *, id: str | None = None) -> None:
        """``notes`` names the notes folder."""
        super().__init__(id=id)
        self.notes = notes
        self.tags: list[tuple[str, str]] = []  # (name, colour) in key order
        self.state = "opening notes…"
        self.read_only = ""
        self.error = ""
        self.article = ""  # what the article on show warns of (an encoding, a page the cleaner doubts)
        self.progress = ""  # how far the corpus cache has read the corpus
        self.notice = ""  # what opening the notes warned of (another corpus): until the first change
        self.whose = ""  # whose annotations alone are shown (blind coding, or the analysts chosen); '' for everyone's

    def on_mount(self) -> None:
        self.redraw()

    def set_tags(self, tags: Sequence[tuple[str, str]]) -> None:
        """The tags on the number keys, as (name, colour)."""
        self.tags = list(tags)
        self.redraw()

    def set_state(self, state: str) -> None:
        """What the notes are doing (saving, saved, exported…)."""
        self.state = state
        self.redraw()

    def set_progress(self, progress: str) -> None:
        """How far the corpus has been read ('' once it all is)."""
        self.progress = progress
        self.redraw()

    def set_read_only(self, why: str) -> None:
        """Why the notes cannot be written ('' when they can)."""
        self.read_only = why
        self.redraw()

    def set_error(self, error: str) -> None:
        """The last error or refusal ('' to clear it)."""
        self.error = error
        self.redraw()

    def set_notice(self, notice: str) -> None:
        """What opening the notes warned of ('' for nothing): it stays until the first change is saved."""
        self.notice = notice
        self.redraw()

    def set_whose(self, whose: str) -> None:
        """Whose annotations alone are shown ('' for every analyst's): it stays while they are, whatever the width."""
        if whose != self.whose:
            self.whose = whose
            self.redraw()

    def set_article(self, warning: str) -> None:
        """What the article on show warns of ('' for none): it stays while the article is shown."""
        self.article = warning
        self.redraw()

    def report(self, label: str | None, error: str, read_only: str | None, pending: int) -> None:
        """Show the outcome of a change to the notes: saving, saved (and what), or not saved and why."""
        if pending:
            self.state = "saving…"
        elif error:
            self.state = "not saved" if label else self.state
        else:
            self.state = f"saved: {label}" if label else "saved"
            self.notice = "" if label else self.notice
        self.read_only = read_only or ""
        self.error = error
        self.redraw()

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Draw the line from what it holds, as much as fits: the state, the read-only warning and errors before the rest.

        When the whole line does not fit, "? help" goes, then the notes
        folder's path (its last part stays), then the tag names shrink to
        three letters, then the tag keys and the reading progress go, in
        that order (the footer and ``?`` list the keys): an 80-column
        terminal still shows "saved", an error and why the notes are read-only.
        """
        width = self.content_size.width
        for level in range(_LEVELS):
            line = self._line(level)
            if not width or line.cell_len <= width:
                break
        self.update(line)

    def _line(self, level: int) -> Text:
        """The status line at a level of shortening (0: all of it; see :meth:`redraw`)."""
        line = Text()
        if level < 4:
            for number, (name, colour) in enumerate(self.tags[:9], 1):
                line.append(f"{number} ", style="bold")
                line.append(for_terminal(name if level < 3 else name[:3]), style=drawable(colour) or "")
                line.append("  " if level < 3 else " ")
            line.append("│ ")
        if level < 5:
            notes = self.notes if level < 2 else "…/" + PurePath(self.notes).name if PurePath(self.notes).parent.name else self.notes
            line.append(f"notes: {for_terminal(notes)} · ")
        if self.read_only:
            line.append(f"read-only: {for_terminal(self.read_only)}", style=ALARM)
        else:
            line.append(for_terminal(self.state))
        if self.whose:
            line.append(" · ")
            line.append(for_terminal(self.whose), style=NOTICE)
        if self.progress and level < 5:
            line.append(f" · {for_terminal(self.progress)}")
        if self.error:
            line.append(" │ ")
            line.append(for_terminal(self.error), style=ALARM)
        if self.notice:
            line.append(" │ ⚠ ")
            line.append(for_terminal(self.notice), style=NOTICE)
        if self.article:
            line.append(" │ ⚠ ")
            line.append(for_terminal(self.article), style=NOTICE)
        if level < 1:
            line.append(" │ ? help")
        return line
