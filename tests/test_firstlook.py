"""Tests for ``tui.core.firstlook.FirstLook``: the listing and first article read in a thread."""

from __future__ import annotations

import threading

from tui.core import firstlook
from tui.core.cleaned import Cleaned
from tui.core.corpus import Article, CorpusError
from tui.core.firstlook import MAX_CHARS, FirstLook

FIRST = (
    "Home | News | Sport | Weather\n"
    "\n"
    "Harbour plans divide the town council\n"
    "\n"
    "The committee met on Tuesday to discuss the harbour plans for the coming year.\n"
    "\n"
    "Officials said the budget would be reviewed again in the spring by the council.\n"
)
SECOND = "The river burst its banks after a week of heavy rain across the northern valleys.\n"


def look_at(root) -> FirstLook:
    look = FirstLook(root)
    look.wait()
    return look


def test_lists_both_articles_and_cleans_the_first(tmp_path):
    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "b.md").write_text(SECOND, encoding="utf-8")
    look = look_at(tmp_path)
    assert look.error is None
    assert look.scan is not None
    assert look.scan.files == ["a.txt", "b.md"]
    assert isinstance(look.article, Article)
    assert look.article.rel == "a.txt"
    assert look.article.text == FIRST
    assert isinstance(look.cleaned, Cleaned)
    assert look.cleaned.text.strip()
    assert "committee met on Tuesday" in look.cleaned.text
    assert "Home | News" not in look.cleaned.text  # it was cleaned, not just read
    assert look.cleaned.title == "Harbour plans divide the town council"


def test_first_article_is_the_first_in_natural_order(tmp_path):
    (tmp_path / "10.txt").write_text(SECOND, encoding="utf-8")
    (tmp_path / "2.txt").write_text(FIRST, encoding="utf-8")
    look = look_at(tmp_path)
    assert look.scan.files == ["2.txt", "10.txt"]
    assert look.article.rel == "2.txt"


def test_empty_folder(tmp_path):
    look = look_at(tmp_path)
    assert look.error is None
    assert look.scan is not None
    assert look.scan.files == []
    assert look.article is None
    assert look.cleaned is None


def test_missing_folder_is_a_corpus_error(tmp_path):
    look = look_at(tmp_path / "nowhere")
    assert isinstance(look.error, CorpusError)
    assert "nowhere" in str(look.error)
    assert look.scan is None
    assert look.article is None
    assert look.ready()


def test_a_file_instead_of_a_folder_is_a_corpus_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(FIRST, encoding="utf-8")
    look = look_at(path)
    assert isinstance(look.error, CorpusError)
    assert look.article is None


