"""The fault suite: servers die mid-interview, and no answer is lost in silence.

Against the real servers (action server, Rasa, web app on SQLite, as
``bot serve`` runs them), a candidate answers through the careers page's
``/api/chat`` while a fault is injected. After each fault the candidate sends
again what they were told was not confirmed, and the suite counts, per fault:
answers sent (how many times the candidate had to send it), stored, lost and
duplicated, and whether the candidate was told (an error reply within
``TOLD_WITHIN`` seconds, or the question asked again) whenever an answer was
not stored. Target: 0 lost, 0 duplicated, always told.

Run alone with ``pytest -m faults``; the table is printed with ``-s``.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db.models import Answer, Candidate, Interview
from bot.servers import ServerProcess, ServerSettings, start_action_server, start_web_server
from tests.e2e.answers import GOOD
from tests.e2e.conftest import STARTUP_TIMEOUT, Stack, _start, sqlite_settings

pytestmark = [pytest.mark.rasa, pytest.mark.faults]

#: Seconds within which a candidate must hear that an answer was not taken.
TOLD_WITHIN = 35.0


@dataclass
class Servers:
    """The running stack, with the web app, and how to restart each part."""

    stack: Stack
    web: ServerProcess
    web_settings: ServerSettings

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_settings.web_port}"

    def restart_actions(self) -> None:
        self.stack.actions.stop()
        self.stack.actions = start_action_server(self.stack.settings)
        self.stack.actions.wait_ready(STARTUP_TIMEOUT)

    def restart_rasa(self) -> None:
        self.stack.restart_rasa()

    def stop(self) -> None:
        self.web.stop()
        self.stack.stop()


@pytest.fixture(scope="module")
def servers(rasa_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    settings = sqlite_settings(tmp_path_factory.mktemp("faults"), rasa_model)
    stack = _start(settings, 1, settings.database_url)
    web_settings = ServerSettings(**{**settings.__dict__, "rasa_port": stack.rasa_settings[0].rasa_port})
    web = start_web_server(web_settings)
    running = Servers(stack, web, web_settings)
    try:
        web.wait_ready(STARTUP_TIMEOUT)
        yield running
    finally:
        running.stop()


class Visitor:
    """One visitor of the careers page: its own cookies and CSRF token.

    ``conversation`` is its conversation id, read from the database once it
    has written.
    """

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.conversation = ""
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with self.opener.open(f"{base_url}/", timeout=30) as page:
            self.csrf = re.search(r'data-csrf="([^"]+)"', page.read().decode()).group(1)

    def say(self, message: str) -> tuple[int, dict, float]:
        """Send one message; return the status, the JSON body and the seconds it took."""
        request = urllib.request.Request(
            f"{self.base_url}/api/chat",
            data=json.dumps({"message": message}).encode(),
            headers={"Content-Type": "application/json", "X-CSRF-Token": self.csrf},
        )
        start = time.monotonic()
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, json.loads(response.read()), time.monotonic() - start
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}"), time.monotonic() - start


def stored_answers(servers: Servers, candidate: Visitor) -> list[str]:
    """The answer texts stored for the candidate's (only) interview, in order."""
    with servers.stack.sessions() as session:
        rows = session.scalars(
            select(Answer.text)
            .join(Interview)
            .join(Candidate)
            .where(Candidate.conversation_id == candidate.conversation)
            .order_by(Answer.position)
        )
        return [text for text in rows if text]


def begin(servers: Servers) -> tuple[Visitor, list[str]]:
    """A visitor who consented and chose a role; their question ids."""
    visitor = Visitor(servers.base_url)
    for message in ("hello", "/affirm", "accountant"):
        status, body, _ = visitor.say(message)
        assert status == 200, body
    with servers.stack.sessions() as session:
        # The tests run one at a time: the newest careers-page candidate is this visitor.
        conversation = session.scalars(
            select(Candidate.conversation_id).where(Candidate.channel == "web").order_by(Candidate.id.desc())
        ).first()
        plan = session.scalars(
            select(Interview.plan).join(Candidate).where(Candidate.conversation_id == conversation)
        ).one()
    visitor.conversation = conversation
    return visitor, list(plan)


@dataclass
class Outcome:
    """What one fault did to one answer."""

    fault: str
    sent: int
    stored: int
    lost: int
    duplicated: int
    told: bool
    seconds: float


