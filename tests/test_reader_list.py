"""Pilot tests of the article list's facts: dates and outlets on its rows, the sort key, the filter's fields.

The corpus (``tests/list_corpus.py``) gives its articles' dates and outlets
in a manifest and in front matter; two articles are annotated and one has
an outlet set by the analyst, all before the reader starts, through the
command line. What is checked is what the list shows (its public state
and its drawn rows).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text

from tests.list_corpus import FILES, write_corpus
from tests.pilot import screen_text, settle, until
from tui.app import DossierApp
from tui.cli import main

A, B, C, D, E = FILES
QUOTES = ("Officials met on Tuesday", "Critics of the project said")


@pytest.fixture
def reader_corpus(tmp_path, monkeypatch, capsys) -> tuple[Path, Path]:
    """The corpus and its notes: D has two annotations (energy, security), B one (energy) and its outlet set by the analyst."""
    monkeypatch.chdir(tmp_path)
    corpus, notes = write_corpus(tmp_path / "corpus"), tmp_path / "notes"
    for rel, quote, tag in ((D, QUOTES[0], "energy"), (D, QUOTES[1], "security"), (B, QUOTES[0], "energy")):
        assert main(["annotate", str(corpus / rel), "--quote", quote, "--tag", tag, "--notes", str(notes)]) == 0
    assert main(["set", str(corpus / B), "--notes", str(notes), "--source", "Analyst Weekly"]) == 0
    capsys.readouterr()
    return corpus, notes


def subtitle(library) -> str:  # type: ignore[no-untyped-def]
    """The list's subtitle as it reads (an error is styled: its markup is left out)."""
    return Text.from_markup(str(library.border_subtitle)).plain


