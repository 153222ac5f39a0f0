"""Upgrading, checking and salvaging a notes folder.

``migrate_v1`` upgrades the first schema in place. ``doctor`` checks every
file without changing anything. ``salvage`` rewrites what can still be read
from damaged files into new ones and keeps every original beside it as
``<name>.corrupt-<time>``, so nothing is lost (``Store.repair`` runs it under
the write lock).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .files import (
    ANNOTATION_FIELDS,
    ARTICLES_DIR,
    MAIN_FILE,
    SCHEMA_VERSION,
    TMP_SUFFIX,
    Checker,
    Doc,
    StoreError,
    annotation_faults,
    atomic_write,
    check_main,
    check_shard,
    check_table,
    dumps_tables,
    fsync_dir,
    load_json,
    now,
)

# --- migration ----------------------------------------------------------------
# Schema 1 kept everything in dossier.json: one flat `annotations` table of
# {id, path, sha256, start, end, quote, tag, note, created}, a single tag
# string per annotation, no context, no vocabulary and no overrides.

_V1_FIELDS = {"id": str, "path": str, "sha256": str, "start": int, "end": int, "quote": str, "created": str}


def shard_key(path: str) -> str:
    """A stable file key for an article path (migration and salvage reuse it on a rerun)."""
    return hashlib.sha1(path.encode("utf-8")).hexdigest()


def migrate_v1(folder: Path, data: Doc, default_tags: list[Doc]) -> None:
    """Upgrade a schema-1 folder in place; the old main file is kept beside it.

    Article files are written first under keys derived from their paths, so
    a crash before the new main file is in place just runs the migration
    again over the same files.
    """
    main = folder / MAIN_FILE
    faults: list[str] = []
    check_table(data, "annotations", _V1_FIELDS, faults)
    if faults:
        raise StoreError(f"{main}: wrong shape for schema 1: {faults[0]}")
    shards: dict[str, Doc] = {}
    used: list[str] = []
    for doc in data["annotations"].values():
        tags = [doc["tag"]] if isinstance(doc.get("tag"), str) and doc["tag"] else []
        used += [t for t in tags if t not in used]
        article = {"path": doc["path"], "sha256": doc["sha256"]}
        shard = shards.setdefault(doc["path"], {"article": {"1": article}, "annotations": {}, "overrides": {}})
        shard["annotations"][str(len(shard["annotations"]) + 1)] = {
            "id": doc["id"], "article": article,
            "target": {"start": doc["start"], "end": doc["end"], "exact": doc["quote"], "prefix": "", "suffix": ""},
            "tags": tags, "note": doc.get("note") or "", "created": doc["created"], "updated": doc["created"],
            "orphan": False,
        }
    (folder / ARTICLES_DIR).mkdir(exist_ok=True)
    index = {}
    for n, (path, shard) in enumerate(sorted(shards.items()), 1):
        atomic_write(folder / ARTICLES_DIR / f"{shard_key(path)}.json", dumps_tables(shard))
        index[str(n)] = {"key": shard_key(path), **shard["article"]["1"]}
    backup(main, "v1")
    known = {t["name"] for t in default_tags}
    tags = default_tags + [{"name": t, "colour": "grey", "key": ""} for t in used if t not in known]
    meta = {"schema": SCHEMA_VERSION, "created": now(), "migrated_from": 1}
    new = {"meta": {"1": meta}, "tags": {str(i): t for i, t in enumerate(tags, 1)}, "articles": index}
    atomic_write(main, dumps_tables(new))


def backup(path: Path, why: str) -> Path:
    """Durably copy `path` to `<name>.<why>-<timestamp>` beside it and return the copy's path."""
    copy = path.with_name(f"{path.name}.{why}-{time.strftime('%Y%m%d-%H%M%S')}")
    shutil.copy2(path, copy)
    with open(copy, "rb") as handle:
        os.fsync(handle.fileno())
    fsync_dir(path.parent)
    return copy


# --- doctor and salvage -------------------------------------------------------


