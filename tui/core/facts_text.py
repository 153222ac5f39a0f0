"""The facts an article's own text gives: its outlet, author, date and language, each with the line it was read from.

The cleaner has already classified every line (:mod:`tui.core.clean`); the
rules here read the lines it set aside as page furniture, where outlets and
bylines stand, and the opening of the first paragraph, where a dateline
stands. In order of trust, the outlet (``source``) is read from:

1. a copyright line naming it: ``© 2024 Ankara Ekonomi Postası. Tüm hakları
   saklıdır.``, ``جميع الحقوق محفوظة © 2024 صحيفة الشرق الجديد``;
2. a short line right under the headline that the page names again
   elsewhere (in a photo credit, an appeal, a footer): ``The World`` under
   the headline, ``The World is an independent newsroom`` at the foot;
3. a dateline opening the first paragraph: ``(Baonghean) -``,
   ``ANKARA, March 14 (Meridian Wire) -``;
4. an appeal, link or footer naming it on two lines or more: ``A Message
   from The Moscow Times:``, ``Contribute to KJ Report's`` (outlet names
   are told by their capitals, so this rule is for scripts with capitals).

The author is read from the lines the cleaner marks as bylines (``By Selin
Aksoy``, ``Reporting by Selin Aksoy; Editing by Tom Hale``), or a name on
its own line just after the last paragraph; a short name under the headline
that the page does not name again is taken as the author. A date is read
(by ``dateparser``, in the page's language) from bylines and lines under
the headline that hold a day, a month and a year, and from a dateline; a
date without a year is left out rather than guessed. The language is the
one the cleaner identified (py3langid).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from tui.core.facts import YEAR_OR_NUMERIC_DATE, Fact, FactError, Facts, make_fact, parse_date, quoted

if TYPE_CHECKING:
    from tui.core.cleaned import Line

# What a copyright notice says besides the owner's name, in the languages of the corpus and their neighbours.
_RIGHTS = re.compile(
    r"all rights reserved|tüm hakları saklıdır|her hakkı saklıdır|все права защищены|جميع الحقوق محفوظة"
    r"|tous droits réservés|alle rechte vorbehalten|todos los derechos reservados|tutti i diritti riservati"
    r"|wszelkie prawa zastrzeżone|όλα τα δικαιώματα διατηρούνται|всі права захищені|كل الحقوق محفوظة",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"©|\(c\)|\bcopyright\b", re.IGNORECASE)
_YEARS = re.compile(r"^\s*(?:\d{4}(?:\s*[-–]\s*\d{2,4})?)\s*[,.]?\s*|\s*[,.]?\s*\d{4}(?:\s*[-–]\s*\d{2,4})?\s*$")
_QUOTES = "\"'«»“”„‘’「」"
# "(Outlet) -" after an optional "PLACE, date" at the start of the first paragraph.
_DATELINE = re.compile(
    r"\s*(?:(?P<place>[^\W\d_][^()\n]{0,60}?)\s*(?:,\s*(?P<when>[^()\n]{1,40}?))?\s*)?"
    r"\((?P<outlet>[^()\n]{2,60})\)\s*[-–—]+\s"
)
# "MOSCOW, Dec. 20, 2016 —": a place in capitals, a date, a dash (a dateline without an outlet).
_PLACE_DATELINE = re.compile(r"\s*(?P<place>[^\W\d_][^\W\d_ .-]*(?:[ .-][^\W\d_]+){0,3}),\s*(?P<when>[^\n]{3,40}?)\s+[-–—]+\s")
# Words that open a byline: "By", "Reporting by", in several languages.
_BY = re.compile(
    r"^\W*(?:(?:words|reporting|written|posted|story|text|additional reporting) by|by|von|par|por|di|door|av|de"
    r"|автор|yazar|yazan|كتب|بقلم|author)\s*:?\s+",
    re.IGNORECASE,
)
# Where a byline's name ends: "; Editing by", " · 14 May", " | Staff", ", Heraklion", " in Antakya".
_NAME_END = re.compile(r"\s*(?:[;|·•/,(]|\s[-–—]\s|\s(?:in|from|and|und|et|y|и|ve|و)\s).*$")
#: The cleaner's reason for a line after the last paragraph that no word rule named (see ``article_region``).
AFTER_THE_ARTICLE = "after the article's last paragraph"
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_POSSESSIVE = re.compile(r"['’]s$")
_NUMBERS = re.compile(r"\d+")
_CONNECTORS = frozenset("of the and & de du des di del la le für von van der".split())
_WORD_PUNCTUATION = ".,:;!?)»”\"'"


def text_facts(lines: Sequence[Line], language: str | None = None) -> Facts:
    """The facts the article's text gives (module docstring), from the cleaner's ``lines`` and the page's ``language``."""
    present = [line for line in lines if line.text.strip()]
    title = next((k for k, line in enumerate(present) if line.kind == "title"), None)
    first_body = next((k for k, line in enumerate(present) if line.kind == "body" and (title is None or k > title)), None)
    found: list[Fact] = []
    warnings: list[str] = []

    def add(key: str, value: str, reason: str) -> None:
        try:
            fact = make_fact(key, value, "text", reason)
        except FactError as error:  # a date line dateparser read but no date came of it: say so, keep the rest
            warnings.append(f"text: {error}")
            return
        if fact is not None:
            found.append(fact)

    head = present[title + 1 : first_body] if title is not None and first_body is not None else []
    # A line under the headline that opens like a byline is one, whatever the cleaner called it
    # (its English rule wants ASCII capitals: "By Murat Şahin" is a heading to it).
    bylines = [line for line in present if line.kind == "byline" or (line in head and _BY.match(line.text))]
    under = _line_under_headline(present, title, first_body)
    outlet_under = under is not None and _named_again(under, present)
    for value, reason in _outlets(present, under if outlet_under else None, first_body):
        add("source", value, reason)
    if under is not None and not outlet_under:
        add("author", _byline_name(under.text), f"name under the headline: {quoted(under.text)}")
    for value, reason in _authors(present, bylines, under):
        add("author", value, reason)
    for value, reason in _dates(present, bylines, head, first_body, language):
        add("date", value, reason)
    if language:
        add("language", language, "the language of the text (identified by py3langid)")
    return Facts(tuple(found), tuple(warnings))


