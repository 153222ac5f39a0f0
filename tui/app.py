"""The Textual app: article list, cleaned article, raw text, annotations or a compared article, status line.

The app wires widgets to ``tui.core`` and to the ``Session`` that edits the
store. Widgets report with messages; the app answers with method calls.
Nothing slow runs on the event loop: the corpus scan, the titles, reading and
cleaning an article, searching and every store call run in thread workers.
The app's parts live in mixins, one file each: ``editing`` (the keys that
change notes), ``storing`` (the queue of store calls), ``comparing`` (the
second article pane) and ``corpus_views`` (search, overview, export, help).
"""

from __future__ import annotations

import gc
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Footer, Input, Static

from tui.core.clean import Cleaned, clean_text
from tui.core.corpus import Article, ArticleError, CorpusError, read_article, scan_corpus
from tui.core.firstlook import FirstLook
from tui.core.paths import sample_corpus, styles_dir
from tui.core.refs import ArticleRef
from tui.widgets.article_list import ArticleList, Entry, FilterInput
from tui.widgets.article_view import ArticleView
from tui.widgets.drawing import drawable
from tui.widgets.indexer import index_corpus, marks_for
from tui.widgets.notes_pane import NotesPane
from tui.widgets.raw_view import RawView
from tui.comparing import COMPARE_BINDINGS, MAIN, SIDE, CompareActions
from tui.corpus_views import CORPUS_BINDINGS, CorpusViews
from tui.editing import EditingActions
from tui.storing import StoreQueue

if TYPE_CHECKING:  # the store (TinyDB, rapidfuzz) is imported in the worker, after the first screen
    from tui.core.corpus_search import CorpusSearch
    from tui.core.store import Annotation
    from tui.core.tags import Tag
    from tui.session import Session

FILTER, NOTES = "filter", "notes"  # the ids of the widgets made on demand, with the compare view (SIDE)
NARROW = 100  # below this many columns the list collapses
FILTER_SETTLE = 0.15  # seconds of no typing in the filter before its highlighted article opens
PREVIEW = 64_000  # articles over twice this many characters are shown first cleaned this far


def dossier_commands():
    """The command palette's provider, imported when the palette first opens (textual.command is slow to load)."""
    from tui.screens.palette import DossierCommands

    return DossierCommands


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


