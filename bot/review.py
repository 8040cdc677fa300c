"""Reading interviews back: lists, transcripts and competency profiles.

Shared by the command line and the recruiter app. Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import Answer, AnswerStatus, Competency, Interview, Role, Score


@dataclass(frozen=True)
class InterviewRow:
    """One line of the interview list."""

    id: int
    conversation_id: str
    role_id: str | None
    channel: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    answered: int
    planned: int


def list_interviews(
    session: Session,
    status: str | None = None,
    role_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[InterviewRow]:
    """Interviews, newest first, optionally filtered by status and role."""
    answered = (
        select(Answer.interview_id, func.count().label("n"))
        .where(Answer.status == AnswerStatus.ANSWERED)
        .group_by(Answer.interview_id)
        .subquery()
    )
    query = (
        select(Interview, func.coalesce(answered.c.n, 0))
        .outerjoin(answered, answered.c.interview_id == Interview.id)
        .order_by(Interview.started_at.desc(), Interview.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if status:
        query = query.where(Interview.status == status)
    if role_id:
        query = query.where(Interview.role_id == role_id)
    return [
        InterviewRow(
            id=i.id,
            conversation_id=i.candidate.conversation_id,
            role_id=i.role_id,
            channel=i.channel,
            status=i.status,
            started_at=i.started_at,
            finished_at=i.finished_at,
            answered=n,
            planned=len(i.plan or []),
        )
        for i, n in session.execute(query)
    ]


def latest_scores(answer: Answer) -> list[Score]:
    """The newest score per competency of an answer (by rubric version, then id)."""
    newest: dict[str, Score] = {}
    for score in answer.scores:
        current = newest.get(score.competency_id)
        key = (score.rubric_version.version, score.id)
        if current is None or key > (current.rubric_version.version, current.id):
            newest[score.competency_id] = score
    return sorted(newest.values(), key=lambda s: s.competency_id != answer.question.primary_competency_id)


@dataclass
class Profile:
    """An interview's competency profile and role fit.

    Attributes:
        ratings: Competency id -> mean rating (1-5) over the interview's
            answers; "insufficient evidence" counts as 1, as in evaluation.
        fit: Role-weighted mean of ``ratings`` over the rated competencies
            (1-5), None when nothing is rated.
        front_office: Mean rating of the front office competencies rated.
        back_office: Mean rating of the back office competencies rated.
    """

    ratings: dict[str, float] = field(default_factory=dict)
    fit: float | None = None
    front_office: float | None = None
    back_office: float | None = None


def profile(session: Session, interview: Interview) -> Profile:
    """Compute the competency profile and the role fit of an interview."""
    collected: dict[str, list[int]] = defaultdict(list)
    for answer in interview.answers:
        for score in latest_scores(answer):
            collected[score.competency_id].append(score.rating or 1)
    ratings = {cid: sum(values) / len(values) for cid, values in collected.items()}
    result = Profile(ratings=ratings)
    if not ratings:
        return result
    families = {cid: family for cid, family in session.execute(select(Competency.id, Competency.family))}
    for family, attr in (("front_office", "front_office"), ("back_office", "back_office")):
        values = [r for cid, r in ratings.items() if families.get(cid) == family]
        setattr(result, attr, sum(values) / len(values) if values else None)
    role = session.get(Role, interview.role_id) if interview.role_id else None
    if role is not None:
        weights = role.weight_map()
        total = sum(weights.get(cid, 0.0) for cid in ratings)
        if total > 0:
            result.fit = sum(weights.get(cid, 0.0) * r for cid, r in ratings.items()) / total
    return result


def transcript(session: Session, interview_id: int) -> dict[str, Any] | None:
    """An interview as a JSON-ready dict: answers, scores, evidence, events.

    Returns:
        None when there is no such interview.
    """
    interview = session.get(Interview, interview_id)
    if interview is None:
        return None
    prof = profile(session, interview)
    answers = []
    for answer in interview.answers:
        answers.append(
            {
                "position": answer.position + 1,
                "question_id": answer.question_id,
                "question": answer.variant.text,
                "status": answer.status,
                "asked_at": _iso(answer.asked_at),
                "answer": answer.text,
                "answered_at": _iso(answer.answered_at),
                "probe": answer.question.probe if answer.follow_up_asked_at else None,
                "follow_up": answer.follow_up_text,
                "follow_up_at": _iso(answer.follow_up_at),
                "scores": [
                    {
                        "competency": s.competency_id,
                        "rating": s.rating,
                        "insufficient_evidence": s.rating is None,
                        "evidence": s.evidence,
                        "flags": s.flags,
                        "rubric_version": s.rubric_version.version,
                        "scorer_version": s.scorer_version,
                    }
                    for s in latest_scores(answer)
                ],
            }
        )
    return {
        "id": interview.id,
        "conversation_id": interview.candidate.conversation_id,
        "role": interview.role_id,
        "channel": interview.channel,
        "status": interview.status,
        "consent": interview.consent,
        "started_at": _iso(interview.started_at),
        "finished_at": _iso(interview.finished_at),
        "answers": answers,
        "events": [{"kind": e.kind, "at": _iso(e.at), "detail": e.detail} for e in interview.events],
        "profile": {
            "ratings": prof.ratings,
            "fit": prof.fit,
            "front_office": prof.front_office,
            "back_office": prof.back_office,
        },
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
