"""Pilot tests of the reader: real keys pressed, then what the store saved on disk.

Each test reads the notes back with a second, read-only ``Store`` (the app
holds the write lock), so what is checked is what a crash would leave.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from tests.pilot import FIRST, PATIENCE, SAMPLE, SECOND_PARAGRAPH, open_first, saved, screen_text, settle, until
from tui.app import DossierApp
from tui.core.notes.history import History
from tui.core.notes.store import Store
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.raw_view import RawView


@pytest.fixture
def notes(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return Path("notes")


async def test_number_keys_toggle_tags_and_undo_redo(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("1")
        await settle(pilot)
        [ann] = saved(notes)
        assert ann.tags == ("security",) and ann.target.exact.startswith(SECOND_PARAGRAPH)
        await pilot.press("2")
        await settle(pilot)
        assert saved(notes)[0].tags == ("security", "energy")
        await pilot.press("1")
        await settle(pilot)
        assert saved(notes)[0].tags == ("energy",)
        await pilot.press("u")
        await settle(pilot)
        assert saved(notes)[0].tags == ("security", "energy")
        await pilot.press("u", "u")
        await settle(pilot)
        assert saved(notes) == []
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert saved(notes)[0].tags == ("security",)
        assert "saved" in str(app.reader.query_one("#status").render())
        # The passage is drawn with its chip under it.
        assert "[security]" in screen_text(app.reader.query_one(ArticleView))


async def test_extend_trim_and_escape_change_what_is_tagged(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("J", "h", "h", "L", "4")
        await settle(pilot)
        [ann] = saved(notes)
        assert ann.target.exact.startswith("and Azerbaijan signed")
        assert ann.target.exact.endswith("Turkish grid operator the right to take up to a fifth of the flow for")
        assert ann.tags == ("diplomacy",)
        await pilot.press("escape", "s", "3")  # back to the cursor's passage, in sentence steps
        await settle(pilot)
        sentence = next(a for a in saved(notes) if a.tags == ("Syria",))
        assert sentence.target.exact.startswith("The deal, initialled") and sentence.target.exact.endswith("domestic use.")


async def test_note_editor_saves_with_ctrl_s_and_cancels_with_escape(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("n", *"Tariff", "space", *"deal", "ctrl+s")
        await settle(pilot)
        assert [a.note for a in saved(notes)] == ["Tariff deal"]
        await pilot.press("n", *"xyz", "escape")
        await settle(pilot)
        assert [a.note for a in saved(notes)] == ["Tariff deal"]
        await pilot.press("u")
        await settle(pilot)
        assert saved(notes) == []


async def test_override_keeps_a_dropped_line_and_undo_drops_it_again(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "tab")  # the raw pane, its cursor on the title line
        assert app.focused is app.reader.query_one(RawView)
        await pilot.press("j", "j", "j")  # line 4: a photo caption the cleaner dropped
        assert app.reader.query_one(RawView).current_line.kind == "caption"
        await pilot.press("o")
        await settle(pilot)
        with Store.open(notes, mode="read") as store:
            assert store.overrides(FIRST) == {4: True}
        assert "Photo: Orhan" in app.reader.main.document.cleaned.text
        await pilot.press("u")
        await settle(pilot)
        with Store.open(notes, mode="read") as store:
            assert store.overrides(FIRST) == {}
        assert "Photo: Orhan" not in app.reader.main.document.cleaned.text


async def test_tag_manager_adds_renames_recolours_and_removes(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("t", "a", *"tanks", "space", *"#888888", "enter")
        await settle(pilot)
        with Store.open(notes, mode="read") as store:
            assert [(t.name, t.colour) for t in store.tags()][-1] == ("tanks", "#888888")
        await pilot.press("end", "r", "ctrl+u", *"armour", "enter")
        await settle(pilot)
        await pilot.press("c", "ctrl+u", *"#123456", "enter")
        await settle(pilot)
        with Store.open(notes, mode="read") as store:
            assert [(t.name, t.colour) for t in store.tags()][-1] == ("armour", "#123456")
        await pilot.press("d", "y")
        await settle(pilot)
        with Store.open(notes, mode="read") as store:
            assert [t.name for t in store.tags()] == ["security", "energy", "Syria", "diplomacy"]
        await pilot.press("escape", "5")  # tag 5 is gone: nothing is saved
        await settle(pilot)
        assert saved(notes) == []


async def test_tag_manager_moves_tags_and_the_number_keys_follow(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("t", "end", "K")  # diplomacy up one place: key 3
        await settle(pilot)
        await pilot.press("K")  # the highlight followed it: up again, to key 2
        await settle(pilot)
        with Store.open(notes, mode="read") as store:
            assert [t.name for t in store.tags()] == ["security", "diplomacy", "energy", "Syria"]
        await pilot.press("home", "shift+down")  # security down to key 2
        await settle(pilot)
        await pilot.press("escape", "1")
        await settle(pilot)
        assert [a.tags for a in saved(notes)] == [("diplomacy",)]
        await pilot.press("u", "u")  # untag, then move security back to key 1
        await settle(pilot)
        with Store.open(notes, mode="read") as store:
            assert [t.name for t in store.tags()] == ["security", "diplomacy", "energy", "Syria"]
        assert saved(notes) == []


async def test_undoing_a_tag_removal_puts_it_back_on_its_key(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("1")  # security on the passage
        await settle(pilot)
        await pilot.press("t", "d", "y")
        await settle(pilot)
        await pilot.press("escape", "u")
        await settle(pilot)
        with Store.open(notes, mode="read") as store:
            assert store.tags()[0].name == "security"
        assert [a.tags for a in saved(notes)] == [("security",)]


async def test_annotations_pane_jumps_and_deletes_after_asking(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("1", "j", "j", "2")
        await settle(pilot)
        await pilot.press("g", "]")  # from the top, the next annotated passage is the first one
        view = app.reader.query_one(ArticleView)
        assert app.reader.main.document.cleaned.text[slice(*view.selected)].startswith(SECOND_PARAGRAPH)
        await pilot.press("a", "down", "enter")  # the second annotation: energy
        assert app.focused is view and app.reader.main.document.cleaned.text[slice(*view.selected)].startswith("“This is not a pipeline")
        await pilot.press("a", "d", "n")
        await settle(pilot)
        assert len(saved(notes)) == 2
        await pilot.press("d", "y")
        await settle(pilot)
        assert [a.tags for a in saved(notes)] == [("security",)]  # the highlighted one (energy) went


async def test_filter_and_article_keys(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "right_curly_bracket")
        await settle(pilot)
        assert app.reader.main.document.rel == "02_black-sea-patrols.txt"
        await pilot.press("left_curly_bracket")
        await settle(pilot)
        assert app.reader.main.document.rel == FIRST
        await pilot.press("slash", *"montreux")
        articles = app.reader.query_one(ArticleList)
        assert [articles.entries[i].rel for i in articles.shown] == ["02_black-sea-patrols.txt"]
        await pilot.press("escape")
        assert len(articles.shown) == 10
        await pilot.press("b")
        assert not app.reader.query_one("#left").display


async def test_locked_notes_open_read_only_and_say_so(notes) -> None:
    with Store.open(notes, mode="write"):
        app = DossierApp(SAMPLE, notes)
        async with app.run_test(size=(120, 35)) as pilot:
            await open_first(pilot)
            await pilot.press("1")
            await settle(pilot)
            status = str(app.reader.query_one("#status").render())
            assert "read-only" in status and "cannot save" in status
    assert saved(notes) == []


async def test_markup_and_escapes_are_shown_literally(tmp_path, notes) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "markup.txt").write_bytes(
        b"Rich markup [bold]is not[/bold] applied here\n\n"
        b"The text holds [red]red[/red], [link=http://x]a link[/link], [/] and \x1b[31man escape\x1b[0m, all shown as typed.\n"
    )
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        # rows joined (wrapping breaks at spaces), without the selection's bar in the gutter
        shown = " ".join(screen_text(app.reader.query_one(ArticleView)).replace("▌", " ").split())
        assert "Rich markup [bold]is not[/bold] applied here" in shown
        assert "[red]red[/red], [link=http://x]a link[/link], [/] and an escape" in shown
        assert "\x1b" not in shown
        assert "[bold]is not[/bold]" in " ".join(screen_text(app.reader.query_one(RawView)).split())


async def test_empty_corpus_says_so(tmp_path, notes) -> None:
    (tmp_path / "empty").mkdir()
    app = DossierApp(tmp_path / "empty", notes)
    async with app.run_test() as pilot:
        await settle(pilot, article=False)
        assert "No articles in this folder" in screen_text(app.reader.query_one(ArticleView))


async def test_list_counts_follow_edits_to_one_article(notes) -> None:
    """After a tag only the touched article's count and chips change, and undo restores them."""
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("1", "2")
        await settle(pilot)
        entries = {e.rel: e for e in app.reader.query_one(ArticleList).entries}
        assert (entries[FIRST].notes, entries[FIRST].tags) == (1, ("security", "energy"))
        assert all(e.notes == 0 and e.tags == () for rel, e in entries.items() if rel != FIRST)
        await pilot.press("u", "u")
        await settle(pilot)
        assert (entries[FIRST].notes, entries[FIRST].tags) == (0, ())


