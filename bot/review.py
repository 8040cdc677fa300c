"""Reading interviews back: lists, transcripts and competency profiles.

Shared by the command line and the recruiter app. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import Answer, AnswerStatus, Interview, Score
from bot.results import InterviewResults, interview_results, newest_key


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
    """The newest score per competency of an answer (:func:`bot.results.newest_key`).

    Returns:
        One score per competency, the question's primary competency first.
    """
    newest: dict[str, Score] = {}
    for score in answer.scores:
        current = newest.get(score.competency_id)
        if current is None or newest_key(score.rubric_version.version, score.id) > newest_key(
            current.rubric_version.version, current.id
        ):
            newest[score.competency_id] = score
    return sorted(newest.values(), key=lambda s: s.competency_id != answer.question.primary_competency_id)


def profile(session: Session, interview: Interview) -> InterviewResults:
    """The scorer's competency profile and role fit of an interview (no overrides).

    See :mod:`bot.results` for the rules.
    """
    results = interview_results(session, interview.id, with_overrides=False)
    return results if results is not None else InterviewResults(interview_id=interview.id)


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
                "question": answer.asked_text,
                "kind": answer.question.kind,
                "worksample": _worksample(answer),
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
        "profile": prof.profile_dict(),
    }


def _worksample(answer: Answer) -> dict[str, Any] | None:
    """A work-sample answer's instance (item id, kind, bank version, seed) and time taken; None otherwise.

    The rule that applied and the candidate's figures next to the answer key
    are in the score's ``evidence`` (see :func:`bot.worksamples.interview.evidence_json`).
    """
    if answer.worksample is None:
        return None
    record = {k: v for k, v in answer.worksample.items() if k != "prompt"}
    return {**record, "seconds_taken": answer.seconds_taken}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
