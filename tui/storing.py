"""The reader's store queue: every change to the notes, one at a time, off the event loop.

A mixin of ``DossierApp``. ``submit`` queues a call on the ``Session``; a
thread worker runs the calls in the order the keys were pressed, under the
app's lock (the store is not thread-safe), and reports back the notes of the
articles on screen, the counts for the list, the tags and any error. Each
call is durable when it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.style import Style
from textual import work

from tui.comparing import MAIN, SIDE
from tui.screens.tag_manager import TagManager
from tui.widgets.article_list import ArticleList
from tui.widgets.drawing import drawable

if TYPE_CHECKING:
    from tui.core.store import Annotation
    from tui.session import Session


class StoreQueue:
    """Queue store calls and show their outcome; needs the app's ``session``, ``_lock`` and panes."""

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
        # The articles on screen were read before the notes were open: re-anchor their notes
        # now, in case the files changed since (the report that follows reads them back).
        for doc in (self.doc, self.other):
            if doc is not None:
                self.session.store.sync(doc.ref, doc.article.text)

    @work(thread=True, group="store")
    def _store_worker(self) -> None:
        """Run the oldest queued store call, then report the article's notes as they now are."""
        from tui.core.store import StoreError
        from tui.session import NothingToDo

        with self._lock:
            shown = {r for r in (self._wanted, self._wanted_side) if r}  # the articles on screen (or about to be)
            label, call = self._queue.popleft()
            error, report = "", None
            touched: str | None = None  # the one article an edit changed; None: recount them all
            unchanged = False  # the edit changed no annotation (a tag moved or recoloured)
            try:
                if self.session is None and call != self._open_notes:
                    raise StoreError(f"{self.notes}: the notes could not be opened")
                result = call(self.session)
                touched = getattr(result, "path", None)
                unchanged = getattr(result, "annotations_unchanged", False)
            except (StoreError, NothingToDo, ValueError, KeyError) as problem:
                error = str(problem).strip("'\"")
            store = self.session.store if self.session else None
            if store is not None:
                # After an edit to one article only its counts are re-read: reading every
                # article's notes on every keystroke would grow with the whole store.
                paths = [touched] if touched else [] if unchanged else list(store.articles())
                try:
                    counts = {p: store.annotations(p) for p in paths}
                    for path, anns in counts.items() if self.search_index is not None else ():
                        self.search_index.set_annotations(path, anns)
                    report = (
                        {r: (store.annotations(r), store.overrides(r)) for r in shown},
                        (counts, touched is None and not unchanged),
                        store.tags(),
                        store.holder if store.readonly else None,
                    )
                except StoreError as problem:
                    error = str(problem)
        self.call_from_thread(self._after_store, label, error, report)

    def _after_store(self, label: str | None, error: str, report: tuple | None) -> None:
        """Show the outcome of a store call: saved state, errors, the notes as they now are."""
        current, counts, tags, holder = report if report else ({}, None, None, None)
        if label:
            self._pending = max(0, self._pending - 1)
        if tags is not None:
            self.tags = tags
            self.tags_changed()
            self.query_one(ArticleList).colours = {t.name: Style(color=drawable(t.colour)) for t in tags}
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
        for pane in (MAIN, SIDE):
            doc = self.doc_in(pane)
            if doc is None or doc.rel not in current:
                continue
            annotations, overrides = current[doc.rel]
            if overrides != doc.overrides:
                self.open_article(doc.rel, self._selection_source(pane), pane)
            elif annotations != doc.annotations or tags is not None:
                doc.annotations = annotations
                self._show_annotations(pane)
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
