"""An article's facts: its date, outlet, author, URL, language and any other attribute, and where each came from.

Five attributes have a meaning of their own (:data:`KEYS`): ``date`` (of
publication, ISO 8601: ``YYYY-MM-DD``, with the time when it is known, or
``YYYY-MM`` / ``YYYY`` when no more is known), ``source`` (the outlet),
``author``, ``url`` and ``language`` (an ISO 639 code, ``ru``). Any other
``key: value`` is kept as it is, under its key folded to lower case.

Every value is a :class:`Fact` that says where it came from (its *origin*)
and why, as the cleaner gives a reason for every line it drops:

==============  ========================================================  ========
origin          from                                                      rank
==============  ========================================================  ========
``analyst``     the analyst's edits (``dossier set``, the reader)         1
``manifest``    ``dossier.csv`` / ``dossier.json`` beside the articles    2
``front-matter`` a Markdown file's ``---`` block of ``key: value`` lines  3
``html``        the page's metadata (trafilatura, htmldate)               4
``text``        a byline, a dateline, a copyright line, an outlet line    5
                under the headline, an appeal naming the outlet, the
                language the text is written in (:mod:`tui.core.facts_text`)
==============  ========================================================  ========

When several origins give a key, the lower rank wins (:class:`Facts` keeps
every one, so a reader can show what was overruled); within one origin the
first found wins. An analyst's empty value clears the key: an extracted
value the analyst knows to be wrong is then shown as unknown.

Front matter is parsed by hand: only its simple subset (``key: value``,
quoted values, ``key: [a, b]`` and ``- item`` lists, comments) is needed, and
a YAML library would add a dependency and YAML's surprises (``no`` read as
false, ``2016-12-20`` as a date object) for no gain. Dates written in words
in any language are read by ``dateparser`` (imported lazily: it takes about
0.1 s to load).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateparser.date import DateDataParser  # type: ignore[import-untyped]

#: The origins, strongest first.
ORIGINS = ("analyst", "manifest", "front-matter", "html", "text")
#: The attributes every article has (None when unknown), in the order they are shown.
KEYS = ("date", "source", "author", "url", "language")

# Other names scrapers, CMSs and front matter use for the five attributes.
_ALIASES = {
    "published": "date", "pubdate": "date", "publication_date": "date", "date_published": "date",
    "datepublished": "date", "published_at": "date",
    "outlet": "source", "publisher": "source", "publication": "source", "site": "source", "sitename": "source",
    "site_name": "source", "newspaper": "source",
    "authors": "author", "byline": "author", "creator": "author", "by": "author",
    "link": "url", "source_url": "url", "canonical": "url", "canonical_url": "url", "permalink": "url",
    "lang": "language", "locale": "language",
}
_RANK = {origin: rank for rank, origin in enumerate(ORIGINS)}
_ISO = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?P<time>[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?"
)
#: A year of four digits, or a date all in digits ("20.12.2016"): what a date in words must hold to be read.
YEAR_OR_NUMERIC_DATE = re.compile(r"(?<!\d)\d{4}(?!\d)|(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)")
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*", re.IGNORECASE)


class FactError(ValueError):
    """A value that cannot be the attribute it is given for (a date that is no date); the message says why."""


@dataclass(frozen=True)
class Fact:
    """One attribute's value, where it came from (one of :data:`ORIGINS`) and why."""

    key: str
    value: str  # "" only for an analyst's clearing
    origin: str
    reason: str

    def to_json(self) -> dict[str, str | None]:
        """``{"value", "origin", "reason"}``; a cleared value is null."""
        return {"value": self.value or None, "origin": self.origin, "reason": self.reason}


