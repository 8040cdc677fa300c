"""Storing and forgetting a candidate's voluntary self-identification.

The careers page (:mod:`bot.web.self_id`) offers the form once the
candidate's newest interview is completed or withdrawn. One answer per
candidate is kept: a new submission replaces the previous one (so a
candidate can change their mind, or switch to "decline").
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.audit.categories import RaceEthnicity, Sex
from bot.db.base import utcnow
from bot.db.models import Candidate, Interview, InterviewStatus, SelfIdentification

#: Interview statuses after which the form is offered.
FINISHED = (InterviewStatus.COMPLETED, InterviewStatus.WITHDRAWN)


def eligible_candidate(session: Session, conversation_id: str) -> int | None:
    """The candidate of ``conversation_id`` if the form may be offered to them.

    Args:
        session: An open session.
        conversation_id: The careers page's conversation id (from its signed cookie).

    Returns:
        The candidate id when their newest interview is completed or
        withdrawn, else None (no candidate, no interview, or one still open).
    """
    row = session.execute(
        select(Candidate.id, Interview.status)
        .join(Interview, Interview.candidate_id == Candidate.id)
        .where(Candidate.conversation_id == conversation_id)
        .order_by(Interview.started_at.desc(), Interview.id.desc())
        .limit(1)
    ).first()
    if row is None or row[1] not in FINISHED:
        return None
    return int(row[0])


def has_answered(session: Session, candidate_id: int) -> bool:
    """Whether the candidate has sent the form (any answer, decline included)."""
    query = select(SelfIdentification.id).where(SelfIdentification.candidate_id == candidate_id)
    return session.scalar(query) is not None


def parse_answer(form: Mapping[str, object]) -> tuple[str, str]:
    """The form's ``sex`` and ``race_ethnicity``; a missing field means "decline".

    Args:
        form: The posted form.

    Returns:
        ``(sex, race_ethnicity)``, values of :class:`Sex` and :class:`RaceEthnicity`.

    Raises:
        ValueError: A value that is not one of the offered answers.
    """
    sex = str(form.get("sex") or Sex.DECLINE)
    race = str(form.get("race_ethnicity") or RaceEthnicity.DECLINE)
    if sex not in {s.value for s in Sex} or race not in {r.value for r in RaceEthnicity}:
        raise ValueError("not one of the offered answers")
    return sex, race


def save_answer(session: Session, candidate_id: int, sex: str, race_ethnicity: str) -> bool:
    """Store the candidate's answer, replacing an earlier one.

    Args:
        session: A session in a write transaction.
        candidate_id: The candidate.
        sex: A :class:`Sex` value.
        race_ethnicity: A :class:`RaceEthnicity` value.

    Returns:
        True when an earlier answer was replaced.
    """
    row = session.scalars(select(SelfIdentification).where(SelfIdentification.candidate_id == candidate_id)).first()
    now = utcnow()
    if row is None:
        session.add(
            SelfIdentification(candidate_id=candidate_id, sex=sex, race_ethnicity=race_ethnicity, created_at=now)
        )
        return False
    row.sex, row.race_ethnicity, row.created_at = sex, race_ethnicity, now
    return True


def forget_candidate(session: Session, candidate_id: int) -> int:
    """Delete the candidate's self-identification (erasure: no identity link is kept).

    Returns:
        The number of rows deleted (0 or 1).
    """
    result = session.execute(
        delete(SelfIdentification).where(SelfIdentification.candidate_id == candidate_id),
        execution_options={"synchronize_session": False},
    )
    return int(result.rowcount or 0)
