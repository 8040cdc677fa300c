"""Forgetting a Slack conversation in the Slack channel's state store.

The channel (:mod:`bot.channels.slack`) keeps, under keys of its store
(:mod:`bot.channels.slackutil`):

* ``thread:<team>:<channel>:<ts>``: a screening thread's record, keyed hashes
  of the recruiter's and the candidate's Slack user ids;
* ``thread-bound:<team>:<channel>:<ts>``: that the thread's candidate is known;
* ``msg:<team>:<channel>:<ts>`` and ``click:<team>:<channel>:<ts>``: handled
  messages and button clicks (the value is ``1``), kept a day;
* ``event:<id>``, ``msg:<team>:<client id>``, ``sig:<signature>``: handled
  events and request signatures, which name no conversation, kept a day.

A candidate's conversation id (Rasa's sender id) is ``slack:<team>:<channel>``
for a direct message and ``slack:<team>:<channel>:<thread ts>`` for a
thread. :func:`forget_conversation` deletes the thread's keys, or for a direct
message every ``msg:`` and ``click:`` key of its channel. No message text is
ever in the store.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import redis

from bot.channels.slackutil import RedisStore


def conversation_keys(sender_id: str) -> tuple[list[str], list[str]]:
    """The store keys of one Slack conversation.

    Args:
        sender_id: A conversation id such as ``slack:T1:D2`` or
            ``slack:T1:C3:1700000000.000100``.

    Returns:
        ``(keys, prefixes)``: exact keys, and prefixes of keys, to delete;
        both empty when ``sender_id`` is not a Slack conversation.
    """
    parts = sender_id.split(":")
    if parts[0] != "slack" or len(parts) not in (3, 4):
        return [], []
    team, channel = parts[1], parts[2]
    if len(parts) == 4:
        thread = parts[3]
        return [f"thread:{team}:{channel}:{thread}", f"thread-bound:{team}:{channel}:{thread}"], []
    return [], [f"msg:{team}:{channel}:", f"click:{team}:{channel}:"]


def _forget_sqlite(path: Path, keys: list[str], prefixes: list[str]) -> int:
    if not path.exists():
        return 0
    conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state'").fetchone()
        if not has_table:
            return 0
        conn.execute("BEGIN IMMEDIATE")
        deleted = 0
        for key in keys:
            deleted += conn.execute("DELETE FROM state WHERE key = ?", (key,)).rowcount
        for prefix in prefixes:
            deleted += conn.execute("DELETE FROM state WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)).rowcount
        conn.execute("COMMIT")
        return deleted
    finally:
        conn.close()


def _glob_escape(text: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


def _forget_redis(url: str, keys: list[str], prefixes: list[str]) -> int:
    prefix = RedisStore(url).prefix
    client = redis.Redis.from_url(url)
    try:
        names = [prefix + key for key in keys]
        for start in prefixes:
            names.extend(client.scan_iter(match=_glob_escape(prefix + start) + "*", count=500))
        return int(client.delete(*names)) if names else 0
    finally:
        client.close()


def forget_conversation(sender_id: str, redis_url: str | None, sqlite_path: Path) -> int:
    """Delete what the Slack channel's store keeps about one conversation.

    Args:
        sender_id: The conversation id (see :func:`conversation_keys`).
        redis_url: The store's Redis URL, or None for the SQLite store.
        sqlite_path: The SQLite store's file (used without ``redis_url``;
            nothing happens when it does not exist).

    Returns:
        The number of keys deleted.

    Raises:
        redis.RedisError: Redis cannot be reached.
        sqlite3.Error: The SQLite file cannot be written.
    """
    keys, prefixes = conversation_keys(sender_id)
    if not keys and not prefixes:
        return 0
    if redis_url:
        return _forget_redis(redis_url, keys, prefixes)
    return _forget_sqlite(sqlite_path, keys, prefixes)
