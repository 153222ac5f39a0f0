"""The Markdown report an analyst hands on: counts, then passages by tag or article.

Everything someone else wrote passes through :mod:`tui.core.neutral` so
that no ``#``, ``>``, ``|``, ``*``, backtick, HTML tag, line break or control
character can change the report's structure, inject HTML or reach the
terminal of whoever prints the report: quotes, notes, titles and tag names
through :func:`escape` (``for_markdown``), file names and the corpus and notes
folders as code spans (``for_markdown_code``). The only raw HTML is the
comment carrying each annotation's id, which lets two exports be compared
line by line; the id in it is percent-encoded unless it is a plain UUID
(``for_comment``), so an imported id cannot close the comment.

Given the articles' facts (:mod:`tui.core.facts`), each passage also cites
its article's outlet, date, author and URL, the report charts the
annotations over time and counts them by outlet, and a Sources section
lists every article cited (:mod:`tui.core.export.report_sections`). A
quote that starts or ends inside a sentence gets "…" there; paragraphs are
numbered as the article's body paragraphs (the headline and section headings
are not counted: a passage in one says so), and a passage over several says
"paragraphs 14–15".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from tui.core.export.report_sections import (
    Memo,
    Source,
    citation,
    codebook_section,
    lines_of,
    memo_section,
    one_line,
    outlet_section,
    sources_section,
    timeline_section,
)
from tui.core.facts import KEYS, Facts
from tui.core.neutral import for_comment, for_markdown_code
from tui.core.neutral import for_markdown as escape
from tui.core.notes.model import Annotation
from tui.core.notes.tags import Tag
from tui.core.passages import sentences
from tui.core.timeline import by_outlet, timeline

__all__ = ["ID_COMMENT", "ArticleInfo", "Memo", "ReportScope", "escape", "markdown_report", "one_line"]

_NEWLINE = re.compile("\n")
ID_COMMENT = "<!-- dossier:annotation {id} -->"
ELLIPSIS = "…"


@dataclass(frozen=True)
class ArticleInfo:
    """What the report says about an article: its title, where a passage sits, its facts and memo.

    ``kinds`` gives each kept paragraph's kind (the cleaner's ``title``,
    ``heading``, ``body``); without it every paragraph is numbered.
    ``facts`` None: the caller knows none, and the report has no Sources
    section, timeline or outlet table for lack of anything to put there.
    """

    path: str
    title: str
    text: str
    paragraphs: Sequence[tuple[int, int]]  # (start, end) source offsets of the kept paragraphs, ascending
    kinds: Sequence[str] = ()
    facts: Facts | None = None
    memo: Memo | None = None
    _starts: list[int] = field(init=False, repr=False, compare=False)
    # Newline offsets, so a passage's line numbers are two binary searches, not a scan.
    _newlines: list[int] = field(init=False, repr=False, compare=False)
    # Each paragraph's sentences, found once: an article quoted 10 times would be split 20 times.
    _sentences: dict[int, list[tuple[int, int]]] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", [start for start, _ in self.paragraphs])
        object.__setattr__(self, "_newlines", [m.start() for m in _NEWLINE.finditer(self.text)])

    def _touched(self, start: int, end: int) -> range:
        """The indices of the kept paragraphs the span ``start:end`` touches."""
        end = max(end, start + 1)
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        while first < len(self.paragraphs) and self.paragraphs[first][1] <= start:
            first += 1
        last = first
        while last < len(self.paragraphs) and self.paragraphs[last][0] < end:
            last += 1
        return range(first, last)

    def where(self, start: int, end: int) -> str:
        """Where the span sits, in words: ``paragraph 3``, ``paragraphs 14–15``, ``the headline``, ``a heading``,
        or ``not in the cleaned text`` (a caption, a byline: the cleaner drops it)."""
        touched = self._touched(start, end)
        if not touched:
            return "not in the cleaned text"
        numbers = [self._number(k) for k in touched]
        body = [n for n in numbers if n is not None]
        if not body:
            kind = self.kinds[touched[0]] if self.kinds else "body"
            return "the headline" if kind == "title" else "a heading"
        return f"paragraph {body[0]}" if body[0] == body[-1] else f"paragraphs {body[0]}–{body[-1]}"

    def _number(self, index: int) -> int | None:
        """The 1-based number of kept paragraph ``index`` among the body paragraphs; None for a headline or heading."""
        if not self.kinds:
            return index + 1
        return self._body_numbers[index]

    @cached_property
    def _body_numbers(self) -> list[int | None]:
        """Each kept paragraph's number among the body paragraphs (None: not one), counted once per article."""
        numbers: list[int | None] = []
        count = 0
        for kind in self.kinds:
            count += kind == "body"
            numbers.append(count if kind == "body" else None)
        return numbers

    def trimmed(self, start: int, end: int) -> tuple[bool, bool]:
        """Whether the span starts, and whether it ends, inside a sentence of its paragraph.

        Leaving out only punctuation (the full stop, an opening quote) is not
        trimming: "…" stands for words left out.
        """
        touched = self._touched(start, end)
        if not touched:
            return False, False
        first_start, _ = self.paragraphs[touched[0]]
        _, last_end = self.paragraphs[touched[-1]]
        begin = max(start, first_start)
        stop = min(end, last_end)
        opening = max((s for s, _ in self._sentences_of(touched[0]) if s <= begin), default=first_start)
        closing = min((e for _, e in self._sentences_of(touched[-1]) if e >= stop), default=last_end)
        return _has_words(self.text[opening:begin]), _has_words(self.text[stop:closing])

    @cached_property
    def cited(self) -> str:
        """The article's citation (outlet, date, author), made once for all its passages; "" with no facts."""
        return citation(self.facts.contract()) if self.facts is not None else ""

    def _sentences_of(self, index: int) -> list[tuple[int, int]]:
        """The sentences of kept paragraph ``index``."""
        if index not in self._sentences:
            self._sentences[index] = sentences(self.text, *self.paragraphs[index])
        return self._sentences[index]

    def shown_text(self, start: int, end: int) -> str:
        """The span as the cleaned view shows it: kept paragraphs only, a blank line apart.

        A selection over two paragraphs covers the caption or ad the cleaner
        dropped between them in the source; the report quotes what the
        analyst read, not that.
        """
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        pieces = []
        for p_start, p_end in self.paragraphs[first:]:
            if p_start >= end:
                break
            if p_end > start:
                pieces.append(self.text[max(start, p_start) : min(end, p_end)])
        return "\n\n".join(pieces) if pieces else self.text[start:end]

    def lines_of(self, start: int, end: int) -> tuple[int, int]:
        """1-based source line range of a span."""
        first = bisect.bisect_left(self._newlines, start) + 1
        return first, bisect.bisect_left(self._newlines, max(start, end - 1)) + 1


