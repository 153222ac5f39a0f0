"""Reading a ``.qdpx`` someone else wrote: a zip and an XML file, hostile until checked.

Nothing is extracted to disk: members are read into memory by name, so a
member name cannot write anywhere; a name that is absolute or climbs out
with ``..`` still refuses the whole file (a tool that wrote it is broken or
the file was made to attack). Every member is read through a bound, checked
before reading against its declared size and again while reading (a zip's
declared sizes are the attacker's to choose), and the whole file against a
total, so a zip bomb is refused in one line, not unpacked.

The XML is parsed by lxml with entities never resolved, no network, no DTD
loaded and libxml2's limits for huge documents kept; a document that
declares a DTD at all (where "billion laughs" entities live) is refused, as
a REFI-QDA file has none. Every refusal is a :class:`ProjectFileError`
whose message is one line. A ``.qdc`` codebook is parsed the same way
(:func:`parse_untrusted`), so both files someone else wrote meet one parser.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

#: The largest ``.qdpx`` file read (as on disk).
MAX_FILE = 2 * 1024**3
#: The most members a project may have (each is a source, an image, a note).
MAX_MEMBERS = 100_000
#: The largest ``project.qde``, uncompressed (a project of a million codings is a few hundred MB).
MAX_PROJECT = 512 * 1024**2
#: The largest source text, uncompressed: the corpus reader's own limit for an article.
MAX_SOURCE = 256 * 1024**2
#: The most bytes read from the zip in all.
MAX_TOTAL = 2 * 1024**3

#: A DOCTYPE after the XML declaration, comments and processing instructions (the prolog), in its first bytes.
_PROLOG_DTD = re.compile(rb"(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)
_PROLOG = 1024**2
#: The first bytes of a zip file: how ``dossier import`` tells a project from a JSON export.
ZIP_MAGIC = b"PK\x03\x04"


class ProjectFileError(ValueError):
    """The file is not a REFI-QDA project Dossier will read; the message says why, in one line."""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _size(count: int) -> str:
    return f"{count / 1024**2:,.0f} MB" if count >= 1024**2 else f"{count:,} bytes"


@dataclass
class ProjectArchive:
    """An opened ``.qdpx``: its checked member names and the parsed ``project.qde``."""

    path: Path
    root: Any
    _zip: zipfile.ZipFile
    _names: dict[str, zipfile.ZipInfo]
    _read: int = 0
    _texts: dict[str, bytes] = field(default_factory=dict)

    def member(self, name: str, limit: int | None = None) -> bytes | None:
        """The bytes of the member ``name`` (None if there is none); ProjectFileError past ``limit`` (a source's) or the total."""
        limit = MAX_SOURCE if limit is None else limit
        info = self._names.get(name)
        if info is None:
            return None
        if info.file_size > limit:
            raise ProjectFileError(f"{name}: {_size(info.file_size)} uncompressed, more than the {_size(limit)} it may hold")
        try:
            with self._zip.open(info) as handle:
                data = handle.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
            raise ProjectFileError(f"{name}: cannot be unpacked: {_one_line(str(error))}") from None
        if len(data) > limit:
            raise ProjectFileError(f"{name}: more than the {_size(limit)} it may hold uncompressed")
        self._read += len(data)
        if self._read > MAX_TOTAL:
            raise ProjectFileError(f"more than {_size(MAX_TOTAL)} uncompressed in all")
        return data

    def internal(self, uri: str) -> bytes | None:
        """The bytes an ``internal://NAME`` path names (a file in ``sources/``); None if it names none."""
        name = uri.removeprefix("internal://")
        if not uri.startswith("internal://") or not name or "/" in name or "\\" in name or name in (".", ".."):
            return None
        return self.member(f"sources/{name}")

    def close(self) -> None:
        """Close the zip."""
        self._zip.close()


def is_project(path: Path) -> bool:
    """Whether ``path`` is a ``.qdpx`` by its name, or a zip by its first bytes (a regular file only: no pipe is read)."""
    if path.suffix.lower() == ".qdpx":
        return True
    try:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            return handle.read(len(ZIP_MAGIC)) == ZIP_MAGIC
    except OSError:
        return False


def safe_name(name: str) -> bool:
    """Whether a member name stays inside the archive: relative, no ``..``, no drive or backslash tricks."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name or ":" in name.split("/")[0]:
        return False
    return ".." not in PurePosixPath(name).parts


def open_project(path: Path) -> ProjectArchive:
    """Open and check a ``.qdpx``: its members' names and sizes, then parse its ``project.qde``."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ProjectFileError(f"cannot read it: {error.strerror or error}") from None
    if not path.is_file():
        raise ProjectFileError("not a regular file")
    if size > MAX_FILE:
        raise ProjectFileError(f"{_size(size)}, more than the {_size(MAX_FILE)} Dossier reads")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ProjectFileError(f"not a REFI-QDA project (a .qdpx is a zip file): {_one_line(str(error))}") from None
    try:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ProjectFileError(f"{len(infos):,} files inside, more than the {MAX_MEMBERS:,} a project may hold")
        names: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if not safe_name(info.filename):
                raise ProjectFileError(f"a file inside is named {info.filename!r}, outside the project (absolute or with ..)")
            if not info.is_dir():
                names[info.filename] = info
        if sum(info.file_size for info in names.values()) > MAX_TOTAL * 4:
            raise ProjectFileError(f"its files claim more than {_size(MAX_TOTAL * 4)} uncompressed")
        qde = [name for name in names if "/" not in name and name.lower().endswith(".qde")]
        if len(qde) != 1:
            found = "no" if not qde else f"{len(qde)}"
            raise ProjectFileError(f"{found} project.qde at its top (a .qdpx holds exactly one .qde file)")
        project = ProjectArchive(path, None, archive, names)
        data = project.member(qde[0], MAX_PROJECT)
        assert data is not None
        project.root = parse_xml(data, qde[0])
        return project
    except BaseException:
        archive.close()
        raise


def parse_xml(data: bytes, name: str) -> Any:
    """The root element of a project's ``project.qde``; ProjectFileError for malformed XML, any DTD, or another root."""
    root = parse_untrusted(data, name)
    if etree.QName(root).localname != "Project":
        raise ProjectFileError(f"{name}: its root is <{etree.QName(root).localname}>, not a REFI-QDA <Project>")
    return root


def parse_untrusted(data: bytes, name: str) -> Any:
    """The root element of any REFI-QDA XML someone else wrote (a project, a ``.qdc``); ProjectFileError for malformed XML or any DTD.

    ``name`` is how the one-line message names the document.
    """
    if _PROLOG_DTD.match(data.removeprefix(b"\xef\xbb\xbf")[:_PROLOG]):  # refused before libxml2 reads a single entity
        raise ProjectFileError(f"{name} declares a DTD (entities); a REFI-QDA file has none, so it is refused")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False, remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ProjectFileError(f"{name} is not well-formed XML: {_one_line(str(error))}") from None
    except ValueError as error:  # lxml's refusal of some inputs (an encoding declaration it cannot honour)
        raise ProjectFileError(f"{name} cannot be read as XML: {_one_line(str(error))}") from None
    if root.getroottree().docinfo.internalDTD is not None or root.getroottree().docinfo.doctype:
        raise ProjectFileError(f"{name} declares a DTD (entities); a REFI-QDA file has none, so it is refused")
    return root
