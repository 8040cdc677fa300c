"""Erasure end to end: a candidate answers on the careers page, is erased, and their words are gone.

The action server, the Rasa server (SQLite tracker store) and the web app run
as ``bot serve`` runs them, with every file in a folder of their own (the
run's var directory). A candidate holds a whole interview through
``/api/chat`` and works a unique phrase into every answer; the phrase then is
in our tables, the web app's message log, Rasa's tracker store and the
database files. ``python -m bot erase`` runs with the servers' environment,
and afterwards the phrase is in no table, no tracker store row, and no byte
of any file under the var directory.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import secrets
import sqlite3
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db.base import Base
from bot.db.models import Answer, AnswerStatus, AuditEntry, Candidate, Interview, InterviewStatus
from bot.servers import ServerProcess, ServerSettings, start_web_server
from tests.conftest import PROJECT
from tests.e2e.answers import GOOD
from tests.e2e.conftest import STARTUP_TIMEOUT, Stack, _start, sqlite_settings

pytestmark = pytest.mark.rasa


@dataclass
class Served:
    """The running servers and their var directory."""

    stack: Stack
    web: ServerProcess
    root: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.stack.settings.web_port}"


@pytest.fixture(scope="module")
def served(rasa_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("erasure")
    settings = sqlite_settings(root, rasa_model, SCREENER_VAR_DIR=str(root))
    stack = _start(settings, 1, settings.database_url)
    web = start_web_server(ServerSettings(**{**settings.__dict__, "rasa_port": stack.rasa_settings[0].rasa_port}))
    try:
        web.wait_ready(STARTUP_TIMEOUT)
        yield Served(stack, web, root)
    finally:
        web.stop()
        stack.stop()
        stack.sessions.kw["bind"].dispose()


class Visitor:
    """A careers-page visitor with its own cookies and CSRF token."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with self.opener.open(f"{base_url}/", timeout=30) as page:
            self.csrf = re.search(r'data-csrf="([^"]+)"', page.read().decode()).group(1)

    def say(self, message: str) -> list[str]:
        request = urllib.request.Request(
            f"{self.base_url}/api/chat",
            data=json.dumps({"message": message}).encode(),
            headers={"Content-Type": "application/json", "X-CSRF-Token": self.csrf},
        )
        with self.opener.open(request, timeout=120) as response:
            assert response.status == 200
            return [m["text"] for m in json.loads(response.read())["messages"]]


def interview_of(served: Served) -> Interview:
    with served.stack.sessions() as session:
        return session.scalars(
            select(Interview).join(Candidate).where(Candidate.channel == "web").order_by(Interview.id.desc())
        ).first()


def hold_interview(served: Served, phrase: str) -> Interview:
    """Consent, choose a role and answer every question (and any follow-up) with ``phrase`` in it."""
    visitor = Visitor(served.base_url)
    visitor.say("hello")
    visitor.say("/affirm")
    visitor.say("I applied for the cashier job")
    for _ in range(20):
        interview = interview_of(served)
        if interview.status != InterviewStatus.IN_PROGRESS:
            break
        with served.stack.sessions() as session:
            current = session.scalars(
                select(Answer).where(Answer.interview_id == interview.id, Answer.position == interview.position)
            ).one()
        if current.status == AnswerStatus.PROBING:
            visitor.say(f"I would also write it down and check back later, as I always say: {phrase}.")
        else:
            visitor.say(f"{GOOD[current.question_id]} My motto is {phrase}.")
    interview = interview_of(served)
    assert interview.status == InterviewStatus.COMPLETED
    return interview


def table_text(served: Served) -> str:
    parts = []
    with served.stack.sessions() as session:
        for table in Base.metadata.sorted_tables:
            parts.extend(json.dumps([str(v) for v in row]) for row in session.execute(select(table)))
    return "\n".join(parts)


def tracker_text(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(json.dumps([str(v) for v in row]) for row in conn.execute("SELECT * FROM events"))
    finally:
        conn.close()


def files_with(root: Path, needle: bytes) -> list[str]:
    """Every file under ``root`` whose bytes hold ``needle``."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and needle in p.read_bytes())


def test_an_erased_candidate_leaves_no_trace(served: Served) -> None:
    phrase = f"zq{secrets.token_hex(5)}marmot"
    interview = hold_interview(served, phrase)
    tracker = served.stack.settings.tracker_db
    assert phrase in table_text(served) and phrase in tracker_text(tracker)
    assert files_with(served.root, phrase.encode()), "the phrase should be in the database files before erasure"
    with served.stack.sessions() as session:
        candidate = session.get(Candidate, interview.candidate_id)
        conversation = candidate.conversation_id
        assert session.scalars(select(Answer.text).where(Answer.interview_id == interview.id)).first()

    result = subprocess.run(
        [sys.executable, "-m", "bot", "erase", str(interview.candidate_id), "--reason", "candidate's request"],
        cwd=PROJECT,
        env=served.stack.settings.environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"candidate {interview.candidate_id} erased" in result.stdout
    assert phrase not in result.stdout + result.stderr

    text = table_text(served)
    assert phrase not in text and conversation not in text
    assert phrase not in tracker_text(tracker) and conversation not in tracker_text(tracker)
    assert files_with(served.root, phrase.encode()) == []
    assert files_with(served.root, conversation.encode()) == []
    with served.stack.sessions() as session:
        kept = session.get(Interview, interview.id)
        assert kept.status == InterviewStatus.COMPLETED and kept.role_id == "cashier"
        [tombstone] = session.scalars(select(AuditEntry).where(AuditEntry.action == "erase_candidate")).all()
        assert tombstone.detail["candidate_id"] == interview.candidate_id
        assert tombstone.detail["reason"] == "candidate's request"
        assert tombstone.detail["removed"]["tracker_events"] > 0 and tombstone.detail["removed"]["messages"] > 0
