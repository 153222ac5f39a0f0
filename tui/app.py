"""The Textual app: article list, cleaned article, raw text or annotations, status line.

The app wires widgets to ``tui.core`` and to the ``Session`` that edits the
store. Widgets report with messages; the app answers with method calls.
Nothing slow runs on the event loop: the corpus scan, the titles, reading and
cleaning an article, and every store call run in thread workers. Store calls
go through one FIFO queue and ``Session.lock``, so they run one at a time and
in the order the keys were pressed; each is durable when it returns.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, Static

from tui.core.corpus import Article, ArticleError, CorpusError, read_article, scan_corpus
from tui.core.paths import sample_corpus, styles_dir
from tui.screens.help import HelpScreen, binding_rows
from tui.screens.modals import Confirm, NoteEditor
from tui.screens.palette import DossierCommands
from tui.screens.tag_manager import TagManager
from tui.widgets.article_list import ArticleList, Entry, FilterInput
from tui.widgets.article_view import ArticleView
from tui.widgets.indexer import index_corpus, marks_for
from tui.widgets.notes_pane import NotesPane
from tui.widgets.raw_view import RawView
from tui.editing import EditingActions

if TYPE_CHECKING:  # the store (TinyDB, rapidfuzz) is imported in the worker, after the first screen
    from tui.core.clean import Cleaned
    from tui.core.store import Annotation, ArticleRef
    from tui.core.tags import Tag
    from tui.session import Session

NARROW = 100  # below this many columns the list collapses
FILTER_SETTLE = 0.15  # seconds of no typing in the filter before its highlighted article opens
PREVIEW = 64_000  # articles over twice this many characters are shown first cleaned this far


@dataclass
class Open:
    """The article on screen: its text, the cleaner's view of it, its notes."""

    rel: str
    article: Article
    ref: ArticleRef
    cleaned: Cleaned
    annotations: list[Annotation]
    overrides: dict[int, bool]
    preview: bool = False  # only the first paragraphs are cleaned yet; the whole article follows


def as_wishes(overrides: dict[int, bool]) -> dict[int, str]:
    """The store's overrides (line -> keep) in the form ``clean_text`` takes (line -> "keep"/"drop")."""
    return {line: "keep" if keep else "drop" for line, keep in overrides.items()}


