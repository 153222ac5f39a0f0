"""The annotation store: TinyDB files in a notes folder, durable, locked, versioned.

Layout of a notes folder:

    dossier.json           schema version, tag vocabulary, article index
    articles/<key>.json    one file per annotated article: its path and hash,
                           its annotations and its cleaning overrides
    .lock, .lock.owner     the write lock and who holds it

``Store`` opens the folder (taking the write lock, or falling back to
read-only), upgrades older schemas and gives the annotations' operations;
``ArticleFiles`` (``articles.py``) owns the article files and their index,
``Vocabulary`` (``tags.py``) the tags, ``files.py`` the atomic writes.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from .anchor import reanchor, remap_lines
from .articles import ArticleFile, ArticleFiles
from .files import (
    ARTICLES_DIR,
    MAIN_FILE,
    SCHEMA_VERSION,
    TMP_SUFFIX,
    AtomicJSONStorage,
    LockedError,
    ReadOnlyError,
    StoreError,
    WriteLock,
    check_main,
    now,
)
from .model import Annotation, ArticleRef, SyncReport, Target, make_target, sha256_text
from .repair import migrate_v1, salvage
from .tags import DEFAULT_TAGS, Tag, TagError, Vocabulary

__all__ = ["Annotation", "ArticleRef", "LockedError", "ReadOnlyError", "Store", "StoreError", "TagError", "sync_folder"]


class Store:
    """The notes of one folder. Open with `Store.open`; one writer per folder at a time.

    Not thread-safe: call it from one thread at a time.
    """

    def __init__(self, folder: Path, readonly: bool, lock: WriteLock | None, holder: str | None) -> None:
        """Use `Store.open`; this only sets the fields."""
        self.folder = folder
        self.readonly = readonly
        #: Who holds the write lock when this store fell back to read-only.
        self.holder = holder
        self._lock = lock
        self._main: TinyDB | None = None
        self._files: ArticleFiles | None = None
        self._vocabulary: Vocabulary | None = None
        self._hashed: tuple[str, str] | None = None  # (text, its sha256): the last text hashed

    # --- opening and closing ------------------------------------------------

    @classmethod
    def open(cls, folder: str | os.PathLike[str], mode: str = "auto", wait: float = 0.0) -> Store:
        """Open the notes in `folder`, migrating an older schema.

        mode "write" takes the write lock (waiting up to `wait` seconds) or
        raises LockedError naming the holder; "read" never writes; "auto"
        writes if it can and otherwise opens read-only, with `holder` set.
        Raises StoreError naming the file if a notes file is damaged.
        """
        if mode not in ("auto", "write", "read"):
            raise ValueError(f"mode must be auto, write or read, not {mode!r}")
        folder = Path(folder)
        lock = None
        holder = None
        if mode != "read":
            (folder / ARTICLES_DIR).mkdir(parents=True, exist_ok=True)
            lock = WriteLock(folder)
            if not lock.acquire(wait):
                holder = lock.holder()
                if mode == "write":
                    raise LockedError(f"{folder}: notes are being written by {holder}; close it and try again")
                lock = None
        store = cls(folder, readonly=lock is None, lock=lock, holder=holder)
        try:
            store._load()
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def repair(cls, folder: str | os.PathLike[str]) -> list[str]:
        """Salvage a damaged notes folder: rewrite what can be read, keep every original file.

        Needs the write lock (LockedError naming the holder otherwise). After
        salvage the folder is opened once for writing, which adopts article
        files missing from the index, finishes an interrupted tag operation
        and removes leftover temporary files. Returns what was done, one line each.
        """
        folder = Path(folder)
        if not folder.is_dir():
            raise StoreError(f"{folder}: no notes folder here")
        lock = WriteLock(folder)
        if not lock.acquire():
            raise LockedError(f"{folder}: notes are being written by {lock.holder()}")
        try:
            actions = salvage(folder, [asdict(t) for t in DEFAULT_TAGS])
        finally:
            lock.release()
        cls.open(folder, mode="write").close()
        return actions

    def close(self) -> None:
        """Release the lock and the files; the store cannot be used afterwards."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        if self._files is not None:
            self._files.close()
        self._main = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _load(self) -> None:
        """Read the main file, create or migrate it, index the article files."""
        main = self._open_main()
        data = main.storage.read()
        if data is None:
            main.storage.write({
                "meta": {"1": {"schema": SCHEMA_VERSION, "created": now()}},
                "tags": {str(i): asdict(t) for i, t in enumerate(DEFAULT_TAGS, 1)},
                "articles": {},
            })
        elif "annotations" in data and "articles" not in data:
            if self.readonly:
                raise StoreError(f"{self.folder}: notes use an older schema; open them for writing once to upgrade")
            migrate_v1(self.folder, data, [asdict(t) for t in DEFAULT_TAGS])
            main = self._open_main()
        meta = main.table("meta").get(doc_id=1)
        schema = meta.get("schema") if isinstance(meta, dict) else None
        if schema != SCHEMA_VERSION:
            age = "newer than" if isinstance(schema, int) and schema > SCHEMA_VERSION else "not"
            raise StoreError(f"{self.folder / MAIN_FILE}: schema {schema} is {age} one this Dossier reads ({SCHEMA_VERSION})")
        self._files = ArticleFiles(self.folder, main.table("articles"), self.readonly)
        self._files.load()
        self._vocabulary = Vocabulary(main, self._files, self._refusal())
        if not self.readonly:
            self._vocabulary.finish_pending()
            for tmp in self.folder.rglob(f".*{TMP_SUFFIX}"):
                tmp.unlink()  # we hold the lock, so no write is under way

    def _open_main(self) -> TinyDB:
        self._main = TinyDB(self.folder / MAIN_FILE, storage=AtomicJSONStorage, check=check_main, readonly=self.readonly)
        return self._main

    @property
    def files(self) -> ArticleFiles:
        """The article files and their index."""
        if self._files is None:
            raise StoreError(f"{self.folder}: the notes are closed")
        return self._files

    @property
    def vocabulary(self) -> Vocabulary:
        """The tag vocabulary: add, rename, recolour, move and remove tags."""
        if self._vocabulary is None:
            raise StoreError(f"{self.folder}: the notes are closed")
        return self._vocabulary

    def tags(self) -> list[Tag]:
        """The tag vocabulary in its order."""
        return self.vocabulary.all()

    def _refusal(self) -> str | None:
        """Why a write is refused, or None if the store is writable."""
        if not self.readonly:
            return None
        why = f"notes are being written by {self.holder}" if self.holder else "the store was opened read-only"
        return f"{self.folder}: cannot save: {why}"

    def _writable(self) -> None:
        """Refuse a write on a read-only store, saying why it is read-only."""
        refusal = self._refusal()
        if refusal is not None:
            raise ReadOnlyError(refusal)

    def _file_for(self, ref: ArticleRef, text: str, first: list[dict[str, Any]]) -> ArticleFile:
        """The article file for `ref`, re-anchored if its text changed; created holding `first` if new."""
        if self._sha256(text) != ref.sha256:
            raise ValueError(f"{ref.path}: the text given does not match the article's sha256")
        found = self.files.of_path(ref.path)
        if found is None:
            return self.files.new(ref, first)
        self.sync(ref, text)
        return found

    def _sha256(self, text: str) -> str:
        """sha256_text(text), remembered for the last text object (the reader passes the same 5 MB text on every edit)."""
        cached = self._hashed
        if cached is not None and cached[0] is text:  # the cache holds the object, so its id cannot be reused
            return cached[1]
        digest = sha256_text(text)
        self._hashed = (text, digest)
        return digest

    # --- annotations --------------------------------------------------------

    def add(self, ref: ArticleRef, text: str, start: int, end: int, tags: Iterable[str] = (), note: str = "") -> Annotation:
        """Save a new annotation on text[start:end] of article `ref`; returns it once durable.

        `text` is the article's current text (its hash must be ref.sha256).
        Tag names are matched to the vocabulary (ignoring case if that is
        unambiguous); an unknown one raises TagError listing the known tags.
        """
        self._writable()
        names = self.vocabulary.resolve(tags)
        stamp = now()
        ann = Annotation(str(uuid.uuid4()), ref, make_target(text, start, end), tuple(names), note, stamp, stamp)
        file = self._file_for(ref, text, [ann.to_dict()])
        if ann.id not in file.doc_ids:  # the article's file existed: one write adds the annotation
            file.doc_ids[ann.id] = file.annotations.insert(ann.to_dict())
        self.files.placed(ann.id, file)
        return ann

    def get(self, annotation_id: str) -> Annotation:
        """The annotation with this id; KeyError if there is none."""
        file = self.files.locate(annotation_id)
        return Annotation.from_dict(file.raw()[str(file.doc_ids[annotation_id])])

    def update(self, annotation_id: str, *, tags: Iterable[str] | None = None, note: str | None = None) -> Annotation:
        """Replace the tags and/or the note of an annotation; returns it once durable."""
        self._writable()
        file = self.files.locate(annotation_id)
        changes: dict[str, Any] = {"updated": now()}
        if tags is not None:
            changes["tags"] = self.vocabulary.resolve(tags)
        if note is not None:
            changes["note"] = note
        file.annotations.update(changes, doc_ids=[file.doc_ids[annotation_id]])
        return self.get(annotation_id)

    def delete(self, annotation_id: str) -> None:
        """Remove an annotation for good (orphans are only removed this way, by the user)."""
        self._writable()
        file = self.files.locate(annotation_id)
        file.annotations.remove(doc_ids=[file.doc_ids.pop(annotation_id)])
        self.files.placed(annotation_id, None)

    def annotations(self, path: str) -> list[Annotation]:
        """The annotations of the article at `path`, in text order, orphans last."""
        file = self.files.of_path(path)
        if file is None:
            return []
        return sorted((Annotation.from_dict(d) for d in file.raw().values()), key=lambda a: (a.orphan, a.target.start, a.target.end))

    def all_annotations(self) -> list[Annotation]:
        """Every annotation in the store, by article path then position (reads every article file)."""
        return [ann for path in self.files.paths() for ann in self.annotations(path)]

    def articles(self) -> dict[str, ArticleRef]:
        """Every article with notes, by path, as last seen (its hash may be stale)."""
        return self.files.refs()

    def import_annotations(self, annotations: Iterable[Annotation]) -> int:
        """Add annotations as they are (ids, dates, targets kept); ids already stored are skipped.

        Meant for migrations, salvage and bulk loads: one write per article.
        Returns how many were added.
        """
        self._writable()
        files = self.files
        files.all()
        groups: dict[str, list[Annotation]] = {}
        for ann in annotations:
            if not files.holds(ann.id):
                groups.setdefault(ann.article.path, []).append(ann)
        new = []
        for path, anns in groups.items():
            file = files.of_path(path)
            if file is None:
                file = files.new(anns[0].article, [a.to_dict() for a in anns], index=False)
                new.append((file.key, anns[0].article))
            else:
                for doc_id, ann in zip(file.annotations.insert_multiple(a.to_dict() for a in anns), anns, strict=True):
                    file.doc_ids[ann.id] = doc_id
            for ann in anns:
                files.placed(ann.id, file)
        files.index(new)
        return sum(map(len, groups.values()))

    # --- re-anchoring -------------------------------------------------------

    def sync(self, ref: ArticleRef, text: str) -> dict[str, int] | None:
        """Bring the notes of the article at ref.path up to date with its current `text`.

        If the stored hash differs, every annotation (orphans included) is
        re-anchored and the result saved (kept in memory only on a read-only
        store). Returns counts by method (exact, nearest, fuzzy, orphan), or
        None if nothing had to change.
        """
        stored = self.files.stored_hash(ref.path)
        file = self.files.of_path(ref.path)
        if file is None or stored == ref.sha256:
            return None
        counts = {"exact": 0, "nearest": 0, "fuzzy": 0, "orphan": 0}
        docs = {}
        for doc in file.annotations.all():
            placed = reanchor(Target.from_dict(doc["target"]), text)
            counts[placed.method] += 1
            new = dict(doc, article={"path": ref.path, "sha256": ref.sha256}, orphan=placed.target is None)
            if placed.target is not None:
                new["target"] = placed.target.to_dict()
            docs[doc.doc_id] = new
        file.rewrite(ref, docs, remap_lines(file.overrides.all(), text))
        self.files.index([(file.key, ref)])
        return counts

    def sync_corpus(self, articles: Iterable[ArticleRef], read_text: Callable[[ArticleRef], str]) -> SyncReport:
        """Follow renames and edits across a whole corpus listing.

        An article whose path is gone but whose hash now appears under a new
        path without notes is moved there; an article at the same path with
        a new hash is re-anchored (`read_text` is called only for those).
        Notes of articles found under no path are kept and reported missing.
        """
        current = {ref.path: ref for ref in articles}
        report = SyncReport()
        known = self.files.refs()
        by_sha: dict[str, list[ArticleRef]] = {}
        for ref in current.values():
            if ref.path not in known:
                by_sha.setdefault(ref.sha256, []).append(ref)
        for key, stored in self.files.indexed():
            found = current.get(stored.path)
            if found is not None:
                if found.sha256 != stored.sha256:
                    report.reanchored[found.path] = self.sync(found, read_text(found))
            elif by_sha.get(stored.sha256):
                new = by_sha[stored.sha256].pop(0)
                self.files.move(key, new)
                report.renamed.append((stored.path, new.path))
            else:
                report.missing.append(stored.path)
        return report

    # --- cleaning overrides -------------------------------------------------

    def overrides(self, path: str) -> dict[int, bool]:
        """The analyst's cleaning overrides of an article: 1-based source line -> keep."""
        file = self.files.of_path(path)
        if file is None:
            return {}
        return {o["line"]: o["keep"] for o in file.overrides.all() if not o.get("orphan")}

    def set_override(self, ref: ArticleRef, text: str, line: int, keep: bool | None) -> None:
        """Force line `line` (1-based) of the article kept (True) or dropped (False); None clears it.

        The line's text is stored with it, so that the override follows its
        line when the article is edited (and is set aside if the line is gone).
        """
        self._writable()
        lines = text.split("\n")
        if not 1 <= line <= len(lines):
            raise ValueError(f"{ref.path}: line {line} is outside the article's {len(lines)} lines")
        table = self._file_for(ref, text, []).overrides
        table.remove(Query().line == line)
        if keep is not None:
            table.insert({"line": line, "text": lines[line - 1], "keep": keep})


def sync_folder(store: Store, root: str | os.PathLike[str]) -> tuple[list[Any], list[Any], SyncReport]:
    """Read a corpus folder and bring the store in line with it: (articles, skipped, report).

    Renamed articles keep their notes and edited ones are re-anchored; this
    is the one place renames are noticed, so exports and new annotations
    call it first.
    """
    from tui.core.corpus import load_corpus

    articles, skipped = load_corpus(root)
    by_path = {article.rel: article for article in articles}
    report = store.sync_corpus([ArticleRef(a.rel, a.sha256) for a in articles], lambda ref: by_path[ref.path].text)
    return articles, skipped, report
