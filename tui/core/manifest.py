"""The corpus manifest: what a scraper saved about each article, in one file beside the articles.

A scraper that knows each article's URL, date, outlet or author can write
them to ``dossier.csv`` or ``dossier.json`` in the corpus folder (its top
level), one row per article file. Their values have the origin
``manifest`` (:mod:`tui.core.facts`): they win over what the page and its
text say, and lose to the analyst's edits.

**CSV** (``dossier.csv``): UTF-8 (with or without a byte-order mark; other
encodings are detected as for articles), a header row, then one row per
article; comma-separated (``;`` or tab-separated files, as spreadsheets
write them in many countries, are recognised by their header), with RFC
4180 quoting::

    file,url,date,source,author,language
    000_09d34bf827547fbd.txt,https://theworld.org/stories/2016-12-20/…,2016-12-20,The World,Charles Maynes,en
    reports/tass-0412.txt,,2019-04-12T09:30+03:00,TASS,,ru

**JSON** (``dossier.json``): a list of objects, or ``{"articles": [...]}``::

    [{"file": "000_09d34bf827547fbd.txt", "date": "2016-12-20", "source": "The World"}]

Columns (keys):

* ``file`` (required): the article's path relative to the corpus folder,
  with ``/`` between folders, as ``dossier list`` prints it;
* ``date``: ISO 8601 (``2016-12-20``, ``2016-12-20T09:30+03:00``, ``2016-12``
  or ``2016``); other forms (``20 December 2016``) are read by dateparser,
  but ``03/04/2016`` means what dateparser guesses: prefer ISO;
* ``source`` (the outlet), ``author``, ``url``, ``language`` (``ru``, ``en-GB``);
  other names for them are understood (``outlet``, ``publisher``, ``link``,
  ``lang``, …: see ``tui.core.facts``);
* any other column becomes an attribute named by its header, in lower case
  (``section``, ``country``).

An empty cell (JSON: ``null`` or a missing key) says nothing. In JSON a
number is taken as its text and a list of strings is joined with ``"; "``.

Nothing in a manifest is fatal. A row that cannot be used (no file, a path
outside the corpus folder, more cells than the header, a file listed twice)
is skipped with a one-line warning naming the manifest, the row (the
spreadsheet's row number: the header is row 1; JSON: ``item N``, counted
from 0 as ``dossier import`` counts) and why; a bad value (a date that is no
date) is dropped with a warning and the rest of its row kept. A row naming
a file the corpus does not have is reported by :meth:`Manifest.unmatched`.

The manifest is not an article: the scanner skips ``.csv`` and ``.json``
files (``not an article file``) like every other extension it does not read.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tui.core.corpus import ArticleError, read_article
from tui.core.facts import Facts, collect_facts, quoted

#: The manifest's names, in the order they are looked for.
MANIFEST_NAMES = ("dossier.csv", "dossier.json")
_FILE_KEYS = ("file", "path", "filename")
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Manifest:
    """The rows of a corpus's manifest, by article path, and what was wrong with it."""

    name: str | None = None  # the manifest's file name; None when the corpus has none
    rows: Mapping[str, Facts] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    # Where each file's row is ("row 4", "item 3"), to say which row names a file the corpus lacks.
    where: Mapping[str, str] = field(default_factory=dict)

    def facts(self, rel: str) -> Facts:
        """The manifest's facts about the article at ``rel`` (none if it has no row)."""
        return self.rows.get(rel, Facts())

    def unmatched(self, files: Iterable[str]) -> list[str]:
        """A warning for each row naming a file that is not among ``files`` (the corpus's article paths)."""
        present = set(files)
        return [
            f"{self.name}, {self.where[rel]}: no article {quoted(rel)} in the corpus"
            for rel in self.rows
            if rel not in present
        ]


def read_manifest(root: str | os.PathLike[str]) -> Manifest:
    """The manifest of the corpus at ``root``: ``dossier.csv``, else ``dossier.json``; an empty one if it has neither.

    It is read as safely as an article (no FIFO or device is opened, no
    more than 256 MB is read, the encoding is detected); a manifest that
    cannot be read gives a warning, never an error.
    """
    folder = Path(root)
    present = [name for name in MANIFEST_NAMES if (folder / name).exists() or (folder / name).is_symlink()]
    if not present:
        return Manifest()
    name = present[0]
    extra = [f"{name} and {other} are both in the corpus folder: {other} is not read" for other in present[1:]]
    try:
        text = read_article(folder, name).text
    except ArticleError as error:
        return Manifest(name, warnings=(f"{name}: cannot be read: {error}", *extra))
    manifest = parse_manifest_csv(text, name) if name.endswith(".csv") else parse_manifest_json(text, name)
    return Manifest(manifest.name, manifest.rows, (*manifest.warnings, *extra), manifest.where)