# --- the outlet --------------------------------------------------------------------------------


def _outlets(present: list[Line], under: Line | None, first_body: int | None) -> Iterator[tuple[str, str]]:
    """Every outlet the text names, strongest rule first, each with its reason."""
    for line in reversed(present):  # the footer's notice, at the foot, is the page's own
        if not line.keep and line.kind != "caption" and _COPYRIGHT.search(line.text):
            name = copyright_owner(line.text)
            if name:
                yield name, f"copyright line: {quoted(line.text)}"
                break
    if under is not None:
        yield under.text.strip(), f"outlet line under the headline: {quoted(under.text)}, named again on the page"
    if first_body is not None:
        match = _dateline(present[first_body].text)
        if match and _name_shaped(match["outlet"], words=6):
            yield match["outlet"].strip(), f"dateline: {quoted(match.group())}"
    named = _named_in_furniture(present)
    if named is not None:
        name, line, count = named
        yield name, f"appeal or footer naming the outlet: {quoted(line.text)} (line {line.n}; named on {count} lines)"


def _dateline(text: str) -> re.Match[str] | None:
    """A dateline with an outlet opening ``text``: its place, if any, is written without lower case (``ANKARA``, ``دمشق``)."""
    match = _DATELINE.match(text)
    return match if match and not _lower(match["place"]) else None


def _lower(text: str | None) -> bool:
    """Whether ``text`` has a lower-case letter (a dateline's place has none: ``MOSCOW``, ``МОСКВА``)."""
    return any(c.islower() for c in text or "")


