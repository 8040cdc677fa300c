"""Interviews (and second factors) written straight to the database, for the web tests and the benchmark."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.models import (
    Answer,
    AnswerStatus,
    Candidate,
    Interview,
    InterviewEvent,
    InterviewStatus,
    Question,
    QuestionKind,
    Recruiter,
    Role,
    Score,
)

HOSTILE = '<script>alert("x")</script> I would <b>stay calm</b> & listen to the customer first.'


def make_interview(
    session: Session,
    role_id: str = "cashier",
    text: str = HOSTILE,
    name: str | None = "Ada <i>Lovelace</i>",
    status: str = InterviewStatus.COMPLETED,
    started: datetime | None = None,
    rating_seed: int = 0,
    questions: list[Question] | None = None,
    role: Role | None = None,
) -> Interview:
    """A completed interview with scored answers (evidence spans into ``text``)."""
    started = started or datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    candidate = Candidate(
        conversation_id=secrets.token_urlsafe(18), channel="web", display_name=name, created_at=started
    )
    questions = (
        questions
        if questions is not None
        else list(
            session.scalars(select(Question).where(Question.kind == QuestionKind.SITUATIONAL).order_by(Question.id))
        )[:3]
    )
    interview = Interview(
        candidate=candidate,
        role_id=role_id,
        channel="web",
        status=status,
        consent=True,
        consent_at=started,
        plan=[q.id for q in questions],
        position=len(questions),
        started_at=started,
        finished_at=started + timedelta(minutes=12) if status == InterviewStatus.COMPLETED else None,
        updated_at=started + timedelta(minutes=12),
    )
    session.add(interview)
    session.add(InterviewEvent(interview=interview, kind="consent_given", at=started, detail={}))
    start = text.find("stay calm")
    for position, question in enumerate(questions):
        answer = Answer(
            interview=interview,
            question=question,
            variant=question.variants[0],
            position=position,
            status=AnswerStatus.ANSWERED,
            text=text,
            asked_at=started + timedelta(minutes=2 * position),
            answered_at=started + timedelta(minutes=2 * position + 1),
        )
        session.add(answer)
        rubric = question.current_rubric
        for k, competency in enumerate((question.primary_competency_id, question.secondary_competency_id)):
            evidence = []
            if start >= 0 and k == 0:
                evidence = [
                    {
                        "text": "stay calm",
                        "start": start,
                        "end": start + 9,
                        "indicator": "stays calm",
                        "polarity": "for",
                        "strength": 1.0,
                    }
                ]
            session.add(
                Score(
                    answer=answer,
                    competency_id=competency,
                    rating=1 + (rating_seed + position + k) % 5,
                    evidence=evidence,
                    flags=["short_answer"] if k == 1 and position == 0 else [],
                    rubric_version_id=rubric.id,
                    scorer_version="test",
                    created_at=started,
                )
            )
    session.flush()
    return interview


#: A fixed TOTP secret (base32, 160 bits) for test accounts.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enable_totp(session: Session, recruiter_id: int, secret: str = TEST_TOTP_SECRET) -> str:
    """Turn the account's second factor on with a known secret (no recovery codes); return the secret."""
    recruiter = session.get(Recruiter, recruiter_id)
    recruiter.totp_secret = secret
    recruiter.totp_pending_secret = None
    recruiter.totp_enabled_at = utcnow()
    recruiter.totp_last_step = None
    return secret
