"""Each analyst's annotations in files of their own, so that a team shares one notes folder through git without conflicts.

Layout (schema 3):

    dossier.json                         shared: schema, the codebook (tags, order, colours), the index, the corpus memo
    articles/<key>.json                  shared: the article's path and hash, cleaning overrides, attributes, memo
    analysts/<NAME>/articles/<key>.json  NAME's annotations of that article, one per line, sorted by id

An analyst's file is ``{"annotations": {ID: annotation, ...}}`` with one
annotation per line, its keys sorted and the lines sorted by id, so the same
annotations always give the same bytes and two clones that each add their
own never touch the same line, or even the same file. The ``<key>`` is the
article file's (the SHA-1 of the article's path for every new article), so
two clones that annotate the same new article write the same shared header
byte for byte, which git merges without a conflict.

:class:`SplitStorage` keeps the rest of the store unaware of this: it reads
an article's shared file and every analyst's file of it as one TinyDB
database (annotations named by their ``analyst`` field), and writes it back
split, each file only if its bytes change. So adding an annotation writes
only its analyst's file. Re-anchoring on edited text rewrites the files of
every analyst of that article; it is deterministic, so two clones that do it
make the same change and git merges it cleanly.

The analysts' files are written before the shared one; a crash in between
leaves an annotation in both places, which reads as one (the analyst's copy
wins), never as none. Schema 2 kept annotations in the shared files; they
still read (as ``unattributed`` when they name nobody), and :func:`upgrade`
moves them into the analysts' files when a writer first opens the folder.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from .analyst_names import analyst_of, is_analyst
from .files import (
    ANNOTATION_FIELDS,
    ARTICLES_DIR,
    KEY,
    TMP_SUFFIX,
    AtomicJSONStorage,
    Checker,
    Doc,
    SaveError,
    StoreError,
    annotation_faults,
    annotations_ok,
    atomic_write,
    check_shard,
    check_table,
    describe,
    dumps_tables,
    fsync_dir,
    load_json,
    load_json_bytes,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from tinydb import TinyDB

#: The folder of the analysts' own files.
ANALYSTS_DIR = "analysts"


def analyst_names(folder: Path) -> list[str]:
    """The analysts with a folder in the notes folder, sorted (folders that are no usable name are left alone)."""
    try:
        with os.scandir(folder / ANALYSTS_DIR) as entries:
            return sorted(e.name for e in entries if is_analyst(e.name) and e.is_dir(follow_symlinks=False))
    except OSError:
        return []


def analyst_path(folder: Path, name: str, key: str) -> Path:
    """Where analyst `name` keeps their annotations of article file `key`."""
    return folder / ANALYSTS_DIR / name / ARTICLES_DIR / f"{key}.json"


def analyst_keys(folder: Path) -> set[str]:
    """The article file keys any analyst holds annotations for."""
    keys: set[str] = set()
    for name in analyst_names(folder):
        with contextlib.suppress(OSError), os.scandir(folder / ANALYSTS_DIR / name / ARTICLES_DIR) as entries:
            keys.update(e.name[:-5] for e in entries if e.name.endswith(".json") and KEY.fullmatch(e.name[:-5]))
    return keys


def analyst_files(folder: Path) -> list[tuple[str, str, Path]]:
    """(analyst, article file key, path) of every analyst's file, sorted (names Dossier does not give are left alone)."""
    found = []
    for name in analyst_names(folder):
        with contextlib.suppress(OSError), os.scandir(folder / ANALYSTS_DIR / name / ARTICLES_DIR) as entries:
            found += [(name, e.name[:-5], Path(e.path)) for e in entries if e.name.endswith(".json") and KEY.fullmatch(e.name[:-5])]
    return sorted(found)


def analyst_temporary_files(folder: Path) -> list[Path]:
    """Temporary files of interrupted saves in the analysts' folders."""
    return [p for name in analyst_names(folder) for p in (folder / ANALYSTS_DIR / name / ARTICLES_DIR).glob(f".*{TMP_SUFFIX}")]


