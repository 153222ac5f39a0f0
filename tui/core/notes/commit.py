"""Changing several article files and the main file together: all of it, or none of it.

An import touches many article files and the index at once, and a crash
half way must not leave some of them written (a killed import of 100,000
annotations once left 95,220 and an index that disagreed with its files).

1. Every file that changes (an article's shared file, an analyst's file
   of an article) is written in full under a staged name beside it
   (``.<key>.json.<token>.staged``) and made durable.
2. The main file is rewritten, in one atomic write, with its new contents
   *and* the list of staged files (``meta.commit``: the token, the shared
   files' keys, and the keys of each analyst's files). This write is the
   commit point: before it the old notes stand, after it the new ones.
3. The staged files are renamed over their targets, then the list is removed.

The next open for writing finishes a listed commit (it renames the staged
files still there) and deletes staged files that no commit lists: they
belong to a commit that never reached its commit point. A store opened
read-only while a commit is listed reads the staged files in place of the
old ones, so it sees the commit whole. ``stage``, ``record`` and ``promote``
are the three steps, named so that a test can stop a process between them.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import functools
import os
import secrets
from collections.abc import Callable, Collection
from pathlib import Path

from .files import ARTICLES_DIR, KEY, AtomicJSONStorage, Doc, SaveError, describe, fsync_dir
from .layout import ANALYSTS_DIR, analyst_names, analyst_path

STAGED_SUFFIX = ".staged"

#: The files a commit writes: (analyst, or None for the shared file; article file key) -> the file's new bytes.
Files = dict[tuple[str | None, str], bytes]


def target(folder: Path, analyst: str | None, key: str) -> Path:
    """The file a commit writes for (analyst, key): the article's shared file, or that analyst's file of it."""
    return folder / ARTICLES_DIR / f"{key}.json" if analyst is None else analyst_path(folder, analyst, key)


def staged_path(folder: Path, key: str, token: str, analyst: str | None = None) -> Path:
    """Where the new contents of (analyst, key) wait during commit `token`: beside their target."""
    final = target(folder, analyst, key)
    return final.with_name(f".{final.name}.{token}{STAGED_SUFFIX}")


def stage(path: Path, data: bytes, sync: bool = True) -> None:
    """Step 1: write one file's new contents under its staged name, and fsync it unless `sync` is False.

    No temporary file and rename: a staged file counts only once the commit
    point lists it, which is after every staged file and their folder are
    synced, so a half-written one can only belong to a commit that never
    happened (and is deleted). That halves the fsyncs of a big import.
    Unsynced, the commit makes the staged files durable all at once (``syncfs``).
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
    except OSError as exc:
        raise SaveError(f"not saved: {path}: {describe(exc)}") from exc


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    """Linux's syncfs(2) (flush the whole file system holding a file), or None where the C library has none."""
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None)
    except OSError:  # no C library to load (not a POSIX system)
        return None


def sync_folders(folders: Collection[Path]) -> None:
    """Make everything written under `folders` durable with one syncfs(2) per file system (where the C library has it).

    A bulk import stages a file per analyst per article: 1,500 fsyncs, one
    after the other, took 0.8 to 2 s; one syncfs took 0.5 to 1 s.
    """
    call = _syncfs()
    if call is None:
        return
    done: set[int] = set()
    for each in sorted(folders):
        fd = os.open(each, os.O_RDONLY)
        try:
            device = os.fstat(fd).st_dev
            if device not in done:
                if call(fd) != 0:
                    number = ctypes.get_errno()
                    raise OSError(number, os.strerror(number))
                done.add(device)
        finally:
            os.close(fd)


def record(main: AtomicJSONStorage, data: Doc) -> None:
    """Step 2, the commit point: the main file with its new contents and the list of staged files."""
    main.write(data)


def promote(staged: Path, final: Path) -> None:
    """Step 3: put one staged file in place."""
    os.replace(staged, final)


def listed(main_data: Doc | None) -> Doc | None:
    """The unfinished commit the main file lists ({"token", "keys"[, "analysts"]}), or None."""
    meta = next(iter((main_data or {}).get("meta", {}).values()), None)
    op = meta.get("commit") if isinstance(meta, dict) else None
    return op if isinstance(op, dict) else None