async def facts_shown(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the list holds every article's facts, the analyst's edit included."""
    await settle(pilot)
    articles = pilot.app.reader.library.articles
    await until(pilot, lambda: (articles.entry(B) or articles.entries[0]).facts.get("source") == "Analyst Weekly",
                "the analyst's outlet in the list")
    await settle(pilot)


async def test_each_row_shows_the_articles_date_and_outlet(reader_corpus) -> None:
    app = DossierApp(*reader_corpus)
    async with app.run_test(size=(120, 35)) as pilot:
        await facts_shown(pilot)
        articles = app.reader.library.articles
        drawn = screen_text(articles)
        assert "2016-12-20 · TASS · 100 w" in drawn
        assert "  2018-03 · Levant Led… · 99 w" in drawn  # a month as the month it is; the outlet cut to fit
        assert "2019-04-12 · Analyst Wee…" in drawn  # the analyst's outlet wins over the manifest's (Reuters)
        assert "Reuters" not in drawn
        assert "  Black Sea M… · 99 w · 2 ann." in drawn  # no date: none shown; the outlet cut to keep the count in sight
        assert articles.entry(E) is not None and "date" not in articles.entry(E).facts


async def test_s_cycles_the_lists_order_and_the_highlight_stays_on_its_article(reader_corpus) -> None:
    app = DossierApp(*reader_corpus)
    async with app.run_test(size=(120, 35)) as pilot:
        await facts_shown(pilot)
        library, articles = app.reader.library, app.reader.library.articles
        await pilot.press("j", "j")  # the highlight on C
        await settle(pilot)
        assert articles.current == C and articles.has_focus
        expected = [
            ("by date", [A, C, B, D, E]),  # oldest first, the undated last
            ("by title", [C, B, D, A, E]),  # Damascus, Frigates, Mayors, Pipeline, Zero
            ("by outlet", [B, D, C, A, E]),  # Analyst Weekly, Black Sea Monitor, Levant Ledger, TASS, none
            ("by annotations", [D, B, A, C, E]),  # 2, 1, then the rest in the corpus's order
            ("", FILES),
        ]
        for label, order in expected:
            await pilot.press("s")
            await settle(pilot)
            assert articles.shown_rels() == order, label
            assert library.border_title == (f"Articles · {label}" if label else "Articles")
            assert articles.current == C  # the same article, wherever it went
            assert app.reader.main.document.rel == C  # and nothing else was opened


async def test_the_order_holds_under_a_filter_and_the_filter_under_a_new_order(reader_corpus) -> None:
    app = DossierApp(*reader_corpus)
    async with app.run_test(size=(120, 35)) as pilot:
        await facts_shown(pilot)
        articles = app.reader.library.articles
        await pilot.press("s")  # by date
        await pilot.press("slash", *"-untagged")
        await settle(pilot)
        assert articles.shown_rels() == [B, D]
        await pilot.press("enter", "tab")  # back to the list ... the article pane has the focus after enter
        await settle(pilot)
        articles.focus()
        await pilot.press("s")  # by title
        await settle(pilot)
        assert articles.shown_rels() == [B, D] and articles.sort == "title"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("source:tass", [A]),
        ("outlet:analyst", [B]),  # the analyst's value is the one matched
        ("source:reuters", []),  # the manifest's value, overruled
        ('source:"black sea"', [D]),
        ("lang:ru", [A]),
        ("date:2018..2019", [B, C]),
        ("date:2018", [C]),
        ("date:..2017", [A]),
        ("tag:energy", [B, D]),
        ("tag:SECURITY", [D]),
        ("tag:(energy AND NOT security)", [B]),  # a tag expression over the article's tags
        ("-tag:(security OR energy)", [A, C, E]),
        ("untagged", [A, C, E]),
        ("-untagged", [B, D]),
        ("-source:tass -tag:energy", [C, E]),
        ("-date:2018..", [A, D, E]),  # undated articles pass a negated date
        ("shadow lang:en", [B]),  # a word in the title and a field
        ("officials -source:tass", [B, C, D, E]),  # a word only the index finds (in every text), less a field
    ],
)
async def test_the_filter_understands_fields(reader_corpus, typed, expected) -> None:
    app = DossierApp(*reader_corpus)
    async with app.run_test(size=(120, 35)) as pilot:
        await facts_shown(pilot)
        library = app.reader.library
        await pilot.press("slash", *typed)
        await settle(pilot)
        assert library.articles.shown_rels() == expected
        assert subtitle(library) == f"{len(expected)} match"
        assert not library.filter_line().has_class("-invalid")


async def test_a_negated_word_leaves_out_the_articles_whose_text_holds_it(reader_corpus) -> None:
    app = DossierApp(*reader_corpus)
    async with app.run_test(size=(120, 35)) as pilot:
        await facts_shown(pilot)
        await pilot.press("slash", *"-ankara")
        await settle(pilot)
        assert app.reader.library.articles.shown_rels() == [B, C, D, E]  # A's title holds it
        await pilot.press("escape", "slash", *"-spring")  # every text holds it (the index says so)
        await settle(pilot)
        assert app.reader.library.articles.shown_rels() == []


async def test_a_bad_or_half_typed_expression_keeps_the_last_list_and_says_why(reader_corpus) -> None:
    app = DossierApp(*reader_corpus)
    async with app.run_test(size=(120, 35)) as pilot:
        await facts_shown(pilot)
        library = app.reader.library
        await pilot.press("slash", *"tag:energy date:2016..2019")
        await settle(pilot)
        assert library.articles.shown_rels() == [B]
        await pilot.press("backspace", "backspace")  # half typed again: not a date yet
        await settle(pilot)
        assert library.articles.shown_rels() == [B]  # the last list that could be read stays
        assert subtitle(library) == "date:2016..20: not a date or range"
        assert library.filter_line().has_class("-invalid")
        await pilot.press(*"18")
        await settle(pilot)
        assert library.articles.shown_rels() == []
        assert subtitle(library) == "0 match" and not library.filter_line().has_class("-invalid")
        # Each keeps the list of the longest start of it that could be read: "untagged", nothing, the word "source".
        for bad, kept in (("untagged:yes", [A, C, E]), ("-", FILES), ("source:", [])):
            await pilot.press("escape", "slash", *bad)
            await settle(pilot)
            assert library.articles.shown_rels() == kept, bad
            assert subtitle(library).startswith(bad) and "\n" not in subtitle(library)
        await pilot.press("escape")
        await settle(pilot)
        assert library.articles.shown_rels() == FILES and subtitle(library) == ""


def test_the_help_says_what_s_does_in_the_list() -> None:
    from tui.screens.help import binding_rows
    from tui.widgets.article_list import ArticleList

    rows = binding_rows([("list", list(ArticleList.BINDINGS))])
    assert ("list", "s", "Sort by position, date, title, outlet, annotations (next)") in rows
