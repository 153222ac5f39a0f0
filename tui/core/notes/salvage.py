"""Salvaging a notes folder: every annotation that can still be read, from either schema, back in the store.

``salvage`` (run by ``Store.repair`` under the write lock) reads every file
of the folder, keeps a copy of each damaged one beside it
(``<name>.corrupt-<time>``), and writes new files holding everything that
could be read: annotations from today's article files and from the first
schema's flat table, tags, overrides. It also sets right what doctor
reports: an annotation stored twice, tags that differ only in case, a
second file for one article (its annotations, overrides, attribute edits and
memo are merged into the first), an index entry without a file, a folder where
a file should be, offsets beyond the end of the text, and annotations that
a ``.corrupt-*`` copy holds but the store lacks. The copies it has restored
from are recorded in the main file (``meta.salvaged``) so that doctor does
not count them again.

``found_in`` reads a damaged file of any schema: it takes every JSON object
that still parses, wherever it is, and sorts them by shape.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .articles import header, header_length
from .commit import finish, listed
from .damaged import Found, found_in, readable_annotations
from .files import (
    ARTICLES_DIR,
    KEY,
    MAIN_FILE,
    SCHEMA_VERSION,
    AtomicJSONStorage,
    Checker,
    Doc,
    StoreError,
    atomic_write,
    check_main,
    check_shard,
    dumps_tables,
    fsync_dir,
    load_json,
    now,
    path_key,
)
from .layout import ANALYSTS_DIR, analyst_faults, analyst_files
from .model import ArticleRef
from .schema1 import is_schema1, readable

__all__ = ["CORRUPT", "Found", "backup", "checked", "found_in", "readable_annotations", "salvage"]

CORRUPT = "corrupt"


def _extras(found: Found) -> str:
    """What else a damaged article file gave back besides annotations, as the repair's report says it."""
    said = f", {len(found.attributes)} attribute edit(s)" if found.attributes else ""
    return said + (", its memo" if found.memos else "")


def checked(path: Path, check: Checker) -> tuple[Doc | None, str | None]:
    """(data, None) if the file reads and passes `check`, else (None, what is wrong)."""
    try:
        data = load_json(path)
    except StoreError as exc:
        return None, str(exc).removeprefix(f"{path}: ")
    faults = check(data) if data is not None else []
    return (None, f"wrong shape: {faults[0]}") if faults else (data, None)


