"""The attribute editor: an article's date, outlet, author, URL, language and other attributes, and where each came from.

One line per attribute: its name, its value (to edit) and its origin — the
page's metadata, the text (with the reason: a byline, a dateline), front
matter, the manifest, or the analyst (then with the extracted value the
analyst's overrules). Tab moves between the fields, Enter saves, Escape
cancels; ctrl+o gives an attribute its extracted value back (the analyst's
edit is removed); the last field adds ``key: value``. An emptied field marks
the attribute unknown.

Every value is checked with :func:`tui.core.facts.analyst_value` before the
dialog closes: a bad date (not ISO 8601) is one line under the fields, and
nothing is handed back. The dialog dismisses with the changes to save
(attribute -> value, ``""`` clears it, None removes the analyst's edit), or
None; the reader saves them through the notes service. Values are the
article's or a scraper's words, shown through :func:`~tui.core.neutral.for_terminal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from tui.core.facts import KEYS, Fact, FactError, Facts, analyst_value, canonical_key
from tui.core.neutral import for_terminal
from tui.core.paths import styles_dir

#: The id of the last field, where a new ``key: value`` is typed.
NEW = "attr-new"


@dataclass(frozen=True)
class Attribute:
    """One line of the editor: the attribute's value now and where it comes from, and what was extracted."""

    key: str
    value: str  # the value shown ("" when unknown or cleared)
    origin: str  # the winning fact's origin ("" when nothing gives the attribute)
    reason: str
    extracted: Fact | None  # the strongest value that is not the analyst's: what ctrl+o gives back
    edited: bool  # the analyst has an edit of it in the notes

    def describe(self) -> str:
        """Where the value comes from, in a few words."""
        if self.edited:
            if self.extracted is None:
                return "analyst (nothing extracted)"
            return f"analyst · was {self.extracted.value} ({self.extracted.origin})"
        if not self.origin:
            return "unknown"
        return f"{self.origin} · {self.reason}" if self.reason else self.origin


def attributes_of(facts: Facts, edits: dict[str, str]) -> list[Attribute]:
    """The editor's lines for an article's ``facts`` (every origin) and the analyst's ``edits``: the five first."""
    extracted = Facts(tuple(f for f in facts.found if f.origin != "analyst"))
    others = sorted(({f.key for f in facts.found} | set(edits)) - set(KEYS))
    rows = []
    for key in [*KEYS, *others]:
        fact = facts.fact(key)
        rows.append(
            Attribute(
                key, fact.value if fact is not None else "", fact.origin if fact is not None else "",
                fact.reason if fact is not None else "", extracted.fact(key), key in edits,
            )
        )
    return rows


class AttributeEditor(ModalScreen[dict[str, str | None] | None]):
    """Edit an article's attributes: Enter saves, Escape cancels, ctrl+o gives back the extracted value."""

    CSS_PATH = str(styles_dir() / "dialogs.tcss")  # loaded with the first dialog, not at start-up

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "extracted", "Extracted value back", id="attributes.extracted"),
        Binding("escape", "cancel", "Cancel", id="attributes.cancel", priority=True),
    ]

    def __init__(self, title: str, rows: list[Attribute]) -> None:
        super().__init__()
        self.title_shown = title
        self.rows = rows
        self.restored: set[str] = set()  # attributes whose analyst's edit ctrl+o removes
        self.error = ""  # why the last Enter saved nothing

    def compose(self) -> ComposeResult:
        with Vertical(id="attributes-dialog", classes="dialog") as box:
            box.border_title = "Attributes"
            box.border_subtitle = "tab next · enter save · ctrl+o extracted value · esc cancel"
            yield Static(Text(_cut(for_terminal(self.title_shown), 200), style="bold"), id="attributes-title")
            with VerticalScroll(id="attributes-fields"):
                for n, row in enumerate(self.rows):
                    with Horizontal(classes="attribute"):
                        yield Label(Text(for_terminal(row.key)), classes="attribute-key")
                        yield Input(for_terminal(row.value), id=f"attr-{n}", compact=True, classes="attribute-value")
                        yield Label(Text(for_terminal(row.describe())), id=f"attr-origin-{n}", classes="attribute-origin")
                with Horizontal(classes="attribute"):
                    yield Label(Text("new"), classes="attribute-key")
                    yield Input(placeholder="key: value", id=NEW, compact=True, classes="attribute-value")
                    yield Label(Text("analyst"), classes="attribute-origin")
            yield Static(Text(""), id="attributes-error")
            yield Static(
                Text("An empty value marks the attribute unknown; dates are ISO 8601: 2016-12-20, 2016-12 or 2016."),
                id="attributes-hint",
            )
        yield Footer()  # the dialog's own keys, over the reader's

    def on_mount(self) -> None:
        self.query_one("#attr-0", Input).focus()

    def _row_of(self, field: Input | None) -> int | None:
        """The number of the attribute a field edits (None for the new field or none)."""
        if field is None or field.id is None or not field.id.startswith("attr-") or field.id == NEW:
            return None
        return int(field.id.removeprefix("attr-"))

    def action_extracted(self) -> None:
        """Give the focused attribute its extracted value back (the analyst's edit goes when saved)."""
        focused = self.focused
        n = self._row_of(focused if isinstance(focused, Input) else None)
        if n is None:
            return
        row = self.rows[n]
        self.query_one(f"#attr-{n}", Input).value = for_terminal(row.extracted.value) if row.extracted else ""
        self.restored.add(row.key)
        what = f"{row.extracted.origin} · {row.extracted.reason}" if row.extracted else "unknown: nothing extracted"
        self.query_one(f"#attr-origin-{n}", Label).update(Text(f"{what} (when saved)"))

    def changes(self) -> dict[str, str | None]:
        """What the fields change: attribute -> value (``""`` clears it), None to remove the analyst's edit.

        Raises :class:`~tui.core.facts.FactError` (one line) for a value or new attribute that cannot be saved.
        """
        found: dict[str, str | None] = {}
        for n, row in enumerate(self.rows):
            typed = self.query_one(f"#attr-{n}", Input).value
            if row.key in self.restored and typed == (for_terminal(row.extracted.value) if row.extracted else ""):
                if row.edited:
                    found[row.key] = None
            elif typed != for_terminal(row.value):
                found[row.key] = typed
        new = self.query_one(f"#{NEW}", Input).value
        if new.strip():
            key, colon, value = new.partition(":")
            if not colon or not key.strip():
                raise FactError(f"a new attribute is written key: value, not {new.strip()[:40]!r}")
            found[canonical_key(key)] = value
        for key, change in found.items():
            if change is not None:
                analyst_value(key, change)  # raises FactError, naming the key
        return found

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Close with the changes; a value that cannot be saved is one line, and the dialog stays."""
        try:
            found = self.changes()
        except FactError as error:
            self.error = str(error)
            self.query_one("#attributes-error", Static).update(Text(for_terminal(self.error), style="bold red"))
            return
        self.dismiss(found or None)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


def _cut(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"
