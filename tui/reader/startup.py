"""The corpus coming into the reader: the listing, the first article, then the notes and the rest of the corpus.

``Startup`` is the order of the reader's start-up, which the first screen's
speed depends on: the first article is shown from the listing (or the
``FirstLook`` read while Textual loaded); only once it is drawn are the
notes opened and every article read into the corpus cache, since both
compete with it for the interpreter. As batches of articles are read (the
language model is then loaded) the articles on show are cleaned again in
their language. It also reads an article's notes for a pane's read worker.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.corpus import Article
    from tui.core.notes.model import Annotation
    from tui.core.notes.store import Store
    from tui.reader import library_messages
    from tui.reader.host import ReaderHost


class Startup:
    """The reader's start-up, in order: listing, first article, notes, the corpus read in the background."""

    def __init__(self, screen: ReaderHost) -> None:
        self.screen = screen
        self.started = False  # notes opened and the corpus being read (after the first screen)

    def listed(self, message: library_messages.Listed) -> None:
        """The corpus is listed: show its first article (or why there is none)."""
        main = self.screen.main
        if message.error is not None:
            self.screen.say(message.error)
            main.show_message(message.error)
            self.screen.footer.show_keys()  # no article to draw first
        elif not message.files:
            main.show_message("No articles in this folder (.txt, .md, .html).")
            self.after_first_screen()
        elif message.first is not None:
            main.wanted = message.files[0]
            main.show(message.first, with_notes=False)
            if message.first.preview:  # a long article's opening: the whole of it is cleaned in the pane's worker,
                self.screen.call_after_refresh(self._clean_the_rest)  # once the opening is drawn (it holds the GIL for seconds)
        else:
            main.open(message.files[0])

    def _clean_the_rest(self) -> None:
        """Clean the whole of the long first article whose opening is on show, unless the analyst went elsewhere."""
        self.screen.footer.show_keys()  # the opening is the first screen: the notes wait for the whole, the keys need not
        main = self.screen.main
        doc = main.document
        if doc is not None and doc.preview and doc.rel == main.wanted:
            main.open(doc.rel)

    def after_first_screen(self) -> None:
        """Open the notes and read every article into the cache: once, after the first article is drawn.

        Both compete with the first article for the interpreter, so they wait for it.
        """
        if self.started:
            return
        self.started = True
        gc.enable()  # off while the reader started (see ``cli.run_reader``)
        screen = self.screen
        screen.footer.show_keys()
        for pane in screen.panes():  # (the compare pane is given it when it is made)
            pane.language_of = screen.library.language_of
        screen.notes.observe(screen.library.record_notes)
        screen.notes.open(screen.shown_documents())
        screen.library.index(screen.notes)

    def progress(self, left: int) -> None:
        """A batch of articles is read, so the language model is loaded (reading one loads it).

        The first article was cleaned before its language could be told, not
        to wait most of a second for the model: clean it again in its language.
        """
        from tui.core.document import LONG_CHARS
        from tui.core.language import UNDETERMINED

        self.screen.status.set_progress(f"reading the corpus: {left:,} to go" if left else "")
        for pane in self.screen.panes():
            doc = pane.document
            if doc is None or doc.preview or doc.cleaned.language != UNDETERMINED:
                continue
            # A long article waits for the whole corpus to be read: it is cleaned again then, with the
            # corpus's evidence and in the language the cache told (not the model's), once (``use_evidence``).
            if len(doc.text) <= LONG_CHARS and pane.relanguage(doc.rel):
                pane.open(doc.rel, pane.selection_source(), same_text=True)

    def notes_of(self, article: Article) -> tuple[list[Annotation], dict[int, bool]] | None:
        """An article's annotations and overrides, re-anchored if it changed (in a pane's read worker)."""
        from tui.core.document import article_ref

        def query(store: Store) -> tuple[list[Annotation], dict[int, bool]]:
            ref = article_ref(article)
            store.sync(ref, article.text)
            return self.screen.notes.shown(store.annotations(ref.path)), store.overrides(ref.path)

        try:
            return self.screen.notes.read(query, None)
        except Exception as error:  # a damaged notes file: the article still shows, the error says why
            self.screen.app.call_from_thread(self.screen.say, str(error))
            return None
