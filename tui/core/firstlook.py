"""The corpus listing and its first article, read while the reader's UI loads.

Python spends about a quarter of a second importing Textual before the
reader can draw anything. ``FirstLook`` lists the folder and reads and
cleans the first article in a thread during those same milliseconds, so the
reader's first frame can show the article instead of "Reading the corpus…".
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.corpus import Article, ArticleError, CorpusError, Scan, read_article, scan_corpus

if TYPE_CHECKING:  # the cleaner is imported in the thread, in parallel with Textual
    from tui.core.clean import Cleaned

#: A first article longer than this is left to the reader, which shows a
#: long article's opening paragraphs before cleaning the rest.
MAX_CHARS = 128_000


class FirstLook:
    """Lists ``root`` and reads its first article in a background thread, started at once."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.scan: Scan | None = None
        self.error: CorpusError | None = None
        self.article: Article | None = None  # None if it could not be read (the reader says why) or is long
        self.cleaned: Cleaned | None = None  # the article, cleaned without overrides (the notes are not open yet)
        self._done = threading.Event()
        threading.Thread(target=self._run, name="dossier-first-look", daemon=True).start()

    def _run(self) -> None:
        try:
            self.scan = scan_corpus(self.root, measure=False)  # sizes and times later, in the cache's worker
            if self.scan.files:
                article = read_article(self.root, self.scan.files[0])
                if len(article.text) <= MAX_CHARS:
                    from tui.core.clean import clean_text  # imported here, in parallel with Textual
                    from tui.core.language import UNDETERMINED

                    # Not waiting for the language model (most of a second): the reader
                    # cleans the article again, in its language, once the model is loaded.
                    self.cleaned = clean_text(article.text, None, article.page_title, language_code=UNDETERMINED)
                    self.article = article
        except CorpusError as error:
            self.error = error
        except ArticleError:
            pass  # the reader reads it again and shows the reason
        finally:
            self._done.set()

    def ready(self) -> bool:
        """Whether the listing (and first article) are in; never blocks."""
        return self._done.is_set()

    def wait(self) -> None:
        """Block until ready (call from a worker thread, not the event loop)."""
        self._done.wait()
