"""Where the cache lives, its schema, and connections to it that never trust a damaged file.

One SQLite file per corpus and notes folder: ``<notes>/cache/corpus-<id>.sqlite``,
where ``<id>`` names the corpus folder. When the notes folder does not exist
(``dossier list`` before any note) or cannot be written, the file goes to the
user's cache folder instead (``$XDG_CACHE_HOME/dossier``, else
``~/.cache/dossier``); ``$DOSSIER_CACHE`` names another folder for all of them.

The file runs in WAL mode, so the reader's threads and a command line run
at the same time read while one of them writes. Each thread has its own
connection (:meth:`CacheDB.connect`). A file of another schema version is
replaced; a file SQLite cannot read ("file is not a database", "database
disk image is malformed") is deleted and made again empty, and the callers
fill it from the corpus as they would a new one: derived data is never
repaired, only derived again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

#: Bumped whenever the tables change: a cache of another version is replaced.
SCHEMA_VERSION = 6  # 5: note_rows.analyst (blind coding's search); 6: notes.attributes (the list's edits)
#: A cache of this version is brought up to :data:`SCHEMA_VERSION` in place (``_upgrade``), not replaced.
UPGRADABLE = 5
CACHE_ENV = "DOSSIER_CACHE"
CACHE_FOLDER = "cache"
#: How long a writer waits for another (the reader's build and a command
#: line run on the same corpus) before giving up on that write.
BUSY_SECONDS = 30.0

# The tokenizer matches the search's idea of a word: runs of letters, digits
# and "_" (Python's \w). The indexed text is folded first (tui.core.folding),
# so case and accents need no folding here.
_TOKENIZE = "unicode61 remove_diacritics 0 categories 'L* N*' tokenchars '_'"

SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- One row per article file of the corpus, in the list's order (position).
-- state: 0 found but not read yet, 1 read, 2 cannot be read (error says why).
CREATE TABLE files(
    id INTEGER PRIMARY KEY,
    rel TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    state INTEGER NOT NULL DEFAULT 0,
    digest TEXT,          -- SHA-256 of the file's bytes when it was read
    cleaner TEXT,         -- the cleaner's version that read it
    sha256 TEXT,          -- SHA-256 of the decoded text: the notes' name for the article
    chars INTEGER,        -- length of the decoded text
    title TEXT,
    words INTEGER,
    language TEXT,
    warning TEXT,
    error TEXT,
    text BLOB,            -- the cleaned text, zlib-compressed
    spans BLOB,           -- each kept line's source start and end (int64 pairs)
    keys BLOB,            -- the article's distinct line keys (int64), for the corpus evidence
    facts TEXT,           -- what the article says about itself (date, outlet, ...), JSON (tui.core.cache.analyse)
    kinds TEXT            -- each kept line's kind (title, heading, body), one per line
);
-- (position, rel): the list's order is read from the index alone, never from rows that hold texts.
CREATE INDEX files_position ON files(position, rel);
CREATE INDEX files_digest ON files(digest);
-- How many articles each line key appears in (tui.core.evidence).
CREATE TABLE evidence(key INTEGER PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
-- The cleaned texts' full-text index (rowid = files.id); contentless: the text is in files.text.
CREATE VIRTUAL TABLE text_index USING fts5(title, body, content='', tokenize="{_TOKENIZE}");
-- One row per article file of the notes folder, read when its size or time changes.
CREATE TABLE notes(
    key TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    count INTEGER NOT NULL,
    tags TEXT NOT NULL,    -- JSON list of the tags used, in first-use order
    attributes TEXT        -- JSON object of the analyst's attribute edits (name -> value), NULL when none
);
CREATE INDEX notes_path ON notes(path);
-- Each annotation with a note, for search (rowid also keys note_index).
CREATE TABLE note_rows(
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    annotation TEXT NOT NULL,
    analyst TEXT NOT NULL, -- who wrote it: blind coding searches one analyst's notes only
    path TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX note_rows_key ON note_rows(key);
CREATE VIRTUAL TABLE note_index USING fts5(note, content='', tokenize="{_TOKENIZE}");
"""

