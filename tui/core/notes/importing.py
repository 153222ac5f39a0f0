"""Adding annotations as they are (an import, an undo, a bulk load): checked first, then written all or nothing.

``plan`` checks every annotation by the rules the store applies when it
reads one (``files.annotation_faults``) and matches every tag to the
vocabulary ignoring case, before anything is written, and groups what is
new by article. A plan that touches one article file, with no new tag, is
one atomic write (``add_to_one_file``); any other goes through
``commit.commit``, so a crash leaves all of it or none of it; either way
each annotation goes straight into its analyst's own file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .articles import ArticleFiles, header
from .commit import Files, commit
from .files import ANNOTATION_FIELDS, AtomicJSONStorage, Doc, StoreError, annotation_faults, check_table, dumps_tables
from .layout import dumps_annotations, split
from .model import ArticleRef
from .tags import DEFAULT_TAGS, Tag, check_name, free_key, record


@dataclass
class Plan:
    """What an import adds: new tags, and the new annotations (as stored documents) by article path.

    ``vocabulary``, when not None, replaces the folder's tags (an export's
    vocabulary imported into notes that hold no annotation yet); ``tags``
    come after it.
    """

    tags: list[Tag] = field(default_factory=list)
    groups: dict[str, list[Doc]] = field(default_factory=dict)
    vocabulary: list[Tag] | None = None

    @property
    def added(self) -> int:
        """How many annotations the plan adds."""
        return sum(map(len, self.groups.values()))


def faults_of(doc: Doc) -> list[str]:
    """Every rule a stored annotation document breaks (field types, then `annotation_faults`)."""
    faults: list[str] = []
    check_table({"a": {"1": doc}}, "a", ANNOTATION_FIELDS, faults)
    if faults:
        return [fault.removeprefix("a/1: ") for fault in faults]
    return annotation_faults(doc)


def plan(
    documents: list[Doc], tags: list[Tag], held: Callable[[str], bool],
    vocabulary: list[Tag] | None = None, replace: bool = False, checked: bool = False,
) -> Plan:
    """Check the annotations (as stored documents, which it may change) and work out what adding them changes.

    Nothing is written. Raises StoreError naming the first annotation that
    breaks a rule, and TagError for a new tag whose name is not a valid tag
    name. Ids already stored (`held`), and repeats of an id, are skipped.

    ``vocabulary`` (an export's tags, in order, with colours and keys): with
    ``replace`` it becomes the folder's vocabulary; otherwise its tags the
    folder lacks are added after the folder's own, with their colours (and
    their keys when free). A tag only an annotation names is added in grey.
    ``checked``: the caller read them from a store, which applied the rules.
    """
    result = Plan()
    if vocabulary is not None and replace:
        result.vocabulary = []
        for tag in vocabulary:
            result.vocabulary.append(tag if tag.key and not any(t.key == tag.key for t in result.vocabulary)
                                     else dataclasses.replace(tag, key=free_key(result.vocabulary)))
        tags = []
    known = list(result.vocabulary or tags)
    spelling = {t.name.casefold(): t.name for t in known}
    for tag in [] if replace or vocabulary is None else vocabulary:
        if tag.name.casefold() not in spelling:
            key = tag.key if tag.key and not any(t.key == tag.key for t in known) else free_key(known)
            known.append(dataclasses.replace(tag, key=key))
            result.tags.append(known[-1])
            spelling[tag.name.casefold()] = tag.name
    seen: set[str] = set()
    for doc in documents:
        faults = [] if checked else faults_of(doc)
        if faults:
            raise StoreError(f"annotation {doc.get('id')}: {faults[0]}")
        names = []
        for name in doc["tags"]:
            folded = name.casefold()
            if folded not in spelling:
                tag = Tag(check_name(name), "grey", free_key(known))
                known.append(tag)
                result.tags.append(tag)
                spelling[folded] = name
            names.append(spelling[folded])
        doc["tags"] = list(dict.fromkeys(names))
        if doc["id"] in seen or held(doc["id"]):
            continue
        seen.add(doc["id"])
        result.groups.setdefault(doc["article"]["path"], []).append(doc)
    return result


def _sha_of(docs: list[Doc]) -> str:
    """The hash the annotations were placed on: theirs if they agree, else unknown ("")."""
    shas = {d["article"].get("sha256", "") for d in docs}
    return shas.pop() if len(shas) == 1 else ""


def one_file(result: Plan, files: ArticleFiles) -> bool:
    """Whether the plan is one atomic write: one article, no new tag, and no doubt about which text its file is placed on."""
    if len(result.groups) != 1 or result.tags or result.vocabulary is not None:
        return False
    [(path, docs)] = result.groups.items()
    stored = files.stored_hash(path)
    return stored is None or stored == _sha_of(docs)


def add_to_one_file(result: Plan, files: ArticleFiles) -> None:
    """Carry out a plan for which `one_file` holds: one atomic write (a new file is then indexed)."""
    [(path, docs)] = result.groups.items()
    file = files.of_path(path)
    if file is None:
        ref = ArticleRef(path, _sha_of(docs))
        file = files.new(ref, docs, index=False)
        files.index([(file.key, ref)])
    else:
        for doc_id, doc in zip(file.annotations.insert_multiple(docs), docs, strict=True):
            file.doc_ids[doc["id"]] = doc_id
    for doc in docs:
        files.placed(doc["id"], file)


def _next_id(table: dict[str, Any]) -> int:
    return max((int(k) for k in table if k.isdigit()), default=0) + 1


def commit_plan(result: Plan, folder: Path, main: AtomicJSONStorage, files: ArticleFiles) -> None:
    """Carry out any plan: each analyst's file it adds to, new articles' shared files, and the main file, all or nothing.

    Only the files that change are written: the new annotations go straight
    into their analysts' own files (``layout.py``), so two clones that import
    never edit one file, and a shared article file is written only for a new
    article, or when annotations placed on another text (or on an unknown
    one) leave its hash unknown, so that the whole file is re-anchored
    against the article the next time it is read.
    """
    staged: Files = {}
    entries: list[dict[str, Any]] = []
    for path, docs in result.groups.items():
        file = files.of_path(path)
        sha = _sha_of(docs)
        held: dict[str, list[Doc]] = {}
        if file is None:
            key = files.free_key(path)
            staged[None, key] = dumps_tables({"article": {"1": header(ArticleRef(path, sha), None)}, "annotations": {}, "overrides": {}})
            if not files.named_by_path(key, path):
                entries.append({"key": key, "path": path, "sha256": sha})
        else:
            key = file.key
            data = file.db.storage.read() or {}
            held, twice = split(data)
            stored = data["article"]["1"]
            if sha != stored["sha256"]:
                staged[None, key] = dumps_tables(dict(data, article={"1": dict(stored, sha256="")}, annotations=twice))
                if files.listed(key) or not files.named_by_path(key, path):
                    entries.append({"key": key, "path": path, "sha256": ""})
        added, _ = split({"annotations": dict(enumerate(docs))})  # by analyst, as the store files them (the plan's ids are unique)
        for name, new in added.items():
            staged[name, key] = dumps_annotations([*held.get(name, []), *new])

    def change(main_data: Doc) -> None:
        if result.vocabulary is not None:
            main_data["tags"] = {str(i): record(t) for i, t in enumerate(result.vocabulary, 1)}
        vocabulary = main_data.setdefault("tags", {})
        first = _next_id(vocabulary)
        vocabulary.update({str(first + i): record(t) for i, t in enumerate(result.tags)})
        index = main_data.setdefault("articles", {})
        where = {entry["key"]: doc_id for doc_id, entry in index.items()}
        first = _next_id(index)
        for entry in entries:
            if entry["key"] in where:
                index[where[entry["key"]]] = {**index[where[entry["key"]]], **entry}  # a "missing" flag stays
            else:
                index[str(first)] = entry
                first += 1

    commit(folder, main, staged, change)


def add(
    documents: list[Doc], tags: list[Tag], files: ArticleFiles, main: AtomicJSONStorage, reload: Callable[[], None],
    vocabulary: list[Tag] | None = None, checked: bool = False,
) -> int:
    """Plan and carry out an import into the store whose tags, files and main file are given; how many were added.

    One atomic write when the plan touches one article file, else the
    all-or-nothing commit, after which `reload` makes the store read what is
    on disk, whatever happened. Into notes that hold no annotation and the
    default tags, an export's `vocabulary` replaces the tags.
    """
    fresh = not any(file.doc_ids for file in files.all()) and tags == list(DEFAULT_TAGS)
    result = plan(documents, tags, files.holds, vocabulary, replace=fresh, checked=checked)
    if not result.groups and not result.tags and result.vocabulary in (None, tags):
        return 0
    if one_file(result, files):
        add_to_one_file(result, files)
    else:
        try:
            commit_plan(result, files.folder, main, files)
        finally:
            reload()
    return result.added
