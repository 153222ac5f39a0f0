"""The annotation store: TinyDB files in a notes folder, durable, locked, versioned.

Layout of a notes folder:

    dossier.json           schema version, tag vocabulary, article index
    articles/<key>.json    one file per annotated article: its path and hash,
                           its annotations and its cleaning overrides
    .lock, .lock.owner     the write lock and who holds it

A save rewrites one article's file only, so its cost grows with that
article's annotations, not with the store. Article files are read when first
needed, so opening a large store reads only the main file. The index in
dossier.json is written when an article is first annotated, renamed or
re-anchored; an article file that a crash left out of the index is adopted
from its own header on the next open.

Offsets are `str` indices into the article's decoded source text; an
article is named by `ArticleRef(path, sha256)` (path relative to the corpus).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tinydb import Query, TinyDB

from . import tags as vocab
from .anchor import Target, make_target, reanchor, remap_lines
from .refs import ArticleRef, sha256_text
from .storage import (
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
    check_shard,
    doctor,
    migrate_v1,
    now,
    salvage,
)
from .tags import DEFAULT_TAGS, TagError, TagOps

__all__ = [
    "Annotation", "ArticleRef", "LockedError", "ReadOnlyError", "Store", "StoreError", "TagError", "doctor", "repair",
]


@dataclass(frozen=True)
class Annotation:
    """One annotation; `orphan` means its quote could not be found in the article's current text."""

    id: str
    article: ArticleRef
    target: Target
    tags: tuple[str, ...]
    note: str
    created: str
    updated: str
    orphan: bool = False

    def to_dict(self) -> dict:
        """The JSON-ready form stored in the notes."""
        return {
            "id": self.id,
            "article": {"path": self.article.path, "sha256": self.article.sha256},
            "target": self.target.to_dict(),
            "tags": list(self.tags),
            "note": self.note,
            "created": self.created,
            "updated": self.updated,
            "orphan": self.orphan,
        }

    @classmethod
    def from_dict(cls, doc: dict) -> Annotation:
        """Rebuild an annotation from its stored form."""
        article = ArticleRef(doc["article"]["path"], doc["article"].get("sha256", ""))
        return cls(
            doc["id"], article, Target.from_dict(doc["target"]), tuple(doc["tags"]), doc["note"],
            doc["created"], doc["updated"], bool(doc.get("orphan", False)),
        )


