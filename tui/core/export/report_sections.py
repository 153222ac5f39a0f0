"""The report's sections about articles rather than passages: the timeline, the outlets, the sources, the memos.

Every value here was written by someone else (outlets, authors, URLs,
titles, tags, memos) and goes through :mod:`tui.core.neutral` as the rest
of the report does. The Mermaid chart needs its own rule: its labels are
reduced to letters, digits, spaces and a few harmless marks
(:func:`mermaid_label`), so no value can close its fence, end its quoted
string or write Mermaid syntax (``%%{init}``, ``#quot;``, ``:::``); the
plain tables below the chart give the exact names.

**Why an ``xychart-beta`` bar chart.** The timeline is counts per month,
which is what an XY bar chart draws; ``gantt`` draws spans of time and
``pie`` shares, neither of them counts over time. ``xychart-beta`` is in
Mermaid since 10.3 (2023), which GitHub's and Obsidian's Markdown renderers
bundle; the newer spelling ``xychart`` is only known from Mermaid 11, so the
older keyword renders in both. Mermaid draws several bar series of one
chart on top of each other, without a legend, so each tag gets its own
small chart (same months, same scale), titled with the tag's name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from tui.core.neutral import for_markdown as escape
from tui.core.neutral import for_markdown_code
from tui.core.tag_tree import tag_matches, tree_order
from tui.core.timeline import UNKNOWN, Counts

if TYPE_CHECKING:
    from tui.core.notes.model import Annotation
    from tui.core.notes.tags import Tag

#: Characters a Mermaid label keeps besides letters, digits and spaces: none of them is Mermaid or Markdown syntax.
_LABEL_MARKS = frozenset("-_.,'&/()+")
_LABEL_LENGTH = 40
_SCHEMES = ("http://", "https://")
# Characters a URL may keep inside a link's <destination>; everything else is percent-encoded.
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"


@dataclass(frozen=True)
class Memo:
    """A memo: the corpus's (the research question, coding rules) or an article's; its title may be empty."""

    text: str
    title: str = ""


def memo_from(text: str) -> Memo | None:
    """A stored memo as the report shows it: a first line ``# Title`` is its title; None for an empty memo."""
    if not text.strip():
        return None
    first, _, rest = text.strip().partition("\n")
    if first.startswith("# ") and first[2:].strip():
        return Memo(rest.strip(), first[2:].strip())
    return Memo(text.strip())


def one_line(text: str) -> str:
    """Text folded onto one line (for headings and table cells)."""
    return " ".join(text.split())


def lines_of(text: str) -> list[str]:
    """Multi-line text (a note, a memo) as Markdown lines that keep their breaks.

    Each line is escaped and stripped (leading spaces would open a code
    block); each but the last ends in a backslash, CommonMark's hard line
    break, so a renderer shows the lines as written; a blank line stays a
    paragraph break.
    """
    raw = [line.strip() for line in text.strip().split("\n")]
    out: list[str] = []
    for k, line in enumerate(raw):
        escaped = escape(line) if line else ""
        follows = k + 1 < len(raw) and raw[k + 1]
        out.append(escaped + "\\" if escaped and follows else escaped)
    return out


def link(url: str) -> str:
    """A URL as a Markdown link when it is http(s), else as escaped text.

    The link's text is the URL escaped; its destination is written between
    ``<`` and ``>`` with every character that could end it (``>``, spaces,
    line breaks, backslashes, non-ASCII) percent-encoded, so it can neither
    leave the link nor carry a ``javascript:`` scheme.
    """
    shown = escape(one_line(url))
    if not url.strip().lower().startswith(_SCHEMES):
        return shown
    return f"[{shown}](<{quote(url.strip(), safe=_URL_SAFE)}>)"


def citation(values: dict[str, str | None]) -> str:
    """An article's outlet, date, author and URL on one line (only those known); empty when none is."""
    parts = [escape(one_line(values[key] or "")) for key in ("source", "date") if values.get(key)]
    if values.get("author"):
        parts.append("by " + escape(one_line(values["author"] or "")))
    if values.get("url"):
        parts.append(link(values["url"] or ""))
    return ", ".join(parts)


def mermaid_label(text: str, fallback: str) -> str:
    """``text`` as a Mermaid label: letters, digits, spaces and ``-_.,'&/()+`` only, one line, at most 40 characters."""
    kept = "".join(
        char if unicodedata.category(char)[0] in "LN" or char in _LABEL_MARKS else " "
        for char in unicodedata.normalize("NFC", text)
    )
    label = one_line(kept)[:_LABEL_LENGTH].strip()
    return label or fallback


