"""The article files of a notes folder, and the index in the main file that finds them.

Each annotated article has its own TinyDB file, ``articles/<key>.json``: its
path and hash, its annotations (one per line) and its cleaning overrides. So
a save rewrites one article's file, and its cost does not grow with the
store. Article files are read when first needed.

A new article's file is named after its path (:func:`~.files.path_key`), so
it is found without an index: its first annotation writes that one file and
nothing that grows with the corpus. The index (the ``articles`` table of
``dossier.json``) names the files that cannot be found that way: those of
renamed articles, those made by older versions (random keys), and it holds
the "missing" flags. An article file with a random key that a crash left out
of the index is adopted from its own header when the folder is opened.

The header also records the length of the text the annotations were placed
on (``length``, absent when unknown): re-anchoring uses it to tell where text
was inserted, and ``doctor`` to find offsets beyond the end of the article.
"""

from __future__ import annotations

import uuid
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from .files import ARTICLES_DIR, KEY, Checker, Doc, StoreError, check_shard, load_json, path_key, storage
from .layout import SplitStorage, analyst_keys
from .model import ArticleRef


def header_length(header: object) -> int | None:
    """The text length an article file's header records, or None if it records none (or nonsense)."""
    length = header.get("length") if isinstance(header, dict) else None
    return length if isinstance(length, int) and not isinstance(length, bool) and length >= 0 else None


class ArticleFile:
    """One article file, loaded: its TinyDB tables and where each annotation id lives."""

    def __init__(self, key: str, db: TinyDB) -> None:
        self.key = key
        self.db = db
        self.annotations: Table = db.table("annotations")
        self.overrides: Table = db.table("overrides")
        self.doc_ids: dict[str, int] = {doc["id"]: int(i) for i, doc in self.raw().items()}

    @property
    def length(self) -> int | None:
        """The length of the text the annotations were placed on, if the header records it."""
        data: dict[str, Any] = self.db.storage.read() or {}
        return header_length(data.get("article", {}).get("1"))

    def raw(self) -> dict[str, dict[str, Any]]:
        """The stored annotation documents by doc id, read without TinyDB's per-document copies."""
        data: dict[str, Any] = self.db.storage.read() or {}
        annotations: dict[str, dict[str, Any]] = data.get("annotations", {})
        return annotations

    def rewrite(
        self, ref: ArticleRef, docs: dict[int, dict[str, Any]], overrides: list[dict[str, Any]], length: int | None
    ) -> None:
        """Write the header, annotations and overrides in one atomic write (`length`: of the text, None if unknown)."""
        data = dict(self.db.storage.read() or {})
        data["article"] = {"1": header(ref, length)}
        data["annotations"] = {str(i): d for i, d in docs.items()}
        data["overrides"] = {str(i): d for i, d in enumerate(overrides, 1)}
        self.db.storage.write(data)
        for table in (self.annotations, self.overrides):
            table.clear_cache()


def header(ref: ArticleRef, length: int | None) -> dict[str, Any]:
    """An article file's header: the article's path and hash, and the length of its text when known."""
    found: dict[str, Any] = {"path": ref.path, "sha256": ref.sha256}
    if length is not None:
        found["length"] = length
    return found


