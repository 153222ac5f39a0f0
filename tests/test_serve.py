"""``dossier serve``: the reader in a real browser, its refusals, and the gate that lets it run without a terminal.

Two tests need no browser: the server answers with textual-serve's page,
and a reader it starts for a WebSocket (as it would for the page) draws the
first article and tags a passage into the notes.

The browser test starts ``dossier serve`` on the bundled sample with a
temporary notes folder, opens it in headless Chromium driven by Playwright,
and presses keys in the page as a colleague would; then it reads the notes
on disk. The page draws the reader on a canvas (xterm.js), so what it shows
is read from what the page receives: the WebSocket frames of the reader's
screen, with the terminal's escape sequences taken out.

Nothing waits for a time: each step waits for what the reader draws (or
for the server to accept connections), with one generous deadline that only
keeps a broken build from hanging CI (polls check the server's log, so a
reader that fails fails the test at once). Without Chromium, Playwright or
textual-serve the browser test is skipped, saying how to install them.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import pytest

from tests.pilot import FIRST, SAMPLE, SECOND_PARAGRAPH
from tui.cli import main
from tui.core.document import open_document
from tui.core.notes.store import Store
from tui.serving import SERVED, WEB_DRIVER, reader_command

#: The cursor on the second paragraph: its first words, which fit in the article pane at any width the tests use.
SECOND_UNDER_CURSOR = "▌  " + " ".join(SECOND_PARAGRAPH.split()[:4])

if TYPE_CHECKING:
    import aiohttp
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
TITLE = "Ankara and Baku sign transit deal for Meridian gas pipeline"
#: Seconds before a wait gives up: only a guard against a hang, never reached on a healthy run however slow.
PATIENCE = 120.0
#: The terminal's escape sequences (CSI, OSC, DCS/PM/APC strings, two-byte escapes), to read the screen's text.
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[P^_][^\x1b]*\x1b\\|\x1b[@-Z\\-_]")


def free_port() -> int:
    """A port nobody listens on now (the kernel's choice)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the command line ------------------------------------------------------------


def test_a_missing_corpus_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["serve", str(tmp_path / "missing"), "--notes", str(tmp_path / "notes")]) == 2
    assert capsys.readouterr().err == f"dossier serve: no such folder: {tmp_path / 'missing'}\n"


def test_a_file_for_a_corpus_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["serve", str(SAMPLE / FIRST), "--notes", str(tmp_path / "notes")]) == 2
    assert capsys.readouterr().err == f"dossier serve: not a folder: {SAMPLE / FIRST}\n"


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_a_bad_port_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, port: str) -> None:
    assert main(["serve", "--port", port, "--notes", str(tmp_path / "notes")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dossier serve: argument --port: not a port number") and err.count("\n") == 1


def test_a_port_in_use_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("textual_serve", reason="textual-serve is not installed: pip install -e '.[test]' (it brings the serve extra)")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port), "--notes", str(tmp_path / "notes")]) == 2
    out, err = capsys.readouterr()
    assert err == f"dossier serve: port {port} is in use on 127.0.0.1 (another server?); choose another with --port\n"
    assert out == ""  # refused before textual-serve printed its banner


def test_without_textual_serve_it_says_how_to_install_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # import textual_serve now raises ImportError
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert main(["serve", "--notes", str(tmp_path / "notes")]) == 2
    assert capsys.readouterr().err == (
        "dossier serve: textual-serve is not installed; "
        "install it with pip install 'dossier-reader[serve]' (or: pip install textual-serve)\n"
    )


class FakeServer:
    """Stands for textual-serve's Server: records what it was asked to serve, serves nothing."""

    made: ClassVar[list[FakeServer]] = []

    def __init__(self, command: str, host: str, port: int, title: str, public_url: str) -> None:
        self.command, self.host, self.port, self.title, self.public_url = command, host, port, title, public_url
        self.environ: dict[str, str] = {}
        FakeServer.made.append(self)

    def serve(self) -> None:
        self.environ = dict(os.environ)  # what each reader would inherit


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> type[FakeServer]:
    pytest.importorskip("textual_serve", reason="textual-serve is not installed: pip install -e '.[test]' (it brings the serve extra)")
    monkeypatch.setattr("textual_serve.server.Server", FakeServer)
    monkeypatch.setenv(SERVED, "")  # restored after the test: serving sets it in this process
    FakeServer.made = []
    return FakeServer


