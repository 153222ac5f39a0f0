"""Helpers for the pilot tests: wait until the reader is quiet, read what it shows and what it saved.

``settle`` waits for the reader's own signals (the notes service drained, no
worker running, the article asked for on show) rather than for a time, and
fails loudly, saying what it was still waiting for, if that never happens.
"""

from __future__ import annotations

import time
from pathlib import Path

from textual.worker import WorkerCancelled

from tui.app import DossierApp
from tui.core.notes.store import Store

SAMPLE = Path(__file__).resolve().parent.parent / "tui" / "sample"
FIRST = "01_pipeline-deal-signed.txt"
SECOND_PARAGRAPH = "Turkey and Azerbaijan signed a long-delayed transit agreement"
#: Seconds before a wait gives up and fails the test (never reached on a healthy run, however slow the machine).
PATIENCE = 120.0


def waiting_for(app: DossierApp, article: bool = True) -> str | None:
    """What the reader is still doing, or None when it is quiet."""
    reader = app.reader
    if not reader.notes_open:
        return "the notes to open"
    if app.notes.pending:
        return f"{app.notes.pending} edit(s) to be saved"
    if any(worker.is_running for worker in app.workers):
        return "workers: " + ", ".join(w.name or w.group for w in app.workers if w.is_running)
    doc, wanted = reader.main.document, reader.main.wanted
    if article and (doc is None or doc.rel != wanted or doc.preview):
        return f"the article {wanted!r} to be shown"
    return None


async def settle(pilot, article: bool = True) -> DossierApp:  # type: ignore[no-untyped-def]
    """Wait until the notes are open, every change is saved and shown, and no worker is busy.

    With ``article`` (the default) the article asked for must be on show too.
    """
    app: DossierApp = pilot.app
    deadline = time.monotonic() + PATIENCE
    quiet_rounds = 0
    while True:
        await app.notes.drain()
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            quiet_rounds = -1  # a newer read of the same pane replaced it (exclusive workers): not quiet yet
        await pilot.pause()
        # Quiet twice in a row: a message handled in the first pause may have queued more work.
        quiet_rounds = quiet_rounds + 1 if waiting_for(app, article) is None else 0
        if quiet_rounds >= 2:
            return app
        if time.monotonic() > deadline:
            raise AssertionError(f"the reader never settled: still waiting for {waiting_for(app, article)}")


async def until(pilot, condition, what: str) -> None:  # type: ignore[no-untyped-def]
    """Let the app run until ``condition()`` holds; fail saying ``what`` was awaited if it never does."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await pilot.pause(0.01)


async def drawn(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until every footer on screen is drawn and has stopped changing (for snapshots).

    A footer rebuilds itself after the focus moves (a dialog opens, a pane is
    entered), a refresh later; on a busy machine a snapshot could catch it
    half rebuilt. This waits for the widgets themselves: the active screen's
    footer holds its keys, and no footer changes through three quiet rounds
    in a row. (Each dialog has a footer of its own: the reader's, under it,
    empties itself at a moment of its own choosing.)
    """
    from textual.widgets import Footer

    deadline = time.monotonic() + PATIENCE
    previous, steady = None, 0
    while steady < 3:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        footers = [footer for screen in pilot.app.screen_stack for footer in screen.query(Footer)]
        now = tuple(tuple(map(id, footer.children)) for footer in footers)
        ready = all(footer.children for footer in pilot.app.screen.query(Footer))
        steady = steady + 1 if now == previous and ready else 0
        previous = now
        if time.monotonic() > deadline:
            raise AssertionError("the footer never settled")


def screen_text(widget) -> str:  # type: ignore[no-untyped-def]
    """What a line widget shows now, row by row."""
    return "\n".join("".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height))


def saved(notes: Path, rel: str = FIRST) -> list:  # type: ignore[type-arg]
    """The annotations of ``rel`` as they are on disk."""
    with Store.open(notes, mode="read") as store:
        return store.annotations(rel)


def tags_on_disk(notes: Path) -> list[str]:
    """The tag vocabulary as it is on disk, in order."""
    with Store.open(notes, mode="read") as store:
        return [t.name for t in store.tags()]


async def open_first(pilot) -> DossierApp:  # type: ignore[no-untyped-def]
    """Open the first article, put the cursor on its second paragraph."""
    await settle(pilot)
    await pilot.press("enter", "j")
    return await settle(pilot)


def keys(*pressed: str):  # type: ignore[no-untyped-def]
    """A snapshot's run_before: settle, press ``pressed`` one by one, settling after each, then wait until drawn.

    A focused text field's cursor stops blinking, so it is drawn the same in every run.
    """

    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
        if hasattr(pilot.app.focused, "cursor_blink"):
            pilot.app.focused.cursor_blink = False
        await drawn(pilot)

    return run