@dataclass(frozen=True)
class Facts:
    """Every fact found about one article, and warnings met while reading them.

    The value of a key is its strongest fact's (see the module docstring).
    """

    found: tuple[Fact, ...] = ()
    warnings: tuple[str, ...] = ()
    _best: dict[str, Fact] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        best: dict[str, Fact] = {}
        for fact in self.found:
            held = best.get(fact.key)
            if held is None or _RANK[fact.origin] < _RANK[held.origin]:
                best[fact.key] = fact
        object.__setattr__(self, "_best", best)

    def fact(self, key: str) -> Fact | None:
        """The winning fact for ``key`` (any spelling :func:`canonical_key` accepts), cleared ones included."""
        return self._best.get(canonical_key(key))

    def get(self, key: str) -> str | None:
        """The value of ``key``; None when unknown or cleared by the analyst."""
        fact = self.fact(key)
        return fact.value if fact is not None and fact.value else None

    def keys(self) -> list[str]:
        """The keys with a value: the five of :data:`KEYS` first, then the others in alphabetical order."""
        known = [key for key in self._best if self.get(key) is not None]
        return [k for k in KEYS if k in known] + sorted(k for k in known if k not in KEYS)

    def values(self) -> dict[str, str]:
        """Every key with a value, and its value (what a filter looks at)."""
        return {key: value for key in self.keys() if (value := self.get(key)) is not None}

    def contract(self) -> dict[str, str | None]:
        """The five attributes of :data:`KEYS`, None when unknown (the ``list --json`` and export shape)."""
        return {key: self.get(key) for key in KEYS}

    def to_json(self) -> dict[str, dict[str, str | None]]:
        """Each winning fact with its origin and reason, a cleared one included, keys as :meth:`keys` orders them."""
        chosen = [k for k in KEYS if k in self._best] + sorted(k for k in self._best if k not in KEYS)
        return {key: self._best[key].to_json() for key in chosen}

    def merged(self, *others: Facts) -> Facts:
        """These facts and the others', with every warning; precedence decides the values."""
        return merge_facts(self, *others)


def merge_facts(*facts: Facts) -> Facts:
    """All the facts of several sources about one article (precedence by origin, then by order given)."""
    return Facts(tuple(f for each in facts for f in each.found), tuple(w for each in facts for w in each.warnings))


def canonical_key(key: str) -> str:
    """A key as facts store it: trimmed, lower case, inner spaces as ``_``, other names of the five attributes mapped to them."""
    folded = "_".join(key.strip().casefold().split())
    return _ALIASES.get(folded, folded)


def collect_facts(fields: Iterable[tuple[str, str, str]], origin: str, warning: Callable[[FactError], str]) -> Facts:
    """The facts of ``(key, value, reason)`` fields of one origin; a value that is no fact (a bad date) is a warning."""
    found: list[Fact] = []
    warnings: list[str] = []
    for key, value, reason in fields:
        try:
            fact = make_fact(key, value, origin, reason)
        except FactError as error:
            warnings.append(warning(error))
            continue
        if fact is not None:
            found.append(fact)
    return Facts(tuple(found), tuple(warnings))


def make_fact(key: str, value: str, origin: str, reason: str) -> Fact | None:
    """A fact with its key and value normalised; None for an empty value.

    A date is read as ISO 8601 first, then as words in any language
    (:func:`parse_date`); a language keeps its primary subtag (``en-GB`` is
    ``en``); other values have their white space collapsed (attributes are
    one line). Raises :class:`FactError` for a date that is none.
    """
    if origin not in _RANK:
        raise ValueError(f"unknown origin {origin!r}")
    name = canonical_key(key)
    text = " ".join(value.split())
    if not name or not text:
        return None
    if name == "date":
        when = parse_date(text)
        if when is None:
            raise FactError(f"date: not a date: {text!r}")
        text = when
    elif name == "language":
        text = normalise_language(text)
    return Fact(name, text, origin, reason)


def analyst_facts(edits: Mapping[str, str]) -> Facts:
    """The analyst's edits as facts that win over every other origin.

    An empty value clears the key (see the module docstring); a bad date is
    left out with a warning, so one typo does not lose the other edits.
    """
    found: list[Fact] = []
    warnings: list[str] = []
    for key, value in edits.items():
        name = canonical_key(key)
        if not name:
            continue
        if not value.strip():
            found.append(Fact(name, "", "analyst", "cleared by the analyst"))
            continue
        try:
            fact = make_fact(name, value, "analyst", "set by the analyst")
        except FactError as error:
            warnings.append(f"analyst's {error}")
            continue
        if fact is not None:
            found.append(fact)
    return Facts(tuple(found), tuple(warnings))



#: Names that are no attribute: the filter's own fields (``tag:``, ``title:``, ``untagged``) and the manifest's file column.
RESERVED = frozenset({"tag", "title", "untagged", "file", "path", "filename"})
#: The longest attribute value an analyst can set: an attribute is one line, not a memo.
MAX_VALUE = 2000
_NAME = re.compile(r"[^\W\d_][\w-]{0,39}")


