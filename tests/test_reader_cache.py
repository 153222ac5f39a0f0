"""Pilot tests of the reader with its corpus cache: what a restart reads again, what edits change, a damaged cache.

The cache is checked on disk (``notes/cache/corpus-*.sqlite``) and through
what the reader shows: a restart that re-cleaned every article would be
invisible on screen, so the cleaning function is replaced by one that
fails the test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.pilot import SAMPLE, open_first, settle, until
from tui.app import DossierApp
from tui.core import language
from tui.core.cache import analyse as analyse_module
from tui.core.cache import refresh
from tui.core.cache.corpus_cache import READ
from tui.core.cache.notes_index import note_counts
from tui.core.firstlook import FirstLook
from tui.core.notes.store import Store
from tui.reader import library_messages
from tui.reader.editing import Editing

TURKISH, RUSSIAN = "08_turkish-gas-price-talks.txt", "09_russian-black-sea-response.txt"


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE, folder)
    return folder


@pytest.fixture
def notes(tmp_path) -> Path:
    return tmp_path / "notes"


def cache_files(notes: Path) -> list[Path]:
    return sorted((notes / "cache").glob("corpus-*.sqlite"))


async def read_everything(app: DossierApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await until(pilot, lambda: app.reader.library.search is not None, "the cache to open")
    await until(pilot, lambda: all(e.words is not None for e in app.reader.library.articles.entries), "every row")


async def test_the_cache_is_made_beside_the_notes_and_a_restart_cleans_nothing(corpus, notes, monkeypatch) -> None:
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
        titles = [entry.title for entry in app.reader.library.articles.entries]
    assert len(cache_files(notes)) == 1
    assert (notes / "cache" / ".gitignore").read_text().strip() == "*"
    assert not any(title.endswith(".txt") for title in titles)  # every row has its article's title

    def no_cleaning(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("an unchanged article was read again")

    monkeypatch.setattr(refresh, "analyse", no_cleaning)
    monkeypatch.setattr(analyse_module, "analyse", no_cleaning)
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
        assert [entry.title for entry in app.reader.library.articles.entries] == titles
        result = app.reader.library.search.search("pipeline")
        assert result.hits and result.total >= 1


async def test_a_restart_cleans_each_article_in_the_language_the_cache_identified(corpus, notes, monkeypatch) -> None:
    """The cache identified each article's language from its text: the reader cleans in it, never loading the model for it.

    (The first screen is cleaned before the cache is open, without a language, then again in the one the cache told.)
    """
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
    asked: list[str] = []
    identify = language.identify
    monkeypatch.setattr(language, "identify", lambda text: asked.append(text) or identify(text))
    app = DossierApp(corpus, notes, FirstLook(corpus, notes))  # as the command line starts it
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
        main, cache = app.reader.main, app.reader.library.cache
        first = main.wanted
        # The first screen was cleaned before the cache was open ("und"): it is cleaned again, in its language.
        await until(pilot, lambda: main.document is not None and main.document.cleaned.language == "en", "the first article in English")
        for rel, code in ((TURKISH, "tr"), (RUSSIAN, "ru")):
            main.open(rel)
            await settle(pilot)
            await until(pilot, lambda rel=rel: main.document is not None and main.document.rel == rel, rel)
            assert main.document.cleaned.language == code == cache.language(rel, main.document.article.sha256)
            assert main.document.recleaned({1: False}).cleaned.language == code  # an override keeps the language too
        assert cache.language(first, "0" * 64) is None  # another text at that path: identified again when cleaned
    assert asked == []


async def test_a_file_added_between_runs_is_read_listed_and_found(corpus, notes) -> None:
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
    (corpus / "99_new.txt").write_text(
        "Harbour pilots strike in Samsun\n\nThe harbour pilots of Samsun stopped work on Monday over a zanzibarite dispute.\n",
        encoding="utf-8",
    )
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
        entry = app.reader.library.articles.entry("99_new.txt")
        assert entry is not None and entry.title == "Harbour pilots strike in Samsun"
        hits = app.reader.library.search.search("zanzib").hits
        assert [(hit.path, hit.kind) for hit in hits] == [("99_new.txt", "text")]
        text = (corpus / "99_new.txt").read_text(encoding="utf-8")
        [(start, end)] = hits[0].matches
        assert text[start:end] == "zanzib"  # the prefix typed, in source offsets


async def test_a_tag_and_a_note_reach_the_cache_counts_and_note_search(corpus, notes) -> None:
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
        await open_first(pilot)
        rel = app.reader.main.document.rel
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("n", *"quarantined", "space", *"turbines", "ctrl+s")
        await settle(pilot)
        library = app.reader.library
        assert library.cache is not None
        assert note_counts(library.cache)[rel] == (1, ("energy",))
        hits = library.search.search("quarantined").hits
        assert [(hit.path, hit.kind) for hit in hits] == [(rel, "note")]
    # The next start reads the notes folder itself and agrees.
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
        assert note_counts(app.reader.library.cache)[rel] == (1, ("energy",))
        entry = app.reader.library.articles.entry(rel)
        assert entry is not None and (entry.notes, entry.tags) == (1, ("energy",))


async def test_a_damaged_cache_is_rebuilt_not_trusted(corpus, notes) -> None:
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
    [path] = cache_files(notes)
    for extra in path.parent.glob(path.name + "-*"):
        extra.unlink()
    path.write_bytes(b"this is not a database" * 500)
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
        assert app.reader.library.search.search("pipeline").hits
        cache = app.reader.library.cache
        assert cache is not None
        assert {row.state for row in cache.rows()} == {READ}


async def test_deleting_the_cache_while_nothing_runs_is_safe(corpus, notes) -> None:
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
    shutil.rmtree(notes / "cache")
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
        assert len(app.reader.library.search) == len([p for p in corpus.iterdir() if p.name != "dossier.csv"])  # the manifest is no article


async def test_reading_progress_shows_in_the_status_line_until_done(corpus, notes) -> None:
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(160, 35)) as pilot:
        await read_everything(app, pilot)
        status = app.reader.status
        app.reader.library.post_message(library_messages.Progress(1234))
        await until(pilot, lambda: "reading the corpus: 1,234 to go" in str(status.render()), "the progress")
        app.reader.library.post_message(library_messages.Progress(0))
        await until(pilot, lambda: "to go" not in str(status.render()), "the progress to go")



async def test_the_notes_follow_the_corpus_only_when_it_changed(corpus, notes, monkeypatch) -> None:
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
        await open_first(pilot)
        rel = app.reader.main.document.rel
        await pilot.press("2")
        await settle(pilot)
        assert app.reader.library.cache.followed()
    (corpus / rel).rename(corpus / f"renamed-{rel}")  # the same text under another name
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
        await settle(pilot)
        entry = app.reader.library.articles.entry(f"renamed-{rel}")
        assert entry is not None and entry.notes == 1  # the annotation followed the file
    with Store.open(notes, mode="read") as store:
        assert [a.tags for a in store.annotations(f"renamed-{rel}")] == [("energy",)]
    followed: list[int] = []
    monkeypatch.setattr(Editing, "follow_corpus", lambda self, refs: followed.append(len(refs)))
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
        await settle(pilot)
    assert followed == []  # nothing changed: nothing to follow, and no article's notes read for it


async def test_a_restart_lists_from_the_cache_then_shows_files_added_and_gone(corpus, notes) -> None:
    app = DossierApp(corpus, notes, FirstLook(corpus, notes))
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
    look = FirstLook(corpus, notes)
    look.wait()
    assert look.scan is not None and look.scan.from_cache  # the last run's listing, no scan
    (corpus / "00_first.txt").write_text("An article added since\n\nIt was written after the last run of the reader.\n")
    gone = sorted(p.name for p in corpus.iterdir())[-1]
    (corpus / gone).unlink()
    app = DossierApp(corpus, notes, FirstLook(corpus, notes))
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
        rels = [entry.rel for entry in app.reader.library.articles.entries]
        assert rels[0] == "00_first.txt" and gone not in rels
        assert app.reader.library.articles.entry("00_first.txt").title == "An article added since"


async def test_a_relisting_keeps_the_highlight_on_its_article_and_never_past_the_list(corpus, notes) -> None:
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
        library, articles = app.reader.library, app.reader.library.articles
        files = list(library.files)
        articles.highlight(files[-1])
        library.post_message(library_messages.Relisted(files[:3]))  # the highlighted article is gone
        await until(pilot, lambda: len(articles.entries) == 3, "the shorter list")
        assert articles.current == files[0]
        articles.highlight(files[1])
        library.post_message(library_messages.Relisted(["00_new.txt", *files[:3]]))  # one added in front of it
        await until(pilot, lambda: len(articles.entries) == 4, "the longer list")
        assert articles.current == files[1]


async def test_a_filter_of_punctuation_alone_matches_titles_only(corpus, notes) -> None:
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await read_everything(app, pilot)
        library = app.reader.library
        library.open_filter()
        library.filter_line().value = "§"  # no word: the index has nothing to say, no title holds it
        await settle(pilot)
        assert library.articles.shown == []
