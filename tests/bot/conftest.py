"""Fixtures for the ``bot`` package tests.

Adds to ``tests/conftest.py``:

* ``bank_copy``: a private copy of ``data/bank`` in ``tmp_path`` that a test
  may edit (others edit the real bank while the suite runs, so tests that
  load a bank twice compare copies, never the live folder);
* ``edit_yaml``: read-modify-write of one YAML file of such a copy;
* ``fresh_engine``: an engine on an empty, never migrated database (a SQLite
  file, then a PostgreSQL database created for the test and dropped after);
* ``good_answers`` and ``answer_question``: specific, on-topic answers to
  every scenario, and a helper that answers the current question of a
  conversation (replying to the probe too if one is asked);
* ``ticking_clock``: a deterministic clock for :class:`InterviewService`.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, create_engine, text

from bot.db import create_engine_for
from bot.interview import InterviewService
from tests.answers import GOOD_ANSWERS

PROJECT = Path(__file__).resolve().parents[2]
BANK_DIR = PROJECT / "data" / "bank"
ADMIN_PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite"] + ([] if os.environ.get("SKIP_POSTGRES") == "1" else ["postgresql"])


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    """A private copy of ``data/bank`` (``<tmp_path>/bank``) the test may edit."""
    target = tmp_path / "bank"
    shutil.copytree(BANK_DIR, target)
    return target


@pytest.fixture
def edit_yaml() -> Callable[[Path, Callable[[Any], None]], None]:
    """``edit_yaml(path, change)``: load ``path``, let ``change`` mutate the data, write it back."""

    def edit(path: Path, change: Callable[[Any], None]) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    return edit


@pytest.fixture(params=BACKENDS)
def fresh_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database with no schema at all (SQLite, then PostgreSQL)."""
    if request.param == "sqlite":
        engine = create_engine_for(f"sqlite:///{tmp_path / 'fresh.db'}")
        yield engine
        engine.dispose()
        return
    name = f"screener_fresh_{secrets.token_hex(4)}"
    admin = create_engine(ADMIN_PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine_for(ADMIN_PG_URL.rsplit("/", 1)[0] + f"/{name}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def good_answers() -> dict[str, str]:
    """Scenario id -> a specific, on-topic answer."""
    return dict(GOOD_ANSWERS)


@pytest.fixture
def answer_question() -> Callable[[InterviewService, str], str]:
    """``answer_question(service, conversation_id)`` answers the current question well.

    Replies to the probe with the same answer if the scorer asks one, so the
    interview always moves on. Returns the question id answered.
    """

    def answer(service: InterviewService, conversation_id: str) -> str:
        prompt = service.current_prompt(conversation_id)
        assert prompt is not None and not prompt.is_probe
        outcome = service.submit_answer(conversation_id, GOOD_ANSWERS[prompt.question_id])
        if outcome.probed:
            service.submit_answer(conversation_id, GOOD_ANSWERS[prompt.question_id])
        return prompt.question_id

    return answer


@pytest.fixture
def ticking_clock() -> Callable[[], datetime]:
    """A clock that starts at 2026-03-02 09:00 UTC and moves one minute per call."""
    state = {"now": datetime(2026, 3, 2, 9, 0, tzinfo=UTC)}

    def now() -> datetime:
        state["now"] += timedelta(minutes=1)
        return state["now"]

    return now
