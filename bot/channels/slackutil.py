"""Slack helpers with no dependency beyond the standard library.

Used by :mod:`bot.channels.slack` (in the Rasa environment) and testable in
either environment: request signatures, Slack's text escaping, and the small
store that remembers which events were already handled.

The store is Redis when ``REDIS_URL`` is set (several Rasa servers share it),
else a SQLite file under ``var/``. The Redis client is a minimal RESP client
on asyncio streams, so that nothing outside the standard library is needed.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
import sqlite3
import ssl
import time
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

#: Slack refuses to act on requests older than this; so do we.
MAX_REQUEST_AGE = 5 * 60

PROJECT_DIR = Path(__file__).resolve().parents[2]


def default_state_db() -> Path:
    """``slack_state.sqlite3`` in the runtime folder (``SCREENER_VAR_DIR``, default ``var/``)."""
    return Path(os.environ.get("SCREENER_VAR_DIR") or PROJECT_DIR / "var") / "slack_state.sqlite3"


# --- signatures -------------------------------------------------------------


def sign(secret: str, timestamp: str | int, body: bytes) -> str:
    """Slack's request signature: ``v0=`` + HMAC-SHA256 of ``v0:timestamp:body``.

    Args:
        secret: The app's signing secret.
        timestamp: The ``X-Slack-Request-Timestamp`` header (Unix seconds).
        body: The raw request body.

    Returns:
        The value Slack sends as ``X-Slack-Signature``.
    """
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float | None = None
) -> bool:
    """Whether a request is signed by Slack and recent.

    Args:
        secret: The app's signing secret (an empty secret verifies nothing).
        timestamp: The ``X-Slack-Request-Timestamp`` header.
        signature: The ``X-Slack-Signature`` header.
        body: The raw request body.
        now: The current Unix time (tests pass one).

    Returns:
        False when a header is missing, the timestamp is more than five
        minutes away from ``now`` (a replay), or the signature is wrong.
    """
    if not secret or not timestamp or not signature:
        return False
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent) > MAX_REQUEST_AGE:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def user_key(secret: str, user_id: str) -> str:
    """A keyed hash of a Slack user id, so that no user id is stored in clear."""
    return hmac.new(secret.encode(), b"user:" + user_id.encode(), hashlib.sha256).hexdigest()[:32]


# --- text -------------------------------------------------------------------


def escape(text: str) -> str:
    """Escape text for Slack: ``&``, ``<`` and ``>`` as Slack requires.

    Slack's markup (mentions such as ``<!channel>``, links, user references)
    needs ``<`` and ``>``, so escaped text can never become a mention, while
    mrkdwn formatting (``*bold*``, ``_italic_``, lists) is kept.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_MARKUP = re.compile(r"<([^<>]*)>")


def plain_text(text: str, drop_users: tuple[str, ...] = ()) -> str:
    """Turn a Slack message's text back into what the person typed.

    Mentions of ``drop_users`` (the app itself) are removed; other user
    mentions become ``@name`` (or ``@someone``), channel references
    ``#name``, special mentions ``@here``/``@channel``/``@everyone``, links
    their label or address; then ``&lt;``, ``&gt;`` and ``&amp;`` are decoded.
    """

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            if target[1:] in drop_users:
                return ""
            return "@" + (label or "someone")
        if target.startswith("#"):
            return "#" + (label or "channel")
        if target.startswith("!"):
            if label:
                return label
            return "@" + target[1:].split("^", 1)[0]
        if target.startswith("mailto:"):
            return label or target[len("mailto:") :]
        return label or target

    out = _MARKUP.sub(replace, text)
    out = out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"[ \t]{2,}", " ", out).strip()


def mentioned_users(text: str) -> list[str]:
    """User ids mentioned in a message's text (``<@U123>``), in order."""
    return [m.group(1) for m in re.finditer(r"<@([A-Z0-9]+)(?:\|[^>]*)?>", text)]


# --- state ------------------------------------------------------------------


class StateStore(Protocol):
    """Where the channel remembers handled events and screening threads."""

    async def claim(self, key: str, ttl: int) -> bool:
        """Mark ``key`` as seen for ``ttl`` seconds; True if it was not seen yet."""
        ...

    async def get(self, key: str) -> str | None:
        """The value stored under ``key``, or None."""
        ...

    async def put(self, key: str, value: str, ttl: int) -> None:
        """Store ``value`` under ``key`` for ``ttl`` seconds."""
        ...


