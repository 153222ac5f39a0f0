"""The left pane: the corpus's articles, listed, summarised and filtered.

``Library`` owns the list of files and what the list shows of each (title,
words, annotation counts, tag chips) and the filter line. It lists the corpus
off the event loop (or takes the listing ``FirstLook`` made while Textual
loaded), reads every article's title in a worker once the first article is
on screen, and tells the screen which article to open with ``Open``: at once
for a key, once typing pauses for the filter (Enter, ``ArticleList.Chosen``, goes on up to the screen).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.style import Style
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

from tui.core.corpus import CorpusError, scan_corpus
from tui.core.document import Document, summaries
from tui.core.notes.model import ArticleRef
from tui.reader.messages import ArticlesSummarised, CorpusListed
from tui.widgets.article_list import ArticleList, Entry, FilterInput
from tui.widgets.drawing import drawable

if TYPE_CHECKING:
    from tui.core.clean import Cleaned
    from tui.core.evidence import CorpusEvidence
    from tui.core.firstlook import FirstLook
    from tui.core.notes.model import Annotation
    from tui.core.notes.tags import Tag

FILTER = "filter"
FILTER_SETTLE = 0.15  # seconds of no typing in the filter before its highlighted article opens


class Library(Vertical):
    """The article list and its filter line (made the first time ``/`` is pressed)."""

    @dataclass
    class Listed(Message):
        """The corpus is listed; ``first`` is its first article, already read, if it was."""

        files: list[str]
        first: Document | None = None
        error: str | None = None

    @dataclass
    class Summarised(Message):
        """Every article is read: each readable one's path and the hash of its text, and the lines that recur."""

        refs: list[ArticleRef]
        evidence: CorpusEvidence

    class Progress(Message):
        """Another batch of the articles' titles is read."""

    @dataclass
    class Open(Message):
        """Show this article (the list's highlight moved to it)."""

        rel: str

    def __init__(self, corpus: Path, *, id: str) -> None:
        super().__init__(id=id)
        self.corpus = corpus
        self.files: list[str] = []
        self.articles = ArticleList(id="articles")
        self._open_timer: Timer | None = None  # opens the article highlighted by the filter once typing pauses
        self._refs: list[ArticleRef] = []  # the articles read so far, for the notes to follow renames

    def compose(self) -> ComposeResult:
        yield self.articles

    # --- listing -------------------------------------------------------------

    def load(self, look: FirstLook | None) -> Library.Listed | None:
        """List the corpus: at once if ``look`` has it (the listing is returned), else in a worker (``Listed`` follows).

        Returned, not posted: the screen shows the first article in the very
        first frame, with no message to wait for.
        """
        if look is not None and look.ready():
            return self._take(look)
        self._scan(look)
        return None

    @work(thread=True, exclusive=True, group="corpus")
    def _scan(self, look: FirstLook | None) -> None:
        if look is not None:
            look.wait()
            self.app.call_from_thread(self._post_taken, look)
            return
        try:
            self.post_message(CorpusListed(scan_corpus(self.corpus).files))
        except CorpusError as error:
            self.post_message(CorpusListed([], str(error)))

    def _post_taken(self, look: FirstLook) -> None:
        listed = self._take(look)
        if listed is not None:
            self.post_message(listed)

    def _take(self, look: FirstLook) -> Library.Listed | None:
        """The listing and first article that ``FirstLook`` read before the app started (None: listed anew)."""
        if look.error is not None:
            return self.Listed([], error=str(look.error))
        if look.scan is None:
            self._scan(None)  # the look failed unexpectedly: list the corpus the usual way
            return None
        first = Document(look.article, look.cleaned) if look.article and look.cleaned and look.scan.files else None
        self.files = look.scan.files
        self.articles.set_entries([Entry(rel, rel) for rel in self.files])
        return self.Listed(self.files, first)

    def on_corpus_listed(self, message: CorpusListed) -> None:
        message.stop()
        if message.error is not None:
            self.post_message(self.Listed([], error=message.error))
        else:
            self._show(message.files, None)

    def _show(self, files: list[str], first: Document | None) -> None:
        self.files = files
        self.articles.set_entries([Entry(rel, rel) for rel in files])
        self.post_message(self.Listed(files, first))

    def summarise(self, found: Callable[[str, str, Cleaned], object]) -> None:
        """Read every article for its title, word count and filter text, in a worker.

        ``found(rel, title, cleaned)`` is told each article read (the search index).
        """
        self._summarise(list(self.files), found)

    @work(thread=True, exclusive=True, group="titles")
    def _summarise(self, files: list[str], found: Callable[[str, str, Cleaned], object]) -> None:
        from tui.core.evidence import CorpusEvidence

        evidence = CorpusEvidence()  # counted as the articles are read; handed on once all are
        for batch in summaries(self.corpus, files, found, evidence):
            self.post_message(ArticlesSummarised(batch))
        self.post_message(ArticlesSummarised([], last=True, evidence=evidence))

    def on_articles_summarised(self, message: ArticlesSummarised) -> None:
        message.stop()
        self.articles.update_entries(
            [Entry(s.rel, s.title, s.words, text=s.folded_text, warning=s.warning) for s in message.summaries]
        )
        self._refs += [ArticleRef(s.rel, s.sha256) for s in message.summaries if s.error is None]
        self.post_message(self.Progress())
        if message.last and message.evidence is not None:
            self.post_message(self.Summarised(self._refs, message.evidence))
            self._refs = []
            self._freeze_the_corpus()

    def _freeze_the_corpus(self) -> None:
        """Move what lives as long as the reader out of the garbage collector's sight, once summarised.

        The list's entries and the search index stay until the reader quits; with
        them in sight each full collection on 10,000 articles took about 70 ms, a
        stall at any keystroke. Frozen objects are never collected, so this waits
        until no dialog is open: a dialog frozen now would outlive its closing.
        """
        if self.app.screen is not self.screen:
            self.set_timer(1.0, self._freeze_the_corpus)
            return
        gc.freeze()

    # --- what the list shows ------------------------------------------------------

    def title_of(self, rel: str) -> str:
        """The article's title as the list shows it (its path until it is read)."""
        entry = self.articles.entry(rel)
        return entry.title if entry is not None else rel

    def set_tags(self, tags: list[Tag]) -> None:
        """The colours of the tag chips."""
        self.articles.colours = {t.name: Style(color=drawable(t.colour)) for t in tags}
        self.articles.refresh()

    def update_counts(self, counts: dict[str, list[Annotation]], complete: bool) -> None:
        """Show annotation counts and tag chips; ``complete``: articles missing from ``counts`` have none."""
        changed = []
        for entry in self.articles.entries:
            if not complete and entry.rel not in counts:
                continue
            anns = counts.get(entry.rel, [])
            tags = tuple(dict.fromkeys(t for a in anns for t in a.tags))
            if entry.notes != len(anns) or entry.tags != tags:
                entry.notes, entry.tags = len(anns), tags
                changed.append(entry)
        self.articles.update_entries(changed)

    # --- choosing an article ---------------------------------------------------------

    def on_article_list_highlighted(self, event: ArticleList.Highlighted) -> None:
        event.stop()
        self._stop_timer()
        rel = event.rel
        if event.filtering:
            # The list answers every keystroke at once; the article follows when typing pauses,
            # so cleaning it does not slow the next keystroke.
            self._open_timer = self.set_timer(FILTER_SETTLE, lambda: self.post_message(self.Open(rel)))
        else:
            self.post_message(self.Open(rel))

    def on_article_list_chosen(self) -> None:
        # Enter goes straight on up to the screen, which moves the focus: a key typed right
        # after it must already reach the article.
        self._stop_timer()

    def _stop_timer(self) -> None:
        if self._open_timer is not None:
            self._open_timer.stop()
            self._open_timer = None

    def open_filter(self) -> None:
        """Show the filter line and type into it."""
        found = self.query(f"#{FILTER}")
        field = found.first() if found else None
        if field is None:
            field = FilterInput(placeholder="filter: title or text", id=FILTER)
            self.mount(field, before=self.articles)
        field.display = True
        field.focus()

    def filter_line(self) -> Input | None:
        """The filter line, once it has been made."""
        found = self.query(f"#{FILTER}")
        return found.first(Input) if found else None

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == FILTER:
            event.stop()
            shown = self.articles.apply_filter(event.value)
            self.border_subtitle = f"{shown} match" if event.value else ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == FILTER:
            event.stop()
            self.articles.focus()

    def on_filter_input_closed(self, event: FilterInput.Closed) -> None:
        event.stop()
        field = self.filter_line()
        if field is not None:
            field.value = ""
            field.display = False
        self.articles.focus()
