"""The analyst's edits of an article's attributes (its date, outlet, author, URL, language and any other).

An edit wins over every value extracted from the article, its page or the
manifest, and keeps the origin ``analyst`` (:mod:`tui.core.facts`). Edits
live in the article's own notes file (``articles/<key>.json``), beside its
annotations and overrides, so they follow the article through renames and
edits as its annotations do, one document per edited attribute::

    "attributes": {"1": {"attribute": "date", "value": "2016-12-20", "updated": "2024-05-02T10:00:00.000Z"}}

An empty value clears the attribute (an extracted value the analyst knows
to be wrong is then shown as unknown); removing the document gives the
extracted value back. The table is optional: notes folders written before
it, and articles never edited, have none and read as having no edits. A
change to several attributes of one article is one atomic write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tui.core.facts import analyst_value, canonical_key

from .articles import ArticleFile, ArticleFiles
from .files import ReadOnlyError, StoreError, is_text, now
from .model import ArticleRef

#: The notes file of an article, made (empty) if it has none yet: ``Store`` gives it.
FileFor = Callable[[ArticleRef, str], ArticleFile]


def table_of(file: ArticleFile, name: str) -> dict[str, dict[str, Any]]:
    """One table of an article file as stored (``{}`` when the file has none), read without TinyDB's copies."""
    data: dict[str, Any] = file.db.storage.read() or {}
    table: dict[str, dict[str, Any]] = data.get(name, {})
    return table


def write_table(file: ArticleFile, name: str, docs: list[dict[str, Any]]) -> None:
    """Replace one table of an article file in one atomic write; the other tables are kept as they are."""
    data = dict(file.db.storage.read() or {})
    data[name] = {str(n): doc for n, doc in enumerate(docs, 1)}
    file.db.storage.write(data)
    file.db.table(name).clear_cache()


class Attributes:
    """The analyst's attribute edits of every article in a notes folder; made by ``Store.attributes``."""

    def __init__(self, files: ArticleFiles, file_for: FileFor, read_only: str | None) -> None:
        """``read_only``: why the notes cannot be written (None if they can)."""
        self._files = files
        self._file_for = file_for
        self._read_only = read_only

    def of(self, path: str) -> dict[str, str]:
        """The analyst's edits of the article at ``path``, by attribute (``""``: cleared), in the order made."""
        file = self._files.of_path(path)
        if file is None:
            return {}
        return {doc["attribute"]: doc["value"] for doc in table_of(file, "attributes").values()}

    def set(self, ref: ArticleRef, text: str, changes: Mapping[str, str | None]) -> dict[str, str | None]:
        """Edit attributes of article ``ref`` (``text``: its current text); returns what each was before.

        A value is set (``""`` clears the attribute), None removes the edit
        so the extracted value shows again. Keys and values are checked and
        normalised by :func:`tui.core.facts.analyst_value` (``FactError``
        for a bad one) before anything is written; the result is one atomic
        write. The returned mapping, given back to ``set``, undoes the edit.
        """
        if self._read_only is not None:
            raise ReadOnlyError(self._read_only)
        wanted: dict[str, str | None] = {}
        for key, value in changes.items():
            if not is_text(key) or (value is not None and not is_text(value)):
                raise StoreError("not saved: an attribute is not valid Unicode text (it holds a lone surrogate)")
            if value is None:
                wanted[canonical_key(key)] = None
            else:
                name, normal = analyst_value(key, value)
                wanted[name] = normal
        held = self._files.of_path(ref.path)
        if held is None and all(value is None for value in wanted.values()):
            return dict.fromkeys(wanted)  # nothing to remove from an article without notes
        file = self._file_for(ref, text)
        current = {doc["attribute"]: doc for doc in table_of(file, "attributes").values()}
        before = {name: current[name]["value"] if name in current else None for name in wanted}
        stamp = now()
        for name, value in wanted.items():
            if value is None:
                current.pop(name, None)
            elif name not in current or current[name]["value"] != value:
                current[name] = {"attribute": name, "value": value, "updated": stamp}
        if before != {name: current[name]["value"] if name in current else None for name in wanted}:
            write_table(file, "attributes", list(current.values()))
        return before
