"""A REFI-QDA project's XML as plain data: users, codes, text sources with their selections, notes.

Elements are found by local name in any namespace (``{*}``), as tools
differ in how they write the QDA-XML namespace. What Dossier has no place
for is counted, not read: picture, PDF, audio and video sources (each
named in :attr:`Project.problems`), links, sets and graphs. A value that
breaks the schema (a position that is not a number, an end before its
start) is one line in :attr:`Project.problems`; its selection is kept, with
what could be read, for :mod:`.place` to decide.

A source's text is its ``PlainTextContent`` or the file its
``plainTextPath`` names inside the project (``internal://…``); a path to a
file outside the project (``relative://``, ``file://``, an absolute path) is
never followed: a project must not make Dossier read the analyst's disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.core.codebook import Entry

from .archive import ProjectArchive
from .codes import guid_key, read_codes

#: Sources Dossier cannot read, by element name, as the user is told of them.
OTHER_SOURCES = {"PictureSource": "picture", "PDFSource": "PDF", "AudioSource": "audio", "VideoSource": "video"}


@dataclass
class Selection:
    """A ``<PlainTextSelection>``: its span in the source's text, who made it, its codes' and notes' GUIDs."""

    guid: str
    name: str
    start: int | None
    end: int | None
    user: str
    created: str
    modified: str
    codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Source:
    """A ``<TextSource>``: its name, its text (None if the project does not hold it), selections, notes, variables."""

    guid: str
    name: str
    text: str | None
    selections: list[Selection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # codings of the whole source
    variables: dict[str, str] = field(default_factory=dict)


@dataclass
class Project:
    """What Dossier reads of a project, and one line for each thing it could not read."""

    name: str
    description: str
    users: dict[str, str]  # guid -> name
    codes: list[Entry]  # as tags, parents first (:func:`.codes.read_codes`)
    sources: list[Source]
    notes: dict[str, str]  # guid -> text
    note_names: dict[str, str]  # guid -> name
    project_notes: list[str]  # GUIDs of notes about the whole project
    problems: list[str] = field(default_factory=list)


def _text(element: Any, archive: ProjectArchive, problems: list[str], what: str) -> str | None:
    """The plain text of a source or note: inline, or a file inside the project."""
    inline = element.find("{*}PlainTextContent")
    if inline is not None:
        return inline.text or ""
    path = element.get("plainTextPath") or ""
    if not path:
        problems.append(f"{what}: holds no plain text")
        return None
    data = archive.internal(path)
    if data is None:
        where = "outside the project, not read" if not path.startswith("internal://") else "not in the project"
        problems.append(f"{what}: its text {path!r} is {where}")
        return None
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        problems.append(f"{what}: its text is not UTF-8; invalid bytes replaced, so positions after them may be off")
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")


def _position(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


def read_project(archive: ProjectArchive) -> Project:
    """Everything Dossier can use in the project's XML, reading source texts from the archive."""
    root = archive.root
    users = {guid_key(u.get("guid") or ""): u.get("name") or u.get("id") or "" for u in root.iterfind("{*}Users/{*}User")}
    book = root.find("{*}CodeBook/{*}Codes")
    coded = {guid_key(ref.get("targetGUID") or "") for ref in root.iter("{*}CodeRef")}
    codes, problems = read_codes(book, coded) if book is not None else ([], [])
    variables = {guid_key(v.get("guid") or ""): v.get("name") or "" for v in root.iterfind("{*}Variables/{*}Variable")}
    sources: list[Source] = []
    for element in root.iterfind("{*}Sources/*"):
        kind = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
        label = element.get("name") or element.get("guid") or "?"
        if kind in OTHER_SOURCES:
            problems.append(f"skipped {OTHER_SOURCES[kind]} source {label!r}: Dossier reads text sources only")
            continue
        if kind != "TextSource":
            continue
        source = Source(guid_key(element.get("guid") or ""), label, _text(element, archive, problems, f"source {label!r}"))
        for item in element.iterfind("{*}PlainTextSelection"):
            source.selections.append(_selection(item, label, problems))
        source.notes = [guid_key(ref.get("targetGUID") or "") for ref in element.iterfind("{*}NoteRef")]
        source.codes = [guid_key(ref.get("targetGUID") or "") for ref in element.iterfind("{*}Coding/{*}CodeRef")]
        for value in element.iterfind("{*}VariableValue"):
            ref = value.find("{*}VariableRef")
            key = variables.get(guid_key(ref.get("targetGUID") or "")) if ref is not None else None
            held = [child for child in value if child is not ref and isinstance(child.tag, str)]
            if key and held:
                source.variables[key] = held[0].text or ""
        sources.append(source)
    notes: dict[str, str] = {}
    names: dict[str, str] = {}
    for note in root.iterfind("{*}Notes/{*}Note"):
        guid = guid_key(note.get("guid") or "")
        name = note.get("name") or guid
        notes[guid] = _text(note, archive, problems, f"note {name!r}") or ""
        names[guid] = name
    ignored = [f"{len(found)} {what}" for what, path in (("link(s)", "{*}Links/{*}Link"), ("set(s)", "{*}Sets/{*}Set"),
                                                        ("graph(s)", "{*}Graphs/{*}Graph"), ("case(s)", "{*}Cases/{*}Case"))
               if (found := root.findall(path))]
    if ignored:
        problems.append(f"not imported (Dossier has no place for them): {', '.join(ignored)}")
    return Project(
        root.get("name") or archive.path.stem, root.findtext("{*}Description") or "", users, codes, sources, notes, names,
        [guid_key(ref.get("targetGUID") or "") for ref in root.iterfind("{*}NoteRef")], problems,
    )


def _selection(item: Any, source: str, problems: list[str]) -> Selection:
    """One ``<PlainTextSelection>``, its positions checked against the schema (a broken one is told, and kept as None)."""
    start, end = _position(item.get("startPosition")), _position(item.get("endPosition"))
    guid = guid_key(item.get("guid") or "")
    if start is None or end is None:
        problems.append(f"source {source!r}: selection {item.get('guid')!r} has no numeric start and end")
        start = end = None
    return Selection(
        guid, item.get("name") or "", start, end, guid_key(item.get("creatingUser") or ""),
        item.get("creationDateTime") or "", item.get("modifiedDateTime") or item.get("creationDateTime") or "",
        [guid_key(ref.get("targetGUID") or "") for ref in item.iterfind("{*}Coding/{*}CodeRef")],
        [guid_key(ref.get("targetGUID") or "") for ref in item.iterfind("{*}NoteRef")]
        + [guid_key(ref.get("targetGUID") or "") for ref in item.iterfind("{*}Coding/{*}NoteRef")],
    )
