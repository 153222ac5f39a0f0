"""The ``.qdpx`` project Dossier writes: ``project.qde`` (QDA-XML 1.0) and each article's text under ``sources/``.

What goes where (the README's "REFI-QDA exchange" says it for users):

- every analyst who made an exported annotation is a ``<User>`` (an
  annotation that names none is the user ``unknown``, as ``dossier agree``
  calls it);
- the tag vocabulary is the ``<CodeBook>`` (:mod:`.codes`);
- every article the export holds (one with an annotation or a memo) is a
  ``<TextSource>`` whose ``plainTextPath`` is ``internal://<guid>.txt``: the
  article's decoded source text in UTF-8, the very text Dossier's offsets
  count in, so a selection's ``startPosition``/``endPosition`` (Unicode code
  points, as Python counts a ``str``) are the annotation's offsets unchanged;
  its title is the source's ``<Description>``; its attributes are
  ``<VariableValue>``\\ s of text ``<Variable>``\\ s declared once for the project;
  its memo is a ``<Note>`` the source refers to;
- an annotation is a ``<PlainTextSelection>`` (its id is the GUID, its quote
  the name) with a ``<Coding>`` per tag, and its note a ``<Note>`` it refers to;
- the corpus memo is the project's ``<Description>``.

An annotation that could not be re-anchored (an orphan) has no place in any
text, and a selection must have one: it is written as a project ``<Note>``
holding its quote, tags and note, so that nothing is lost on the way out.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lxml import etree

from tui.core.notes.analyst_names import DEFAULT_ANALYST
from tui.core.notes.model import Annotation
from tui.core.notes.tags import Tag

from .codes import NS, code_guid, codebook_element, guid_for, q, xml_text

if TYPE_CHECKING:
    from tui.core.export.assemble import ExportOptions
    from tui.core.export.sources import ExportSource
    from tui.core.notes.store import Store

#: The user of annotations made before analysts were recorded.
UNKNOWN_USER = DEFAULT_ANALYST
#: ``xsd:dateTime``; a stamp that is not one (an annotation imported from elsewhere) is left out.
_DATE_TIME = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")


@dataclass(frozen=True)
class SourceArticle:
    """An article as the project holds it: its path, title, decoded text, attributes and memo."""

    path: str
    title: str
    text: str
    attributes: Mapping[str, str]
    memo: str = ""


def analyst_of(annotation: Annotation) -> str:
    """The user who made ``annotation``: its analyst."""
    return annotation.analyst or UNKNOWN_USER


def selection_guid(annotation_id: str) -> str:
    """The GUID of an annotation's selection: its id, which Dossier makes a UUID (one imported from elsewhere may not be)."""
    try:
        return str(uuid.UUID(annotation_id))
    except ValueError:
        return guid_for("selection", annotation_id)


def export_project(store: Store, source: ExportSource, options: ExportOptions, name: str) -> tuple[bytes, list[str]]:
    """The ``.qdpx`` of what ``dossier export`` would export with ``options``, and what to tell the user.

    ``name`` is the project's name (the corpus as the user named it).
    """
    from tui.core.export.assemble import select

    chosen = select(store, source, options)
    articles = [
        SourceArticle(info.path, info.title, info.text, info.facts.values() if info.facts else {}, chosen.memos.get(info.path, ""))
        for info in chosen.infos
    ]
    return project_file(articles, chosen.annotations, store.tags(), store.memos.corpus(), name)


