"""Find and read the articles of a corpus.

A corpus is a folder, read recursively, of ``.txt``, ``.md``, ``.html`` and
``.htm`` files. Reading an article turns its bytes into clean text that every
later step (cleaner, passages, annotation offsets) can rely on:

* the encoding is decoded (UTF-8 with or without BOM, UTF-16/32 with BOM,
  legacy single-byte encodings detected by charset-normalizer);
* newlines are normalised to ``\\n``;
* control characters other than newline and tab, ANSI escape sequences
  included, are removed, and the article records that they were;
* HTML pages are reduced to their article text by trafilatura, with the
  page title and the page's metadata (author, date, URL, site name,
  language) kept for :mod:`tui.core.facts`.

Anything that cannot be read this way (binary, empty, unreadable, broken or
looping symbolic links, unknown extensions, and whatever is not a regular
file: a FIFO would block the reader for ever, a device such as ``/dev/zero``
never ends) is *skipped with a reason*; no file is read beyond
:data:`MAX_BYTES`, whatever ``stat`` says its size is. No input raises
anything but :class:`CorpusError` for a corpus path that does not exist.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import io
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tui.core.natural import natural_key

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")

#: Files larger than this are skipped: they are not articles, and reading them
#: whole would take the memory of the machine.
MAX_BYTES = 256 * 1024 * 1024

#: How many leading bytes are sniffed for NUL bytes and for the encoding.
_SNIFF_BYTES = 64 * 1024

_BOMS = (
    # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# ANSI escape sequences: CSI (colours, cursor moves), OSC (titles, links) and
# the two-byte escapes. They are removed whole so no stray "[31m" remains.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, terminated by BEL or ST
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
# C0 controls except tab and newline, DEL, and the C1 range.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The same in UTF-8 bytes, told at C speed (the pattern above takes 0.25 s over a 50 MB text, these 0.05 s):
# every byte but the C0 controls other than tab, newline and carriage return (a newline by then), and DEL;
# and the two-byte encodings of the C1 range (0xC2 is only ever a lead byte).
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not ((b < 0x20 and b not in b"\t\n\r") or b == 0x7F))
_C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


class CorpusError(Exception):
    """The corpus path itself is unusable (missing, not a folder or file)."""


class ArticleError(Exception):
    """One file cannot be read as an article; the message is the reason."""


@dataclass(frozen=True)
class Skipped:
    """A file that was not read, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Article:
    """One decoded article.

    ``text`` is the source text every offset refers to: for a text file the
    decoded file, for an HTML page the extracted article text.
    """

    root: Path
    rel: str
    text: str
    encoding: str
    page_title: str | None = None
    warnings: tuple[str, ...] = ()
    #: What an HTML page says about itself (see :func:`extract_html`); empty for text files.
    #: Not compared: it is read from the same bytes as ``text``.
    metadata: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        object.__setattr__(self, "sha256", digest)

    @property
    def path(self) -> Path:
        """The article's file on disk."""
        return self.root / self.rel

    @property
    def id(self) -> str:
        """Relative POSIX path plus SHA-256 of the text: ``rel#sha256``."""
        return f"{self.rel}#{self.sha256}"


@dataclass
class Scan:
    """The article files found under a corpus root, and what was skipped.

    ``stats`` holds each listed file's size and modification time (ns), from
    the scan's one ``stat`` per file: the cache compares them with what it
    saw last time to tell which files to read again.
    """

    root: Path
    files: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: The files as the corpus cache listed them at the last run, not a scan: the folder is scanned again.
    from_cache: bool = False

    def measure(self) -> None:
        """Fill ``stats`` for the files the scan did not ``stat`` (a file gone since is ``(-1, -1)``: read again)."""
        for rel in self.files:
            if rel not in self.stats:
                try:
                    info = os.stat(self.root / rel)
                except OSError:
                    self.stats[rel] = (-1, -1)
                else:
                    self.stats[rel] = (info.st_size, info.st_mtime_ns)


