"""The left pane: the corpus's articles, listed, summarised and filtered.

``Library`` owns the list of files and what the list shows of each (title,
words, annotation counts, tag chips) and the filter line. It lists the corpus
off the event loop (or takes the listing ``FirstLook`` made while Textual
loaded). Once the first article is on screen a worker brings the corpus
cache (:mod:`tui.core.cache`) up to date: the list shows the cache's rows at
once, then each newly read article as it is stored, with how many are left
in the status line. It tells the screen which article to open with
``Open``: at once for a key, once typing pauses for the filter (Enter,
``ArticleList.Chosen``, goes on up to the screen). The filter is an
expression (:mod:`tui.core.filtering`, as ``dossier list --filter``): its
fields, tags and titles are matched at once from the entries, its words in
the articles' text from the cache's index in a worker. Each entry carries
its facts merged as the command line merges them (:mod:`tui.reader.list_facts`).
While blind the counts and tags are the analyst's own, from the notes
service's reports: the cache's rows count every analyst's annotations.
"""

from __future__ import annotations

import gc
import sqlite3
import threading
import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input

from tui.core.corpus import Article, CorpusError, Scan, scan_corpus
from tui.core.document import Document
from tui.core.listing import ListFilter
from tui.core.neutral import for_terminal
from tui.core.notes.model import ArticleRef
from tui.reader.library_messages import CacheOpened, Listed, Matched, Open, Progress, Relisted, Rows, Summarised, Unindexed
from tui.reader.messages import CorpusListed
from tui.widgets.article_list import ArticleList, FilterInput
from tui.widgets.drawing import drawable
from tui.widgets.entries import Entries, Entry

if TYPE_CHECKING:
    from tui.core.cache.corpus_cache import CorpusCache
    from tui.core.facts import Facts
    from tui.core.firstlook import FirstLook
    from tui.core.notes.model import Annotation
    from tui.core.notes.tags import Tag
    from tui.core.search.corpus import CorpusSearch
    from tui.core.search.query import SearchResult
    from tui.reader.notes_service import NotesService

FILTER = "filter"
FILTER_SETTLE = 0.15  # seconds of no typing in the filter before its highlighted article opens
OPEN_PATIENCE = 60.0  # seconds a search waits for the corpus cache to open
PROGRESS_EVERY = 0.25  # seconds between the list's updates while the cache reads new files
REARRANGE_EVERY = 2.0  # seconds between re-sorts and re-filters of a list sorted or filtered while the cache reads


