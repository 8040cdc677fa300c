"""Retention: erase candidates whose data has been kept as long as the policy allows.

A candidate's data is kept :attr:`RetentionPolicy.days` days (default 180)
after their last interview ended, or :attr:`RetentionPolicy.advanced_days`
(default 365) when a recruiter advanced them (the newest decision on one of
their interviews is ``advance``). An interview ends when it is finished
(completed, withdrawn, declined, abandoned); one still open counts from its
last change (``python -m bot abandon`` closes those idle for 14 days). A
candidate with no interview (an invitation never used) counts from when they
were invited. Erasure is :func:`bot.privacy.erase.erase_candidate`.

The audit log is never deleted by retention (nor by anything else in the
application): its entries are kept at least :data:`MIN_AUDIT_RETENTION_DAYS`
days, as AI Act Art 26(6) asks, and hold no answer text.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.base import utcnow
from bot.db.models import Candidate, Decision, DecisionKind, Interview
from bot.privacy.erase import ErasureReport, erase_candidate
from bot.privacy.export import ERASED_PREFIX
from bot.privacy.locations import DataLocations

#: Days a candidate's data is kept after their last interview ended (``RETENTION_DAYS``).
DEFAULT_RETENTION_DAYS = 180
#: Days for candidates who were advanced (``RETENTION_ADVANCED_DAYS``).
DEFAULT_ADVANCED_RETENTION_DAYS = 365
#: The audit log is kept at least this long (six months); the application never deletes it.
MIN_AUDIT_RETENTION_DAYS = 183


@dataclass(frozen=True)
class RetentionPolicy:
    """How long candidates' data is kept.

    Attributes:
        days: Days after the last interview ended (> 0).
        advanced_days: Days for a candidate who was advanced (>= ``days``).

    Raises:
        ValueError: ``days`` is not positive or ``advanced_days`` < ``days``.
    """

    days: float = DEFAULT_RETENTION_DAYS
    advanced_days: float = DEFAULT_ADVANCED_RETENTION_DAYS

    def __post_init__(self) -> None:
        if self.days <= 0:
            raise ValueError("the retention period must be positive")
        if self.advanced_days < self.days:
            raise ValueError("advanced candidates cannot be kept for less time than the others")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RetentionPolicy:
        """The policy of ``RETENTION_DAYS`` and ``RETENTION_ADVANCED_DAYS`` (defaults 180 and 365).

        Raises:
            ValueError: A value is not a number, or see the class.
        """
        env = os.environ if env is None else env
        days = float(env.get("RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)
        advanced = float(env.get("RETENTION_ADVANCED_DAYS") or max(DEFAULT_ADVANCED_RETENTION_DAYS, days))
        return cls(days=days, advanced_days=advanced)


@dataclass(frozen=True)
class DueCandidate:
    """A candidate past their retention period.

    Attributes:
        candidate_id: The candidate.
        ended_at: When their last interview ended (UTC).
        advanced: Whether they were advanced (the longer period applies).
        kept_days: The period that applied, in days.
    """

    candidate_id: int
    ended_at: datetime
    advanced: bool
    kept_days: float


def due_candidates(session: Session, policy: RetentionPolicy, now: datetime | None = None) -> list[DueCandidate]:
    """Candidates not yet erased whose retention period is over, by id.

    Args:
        session: An open session on the screener database.
        policy: The retention periods.
        now: The current time (default: now, UTC).
    """
    now = now or utcnow()
    ended = func.max(func.coalesce(Interview.finished_at, Interview.updated_at))
    last_end = dict(session.execute(select(Interview.candidate_id, ended).group_by(Interview.candidate_id)).all())
    newest: dict[int, str] = {}
    for interview_id, decision in session.execute(
        select(Decision.interview_id, Decision.decision).order_by(Decision.id)
    ):
        newest[interview_id] = decision
    advanced_ids = {
        candidate_id
        for interview_id, candidate_id in session.execute(select(Interview.id, Interview.candidate_id))
        if newest.get(interview_id) == DecisionKind.ADVANCE
    }
    due = []
    for candidate_id, created_at in session.execute(
        select(Candidate.id, Candidate.created_at)
        .where(Candidate.conversation_id.not_like(ERASED_PREFIX + "%"))
        .order_by(Candidate.id)
    ):
        end = last_end.get(candidate_id) or created_at
        if end.tzinfo is None:  # an aggregate over UTC text on SQLite comes back naive
            end = end.replace(tzinfo=now.tzinfo)
        advanced = candidate_id in advanced_ids
        days = policy.advanced_days if advanced else policy.days
        if end + timedelta(days=days) <= now:
            due.append(DueCandidate(candidate_id, end, advanced, days))
    return due


def apply_retention(
    sessions: sessionmaker[Session],
    policy: RetentionPolicy,
    dry_run: bool = False,
    now: datetime | None = None,
    locations: DataLocations | None = None,
) -> list[tuple[DueCandidate, ErasureReport | None]]:
    """Erase every candidate past the retention period.

    Args:
        sessions: Session factory of the screener database.
        policy: The retention periods.
        dry_run: Only say who is due; erase nothing.
        now: The current time (default: now, UTC).
        locations: The stores outside the database (default: from the environment).

    Returns:
        Each candidate due, with what its erasure removed (None in a dry run).

    Raises:
        See :func:`bot.privacy.erase.erase_candidate`; candidates erased
        before a failure stay erased.
    """
    now = now or utcnow()
    with sessions() as session:
        due = due_candidates(session, policy, now)
    results: list[tuple[DueCandidate, ErasureReport | None]] = []
    for item in due:
        report = None
        if not dry_run:
            reason = f"retention: {item.kept_days:g} days after the last interview ended" + (
                " (advanced)" if item.advanced else ""
            )
            report = erase_candidate(
                sessions, item.candidate_id, reason, operator="retention", locations=locations, now=now
            )
        results.append((item, report))
    return results
