"""Reading one article file for the cache: everything the list, search and exports need of it.

:func:`analyse` is a plain function of a corpus folder and a file's path, so
the cache can run it in other processes: cleaning is most of the cost of a
new corpus, and on two cores a second process halves it. What it returns is
small and picklable: the cleaned text compressed, the kept lines' offsets,
the line keys for the corpus evidence, and the folded text to index.

:func:`cleaner_version` names the code and data that decide what a file's
row holds; a row read by another version is read again.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from array import array
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from tui.core.corpus import ArticleError, article_from_bytes, read_bytes
from tui.core.document import title_of, word_count
from tui.core.evidence import line_keys
from tui.core.facts import Fact, Facts
from tui.core.folding import fold

# The modules whose code decides what a row holds, and the packages whose data does.
_MODULES = (
    "corpus.py", "clean.py", "cleaned.py", "line_features.py", "article_region.py", "language.py", "furniture_words.py",
    "cues.py", "folding.py", "document.py", "evidence.py", "cache/analyse.py", "facts.py", "facts_text.py",
    "catalogue.py",
)
_PACKAGES = ("trafilatura", "py3langid", "justext", "charset-normalizer")


@cache
def cleaner_version() -> str:
    """A short hash of the cleaner's code and resources: rows made by another one are made again."""
    digest = hashlib.sha256()
    core = Path(__file__).resolve().parent.parent
    for name in _MODULES:
        digest.update(name.encode())
        digest.update((core / name).read_bytes())
    for package in _PACKAGES:
        try:
            digest.update(f"{package}=={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} missing".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Analysed:
    """One article file as the cache keeps it; ``error`` set (and little else) when it cannot be read."""

    rel: str
    size: int
    mtime_ns: int
    digest: str
    error: str | None = None
    sha256: str = ""
    chars: int = 0
    title: str = ""
    words: int = 0
    language: str | None = None
    warning: str = ""
    text: bytes = b""  # zlib of the cleaned text
    spans: bytes = b""  # kept lines' (start, end) in the source, as int64
    keys: bytes = b""  # distinct line keys, as int64
    folded_title: str = ""
    folded_body: str = ""
    facts: str = ""  # JSON (pack_facts): what the article says about itself, before the manifest and the analyst
    kinds: str = ""  # each kept line's kind, one per line
    #: Set on a receipt: the reading process stored the row itself (a big file; False: its row was gone), nothing else here.
    stored: bool | None = None


def analyse(root: str, rel: str, size: int, mtime_ns: int) -> Analysed:
    """Read, decode and clean ``rel`` (no overrides, no corpus evidence), as the cache keeps it.

    ``size`` and ``mtime_ns`` are what the scan saw; they are stored with the
    row so the next scan can tell the file has not changed.
    """
    try:
        data = read_bytes(root, rel)
    except ArticleError as error:
        return Analysed(rel, size, mtime_ns, "", error=str(error))
    digest = hashlib.sha256(data).hexdigest()
    try:
        article = article_from_bytes(root, rel, data)
    except ArticleError as error:
        return Analysed(rel, size, mtime_ns, digest, error=str(error))
    del data
    from tui.core.catalogue import extract_facts
    from tui.core.clean import clean_text  # the first call loads the cleaner and the language model

    cleaned = clean_text(article.text, None, article.page_title)
    title = title_of(article, cleaned)
    spans = array("q")
    for line in cleaned.kept:
        spans.extend((line.start, line.end))
    text = cleaned.text
    return Analysed(
        rel, size, mtime_ns, digest,
        sha256=article.sha256, chars=len(article.text), title=title, words=word_count(cleaned),
        language=cleaned.language, warning="; ".join(cleaned.warnings),
        text=zlib.compress(text.encode("utf-8"), 1), spans=spans.tobytes(),
        keys=array("q", sorted(line_keys(article.text))).tobytes(),
        folded_title=fold(title), folded_body=fold(text),
        facts=pack_facts(extract_facts(article.text, article.metadata, cleaned.lines, cleaned.language)),
        kinds="\n".join(line.kind for line in cleaned.kept),
    )


def analyse_many(root: str, work: list[tuple[str, int, int]]) -> list[Analysed]:
    """:func:`analyse` for a batch of files (one call per batch keeps a process pool's overhead small)."""
    return [analyse(root, rel, size, mtime_ns) for rel, size, mtime_ns in work]


def pack_facts(facts: Facts) -> str:
    """An article's extracted facts as the cache keeps them (every one found, not only the winners)."""
    return json.dumps(
        {"found": [[f.key, f.value, f.origin, f.reason] for f in facts.found], "warnings": list(facts.warnings)},
        ensure_ascii=False,
    )


def unpack_facts(packed: str | None) -> Facts:
    """The facts stored by :func:`pack_facts` (none for a row read before they were kept)."""
    if not packed:
        return Facts()
    data = json.loads(packed)
    return Facts(tuple(Fact(*found) for found in data["found"]), tuple(data["warnings"]))


def unpack_spans(blob: bytes) -> list[tuple[int, int]]:
    """The kept lines' (start, end) pairs stored by :func:`analyse`."""
    numbers = array("q")
    numbers.frombytes(blob)
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def unpack_keys(blob: bytes) -> array[int]:
    """The line keys stored by :func:`analyse`."""
    numbers = array("q")
    numbers.frombytes(blob)
    return numbers


def cleaned_text(blob: bytes) -> str:
    """The cleaned text stored by :func:`analyse`."""
    return zlib.decompress(blob).decode("utf-8") if blob else ""
