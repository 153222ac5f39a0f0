"""What the ``dossier`` subcommands share: the notes folder, an article named on the command line, one-line refusals.

Kept apart from :mod:`tui.cli` so that a subcommand in a module of its own
(:mod:`tui.cli_memo`) uses the same checks and messages without importing
the command line's entry point.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli_parsers import UsageError
from tui.core.corpus import ArticleError, read_article
from tui.core.neutral import for_terminal
from tui.core.paths import notes_dir

if TYPE_CHECKING:
    from tui.core.corpus import Article
    from tui.core.export.sources import ExportSource
    from tui.core.notes.store import Store


@contextlib.contextmanager
def reading_notes(notes: str | None) -> Iterator[Store | None]:
    """The notes folder opened read-only (no lock, nothing written), or None if it holds no notes yet."""
    from tui.core.notes.files import MAIN_FILE
    from tui.core.notes.store import Store

    folder = notes_dir(notes)
    if not (folder / MAIN_FILE).exists():
        yield None
        return
    with Store.open(folder, mode="read") as store:
        yield store


@contextlib.contextmanager
def corpus_and_notes(command: str, folder: Path, root: Path) -> Iterator[tuple[Store, ExportSource]]:
    """The corpus through its cache (brought up to date) and the notes, read-only, following renamed and edited articles.

    The notes follow in memory only: ``export`` and ``agree`` never take
    the write lock and never write the notes, whatever corpus they are
    pointed at. Raises :class:`~tui.core.cache.database.CacheError` if the
    cache cannot be brought up to date.
    """
    from tui.core.cache.articles import up_to_date
    from tui.core.corpus import scan_corpus
    from tui.core.export.sources import ExportSource
    from tui.core.notes.model import ArticleRef
    from tui.core.notes.store import Store

    cache = up_to_date(folder, root, scan_corpus(root))
    with contextlib.closing(cache), Store.open(folder, mode="read") as store:
        say_corpus(command, store, root)
        refs = [ArticleRef(rel, sha256) for rel, sha256 in cache.refs()]
        source = ExportSource(root, [ref.path for ref in refs], cache)

        def text_of(ref: ArticleRef) -> str:
            article = source.article(ref.path)
            return article.text if article is not None else ""

        store.sync_corpus(refs, text_of)
        yield store, source


def say_corpus(command: str, store: Store, root: Path) -> None:
    """Say on stderr, in one line, that the notes were last used with another corpus (a writer records this one)."""
    warning = store.corpus.check(root)
    if warning:
        print(f"dossier {command}: warning: {for_terminal(warning)}", file=sys.stderr)


def one_line(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A subcommand whose unexpected operating-system errors are refusals in one line, not tracebacks."""

    @functools.wraps(run)
    def guarded(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except BrokenPipeError:
            raise
        except OSError as error:
            where = f": {error.filename}" if error.filename else ""
            raise UsageError(f"{error.strerror or error}{where}") from None
        except RecursionError:
            raise UsageError("input nested too deeply to read") from None

    return guarded


def notes_folder(notes: str | None) -> Path:
    """The notes folder named on the command line; a refusal if it is a file."""
    folder = notes_dir(notes)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: not a folder (the notes folder must be a folder, not a file)")
    return folder


def waiting(command: str) -> Callable[[str], None]:
    """What a writer says on stderr while another process holds the notes."""

    def say(holder: str) -> None:
        print(f"dossier {command}: waiting for the notes: they are being written by {holder}…", file=sys.stderr, flush=True)

    return say


def analyst_for(command: str, given: str | None, folder: Path) -> str:
    """The analyst a writing command works as (``analysts.current_analyst``); a refusal in one line if the name is bad.

    With none given anywhere it is ``unattributed``, as the notes of an older
    Dossier read. A name given with ``--analyst`` to an existing notes folder
    becomes its remembered one on this machine (``local.json``).
    """
    from tui.core.notes.analysts import DEFAULT_ANALYST, AnalystError, current_analyst, remember

    try:
        name = current_analyst(given, folder)
    except AnalystError as error:
        raise UsageError(f"dossier {command}: {error}") from None
    if name is None:
        return DEFAULT_ANALYST
    if given and folder.is_dir():  # a new folder is not made here: a refused command must leave nothing behind
        remember(folder, name)
    return name


def remember_given(folder: Path, given: str | None, name: str) -> None:
    """Once the notes are open (the folder made), remember a name given with ``--analyst`` for the folder on this machine."""
    from tui.core.notes.analysts import remember

    if given:
        remember(folder, name)


def article_of(name: str, corpus: str | None) -> tuple[Path, str, Article]:
    """The article file named on the command line: its corpus (``--corpus``, else its folder), its path in it, its text."""
    file = Path(name)
    if not file.exists():
        raise UsageError(f"no such file: {name}")
    root = Path(corpus) if corpus else file.parent
    try:
        rel = file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"{name} is not inside the corpus {root}") from None
    try:
        return root, rel, read_article(root, rel)
    except ArticleError as error:
        raise UsageError(f"cannot read {name}: {error}") from None
