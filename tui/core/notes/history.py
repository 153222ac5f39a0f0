"""The reader's edits to the annotation store, with undo and redo.

Each edit saves through the store straight away and records how to undo and
redo it; undo of a deletion restores the very same annotation (same id,
dates and target) through ``Store.import_annotations``. The reader's notes
service runs every call here on its one store thread, in the order the keys
were pressed (the store is not thread-safe).

No Textual here: the history is plain Python, so it is tested without a screen.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .files import now
from .model import Annotation, ArticleRef, make_target
from .store import Store
from .tags import Tag


@dataclass
class Edit:
    """One undoable change: what it did, and how to undo and redo it."""

    label: str
    path: str | None  # the article it touched (None for tag-vocabulary edits)
    undo: Callable[[], object]
    redo: Callable[[], object]
    annotations_unchanged: bool = False  # a tag moved or recoloured, an attribute or memo edited: no annotation changed


def _nothing() -> None:
    """Undo and redo of what the analyst did not do."""


class NothingToDo(Exception):
    """Undo or redo with an empty history."""


class History:
    """One open notes folder and the undo and redo stacks of this run's edits."""

    def __init__(self, store: Store) -> None:
        """Wrap an open store; call ``History.open`` to open one."""
        self.store = store
        self._undo: list[Edit] = []
        self._redo: list[Edit] = []

    @classmethod
    def open(cls, folder: Path, analyst: str | None = None) -> History:
        """Open the notes folder: for writing, or read-only if another process holds it; new annotations are `analyst`'s."""
        history = cls(Store.open(folder, mode="auto"))
        if analyst is not None:
            history.store.analyst = analyst
        return history

    def close(self) -> None:
        """Release the store's lock."""
        self.store.close()

    # --- history -----------------------------------------------------------

    def _did(self, edit: Edit) -> Edit:
        self._undo.append(edit)
        self._redo.clear()
        return edit

    def undo(self) -> Edit:
        """Undo the last edit; raises NothingToDo when there is none."""
        if not self._undo:
            raise NothingToDo("nothing to undo")
        edit = self._undo[-1]
        edit.undo()
        self._redo.append(self._undo.pop())
        return edit

    def redo(self) -> Edit:
        """Redo the last undone edit; raises NothingToDo when there is none."""
        if not self._redo:
            raise NothingToDo("nothing to redo")
        edit = self._redo[-1]
        edit.redo()
        self._undo.append(self._redo.pop())
        return edit

    # --- annotations -------------------------------------------------------

    def covering(self, path: str, start: int, end: int) -> Annotation | None:
        """The store's analyst's own annotation of ``path`` that covers exactly ``start:end`` (source offsets).

        Another analyst's on the same span is theirs: a tag key never adds to it.
        """
        for ann in self.store.annotations(path):
            if not ann.orphan and ann.target.start == start and ann.target.end == end and ann.analyst == self.store.analyst:
                return ann
        return None

    def follow_corpus(self, articles: Sequence[ArticleRef], read_text: Callable[[ArticleRef], str]) -> Edit | None:
        """Bring the notes in line with the corpus as it is on disk: renamed articles, edited ones.

        Not the analyst's change, so there is nothing to undo; returns an
        ``Edit`` (every article's counts may have changed) only if notes moved.
        """
        report = self.store.sync_corpus(articles, read_text)
        if not self.store.readonly:  # a read-only store followed in memory: what it holds is the following
            self.store.forget_loaded()  # it loaded every annotated article's file: not kept for the session
        if not (report.renamed or report.reanchored):
            return None
        moved = len(report.renamed) + len(report.reanchored)
        return Edit(f"notes of {moved} renamed or edited article(s) followed", None, _nothing, _nothing)

    def toggle_tag(self, ref: ArticleRef, text: str, start: int, end: int, tag: str) -> Edit:
        """Add ``tag`` to the annotation covering exactly ``start:end``, or remove it; create one if none.

        An annotation left with no tag and no note is deleted.
        """
        store = self.store
        old = self.covering(ref.path, start, end)
        if old is None:
            new = store.add(ref, text, start, end, [tag])
            return self._did(Edit(f"tagged {tag}", ref.path, lambda: store.delete(new.id), lambda: store.import_annotations([new])))
        tags = [t for t in old.tags if t != tag] if tag in old.tags else [*old.tags, tag]
        label = f"{'untagged' if tag in old.tags else 'tagged'} {tag}"
        if not tags and not old.note:
            store.delete(old.id)
            return self._did(Edit(label, ref.path, lambda: store.import_annotations([old]), lambda: store.delete(old.id)))
        store.update(old.id, tags=tags)
        return self._did(
            Edit(label, ref.path, lambda: store.update(old.id, tags=old.tags), lambda: store.update(old.id, tags=tags))
        )

    def toggle_tag_of(self, annotation_id: str, tag: str) -> Edit:
        """Add ``tag`` to the annotation with this id, or remove it (orphans included).

        An annotation left with no tag and no note is deleted.
        """
        store = self.store
        old = store.get(annotation_id)
        [name] = store.vocabulary.resolve([tag])
        tags = [t for t in old.tags if t != name] if name in old.tags else [*old.tags, name]
        label = f"{'untagged' if name in old.tags else 'tagged'} {name}"
        if not tags and not old.note:
            store.delete(old.id)
            return self._did(Edit(label, old.article.path, lambda: store.import_annotations([old]), lambda: store.delete(old.id)))
        store.update(old.id, tags=tags)
        return self._did(
            Edit(label, old.article.path, lambda: store.update(old.id, tags=old.tags), lambda: store.update(old.id, tags=tags))
        )

    def set_note(self, ref: ArticleRef, text: str, start: int, end: int, note: str) -> Edit:
        """Set the note of the annotation covering exactly ``start:end``; create one if none."""
        store = self.store
        old = self.covering(ref.path, start, end)
        if old is None:
            new = store.add(ref, text, start, end, [], note)
            return self._did(Edit("note added", ref.path, lambda: store.delete(new.id), lambda: store.import_annotations([new])))
        if not note and not old.tags:
            store.delete(old.id)
            return self._did(Edit("note removed", ref.path, lambda: store.import_annotations([old]), lambda: store.delete(old.id)))
        store.update(old.id, note=note)
        return self._did(
            Edit("note saved", ref.path, lambda: store.update(old.id, note=old.note), lambda: store.update(old.id, note=note))
        )

    def accept(self, ref: ArticleRef, text: str, start: int, end: int, analysts: Sequence[str], into: str) -> Edit:
        """Copy the annotations of ``analysts`` overlapping source ``start:end`` to analyst ``into`` (review mode).

        Each copy keeps its span, tags and note under a new id; one ``into``
        already has (same span and tags) is not copied twice. When ``analysts``
        coded nothing there, a note-only annotation on ``start:end`` records
        the choice (see ``tui.core.review``). Undo deletes the copies.
        """
        from tui.core.review import overlapping

        store = self.store
        mine = store.annotations(ref.path)
        have = {(a.target.start, a.target.end, a.tags) for a in mine if a.analyst == into}
        stamp, copies = now(), []
        for old in overlapping(mine, analysts, start, end):
            key = (old.target.start, old.target.end, old.tags)
            if key not in have:
                have.add(key)
                copies.append(replace(old, id=str(uuid.uuid4()), analyst=into, created=stamp, updated=stamp))
        who = " and ".join(analysts)
        if not copies and not overlapping(mine, analysts, start, end):
            note = f"review: accepted {who}, who coded nothing here"
            copies = [Annotation(str(uuid.uuid4()), ref, make_target(text, start, end), (), note, stamp, stamp, analyst=into)]
        if not copies:
            raise NothingToDo(f"{into} already has {who}'s coding of this passage")
        store.import_annotations(copies)

        def undo() -> None:
            for copy in copies:
                store.delete(copy.id)

        return self._did(Edit(f"accepted {who} into {into}", ref.path, undo, lambda: store.import_annotations(copies)))

    def delete(self, annotation_id: str) -> Edit:
        """Delete an annotation (orphans included); undo brings it back unchanged."""
        store = self.store
        old = store.get(annotation_id)
        store.delete(annotation_id)
        return self._did(
            Edit("annotation deleted", old.article.path, lambda: store.import_annotations([old]), lambda: store.delete(old.id))
        )

    def override(self, ref: ArticleRef, text: str, line: int, keep: bool | None) -> Edit:
        """Force source line ``line`` kept or dropped (None: back to the cleaner's decision)."""
        store = self.store
        before = store.overrides(ref.path).get(line)
        store.set_override(ref, text, line, keep)
        what = "kept" if keep else "dropped" if keep is not None else "back to the cleaner"
        return self._did(
            Edit(
                f"line {line} {what}", ref.path,
                lambda: store.set_override(ref, text, line, before),
                lambda: store.set_override(ref, text, line, keep),
            )
        )

    # --- attributes and memos ----------------------------------------------

    def set_attributes(self, ref: ArticleRef, text: str, changes: Mapping[str, str | None]) -> Edit:
        """Edit an article's attributes (``""`` clears one, None gives the extracted value back); undo restores them.

        Raises ``FactError`` for a key or value the analyst cannot set (see
        ``tui.core.facts.analyst_value``), before anything is saved.
        """
        attributes = self.store.attributes
        before = attributes.set(ref, text, changes)
        after = attributes.of(ref.path)
        done = {name: after.get(name) for name in before}
        names = ", ".join(before) or "nothing"
        return self._did(
            Edit(
                f"{names} set", ref.path,
                lambda: attributes.set(ref, text, before), lambda: attributes.set(ref, text, done), annotations_unchanged=True,
            )
        )

    def set_memo(self, ref: ArticleRef, text: str, memo: str) -> Edit:
        """Replace an article's memo (``""`` removes it); undo brings the old one back."""
        memos = self.store.memos
        before = memos.set(ref, text, memo)
        label = "memo saved" if memo.strip() else "memo removed"
        return self._did(
            Edit(label, ref.path, lambda: memos.set(ref, text, before), lambda: memos.set(ref, text, memo), annotations_unchanged=True)
        )

    def set_corpus_memo(self, memo: str) -> Edit:
        """Replace the corpus memo (``""`` removes it); undo brings the old one back."""
        memos = self.store.memos
        before = memos.set_corpus(memo)
        label = "corpus memo saved" if memo.strip() else "corpus memo removed"
        return self._did(
            Edit(label, None, lambda: memos.set_corpus(before), lambda: memos.set_corpus(memo), annotations_unchanged=True)
        )

    # --- tag vocabulary ----------------------------------------------------

    def add_tag(self, name: str, colour: str) -> Edit:
        """Add a tag to the vocabulary; undo removes it again."""
        tags = self.store.vocabulary
        tag = tags.add(name, colour)
        return self._did(
            Edit(f"tag {name} added", None, lambda: tags.remove(tag.name, force=True), lambda: tags.add(tag.name, tag.colour, tag.key))
        )

    def rename_tag(self, old: str, new: str) -> Edit:
        """Rename a tag everywhere; undo renames it back."""
        tags = self.store.vocabulary
        tags.rename(old, new)
        return self._did(Edit(f"tag {old} renamed {new}", None, lambda: tags.rename(new, old), lambda: tags.rename(old, new)))

    def recolour_tag(self, name: str, colour: str) -> Edit:
        """Give a tag a new colour; undo restores the old one."""
        tags = self.store.vocabulary
        before = tags.get(name).colour
        tags.edit(name, colour=colour)
        return self._did(
            Edit(
                f"tag {name} recoloured", None,
                lambda: tags.edit(name, colour=before), lambda: tags.edit(name, colour=colour), annotations_unchanged=True,
            )
        )

    def move_tag(self, name: str, delta: int) -> Edit:
        """Move a tag ``delta`` places up (negative) or down the vocabulary; its number key follows. Undo moves it back."""
        tags = self.store.vocabulary
        names = [t.name for t in tags.all()]
        before = names.index(name)
        after = min(max(0, before + delta), len(names) - 1)
        if after == before:
            raise NothingToDo(f"tag {name} is already {'first' if delta < 0 else 'last'}")
        tags.move(name, after)
        return self._did(
            Edit(
                f"tag {name} moved to {after + 1}", None,
                lambda: tags.move(name, before), lambda: tags.move(name, after), annotations_unchanged=True,
            )
        )

    def remove_tag(self, name: str) -> Edit:
        """Remove a tag from the vocabulary and every annotation; undo puts it back on them."""
        store, tags = self.store, self.store.vocabulary
        position, tag = next((n, t) for n, t in enumerate(tags.all()) if t.name == name)
        # Remember which annotations carried it, so undo can give it back.
        carriers = [a for a in store.all_annotations() if tag.name in a.tags]
        tags.remove(name, force=True)
        undo = self._giving_back(tag, position, carriers)
        return self._did(Edit(f"tag {name} removed", None, undo, lambda: tags.remove(name, force=True)))

    def describe_tag(self, name: str, description: str) -> Edit:
        """Give a tag a new description (its coding rule; ``""`` removes it); undo restores the old one."""
        tags = self.store.vocabulary
        before = tags.get(name).description
        after = tags.edit(name, description=description).description
        label = f"tag {name} described" if after else f"tag {name}: description removed"
        return self._did(
            Edit(
                label, None,
                lambda: tags.edit(name, description=before), lambda: tags.edit(name, description=after), annotations_unchanged=True,
            )
        )

    def place_tag(self, name: str, key: int) -> Edit:
        """Put a tag on number key ``key`` (1 is the first tag): it moves to that place; undo moves it back."""
        names = [t.name for t in self.store.vocabulary.all()]
        if not 1 <= key <= min(9, len(names)):
            raise NothingToDo(f"key {key} is not a tag's place: use 1 to {min(9, len(names))}")
        return self.move_tag(name, key - 1 - names.index(name))

    def merge_tag(self, source: str, into: str) -> Edit:
        """Merge tag ``source`` into ``into`` on every annotation, and drop ``source``; undo brings both back as they were."""
        store, tags = self.store, self.store.vocabulary
        target = tags.get(into)
        position, tag = next((n, t) for n, t in enumerate(tags.all()) if t.name == tags.get(source).name)
        # The annotations that carried it, as they were, so undo can give each its own tags back.
        carriers = [a for a in store.all_annotations() if tag.name in a.tags]
        tags.merge(tag.name, target.name)
        undo = self._giving_back(tag, position, carriers)
        return self._did(
            Edit(f"tag {tag.name} merged into {target.name}", None, undo, lambda: tags.merge(tag.name, target.name))
        )

    def _giving_back(self, tag: Tag, position: int, carriers: list[Annotation]) -> Callable[[], None]:
        """The undo of removing ``tag`` (or merging it away): back in the vocabulary at ``position``, and on its annotations.

        Each of ``carriers`` (as it was before) gets its own tags again: the
        tag back, and any other tag only if it still has it (a merge's
        target only if it had it before; one removed since stays removed).
        """
        store, tags = self.store, self.store.vocabulary

        def undo() -> None:
            tags.add(tag.name, tag.colour, tag.key if tag.key not in {t.key for t in tags.all()} else None, tag.description)
            tags.move(tag.name, position)  # back on its number key
            for ann in carriers:
                try:
                    current = store.get(ann.id)
                except KeyError:
                    continue
                store.update(ann.id, tags=[t for t in ann.tags if t == tag.name or t in current.tags])

        return undo
