"""An article pane: the article wanted, its read number, its document, and the view that draws it.

The reader has one article pane; compare mode puts a second one on the
right. Each pane reads its article in its own thread worker (the article,
its notes, the cleaner; a long article's opening first), numbers its reads
so that an older read finishing late is dropped, and keeps the ``Document``
on show. The keys that act on a passage (tags, note, the next annotated or
untagged passage) are bound here, so they act on the pane the analyst is
in; what they change goes up to the screen as an ``Edit`` message.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message

from tui.core.corpus import Article, ArticleError, read_article
from tui.core.document import LONG_CHARS, Document, clean_document, preview_document
from tui.core.language import UNDETERMINED
from tui.core.neutral import for_terminal
from tui.reader.messages import DocumentRead, DocumentUnreadable
from tui.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from tui.core.evidence import Evidence
    from tui.core.notes.model import Annotation
    from tui.core.notes.tags import Tag
    from tui.core.tag_expression import TagExpression
    from tui.reader.notes_service import Call

MAIN, SIDE = "article", "compare"

#: What a pane asks of the notes for an article it read: its annotations and
#: overrides, or None while the notes are not open yet.
NotesOf = Callable[[Article], "tuple[list[Annotation], dict[int, bool]] | None"]
#: The language of an article's text, when the corpus cache has identified it (None: not known).
LanguageOf = Callable[[Article], "str | None"]


class ArticlePane(Vertical):
    """One article on screen, read off the event loop, with the keys that annotate it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(str(n), f"tag({n})", f"Toggle tag {n}", id=f"tag{n}", show=False) for n in range(1, 10)],
        Binding("n", "note", "Note", id="note"),
        Binding("right_square_bracket", "annotated(1)", "Next annotated", id="next_annotated", show=False),
        Binding("left_square_bracket", "annotated(-1)", "Previous annotated", id="prev_annotated", show=False),
        Binding("w", "next_untagged", "Next untagged paragraph", id="next_untagged", show=False),
        Binding("R", "whole_page", "Whole page as scraped / cleaned text", id="whole_page", show=False),
    ]

    @dataclass
    class Edit(Message):
        """Save this change to the notes (``label`` names it in the status line)."""

        label: str
        call: Call

    @dataclass
    class Shown(Message):
        """A document (or a message instead of one) landed in the pane."""

        pane: ArticlePane

    @dataclass
    class Say(Message):
        """Tell the analyst something in the status line (why a key did nothing)."""

        text: str

    def __init__(self, root: Path, notes_of: NotesOf, *, title: str, id: str) -> None:
        super().__init__(id=id)
        self.root = root
        self._relanguaged: set[str] = set()  # articles read again once the language model was loaded
        self._reading = threading.Lock()  # held by the read worker cleaning an article
        self._notes_of = notes_of
        # Given once the corpus cache is open (``Startup``): the article is cleaned in the language the
        # cache identified, so the language model is never loaded for it. None: identified when cleaned.
        self.language_of: LanguageOf | None = None
        self.title = title
        self.view = ArticleView()
        self.wanted: str | None = None  # the article last asked for
        self.document: Document | None = None  # the article on show
        self.notes_missing = False  # the document was read before the notes were open
        self.memo = False  # the article on show has a memo (shown on the bottom edge)
        self.tags: list[Tag] = []
        self.only: str | None = None  # the tag filter: show only this tag's passages (or the expression's, as written)
        self.expression: TagExpression | None = None  # the tag filter, when it is an expression (F)
        self.whole = False  # every line of the page shown, not only what the cleaner kept
        self._cleaned: Document | None = None  # while ``whole``: the document as the cleaner left it
        self.evidence: Evidence | None = None  # the corpus's recurring lines, once every article is read
        self.locked = False  # compare mode: scrolling locked to the other pane
        self.analyst: str | None = None  # review mode: only this analyst's annotations are drawn here
        self._read = 0  # the number of the latest read
        self._then: tuple[str, Callable[[ArticlePane], object]] | None = None  # run once that article is shown

    def compose(self) -> ComposeResult:
        yield self.view

    def on_mount(self) -> None:
        self.retitle()

    def retitle(self) -> None:
        """Name the pane, its cursor's step, and the filter and lock in force."""
        parts = ["Whole page" if self.whole else self.title, f"{self.view.step}s"]
        if self.only:
            parts.append(f"only {self.only}")
        if self.locked:
            parts.append("locked")
        if self.analyst:
            parts.append(self.analyst)
        # A Text, not a str: Textual reads a str title as markup, and a tag may be called "[/]".
        self.border_title = Text(for_terminal(" · ".join(parts)))

    def on_article_view_selection_changed(self) -> None:
        self.retitle()  # the step may have changed (the message goes on up to the screen)

    def show_only(self, tag: str | None) -> None:
        """Show only the passages tagged ``tag`` (None: every passage)."""
        self.only, self.expression = tag, None
        self.view.show_only(tag)
        self.retitle()

    def show_matching(self, expression: TagExpression) -> None:
        """Show only the passages of annotations whose tags satisfy ``expression``."""
        self.only, self.expression = str(expression), expression
        self.view.show_only(self.only, expression.matches)
        self.retitle()

    def set_locked(self, locked: bool) -> None:
        """Say whether the pane's scrolling is locked to the other pane's."""
        self.locked = locked
        self.retitle()

    # --- reading ----------------------------------------------------------

    def open(self, rel: str, keep_source: int | None = None, same_text: bool = False) -> None:
        """Read and clean ``rel`` off the event loop; the cursor goes near source offset ``keep_source``.

        ``same_text``: only the cleaning changes (the corpus's recurring lines, the language), so the
        text on show is cleaned again rather than read (and, for a while, held) a second time.
        """
        self.wanted = rel
        if self._then is not None and self._then[0] != rel:
            self._then = None  # the analyst went elsewhere before the passage was shown
        # A thread worker cannot be stopped: an older read may still finish after this one
        # (the same article before an override, say). Its number tells it is stale.
        self._read += 1
        doc = self.document
        # The opening of a long article is on show: clean the whole of the text it was read from,
        # rather than read (and hold) a second copy of, say, 50 MB.
        opening = doc.article if doc is not None and (doc.preview or same_text) and doc.rel == rel else None
        self._read_article(rel, keep_source, self._read, opening)

    def open_then(self, rel: str, then: Callable[[ArticlePane], object]) -> None:
        """Show ``rel`` (read it if it is not on show whole), then call ``then(pane)``."""
        if self.document is not None and self.document.rel == rel and not self.document.preview:
            then(self)
            return
        self._then = (rel, then)
        self.open(rel)

    def use_evidence(self, evidence: Evidence) -> None:
        """Clean with the corpus's recurring lines from now on; the article on show too, if any of its lines recur."""
        self.evidence = evidence
        doc = self.document
        if doc is not None:  # read again in the worker, which asks the evidence (SQLite) off the event loop
            self.open(doc.rel, self.selection_source(), same_text=True)

    def relanguage(self, rel: str) -> bool:
        """Whether ``rel``, cleaned before its language could be told, is still to be cleaned again in it (once)."""
        if rel in self._relanguaged:
            return False
        self._relanguaged.add(rel)
        return True

    def forget_reads(self) -> None:
        """Make every read under way stale (the panes are being swapped)."""
        self._read += 1

    @work(thread=True, exclusive=True, group="read")
    def _read_article(self, rel: str, keep_source: int | None, read: int, opening: Article | None = None) -> None:
        # One read at a time: a newer read cancels this worker but cannot stop its thread, and two
        # cleanings of a 50 MB article at once held twice its transient memory. A read that waited
        # for an older one and has itself been overtaken since gives way.
        with self._reading:
            if read == self._read:
                self._read_now(rel, keep_source, read, opening)

    def _read_now(self, rel: str, keep_source: int | None, read: int, opening: Article | None) -> None:
        try:
            article = opening or read_article(self.root, rel)
        except ArticleError as error:
            self.post_message(DocumentUnreadable(read, rel, str(error)))
            return
        notes = self._notes_of(article)
        annotations, overrides = notes if notes is not None else ([], {})
        if keep_source is None and opening is None:
            early = preview_document(article, overrides, annotations, self.evidence)
            if early is not None:  # a long article: its opening first, then the whole
                self.post_message(DocumentRead(read, early, None, notes is not None))
        language = self.language_of(article) if self.language_of is not None else None
        if language is None and len(article.text) > LONG_CHARS:
            # Not the language model (70 MB) for one long article: the cache's reading process identifies
            # its language, and the pane cleans it again in it with the corpus's evidence (``use_evidence``).
            language = UNDETERMINED
        cleaned = clean_document(article, overrides, annotations, self.evidence, language)
        self.post_message(DocumentRead(read, cleaned, keep_source, notes is not None))

    def on_document_read(self, message: DocumentRead) -> None:
        message.stop()
        if self.accepts(message.document.rel, message.read):
            self.show(message.document, message.keep_source, message.with_notes)

    def on_document_unreadable(self, message: DocumentUnreadable) -> None:
        message.stop()
        if self.accepts(message.rel, message.read):
            self.show_message(f"{message.rel} cannot be read: {message.reason}")

    def accepts(self, rel: str, read: int | None) -> bool:
        """Whether a read of ``rel`` numbered ``read`` (None: not a read) is still wanted here."""
        return rel == self.wanted and (read is None or read == self._read)

    def show(self, document: Document, keep_source: int | None = None, with_notes: bool = True) -> None:
        """Put ``document`` on show; the cursor goes near source offset ``keep_source``."""
        previous = self.document
        if previous is not None and previous.preview and previous.rel == document.rel:
            if document.preview:
                return
            if keep_source is None:
                keep_source = self.selection_source()  # where the analyst got to in the opening
            document = document.with_annotations(previous.annotations)  # the notes may have reported since the read
        if self.whole and not document.whole:
            self._cleaned = document
            document = document.whole_page()
        self.document = document
        self.notes_missing = not with_notes
        keep = document.cleaned.to_clean(keep_source) if keep_source is not None else None
        if previous is None or previous.rel != document.rel:
            self.memo = False  # told again once the notes say (the reader asks them for the main pane)
        self.set_memo(self.memo)
        self._draw_marks()
        self.view.set_article(document.cleaned, keep)
        self.post_message(self.Shown(self))
        if self._then is not None and self._then[0] == document.rel and not document.preview:
            then, self._then = self._then[1], None
            then(self)

    def set_memo(self, has_memo: bool) -> None:
        """Say on the pane's bottom edge, beside the article's path, whether it has a memo (M opens it)."""
        self.memo = has_memo
        if self.document is not None:
            self.border_subtitle = Text(for_terminal(self.document.rel) + (" · ✎ memo (M)" if has_memo else ""))

    def show_message(self, message: str) -> None:
        """Show a line of text (reading, an error) instead of an article; keys act on nothing."""
        self.document = None
        self.view.show_message(message)
        self.post_message(self.Shown(self))

    def set_annotations(self, annotations: list[Annotation] | tuple[Annotation, ...]) -> None:
        """The notes of the article on show changed: colour them again."""
        if self.document is not None:
            self.document = self.document.with_annotations(annotations)
            self._draw_marks()

    def take(self, documents: Mapping[str, Document]) -> None:
        """A notes report: show this pane's article as it now is, if the report has it."""
        doc = self.document
        new = documents.get(doc.rel) if doc is not None else None
        if doc is None or new is None or new.article.sha256 != doc.article.sha256:
            return
        self.notes_missing = False
        if dict(new.overrides) != dict(doc.overrides):
            self.show(new, self.selection_source())  # an override: the article was cleaned again
        elif new.annotations != doc.annotations:
            self.set_annotations(new.annotations)

    def action_whole_page(self) -> None:
        """Show every line of the page as it was scraped, or the cleaned text again (the cursor stays on its words)."""
        if self.document is None:
            return
        keep, annotations = self.selection_source(), self.document.annotations
        self.whole = not self.whole
        document = self.document if self.whole or self._cleaned is None else self._cleaned
        self._cleaned = None
        self.show(document.with_annotations(annotations), keep)
        self.retitle()

    def set_tags(self, tags: list[Tag]) -> None:
        """The vocabulary changed: number keys and colours follow it."""
        self.tags = tags
        self._draw_marks()

    def show_analyst(self, name: str | None) -> None:
        """Draw only ``name``'s annotations in this pane (review mode), or all the notes give it (None)."""
        self.analyst = name
        self._draw_marks()
        self.retitle()

    def _draw_marks(self) -> None:
        doc, only = self.document, self.analyst
        if doc is not None:
            shown = doc.annotations if only is None else [a for a in doc.annotations if a.analyst == only]
            self.view.set_marks(doc.marks(shown), {t.name: t.colour for t in self.tags})

    # --- where the cursor is ------------------------------------------------

    def selection_source(self) -> int | None:
        """Where the selection starts in the source text (None without one)."""
        span = self.selected_source()
        return span[0] if span else None

    def selected_source(self) -> tuple[int, int] | None:
        """The selection in source offsets, if the view shows this pane's document and has one."""
        doc, selected = self.document, self.view.selected
        if doc is None or self.view.cleaned is not doc.cleaned or not doc.cleaned.kept or selected is None:
            return None
        if selected[0] >= selected[1]:
            return None
        return doc.to_source(*selected)

    def select_annotation(self, annotation: Annotation | None) -> bool:
        """Select an annotation's passage; False (and say why) if it cannot be shown."""
        doc = self.document
        if annotation is None or doc is None:
            self.post_message(self.Say("that annotation is gone (deleted or undone)"))
            return False
        if annotation.orphan:
            self.post_message(self.Say("an orphan has no place in the text: delete it, or edit the article back"))
            return False
        marks = doc.marks([annotation])
        if not marks:
            self.post_message(self.Say("its passage is in a dropped line: override the line to see it"))
            return False
        if not self.view.select(marks[0].start, marks[0].end):
            self.post_message(self.Say("that passage is hidden by the tag filter (f shows the next tag, then all)"))
            return False
        return True

    # --- keys -----------------------------------------------------------------

    def _target(self) -> tuple[Document, int, int] | None:
        """The document and the selection in source offsets, or None (and say why)."""
        span = self.selected_source()
        if self.document is None or span is None:
            self.post_message(self.Say("nothing selected"))
            return None
        return self.document, span[0], span[1]

    def action_tag(self, number: int) -> None:
        """Toggle tag ``number`` on the selection."""
        if number > len(self.tags):
            self.post_message(self.Say(f"no tag {number}: press t to add tags"))
            return
        target = self._target()
        if target:
            doc, start, end = target
            name = self.tags[number - 1].name
            self.post_message(self.Edit(name, lambda h: h.toggle_tag(doc.ref, doc.text, start, end, name)))

    def action_note(self) -> None:
        """Open the note editor for the selection."""
        target = self._target()
        if not target:
            return
        doc, start, end = target
        old = doc.covering(start, end)
        before = old.note if old else ""

        def save(note: str | None) -> None:
            if note is not None and note != before:
                self.post_message(self.Edit("note", lambda h: h.set_note(doc.ref, doc.text, start, end, note)))

        from tui.screens.note_editor import NoteEditor  # its TextArea loads on first use, not before the first screen

        self.app.push_screen(NoteEditor(doc.text[start:end], before), save)

    def action_annotated(self, direction: int) -> None:
        """Jump to the next (1) or previous (-1) annotated passage."""
        selected = self.view.selected
        if self.document is None or selected is None:
            return
        marks = sorted(self.document.marks(), key=lambda m: (m.start, m.end))
        if direction > 0:
            found = next((m for m in marks if (m.start, m.end) > selected), None)
        else:
            found = next((m for m in reversed(marks) if (m.start, m.end) < selected), None)
        if found is None:
            self.post_message(self.Say("no more annotated passages this way"))
        else:
            self.view.select(found.start, found.end)

    def action_next_untagged(self) -> None:
        """Move the cursor to the next paragraph that no annotation touches."""
        from tui.core.overview import next_untagged

        if self.document is None:
            return
        selected = self.view.selected
        found = next_untagged(self.view.paragraphs, self.document.tagged_spans(), selected[0] if selected else -1)
        if found is None:
            self.post_message(self.Say("every paragraph of this article is tagged"))
        elif not self.view.select(*found):
            self.post_message(self.Say("the next untagged paragraph is hidden by the tag filter (f)"))
