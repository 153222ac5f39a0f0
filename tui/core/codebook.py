"""The codebook as a file: the vocabulary written as CSV, read back, and merged into a folder's tags.

``dossier codebook export FILE`` and ``import FILE`` call these; the REFI-QDA
codebook (``.qdc``) has its own module, :mod:`tui.core.codebook_qdc`, and
both readers give the same :class:`Entry` list to :func:`apply`. A ``.qdpx``
project's codes are read as the same entries; ``dossier import`` adds them
with the project's annotations, then :func:`fill_descriptions`.

The CSV has the columns :data:`COLUMNS`: ``name`` (the whole name, such as
``energy/pipelines``), ``parent`` (``energy``; a file may instead give the
last level alone in ``name`` with its parent beside it), ``colour``, ``key``
(the reader's number key: the tag's place, 1-9, blank after the ninth) and
``description``. It is written as UTF-8 with every cell quoted and each cell
that a spreadsheet would read as a formula (``= + - @``, tab, CR, LF first)
led by a single quote (:func:`tui.core.neutral.for_csv_cell`); the reader
takes that quote off again, and tolerates a byte-order mark, so an export
reads back as it was written. Control characters in a tag's name (an
imported tag may hold them) are written visibly, as everywhere else.

Reading never stops at a bad row: each is one line in the problems, and the
other rows are read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.core.neutral import for_csv_cell, for_terminal
from tui.core.tag_tree import SEPARATOR, parent_of

if TYPE_CHECKING:
    from tui.core.notes.tags import Tag, Vocabulary

#: The columns of a codebook CSV, in order.
COLUMNS = ("name", "parent", "colour", "key", "description")
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass(frozen=True)
class Entry:
    """One code read from a codebook file: its whole name, and what the file says of it ('' where it says nothing).

    ``place`` is the number key the file asks for (0: none); ``guid`` the
    code's REFI-QDA guid, for a project file's codings to refer to.
    """

    name: str
    colour: str = ""
    description: str = ""
    place: int = 0
    guid: str = ""


def reader_key(position: int) -> str:
    """The reader's number key of the tag at ``position`` (0 is the first): 1-9, '' after the ninth."""
    return str(position + 1) if position < 9 else ""


def _cell(text: str) -> str:
    """A CSV cell that is never a formula, and that :func:`_uncell` reads back as ``text``."""
    cell = for_csv_cell(text)
    return "'" + cell if text.startswith("'") else cell  # so a leading quote of the text itself survives the way back


def _uncell(cell: str) -> str:
    """The text of a cell written by :func:`_cell` (its protective quote taken off)."""
    if cell.startswith("'") and cell[1:].startswith((*_FORMULA, "'")):
        return cell[1:]
    return cell


