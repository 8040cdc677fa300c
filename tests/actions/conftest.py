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

PROJECT = Path(__file__).resolve().parents[2]

#: The sender id of every test conversation unless a test says otherwise.
CID = "conv-actions-1"
#: The input channel of the test messages.
CHANNEL = "rest"

#: One specific, on-topic answer per scenario: the scorer rates it at once
#: (no probe), so an interview moves on.
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