def project_file(
    articles: Sequence[SourceArticle], annotations: Sequence[Annotation], tags: Sequence[Tag], corpus_memo: str, name: str,
) -> tuple[bytes, list[str]]:
    """The ``.qdpx`` zip of these articles and annotations, and one line per thing a user should know."""
    xml, texts, said = project_xml(articles, annotations, tags, corpus_memo, name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for guid, text in texts.items():
            archive.writestr(f"sources/{guid}.txt", text.encode("utf-8"))
    return buffer.getvalue(), said


def project_xml(
    articles: Sequence[SourceArticle], annotations: Sequence[Annotation], tags: Sequence[Tag], corpus_memo: str, name: str,
) -> tuple[bytes, dict[str, str], list[str]]:
    """``project.qde``, the source texts by GUID, and what to tell the user (orphans written as notes)."""
    texts = {article.path: article for article in articles}
    placed = [a for a in annotations if not a.orphan and a.article.path in texts]
    orphans = [a for a in annotations if a.orphan or a.article.path not in texts]
    users = {analyst: guid_for("user", analyst) for analyst in dict.fromkeys(map(analyst_of, annotations))}
    project = etree.Element(q("Project"), nsmap={None: NS}, name=xml_text(name) or "Dossier", origin="Dossier")
    if users:
        project.set("creatingUserGUID", next(iter(users.values())))
        element = etree.SubElement(project, q("Users"))
        for user, guid in users.items():
            etree.SubElement(element, q("User"), guid=guid, name=xml_text(user))
    book = codebook_element(tags)
    code_guids = {tag.name: code_guid(tag.name) for tag in tags}
    if len(book[0]):
        project.append(book)
    keys = list(dict.fromkeys(key for article in articles for key in article.attributes))
    variables = {key: guid_for("variable", key) for key in keys}
    if variables:
        element = etree.SubElement(project, q("Variables"))
        for key, guid in variables.items():
            etree.SubElement(element, q("Variable"), guid=guid, name=xml_text(key), typeOfVariable="Text")
    notes: list[Any] = []
    sources: dict[str, str] = {}
    by_article: dict[str, list[Annotation]] = {}
    for ann in placed:
        by_article.setdefault(ann.article.path, []).append(ann)
    if articles:
        element = etree.SubElement(project, q("Sources"))
        for article in articles:
            guid = guid_for("source", article.path)
            sources[guid] = article.text
            element.append(_source(article, guid, by_article.get(article.path, []), users, code_guids, variables, notes))
    for ann in orphans:
        notes.append(_note(guid_for("orphan", ann.id), f"Orphaned passage: {ann.article.path}", _orphan_text(ann),
                           users[analyst_of(ann)], ann.created))
    if notes:
        etree.SubElement(project, q("Notes")).extend(notes)
    if corpus_memo.strip():
        etree.SubElement(project, q("Description")).text = xml_text(corpus_memo)
    for ann in orphans:
        etree.SubElement(project, q("NoteRef"), targetGUID=guid_for("orphan", ann.id))
    said = []
    if orphans:
        said.append(f"{len(orphans)} orphaned annotation(s) have no place in any text: written as project notes with their quotes")
    return etree.tostring(project, xml_declaration=True, encoding="UTF-8", pretty_print=True), sources, said


def _source(
    article: SourceArticle, guid: str, annotations: list[Annotation], users: dict[str, str], codes: dict[str, str],
    variables: dict[str, str], notes: list[Any],
) -> Any:
    """One ``<TextSource>``: its selections, memo and attributes (notes it refers to are added to ``notes``)."""
    source = etree.Element(q("TextSource"), guid=guid, name=xml_text(article.path), plainTextPath=f"internal://{guid}.txt")
    if article.title.strip():
        etree.SubElement(source, q("Description")).text = xml_text(article.title)
    for ann in annotations:
        user = users[analyst_of(ann)]
        selection = etree.SubElement(source, q("PlainTextSelection"), guid=selection_guid(ann.id), name=xml_text(ann.target.exact),
                                     startPosition=str(ann.target.start), endPosition=str(ann.target.end), creatingUser=user)
        _stamp(selection, "creationDateTime", ann.created)
        selection.set("modifyingUser", user)
        _stamp(selection, "modifiedDateTime", ann.updated)
        for tag in ann.tags:
            if tag in codes:  # always, but for a tag an annotation names that the vocabulary lost
                coding = etree.SubElement(selection, q("Coding"), guid=guid_for("coding", f"{ann.id}/{tag}"), creatingUser=user)
                _stamp(coding, "creationDateTime", ann.created)
                etree.SubElement(coding, q("CodeRef"), targetGUID=codes[tag])
        if ann.note.strip():
            note = guid_for("note", ann.id)
            etree.SubElement(selection, q("NoteRef"), targetGUID=note)
            notes.append(_note(note, f"Note: {ann.target.exact[:60]}", ann.note, user, ann.updated))
    if article.memo.strip():
        memo = guid_for("memo", article.path)
        etree.SubElement(source, q("NoteRef"), targetGUID=memo)
        notes.append(_note(memo, f"Memo: {article.path}", article.memo, None, ""))
    for key, value in article.attributes.items():
        held = etree.SubElement(source, q("VariableValue"))
        etree.SubElement(held, q("VariableRef"), targetGUID=variables[key])
        etree.SubElement(held, q("TextValue")).text = xml_text(value)
    return source


def _note(guid: str, name: str, text: str, user: str | None, stamp: str) -> Any:
    """A project ``<Note>`` holding ``text`` itself (``PlainTextContent``)."""
    note = etree.Element(q("Note"), guid=guid, name=xml_text(" ".join(name.split())))
    if user:
        note.set("creatingUser", user)
    _stamp(note, "creationDateTime", stamp)
    etree.SubElement(note, q("PlainTextContent")).text = xml_text(text)
    return note


def _orphan_text(ann: Annotation) -> str:
    """What an orphan's note says: where it was, its quote, tags and note."""
    lines = [f"Dossier could not place this passage in {ann.article.path} (offsets {ann.target.start}-{ann.target.end}).",
             f"Quote: {ann.target.exact}", f"Tags: {', '.join(ann.tags) or '-'}"]
    if ann.note.strip():
        lines.append(f"Note: {ann.note}")
    return "\n".join(lines)


def _stamp(element: Any, attribute: str, stamp: str) -> None:
    """Set a date-time attribute, if ``stamp`` is one the schema accepts."""
    if _DATE_TIME.fullmatch(stamp):
        element.set(attribute, stamp)