def dumps_annotations(docs: list[Doc]) -> bytes:
    """An analyst's file: one annotation per line, keys sorted, lines sorted by id (the same notes give the same bytes)."""
    rows = ",\n".join(
        f"  {json.dumps(doc['id'], ensure_ascii=False)}: {json.dumps(doc, ensure_ascii=False, sort_keys=True)}"
        for doc in sorted(docs, key=lambda d: str(d["id"]))
    )
    body = f'{{\n "annotations": {{\n{rows}\n }}\n}}\n' if rows else '{\n "annotations": {}\n}\n'
    return body.encode("utf-8", "backslashreplace")


def analyst_faults(data: Doc, name: str) -> list[str]:
    """Faults in the shape of an analyst's file of analyst `name`."""
    table = data.get("annotations")
    if annotations_ok(table) and all(ann_id == doc["id"] and analyst_of(doc) == name for ann_id, doc in table.items()):
        return []  # the common case, in one pass; the faults are named below
    faults: list[str] = []
    check_table(data, "annotations", ANNOTATION_FIELDS, faults)
    if faults:
        return faults
    for ann_id, doc in data["annotations"].items():
        faults.extend(f"annotations/{ann_id}: {fault}" for fault in annotation_faults(doc))
        if doc.get("id") != ann_id:
            faults.append(f"annotations/{ann_id}: the line's key is not the annotation's id")
        if analyst_of(doc) != name:
            faults.append(f"annotations/{ann_id}: made by {analyst_of(doc)!r}, in the folder of {name!r}")
    return faults


def read_analyst(path: Path, name: str) -> tuple[list[Doc], bytes] | None:
    """The annotations of one analyst's file and the file's bytes (None if there is none); StoreError if it is damaged."""
    found = load_json_bytes(path)
    if found is None:
        return None
    data, raw = found
    faults = analyst_faults(data, name)
    if faults:
        raise StoreError(f"{path}: wrong shape: {faults[0]}")
    return [doc if doc.get("analyst") == name else dict(doc, analyst=name) for doc in data["annotations"].values()], raw


def gather(
    folder: Path, key: str, shared: Doc | None, staged: Mapping[str, Path] | None = None
) -> tuple[Doc | None, dict[str, bytes]]:
    """An article's shared file with every analyst's annotations of it put in, and each analyst's file as bytes.

    An annotation still in the shared file (schema 2, or one whose id is
    stored twice, which ``doctor --repair`` sets right) is kept unless an
    analyst's file holds the same id (a crash between the two writes): that copy wins.
    With no shared file (only an analyst's file came through git or a
    merge), the header is rebuilt from the annotations themselves.
    ``staged``: analyst -> the staged file of an unfinished commit, read in
    place of theirs (a read-only view sees the commit whole; ``commit.py``).
    """
    legacy = list((shared or {}).get("annotations", {}).values())
    by_id: dict[str, Doc] = {}
    written: dict[str, bytes] = {}
    staged = staged or {}
    for name in sorted({*analyst_names(folder), *staged}):
        waiting = staged.get(name)
        read = read_analyst(waiting, name) if waiting is not None else None
        if read is None:  # nothing staged, or the staged file was put in place meanwhile
            read = read_analyst(analyst_path(folder, name, key), name)
        if read is None:
            continue
        docs, written[name] = read  # the bytes on disk: a write leaves the file alone if they are what it would write
        for doc in docs:
            by_id[doc["id"]] = doc
    found = [doc for doc in legacy if doc["id"] not in by_id] + list(by_id.values())
    if shared is None:
        if not found:
            return None, written
        first = found[0]["article"]
        shared = {"article": {"1": {"path": first["path"], "sha256": first.get("sha256", "")}}, "overrides": {}}
    merged = dict(shared)
    merged["annotations"] = {str(i): doc for i, doc in enumerate(found, 1)}
    return merged, written


def read_article(folder: Path, key: str) -> Doc | None:
    """An article's notes as one document (shared file and analysts' files); StoreError if a file is damaged."""
    path = folder / ARTICLES_DIR / f"{key}.json"
    shared = load_json(path)
    faults = check_shard(shared) if shared is not None else []
    if faults:
        raise StoreError(f"{path}: wrong shape: {faults[0]}")
    return gather(folder, key, shared)[0]