def _members(op: Doc) -> list[tuple[str | None, str]]:
    """(analyst or None, key) of every file a listed commit staged (a commit of an older Dossier lists only "keys")."""
    found: list[tuple[str | None, str]] = [(None, key) for key in op["keys"]]
    return found + [(name, key) for name, keys in sorted(op.get("analysts", {}).items()) for key in keys]


def commit(folder: Path, main: AtomicJSONStorage, files: Files, change: Callable[[Doc], None]) -> None:
    """Write `files` and the main file as changed by `change`, all or nothing.

    On an error before the commit point the staged files are removed and
    nothing has changed; the error (a SaveError for a full disk) goes on up.
    """
    token = secrets.token_hex(8)
    written: list[Path] = []
    fast = _syncfs() is not None  # each file is then not fsynced alone: the staged folders are synced at once below
    try:
        folders: set[Path] = set()
        for (analyst, key), data in files.items():
            if not KEY.fullmatch(key):
                raise ValueError(f"not an article file key: {key!r}")
            path = staged_path(folder, key, token, analyst)
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)  # an analyst's first file; an empty folder is harmless
                folders.add(path.parent)
            written.append(path)
            stage(path, data, sync=not fast)
        try:
            if fast:
                sync_folders(folders)
        except OSError as exc:
            raise SaveError(f"not saved: {folder}: {describe(exc)}") from exc
        for each in sorted(folders):
            try:
                fsync_dir(each)  # the staged files' names are durable before the commit point
            except OSError as exc:
                raise SaveError(f"not saved: {each}: {describe(exc)}") from exc
        current = main.read()
        new = copy.deepcopy(current) if current is not None else {}
        change(new)
        analysts: dict[str, list[str]] = {}
        for analyst, key in files:
            if analyst is not None:
                analysts.setdefault(analyst, []).append(key)
        op: Doc = {"token": token, "keys": sorted(key for analyst, key in files if analyst is None)}
        if analysts:
            op["analysts"] = {name: sorted(keys) for name, keys in sorted(analysts.items())}
        next(iter(new["meta"].values()))["commit"] = op
        record(main, new)
    except BaseException:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    finish(folder, main)


def finish(folder: Path, main: AtomicJSONStorage) -> None:
    """Complete the commit the main file lists, if any (idempotent: a crash in here is finished next time)."""
    data = main.read()
    op = listed(data)
    if op is None or data is None:
        return
    folders: set[Path] = set()
    try:
        for analyst, key in _members(op):
            staged = staged_path(folder, key, op["token"], analyst)
            if staged.exists():
                promote(staged, target(folder, analyst, key))
                folders.add(staged.parent)
        for each in sorted(folders):
            fsync_dir(each)
    except OSError as exc:
        raise SaveError(f"{folder}: saved, but not yet put in place ({describe(exc)}); the next open finishes it") from exc
    done = copy.deepcopy(data)
    next(iter(done["meta"].values())).pop("commit", None)
    main.write(done)


def staged_files(folder: Path, main_data: Doc | None) -> dict[str, Path]:
    """The staged shared files of the listed commit that are still waiting, by key (for a read-only view)."""
    op = listed(main_data)
    if op is None:
        return {}
    found = {key: staged_path(folder, key, op["token"]) for key in op["keys"]}
    return {key: path for key, path in found.items() if path.exists()}


def staged_analyst_files(folder: Path, main_data: Doc | None) -> dict[str, dict[str, Path]]:
    """The staged analysts' files of the listed commit still waiting: key -> analyst -> path (for a read-only view)."""
    op = listed(main_data)
    found: dict[str, dict[str, Path]] = {}
    for name, keys in sorted((op or {}).get("analysts", {}).items()):
        for key in keys:
            path = staged_path(folder, key, op["token"], name) if op else None
            if path is not None and path.exists():
                found.setdefault(key, {})[name] = path
    return found


def leftovers(folder: Path, main_data: Doc | None) -> list[Path]:
    """Staged files that no listed commit will use: the remains of a commit that never reached its commit point."""
    op = listed(main_data)
    keep = {staged_path(folder, key, op["token"], analyst) for analyst, key in _members(op)} if op else set()
    places = [folder / ARTICLES_DIR, *(folder / ANALYSTS_DIR / name / ARTICLES_DIR for name in analyst_names(folder))]
    return [p for place in places if place.is_dir() for p in place.glob(f".*{STAGED_SUFFIX}") if p not in keep]
