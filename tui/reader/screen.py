"""The reader: the article list, the cleaned article, and on the right the raw text, the annotations or a second article.

``ReaderScreen`` composes the panes, owns the layout (``right``, ``list_shown``)
and the list, and passes news down: a read article to the raw pane, a notes
report to the panes, the list and the status line. What a key changes goes
to the notes service; the order of the start-up lives in ``startup.py``,
compare mode in ``comparing.py``, whose annotations are shown in ``whose.py``
and the views of the whole corpus (search, overview, export, help) in ``dialogs.py``.
Nothing slow runs on the event loop: listing the corpus, reading titles,
reading articles and every store call run in thread workers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from tui.core.document import Document
from tui.reader import library_messages
from tui.reader.about import About
from tui.reader.comparing import Comparison
from tui.reader.dialogs import CorpusDialogs
from tui.reader.editing import Editing
from tui.reader.library import Library
from tui.reader.messages import NotesChanged
from tui.reader.panes import MAIN, SIDE, ArticlePane
from tui.reader.reviewing import Review
from tui.reader.startup import Startup
from tui.reader.whose import Whose
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.late_footer import LateFooter
from tui.widgets.notes_pane import NotesPane
from tui.widgets.raw_view import RawView
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from tui.core.firstlook import FirstLook
    from tui.core.notes.tags import Tag
    from tui.reader.notes_service import NotesService

NOTES = "notes"  # the id of the annotations pane, made on demand like the compare pane (SIDE)
NARROW = 100  # below this many columns the list collapses


class ReaderScreen(Screen[None]):
    """Read a corpus cleaned, tag passages and write notes; every action on a key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("b", "toggle_list", "List", id="toggle_list"),
        Binding("r", "toggle_raw", "Raw", id="toggle_raw"),
        Binding("a", "toggle_notes", "Annotations", id="toggle_notes"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("ctrl+r", "redo", "Redo", id="redo"),
        Binding("right_curly_bracket", "article(1)", "Next article", id="next_article", show=False),
        Binding("left_curly_bracket", "article(-1)", "Previous article", id="prev_article", show=False),
        Binding("t", "tags", "Tags", id="tags"),
        Binding("e", "export", "Export", id="export"),
        Binding("c", "compare", "Compare", id="compare"),
        Binding("x", "swap", "Swap compared articles", id="compare.swap", show=False),
        Binding("equals_sign", "lock_scroll", "Lock scrolling of compared articles", id="compare.lock", show=False),
        Binding("m", "counterpart", "Jump to the shared passage's counterpart", id="compare.counterpart", show=False),
        Binding("f", "tag_filter", "Show only one tag's passages (next tag)", id="tag_filter", show=False),
        Binding("F", "tag_expression", "Show only passages whose tags satisfy an expression", id="tag_expression", show=False),
        Binding("ctrl+f", "search", "Search the corpus", id="search"),
        Binding("v", "overview", "Overview", id="overview"),
        Binding("i", "attributes", "Article attributes (date, outlet, author…)", id="attributes", show=False),
        Binding("M", "memo", "Article memo", id="memo", show=False),
        Binding("C", "corpus_memo", "Corpus memo", id="corpus_memo", show=False),
        Binding("B", "whose('blind')", "Blind coding: hide the other analysts' annotations, or show them", id="blind", show=False),
        Binding("ctrl+a", "whose('pick')", "Show the annotations of the analysts ticked in a list", id="analysts", show=False),
        Binding("tab", "app.focus_next", "Next pane", show=False),
        # Review mode (reviewing.py); outside it ], [, = and escape fall through to their usual bindings.
        Binding("D", "review('open')", "Review two analysts' disagreements (again: the next pair)", id="review", show=False),
        Binding("right_square_bracket", "review('next')", "Next disagreement (review)", id="review.next", show=False, priority=True),
        Binding("left_square_bracket", "review('previous')", "Previous disagreement (review)", id="review.prev", show=False, priority=True),
        Binding("less_than_sign", "review('left')", "Accept the left analyst's coding (review)", id="review.left", show=False),
        Binding("greater_than_sign", "review('right')", "Accept the right analyst's coding (review)", id="review.right", show=False),
        Binding("equals_sign", "review('both')", "Accept both analysts' coding (review)", id="review.both", show=False, priority=True),
        Binding("escape", "review('leave')", "Leave review", id="review.leave", show=False, priority=True),
        # Outside an article pane the passage keys have nothing to act on: say so (no description: not in help).
        *[Binding(str(n), "not_here", show=False) for n in range(1, 10)],
        Binding("n", "not_here", show=False),
    ]

    right: reactive[str] = reactive("raw", init=False)
    list_shown: reactive[bool | None] = reactive(None, init=False)  # None: follow the terminal's width

    def __init__(self, corpus: Path, notes: NotesService, first_look: FirstLook | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.notes = notes
        self._first_look = first_look  # the listing and first article, read while Textual loaded
        self.tags: list[Tag] = []
        self.notes_open = False
        self.startup = Startup(self)
        self.library = Library(corpus, id="left")
        self.main = ArticlePane(corpus, self.startup.notes_of, title="Cleaned", id=MAIN)
        self.raw = RawView(id="raw")
        self.status = StatusLine(str(notes.folder), id="status")
        self.footer = LateFooter()  # its keys are drawn after the first article (``Startup``)
        self.compare = Comparison(self)
        self.review = Review(self, self.compare)
        self.editing = Editing(self)
        self.dialogs = CorpusDialogs(self)
        self.about = About(self)
        self.whose = Whose(self)

    # --- layout ------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            self.library.border_title = "Articles"
            yield self.library
            yield self.main
            self.raw.border_title = "Raw"
            yield self.raw
        yield self.status
        yield self.footer

    def on_mount(self) -> None:
        self.main.view.show_message("Reading the corpus…")
        self.library.articles.focus()
        self._layout()
        look, self._first_look = self._first_look, None
        listed = self.library.load(look)
        if listed is not None:  # in memory already: the first frame shows the article
            self.on_library_listed(listed)

    def on_resize(self) -> None:
        self._layout()

    def watch_right(self) -> None:
        self._layout()

    def watch_list_shown(self) -> None:
        self._layout()

    def _layout(self) -> None:
        """Show or hide the list and the right pane for the terminal's width and the analyst's choice."""
        narrow = self.size.width < NARROW
        shown = self.list_shown if self.list_shown is not None else not narrow
        left = self.library
        left.display = shown
        if not shown and self.focused is not None and left in self.focused.ancestors_with_self:
            self.main.view.focus()  # keys must not steer a list nobody sees
        self.raw.display = self.right == "raw"
        for name in (NOTES, SIDE):
            widget = self.on_demand(name, create=self.right == ("notes" if name == NOTES else "compare"))
            if widget is not None:
                widget.display = self.right == ("notes" if name == NOTES else "compare")
        if self.right != "compare":
            self.compare.leave()
        self.set_class(narrow, "narrow")

    def on_demand(self, name: str, create: bool = True) -> Widget | None:
        """The annotations pane or the compare pane: made the first time it is needed.

        Both are hidden at start (so is the list's filter line). Leaving them out of the first frame
        spares mounting and styling them before the article is on screen
        (about 30 ms, a tenth of the start-up). With ``create`` false, None
        if the widget has not been made yet.
        """
        found = self.query(f"#{name}")
        if found or not create:
            return found.first() if found else None
        widget: Widget
        if name == NOTES:
            widget = NotesPane(id=NOTES)
            widget.border_title = "Annotations"
            widget.display = False
            self.query_one("#main").mount(widget)
            self.editing.show_annotations()
        else:
            widget = ArticlePane(self.corpus, self.startup.notes_of, title="Compare", id=SIDE)
            widget.display = False
            widget.set_tags(self.tags)
            self.query_one("#main").mount(widget, after=self.raw)
            if self.main.expression is not None:
                widget.show_matching(self.main.expression)
            else:
                widget.show_only(self.main.only)
        return widget

    @property
    def side(self) -> ArticlePane | None:
        """The compare pane, once it has been made."""
        pane = self.on_demand(SIDE, create=False)
        return pane if isinstance(pane, ArticlePane) else None

    def panes(self) -> list[ArticlePane]:
        """The article panes made so far: the main one, and the compare pane once made."""
        return [self.main] + ([self.side] if self.side is not None else [])

    def shown_documents(self) -> list[Document]:
        """The documents on screen (a notes report gives them back as they are after a change)."""
        panes = self.panes() if self.right == "compare" else [self.main]
        return [pane.document for pane in panes if pane.document is not None]

    def say(self, message: str, error: bool = True) -> None:
        """Show a message in the status line: as an error, or as the state of things."""
        status = self.status
        if error:
            status.set_error(message)
        else:
            status.set_state(message)

    # --- the corpus ------------------------------------------------------------

    def on_library_listed(self, message: library_messages.Listed) -> None:
        self.startup.listed(message)

    def on_library_summarised(self, message: library_messages.Summarised) -> None:
        """Every article is read: the notes follow renamed articles, and the panes drop the corpus's recurring lines."""
        if message.refs is not None:
            self.editing.follow_corpus(message.refs)
        for pane in self.panes():
            pane.use_evidence(message.evidence)

    def on_library_open(self, message: library_messages.Open) -> None:
        self.main.open(message.rel)

    def on_article_list_chosen(self, event: ArticleList.Chosen) -> None:
        doc = self.main.document
        if doc is None or doc.rel != event.rel:
            self.main.open(event.rel)
        self.main.view.focus()

    def on_library_unindexed(self, message: library_messages.Unindexed) -> None:
        self.say(message.reason)
        self.status.set_progress("")

    def on_library_progress(self, message: library_messages.Progress) -> None:
        self.startup.progress(message.left)

    def action_article(self, delta: int) -> None:
        """Open the next or previous article of the list."""
        self.library.articles.step(delta)

    def action_filter(self) -> None:
        """Show the list's filter and type into it."""
        self.list_shown = True
        self.library.open_filter()

    # --- articles on screen --------------------------------------------------

    def on_article_pane_shown(self, message: ArticlePane.Shown) -> None:
        pane, doc = message.pane, message.pane.document
        if pane is self.main:
            raw = self.raw
            if doc is None:
                raw.clear()
            else:
                raw.set_article(doc.shown_source, doc.cleaned)
            self.editing.show_annotations()
        self.compare.shown(pane)
        if pane is self.main:
            # Another article: the last one's refusals are done with; its own warnings stay in sight.
            self.status.set_error("")
            self.status.set_article("; ".join(doc.warnings) if doc is not None else "")
            self.about.shown()
        if doc is not None and pane.notes_missing and self.notes_open:
            self.notes.refresh([doc])  # read before the notes were open: fetch its annotations now
        if doc is None or not doc.preview:
            self.call_after_refresh(self.startup.after_first_screen)
        self.review.refresh()

    def on_article_view_selection_changed(self, event: ArticleView.SelectionChanged) -> None:
        doc = self.main.document
        if event.view is not self.main.view or doc is None or not doc.cleaned.kept:
            return
        if event.cleaned is not doc.cleaned:
            return  # sent about the article before this one
        self.raw.follow(*doc.to_source(event.start, event.end))

    def on_article_pane_say(self, message: ArticlePane.Say) -> None:
        self.say(message.text)

    def action_not_here(self) -> None:
        """A passage key pressed outside an article pane."""
        self.say("tags and notes go on a passage: move to the article (enter or tab) and select one")

    # --- the notes -------------------------------------------------------------

    def set_tags(self, tags: list[Tag]) -> None:
        """The vocabulary changed: the panes, the status line, the list and the tag filter follow it."""
        self.tags = tags
        for pane in self.panes():
            pane.set_tags(tags)
        self.status.set_tags([(t.name, t.colour) for t in tags])
        self.library.set_tags(tags)
        self.compare.tags_changed()

    def run_in_thread(self, work: Callable[[], object], group: str) -> None:
        """Run ``work`` in a thread worker; a newer one in the same group replaces it."""
        self.run_worker(work, thread=True, exclusive=True, group=group)

    def on_article_pane_edit(self, message: ArticlePane.Edit) -> None:
        self.editing.submit(message.label, message.call)

    def notes_changed(self, report: NotesChanged) -> None:
        """A store call finished: show its outcome and the notes as they now are (called by the app)."""
        self.editing.changed(report)
        self.about.changed(report)
        self.review.refresh()

    def action_undo(self) -> None:
        """Undo the last change."""
        self.editing.submit("undo", lambda h: h.undo())

    def action_redo(self) -> None:
        """Redo the last undone change."""
        self.editing.submit("redo", lambda h: h.redo())

    def on_raw_view_override(self, message: RawView.Override) -> None:
        self.editing.override(message.line)

    def on_notes_pane_jump(self, event: NotesPane.Jump) -> None:
        self.editing.jump(event.annotation)

    def on_notes_pane_delete(self, event: NotesPane.Delete) -> None:
        self.editing.delete(event.annotation)

    def on_notes_pane_toggle_tag(self, event: NotesPane.ToggleTag) -> None:
        self.editing.toggle(event.annotation, event.number)

    def on_notes_pane_next_analyst(self, event: NotesPane.NextAnalyst) -> None:
        self.whose.key("next")

    def action_whose(self, what: str) -> None:
        """Whose annotations are shown: ``B`` blind coding, ``ctrl+a`` the analysts ticked in a list (``whose.py``)."""
        self.whose.key(what)

    # --- the right pane and the dialogs ---------------------------------------

    def action_toggle_list(self) -> None:
        """Hide or show the article list."""
        self.list_shown = not self.library.display

    def action_toggle_raw(self) -> None:
        """Show or hide the raw text on the right."""
        self.right = "none" if self.right == "raw" else "raw"

    def action_toggle_notes(self) -> None:
        """Show the article's annotations on the right (instead of the raw text), or hide them."""
        pane = self.on_demand(NOTES)
        assert pane is not None
        if self.right == "notes" and not pane.has_focus:
            pane.focus()  # shown but not in use: go to it rather than hide it
            return
        self.right = "none" if self.right == "notes" else "notes"
        if self.right == "notes":
            pane.focus()

    def action_tags(self) -> None:
        """Open the tag manager."""
        from tui.screens.tag_manager import TagManager

        self.app.push_screen(TagManager(self.tags))

    def action_compare(self) -> None:
        """Pick an article to read beside the current one."""
        self.compare.pick()

    def action_swap(self) -> None:
        """Swap the main and the compared article."""
        self.compare.swap()

    def action_lock_scroll(self) -> None:
        """Lock (or unlock) the scrolling of the two compared articles together."""
        self.compare.lock()

    def action_counterpart(self) -> None:
        """Select, in the other pane, the passage shared with the one under the cursor."""
        self.compare.counterpart()

    def action_tag_filter(self) -> None:
        """Show only the passages with the next tag (after the last tag: every passage again)."""
        self.compare.next_tag_filter()

    def action_tag_expression(self) -> None:
        """Type a tag expression (security AND NOT diplomacy): show only the passages whose tags satisfy it."""
        self.compare.ask_tag_expression()

    def on_article_view_scrolled(self, event: ArticleView.Scrolled) -> None:
        self.compare.scrolled(event.view)

    def action_review(self, what: str) -> None:
        """Review mode: open it, step between disagreements, accept a side, leave (``reviewing.py``)."""
        self.review.key(what)

    def action_search(self) -> None:
        """Search every article's cleaned text and every note."""
        self.dialogs.search()

    def action_overview(self) -> None:
        """Show the coding matrix of the corpus: articles × tags, coverage, passages."""
        self.dialogs.overview()

    def action_attributes(self) -> None:
        """Edit the article's attributes (date, outlet, author, URL, language, any other): each with its origin."""
        self.about.attributes()

    def action_memo(self) -> None:
        """Write the article's memo."""
        self.about.memo()

    def action_corpus_memo(self) -> None:
        """Write the corpus memo (the research question, the coding rules)."""
        self.about.corpus_memo()

    def action_export(self) -> None:
        """Open the export dialog: this article or the corpus, with a live preview."""
        self.dialogs.export()

    def action_help(self) -> None:
        """Show every key."""
        self.dialogs.help()

    def command_sources(self) -> list[tuple[DOMNode, list[BindingType]]]:
        """(node, bindings) whose actions the command palette offers."""
        return self.dialogs.command_sources()

    def focused_pane(self) -> ArticlePane:
        """The article pane the analyst is in (or was last in): the keys of compare mode act on it."""
        side = self.side
        if self.right == "compare" and side is not None and self.compare.active is side:
            return side
        return self.main

    def on_descendant_focus(self, event) -> None:  # type: ignore[no-untyped-def]
        for pane in self.panes():
            if event.widget is pane.view:
                self.compare.active = pane

    def open_in_reader(self, rel: str, then) -> None:  # type: ignore[no-untyped-def]
        """Show ``rel`` in the main pane (and the list), then call ``then(pane)``."""
        self.library.articles.highlight(rel)
        self.main.view.focus()
        self.main.open_then(rel, then)