def analyst_value(key: str, value: str) -> tuple[str, str]:
    """An analyst's edit as the notes keep it: the key canonical, the value normalised; ``""`` clears the key.

    The key must be a name the filter can ask for (a letter, then up to 39
    letters, digits, ``_`` or ``-``; spaces become ``_``) and not one of
    :data:`RESERVED`. A date must be ISO 8601 (``2016-12-20``, ``2016-12``,
    ``2016``, or with a time: ``2016-12-20T09:30+03:00``): what an analyst
    types is not guessed at. A language keeps its primary subtag; any value
    has its white space collapsed to single spaces. Raises
    :class:`FactError` with a one-line message naming the key.
    """
    name = canonical_key(key)
    if not _NAME.fullmatch(name) or name in RESERVED:
        shown = quoted(key, 40)
        if name in RESERVED:
            raise FactError(f"{shown} cannot be an attribute: it is a filter field or the manifest's file column")
        raise FactError(f"{shown} cannot be an attribute name: use a letter, then letters, digits, '_' or '-' (up to 40)")
    text = " ".join(value.split())
    if len(text) > MAX_VALUE:
        raise FactError(f"{name}: a value of {len(text)} characters; an attribute holds at most {MAX_VALUE} (write a memo)")
    if not text:
        return name, ""
    if name == "date":
        when = iso_date(text)
        if when is None:
            raise FactError(f"date: not an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY): {quoted(text, 40)}")
        return name, when
    if name == "language":
        return name, normalise_language(text)
    return name, text

# --- dates and languages -------------------------------------------------------------------


def iso_date(text: str) -> str | None:
    """``text`` as a canonical ISO 8601 date if it is one (``2016``, ``2016-12``, ``2016-12-20``, with time); else None.

    A date with a time keeps it, to the minute or second as given, with
    its offset when it has one (``Z`` becomes ``+00:00``).
    """
    match = _ISO.fullmatch(text.strip())
    if not match:
        return None
    year, month, day = match["y"], match["m"], match["d"]
    try:
        if day is None:
            if month is not None and not 1 <= int(month) <= 12:
                return None
            return year if month is None else f"{year}-{month}"
        if match["time"] is None:
            return date(int(year), int(month), int(day)).isoformat()
        when = datetime.fromisoformat(match.group().replace(" ", "T").replace(",", "."))
    except ValueError:
        return None
    return when.isoformat(timespec="seconds" if when.second or when.microsecond else "minutes")


def parse_date(text: str, languages: Sequence[str] | None = None) -> str | None:
    """A date written in any form or language as ISO 8601, as precise as the text is; None if it is no date.

    ISO 8601 is read exactly (:func:`iso_date`); anything else by
    ``dateparser`` (``20 декабря 2016``, ``14 Mayıs 2024``, ``Dec. 20, 2016``),
    which must find at least a month and a year. ``languages`` (ISO 639-1
    codes) narrows and speeds up its guess.
    """
    exact = iso_date(text)
    if exact is not None:
        return exact
    if not YEAR_OR_NUMERIC_DATE.search(text):
        return None  # "March 14" would be read as March 2014, and "2016 12" is no date to guess at
    data = _date_data(text.strip(), languages)
    if data is None:
        return None
    when, period = data
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if _TIME.search(text) and (when.hour or when.minute or when.second):
        return when.isoformat(timespec="minutes" if not when.second else "seconds")
    return when.date().isoformat()


def _date_data(text: str, languages: Sequence[str] | None) -> tuple[datetime, str] | None:
    """dateparser's reading of ``text``: the moment and how precise it is (``day``, ``month`` or ``time``)."""
    try:
        data = _date_parser(tuple(languages or ())).get_date_data(text)
    except (ValueError, TypeError, OverflowError):  # a number dateparser chokes on
        return None
    if data.date_obj is None:
        return None
    return data.date_obj, data.period or "day"


@lru_cache(maxsize=32)
def _date_parser(languages: tuple[str, ...]) -> DateDataParser:
    """A dateparser parser for these languages (all it knows when none of them), made once: it loads their data."""
    from dateparser.date import DateDataParser  # imported late: about 0.1 s
    from dateparser.languages.loader import default_loader  # type: ignore[import-untyped]

    known = set(default_loader.get_locale_map())
    usable = [code for code in languages if code in known] or None
    # A month and a year at least: "14 May" alone is no publication date; a missing day is not guessed.
    # Absolute dates only: a relative one ("today", "vor 3 Tagen") is the day it is read, not the day it was published.
    settings = {"REQUIRE_PARTS": ["month", "year"], "PREFER_DAY_OF_MONTH": "first", "PARSERS": ["custom-formats", "absolute-time"]}
    return DateDataParser(languages=usable, settings=settings)


def normalise_language(text: str) -> str:
    """A language tag's primary subtag in lower case (``en-GB`` → ``en``); anything else as written, in lower case."""
    cleaned = text.strip()
    if _LANGUAGE.fullmatch(cleaned):
        return re.split("[-_]", cleaned)[0].lower()
    return cleaned.casefold()


