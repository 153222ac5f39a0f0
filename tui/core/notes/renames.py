"""Following articles across a corpus listing: edits, renames, edited renames, and articles that are gone.

For every article with notes, ``sync_corpus`` looks at the corpus as it is:

- same path: the notes are re-anchored if the text changed (``Store.sync``);
- path gone, same text under a new path without notes: a rename, followed;
- path gone, text changed too: an *edited rename* is followed when the new
  article is clearly the same one (``follows``); otherwise
- the notes are kept, and shown as orphans: the article is flagged missing
  in the index (one write for all of them), so exports show the notes as
  orphans and ``doctor`` lists them, until the article is back and synced.

On a read-only store all of this happens in memory only. Otherwise each
article file is let go once followed: a pass over a large notes folder
holds one at a time, not all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from .anchor import context_match
from .articles import ArticleFile, ArticleFiles
from .model import ArticleRef, SyncReport, Target


class Store(Protocol):
    """What following a corpus needs of the store (named here, not imported: the store imports this module)."""

    @property
    def files(self) -> ArticleFiles:
        """The article files and their index."""

    def sync(self, ref: ArticleRef, text: str) -> dict[str, int] | None:
        """Re-anchor the notes of ref.path on `text` if they need it."""

# When is an edited, renamed article "clearly the same article"? We do not
# have its old text, only what the analyst quoted from it, each quote with 32
# characters either side. A new article (one with no notes yet) is taken to
# be the old one when it holds, verbatim and in surroundings that still
# match (context score >= FOLLOW_CONTEXT), at least half of the quoted
# characters (FOLLOW_SHARE) and at least MIN_EVIDENCE of them, and no other
# new article holds as many. Half, because an edit that keeps less than half
# of what was worth quoting has rewritten the article; the surroundings,
# because a wire rewrite of the same story shares sentences but rarely their
# neighbours (the sample's 07 shares a sentence of 01 with a prefix that
# matches 70%); 32 characters, because with their 64 of context that is ~100
# characters of identical text, which two different articles share only by
# copying; and a tie follows neither, since then we cannot tell which it is.
FOLLOW_SHARE = 0.5
FOLLOW_CONTEXT = 90.0
MIN_EVIDENCE = 32
#: Comparing every missing article with every new one grows as their product;
#: past this many pairs (a notes folder pointed at another corpus) the missing
#: ones are kept as orphans without a search.
MAX_PAIRS = 200_000


def sync_corpus(store: Store, articles: list[ArticleRef], read_text: Callable[[ArticleRef], str]) -> SyncReport:
    """Follow edits, renames and edited renames; keep the notes of vanished articles as orphans.

    `read_text` is called for articles with notes at the same path, and for
    new articles while looking for an edited rename.
    """
    files = store.files
    held = files.loaded()  # loaded before this pass (the analyst's articles): kept
    current = {ref.path: ref for ref in articles}
    report = SyncReport()
    # 10,000 files at 100,000 articles: a writer reads each in turn below and keeps none; a read-only
    # store keeps them all (what it follows stays in memory, and an export reads them next).
    known = files.refs(keep=files.readonly)
    new: dict[str, list[ArticleRef]] = {}  # articles without notes, by hash: wanted only if some article with notes is gone
    if any(path not in current for path in known):
        for ref in current.values():
            if ref.path not in known:
                new.setdefault(ref.sha256, []).append(ref)
    missing: list[tuple[str, ArticleRef]] = []
    for key, stored in files.indexed():
        found = current.get(stored.path)
        if found is not None:
            counts = store.sync(found, read_text(found))
            if counts is not None or found.sha256 != stored.sha256:
                report.reanchored[found.path] = counts
            if key not in held and not files.readonly:  # on disk now: 10,000 annotated articles are not all kept loaded
                files.release(key)
        elif new.get(stored.sha256):
            moved = new[stored.sha256].pop(0)
            files.move(key, moved)
            report.renamed.append((stored.path, moved.path))
        else:
            missing.append((key, stored))
    unclaimed = [ref for refs in new.values() for ref in refs]
    searching = len(missing) * len(unclaimed) <= MAX_PAIRS
    gone: dict[str, bool] = {}
    for key, stored in missing:
        target = follows(files.file(key), unclaimed, read_text) if searching else None
        if target is None:
            gone[key] = True
            report.missing.append(stored.path)
            continue
        unclaimed.remove(target)
        files.move(key, ArticleRef(target.path, stored.sha256))  # moved with the old hash, so sync re-anchors
        report.renamed.append((stored.path, target.path))
        report.reanchored[target.path] = store.sync(target, read_text(target))
    files.flag_missing(gone)
    return report


def follows(file: ArticleFile, candidates: list[ArticleRef], read_text: Callable[[ArticleRef], str]) -> ArticleRef | None:
    """The new article that is clearly the article whose notes `file` holds, or None (see the rule above)."""
    targets = [Target.from_dict(doc["target"]) for doc in file.raw().values()]
    total = sum(len(t.exact) for t in targets)
    if not targets or not candidates:
        return None
    # The longest quotes first: an article holding none of the three is not read further.
    probes = sorted({t.exact for t in targets}, key=len, reverse=True)[:3]
    scored = []
    for ref in candidates:
        text = read_text(ref)
        if not any(probe in text for probe in probes):
            continue
        held = sum(len(t.exact) for t in targets if (context_match(t, text) or 0.0) >= FOLLOW_CONTEXT)
        if held:
            scored.append((held, ref))
    scored.sort(key=lambda pair: pair[0], reverse=True)
    if not scored:
        return None
    held, best = scored[0]
    if held < FOLLOW_SHARE * total or held < MIN_EVIDENCE:
        return None
    if len(scored) > 1 and scored[1][0] == held:
        return None  # two articles hold it equally: we cannot tell which one it is
    return best