def to_csv(tags: Sequence[Tag]) -> str:
    """The vocabulary as a codebook CSV (:data:`COLUMNS`), in the vocabulary's order."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for position, tag in enumerate(tags):
        writer.writerow(
            [_cell(tag.name), _cell(parent_of(tag.name)), _cell(tag.colour), reader_key(position), _cell(tag.description)]
        )
    return out.getvalue()


def read_csv(text: str) -> tuple[list[Entry], list[str]]:
    """The codes of a codebook CSV and the problems met, one line each (a bad row is skipped, never the file).

    The header row names the columns, in any order; ``name`` is required and
    unknown columns are ignored. A byte-order mark at the start is ignored.
    """
    from tui.core.notes.tags import TagError, check_colour, check_description, check_name

    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = [cell.strip().casefold() for cell in next(rows, [])]
    if "name" not in header:
        return [], ["no 'name' column: the first row should name the columns (name, parent, colour, key, description)"]
    entries: list[Entry] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, 2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {column: _uncell(row[i]) if i < len(row) else "" for i, column in enumerate(header)}
        name, parent = cells.get("name", "").strip(), cells.get("parent", "").strip()
        if parent and not name.casefold().startswith(parent.casefold() + SEPARATOR):
            name = f"{parent}{SEPARATOR}{name}"
        try:
            check_name(name)
            colour = check_colour(cells["colour"].strip()) if cells.get("colour", "").strip() else ""
            description = check_description(cells.get("description", ""))
            key = cells.get("key", "").strip()
            if key and not (key.isdigit() and 1 <= int(key) <= 9):
                raise TagError(f"invalid key {key!r}: the reader's keys are 1 to 9 (or none)")
        except TagError as error:
            problems.append(f"row {number}: {for_terminal(str(error))}; row skipped")
            continue
        if name.casefold() in seen:
            problems.append(f"row {number}: tag {for_terminal(name)!r} is there twice; this row skipped")
            continue
        seen.add(name.casefold())
        entries.append(Entry(name, colour, description, int(key) if key else 0))
    return entries, problems


#: The colour a new tag gets when the file gives none (a grey every tool can draw).
DEFAULT_COLOUR = "#95a5a6"


def apply(vocabulary: Vocabulary, entries: Iterable[Entry]) -> list[str]:
    """Merge codes into the vocabulary: new tags added, existing ones (matched ignoring case) updated; what changed, one line each.

    A code's colour and description replace the tag's when the file gives
    them (a blank cell changes nothing); a place (number key) moves the tag
    there once every code is in, lowest place first. A code the vocabulary
    refuses (a name differing from another only in case, say) is one line,
    and the others are still applied.
    """
    from tui.core.notes.tags import TagError, find

    said: list[str] = []
    places: list[tuple[int, str]] = []
    for entry in entries:
        shown = for_terminal(entry.name)
        try:
            tag = find(vocabulary.all(), entry.name)
            if tag is None:
                tag = vocabulary.add(entry.name, entry.colour or DEFAULT_COLOUR, description=entry.description)
                said.append(f"added tag {shown}" + (" with its description" if entry.description else ""))
            else:
                said += _updated(vocabulary, tag, entry)
        except TagError as error:
            said.append(f"tag {shown}: not imported: {for_terminal(str(error))}")
            continue
        if entry.place:
            places.append((entry.place, tag.name))
    for place, name in sorted(places):
        names = [t.name for t in vocabulary.all()]
        at = min(place, len(names)) - 1
        if names.index(name) != at:
            vocabulary.move(name, at)
            said.append(f"tag {for_terminal(name)} moved to key {at + 1}")
    return said


def _updated(vocabulary: Vocabulary, tag: Tag, entry: Entry) -> list[str]:
    """Give an existing tag the file's colour and description; what changed."""
    colour = entry.colour if entry.colour and entry.colour != tag.colour else None
    description = entry.description if entry.description and entry.description != tag.description else None
    if colour is None and description is None:
        return []
    vocabulary.edit(tag.name, colour=colour, description=description)
    changed = [what for what, new in (("colour", colour), ("description", description)) if new is not None]
    return [f"tag {for_terminal(tag.name)}: {' and '.join(changed)} updated"]


def fill_descriptions(vocabulary: Vocabulary, tags: Iterable[Tag], before: Mapping[str, str]) -> list[str]:
    """Give the vocabulary's tags the descriptions ``tags`` carry (a project's codes) where they have none; what it did, one line each.

    Unlike :func:`apply` (a codebook file, which the analyst means as the
    rules), a project's description never replaces the analyst's own: a tag
    that has another keeps it, and that is said. ``before`` is each tag's
    description, by case-folded name, before the project's tags were added,
    so that a tag the import added is told from one the notes had.
    """
    from tui.core.notes.tags import find

    said: list[str] = []
    for tag in tags:
        stored = find(vocabulary.all(), tag.name)
        if stored is None or not tag.description:
            continue
        shown, held = for_terminal(stored.name), before.get(stored.name.casefold())
        if not stored.description:
            vocabulary.edit(stored.name, description=tag.description)
            said.append(f"tag {shown}: description set from the project")
        elif stored.description != tag.description:
            said.append(f"tag {shown}: keeps its own description; the project's is not imported")
        elif held is None:
            said.append(f"added tag {shown} with its description")
        elif held != tag.description:  # a default tag the project's vocabulary replaced
            said.append(f"tag {shown}: description set from the project")
    return said
