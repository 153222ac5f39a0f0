"""Each annotated article's count, tags and notes, kept in the cache beside the corpus's rows.

The list shows how many annotations each article has and which tags; search
finds notes (each note row records its analyst, so blind coding's search
can leave out the other analysts' notes). Reading every annotation of a large notes folder for that at
every start grows with the folder, so the cache keeps, per article file of
the notes folder (``articles/<key>.json``), its size and time, the article
it belongs to, its count and tags, its notes, and the analyst's attribute
edits of the article (which the list's dates and outlets need: read here,
the reader never loads every notes file to find them). :func:`sync_notes`
reads again only the files whose size or time changed, with one ``stat`` each.

The notes themselves stay in their TinyDB files: this is derived from them,
read-only, and a file it cannot read is left out here (``doctor`` reports
it) rather than trusted.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tui.core.cache.corpus_cache import CorpusCache
from tui.core.cache.database import from_db, to_db, transaction
from tui.core.folding import fold
from tui.core.notes.files import ARTICLES_DIR, KEY, StoreError, check_shard
from tui.core.notes.layout import analyst_files, read_article
from tui.core.notes.model import Annotation

#: The key prefix of rows recorded by :func:`record_notes` rather than read from a file.
LIVE = "live:"


def sync_notes(cache: CorpusCache, notes: Path) -> int:
    """Bring the counts, tags and notes up to date with the notes folder; returns the files read again."""
    conn = cache.db.connect()
    known = {key: (size, mtime) for key, size, mtime in conn.execute("SELECT key, size, mtime_ns FROM notes")}
    found = _article_files(notes)
    changed = [(key, stat) for key, stat in found.items() if known.get(key) != stat]
    gone = [key for key in known if key not in found]
    if not changed and not gone:
        return 0
    with transaction(conn):
        for key in gone:
            _drop(conn, key)
        for key, (size, mtime) in changed:
            _drop(conn, key)
            try:
                data = read_article(notes, key)  # its shared file and every analyst's file of it
            except StoreError:
                continue  # damaged: not counted until doctor --repair mends it
            if data is None or check_shard(data):
                continue
            header = data["article"].get("1", {})
            _drop(conn, f"{LIVE}{to_db(header.get('path', ''))}")  # what the reader recorded of it is read here whole
            # in text order, as the reader lists them (an analyst's file is in the order of the ids)
            annotations = sorted((Annotation.from_dict(doc) for doc in data["annotations"].values()),
                                 key=lambda a: (a.orphan, a.target.start, a.target.end))
            _put(conn, key, size, mtime, header.get("path", ""), header.get("sha256", ""), annotations, _edits(data))
    return len(changed) + len(gone)


def record_notes(cache: CorpusCache, path: str, annotations: Iterable[Annotation]) -> None:
    """Put one article's annotations in the cache as the reader saved them (no file read again).

    The row is keyed by the article's path, not by its notes file, so the
    next :func:`sync_notes` sees no file of that key, drops this row and
    reads the real file once: what is on disk always wins.
    """
    conn = cache.db.connect()
    with transaction(conn):
        edits: dict[str, str] = {}
        for key, stored in conn.execute("SELECT key, attributes FROM notes WHERE path = ? ORDER BY key", (to_db(path),)).fetchall():
            edits.update(_loads_edits(stored))  # the row is replaced, the article's attribute edits are not
            _drop(conn, key)
        _put(conn, f"{LIVE}{to_db(path)}", -1, -1, path, "", annotations, edits)


def note_attributes(cache: CorpusCache) -> dict[str, dict[str, str]]:
    """The analyst's attribute edits of each article, by path, as last synced (``""``: an attribute cleared).

    As ``Store.attributes.of`` reads them from the article's notes file. Two
    notes files naming one article (left by a crash; ``doctor`` reports
    them) have their edits merged, the file with the greater key winning a
    clash.
    """
    edits: dict[str, dict[str, str]] = {}
    query = "SELECT path, attributes FROM notes WHERE attributes IS NOT NULL ORDER BY key"
    for path, stored in cache.db.connect().execute(query):
        found = _loads_edits(stored)
        if found:
            edits.setdefault(from_db(path), {}).update(found)
    return edits


def _edits(data: dict[str, Any]) -> dict[str, str]:
    """The attribute edits an article's notes (checked by ``check_shard``) hold, by name, in the order made."""
    table = data.get("attributes")
    if not isinstance(table, dict):
        return {}
    return {doc["attribute"]: doc["value"] for doc in table.values() if isinstance(doc, dict) and _is_edit(doc)}


