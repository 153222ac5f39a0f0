"""The reader's editing keys: tags, notes, undo, overrides, the tag manager, the annotations pane.

A mixin of ``DossierApp`` (kept apart so each file reads in one sitting).
Every change goes through ``DossierApp.submit``: a thread worker, one store
call at a time, in the order the keys were pressed.
"""

from __future__ import annotations

from tui.screens.tag_manager import TagManager
from tui.widgets.article_view import ArticleView
from tui.widgets.indexer import marks_for
from tui.widgets.notes_pane import NotesPane
from tui.widgets.raw_view import RawView


class EditingActions:
    """Actions that change the notes; they need ``submit``, ``doc``, ``tags`` and ``_target`` of the app."""

    def action_tag(self, number: int) -> None:
        """Toggle tag ``number`` on the selection."""
        if number > len(self.tags):
            self._say(f"no tag {number}: press t to add tags")
            return
        target = self._target()
        if target:
            doc, start, end = target
            name = self.tags[number - 1].name
            self.submit(name, lambda s: s.toggle_tag(doc.ref, doc.article.text, start, end, name))

    def action_note(self) -> None:
        """Open the note editor for the selection."""
        target = self._target()
        if not target:
            return
        doc, start, end = target
        old = next((a for a in doc.annotations if not a.orphan and (a.target.start, a.target.end) == (start, end)), None)

        def save(note: str | None) -> None:
            if note is not None and (note != (old.note if old else "")):
                self.submit("note", lambda s: s.set_note(doc.ref, doc.article.text, start, end, note))

        from tui.screens.modals import NoteEditor  # its TextArea loads on first use, not before the first screen

        self.push_screen(NoteEditor(doc.article.text[start:end], old.note if old else ""), save)

    def action_undo(self) -> None:
        """Undo the last change."""
        self.submit("undo", lambda s: s.undo())

    def action_redo(self) -> None:
        """Redo the last undone change."""
        self.submit("redo", lambda s: s.redo())

    def action_annotated(self, direction: int) -> None:
        """Jump to the next (1) or previous (-1) annotated passage."""
        view, doc = self.view(self.pane), self.doc_in(self.pane)
        selected = view.selected
        if doc is None or selected is None:
            return
        marks = sorted(marks_for(doc.cleaned, doc.annotations), key=lambda m: (m.start, m.end))
        if direction > 0:
            found = next((m for m in marks if (m.start, m.end) > selected), None)
        else:
            found = next((m for m in reversed(marks) if (m.start, m.end) < selected), None)
        if found is None:
            self._say("no more annotated passages this way")
            return
        view.select(found.start, found.end)

    def action_override(self) -> None:
        """Keep a dropped raw line or drop a kept one (the line under the raw pane's cursor)."""
        line = self.query_one(RawView).current_line
        if self.doc is None or line is None:
            return
        if line.kind == "blank":
            self._say("a blank line has nothing to keep")
            return
        # An override that is set is cleared; otherwise the cleaner's decision is reversed.
        keep = None if line.overridden else not line.keep
        doc = self.doc
        self.submit(f"line {line.n}", lambda s: s.override(doc.ref, doc.article.text, line.n, keep))

    def action_tags(self) -> None:
        """Open the tag manager."""
        self.push_screen(TagManager(self.tags))

    def on_tag_manager_request(self, event: TagManager.Request) -> None:
        op, name, value = event.op, event.name, event.value
        if op == "remove":
            from tui.screens.modals import Confirm

            def answer(yes: bool | None) -> None:
                if yes:
                    self.submit(f"tag {name} removed", lambda s: s.remove_tag(name))

            self.push_screen(Confirm(f"Remove the tag {name!r} from the vocabulary and from every annotation?"), answer)
        elif op == "add":
            self.submit(f"tag {name} added", lambda s: s.add_tag(name, value))
        elif op == "rename":
            self.submit(f"tag {name} renamed", lambda s: s.rename_tag(name, value))
        elif op == "recolour":
            self.submit(f"tag {name} recoloured", lambda s: s.recolour_tag(name, value))
        elif op == "move":
            self.submit(f"tag {name} moved", lambda s: s.move_tag(name, int(value)))

    def on_notes_pane_jump(self, event: NotesPane.Jump) -> None:
        view = self.query_one(ArticleView)
        if self.doc is not None and self.select_annotation(self.doc, view, event.annotation):
            view.focus()

    def select_annotation(self, doc, view: ArticleView, ann) -> bool:
        """Select an annotation's passage in ``view``; False (and say why) if it cannot be shown."""
        if ann is None:
            self._say("that annotation is gone (deleted or undone)")
            return False
        if ann.orphan:
            self._say("an orphan has no place in the text: delete it, or edit the article back")
            return False
        mark = next(iter(marks_for(doc.cleaned, [ann])), None)
        if mark is None:
            self._say("its passage is in a dropped line: override the line to see it")
            return False
        if not view.select(mark.start, mark.end):
            self._say("that passage is hidden by the tag filter (f shows the next tag, then all)")
            return False
        return True

    def on_notes_pane_delete(self, event: NotesPane.Delete) -> None:
        from tui.screens.modals import Confirm

        ann = event.annotation

        def answer(yes: bool | None) -> None:
            if yes:
                self.submit("annotation deleted", lambda s: s.delete(ann.id))

        quote = " ".join(ann.target.exact.split()[:8])
        self.push_screen(Confirm(f"Delete the annotation on “{quote}…”? (u undoes it)"), answer)
