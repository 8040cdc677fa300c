"""A local double of Slack's Web API and incoming webhooks.

An aiohttp server, run in a thread of its own, that answers like Slack
(``{"ok": true, ...}``) and records exactly what it received. Tests point
``SLACK_API_URL`` at :attr:`SlackDouble.api_url`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web


@dataclass
class Call:
    """One request the double received.

    Attributes:
        method: The Web API method (``chat.postMessage``) or ``webhook``.
        body: The request's JSON or form fields.
        token: The bearer token sent, if any.
        status: The HTTP status the double answered with.
        ts: The message timestamp the double gave a posted message.
    """

    method: str
    body: dict[str, Any]
    token: str | None
    status: int = 200
    ts: str | None = None

    @property
    def channel(self) -> str | None:
        """The channel the call was for."""
        return self.body.get("channel")

    @property
    def text(self) -> str:
        """The message text."""
        return self.body.get("text") or ""


@dataclass
class SlackDouble:
    """The running double (use :func:`start_double`)."""

    port: int = 0
    calls: list[Call] = field(default_factory=list)
    failures: dict[tuple[str, str | None], list[int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    _loop: asyncio.AbstractEventLoop | None = None
    _runner: web.AppRunner | None = None
    _thread: threading.Thread | None = None

    @property
    def api_url(self) -> str:
        """Base URL of the Web API double."""
        return f"http://127.0.0.1:{self.port}/api/"

    @property
    def webhook_url(self) -> str:
        """An incoming webhook URL on the double."""
        return f"http://127.0.0.1:{self.port}/services/T0/B0/hook"

    def fail(self, method: str, channel: str | None, statuses: list[int]) -> None:
        """Answer the next calls of ``method`` (for ``channel``) with these HTTP statuses."""
        with self._lock:
            self.failures[(method, channel)] = list(statuses)

    def snapshot(self, method: str | None = None, channel: str | None = None) -> list[Call]:
        """The calls so far, optionally of one method and channel."""
        with self._lock:
            return [
                c
                for c in self.calls
                if (method is None or c.method == method) and (channel is None or c.channel == channel)
            ]

    def posted(self, channel: str) -> list[Call]:
        """Successful ``chat.postMessage`` calls to ``channel``."""
        return [c for c in self.snapshot("chat.postMessage", channel) if c.status == 200]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 90) -> Any:
        """Poll ``predicate`` until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout} s; calls: {[(c.method, c.text[:60]) for c in self.calls]}")

    def wait_posted(self, channel: str, count: int, timeout: float = 90) -> list[Call]:
        """Wait until ``count`` messages were posted to ``channel``; return them."""
        return self.wait_for(lambda: (lambda got: got if len(got) >= count else None)(self.posted(channel)), timeout)

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info.get("method", "webhook")
        raw = await request.read()
        if request.content_type == "application/json":
            body = json.loads(raw or b"{}")
        else:
            body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            for key in ("blocks", "attachments"):
                if isinstance(body.get(key), str):
                    body[key] = json.loads(body[key])
        auth = request.headers.get("Authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else body.get("token")
        with self._lock:
            statuses = self.failures.get((method, body.get("channel"))) or self.failures.get((method, None))
            status = statuses.pop(0) if statuses else 200
            ts = f"1700000000.{next(self._ts):06d}"
            self.calls.append(Call(method, body, token, status, ts if method == "chat.postMessage" else None))
        if status != 200:
            return web.json_response({"ok": False, "error": "internal_error"}, status=status)
        if method == "webhook":
            return web.Response(text="ok")
        if token != "xoxb-test-token":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if method == "chat.postMessage":
            message = {k: v for k, v in body.items() if k in ("text", "blocks", "thread_ts")}
            return web.json_response({"ok": True, "channel": body.get("channel"), "ts": ts, "message": message})
        if method == "chat.update":
            return web.json_response({"ok": True, "channel": body.get("channel"), "ts": body.get("ts")})
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": "U0BOT", "team_id": "T0TEAM", "bot_id": "B0BOT"})
        return web.json_response({"ok": False, "error": "unknown_method"})

    def start(self) -> SlackDouble:
        """Start serving on a free loopback port in a background thread."""
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            app = web.Application()
            app.router.add_post("/api/{method}", self._handle)
            app.router.add_post("/services/{path:.*}", self._handle)
            self._runner = web.AppRunner(app)
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            self._loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._runner.cleanup())
            self._loop.close()

        self._thread = threading.Thread(target=run, name="slack-double", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        """Stop the server and its thread."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)


def start_double() -> SlackDouble:
    """A started :class:`SlackDouble`."""
    return SlackDouble().start()
