"""What the analyst says about an article and about the corpus: its attributes, its memo, the corpus memo.

``About`` opens the attribute editor (``i``), the article's memo (``M``) and
the corpus memo (``C``). What a dialog shows is gathered in a thread worker
(the notes through the notes service, the article's facts from its page,
text and the manifest); what it hands back is saved through the notes
service like every edit, so ``u`` undoes it and ctrl+r redoes it. After a
save, an undo or a redo that changed an article's attributes or memo
(``NotesChanged.described``) the article's facts are read again and given
to the list (``Library.facts_changed``), and the main pane says whether its
article has a memo.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import ModalScreen

    from tui.core.document import Document
    from tui.core.facts import Facts
    from tui.core.notes.history import Edit, History
    from tui.core.notes.store import Store
    from tui.reader.host import ReaderHost
    from tui.reader.messages import NotesChanged
    from tui.reader.notes_service import Call


class About:
    """The attribute editor, the memo editors and the memo indicator, for the reader screen."""

    def __init__(self, screen: ReaderHost) -> None:
        self.screen = screen

    def _article(self) -> Document | None:
        """The main pane's article, if a dialog about it can open now (else why not, in the status line)."""
        doc = self.screen.main.document
        if doc is None:
            self.screen.say("no article on show")
        elif doc.preview:
            self.screen.say("the article is still being read")
        elif not self.screen.notes_open:
            self.screen.say("the notes are not open yet")
        else:
            return doc
        return None

    def _submit(self, label: str, call: Call) -> None:
        """Save through the notes service, as every edit is (so undo and redo know it)."""
        self.screen.notes.submit(label, call, self.screen.shown_documents())
        self.screen.status.set_state("saving…")

    def facts_of(self, doc: Document, edits: dict[str, str]) -> Facts:
        """Every fact about ``doc``: its page, text and front matter, the manifest's row, the analyst's ``edits``.

        Run in a worker: the manifest is read and the text's facts found here.
        """
        from tui.core.catalogue import Catalogue
        from tui.core.facts import analyst_facts

        return Catalogue.of(self.screen.corpus).facts(doc).merged(analyst_facts(edits))

    # --- attributes ----------------------------------------------------------------

    def attributes(self) -> None:
        """Open the attribute editor on the main pane's article."""
        doc = self._article()
        if doc is not None:
            self.screen.run_in_thread(lambda: self._gather_attributes(doc), group="about")

    def _gather_attributes(self, doc: Document) -> None:
        app = self.screen.app
        try:
            none: dict[str, str] = {}
            edits = self.screen.notes.read(lambda store: store.attributes.of(doc.rel), none)
            facts = self.facts_of(doc, edits)
        except Exception as error:  # a damaged notes file or manifest: say which
            app.call_from_thread(self.screen.say, str(error))
            return
        app.call_from_thread(self._show_attributes, doc, facts, edits)

    def _show_attributes(self, doc: Document, facts: Facts, edits: dict[str, str]) -> None:
        from tui.screens.attributes import AttributeEditor, attributes_of

        def save(changes: dict[str, str | None] | None) -> None:
            if changes:
                self._submit(", ".join(changes), lambda h: h.set_attributes(doc.ref, doc.text, changes))

        self.screen.app.push_screen(AttributeEditor(doc.title or doc.rel, attributes_of(facts, edits)), save)

    # --- memos -----------------------------------------------------------------------

    def memo(self) -> None:
        """Open the main pane's article's memo."""
        doc = self._article()
        if doc is None:
            return

        def save(history: History, text: str) -> Edit:
            return history.set_memo(doc.ref, doc.text, text)

        self._open_memo("Article memo", f"the memo of {doc.title or doc.rel}", lambda store: store.memos.of(doc.rel), save)

    def corpus_memo(self) -> None:
        """Open the corpus memo (the research question, the coding rules)."""
        if not self.screen.notes_open:
            self.screen.say("the notes are not open yet")
            return
        self._open_memo(
            "Corpus memo", f"the memo of the corpus {self.screen.corpus}", lambda store: store.memos.corpus(),
            lambda history, text: history.set_corpus_memo(text),
        )

    def _open_memo(self, title: str, about: str, read: Callable[[Store], str], save: Callable[[History, str], Edit]) -> None:
        """Read a memo in a worker, open the editor on it, save what it hands back if it changed."""
        from tui.screens.memo_editor import MemoEditor

        screen = self.screen

        def edited(before: str, text: str | None) -> None:
            if text is not None and text != before:
                self._submit("memo" if text.strip() else "memo removed", lambda h: save(h, text))

        def gather() -> None:
            try:
                memo = screen.notes.read(read, "")
            except Exception as error:  # a damaged notes file: say which
                screen.app.call_from_thread(screen.say, str(error))
                return
            screen.app.call_from_thread(self._show_memo, MemoEditor(title, about, memo), lambda text: edited(memo, text))

        screen.run_in_thread(gather, group="about")

    def _show_memo(self, editor: ModalScreen[str | None], then: Callable[[str | None], None]) -> None:
        self.screen.app.push_screen(editor, then)

    # --- what the rest of the reader shows --------------------------------------------

    def shown(self) -> None:
        """Another article is in the main pane: say whether it has a memo."""
        doc = self.screen.main.document
        if doc is not None and not doc.preview and self.screen.notes_open:
            self._refresh(doc.rel, with_facts=False)

    def changed(self, report: NotesChanged) -> None:
        """A store call finished: an article's attributes or memo may have changed (or the notes just opened)."""
        if report.opened:
            self.shown()
        elif report.described is not None and not report.error:
            self._refresh(report.described, with_facts=True)

    def _refresh(self, rel: str, with_facts: bool) -> None:
        """Read ``rel``'s memo (and facts) again in a worker; the main pane and the list follow."""
        screen = self.screen
        main = screen.main.document

        def query(store: Store) -> tuple[bool, dict[str, str], dict[int, bool]]:
            return bool(store.memos.of(rel).strip()), store.attributes.of(rel), store.overrides(rel)

        def work() -> None:
            from tui.core.document import open_document

            try:
                nothing: tuple[bool, dict[str, str], dict[int, bool]] = (False, {}, {})
                has_memo, edits, overrides = screen.notes.read(query, nothing)
                facts = None
                if with_facts:
                    doc = main if main is not None and main.rel == rel else open_document(screen.corpus, rel, overrides)
                    facts = self.facts_of(doc, edits)
            except Exception as error:  # gone or unreadable (ArticleError), a damaged notes file or manifest: say which
                screen.app.call_from_thread(screen.say, str(error))
                return
            screen.app.call_from_thread(self._apply, rel, has_memo, facts)

        # One group per article: a later refresh of the same article replaces an earlier one, not another's.
        screen.run_in_thread(work, group=f"about:{rel}")

    def _apply(self, rel: str, has_memo: bool, facts: Facts | None) -> None:
        doc = self.screen.main.document
        if doc is not None and doc.rel == rel:
            self.screen.main.set_memo(has_memo)
        if facts is not None:
            self.screen.library.facts_changed(rel, facts)
