"""A client that sends its request head slowly, or not at all, is cut off.

Against the real web app (``python -m bot web``, started as
:func:`bot.servers.start_web_server` does) on a real socket, with
``WEB_HEADER_TIMEOUT`` of 1 s.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.servers import ServerProcess, ServerSettings, port_in_use, start_web_server
from tests.e2e.conftest import free_port

#: WEB_HEADER_TIMEOUT of the server under test, seconds.
TIMEOUT = 1.0
#: Slack for scheduling on a busy machine, seconds.
MARGIN = 2.0


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """The web app on a free port with a 1 s header timeout (no Rasa behind it)."""
    root = tmp_path_factory.mktemp("slow")
    settings = ServerSettings(
        rasa_port=free_port(),
        web_port=free_port(),
        database_url=f"sqlite:///{root / 'screener.db'}",
        tracker_db=root / "trackers.db",
        log_dir=root / "logs",
        extra_env={"WEB_HEADER_TIMEOUT": str(TIMEOUT)},
    )
    server = start_web_server(settings)
    try:
        deadline = time.monotonic() + 120
        while not port_in_use(settings.web_port):
            assert server.process.poll() is None, Path(server.log_path).read_text(errors="replace")
            assert time.monotonic() < deadline, "web app did not listen"
            time.sleep(0.1)
        yield server
    finally:
        server.stop()


def port_of(server: ServerProcess) -> int:
    return int(server.health_url.split(":")[2].split("/")[0])


def closed_within(sock: socket.socket, seconds: float, trickle: bytes = b"") -> float:
    """Send ``trickle`` a byte at a time (every 0.2 s) until the server closes ``sock``.

    Returns:
        Seconds until the server closed the connection.

    Raises:
        AssertionError: Still open after ``seconds``.
    """
    start = time.monotonic()
    sock.settimeout(0.2)
    sent = 0
    while time.monotonic() - start < seconds:
        try:
            if sock.recv(4096) == b"":
                return time.monotonic() - start
        except TimeoutError:
            pass
        except ConnectionResetError:
            return time.monotonic() - start
        if sent < len(trickle):
            try:
                sock.sendall(trickle[sent : sent + 1])
            except (BrokenPipeError, ConnectionResetError):
                return time.monotonic() - start
            sent += 1
    raise AssertionError(f"connection still open after {seconds:.1f} s ({sent} bytes sent)")


def test_a_slow_request_head_is_cut_off(web_server: ServerProcess) -> None:
    head = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
    with socket.create_connection(("127.0.0.1", port_of(web_server)), timeout=5) as sock:
        sock.sendall(head[:10])
        took = closed_within(sock, TIMEOUT + MARGIN, trickle=head[10:])
    assert took >= TIMEOUT - 0.3  # the timeout, not something sooner, closed it


def test_a_connection_that_sends_nothing_is_cut_off(web_server: ServerProcess) -> None:
    with socket.create_connection(("127.0.0.1", port_of(web_server)), timeout=5) as sock:
        closed_within(sock, TIMEOUT + MARGIN)


def test_a_normal_request_is_still_answered(web_server: ServerProcess) -> None:
    try:
        with urllib.request.urlopen(web_server.health_url, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:  # 503: no Rasa behind this app
        status = error.code
    assert status in (200, 503)
    with socket.create_connection(("127.0.0.1", port_of(web_server)), timeout=5) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert sock.recv(64).startswith(b"HTTP/1.1 ")