def test_long_first_article_gives_its_opening_only(tmp_path):
    sentence = "The committee met on Tuesday to discuss the harbour plans for the coming year.\n\n"
    long_text = "Harbour plans\n\n" + sentence * (MAX_CHARS // len(sentence) + 2)
    assert len(long_text) > MAX_CHARS
    (tmp_path / "a.txt").write_text(long_text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(SECOND, encoding="utf-8")
    look = look_at(tmp_path)
    assert look.error is None
    assert look.scan.files == ["a.txt", "b.txt"]
    assert look.preview is True
    assert look.article is not None and look.article.text == long_text  # the whole text: the reader cleans it all
    assert look.cleaned is not None and look.cleaned.lines[0].text == "Harbour plans"
    assert look.cleaned.lines[-1].end < len(long_text) // 2  # only the opening is cleaned


def test_first_article_of_exactly_max_chars_is_read(tmp_path):
    text = ("x" * 79 + "\n") * (MAX_CHARS // 80)
    text += "y" * (MAX_CHARS - len(text))
    assert len(text) == MAX_CHARS
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    look = look_at(tmp_path)
    assert look.article is not None
    assert look.article.rel == "a.txt"


def test_binary_first_file_gives_no_article_and_no_error(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"PK\x03\x04\x00\x00binary\x00data\xff\xfe" * 20)
    (tmp_path / "b.txt").write_text(SECOND, encoding="utf-8")
    look = look_at(tmp_path)
    assert look.error is None
    assert look.scan.files == ["a.txt", "b.txt"]
    assert look.article is None
    assert look.cleaned is None
    assert look.ready()


def test_ready_after_wait(tmp_path):
    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    look = FirstLook(tmp_path)
    look.wait()
    assert look.ready() is True
    assert look.article is not None


def test_ready_is_false_until_the_listing_is_in(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    release = threading.Event()
    real_scan = firstlook.scan_corpus

    def slow_scan(root, measure=True, listed=None):
        release.wait(10)
        return real_scan(root, measure, listed)

    monkeypatch.setattr(firstlook, "scan_corpus", slow_scan)
    look = FirstLook(tmp_path)
    try:
        assert look.ready() is False  # never blocks, and the scan is held back
        assert look.scan is None
    finally:
        release.set()
    look.wait()
    assert look.ready() is True
    assert look.scan.files == ["a.txt"]
    assert look.article.rel == "a.txt"


def test_ready_even_when_the_thread_fails_unexpectedly(tmp_path, monkeypatch):
    """``wait`` must not hang when scanning raises something other than CorpusError."""

    def broken_scan(root):
        raise OSError("disk on fire")

    monkeypatch.setattr(firstlook, "scan_corpus", broken_scan)
    monkeypatch.setattr(threading, "excepthook", lambda args: None)  # the thread's traceback is expected
    look = FirstLook(tmp_path)
    waiter = threading.Thread(target=look.wait, daemon=True)
    waiter.start()
    waiter.join(10)
    assert not waiter.is_alive(), "FirstLook.wait() never returned"
    assert look.ready()
    assert look.article is None
    assert look.error is None


async def test_the_reader_shows_a_long_first_articles_opening_then_the_whole(tmp_path, monkeypatch):
    from tests.pilot import settle
    from tui.app import DossierApp
    from tui.widgets.late_footer import LateFooter

    previews: list[bool] = []  # what was on show when the footer's keys were drawn
    real = LateFooter.show_keys

    def show_keys(self: LateFooter) -> None:
        previews.append(self.screen.main.document.preview)  # type: ignore[attr-defined]
        real(self)

    monkeypatch.setattr(LateFooter, "show_keys", show_keys)

    paragraphs = [f"The committee met on day {n} to discuss harbour plan number {n} for the coming year." for n in range(2000)]
    long_text = "Harbour plans\n\n" + "\n\n".join(paragraphs) + "\n\nThe last paragraph of the report.\n"
    (tmp_path / "a.txt").write_text(long_text, encoding="utf-8")
    look = look_at(tmp_path)
    assert look.preview
    app = DossierApp(tmp_path, tmp_path / "notes", look)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)  # waits for the whole article: a preview on show is not settled
        doc = app.reader.main.document
        assert doc is not None and not doc.preview
        assert doc.cleaned.text.endswith("The last paragraph of the report.")
        assert previews[0] is True  # the keys came with the opening, not seconds later with the whole


async def test_a_long_first_article_is_cleaned_twice_at_most_and_never_waits_for_the_language_model(tmp_path, monkeypatch):
    """Cleaning 50 MB takes seconds and hundreds of megabytes: the reader cleans a long first article once
    without its language (not loading the 70 MB model for it), then once more in the language the corpus
    cache told, with the corpus's evidence; never twice at once, never a third time."""
    from tests.pilot import settle, until
    from tui.app import DossierApp
    from tui.reader import panes

    paragraphs = [f"The committee met on day {n} to discuss harbour plan number {n} for the coming year." for n in range(2000)]
    (tmp_path / "a.txt").write_text("Harbour plans\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("A short one\n\nThe committee met again and said little of note.\n", encoding="utf-8")
    languages: list[str | None] = []
    busy = threading.Semaphore(1)  # one cleaning at a time: a second one entering finds it taken
    overlapped: list[str] = []
    real = panes.clean_document

    def clean_document(article, overrides, annotations, evidence, language):  # type: ignore[no-untyped-def]
        if article.rel == "a.txt":
            languages.append(language)
            if not busy.acquire(blocking=False):
                overlapped.append(article.rel)
            try:
                return real(article, overrides, annotations, evidence, language)
            finally:
                busy.release()
        return real(article, overrides, annotations, evidence, language)

    monkeypatch.setattr(panes, "clean_document", clean_document)
    app = DossierApp(tmp_path, tmp_path / "notes", look_at(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        def in_its_language() -> bool:
            doc = app.reader.main.document
            return doc is not None and doc.rel == "a.txt" and doc.cleaned.language == "en"  # the cache's, once read

        await until(pilot, in_its_language, "the long article cleaned in the language the cache told")
        await settle(pilot)
    assert languages == ["und", "en"]
    assert not overlapped


def test_without_a_cache_the_folder_is_listed_before_the_thread_starts(tmp_path, monkeypatch):
    """The thread's os.scandir waited 5 ms for the GIL at each entry while Textual was imported: the folder
    is listed at once on the calling thread, and the thread sorts what was listed."""
    (tmp_path / "b.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    given: list[object] = []
    real_scan = firstlook.scan_corpus

    def scan(root, measure=True, listed=None):  # type: ignore[no-untyped-def]
        given.append(listed)
        return real_scan(root, measure, listed)

    monkeypatch.setattr(firstlook, "scan_corpus", scan)
    look = FirstLook(tmp_path, tmp_path / "notes")
    look.wait()
    assert look.scan is not None and look.scan.files == ["a.txt", "b.txt"]
    assert len(given) == 1 and sorted(entry.name for entry in given[0]) == ["a.txt", "b.txt"]  # type: ignore[attr-defined]


async def test_the_collector_is_on_again_once_the_first_screen_is_drawn(tmp_path):
    """The reader starts with the cycle collector off (``cli.run_reader``): it must not stay off."""
    import gc

    from tests.pilot import settle
    from tui.app import DossierApp

    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    gc.disable()
    try:
        app = DossierApp(tmp_path, tmp_path / "notes", look_at(tmp_path))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert gc.isenabled()
    finally:
        gc.enable()


def test_the_cached_listing_is_the_scan_whatever_the_names(tmp_path):
    """The cache's listing, read as one row, gives the scan's paths in the scan's order: accented names,
    a name with a byte that is no UTF-8 (stored escaped), numbers in natural order."""
    import contextlib
    import os

    from tui.core.cache.articles import up_to_date
    from tui.core.corpus import scan_corpus

    corpus, notes = tmp_path / "corpus", tmp_path / "notes"
    corpus.mkdir()
    notes.mkdir()
    names = ["10.txt", "9.txt", "é-2.txt", "Zürich.txt", "a.txt"]
    for name in names:
        (corpus / name).write_text(FIRST, encoding="utf-8")
    with contextlib.suppress(OSError):  # a file system that refuses such a name: the rest still counts
        (corpus / os.fsdecode(b"bad-\xff.txt")).write_text(FIRST, encoding="utf-8")
    scan = scan_corpus(corpus)
    up_to_date(notes, corpus, scan).close()
    look = FirstLook(corpus, notes)
    look.wait()
    assert look.scan is not None and look.scan.from_cache
    assert look.scan.files == scan.files and len(scan.files) >= len(names)


async def test_the_footers_keys_come_after_the_first_article_or_the_listings_error(tmp_path, monkeypatch):
    """The footer's 16 keys took the first screen's time: they are drawn once the article is, and
    drawn all the same when there is no article to wait for (the folder cannot be listed)."""
    from textual.widgets._footer import FooterKey

    from tests.pilot import settle, until
    from tui.app import DossierApp
    from tui.widgets.late_footer import LateFooter

    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    on_show: list[object] = []
    real = LateFooter.show_keys

    def show_keys(self: LateFooter) -> None:
        on_show.append(self.screen.main.document)  # type: ignore[attr-defined]
        real(self)

    monkeypatch.setattr(LateFooter, "show_keys", show_keys)
    app = DossierApp(tmp_path, tmp_path / "notes", look_at(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        footer = app.reader.query_one(LateFooter)
        await until(pilot, lambda: bool(footer.query(FooterKey)), "the footer's keys")
        assert on_show and on_show[0] is not None and on_show[0].rel == "a.txt"  # type: ignore[attr-defined]
        assert "Read" in {key.description for key in footer.query(FooterKey)}

    not_a_folder = tmp_path / "a.txt"
    app = DossierApp(not_a_folder, tmp_path / "notes2")
    async with app.run_test(size=(100, 30)) as pilot:
        footer = app.reader.query_one(LateFooter)
        await until(pilot, lambda: bool(footer.query(FooterKey)), "the footer's keys without an article")
        assert app.reader.main.document is None
