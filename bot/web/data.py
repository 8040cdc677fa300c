"""What the recruiter pages read and write, on a SQLAlchemy session.

Ratings shown to recruiters are the scorer's newest score per competency
(:func:`bot.review.latest_scores`), replaced by a recruiter's override where
one exists; both values are kept. The role-weighted fit and the family
indices come from :mod:`bot.results`, over these effective ratings, and are
cached per interview in :class:`~bot.db.models.InterviewSummary` so the list
can sort by them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.models import (
    Answer,
    Candidate,
    Competency,
    Decision,
    Interview,
    InterviewEvent,
    InterviewSummary,
    Note,
    RatingOverride,
    Role,
    Score,
    WebMessage,
)
from bot.results import InterviewResults, interview_results, load_results
from bot.review import latest_scores

#: Columns the list sorts by (query value -> column).
SORT_COLUMNS = {
    "candidate": func.coalesce(Candidate.display_name, Candidate.conversation_id),
    "role": Interview.role_id,
    "channel": Interview.channel,
    "status": Interview.status,
    "started": Interview.started_at,
    "completed": Interview.finished_at,
    "fit": InterviewSummary.fit,
    "front_office": InterviewSummary.front_office,
    "back_office": InterviewSummary.back_office,
    "decision": InterviewSummary.decision,
}


@dataclass(frozen=True)
class ListFilters:
    """The interview list's filters, sort and page."""

    role: str | None = None
    status: str | None = None
    started_from: datetime | None = None
    started_to: datetime | None = None
    sort: str = "started"
    descending: bool = True
    page: int = 1
    page_size: int = 50


@dataclass(frozen=True)
class ListRow:
    """One line of the recruiter's interview list."""

    id: int
    candidate: str
    role_id: str | None
    role_name: str | None
    channel: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    fit: float | None
    front_office: float | None
    back_office: float | None
    decision: str | None


@dataclass
class ListPage:
    """A page of the list and how many interviews match in all."""

    rows: list[ListRow]
    total: int
    page: int
    pages: int


def worksample_ratings(session: Session, interview_ids: list[int]) -> dict[int, list[tuple[str, int | None]]]:
    """The work-sample ratings of interviews, for the CSV export.

    Args:
        interview_ids: Interview ids.

    Returns:
        Interview id -> ``[(item id, rating that counts)]`` in answer order
        (an override replaces the exact score); interviews without work
        samples are left out.
    """
    results = load_results(session, interview_ids)
    marked = {r.answer_id: (iid, r.rating) for iid, res in results.items() for r in res.answer_ratings if r.worksample}
    if not marked:
        return {}
    items = dict(session.execute(select(Answer.id, Answer.question_id).where(Answer.id.in_(list(marked)))).all())
    out: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    for answer_id in sorted(marked):
        interview_id, rating = marked[answer_id]
        out[interview_id].append((items[answer_id], rating))
    return dict(out)


def overrides_by_score(session: Session, interview_id: int) -> dict[int, list[RatingOverride]]:
    """Score id -> its overrides, oldest first."""
    result: dict[int, list[RatingOverride]] = defaultdict(list)
    query = select(RatingOverride).where(RatingOverride.interview_id == interview_id).order_by(RatingOverride.id)
    for override in session.scalars(query):
        result[override.score_id].append(override)
    return result


def effective_profile(session: Session, interview: Interview) -> InterviewResults:
    """The interview's results with recruiters' overrides applied (:mod:`bot.results`)."""
    results = interview_results(session, interview.id)
    return results if results is not None else InterviewResults(interview_id=interview.id)


def latest_decision(session: Session, interview_id: int) -> Decision | None:
    """The decision that stands (the newest), or None."""
    return session.scalars(
        select(Decision).where(Decision.interview_id == interview_id).order_by(Decision.id.desc()).limit(1)
    ).first()


def refresh_summary(session: Session, interview: Interview) -> InterviewSummary:
    """Recompute and store the cached profile of one interview."""
    prof = effective_profile(session, interview)
    decision = latest_decision(session, interview.id)
    summary = session.get(InterviewSummary, interview.id) or InterviewSummary(interview_id=interview.id)
    summary.fit, summary.front_office, summary.back_office = prof.fit, prof.front_office, prof.back_office
    summary.decision = decision.decision if decision else None
    summary.computed_at = utcnow()
    session.add(summary)
    return summary


def refresh_stale_summaries(session: Session, batch: int = 2000) -> int:
    """Recompute the summaries of interviews changed since they were computed.

    Returns:
        How many were recomputed.
    """
    stale = (
        select(Interview.id)
        .outerjoin(InterviewSummary, InterviewSummary.interview_id == Interview.id)
        .where(or_(InterviewSummary.interview_id.is_(None), InterviewSummary.computed_at < Interview.updated_at))
    )
    ids = list(session.scalars(stale))
    if not ids:
        return 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        profiles = load_results(session, chunk)
        existing = {
            s.interview_id: s
            for s in session.scalars(select(InterviewSummary).where(InterviewSummary.interview_id.in_(chunk)))
        }
        decisions: dict[int, str] = {}
        for interview_id, decision in session.execute(
            select(Decision.interview_id, Decision.decision)
            .where(Decision.interview_id.in_(chunk))
            .order_by(Decision.id)
        ):
            decisions[interview_id] = decision
        now = utcnow()
        for interview_id in chunk:
            prof = profiles[interview_id]
            summary = existing.get(interview_id) or InterviewSummary(interview_id=interview_id)
            summary.fit, summary.front_office, summary.back_office = prof.fit, prof.front_office, prof.back_office
            summary.decision = decisions.get(interview_id)
            summary.computed_at = now
            session.add(summary)
        session.flush()
    return len(ids)


