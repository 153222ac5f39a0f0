"""A REFI-QDA project placed on a corpus: which article each source is, and each selection as an annotation.

A source is the corpus's article with its name as path; failing that, the
article with its text (SHA-256 of the decoded text, newlines normalised as
Dossier reads every article); failing that, the only article with its file
name, or with its file name less the extension. A selection is placed by
its quote (the source's text between its positions, in Unicode code points),
re-anchored on the article's text as an edited article's annotations are
(:func:`tui.core.notes.anchor.reanchor`): where the texts are the same it
stays where it was; elsewhere the quote is found by its surroundings, or
fuzzily; what cannot be found is an **orphan**, kept with its quote, never
dropped. A source that matches no article keeps its selections as orphans
under its own name, so they are placed if an article of that name appears.
A selection whose positions hold no quote (beyond its text, or a text the
project does not hold) is found by its name when that is its quote (as
Dossier and QualCoder write it); one that cannot be found at all is one
line in :attr:`Plan.problems` with its codes and note.

Selections on the same span by the same user are one annotation, with the
tags of all of them (other tools write one selection per code). Users are
analysts (when annotations carry one), codes are tags (their descriptions
the tags', :func:`tui.core.codebook.fill_descriptions` for tags the notes
already have), notes are an annotation's note, a source's notes its article's memo, the project's
description and its other notes the corpus memo.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from tui.core.corpus import Article, normalise_text
from tui.core.facts import FactError, analyst_value
from tui.core.notes.anchor import reanchor
from tui.core.notes.files import now
from tui.core.notes.model import Annotation, ArticleRef, Target, make_target, sha256_text
from tui.core.notes.tags import Tag, find

from .codes import guid_key
from .read import Project, Selection, Source
from .write import UNKNOWN_USER


@dataclass
class Plan:
    """What an import of a project adds to the notes, and one line per thing the user must know."""

    annotations: list[Annotation] = field(default_factory=list)
    vocabulary: list[Tag] = field(default_factory=list)
    memos: dict[str, str] = field(default_factory=dict)  # article path -> memo text to add
    corpus_memo: str = ""
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    moved: int = 0
    orphans: int = 0


def place_project(project: Project, articles: Sequence[Article], facts_of: Callable[[str], Mapping[str, str]]) -> Plan:
    """Place every source and selection of ``project`` on ``articles``; ``facts_of`` gives an article's attributes now."""
    plan = Plan(problems=list(project.problems))
    tags = _vocabulary(project, plan)
    by_rel = {a.rel: a for a in articles}
    by_sha: dict[str, list[Article]] = {}
    by_file: dict[str, list[Article]] = {}
    by_stem: dict[str, list[Article]] = {}
    for article in articles:
        by_sha.setdefault(article.sha256, []).append(article)
        by_file.setdefault(PurePosixPath(article.rel).name.casefold(), []).append(article)
        by_stem.setdefault(PurePosixPath(article.rel).stem.casefold(), []).append(article)
    referenced: set[str] = set(project.project_notes)
    merged: dict[tuple[str, int, int, str | None], Annotation] = {}
    for source in project.sources:
        normal = normalise_text(source.text)[0] if source.text is not None else None
        name = source.name.replace("\\", "/")
        found = by_rel.get(name)
        if found is None and normal is not None and len(by_sha.get(sha256_text(normal), [])) == 1:
            found = by_sha[sha256_text(normal)][0]
        for index in (by_file, by_stem):
            called = (PurePosixPath(name).name if index is by_file else PurePosixPath(name).stem).casefold()
            if found is None and len(index.get(called, [])) == 1:
                found = index[called][0]
        home = found.rel if found else _orphan_path(name)
        if found is None and source.selections:
            plan.problems.append(f"source {source.name!r} matches no article of the corpus (by name or text): "
                                 f"its {len(source.selections)} selection(s) kept as orphans under {home!r}")
        for selection in source.selections:
            referenced.update(selection.notes)
            ann = _annotation(selection, source, normal, found, home, tags, project, plan)
            if ann is None:
                continue
            key = (home, ann.target.start, ann.target.end, getattr(ann, "analyst", None)) if not ann.orphan else (ann.id, 0, 0, None)
            if key in merged:
                held = merged[key]
                note = "\n\n".join(n for n in (held.note, ann.note) if n.strip() and n not in held.note) or held.note
                merged[key] = dataclasses.replace(held, tags=tuple(dict.fromkeys(held.tags + ann.tags)), note=note)
            else:
                merged[key] = ann
        referenced.update(source.notes)
        memo = [project.notes[g] for g in source.notes if g in project.notes and project.notes[g].strip()]
        whole = [tags[g] for g in source.codes if g in tags]
        if whole:
            memo.append(f"Coded as a whole (in {project.name}): {', '.join(whole)}")
        if memo and found is not None:
            plan.memos[found.rel] = "\n\n".join(memo)
        elif memo:
            plan.corpus_memo += f"\n\n## Memo of {source.name} (no article of this corpus)\n\n" + "\n\n".join(memo)
        if found is not None and source.variables:
            plan.attributes[found.rel] = _attributes(source, facts_of(found.rel), plan)
    plan.annotations = list(merged.values())
    extra = [f"## {project.note_names.get(g) or 'Note'}\n\n{project.notes[g]}" for g in project.notes
             if g not in referenced or g in project.project_notes]
    plan.corpus_memo = "\n\n".join(part.strip() for part in (project.description, plan.corpus_memo, *extra) if part.strip())
    return plan