def scan_corpus(root: str | os.PathLike[str], measure: bool = True, listed: list[os.DirEntry[str]] | None = None) -> Scan:
    """List the article files under ``root`` without reading them.

    Symbolic links are followed, but a folder reached twice (a link loop) is
    visited once; broken links, looping links, unreadable folders, anything
    that is not a regular file and files with other extensions are recorded
    in ``Scan.skipped``. Nothing is opened: a FIFO cannot block the scan.
    One ``stat`` per entry (``os.scandir``): at 100,000 files the extra
    ``islink`` and ``stat`` calls of a walk were a fifth of the start-up.
    With ``measure`` false not even that for a plain file, whose type the
    folder listing gives: the first screen needs names only, and
    :meth:`Scan.measure` takes sizes and times later. ``listed``: the
    entries of ``root`` itself, listed already (see ``FirstLook``).
    """
    root_path = Path(root)
    if not root_path.exists():
        raise CorpusError(f"no such file or folder: {root_path}")
    if not root_path.is_dir():
        raise CorpusError(f"not a folder: {root_path}")
    scan = Scan(root=root_path)
    visited: set[str] = {os.path.realpath(root_path)}
    folders = [(str(root_path), "")]  # (path, its rel prefix): depth first, names in order
    while folders:
        folder, prefix = folders.pop()
        try:
            if listed is not None:
                entries, listed = listed, None
            else:
                with os.scandir(folder) as found:
                    entries = list(found)
            # Plain files in any order (the list is sorted at the end); folders and links by name, so
            # which of two paths to one folder is read, and which is the loop, never depends on the disk.
            plain = [e for e in entries if e.is_file(follow_symlinks=False)]
            others = sorted((e for e in entries if not e.is_file(follow_symlinks=False)), key=lambda e: e.name)
        except OSError as error:
            reason = (error.strerror or str(error)).lower()
            scan.skipped.append(Skipped(prefix.rstrip("/") or ".", f"cannot open folder: {reason}"))
            continue
        if measure:
            entries = plain + others
        else:  # the listing's file type is enough: no stat, and whole lists at a time (100,000 files)
            entries = others
            names = [e.name for e in plain if not e.name.startswith(".")]
            articles = [name for name in names if name.lower().endswith(ARTICLE_SUFFIXES)]
            scan.files.extend([prefix + name for name in articles])
            if len(articles) < len(names):  # (usually none left over: not a second pass over every name)
                taken = set(articles)
                scan.skipped.extend(
                    Skipped(prefix + name, f"not an article file ({Path(name).suffix or 'no extension'})")
                    for name in names
                    if name not in taken
                )
        below = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            try:
                info = entry.stat()  # follows a symbolic link, like the open that reads it later
            except OSError as error:
                if entry.is_symlink():
                    scan.skipped.append(Skipped(rel, "symbolic link loop" if error.errno == errno.ELOOP else "broken symbolic link"))
                else:
                    scan.skipped.append(Skipped(rel, _os_reason(error)))
                continue
            if stat.S_ISDIR(info.st_mode):
                real = os.path.realpath(entry.path)
                if real in visited:
                    scan.skipped.append(Skipped(rel, "symbolic link loop: folder already read"))
                else:
                    visited.add(real)
                    below.append((entry.path, rel + "/"))
                continue
            kind = _kind(info.st_mode)
            if kind:
                scan.skipped.append(Skipped(rel, _not_regular(kind)))
            elif not entry.name.lower().endswith(ARTICLE_SUFFIXES):
                suffix = Path(entry.name).suffix or "no extension"
                scan.skipped.append(Skipped(rel, f"not an article file ({suffix})"))
            else:
                scan.files.append(rel)
                scan.stats[rel] = (info.st_size, info.st_mtime_ns)
        folders.extend(reversed(below))
    scan.files.sort(key=natural_key)
    scan.skipped.sort(key=lambda s: natural_key(s.path))
    return scan


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "a special file"


def _not_regular(kind: str) -> str:
    return f"not a regular file: {kind}"


def _file_problem(full: str) -> str | None:
    """Why ``full`` cannot be an article, found without opening it; None when it may be one.

    Symbolic links are followed: a link that leads nowhere or round in a loop
    is named as such, and so is anything that is not a regular file.
    """
    try:
        mode = os.stat(full).st_mode
    except OSError as error:
        if os.path.islink(full):
            return "symbolic link loop" if error.errno == errno.ELOOP else "broken symbolic link"
        return _os_reason(error)
    kind = _kind(mode)
    return _not_regular(kind) if kind else None


