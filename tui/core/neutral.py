"""Strings that someone other than Dossier wrote, made harmless for the place they go.

Dossier shows and writes many strings it did not write: file names, article
titles and text, tag names, notes, annotation ids (an imported export can
carry anything). Each place they go can be attacked in its own way, so each
has one function here, and every writer calls it:

* **the terminal** (the command line's output and errors, every widget and
  dialog of the reader): :func:`for_terminal`. C0 controls (ESC, BEL, …),
  DEL and C1 controls (CSI, OSC, …) would move the cursor, recolour the
  screen, set the window title or write to the clipboard; bidi embeddings,
  overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder what is
  shown ("Trojan Source"); line and paragraph separators break lines; lone
  surrogates (the bytes of a file name that is not UTF-8) cannot be written
  at all. Each is drawn visibly instead: a C0 control or DEL as its Unicode
  control picture (``␛`` for ESC, ``␇`` for BEL, ``␊`` for a line feed), the
  others as a Python-style escape (``\\x9b``, ``\\u202e``, ``\\xff`` for an
  undecodable byte). Article text itself is not passed through here: its
  C0 and C1 controls are removed when it is read
  (:func:`tui.core.corpus.normalise_text`), and its bidi controls are left as
  the article wrote them, since right-to-left text uses them.
* **JSON printed by the command line**: :func:`for_json_text`. ``json.dumps``
  escapes C0 controls; the rest of the above become ``\\uXXXX`` escapes, which
  stand for the same characters, so the JSON value is unchanged.
* **a CSV cell**: :func:`for_csv_cell`, OWASP's "CSV Injection" rule (a
  single quote before a cell that begins with ``= + - @``, tab, CR or LF),
  then control characters shown as for the terminal, line feeds and tabs kept.
* **the Markdown report**: :func:`for_markdown` (paragraphs, headings, table
  cells: backslash escapes), :func:`for_markdown_code` (file names as code
  spans), both with control characters and line breaks shown as for the
  terminal, and :func:`for_comment` (the annotation id in its HTML comment).

Nothing here imports Textual: the command line and the exporters use it too.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# The characters a terminal must never receive raw (see the module docstring).
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 but tab and line feed, DEL, C1
_UNSAFE_CHARS = f"{_CONTROLS}\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[\t\n{_UNSAFE_CHARS}]")
_UNSAFE_IN_LINES = re.compile(f"[{_UNSAFE_CHARS}]")
_UNSAFE_IN_MARKDOWN = re.compile(f"[\n{_UNSAFE_CHARS}]")  # a tab is only whitespace there
# What json.dumps leaves raw: everything above except the C0 controls it escapes itself.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    """A visible stand-in for one unsafe character."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # a byte of a file name that is not UTF-8 (surrogateescape)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def for_terminal(text: str, *, lines: bool = False) -> str:
    """``text`` with every character that could act on a terminal shown visibly instead.

    One-line fields (file names, titles, tag names, messages) lose their line
    breaks and tabs too, so they stay one line and cannot forge a column or an
    entry; with ``lines`` (notes, quotes, questions) line feeds and tabs stay.
    """
    return (_UNSAFE_IN_LINES if lines else _UNSAFE).sub(_visible, text)


def for_json_text(dumped: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with nothing raw a terminal would act on.

    Outside its strings JSON text is ASCII, so each escape lands inside a
    string, where ``\\uXXXX`` means the very character it replaces: a script
    reading the JSON gets exactly the same values.
    """
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


#: OWASP "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection):
#: "ensure that no cells begin with any of the following characters": equals,
#: plus, minus, at, tab (0x09), carriage return (0x0D), line feed (0x0A).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def for_csv_cell(text: str) -> str:
    """A text cell a spreadsheet reads as text, never as a formula.

    Exactly OWASP's rule: a cell that begins with one of its characters gets a
    single quote in front, which spreadsheets take to mean "text". OWASP names
    first characters only, so a formula character after a leading space is
    left alone (spreadsheets read that cell as text). OWASP's other warning, a
    separator or quote inside the text opening a new cell, is met by the
    writer quoting every text cell (:func:`tui.core.export.formats.to_csv`).
    Control characters are then shown as for the terminal, line feeds and tabs
    kept (a CSV is also printed, and a spreadsheet has no use for ESC), and so
    are lone surrogates, which UTF-8 cannot hold.
    """
    if text.startswith(_FORMULA_STARTS):
        text = "'" + text
    return _UNSAFE_IN_LINES.sub(_visible, text)


# Characters that are Markdown or HTML syntax anywhere in a line, mapped to
# their backslash escapes (str.translate does this in C).
_MARKDOWN_INLINE = str.maketrans({char: "\\" + char for char in "\\`*_[]<>&|#~!{}"})
# Line starts that open a block: lists, heading underlines, numbered items.
_BLOCK_START = re.compile(r"^(\s*)(\d*)([-+=.)])")


def for_markdown(text: str) -> str:
    """Text for a Markdown paragraph, heading or table cell, rendered exactly as written.

    Backslash escapes are CommonMark's own, so the rendered text is the input;
    ``<`` and ``&`` are escaped too, so no HTML or entity survives; a line
    break or control character is shown visibly (as for the terminal), so it
    can neither open a new block nor reach whoever prints the report.
    """
    text = _UNSAFE_IN_MARKDOWN.sub(_visible, text).translate(_MARKDOWN_INLINE)
    # Only punctuation may be backslash-escaped: "1." becomes "1\." not "\1.".
    first = text.lstrip()[:1]
    if first and (first in "-+=.)" or first.isdigit()):
        text = _BLOCK_START.sub(r"\1\2\\\3", text)
    return text


_BACKTICKS = re.compile("`+")


def for_markdown_code(text: str, *, in_table: bool = False) -> str:
    """``text`` as a Markdown code span that shows it exactly, whatever backticks it holds.

    The fence is one backtick longer than the longest run inside, with a space
    inside each end when the text starts or ends with a backtick or a space
    (CommonMark strips one such space). Line breaks and controls are shown
    visibly. In a table cell ``|`` must be escaped even inside code (GFM).
    """
    text = _UNSAFE_IN_MARKDOWN.sub(_visible, text) or " "
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if (text[0] in "` " or text[-1] in "` ") and text.strip(" ") else ""
    span = f"{fence}{pad}{text}{pad}{fence}"
    return span.replace("|", "\\|") if in_table else span


def for_comment(ann_id: str) -> str:
    """An annotation id as it may stand inside an HTML comment.

    Dossier's own ids are canonical UUIDs (hex digits and hyphens) and come
    out unchanged; an imported id may be anything, so every other character
    is percent-encoded. No ``>`` is left, so nothing can close the comment, and
    equal ids still give equal comments, so two reports compare line by line.
    """
    return quote(ann_id, safe="", errors="surrogatepass")
