"""Reading the bias audit's selection from the database.

The selection: every candidate with a finished (completed or withdrawn)
interview that has an overall fit, started in the date range and for the
role asked; a candidate with several counts once, with their newest such
interview. The fit is the role-weighted fit of :func:`bot.results.load_results`
(recruiters' overrides applied, as on every recruiter page); the decision is
the newest :class:`~bot.db.models.Decision` on that interview.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit.impact import AuditRecord
from bot.audit.selfid import FINISHED
from bot.db.models import Decision, DecisionKind, Interview, SelfIdentification
from bot.results import load_results


@dataclass(frozen=True)
class AuditFilters:
    """Which interviews the audit covers.

    Attributes:
        started_from: Interviews started at or after this time (UTC), or None.
        started_to: Interviews started before this time (UTC, exclusive), or None.
        role: Only this role id, or None for every role.
    """

    started_from: datetime | None = None
    started_to: datetime | None = None
    role: str | None = None


def audit_records(session: Session, filters: AuditFilters) -> list[AuditRecord]:
    """One :class:`AuditRecord` per candidate of the selection (see the module documentation).

    Args:
        session: An open session.
        filters: The selection.

    Returns:
        The records, in no particular order; the categories are None for
        candidates who did not self-identify.
    """
    query = select(Interview.id, Interview.candidate_id).where(Interview.status.in_(FINISHED))
    if filters.started_from is not None:
        query = query.where(Interview.started_at >= filters.started_from)
    if filters.started_to is not None:
        query = query.where(Interview.started_at < filters.started_to)
    if filters.role:
        query = query.where(Interview.role_id == filters.role)
    rows = session.execute(query.order_by(Interview.started_at, Interview.id)).all()
    # The tool's own ratings: the audit measures the screener, not recruiters' overrides.
    results = load_results(session, [interview_id for interview_id, _ in rows], with_overrides=False)
    newest: dict[int, tuple[int, float]] = {}
    for interview_id, candidate_id in rows:
        fit = results[interview_id].fit if interview_id in results else None
        if fit is not None:
            newest[candidate_id] = (interview_id, fit)
    if not newest:
        return []
    interview_ids = [i for i, _ in newest.values()]
    decisions: dict[int, str] = {}
    for interview_id, kind in session.execute(
        select(Decision.interview_id, Decision.decision)
        .where(Decision.interview_id.in_(interview_ids))
        .order_by(Decision.id)
    ):
        decisions[interview_id] = kind
    answers = {
        candidate_id: (sex, race)
        for candidate_id, sex, race in session.execute(
            select(SelfIdentification.candidate_id, SelfIdentification.sex, SelfIdentification.race_ethnicity).where(
                SelfIdentification.candidate_id.in_(list(newest))
            )
        )
    }
    records = []
    for candidate_id, (interview_id, fit) in newest.items():
        sex, race = answers.get(candidate_id, (None, None))
        decision = decisions.get(interview_id)
        records.append(
            AuditRecord(
                sex=sex,
                race_ethnicity=race,
                fit=fit,
                decided=decision is not None,
                advanced=decision == DecisionKind.ADVANCE,
            )
        )
    return records