def test_serving_runs_the_reader_on_the_corpus_and_notes_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fake_server: type[FakeServer]
) -> None:
    corpus, notes = tmp_path / "my corpus; rm -rf ~", tmp_path / "the notes"
    corpus.mkdir()
    assert main(["serve", str(corpus), "--notes", str(notes), "--port", str(free_port())]) == 0
    [server] = fake_server.made
    assert capsys.readouterr().err == ""  # on this machine only: no warning
    assert server.host == "127.0.0.1" and server.title == "Dossier"
    assert server.public_url == f"http://127.0.0.1:{server.port}"
    # The shell gets each path as one argument, whatever it contains; the readers it starts are marked.
    assert shlex.split(server.command) == [sys.executable, "-m", "tui.cli", str(corpus.resolve()), "--notes", str(notes.resolve())]
    assert server.command == reader_command(corpus.resolve(), notes.resolve())
    assert server.environ[SERVED] == "1"


def test_listening_beyond_this_machine_warns(capsys: pytest.CaptureFixture[str], tmp_path: Path, fake_server: type[FakeServer]) -> None:
    port = free_port()
    notes = tmp_path / "notes"
    assert main(["serve", "--host", "0.0.0.0", "--port", str(port), "--notes", str(notes)]) == 0
    err = capsys.readouterr().err
    assert err == (
        f"dossier serve: warning: listening on 0.0.0.0 port {port}, which other machines can reach; "
        "textual-serve has no password: anyone who can reach this port can read the corpus "
        f"and read and change the notes in {notes.resolve()}\n"
    )
    [server] = fake_server.made
    assert server.public_url == f"http://{socket.gethostname()}:{port}"  # what the page connects back to


def test_the_public_url_can_be_named(tmp_path: Path, fake_server: type[FakeServer]) -> None:
    port = free_port()
    assert main(["serve", "--port", str(port), "--notes", str(tmp_path / "n"), "--public-url", "https://dossier.example"]) == 0
    assert fake_server.made[0].public_url == "https://dossier.example"


# --- the gate: a served reader runs without a terminal, a script's still does not ---


def reader_without_terminal(tmp_path: Path, **environ: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in (SERVED, "TEXTUAL_DRIVER")} | environ
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", str(SAMPLE), "--notes", str(tmp_path / "notes")],
        stdin=subprocess.DEVNULL, capture_output=True, cwd=ROOT, env=env, timeout=PATIENCE, check=False,
    )


@pytest.mark.parametrize(
    "environ",
    [{SERVED: "1"}, {"TEXTUAL_DRIVER": WEB_DRIVER}, {SERVED: "yes", "TEXTUAL_DRIVER": WEB_DRIVER}],
    ids=["mark without the web driver", "web driver without the mark", "a wrong mark"],
)
def test_half_a_served_environment_is_still_refused(tmp_path: Path, environ: dict[str, str]) -> None:
    result = reader_without_terminal(tmp_path, **environ)
    assert result.returncode == 2
    assert result.stderr.decode().startswith("dossier: the reader needs a terminal (standard input is not one)")
    assert not (tmp_path / "notes").exists()


# --- the reader in a real browser ------------------------------------------------------


@pytest.fixture
def chromium() -> str:
    """Chromium's executable; the test is skipped, saying how to get what is missing, if anything is."""
    pytest.importorskip("textual_serve", reason="textual-serve is not installed: pip install -e '.[test]' (it brings the serve extra)")
    pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")
    found = os.environ.get("DOSSIER_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip(
            "Chromium is not installed: apt-get install chromium (Debian), "
            "or name a Chromium or Chrome executable in DOSSIER_CHROMIUM"
        )
    return found


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server as Ctrl+C would (it closes each reader), then end anything of its left behind."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    with contextlib.suppress(ProcessLookupError):  # none left: the usual case
        os.killpg(server.pid, signal.SIGKILL)  # its own process group: the readers it started, if any outlived it


