"""The files of a notes folder: atomic writes, strict reads, shape checks, the write lock.

Every file is a TinyDB database written by `AtomicJSONStorage`: the whole
file goes to a temporary file in the same folder, which is flushed, fsynced
and renamed over the old one before the folder itself is fsynced. A reader
therefore sees the old file or the new one, never a mixture, and a write
that returned survives a crash.

A file that cannot be parsed, or whose shape is wrong, raises StoreError
naming the file and the fault; it is never written over. A write that fails
(a full disk, the file-size limit, a folder gone read-only) raises SaveError
and leaves the old file in place; the in-memory copy is dropped, so the next
read sees what is on disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import socket
import stat
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeGuard

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.storages import Storage

from .analyst_names import is_analyst

#: A JSON object as read from a notes file (a table, a document).
Doc = dict[str, Any]

#: 3: annotations live in each analyst's own files (``layout.py``); 2: in the article files (migrated on open).
SCHEMA_VERSION = 3
MAIN_FILE = "dossier.json"
ARTICLES_DIR = "articles"
TMP_SUFFIX = ".tmp"


class StoreError(Exception):
    """The notes folder cannot be read or written as asked."""


class ReadOnlyError(StoreError):
    """A write was attempted on a store opened read-only."""


class LockedError(StoreError):
    """Another process holds the notes folder's write lock; `holder` says who."""

    def __init__(self, message: str, holder: str = "another process") -> None:
        super().__init__(message)
        self.holder = holder


class NotWritableError(StoreError):
    """The notes folder cannot be written by this process (read-only, not a folder, no permission); `why` says which."""

    def __init__(self, message: str, why: str = "the notes folder cannot be written") -> None:
        super().__init__(message)
        self.why = why


class SaveError(StoreError):
    """A write failed (full disk, file-size limit, permission); the file on disk is unchanged."""


#: No offset in a notes file may reach this: the corpus skips files over
#: 256 MB, so no article has 2**31 characters, and a bigger number can only
#: come from a damaged or hostile file.
MAX_OFFSET = 1 << 31


def path_key(path: str) -> str:
    """The file key of an article's notes, derived from its path: ``articles/<key>.json`` is found without an index.

    SHA-1 of the path (40 hex digits; a path with an undecodable byte, kept
    as a lone surrogate, hashes too). Keys the store gave before (random, 32
    digits) and keys of renamed articles are found through the index.
    """
    return hashlib.sha1(path.encode("utf-8", "surrogatepass")).hexdigest()


def describe(error: OSError) -> str:
    """An operating-system error as a phrase ("No space left on device"), without errno or path."""
    return error.strerror or str(error)


def now() -> str:
    """The current time, ISO 8601 in UTC with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new file whole."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}")
    # os.open honours the umask, so notes get ordinary permissions (mkstemp would make them 0600).
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def dumps_tables(data: Doc) -> bytes:
    """Serialise TinyDB tables with one document per line.

    Readable and diffable, and each line goes through the C JSON encoder,
    which an indented dump would not use.
    """
    tables = []
    for name, table in data.items():
        rows = ",\n".join(f"  {json.dumps(str(k))}: {json.dumps(doc, ensure_ascii=False)}" for k, doc in table.items())
        tables.append(f" {json.dumps(name)}: {{\n{rows}\n }}" if rows else f" {json.dumps(name)}: {{}}")
    # A lone surrogate (a file name's undecodable byte) has no UTF-8 form; written as the JSON escape
    # \udcff it reads back as the same string, so no write can fail on one.
    return ("{\n" + ",\n".join(tables) + "\n}\n").encode("utf-8", "backslashreplace")


def parse_json(raw: bytes, name: str | Path) -> Any:
    """Parse JSON text; StoreError naming `name` and the fault, never a RecursionError or other crash."""
    if raw.startswith(b"<<<<<<< ") or b"\n<<<<<<< " in raw:
        raise StoreError(conflicted(name))
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise StoreError(f"{name}: not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise StoreError(f"{name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    except RecursionError:
        # json's C parser recurses once per nested array or object: "[" * 100000 exhausts the stack.
        raise StoreError(f"{name}: not valid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise StoreError(f"{name}: not valid JSON: {exc}") from None


def conflicted(name: str | Path) -> str:
    """The one line that explains a notes file left with git's conflict markers, and how to set it right."""
    return (f"{name}: holds git conflict markers (<<<<<<< … >>>>>>>): two versions were merged; keep the lines you want "
            "between the markers and delete the markers (or `git checkout --ours` / `--theirs` the file), then run dossier doctor")


