"""Merging notes folders that were not shared through git: every analyst's annotations of each source, into one folder.

The union by annotation id: an id the destination lacks is copied as it is
(its analyst, dates and target kept); an id it holds with the same content
is skipped; an id whose content differs (changed in two places) is kept in
both versions, the source's under a new id with a line in its note saying
where it came from, and reported. Nothing is overwritten or dropped.

A source that cannot be read whole (not a notes folder, a damaged file) is
refused in one line and nothing of it is written; the others are merged.
Each source is one import (``Store.import_documents``): all of it or none.
Tags the destination lacks come with the source's colours; memos,
overrides and attributes are not copied (they are the team's, not an analyst's).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .analyst_names import analyst_of
from .files import MAIN_FILE, Doc, StoreError

if TYPE_CHECKING:
    from .store import Store
    from .tags import Tag


#: How the note of a second version (an id changed in two places) begins its line saying where it came from.
MERGED_FROM = "[merged from "


@dataclass
class MergeReport:
    """What a merge did."""

    added: int = 0  # annotations copied
    present: int = 0  # ids the destination held already, with the same content
    #: (id, the new id of the source's version, source folder) for each id changed in two places
    twice: list[tuple[str, str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one line per source that was not merged


def _content(doc: Doc) -> tuple[object, ...]:
    """What makes two versions of one annotation differ: what an analyst can change, and what they marked."""
    return (doc["article"]["path"], doc["target"]["exact"], tuple(doc["tags"]), doc["note"], analyst_of(doc))


def read_source(folder: Path) -> tuple[list[Doc], list[Tag]]:
    """Every annotation of a notes folder as stored (its orphans flagged as they are), and its tags; StoreError if damaged.

    The stored documents themselves, checked as the store read them: building
    and writing out 50,000 annotations again was a fifth of a merge.
    """
    from .store import Store

    if not (folder / MAIN_FILE).is_file():
        raise StoreError(f"{folder}: not a notes folder (it has no {MAIN_FILE})")
    with Store.open(folder, mode="read") as store:
        found = [doc for file in store.files.all() for doc in file.raw().values()]
        return found, store.tags()


def merge(dest: Store, sources: Sequence[Path]) -> MergeReport:
    """Merge the annotations of `sources` into the writable store `dest`; see the module's docstring."""
    report = MergeReport()
    # By id, the documents as stored: their content is compared only for the ids both sides hold.
    held: dict[str, Doc] = {doc["id"]: doc for file in dest.files.all() for doc in file.raw().values()}
    for folder in sources:
        if folder.resolve() == dest.folder.resolve():
            report.refused.append(f"{folder}: is the folder merged into")
            continue
        try:
            found, tags = read_source(folder)
        except StoreError as error:
            report.refused.append(f"{error}; nothing was merged from it")
            continue
        new: list[Doc] = []
        twice: list[tuple[str, str, str]] = []
        for doc in found:
            mine = held.get(doc["id"])
            if mine is None:
                new.append(doc)
            elif _content(mine) == _content(doc):
                report.present += 1
            else:
                other = dict(doc, id=str(uuid.uuid4()), note=_told(doc, folder))
                new.append(other)
                twice.append((doc["id"], other["id"], str(folder)))
        # The same source merged twice brings its second versions twice: the first copy is enough. A copy
        # the destination holds has the same note, so only notes that say where they were merged from are compared.
        seen = {_content(d) for d in held.values() if MERGED_FROM in d["note"]} if twice else set()
        second = {n for _, n, _ in twice}
        new = [d for d in new if not (d["id"] in second and _content(d) in seen)]
        try:
            # Every annotation was checked as its source was read, and a second version's note is made here: checked once.
            dest.import_documents(new, tags, checked=True)
        except StoreError as error:
            report.refused.append(f"{folder}: {error}; nothing was merged from it")
            continue
        report.added += len(new)
        kept = {d["id"] for d in new}  # a set: 50,000 new ids against 1,000 conflicts was a quadratic scan
        report.twice += [t for t in twice if t[1] in kept]
        held.update((d["id"], d) for d in new)
    return report


def _told(doc: Doc, folder: Path) -> str:
    """The source's version's note, with a line saying which id and folder it is the second version of."""
    # A folder name's undecodable byte (a lone surrogate) has no UTF-8 form: written as its escape, the note stays valid.
    where = str(folder).encode("utf-8", "backslashreplace").decode("utf-8")
    line = f"{MERGED_FROM}{where}: another version of annotation {doc['id']}]"
    return f"{doc['note']}\n{line}" if doc["note"].strip() else line
