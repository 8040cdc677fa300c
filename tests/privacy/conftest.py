"""Fixtures for :mod:`bot.privacy`: a candidate with something in every category, and a tracker store.

``full_candidate`` writes (on the ``loaded`` database: SQLite, then
PostgreSQL) a named, invited candidate with a scored interview whose answers
and follow-up hold :data:`PHRASE`, careers-page messages, an override, a
decision with a comment, a note, and audit entries, next to another candidate
who must not be touched. ``tracker_url`` is a SQLite file with Rasa's
``events`` table holding both conversations.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import (
    Decision,
    Invitation,
    Note,
    RatingOverride,
    Recruiter,
    WebMessage,
)
from bot.privacy.locations import DataLocations
from bot.privacy.tracker import EVENTS
from bot.web import audit
from tests.web.factory import make_interview

#: What the candidate wrote, to be found nowhere after erasure.
PHRASE = "periwinkle-marmot-7Q"
OTHER_PHRASE = "saffron-otter-3K"
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@dataclass
class Written:
    """Ids of what ``full_candidate`` wrote."""

    candidate_id: int
    conversation_id: str
    interview_id: int
    other_candidate_id: int
    other_conversation_id: str
    other_interview_id: int
    recruiter_id: int


def _fill(session: Session, recruiter: Recruiter, phrase: str, name: str) -> tuple[int, str, int]:
    answer_text = f"I would stay calm and say {phrase} to the customer, then listen."
    interview = make_interview(session, text=answer_text, name=name, started=T0)
    candidate = interview.candidate
    candidate.invited_role_id = "cashier"
    first = interview.answers[0]
    first.follow_up_text = f"And I would follow up with {phrase} by email."
    first.follow_up_asked_at = T0 + timedelta(minutes=1)
    first.follow_up_at = T0 + timedelta(minutes=1, seconds=30)
    score = first.scores[0]
    score.evidence = [
        *score.evidence,
        {"text": phrase, "start": 0, "end": len(phrase), "indicator": "x", "polarity": "for", "strength": 0.5},
    ]
    conversation = candidate.conversation_id
    session.add_all(
        [
            WebMessage(conversation_id=conversation, sender="bot", text="Question 1 of 3", buttons=[], at=T0),
            WebMessage(conversation_id=conversation, sender="candidate", text=answer_text, buttons=[], at=T0),
            Invitation(
                token_hash=secrets.token_hex(32),
                candidate=candidate,
                role_id="cashier",
                created_by_id=recruiter.id,
                created_at=T0 - timedelta(days=1),
                expires_at=T0 + timedelta(days=13),
                bound_at=T0,
            ),
            RatingOverride(
                score_id=score.id,
                interview_id=interview.id,
                recruiter_id=recruiter.id,
                original_rating=score.rating,
                rating=4,
                reason=f"they said {phrase}, which counts",
                at=T0 + timedelta(hours=1),
            ),
            Decision(
                interview_id=interview.id,
                recruiter_id=recruiter.id,
                decision="advance",
                comment=f"liked {phrase}",
                at=T0 + timedelta(hours=2),
            ),
            Note(interview_id=interview.id, recruiter_id=recruiter.id, text=f"{name} wrote {phrase}", at=T0),
        ]
    )
    session.flush()
    audit.record(session, recruiter.id, "view_interview", interview.id)
    audit.record(session, recruiter.id, "create_invitation", candidate_id=candidate.id, role="cashier")
    return candidate.id, conversation, interview.id


@pytest.fixture
def full_candidate(loaded: sessionmaker[Session]) -> Written:
    """A candidate with data in every category, and another one."""
    with loaded.begin() as session:
        recruiter = Recruiter(email="rita@example.org", name="Rita Recruiter", password_hash="-", role="admin")
        session.add(recruiter)
        session.flush()
        own = _fill(session, recruiter, PHRASE, "Zelda Quokka")
        other = _fill(session, recruiter, OTHER_PHRASE, "Otto Other")
        return Written(*own, *other, recruiter.id)


def make_tracker(path: Path, conversations: dict[str, str]) -> str:
    """A SQLite file with Rasa's ``events`` table: a user and a bot event per conversation."""
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as conn:
        for sender, text in conversations.items():
            for kind, said in (("user", text), ("bot", "Thank you.")):
                conn.execute(
                    insert(EVENTS).values(
                        sender_id=sender,
                        type_name=kind,
                        timestamp=T0.timestamp(),
                        data=json.dumps({"event": kind, "text": said, "timestamp": T0.timestamp()}),
                    )
                )
    engine.dispose()
    return url


@pytest.fixture
def locations(tmp_path: Path, full_candidate: Written) -> DataLocations:
    """Stores outside the database: a SQLite tracker store with both conversations, no Slack state."""
    url = make_tracker(
        tmp_path / "trackers.db",
        {
            full_candidate.conversation_id: f"my answer: {PHRASE}",
            full_candidate.other_conversation_id: f"my answer: {OTHER_PHRASE}",
        },
    )
    return DataLocations(tracker_url=url, slack_redis_url=None, slack_sqlite=tmp_path / "slack_state.sqlite3")
