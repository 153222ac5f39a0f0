"""The reader's views of the whole corpus: search, the coding overview, export, help.

A mixin of ``DossierApp``. Each opens a dialog that knows nothing of the
store; the app gathers what the dialog shows in a thread worker and opens
what the analyst picks in the reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding

from tui.core.corpus import Article, ArticleError, read_article
from tui.screens.help import HelpScreen, binding_rows
from tui.screens.picker import ArticlePicker
from tui.screens.tag_manager import TagManager
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.notes_pane import NotesPane
from tui.widgets.raw_view import RawView

if TYPE_CHECKING:
    from tui.core.overview import CodedPassage
    from tui.core.search import Hit

CORPUS_BINDINGS = [
    Binding("ctrl+f", "search", "Search the corpus", id="search"),
    Binding("v", "overview", "Overview", id="overview"),
    Binding("w", "next_untagged", "Next untagged paragraph", id="next_untagged", show=False),
]


class CorpusViews:
    """Search, overview, export and help; they need the app's panes, store queue and corpus."""

    def action_search(self) -> None:
        """Search every article's cleaned text and every note."""
        from tui.screens.search import SearchScreen

        if self.search_index is None:
            self._say("the corpus is still being read; search in a moment")
            return
        if len(self.search_index) < len(self._files):
            self._say(f"searching the {len(self.search_index)} articles read so far", error=False)
        self.push_screen(SearchScreen(self.search_index.search), self._open_hit)

    def _open_hit(self, hit: Hit | None) -> None:
        if hit is None:
            return
        (start, end), matches = self.search_index.source_spans(hit)
        note = hit.annotation_id

        def select(doc, view: ArticleView) -> None:
            offsets = doc.cleaned.offsets
            if note is not None and self.select_annotation(doc, view, _annotation(doc, note)):
                return
            span = offsets.to_clean(start, end)
            if span is None:
                self._say("that passage is in a line dropped by an override (r shows the raw text)")
            elif not view.select(*span):
                self._say("that passage is hidden by the tag filter (f shows the next tag, then all)")
            view.set_highlights([term for term in (offsets.to_clean(*match) for match in matches) if term is not None])

        self.open_then(hit.path, select)

    def action_overview(self) -> None:
        """Show the coding matrix of the corpus: articles × tags, coverage, passages."""
        if self.session is None:
            self._say("the notes are not open yet")
            return
        self._say("counting the corpus's coding…", error=False)
        self._gather_overview()

    @work(thread=True, exclusive=True, group="overview")
    def _gather_overview(self) -> None:
        """Read every annotation, and each annotated article's coverage (it has to be cleaned)."""
        from tui.app import as_wishes
        from tui.core.catalog import open_article
        from tui.core.overview import coding_matrix, coverage
        from tui.core.store import StoreError

        try:
            with self._lock:
                store = self.session.store
                annotations = store.all_annotations()
                overrides = {path: store.overrides(path) for path in {a.article.path for a in annotations}}
                tags = [tag.name for tag in store.tags()]
        except StoreError as error:
            self.call_from_thread(self._say, str(error))
            return
        by_path: dict[str, list] = {}
        for ann in annotations:
            by_path.setdefault(ann.article.path, []).append(ann)
        shares = {rel: 0.0 for rel in self._files}
        for rel, anns in by_path.items():
            try:
                shares[rel] = coverage(open_article(self.corpus, rel, as_wishes(overrides[rel])).cleaned, anns)
            except ArticleError:
                shares.pop(rel, None)  # gone or unreadable: unknown
        matrix = coding_matrix(annotations, list(self._files), tags)
        self.call_from_thread(self._show_overview, matrix, shares)

    def _show_overview(self, matrix, shares: dict[str, float]) -> None:
        from tui.screens.overview import OverviewScreen

        entries = self.query_one(ArticleList)
        titles = {rel: (entry.title if (entry := entries.entry(rel)) else rel) for rel in matrix.articles}
        self._say(f"{matrix.total} coded passages in {sum(1 for r in matrix.articles if matrix.row_total(r))} articles", error=False)
        self.push_screen(OverviewScreen(matrix, titles, shares), self._open_passage)

    def _open_passage(self, passage: CodedPassage | None) -> None:
        if passage is not None:
            self.open_then(passage.path, lambda doc, view: self.select_annotation(doc, view, _annotation(doc, passage.annotation_id)))

    def action_next_untagged(self) -> None:
        """Move the cursor to the next paragraph that no annotation touches."""
        from tui.core.overview import next_untagged, tagged_spans

        pane = self.pane
        view, doc = self.view(pane), self.doc_in(pane)
        if doc is None:
            return
        selected = view.selected
        found = next_untagged(view.paragraphs, tagged_spans(doc.cleaned, doc.annotations), selected[0] if selected else -1)
        if found is None:
            self._say("every paragraph of this article is tagged")
        elif not view.select(*found):
            self._say("the next untagged paragraph is hidden by the tag filter (f)")

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
        from tui.screens.modals import NoteEditor
        from tui.screens.overview import OverviewScreen
        from tui.screens.search import SearchScreen

        return [
            ("everywhere", self, self.BINDINGS),
            ("article", self.view(self.pane), ArticleView.BINDINGS),
            ("list", self.query_one(ArticleList), ArticleList.BINDINGS),
            ("raw pane", self.query_one(RawView), RawView.BINDINGS),
            ("annotations", self.on_demand("notes", create=False), NotesPane.BINDINGS),
            ("tag manager", None, TagManager.BINDINGS),
            ("note editor", None, NoteEditor.BINDINGS),
            ("compare picker", None, ArticlePicker.BINDINGS),
            ("search", None, SearchScreen.BINDINGS),
            ("overview", None, OverviewScreen.BINDINGS),
        ]

    def command_sources(self):
        """(namespace, bindings) whose actions the command palette offers."""
        return [(namespace, bindings) for _, namespace, bindings in self._binding_groups() if namespace is not None]


def _annotation(doc, annotation_id: str):
    """The open article's annotation with this id, or None if it is gone."""
    return next((a for a in doc.annotations if a.id == annotation_id), None)
