"""The append-only audit log: who did or viewed what, when.

Every recruiter page that shows candidate data and every change a recruiter
makes writes one :class:`~bot.db.models.AuditEntry`, in the same transaction
as the change. Entries are only ever added.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.models import AuditEntry


def record(
    session: Session,
    recruiter_id: int | None,
    action: str,
    interview_id: int | None = None,
    **detail: Any,
) -> AuditEntry:
    """Add an audit entry to ``session`` (committed with the caller's transaction).

    Args:
        session: An open session.
        recruiter_id: Who (None: an anonymous request, e.g. a failed sign-in).
        action: What, e.g. ``view_interview``, ``override_rating``.
        interview_id: The interview concerned, if any.
        **detail: JSON-ready details (never answer text).
    """
    entry = AuditEntry(at=utcnow(), recruiter_id=recruiter_id, action=action, interview_id=interview_id, detail=detail)
    session.add(entry)
    return entry


def entries(session: Session, interview_id: int | None = None, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
    """Audit entries, newest first, optionally of one interview."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    if interview_id is not None:
        query = query.where(AuditEntry.interview_id == interview_id)
    return list(session.scalars(query))