_DAMAGED = ("file is not a database", "malformed", "corrupt", "no such table", "no such column", "vtable constructor failed")
# Read at opening: each table's first page, so a file damaged there is replaced before it is used.
_PROBES = (
    "SELECT count(*) FROM meta",
    "SELECT id, size FROM files ORDER BY id LIMIT 1",  # a column in no index: the table itself is read
    "SELECT key, n FROM evidence LIMIT 1",
    "SELECT key, count, attributes FROM notes LIMIT 1",
    "SELECT id, analyst, note FROM note_rows ORDER BY id LIMIT 1",  # a file without a column of this version is not trusted
    "SELECT rowid FROM text_index WHERE text_index MATCH 'dossier' LIMIT 1",
    "SELECT rowid FROM note_index WHERE note_index MATCH 'dossier' LIMIT 1",
)


# A file name with bytes that are not UTF-8 reaches Python with lone surrogates
# (U+DC80-U+DCFF, "surrogateescape"), which SQLite cannot store as text. In
# the cache each becomes a private-use character (and back): names are kept
# whole, and the notes' paths, written the same way, still join with them.
_ESCAPED = 0xF0000 - 0xDC00


def to_db(path: str) -> str:
    """A path as the cache stores it (see ``_ESCAPED``)."""
    if path.isascii():
        return path
    return "".join(chr(ord(c) + _ESCAPED) if "\udc80" <= c <= "\udcff" else c for c in path)


def from_db(text: str) -> str:
    """A path the cache stored, as Python names the file."""
    if text.isascii():
        return text
    return "".join(chr(ord(c) - _ESCAPED) if "\U000f0080" <= c <= "\U000f00ff" else c for c in text)


class CacheError(Exception):
    """The cache cannot be used (it is rebuilt, or the command goes on without it)."""


def corpus_id(corpus: str | os.PathLike[str]) -> str:
    """A short name for a corpus folder, the same whatever path leads to it."""
    return hashlib.sha1(os.fsencode(os.path.realpath(corpus))).hexdigest()[:16]


def cache_folder(notes: Path) -> Path:
    """The folder the cache goes in: ``$DOSSIER_CACHE``, else the notes folder's ``cache``, else the user's cache."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen)
    if notes.is_dir() and os.access(notes, os.W_OK | os.X_OK):
        return notes / CACHE_FOLDER
    return user_cache()


def user_cache() -> Path:
    """The user's cache folder for Dossier (XDG)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dossier"


def cache_path(notes: Path, corpus: str | os.PathLike[str]) -> Path:
    """The cache file of ``corpus`` read with the notes in ``notes``."""
    return cache_folder(notes) / f"corpus-{corpus_id(corpus)}.sqlite"


def is_damage(error: sqlite3.Error) -> bool:
    """Whether an SQLite error means the file is not a cache we can read (not a busy or full disk)."""
    return isinstance(error, sqlite3.DatabaseError) and any(words in str(error).lower() for words in _DAMAGED)