def _vocabulary(project: Project, plan: Plan) -> dict[str, str]:
    """The project's codes as the plan's tags, in codebook order, with their descriptions; returns each code's tag name by GUID.

    Codes whose names are one tag's, but for case, are that tag (and said).
    """
    names: dict[str, str] = {}
    for code in project.codes:
        tag = find(plan.vocabulary, code.name)
        if tag is None:
            tag = Tag(code.name, code.colour or "grey", "", code.description)
            plan.vocabulary.append(tag)
        elif tag.name != code.name:
            plan.problems.append(f"code {code.name!r} joins the tag {tag.name!r}: their names are one tag's")
        names[guid_key(code.guid)] = tag.name
    return names


def _orphan_path(name: str) -> str:
    """Where a source with no article keeps its orphans: its name as a relative path (no root, no ``..``)."""
    parts = [p for p in PurePosixPath(name).parts if p not in ("/", "..", ".") and p.strip()]
    return "/".join(parts) or "unplaced"


def _annotation(
    selection: Selection, source: Source, normal: str | None, article: Article | None, home: str,
    tags: dict[str, str], project: Project, plan: Plan,
) -> Annotation | None:
    """One selection as an annotation on ``article`` (an orphan if it cannot be placed); None if it holds no quote."""
    where = f"source {source.name!r}: selection {selection.guid or '?'}"
    names = []
    for guid in selection.codes:
        if guid in tags:
            names.append(tags[guid])
        else:
            plan.problems.append(f"{where} is coded with {guid or '?'}, which is no code of the codebook")
    note = "\n\n".join(project.notes[g] for g in selection.notes if g in project.notes and project.notes[g].strip())
    target = _quoted(selection, source, normal, plan, where)
    if target is None:
        plan.problems.append(f"{where} cannot be placed and holds no quote: not imported "
                             f"(codes: {', '.join(names) or '-'}; note: {' '.join(note.split())[:200] or '-'})")
        return None
    ref = ArticleRef(home, article.sha256 if article else "")
    orphan = True
    if article is not None:
        placed = reanchor(target, article.text, len(normal) if normal is not None else None)
        if placed.target is not None:
            orphan, target = False, placed.target
            plan.moved += placed.method != "exact"
    plan.orphans += orphan
    if orphan and article is not None:
        plan.problems.append(f"{where}: its quote {target.exact[:60]!r} is not in {article.rel}: kept as an orphan")
    stamp = now()
    ann = Annotation(selection.guid or str(uuid.uuid4()), ref, target, tuple(dict.fromkeys(names)), note,
                     selection.created or stamp, selection.modified or selection.created or stamp, orphan)
    user = project.users.get(selection.user, "")
    if user and user != UNKNOWN_USER:
        ann = dataclasses.replace(ann, analyst=user)
    return ann


def _quoted(selection: Selection, source: Source, normal: str | None, plan: Plan, where: str) -> Target | None:
    """The selection's quote and surroundings: from its source's text between its positions, else its name."""
    start, end, text = selection.start, selection.end, source.text
    if text is not None and normal is not None and start is not None and end is not None:
        if 0 <= start < end <= len(text):
            if normal != text:  # Windows line breaks or control characters: count the positions in the normalised text
                start, end = (len(normalise_text(text[:at])[0]) for at in (start, end))
            if 0 <= start < end <= len(normal):
                return make_target(normal, start, end)
        plan.problems.append(f"{where}: positions {start}-{end} are outside its source's {len(text):,} characters")
    quote = selection.name if selection.name.strip() else ""  # Dossier and QualCoder name a selection by its quote
    if not quote:
        return None
    at = max(selection.start or 0, 0)
    return Target(at, at + len(quote), quote, "", "")


def _attributes(source: Source, facts: Mapping[str, str], plan: Plan) -> dict[str, str]:
    """The source's variables that differ from what the article's attributes are now, checked as the analyst's edits."""
    changes = {}
    for key, value in source.variables.items():
        if not value.strip():
            continue
        try:
            name, normal = analyst_value(key, value)
        except FactError as error:
            plan.problems.append(f"source {source.name!r}: variable not kept: {error}")
            continue
        if facts.get(name) != normal:
            changes[name] = normal
    return changes