async def test_the_indexed_corpus_is_moved_out_of_the_collectors_sight(notes) -> None:
    """Once every article is indexed, full collections skip the list and the index: no stall at a keystroke."""
    gc.unfreeze()
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        search = app.reader.library.search
        assert search is not None and len(search) == 10
        assert gc.get_freeze_count() > 0


async def test_untagging_under_the_tag_filter_moves_the_cursor_and_the_raw_pane_follows(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("1", "j", "j", "1")  # security on the second and fourth paragraphs
        await settle(pilot)
        await pilot.press("f")  # only security's passages
        view, raw = app.reader.query_one(ArticleView), app.reader.query_one(RawView)
        assert len(view.passages) == 2
        await pilot.press("1")  # untag the one under the cursor: it leaves the filter
        await settle(pilot)
        assert len(view.passages) == 1
        start, end = view.selected
        assert raw.followed == (app.reader.main.document.cleaned.to_source(start), app.reader.main.document.cleaned.to_source(end))


async def test_an_older_read_that_finishes_last_is_not_shown(notes, monkeypatch) -> None:
    """Reads run in threads that cannot be stopped: a stale one landing late must not replace the newer."""
    import tui.reader.panes

    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        release, calls, read_article = threading.Event(), [], tui.reader.panes.read_article

        def first_read_held_back(root, rel):
            calls.append(rel)
            if len(calls) == 1:
                release.wait(PATIENCE)
            return read_article(root, rel)

        monkeypatch.setattr(tui.reader.panes, "read_article", first_read_held_back)
        main = app.reader.main
        main.open("02_black-sea-patrols.txt")  # say, before an override
        await until(pilot, lambda: calls, "the first read to start")
        main.open("02_black-sea-patrols.txt")  # ... and after it
        await until(pilot, lambda: len(calls) == 2 and main.document.rel == "02_black-sea-patrols.txt", "the second read")
        newer = main.document
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert main.document is newer


async def test_the_filter_opens_its_first_match_once_typing_pauses(notes, monkeypatch) -> None:
    """Each keystroke re-filters the list at once; the highlighted article opens only when a timer fires."""
    from tui.reader.library import FILTER_SETTLE

    class HeldTimer:
        """A timer that fires when the test says so, not after a time."""

        def __init__(self, callback) -> None:
            self.callback, self.stopped = callback, False

        def stop(self) -> None:
            self.stopped = True

    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        library, timers = app.reader.library, []
        monkeypatch.setattr(library, "set_timer", lambda delay, callback: timers.append((delay, HeldTimer(callback))) or timers[-1][1])
        await pilot.press("slash", *"montreux")
        await pilot.pause()
        assert library.articles.current == "02_black-sea-patrols.txt"  # the list answers at once ...
        assert app.reader.main.wanted == FIRST  # ... the article waits for typing to pause
        delay, timer = timers[-1]
        assert delay == FILTER_SETTLE and not timer.stopped
        timer.callback()  # typing paused
        await settle(pilot)
        assert app.reader.main.document.rel == "02_black-sea-patrols.txt"


async def test_a_trimmed_selection_the_tag_filter_hides_is_dropped(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("h", "1", "j", "j", "1")  # security: the second paragraph less a word, the fourth
        await settle(pilot)
        await pilot.press("f", "g", "h")  # only security; the same trimmed selection again
        view = app.reader.query_one(ArticleView)
        await pilot.press("1")  # untag it: its paragraph leaves the filter
        await settle(pilot)
        assert view.selection is None
        assert any(start <= view.selected[0] < end for start, end in view.passages)
        await pilot.press("2")  # energy lands on the passage shown, not on the hidden one
        await settle(pilot)
        tagged = {a.tags: a.target.exact for a in saved(notes)}
        assert tagged[("security", "energy")].startswith("“This is not a pipeline")


async def test_changing_article_under_the_tag_filter_never_follows_the_old_offsets(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        raw, follows = app.reader.query_one(RawView), []
        follow = raw.follow
        raw.follow = lambda start, end: (follows.append((start, end)), follow(start, end))
        await pilot.press("right_curly_bracket")  # an article with nothing tagged security
        await settle(pilot)
        assert app.reader.main.document.rel == "02_black-sea-patrols.txt"
        assert follows == [] and raw.followed == (0, 0)  # nothing selected: nothing highlighted


async def test_the_tag_manager_highlight_follows_a_tag_moved_faster_than_the_store_answers(notes, monkeypatch) -> None:
    from textual.widgets import OptionList

    from tui.screens.tag_manager import TagManager

    # The store answers only once every key has been pressed: a gate, not a clock.
    gate, move_tag = threading.Event(), History.move_tag
    monkeypatch.setattr(History, "move_tag", lambda self, name, delta: (gate.wait(PATIENCE), move_tag(self, name, delta))[1])
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TagManager), "the tag manager")
        await pilot.press("J", "J", "J")  # a held key: security down three places
        await pilot.pause()
        gate.set()
        await settle(pilot)
        with Store.open(notes, mode="read") as store:
            assert [t.name for t in store.tags()] == ["energy", "Syria", "diplomacy", "security"]
        assert app.screen.tags[app.screen.query_one("#tag-list", OptionList).highlighted].name == "security"


async def test_an_unknown_colour_name_is_refused_with_a_message(notes) -> None:
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("t", "c", "ctrl+u", *"bogus", "enter")
        await settle(pilot)
        assert "unknown colour 'bogus'" in str(app.screen.query_one("#tag-message").render())
        with Store.open(notes, mode="read") as store:
            assert store.tags()[0].colour == "#d9534f"


async def test_a_stored_colour_nobody_can_draw_is_drawn_plain(notes) -> None:
    """Notes written elsewhere may carry any colour name: the reader draws them without it, never crashes."""
    with Store.open(notes, mode="write") as store:
        store.vocabulary.edit("security", colour="bogus")
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("1")  # so the list's chips and the annotations pane draw the tag
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert "security" in str(app.reader.query_one("#status").render())
        assert "[security]" in "\n".join(str(option.prompt) for option in app.reader.on_demand("notes").options)


async def test_moving_or_recolouring_a_tag_does_not_reread_every_article(notes, monkeypatch) -> None:
    """Neither changes an annotation: the list's counts stay, and no article's notes are read again."""
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("1")
        await settle(pilot)
        listed = []
        articles = Store.articles
        monkeypatch.setattr(Store, "articles", lambda store: listed.append(1) or articles(store))
        await pilot.press("t", "J")
        await settle(pilot)
        await pilot.press("c", "ctrl+u", *"#123456", "enter")
        await settle(pilot)
        await pilot.press("escape", "u", "u")  # undoing them changes no annotation either
        await settle(pilot)
        assert listed == []
        with Store.open(notes, mode="read") as store:
            assert [(t.name, t.colour) for t in store.tags()][:2] == [("security", "#d9534f"), ("energy", "#f0ad4e")]
        entry = app.reader.query_one(ArticleList).entry(FIRST)
        assert (entry.notes, entry.tags) == (1, ("security",))
        await pilot.press("t", "d", "y")  # removing one does change annotations: every article is recounted
        await settle(pilot)
        assert listed and app.reader.query_one(ArticleList).entry(FIRST).tags == ()


async def test_quitting_waits_for_a_save_under_way(notes, monkeypatch) -> None:
    """q while a tag is still being saved: the app stays until the save is on disk, then quits."""
    import asyncio

    gate, toggle_tag = threading.Event(), History.toggle_tag
    monkeypatch.setattr(History, "toggle_tag", lambda self, *args: (gate.wait(PATIENCE), toggle_tag(self, *args))[1])
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("1")
        await until(pilot, lambda: app.notes.pending == 1, "the tag to be queued")
        quitting = asyncio.ensure_future(app.action_quit())
        await pilot.pause()
        assert not quitting.done() and saved(notes) == []  # the save is held: quitting waits for it
        gate.set()
        await quitting
        assert [a.tags for a in saved(notes)] == [("security",)]


async def test_the_reader_follows_an_article_renamed_since_its_notes_were_saved(tmp_path, notes) -> None:
    """Notes saved on old.txt show on new.txt once the reader has read the corpus: listed, counted, coloured."""
    from tui.core.notes.model import ArticleRef

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "Pipeline talks resume\n\nAnkara and Moscow resumed talks on the gas pipeline on Monday, officials said.\n"
    (corpus / "old.txt").write_text(text, encoding="utf-8")
    with Store.open(notes, mode="write") as store:
        start = text.index("Ankara")
        store.add(ArticleRef.of("old.txt", text), text, start, start + 30, ["energy"])
    (corpus / "old.txt").rename(corpus / "new.txt")
    app = DossierApp(corpus, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        entry = app.reader.library.articles.entry("new.txt")
        assert (entry.notes, entry.tags) == (1, ("energy",))
        assert [a.tags for a in app.reader.main.document.annotations] == [("energy",)]
    assert [a.tags for a in saved(notes, "new.txt")] == [("energy",)]


async def test_dropping_a_line_that_holds_an_annotation_asks_first_and_keeps_it_in_sight(notes) -> None:
    from tui.screens.confirm import Confirm

    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_first(pilot)
        await pilot.press("1")  # security on the second paragraph (source line 6)
        await settle(pilot)
        await pilot.press("tab")  # the raw pane, its cursor on the paragraph's line
        raw = app.reader.raw
        assert app.focused is raw and raw.current_line.n == 6
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, Confirm), "the question")
        assert "holds 1 annotation(s) (security)" in app.screen.question
        await pilot.press("n")  # no: nothing changes
        await settle(pilot)
        with Store.open(notes, mode="read") as store:
            assert store.overrides(FIRST) == {}
        await pilot.press("o", "y")
        await settle(pilot)
        with Store.open(notes, mode="read") as store:
            assert store.overrides(FIRST) == {6: False}
        [ann] = saved(notes)
        assert ann.tags == ("security",) and not ann.orphan  # kept in the notes, on the same words
        assert SECOND_PARAGRAPH not in app.reader.main.document.cleaned.text
        await pilot.press("a")
        listing = "\n".join(str(option.prompt) for option in app.reader.on_demand("notes").options)
        assert "hidden: its line is dropped" in listing
        await pilot.press("u")
        await settle(pilot)
        assert SECOND_PARAGRAPH in app.reader.main.document.cleaned.text