def split(data: Doc) -> tuple[dict[str, list[Doc]], Doc]:
    """An article's annotations as its files hold them: each analyst's (by name), and the shared file's table.

    An id stored twice stays in the shared file, whole, until ``doctor
    --repair`` gives it a new id; every other annotation goes to its analyst.
    """
    docs = list(data.get("annotations", {}).values())
    seen = Counter(doc["id"] for doc in docs)
    groups: dict[str, list[Doc]] = {}
    for doc in docs:
        if seen[doc["id"]] == 1:
            name = analyst_of(doc)
            groups.setdefault(name, []).append(doc if doc.get("analyst") == name else dict(doc, analyst=name))
    twice = {str(i): doc for i, doc in enumerate((doc for doc in docs if seen[doc["id"]] > 1), 1)}
    return groups, twice


class SplitStorage(AtomicJSONStorage):
    """The storage of an article file: the shared file and the analysts' files, read as one and written apart."""

    def __init__(
        self, path: str | Path, check: Checker, readonly: bool = False, staged: Mapping[str, Path] | None = None
    ) -> None:
        """A storage for article file `path` (``<notes>/articles/<key>.json``); `staged` as :func:`gather` takes it."""
        super().__init__(path, check, readonly)
        self._notes = self.path.parent.parent
        self._key = self.path.stem
        self._staged = staged
        self._written: dict[str, bytes] = {}  # analyst -> their file's bytes as last read or written
        self._shared: bytes | None = None  # the shared file's bytes as last read or written

    def preload(self, data: Doc) -> None:
        """Use `data` as the shared file's contents (a read-only view), with the analysts' files put in."""
        merged, self._written = gather(self._notes, self._key, data, self._staged)
        super().preload(merged or data)

    def read(self) -> Doc | None:
        """The shared file and every analyst's file of the article, as one database, checked on first use."""
        if not self._loaded:
            shared = load_json(self.path)
            faults = self._check(shared) if shared is not None else []  # the shared file first: gather trusts its shape
            merged, written = gather(self._notes, self._key, shared, self._staged) if not faults else (None, {})
            # Each analyst's file was checked as it was read (``read_analyst``) and the shared file above, so the
            # merged whole is checked again only when it had to be rebuilt without a shared file.
            faults = faults or (self._check(merged) if merged is not None and shared is None else [])
            if faults:
                raise StoreError(f"{self.path}: wrong shape: {faults[0]}")
            self._data, self._loaded, self._written = merged, True, written
            self._shared = None if shared is None else dumps_tables(shared)
        return self._data

    def write(self, data: Doc) -> None:
        """Write each analyst's file whose annotations changed, then the shared file if it changed; SaveError on failure."""
        if not self._loaded:
            raise StoreError(f"{self.path}: refusing to write a file that was not read first")
        if self.readonly:
            self._data = data
            return
        groups, twice = split(data)
        try:
            for name in sorted(set(groups) | set(self._written)):
                if not is_analyst(name):
                    raise StoreError(f"not saved: {name!r} cannot name an analyst")
                raw = dumps_annotations(groups[name]) if name in groups else None
                if raw == self._written.get(name):
                    continue
                path = analyst_path(self._notes, name, self._key)
                if raw is None:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                    fsync_dir(path.parent)
                    self._written.pop(name, None)
                else:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    atomic_write(path, raw)
                    self._written[name] = raw
            shared = dumps_tables(dict(data, annotations=twice))
            if shared != self._shared:
                atomic_write(self.path, shared)
                self._shared = shared
        except OSError as exc:
            self._forget()
            raise SaveError(f"not saved: {self.path}: {describe(exc)}") from exc
        except BaseException:
            self._forget()
            raise
        self._data = data

    def _forget(self) -> None:
        """Drop the copy in memory, so the next read sees what is on disk."""
        self._data, self._loaded, self._written, self._shared = None, False, {}, None


def upgrade(files: Iterable[TinyDB], main: TinyDB) -> None:
    """Schema 2 to 3: move the annotations out of every article file (`files`, their databases) into their analysts' files.

    Each article is one pass of :class:`SplitStorage` (analysts' files
    first); the schema changes last, so an upgrade cut short is done again,
    and an annotation found in both places reads once.
    """
    for db in files:
        data = db.storage.read()
        if data is not None and data.get("annotations"):
            db.storage.write(data)  # writes only what changes: the analysts' files, then the shared one, emptied
    main.table("meta").update({"schema": 3}, doc_ids=[1])