@dataclass(frozen=True)
class ReportScope:
    """Where the report's data came from, for its heading."""

    corpus: str
    notes: str
    made: datetime | None = None


#: A letter or a digit: what ``str.isalnum`` is true for (``\w`` is that or "_"), searched at C speed.
_ALNUM = re.compile(r"[^\W_]")


def _has_words(text: str) -> bool:
    """Whether ``text`` holds a letter or a digit (not only spaces and punctuation)."""
    return _ALNUM.search(text) is not None


def _quote_block(text: str, trimmed: tuple[bool, bool] = (False, False)) -> list[str]:
    lines = [line.strip() for line in text.split("\n")]
    # Leading spaces are dropped: four of them would open a code block.
    quoted = [escape(line) if line else "" for line in lines]
    if trimmed[0] and quoted[0]:
        quoted[0] = ELLIPSIS + quoted[0]
    if trimmed[1] and quoted[-1]:
        quoted[-1] += ELLIPSIS
    return [f"> {line}" if line else ">" for line in quoted]


def _passage(ann: Annotation, info: ArticleInfo | None) -> list[str]:
    out = [ID_COMMENT.format(id=for_comment(ann.id)), ""]
    start, end = ann.target.start, ann.target.end
    if info is not None:
        out += _quote_block(info.shown_text(start, end), info.trimmed(start, end))
    else:
        out += _quote_block(ann.target.exact)
    out.append("")
    if info is not None:
        first, last = info.lines_of(start, end)
        # A passage in lines the cleaner drops (a caption, a byline) is nobody's paragraph: ``where`` says so.
        where = [info.where(start, end), f"line {first}" if first == last else f"lines {first}–{last}"]
        title = escape(one_line(info.title))
        out.append(f"— *{title}* ({for_markdown_code(ann.article.path)}), {', '.join(where)}  ")
        if info.cited:
            out.append(f"{info.cited}  ")
    else:
        out.append(f"— {for_markdown_code(ann.article.path)} (article not in the corpus)  ")
    tags = ", ".join(escape(one_line(t)) for t in ann.tags) or "none"
    out.append(f"Tags: {tags}  ")
    out.append(f"Analyst: {escape(one_line(ann.analyst))}")  # who coded it: a team's report names each passage's coder
    if ann.note.strip():
        note = lines_of(ann.note)
        out += ["", "Note: " + note[0], *note[1:]]
    out.append("")
    return out


