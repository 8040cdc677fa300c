"""Tests for the stores outside the database: locating them, Rasa's tracker store (SQLite and
PostgreSQL), the Slack state (SQLite and Redis) and rewriting SQLite files."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, insert

from bot.channels.slackutil import RedisStore, SQLiteStore
from bot.config import PROJECT_DIR
from bot.privacy.locations import LocationError, data_locations, tracker_store_url
from bot.privacy.slack_state import conversation_keys, forget_conversation
from bot.privacy.sqlite_files import scrub, sqlite_path
from bot.privacy.tracker import EVENTS, delete_tracker_events, tracker_events
from tests.conftest import BACKENDS
from tests.privacy.conftest import make_tracker

REDIS_URL = "redis://127.0.0.1:6379/6"


def test_endpoints_files_locate_the_tracker_store(tmp_path: Path) -> None:
    env = {"RASA_TRACKER_DB": str(tmp_path / "t.db")}
    assert tracker_store_url(PROJECT_DIR / "endpoints.yml", env) == f"sqlite:///{tmp_path / 't.db'}"
    pg_env = {
        "RASA_PG_HOST": "db.internal",
        "RASA_PG_PORT": "5433",
        "RASA_PG_DB": "trackers",
        "RASA_PG_USER": "rasa",
        "RASA_PG_PASSWORD": "s3cret",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": "6379",
        "REDIS_DB": "0",
    }
    url = tracker_store_url(PROJECT_DIR / "endpoints.postgres.yml", pg_env)
    assert url == "postgresql+psycopg://rasa:s3cret@db.internal:5433/trackers"
    with pytest.raises(LocationError, match="RASA_PG_HOST"):
        tracker_store_url(PROJECT_DIR / "endpoints.postgres.yml", {})
    relative = tmp_path / "e.yml"
    relative.write_text("tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: var/x.db\n")
    assert tracker_store_url(relative, {}) == f"sqlite:///{PROJECT_DIR / 'var' / 'x.db'}"
    relative.write_text("action_endpoint:\n  url: http://x\n")
    assert tracker_store_url(relative, {}) is None
    relative.write_text("tracker_store:\n  type: mongod\n")
    with pytest.raises(LocationError, match="only SQL"):
        tracker_store_url(relative, {})


def test_data_locations_follow_the_servers_environment(tmp_path: Path) -> None:
    found = data_locations({"SCREENER_VAR_DIR": str(tmp_path)})
    assert found.tracker_url == f"sqlite:///{tmp_path / 'rasa_tracker.db'}"
    assert found.slack_redis_url is None and found.slack_sqlite == tmp_path / "slack_state.sqlite3"
    found = data_locations({"SCREENER_VAR_DIR": str(tmp_path), "REDIS_HOST": "h", "REDIS_DB": "2"})
    assert found.slack_redis_url == "redis://h:6379/2"


@pytest.fixture(params=BACKENDS)
def tracker_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A tracker store holding two conversations: a SQLite file, then a PostgreSQL database."""
    conversations = {"conv-a": "alpha words", "conv-b": "beta words"}
    if request.param == "sqlite":
        yield make_tracker(tmp_path / "trackers.db", conversations)
        return
    url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as conn:
        for sender, text in conversations.items():
            conn.execute(
                insert(EVENTS).values(sender_id=sender, type_name="user", timestamp=1.0, data=f'{{"text": "{text}"}}')
            )
    yield url
    EVENTS.metadata.drop_all(engine)
    engine.dispose()


def test_tracker_events_are_read_and_deleted_per_conversation(tracker_url: str) -> None:
    [event] = [e for e in tracker_events(tracker_url, ["conv-a"]) if e["type"] == "user"]
    assert (event["type"], event["text"], event["sender_id"]) == ("user", "alpha words", "conv-a")
    assert delete_tracker_events(tracker_url, ["conv-a"]) >= 1
    assert tracker_events(tracker_url, ["conv-a"]) == []
    assert [e["text"] for e in tracker_events(tracker_url, ["conv-b"]) if e["type"] == "user"] == ["beta words"]
    assert delete_tracker_events(tracker_url, []) == 0


def test_a_missing_tracker_store_holds_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    assert tracker_events(url, ["x"]) == [] and delete_tracker_events(url, ["x"]) == 0
    assert not (tmp_path / "none.db").exists()


def test_slack_conversation_keys() -> None:
    assert conversation_keys("slack:T1:C2:17.5") == (["thread:T1:C2:17.5", "thread-bound:T1:C2:17.5"], [])
    assert conversation_keys("slack:T1:D2") == ([], ["msg:T1:D2:", "click:T1:D2:"])
    assert conversation_keys("e2e-abc") == ([], [])


async def _fill(store) -> None:
    await store.put("thread:T1:C2:17.5", '{"candidate":"h1","recruiter":"h2"}', 60)
    await store.claim("thread-bound:T1:C2:17.5", 60)
    await store.claim("msg:T1:D9:100.1", 60)
    await store.claim("click:T1:D9:100.2", 60)
    await store.put("thread:T1:C2:99.9", '{"candidate":"h3"}', 60)
    await store.claim("msg:T1:D99:1.1", 60)


async def test_slack_state_is_forgotten_in_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "slack_state.sqlite3"
    store = SQLiteStore(path)
    await _fill(store)
    assert forget_conversation("slack:T1:C2:17.5", None, path) == 2
    assert forget_conversation("slack:T1:D9", None, path) == 2
    assert await store.get("thread:T1:C2:17.5") is None
    assert await store.get("thread:T1:C2:99.9") is not None and not await store.claim("msg:T1:D99:1.1", 60)
    assert forget_conversation("slack:T1:D9", None, tmp_path / "absent.sqlite3") == 0


async def test_slack_state_is_forgotten_in_redis() -> None:
    prefix = f"test:{secrets.token_hex(4)}:"
    store = RedisStore(REDIS_URL, prefix=prefix)
    try:
        await _fill(store)
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    import bot.privacy.slack_state as slack_state

    original = slack_state.RedisStore
    slack_state.RedisStore = lambda url: RedisStore(url, prefix=prefix)  # type: ignore[assignment]
    try:
        assert forget_conversation("slack:T1:C2:17.5", REDIS_URL, Path("/nonexistent")) == 2
        assert forget_conversation("slack:T1:D9", REDIS_URL, Path("/nonexistent")) == 2
    finally:
        slack_state.RedisStore = original
    assert await store.get("thread:T1:C2:17.5") is None
    assert await store.get("thread:T1:C2:99.9") is not None
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(*client.keys(prefix + "*"))
    client.close()


def test_scrub_leaves_no_deleted_bytes(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA secure_delete=OFF")  # some builds default to ON; the file's readers may not
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (v TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [("keep-me",), ("gone-" + "q" * 50,)] + [("pad",)] * 200)
    conn.execute("DELETE FROM t WHERE v LIKE 'gone-%'")
    conn.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"gone-qqq" in raw
    scrub(path)
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"gone-qqq" not in raw and b"keep-me" in raw
    assert sqlite_path(f"sqlite:///{path}") == path and sqlite_path("postgresql://x/y") is None
    assert sqlite_path("sqlite://") is None
