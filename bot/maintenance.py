"""Housekeeping on stored interviews."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.base import utcnow
from bot.db.models import OPEN_STATUSES, Interview, InterviewEvent, InterviewStatus

#: Days without a message after which an open interview counts as abandoned.
DEFAULT_ABANDON_DAYS = 14


def mark_abandoned(
    sessions: sessionmaker[Session], days: float = DEFAULT_ABANDON_DAYS, now: datetime | None = None
) -> list[int]:
    """Mark open interviews untouched for ``days`` days as abandoned.

    An interview in progress or paused whose last change (``updated_at``) is
    older than the cut-off gets status ``abandoned``, a finish time and an
    ``abandoned`` event. Its answers are kept; recruiters still see them.

    Args:
        sessions: Session factory of the screener database.
        days: Idle days before an interview is abandoned (> 0).
        now: The current time (default: now, UTC).

    Returns:
        The ids of the interviews marked, ascending.

    Raises:
        ValueError: ``days`` is not positive.
    """
    if days <= 0:
        raise ValueError("days must be positive")
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    with sessions.begin() as session:
        stale = session.scalars(
            select(Interview)
            .where(Interview.status.in_(OPEN_STATUSES), Interview.updated_at < cutoff)
            .order_by(Interview.id)
        ).all()
        for interview in stale:
            interview.status = InterviewStatus.ABANDONED
            interview.finished_at = now
            session.add(InterviewEvent(interview=interview, kind="abandoned", at=now, detail={"idle_days": days}))
        return [i.id for i in stale]