def temporary_files(folder: Path) -> list[Path]:
    """Temporary files of interrupted saves: in the notes folder and its articles folder, never deeper."""
    articles = folder / ARTICLES_DIR
    return [*folder.glob(f".*{TMP_SUFFIX}"), *(articles.glob(f".*{TMP_SUFFIX}") if articles.is_dir() else [])]


def load_json(path: Path) -> Doc | None:
    """The parsed file, None if it does not exist; StoreError naming the fault otherwise."""
    found = load_json_bytes(path)
    return None if found is None else found[0]


def load_json_bytes(path: Path) -> tuple[Doc, bytes] | None:
    """The parsed file and its bytes, None if it does not exist; StoreError naming the fault otherwise.

    Opened without blocking and checked on the open file: a folder, or a
    FIFO or device that could hang the read or never end, is refused, and
    nothing can be swapped in between a check and the read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StoreError(f"{path}: is a folder where a notes file should be") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot be read: {describe(exc)}") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise StoreError(f"{path}: is {what} where a notes file should be")
    with os.fdopen(fd, "rb") as handle:
        try:
            raw = handle.read()
        except OSError as exc:
            raise StoreError(f"{path}: cannot be read: {describe(exc)}") from exc
    data = parse_json(raw, path)
    if not isinstance(data, dict):
        raise StoreError(f"{path}: wrong shape: the top level should be an object of tables")
    return data, raw


Checker = Callable[[Doc], list[str]]


class AtomicJSONStorage(Storage):
    """TinyDB storage that reads a file once, checks it, and writes it atomically.

    The parsed tables are kept in memory: TinyDB reads the whole database
    before every operation, and re-parsing would make a save cost grow with
    the file. In read-only mode writes change only the in-memory copy, so a
    read-only store can still show annotations re-anchored on edited text.
    """

    def __init__(self, path: str | Path, check: Checker, readonly: bool = False) -> None:
        """A storage for `path`, whose contents must pass `check` (a list of faults)."""
        super().__init__()
        self.path = Path(path)
        self.readonly = readonly
        self._check = check
        self._data: Doc | None = None
        self._loaded = False

    def preload(self, data: Doc) -> None:
        """Use `data` as the file's contents without reading the disk (a read-only view of notes kept elsewhere)."""
        self._data, self._loaded = data, True

    def read(self) -> Doc | None:
        """The tables, parsed and checked on first use."""
        if not self._loaded:
            data = load_json(self.path)
            faults = self._check(data) if data is not None else []
            if faults:
                raise StoreError(f"{self.path}: wrong shape: {faults[0]}")
            self._data, self._loaded = data, True
        return self._data

    def write(self, data: Doc) -> None:
        """Save all tables; on failure forget the copy in memory so the next read sees the disk."""
        if not self._loaded:
            # TinyDB always reads before it writes; guard anyway, since a
            # write over an unread (maybe damaged) file could destroy notes.
            raise StoreError(f"{self.path}: refusing to write a file that was not read first")
        if not self.readonly:
            try:
                atomic_write(self.path, dumps_tables(data))
            except OSError as exc:
                self._data, self._loaded = None, False
                raise SaveError(f"not saved: {self.path}: {describe(exc)}") from exc
            except BaseException:
                self._data, self._loaded = None, False
                raise
        self._data = data


def storage(db: TinyDB) -> AtomicJSONStorage:
    """The atomic storage of a TinyDB that the store opened (every one of them has one)."""
    found = db.storage
    if not isinstance(found, AtomicJSONStorage):
        raise TypeError(f"{found!r} is not the store's atomic storage")
    return found


# --- shapes -------------------------------------------------------------------

