"""The atomic Redis lock store: one conversation is held by one server at a time.

Two processes in Rasa's environment (two "servers") take the same
conversation's lock many times at once; the intervals in which they held it
must never overlap. (Rasa's own ``RedisLockStore`` under the same load loses
the lock: a process fails with "Could not acquire lock", RasaHQ/rasa#9213.)
"""

from __future__ import annotations

import secrets
import subprocess
from pathlib import Path

import pytest
import redis

from bot.servers import rasa_bin
from tests.conftest import PROJECT

pytestmark = pytest.mark.rasa
WORKER = Path(__file__).with_name("lock_worker.py")
DB = 7


def _overlaps(store_class: str, rounds: int = 15) -> int | None:
    """Overlapping lock holds of two processes; None when a process failed to get the lock."""
    key = f"locktest-log-{secrets.token_hex(4)}"
    python = rasa_bin().with_name("python")
    workers = [
        subprocess.Popen(
            [str(python), str(WORKER), store_class, str(DB), key, str(w), str(rounds)],
            cwd=PROJECT,
            env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin"},
            stderr=subprocess.DEVNULL,
        )
        for w in range(2)
    ]
    codes = [worker.wait(120) for worker in workers]
    client = redis.StrictRedis(host="127.0.0.1", db=DB)
    if any(codes):
        client.delete(key)
        return None
    intervals = sorted(
        (float(start), float(end))
        for _, _, start, end in (row.decode().split(":") for row in client.lrange(key, 0, -1))
    )
    client.delete(key)
    assert len(intervals) == 2 * rounds
    return sum(1 for (_, end), (start, _) in zip(intervals, intervals[1:], strict=False) if start < end)


def test_two_servers_never_hold_one_conversation_at_once() -> None:
    assert _overlaps("bot.rasa_ext.lock_store.AtomicRedisLockStore") == 0