def _os_reason(error: OSError) -> str:
    """An operating-system error as a skip reason."""
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "no such file"
    return f"cannot read: {(error.strerror or str(error)).lower()}"


def _too_large(size: int | None) -> str:
    """The reason for a file over the limit (``size`` None: it grew past the limit as it was read)."""
    limit = f"the limit is {MAX_BYTES // (1024 * 1024)} MB"
    if size is None:
        return f"too large (grew past the limit as it was read; {limit})"
    return f"too large ({size // (1024 * 1024)} MB; {limit})"


# O_NONBLOCK: opening a FIFO (swapped in after the check) must not wait for a
# writer; O_NOCTTY: opening a terminal device must not make it ours. Neither
# exists on Windows, which has neither danger.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_regular_file(path: Path) -> bytes:
    """The bytes of the regular file ``path``; raise :class:`ArticleError` with the reason otherwise.

    The file is checked before it is opened (so a device is never opened),
    and again on the open descriptor (so a file swapped for a FIFO in between
    is caught); no more than :data:`MAX_BYTES` are read, whatever ``stat``
    claimed, so a file that grows, or lies about its size, cannot fill memory.
    """
    problem = _file_problem(str(path))
    if problem:
        raise ArticleError(problem)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise ArticleError(_os_reason(error)) from None
    with os.fdopen(fd, "rb", buffering=0) as handle:
        try:
            info = os.fstat(fd)
            kind = _kind(info.st_mode)
            if kind:
                raise ArticleError(_not_regular(kind))
            if info.st_size > MAX_BYTES:
                raise ArticleError(_too_large(info.st_size))
            os.set_blocking(fd, True)
            return _read_at_most(handle, info.st_size)
        except OSError as error:
            raise ArticleError(_os_reason(error)) from None


def _read_at_most(handle: io.FileIO, size: int) -> bytes:
    """Everything ``handle`` holds, or :class:`ArticleError` once it gives more than MAX_BYTES.

    The first read asks for the size ``stat`` gave plus one byte (one read,
    one allocation for an honest file); the rest come a mebibyte at a time.
    """
    parts: list[bytes] = []
    total = 0
    want = size + 1
    while True:
        chunk = handle.read(min(want, MAX_BYTES + 1 - total))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        total += len(chunk)
        if total > MAX_BYTES:
            raise ArticleError(_too_large(None))
        want = 1024 * 1024


def read_article(root: str | os.PathLike[str], rel: str) -> Article:
    """Read and decode one article; raise :class:`ArticleError` with the reason.

    ``rel`` is the POSIX path relative to ``root``.
    """
    return article_from_bytes(root, rel, read_bytes(root, rel))


def read_bytes(root: str | os.PathLike[str], rel: str) -> bytes:
    """The bytes of an article file, read as safely as ``read_article`` reads them (raises ``ArticleError``)."""
    return _read_regular_file(Path(root) / rel)


def article_from_bytes(root: str | os.PathLike[str], rel: str, data: bytes) -> Article:
    """Decode an article file's bytes (raises ``ArticleError`` for an HTML page without article text)."""
    root_path = Path(root)
    text, encoding, warnings = decode_bytes(data)
    page_title = None
    metadata: dict[str, str] = {}
    if rel.lower().endswith(HTML_SUFFIXES):
        text, page_title, metadata = extract_html(text)
        if not text.strip():
            raise ArticleError("no article text found in the HTML page")
    return Article(root_path, rel, text, encoding, page_title, tuple(warnings), metadata)


