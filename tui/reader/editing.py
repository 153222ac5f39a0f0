"""The reader's changes to the notes: what a key asks for, and what a notes report changes on screen.

``Editing`` turns the analyst's requests (a tag or note from an article
pane, an override from the raw pane, a tag, jump or deletion in the
annotations pane, a change in the tag manager, undo and redo) into calls on
the notes service, each with the documents on screen so that the report
gives them back as they now are; and it spreads each ``NotesChanged``
report over the screen: status line, panes, list, annotations pane.
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from typing import TYPE_CHECKING

from tui.core.corpus import read_article
from tui.widgets.article_rows import tag_styles
from tui.widgets.drawing import UNDERLINE
from tui.widgets.notes_pane import NotesPane

if TYPE_CHECKING:
    from tui.core.cleaned import Line
    from tui.core.notes.history import Edit, History
    from tui.core.notes.model import Annotation, ArticleRef
    from tui.reader.host import ReaderHost
    from tui.reader.messages import NotesChanged
    from tui.reader.notes_service import Call


class Editing:
    """Requests to the notes service, and their outcome on the reader screen."""

    def __init__(self, screen: ReaderHost) -> None:
        self.screen = screen

    def submit(self, label: str, call: Call) -> None:
        """Save a change through the notes service; its report shows what it did."""
        self.screen.notes.submit(label, call, self.screen.shown_documents())
        self.screen.status.set_state("saving…")

    def changed(self, report: NotesChanged) -> None:
        """A store call finished: show its outcome and the notes as they now are."""
        screen = self.screen
        if report.opened:
            screen.notes_open = True
            missing = [p.document for p in screen.panes() if p.document is not None and p.notes_missing]
            if missing:
                screen.notes.refresh(missing)  # read before the notes were open: fetch their annotations
        if report.tags is not None and report.tags != screen.tags:
            screen.set_tags(report.tags)
        screen.status.report(report.label, report.error, report.read_only, report.pending)
        screen.status.set_whose(screen.notes.label())
        if report.opened and report.error:
            screen.status.set_state("notes not open")  # the error says why; the article is still read
        if report.notice:
            screen.status.set_notice(report.notice)  # until the first change saved: the analyst has seen it by then
        if report.counts or report.complete:
            screen.library.update_counts(report.counts, report.complete, report.counting)
        for pane in screen.panes():
            pane.take(report.documents)
        self.show_annotations()

    def show_annotations(self) -> None:
        """Show the main article's annotations in the raw pane and in the annotations pane (once made).

        One in a dropped line has no place in the cleaned text: the raw pane
        still colours it, and the annotations pane says it is hidden.
        """
        doc = self.screen.main.document
        if doc is None:
            return
        # The tag's colour, underlined: the raw pane's selection (its background) stays visible over it.
        styles = {tag.name: tag_styles(tag.colour)[1] + UNDERLINE for tag in self.screen.tags}
        self.screen.raw.set_marks(
            [(a.target.start, a.target.end, styles.get(a.tags[0], UNDERLINE) if a.tags else UNDERLINE)
             for a in doc.annotations if not a.orphan]
        )
        notes = self.screen.on_demand("notes", create=False)
        if isinstance(notes, NotesPane):
            shown = {mark.id for mark in doc.marks()}
            hidden = frozenset(a.id for a in doc.annotations if not a.orphan and a.id not in shown)
            notes.show(list(doc.annotations), {t.name: t.colour for t in self.screen.tags}, hidden)

    def follow_corpus(self, refs: list[ArticleRef]) -> None:
        """Every article is read: the notes follow articles renamed or edited since they were saved."""
        corpus = self.screen.corpus
        cache = self.screen.library.cache

        def follow(history: History) -> Edit | None:
            edit = history.follow_corpus(refs, lambda ref: read_article(corpus, ref.path).text)
            if cache is not None and not history.store.readonly:  # a read-only store followed in memory only
                with suppress(sqlite3.Error):
                    cache.set_followed(True)
            return edit

        self.screen.notes.submit(None, follow, self.screen.shown_documents())

    def override(self, line: Line) -> None:
        """Keep a dropped line of the main article, drop a kept one, or clear the override (the raw pane's ``o``)."""
        doc = self.screen.main.document
        if doc is None:
            return
        if line.kind == "blank":
            self.screen.say("a blank line has nothing to keep")
            return
        # An override that is set is cleared; otherwise the cleaner's decision is reversed.
        keep = None if line.overridden else not line.keep

        def save() -> None:
            self.submit(f"line {line.n}", lambda h: h.override(doc.ref, doc.text, line.n, keep))

        held = [a for a in doc.annotations if not a.orphan and a.target.start < line.end and a.target.end > line.start]
        if not held or keep is True or (keep is None and not line.keep):
            save()  # nothing will be hidden
            return
        from tui.screens.confirm import Confirm

        tags = sorted({t for a in held for t in a.tags}) or ["a note"]
        question = (
            f"Line {line.n} holds {len(held)} annotation(s) ({', '.join(tags)}). Dropping it hides them from the "
            "cleaned text: they stay in the notes, listed in the annotations pane and coloured in the raw pane. "
            "Drop the line? (u undoes it)"
        )
        self.screen.app.push_screen(Confirm(question), lambda yes: save() if yes else None)

    def jump(self, annotation: Annotation) -> None:
        """Select an annotation's passage in the main pane (the annotations pane's Enter)."""
        main = self.screen.main
        if main.select_annotation(main.document.annotation(annotation.id) if main.document else None):
            main.view.focus()

    def delete(self, annotation: Annotation) -> None:
        """Delete an annotation once the analyst confirms."""
        from tui.screens.confirm import Confirm

        def answer(yes: bool | None) -> None:
            if yes:
                self.submit("annotation deleted", lambda h: h.delete(annotation.id))

        quote = " ".join(annotation.target.exact.split()[:8])
        self.screen.app.push_screen(Confirm(f"Delete the annotation on “{quote}…”? (u undoes it)"), answer)

    def toggle(self, annotation: Annotation, number: int) -> None:
        """Toggle tag ``number`` on an annotation (the annotations pane's number keys)."""
        tags = self.screen.tags
        if number > len(tags):
            self.screen.say(f"no tag {number}: press t to add tags")
            return
        name = tags[number - 1].name
        self.submit(name, lambda h: h.toggle_tag_of(annotation.id, name))

    def vocabulary(self, op: str, name: str, value: str) -> None:
        """Change the vocabulary as the tag manager asks (a removal after a question)."""
        if op == "remove":
            from tui.screens.confirm import Confirm

            def answer(yes: bool | None) -> None:
                if yes:
                    self.submit(f"tag {name} removed", lambda h: h.remove_tag(name))

            self.screen.app.push_screen(Confirm(f"Remove the tag {name!r} from the vocabulary and from every annotation?"), answer)
        elif op == "add":
            self.submit(f"tag {name} added", lambda h: h.add_tag(name, value))
        elif op == "rename":
            self.submit(f"tag {name} renamed", lambda h: h.rename_tag(name, value))
        elif op == "recolour":
            self.submit(f"tag {name} recoloured", lambda h: h.recolour_tag(name, value))
        elif op == "move":
            self.submit(f"tag {name} moved", lambda h: h.move_tag(name, int(value)))
        elif op == "key":
            self.submit(f"tag {name} put on key {value}", lambda h: h.place_tag(name, int(value)))
        elif op == "describe":
            self.submit(f"tag {name} described", lambda h: h.describe_tag(name, value))
        elif op == "merge":
            self.submit(f"tag {name} merged into {value}", lambda h: h.merge_tag(name, value))
        elif op == "undo":
            self.submit("undo", lambda h: h.undo())

