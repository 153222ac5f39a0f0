"""What the line views (article, raw text, article list) share when they draw, and tag colours.

Each view draws row by row in ``render_line``. Two things there cost more
than the text itself: looking up the widget's base style (``rich_style``
walks every ancestor's styles, about 60 µs) and building ``Style`` objects.
So the base style is looked up once per frame (:class:`FrameStyle`), and the
styles combined with it are built once, here.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from rich.color import Color, ColorParseError
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

PLAIN = Style()
BOLD = Style(bold=True)
ITALIC = Style(italic=True)
DIM = Style(dim=True)
REVERSE = Style(reverse=True)
UNDERLINE = Style(underline=True)
SELECTION = Style(bgcolor="grey30")  # the selection's rows in the raw text; an untagged mark's background


@cache
def drawable(colour: str | None) -> str | None:
    """``colour`` if Rich can draw it, else None: drawn in the terminal's default colour.

    The store accepts any colour name (``teal``, ``bogus``); Rich knows only
    some, and raises on the others.
    """
    try:
        Color.parse(colour or "")
    except ColorParseError:
        return None
    return colour


if TYPE_CHECKING:  # a mixin of widgets: type-checked as one
    from textual.widget import Widget as _Widget
else:
    _Widget = object


class FrameStyle(_Widget):
    """Mixin for a widget drawn with ``render_line``: its base style, looked up once per frame."""

    _frame_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    @property
    def base_style(self) -> Style:
        """The widget's style: the one looked up for the frame being drawn, if any."""
        return self._frame_style if self._frame_style is not None else self.rich_style