class SQLiteStore:
    """A :class:`StateStore` in a SQLite file (one machine, any number of processes).

    Args:
        path: The database file; its folder is created.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writes = 0
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT, expires REAL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10, isolation_level=None)

    def _claim(self, key: str, ttl: int) -> bool:
        now = time.time()
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM state WHERE key = ? AND expires < ?", (key, now))
            cursor = conn.execute(
                "INSERT OR IGNORE INTO state (key, value, expires) VALUES (?, '1', ?)", (key, now + ttl)
            )
            claimed = cursor.rowcount == 1
            self._writes += 1
            if self._writes % 500 == 0:
                conn.execute("DELETE FROM state WHERE expires < ?", (now,))
            conn.execute("COMMIT")
            return claimed

    def _get(self, key: str) -> str | None:
        with self._connect() as conn:
            row = conn.execute("SELECT value FROM state WHERE key = ? AND expires >= ?", (key, time.time())).fetchone()
            return row[0] if row else None

    def _put(self, key: str, value: str, ttl: int) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO state (key, value, expires) VALUES (?, ?, ?)", (key, value, time.time() + ttl)
            )

    async def claim(self, key: str, ttl: int) -> bool:
        """See :meth:`StateStore.claim`."""
        return await asyncio.to_thread(self._claim, key, ttl)

    async def get(self, key: str) -> str | None:
        """See :meth:`StateStore.get`."""
        return await asyncio.to_thread(self._get, key)

    async def put(self, key: str, value: str, ttl: int) -> None:
        """See :meth:`StateStore.put`."""
        await asyncio.to_thread(self._put, key, value, ttl)


class RedisError(RuntimeError):
    """Redis answered with an error."""


class RedisStore:
    """A :class:`StateStore` in Redis, shared by every Rasa server.

    Speaks just enough RESP for ``SET NX EX``, ``SET EX`` and ``GET``, one
    connection per command batch (the channel's traffic is small).

    Args:
        url: ``redis://[:password@]host[:port][/db]`` (``rediss://`` for TLS).
        prefix: Prefix of every key.
    """

    def __init__(self, url: str, prefix: str = "screener:slack:") -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 6379
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        path = parts.path.strip("/")
        self.db = int(path) if path.isdigit() else 0
        self.tls = parts.scheme == "rediss"
        self.prefix = prefix

    @staticmethod
    def _encode(*args: str | int) -> bytes:
        out = [f"*{len(args)}\r\n".encode()]
        for arg in args:
            data = str(arg).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(data), data))
        return b"".join(out)

    @staticmethod
    async def _read(reader: asyncio.StreamReader) -> Any:
        line = (await reader.readline()).rstrip(b"\r\n")
        if not line:
            raise ConnectionError("redis closed the connection")
        kind, rest = line[:1], line[1:].decode()
        if kind == b"+":
            return rest
        if kind == b"-":
            raise RedisError(rest)
        if kind == b":":
            return int(rest)
        if kind == b"$":
            length = int(rest)
            if length < 0:
                return None
            data = await reader.readexactly(length + 2)
            return data[:-2].decode()
        if kind == b"*":
            return [await RedisStore._read(reader) for _ in range(max(int(rest), 0))]
        raise RedisError(f"unexpected reply {line!r}")

    async def _run(self, *command: str | int) -> Any:
        commands: list[tuple[str | int, ...]] = []
        if self.password:
            commands.append(("AUTH", self.username, self.password) if self.username else ("AUTH", self.password))
        if self.db:
            commands.append(("SELECT", self.db))
        commands.append(command)
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port, ssl=ssl.create_default_context() if self.tls else None),
            timeout=5,
        )
        try:
            writer.write(b"".join(self._encode(*c) for c in commands))
            await writer.drain()
            result = None
            for _ in commands:
                result = await asyncio.wait_for(self._read(reader), timeout=5)
            return result
        finally:
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, OSError):
                pass

    async def claim(self, key: str, ttl: int) -> bool:
        """See :meth:`StateStore.claim`."""
        return await self._run("SET", self.prefix + key, "1", "NX", "EX", ttl) == "OK"

    async def get(self, key: str) -> str | None:
        """See :meth:`StateStore.get`."""
        return await self._run("GET", self.prefix + key)

    async def put(self, key: str, value: str, ttl: int) -> None:
        """See :meth:`StateStore.put`."""
        await self._run("SET", self.prefix + key, value, "EX", ttl)


def state_store(redis_url: str | None = None, sqlite_path: str | Path | None = None) -> StateStore:
    """The store to use: Redis when a URL is given (or ``REDIS_URL`` is set), else SQLite.

    Args:
        redis_url: Redis URL; default ``REDIS_URL`` from the environment, or
            else the lock store's ``REDIS_HOST``/``REDIS_PORT``/``REDIS_DB``
            (``endpoints.postgres.yml``) when ``REDIS_HOST`` is set.
        sqlite_path: SQLite file; default ``SLACK_STATE_DB``, else
            ``slack_state.sqlite3`` in ``SCREENER_VAR_DIR`` (default ``var/``).
    """
    redis_url = redis_url or os.environ.get("REDIS_URL")
    if not redis_url and os.environ.get("REDIS_HOST"):
        redis_url = "redis://{}:{}/{}".format(
            os.environ["REDIS_HOST"], os.environ.get("REDIS_PORT") or 6379, os.environ.get("REDIS_DB") or 0
        )
    if redis_url:
        return RedisStore(redis_url)
    return SQLiteStore(sqlite_path or os.environ.get("SLACK_STATE_DB") or default_state_db())


def dumps(value: dict[str, Any]) -> str:
    """Compact JSON for the store."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True)
