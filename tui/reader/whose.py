"""Whose annotations the reader shows: one analyst after another (``A``), several ticked at once (``ctrl+a``), blind coding (``B``).

The notes service owns the choice (``showing``, ``blind``) and applies it
to every report it sends; ``Whose`` turns the keys into calls on it, opens
the checklist of analysts, and says in the status line what is shown. While
blind only ``B`` changes it: the other keys would show a colleague's coding.
Nothing here is written to the notes: the choice lasts until the reader quits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.reader.host import ReaderHost


class Whose:
    """The reader's keys that choose whose annotations are shown."""

    def __init__(self, screen: ReaderHost) -> None:
        self.screen = screen

    def key(self, what: str) -> None:
        """``next`` (``A`` in the annotations pane), ``pick`` (``ctrl+a``) or ``blind`` (``B``)."""
        notes = self.screen.notes
        if what == "blind":
            self._said(notes.toggle_blind(self.screen.shown_documents()))
        elif notes.blind:
            self._said(f"only {notes.mine}'s annotations: blind coding (B shows the other analysts')")
        elif what == "next":
            self._said(notes.show_next_analyst(self.screen.shown_documents()))
        else:
            self.pick()

    def pick(self) -> None:
        """Open the checklist of analysts; Enter shows the annotations of those ticked (all ticked: every analyst's)."""
        from tui.screens.analyst_picker import AnalystPicker

        notes = self.screen.notes
        names = notes.analysts()
        if not names:
            self.screen.say("nobody has coded in this notes folder yet", error=False)
            return
        ticked = names if notes.showing is None else [name for name in names if name in notes.showing]

        def chosen(analysts: frozenset[str] | None) -> None:
            if analysts is None:
                return  # cancelled: as it was
            everyone = analysts >= set(names)  # every name ticked: every analyst's, those with no folder (older notes) too
            self._said(notes.show(None if everyone else analysts, len(names), self.screen.shown_documents()))

        self.screen.app.push_screen(AnalystPicker(names, ticked, notes.analyst), chosen)

    def _said(self, message: str) -> None:
        """Say what the key did, and keep whose annotations are shown in the status line."""
        self.screen.say(message, error=False)
        self.screen.status.set_whose(self.screen.notes.label())