def backup(path: Path, why: str) -> Path:
    """Durably keep `path` beside itself as `<name>.<why>-<time>`: a file is copied, anything else moved aside."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.{why}-{stamp}")
    n = 1
    while kept.exists() or kept.is_symlink():
        n += 1
        kept = path.with_name(f"{path.name}.{why}-{stamp}-{n}")
    if path.is_file() and not path.is_symlink():
        shutil.copy2(path, kept)
        with open(kept, "rb") as handle:
            os.fsync(handle.fileno())
    else:  # a folder, a link, a device: never read through, only moved out of the way
        os.rename(path, kept)
    fsync_dir(path.parent)
    return kept


# --- the salvage ----------------------------------------------------------------------------------


@dataclass
class Shard:
    """One article file as salvage rebuilds it."""

    key: str
    path: str
    sha256: str
    length: int | None
    annotations: list[Doc]
    overrides: list[Doc]
    dirty: bool = False
    attributes: list[Doc] = field(default_factory=list)
    memos: list[Doc] = field(default_factory=list)  # one at most once merged (``one_memo``)

    def data(self) -> Doc:
        ref = ArticleRef(self.path, self.sha256)
        docs = [dict(d, article={"path": self.path, "sha256": self.sha256}) for d in self.annotations]
        data = {"article": {"1": header(ref, self.length)}, "annotations": {str(i): d for i, d in enumerate(docs, 1)},
                "overrides": {str(i): o for i, o in enumerate(self.overrides, 1)}}
        if self.attributes:
            data["attributes"] = {str(i): a for i, a in enumerate(self.attributes, 1)}
        if self.memos:
            data["memo"] = {"1": one_memo(self.memos)}
        return data


def one_memo(memos: list[Doc]) -> Doc:
    """Several memos read for one article (or the corpus) as one: their texts in order, a blank line apart, none lost."""
    texts = list(dict.fromkeys(m["memo"] for m in memos if m["memo"].strip()))
    return {"memo": "\n\n".join(texts), "updated": max(m["updated"] for m in memos)}


def merged_attributes(first: list[Doc], second: list[Doc]) -> list[Doc]:
    """The attribute edits of two files of one article: the newer edit of an attribute both hold wins."""
    by_name = {a["attribute"]: a for a in first}
    for edit in second:
        held = by_name.get(edit["attribute"])
        if held is None or edit["updated"] > held["updated"]:
            by_name[edit["attribute"]] = edit
    return list(by_name.values())


def _tag_record(tag: Doc) -> Doc:
    """A found tag as the vocabulary stores it: its description kept when it is text (the codebook's rule)."""
    kept = {"name": tag["name"], "colour": tag["colour"], "key": tag["key"]}
    if isinstance(tag.get("description"), str) and tag["description"]:
        kept["description"] = tag["description"]
    return kept


def salvage(folder: Path, default_tags: list[Doc]) -> list[str]:
    """Set a notes folder right from whatever can be read; keep every damaged original. Returns what was done.

    The caller holds the write lock. Raises StoreError (changing nothing)
    for a main file of a newer schema: its layout is unknown here.
    """
    job = _Salvage(folder, default_tags)
    job.run()
    return job.actions


class _Salvage:
    def __init__(self, folder: Path, default_tags: list[Doc]) -> None:
        self.folder = folder
        self.articles = folder / ARTICLES_DIR
        self.default_tags = default_tags
        self.actions: list[str] = []
        self.main: Doc = {}
        self.main_dirty = False
        self.shards: dict[str, Shard] = {}
        self.loose: list[tuple[Doc, bool]] = []  # annotations read from elsewhere, to be put in their article's file
        self.extras: list[tuple[str, list[Doc], list[Doc]]] = []  # (path, attribute edits, memos) likewise
        self.restored: list[str] = []  # copies whose readable annotations are now in the store
        self.gone: list[Path] = []  # files merged into others, to be removed once those are written
        self.merged: set[str] = set()  # keys of the files merged into another
        self.folded: list[Path] = []  # analysts' files whose annotations now sit in their article's file

    def run(self) -> None:
        self._refuse_newer()
        if (self.articles.exists() or self.articles.is_symlink()) and (self.articles.is_symlink() or not self.articles.is_dir()):
            kept = backup(self.articles, CORRUPT)
            if self.articles.exists() or self.articles.is_symlink():
                self.articles.unlink()  # a file: copied above, so nothing it held is lost
            self.actions.append(f"{ARTICLES_DIR}: not a folder; moved aside as {kept.name}")
        self.articles.mkdir(exist_ok=True)
        self._read_main()
        self._read_shards()
        self._read_analysts()
        self._restore_copies()
        self._place_loose()
        self._dedupe()
        self._tags()
        self._beyond_the_text()
        self._write()

    # --- reading ----------------------------------------------------------

    def _refuse_newer(self) -> None:
        """A main file of a newer schema has a layout unknown here: change nothing at all."""
        path = self.folder / MAIN_FILE
        data, _ = checked(path, check_main)
        if data is not None:
            meta: object = next(iter(data["meta"].values()), {})
            schemas = [meta.get("schema")] if isinstance(meta, dict) else []
        else:
            schemas = found_in(path).schemas
        newer = [s for s in schemas if isinstance(s, int) and not isinstance(s, bool) and s > SCHEMA_VERSION]
        if newer:
            raise StoreError(
                f"{path}: schema {max(newer)} is newer than the one this Dossier reads ({SCHEMA_VERSION}); "
                "repair refused, nothing was changed: use a newer Dossier"
            )

    def _read_main(self) -> None:
        path = self.folder / MAIN_FILE
        fresh = {"meta": {"1": {"schema": SCHEMA_VERSION, "created": now()}},
                 "tags": {str(i): dict(t) for i, t in enumerate(self.default_tags, 1)}, "articles": {}}
        if not path.exists() and not path.is_symlink():
            self.main, self.main_dirty = fresh, True
            return
        data, error = checked(path, check_main)
        meta: object = next(iter(data["meta"].values()), {}) if data is not None and isinstance(data.get("meta"), dict) else {}
        schema = meta.get("schema") if isinstance(meta, dict) else None
        if data is not None and schema in (2, SCHEMA_VERSION):  # 2: moved into analysts' files by the next writer
            if listed(data) is not None:  # an interrupted import: finish it first, so its files are in place
                storage = AtomicJSONStorage(path, check_main)
                finish(self.folder, storage)
                data = storage.read() or data
            self.main = data
            return
        found = found_in(path)
        if data is not None and is_schema1(data) and error is None:
            why = "schema 1, upgraded"
        else:
            why = error or f"schema {schema} is not one this Dossier knows"
        anns = [(doc, guessed) for doc, guessed in filter(None, map(readable, found.annotations))]
        unreadable = len(found.annotations) - len(anns)
        tags = [t for t in found.tags if isinstance(t.get("key"), str)] or [dict(t) for t in self.default_tags]
        if data is not None and is_schema1(data):  # schema 1 had no vocabulary: start from today's default
            tags = [dict(t) for t in self.default_tags]
        entries = [e for e in found.entries if KEY.fullmatch(e["key"])]
        kept = backup(path, CORRUPT if error or unreadable else "v1")
        self.restored.append(kept.name)
        self.main = dict(fresh, tags={str(i): _tag_record(t) for i, t in enumerate(tags, 1)},
                         articles={str(i): {"key": e["key"], "path": e["path"], "sha256": e["sha256"]} for i, e in enumerate(entries, 1)})
        if found.memos:  # the corpus memo
            self.main["memo"] = {"1": one_memo(found.memos)}
        self.main_dirty = True
        self.loose += anns
        self.actions.append(
            f"{MAIN_FILE}: {why}; rebuilt with {len(tags)} tag(s), {len(entries)} article(s) and {len(anns)} annotation(s) "
            f"read from it, original kept as {kept.name}"
        )

    def _read_shards(self) -> None:
        index = {e["key"]: e for e in self.main.get("articles", {}).values()}
        for entry in sorted(self.articles.iterdir()):
            if not entry.name.endswith(".json"):
                continue  # temporary and staged files, copies: not article files
            key, name = entry.name[: -len(".json")], f"{ARTICLES_DIR}/{entry.name}"
            if not entry.is_file() or entry.is_symlink():
                kept = backup(entry, CORRUPT)
                self.actions.append(f"{name}: not a regular file; moved aside as {kept.name}")
                continue
            data, error = checked(entry, check_shard)
            if data is not None and KEY.fullmatch(key):
                head = data["article"]["1"]
                self.shards[key] = Shard(key, head["path"], head["sha256"], header_length(head),
                                         list(data["annotations"].values()), list(data.get("overrides", {}).values()),
                                         attributes=list(data.get("attributes", {}).values()),
                                         memos=list(data.get("memo", {}).values()))
                continue
            found = found_in(entry)
            head = next(iter(found.headers), None) or index.get(key)
            where = head["path"] if head else None
            anns = [r for r in (readable(a, None if "quote" in a else where) for a in found.annotations) if r is not None]
            kept = backup(entry, CORRUPT)
            self.restored.append(f"{ARTICLES_DIR}/{kept.name}")
            why = error or "not a name Dossier gives its files"
            if head is None and not anns:
                entry.unlink()
                self.actions.append(f"{name}: {why}; nothing could be read, original kept as {kept.name}")
                continue
            if not KEY.fullmatch(key) or head is None:
                self.gone.append(entry)  # its annotations go to their article's file
                self.loose += anns
                if head is not None:
                    self.extras.append((head["path"], found.attributes, found.memos))
            else:
                guessed = any(g for _, g in anns)
                length = header_length(head)
                sha = "" if guessed or not isinstance(head.get("sha256"), str) else head["sha256"]
                self.shards[key] = Shard(key, head["path"], sha, length, [d for d, _ in anns], found.overrides, dirty=True,
                                         attributes=found.attributes, memos=found.memos)
            self.actions.append(f"{name}: {why}; salvaged {len(anns)} annotation(s){_extras(found)}, original kept as {kept.name}")

    def _read_analysts(self) -> None:
        """Each analyst's annotations join their article's file, to be set right with the rest.

        A damaged analyst's file gives back what can be read, and a copy of it
        is kept. Once the article files are written the analysts' files go,
        and the main file says schema 2: the next open (the repair's own)
        moves every annotation back into its analyst's file (``layout.py``).
        """
        for analyst, key, entry in analyst_files(self.folder):
            name = str(entry.relative_to(self.folder))
            if not entry.is_file() or entry.is_symlink():
                kept = backup(entry, CORRUPT)
                self.actions.append(f"{name}: not a regular file; moved aside as {kept.name}")
                continue
            data, error = checked(entry, functools.partial(analyst_faults, name=analyst))
            if data is not None:
                docs = list(data["annotations"].values())
            else:
                where = self.shards[key].path if key in self.shards else None
                docs = [d for d, _ in (r for r in (readable(a, where) for a in found_in(entry).annotations) if r is not None)]
                kept = backup(entry, CORRUPT)
                self.restored.append(str(kept.relative_to(self.folder)))
                self.actions.append(f"{name}: {error}; salvaged {len(docs)} annotation(s), original kept as {kept.name}")
            docs = [dict(d, analyst=analyst) for d in docs]
            shard = self.shards.get(key)
            if shard is not None:
                ids = {d["id"] for d in docs}  # the analyst's copy wins over one left in the article file
                shard.annotations = [d for d in shard.annotations if d["id"] not in ids] + docs
                shard.dirty = True
            else:
                self.loose += [(d, False) for d in docs]
            self.folded.append(entry)

    def _live_ids(self) -> set[str]:
        return {d["id"] for s in self.shards.values() for d in s.annotations} | {d["id"] for d, _ in self.loose}

    def _restore_copies(self) -> None:
        """Annotations a copy of an earlier repair (or an older Dossier's) holds and the store lacks come back."""
        done = set(self._meta().get("salvaged") or [])
        copies = [*self.folder.glob(f"{MAIN_FILE}.{CORRUPT}-*"), *self.articles.glob(f"*.json.{CORRUPT}-*"),
                  *self.folder.glob(f"{ANALYSTS_DIR}/*/{ARTICLES_DIR}/*.json.{CORRUPT}-*")]
        for kept in sorted(copies):
            name = str(kept.relative_to(self.folder))
            if name in done or name in self.restored or not kept.is_file():
                continue
            live = self._live_ids()
            back = [(doc, True) for doc in readable_annotations(kept) if doc["id"] not in live]
            self.loose += back
            self.restored.append(name)
            if back:
                self.actions.append(f"{name}: restored {len(back)} annotation(s) the notes had lost")

    # --- setting right ----------------------------------------------------

    def _meta(self) -> Doc:
        meta = next(iter(self.main.setdefault("meta", {}).values()), None)
        return meta if isinstance(meta, dict) else {}

    def _shard_for(self, path: str) -> Shard:
        for shard in self.shards.values():
            if shard.path == path:
                return shard
        key = path_key(path)
        if key in self.shards:  # taken by another article's file (only a hostile folder does that)
            key = uuid.uuid4().hex
        shard = self.shards[key] = Shard(key, path, "", None, [], [], dirty=True)
        return shard

    def _place_loose(self) -> None:
        """Put annotations read from elsewhere, and second files of one article, into their article's file."""
        index = {e["key"]: e["path"] for e in self.main.get("articles", {}).values()}
        first: dict[str, str] = {}
        for key in sorted(self.shards, key=lambda k: (k not in index, k)):  # indexed files first
            shard = self.shards[key]
            if shard.path not in first:
                first[shard.path] = key
                continue
            into = self.shards[first[shard.path]]
            held = {d["id"] for d in into.annotations}
            into.annotations += [d for d in shard.annotations if d["id"] not in held]
            lines = {o.get("line") for o in into.overrides}
            into.overrides += [o for o in shard.overrides if o.get("line") not in lines]
            into.attributes = merged_attributes(into.attributes, shard.attributes)
            into.memos += shard.memos
            if shard.sha256 != into.sha256:
                into.sha256 = ""
            into.dirty = True
            kept = backup(self.articles / f"{key}.json", "merged")
            self.gone.append(self.articles / f"{key}.json")
            self.merged.add(key)
            del self.shards[key]
            self.actions.append(
                f"{ARTICLES_DIR}/{key}.json: a second notes file for {shard.path}; merged into {into.key}.json, kept as {kept.name}"
            )
        for doc, guessed in self.loose:
            shard = self._shard_for(doc["article"]["path"])
            if guessed or doc["article"]["sha256"] != shard.sha256:
                shard.sha256 = ""  # placed again against the article when it is next read
            shard.annotations.append(doc)
            shard.dirty = True
        self.loose = []
        for path, attributes, memos in self.extras:
            shard = self._shard_for(path)
            shard.attributes = merged_attributes(shard.attributes, attributes)
            shard.memos += memos
            shard.dirty = True
        self.extras = []

    def _dedupe(self) -> None:
        """An id stored twice: identical copies become one; differing ones keep the newest under the id."""
        copies: dict[str, list[tuple[Shard, Doc]]] = {}
        for shard in self.shards.values():
            for doc in shard.annotations:
                copies.setdefault(doc["id"], []).append((shard, doc))
        for ann_id, found in copies.items():
            if len(found) < 2:
                continue
            keep = max(found, key=lambda pair: pair[1].get("updated") or "")
            renamed = []
            for shard, doc in found:
                if doc is keep[1]:
                    continue
                shard.dirty = True
                if {k: v for k, v in doc.items() if k != "article"} == {k: v for k, v in keep[1].items() if k != "article"}:
                    shard.annotations = [d for d in shard.annotations if d is not doc]  # a copy: one is enough
                else:
                    doc["id"] = str(uuid.uuid4())  # another version: kept, under an id of its own
                    renamed.append(doc["id"])
            told = f"; the other version(s) kept as {', '.join(renamed)}" if renamed else ""
            self.actions.append(f"annotation {ann_id} was stored {len(found)} times{told}")

    def _tags(self) -> None:
        """One tag per name ignoring case, and every tag an annotation uses in the vocabulary."""
        tags = self.main.setdefault("tags", {})
        spelling: dict[str, str] = {}
        vocabulary: list[Doc] = []
        for tag in [tags[k] for k in sorted(tags, key=lambda k: int(k) if k.isdigit() else 0)]:
            folded = tag["name"].casefold()
            if folded in spelling:
                self.actions.append(f"{MAIN_FILE}: tag {tag['name']!r} merged into {spelling[folded]!r} (they differ only in case)")
                continue
            spelling[folded] = tag["name"]
            vocabulary.append(tag)
        for shard in self.shards.values():
            for doc in shard.annotations:
                names = []
                for name in doc["tags"]:
                    if name.casefold() not in spelling:
                        spelling[name.casefold()] = name
                        vocabulary.append({"name": name, "colour": "grey", "key": ""})
                        self.actions.append(f"{MAIN_FILE}: added unknown tag {name!r} to the vocabulary")
                    names.append(spelling[name.casefold()])
                names = list(dict.fromkeys(names))
                if names != doc["tags"]:
                    doc["tags"] = names
                    shard.dirty = True
        new = {str(i): t for i, t in enumerate(vocabulary, 1)}
        if list(new.values()) != [tags[k] for k in sorted(tags, key=lambda k: int(k) if k.isdigit() else 0)]:
            self.main["tags"], self.main_dirty = new, True

    def _beyond_the_text(self) -> None:
        """Offsets past the recorded end of the text cannot be right: the article's file is placed again on next read."""
        for shard in self.shards.values():
            if shard.length is None or not shard.sha256:
                continue
            if any(d["target"]["end"] > shard.length for d in shard.annotations if not d.get("orphan")):
                shard.sha256, shard.dirty = "", True
                self.actions.append(f"{ARTICLES_DIR}/{shard.key}.json: offsets beyond the end of {shard.path}; "
                                    "its annotations are placed again on the article when it is next read")

    # --- writing ------------------------------------------------------------

    def _write(self) -> None:
        written = set()
        for shard in self.shards.values():
            if shard.dirty:
                atomic_write(self.articles / f"{shard.key}.json", dumps_tables(shard.data()))
                written.add(self.articles / f"{shard.key}.json")
        for path in [*self.gone, *self.folded]:
            if path in written:  # a damaged file's salvage went back under its own name (named after its path)
                continue
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        old = self.main.get("articles", {})
        order = {e["key"]: n for n, e in enumerate(old.values())}
        entries = sorted(self.shards.values(), key=lambda s: (order.get(s.key, len(order)), s.key))
        index = {str(i): {"key": s.key, "path": s.path, "sha256": s.sha256} for i, s in enumerate(entries, 1)}
        dropped = [e for e in old.values() if e["key"] not in self.shards and e["key"] not in self.merged]
        self.actions += [f"{MAIN_FILE}: dropped the index entry of {e['path']}, whose file is missing" for e in dropped]
        if index != old:
            self.main["articles"], self.main_dirty = index, True
        if self.folded:
            self._meta()["schema"] = 2  # annotations in the article files: the next open moves them to their analysts'
            self.main_dirty = True
        if self.restored:
            meta = self._meta()
            meta["salvaged"] = sorted({*(meta.get("salvaged") or []), *self.restored})
            self.main_dirty = True
        if self.main_dirty:
            atomic_write(self.folder / MAIN_FILE, dumps_tables(copy.deepcopy(self.main)))