async def test_at_80_columns_the_status_line_keeps_saved_and_errors(tmp_path) -> None:
    """Issue 15: the tag names and the notes path shorten before "saved", an error or the read-only warning is cut."""
    notes = tmp_path / "a-long-folder-of-the-analysts-working-notes" / "notes"
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        await pilot.press("1")
        await settle(pilot)
        status = app.reader.query_one("#status")
        assert "saved: security" in screen_text(status)
        status.set_error("not saved: No space left on device")
        await pilot.pause()
        shown = screen_text(status)
        assert "saved: security" in shown and "not saved: No space left on device" in shown
        assert "1 sec" in shown or "1 security" not in shown  # the tag names gave way first
    with Store.open(notes, mode="write"):  # another Dossier holds the notes: this one is read-only, and says so
        app = DossierApp(SAMPLE, notes)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_first(pilot)
            assert "read-only: notes are being written by" in screen_text(app.reader.query_one("#status"))


async def test_at_160_columns_the_list_gives_titles_more_than_29_characters(notes) -> None:
    """Issue 15: the list grows with the terminal (a quarter of it past 136 columns), so titles are not cut at 29 characters."""
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_first(pilot)
        first_row = screen_text(app.reader.query_one(ArticleList)).splitlines()[0]
        assert first_row.strip().startswith("▸ Ankara and Baku sign transit deal")  # 34 characters of it (29 at 34 columns)


async def test_notes_last_used_with_another_corpus_say_so_in_the_status_line(tmp_path, notes) -> None:
    """Issue 15: the reader records its corpus in the notes and says, once, that they were last used with another."""
    with Store.open(notes, mode="write") as store:
        assert store.corpus.check(tmp_path / "elsewhere") is None  # the first corpus is recorded, nothing said
    app = DossierApp(SAMPLE, notes)
    async with app.run_test(size=(200, 30)) as pilot:
        await open_first(pilot)
        status = screen_text(app.reader.query_one("#status"))
        assert f"last used with the corpus {(tmp_path / 'elsewhere').resolve()}, not {SAMPLE.resolve()}" in status
        await pilot.press("1")  # the first change saved: the analyst has seen it
        await settle(pilot)
        assert "last used with" not in screen_text(app.reader.query_one("#status"))
    with Store.open(notes, mode="read") as store:
        assert store.corpus.recorded() == str(SAMPLE.resolve())  # the reader writes: next time it says nothing