RESULTS: list[Outcome] = []


def run_fault(servers: Servers, name: str, inject: Callable[[], None], recover: Callable[[], None]) -> Outcome:
    """Answer question 1 under the fault, recover, send again if told; count what was stored."""
    visitor, plan = begin(servers)
    answer = GOOD[plan[0]]
    inject()
    status, body, seconds = visitor.say(answer)
    told = status != 200 and bool(body.get("message"))
    recover()
    sent = 1
    while status != 200 or (answer not in stored_answers(servers, visitor) and asks_again(body)):
        # The page kept the text; the candidate sends it again, as told or as asked again.
        assert sent < 4, body
        status, body, _ = visitor.say(answer)
        sent += 1
    stored = stored_answers(servers, visitor)
    count = stored.count(answer)
    outcome = Outcome(
        fault=name,
        sent=sent,
        stored=count,
        lost=int(count == 0),
        duplicated=max(0, count - 1),
        told=told or status == 200,
        seconds=round(seconds, 1),
    )
    RESULTS.append(outcome)
    return outcome


def asks_again(body: dict) -> bool:
    """Whether the bot's reply asks question 1 again."""
    return any(m["text"].startswith("Question 1 of") for m in body.get("messages", []))


def kill(server: ServerProcess) -> None:
    server.stop(timeout=0.1)


def test_action_server_killed_before_the_answer(servers: Servers) -> None:
    outcome = run_fault(servers, "action server down", lambda: kill(servers.stack.actions), servers.restart_actions)
    assert (outcome.lost, outcome.duplicated, outcome.told) == (0, 0, True)
    assert outcome.seconds < TOLD_WITHIN


def test_rasa_killed_before_the_answer(servers: Servers) -> None:
    outcome = run_fault(servers, "Rasa down", lambda: kill(servers.stack.rasa[0]), servers.restart_rasa)
    assert (outcome.lost, outcome.duplicated, outcome.told) == (0, 0, True)
    assert outcome.seconds < TOLD_WITHIN


class DatabaseLock:
    """Hold the SQLite screener database's write lock from another connection until released.

    What a long backup, a stuck process or an operator's open transaction
    does: every writer waits for the busy timeout (30 s), then fails.
    """

    def __init__(self, database_url: str) -> None:
        self.path = database_url.removeprefix("sqlite:///")
        self.release = threading.Event()
        self.held = threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        conn = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        try:
            conn.execute("BEGIN EXCLUSIVE")
            self.held.set()
            self.release.wait(120)
            conn.execute("ROLLBACK")
        finally:
            conn.close()

    def acquire(self) -> None:
        self.thread.start()
        assert self.held.wait(10), "could not take the database lock"

    def free(self) -> None:
        self.release.set()
        self.thread.join(10)


def test_database_locked_past_the_busy_timeout(servers: Servers) -> None:
    lock = DatabaseLock(servers.stack.settings.database_url)
    outcome = run_fault(servers, "database locked 35 s+", lock.acquire, lock.free)
    assert (outcome.lost, outcome.duplicated, outcome.told) == (0, 0, True)
    assert outcome.seconds < TOLD_WITHIN


def test_a_double_send_stores_the_answer_once(servers: Servers) -> None:
    visitor, plan = begin(servers)
    answer = GOOD[plan[0]]
    first = visitor.say(answer)
    second = visitor.say(answer)
    stored = stored_answers(servers, visitor)
    RESULTS.append(
        Outcome(
            "double send",
            2,
            stored.count(answer),
            int(answer not in stored),
            max(0, stored.count(answer) - 1),
            True,
            round(first[2] + second[2], 1),
        )
    )
    assert first[0] == 200 and stored.count(answer) == 1


def test_report(servers: Servers) -> None:
    """Print the table (``-s``); fails if any fault lost or doubled an answer."""
    print("\n| fault | sent | stored | lost | duplicated | candidate told | seconds to reply |")
    print("|---|---|---|---|---|---|---|")
    for r in RESULTS:
        print(
            f"| {r.fault} | {r.sent} | {r.stored} | {r.lost} | {r.duplicated} "
            f"| {'yes' if r.told else 'no'} | {r.seconds} |"
        )
    assert all(r.lost == 0 and r.duplicated == 0 and r.told for r in RESULTS)
