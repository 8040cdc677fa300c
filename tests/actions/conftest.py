"""Fixtures for the custom action tests (``actions/``).

Adds to ``tests/conftest.py``:

* ``domain``: ``domain.yml`` as a dict, as the action server receives it;
* ``tracker``: a factory of :class:`rasa_sdk.Tracker` objects shaped like the
  ones Rasa sends (every domain slot plus ``requested_slot``, the latest
  message, its ``user`` event and any slot candidates after it);
* ``active_service``: points the actions at the ``service`` fixture (a real
  database, SQLite then PostgreSQL, with the bank loaded and the real
  scorer) and resets :mod:`actions.runtime` after the test;
* ``db``: reads back what the actions wrote;
* ``begin``: consent and a started interview, set up through the service;
* ``good_answers``: a specific, on-topic answer to every scenario;
* ``utterance``: the exact dict ``CollectingDispatcher`` records for a message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SlotSet, UserUttered
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.runtime import use_service
from bot.db.models import Answer, Candidate, Interview
from bot.interview import InterviewService
from tests.answers import GOOD_ANSWERS

PROJECT = Path(__file__).resolve().parents[2]

#: The sender id of every test conversation unless a test says otherwise.
CID = "conv-actions-1"
#: The input channel of the test messages.
CHANNEL = "rest"


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """``domain.yml`` as a dict (what ``FormValidationAction.run`` reads)."""
    with open(PROJECT / "domain.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture
def tracker(domain: dict[str, Any]) -> Callable[..., Tracker]:
    """``tracker(...)`` builds a tracker as Rasa sends it to the action server.

    Keyword arguments:
        text, intent, confidence, entities: the latest user message; with no
            ``text`` and no ``intent`` there is no user message.
        slots: slot values (the others are None); unknown names are an error.
        candidates: slots Rasa extracted from the message (e.g. ``consent``
            from an ``affirm``): set in ``slots`` and appended as ``SlotSet``
            events after the ``user`` event, where ``slots_to_validate`` finds
            them.
        active_loop: the active form's name, or None.
        events: the whole event list, replacing the default one.
        sender_id: the conversation id (default :data:`CID`).
    """

    def make(
        *,
        text: str | None = None,
        intent: str | None = None,
        confidence: float = 0.95,
        entities: list[dict[str, Any]] | None = None,
        slots: dict[str, Any] | None = None,
        candidates: dict[str, Any] | None = None,
        active_loop: str | None = None,
        events: list[dict[str, Any]] | None = None,
        sender_id: str = CID,
        latest_action_name: str = "action_listen",
    ) -> Tracker:
        values: dict[str, Any] = {name: None for name in domain["slots"]}
        values.update({"requested_slot": None, "session_started_metadata": None})
        given = {**(slots or {}), **(candidates or {})}
        unknown = set(given) - set(values)
        if unknown:
            raise KeyError(f"not slots of the domain: {sorted(unknown)}")
        values.update(given)
        latest: dict[str, Any] = {}
        if text is not None or intent is not None:
            latest = {
                "text": text,
                "intent": {"name": intent, "confidence": confidence},
                "entities": list(entities or []),
            }
        if events is None:
            events = [ActionExecuted("action_listen")]
            if latest:
                events.append(UserUttered(text, parse_data=latest, input_channel=CHANNEL))
            events.extend(SlotSet(name, value) for name, value in (candidates or {}).items())
        return Tracker(
            sender_id=sender_id,
            slots=values,
            latest_message=latest,
            events=list(events),
            paused=False,
            followup_action=None,
            active_loop={"name": active_loop} if active_loop else {},
            latest_action_name=latest_action_name,
        )

    return make


@pytest.fixture
def active_service(service: InterviewService) -> Iterator[InterviewService]:
    """The actions use ``service`` during the test; the default again after."""
    use_service(service)
    try:
        yield service
    finally:
        use_service(None)


class Db:
    """Reads back the interviews the actions wrote, with answers and scores loaded."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def interviews(self, conversation_id: str = CID) -> list[Interview]:
        """Every interview of the conversation, oldest first."""
        with self.sessions() as session:
            rows = session.scalars(
                select(Interview)
                .join(Candidate)
                .where(Candidate.conversation_id == conversation_id)
                .order_by(Interview.id)
            ).all()
            for interview in rows:
                for answer in interview.answers:
                    answer.scores  # noqa: B018  (load while the session is open)
            return list(rows)

    def interview(self, conversation_id: str = CID) -> Interview:
        """The conversation's newest interview (fails if there is none)."""
        rows = self.interviews(conversation_id)
        assert rows, f"no interview for {conversation_id!r}"
        return rows[-1]

    def answer(self, position: int, conversation_id: str = CID) -> Answer:
        """The answer row at ``position`` of the newest interview."""
        interview = self.interview(conversation_id)
        with self.sessions() as session:
            answer = session.scalars(
                select(Answer).where(Answer.interview_id == interview.id, Answer.position == position)
            ).one()
            answer.scores  # noqa: B018
            answer.variant  # noqa: B018
            answer.question  # noqa: B018
            return answer


@pytest.fixture
def db(loaded: sessionmaker[Session]) -> Db:
    """What is in the test database (the one ``service`` writes to)."""
    return Db(loaded)


@pytest.fixture
def begin(service: InterviewService) -> Callable[..., int]:
    """``begin(role="cashier", conversation_id=CID)``: consent, then start the role's interview.

    Returns the interview id. With ``role=None`` only consent is recorded.
    """

    def start(role: str | None = "cashier", conversation_id: str = CID) -> int:
        interview_id = service.record_consent(conversation_id, CHANNEL, True)
        if role is not None:
            service.start(conversation_id, role)
        return interview_id

    return start


@pytest.fixture
def good_answers() -> dict[str, str]:
    """Scenario id -> a specific, on-topic answer."""
    return dict(GOOD_ANSWERS)


@pytest.fixture
def utterance() -> Callable[..., dict[str, Any]]:
    """``utterance(text, buttons=None, response=None)``: a message as ``CollectingDispatcher`` keeps it."""

    def make(
        text: str | None = None,
        buttons: list[dict[str, Any]] | None = None,
        response: str | None = None,
    ) -> dict[str, Any]:
        return {
            "text": text,
            "buttons": buttons or [],
            "elements": [],
            "custom": {},
            "template": response,
            "response": response,
            "image": None,
            "attachment": None,
        }

    return make
