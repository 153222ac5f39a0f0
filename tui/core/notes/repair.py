"""Upgrading and checking a notes folder.

``migrate_v1`` upgrades the first schema in place (``schema1.py`` reads it).
``doctor`` checks every file without changing anything, and names every
problem that ``salvage`` (``salvage.py``, run by ``Store.repair``) sets
right; it never calls a folder clean while a ``.corrupt-*`` copy holds
annotations that the store lacks.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from .articles import header_length
from .commit import leftovers, listed
from .files import (
    ARTICLES_DIR,
    KEY,
    MAIN_FILE,
    SCHEMA_VERSION,
    Doc,
    atomic_write,
    check_main,
    check_shard,
    dumps_tables,
    path_key,
    temporary_files,
)
from .layout import ANALYSTS_DIR, analyst_faults, analyst_files, analyst_temporary_files
from .salvage import CORRUPT, backup, checked, readable_annotations
from .schema1 import convert, is_schema1

__all__ = ["Report", "backup", "doctor", "migrate_v1"]


def migrate_v1(folder: Path, data: Doc, default_tags: list[Doc]) -> None:
    """Upgrade a schema-1 folder in place; the old main file is kept beside it.

    Article files are written first under keys derived from their paths, so
    a crash before the new main file is in place just runs the migration
    again over the same files. A document of the wrong shape stops it
    (StoreError naming it); ``dossier doctor --repair`` salvages such a file.
    """
    main = folder / MAIN_FILE
    new, shards = convert(data, default_tags, str(main))
    (folder / ARTICLES_DIR).mkdir(exist_ok=True)
    for key, shard in shards.items():
        atomic_write(folder / ARTICLES_DIR / f"{key}.json", dumps_tables(shard))
    backup(main, "v1")
    atomic_write(main, dumps_tables(new))


@dataclass
class Report:
    """What `doctor` found: problems (file and message), orphans, and totals."""

    folder: Path
    problems: list[tuple[str, str]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    articles: int = 0
    annotations: int = 0
    newer: bool = False  # a newer Dossier's notes: repair cannot help

    @property
    def ok(self) -> bool:
        """True when no problem was found (orphans are not problems)."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report as lines of text for a terminal."""
        out = [f"notes: {self.folder}: {self.articles} article(s), {self.annotations} annotation(s)"]
        out += [f"problem: {path}: {message}" for path, message in self.problems]
        out += [f"orphan: {orphan}" for orphan in self.orphans]
        if self.ok:
            out.append("no problems found")
        elif self.newer:
            out.append(f"{len(self.problems)} problem(s); these notes need a newer Dossier")
        else:
            out.append(f"{len(self.problems)} problem(s); `dossier doctor --repair` salvages what it can")
        return out


def doctor(folder: str | Path) -> Report:
    """Check every file of a notes folder without changing anything."""
    folder = Path(folder)
    report = Report(folder)
    articles = folder / ARTICLES_DIR
    if (articles.exists() or articles.is_symlink()) and not articles.is_dir():
        report.problems.append((ARTICLES_DIR, "not a folder"))
    main = _check_main(folder, report)
    index = {e["key"]: e for e in main.get("articles", {}).values()}
    indexed_paths = {e["path"] for e in index.values()}
    spelling = {t["name"].casefold(): t["name"] for t in main.get("tags", {}).values()}
    ids: set[str] = set()
    entries = sorted(articles.glob("*.json")) if articles.is_dir() else []
    by_analysts = _check_analysts(folder, report)
    for path in entries:
        name = f"{ARTICLES_DIR}/{path.name}"
        data, error = checked(path, check_shard)
        if error or data is None:
            report.problems.append((name, error or "vanished while it was being checked"))
            continue
        if not KEY.fullmatch(path.stem):
            report.problems.append((name, "not a name Dossier gives its files; its annotations are not shown"))
            continue
        head = data["article"]["1"]
        if path.stem not in index and head["path"] in indexed_paths:
            report.problems.append((name, f"a second notes file for {head['path']}, not in use; its annotations are not shown"))
        elif path.stem not in index and path.stem != path_key(head["path"]):
            report.problems.append((name, "not in the index (a save was interrupted); the next open adopts it"))
        if path.stem not in index:
            indexed_paths.add(head["path"])  # a file named after its path needs no entry, but a second one for it is unused
        report.articles += 1
        gone = bool(index.get(path.stem, {}).get("missing"))
        theirs = by_analysts.pop(path.stem, [])
        held = {doc["id"] for doc in theirs}  # a copy in an analyst's file wins over one left in the article file
        data = dict(data, annotations={str(i): d for i, d in enumerate(
            [*(d for d in data["annotations"].values() if d["id"] not in held), *theirs], 1)})
        _check_annotations(data, name, head, spelling if main else {}, ids, report, gone)
    for key, docs in by_analysts.items():  # only an analyst's file names the article: read as well
        head = {"path": docs[0]["article"]["path"], "sha256": docs[0]["article"].get("sha256", "")}
        report.articles += 1
        _check_annotations({"annotations": dict(enumerate(docs))}, f"{ANALYSTS_DIR}/…/{key}.json", head,
                           spelling if main else {}, ids, report, False)
    committing = set((listed(main) or {}).get("keys", []))  # staged by an import the next open finishes
    for key, entry in index.items():
        if not (articles / f"{key}.json").exists() and key not in committing:
            report.problems.append((MAIN_FILE, f"the notes of {entry['path']} ({ARTICLES_DIR}/{key}.json) are missing"))
    report.problems += [(str(p.relative_to(folder)), "leftover temporary file of an interrupted save; the next open removes it")
                        for p in [*temporary_files(folder), *analyst_temporary_files(folder)]]
    report.problems += [(str(p.relative_to(folder)), "leftover of an import that never finished; the next open removes it")
                        for p in leftovers(folder, main)]
    _check_copies(folder, main, ids, report)
    return report


