"""The Textual app: the stylesheet, the command palette and the notes service; it shows the reader.

The app owns what outlives any one screen: the notes service (the one owner
of the notes folder) and the stylesheet. The reader screen
(``tui.reader.screen``) is its default screen; dialogs are pushed over it.
Reports from the notes service arrive here and go down to whoever shows
them: the reader, and the tag manager while it is open.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from tui.core.paths import styles_dir
from tui.reader.messages import NotesChanged
from tui.reader.notes_service import NotesService
from tui.reader.screen import ReaderScreen

if TYPE_CHECKING:
    from textual.command import Provider

    from tui.core.firstlook import FirstLook
    from tui.screens.tag_manager import TagManager


def dossier_commands() -> type[Provider]:
    """The command palette's provider, imported when the palette first opens (textual.command is slow to load)."""
    from tui.screens.palette import DossierCommands

    return DossierCommands


class DossierApp(App[None]):
    """Read a corpus cleaned, tag passages and write notes; every action on a key."""

    TITLE = "Dossier"
    CSS_PATH = str(styles_dir() / "dossier.tcss")  # the dialogs bring their own stylesheets
    COMMANDS = App.COMMANDS | {dossier_commands}
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(
        self, corpus: Path, notes: Path, first_look: FirstLook | None = None, analyst: str | None = None, ask: bool = False,
        blind: bool = False,
    ) -> None:
        """``analyst``: who is coding; ``ask``: with none, ask once at start (``tui/screens/analyst.py``);
        ``blind``: blind coding, the other analysts' annotations hidden until ``B``."""
        super().__init__()
        self.ask = ask and analyst is None
        self.corpus = corpus
        self.notes = NotesService(notes, self.post_message, corpus, analyst, blind)
        self.reader = ReaderScreen(corpus, self.notes, first_look)

    def on_mount(self) -> None:
        if self.ask:
            from tui.screens.analyst import AnalystDialog

            self.push_screen(AnalystDialog(), lambda name: self.notes.set_analyst(name, self.reader.shown_documents()) if name else None)

    def get_default_screen(self) -> ReaderScreen:
        return self.reader

    async def action_quit(self) -> None:
        """Quit once every change under way is saved."""
        if self.notes.pending:
            self.reader.say("saving before quitting…", error=False)
        await self.notes.drain()
        self.exit()

    def on_unmount(self) -> None:
        self.reader.library.stop()  # the corpus cache keeps what it has read; the rest is read next time
        self.notes.close()  # waits for anything still queued (ctrl+c, a crash), then releases the lock

    def on_notes_changed(self, report: NotesChanged) -> None:
        if report.crash is not None:
            raise report.crash
        self.reader.notes_changed(report)
        manager = self._tag_manager()
        if manager is not None:
            if report.tags is not None:
                manager.show_tags(report.tags)
            if report.error:
                manager.show_error(report.error)

    def _tag_manager(self) -> TagManager | None:
        from tui.screens.tag_manager import TagManager

        stack = self.screen_stack  # empty once the app is closing: a late report finds no screen
        return stack[-1] if stack and isinstance(stack[-1], TagManager) else None

    def on_tag_manager_request(self, event: TagManager.Request) -> None:
        """Change the vocabulary as the tag manager asks (it sits over the reader, whose edits these are)."""
        self.reader.editing.vocabulary(event.op, event.name, event.value)
