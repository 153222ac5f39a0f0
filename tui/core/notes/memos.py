"""Memos: one for the corpus (the research question, coding rules) and one per article, in plain text or Markdown.

An article's memo lives in its notes file (``articles/<key>.json``), beside
its annotations, so it follows the article through renames; the corpus
memo lives in the main file (``dossier.json``). Both are a ``memo`` table of
at most one document::

    "memo": {"1": {"memo": "# Research question\\n\\nHow did …", "updated": "2024-05-02T10:00:00.000Z"}}

An empty memo (only white space) removes the document. The table is
optional: folders written before memos existed read as having none. A memo
is kept as written (line breaks included, ``\\r\\n`` as ``\\n``); whoever
shows it neutralises it for where it goes (the report escapes Markdown).
"""

from __future__ import annotations

from typing import Any

from tinydb import TinyDB

from .articles import ArticleFiles
from .attributes import FileFor, table_of, write_table
from .files import ReadOnlyError, StoreError, is_text, now, storage
from .model import ArticleRef

#: The longest memo kept: a memo is notes, not a second corpus (a million characters is about 400 pages).
MAX_MEMO = 1_000_000


def _memo_doc(memo: str) -> list[dict[str, Any]]:
    """The ``memo`` table's documents for ``memo``: none when it is empty; StoreError if it cannot be kept."""
    if not isinstance(memo, str) or not is_text(memo):
        raise StoreError("not saved: the memo is not valid Unicode text (it holds a lone surrogate)")
    if len(memo) > MAX_MEMO:
        raise StoreError(f"not saved: the memo has {len(memo):,} characters; a memo holds at most {MAX_MEMO:,}")
    text = memo.replace("\r\n", "\n").replace("\r", "\n")
    return [{"memo": text, "updated": now()}] if text.strip() else []


def _text_of(table: dict[str, dict[str, Any]]) -> str:
    """The memo a ``memo`` table holds, ``""`` when it holds none."""
    return next((str(doc["memo"]) for doc in table.values()), "")


class Memos:
    """The corpus memo and the articles' memos of a notes folder; made by ``Store.memos``."""

    def __init__(self, main: TinyDB, files: ArticleFiles, file_for: FileFor, read_only: str | None) -> None:
        """``read_only``: why the notes cannot be written (None if they can)."""
        self._main = main
        self._files = files
        self._file_for = file_for
        self._read_only = read_only

    def _writable(self) -> None:
        if self._read_only is not None:
            raise ReadOnlyError(self._read_only)

    def corpus(self) -> str:
        """The corpus memo, ``""`` if there is none."""
        data: dict[str, Any] = self._main.storage.read() or {}
        return _text_of(data.get("memo", {}))

    def set_corpus(self, memo: str) -> str:
        """Replace the corpus memo (``""`` removes it) in one atomic write; returns the memo it replaced."""
        self._writable()
        docs = _memo_doc(memo)
        before = self.corpus()
        if (docs[0]["memo"] if docs else "") != before:
            main = storage(self._main)
            data = dict(main.read() or {})
            data["memo"] = {str(n): doc for n, doc in enumerate(docs, 1)}
            main.write(data)
        return before

    def of(self, path: str) -> str:
        """The memo of the article at ``path``, ``""`` if it has none."""
        file = self._files.of_path(path)
        return "" if file is None else _text_of(table_of(file, "memo"))

    def set(self, ref: ArticleRef, text: str, memo: str) -> str:
        """Replace the memo of article ``ref`` (``text``: its current text; ``""`` removes it); returns the memo it replaced."""
        self._writable()
        docs = _memo_doc(memo)
        before = self.of(ref.path)
        if (docs[0]["memo"] if docs else "") != before:
            write_table(self._file_for(ref, text), "memo", docs)
        return before
