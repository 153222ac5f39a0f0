"""The reader's footer: its keys are drawn once the first article is, not before it.

Textual's ``Footer`` composes a widget for every key (16 in the reader)
when the screen's bindings are first known, a refresh after the screen is
mounted: the same moment the first article is drawn. Measured at 100,000
articles (headless, ``Startup.after_first_screen`` as the end), putting the
keys after the article took the first screen from 0.39-0.49 s to
0.33-0.39 s. ``LateFooter`` holds the keys until ``show_keys``; from then
on it is Textual's footer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class LateFooter(Footer):
    """A ``Footer`` whose keys wait for ``show_keys`` (the first article drawn, or why there is none)."""

    held = True

    def bindings_changed(self, screen: Screen) -> None:  # type: ignore[type-arg]
        """Textual's footer follows the bindings; this one only once its keys are shown."""
        if not self.held:
            super().bindings_changed(screen)

    def show_keys(self) -> None:
        """Draw the keys from now on (at once, with the bindings as they are)."""
        if self.held:
            self.held = False
            if self.is_attached:
                # From the footer's own queue: Textual composes its keys in the context of whoever asked,
                # and a key bound to the footer's ``compact`` must be made in the footer's.
                self.call_next(self.bindings_changed, self.screen)