def copyright_owner(text: str) -> str | None:
    """The owner a copyright line names (``© 2024 Meridian Wire. All rights reserved.`` → ``Meridian Wire``); None if it names none."""
    line = _RIGHTS.sub(" ", text)
    mark = _COPYRIGHT.search(line)
    if mark is None:
        return None
    after = _COPYRIGHT.sub(" ", line[mark.end() :])
    for candidate in (after, line[: mark.start()]):
        name = re.split(r"\.(?:\s|$)|\s[|·•]\s|\s[-–—]\s", candidate.strip(), maxsplit=1)[0]
        name = _YEARS.sub("", name).strip(" \t,.;:" + _QUOTES)
        if _name_shaped(name, words=8):
            return name
    return None


def _line_under_headline(present: list[Line], title: int | None, first_body: int | None) -> Line | None:
    """The short line set aside right under the headline (an outlet or an author), if there is one."""
    if title is None or title + 1 >= len(present) or (first_body is not None and first_body == title + 1):
        return None
    line = present[title + 1]
    text = line.text.strip()
    if line.keep or line.kind == "caption" or len(text) > 40 or _BY.match(text) or not _name_shaped(text, words=5):
        return None
    return line


def _named_again(line: Line, present: list[Line]) -> bool:
    """Whether the page names ``line``'s text on another line too (as its photo credits and appeals name an outlet)."""
    text = line.text.strip()
    name = re.compile(rf"(?<!\w){re.escape(text)}(?!\w)")
    return any(other.n != line.n and text in other.text and name.search(other.text) for other in present)


def _named_in_furniture(present: list[Line]) -> tuple[str, Line, int] | None:
    """The capitalised name that the page's furniture (appeals, links, footers) names most, on two lines or more."""
    best: tuple[int, int, str, Line] | None = None
    seen: set[str] = set()
    for line in present:
        if line.keep or line.kind != "boilerplate":
            continue
        for name in _capitalised_names(line.text):
            if name in seen:
                continue
            seen.add(name)
            # The substring test first: a name on fewer lines than needed (two, or the best's) is not
            # compiled as a pattern at all; compiling one per name took most of the time of the facts.
            holding = [other.text for other in present if name in other.text]
            if len(holding) < max(2, best[0] if best is not None else 0):
                continue
            pattern = re.compile(rf"(?<!\w){re.escape(name)}(?:['’]s)?(?!\w)")
            count = sum(1 for text in holding if pattern.search(text))
            if count >= 2 and (best is None or (count, len(name)) > (best[0], best[1])):
                best = (count, len(name), name, line)
    return None if best is None else (best[2], best[3], best[0])


def _capitalised_names(text: str) -> Iterator[str]:
    """Runs of two or more capitalised words (``The Moscow Times``, ``KJ Report``) in a line.

    A run at the start of a sentence counts only when it opens with "The":
    "A Message" or "Support Us" is no name. A possessive ``'s`` is dropped.
    """
    words = text.split()
    k = 0
    while k < len(words):
        start = k
        run: list[str] = []
        while k < len(words):
            word = words[k].lstrip("(\"'“«*_[")
            bare = word.rstrip(_WORD_PUNCTUATION)
            bare = _POSSESSIVE.sub("", bare)
            capital = bool(bare) and bare[0].isupper() and any(c.isalpha() for c in bare)
            if not (capital or (run and bare.lower() in _CONNECTORS)):
                break
            run.append(bare)
            k += 1
            if bare != word or not bare:  # punctuation or a possessive ends the name
                break
        while run and run[-1].lower() in _CONNECTORS:
            run.pop()
        if (start == 0 or words[start - 1].endswith((".", "!", "?", ":"))) and run[:1] != ["The"]:
            # A capital that opens a sentence says nothing: "Get the Black Sea Monitor" names "Black Sea Monitor".
            run = run[1:]
            while run and run[0].lower() in _CONNECTORS:
                run = run[1:]
        if len(run) >= 2:
            yield " ".join(run)
        k = max(k, start + 1)


