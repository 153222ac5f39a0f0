"""One article opened: its text, the cleaner's view of it, title, words, annotations, offset maps.

Everything that shows an article (the reader, the list, search, the
overview, the report, the command line) goes through a ``Document`` or the
functions here, so the title rule, the word count and the mapping of
annotations (source offsets) onto the cleaned text are written once.

Offsets: an annotation holds offsets into the article's decoded source
text; the reader draws the cleaned text (the kept lines joined by blank
lines). ``Document.to_source`` and ``Document.to_clean`` convert between the
two through the cleaner's ``OffsetMap``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from tui.core.corpus import Article, read_article
from tui.core.notes.model import Annotation, ArticleRef
from tui.core.passages import Span

if TYPE_CHECKING:
    from tui.core.cleaned import Cleaned, OffsetMap
    from tui.core.evidence import Evidence

_WORDS = re.compile(r"\w+")

#: Articles over twice this many characters are first cleaned this far, so
#: the reader can show their opening while the rest is cleaned.
PREVIEW_CHARS = 64_000
#: An article longer than this is a long one: previewed first, and cleaned without waiting for the language model.
LONG_CHARS = 2 * PREVIEW_CHARS


def title_of(article: Article, cleaned: Cleaned) -> str:
    """The headline the cleaner found, else the page title, else the file name."""
    return cleaned.title or article.page_title or PurePosixPath(article.rel).stem


def word_count(cleaned: Cleaned) -> int:
    """Words in the cleaned text."""
    # Counted, not listed: findall on a 50 MB article built 8 million strings (half a gigabyte) to count them.
    return sum(1 for _ in _WORDS.finditer(cleaned.text))


def article_ref(article: Article) -> ArticleRef:
    """The notes' name for an article: relative path and SHA-256 of its text."""
    return ArticleRef(article.rel, article.sha256)


@dataclass(frozen=True)
class Mark:
    """An annotation as the cleaned text shows it: cleaned offsets, its tags and its note."""

    id: str
    start: int
    end: int
    tags: tuple[str, ...]
    note: str = ""


def clean_spans(offsets: OffsetMap, annotations: Iterable[Annotation]) -> list[tuple[Annotation, Span]]:
    """Each annotation that shows in the cleaned text, with its span in cleaned offsets.

    A span partly in dropped lines is cut to its kept part; one wholly in
    dropped lines, and an orphan, have no place in the cleaned text and are
    left out (the annotations pane lists them).
    """
    placed = []
    for ann in annotations:
        span = None if ann.orphan else offsets.to_clean(ann.target.start, ann.target.end)
        if span is not None:
            placed.append((ann, span))
    return placed


