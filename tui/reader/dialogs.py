"""The reader's views of the whole corpus: search, the coding overview, export, help.

Each opens a dialog that knows nothing of the store: ``CorpusDialogs``
gathers what the dialog shows in a thread worker (reading the notes through
the notes service) and opens what the analyst picks in the reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from tui.core.corpus import ArticleError
from tui.core.paths import sample_corpus
from tui.reader.panes import ArticlePane
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.notes_pane import NotesPane
from tui.widgets.raw_view import RawView

if TYPE_CHECKING:
    from tui.core.analyst_overview import AnalystTable
    from tui.core.cooccurrence import Cooccurrence
    from tui.core.export.assemble import ExportOptions
    from tui.core.notes.model import Annotation
    from tui.core.notes.store import Store
    from tui.core.overview import CodedPassage, Matrix
    from tui.core.search.query import Hit, SearchResult
    from tui.core.timeline import Counts
    from tui.reader.host import ReaderHost

    #: What the overview reads from the notes: annotations, overrides and attribute edits by article, tag colours.
    Gathered = tuple[list[Annotation], dict[str, dict[int, bool]], dict[str, dict[str, str]], dict[str, str]]


class CorpusDialogs:
    """Search, overview, export and help for the reader screen."""

    def __init__(self, screen: ReaderHost) -> None:
        self.screen = screen

    @property
    def corpus_label(self) -> str:
        """How reports name the corpus."""
        corpus = self.screen.corpus
        return "the sample corpus" if corpus.resolve() == sample_corpus().resolve() else str(corpus)

    # --- search ------------------------------------------------------------

    def search(self) -> None:
        """Search every article's cleaned text and every note (while blind, the analyst's own notes only)."""
        from tui.screens.search import SearchScreen

        library, notes = self.screen.library, self.screen.notes
        if library.unread != 0:  # counted by the cache's reading worker: no query on the event loop
            self.screen.say("searching the articles read so far (the corpus is still being read)", error=False)

        def search(query: str) -> SearchResult:
            return library.search_corpus(query, notes.searched)  # asked at each query: whose notes, as B last left it

        self.screen.app.push_screen(SearchScreen(search), self._open_hit)

    def _open_hit(self, hit: Hit | None) -> None:
        if hit is None:
            return
        start, end, matches = hit.start, hit.end, hit.matches  # offsets in the article's source text
        note = hit.annotation_id

        def select(pane: ArticlePane) -> None:
            doc = pane.document
            assert doc is not None
            if note is not None and pane.select_annotation(doc.annotation(note)):
                return
            span = doc.to_clean(start, end)
            if span is None:
                self.screen.say("that passage is in a line dropped by an override (r shows the raw text)")
            elif not pane.view.select(*span):
                self.screen.say("that passage is hidden by the tag filter (f shows the next tag, then all)")
            pane.view.set_highlights([term for term in (doc.to_clean(*match) for match in matches) if term is not None])

        self.screen.open_in_reader(hit.path, select)

    # --- the overview ---------------------------------------------------------

    def overview(self) -> None:
        """Show the coding matrix of the corpus: articles × tags, coverage, passages."""
        if not self.screen.notes_open:
            self.screen.say("the notes are not open yet")
            return
        self.screen.say("counting the corpus's coding…", error=False)
        self.screen.run_in_thread(self._gather_overview, group="overview")

    def _gather_overview(self) -> None:
        """Read every annotation, and each annotated article's coverage, facts and paragraphs (it has to be cleaned)."""
        from tui.core.agreement import document_units
        from tui.core.analyst_overview import analyst_table
        from tui.core.catalogue import Catalogue
        from tui.core.cooccurrence import MODES, Placement, cooccurrence, place, unplaced
        from tui.core.document import open_document
        from tui.core.facts import analyst_facts
        from tui.core.overview import coding_matrix, coverage
        from tui.core.tag_tree import tree_order
        from tui.core.timeline import by_outlet, timeline
        from tui.reader.notes_service import counted

        counting = self.screen.notes.counting  # blind coding: the views count the analyst's own annotations only

        def query(store: Store) -> Gathered:
            annotations = counted(store.all_annotations(), counting)
            paths = {a.article.path for a in annotations}
            overrides = {path: store.overrides(path) for path in paths}
            edits = {path: store.attributes.of(path) for path in paths}
            return annotations, overrides, edits, {tag.name: tag.colour for tag in store.tags()}

        app = self.screen.app
        nothing: Gathered = ([], {}, {}, {})
        try:
            annotations, overrides, edits, colours = self.screen.notes.read(query, nothing)
            catalogue = Catalogue.of(self.screen.corpus)  # the manifest, read once for every article
        except Exception as error:  # a damaged notes file: say which
            app.call_from_thread(self.screen.say, str(error))
            return
        by_path: dict[str, list[Annotation]] = {}
        for ann in annotations:
            by_path.setdefault(ann.article.path, []).append(ann)
        files = list(self.screen.library.files)
        shares: dict[str, float] = dict.fromkeys(files, 0.0)
        dates: dict[str, str | None] = {}
        outlets: dict[str, str | None] = {}
        placements: list[Placement] = []
        units: dict[str, list[tuple[int, int]]] = {}  # each article's paragraphs, for the analysts' agreement
        for rel, anns in by_path.items():
            try:
                document = open_document(self.screen.corpus, rel, overrides[rel])
            except ArticleError:
                shares.pop(rel, None)  # gone or unreadable: unknown (and so are its date and outlet)
                placements += unplaced(anns)
                continue
            shares[rel] = coverage(document.cleaned, anns)
            placements += place(document.cleaned, anns)
            units[rel] = document_units(document)
            facts = catalogue.facts(document).merged(analyst_facts(edits.get(rel, {})))
            dates[rel], outlets[rel] = facts.get("date"), facts.get("source")
        tags = list(colours)
        pictures = (timeline(annotations, dates, tags), by_outlet(annotations, outlets, tags), colours)
        together = {mode: cooccurrence(placements, tags, mode, files) for mode in MODES}
        analysts = analyst_table(annotations, units, tree_order(tags))
        # The coding table's columns: each parent (rolling up its children) before its children.
        matrix = coding_matrix(annotations, files, tree_order(tags))
        app.call_from_thread(self._show_overview, matrix, shares, pictures, together, analysts)

    def _show_overview(
        self, matrix: Matrix, shares: dict[str, float], pictures: tuple[Counts, Counts, dict[str, str]],
        together: dict[str, Cooccurrence], analysts: AnalystTable | None = None,
    ) -> None:
        from tui.screens.overview import OverviewScreen

        titles = {rel: self.screen.library.title_of(rel) for rel in matrix.articles}
        coded = sum(1 for r in matrix.articles if matrix.row_total(r))
        self.screen.say(f"{matrix.total} coded passages in {coded} articles", error=False)
        screen = OverviewScreen(matrix, titles, shares, *pictures, together=together, analysts=analysts)
        self.screen.app.push_screen(screen, self._open_passage)

    def _open_passage(self, passage: CodedPassage | None) -> None:
        if passage is not None:
            chosen = passage.annotation_id
            self.screen.open_in_reader(
                passage.path, lambda pane: pane.select_annotation(pane.document.annotation(chosen) if pane.document else None)
            )

    # --- export -----------------------------------------------------------------

    def export(self) -> None:
        """Open the export dialog: this article or the corpus, with a live preview."""
        from tui.core.export.assemble import export_text, write_export
        from tui.core.export.sources import ExportSource
        from tui.core.notes.files import StoreError
        from tui.screens.export import ExportDialog

        screen = self.screen
        # The annotated articles are read when a preview first needs them, then kept for the next preview;
        # the cache answers for the rest (titles, paragraphs, facts) without cleaning them again.
        source = ExportSource(screen.corpus, list(screen.library.files), screen.library.cache)

        def render(options: ExportOptions) -> str:
            label, notes = self.corpus_label, str(screen.notes.folder)
            text = screen.notes.read(lambda store: export_text(store, source, options, corpus=label, notes=notes), None)
            if text is None:
                raise StoreError("the notes are not open yet")
            return text

        def saved(path: Path | None) -> None:
            if path is not None:
                screen.say(f"exported to {path}", error=False)

        main = screen.main.document
        tags = [t.name for t in screen.tags]
        dialog = ExportDialog(tags, main.rel if main else None, screen.notes.folder / "report.md", render, write_export)
        screen.app.push_screen(dialog, saved)

    # --- help and the palette -----------------------------------------------------

    def help(self) -> None:
        """Show every key."""
        from tui.screens.help import HelpScreen, binding_rows, tag_rows

        rows = binding_rows([(where, bindings) for where, _, bindings in self.binding_groups()])
        self.screen.app.push_screen(HelpScreen([*tag_rows(self.screen.tags), *rows]))

    def binding_groups(self) -> list[tuple[str, object, list[BindingType]]]:
        """(where, the node whose actions they are, bindings) for every key of the reader and its dialogs."""
        from tui.screens.analyst_picker import AnalystPicker
        from tui.screens.attributes import AttributeEditor
        from tui.screens.memo_editor import MemoEditor
        from tui.screens.note_editor import NoteEditor
        from tui.screens.overview import OverviewScreen
        from tui.screens.picker import ArticlePicker
        from tui.screens.search import SearchScreen
        from tui.screens.tag_filter import TagFilterDialog
        from tui.screens.tag_manager import TagManager
        from tui.widgets.cooccurrence_table import CooccurrenceView

        screen = self.screen
        pane = screen.focused_pane()
        return [
            ("everywhere", screen, _described(screen.BINDINGS)),
            ("article", pane, list(ArticlePane.BINDINGS)),
            ("article", pane.view, list(ArticleView.BINDINGS)),
            ("list", screen.library.articles, list(ArticleList.BINDINGS)),
            ("raw pane", screen.raw, list(RawView.BINDINGS)),
            ("annotations", screen.on_demand("notes", create=False), list(NotesPane.BINDINGS)),
            ("tag manager", None, list(TagManager.BINDINGS)),
            ("note editor", None, list(NoteEditor.BINDINGS)),
            ("attributes", None, list(AttributeEditor.BINDINGS)),
            ("memo editor", None, list(MemoEditor.BINDINGS)),
            ("compare picker", None, list(ArticlePicker.BINDINGS)),
            ("search", None, list(SearchScreen.BINDINGS)),
            ("overview", None, list(OverviewScreen.BINDINGS)),
            ("co-occurrence", None, list(CooccurrenceView.BINDINGS)),
            ("tag expression", None, list(TagFilterDialog.BINDINGS)),
            ("analysts", None, list(AnalystPicker.BINDINGS)),
        ]

    def command_sources(self) -> list[tuple[DOMNode, list[BindingType]]]:
        """(node, bindings) whose actions the command palette offers."""
        return [(node, bindings) for _, node, bindings in self.binding_groups() if isinstance(node, DOMNode)]


def _described(bindings: list[BindingType]) -> list[BindingType]:
    """The bindings that have a description (the fallbacks that only explain a refusal have none)."""
    return [b for b in bindings if isinstance(b, Binding) and b.description]