class ArticleFiles:
    """Which file holds each article's notes, and the files loaded so far.

    Owns the ``articles`` table of the main file and the ``articles/``
    folder; the store asks it for an article's file and tells it when an
    annotation moves in or out of one.
    """

    def __init__(
        self, folder: Path, index_table: Table, readonly: bool,
        preloaded: dict[str, Doc] | None = None, staged: dict[str, Path] | None = None,
        staged_analysts: dict[str, dict[str, Path]] | None = None,
    ) -> None:
        """`preloaded`: contents to use instead of the files (a read-only view of older notes);
        `staged`, `staged_analysts`: the shared files (by key) and analysts' files (by key, then analyst)
        of an unfinished commit, read in place of their targets (read-only)."""
        self.folder = folder
        self.readonly = readonly
        self._preloaded = preloaded or {}
        self._staged = staged or {}
        self._staged_analysts = staged_analysts or {}
        self._table = index_table
        self._files: dict[str, ArticleFile] = {}
        self._index: dict[str, dict[str, Any]] = {}  # key -> {"key", "path", "sha256"[, "missing"]}
        self._index_ids: dict[str, int] = {}  # key -> doc id in the articles table
        self._by_path: dict[str, str] = {}
        self._where: dict[str, str] = {}  # annotation id -> key of its loaded file
        # Files named after their path and not in the index, not read yet: read when their path is asked for.
        self._unread: set[str] = set()

    def db(self, path: Path, check: Checker) -> TinyDB:
        """A TinyDB on `path` with the atomic storage, read-only if the store is."""
        staged = self._staged_analysts.get(path.stem)
        return TinyDB(path, storage=SplitStorage, check=check, readonly=self.readonly, staged=staged)

    def load(self) -> None:
        """Read the index, list the files named after their path, adopt random-key files a crash left out."""
        for doc in self._table.all():
            self._index[doc["key"]] = dict(doc)  # {"key", "path", "sha256"} and "missing" if it is
            self._index_ids[doc["key"]] = doc.doc_id
            self._by_path[doc["path"]] = doc["key"]
        folder = self.folder / ARTICLES_DIR
        # An article only an analyst's file names (it came through git without its shared file): read like the rest.
        self._unread.update(k for k in analyst_keys(self.folder) if len(k) == len(path_key("")) and k not in self._index)
        # So does one an unfinished commit is still bringing (a read-only view sees the commit whole).
        self._unread.update(k for k in [*self._staged, *self._staged_analysts] if len(k) == len(path_key("")) and k not in self._index)
        if not folder.is_dir():
            return
        adopt = []
        for path in sorted(folder.glob("*.json")):
            if path.stem in self._index or not KEY.fullmatch(path.stem) or not path.is_file():
                continue  # indexed, or not a file the store wrote: doctor names it, repair sets it right
            if len(path.stem) == len(path_key("")):
                self._unread.add(path.stem)  # read when its article is asked for
            else:
                adopt.append(path.stem)
        for key in adopt:
            found = self.file(key).db.table("article").get(doc_id=1)
            if isinstance(found, dict) and found["path"] not in self._by_path:
                self.index([(key, ArticleRef(found["path"], found["sha256"]))])

    def _read_unread(self, keys: list[str], keep: bool = True) -> None:
        """Read the headers of files named after their path, and know them by their path from now on.

        A file whose header names a path another file already holds is left
        unused (``doctor`` reports it); one that cannot be read raises
        ``StoreError``, as any damaged notes file does. ``keep``: the files
        read for their header stay loaded (else each is let go once read).
        """
        for key in keys:
            self._unread.discard(key)
            held = key in self._files
            found = self.file(key).db.table("article").get(doc_id=1)
            if isinstance(found, dict) and found["path"] not in self._by_path:
                self._index[key] = {"key": key, "path": found["path"], "sha256": found["sha256"]}
                self._by_path[found["path"]] = key
            if not keep and not held:
                self.release(key)

    def _known(self, path: str) -> str | None:
        """The key of the file holding `path`'s notes, reading its file if it is named after the path."""
        key = self._by_path.get(path)
        if key is None and self._unread:
            derived = path_key(path)
            if derived in self._unread:
                self._read_unread([derived])
                key = self._by_path.get(path)
        return key

    def _read_all(self, keep: bool = True) -> None:
        """Know every article file (before a question about all of them); ``keep`` as ``_read_unread`` takes it."""
        if self._unread:
            self._read_unread(sorted(self._unread), keep)

    def close(self) -> None:
        """Forget the loaded files."""
        self._files.clear()

    # --- finding files ----------------------------------------------------

    def refs(self, keep: bool = True) -> dict[str, ArticleRef]:
        """Every article with notes, by path, as last seen (its hash may be stale).

        ``keep``: False for a pass that reads each file in turn (following a
        corpus): the files read only for their header are not kept loaded.
        """
        self._read_all(keep)
        return {e["path"]: ArticleRef(e["path"], e["sha256"]) for e in self._index.values()}

    def indexed(self) -> list[tuple[str, ArticleRef]]:
        """(key, reference) of every article file."""
        self._read_all()
        return [(key, ArticleRef(e["path"], e["sha256"])) for key, e in self._index.items()]

    def paths(self) -> list[str]:
        """The paths of every article with notes, sorted."""
        self._read_all()
        return sorted(self._by_path)

    def missing(self, path: str) -> bool:
        """Whether the article at `path` was not in the corpus the last time the notes were synced with one."""
        key = self._known(path)
        return key is not None and bool(self._index[key].get("missing"))

    def flag_missing(self, flags: dict[str, bool]) -> None:
        """Record which articles (by file key) are missing from the corpus: one write of the index at most.

        The flag lives in the index, not in the article files, so that a
        notes folder used with another corpus costs one write, not one per article.
        """
        changed = {key: gone for key, gone in flags.items() if bool(self._index[key].get("missing")) != gone}
        if not changed:
            return
        unlisted = [key for key, gone in changed.items() if gone and key not in self._index_ids]
        if unlisted:  # a file named after its path gets an index entry to hold its flag
            self._list([(key, self._index[key]) for key in unlisted])

        def apply(entry: MutableMapping[str, Any]) -> None:
            if changed.get(entry["key"]):
                entry["missing"] = True
            else:
                entry.pop("missing", None)

        self._table.update(apply, doc_ids=[self._index_ids[key] for key in changed if key in self._index_ids])
        for key in changed:
            apply(self._index[key])

    def stored_hash(self, path: str) -> str | None:
        """The text hash the notes of `path` were last anchored on, or None if it has none."""
        key = self._known(path)
        return None if key is None else self._index[key]["sha256"]

    def of_path(self, path: str) -> ArticleFile | None:
        """The article file of `path`, or None if the article has no notes."""
        key = self._known(path)
        return None if key is None else self.file(key)

    def file(self, key: str) -> ArticleFile:
        """The loaded article file `key` (read and checked on first use)."""
        found = self._files.get(key)
        if found is None:
            db = self.db(self.folder / ARTICLES_DIR / f"{key}.json", check_shard)
            waiting = self._staged.get(key)
            data = self._preloaded.get(key) if waiting is None else load_json(waiting)
            if data is not None:  # None: the staged file was put in place meanwhile, so the target is new
                faults = check_shard(data)
                if faults:
                    raise StoreError(f"{waiting or storage(db).path}: wrong shape: {faults[0]}")
                storage(db).preload(data)
            found = ArticleFile(key, db)
            self._files[key] = found
            for ann_id in found.doc_ids:
                self._where[ann_id] = key
        return found

    def loaded(self) -> frozenset[str]:
        """The keys of the files loaded (read and kept) so far."""
        return frozenset(self._files)

    def release(self, key: str) -> None:
        """Forget the loaded file `key` and where its annotations are: read again when next asked.

        For a pass over every file (following a corpus) that should not keep
        them all; only a file nothing has changed since it was loaded (its
        ``doc_ids`` are still its annotations) is released this way.
        """
        found = self._files.pop(key, None)
        if found is not None:
            for ann_id in found.doc_ids:
                if self._where.get(ann_id) == key:
                    del self._where[ann_id]

    def all(self) -> list[ArticleFile]:
        """Every article file, loaded."""
        self._read_all()
        return [self.file(key) for key in list(self._index)]

    def holds(self, annotation_id: str) -> bool:
        """Whether a loaded file holds this annotation id."""
        return annotation_id in self._where

    def locate(self, annotation_id: str) -> ArticleFile:
        """The article file holding `annotation_id` (loading every file if needed), or KeyError."""
        if annotation_id not in self._where:
            self.all()
        if annotation_id not in self._where:
            raise KeyError(f"no annotation with id {annotation_id}")
        return self.file(self._where[annotation_id])

    # --- changing files ---------------------------------------------------

    def placed(self, annotation_id: str, file: ArticleFile | None) -> None:
        """Record that an annotation now lives in `file` (None: it was deleted)."""
        if file is None:
            self._where.pop(annotation_id, None)
        else:
            self._where[annotation_id] = file.key

    def free_key(self, path: str) -> str:
        """The key a new article file for `path` gets: named after the path, or a random one if that name is taken."""
        key = path_key(path)
        if key in self._index or key in self._unread or (self.folder / ARTICLES_DIR / f"{key}.json").exists():
            key = uuid.uuid4().hex
        return key

    @staticmethod
    def named_by_path(key: str, path: str) -> bool:
        """Whether file `key` is named after `path`, so that it needs no index entry."""
        return key == path_key(path)

    def listed(self, key: str) -> bool:
        """Whether file `key` has an entry in the index."""
        return key in self._index_ids

    def new(
        self, ref: ArticleRef, annotations: list[dict[str, Any]], index: bool = True, length: int | None = None
    ) -> ArticleFile:
        """Write a new article file in one atomic write, then index it unless the caller batches that.

        The file is named after the article's path, so nothing else is
        written; only if that name is taken (by a renamed article's file)
        does it get a random one and an index entry.
        """
        key = self.free_key(ref.path)
        db = self.db(self.folder / ARTICLES_DIR / f"{key}.json", check_shard)
        found = db.storage.read()  # an analyst's file may already name the article (see ``layout.py``): kept
        old = list((found or {}).get("annotations", {}).values())
        db.storage.write({
            "article": {"1": header(ref, length)},
            "annotations": {str(i): doc for i, doc in enumerate([*old, *annotations], 1)},
            "overrides": {},
        })
        created = self.file(key)
        if index:
            self.index([(key, ref)])
        return created

    def index(self, pairs: list[tuple[str, ArticleRef]]) -> None:
        """Record (or update) which file holds each article's notes; new entries in one write.

        A file named after its article's path needs no entry (its header
        says the rest), so none is written for it.
        """
        new = []
        for key, ref in pairs:
            entry = {"key": key, "path": ref.path, "sha256": ref.sha256}
            old = self._index.get(key)
            if old is not None and self._by_path.get(old["path"]) == key:
                del self._by_path[old["path"]]
            if key in self._index_ids:
                self._table.update(entry, doc_ids=[self._index_ids[key]])
            elif key != path_key(ref.path):
                new.append((key, entry))
            self._index[key] = entry
            self._by_path[ref.path] = key
        if new:
            self._list(new)

    def _list(self, entries: list[tuple[str, dict[str, Any]]]) -> None:
        """Add index entries for these files, in one write."""
        docs = [dict(entry) for _, entry in entries]
        for (key, _), doc_id in zip(entries, self._table.insert_multiple(docs), strict=True):
            self._index_ids[key] = doc_id

    def move(self, key: str, ref: ArticleRef) -> None:
        """Give an article file a new path (a renamed article with the same text)."""
        moved = self.file(key)
        docs = {d.doc_id: dict(d, article={"path": ref.path, "sha256": ref.sha256}) for d in moved.annotations.all()}
        moved.rewrite(ref, docs, list(moved.overrides.all()), moved.length)
        self.index([(key, ref)])