def _check_main(folder: Path, report: Report) -> Doc:
    """Check the main file; return it if it can be read as today's schema, else {}."""
    path = folder / MAIN_FILE
    data, error = checked(path, check_main)
    if error:
        report.problems.append((MAIN_FILE, error))
        return {}
    if data is None:
        return {}
    meta: Doc = next(iter(data["meta"].values()), {})
    schema = meta.get("schema")
    if schema not in (2, SCHEMA_VERSION):  # 2 reads as 3: the next writer moves its annotations (layout.py)
        if isinstance(schema, int) and schema > SCHEMA_VERSION:
            report.newer = True
            report.problems.append((MAIN_FILE, f"schema {schema} is newer than the one this Dossier reads ({SCHEMA_VERSION})"))
        elif is_schema1(data):
            report.problems.append((MAIN_FILE, f"schema {schema}: opening the notes for writing upgrades it"))
        else:
            report.problems.append((MAIN_FILE, f"schema {schema} is not one this Dossier knows"))
        return {}
    if meta.get("pending"):
        report.problems.append((MAIN_FILE, "a tag rename or removal was interrupted; the next open finishes it"))
    if listed(data) is not None:
        report.problems.append((MAIN_FILE, "an import was interrupted after it was committed; the next open finishes it"))
    seen: dict[str, str] = {}
    for tag in data["tags"].values():
        other = seen.setdefault(tag["name"].casefold(), tag["name"])
        if other != tag["name"]:
            report.problems.append((MAIN_FILE, f"tags {other!r} and {tag['name']!r} differ only in case"))
    return data


def _check_annotations(
    data: Doc, name: str, head: Doc, spelling: dict[str, str], ids: set[str], report: Report, gone: bool
) -> None:
    """Check one article file's annotations; list its orphans (all of them if its article is missing from the corpus)."""
    length = header_length(head)
    for doc in data["annotations"].values():
        report.annotations += 1
        if doc["id"] in ids:
            report.problems.append((name, f"annotation {doc['id']} is stored twice"))
        ids.add(doc["id"])
        unknown = [t for t in doc["tags"] if t.casefold() not in spelling]
        if unknown and spelling:
            report.problems.append((name, f"annotation {doc['id']} uses unknown tag(s) {', '.join(unknown)}"))
        respelled = [t for t in doc["tags"] if t.casefold() in spelling and spelling[t.casefold()] != t]
        if respelled and spelling:
            report.problems.append((name, f"annotation {doc['id']} spells tag(s) {', '.join(respelled)} unlike the vocabulary"))
        end = doc["target"]["end"]
        if length is not None and head["sha256"] and not doc.get("orphan") and end > length:
            report.problems.append((name, f"annotation {doc['id']} ends at offset {end}, beyond the {length} characters of its text"))
        if doc.get("orphan") or gone:
            why = " (its article was not in the corpus when the notes were last synced with it)" if gone else ""
            report.orphans.append(f"{head['path']}: {doc['id']}: {doc['target']['exact'][:60]!r}{why}")
    report.orphans += [
        f"{head['path']}: override of line {o['line']} ({o['text'][:40]!r}): line is gone"
        for o in data.get("overrides", {}).values() if o.get("orphan")
    ]


def _check_analysts(folder: Path, report: Report) -> dict[str, list[Doc]]:
    """Check every analyst's file; the annotations of those that read, by article file key."""
    found: dict[str, list[Doc]] = {}
    for name, key, path in analyst_files(folder):
        data, error = checked(path, functools.partial(analyst_faults, name=name))
        if error or data is None:
            report.problems.append((str(path.relative_to(folder)), error or "vanished while it was being checked"))
            continue
        found.setdefault(key, []).extend(dict(doc, analyst=name) for doc in data["annotations"].values())
    return found


def _check_copies(folder: Path, main: Doc, ids: set[str], report: Report) -> None:
    """A `.corrupt-*` copy that holds annotations the store lacks is a problem until repair restores them."""
    meta: object = next(iter(main.get("meta", {}).values()), {}) if main else {}
    done = set(meta.get("salvaged") or []) if isinstance(meta, dict) else set()
    articles = folder / ARTICLES_DIR
    copies = [*folder.glob(f"{MAIN_FILE}.{CORRUPT}-*"), *(articles.glob(f"*.json.{CORRUPT}-*") if articles.is_dir() else []),
              *folder.glob(f"{ANALYSTS_DIR}/*/{ARTICLES_DIR}/*.json.{CORRUPT}-*")]
    for kept in sorted(copies):
        name = str(kept.relative_to(folder))
        if name in done or not kept.is_file():
            continue
        lacking = {doc["id"] for doc in readable_annotations(kept)} - ids
        if lacking:
            report.problems.append(
                (name, f"{len(lacking)} annotation(s) not in the notes; `dossier doctor --repair` restores them")
            )

