"""The reader in Turkish, Russian and Arabic: sentence steps, search, the list's filter, and pages the cleaner doubts.

The bundled sample has one article in each of these languages, written for
the project with the boilerplate a scraper leaves around them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pilot import SAMPLE, settle, until
from tui.app import DossierApp
from tui.core.document import open_document
from tui.core.passages import all_sentences
from tui.screens.search import SearchScreen

TURKISH = "08_turkish-gas-price-talks.txt"
RUSSIAN = "09_russian-black-sea-response.txt"
ARABIC = "10_arabic-syria-spur-reaction.txt"


@pytest.fixture
def notes(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return Path("notes")


@pytest.mark.parametrize(
    ("rel", "first", "second"),
    [
        (TURKISH, "Ankara ile Moskova arasındaki doğalgaz görüşmelerinin üçüncü turu Salı günü İstanbul'da sonuçsuz kaldı.",
         "Rus heyeti, Türkiye'nin"),
        (RUSSIAN, "Официальный представитель МИД России в среду заявил", "По его словам, корабли"),
        (ARABIC, "قال وزير النفط السوري يوم الأحد إن بلاده مستعدة", "وأضاف الوزير في مؤتمر صحفي"),
    ],
)
async def test_each_language_opens_cleaned_and_steps_by_sentence(notes, rel, first, second) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.reader.library.articles.highlight(rel)
        await pilot.press("enter")
        await settle(pilot)
        main = app.reader.main
        assert main.document.rel == rel and main.document.cleaned.language == {TURKISH: "tr", RUSSIAN: "ru", ARABIC: "ar"}[rel]
        await pilot.press("s")  # sentence steps
        sentences = []
        for _ in range(4):
            await pilot.press("j")
            start, end = main.view.selected
            sentences.append(main.view.text[start:end])
        # The first body sentence is a sentence: it starts the paragraph and ends at its full stop.
        body = next(s for s in sentences if s.startswith(first[:20]))
        assert body.startswith(first) or first.startswith(body[:40])
        assert body.rstrip().endswith((".", "؟", "!", "»", "“", "”")), body
        assert any(s.startswith(second) for s in sentences)
        await pilot.press("1")  # a tag on a sentence in any script lands on those words
        await settle(pilot)
        [ann] = main.document.annotations
        assert ann.target.exact == main.view.text[slice(*main.view.selected)]


def test_sentences_of_the_samples_never_split_inside_a_word() -> None:
    for rel in (TURKISH, RUSSIAN, ARABIC):
        text = open_document(SAMPLE, rel).cleaned.text
        for start, end in all_sentences(text):
            assert start == 0 or not text[start - 1].isalnum(), (rel, text[start - 5 : start + 20])
            assert end == len(text) or not text[end].isalnum(), (rel, text[end - 20 : end + 5])


@pytest.mark.parametrize(
    ("query", "rel"),
    [("istanbul", TURKISH), ("ISTANBUL", TURKISH), ("dogalgaz gorusme", TURKISH), ("фрегат", RUSSIAN),
     ("черноморск", RUSSIAN), ("مؤتمر صحفي", ARABIC)],
)
async def test_search_finds_words_typed_on_any_keyboard(notes, query, rel) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search")
        app.screen.query_one("#search-input").value = query
        await until(pilot, lambda: app.screen.result and app.screen.result.query == query, "the hits")
        paths = [hit.path for hit in app.screen.result.hits]
        assert rel in paths
        await pilot.press("enter")  # to the hits, then down to the first in that article
        await pilot.press(*["down"] * paths.index(rel), "enter")
        await settle(pilot)
        assert app.reader.main.document.rel == rel
        assert app.reader.main.view.highlights  # the words found are highlighted as written


async def test_the_list_filter_folds_as_search_does(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        library = app.reader.library
        articles = library.articles
        library.open_filter()
        for query, rel in (("istanbul", TURKISH), ("meridyen hatti", TURKISH), ("фрегатов", RUSSIAN), ("الخارجيه", None)):
            library.filter_line().value = query  # the title at once, the text from the corpus index
            await settle(pilot)
            shown = [articles.entries[i].rel for i in articles.shown]
            if rel is not None:
                assert rel in shown, query


async def test_a_page_the_cleaner_doubts_is_marked_in_the_list_and_shown_whole_on_a_key(tmp_path, notes) -> None:
    """Seven paragraphs lost among menus: the list marks the article, and R shows every line in the centre."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paragraphs = [
        "Die Regierung hat am Dienstag ein neues Gesetz zur Energieversorgung beschlossen, das ab dem kommenden Jahr gilt.",
        "Die Opposition kritisierte die Vereinbarung scharf und verlangte eine Debatte im Parlament noch vor der Sommerpause.",
        "Nach Angaben des Ministeriums sollen die Preise für Haushalte dadurch im Durchschnitt um vier Prozent sinken.",
        "Verbände der Industrie begrüßten den Beschluss, forderten aber weitere Entlastungen für energieintensive Betriebe.",
        "Umweltgruppen nannten das Gesetz einen ersten Schritt, der aber beim Ausbau der Netze zu wenig verlange.",
        "Die Länder müssen dem Gesetz im Bundesrat noch zustimmen, was nach Einschätzung von Beobachtern als sicher gilt.",
        "Im Herbst will die Regierung einen zweiten Entwurf vorlegen, der die Speicher für Gas und Strom regeln soll.",
    ]
    blocks = ["Neues Energiegesetz beschlossen"]
    for paragraph in paragraphs:
        blocks += [paragraph, *(f"Rubrik {n} mit Verweis" for n in range(30))]
    (corpus / "seite.txt").write_text("\n".join(blocks), encoding="utf-8")
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        entry = app.reader.library.articles.entry("seite.txt")
        assert "of this page's 7 paragraphs" in entry.warning
        assert "of this page's 7 paragraphs" in str(app.reader.query_one("#status").render())
        assert "⚠" in "".join(segment.text for segment in app.reader.library.articles.render_line(0))
        main = app.reader.main
        assert not all(p in main.view.text for p in paragraphs)
        await pilot.press("enter", "R")
        await settle(pilot)
        assert all(p in main.view.text for p in paragraphs) and "Whole page" in str(main.border_title)
        await pilot.press("G", "1")  # tagging works on the whole page: the words are the source's
        await settle(pilot)
        [ann] = main.document.annotations
        assert ann.target.exact == main.view.text[slice(*main.view.selected)]
        await pilot.press("R")
        await settle(pilot)
        assert not all(p in main.view.text for p in paragraphs) and "Whole page" not in str(main.border_title)