def parse_manifest_csv(text: str, name: str = "dossier.csv") -> Manifest:
    """A manifest from CSV text (see the module docstring); ``name`` is used in warnings and reasons."""
    lines = text.split("\n", 1)
    delimiter = max(_DELIMITERS, key=lambda d: (_has_file_column(lines[0], d), lines[0].count(d)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    builder = _Builder(name)
    number = 1  # the spreadsheet's row number of the record being read: the header is row 1
    try:
        header = next(reader, None)
        if header is None:
            return builder.done(f"{name}: empty: no header row")
        columns = [column.strip() for column in header]
        file_column = next((k for k, c in enumerate(columns) if c.casefold() in _FILE_KEYS), None)
        if file_column is None:
            shown = ", ".join(quoted(c) for c in columns if c) or "none"
            return builder.done(f"{name}: no 'file' column in the header row (columns: {shown}); the manifest is not read")
        seen: set[str] = set()
        for column in columns:
            if column.casefold() in seen:
                builder.warn(f"{name}, row 1: column {quoted(column)} is there twice: the second is not read")
            seen.add(column.casefold())
        for cells in reader:
            number += 1
            if not any(cell.strip() for cell in cells):
                continue  # an empty line between rows says nothing
            where = f"row {number}"
            if len(cells) > len(columns):
                builder.warn(f"{name}, {where}: {len(cells)} cells, the header has {len(columns)}: skipped")
                continue
            values = {}
            for column, cell in zip(columns, cells, strict=False):
                if column and column.casefold() not in values:
                    values[column.casefold()] = cell
            builder.add(where, cells[file_column] if file_column < len(cells) else "", values)
    except csv.Error as error:
        builder.warn(f"{name}, row {number + 1}: cannot be read as CSV ({error}); the rest of the file is not read")
    return builder.done()


def _has_file_column(header: str, delimiter: str) -> bool:
    """Whether splitting the header row on ``delimiter`` gives a ``file`` column."""
    return any(cell.strip().strip('"').casefold() in _FILE_KEYS for cell in header.split(delimiter))


def parse_manifest_json(text: str, name: str = "dossier.json") -> Manifest:
    """A manifest from JSON text (see the module docstring); ``name`` is used in warnings and reasons."""
    builder = _Builder(name)
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        return builder.done(f"{name}: not valid JSON at line {error.lineno}, column {error.colno}; the manifest is not read")
    except RecursionError:
        return builder.done(f"{name}: nested too deeply to read; the manifest is not read")
    items = payload.get("articles") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        return builder.done(f'{name}: expected a list of objects, or {{"articles": [...]}}; the manifest is not read')
    for index, item in enumerate(items):
        where = f"item {index}"
        if not isinstance(item, dict):
            builder.warn(f"{name}, {where}: not an object: skipped")
            continue
        values: dict[str, str] = {}
        for key, value in item.items():
            text_value = _json_text(value)
            if text_value is None:
                builder.warn(f"{name}, {where}: {quoted(str(key))}: not text, a number or a list of text: dropped")
            else:
                values[str(key).casefold()] = text_value
        file_key = next((k for k in _FILE_KEYS if k in values), None)
        builder.add(where, values.get(file_key, "") if file_key else "", values)
    return builder.done()


def _json_text(value: object) -> str | None:
    """A JSON value as an attribute's text: strings and numbers as they are, lists of them joined; None for anything else."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
        return "; ".join(str(v) for v in value)
    return None


class _Builder:
    """Collects a manifest's rows and warnings as they are read."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: dict[str, Facts] = {}
        self.where: dict[str, str] = {}
        self.warnings: list[str] = []

    def warn(self, warning: str) -> None:
        self.warnings.append(warning)

    def add(self, where: str, file: str, values: Mapping[str, str]) -> None:
        """One row: its file, checked, and its values as facts (a bad value dropped with a warning)."""
        rel, problem = _article_path(file)
        if problem:
            self.warn(f"{self.name}, {where}: {problem}: skipped")
            return
        if rel in self.rows:
            self.warn(f"{self.name}, {where}: {quoted(rel)} has a row already ({self.where[rel]}): skipped")
            return
        fields = [(key, value, f"{self.name}, {where}") for key, value in values.items() if key not in _FILE_KEYS]
        facts = collect_facts(fields, "manifest", lambda error: f"{self.name}, {where}: {error}: dropped")
        self.warnings += facts.warnings
        self.rows[rel] = facts
        self.where[rel] = where

    def done(self, warning: str | None = None) -> Manifest:
        if warning:
            self.warn(warning)
        return Manifest(self.name, self.rows, tuple(self.warnings), self.where)


def _article_path(file: str) -> tuple[str, str | None]:
    """A row's file as a corpus path (``./a\\b.txt`` is ``a/b.txt``), or why it cannot be one."""
    text = file.strip().replace("\\", "/")
    if not text:
        return "", "no file named (the 'file' cell is empty)"
    path = PurePosixPath(text)
    if path.is_absolute() or (len(text) > 1 and text[1] == ":") or ".." in path.parts:
        return "", f"{quoted(file)} is not a path inside the corpus folder"
    return path.as_posix(), None
