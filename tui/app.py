"""The Textual app: an article list beside the cleaned text of the chosen article.

The app only wires widgets to ``tui.core``: reading and cleaning run in a
thread worker so the screen is drawn before the corpus is read, and article
text is always shown as plain ``rich.text.Text`` so that ``[bold]`` or escape
codes in an article are displayed literally, never interpreted.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.catalog import CleanedArticle, open_article
from tui.core.corpus import ArticleError, CorpusError, scan_corpus
from tui.core.paths import sample_corpus, styles_dir


class DossierApp(App[None]):
    """Browse a corpus: choose an article on the left, read it cleaned on the right."""

    TITLE = "Dossier"
    CSS_PATH = str(styles_dir() / "dossier.tcss")
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("tab", "focus_next", "Next pane", show=False),
    ]

    def __init__(self, corpus: Path, notes: Path) -> None:
        super().__init__()
        self.corpus = corpus
        self.notes = notes
        self._files: list[str] = []

    @property
    def corpus_label(self) -> str:
        """How the status line names the corpus."""
        return "the sample corpus" if self.corpus.resolve() == sample_corpus().resolve() else str(self.corpus)

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            articles = OptionList(id="articles")
            articles.border_title = "Articles"
            yield articles
            with VerticalScroll(id="article-scroll") as scroll:
                scroll.border_title = "Cleaned"
                yield Static(Text("Reading the corpus…"), id="article-text")
        yield Static(Text(f"corpus: {self.corpus_label}  │  notes: {self.notes}"), id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#articles", OptionList).focus()
        self.load_corpus()

    @work(thread=True, exclusive=True, group="corpus")
    def load_corpus(self) -> None:
        """Scan the corpus off the event loop, then list its files."""
        try:
            scan = scan_corpus(self.corpus)
        except CorpusError as error:
            self.call_from_thread(self._show_status, str(error))
            return
        self.call_from_thread(self._show_files, scan.files, len(scan.skipped))

    def _show_files(self, files: list[str], skipped: int) -> None:
        self._files = files
        articles = self.query_one("#articles", OptionList)
        articles.clear_options()
        articles.add_options(Option(Text(rel), id=rel) for rel in files)
        note = f"  │  {skipped} file(s) skipped" if skipped else ""
        self._show_status(f"{len(files)} articles in {self.corpus_label}  │  notes: {self.notes}{note}")
        if files:
            articles.highlighted = 0
            self.open_article(files[0])
        else:
            self._show_text(Text("No articles in this folder (.txt, .md, .html)."))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.open_article(event.option.id)

    @work(thread=True, exclusive=True, group="article")
    def open_article(self, rel: str) -> None:
        """Read and clean one article off the event loop."""
        try:
            item = open_article(self.corpus, rel)
        except ArticleError as error:
            self.call_from_thread(self._show_text, Text(f"{rel} cannot be read: {error}", style="bold red"))
            return
        self.call_from_thread(self._show_article, rel, item)

    def _show_article(self, rel: str, item: CleanedArticle) -> None:
        articles = self.query_one("#articles", OptionList)
        index = self._files.index(rel) if rel in self._files else None
        if index is not None:
            articles.replace_option_prompt_at_index(index, Text(item.title))
        body = Text()
        for line in item.cleaned.kept:
            style = "bold" if line.kind in ("title", "heading") else ""
            body.append(line.text.strip(), style=style)
            body.append("\n\n")
        dropped = sum(1 for line in item.cleaned.lines if not line.keep and line.kind != "blank")
        body.append(f"{dropped} line(s) dropped by the cleaner: dossier clean --json shows why.", style="dim italic")
        self._show_text(body)

    def _show_text(self, text: Text) -> None:
        self.query_one("#article-text", Static).update(text)
        self.query_one("#article-scroll", VerticalScroll).scroll_home(animate=False)

    def _show_status(self, message: str) -> None:
        self.query_one("#status", Static).update(Text(message))