class CacheDB:
    """One cache file, with a connection per thread.

    Opening checks the schema version and replaces a file of another
    version, or one SQLite cannot read (``replaced`` says why).
    """

    def __init__(self, path: Path | None) -> None:
        """The cache file at ``path``; None: a cache in memory, for this process only (no file can be written)."""
        self.path = path
        self._keep: sqlite3.Connection | None = None  # the in-memory cache's one connection
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self.replaced = ""  # why an existing file was replaced when it was opened ("" if it was not)
        self._prepare()

    # --- opening ------------------------------------------------------------

    def _prepare(self) -> None:
        """Create the file, or check the one there; replace it if it is of another version or damaged."""
        if self.path is None:
            self._check()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():  # a notes folder shared through git never shares its cache
                ignore.write_text("*\n", encoding="utf-8")
        except OSError as error:
            from tui.core.notes.files import describe  # imported when needed: the first screen reads this module

            raise CacheError(f"cannot make the cache folder {self.path.parent}: {describe(error)}") from None
        try:
            self._check()
        except sqlite3.DatabaseError as error:
            if not is_damage(error) and not isinstance(error, _WrongVersion):
                raise CacheError(f"cannot open the cache {self.path}: {error}") from None
            self.replaced = str(error)
            self.close()
            self._delete()
            try:
                self._check()
            except sqlite3.Error as again:
                raise CacheError(f"cannot make the cache {self.path}: {again}") from None

    def _check(self) -> None:
        connection = self.connect()
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version == UPGRADABLE:
            version = _upgrade(connection)
        if version == SCHEMA_VERSION:
            for probe in _PROBES:  # a few pages read: a damaged header or table root shows now
                connection.execute(probe).fetchall()
            return
        if version != 0 or connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise _WrongVersion(f"schema {version}, not {SCHEMA_VERSION}")
        with connection:
            connection.executescript(f"BEGIN; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")

    def _delete(self) -> None:
        if self.path is None:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.path}{suffix}")

    # --- connections ------------------------------------------------------------

    def connect(self) -> sqlite3.Connection:
        """This thread's connection (made on first use)."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None and self.path is None:
            # One connection for every thread: SQLite serialises its calls, where a shared in-memory cache
            # would lock whole tables and fail at once ("database table is locked") when two threads meet.
            with self._lock:
                if self._keep is None:
                    self._keep = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
                    self._connections.append(self._keep)
                connection = self._keep
            self._local.connection = connection
        if connection is None:
            assert self.path is not None
            connection = sqlite3.connect(self.path, timeout=BUSY_SECONDS, check_same_thread=False, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            # A commit that a power cut loses costs a rebuild of that part, never a wrong answer:
            # WAL with NORMAL keeps the file consistent, and it is only derived data.
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            connections, self._connections = self._connections, []
            self._keep = None  # an in-memory cache ends with its connection
        for connection in connections:
            with contextlib.suppress(sqlite3.Error):
                connection.close()
        self._local = threading.local()

    def reset(self, why: str = "") -> None:
        """Throw the file away and start an empty one (it was found damaged while in use: ``why`` says how)."""
        self.close()
        self._delete()
        self._check()
        if why:
            self.replaced = why


class _WrongVersion(sqlite3.DatabaseError):
    """The file is a cache of another schema version."""


def _upgrade(connection: sqlite3.Connection) -> int:
    """Bring a cache of version 5 up to 6 in place; returns the version the file now has.

    Version 6 keeps the analyst's attribute edits beside each notes file's
    counts (so the reader's list never loads every notes file to find them).
    The corpus's rows, texts and index are kept as they are: only the notes
    files are read again, at the next ``sync_notes`` (their sizes are
    forgotten). Another process may be upgrading the same file: the version
    is read again inside the write transaction. A file that cannot be
    upgraded (not the tables version 5 made) is replaced like any other.
    """
    try:
        with transaction(connection):
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
            if version == UPGRADABLE:
                columns = {row[1] for row in connection.execute("PRAGMA table_info(notes)")}
                if "attributes" not in columns:
                    connection.execute("ALTER TABLE notes ADD COLUMN attributes TEXT")
                connection.execute("UPDATE notes SET size = -1")
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                version = SCHEMA_VERSION
    except sqlite3.OperationalError as error:
        if is_damage(error) or "busy" in str(error) or "locked" in str(error):
            raise
        raise _WrongVersion(f"schema {UPGRADABLE} that cannot be upgraded: {error}") from None
    return version


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on an error: one writer at a time, never half a batch."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back already (a full disk): the first error is the one to tell
            conn.execute("ROLLBACK")
        raise