@dataclass(frozen=True)
class Document:
    """An article with the cleaner's decisions, the analyst's overrides and annotations.

    ``preview`` means only the article's opening is cleaned yet (a long
    article); its offsets are the article's, so marks and edits hold.
    """

    article: Article
    cleaned: Cleaned
    overrides: Mapping[int, bool] = field(default_factory=dict)
    annotations: tuple[Annotation, ...] = ()
    preview: bool = False
    whole: bool = False  # every non-blank line kept: the page as scraped (``whole_page``)
    # The corpus's recurring lines it was cleaned with, if any: cleaning it again uses them too.
    evidence: Evidence | None = field(default=None, compare=False, repr=False)

    @property
    def rel(self) -> str:
        """The article's path relative to the corpus."""
        return self.article.rel

    @property
    def ref(self) -> ArticleRef:
        """The notes' name for the article."""
        return article_ref(self.article)

    @property
    def text(self) -> str:
        """The decoded source text every annotation offset refers to."""
        return self.article.text

    @property
    def shown_source(self) -> str:
        """The source text the cleaned text was made from (the opening, for a preview)."""
        if not self.preview or not self.cleaned.lines:
            return self.article.text
        return self.article.text[: self.cleaned.lines[-1].end]

    @property
    def title(self) -> str:
        """The article's title (see ``title_of``)."""
        return title_of(self.article, self.cleaned)

    @cached_property
    def words(self) -> int:
        """Words in the cleaned text."""
        return word_count(self.cleaned)

    def marks(self, annotations: Iterable[Annotation] | None = None) -> list[Mark]:
        """The annotations (by default this document's) that show, as marks in cleaned offsets."""
        chosen = self.annotations if annotations is None else annotations
        return [Mark(ann.id, start, end, ann.tags, ann.note) for ann, (start, end) in clean_spans(self.cleaned.offsets, chosen)]

    def tagged_spans(self) -> list[Span]:
        """The spans of this document's annotations in cleaned offsets."""
        return [span for _, span in clean_spans(self.cleaned.offsets, self.annotations)]

    def to_source(self, start: int, end: int) -> Span:
        """A span of the cleaned text as source offsets."""
        return self.cleaned.to_source(start), self.cleaned.to_source(end)

    def to_clean(self, start: int, end: int) -> Span | None:
        """A source span in cleaned offsets, cut to its kept part (None if all of it was dropped)."""
        return self.cleaned.offsets.to_clean(start, end)

    def annotation(self, annotation_id: str) -> Annotation | None:
        """This document's annotation with that id, or None if it is gone."""
        return next((a for a in self.annotations if a.id == annotation_id), None)

    def covering(self, start: int, end: int) -> Annotation | None:
        """The annotation placed exactly on the source span ``start:end``, if any."""
        return next((a for a in self.annotations if not a.orphan and (a.target.start, a.target.end) == (start, end)), None)

    @property
    def warnings(self) -> list[str]:
        """What the analyst should know about this article: how it was read, and what the cleaner could not keep."""
        return [*self.article.warnings, *self.cleaned.warnings]

    def whole_page(self) -> Document:
        """The same article with every non-blank line kept: the page as it was scraped.

        Offsets still map to the source, so tags and notes made on it land on
        the same words; the cleaner's decisions stay on the lines for the raw pane.
        """
        from tui.core.cleaned import Cleaned

        lines = [line._replace(keep=line.kind != "blank") for line in self.cleaned.lines]
        everything = Cleaned(lines, self.cleaned.title, self.cleaned.byline, self.cleaned.language, list(self.cleaned.warnings))
        return replace(self, cleaned=everything, whole=True)

    def with_annotations(self, annotations: Iterable[Annotation]) -> Document:
        """The same document with these annotations."""
        return replace(self, annotations=tuple(annotations))

    def recleaned(self, overrides: Mapping[int, bool]) -> Document:
        """The whole article cleaned again with new overrides (the text has not changed, nor has its language)."""
        from tui.core.language import UNDETERMINED

        language = self.cleaned.language if self.cleaned.language != UNDETERMINED else None
        return clean_document(self.article, overrides, self.annotations, self.evidence, language)


def clean_document(
    article: Article,
    overrides: Mapping[int, bool] | None = None,
    annotations: Iterable[Annotation] = (),
    evidence: Evidence | None = None,
    language_code: str | None = None,
) -> Document:
    """Clean a read article into a document: overrides win over the cleaner; ``evidence`` drops the corpus's recurring lines.

    ``language_code``: the article's language when it is already known (the
    corpus cache identified it from this very text), so that it is not
    identified again: the reader then never loads the language model.
    """
    from tui.core.clean import clean_text  # loaded by the first clean, in a worker, not with the screen
    from tui.core.heap import give_back

    overrides = dict(overrides or {})
    cleaned = clean_text(article.text, overrides, article.page_title, evidence=evidence, language_code=language_code)
    give_back(len(article.text))
    return Document(article, cleaned, overrides, tuple(annotations), evidence=evidence)


def preview_document(
    article: Article,
    overrides: Mapping[int, bool] | None = None,
    annotations: Iterable[Annotation] = (),
    evidence: Evidence | None = None,
) -> Document | None:
    """The opening of a long article, cleaned on its own; None for an article short enough to clean whole.

    The cut falls on a paragraph break, so the opening's lines and offsets
    are the article's own.
    """
    from tui.core.clean import clean_text
    text = article.text
    cut = text.rfind("\n\n", 0, PREVIEW_CHARS) if len(text) > LONG_CHARS else -1
    if cut <= 0:
        return None
    head = text[:cut]
    lines = head.count("\n") + 1
    overrides = dict(overrides or {})
    from tui.core.language import UNDETERMINED

    # The opening is shown while the whole is cleaned: it does not wait for the language model either.
    wishes = {n: keep for n, keep in overrides.items() if n <= lines}
    early = clean_text(head, wishes, article.page_title, evidence=evidence, language_code=UNDETERMINED)
    return Document(article, early, overrides, tuple(annotations), preview=True, evidence=evidence)


def open_document(
    root: str | os.PathLike[str], rel: str, overrides: Mapping[int, bool] | None = None, evidence: Evidence | None = None
) -> Document:
    """Read, decode and clean one article (raises ``ArticleError``)."""
    return clean_document(read_article(root, rel), overrides, evidence=evidence)


