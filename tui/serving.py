"""``dossier serve``: the reader in a web browser, through textual-serve.

textual-serve is a small web server (aiohttp). For every browser tab that
connects it starts the reader as a subprocess, from a shell command line,
with pipes for standard input and output instead of a terminal and with
``TEXTUAL_DRIVER`` naming Textual's web driver, which speaks textual-serve's
packet protocol over those pipes; the page draws the screen with xterm.js
and sends the keys back.

The reader refuses to start without a terminal (a script that ran
``dossier`` meant a subcommand), so the serving process marks the readers it
starts: :data:`SERVED` in their environment, which textual-serve copies from
its own. :func:`served` asks for that mark *and* for the web driver, so the
mark alone (set by mistake in a script) does not let a reader spin on a pipe.

textual-serve has no authentication: whoever reaches the port reads the
corpus and reads and changes the notes. It listens on the loopback address
unless told otherwise, and :func:`listen_check` tells the caller when it
would not, so that the command line can warn.

This module imports nothing heavy at the top: the reader asks :func:`served`
on every start, and textual-serve (an optional extra) is imported only by
:func:`serve`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual_serve.server import Server

#: The environment variable that marks a reader started by ``dossier serve``.
SERVED = "DOSSIER_SERVED"
#: What textual-serve sets ``TEXTUAL_DRIVER`` to in the processes it starts.
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
#: How to get textual-serve, for the refusal when it is missing.
INSTALL = "pip install 'dossier-reader[serve]' (or: pip install textual-serve)"


class ServeError(Exception):
    """Serving cannot start: a message of one line for the user."""


def load_server() -> type[Server]:
    """textual-serve's server class; :class:`ServeError` saying how to install it if it is missing."""
    try:
        from textual_serve.server import Server
    except ImportError:
        raise ServeError(f"textual-serve is not installed; install it with {INSTALL}") from None
    return Server


def served() -> bool:
    """True in a reader that ``dossier serve`` started through textual-serve for a browser.

    Its standard streams are pipes to textual-serve, not a terminal, and
    Textual talks to the browser through the web driver; both the mark and
    the driver must be there.
    """
    return os.environ.get(SERVED) == "1" and os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER


def reader_command(corpus: Path, notes: Path) -> str:
    """The shell command line textual-serve runs for each browser: this Python, the reader, this corpus and notes folder.

    textual-serve runs it through the shell, so every part is quoted (a
    folder name with a space or a ``;`` stays one argument). The same
    interpreter as the server: the reader is installed there.
    """
    import shlex

    return shlex.join([sys.executable, "-m", "tui.cli", str(corpus), "--notes", str(notes)])


def port_number(value: str) -> int:
    """A ``--port`` value: a TCP port from 1 to 65535 (argparse's type)."""
    import argparse

    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number from 1 to 65535: {value!r}")
    return port


def listen_check(host: str, port: int) -> bool:
    """Check that the server can listen on ``host``:``port``; True if only this machine can reach it.

    Binds (and closes) a socket on every address ``host`` stands for, as the
    server will, so that a port in use or an unknown host is one line here
    rather than a traceback from the server after its banner. Raises
    :class:`ServeError` with the reason.
    """
    import errno
    import ipaddress
    import socket

    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise ServeError(f"cannot listen on {host!r}: {error.strerror}") from None
    except UnicodeError:
        raise ServeError(f"cannot listen on {host!r}: not a host name") from None
    local = True
    for family, kind, proto, _, address in found:
        with socket.socket(family, kind, proto) as probe:
            # As asyncio's server does: reuse a port left in TIME_WAIT, IPv6 sockets IPv6 only.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as error:
                if error.errno == errno.EADDRINUSE:
                    raise ServeError(f"port {port} is in use on {host} (another server?); choose another with --port") from None
                raise ServeError(f"cannot listen on {host} port {port}: {error.strerror or error}") from None
        local = local and ipaddress.ip_address(str(address[0]).partition("%")[0]).is_loopback
    return local


def public_url(host: str, port: int) -> str:
    """The address browsers are told to connect back to: ``http://HOST:PORT``.

    The page opens its WebSocket to this address, so a wildcard host
    (``0.0.0.0``, ``::``) is replaced by this machine's name, which other
    machines can use; an IPv6 address is bracketed.
    """
    import socket

    if host in ("", "0.0.0.0", "::"):
        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def serve(corpus: Path, notes: Path, host: str, port: int, url: str | None = None) -> None:
    """Serve the reader on ``corpus`` and ``notes`` until interrupted (Ctrl+C, SIGTERM).

    ``url`` is the address browsers use to reach the server (by default
    :func:`public_url`). Call :func:`load_server` and :func:`listen_check`
    first, to refuse before anything starts. Raises :class:`ServeError` if
    textual-serve is not installed or the server cannot start.
    """
    server_class = load_server()
    # textual-serve starts each reader with a copy of this environment (plus
    # TEXTUAL_DRIVER): this is how the reader knows a browser is its terminal.
    os.environ[SERVED] = "1"
    server = server_class(reader_command(corpus, notes), host=host, port=port, title="Dossier", public_url=url or public_url(host, port))
    try:
        server.serve()
    except OSError as error:  # the port was taken between the check and now
        raise ServeError(f"cannot listen on {host} port {port}: {error.strerror or error}") from None


def run(corpus: Path, notes: Path, host: str, port: int, url: str | None = None) -> None:
    """``dossier serve``: refuse what cannot work, warn when other machines can connect, then serve.

    Everything that can be refused (textual-serve missing, the address) is
    checked before the server prints anything. Raises :class:`ServeError`.
    """
    load_server()
    if not listen_check(host, port):
        print(
            f"dossier serve: warning: listening on {host} port {port}, which other machines can reach; "
            "textual-serve has no password: anyone who can reach this port can read the corpus "
            f"and read and change the notes in {notes}",
            file=sys.stderr, flush=True,
        )
    serve(corpus, notes, host, port, url)