@contextlib.contextmanager
def dossier_serve(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """``dossier serve`` on the sample with a fresh notes folder: (its address, the notes folder, its log); stopped afterwards."""
    notes = tmp_path / "notes"
    log = tmp_path / "server.log"
    for _ in range(3):  # the free port may be taken before the server binds it: then another one
        port = free_port()
        with log.open("wb") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "tui.cli", "serve", str(SAMPLE), "--notes", str(notes), "--port", str(port)],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True,
            )
        try:
            start = time.monotonic()
            while server.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=PATIENCE).close()
                    break
                except ConnectionRefusedError:
                    if time.monotonic() - start > PATIENCE:
                        said = log.read_text(errors="replace")
                        raise AssertionError(f"gave up waiting for the server to listen; it said: {said}") from None
                    time.sleep(0.05)  # a poll: how soon it listens is the machine's business
            if server.poll() is None:
                yield f"http://127.0.0.1:{port}/", notes, log
                return
            said = log.read_text(errors="replace")
            if "is in use" not in said:
                raise AssertionError(f"dossier serve exited with {server.returncode}: {said}")
        finally:
            stop(server)
    raise AssertionError("no free port after three tries")


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """:func:`dossier_serve`, for the tests that need no browser."""
    pytest.importorskip("textual_serve", reason="textual-serve is not installed: pip install -e '.[test]' (it brings the serve extra)")
    with dossier_serve(tmp_path) as running:
        yield running


@pytest.fixture
def served(chromium: str, tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """:func:`dossier_serve`, started only once the browser test is known to run (``chromium``)."""
    with dossier_serve(tmp_path) as running:
        yield running


# --- the server without a browser: its page, and the reader over its WebSocket ---


def test_the_server_answers_with_textual_serves_page(serving: tuple[str, Path, Path]) -> None:
    url, notes, _ = serving
    with urllib.request.urlopen(url, timeout=PATIENCE) as response:
        assert response.status == 200 and response.headers.get_content_type() == "text/html"
        page = response.read().decode()
    assert "<div>Dossier</div>" in page  # the page names the app
    # The address the page opens its WebSocket to: the server's own, as the page was asked for it.
    assert f'data-session-websocket-url="ws://{url.removeprefix("http://")}ws"' in page
    assert not notes.exists()  # no browser connected: no reader started, nothing written


class Socket:
    """The reader's screen as textual-serve's WebSocket sends it to a page, read without a browser.

    Binary frames are what the reader wrote to its terminal (text frames are
    textual-serve's own messages); keys go the other way as ``["stdin", KEY]``.
    """

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse, log: Path) -> None:
        self.websocket, self.log = websocket, log
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")  # a character may straddle two frames
        self.text = ""

    async def wait_for(self, texts: list[str], since: int = 0) -> None:
        """Read frames until every one of ``texts`` has been drawn since ``since`` (a length of :attr:`text`)."""
        from aiohttp import WSMsgType

        while not all(text in ESCAPES.sub("", self.text[since:]) for text in texts):
            try:  # a poll: a reader that died leaves the connection open, its error in the server's log
                message = await self.websocket.receive(timeout=0.5)
            except TimeoutError:
                said = self.log.read_text(errors="replace")
                if "Application failed to start" in said or "Traceback" in said:
                    raise AssertionError(f"the reader failed while waiting for {texts}; the server said:\n{said}") from None
                continue
            if message.type == WSMsgType.BINARY:
                self.text += self.decoder.decode(message.data)
            elif message.type != WSMsgType.TEXT:
                said = self.log.read_text(errors="replace")
                raise AssertionError(f"the connection ended ({message.type.name}) while waiting for {texts}; the server said:\n{said}")

    async def press(self, key: str, shows: str) -> None:
        """Send ``key`` as the page would, then wait until the reader draws ``shows``."""
        since = len(self.text)
        await self.websocket.send_json(["stdin", key])
        await self.wait_for([shows], since)