def timeline_section(counts: Counts) -> list[str]:
    """The timeline: one Mermaid bar chart per tag over the months, then the same counts as a table."""
    months = counts.known
    if not months:
        return []
    out = ["", "## Timeline", "",
           "Annotations per tag and month of the article's date (one chart per tag, on one scale; the table gives the same).", ""]
    top = max((counts.count(month, tag) for month in months for tag in counts.tags), default=0)
    axis = ", ".join(f'"{month}"' for month in months)
    for n, tag in enumerate(counts.tags, 1):
        if not counts.column_total(tag):
            continue
        out += [
            "```mermaid",
            "xychart-beta",
            f'    title "{mermaid_label(tag, f"tag {n}")}"',
            f"    x-axis [{axis}]",
            f'    y-axis "annotations" 0 --> {max(top, 1)}',
            f"    bar [{', '.join(str(counts.count(month, tag)) for month in months)}]",
            "```",
            "",
        ]
    rows = [month for month in counts.rows if counts.row_total(month)]
    out += table("Month", counts, rows, {UNKNOWN: "no date"})
    return out


def outlet_section(counts: Counts) -> list[str]:
    """The annotations per outlet and tag, as a table; nothing when no annotated article has a known outlet."""
    if not counts.known:
        return []
    return ["", "## By outlet", "", *table("Outlet", counts, counts.rows, {UNKNOWN: "outlet not known"})]


def table(first: str, counts: Counts, rows: Sequence[str], names: dict[str, str]) -> list[str]:
    """A Markdown table of ``counts``: one row per row given, one column per tag, totals on the edges."""
    header = [first, *[escape(one_line(tag)) for tag in counts.tags], "Total"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    for row in rows:
        label = f"*{names[row]}*" if row in names else escape(one_line(row))
        cells = [label, *[str(counts.count(row, tag)) for tag in counts.tags], str(counts.row_total(row))]
        lines.append("| " + " | ".join(cells) + " |")
    totals = [str(counts.column_total(tag)) for tag in counts.tags]
    lines.append("| " + " | ".join(["**Total**", *totals, str(counts.total)]) + " |")
    return lines


@dataclass(frozen=True)
class Source:
    """One article as the Sources section lists it."""

    path: str
    title: str
    values: dict[str, str | None]  # the five attributes of tui.core.facts.KEYS
    memo: Memo | None = None
    cited: bool = True  # False: listed for its memo, no passage of it is in the report


def sources_section(sources: Sequence[Source]) -> list[str]:
    """Every article the report cites (and every one with a memo): title, outlet, date, author, URL, file, memo."""
    if not sources:
        return []
    out = ["", "## Sources", ""]
    for source in sources:
        said = citation(source.values)
        entry = f"- *{escape(one_line(source.title))}*" + (f" — {said}" if said else "")
        entry += f" ({for_markdown_code(source.path)})"
        if not source.cited:
            entry += ", no passage in this report"
        out.append(entry)
        if source.memo is not None and source.memo.text.strip():
            memo = lines_of(source.memo.text)
            heading = f"*{escape(one_line(source.memo.title))}*: " if source.memo.title.strip() else ""
            out += ["", f"  Memo: {heading}{memo[0]}", *[f"  {line}" if line else "" for line in memo[1:]], ""]
    return out


def memo_section(memo: Memo | None) -> list[str]:
    """The corpus memo (the research question, coding rules) under its own heading."""
    if memo is None or not memo.text.strip():
        return []
    return ["", "## Memo", "", *lines_of(memo.text)]



def codebook_section(codebook: Sequence[Tag], annotations: Sequence[Annotation]) -> list[str]:
    """The codebook: each tag as a tree (parents first), its description and how many of the report's annotations carry it.

    A parent's count takes in its children's annotations (each once), as the
    overview's columns do; a parent that is no tag of its own (implied by
    ``energy/pipelines``) is listed with no description.
    """
    if not codebook:
        return []
    described = {tag.name: tag.description for tag in codebook}
    lines = ["", "## Codebook", "", "| Tag | Description | Annotations |", "|---|---|---:|"]
    for name in tree_order(described):
        count = sum(1 for ann in annotations if any(tag_matches(tag, name) for tag in ann.tags))
        text = escape(one_line(described[name])) if name in described else "*(a parent of the tags below)*"
        lines.append(f"| {escape(one_line(name))} | {text} | {count} |")
    return lines