class DossierApp(EditingActions, CompareActions, CorpusViews, StoreQueue, App[None]):
    """Read a corpus cleaned, tag passages and write notes; every action on a key."""

    TITLE = "Dossier"
    CSS_PATH = str(styles_dir() / "dossier.tcss")  # the dialogs bring their own stylesheets
    COMMANDS = App.COMMANDS | {dossier_commands}
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
        *COMPARE_BINDINGS,
        *CORPUS_BINDINGS,
        *[Binding(str(n), f"tag({n})", f"Toggle tag {n}", id=f"tag{n}", show=False) for n in range(1, 10)],
    ]

    def __init__(self, corpus: Path, notes: Path, first_look: FirstLook | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.notes = notes
        self._first_look = first_look  # the listing and first article, read while Textual loaded
        self.session: Session | None = None
        self.tags: list[Tag] = []
        self.doc: Open | None = None
        self.other: Open | None = None  # the article compared with ``doc``, in the right pane
        self._wanted: str | None = None  # the article last asked for in the main pane
        self._wanted_side: str | None = None  # ... and in the compare pane
        self._active = MAIN  # the article pane that last had the focus
        self._shared: list = []  # SharedPassage pairs of the two articles on screen
        self._scroll_locked = False  # compare mode: the panes scroll together
        self._only_tag: str | None = None  # the tag filter: show only this tag's passages
        self._then: tuple[str, Callable[[Open, ArticleView], object]] | None = None  # run once that article is shown
        self.search_index: CorpusSearch | None = None  # made after the first screen, filled as titles are read
        self._queue: deque[tuple[str | None, Callable[[Session], object]]] = deque()
        self._pending = 0
        self._state = "opening notes…"
        self._error = ""
        self._list_shown: bool | None = None  # None: follow the terminal's width
        self._right = "raw"  # raw, notes, compare or none
        self._files: list[str] = []
        self._started = False  # notes opened and titles read (after the first screen)
        self._open_timer = None  # opens the article highlighted by the filter once typing pauses
        # Serialises every store call (the store is not thread-safe) and keeps them in queue order.
        self._lock = threading.Lock()
        self._reads = {MAIN: 0, SIDE: 0}  # the number of the latest read of each pane

    # --- layout ------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left") as left:
                left.border_title = "Articles"
                yield ArticleList(id="articles")
            view = ArticleView(id="article")
            view.border_title = "Cleaned"
            yield view
            raw = RawView(id="raw")
            raw.border_title = "Raw"
            yield raw
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ArticleView).show_message("Reading the corpus…")
        self.query_one(ArticleList).focus()
        self._layout()
        self._status()
        look = self._first_look
        if look is not None and look.ready():
            self._take_first_look(look)  # in memory already: the first frame shows the article
        else:
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
        notes = self.on_demand(NOTES, create=self._right == "notes")
        side = self.on_demand(SIDE, create=self._right == "compare")
        for widget, wanted in ((notes, self._right == "notes"), (side, self._right == "compare")):
            if widget is not None:
                widget.display = wanted
        if self._right != "compare" and self._shared:
            self._shared = []
            self.view(MAIN).set_shared([])
        if self._right != "compare" and side is not None and self.focused is side:
            self.view(MAIN).focus()
        self.set_class(narrow, "narrow")

    @property
    def corpus_label(self) -> str:
        """How the status line names the corpus."""
        return "the sample corpus" if self.corpus.resolve() == sample_corpus().resolve() else str(self.corpus)

    def _say(self, message: str, error: bool = True) -> None:
        """Show a message in the status line (as an error, or as the state)."""
        if error:
            self._error = message
        else:
            self._state = message
        self._status()

    def _status(self) -> None:
        """Redraw the status line: tag keys, notes folder, saved state, last error."""
        line = Text()
        for number, tag in enumerate(self.tags[:9], 1):
            line.append(f"{number} ", style="bold")
            line.append(tag.name, style=drawable(tag.colour))
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
        look = self._first_look
        if look is not None:
            look.wait()
            self.call_from_thread(self._take_first_look, look)
            return
        try:
            scan = scan_corpus(self.corpus)
        except CorpusError as error:
            self.call_from_thread(self._fail, str(error))
            return
        self.call_from_thread(self._show_entries, scan.files)

    def _take_first_look(self, look: FirstLook) -> None:
        """Show the listing and first article that ``FirstLook`` read before the app started."""
        self._first_look = None
        if look.error is not None:
            self._fail(str(look.error))
        elif look.scan is None:
            self.load_corpus()  # the look failed unexpectedly: list the corpus the usual way
        elif look.article is not None and look.scan.files:
            first = look.scan.files[0]
            self._show_entries(look.scan.files, open_first=False)
            self._wanted = first
            ref = ArticleRef(first, look.article.sha256)
            self._show_article(Open(first, look.article, ref, look.cleaned, [], {}), None)
        else:
            self._show_entries(look.scan.files)

    def _after_first_screen(self) -> None:
        """Open the notes and read every article's title: once, after the first article is drawn.

        Both compete with the first article for the interpreter, so they wait for it.
        """
        if self._started:
            return
        self._started = True
        from tui.core.corpus_search import CorpusSearch

        self.search_index = CorpusSearch()
        self.submit(None, self._open_notes)
        self._index_titles()

    @work(thread=True, exclusive=True, group="titles")
    def _index_titles(self) -> None:
        """Read every article for its title, word count and filter text, in batches."""
        for batch in index_corpus(self.corpus, self._files, self.search_index.add):
            self.call_from_thread(lambda batch=batch: self.query_one(ArticleList).update_entries(batch))
        self.call_from_thread(self._freeze_the_corpus)

    def _freeze_the_corpus(self) -> None:
        """Move what lives as long as the reader out of the garbage collector's sight, once indexed.

        The list's entries and the search index stay until the reader quits; with
        them in sight each full collection on 10,000 articles took about 70 ms, a
        stall at any keystroke. Frozen objects are never collected, so this waits
        until no dialog is open: a dialog frozen now would outlive its closing.
        """
        if len(self.screen_stack) > 1:
            self.set_timer(1.0, self._freeze_the_corpus)
            return
        gc.freeze()

    def _show_entries(self, files: list[str], open_first: bool = True) -> None:
        self._files = files
        entries = [Entry(rel, rel) for rel in files]
        self.query_one(ArticleList).set_entries(entries)
        if not entries:
            self.query_one(ArticleView).show_message("No articles in this folder (.txt, .md, .html).")
            self._after_first_screen()
        elif open_first:
            self.open_article(entries[0].rel)

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

    def open_article(self, rel: str, keep_source: int | None = None, pane: str = MAIN) -> None:
        """Read and clean ``rel`` off the event loop into ``pane``; the cursor goes near ``keep_source``."""
        if pane == MAIN:
            self._wanted = rel
            if self._then is not None and self._then[0] != rel:
                self._then = None  # the analyst went elsewhere before the hit was shown
        else:
            self._wanted_side = rel
        # A thread worker cannot be stopped: an older read of this pane may still finish after
        # this one (the same article before an override, say). Its number tells it is stale.
        self._reads[pane] += 1
        self.run_worker(
            partial(self._read_article, rel, keep_source, pane, self._reads[pane]),
            thread=True, exclusive=True, group=f"read-{pane}",
        )

    def _read_article(self, rel: str, keep_source: int | None, pane: str, read: int) -> None:
        try:
            article = read_article(self.corpus, rel)
        except ArticleError as error:
            self.call_from_thread(self._unreadable, rel, str(error), pane, read)
            return
        ref = ArticleRef(rel, article.sha256)
        annotations: list[Annotation] = []
        overrides: dict[int, bool] = {}
        if self.session is not None:
            from tui.core.store import StoreError

            with self._lock:
                try:
                    self.session.store.sync(ref, article.text)  # re-anchor if the text changed
                    annotations = self.session.store.annotations(rel)
                    overrides = self.session.store.overrides(rel)
                except StoreError as error:
                    self.call_from_thread(self._say, str(error))
        wishes = as_wishes(overrides)
        cut = article.text.rfind("\n\n", 0, PREVIEW) if len(article.text) > 2 * PREVIEW else -1
        if cut > 0 and keep_source is None:
            # A long article: clean its first paragraphs and show them at once, then the whole.
            # The preview's offsets are the article's (a prefix), so its marks and edits hold.
            head = article.text[:cut]
            lines = head.count("\n") + 1
            early = clean_text(head, {n: w for n, w in wishes.items() if n <= lines}, article.page_title)
            preview = Open(rel, article, ref, early, annotations, overrides, preview=True)
            self.call_from_thread(self._show_article, preview, None, pane, read)
        cleaned = clean_text(article.text, wishes, article.page_title)
        doc = Open(rel, article, ref, cleaned, annotations, overrides)
        self.call_from_thread(self._show_article, doc, keep_source, pane, read)

    def _unreadable(self, rel: str, reason: str, pane: str, read: int) -> None:
        self._after_first_screen()
        if read == self._reads[pane]:
            self.set_doc(pane, None)
            self.view(pane).show_message(f"{rel} cannot be read: {reason}")
            self.article_shown(pane)  # no shared passages with an article that is not there
            if pane == MAIN:
                self.query_one(RawView).clear()

    def _show_article(self, doc: Open, keep_source: int | None, pane: str = MAIN, read: int | None = None) -> None:
        """Put ``doc`` in ``pane``; ``read`` is the number of the read that made it (None: not a read)."""
        if doc.rel != self.wanted(pane) or (read is not None and read != self._reads[pane]):
            return  # the analyst has moved on, or a newer read of this pane is under way
        previous = self.doc_in(pane)
        view = self.view(pane)
        if previous is not None and previous.preview and previous.rel == doc.rel:
            if doc.preview:
                return
            if keep_source is None:
                keep_source = self._selection_source(pane)  # where the analyst got to in the preview
            doc.annotations = previous.annotations  # the store may have reported since the read
        self.set_doc(pane, doc)
        keep = doc.cleaned.to_clean(keep_source) if keep_source is not None else None
        view.border_subtitle = doc.rel
        if pane == MAIN:
            raw_text = doc.article.text if not doc.preview else doc.article.text[: doc.cleaned.lines[-1].end]
            self.query_one(RawView).set_article(raw_text, doc.cleaned)
        self._show_annotations(pane)
        view.set_article(doc.cleaned, keep)
        self.article_shown(pane)
        if pane == MAIN and self._then is not None and self._then[0] == doc.rel and not doc.preview:
            then, self._then = self._then[1], None
            then(doc, view)
        warnings = "; ".join(doc.article.warnings)
        self._error = f"{doc.rel}: {warnings}" if warnings else self._error if self._error.startswith("read-only") else ""
        self._status()
        if not doc.preview:
            self.call_after_refresh(self._after_first_screen)

    def _show_annotations(self, pane: str = MAIN) -> None:
        """Colour the article's annotations (and list the main article's in the annotations pane)."""
        doc = self.doc_in(pane)
        if doc is None:
            return
        colours = {t.name: t.colour for t in self.tags}
        self.view(pane).set_marks(marks_for(doc.cleaned, doc.annotations), colours)
        notes = self.on_demand(NOTES, create=False)
        if pane == MAIN and notes is not None:
            notes.show(doc.annotations, colours)

    def on_article_view_selection_changed(self, event: ArticleView.SelectionChanged) -> None:
        self._pane_title(event.view.id)
        if event.view.id != MAIN or self.doc is None or not self.doc.cleaned.kept:
            return
        if event.cleaned is not self.doc.cleaned:
            return  # sent about the article before this one
        start, end = self._source_span(event.start, event.end)
        self.query_one(RawView).follow(start, end)

    def open_then(self, rel: str, then: Callable[[Open, ArticleView], object]) -> None:
        """Show ``rel`` in the main pane (and the list), then call ``then(doc, view)``."""
        self.query_one(ArticleList).highlight(rel)
        view = self.view(MAIN)
        view.focus()
        if self.doc is not None and self.doc.rel == rel and not self.doc.preview:
            then(self.doc, view)
            return
        self._then = (rel, then)
        self.open_article(rel)

    # --- the two article panes --------------------------------------------

    def wanted(self, pane: str) -> str | None:
        """The article last asked for in ``pane``."""
        return self._wanted if pane == MAIN else self._wanted_side

    def doc_in(self, pane: str) -> Open | None:
        """The article open in ``pane``: the main one, or the one compared with it."""
        return self.doc if pane == MAIN else self.other

    def set_doc(self, pane: str, doc: Open | None) -> None:
        """Put ``doc`` in ``pane``."""
        if pane == MAIN:
            self.doc = doc
        else:
            self.other = doc

    def view(self, pane: str) -> ArticleView:
        """The article view of ``pane``."""
        return self.query_one(f"#{pane}", ArticleView) if pane == MAIN else self.on_demand(SIDE)

    def on_demand(self, name: str, create: bool = True) -> Widget | None:
        """The filter line, the annotations pane or the compare view: made the first time it is needed.

        All three are hidden at start. Leaving them out of the first frame
        spares mounting and styling them before the article is on screen
        (about 30 ms, a tenth of the start-up). With ``create`` false, None
        if the widget has not been made yet.
        """
        found = self.query(f"#{name}")
        if found or not create:
            return found.first() if found else None
        if name == FILTER:
            widget = FilterInput(placeholder="filter: title or text", id=FILTER)
            widget.display = False
            self.query_one("#left").mount(widget, before=self.query_one(ArticleList))
        elif name == NOTES:
            widget = NotesPane(id=NOTES)
            widget.border_title = "Annotations"
            widget.display = False
            self.query_one("#main").mount(widget)
            if self.doc is not None:
                widget.show(self.doc.annotations, {t.name: t.colour for t in self.tags})
        else:
            widget = ArticleView(id=SIDE)
            widget.border_title = "Compare"
            widget.display = False
            self.query_one("#main").mount(widget, after=self.query_one(RawView))
        return widget

    @property
    def pane(self) -> str:
        """The article pane the keys act on: the compare pane while it has (or last had) the focus."""
        return SIDE if self._right == "compare" and self._active == SIDE else MAIN

    def on_descendant_focus(self, event) -> None:
        if isinstance(event.widget, ArticleView):
            self._active = event.widget.id

    def _source_span(self, start: int, end: int, pane: str = MAIN) -> tuple[int, int]:
        cleaned = self.doc_in(pane).cleaned
        return cleaned.to_source(start), cleaned.to_source(end)

    def _selection_source(self, pane: str = MAIN) -> int | None:
        doc, view = self.doc_in(pane), self.view(pane)
        if doc is None or view.cleaned is not doc.cleaned or not doc.cleaned.kept or view.selected is None:
            return None
        return self._source_span(*view.selected, pane)[0]

    def _target(self) -> tuple[Open, int, int] | None:
        """The focused pane's article and its selection in source offsets, or None (and say why)."""
        pane = self.pane
        doc, view = self.doc_in(pane), self.view(pane)
        selected = view.selected if doc is not None and view.cleaned is doc.cleaned else None
        if doc is None or selected is None or selected[0] >= selected[1]:
            self._say("nothing selected")
            return None
        return (doc, *self._source_span(*selected, pane))

    # --- actions -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys of the main screen do nothing while a dialog is open."""
        if self.screen is not self.screen_stack[0] and action != "quit":
            return False
        return True

    def action_article(self, delta: int) -> None:
        """Open the next or previous article of the list."""
        self.query_one(ArticleList).step(delta)

    def action_filter(self) -> None:
        """Show the list's filter and type into it."""
        self._list_shown = True
        self._layout()
        field = self.on_demand(FILTER)
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
        field = self.on_demand(FILTER)
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
        pane = self.on_demand(NOTES)
        if self._right == "notes" and not pane.has_focus:
            pane.focus()  # shown but not in use: go to it rather than hide it
            return
        self._right = "none" if self._right == "notes" else "notes"
        self._layout()
        if self._right == "notes":
            pane.focus()
