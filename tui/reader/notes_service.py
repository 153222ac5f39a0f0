"""The reader's one owner of the notes folder: every store call, in order, on one thread.

The store is not thread-safe and every edit must be saved in the order its
key was pressed, so all of them run on a single worker thread (a
``ThreadPoolExecutor`` of one): ``submit`` queues an edit through the undo
history and reports back with a ``NotesChanged`` message; ``read`` runs a
query on the same thread and waits for its answer (from another worker
thread, never from the event loop); ``drain`` waits until every queued call
is done, which quitting does so that no save is cut off.

It also owns whose annotations the reader shows and counts: ``showing``
(the analysts the panes show, chosen with ``A`` or ``ctrl+a``) and ``blind``
(blind coding: only the analyst's own annotations, in the panes, in every
figure of the corpus and in the notes search finds). Each report applies
them, and search asks ``searched``, so no widget filters on its own.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual.message import Message

from tui.core.notes.analyst_names import DEFAULT_ANALYST
from tui.reader.messages import NotesChanged

if TYPE_CHECKING:  # TinyDB and rapidfuzz load on the store thread, after the first screen
    from tui.core.document import Document
    from tui.core.notes.history import Edit, History
    from tui.core.notes.model import Annotation
    from tui.core.notes.store import Store

T = TypeVar("T")
#: What an edit is: a call on the history that returns the ``Edit`` it made (or None).
Call = Callable[["History"], "Edit | None"]
#: How long the analysts' names may be for the status line to list them ("showing: anna, bea"); longer: "showing 3 of 5 analysts".
NAMES_WIDTH = 32


def counted(annotations: list[Annotation], counting: str | None) -> list[Annotation]:
    """The annotations the corpus's figures take in: ``counting``'s only (blind coding), or every analyst's (None)."""
    return annotations if counting is None else [a for a in annotations if a.analyst == counting]