@dataclass
class Report:
    """What `doctor` found: problems (file and message), orphans, and totals."""

    folder: Path
    problems: list[tuple[str, str]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    articles: int = 0
    annotations: int = 0

    @property
    def ok(self) -> bool:
        """True when no problem was found (orphans are not problems)."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report as lines of text for a terminal."""
        out = [f"notes: {self.folder}: {self.articles} article(s), {self.annotations} annotation(s)"]
        out += [f"problem: {path}: {message}" for path, message in self.problems]
        out += [f"orphan: {orphan}" for orphan in self.orphans]
        out.append("no problems found" if self.ok else f"{len(self.problems)} problem(s); `dossier doctor --repair` salvages what it can")
        return out


def _checked(path: Path, check: Checker) -> tuple[Doc | None, str | None]:
    """(data, None) if the file reads and passes `check`, else (None, what is wrong)."""
    try:
        data = load_json(path)
    except StoreError as exc:
        return None, str(exc).removeprefix(f"{path}: ")
    faults = check(data) if data is not None else []
    return (None, f"wrong shape: {faults[0]}") if faults else (data, None)


def doctor(folder: str | Path) -> Report:
    """Check every file of a notes folder without changing anything."""
    folder = Path(folder)
    report = Report(folder)
    main, error = _checked(folder / MAIN_FILE, check_main)
    if error:
        report.problems.append((MAIN_FILE, error))
    main = main or {}
    meta: Doc = next(iter(main.get("meta", {}).values()), {})
    schema = meta.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        report.problems.append((MAIN_FILE, f"schema {schema}: opening the notes for writing upgrades it"))
    if meta.get("pending"):
        report.problems.append((MAIN_FILE, "a tag rename or removal was interrupted; the next open finishes it"))
    index = {e["key"]: e for e in main.get("articles", {}).values()}
    indexed_paths = {e["path"] for e in index.values()}
    known = {t["name"] for t in main.get("tags", {}).values()}
    seen_ids: set[str] = set()
    files = sorted((folder / ARTICLES_DIR).glob("*.json")) if (folder / ARTICLES_DIR).is_dir() else []
    for path in files:
        name = f"{ARTICLES_DIR}/{path.name}"
        data, error = _checked(path, check_shard)
        if error or data is None:
            report.problems.append((name, error or "vanished while it was being checked"))
            continue
        path_of = data["article"]["1"]["path"]
        if path.stem not in index and path_of in indexed_paths:
            report.problems.append((name, f"a second notes file for {path_of}, not in use; its annotations are not shown"))
        elif path.stem not in index:
            report.problems.append((name, "not in the index (a save was interrupted); the next open adopts it"))
        report.articles += 1
        for doc in data["annotations"].values():
            report.annotations += 1
            if doc["id"] in seen_ids:
                report.problems.append((name, f"annotation {doc['id']} is stored twice"))
            seen_ids.add(doc["id"])
            unknown = [t for t in doc["tags"] if t not in known]
            if unknown and known:
                report.problems.append((name, f"annotation {doc['id']} uses unknown tag(s) {', '.join(unknown)}"))
            if doc.get("orphan"):
                report.orphans.append(f"{doc['article']['path']}: {doc['id']}: {doc['target']['exact'][:60]!r}")
        report.orphans += [
            f"{data['article']['1']['path']}: override of line {o['line']} ({o['text'][:40]!r}): line is gone"
            for o in data.get("overrides", {}).values() if o.get("orphan")
        ]
    for key, entry in index.items():
        if not (folder / ARTICLES_DIR / f"{key}.json").exists():
            report.problems.append((MAIN_FILE, f"the notes of {entry['path']} ({ARTICLES_DIR}/{key}.json) are missing"))
    report.problems += [(str(p.relative_to(folder)), "leftover temporary file of an interrupted save; the next open removes it")
                        for p in folder.rglob(f".*{TMP_SUFFIX}")]
    return report


_DOC_LINE = re.compile(r'^\s*"([^"]+)": (\{.*\}),?\s*$')
_TABLE_LINE = re.compile(r'^ "([^"]+)": \{\s*(\}?),?\s*$')


def _salvage_tables(path: Path) -> dict[str, dict[str, Doc]]:
    """Every document that can still be read from a damaged file, by table.

    Parsed whole if it is valid JSON (only its shape is wrong), else line by
    line: the store writes one document per line, so one damaged line costs
    one document.
    """
    try:
        data = json.loads(path.read_bytes().decode("utf-8", "replace"))
        if isinstance(data, dict):
            return {t: {k: d for k, d in docs.items() if isinstance(d, dict)} for t, docs in data.items() if isinstance(docs, dict)}
    except ValueError:
        pass
    tables: dict[str, dict[str, Doc]] = {}
    table = None
    for line in path.read_bytes().decode("utf-8", "replace").splitlines():
        if m := _TABLE_LINE.match(line):
            table = tables.setdefault(m.group(1), {})
        elif table is not None and (m := _DOC_LINE.match(line)):
            with contextlib.suppress(ValueError):
                if isinstance(doc := json.loads(m.group(2)), dict):
                    table[m.group(1)] = doc
    return tables


def _keep(table: str, docs: dict[str, Doc], fields: dict[str, type]) -> dict[str, Doc]:
    """The documents of a salvaged table that have the right shape."""
    kept = {}
    for key, doc in docs.items():
        faults: list[str] = []
        check_table({table: {key: doc}}, table, fields, faults)
        if not faults and (table != "annotations" or not annotation_faults(doc)):
            kept[key] = doc
    return kept


def salvage(folder: Path, default_tags: list[Doc]) -> list[str]:
    """Rewrite each damaged file of a notes folder from what can be read; keep every original.

    The caller holds the write lock. Returns what was done, one line each.
    """
    actions: list[str] = []
    main_path = folder / MAIN_FILE
    main, error = _checked(main_path, check_main)
    if error and main_path.exists():
        tables = _salvage_tables(main_path)
        tags = _keep("tags", tables.get("tags", {}), {"name": str, "colour": str, "key": str})
        tags = tags or {str(i): t for i, t in enumerate(default_tags, 1)}
        main = {"meta": {"1": {"schema": SCHEMA_VERSION, "created": now()}}, "tags": tags,
                "articles": _keep("articles", tables.get("articles", {}), {"key": str, "path": str, "sha256": str})}
        kept = backup(main_path, "corrupt")
        atomic_write(main_path, dumps_tables(main))
        rebuilt = f"rebuilt with {len(tags)} tag(s) and {len(main['articles'])} article(s)"
        actions.append(f"{MAIN_FILE}: {error}; {rebuilt}, original kept as {kept.name}")
    if main is None or "articles" not in main:
        return actions  # nothing yet, or an old schema that the next open migrates
    index = {e["key"]: e for e in main["articles"].values()}
    used: set[str] = set()
    for path in sorted((folder / ARTICLES_DIR).glob("*.json")):
        data, error = _checked(path, check_shard)
        if error:
            tables = _salvage_tables(path)
            anns = _keep("annotations", tables.get("annotations", {}), ANNOTATION_FIELDS)
            header = next(iter(_keep("article", tables.get("article", {}), {"path": str, "sha256": str}).values()), None)
            header = header or index.get(path.stem) or next((dict(a["article"]) for a in anns.values()), None)
            kept = backup(path, "corrupt")
            if header is None:
                path.unlink()
                actions.append(f"{ARTICLES_DIR}/{path.name}: {error}; nothing could be saved, original kept as {kept.name}")
                continue
            data = {"article": {"1": {"path": header["path"], "sha256": header["sha256"]}}, "annotations": anns,
                    "overrides": _keep("overrides", tables.get("overrides", {}), {"line": int, "text": str, "keep": bool})}
            atomic_write(path, dumps_tables(data))
            actions.append(f"{ARTICLES_DIR}/{path.name}: {error}; salvaged {len(anns)} annotation(s), original kept as {kept.name}")
        if data is not None:  # None: the file vanished since the folder was listed
            used.update(t for doc in data["annotations"].values() for t in doc["tags"])
    missing = [k for k in index if not (folder / ARTICLES_DIR / f"{k}.json").exists()]
    known = {t["name"] for t in main["tags"].values()}
    if missing or used - known:
        main["articles"] = {i: e for i, e in main["articles"].items() if e["key"] not in missing}
        n = len(main["tags"])
        main["tags"].update({str(n + i): {"name": t, "colour": "grey", "key": ""} for i, t in enumerate(sorted(used - known), 1)})
        atomic_write(main_path, dumps_tables(main))
        actions += [f"{MAIN_FILE}: dropped the index entry of {index[k]['path']}, whose file is missing" for k in missing]
        actions += [f"{MAIN_FILE}: added unknown tag {t!r} to the vocabulary" for t in sorted(used - known)]
    return actions

