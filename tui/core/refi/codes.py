"""Dossier's tags as REFI-QDA ``<Code>`` elements, and codes read back as tags: the one codebook of ``.qdc`` and ``.qdpx``.

REFI-QDA (read by ATLAS.ti, MAXQDA, NVivo and QualCoder) writes a codebook as
nested ``<Code>`` elements, alone in a ``.qdc`` file (:mod:`tui.core.codebook_qdc`)
or as the ``<CodeBook>`` of a project (:mod:`.write`, :mod:`.read`). Both call
:func:`codebook_element` and :func:`read_codes`, so a vocabulary gives the same
codes, with the same guids, in either file::

    <CodeBook xmlns="urn:QDA-XML:codebook:1.0">
      <Codes>
        <Code guid="…" name="energy" isCodable="true" color="#f0ad4e">
          <Description>Passages about energy</Description>
          <Code guid="…" name="pipelines" isCodable="true" color="#8e44ad"/>
        </Code>
      </Codes>
    </CodeBook>

What maps to what: a tag is a ``<Code>`` with ``isCodable="true"``; its last
level is the code's ``name`` and its parents are the codes around it
(``energy/pipelines`` is ``pipelines`` inside ``energy``); a parent that is
not a tag of its own (implied) is a code with ``isCodable="false"``. The
description is ``<Description>``, the colour ``color`` (``#rrggbb``; a colour
name such as ``teal`` is written as its hex value). A tag's number key has no
place in the format and is not written. A code's ``guid`` is derived from its
whole name (:func:`code_guid`), so the same tag has the same guid in every
export, and another tool sees the same code, not a new one.

Reading: every ``<Code>`` becomes a tag named by its path, except a
non-codable code with codes inside it and no description, which is implied
by them (unless a project codes passages with it). A ``/`` inside a code's
own name (another tool allows it) would make a level, so it is read as
``∕`` (division slash); a level longer than a tag's is cut; both are said. A
code whose name Dossier cannot hold even so (blank, too deep) is one
problem line, skipped with the codes inside it; the rest is read.

Text that XML cannot hold (control characters but tab and line breaks, lone
surrogates) is written visibly, as on the terminal (:func:`xml_text`). The
XML read here was parsed by :func:`.archive.parse_untrusted`: no entity is
ever expanded.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from tui.core.codebook import Entry
from tui.core.neutral import for_terminal
from tui.core.notes.tags import Tag, TagError, check_colour, check_description, check_name
from tui.core.tag_tree import SEPARATOR

#: The namespace of every element of a REFI-QDA project (QDA-XML 1.0).
NS = "urn:QDA-XML:project:1.0"
#: The UUID 5 namespace Dossier derives its GUIDs from (a fixed random UUID: names, not places).
GUIDS = uuid.UUID("5b0e1c8e-6f1a-4c62-9a55-2f0d7c1e9b43")
#: What stands in for a ``/`` inside one code's name read from another tool.
SLASH = "\u2215"
#: The longest level of a tag's name (:func:`tui.core.notes.tags.check_name`): a longer code name is cut to it.
LEVEL = 40

# Dossier keeps a colour name where the analyst gave one; REFI-QDA wants #rrggbb.
# CSS's values of the common names, which every tool reading the file agrees on
# (Rich, which draws the reader, gives "red" as the terminal's dark red).
_NAMED = {
    "red": "#ff0000", "green": "#008000", "blue": "#0000ff", "yellow": "#ffff00", "orange": "#ffa500",
    "purple": "#800080", "magenta": "#ff00ff", "cyan": "#00ffff", "pink": "#ffc0cb", "brown": "#a52a2a",
    "grey": "#808080", "gray": "#808080", "black": "#000000", "white": "#ffffff", "teal": "#008080",
    "lime": "#00ff00", "navy": "#000080", "maroon": "#800000", "olive": "#808000", "silver": "#c0c0c0",
}
_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def q(name: str, namespace: str = NS) -> str:
    """The qualified name of a QDA-XML element (in a project's namespace unless told another)."""
    return f"{{{namespace}}}{name}"


def guid_for(kind: str, name: str) -> str:
    """A GUID for ``name`` of ``kind`` (code, user, source, …): the same for the same name, in every export."""
    return str(uuid.uuid5(GUIDS, f"{kind}:{name}"))


def code_guid(name: str) -> str:
    """The guid of the tag (or implied parent) with this whole name, in a ``.qdc`` and a ``.qdpx`` alike."""
    return guid_for("code", name)


def guid_key(guid: str) -> str:
    """A GUID as Dossier compares and keeps it: lower case, no braces ("" if it is none)."""
    try:
        return str(uuid.UUID(guid.strip()))
    except (ValueError, AttributeError):
        return ""


def xml_text(text: str) -> str:
    """Text that XML 1.0 can hold: a character it cannot is written visibly, as on the terminal (``␛``, ``\\udcff``)."""
    return _NOT_XML.sub(lambda m: _visible(m.group()), text)


def _visible(char: str) -> str:
    shown = for_terminal(char)
    return shown if shown != char else f"\\u{ord(char):04x}"  # U+FFFE/F: nothing on a terminal, still no XML


def hex_colour(colour: str) -> str | None:
    """A tag's colour as ``#rrggbb`` (or ``#rgb``), lower case; None for a name no one can turn into one.

    A name is CSS's value where CSS has it, else what Rich (which draws the
    reader) makes of it: ``grey50``, ``bright_red``.
    """
    if _HEX.fullmatch(colour):
        return colour.lower()
    if colour.lower() in _NAMED:
        return _NAMED[colour.lower()]
    try:
        from rich.color import Color, ColorParseError  # imported here: the codebook needs it only for a name
    except ImportError:  # pragma: no cover - rich comes with the reader
        return None
    try:
        red, green, blue = Color.parse(colour).get_truecolor()
    except ColorParseError:
        return None
    return f"#{red:02x}{green:02x}{blue:02x}"


def code_path(name: str) -> list[str]:
    """The codes a tag name passes through: ``energy/pipelines`` -> ``["energy", "pipelines"]``.

    A name with an empty level (``a//b``, ``/x``, from a folder older than the
    hierarchy) is one code: it is no path.
    """
    parts = name.split(SEPARATOR)
    return parts if all(part.strip() for part in parts) else [name]


@dataclass
class _Node:
    """One code of the tree being built: its full name, the tag it is (None: an implied parent), its children."""

    name: str
    tag: Tag | None = None
    children: dict[str, _Node] = field(default_factory=dict)


def codebook_element(tags: Sequence[Tag], namespace: str = NS) -> Any:
    """``<CodeBook><Codes>…</Codes></CodeBook>`` of the vocabulary in ``namespace``: a ``.qdc``'s root, or a project's codebook.

    Tags keep the vocabulary's order among their siblings; a parent comes
    where its first tag or child does. The namespace is the element's
    default one, so a project it is put in writes no prefix for it.
    """
    root = _Node("")
    for tag in tags:
        node, names = root, code_path(tag.name)
        for depth, part in enumerate(names):
            node = node.children.setdefault(part, _Node(SEPARATOR.join(names[: depth + 1])))
        node.tag = tag

    def code(node: _Node, part: str) -> Any:
        element = etree.Element(q("Code", namespace), guid=code_guid(node.name), name=xml_text(part),
                                isCodable="true" if node.tag else "false")
        if node.tag is not None:
            colour = hex_colour(node.tag.colour)
            if colour:
                element.set("color", colour)
            if node.tag.description.strip():
                etree.SubElement(element, q("Description", namespace)).text = xml_text(node.tag.description)
        element.extend(code(child, name) for name, child in node.children.items())
        return element

    book = etree.Element(q("CodeBook", namespace), nsmap={None: namespace})
    etree.SubElement(book, q("Codes", namespace)).extend(code(child, name) for name, child in root.children.items())
    return book


def read_codes(codes: Any, coded: Container[str] = ()) -> tuple[list[Entry], list[str]]:
    """The codes of a ``<Codes>`` element (any namespace) as tags, parents first; problems one line each, never fatal.

    ``coded`` holds the guids (as :func:`guid_key` gives them) that a
    project codes passages with: a non-codable parent among them is a tag
    too, so its codings keep it.
    """
    entries: list[Entry] = []
    problems: list[str] = []

    def walk(element: Any, parent: str) -> None:
        for code in element.iterfind("{*}Code"):
            raw = code.get("name") or ""
            own = _level(raw, problems)
            name = f"{parent}{SEPARATOR}{own}" if parent else own
            inner = code.find("{*}Code") is not None
            try:
                check_name(name)
            except TagError:
                nested = f" and the {sum(1 for _ in code.iter('{*}Code')) - 1} code(s) inside it" if inner else ""
                problems.append(f"code {for_terminal(raw)!r}: not a name a tag can have (1-40 characters a level, "
                                f"up to 5 levels); skipped{nested}")
                continue
            described = code.findtext("{*}Description") or ""
            codable = (code.get("isCodable") or "true").strip().lower() not in ("false", "0")
            if codable or not inner or described.strip() or guid_key(code.get("guid") or "") in coded:
                entries.append(Entry(name, _colour(code.get("color") or "", name, problems),
                                     _description(described, name, problems), 0, code.get("guid") or ""))
            walk(code, name)

    walk(codes, "")
    return entries, problems


def _level(raw: str, problems: list[str]) -> str:
    """A code's own name as one level of a tag's: on one line, its ``/`` made ``∕``, cut to :data:`LEVEL` characters."""
    own = " ".join(filter(None, (line.strip() for line in raw.splitlines()))).replace(SEPARATOR, SLASH)
    if SEPARATOR in raw:
        problems.append(f"code {for_terminal(raw)!r}: its '/' is not a level here; read as {for_terminal(own)!r}")
    if len(own) > LEVEL:
        own = own[:LEVEL].rstrip()
        problems.append(f"code {for_terminal(raw)!r}: longer than a tag's {LEVEL} characters; read as {for_terminal(own)!r}")
    return own


def _colour(colour: str, name: str, problems: list[str]) -> str:
    """A code's ``color`` as a tag's colour ('' for none, or one Dossier cannot use, which is said)."""
    colour = colour.strip().lower()
    try:
        return check_colour(colour) if colour else ""
    except TagError:
        problems.append(f"code {for_terminal(name)!r}: colour {for_terminal(colour)!r} is not #rrggbb; default colour used")
        return ""


def _description(text: str, name: str, problems: list[str]) -> str:
    """A code's ``<Description>`` as a tag's ('' for one a tag cannot hold, which is said)."""
    try:
        return check_description(text)
    except TagError as error:
        problems.append(f"code {for_terminal(name)!r}: {for_terminal(str(error))}; description left out")
        return ""
