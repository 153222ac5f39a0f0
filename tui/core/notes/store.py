"""The annotation store: TinyDB files in a notes folder, durable, locked, versioned.

Layout of a notes folder (``layout.py`` says how it is shared through git):

    dossier.json           schema version, tag vocabulary, article index, the corpus memo
    articles/<key>.json    one file per annotated article: its path and hash,
                           its cleaning overrides, the analysts' attribute
                           edits and its memo
    analysts/<NAME>/articles/<key>.json   NAME's annotations of that article
    local.json             this machine's own: the analyst at work, the corpus last used
    .lock, .lock.owner     the write lock and who holds it

``Store`` opens the folder (taking the write lock, or falling back to
read-only when another process holds it or the folder cannot be written),
upgrades older schemas and gives the annotations' operations;
``ArticleFiles`` (``articles.py``) owns the article files and their index,
``Vocabulary`` (``tags.py``) the tags, ``files.py`` the atomic writes,
``importing.py`` bulk additions (all or nothing, through ``commit.py``),
``renames.py`` following articles across a corpus listing, and
``attributes.py`` and ``memos.py`` the analyst's attribute edits and memos.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import Query, TinyDB

from . import importing, renames
from .analysts import DEFAULT_ANALYST, write_gitignore
from .anchor import reanchor, remap_lines
from .articles import ArticleFile, ArticleFiles
from .attributes import Attributes
from .commit import finish, leftovers, listed, staged_analyst_files, staged_files
from .corpus_record import CorpusRecord
from .files import (
    ARTICLES_DIR,
    MAIN_FILE,
    SCHEMA_VERSION,
    AtomicJSONStorage,
    Doc,
    LockedError,
    NotWritableError,
    ReadOnlyError,
    SaveError,
    StoreError,
    WriteLock,
    annotation_faults,
    check_main,
    describe,
    is_text,
    now,
    storage,
    temporary_files,
    unwritable,
)
from .layout import analyst_temporary_files, upgrade
from .memos import Memos
from .model import Annotation, ArticleRef, SyncReport, Target, make_target, sha256_text
from .repair import migrate_v1
from .salvage import salvage
from .schema1 import convert, is_schema1
from .tags import DEFAULT_TAGS, Tag, TagError, Vocabulary, record

if TYPE_CHECKING:
    from tui.core.corpus import Article

__all__ = [
    "Annotation", "ArticleRef", "LockedError", "NotWritableError", "ReadOnlyError", "SaveError", "Store", "StoreError",
    "TagError", "sync_articles",
]

#: Told who holds the lock when a writer has to wait for it.
Waiting = Callable[[str], object]


class Store:
    """The notes of one folder. Open with `Store.open`; one writer per folder at a time.

    Not thread-safe: call it from one thread at a time.
    """

    def __init__(self, folder: Path, readonly: bool, lock: WriteLock | None, holder: str | None, why: str | None = None) -> None:
        """Use `Store.open`; this only sets the fields."""
        self.folder = folder
        self.readonly = readonly
        #: Who holds the write lock when this store fell back to read-only.
        self.holder = holder
        #: Why this store is read-only (another process, a read-only folder, mode "read"); None if it is not.
        self.read_only_reason = (why or "the store was opened read-only") if readonly else None
        self._lock = lock
        self._main: TinyDB | None = None
        self._files: ArticleFiles | None = None
        self._vocabulary: Vocabulary | None = None
        self._hashed: tuple[str, str] | None = None  # (text, its sha256): the last text hashed
        #: Who new annotations are by (``analysts.py``); the caller sets it after opening.
        self.analyst = DEFAULT_ANALYST

    # --- opening and closing ------------------------------------------------

    @classmethod
    def open(cls, folder: str | os.PathLike[str], mode: str = "auto", wait: float = 0.0, waiting: Waiting | None = None) -> Store:
        """Open the notes in `folder`, migrating an older schema.

        mode "write" takes the write lock (waiting up to `wait` seconds, and
        telling `waiting` who holds it if that takes a moment) or raises
        LockedError naming the holder, or NotWritableError if the folder
        cannot be written; "read" never writes and never locks; "auto"
        writes if it can and otherwise opens read-only, saying why in
        `read_only_reason`. Raises StoreError naming the file if a notes
        file is damaged.
        """
        if mode not in ("auto", "write", "read"):
            raise ValueError(f"mode must be auto, write or read, not {mode!r}")
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"{folder}: not a folder (the notes folder must be a folder, not a file)")
        lock = holder = why = None
        if mode == "read":
            why = "the store was opened read-only"
        else:
            try:
                lock = cls._take_lock(folder, wait, waiting)
            except LockedError as exc:
                if mode == "write":
                    raise
                holder, why = exc.holder, f"notes are being written by {exc.holder}"
            except NotWritableError as exc:
                if mode == "write":
                    raise
                why = exc.why
        store = cls(folder, readonly=lock is None, lock=lock, holder=holder, why=why)
        try:
            store._load()
        except BaseException:
            store.close()
            raise
        return store

    @staticmethod
    def _take_lock(folder: Path, wait: float, waiting: Waiting | None, articles: bool = True) -> WriteLock:
        """The write lock of `folder` (created, with its articles folder, if needed); LockedError or NotWritableError."""
        problem = unwritable(folder, articles)
        if problem is not None:
            raise NotWritableError(f"{folder}: cannot write the notes: {problem}", problem)
        try:
            (folder / ARTICLES_DIR if articles else folder).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise NotWritableError(f"{folder}: cannot write the notes: {describe(exc)}", describe(exc)) from exc
        lock = WriteLock(folder)
        if not lock.acquire(wait, waiting):
            holder = lock.holder()
            waited = f" (waited {wait:g} s)" if wait > 0 else ""
            raise LockedError(f"{folder}: notes are being written by {holder}{waited}; close it and try again", holder)
        return lock

    @classmethod
    def repair(cls, folder: str | os.PathLike[str], wait: float = 0.0, waiting: Waiting | None = None) -> list[str]:
        """Salvage a damaged notes folder: rewrite what can be read, keep every original file.

        Needs the write lock (LockedError naming the holder otherwise). After
        salvage the folder is opened once for writing, which adopts article
        files missing from the index, finishes an interrupted tag operation
        or import and removes leftover temporary files. Returns what was done, one line each.
        """
        folder = Path(folder)
        if not folder.is_dir():
            raise StoreError(f"{folder}: no notes folder here")
        lock = cls._take_lock(folder, wait, waiting, articles=False)  # salvage sets the articles folder right
        store = cls(folder, readonly=False, lock=lock, holder=None)
        try:
            actions = salvage(folder, [record(t) for t in DEFAULT_TAGS])
            store._load()
        except OSError as exc:
            raise SaveError(
                f"{folder}: repair stopped: {describe(exc)}; every damaged file was copied before it was rewritten, "
                "so nothing is lost: run it again"
            ) from exc
        finally:
            store.close()
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
        """Read the main file, create or migrate it, finish an interrupted commit, index the article files."""
        defaults = [record(t) for t in DEFAULT_TAGS]
        main = self._open_main()
        data = main.storage.read()
        preloaded: dict[str, Doc] | None = None
        if data is None:
            main.storage.write({
                "meta": {"1": {"schema": SCHEMA_VERSION, "created": now()}},
                "tags": {str(i): record(t) for i, t in enumerate(DEFAULT_TAGS, 1)},
                "articles": {},
            })
        elif is_schema1(data):
            if self.readonly:  # upgraded in memory: nothing is written
                upgraded, preloaded = convert(data, defaults, str(self.folder / MAIN_FILE))
                storage(main).preload(upgraded)
            else:
                migrate_v1(self.folder, data, defaults)
                main = self._open_main()
        meta = main.table("meta").get(doc_id=1)
        schema = meta.get("schema") if isinstance(meta, dict) else None
        if schema not in (2, SCHEMA_VERSION):  # 2: the same files, annotations not yet in the analysts' own
            age = "newer than" if isinstance(schema, int) and schema > SCHEMA_VERSION else "not"
            raise StoreError(f"{self.folder / MAIN_FILE}: schema {schema} is {age} one this Dossier reads ({SCHEMA_VERSION})")
        staged, staged_analysts = {}, {}
        if listed(main.storage.read()) is not None:
            if self.readonly:
                staged = staged_files(self.folder, main.storage.read())
                staged_analysts = staged_analyst_files(self.folder, main.storage.read())
            else:
                finish(self.folder, storage(main))
                main = self._open_main()
        self._files = ArticleFiles(self.folder, main.table("articles"), self.readonly, preloaded, staged, staged_analysts)
        self._files.load()
        if not self.readonly and (schema == 2 or is_schema1(data or {})):
            upgrade((file.db for file in self._files.all()), main)  # annotations into their analysts' own files (``layout.py``)
        self._vocabulary = Vocabulary(main, self._files, self._refusal())
        self._vocabulary.finish_pending()  # on a read-only store, in memory only
        if not self.readonly:
            write_gitignore(self.folder)
            for tmp in [*temporary_files(self.folder), *analyst_temporary_files(self.folder), *leftovers(self.folder, main.storage.read())]:
                with contextlib.suppress(OSError):
                    tmp.unlink()  # we hold the lock, so no write is under way

    def forget_loaded(self) -> None:
        """Let go of every article file read so far (read again when next asked): after a pass over all of them."""
        self._reload()

    def _reload(self) -> None:
        """Read the folder again from disk (after a commit wrote behind TinyDB's back)."""
        if self._files is not None:
            self._files.close()
        self._load()

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

    @property
    def attributes(self) -> Attributes:
        """The analyst's edits of articles' attributes (date, outlet, author, URL, language, any other)."""
        return Attributes(self.files, lambda ref, text: self._file_for(ref, text, []), self._refusal())

    @property
    def memos(self) -> Memos:
        """The corpus memo and the articles' memos."""
        if self._main is None:
            raise StoreError(f"{self.folder}: the notes are closed")
        return Memos(self._main, self.files, lambda ref, text: self._file_for(ref, text, []), self._refusal())

    @property
    def corpus(self) -> CorpusRecord:
        """Which corpus these notes were last used with: opening them with another one says so (``corpus_record.py``)."""
        return CorpusRecord(self._main, self.folder, self._refusal())

    def _refusal(self) -> str | None:
        """Why a write is refused, or None if the store is writable."""
        if not self.readonly:
            return None
        return f"{self.folder}: cannot save: {self.read_only_reason}"

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
            return self.files.new(ref, first, length=len(text))
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
        ann = Annotation(str(uuid.uuid4()), ref, make_target(text, start, end), tuple(names), note, stamp, stamp, analyst=self.analyst)
        faults = annotation_faults(ann.to_dict())
        if faults:
            raise StoreError(f"not saved: {faults[0]}")
        file = self._file_for(ref, text, [ann.to_dict()])
        if ann.id not in file.doc_ids:  # the article's file existed: one write adds the annotation
            file.doc_ids[ann.id] = file.annotations.insert(ann.to_dict())
        self.files.placed(ann.id, file)
        return ann

    def get(self, annotation_id: str) -> Annotation:
        """The annotation with this id; KeyError if there is none."""
        file = self.files.locate(annotation_id)
        ann = Annotation.from_dict(file.raw()[str(file.doc_ids[annotation_id])])
        return replace(ann, orphan=True) if self.files.missing(ann.article.path) else ann

    def update(self, annotation_id: str, *, tags: Iterable[str] | None = None, note: str | None = None) -> Annotation:
        """Replace the tags and/or the note of an annotation; returns it once durable."""
        self._writable()
        file = self.files.locate(annotation_id)
        changes: dict[str, Any] = {"updated": now()}
        if tags is not None:
            changes["tags"] = self.vocabulary.resolve(tags)
        if note is not None:
            if not is_text(note):
                raise StoreError("not saved: 'note' is not valid Unicode text (it holds a lone surrogate)")
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
        """The annotations of the article at `path`, in text order, orphans last.

        All of them are orphans while the article is missing from the corpus
        (``renames.py`` flags it; the next sync with its text clears the flag).
        """
        file = self.files.of_path(path)
        if file is None:
            return []
        found = [Annotation.from_dict(d) for d in file.raw().values()]
        if self.files.missing(path):
            found = [replace(a, orphan=True) for a in found]
        return sorted(found, key=lambda a: (a.orphan, a.target.start, a.target.end))

    def all_annotations(self) -> list[Annotation]:
        """Every annotation in the store, by article path then position (reads every article file)."""
        return [ann for path in self.files.paths() for ann in self.annotations(path)]

    def articles(self) -> dict[str, ArticleRef]:
        """Every article with notes, by path, as last seen (its hash may be stale)."""
        return self.files.refs()

    def import_annotations(self, annotations: Iterable[Annotation], vocabulary: list[Tag] | None = None) -> int:
        """Add annotations as they are (ids, dates, targets, analysts kept); ids already stored are skipped; returns how many.

        Checked and matched to the vocabulary first, then written all or nothing (``importing.plan``, ``commit.py``).
        """
        return self.import_documents([ann.to_dict() for ann in annotations], vocabulary)

    def import_documents(self, documents: list[Doc], vocabulary: list[Tag] | None = None, checked: bool = False) -> int:
        """`import_annotations` of stored documents (which it may change; ``checked``: read from a store, which checked them)."""
        self._writable()
        assert self._main is not None
        # The commit writes behind TinyDB's back: whatever happens, the store then reads what is on disk (``_reload``).
        return importing.add(documents, self.tags(), self.files, storage(self._main), self._reload, vocabulary, checked)

    # --- re-anchoring -------------------------------------------------------

    def sync(self, ref: ArticleRef, text: str) -> dict[str, int] | None:
        """Bring the notes of the article at ref.path up to date with its current `text`.

        If the stored hash differs, or an annotation's offsets no longer
        hold its quote (damaged offsets: the hash alone would hide them),
        every annotation (orphans included) is re-anchored and the result
        saved (kept in memory only on a read-only store). Returns counts by
        method (exact, nearest, fuzzy, orphan), or None if nothing had to change.
        """
        file = self.files.of_path(ref.path)
        if file is None:
            return None
        self.files.flag_missing({file.key: False})  # here it is: not missing any more
        docs = file.raw()
        if self.files.stored_hash(ref.path) == ref.sha256 and all(
            d.get("orphan") or text[d["target"]["start"] : d["target"]["end"]] == d["target"]["exact"] for d in docs.values()
        ):
            return None
        counts = {"exact": 0, "nearest": 0, "fuzzy": 0, "orphan": 0}
        old_length = file.length
        placed_docs = {}
        for doc_id, doc in docs.items():
            placed = reanchor(Target.from_dict(doc["target"]), text, old_length)
            counts[placed.method] += 1
            new = dict(doc, article={"path": ref.path, "sha256": ref.sha256}, orphan=placed.target is None)
            if placed.target is not None:
                new["target"] = placed.target.to_dict()
            placed_docs[int(doc_id)] = new
        file.rewrite(ref, placed_docs, remap_lines(file.overrides.all(), text), len(text))
        self.files.index([(file.key, ref)])
        return counts

    def sync_corpus(self, articles: Iterable[ArticleRef], read_text: Callable[[ArticleRef], str]) -> SyncReport:
        """Follow renames and edits across a whole corpus listing (see ``renames.sync_corpus``)."""
        return renames.sync_corpus(self, list(articles), read_text)

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


def sync_articles(store: Store, articles: Sequence[Article]) -> SyncReport:
    """Bring the store in line with a corpus already read: renamed articles keep their notes, edited ones are re-anchored.

    This is the one place renames are noticed, so new annotations call it
    first (``export`` calls ``Store.sync_corpus`` with the cache's listing).
    On a read-only store nothing is written.
    """
    by_path = {article.rel: article for article in articles}
    return store.sync_corpus([ArticleRef(a.rel, a.sha256) for a in articles], lambda ref: by_path[ref.path].text)


def annotate_span(
    store: Store, ref: ArticleRef, text: str, start: int, end: int, tags: Sequence[str], note: str = ""
) -> tuple[Annotation, bool]:
    """Tag text[start:end]: the annotation already on exactly that span gains the tags (and the note), else a new one.

    Returns the annotation and whether it is new. The tags are added to the
    old annotation's, in its order then theirs; a note it does not hold yet
    goes under its own note on a line of its own, so no note is lost. An
    orphan is never added to: it holds no span of this text. Only the
    store's analyst's own annotation is added to: another analyst's on the
    same span stays theirs, and this one gets a new one.
    """
    same = next((ann for ann in store.annotations(ref.path) if not ann.orphan and ann.analyst == store.analyst
                 and (ann.target.start, ann.target.end) == (start, end)), None)
    if same is None:
        return store.add(ref, text, start, end, tags=tags, note=note), True
    names = [*same.tags, *(name for name in store.vocabulary.resolve(tags) if name not in same.tags)]
    held = same.note.strip()
    merged = same.note if not note.strip() or note.strip() in held else f"{same.note}\n{note}" if held else note
    if names == list(same.tags) and merged == same.note:
        return same, False
    return store.update(same.id, tags=names, note=merged), False