def markdown_report(
    annotations: Iterable[Annotation],
    articles: Sequence[ArticleInfo],
    tags: Sequence[str],
    scope: ReportScope,
    by: str = "tag",
    only_tags: Sequence[str] = (),
    *,
    title: str | None = None,
    corpus_memo: Memo | None = None,
    filter_text: str = "",
    where_text: str = "",
    codebook: Sequence[Tag] = (),
) -> str:
    """The report as Markdown text.

    ``articles`` is in list order (the order of ``--by article``), ``tags``
    in vocabulary order (the order of ``--by tag``); ``only_tags`` narrows
    both the passages and the table. The heading is ``title`` if given
    (``--title``), else the corpus memo's title, else "Dossier report:" and
    the corpus. ``filter_text`` is the filter expression the articles were
    chosen by, ``where_text`` the tag expression the annotations were
    chosen by (``--where``); both are said in the opening paragraph. ``codebook`` (the vocabulary,
    with descriptions) adds a Codebook section before the sources: each tag, its
    description and how many of the report's annotations carry it or a child of it.
    """
    if by not in ("tag", "article"):
        raise ValueError(f"by must be 'tag' or 'article', not {by!r}")
    wanted = {t.casefold() for t in only_tags}
    columns = [t for t in tags if not wanted or t.casefold() in wanted]
    info = {a.path: a for a in articles}
    order = {a.path: i for i, a in enumerate(articles)}
    chosen = [a for a in annotations if not wanted or wanted & {t.casefold() for t in a.tags}]
    chosen.sort(key=lambda a: (order.get(a.article.path, len(order)), a.article.path, a.target.start))
    placed = [a for a in chosen if not a.orphan]
    orphans = [a for a in chosen if a.orphan]
    # Grouped once: a report of 100,000 annotations must not rescan them per article.
    by_article: dict[str, list[Annotation]] = {}
    for ann in placed:
        by_article.setdefault(ann.article.path, []).append(ann)

    made = (scope.made or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    heading = one_line(title or "") or (one_line(corpus_memo.title) if corpus_memo is not None else "")
    narrowed = f", articles matching {for_markdown_code(one_line(filter_text))}" if filter_text.strip() else ""
    if where_text.strip():
        narrowed += f", annotations whose tags satisfy {for_markdown_code(one_line(where_text))}"
    out = [
        f"# {escape(heading)}" if heading else f"# Dossier report: {escape(one_line(scope.corpus))}",
        "",
        f"Made {made} from the corpus {for_markdown_code(scope.corpus)} and the notes in "
        f"{for_markdown_code(scope.notes)}: {len(chosen)} annotation{'s' if len(chosen) != 1 else ''} "
        f"on {len({a.article.path for a in chosen})} article(s){narrowed}"
        + (f", tags {', '.join(escape(one_line(t)) for t in columns)} only." if wanted else "."),
    ]
    out += memo_section(corpus_memo)
    out += ["", "## Counts", ""]
    out += _counts_table(by_article, articles, columns)
    if any(article.facts is not None for article in articles):
        facts = {a.path: a.facts.contract() for a in articles if a.facts is not None}
        out += timeline_section(timeline(placed, {path: f["date"] for path, f in facts.items()}, columns))
        out += outlet_section(by_outlet(placed, {path: f["source"] for path, f in facts.items()}, columns))
    if by == "tag":
        by_tag: dict[str, list[Annotation]] = {}
        for ann in placed:
            for tag in {t.casefold() for t in ann.tags}:
                by_tag.setdefault(tag, []).append(ann)
        rendered: dict[str, list[str]] = {}  # an annotation with two tags is written twice, built once
        for tag in columns:
            section = by_tag.get(tag.casefold())
            if section:
                out += ["", f"## {escape(one_line(tag))}", ""]
                for ann in section:
                    if ann.id not in rendered:
                        rendered[ann.id] = _passage(ann, info.get(ann.article.path))
                    out += rendered[ann.id]
    else:
        for article in articles:
            section = by_article.get(article.path)
            if section:
                out += ["", f"## {escape(one_line(article.title))}", ""]
                for ann in section:
                    out += _passage(ann, article)
    if orphans:
        out += [
            "",
            "## Orphaned annotations",
            "",
            "These quotes could no longer be found in their articles after the text changed. "
            "They are kept as they were written.",
            "",
        ]
        for ann in orphans:
            out += _passage(ann, None)
    out += codebook_section(codebook, chosen)  # the coding rules, for reference, before the sources
    out += sources_section(_sources(articles, {a.article.path for a in placed}))
    return "\n".join(out).rstrip("\n") + "\n"


def _sources(articles: Sequence[ArticleInfo], cited: set[str]) -> list[Source]:
    """The articles the Sources section lists, in list order: those cited, and those with a memo.

    Only articles whose facts are known are listed (see :class:`ArticleInfo`).
    """
    empty = dict.fromkeys(KEYS)
    return [
        Source(a.path, a.title, a.facts.contract() if a.facts is not None else empty, a.memo, a.path in cited)
        for a in articles
        if a.facts is not None and (a.path in cited or (a.memo is not None and a.memo.text.strip()))
    ]


def _counts_table(by_article: dict[str, list[Annotation]], articles: Sequence[ArticleInfo], columns: Sequence[str]) -> list[str]:
    header = ["Article", *[escape(one_line(t)) for t in columns], "Total"]
    rows = []
    totals = [0] * len(columns)
    for article in articles:
        anns = by_article.get(article.path)
        if not anns:
            continue
        counts = [sum(1 for a in anns if t.casefold() in {x.casefold() for x in a.tags}) for t in columns]
        totals = [x + y for x, y in zip(totals, counts, strict=True)]
        path = for_markdown_code(article.path, in_table=True)
        rows.append([f"{escape(one_line(article.title))} ({path})", *map(str, counts), str(len(anns))])
    rows.append(["**Total**", *map(str, totals), str(sum(map(len, by_article.values())))])
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines
