"""An article's facts: where each comes from, which wins, and what the text, the page and front matter give."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.catalogue import extract_facts, facts_for
from tui.core.clean import clean_text
from tui.core.corpus import read_article
from tui.core.document import clean_document
from tui.core.facts import (
    KEYS,
    ORIGINS,
    Fact,
    FactError,
    Facts,
    analyst_facts,
    canonical_key,
    front_matter,
    front_matter_facts,
    html_facts,
    iso_date,
    make_fact,
    merge_facts,
    normalise_language,
    parse_date,
)
from tui.core.facts_text import copyright_owner, text_facts


def facts_of(text: str, metadata: dict[str, str] | None = None) -> Facts:
    cleaned = clean_text(text)
    return extract_facts(text, metadata or {}, cleaned.lines, cleaned.language)


# --- precedence ------------------------------------------------------------------------------


def test_the_analyst_wins_then_the_manifest_then_front_matter_then_html_then_text() -> None:
    layers = [Facts((Fact("source", origin, origin, "why"),)) for origin in reversed(ORIGINS)]
    merged = merge_facts(*layers)
    assert merged.get("source") == "analyst"
    for n in range(len(ORIGINS)):
        assert merge_facts(*layers[: n + 1]).get("source") == ORIGINS[-1 - n]
    assert len(merged.found) == len(ORIGINS)  # every value is kept, so a reader can show what was overruled


def test_an_analyst_clears_a_wrong_value_and_a_typo_loses_only_itself() -> None:
    extracted = Facts((Fact("author", "Donate Now", "text", "byline: 'Donate Now'"),))
    edits = analyst_facts({"Author": "", "date": "twentieth of never", "Source": "The World"})
    merged = extracted.merged(edits)
    assert merged.get("author") is None and merged.fact("author") == Fact("author", "", "analyst", "cleared by the analyst")
    assert merged.get("source") == "The World" and merged.fact("source").origin == "analyst"
    assert merged.get("date") is None and merged.warnings == ("analyst's date: not a date: 'twentieth of never'",)
    assert merged.to_json()["author"] == {"value": None, "origin": "analyst", "reason": "cleared by the analyst"}


origins = st.sampled_from(ORIGINS)
keys = st.sampled_from(["date", "source", "author", "url", "language", "section"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(keys, st.text(min_size=1, max_size=5), origins), max_size=12))
def test_the_value_of_a_key_is_its_strongest_origins_first_fact(entries) -> None:
    facts = Facts(tuple(Fact(k, v, o, "") for k, v, o in entries))
    for key in {k for k, _, _ in entries}:
        mine = [(ORIGINS.index(o), n, v) for n, (k, v, o) in enumerate(entries) if k == key]
        expected = min(mine)[2]
        assert facts.fact(key).value == expected
    assert set(facts.contract()) == set(KEYS)


def test_other_names_for_the_five_attributes_and_other_keys() -> None:
    assert [canonical_key(k) for k in ("Outlet", " Publisher ", "LINK", "lang", "Date Published", "Section ")] == [
        "source", "source", "url", "language", "date", "section"]
    facts = Facts((Fact("section", "Energy", "manifest", ""), Fact("source", "TASS", "text", "")))
    assert facts.keys() == ["source", "section"] and facts.values() == {"source": "TASS", "section": "Energy"}
    assert facts.contract() == {"date": None, "source": "TASS", "author": None, "url": None, "language": None}


# --- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2016-12-20", "2016-12-20"),
        ("2016-12", "2016-12"),
        ("2016", "2016"),
        ("2016-12-20T09:30", "2016-12-20T09:30"),
        ("2016-12-20 09:30:15", "2016-12-20T09:30:15"),
        ("2016-12-20T09:30:00Z", "2016-12-20T09:30+00:00"),
        ("2016-12-20T09:30+03:00", "2016-12-20T09:30+03:00"),
        ("2016-13-01", None),
        ("2016-02-30", None),
        ("2016-13", None),
        ("20x9", None),
    ],
)
def test_iso_dates_are_read_exactly(written: str, iso: str | None) -> None:
    assert iso_date(written) == iso


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.none() | st.just(UTC)))
def test_any_iso_moment_reads_back_as_itself(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    assert iso_date(moment.date().isoformat()) == moment.date().isoformat()
    read = iso_date(moment.isoformat())
    assert read is not None and datetime.fromisoformat(read) == moment


@pytest.mark.parametrize(
    ("written", "languages", "iso"),
    [
        ("20 December 2016", None, "2016-12-20"),
        ("Dec. 20, 2016", ["en"], "2016-12-20"),
        ("20 декабря 2016 года", ["ru"], "2016-12-20"),
        ("14 Mayıs 2024", ["tr"], "2024-05-14"),
        ("14 مايو 2024", ["ar"], "2024-05-14"),
        ("December 2016", ["en"], "2016-12"),
        ("20 декабря 2016, 14:05", ["ru"], "2016-12-20T14:05"),
        ("March 14", ["en"], None),  # no year: not guessed
        ("Donate now", ["en"], None),
    ],
)
def test_dates_in_words_in_several_languages(written: str, languages, iso: str | None) -> None:
    assert parse_date(written, languages) == iso


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30))
def test_reading_a_date_never_raises(text: str) -> None:
    result = parse_date(text, ["en"])
    assert result is None or iso_date(result) == result


def test_make_fact_normalises_and_refuses_a_date_that_is_none() -> None:
    assert make_fact("Lang", "en-GB", "manifest", "") == Fact("language", "en", "manifest", "")
    assert make_fact("author", "  Jane \n  Doe ", "text", "") == Fact("author", "Jane Doe", "text", "")
    assert make_fact("url", "   ", "html", "") is None
    with pytest.raises(FactError, match=r"date: not a date: '20x9'"):
        make_fact("date", "20x9", "manifest", "")
    assert normalise_language("Русский") == "русский"


# --- front matter ----------------------------------------------------------------------------


FRONT = """---
title: "Fishermen push back: a \\"landfall\\" fight"
date: 2024-06-01   # the print edition
source: 'The Aegean Observer'
authors:
  - Katerina Stavrou
  - Nikos Andreadis
