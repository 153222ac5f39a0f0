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
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tui.core.neutral import for_comment, for_markdown_code
from tui.core.neutral import for_markdown as escape
from tui.core.notes.model import Annotation

_NEWLINE = re.compile("\n")
ID_COMMENT = "<!-- dossier:annotation {id} -->"


def one_line(text: str) -> str:
    """Text folded onto one line (for headings and table cells)."""
    return " ".join(text.split())


@dataclass(frozen=True)
class ArticleInfo:
    """What the report says about an article: its title, and where a passage sits."""

    path: str
    title: str
    text: str
    paragraphs: Sequence[tuple[int, int]]  # (start, end) source offsets of the kept paragraphs, ascending
    _starts: list[int] = field(init=False, repr=False, compare=False)
    # Newline offsets, so a passage's line numbers are two binary searches, not a scan.
    _newlines: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", [start for start, _ in self.paragraphs])
        object.__setattr__(self, "_newlines", [m.start() for m in _NEWLINE.finditer(self.text)])

    def paragraph_of(self, start: int, end: int | None = None) -> int | None:
        """1-based number of the first kept paragraph the span ``start:end`` touches; None if it is all in dropped lines."""
        end = start + 1 if end is None else end
        index = max(0, bisect.bisect_right(self._starts, start) - 1)
        for number, (p_start, p_end) in enumerate(self.paragraphs[index:], index + 1):
            if p_start >= end:
                break
            if p_end > start:
                return number
        return None

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


def _quote_block(text: str) -> list[str]:
    lines = text.split("\n")
    # Leading spaces are dropped: four of them would open a code block.
    return [f"> {escape(line.strip())}" if line.strip() else ">" for line in lines]


def _passage(ann: Annotation, info: ArticleInfo | None) -> list[str]:
    out = [ID_COMMENT.format(id=for_comment(ann.id)), ""]
    out += _quote_block(info.shown_text(ann.target.start, ann.target.end) if info else ann.target.exact)
    out.append("")
    if info is not None:
        where = []
        paragraph = info.paragraph_of(ann.target.start, ann.target.end)
        # A passage in lines the cleaner drops (a caption, a byline) is nobody's paragraph: say so.
        where.append(f"paragraph {paragraph}" if paragraph is not None else "not in the cleaned text")
        first, last = info.lines_of(ann.target.start, ann.target.end)
        where.append(f"line {first}" if first == last else f"lines {first}–{last}")
        title = escape(one_line(info.title))
        out.append(f"— *{title}* ({for_markdown_code(ann.article.path)}), {', '.join(where)}  ")
    else:
        out.append(f"— {for_markdown_code(ann.article.path)} (article not in the corpus)  ")
    tags = ", ".join(escape(one_line(t)) for t in ann.tags) or "none"
    out.append(f"Tags: {tags}")
    if ann.note.strip():
        out.append("")
        note_lines = [line.strip() for line in ann.note.strip().split("\n")]
        paragraphs = [escape(line) if line else "" for line in note_lines]
        out.append("Note: " + paragraphs[0])
        for line in paragraphs[1:]:
            out.append(line)
    out.append("")
    return out


def markdown_report(
    annotations: Iterable[Annotation],
    articles: Sequence[ArticleInfo],
    tags: Sequence[str],
    scope: ReportScope,
    by: str = "tag",
    only_tags: Sequence[str] = (),
) -> str:
    """The report as Markdown text.

    ``articles`` is in list order (the order of ``--by article``), ``tags``
    in vocabulary order (the order of ``--by tag``); ``only_tags`` narrows
    both the passages and the table.
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
    out = [
        f"# Dossier report: {escape(one_line(scope.corpus))}",
        "",
        f"Made {made} from the corpus {for_markdown_code(scope.corpus)} and the notes in "
        f"{for_markdown_code(scope.notes)}: {len(chosen)} annotation{'s' if len(chosen) != 1 else ''} "
        f"on {len({a.article.path for a in chosen})} article(s)"
        + (f", tags {', '.join(escape(one_line(t)) for t in columns)} only." if wanted else "."),
        "",
        "## Counts",
        "",
    ]
    out += _counts_table(by_article, articles, columns)
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
    return "\n".join(out).rstrip("\n") + "\n"


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