ANNOTATION_FIELDS: dict[str, type] = {"id": str, "article": dict, "target": dict, "tags": list, "note": str, "created": str, "updated": str}
_TARGET_FIELDS: dict[str, type] = {"start": int, "end": int, "exact": str, "prefix": str, "suffix": str}


def check_table(data: Doc, name: str, fields: dict[str, type], faults: list[str], required: bool = True) -> None:
    """Append a fault for each document of table `name` lacking a field of the right type."""
    table = data.get(name)
    if table is None:
        if required:
            faults.append(f"table {name!r} is missing")
        return
    if not isinstance(table, dict):
        faults.append(f"table {name!r} should be an object")
        return
    for doc_id, doc in table.items():
        if not isinstance(doc, dict):
            faults.append(f"{name}/{doc_id} should be an object")
            continue
        for key, kind in fields.items():
            if not isinstance(doc.get(key), kind) or (kind is int and isinstance(doc.get(key), bool)):
                faults.append(f"{name}/{doc_id}: {key!r} should be {kind.__name__}")


def is_text(value: object) -> bool:
    """Whether a value is a string with a UTF-8 form (no lone surrogate such as an undecodable byte's \\udcff)."""
    if not isinstance(value, str):
        return True  # its type is another fault
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def annotation_ok(doc: object) -> bool:
    """Whether a stored annotation document breaks none of the rules of ``check_table`` and :func:`annotation_faults`.

    The common case, decided in one pass: a merge reads 100,000 annotations,
    and naming each field's fault is left to the slow path, only for the
    documents this does not pass. Stricter than the rules (exact JSON types),
    never looser: a document it passes has no fault.
    """
    if type(doc) is not dict:
        return False
    ident, note, tags, target, article = doc.get("id"), doc.get("note"), doc.get("tags"), doc.get("target"), doc.get("article")
    if not (type(ident) is str and ident and type(note) is str and type(tags) is list and type(target) is dict
            and type(article) is dict and type(article.get("path")) is str
            and type(doc.get("created")) is str and type(doc.get("updated")) is str):
        return False
    start, end, exact = target.get("start"), target.get("end"), target.get("exact")
    prefix, suffix = target.get("prefix"), target.get("suffix")
    if not (type(start) is int and type(end) is int and type(exact) is str and type(prefix) is str and type(suffix) is str
            and 0 <= start < end < MAX_OFFSET and len(exact) == end - start):
        return False
    if not all(type(tag) is str and tag for tag in tags):
        return False
    if "analyst" in doc and not is_analyst(doc["analyst"]):
        return False
    return is_text("".join([ident, note, exact, prefix, suffix, *tags]))


def annotations_ok(table: object) -> TypeGuard[dict[str, Doc]]:
    """Whether every document of an annotations table passes :func:`annotation_ok` (the fast path of a file's check)."""
    return isinstance(table, dict) and all(annotation_ok(doc) for doc in table.values())


def annotation_faults(doc: Doc) -> list[str]:
    """Faults of one stored annotation beyond its top-level field types.

    The rules every stored annotation follows, checked on every read and on
    every import: a non-empty id, offsets that are integers with
    0 <= start < end < MAX_OFFSET, a quote exactly end - start characters
    long (a target is always text[start:end], so a quote of another length
    means damaged offsets), tags that are non-empty strings.
    """
    faults = []
    target = doc["target"]
    for key, kind in _TARGET_FIELDS.items():
        value = target.get(key)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            faults.append(f"target {key!r} should be {'an integer' if kind is int else 'a string'}")
    if not faults:
        start, end, exact = target["start"], target["end"], target["exact"]
        if end < start:
            faults.append(f"target span {start}:{end} ends before it starts")
        elif not 0 <= start < end:
            faults.append(f"target span {start}:{end} is empty or negative")
        elif end >= MAX_OFFSET:
            faults.append(f"target span {start}:{end} lies beyond any article (offsets stop at {MAX_OFFSET})")
        elif len(exact) != end - start:
            faults.append(f"target span {start}:{end} does not fit its quote of {len(exact)} character(s)")
    if not doc["id"]:
        faults.append("'id' should not be empty")
    texts = [("id", doc["id"]), ("note", doc["note"]), *((k, target.get(k)) for k in ("exact", "prefix", "suffix"))]
    texts += [("tags", tag) for tag in doc["tags"]]
    # All the text encoded at once, and field by field only if that fails: a merge checks 100,000 annotations.
    if not is_text("".join(value for _, value in texts if isinstance(value, str))):
        faults += [f"{name!r} is not valid Unicode text (it holds a lone surrogate)" for name, value in texts if not is_text(value)]
    if not all(isinstance(tag, str) and tag for tag in doc["tags"]):
        faults.append("'tags' should be a list of non-empty strings")
    if not isinstance(doc["article"].get("path"), str):
        faults.append("article 'path' should be a string")
    if "analyst" in doc and not is_analyst(doc["analyst"]):
        faults.append("'analyst' should be a name of 1 to 64 characters, with no path separator or control character")
    return faults


def check_shard(data: Doc) -> list[str]:
    """Faults in the shape of an article file (header, annotations, overrides, the analyst's attributes and memo)."""
    faults: list[str] = []
    check_table(data, "article", {"path": str, "sha256": str}, faults)
    if not faults and len(data["article"]) != 1:
        faults.append("table 'article' should hold exactly one document")
    fine = annotations_ok(data.get("annotations"))
    if not fine:
        check_table(data, "annotations", ANNOTATION_FIELDS, faults)
    check_table(data, "overrides", {"line": int, "text": str, "keep": bool}, faults, required=False)
    check_table(data, "attributes", ATTRIBUTE_FIELDS, faults, required=False)
    check_memo(data, faults)
    if not faults:
        for doc_id, doc in ({} if fine else data["annotations"]).items():
            faults.extend(f"annotations/{doc_id}: {fault}" for fault in annotation_faults(doc))
        for doc_id, doc in data.get("attributes", {}).items():
            if not doc["attribute"] or not is_text(doc["attribute"]) or not is_text(doc["value"]):
                faults.append(f"attributes/{doc_id}: the name should be non-empty Unicode text, and the value Unicode text")
    return faults


#: The analyst's edit of one attribute (``notes/attributes.py``): its name, its value ("" clears it), when.
ATTRIBUTE_FIELDS: dict[str, type] = {"attribute": str, "value": str, "updated": str}
#: A memo (``notes/memos.py``): an article file's or the main file's ``memo`` table holds at most one.
MEMO_FIELDS: dict[str, type] = {"memo": str, "updated": str}


def check_memo(data: Doc, faults: list[str]) -> None:
    """Append the faults of the optional ``memo`` table: at most one document, of the memo's shape, in Unicode text."""
    before = len(faults)
    check_table(data, "memo", MEMO_FIELDS, faults, required=False)
    memo = data.get("memo")
    if len(faults) == before and isinstance(memo, dict):
        if len(memo) > 1:
            faults.append("table 'memo' should hold one document at most")
        elif any(not is_text(doc["memo"]) for doc in memo.values()):
            faults.append("the memo is not valid Unicode text (it holds a lone surrogate)")


#: An article file's key: the hex of a uuid4 or of a SHA-1 (never a path: keys name files).
KEY = re.compile(r"[0-9a-f]{8,64}")


def check_main(data: Doc) -> list[str]:
    """Faults in the shape of the main file (schema, tag vocabulary, article index, an unfinished commit)."""
    faults: list[str] = []
    check_table(data, "meta", {"schema": int}, faults)
    meta: Doc = next(iter(data["meta"].values()), {}) if not faults else {}
    if faults or meta.get("schema") not in (2, SCHEMA_VERSION):  # 2: same shape, annotations not yet moved
        return faults  # another schema: the migration, or a newer Dossier, knows its shape
    check_table(data, "tags", {"name": str, "colour": str, "key": str}, faults)
    if not faults:  # the codebook's description is optional: folders written before it have none
        faults += [f"tags/{i}: 'description' should be str" for i, t in data["tags"].items()
                   if "description" in t and not (isinstance(t["description"], str) and is_text(t["description"]))]
    check_table(data, "articles", {"key": str, "path": str, "sha256": str}, faults)
    check_memo(data, faults)  # the corpus memo
    if not faults:
        faults += [f"articles/{i}: key {e['key']!r} is not a file key" for i, e in data["articles"].items() if not KEY.fullmatch(e["key"])]
    commit = meta.get("commit")
    if commit is not None and not (
        isinstance(commit, dict) and isinstance(commit.get("token"), str) and KEY.fullmatch(commit["token"])
        and _keys(commit.get("keys")) and _analysts_keys(commit.get("analysts", {}))
    ):
        faults.append("meta 'commit' should name a token and the keys of its staged files")
    return faults


def _keys(value: object) -> bool:
    """Whether a listed commit's keys are a list of article file keys."""
    return isinstance(value, list) and all(isinstance(k, str) and KEY.fullmatch(k) for k in value)


def _analysts_keys(value: object) -> bool:
    """Whether a listed commit's analysts' files are {analyst name: [keys]} (a name is never a path)."""
    return isinstance(value, dict) and all(is_analyst(name) and _keys(keys) for name, keys in value.items())


# --- the lock -----------------------------------------------------------------

#: Seconds a writer waits for the lock before it says whom it is waiting for.
NOTICE = 1.0


def unwritable(folder: Path, articles_too: bool = True) -> str | None:
    """Why this process cannot write notes in `folder` (created if missing), or None if it can.

    Asked of the operating system with os.access, which knows permissions
    and read-only file systems; a write that still fails is a SaveError.
    `articles_too`: its articles folder must be writable as well (repair,
    which may have to move a file standing in its place, does not ask).
    """
    probe = folder
    while not probe.exists() and not probe.is_symlink() and probe.parent != probe:
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} is not a folder"
    if not os.access(probe, os.W_OK | os.X_OK):
        return "the notes folder is read-only" if probe == folder else f"{probe} is read-only, so {folder} cannot be made"
    articles = folder / ARTICLES_DIR
    if articles_too and probe == folder and articles.exists() and not (articles.is_dir() and os.access(articles, os.W_OK | os.X_OK)):
        return f"{articles} is read-only" if articles.is_dir() else f"{articles} is not a folder"
    return None


class WriteLock:
    """One writer per notes folder: an OS file lock, released if the holder dies.

    The holder's pid, host and start time go to a side file so that a second
    process can say who holds the lock (the lock file itself may be
    truncated by the locking library).
    """

    def __init__(self, folder: Path) -> None:
        """A lock on `folder`; nothing is held until acquire()."""
        self.folder = folder
        self._lock = FileLock(folder / ".lock")
        self._owner = folder / ".lock.owner"

    def acquire(self, timeout: float = 0, waiting: Callable[[str], object] | None = None) -> bool:
        """Take the lock within `timeout` seconds; False if another process holds it all that time.

        If the lock is not free at once and `waiting` is given, it is told
        who holds it (once, after NOTICE seconds) and the wait goes on.
        NotWritableError if the lock file cannot be opened (a read-only folder).
        """
        deadline = time.monotonic() + max(0.0, timeout)
        first = min(timeout, NOTICE) if waiting is not None else timeout
        try:
            if not self._try(first):
                if waiting is None or timeout <= first:
                    return False
                waiting(self.holder())
                if not self._try(max(0.0, deadline - time.monotonic())):
                    return False
        except OSError as exc:
            why = f"its write lock cannot be taken: {describe(exc)}"
            raise NotWritableError(f"{self.folder}: cannot write the notes: {why}", why) from exc
        owner = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        with contextlib.suppress(OSError):  # only says who holds the lock; a full disk must not stop the writer
            atomic_write(self._owner, json.dumps(owner).encode())
        return True

    def _try(self, timeout: float) -> bool:
        try:
            self._lock.acquire(timeout=timeout)
        except Timeout:
            return False
        return True

    def holder(self) -> str:
        """Who holds the lock, as a phrase: 'process 123 on host (since ...)'."""
        try:
            owner = json.loads(self._owner.read_text())
            return f"process {owner['pid']} on {owner['host']} (since {owner['since']})"
        except (OSError, ValueError, KeyError, TypeError):
            return "another process (its pid was not recorded)"

    def release(self) -> None:
        """Give the lock up; the side file stays, it is rewritten by the next holder."""
        self._lock.release()