tags: [energy, Crete]
summary: |
  a block
nested:
  key: value
url: https://aegean-observer.example/meridian-landfall
empty:
---
# Fishermen and mayors in Crete push back against Meridian landfall
"""


def test_front_matter_simple_subset() -> None:
    pairs, warnings, lines = front_matter(FRONT)
    assert pairs == {
        "title": 'Fishermen push back: a "landfall" fight',
        "date": "2024-06-01",
        "source": "The Aegean Observer",
        "authors": "Katerina Stavrou; Nikos Andreadis",
        "tags": "energy; Crete",
        "url": "https://aegean-observer.example/meridian-landfall",
    }
    assert lines == FRONT.split("\n").index("---", 1) + 1
    assert warnings == [
        "front matter line 9: 'summary': only one-line values are read, skipped",
        "front matter line 10: not a simple 'key: value' line, skipped: 'a block'",
        "front matter line 12: not a simple 'key: value' line, skipped: 'key: value'",
    ]
    facts = front_matter_facts(FRONT)
    assert facts.get("author") == "Katerina Stavrou; Nikos Andreadis" and facts.fact("author").origin == "front-matter"
    assert facts.fact("date").reason == "front matter: 'date: 2024-06-01'"


@pytest.mark.parametrize("text", ["no front matter\n---\nkey: value\n---\n", "---\nkey: value\nnever closed\n", "---", ""])
def test_no_front_matter(text: str) -> None:
    assert front_matter(text) == ({}, [], 0)


simple_keys = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
simple_values = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=20).map(str.strip).filter(
    lambda v: v and v not in ("~", "null"))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(simple_keys, simple_values, max_size=6))
def test_front_matter_reads_back_what_was_written(pairs: dict[str, str]) -> None:
    escaped = {k: v.replace("\\", "\\\\").replace('"', '\\"') for k, v in pairs.items()}
    text = "---\n" + "".join(f'{k}: "{v}"\n' for k, v in escaped.items()) + "---\nBody\n"
    assert front_matter(text)[:2] == (pairs, [])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_front_matter_never_raises(text: str) -> None:
    front_matter_facts("---\n" + text + "\n---\n")
    front_matter(text)


# --- the page's metadata --------------------------------------------------------------------


URL_05 = "https://meridian-wire.example/security/2024/05/14/hatay-compressor-blast"


def test_html_metadata_of_the_sample_page(sample_corpus) -> None:
    article = read_article(sample_corpus, "05_compressor-blast-inquiry.html")
    facts = html_facts(article.metadata)
    assert facts.contract() == {"date": "2024-05-14", "source": "Meridian Wire", "author": "Murat Şahin", "url": URL_05, "language": "en"}
    assert facts.fact("source").reason == "page metadata, site name: 'Meridian Wire'"  # og:site_name
    assert facts.fact("url").reason == f"page metadata, canonical URL: '{URL_05}'"
    assert facts.get("categories") == "Security"  # article:section
    assert facts.fact("language").reason == "page metadata, <html lang>: 'en'"


PAGE = """<!DOCTYPE html><html lang="ru-RU"><head><title>Москва и Анкара | ТАСС</title>
<meta property="og:site_name" content="ТАСС">
<meta property="article:published_time" content="2019-04-12T09:30:00+03:00">
<meta name="author" content="Иван Петров">
<meta name="keywords" content="газ, Турция">
<link rel="canonical" href="https://tass.ru/politika/123">
</head><body><article><h1>Москва и Анкара</h1>
<p>Россия и Турция в пятницу обсудили поставки газа по Турецкому потоку, сообщили в министерстве энергетики.</p>
<p>Стороны договорились продолжить переговоры в мае, добавили в ведомстве.</p></article></body></html>"""


def test_html_metadata_is_kept_on_the_article(tmp_path) -> None:
    (tmp_path / "tass.html").write_text(PAGE, encoding="utf-8")
    article = read_article(tmp_path, "tass.html")
    assert article.metadata["lang"] == "ru-RU" and article.metadata["sitename"] == "ТАСС"
    facts = html_facts(article.metadata)
    assert facts.get("source") == "ТАСС" and facts.get("language") == "ru" and facts.get("url") == "https://tass.ru/politika/123"
    assert facts.get("date") is not None and facts.get("date").startswith("2019-04-12")
    assert facts.get("author") == "Иван Петров"
    assert read_article(tmp_path, "tass.html") == article  # metadata is not compared: the same bytes give it


def test_a_bad_html_date_is_a_warning() -> None:
    facts = html_facts({"date": "yesterday-ish", "author": "A B"})
    assert facts.get("author") == "A B" and facts.get("date") is None
    assert facts.warnings == ("page metadata: date: not a date: 'yesterday-ish'",)


# --- the text --------------------------------------------------------------------------------


SAMPLE_FACTS = {
    "01_pipeline-deal-signed.txt": ("Caspian Courier", "Leyla Hasanova", "en"),
    "02_black-sea-patrols.txt": ("Black Sea Monitor", None, "en"),
    "03_syria-spur-proposal.txt": ("Levant Ledger", "Rami Nassar", "en"),
    "04_greek-landfall-protests.md": ("The Aegean Observer", "Katerina Stavrou", "en"),
    "06_eu-funding-vote.txt": ("Euxine Review", "Sofia Marinescu", "en"),
    "07_wire-transit-deal.txt": ("Meridian Wire", "Selin Aksoy", "en"),
    "08_turkish-gas-price-talks.txt": ("Ankara Ekonomi Postası", "Selin Kaya", "tr"),
    "09_russian-black-sea-response.txt": ("Черноморский вестник", "Анна Морозова", "ru"),
    "10_arabic-syria-spur-reaction.txt": ("صحيفة الشرق الجديد", "رنا الخطيب", "ar"),
}


@pytest.mark.parametrize("rel", sorted(SAMPLE_FACTS))
def test_the_sample_articles_give_their_outlet_and_author_in_their_text(sample_corpus, rel: str) -> None:
    document = clean_document(read_article(sample_corpus, rel))
    facts = text_facts(document.cleaned.lines, document.cleaned.language)
    assert (facts.get("source"), facts.get("author"), facts.get("language")) == SAMPLE_FACTS[rel]
    assert all(f.origin == "text" and f.reason for f in facts.found)


def test_reasons_quote_the_line_they_read(sample_corpus) -> None:
    def reasons(rel: str) -> dict[str, str]:
        document = clean_document(read_article(sample_corpus, rel))
        facts = text_facts(document.cleaned.lines, document.cleaned.language)
        return {key: facts.fact(key).reason for key in ("source", "author")}

    assert reasons("08_turkish-gas-price-talks.txt") == {
        "source": "copyright line: '© 2024 Ankara Ekonomi Postası. Tüm hakları saklıdır.'",
        "author": "name on its own line after the last paragraph: 'Selin Kaya'",
    }
    assert reasons("07_wire-transit-deal.txt") == {
        "source": "dateline: 'ANKARA, March 14, 2024 (Meridian Wire) -'", "author": "byline: 'By Selin Aksoy'"}
    document = clean_document(read_article(sample_corpus, "07_wire-transit-deal.txt"))
    date = text_facts(document.cleaned.lines, document.cleaned.language).fact("date")
    assert (date.value, date.reason) == ("2024-03-14", "dateline: 'ANKARA, March 14, 2024 (Meridian Wire) -'")
    assert reasons("01_pipeline-deal-signed.txt")["source"] == (
        "outlet line under the headline: 'Caspian Courier', named again on the page")


SEEDS = {
    "000_09d34bf827547fbd.txt": ("The World", "outlet line under the headline: 'The World', named again on the page"),
    "001_8bff4d474a997734.txt": ("Baonghean", "dateline: '(Baonghean) -'"),
    "002_54167740fc0385da.txt": ("KJ Report", "appeal or footer naming the outlet"),
    "003_2bddf9498a4b45a3.txt": ("The Moscow Times", "appeal or footer naming the outlet"),
}


def test_the_shared_seeds_give_their_outlet_in_their_text(shared_corpus) -> None:
    for rel, (outlet, reason) in SEEDS.items():
        document = clean_document(read_article(shared_corpus, rel))
        fact = text_facts(document.cleaned.lines, document.cleaned.language).fact("source")
        assert fact is not None and fact.value == outlet and fact.reason.startswith(reason), rel
    # 004 names no outlet anywhere in its text (its foot is a comment form): none is made up.
    document = clean_document(read_article(shared_corpus, "004_e4c72ec846e27287.txt"))
    assert text_facts(document.cleaned.lines, document.cleaned.language).get("source") is None


@pytest.mark.parametrize(
    ("line", "owner"),
    [
        ("© 2024 Meridian Wire. All rights reserved.", "Meridian Wire"),
        ("Copyright © 2016-2024 The Moscow Times | About us", "The Moscow Times"),
        ("© Reuters 2024", "Reuters"),
        ("جميع الحقوق محفوظة © 2024 صحيفة الشرق الجديد", "صحيفة الشرق الجديد"),
        ("Meridian Wire © 2024", "Meridian Wire"),
        ("© 2024. All rights reserved.", None),
        ("© 2024 This site uses cookies to give you the best experience on our pages and to measure traffic.", None),
    ],
)
def test_copyright_owner(line: str, owner: str | None) -> None:
    assert copyright_owner(line) == owner


def test_dates_from_a_byline_and_a_dateline() -> None:
    text = ("Ankara and Moscow agree on a new gas price formula\n\nBy Murat Şahin · 14 May 2024 10:30\n\n"
            "Turkey and Russia agreed on Tuesday to tie the price of gas to a basket of oil products, officials said.\n\n"
            "The deal covers deliveries through the TurkStream pipeline for the next five years, they said.\n")
    facts = facts_of(text)
    assert facts.get("date") == "2024-05-14T10:30" and facts.get("author") == "Murat Şahin"
    assert facts.fact("date").reason == "byline: 'By Murat Şahin · 14 May 2024 10:30'"
    dateline = ("Moscow answers Ankara's protest over frigates\n\n"
                "МОСКВА, 20 декабря 2016 (ТАСС) - Официальный представитель МИД России в среду заявил, что фрегаты "
                "находились в районе учений.\n\nРоссийская сторона ответит на ноту в установленном порядке, добавил он.\n")
    facts = facts_of(dateline)
    assert facts.get("source") == "ТАСС" and facts.get("date") == "2016-12-20"
    assert facts.fact("date").reason.startswith("dateline: 'МОСКВА, 20 декабря 2016 (ТАСС) -")


@pytest.mark.parametrize("byline", ["By Anna Smith · 3 days ago · 2019 edition", "By Anna Smith · today, 12 comments since 2019"])
def test_a_relative_date_in_a_byline_is_no_publication_date(byline: str) -> None:
    """dateparser reads "3 days ago" and "today" as dates counted from now: the day the page is read, never its date."""
    body = ("The government reset the rules for new buildings and the funding for efficient homes this week. " * 3) + "\n"
    assert facts_of(f"Funding for buildings halted\n\n{byline}\n\n{body}").get("date") is None
    dated = facts_of(f"Funding for buildings halted\n\nBy Anna Smith · 20 December 2016, 14:05\n\n{body}")
    assert dated.get("date") == "2016-12-20T14:05"


def test_a_dateline_in_prose_is_not_an_outlet() -> None:
    text = ("Talks resume\n\nOfficials (who declined to be named) - said the talks would resume on Monday in Ankara.\n\n"
            "Both sides expect a long negotiation over the price of gas and the route of the line.\n")
    assert facts_of(text).get("source") is None


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(list("©()-–\n ")), max_size=300))
def test_reading_facts_from_any_text_never_raises(text: str) -> None:
    facts = facts_of(text)
    assert all(f.origin in ORIGINS and f.value for f in facts.found)


# --- everything together ---------------------------------------------------------------------


def test_front_matter_wins_over_the_text_and_the_analyst_over_everything(tmp_path, sample_corpus) -> None:
    source = (sample_corpus / "04_greek-landfall-protests.md").read_text(encoding="utf-8")
    body = source.split("\n", front_matter(source)[2])[-1]  # without the sample's own front matter
    front = "---\ndate: 2024-06-01\nsource: Aegean Observer (print)\nurl: https://aegean-observer.example/landfall\n---\n"
    (tmp_path / "a.md").write_text(front + body, encoding="utf-8")
    article = read_article(tmp_path, "a.md")
    document = clean_document(article)
    facts = facts_for(article.text, article.metadata, document.cleaned.lines, document.cleaned.language,
                      manifest=Facts((Fact("author", "K. Stavrou", "manifest", "dossier.csv, row 2"),)),
                      analyst={"date": "2024-06-02"})
    assert facts.contract() == {"date": "2024-06-02", "source": "Aegean Observer (print)", "author": "K. Stavrou",
                                "url": "https://aegean-observer.example/landfall", "language": "en"}
    assert [facts.fact(k).origin for k in KEYS] == ["analyst", "front-matter", "manifest", "front-matter", "text"]
    assert document.title == "Fishermen and mayors in Crete push back against Meridian landfall"  # the headline is still found


def test_a_copied_sample_keeps_its_facts(tmp_path, sample_corpus) -> None:
    shutil.copy(sample_corpus / "05_compressor-blast-inquiry.html", tmp_path / "page.html")
    article = read_article(tmp_path, "page.html")
    document = clean_document(article)
    facts = extract_facts(article.text, article.metadata, document.cleaned.lines, document.cleaned.language)
    assert facts.fact("language").origin == "html"  # <html lang> wins over the language identified in the text
    assert [f.origin for f in facts.found if f.key == "language"] == ["html", "text"]
    assert facts.contract() == {"date": "2024-05-14", "source": "Meridian Wire", "author": "Murat Şahin", "url": URL_05, "language": "en"}