def decode_bytes(data: bytes) -> tuple[str, str, list[str]]:
    """Decode file bytes to normalised text.

    Returns ``(text, encoding, warnings)``. Raises :class:`ArticleError` for
    empty or binary input.
    """
    if not data or data.isspace():  # not ``data.strip()``: a copy of the whole file
        raise ArticleError("empty file")
    warnings: list[str] = []
    controls = True  # the text may hold control characters: looked for (unless its bytes said it holds none)
    encoding = _bom_encoding(data)
    if encoding is None:
        if b"\x00" in data[:_SNIFF_BYTES]:
            raise ArticleError("binary file (contains NUL bytes)")
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
            controls = bool(data.translate(None, _NOT_CONTROL_BYTES)) or _C1_IN_UTF8.search(data) is not None
        except UnicodeDecodeError:
            replaced = _damaged_utf8(data)
            if replaced is None:
                text, encoding = _decode_legacy(data)
                warnings.append(f"not UTF-8: decoded as {encoding}")
            else:
                # Python replaces each maximal invalid sequence with one U+FFFD, as Unicode recommends.
                text, encoding = data.decode("utf-8", errors="replace"), "utf-8"
                warnings.append(f"invalid UTF-8: {replaced} byte{'s' if replaced != 1 else ''} replaced with U+FFFD")
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = data.decode(encoding, errors="replace")
            warnings.append(f"invalid {encoding} bytes replaced with U+FFFD")
        if encoding == "utf-8-sig":
            encoding = "utf-8"
        text = text.lstrip("\ufeff")
    text, removed = normalise_text(text, controls)
    if removed:
        warnings.append(f"removed {removed} control character{'s' if removed != 1 else ''} or escape sequence{'s' if removed != 1 else ''}")
    if not text or text.isspace():
        raise ArticleError("empty file (no text after decoding)")
    return text, encoding, warnings


def _bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


_ASCII = bytes(range(0x80))


def _damaged_utf8(data: bytes) -> int | None:
    """How many bytes of ``data`` are not UTF-8, if it is UTF-8 with some damage; None if it is not UTF-8.

    The rule: of the non-ASCII bytes, count those in well-formed UTF-8
    sequences and those in none; the data is UTF-8 when the well-formed ones
    are the majority. A legacy single-byte encoding almost never forms a
    well-formed sequence by chance (its letters are followed by ASCII or by
    other letters): in Russian, Turkish, Arabic, French, German and Czech
    text, 89 % to 100 % of its non-ASCII bytes are invalid UTF-8, even in
    all-capital headlines. UTF-8 with a few stray bytes (a cp1252 quote pasted
    in, a flipped bit) is nearly all well-formed. A character cut off by the
    end of the file (a truncated download) counts as well-formed when its lead
    byte and at least one continuation byte are there; a lone lead byte at the
    very end is as likely a legacy letter (``café`` in cp1252) and counts as
    invalid. Either way the cut-off bytes are replaced.
    """
    decoder = codecs.getincrementaldecoder("utf-8")(errors="ignore")
    kept = decoder.decode(data, final=False)
    tail = len(decoder.getstate()[0])  # the bytes of a character cut off by the end, held back
    invalid = len(data) - tail - len(kept.encode("utf-8"))
    well_formed = len(data.translate(None, _ASCII)) - tail - invalid
    if tail > 1:
        well_formed += tail
    if well_formed <= invalid + (tail == 1):
        return None
    return invalid + tail


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not UTF-8 with charset-normalizer's help."""
    from charset_normalizer import from_bytes  # imported late: it is slow to import

    matches = list(from_bytes(data[:_SNIFF_BYTES]))
    if not matches:
        raise ArticleError("binary file or unknown text encoding")
    # charset-normalizer ranks by chaos (how mangled the text looks), then by
    # coherence with a language; on a short article its coherence ties or
    # misleads (Turkish came out as cp1250, French as cp1250 with "ŕ" for "à").
    # Among the least chaotic decodings the one whose letters best fit one
    # language wins; then cp1252, the WHATWG default for undeclared Western
    # text; then charset-normalizer's own order (max keeps the first).
    least = min(m.chaos for m in matches)
    best = max((m for m in matches if m.chaos == least), key=lambda m: (_letter_fit(str(m)), m.encoding == "cp1252"))
    # A sample that decodes may still hide an undecodable byte further on;
    # replacing it is better than refusing the whole article.
    return data.decode(best.encoding, errors="replace"), best.encoding


@cache
def _alphabets() -> tuple[frozenset[str], ...]:
    """The commonest letters of each language charset-normalizer knows (its own frequency tables)."""
    from charset_normalizer.constant import FREQUENCIES

    return tuple(frozenset(letters) for letters in FREQUENCIES.values())


