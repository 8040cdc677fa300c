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

PROJECT = Path(__file__).resolve().parents[2]
BANK_DIR = PROJECT / "data" / "bank"
ADMIN_PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite"] + ([] if os.environ.get("SKIP_POSTGRES") == "1" else ["postgresql"])

#: One specific, on-topic answer per scenario: several concrete actions, so
#: the scorer rates it without asking the probe.
GOOD_ANSWERS: dict[str, str] = {
    "angry_customer": (
        "I'd let them finish without interrupting, apologise and say I understand why they are "
        "frustrated, take the order number and check the tracking, then offer a refund or a "
        "replacement sent by express, and call them back tomorrow once it has arrived."
    ),
    "unclear_request": (
        "I'd ask for their name or account number and look up their order history, then ask open "
        "questions like what they used it for and roughly when they ordered, read back the likely "
        "item and confirm with them before placing the order."
    ),
    "busy_reception": (
        "I'd smile and make eye contact with the visitor so they know I've seen them, ask the caller "
        "if I can ring them back in five minutes and note their number, then thank the waiting "
        "customer for their patience and help them first, and greet the visitor warmly after."
    ),
    "explain_policy": (
        "I'd say I'm sorry, I understand it's disappointing. Then explain calmly that our refund "
        "window is 30 days so we can resell items in good condition, and since it has been 45 days "
        "I can't refund it, but I can offer an exchange or store credit, and check they understood."
    ),
    "hesitant_prospect": (
        "I'd thank them and ask what is holding them back, listen without interrupting, summarise "
        "what they told me to check I understood their needs, answer their concerns, and agree a "
        "time to call them back next week with a written summary."
    ),
    "rushed_customer": (
        "I'd stay calm and not take the irritation personally, let them finish, then summarise the "
        "three problems back to them one by one to check I understood, apologise for asking again, "
        "and deal with each problem in turn, confirming each is solved."
    ),
    "deadline_crunch": (
        "I'd list every task with its deadline, file the contract with the authorities first because "
        "Thursday is the legal deadline, and confirm receipt. I'd tell my manager I can do the "
        "spreadsheet today but ask which report could slip, plan the reports for Thursday and Friday "
        "with a checklist, and flag any risk early."
    ),
    "timesheet_discrepancy": (
        "I'd compare the timesheet with the scheduling system and the clock-in records, recalculate "
        "the hours, and ask the employee and their manager which is right before payroll. I wouldn't "
        "change any figure without a source, I'd document the correction and pay the verified hours."
    ),
    "wrong_invoice": (
        "I'd recalculate the total against the purchase order and the delivery note, then email the "
        "supplier: 'Invoice 123 shows 1,250 but the agreed total is 1,050, as last month. Please send "
        "a corrected invoice by Friday and tell us how you will prevent this.' I'd keep a record and "
        "follow up if they don't reply."
    ),
    "skip_background_check": (
        "I'd politely explain that the background check is a legal requirement and I can't skip it, "
        "offer to speed it up or have the person start on a later date, and confirm this in an email "
        "to the manager. If they insist I'd escalate to HR and document the request."
    ),
    "filing_backlog": (
        "I'd first sort the backlog into categories and by urgency, set up a clear folder structure "
        "and naming convention, file anything with a deadline first, then work through the rest a set "
        "amount each day, track progress in a spreadsheet and tell my manager how long it will take."
    ),
    "new_ledger_system": (
        "I'd take the training and read the documentation, practise in a test environment before the "
        "move, make a full backup of the old system, and after the migration run reconciliation "
        "reports to check every balance matches the old ledger, and keep a list of questions for the "
        "vendor."
    ),
}


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
