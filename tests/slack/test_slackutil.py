"""Signatures, escaping and the event store of the Slack channel (no Rasa needed)."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import time

import pytest

from bot.channels.slackutil import (
    RedisStore,
    SQLiteStore,
    escape,
    mentioned_users,
    plain_text,
    sign,
    state_store,
    user_key,
    verify_signature,
)

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def test_signature_matches_slacks_documented_example() -> None:
    # https://api.slack.com/authentication/verifying-requests-from-slack
    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    assert sign(SECRET, 1531420618, body) == expected
    assert verify_signature(SECRET, "1531420618", expected, body, now=1531420618 + 10)


def test_signature_refusals() -> None:
    body, now = b'{"type":"event_callback"}', int(time.time())
    good = sign(SECRET, now, body)
    assert verify_signature(SECRET, str(now), good, body)
    assert not verify_signature(SECRET, str(now), None, body)
    assert not verify_signature(SECRET, None, good, body)
    assert not verify_signature(SECRET, "soon", good, body)
    assert not verify_signature("", str(now), sign("", now, body), body)
    assert not verify_signature(SECRET, str(now), sign("other", now, body), body)
    assert not verify_signature(SECRET, str(now), good, body + b" ")
    old = now - 301
    assert not verify_signature(SECRET, str(old), sign(SECRET, old, body), body), "older than five minutes"
    future = now + 301
    assert not verify_signature(SECRET, str(future), sign(SECRET, future, body), body)


def test_escape_keeps_mrkdwn_and_never_makes_mentions() -> None:
    assert escape("*Question 1*: _why_ <!channel> & <@U123> <https://x|y>") == (
        "*Question 1*: _why_ &lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://x|y&gt;"
    )
    assert "<" not in escape("<<!here>>") and ">" not in escape("<<!here>>")


def test_plain_text_gives_back_what_was_typed() -> None:
    assert plain_text("<@U0BOT> hello", ("U0BOT",)) == "hello"
    assert plain_text("ask <@U12|ann> in <#C1|general>, see <https://ex.org|ex.org> or <mailto:a@b.c|a@b.c>") == (
        "ask @ann in #general, see ex.org or a@b.c"
    )
    assert plain_text("<!channel> <!here> <!subteam^S1|@team> &lt;!channel&gt; Q&amp;A 1 &lt; 2") == (
        "@channel @here @team <!channel> Q&A 1 < 2"
    )
    assert plain_text("<https://ex.org>") == "https://ex.org"
    assert mentioned_users("<@U0BOT> screen <@U0CAND|cand> and <@U0X>") == ["U0BOT", "U0CAND", "U0X"]


def test_user_keys_hide_user_ids() -> None:
    key = user_key(SECRET, "U0CAND")
    assert "U0CAND" not in key and key == user_key(SECRET, "U0CAND") != user_key(SECRET, "U0OTHER")
    assert user_key("another secret", "U0CAND") != key


async def _exercise(store) -> None:
    key = f"event:{secrets.token_hex(6)}"
    assert await store.claim(key, 60) is True
    assert await store.claim(key, 60) is False
    assert await store.get("missing-" + key) is None
    await store.put("thread:" + key, '{"candidate":"x"}', 60)
    assert await store.get("thread:" + key) == '{"candidate":"x"}'
    results = await asyncio.gather(*(store.claim(key + "-race", 60) for _ in range(8)))
    assert results.count(True) == 1, "exactly one concurrent claim wins"


async def test_sqlite_store(tmp_path) -> None:
    store = SQLiteStore(tmp_path / "var" / "state.sqlite3")
    await _exercise(store)
    expired = f"event:{secrets.token_hex(4)}"
    assert await store.claim(expired, -1)
    assert await store.claim(expired, 60), "an expired key can be claimed again"
    assert isinstance(state_store(redis_url="", sqlite_path=tmp_path / "s.db"), SQLiteStore)


def _redis_up() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
async def test_redis_store() -> None:
    store = state_store(redis_url=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3"))
    assert isinstance(store, RedisStore) and store.db == 3
    await _exercise(store)


def test_the_lock_stores_redis_is_used_when_no_url_is_given(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("REDIS_HOST", raising=False)
    assert isinstance(state_store(sqlite_path=tmp_path / "s.db"), SQLiteStore)
    monkeypatch.setenv("REDIS_HOST", "10.0.0.5")
    monkeypatch.setenv("REDIS_DB", "2")
    store = state_store(sqlite_path=tmp_path / "s.db")
    assert isinstance(store, RedisStore) and (store.host, store.port, store.db) == ("10.0.0.5", 6379, 2)


def test_the_sqlite_store_lives_in_the_runtime_folder(monkeypatch, tmp_path) -> None:
    for name in ("REDIS_URL", "REDIS_HOST", "SLACK_STATE_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SCREENER_VAR_DIR", str(tmp_path / "state"))
    store = state_store()
    assert isinstance(store, SQLiteStore) and store.path == tmp_path / "state" / "slack_state.sqlite3"