class NotesService:
    """Opens the notes, runs edits and queries in order, and says what changed.

    ``post`` delivers ``NotesChanged`` messages (from the store thread;
    Textual's ``post_message`` is thread-safe).
    """

    def __init__(
        self, folder: Path, post: Callable[[Message], object], corpus: Path | None = None, analyst: str | None = None,
        blind: bool = False,
    ) -> None:
        """``corpus``: the corpus read with these notes; opening them says if they were last used with another.
        ``analyst``: who makes the new annotations (None: not known yet, ``unattributed`` until it is).
        ``blind``: blind coding (``--blind``): only the analyst's own annotations are shown until ``B``."""
        self.folder = folder
        self.corpus = corpus
        self.analyst = analyst
        #: Blind coding: only the analyst's own annotations are shown and counted, whatever ``showing`` says (``B`` turns it off).
        self.blind = blind
        #: The analysts whose annotations the panes show; None: every analyst's (``A`` steps through them, ``ctrl+a`` picks several).
        self.showing: frozenset[str] | None = None
        self._offered = 0  # how many analysts there were to choose from when ``showing`` was chosen ("2 of 5")
        self._post = post
        self._observe: Callable[[str, list[Annotation]], object] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dossier-notes")
        self._history: History | None = None
        self._pending = 0  # labelled edits queued and not yet done
        self._count = threading.Lock()
        self._last: Future[None] | None = None
        self._closed = False
        self._unopened = ""  # why the notes could not be opened, if they could not

    @property
    def pending(self) -> int:
        """How many edits are queued or running."""
        with self._count:
            return self._pending

    def observe(self, observer: Callable[[str, list[Annotation]], object]) -> None:
        """Tell ``observer(path, annotations)``, on the store thread, the notes of every article an edit changed.

        The corpus cache keeps the notes' counts and search index current this
        way without a pass over the event loop (opening the notes tells it
        nothing: the cache reads the notes folder itself).
        """
        self._observe = observer

    def open(self, shown: Sequence[Document] = ()) -> None:
        """Open the notes folder (for writing, or read-only if another process holds it).

        The list's counts come from the corpus cache, which counts every
        analyst's annotations: while blind the report counts every article's anew.
        """
        self._queue(None, None, shown, recount=self.blind)

    @property
    def mine(self) -> str:
        """The name the analyst at work's annotations carry (``unattributed`` while none is set)."""
        return self.analyst or DEFAULT_ANALYST

    @property
    def whose(self) -> frozenset[str] | None:
        """The analysts whose annotations the panes show (None: every analyst's): one's own while blind, else ``showing``."""
        return frozenset((self.mine,)) if self.blind else self.showing

    @property
    def counting(self) -> str | None:
        """The analyst whose annotations alone the corpus's figures count (blind coding); None: every analyst's.

        The figures are the list's counts and tag chips (so its ``tag:``
        filter and its sort by annotations too) and the overview's views.
        ``showing`` chooses what the panes show, not what is counted.
        """
        return self.mine if self.blind else None

    @property
    def searched(self) -> frozenset[str] | None:
        """The analysts whose notes corpus search (``ctrl+f``) finds: one's own while blind; None: every analyst's.

        Search follows ``counting``, not ``showing``: what ``A`` and ``ctrl+a``
        choose is a view of the panes; blind coding hides the others everywhere.
        """
        counting = self.counting
        return None if counting is None else frozenset((counting,))

    def shown(self, annotations: list[Annotation]) -> list[Annotation]:
        """The annotations the panes show: every analyst's, the chosen analysts' (``A``, ``ctrl+a``), or (blind) one's own."""
        whose = self.whose
        return annotations if whose is None else [a for a in annotations if a.analyst in whose]

    def analysts(self) -> list[str]:
        """The analysts to choose from, by name: each with a folder in the notes folder, and the analyst at work.

        One listing of ``analysts/``, fast enough for the event loop.
        """
        from tui.core.notes.layout import analyst_names

        names = analyst_names(self.folder)
        return sorted({*names, self.analyst}) if self.analyst else names

    def label(self) -> str:
        """What the status line says of whose annotations are shown ('' for every analyst's)."""
        if self.blind:
            return f"blind: {self.mine}'s only (B)"
        if self.showing is None:
            return ""
        names = ", ".join(sorted(self.showing))
        if len(names) <= NAMES_WIDTH:
            return f"showing: {names}"
        return f"showing {len(self.showing)} of {max(self._offered, len(self.showing))} analysts"

    def toggle_blind(self, shown: Sequence[Document]) -> str:
        """Blind coding on (only the analyst's own annotations shown and counted) or off (``showing`` again); says which."""
        self.blind = not self.blind
        self.refresh(shown, recount=True)  # the list's counts follow: one's own only, or every analyst's again
        if self.blind:
            return f"blind coding: only {self.mine}'s annotations are shown and counted (B shows the other analysts')"
        return f"blind coding off: {self._showing_text()}"

    def show_next_analyst(self, shown: Sequence[Document]) -> str:
        """Show the next analyst's annotations only (every analyst's, then each analyst by name, then every analyst's); says whose.

        From a choice of several (``ctrl+a``) it goes to the first analyst.
        """
        order: list[str | None] = [None, *self.analysts()]
        one = next(iter(self.showing)) if self.showing is not None and len(self.showing) == 1 else None
        at = order.index(one) if one in order else 0
        name = order[(at + 1) % len(order)]
        return self.show(None if name is None else frozenset((name,)), len(order) - 1, shown)

    def show(self, analysts: frozenset[str] | None, offered: int, shown: Sequence[Document]) -> str:
        """Show only these analysts' annotations in the panes (None: every analyst's); says whose.

        ``offered``: how many analysts there were to choose from (the status line's "3 of 5").
        Nothing is written: the choice lasts until the reader quits.
        """
        self.showing, self._offered = analysts, offered
        self.refresh(shown)
        return self._showing_text()

    def _showing_text(self) -> str:
        if self.showing is None:
            return "showing every analyst's annotations"
        return f"showing only {' and '.join(sorted(self.showing))}'s annotations"

    def set_analyst(self, name: str, shown: Sequence[Document] = ()) -> None:
        """Work as analyst `name` from now on (after the edits queued so far), remembered for the notes folder.

        ``shown``: the documents on screen, reported again (blind coding shows the new analyst's own)."""
        from tui.core.notes.analysts import remember

        self.analyst = name

        def become(history: History) -> None:
            history.store.analyst = name
            if not history.store.readonly:
                remember(self.folder, name)

        self._queue(None, become, shown, recount=self.blind)  # blind: the counts are of the new analyst's own

    def submit(self, label: str | None, call: Call, shown: Sequence[Document] = ()) -> None:
        """Queue an edit; it runs after every call queued before it.

        ``label`` names the edit in the status line (None for a refresh,
        which is not counted as pending). ``shown`` are the documents on
        screen: the report gives them back as they are after the edit.
        """
        self._queue(label, call, shown)

    def refresh(self, shown: Sequence[Document], recount: bool = False) -> None:
        """Report these documents' notes as they are now (no edit); ``recount``: every article's counts too.

        A recount reads every annotated article's notes: it is asked for only
        when what is counted changes (blind coding on or off).
        """
        self._queue(None, lambda history: None, shown, recount)

    def read(self, call: Callable[[Store], T], default: T) -> T:
        """Run a query on the store thread and return its answer; ``default`` if the notes are not open.

        Blocks until every call queued before it is done: call it from a
        worker thread, never from the event loop or the store thread.
        """
        if self._closed:
            return default
        return self._executor.submit(self._read, call, default).result()

    async def drain(self) -> None:
        """Wait until every call queued so far has finished."""
        last = self._last
        if last is not None:
            await asyncio.wrap_future(last)

    def close(self) -> None:
        """Finish every queued call, then release the notes (and their lock)."""
        if self._closed:
            return
        self._closed = True
        self._executor.submit(self._release)
        self._executor.shutdown(wait=True)

    # --- on the store thread ----------------------------------------------

    def _queue(self, label: str | None, call: Call | None, shown: Sequence[Document], recount: bool = False) -> None:
        if self._closed:
            return
        if label:
            with self._count:
                self._pending += 1
        self._last = self._executor.submit(self._run, label, call, tuple(shown), recount)

    def _read(self, call: Callable[[Store], T], default: T) -> T:
        return default if self._history is None else call(self._history.store)

    def _release(self) -> None:
        if self._history is not None:
            self._history.close()
            self._history = None

    def _run(self, label: str | None, call: Call | None, shown: tuple[Document, ...], recount: bool) -> None:
        """Open the notes (``call`` None) or run an edit, then report (every article's counts with ``recount``)."""
        from tui.core.notes.history import History, NothingToDo
        from tui.core.notes.store import StoreError

        error = notice = ""
        crash: BaseException | None = None
        counts_of: list[str] | None = None if recount else []  # the articles whose counts changed; None: all of them
        described: str | None = None  # the article whose attributes or memo changed
        try:
            if call is None:
                self._history = History.open(self.folder, self.analyst)  # the list's counts come from the corpus cache
                if self.corpus is not None:  # last used with another corpus: say so (a writer records this one)
                    notice = self._history.store.corpus.check(self.corpus) or ""
            elif self._history is None:
                raise StoreError(f"the notes could not be opened: {self._unopened or self.folder}")
            else:
                edit = call(self._history)
                if edit is not None and not edit.annotations_unchanged:
                    counts_of = [edit.path] if edit.path else None
                elif edit is not None:  # an attribute or memo (or a tag's colour or place: no path)
                    described = edit.path
        except StoreError as problem:
            # A failed save (SaveError: a full disk, the file-size limit) says "not saved: …"; what
            # was saved before stays, and the store reads the disk again before the next change.
            error = str(problem).strip("'\"")
            if call is None:
                self._unopened = error  # said again with every change refused for it
        except (NothingToDo, ValueError, KeyError) as problem:
            error = str(problem).strip("'\"")
        except OSError as problem:  # a folder gone read-only under a write: the edit is not saved
            error = f"not saved: {problem.strerror or problem}"
        except Exception as problem:  # a bug: the app shows it and stops rather than carry on unsaved
            error, crash = f"internal error: {problem!r}", problem
        with self._count:
            if label:
                self._pending = max(0, self._pending - 1)
            pending = self._pending
        report = self._report(label, error, shown, counts_of, pending, opened=call is None, recount=recount, crash=crash)
        report.described = described
        report.notice = notice
        self._post(report)

    def _report(
        self, label: str | None, error: str, shown: tuple[Document, ...], counts_of: list[str] | None, pending: int,
        opened: bool, recount: bool, crash: BaseException | None,
    ) -> NotesChanged:
        """The notes after a call: the shown documents, the changed counts (of what is counted), the tags."""
        from tui.core.notes.store import StoreError

        documents: dict[str, Document] = {}
        counts: dict[str, list[Annotation]] = {}
        tags = None
        read_only = None
        store = self._history.store if self._history is not None else None
        counting = self.counting  # read once: B may be pressed meanwhile, and the report says whose it counted
        if store is not None:
            try:
                for doc in shown:
                    store.sync(doc.ref, doc.text)  # re-anchor if the file changed since its notes were saved
                    overrides = store.overrides(doc.rel)
                    changed = doc.recleaned(overrides) if overrides != dict(doc.overrides) else doc
                    documents[doc.rel] = changed.with_annotations(self.shown(store.annotations(doc.rel)))
                # After an edit to one article only its counts are read again: reading every
                # article's notes on every keystroke would grow with the whole store.
                for path in store.articles() if counts_of is None else counts_of:
                    everyone = store.annotations(path)
                    # The corpus cache (which counts every analyst's) is told of edits only:
                    # opening the notes or a recount changed nothing it holds.
                    if self._observe is not None and not opened and not recount:
                        self._observe(path, everyone)
                    counts[path] = counted(everyone, counting)
                if recount and not store.readonly:  # a read-only store may hold what it followed in memory only
                    store.forget_loaded()  # that read every annotated article's file: not kept for the session
                tags = store.tags()
            except StoreError as problem:
                error = str(problem)
            if store.readonly:  # another process holds the notes, or the folder cannot be written
                read_only = store.read_only_reason or "the notes cannot be written"
        complete = counts_of is None
        return NotesChanged(label, error, documents, counts, complete, tags, read_only, pending, opened, crash, counting=counting)