@dataclass
class SyncReport:
    """What `Store.sync_corpus` did: renames followed, articles re-anchored, articles gone."""

    renamed: list[tuple[str, str]] = field(default_factory=list)
    reanchored: dict[str, dict[str, int]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


class _Shard:
    """One article file, loaded: its TinyDB and where each annotation id lives."""

    def __init__(self, key: str, db: TinyDB) -> None:
        self.key = key
        self.db = db
        self.annotations = db.table("annotations")
        self.overrides = db.table("overrides")
        self.doc_ids = {doc["id"]: int(i) for i, doc in self.raw().items()}

    def raw(self) -> dict[str, dict]:
        """The stored annotation documents by doc id, read without TinyDB's per-document copies."""
        return (self.db.storage.read() or {}).get("annotations", {})


class Store(TagOps):
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
        self._shards: dict[str, _Shard] = {}
        self._index: dict[str, dict] = {}  # key -> {"key", "path", "sha256"}
        self._index_ids: dict[str, int] = {}  # key -> doc id in the articles table
        self._by_path: dict[str, str] = {}
        self._where: dict[str, str] = {}  # annotation id -> key of its loaded shard
        self._hashed: tuple[str, str] | None = None  # (text, its sha256): the last text hashed

    # --- opening and closing ------------------------------------------------

    @classmethod
    def open(cls, folder: str | Path, mode: str = "auto", wait: float = 0.0) -> Store:
        """Open the notes in `folder`, migrating an older schema.

        mode "write" takes the write lock (waiting up to `wait` seconds) or
        raises LockedError naming the holder; "read" never writes; "auto"
        writes if it can and otherwise opens read-only, with `holder` set.
        Raises StoreError naming the file if a notes file is damaged.
        """
        if mode not in ("auto", "write", "read"):
            raise ValueError(f"mode must be auto, write or read, not {mode!r}")
        folder = Path(folder)
        lock = holder = None
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

    def close(self) -> None:
        """Release the lock and the files; the store cannot be used afterwards."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        self._shards.clear()
        self._main = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _db(self, path: Path, check: Callable[[dict], list[str]]) -> TinyDB:
        """A TinyDB on `path` with the atomic storage, read-only if the store is."""
        return TinyDB(path, storage=AtomicJSONStorage, check=check, readonly=self.readonly)

    def _load(self) -> None:
        """Read the main file, create or migrate it, index the article files."""
        self._main = self._db(self.folder / MAIN_FILE, check_main)
        data = self._main.storage.read()
        if data is None:
            self._init_main()
        elif "annotations" in data and "articles" not in data:
            if self.readonly:
                raise StoreError(f"{self.folder}: notes use an older schema; open them for writing once to upgrade")
            migrate_v1(self.folder, data, [asdict(t) for t in DEFAULT_TAGS])
            self._main = self._db(self.folder / MAIN_FILE, check_main)
        schema = self._meta().get("schema")
        if schema != SCHEMA_VERSION:
            age = "newer than" if isinstance(schema, int) and schema > SCHEMA_VERSION else "not"
            raise StoreError(f"{self.folder / MAIN_FILE}: schema {schema} is {age} one this Dossier reads ({SCHEMA_VERSION})")
        for doc in self._main.table("articles").all():
            self._index[doc["key"]] = dict(doc)
            self._index_ids[doc["key"]] = doc.doc_id
            self._by_path[doc["path"]] = doc["key"]
        self._adopt_unindexed()
        if not self.readonly:
            self._finish_pending()
            for tmp in self.folder.rglob(f".*{TMP_SUFFIX}"):
                tmp.unlink()  # we hold the lock, so no write is under way

    def _init_main(self) -> None:
        """A new store: schema version and the default tags."""
        self._main.storage.write({
            "meta": {"1": {"schema": SCHEMA_VERSION, "created": now()}},
            "tags": {str(i): asdict(t) for i, t in enumerate(DEFAULT_TAGS, 1)},
            "articles": {},
        })

    def _meta(self) -> dict:
        """The main file's single meta document (schema, creation time, pending tag operation)."""
        return self._main.table("meta").get(doc_id=1) or {}

    def _adopt_unindexed(self) -> None:
        """Index article files that a crash wrote before the index was updated."""
        folder = self.folder / ARTICLES_DIR
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*.json")):
            key = path.stem
            if key in self._index:
                continue
            header = self._shard(key).db.table("article").get(doc_id=1)
            if header["path"] not in self._by_path:
                self._index_articles([(key, ArticleRef(header["path"], header["sha256"]))])

    def _index_articles(self, pairs: list[tuple[str, ArticleRef]]) -> None:
        """Record (or update) which file holds each article's notes; new entries in one write."""
        table = self._main.table("articles")
        new = []
        for key, ref in pairs:
            entry = {"key": key, "path": ref.path, "sha256": ref.sha256}
            old = self._index.get(key)
            if old is not None and self._by_path.get(old["path"]) == key:
                del self._by_path[old["path"]]
            if key in self._index_ids:
                table.update(entry, doc_ids=[self._index_ids[key]])
            else:
                new.append(entry)
            self._index[key] = entry
            self._by_path[ref.path] = key
        if new:
            for entry, doc_id in zip(new, table.insert_multiple(new)):
                self._index_ids[entry["key"]] = doc_id

    def _writable(self) -> None:
        """Refuse a write on a read-only store, saying why it is read-only."""
        if self.readonly:
            why = f"notes are being written by {self.holder}" if self.holder else "the store was opened read-only"
            raise ReadOnlyError(f"{self.folder}: cannot save: {why}")

    # --- article files ------------------------------------------------------

    def _shard(self, key: str) -> _Shard:
        """The loaded article file `key` (read and checked on first use)."""
        shard = self._shards.get(key)
        if shard is None:
            shard = _Shard(key, self._db(self.folder / ARTICLES_DIR / f"{key}.json", check_shard))
            self._shards[key] = shard
            for ann_id in shard.doc_ids:
                self._where[ann_id] = key
        return shard

    def _new_shard(self, ref: ArticleRef, annotations: list[dict], index: bool = True) -> _Shard:
        """Write a new article file in one atomic write, then index it unless the caller batches that."""
        key = uuid.uuid4().hex
        db = self._db(self.folder / ARTICLES_DIR / f"{key}.json", check_shard)
        db.storage.read()
        db.storage.write({
            "article": {"1": {"path": ref.path, "sha256": ref.sha256}},
            "annotations": {str(i): doc for i, doc in enumerate(annotations, 1)},
            "overrides": {},
        })
        shard = self._shard(key)
        if index:
            self._index_articles([(key, ref)])
        return shard

    def _shard_for(self, ref: ArticleRef, text: str, first: list[dict]) -> _Shard:
        """The article file for `ref`, re-anchored if its text changed; created holding `first` if new."""
        if self._sha256(text) != ref.sha256:
            raise ValueError(f"{ref.path}: the text given does not match the article's sha256")
        key = self._by_path.get(ref.path)
        if key is None:
            return self._new_shard(ref, first)
        self.sync(ref, text)
        return self._shard(key)

    def _sha256(self, text: str) -> str:
        """sha256_text(text), remembered for the last text object (the reader passes the same 5 MB text on every edit)."""
        cached = self._hashed
        if cached is not None and cached[0] is text:  # the cache holds the object, so its id cannot be reused
            return cached[1]
        digest = sha256_text(text)
        self._hashed = (text, digest)
        return digest

    def _load_all(self) -> list[_Shard]:
        """Every article file, loaded."""
        return [self._shard(key) for key in list(self._index)]

    # --- annotations --------------------------------------------------------

    def add(self, ref: ArticleRef, text: str, start: int, end: int, tags: Iterable[str] = (), note: str = "") -> Annotation:
        """Save a new annotation on text[start:end] of article `ref`; returns it once durable.

        `text` is the article's current text (its hash must be ref.sha256).
        Tag names are matched to the vocabulary (ignoring case if that is
        unambiguous); an unknown one raises TagError listing the known tags.
        """
        self._writable()
        names = vocab.resolve(self.tags(), list(tags))
        stamp = now()
        ann = Annotation(str(uuid.uuid4()), ref, make_target(text, start, end), tuple(names), note, stamp, stamp)
        shard = self._shard_for(ref, text, [ann.to_dict()])
        if ann.id not in shard.doc_ids:  # the article's file existed: one write adds the annotation
            shard.doc_ids[ann.id] = shard.annotations.insert(ann.to_dict())
            self._where[ann.id] = shard.key
        return ann

    def _locate(self, annotation_id: str) -> _Shard:
        """The loaded article file holding `annotation_id`, or KeyError."""
        if annotation_id not in self._where:
            self._load_all()
        if annotation_id not in self._where:
            raise KeyError(f"no annotation with id {annotation_id}")
        return self._shards[self._where[annotation_id]]

    def get(self, annotation_id: str) -> Annotation:
        """The annotation with this id; KeyError if there is none."""
        shard = self._locate(annotation_id)
        return Annotation.from_dict(shard.annotations.get(doc_id=shard.doc_ids[annotation_id]))

    def update(self, annotation_id: str, *, tags: Iterable[str] | None = None, note: str | None = None) -> Annotation:
        """Replace the tags and/or the note of an annotation; returns it once durable."""
        self._writable()
        shard = self._locate(annotation_id)
        changes: dict = {"updated": now()}
        if tags is not None:
            changes["tags"] = vocab.resolve(self.tags(), list(tags))
        if note is not None:
            changes["note"] = note
        doc_id = shard.doc_ids[annotation_id]
        shard.annotations.update(changes, doc_ids=[doc_id])
        return Annotation.from_dict(shard.annotations.get(doc_id=doc_id))

    def delete(self, annotation_id: str) -> None:
        """Remove an annotation for good (orphans are only removed this way, by the user)."""
        self._writable()
        shard = self._locate(annotation_id)
        shard.annotations.remove(doc_ids=[shard.doc_ids.pop(annotation_id)])
        del self._where[annotation_id]

    def annotations(self, path: str) -> list[Annotation]:
        """The annotations of the article at `path`, in text order, orphans last."""
        key = self._by_path.get(path)
        if key is None:
            return []
        docs = self._shard(key).raw().values()
        return sorted((Annotation.from_dict(d) for d in docs), key=lambda a: (a.orphan, a.target.start, a.target.end))

    def all_annotations(self) -> list[Annotation]:
        """Every annotation in the store, by article path then position (reads every article file)."""
        return [ann for path in sorted(self._by_path) for ann in self.annotations(path)]

    def articles(self) -> dict[str, ArticleRef]:
        """Every article with notes, by path, as last seen (its hash may be stale)."""
        return {e["path"]: ArticleRef(e["path"], e["sha256"]) for e in self._index.values()}

    def import_annotations(self, annotations: Iterable[Annotation]) -> int:
        """Add annotations as they are (ids, dates, targets kept); ids already stored are skipped.

        Meant for migrations, salvage and bulk loads: one write per article.
        Returns how many were added.
        """
        self._writable()
        self._load_all()
        groups: dict[str, list[Annotation]] = {}
        for ann in annotations:
            if ann.id not in self._where:
                groups.setdefault(ann.article.path, []).append(ann)
        new = []
        for path, anns in groups.items():
            key = self._by_path.get(path)
            if key is None:
                shard = self._new_shard(anns[0].article, [a.to_dict() for a in anns], index=False)
                new.append((shard.key, anns[0].article))
            else:
                shard = self._shard(key)
                for doc_id, ann in zip(shard.annotations.insert_multiple(a.to_dict() for a in anns), anns):
                    shard.doc_ids[ann.id] = doc_id
            for ann in anns:
                self._where[ann.id] = shard.key
        self._index_articles(new)
        return sum(map(len, groups.values()))

    # --- re-anchoring -------------------------------------------------------

    def sync(self, ref: ArticleRef, text: str) -> dict[str, int] | None:
        """Bring the notes of the article at ref.path up to date with its current `text`.

        If the stored hash differs, every annotation (orphans included) is
        re-anchored and the result saved (kept in memory only on a read-only
        store). Returns counts by method (exact, nearest, fuzzy, orphan), or
        None if nothing had to change.
        """
        key = self._by_path.get(ref.path)
        if key is None or self._index[key]["sha256"] == ref.sha256:
            return None
        shard = self._shard(key)
        counts = {"exact": 0, "nearest": 0, "fuzzy": 0, "orphan": 0}
        docs = {}
        for doc in shard.annotations.all():
            placed = reanchor(Target.from_dict(doc["target"]), text)
            counts[placed.method] += 1
            new = dict(doc, article={"path": ref.path, "sha256": ref.sha256}, orphan=placed.target is None)
            if placed.target is not None:
                new["target"] = placed.target.to_dict()
            docs[doc.doc_id] = new
        overrides = remap_lines(shard.overrides.all(), text)
        self._rewrite_shard(shard, ref, docs, overrides)
        self._index_articles([(key, ref)])
        return counts

    def _rewrite_shard(self, shard: _Shard, ref: ArticleRef, docs: dict[int, dict], overrides: list[dict]) -> None:
        """Write an article file's header, annotations and overrides in one atomic write."""
        data = shard.db.storage.read()
        data["article"] = {"1": {"path": ref.path, "sha256": ref.sha256}}
        data["annotations"] = {str(i): d for i, d in docs.items()}
        data["overrides"] = {str(i): d for i, d in enumerate(overrides, 1)}
        shard.db.storage.write(data)
        for table in (shard.annotations, shard.overrides):
            table.clear_cache()

    def sync_corpus(self, articles: Iterable[ArticleRef], read_text: Callable[[ArticleRef], str]) -> SyncReport:
        """Follow renames and edits across a whole corpus listing.

        An article whose path is gone but whose hash now appears under a new
        path without notes is moved there; an article at the same path with
        a new hash is re-anchored (`read_text` is called only for those).
        Notes of articles found under no path are kept and reported missing.
        """
        current = {ref.path: ref for ref in articles}
        report = SyncReport()
        by_sha: dict[str, list[ArticleRef]] = {}
        for ref in current.values():
            if ref.path not in self._by_path:
                by_sha.setdefault(ref.sha256, []).append(ref)
        for key, entry in list(self._index.items()):
            ref = current.get(entry["path"])
            if ref is not None:
                if ref.sha256 != entry["sha256"]:
                    report.reanchored[ref.path] = self.sync(ref, read_text(ref))
            elif by_sha.get(entry["sha256"]):
                new = by_sha[entry["sha256"]].pop(0)
                self._move(key, new)
                report.renamed.append((entry["path"], new.path))
            else:
                report.missing.append(entry["path"])
        return report

    def _move(self, key: str, ref: ArticleRef) -> None:
        """Give an article file a new path (a renamed article with the same text)."""
        shard = self._shard(key)
        docs = {d.doc_id: dict(d, article={"path": ref.path, "sha256": ref.sha256}) for d in shard.annotations.all()}
        self._rewrite_shard(shard, ref, docs, list(shard.overrides.all()))
        self._index_articles([(key, ref)])

    # --- cleaning overrides -------------------------------------------------

    def overrides(self, path: str) -> dict[int, bool]:
        """The analyst's cleaning overrides of an article: 1-based source line -> keep."""
        key = self._by_path.get(path)
        if key is None:
            return {}
        return {o["line"]: o["keep"] for o in self._shard(key).overrides.all() if not o.get("orphan")}

    def set_override(self, ref: ArticleRef, text: str, line: int, keep: bool | None) -> None:
        """Force line `line` (1-based) of the article kept (True) or dropped (False); None clears it.

        The line's text is stored with it, so that the override follows its
        line when the article is edited (and is set aside if the line is gone).
        """
        self._writable()
        lines = text.split("\n")
        if not 1 <= line <= len(lines):
            raise ValueError(f"{ref.path}: line {line} is outside the article's {len(lines)} lines")
        table = self._shard_for(ref, text, []).overrides
        table.remove(Query().line == line)
        if keep is not None:
            table.insert({"line": line, "text": lines[line - 1], "keep": keep})


def repair(folder: str | Path) -> list[str]:
    """Salvage a damaged notes folder: rewrite what can be read, keep every original file.

    Needs the write lock (LockedError naming the holder otherwise). After
    salvage the folder is opened once for writing, which adopts article files
    missing from the index, finishes an interrupted tag operation and removes
    leftover temporary files. Returns what was done, one line each.
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
    Store.open(folder, mode="write").close()
    return actions