def test_the_served_reader_tags_a_passage_over_the_websocket(serving: tuple[str, Path, Path]) -> None:
    import aiohttp  # textual-serve's own web library: there whenever ``serving`` is

    url, notes, log = serving

    async def session() -> None:
        async with (
            asyncio.timeout(PATIENCE),  # a guard against a hang only
            aiohttp.ClientSession() as client,
            client.ws_connect(f"{url}ws?width=200&height=50") as websocket,
        ):
            screen = Socket(websocket, log)
            # The reader started without a terminal (the gate let it), showing the first article with the notes open.
            await screen.wait_for([TITLE, "1 security"])
            await screen.press("\r", "Next passage")  # the footer: the article has the focus
            await screen.press("j", SECOND_UNDER_CURSOR)  # the cursor on the second paragraph
            await screen.press("1", "saved: security")  # the status line: written to disk

    asyncio.run(session())
    with Store.open(notes, mode="read") as store:
        [annotation] = store.annotations(FIRST)
    assert annotation.tags == ("security",)
    assert annotation.target.exact.startswith(SECOND_PARAGRAPH)


class Screen:
    """What the reader sent the page to draw: the WebSocket's frames as text, escape sequences removed.

    Its waits poll (the page's events are delivered while Playwright waits)
    and fail at once, with what the server said, if the reader died.
    """

    def __init__(self, page: Page, log: Path) -> None:
        self.page, self.log = page, log
        self.frames: list[str] = []
        page.on("websocket", lambda websocket: websocket.on("framereceived", self.received))

    def received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):  # text frames are textual-serve's own messages (pong, …)
            self.frames.append(ESCAPES.sub("", payload.decode("utf-8", "replace")))

    def mark(self) -> int:
        """Where the frames received from now on begin."""
        return len(self.frames)

    def shows(self, text: str, since: int = 0) -> bool:
        return text in "".join(self.frames[since:])

    def until(self, condition: Callable[[], bool], what: str) -> None:
        """Let the page run until ``condition()`` holds; fail saying what was awaited, and what the server said."""
        start = time.monotonic()
        while not condition():
            said = self.log.read_text(errors="replace")
            if "Application failed to start" in said or "Traceback" in said:
                raise AssertionError(f"the reader failed while waiting for {what}; the server said:\n{said}")
            if time.monotonic() - start > PATIENCE:
                raise AssertionError(f"gave up waiting for {what}; the server said:\n{said}")
            self.page.wait_for_timeout(20)  # a poll: the page's events arrive meanwhile

    def wait_for(self, texts: list[str], since: int = 0) -> None:
        """Wait until every one of ``texts`` has been drawn since frame ``since``."""
        self.until(lambda: all(self.shows(text, since) for text in texts), f"the page to show {texts}")


def test_the_reader_in_a_browser_tags_a_passage_into_the_notes(chromium: str, served: tuple[str, Path, Path]) -> None:
    from playwright.sync_api import sync_playwright

    url, notes, log = served
    # The list shows an article's word count once every title is read; the last one's means all are.
    last = sorted(p.name for p in SAMPLE.iterdir())[-1]
    all_read = f"{open_document(SAMPLE, last).words:,} w"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--disable-gpu", "--disable-quic", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})  # wide enough for the list, the footer's keys
            page.set_default_timeout(PATIENCE * 1000)
            # Nothing but the server: the page's web font is asked of the Internet, which a test must not reach.
            page.route(re.compile(r"^(?!" + re.escape(url) + ")"), lambda route: route.abort())
            screen = Screen(page, log)
            response = page.goto(url)
            assert response is not None and response.ok
            assert "Dossier" in page.locator(".intro").first.inner_text()  # the page names the app
            screen.until(lambda: page.evaluate("document.body.classList.contains('-first-byte')"), "the terminal to replace the intro")
            assert page.locator(".xterm-screen").count() == 1

            # The first article, and the notes open (the status line lists the tag keys), every title read.
            screen.wait_for([TITLE, "1 security", all_read])

            # Keys as a colleague types them, into the terminal's input (a click would be a mouse event in the reader).
            page.focus("textarea.xterm-helper-textarea")
            since = screen.mark()
            page.keyboard.press("Enter")
            screen.wait_for(["Next passage"], since)  # the footer: the article has the focus
            since = screen.mark()
            page.keyboard.press("j")
            screen.wait_for([SECOND_UNDER_CURSOR], since)  # the cursor on the second paragraph
            since = screen.mark()
            page.keyboard.press("1")
            screen.wait_for(["saved: security"], since)  # the status line: written to disk
        finally:
            browser.close()

    with Store.open(notes, mode="read") as store:
        [annotation] = store.annotations(FIRST)
    assert annotation.tags == ("security",)
    assert annotation.target.exact.startswith(SECOND_PARAGRAPH)