# --- HTML metadata ---------------------------------------------------------------------------

# trafilatura's field, the attribute it gives, and what the reason calls it; earlier ones win.
_HTML_FIELDS = (
    ("date", "date", "publication date"),
    ("sitename", "source", "site name"),
    ("title_site", "source", "site name in the page title"),
    ("hostname", "source", "host name"),
    ("author", "author", "author"),
    ("url", "url", "canonical URL"),
    ("lang", "language", "<html lang>"),
    ("categories", "categories", "categories"),
    ("tags", "keywords", "keywords"),  # not "tags": those are the analyst's, on passages
)


def html_facts(metadata: Mapping[str, str]) -> Facts:
    """The facts an HTML page's metadata gives (:func:`tui.core.corpus.extract_html`'s ``metadata``)."""
    fields = [(key, value, f"page metadata, {what}: {quoted(value)}")
              for name, key, what in _HTML_FIELDS if (value := metadata.get(name))]
    return collect_facts(fields, "html", lambda error: f"page metadata: {error}")


# --- front matter ----------------------------------------------------------------------------

_FENCE = "---"
_FRONT_MATTER_LINES = 200  # a block that does not close within this many lines is no front matter
_KEY_VALUE = re.compile(r"([A-Za-z_][\w .-]*?)\s*:(?:\s+(.*)|\s*)$")
_LIST_ITEM = re.compile(r"\s*-\s+(.*)$")


def front_matter(text: str) -> tuple[dict[str, str], list[str], int]:
    """The ``key: value`` pairs of a Markdown front matter block at the start of ``text``.

    Returns the pairs (lists joined with ``"; "``), one warning per line
    that is not of the simple subset (module docstring), and the number of
    lines the block takes (0 when ``text`` has none: it must open with a
    ``---`` line and close with ``---`` or ``...`` within 200 lines).
    """
    lines = text.split("\n", _FRONT_MATTER_LINES + 1)
    if lines[0].strip() != _FENCE:
        return {}, [], 0
    close = next((n for n, line in enumerate(lines[1 : _FRONT_MATTER_LINES + 1], 1) if line.strip() in (_FENCE, "...")), None)
    if close is None:
        return {}, [], 0
    pairs: dict[str, str] = {}
    warnings: list[str] = []
    list_key: str | None = None  # the key whose "- item" lines these are
    for number, line in enumerate(lines[1:close], 2):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        item = _LIST_ITEM.match(line)
        if item is not None and list_key is not None:
            pairs[list_key] = "; ".join(part for part in (pairs[list_key], _unquote(item[1])) if part)
            continue
        pair = None if line[:1].isspace() else _KEY_VALUE.match(line)
        list_key = None
        if pair is None:
            warnings.append(f"front matter line {number}: not a simple 'key: value' line, skipped: {quoted(stripped)}")
            continue
        key, value = pair[1].strip(), (pair[2] or "").strip()
        if value in ("|", ">", "|-", ">-", "|+", ">+") or value.startswith("{"):
            warnings.append(f"front matter line {number}: {quoted(key)}: only one-line values are read, skipped")
        elif not value:
            pairs[key] = ""
            list_key = key
        elif value.startswith("[") and value.endswith("]"):
            pairs[key] = "; ".join(_unquote(part) for part in value[1:-1].split(",") if part.strip())
        else:
            pairs[key] = _unquote(_drop_comment(value))
    return {k: v for k, v in pairs.items() if v and v not in ("~", "null")}, warnings, close + 1


def _drop_comment(value: str) -> str:
    """An unquoted value without a trailing ``# comment`` (YAML's rule: the ``#`` follows a space)."""
    if value[:1] in "\"'":
        return value
    return re.split(r"\s+#", value, maxsplit=1)[0].rstrip()


def _unquote(value: str) -> str:
    """A value without its quotes: ``'it''s'`` is ``it's``, ``"a \\"b\\""`` is ``a "b"``."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def front_matter_facts(text: str) -> Facts:
    """The facts of ``text``'s front matter, if it opens with one; a bad date is left out with a warning."""
    pairs, warnings, _ = front_matter(text)
    fields = [(key, value, f"front matter: {quoted(f'{key}: {value}')}") for key, value in pairs.items()]
    facts = collect_facts(fields, "front-matter", lambda error: f"front matter: {error}")
    return Facts(facts.found, (*warnings, *facts.warnings))


def quoted(value: str, limit: int = 80) -> str:
    """A value or a line of the article quoted in a reason: one line, cut to ``limit`` characters."""
    one = " ".join(value.split())
    return repr(one if len(one) <= limit else one[: limit - 1] + "…")