def _name_shaped(text: str | None, words: int) -> bool:
    """Whether ``text`` could be a name: 1 to ``words`` words, a letter, no sentence, no digits."""
    if not text:
        return False
    stripped = text.strip()
    parts = stripped.split()
    return (
        0 < len(parts) <= words
        and any(c.isalpha() for c in stripped)
        and not any(c.isdigit() for c in stripped)
        and not stripped.endswith(("!", "?", ".", ":"))
    )


# --- the author --------------------------------------------------------------------------------


def _authors(present: list[Line], bylines: list[Line], under: Line | None) -> Iterator[tuple[str, str]]:
    """Names the bylines give (top to bottom), then a name on its own line after the last paragraph.

    ``under`` (the short line under the headline) has been read already, as an outlet or an author.
    """
    for line in bylines:
        if line is not under:
            name = _byline_name(line.text)
            if _name_shaped(name, words=5):
                yield name, f"byline: {quoted(line.text)}"
    last_kept = max((k for k, line in enumerate(present) if line.keep), default=None)
    if last_kept is not None and last_kept + 1 < len(present):
        line = present[last_kept + 1]
        if line.kind == "boilerplate" and line.reason == AFTER_THE_ARTICLE:
            name = _byline_name(line.text)
            if _name_shaped(name, words=4) and len(name.split()) >= 2 and _capitalised(name):
                yield name, f"name on its own line after the last paragraph: {quoted(line.text)}"


def _byline_name(text: str) -> str:
    """The first name a byline gives: ``Reporting by Selin Aksoy; Editing by Tom Hale`` → ``Selin Aksoy``."""
    name = _BY.sub("", text.strip(), count=1)
    return _NAME_END.sub("", name).strip(" \t*_" + _QUOTES)


def _capitalised(name: str) -> bool:
    """Every word starts with a capital, in scripts that have capitals (a name in Arabic has none to check)."""
    return all(word[0].isupper() or word[0].lower() == word[0].upper() for word in name.split())


# --- the date ----------------------------------------------------------------------------------


def _dates(
    present: list[Line], bylines: list[Line], head: list[Line], first_body: int | None, language: str | None
) -> Iterator[tuple[str, str]]:
    """Dates given by bylines, date lines under the headline and the dateline, each as written."""
    languages = [language] if language else None
    candidates = [(line, "byline") for line in bylines]
    candidates += [(line, "date line under the headline") for line in head if line.kind == "boilerplate"]
    for line, what in candidates:
        found = _date_in(line.text, languages)
        if found:
            yield found, f"{what}: {quoted(line.text)}"
    if first_body is not None:
        text = present[first_body].text
        match = _dateline(text) or _PLACE_DATELINE.match(text)
        written = match["when"] if match and not _lower(match["place"]) else None
        # A dateline's "March 14" has no year: it is left out rather than given this year's.
        when = parse_date(written.strip(" ,"), languages) if written and YEAR_OR_NUMERIC_DATE.search(written) else None
        if match and when and len(when) >= len("YYYY-MM-DD"):
            yield when, f"dateline: {quoted(match.group())}"


def _date_in(text: str, languages: list[str] | None) -> str | None:
    """The first full date (day, month and year) written in a line, as ISO 8601; with the time when it gives one.

    Only a date written with its year counts: dateparser also reads
    "heute" or "yesterday" as today's date, which no byline means.
    """
    if not YEAR_OR_NUMERIC_DATE.search(text) or len(text) > 200 or len(_NUMBERS.findall(text)) < 2:
        # Every full date has a year or is all digits, and its day is a number too ("FFH Bericht 2019" is
        # no date: searching such lines took most of the time of the facts); a long line is prose.
        return None
    from dateparser.search import search_dates  # type: ignore[import-untyped]  # imported late: about 0.1 s

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": ["custom-formats", "absolute-time"]}
    try:
        found = search_dates(text, languages=languages, settings=settings) or []
    except (ValueError, TypeError, OverflowError):
        found = []
    for written, when in found:
        if YEAR_OR_NUMERIC_DATE.search(written):
            return str(when.isoformat(timespec="minutes")) if _TIME.search(written) else str(when.date().isoformat())
    return None
