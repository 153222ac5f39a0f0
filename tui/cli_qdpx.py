"""``dossier import FILE.qdpx [CORPUS]``: a REFI-QDA project's codings placed on a corpus, as annotations.

The project is read and checked whole before the notes are opened
(:mod:`tui.core.refi.archive`: a hostile zip or XML is refused in one line);
its sources are placed on the corpus's articles and its selections
re-anchored by quote (:mod:`tui.core.refi.place`). The annotations are then
added as ``dossier import`` adds a JSON export's, all or nothing, ids
already present skipped, with the codes the notes lack as tags; then the
codes' descriptions go to tags that have none, and the memos and attribute
edits follow. What could not be placed is kept as orphan annotations, and
every problem, and every description set or not, is one line on stderr.
(``export --format qdpx`` is a few lines of :func:`tui.cli.run_export`.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli_common import notes_folder, say_corpus, waiting
from tui.cli_parsers import UsageError
from tui.core.neutral import for_terminal
from tui.core.paths import sample_corpus


def run_import_project(args: argparse.Namespace) -> int:
    """Import the ``.qdpx`` ``args.file`` onto ``args.corpus`` (default: the sample) into the notes folder."""
    from tui.core.catalogue import Catalogue
    from tui.core.codebook import fill_descriptions
    from tui.core.corpus import load_corpus
    from tui.core.document import clean_document
    from tui.core.notes.model import ArticleRef
    from tui.core.notes.store import Store, sync_articles
    from tui.core.refi.archive import ProjectFileError, open_project
    from tui.core.refi.place import place_project
    from tui.core.refi.read import read_project

    root = Path(args.corpus) if args.corpus else sample_corpus()
    if not root.is_dir():
        raise UsageError(f"dossier import: {'not a folder' if root.exists() else 'no such folder'}: {root}")
    try:
        archive = open_project(Path(args.file))
        try:
            project = read_project(archive)
        finally:
            archive.close()
    except ProjectFileError as error:
        raise UsageError(f"dossier import: {args.file}: {error}") from None
    articles, _ = load_corpus(root)  # read before the lock is taken, as annotate does
    by_rel = {article.rel: article for article in articles}
    folder = notes_folder(args.notes)
    with Store.open(folder, mode="write", wait=args.wait, waiting=waiting("import")) as store:
        say_corpus("import", store, root)
        sync_articles(store, articles)
        catalogue = Catalogue.of(root, store)

        def facts_of(rel: str) -> dict[str, str]:
            article = by_rel[rel]
            return catalogue.facts(clean_document(article, store.overrides(rel))).values()

        plan = place_project(project, articles, facts_of)
        before = {tag.name.casefold(): tag.description for tag in store.tags()}
        added = store.import_annotations(plan.annotations, plan.vocabulary)
        described = fill_descriptions(store.vocabulary, plan.vocabulary, before)
        for rel, memo in plan.memos.items():
            article = by_rel[rel]
            ref = ArticleRef(rel, article.sha256)
            store.memos.set(ref, article.text, _joined(store.memos.of(rel), memo))
        if plan.corpus_memo:
            store.memos.set_corpus(_joined(store.memos.corpus(), plan.corpus_memo))
        for rel, changes in plan.attributes.items():
            if changes:
                store.attributes.set(ArticleRef(rel, by_rel[rel].sha256), by_rel[rel].text, dict(changes))
    for line in plan.problems:
        print(f"dossier import: {for_terminal(line)}", file=sys.stderr)
    for line in described:  # already shown safely by fill_descriptions
        print(f"dossier import: {line}", file=sys.stderr)
    total = len(plan.annotations)
    print(f"imported {added} annotation(s); {total - added} already present; "
          f"{plan.moved} re-anchored by quote; {plan.orphans} orphan(s) kept with their quotes")
    return 0


def _joined(held: str, added: str) -> str:
    """A memo with ``added`` after what it holds, unless it holds it already (importing twice adds nothing twice)."""
    if not added.strip() or added.strip() in held:
        return held
    return f"{held.rstrip()}\n\n{added.strip()}" if held.strip() else added.strip()