class DossierApp(EditingActions, App[None]):
    """Read a corpus cleaned, tag passages and write notes; every action on a key."""

    TITLE = "Dossier"
    CSS_PATH = [str(styles_dir() / "dossier.tcss"), str(styles_dir() / "export.tcss")]
    COMMANDS = App.COMMANDS | {DossierCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("b", "toggle_list", "List", id="toggle_list"),
        Binding("r", "toggle_raw", "Raw", id="toggle_raw"),
        Binding("a", "toggle_notes", "Annotations", id="toggle_notes"),
        Binding("n", "note", "Note", id="note"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("ctrl+r", "redo", "Redo", id="redo"),
        Binding("right_square_bracket", "annotated(1)", "Next annotated", id="next_annotated", show=False),
        Binding("left_square_bracket", "annotated(-1)", "Previous annotated", id="prev_annotated", show=False),
        Binding("right_curly_bracket", "article(1)", "Next article", id="next_article", show=False),
        Binding("left_curly_bracket", "article(-1)", "Previous article", id="prev_article", show=False),
        Binding("o", "override", "Keep/drop raw line", id="override", show=False),
        Binding("t", "tags", "Tags", id="tags"),
        Binding("e", "export", "Export", id="export"),
        Binding("tab", "focus_next", "Next pane", show=False),
        *[Binding(str(n), f"tag({n})", f"Toggle tag {n}", id=f"tag{n}", show=False) for n in range(1, 10)],
    ]

    def __init__(self, corpus: Path, notes: Path) -> None:
        super().__init__()
        self.corpus = corpus
        self.notes = notes
        self.session: Session | None = None
        self.tags: list[Tag] = []
        self.doc: Open | None = None
        self._wanted: str | None = None  # the article last asked for
        self._queue: deque[tuple[str | None, Callable[[Session], object]]] = deque()
        self._pending = 0
        self._state = "opening notes…"
        self._error = ""
        self._list_shown: bool | None = None  # None: follow the terminal's width
        self._right = "raw"  # raw, notes or none
        self._files: list[str] = []
        self._started = False  # notes opened and titles read (after the first screen)
        self._open_timer = None  # opens the article highlighted by the filter once typing pauses
        # Serialises every store call (the store is not thread-safe) and keeps them in queue order.
        self._lock = threading.Lock()

    # --- layout ------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left") as left:
                left.border_title = "Articles"
                yield FilterInput(placeholder="filter: title or text", id="filter")
                yield ArticleList(id="articles")
            view = ArticleView(id="article")
            view.border_title = "Cleaned"
            yield view
            raw = RawView(id="raw")
            raw.border_title = "Raw"
            yield raw
            notes = NotesPane(id="notes")
            notes.border_title = "Annotations"
            yield notes
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(FilterInput).display = False
        self.query_one(NotesPane).display = False
        self.query_one(ArticleView).show_message("Reading the corpus…")
        self.query_one(ArticleList).focus()
        self._layout()
        self._status()
        self.load_corpus()

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()

    def on_resize(self) -> None:
        self._layout()

    def _layout(self) -> None:
        """Show or hide the list and the right pane for the terminal's width and the analyst's choice."""
        narrow = self.size.width < NARROW
        shown = self._list_shown if self._list_shown is not None else not narrow
        left = self.query_one("#left")
        left.display = shown
        if not shown and self.focused is not None and left in self.focused.ancestors_with_self:
            self.query_one(ArticleView).focus()  # keys must not steer a list nobody sees
        self.query_one(RawView).display = self._right == "raw"
        self.query_one(NotesPane).display = self._right == "notes"
        self.set_class(narrow, "narrow")

    @property
    def corpus_label(self) -> str:
        """How the status line names the corpus."""
        return "the sample corpus" if self.corpus.resolve() == sample_corpus().resolve() else str(self.corpus)

    def _status(self) -> None:
        """Redraw the status line: tag keys, notes folder, saved state, last error."""
        line = Text()
        for number, tag in enumerate(self.tags[:9], 1):
            line.append(f"{number} ", style="bold")
            line.append(tag.name, style=_colour(tag.colour))
            line.append("  ")
        line.append(f"│ notes: {self.notes} · ")
        line.append(self._state, style="bold red" if self._state.startswith("read-only") else "")
        if self._error:
            line.append(" │ ", style="")
            line.append(self._error, style="bold red")
        line.append(" │ ? help")
        self.query_one("#status", Static).update(line)

    # --- the corpus --------------------------------------------------------

    @work(thread=True, exclusive=True, group="corpus")
    def load_corpus(self) -> None:
        """List the corpus (fast), then read every article for titles, words and the filter."""
        try:
            scan = scan_corpus(self.corpus)
        except CorpusError as error:
            self.call_from_thread(self._fail, str(error))
            return
        entries = [Entry(rel, rel) for rel in scan.files]
        self._files = scan.files
        self.call_from_thread(self._show_entries, entries)

    def _after_first_screen(self) -> None:
        """Open the notes and read every article's title: once, after the first article is drawn.

        Both compete with the first article for the interpreter, so they wait for it.
        """
        if self._started:
            return
        self._started = True
        self.submit(None, self._open_notes)
        self._index_titles()

    @work(thread=True, exclusive=True, group="titles")
    def _index_titles(self) -> None:
        """Read every article for its title, word count and filter text, in batches."""
        for batch in index_corpus(self.corpus, self._files):
            self.call_from_thread(self.query_one(ArticleList).update_entries, batch)

    def _show_entries(self, entries: list[Entry]) -> None:
        articles = self.query_one(ArticleList)
        articles.set_entries(entries)
        if entries:
            self.open_article(entries[0].rel)
        else:
            self.query_one(ArticleView).show_message("No articles in this folder (.txt, .md, .html).")
            self._after_first_screen()

    def _fail(self, message: str) -> None:
        self._error = message
        self.query_one(ArticleView).show_message(message)
        self._status()

    def on_article_list_highlighted(self, event: ArticleList.Highlighted) -> None:
        if self._open_timer is not None:
            self._open_timer.stop()
            self._open_timer = None
        if event.filtering:
            # The list answers every keystroke at once; the article follows when typing pauses,
            # so cleaning it does not slow the next keystroke.
            self._open_timer = self.set_timer(FILTER_SETTLE, lambda: self.open_article(event.rel))
        else:
            self.open_article(event.rel)

    def on_article_list_chosen(self, event: ArticleList.Chosen) -> None:
        if self._open_timer is not None:
            self._open_timer.stop()
            self._open_timer = None
        if self.doc is None or self.doc.rel != event.rel:
            self.open_article(event.rel)
        self.query_one(ArticleView).focus()

    def open_article(self, rel: str, keep_source: int | None = None) -> None:
        """Read and clean ``rel`` off the event loop; the cursor goes near ``keep_source``."""
        self._wanted = rel
        self._read_article(rel, keep_source)

    @work(thread=True, exclusive=True, group="article")
    def _read_article(self, rel: str, keep_source: int | None) -> None:
        try:
            article = read_article(self.corpus, rel)
        except ArticleError as error:
            self.call_from_thread(self._unreadable, rel, str(error))
            return
        from tui.core.clean import clean_text
        from tui.core.store import ArticleRef, StoreError

        ref = ArticleRef(rel, article.sha256)
        annotations: list[Annotation] = []
        overrides: dict[int, bool] = {}
        if self.session is not None:
            with self._lock:
                try:
                    self.session.store.sync(ref, article.text)  # re-anchor if the text changed
                    annotations = self.session.store.annotations(rel)
                    overrides = self.session.store.overrides(rel)
                except StoreError as error:
                    self.call_from_thread(self._store_error, str(error))
        wishes = as_wishes(overrides)
        cut = article.text.rfind("\n\n", 0, PREVIEW) if len(article.text) > 2 * PREVIEW else -1
        if cut > 0 and keep_source is None:
            # A long article: clean its first paragraphs and show them at once, then the whole.
            # The preview's offsets are the article's (a prefix), so its marks and edits hold.
            head = article.text[:cut]
            lines = head.count("\n") + 1
            early = clean_text(head, {n: w for n, w in wishes.items() if n <= lines}, article.page_title)
            preview = Open(rel, article, ref, early, annotations, overrides, preview=True)
            self.call_from_thread(self._show_article, preview, None)
        cleaned = clean_text(article.text, wishes, article.page_title)
        doc = Open(rel, article, ref, cleaned, annotations, overrides)
        self.call_from_thread(self._show_article, doc, keep_source)

    def _unreadable(self, rel: str, reason: str) -> None:
        self._after_first_screen()
        if rel == self._wanted:
            self.doc = None
            self.query_one(ArticleView).show_message(f"{rel} cannot be read: {reason}")
            self.query_one(RawView).clear()

    def _show_article(self, doc: Open, keep_source: int | None) -> None:
        if doc.rel != self._wanted:
            return  # the analyst has moved on
        previous = self.doc
        if previous is not None and previous.preview and previous.rel == doc.rel:
            if doc.preview:
                return
            if keep_source is None:
                keep_source = self._selection_source()  # where the analyst got to in the preview
            doc.annotations = previous.annotations  # the store may have reported since the read
        self.doc = doc
        view = self.query_one(ArticleView)
        keep = doc.cleaned.to_clean(keep_source) if keep_source is not None else None
        view.border_subtitle = doc.rel
        raw_text = doc.article.text if not doc.preview else doc.article.text[: doc.cleaned.lines[-1].end]
        self.query_one(RawView).set_article(raw_text, doc.cleaned)
        self._show_annotations()
        view.set_article(doc.cleaned, keep)
        warnings = "; ".join(doc.article.warnings)
        self._error = f"{doc.rel}: {warnings}" if warnings else self._error if self._error.startswith("read-only") else ""
        self._status()
        if not doc.preview:
            self.call_after_refresh(self._after_first_screen)

    def _show_annotations(self) -> None:
        """Colour the article's annotations and list them in the annotations pane."""
        if self.doc is None:
            return
        colours = {t.name: t.colour for t in self.tags}
        self.query_one(ArticleView).set_marks(marks_for(self.doc.cleaned, self.doc.annotations), colours)
        self.query_one(NotesPane).show(self.doc.annotations, colours)

    def on_article_view_selection_changed(self, event: ArticleView.SelectionChanged) -> None:
        if self.doc is None or not self.doc.cleaned.kept:
            return
        start, end = self._source_span(event.start, event.end)
        self.query_one(RawView).follow(start, end)
        view = self.query_one(ArticleView)
        view.border_title = f"Cleaned · {view.step}s"

    def _source_span(self, start: int, end: int) -> tuple[int, int]:
        cleaned = self.doc.cleaned
        return cleaned.to_source(start), cleaned.to_source(end)

    # --- the store ---------------------------------------------------------

    def submit(self, label: str | None, call: Callable[[Session], object]) -> None:
        """Queue a store call; it runs in a thread worker, after every call queued before it."""
        self._queue.append((label, call))
        if label:
            self._pending += 1
            self._state = "saving…"
            self._status()
        self._store_worker()

    def _open_notes(self, _: None) -> None:
        """Open the store (the first call in the queue)."""
        from tui.session import Session

        self.session = Session.open(self.notes)

    @work(thread=True, group="store")
    def _store_worker(self) -> None:
        """Run the oldest queued store call, then report the article's notes as they now are."""
        from tui.core.store import StoreError
        from tui.session import NothingToDo

        with self._lock:
            rel = self._wanted  # the article on screen (or about to be) when the call runs
            label, call = self._queue.popleft()
            error, report = "", None
            touched: str | None = None  # the one article an edit changed; None: recount them all
            try:
                if self.session is None and call != self._open_notes:
                    raise StoreError(f"{self.notes}: the notes could not be opened")
                result = call(self.session)
                touched = getattr(result, "path", None)
            except (StoreError, NothingToDo, ValueError, KeyError) as problem:
                error = str(problem).strip("'\"")
            store = self.session.store if self.session else None
            if store is not None:
                # After an edit to one article only its counts are re-read: reading every
                # article's notes on every keystroke would grow with the whole store.
                paths = [touched] if touched else list(store.articles())
                try:
                    report = (
                        (rel, store.annotations(rel) if rel else None, store.overrides(rel) if rel else None),
                        ({p: store.annotations(p) for p in paths}, touched is None),
                        store.tags(),
                        store.holder if store.readonly else None,
                    )
                except StoreError as problem:
                    error = str(problem)
        self.call_from_thread(self._after_store, label, error, report)

    def _after_store(self, label: str | None, error: str, report: tuple | None) -> None:
        """Show the outcome of a store call: saved state, errors, the notes as they now are."""
        current, counts, tags, holder = report if report else (None, None, None, None)
        if label:
            self._pending = max(0, self._pending - 1)
        if tags is not None:
            self.tags = tags
            self.query_one(ArticleList).colours = {t.name: Style(color=_colour(t.colour)) for t in tags}
            if isinstance(self.screen, TagManager):
                self.screen.show_tags(tags)
        if holder is not None or (self.session is not None and self.session.store.readonly):
            self._state = f"read-only: notes are being written by {holder or 'another process'}"
        elif self._pending:
            self._state = "saving…"
        elif error:
            self._state = "not saved"
        else:
            self._state = f"saved: {label}" if label else "saved"
        self._error = error
        if error and isinstance(self.screen, TagManager):
            self.screen.show_error(error)
        if counts is not None:
            self._update_counts(*counts)
        if current is not None and self.doc is not None and current[0] == self.doc.rel and current[1] is not None:
            _, annotations, overrides = current
            if overrides != self.doc.overrides:
                self.open_article(self.doc.rel, self._selection_source())
            elif annotations != self.doc.annotations or tags is not None:
                self.doc.annotations = annotations
                self._show_annotations()
        self._status()

    def _update_counts(self, counts: dict[str, list[Annotation]], complete: bool) -> None:
        """Show notes counts and tag chips; ``complete`` means articles missing from ``counts`` have none."""
        articles = self.query_one(ArticleList)
        changed = []
        for entry in articles.entries:
            if not complete and entry.rel not in counts:
                continue
            anns = counts.get(entry.rel, [])
            tags = tuple(dict.fromkeys(t for a in anns for t in a.tags))
            if entry.notes != len(anns) or entry.tags != tags:
                entry.notes, entry.tags = len(anns), tags
                changed.append(entry)
        articles.update_entries(changed)

    def _store_error(self, message: str) -> None:
        self._error = message
        self._status()

    def _selection_source(self) -> int | None:
        selected = self.query_one(ArticleView).selected
        return self._source_span(*selected)[0] if selected and self.doc and self.doc.cleaned.kept else None

    def _target(self) -> tuple[Open, int, int] | None:
        """The open article and the selection in source offsets, or None (and say why)."""
        selected = self.query_one(ArticleView).selected
        if self.doc is None or selected is None or selected[0] >= selected[1]:
            self._error = "nothing selected"
            self._status()
            return None
        return (self.doc, *self._source_span(*selected))

    # --- actions -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys of the main screen do nothing while a dialog is open."""
        if isinstance(self.screen, (NoteEditor, Confirm, TagManager, HelpScreen)) and action not in ("quit",):
            return False
        return True

    def action_article(self, delta: int) -> None:
        """Open the next or previous article of the list."""
        self.query_one(ArticleList).step(delta)

    def action_filter(self) -> None:
        """Show the list's filter and type into it."""
        self._list_shown = True
        self._layout()
        field = self.query_one(FilterInput)
        field.display = True
        field.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            shown = self.query_one(ArticleList).apply_filter(event.value)
            self.query_one("#left").border_subtitle = f"{shown} match" if event.value else ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.query_one(ArticleList).focus()

    def on_filter_input_closed(self, event: FilterInput.Closed) -> None:
        field = self.query_one(FilterInput)
        field.value = ""
        field.display = False
        self.query_one(ArticleList).focus()

    def action_toggle_list(self) -> None:
        """Hide or show the article list."""
        shown = self.query_one("#left").display
        self._list_shown = not shown
        self._layout()

    def action_toggle_raw(self) -> None:
        """Show or hide the raw text on the right."""
        self._right = "none" if self._right == "raw" else "raw"
        self._layout()

    def action_toggle_notes(self) -> None:
        """Show the article's annotations on the right (instead of the raw text), or hide them."""
        pane = self.query_one(NotesPane)
        if self._right == "notes" and not pane.has_focus:
            pane.focus()  # shown but not in use: go to it rather than hide it
            return
        self._right = "none" if self._right == "notes" else "notes"
        self._layout()
        if self._right == "notes":
            self.query_one(NotesPane).focus()

    def action_export(self) -> None:
        """Open the export dialog: this article or the corpus, with a live preview."""
        from tui.screens.export import ExportDialog

        loaded: dict[str, Article] = {}  # read once per dialog, then reused by every preview

        def articles_for(paths: frozenset[str] | None) -> list[Article]:
            wanted = self._files if paths is None else sorted(paths)
            for rel in wanted:
                if rel not in loaded:
                    try:
                        loaded[rel] = read_article(self.corpus, rel)
                    except ArticleError:
                        continue  # unreadable files are listed as such in the article list
            return [loaded[rel] for rel in wanted if rel in loaded]

        def render(options) -> str:
            from tui.core.exporting import export_text
            from tui.core.store import StoreError

            articles = articles_for(options.paths)
            with self._lock:  # the store is not thread-safe: one caller at a time
                if self.session is None:
                    raise StoreError("the notes are not open yet")
                return export_text(self.session.store, articles, options, corpus=self.corpus_label, notes=str(self.notes))

        def saved(path: Path | None) -> None:
            if path is not None:
                self._state = f"exported to {path}"
                self._status()

        from tui.core.exporting import write_export

        self.push_screen(
            ExportDialog(
                [tag.name for tag in self.tags],
                self.doc.rel if self.doc else None,
                self.notes / "report.md",
                render,
                write_export,
            ),
            saved,
        )

    def action_help(self) -> None:
        """Show every key."""
        self.push_screen(HelpScreen(binding_rows([(pane, bindings) for pane, _, bindings in self._binding_groups()])))

    def _binding_groups(self):
        return [
            ("everywhere", self, self.BINDINGS),
            ("article", self.query_one(ArticleView), ArticleView.BINDINGS),
            ("list", self.query_one(ArticleList), ArticleList.BINDINGS),
            ("raw pane", self.query_one(RawView), RawView.BINDINGS),
            ("annotations", self.query_one(NotesPane), NotesPane.BINDINGS),
            ("tag manager", None, TagManager.BINDINGS),
            ("note editor", None, NoteEditor.BINDINGS),
        ]

    def command_sources(self):
        """(namespace, bindings) whose actions the command palette offers."""
        return [(namespace, bindings) for _, namespace, bindings in self._binding_groups() if namespace is not None]


def _colour(colour: str) -> str:
    """A colour Rich can draw, else the terminal's default."""
    from rich.color import Color, ColorParseError

    try:
        Color.parse(colour)
        return colour
    except ColorParseError:
        return ""
