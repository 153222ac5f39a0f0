"""The codebook as a REFI-QDA ``.qdc`` file: ``dossier codebook export|import FILE.qdc``.

A ``.qdc`` is a ``<CodeBook>`` in the codebook namespace, alone in a file.
Its codes are those of a ``.qdpx`` project's codebook, built and read by the
same functions (:mod:`tui.core.refi.codes`, which says what maps to what),
so a tag has the same ``<Code>``, guid included, in both files. A file is
parsed as a project is (:func:`tui.core.refi.archive.parse_untrusted`): a
file that declares a DTD, where entities live, is refused, so a hostile
file cannot blow up in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lxml import etree

from tui.core.refi.archive import ProjectFileError, parse_untrusted
from tui.core.refi.codes import codebook_element, read_codes

if TYPE_CHECKING:
    from tui.core.codebook import Entry
    from tui.core.notes.tags import Tag

#: The namespace of a ``.qdc`` codebook file.
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


def to_qdc(tags: Sequence[Tag]) -> bytes:
    """The vocabulary as a ``.qdc`` file: UTF-8 XML with its declaration, the codebook namespace as the default one."""
    root = codebook_element(tags, CODEBOOK_NS)
    return bytes(etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True))


def read_qdc(data: bytes) -> tuple[list[Entry], list[str]]:
    """The codes of a ``.qdc`` file (or of a project file's ``<CodeBook>``); problems one line each.

    A file that is not XML, declares a DTD, or holds no ``<Codes>`` gives no code and one problem.
    """
    try:
        root = parse_untrusted(data, "the file")
    except ProjectFileError as error:
        return [], [str(error)]
    codes = next(root.iter("{*}Codes"), None)
    if codes is None:
        return [], ["no <Codes> element: not a REFI-QDA codebook"]
    return read_codes(codes)
