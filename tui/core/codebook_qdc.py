"""The codebook in REFI-QDA's exchange format: a ``.qdc`` file, and the ``<CodeBook>`` of a ``.qdpx`` project.

REFI-QDA (the Rotterdam Exchange Format Initiative, read by ATLAS.ti, MAXQDA,
NVivo and QualCoder) writes a codebook as nested ``<Code>`` elements::

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
export, and a project file's codings can refer to it.

Reading: every ``<Code>`` becomes a tag named by its path, except a
non-codable code with codes inside it, which is implied by them. A ``/``
inside a code's own name (another tool allows it) would make a level, so it
is read as ``∕`` (division slash), and said. A code whose name Dossier cannot
hold is one problem line, skipped with the codes inside it; the rest is read.

The same functions build and read the ``<Codes>`` of a project file
(``.qdpx``'s ``project.qde``): pass the project's namespace. Only the standard
library's ElementTree is used, with a file that declares entities refused
(:func:`parse_qdc`), so a hostile file cannot blow up in memory. Text that
XML cannot hold (control characters but tab and line feed, lone surrogates)
is written visibly, as on the terminal.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING
from xml.parsers import expat

from tui.core.codebook import Entry
from tui.core.neutral import for_terminal
from tui.core.tag_tree import SEPARATOR, ancestors, leaf, tree_order

if TYPE_CHECKING:
    from tui.core.notes.tags import Tag

#: The namespace of a ``.qdc`` codebook file.
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: The namespace of a project file (``project.qde`` in a ``.qdpx``).
PROJECT_NS = "urn:QDA-XML:project:1.0"
#: The namespace every code's guid is derived in (uuid5): fixed, so guids are stable across exports.
GUID_NAMESPACE = uuid.UUID("6f0e4d2a-6c1b-5b7e-9a43-0d0551e2c0de")
#: What stands in for a ``/`` inside one code's name read from another tool.
SLASH = "\u2215"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def code_guid(name: str) -> str:
    """The REFI-QDA guid of the tag (or implied parent) with this whole name: the same in every export."""
    return str(uuid.uuid5(GUID_NAMESPACE, name))


def for_xml(text: str) -> str:
    """Text that XML 1.0 can hold: a character it cannot is written visibly, as on the terminal (``␛``, ``\\udcff``)."""
    return _NOT_XML.sub(lambda m: for_terminal(m.group()), text)


def hex_colour(colour: str) -> str | None:
    """The colour as REFI-QDA writes it (``#rrggbb`` or ``#rgb``); None for a name no one can turn into one."""
    if _HEX.fullmatch(colour):
        return colour
    try:
        from rich.color import Color, ColorParseError  # a colour name: the same names the reader draws
    except ImportError:  # pragma: no cover - rich comes with the reader
        return None
    try:
        red, green, blue = Color.parse(colour).get_truecolor()
    except ColorParseError:
        return None
    return f"#{red:02x}{green:02x}{blue:02x}"


def codes_element(tags: Sequence[Tag], namespace: str = CODEBOOK_NS, guids: Mapping[str, str] | None = None) -> ET.Element:
    """The ``<Codes>`` element of the vocabulary: one ``<Code>`` per tag, nested by hierarchy, implied parents not codable.

    ``guids`` gives a tag's guid where the caller has one (a project file read
    earlier); otherwise :func:`code_guid`. Siblings keep the vocabulary's order.
    """
    by_name = {tag.name: tag for tag in tags}
    codes = ET.Element(f"{{{namespace}}}Codes")
    elements: dict[str, ET.Element] = {}
    for name in tree_order(by_name):
        tag = by_name.get(name)
        parents = [p for p in ancestors(name) if p in elements]
        holder = elements[parents[-1]] if parents else codes
        code = ET.SubElement(holder, f"{{{namespace}}}Code")
        code.set("guid", (guids or {}).get(name) or code_guid(name))
        code.set("name", for_xml(leaf(name) if parents else name))
        code.set("isCodable", "true" if tag is not None else "false")
        colour = hex_colour(tag.colour) if tag is not None else None
        if colour:
            code.set("color", colour)
        if tag is not None and tag.description:
            ET.SubElement(code, f"{{{namespace}}}Description").text = for_xml(tag.description)
        elements[name] = code
    return codes


def codebook_element(tags: Sequence[Tag], namespace: str = CODEBOOK_NS, guids: Mapping[str, str] | None = None) -> ET.Element:
    """``<CodeBook><Codes>…</Codes></CodeBook>``: a ``.qdc``'s root, or the ``<CodeBook>`` of a project."""
    book = ET.Element(f"{{{namespace}}}CodeBook")
    book.append(codes_element(tags, namespace, guids))
    return book


def to_qdc(tags: Sequence[Tag]) -> bytes:
    """The vocabulary as a ``.qdc`` file: UTF-8 XML with its declaration, the codebook namespace as the default one."""
    ET.register_namespace("", CODEBOOK_NS)
    root = codebook_element(tags)
    ET.indent(root, space="  ")
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def _refuse_entities(*_: object) -> None:
    raise ValueError("the file declares XML entities, which a codebook does not need; not read")


def parse_qdc(data: bytes) -> ET.Element:
    """The root element of a ``.qdc`` (or ``.qde``) file; ValueError in one line if it is not well-formed XML.

    A first pass with expat refuses a document type that declares entities (a
    "billion laughs" file) before ElementTree would expand them.
    """
    check = expat.ParserCreate()
    check.EntityDeclHandler = _refuse_entities
    try:
        check.Parse(data, True)
        return ET.fromstring(data)
    except (expat.ExpatError, ET.ParseError) as error:
        raise ValueError(f"not an XML file: {error}") from None


def read_codes(codes: ET.Element) -> tuple[list[Entry], list[str]]:
    """The codes of a ``<Codes>`` element (any namespace), depth first; problems one line each, never fatal."""
    from tui.core.notes.tags import TagError, check_colour, check_description, check_name

    entries: list[Entry] = []
    problems: list[str] = []

    def walk(element: ET.Element, parent: str) -> None:
        for code in (child for child in element if _local(child.tag) == "Code"):
            raw = code.get("name", "")
            own = raw.strip().replace(SEPARATOR, SLASH)
            name = f"{parent}{SEPARATOR}{own}" if parent else own
            inner = [child for child in code if _local(child.tag) == "Code"]
            try:
                check_name(name)
            except TagError:
                nested = f" and the {_count(code)} code(s) inside it" if inner else ""
                problems.append(f"code {for_terminal(raw)!r}: not a name a tag can have (1-40 characters a level); skipped{nested}")
                continue
            if own != raw.strip() and SEPARATOR in raw:
                problems.append(f"code {for_terminal(raw)!r}: its '/' is not a level here; read as {for_terminal(own)!r}")
            described = next((child.text or "" for child in code if _local(child.tag) == "Description"), "")
            codable = code.get("isCodable", "true").strip().lower() not in ("false", "0")
            if codable or not inner or described.strip():
                colour = code.get("color", "")
                try:
                    colour = check_colour(colour) if colour else ""
                except TagError:
                    problems.append(f"code {for_terminal(name)!r}: colour {for_terminal(colour)!r} is not #rrggbb; default colour used")
                    colour = ""
                try:
                    description = check_description(described)
                except TagError as error:
                    problems.append(f"code {for_terminal(name)!r}: {for_terminal(str(error))}; description left out")
                    description = ""
                entries.append(Entry(name, colour, description, 0, code.get("guid", "")))
            walk(code, name)

    walk(codes, "")
    return entries, problems


def read_qdc(data: bytes) -> tuple[list[Entry], list[str]]:
    """The codes of a ``.qdc`` file (or of a project file's ``<CodeBook>``); problems one line each.

    A file that is not XML, or holds no ``<Codes>``, gives no code and one problem.
    """
    try:
        root = parse_qdc(data)
    except ValueError as error:
        return [], [str(error)]
    codes = next((element for element in root.iter() if _local(element.tag) == "Codes"), None)
    if codes is None:
        return [], ["no <Codes> element: not a REFI-QDA codebook"]
    return read_codes(codes)


def _local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rpartition("}")[2]


def _count(code: ET.Element) -> int:
    """How many codes are nested inside ``code``, at any depth."""
    return sum(1 for element in code.iter() if element is not code and _local(element.tag) == "Code")
