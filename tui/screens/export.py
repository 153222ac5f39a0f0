"""The export dialog: choose scope, grouping, tags and file, see the report live, save.

The dialog knows nothing of the store: the app hands it a function that
builds the export (run in a thread worker, so a large corpus never blocks
typing) and one that writes it. An existing file is replaced only after a question.
Tag names label the checkboxes as ``Text`` (a plain string would be read as
markup), and they, the preview and the messages are drawn through
:func:`~tui.core.neutral.for_terminal`: a CSV or JSON export holds notes as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual._path import CSSPathType  # the type Textual gives CSS_PATH
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Input, Label, Markdown, RadioButton, RadioSet, Static

from tui.core.export.assemble import ExportOptions
from tui.core.neutral import for_terminal
from tui.core.paths import styles_dir
from tui.screens.confirm import Confirm

#: How much of the report the preview draws: the Markdown widget lays out
#: every block, so a 40 MB report is cut (the saved file is complete).
PREVIEW_CHARS = 20_000


class ExportDialog(ModalScreen[Path | None]):
    """Export this article's or the corpus's annotations; dismisses with the saved path."""

    # Loaded when the dialog is first shown, not at start-up.
    CSS_PATH: ClassVar[CSSPathType] = [str(styles_dir() / "dialogs.tcss"), str(styles_dir() / "export.tcss")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save export", id="export.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="export.cancel", priority=True),
    ]

    def __init__(
        self,
        tags: list[str],
        article_path: str | None,
        default_file: Path,
        render: Callable[[ExportOptions], str],
        write: Callable[[Path, str, str], None],
    ) -> None:
        super().__init__()
        self.tags = tags
        self.article_path = article_path
        self.default_file = default_file
        # Not "render"/"write": Screen.render is Textual's own drawing method.
        self.build_export = render
        self.write_export = write
        self.built = ""  # the export last built (what the preview shows, in full)

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog") as box:
            box.border_title = "Export"
            box.border_subtitle = "ctrl+s save · esc cancel"
            with Horizontal(classes="export-row"):
                yield Label("Scope")
                with RadioSet(id="export-scope"):
                    yield RadioButton("This article", value=self.article_path is not None, disabled=self.article_path is None)
                    yield RadioButton("The corpus", value=self.article_path is None)
                yield Label("Group by")
                with RadioSet(id="export-by"):
                    yield RadioButton("Tag", value=True)
                    yield RadioButton("Article")
            with Horizontal(classes="export-row"):
                yield Label("Format")
                with RadioSet(id="export-format"):
                    yield RadioButton("Markdown", value=True)
                    yield RadioButton("JSON")
                    yield RadioButton("CSV")
            with Horizontal(classes="export-row"):
                yield Label("Only tags")
                for index, tag in enumerate(self.tags):
                    # The label shows the name neutralised; the widget's name keeps the tag itself.
                    yield Checkbox(Text(for_terminal(tag)), name=tag, id=f"export-tag-{index}", classes="export-tag")
            yield Input(str(self.default_file), id="export-path", placeholder="file to write")
            yield Static(Text(""), id="export-status")
            with VerticalScroll(id="export-preview"):
                yield Markdown("", id="export-markdown")
        yield Footer()  # the dialog's own keys, over the reader's

    def on_mount(self) -> None:
        # The first choice has the focus; Tab walks the rest in the order they are drawn.
        self.query_one("#export-scope", RadioSet).focus()
        self.refresh_preview()

    def options(self) -> ExportOptions:
        """The choices on screen as export options."""
        scope = self.query_one("#export-scope", RadioSet).pressed_index
        by = self.query_one("#export-by", RadioSet).pressed_index
        fmt = self.query_one("#export-format", RadioSet).pressed_index
        tags = tuple(box.name for box in self.query(".export-tag").results(Checkbox) if box.value and box.name)
        paths = frozenset({self.article_path}) if scope == 0 and self.article_path else None
        return ExportOptions(format=("md", "json", "csv")[max(fmt, 0)], by=("tag", "article")[max(by, 0)], tags=tags, paths=paths)

    @on(RadioSet.Changed)
    @on(Checkbox.Changed)
    def _choice_changed(self, event: RadioSet.Changed | Checkbox.Changed) -> None:
        if event.control.id == "export-format":
            self._suggest_suffix()
        self.refresh_preview()

    def _suggest_suffix(self) -> None:
        path_input = self.query_one("#export-path", Input)
        suffix = {"md": ".md", "json": ".json", "csv": ".csv"}[self.options().format]
        path_input.value = str(Path(path_input.value).with_suffix(suffix))

    @work(thread=True, exclusive=True, group="export-preview")
    def refresh_preview(self) -> None:
        """Build the export off the event loop and show it."""
        options = self.options()
        try:
            text = self.build_export(options)
        except Exception as error:  # the preview reports what went wrong, the dialog stays open
            self.app.call_from_thread(self._show_status, f"cannot build the export: {error}", error=True)
            return
        self.app.call_from_thread(self._show_preview, text, options.format)

    def _show_preview(self, text: str, fmt: str) -> None:
        self.built = text
        shown = for_terminal(text, lines=True)
        # A fence longer than any run of backticks in the export (a note may hold ```), so it cannot close early.
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall("`+", shown)), default=0))
        preview = shown if fmt == "md" else f"{fence}{fmt}\n{shown}\n{fence}"
        if len(preview) > PREVIEW_CHARS:
            closing = f"\n{fence}" if fmt != "md" else ""
            preview = preview[:PREVIEW_CHARS] + closing + "\n\n*… preview cut here; the file will hold everything.*"
        self.query_one("#export-markdown", Markdown).update(preview)
        self._show_status(f"{len(text):,} characters · ctrl+s saves to the file above")

    def _show_status(self, message: str, error: bool = False) -> None:
        self.query_one("#export-status", Static).update(Text(for_terminal(message), style="bold red" if error else "dim"))

    def action_save(self) -> None:
        """Save, asking first if the file exists."""
        path = Path(self.query_one("#export-path", Input).value.strip()).expanduser()
        if not path.name:
            self._show_status("name a file to write", error=True)
            return
        if path.exists():

            def answer(yes: bool | None) -> None:
                if yes:
                    self._save(path)

            self.app.push_screen(Confirm(f"{path} exists. Replace it?"), answer)
        else:
            self._save(path)

    @work(thread=True, exclusive=True, group="export-save")
    def _save(self, path: Path) -> None:
        options = self.options()
        try:
            text = self.build_export(options)
            self.write_export(path, text, options.format)
        except Exception as error:  # shown in the dialog; nothing is lost by a failed write
            self.app.call_from_thread(self._show_status, f"not saved: {error}", error=True)
            return
        self.app.call_from_thread(self.dismiss, path)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
