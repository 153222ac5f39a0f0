"""The codebook of a REFI-QDA project: Dossier's tags as ``<Code>`` elements, and codes read back as tags.

A tag whose name holds ``/`` is a path in the code tree: ``energy/pipelines``
is the code ``pipelines`` inside the code ``energy``. A parent that is not a
tag of its own is written as a code that cannot be coded (``isCodable`` false),
so other tools show the tree as Dossier names it. Every GUID is derived from
the tag's name (UUID 5), so exporting twice gives the same GUIDs and another
tool sees the same code, not a new one.

The XML of the codebook is built by :func:`codebook_element` alone, so that a
codebook module of its own (descriptions, ``.qdc`` files) can take it over.
A tag's description is read with ``getattr`` until tags carry one.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from tui.core.notes.tags import Tag

#: The namespace of every element of a REFI-QDA project (QDA-XML 1.0).
NS = "urn:QDA-XML:project:1.0"
#: The UUID 5 namespace Dossier derives its GUIDs from (a fixed random UUID: names, not places).
GUIDS = uuid.UUID("5b0e1c8e-6f1a-4c62-9a55-2f0d7c1e9b43")

# Dossier keeps a colour name where the analyst gave one; REFI-QDA wants #rrggbb.
# These are the CSS values of the names the tag manager offers.
_NAMED = {
    "red": "#ff0000", "green": "#008000", "blue": "#0000ff", "yellow": "#ffff00", "orange": "#ffa500",
    "purple": "#800080", "magenta": "#ff00ff", "cyan": "#00ffff", "pink": "#ffc0cb", "brown": "#a52a2a",
    "grey": "#808080", "gray": "#808080", "black": "#000000", "white": "#ffffff", "teal": "#008080",
    "lime": "#00ff00", "navy": "#000080", "maroon": "#800000", "olive": "#808000", "silver": "#c0c0c0",
}


def q(name: str) -> str:
    """The qualified name of a QDA-XML element."""
    return f"{{{NS}}}{name}"


def guid_for(kind: str, name: str) -> str:
    """A GUID for ``name`` of ``kind`` (code, user, source, …): the same for the same name, in every export."""
    return str(uuid.uuid5(GUIDS, f"{kind}:{name}"))


def hex_colour(colour: str) -> str | None:
    """A tag's colour as ``#rrggbb`` (or ``#rgb``), None for a name this module does not know."""
    if colour.startswith("#") and len(colour) in (4, 7):
        return colour.lower()
    return _NAMED.get(colour.lower())


def code_path(name: str) -> list[str]:
    """The codes a tag name passes through: ``energy/pipelines`` -> ``["energy", "pipelines"]``.

    A name with an empty part (``a//b``, ``/x``) is one code: it is no path.
    """
    parts = name.split("/")
    return parts if all(part.strip() for part in parts) else [name]


@dataclass
class _Node:
    """One code of the tree being built: its full name, the tag it is (None: a parent only), its children."""

    name: str
    tag: Tag | None = None
    children: dict[str, _Node] = field(default_factory=dict)


def codebook_element(tags: Sequence[Tag]) -> tuple[Any, dict[str, str]]:
    """``<CodeBook>`` for the vocabulary, and each tag's code GUID by tag name.

    Tags keep their order; a parent comes where its first tag or child does.
    """
    root = _Node("")
    for tag in tags:
        node, names = root, code_path(tag.name)
        for depth, part in enumerate(names):
            full = "/".join(names[: depth + 1])
            node = node.children.setdefault(part, _Node(full))
        node.tag = tag
    guids: dict[str, str] = {}

    def code(node: _Node, part: str) -> Any:
        guid = guid_for("code", node.name)
        element = etree.Element(q("Code"), guid=guid, name=part, isCodable="true" if node.tag else "false")
        if node.tag is not None:
            guids[node.tag.name] = guid
            colour = hex_colour(node.tag.colour)
            if colour:
                element.set("color", colour)
            description = str(getattr(node.tag, "description", "") or "")
            if description.strip():
                etree.SubElement(element, q("Description")).text = xml_text(description)
        element.extend(code(child, name) for name, child in node.children.items())
        return element

    book = etree.Element(q("CodeBook"))
    codes = etree.SubElement(book, q("Codes"))
    codes.extend(code(child, name) for name, child in root.children.items())
    return book, guids


@dataclass(frozen=True)
class Code:
    """A code read from a project: its GUID, its name as a path (``energy/pipelines``), colour, description."""

    guid: str
    path: str
    colour: str | None
    description: str
    codable: bool


def read_codes(book: Any) -> list[Code]:
    """Every code of a ``<CodeBook>`` element, parents before children, each named by its path."""
    found: list[Code] = []

    def walk(parent: Any, above: str) -> None:
        for element in parent.iterfind("{*}Code"):
            own = " ".join((element.get("name") or "").split()).replace("/", "-") or "code"
            path = f"{above}/{own}" if above else own
            colour = element.get("color")
            colour = colour.lower() if colour and colour.startswith("#") and len(colour) in (4, 7) else None
            description = element.findtext("{*}Description") or ""
            codable = (element.get("isCodable") or "true").strip().lower() in ("true", "1")
            found.append(Code(element.get("guid") or "", path, colour, description, codable))
            walk(element, path)

    for codes in book.iterfind("{*}Codes"):
        walk(codes, "")
    return found


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (C0 controls but tab and line breaks, lone surrogates, U+FFFE/F)."""
    return _NOT_XML.sub("", text)


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
