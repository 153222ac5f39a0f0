"""``dossier memo``: print or replace an article's memo, or the corpus memo.

``dossier memo FILE`` prints the memo of the article FILE; ``dossier memo``
without FILE prints the corpus memo (the research question, the coding
rules). ``--set TEXT`` replaces it, ``--file F`` replaces it with the text
of F (``-``: standard input); an empty memo removes it. Printing opens the
notes read-only and prints nothing when there is no memo; a memo is printed
through :func:`~tui.core.neutral.for_terminal` (its line breaks kept), since
an imported one may hold control characters.
"""

from __future__ import annotations

import argparse
import sys

from tui.cli_common import analyst_for, article_of, notes_folder, one_line, reading_notes, waiting
from tui.cli_parsers import UsageError
from tui.core.neutral import for_terminal


def _new_memo(args: argparse.Namespace) -> str | None:
    """The memo given with --set or --file (None: print the memo instead); a refusal if the file cannot be read."""
    if args.set is not None:
        return str(args.set)
    if args.source is None:
        return None
    try:
        if args.source == "-":
            return sys.stdin.read()
        with open(args.source, encoding="utf-8") as handle:
            return handle.read()
    except UnicodeDecodeError:
        raise UsageError(f"dossier memo: {args.source}: not UTF-8 text") from None


@one_line
def run_memo(args: argparse.Namespace) -> int:
    """``dossier memo``: print the memo, or replace it with --set / --file."""
    memo = _new_memo(args)
    target = article_of(args.file, args.corpus) if args.file is not None else None
    if memo is None:
        with reading_notes(args.notes) as store:
            if store is None:
                return 0  # no notes yet: no memo
            text = store.memos.of(target[1]) if target is not None else store.memos.corpus()
        if text:
            print(for_terminal(text, lines=True).rstrip("\n"))
        return 0
    from tui.core.corpus import load_corpus
    from tui.core.document import article_ref
    from tui.core.notes.store import Store, sync_articles

    folder = notes_folder(args.notes)
    analyst_for("memo", args.analyst, folder)  # checked and remembered; memos are shared, not an analyst's
    articles = load_corpus(target[0])[0] if target is not None else []  # read before the lock, as set does
    with Store.open(folder, mode="write", wait=args.wait, waiting=waiting("memo")) as store:
        if target is None:
            store.memos.set_corpus(memo)
        else:
            sync_articles(store, articles)  # a renamed article's notes are found under its new path first
            article = target[2]
            store.memos.set(article_ref(article), article.text, memo)
    return 0