def _is_edit(doc: dict[str, Any]) -> bool:
    return isinstance(doc.get("attribute"), str) and isinstance(doc.get("value"), str)


def _loads_edits(stored: object) -> dict[str, str]:
    """Edits as the cache stored them (anything else reads as none: the cache is never trusted beyond its shape)."""
    if not isinstance(stored, str):
        return {}
    try:
        found = json.loads(stored)
    except ValueError:
        return {}
    if not isinstance(found, dict):
        return {}
    return {key: value for key, value in found.items() if isinstance(key, str) and isinstance(value, str)}


def _article_files(notes: Path) -> dict[str, tuple[int, int]]:
    """Each article file of the notes folder by key, with its size and time (one stat each)."""
    files: dict[str, tuple[int, int]] = {}
    try:
        with os.scandir(notes / ARTICLES_DIR) as entries:
            for entry in entries:
                key, dot, suffix = entry.name.partition(".")
                if suffix != "json" or not dot or not KEY.fullmatch(key):
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                files[key] = (info.st_size, info.st_mtime_ns)
    except OSError:
        pass  # no notes yet, or a folder that cannot be read: nothing to count
    for _, key, path in analyst_files(notes):  # an analyst's change shows in the key's size and time
        try:
            info = path.stat(follow_symlinks=False)
        except OSError:
            continue
        size, mtime = files.get(key, (0, 0))
        files[key] = (size + info.st_size, max(mtime, info.st_mtime_ns))
    return files


def _drop(conn: sqlite3.Connection, key: str) -> None:
    for id_, note in conn.execute("SELECT id, note FROM note_rows WHERE key = ?", (key,)).fetchall():
        conn.execute("INSERT INTO note_index(note_index, rowid, note) VALUES ('delete', ?, ?)", (id_, fold(note)))
    conn.execute("DELETE FROM note_rows WHERE key = ?", (key,))
    conn.execute("DELETE FROM notes WHERE key = ?", (key,))


def _put(
    conn: sqlite3.Connection, key: str, size: int, mtime: int, path: str, sha256: str,
    annotations: Iterable[Annotation], edits: dict[str, str] | None = None,
) -> None:
    annotations = list(annotations)
    tags = list(dict.fromkeys(tag for ann in annotations for tag in ann.tags))
    conn.execute(
        "INSERT INTO notes(key, size, mtime_ns, path, sha256, count, tags, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (key, size, mtime, to_db(path), sha256, len(annotations), json.dumps(tags), json.dumps(edits) if edits else None),
    )
    for ann in annotations:
        if not ann.note.strip():
            continue
        note = ann.note.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate from a JSON escape: SQLite refuses it
        cursor = conn.execute(
            "INSERT INTO note_rows(key, annotation, analyst, path, start, end, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key, ann.id, ann.analyst, to_db(path), ann.target.start, ann.target.end, note),
        )
        conn.execute("INSERT INTO note_index(rowid, note) VALUES (?, ?)", (cursor.lastrowid, fold(note)))


def note_counts(cache: CorpusCache) -> dict[str, tuple[int, tuple[str, ...]]]:
    """Annotations and tags per article path, as last synced."""
    counts: dict[str, tuple[int, tuple[str, ...]]] = {}
    for path, count, tags in cache.db.connect().execute("SELECT path, count, tags FROM notes"):
        path = from_db(path)
        old = counts.get(path, (0, ()))
        counts[path] = (old[0] + count, tuple(dict.fromkeys((*old[1], *json.loads(tags)))))
    return counts
