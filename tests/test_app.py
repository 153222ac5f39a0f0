"""Pilot and snapshot tests of the reader: real keys, real screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from tui.app import DossierApp

SAMPLE = Path(__file__).resolve().parent.parent / "tui" / "sample"


async def wait_for_article(pilot, app: DossierApp, needle: str) -> str:
    """Wait until the article pane shows ``needle``; return its plain text."""
    for _ in range(100):
        await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        plain = app.query_one("#article-text", Static).render().plain
        if needle in plain:
            return plain
    raise AssertionError(f"{needle!r} never appeared; pane shows: {plain[:200]!r}")


async def test_lists_articles_and_opens_the_highlighted_one(tmp_path) -> None:
    app = DossierApp(corpus=SAMPLE, notes=tmp_path / "notes")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_article(pilot, app, "Ankara and Baku sign transit deal")
        assert app.query_one("#articles", OptionList).option_count == 6
        await pilot.press("down")
        text = await wait_for_article(pilot, app, "Russian frigates shadow Meridian survey ship")
        assert "Photo:" not in text  # the caption was cleaned away
        await pilot.press("q")
    assert app.return_code == 0


async def test_markup_and_escapes_are_shown_literally(tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "markup.txt").write_bytes(
        b"Rich markup [bold]is not[/bold] applied here\n\n"
        b"The text holds [red]red[/red], [link=http://x]a link[/link], [/] and \x1b[31man escape\x1b[0m, all shown as typed.\n"
    )
    app = DossierApp(corpus=corpus, notes=tmp_path / "notes")
    async with app.run_test(size=(100, 30)) as pilot:
        text = await wait_for_article(pilot, app, "[bold]is not[/bold]")
        assert "[red]red[/red], [link=http://x]a link[/link], [/] and an escape" in text
        assert "\x1b" not in text


async def test_empty_corpus_says_so(tmp_path) -> None:
    app = DossierApp(corpus=tmp_path, notes=tmp_path / "notes")
    async with app.run_test() as pilot:
        await wait_for_article(pilot, app, "No articles in this folder")


def test_snapshot_main_screen(snap_compare, tmp_path) -> None:
    async def settle(pilot) -> None:
        await wait_for_article(pilot, pilot.app, "Ankara and Baku sign transit deal")

    assert snap_compare(DossierApp(corpus=SAMPLE, notes=Path("notes")), terminal_size=(100, 30), run_before=settle)
