"""Which corpus a notes folder was last used with, so that opening it with another one says so.

The notes folder defaults to ``./notes`` of wherever ``dossier`` was
started: started elsewhere, it would silently open other notes, and
``annotate``, ``set`` and the reader would follow "renames" into the wrong
corpus. So every writer records the corpus it works on (its absolute,
resolved path, in ``local.json``, this machine's own file that git does not
share: two clones have their corpus in two places; folders that recorded it
in the main file's ``meta`` before are still read), and
whoever opens the notes with another corpus is told, in one line, which
one they were last used with. A writer then records its own corpus, so
the warning comes once per change of corpus, not at every start. Folders
made before this read as having no corpus: the first writer records one.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from tinydb import TinyDB

from .analysts import AnalystError, read_local, write_local
from .files import StoreError, is_text

_FIELD = "corpus"


class CorpusRecord:
    """The corpus recorded in a notes folder's main file; made by ``Store.corpus``."""

    def __init__(self, main: TinyDB | None, folder: Path, read_only: str | None) -> None:
        """``read_only``: why the notes cannot be written (None if they can: then :meth:`check` records)."""
        if main is None:
            raise StoreError(f"{folder}: the notes are closed")
        self._meta = main.table("meta")
        self._folder = folder
        self._read_only = read_only

    def recorded(self) -> str | None:
        """The corpus these notes were last used with (an absolute path), None if none is recorded."""
        value = read_local(self._folder).get(_FIELD)
        if value is None:  # recorded in the shared main file by an older Dossier
            meta = self._meta.get(doc_id=1)
            value = meta.get(_FIELD) if isinstance(meta, dict) else None
        return value if isinstance(value, str) and value else None

    def check(self, corpus: str | os.PathLike[str]) -> str | None:
        """A one-line warning if these notes were last used with a corpus other than ``corpus``; None if not.

        A writable store records ``corpus`` as its corpus (nothing is
        written when it is the one recorded already); a read-only one
        writes nothing.
        """
        path = str(Path(corpus).resolve())
        before = self.recorded()
        if before != path and self._read_only is None and is_text(path):
            with contextlib.suppress(AnalystError):  # only saves a warning; the notes are what matter
                write_local(self._folder, **{_FIELD: path})
        if before is None or before == path:
            return None
        return (f"the notes in {self._folder} were last used with the corpus {before}, not {path}: "
                "if they are not this corpus's notes, name its own with --notes (or DOSSIER_NOTES)")