def _filtered(query: Select, filters: ListFilters) -> Select:
    if filters.role:
        query = query.where(Interview.role_id == filters.role)
    if filters.status:
        query = query.where(Interview.status == filters.status)
    if filters.started_from:
        query = query.where(Interview.started_at >= filters.started_from)
    if filters.started_to:
        query = query.where(Interview.started_at < filters.started_to)
    return query


def list_page(session: Session, filters: ListFilters) -> ListPage:
    """One page of the interview list (summaries refreshed first)."""
    refresh_stale_summaries(session)
    base = (
        select(
            Interview.id,
            Candidate.display_name,
            Candidate.conversation_id,
            Interview.role_id,
            Role.name,
            Interview.channel,
            Interview.status,
            Interview.started_at,
            Interview.finished_at,
            InterviewSummary.fit,
            InterviewSummary.front_office,
            InterviewSummary.back_office,
            InterviewSummary.decision,
        )
        .join(Candidate, Candidate.id == Interview.candidate_id)
        .outerjoin(Role, Role.id == Interview.role_id)
        .outerjoin(InterviewSummary, InterviewSummary.interview_id == Interview.id)
    )
    count_query = _filtered(
        select(func.count(Interview.id)).select_from(Interview).join(Candidate, Candidate.id == Interview.candidate_id),
        filters,
    )
    total = session.scalar(count_query) or 0
    pages = max(1, math.ceil(total / filters.page_size))
    page = min(max(filters.page, 1), pages)
    column = SORT_COLUMNS.get(filters.sort, Interview.started_at)
    order = column.desc().nulls_last() if filters.descending else column.asc().nulls_last()
    tie = Interview.id.desc() if filters.descending else Interview.id.asc()
    query = (
        _filtered(base, filters).order_by(order, tie).limit(filters.page_size).offset((page - 1) * filters.page_size)
    )
    rows = [
        ListRow(
            id=r[0],
            candidate=r[1] or f"Anonymous ({r[2][:6]}…)",
            role_id=r[3],
            role_name=r[4],
            channel=r[5],
            status=r[6],
            started_at=r[7],
            finished_at=r[8],
            fit=r[9],
            front_office=r[10],
            back_office=r[11],
            decision=r[12],
        )
        for r in session.execute(query)
    ]
    return ListPage(rows=rows, total=total, page=page, pages=pages)


@dataclass
class RatingView:
    """One competency rating of one answer, as the recruiter sees it."""

    score: Score
    competency: str
    original: int | None
    effective: int | None
    overrides: list[RatingOverride] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class AnswerView:
    """An answer with its ratings.

    A work-sample answer (``worksample`` True) shows the instance asked, the
    time taken and, per rating, the rule that applied and the candidate's
    figures next to the answer key (:func:`bot.web.render.worksample_evidence`).
    """

    answer: Answer
    ratings: list[RatingView]
    flags: list[str]

    @property
    def worksample(self) -> bool:
        """Whether the question is a work-sample item."""
        return self.answer.worksample is not None


@dataclass
class InterviewView:
    """Everything the interview page shows."""

    interview: Interview
    candidate: Candidate
    role: Role | None
    answers: list[AnswerView]
    profile: InterviewResults
    competencies: dict[str, Competency]
    decisions: list[Decision]
    notes: list[Note]
    events: list[InterviewEvent] = field(default_factory=list)
    conversation: list[WebMessage] = field(default_factory=list)

    @property
    def decision(self) -> Decision | None:
        """The decision that stands."""
        return self.decisions[-1] if self.decisions else None


def interview_view(session: Session, interview_id: int) -> InterviewView | None:
    """Load one interview for its page; None when there is no such interview."""
    interview = session.get(Interview, interview_id)
    if interview is None:
        return None
    overrides = overrides_by_score(session, interview_id)
    results = effective_profile(session, interview)
    competencies = {c.id: c for c in session.scalars(select(Competency))}
    answers = []
    for answer in interview.answers:
        ratings = []
        flags: list[str] = []
        for score in latest_scores(answer):
            own = overrides.get(score.id, [])
            rated = results.rating_of(score.id)
            ratings.append(
                RatingView(
                    score=score,
                    competency=score.competency_id,
                    original=score.rating,
                    effective=rated.rating if rated is not None else score.rating,
                    overrides=own,
                    evidence=list(score.evidence or []),
                )
            )
            flags.extend(f for f in score.flags or [] if f not in flags)
        answers.append(AnswerView(answer=answer, ratings=ratings, flags=flags))
    decisions = list(
        session.scalars(select(Decision).where(Decision.interview_id == interview_id).order_by(Decision.id))
    )
    notes = list(session.scalars(select(Note).where(Note.interview_id == interview_id).order_by(Note.id)))
    return InterviewView(
        interview=interview,
        candidate=interview.candidate,
        role=interview.role,
        answers=answers,
        profile=results,
        competencies=competencies,
        decisions=decisions,
        notes=notes,
        events=list(interview.events),
        conversation=list(
            session.scalars(
                select(WebMessage)
                .where(WebMessage.conversation_id == interview.candidate.conversation_id)
                .order_by(WebMessage.id)
            )
        ),
    )