class Library(Vertical):
    """The article list and its filter line (made the first time ``/`` is pressed)."""

    def __init__(self, corpus: Path, *, id: str) -> None:
        super().__init__(id=id)
        self.corpus = corpus
        self.files: list[str] = []
        self.articles = ArticleList(id="articles")
        self._open_timer: Timer | None = None  # opens the article highlighted by the filter once typing pauses
        self._scan_result: Scan | None = None  # the scan the list shows, for the cache to take
        self._stop = threading.Event()  # set when the reader quits: the cache stops after its batch
        self.cache: CorpusCache | None = None  # once opened; the filter asks it for the articles' text
        self.search: CorpusSearch | None = None  # search over the cache, once it is open
        self.unread = -1  # articles the cache is still to read (-1: not known yet)
        self._opened = threading.Event()  # set once the cache is open, or could not be
        self.facts: dict[str, Facts] = {}  # articles whose facts the analyst changed this run, as they now are
        self._arranged = 0.0  # when a sorted or filtered list was last sorted and filtered again for new rows
        # Blind coding: each article's count and tags of the analyst's own annotations, as the notes service
        # reported them (the cache's rows count every analyst's); None: the cache's counts are shown.
        self._own: dict[str, tuple[int, tuple[str, ...]]] | None = None

    def compose(self) -> ComposeResult:
        yield self.articles

    # --- listing -------------------------------------------------------------

    def load(self, look: FirstLook | None) -> Listed | None:
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
            scan = scan_corpus(self.corpus)
        except CorpusError as error:
            self.post_message(CorpusListed([], str(error)))
        else:
            self._scan_result = scan
            self.post_message(CorpusListed(scan.files))

    def _post_taken(self, look: FirstLook) -> None:
        listed = self._take(look)
        if listed is not None:
            self.post_message(listed)

    def _take(self, look: FirstLook) -> Listed | None:
        """The listing and first article that ``FirstLook`` read before the app started (None: listed anew)."""
        if look.error is not None:
            return Listed([], error=str(look.error))
        if look.scan is None:
            self._scan(None)  # the look failed unexpectedly: list the corpus the usual way
            return None
        first = Document(look.article, look.cleaned, preview=look.preview) if look.article and look.cleaned and look.scan.files else None
        self.files = look.scan.files
        self._scan_result = look.scan
        self.articles.set_entries(Entries(rels=self.files))
        return Listed(self.files, first)

    def on_corpus_listed(self, message: CorpusListed) -> None:
        message.stop()
        if message.error is not None:
            self.post_message(Listed([], error=message.error))
        else:
            self._show(message.files, None)

    def _show(self, files: list[str], first: Document | None) -> None:
        self.files = files
        self.articles.set_entries(Entries(rels=files))
        self.post_message(Listed(files, first))

    def index(self, service: NotesService) -> None:
        """Bring the corpus cache up to date in a worker: the list fills in from it, progress in the status line.

        The cache lives beside the notes in ``service.folder`` (see
        :mod:`tui.core.cache.database`); ``CacheOpened`` hands it to the screen
        at once, so search answers from it while new files are still read.
        The analyst's attribute edits come from the cache's notes index. While
        blind the cache's counts are not shown: the notes' first report brings the analyst's own.
        """
        if service.counting is not None:
            self._own = {}
        self._index(service, list(self.files), self._scan_result)

    @work(thread=True, exclusive=True, group="titles")
    def _index(self, service: NotesService, files: list[str], scan: Scan | None) -> None:
        from tui.core.cache.corpus_cache import CorpusCache
        from tui.core.cache.database import CacheError
        from tui.core.cache.notes_index import sync_notes
        from tui.core.cache.refresh import read_files, take_listing
        from tui.core.search.corpus import CorpusSearch
        from tui.reader.list_facts import EntryFacts

        notes = service.folder
        with suppress(OSError):  # the notes service makes it too; the cache goes beside the notes if it can
            notes.mkdir(parents=True, exist_ok=True)
        facts = EntryFacts(self.corpus)
        try:
            cache = CorpusCache.open(notes, self.corpus)
            self.cache = cache
            self.search = CorpusSearch(cache)  # answers from what is stored while the rest is read
            self._opened.set()
            self.post_message(Rows(facts.entries(cache.listed()), -1))  # what the cache knows, at once; then what changed
            if scan is None or scan.from_cache or scan.files != files:
                scan = scan_corpus(self.corpus)
            relisted = scan.files != files  # files added or gone since the cache's listing was shown
            if relisted:
                self.post_message(Relisted(scan.files))
            listing = take_listing(cache, scan)
            notes_changed = sync_notes(cache, notes)
            if listing.work or listing.added or listing.removed or listing.renamed:
                # The notes follow again once this listing is read. (Notes changed alone need no
                # following: each article's notes are placed on its text when it is opened.)
                cache.set_followed(False)
        except (CacheError, CorpusError, sqlite3.Error) as error:
            self.cache = self.search = None  # never used half-open: export and saves go without it
            self._opened.set()
            self.post_message(Unindexed(f"no corpus cache, so no search or filter by text: {error}"))
            return
        self.post_message(CacheOpened(cache))
        changed = relisted or listing.renamed or notes_changed
        edited = facts.read_edits(cache)  # synced with the notes folder just above
        self.post_message(Rows(facts.entries(cache.listed(None if changed else edited)), len(listing.work)))
        pending: list[str] = []
        posted = time.monotonic()

        def progress(done: int, total: int, rels: list[str]) -> None:
            nonlocal posted
            pending.extend(rels)
            if done < total and time.monotonic() - posted < PROGRESS_EVERY:
                return  # throttled, so 100,000 files do not become 3,000 redraws
            posted = time.monotonic()
            entries = facts.entries(cache.listed(pending))
            pending.clear()
            self.post_message(Rows(entries, total - done))

        try:
            read_files(cache, listing.work, progress, self._stop)
        except sqlite3.Error as error:  # a cache that fails midway: what is stored stays, the rest next time
            self.post_message(Unindexed(f"the corpus cache failed while reading: {error}"))
            return
        if self._stop.is_set():
            return
        # Following renames reads every annotated article's notes: at 100,000 articles that is most of the
        # reader's memory, so it is done only when the corpus or the notes changed since it was last done.
        refs = None if cache.followed() else [ArticleRef(rel, sha256) for rel, sha256 in cache.refs()]
        self.post_message(Summarised(refs, cache.evidence()))

    def record_notes(self, path: str, annotations: list[Annotation]) -> None:
        """An edit saved an article's notes (told on the store thread): the cache's counts and note index follow."""
        cache = self.cache
        if cache is None:
            return  # the cache reads the notes folder itself when it opens
        from tui.core.cache.notes_index import record_notes

        with suppress(sqlite3.Error):  # the notes are saved; the cache reads them again at the next start
            record_notes(cache, path, annotations)

    def language_of(self, article: Article) -> str | None:
        """The language the corpus cache identified in this very text (None: not known yet), from any thread.

        An article pane cleans with it, so the reader never loads the
        language model for an article the cache has read (70 MB resident).
        """
        cache = self.cache
        if cache is None:
            return None
        try:
            return cache.language(article.rel, article.sha256)
        except sqlite3.Error:
            return None  # identified again, as without a cache

    def stop(self) -> None:
        """Stop reading the corpus after the batch under way (quitting: the rest is read next time)."""
        self._stop.set()

    def search_corpus(self, query: str, analysts: frozenset[str] | None = None) -> SearchResult:
        """Search the corpus cache, waiting for it to open (from the search dialog's worker thread).

        ``analysts``: only their notes are searched (blind coding); None: every analyst's.
        """
        if not self._opened.wait(OPEN_PATIENCE) or self.search is None:
            raise RuntimeError("the corpus cache is not open (the status line says why)")
        return self.search.search(query, analysts=analysts)

    def on_library_cache_opened(self, message: CacheOpened) -> None:
        message.stop()
        wanted = self.articles.filter
        if wanted.words or wanted.unwords:
            self._match(wanted)

    def on_library_relisted(self, message: Relisted) -> None:
        message.stop()
        known = {entry.rel: entry for entry in self.articles.entries}
        self.files = message.files
        self.articles.set_entries([known.get(rel) or Entry(rel, rel) for rel in message.files])

    def on_library_rows(self, message: Rows) -> None:
        message.stop()
        articles, own = self.articles, self._own
        for entry in message.entries:  # the worker read the analyst's edits at start: later ones in the reader win
            edited = self.facts.get(entry.rel)
            if edited is not None:
                entry.facts = edited.values()
            if own is not None:  # blind coding: the analyst's own counts, not the cache's (every analyst's)
                entry.notes, entry.tags = own.get(entry.rel, (0, ()))
        articles.update_entries(message.entries)
        # A sorted or filtered list follows the new titles and facts, at most every few seconds while the
        # cache reads (a sort of 100,000 rows at each batch would take the event loop's time), then at the end.
        due = message.left <= 0 or time.monotonic() - self._arranged > REARRANGE_EVERY
        if message.entries and due and (articles.sort != "position" or articles.filter):
            self._arranged = time.monotonic()
            articles.rearrange()
            self._show_filtered(len(articles.shown))
        if message.left >= 0:
            self.unread = message.left
            self.post_message(Progress(message.left))

    def on_library_summarised(self) -> None:
        self._freeze_the_corpus()  # not stopped: the screen follows renames and uses the evidence

    def _freeze_the_corpus(self) -> None:
        """Move what lives as long as the reader out of the garbage collector's sight, once summarised.

        The list's entries stay until the reader quits; with them in sight
        each full collection on 10,000 articles took tens of ms, a
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

    def facts_changed(self, rel: str, facts: Facts) -> None:
        """An article's facts changed (the analyst edited its attributes, or undid or redid an edit).

        They are kept in ``facts`` (by path, the newest for each article
        edited this run) and the article's row is drawn again, so a row that
        shows facts (date, outlet) shows them as they now are.
        """
        self.facts[rel] = facts
        entry = self.articles.entry(rel)
        if entry is not None:
            entry.facts = facts.values()
            self.articles.update_entries([entry])
            if self.articles.sort != "position" or self.articles.filter:
                self.articles.rearrange()  # a new date or outlet may move it, or take it out of a filter

    def update_counts(self, counts: dict[str, list[Annotation]], complete: bool, counting: str | None) -> None:
        """Show annotation counts and tag chips; ``complete``: articles missing from ``counts`` have none.

        ``counting``: the analyst whose annotations alone ``counts`` hold (blind coding), kept for the
        cache's rows still to come; None: every analyst's, as the cache counts them.
        """
        if counting is None:
            self._own = None
        elif self._own is None or complete:
            self._own = {}
        changed = []
        for entry in self.articles.entries:
            if not complete and entry.rel not in counts:
                continue
            anns = counts.get(entry.rel, [])
            tags = tuple(dict.fromkeys(t for a in anns for t in a.tags))
            if self._own is not None and anns:
                self._own[entry.rel] = (len(anns), tags)
            elif self._own is not None:
                self._own.pop(entry.rel, None)
            if entry.notes != len(anns) or entry.tags != tags:
                entry.notes, entry.tags = len(anns), tags
                changed.append(entry)
        self.articles.update_entries(changed)
        # All counts at once (blind coding on or off, a tag renamed) can change which articles a
        # ``tag:`` filter or the sort by annotations keeps; one article's edit is left where it is.
        if complete and changed and (self.articles.sort != "position" or self.articles.filter):
            self.articles.rearrange()
            self._show_filtered(len(self.articles.shown))

    # --- choosing an article ---------------------------------------------------------

    def on_article_list_highlighted(self, event: ArticleList.Highlighted) -> None:
        event.stop()
        self._stop_timer()
        rel = event.rel
        if event.filtering:
            # The list answers every keystroke at once; the article follows when typing pauses,
            # so cleaning it does not slow the next keystroke.
            self._open_timer = self.set_timer(FILTER_SETTLE, lambda: self.post_message(Open(rel)))
        else:
            self.post_message(Open(rel))

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
            field = FilterInput(placeholder="filter: words, source:, date:, tag:, -word …", id=FILTER)
            self.mount(field, before=self.articles)
        field.display = True
        field.focus()

    def filter_line(self) -> Input | None:
        """The filter line, once it has been made."""
        found = self.query(f"#{FILTER}")
        return found.first(Input) if found else None

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != FILTER:
            return
        event.stop()
        from tui.core.filtering import FilterError  # (the filter's parser is imported with the first filter)

        try:
            wanted = ListFilter.of(event.value)
        except FilterError as error:
            # Half typed (date:20) or wrong: the list keeps the last filter that could be read, the error is said quietly.
            event.input.add_class("-invalid")
            self.border_subtitle = Text(for_terminal(str(error)), style="dim italic")
            return
        event.input.remove_class("-invalid")
        # Words that extend the last ones match a subset of their articles (prefixes): keep them until
        # the index answers, so an article found by its text does not blink out and back.
        old, articles = self.articles.filter, self.articles
        matched = articles.text_matches if old.words and wanted.index_query.startswith(old.index_query) else None
        excluded = articles.excluded if wanted.unwords == old.unwords else None
        self._show_filtered(articles.apply_filter(wanted, matched, excluded))
        if wanted.words or wanted.unwords:
            self._match(wanted)

    def _show_filtered(self, shown: int) -> None:
        self.border_subtitle = f"{shown} match" if self.articles.filter else ""

    @work(thread=True, exclusive=True, group="filter")
    def _match(self, wanted: ListFilter) -> None:
        """Ask the cache's index which articles hold the filter's words, and which a word it excludes (the rest is matched at once)."""
        if self.search is None:
            return
        try:
            rels = set(self.search.matching(wanted.index_query)) if wanted.words else None
            excluded = {rel for query in wanted.unword_queries for rel in self.search.matching(query)}
        except sqlite3.Error:
            return  # the titles still filter; search says what is wrong with the cache
        self.post_message(Matched(wanted.text, rels, excluded))

    def on_library_matched(self, message: Matched) -> None:
        message.stop()
        if message.query == self.articles.query_text:
            self._show_filtered(self.articles.apply_filter(self.articles.filter, message.rels, message.excluded))

    def on_article_list_sorted(self, event: ArticleList.Sorted) -> None:
        event.stop()
        label = self.articles.sort_label
        self.border_title = f"Articles · {label}" if label else "Articles"

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