def _letter_fit(text: str) -> float:
    """The share of the non-ASCII letters of ``text`` that are common letters of the one language they fit best.

    Decoded in the right code page, an article's accented letters are those
    of its language (ı ş ğ for Turkish); in a wrong one they are a mixture no
    language writes (ý þ ð).
    """
    letters: Counter[str] = Counter()
    for char, count in Counter(text).items():
        if char > "\x7f" and char.isalpha():
            letters[char.lower()] += count
    total = sum(letters.values())
    if not total:
        return 0.0
    return max(sum(n for char, n in letters.items() if char in alphabet) for alphabet in _alphabets()) / total


def normalise_text(text: str, controls: bool = True) -> tuple[str, int]:
    """Normalise newlines and strip control characters and escape sequences.

    Returns the text and how many characters or sequences were removed.
    ``controls=False``: the caller knows the text holds no control character
    (nor escape, which starts with one), from its bytes.
    """
    if "\r" in text:  # C-speed tests first: each pattern or replace scans a 50 MB text in tenths of a second
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not controls:
        return text, 0
    escapes = 0
    if "\x1b" in text or "\x9b" in text:
        text, escapes = _ANSI.subn("", text)
    text, removed = _CONTROL.subn("", text)
    return text, escapes + removed


#: trafilatura's metadata fields an article keeps (the rest are about the file or the extraction).
_METADATA_FIELDS = ("author", "date", "url", "hostname", "sitename", "categories", "tags")


def extract_html(html: str) -> tuple[str, str | None, dict[str, str]]:
    """Extract the article text, the page title and the page's metadata from an HTML page.

    trafilatura favours recall here: our own line cleaner runs afterwards and
    shows the reason for everything it drops, which trafilatura cannot. The
    page title becomes the first line when the extracted text lacks it, so the
    cleaner can find the headline.

    The metadata is what trafilatura (with htmldate for the date) reads from
    the page's ``<meta>`` tags, JSON-LD and markup: ``author``, ``date``,
    ``url``, ``hostname``, ``sitename``, ``categories`` and ``tags`` (lists
    joined with ``"; "``), plus ``lang`` (the ``<html lang>`` attribute) and
    ``title_site`` (the site's name after a separator in ``<title>``, as in
    "Headline | Meridian Wire", which trafilatura only takes when it looks
    like a domain). Empty fields are left out.
    """
    try:
        import trafilatura  # imported late: it pulls in lxml and takes ~0.3 s
        from trafilatura.metadata import examine_title_element
    except ImportError as error:  # a broken install must not crash a whole corpus
        raise ArticleError(f"HTML extraction is unavailable ({error}); reinstall dossier") from None

    # Parsed once: the <html lang> and <title> are read before trafilatura prunes its copy of the tree.
    tree = trafilatura.load_html(html)
    if tree is None:
        return "", None, {}
    page: dict[str, str] = {}
    lang = (tree.get("lang") or "").strip()
    if lang:
        page["lang"] = lang
    _, first, second = examine_title_element(tree)
    extracted = trafilatura.bare_extraction(
        tree, favor_recall=True, include_comments=False, include_tables=True, with_metadata=True
    )
    if extracted is None:
        return "", None, {}
    # trafilatura 2 returns a Document, 1.x a dict.
    fields = extracted if isinstance(extracted, dict) else extracted.as_dict()
    body = fields.get("text") or ""
    title = (fields.get("title") or "").strip() or None
    for name in _METADATA_FIELDS:
        value = fields.get(name)
        if isinstance(value, list):
            value = "; ".join(str(v).strip() for v in value if str(v).strip())
        if isinstance(value, str) and value.strip():
            page[name] = value.strip()
    site = second if title and first == title else first if title and second == title else None
    if site and site.strip() and site.strip() != title:
        page["title_site"] = site.strip()
    text, _ = normalise_text(body)
    if title and title not in text[: len(title) + 200]:
        text = f"{title}\n\n{text}"
    return text, title, page


def load_corpus(root: str | os.PathLike[str]) -> tuple[list[Article], list[Skipped]]:
    """Read every article under ``root``; unreadable files are skipped."""
    scan = scan_corpus(root)
    articles: list[Article] = []
    skipped = list(scan.skipped)
    for rel in scan.files:
        try:
            articles.append(read_article(scan.root, rel))
        except ArticleError as error:
            skipped.append(Skipped(rel, str(error)))
    skipped.sort(key=lambda s: natural_key(s.path))
    return articles, skipped
