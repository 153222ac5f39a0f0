"""Changing several article files and the main file together: all of it, or none of it.

An import touches many article files and the index at once, and a crash
half way must not leave some of them written (a killed import of 100,000
annotations once left 95,220 and an index that disagreed with its files).

1. Every article file that changes is written in full under a staged name
   beside it (``articles/.<key>.json.<token>.staged``) and made durable.
2. The main file is rewritten, in one atomic write, with its new contents
   *and* the list of staged files (``meta.commit``). This write is the
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
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from .files import ARTICLES_DIR, KEY, AtomicJSONStorage, Doc, SaveError, describe, dumps_tables, fsync_dir

STAGED_SUFFIX = ".staged"


def staged_path(folder: Path, key: str, token: str) -> Path:
    """Where the new contents of article file `key` wait during commit `token`."""
    return folder / ARTICLES_DIR / f".{key}.json.{token}{STAGED_SUFFIX}"


def stage(path: Path, data: Doc) -> None:
    """Step 1: write one article file's new contents, durably, under its staged name.

    No temporary file and rename: a staged file counts only once the commit
    point lists it, which is after every staged file and their folder are
    synced, so a half-written one can only belong to a commit that never
    happened (and is deleted). That halves the fsyncs of a big import.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(dumps_tables(data))
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise SaveError(f"not saved: {path}: {describe(exc)}") from exc


def record(main: AtomicJSONStorage, data: Doc) -> None:
    """Step 2, the commit point: the main file with its new contents and the list of staged files."""
    main.write(data)


def promote(staged: Path, final: Path) -> None:
    """Step 3: put one staged file in place."""
    os.replace(staged, final)


def listed(main_data: Doc | None) -> Doc | None:
    """The unfinished commit the main file lists ({"token", "keys"}), or None."""
    meta = next(iter((main_data or {}).get("meta", {}).values()), None)
    op = meta.get("commit") if isinstance(meta, dict) else None
    return op if isinstance(op, dict) else None


def commit(folder: Path, main: AtomicJSONStorage, files: dict[str, Doc], change: Callable[[Doc], None]) -> None:
    """Write article files `files` (key -> contents) and the main file as changed by `change`, all or nothing.

    On an error before the commit point the staged files are removed and
    nothing has changed; the error (a SaveError for a full disk) goes on up.
    """
    token = secrets.token_hex(8)
    written: list[Path] = []
    try:
        for key, data in files.items():
            if not KEY.fullmatch(key):
                raise ValueError(f"not an article file key: {key!r}")
            path = staged_path(folder, key, token)
            written.append(path)
            stage(path, data)
        try:
            fsync_dir(folder / ARTICLES_DIR)  # the staged files' names are durable before the commit point
        except OSError as exc:
            raise SaveError(f"not saved: {folder / ARTICLES_DIR}: {describe(exc)}") from exc
        current = main.read()
        new = copy.deepcopy(current) if current is not None else {}
        change(new)
        next(iter(new["meta"].values()))["commit"] = {"token": token, "keys": sorted(files)}
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
    articles = folder / ARTICLES_DIR
    try:
        for key in op["keys"]:
            staged = staged_path(folder, key, op["token"])
            if staged.exists():
                promote(staged, articles / f"{key}.json")
        fsync_dir(articles)
    except OSError as exc:
        raise SaveError(f"{folder}: saved, but not yet put in place ({describe(exc)}); the next open finishes it") from exc
    done = copy.deepcopy(data)
    next(iter(done["meta"].values())).pop("commit", None)
    main.write(done)


def staged_files(folder: Path, main_data: Doc | None) -> dict[str, Path]:
    """The staged files of the listed commit that are still waiting, by key (for a read-only view)."""
    op = listed(main_data)
    if op is None:
        return {}
    found = {key: staged_path(folder, key, op["token"]) for key in op["keys"]}
    return {key: path for key, path in found.items() if path.exists()}


def leftovers(folder: Path, main_data: Doc | None) -> list[Path]:
    """Staged files that no listed commit will use: the remains of a commit that never reached its commit point."""
    articles = folder / ARTICLES_DIR
    if not articles.is_dir():
        return []
    keep = set(staged_files(folder, main_data).values())
    return [p for p in articles.glob(f".*{STAGED_SUFFIX}") if p not in keep]
