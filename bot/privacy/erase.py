"""Erasing a candidate (GDPR Art 17): their data and every text they wrote, everywhere we keep it.

:func:`erase_candidate` removes, for one candidate:

* from the screener database: their name and conversation id (the candidate
  row is kept under a random ``erased:`` id, so the audit log's references
  and the aggregate counts still hold), every answer and follow-up text,
  every score's evidence (spans quoting the answers), the careers page's
  message log, their invitations, recruiters' notes on their interviews,
  decision comments and override reasons, and their voluntary
  self-identification for the bias audit (the row is deleted, not kept
  without the candidate id: an erased candidate counts as "unknown" in later
  audits, so no category can be tied back to them);
* from Rasa's tracker store: every event of their conversation;
* from the Slack channel's state: the keys of their conversation;
* and then rewrites every SQLite file it touched (:mod:`bot.privacy.sqlite_files`),
  so no deleted text survives in free pages or a write-ahead log.

What stays, without identity: the interview rows (role, channel, status,
times, question plan), ratings and recruiters' override ratings, decision
kinds, the cached profile, interview events (which never hold text), and the
audit log, append-only, with a tombstone: ``erase_candidate`` with who,
when, why and how much was removed.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.audit.selfid import forget_candidate
from bot.db.base import utcnow
from bot.db.models import (
    Answer,
    Candidate,
    Decision,
    Interview,
    InterviewEvent,
    Invitation,
    Note,
    RatingOverride,
    Score,
    WebMessage,
)
from bot.privacy.export import ERASED_PREFIX, is_erased
from bot.privacy.locations import DataLocations, data_locations
from bot.privacy.slack_state import forget_conversation
from bot.privacy.sqlite_files import scrub, sqlite_path
from bot.privacy.tracker import delete_tracker_events
from bot.web import audit

log = logging.getLogger(__name__)

#: Longest erasure reason kept in the tombstone.
MAX_REASON = 500


class CandidateNotFound(LookupError):
    """There is no candidate with that id."""


@dataclass
class ErasureReport:
    """What one erasure removed.

    Attributes:
        candidate_id: The candidate erased.
        interview_ids: Their interviews (kept, without identity or text).
        already_erased: The candidate had been erased before; nothing was done.
        answers: Answers whose texts were removed.
        scores: Scores whose evidence was removed.
        messages: Careers-page messages deleted.
        invitations: Invitations deleted.
        notes: Notes deleted.
        decision_comments: Decisions whose comment was removed.
        override_reasons: Overrides whose reason was removed.
        self_identification: Self-identifications deleted (0 or 1).
        tracker_events: Events deleted from Rasa's tracker store.
        slack_keys: Keys deleted from the Slack channel's state.
        scrubbed_files: Names of the SQLite files rewritten.
    """

    candidate_id: int
    interview_ids: list[int] = field(default_factory=list)
    already_erased: bool = False
    answers: int = 0
    scores: int = 0
    messages: int = 0
    invitations: int = 0
    notes: int = 0
    decision_comments: int = 0
    override_reasons: int = 0
    self_identification: int = 0
    tracker_events: int = 0
    slack_keys: int = 0
    scrubbed_files: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """The numbers removed, by kind (what the tombstone records)."""
        values = asdict(self)
        return {
            k: v for k, v in values.items() if isinstance(v, int) and not isinstance(v, bool) and k != "candidate_id"
        }


def _count(result: Any) -> int:
    return int(result.rowcount or 0)


def _erase_rows(
    session: Session,
    candidate: Candidate,
    report: ErasureReport,
    reason: str,
    recruiter_id: int | None,
    operator: str | None,
    now: datetime,
) -> None:
    ids = list(session.scalars(select(Interview.id).where(Interview.candidate_id == candidate.id)))
    report.interview_ids = ids
    no_sync = {"synchronize_session": False}
    if ids:
        answer_ids = select(Answer.id).where(Answer.interview_id.in_(ids))
        report.scores = _count(
            session.execute(
                update(Score).where(Score.answer_id.in_(answer_ids)).values(evidence=[]), execution_options=no_sync
            )
        )
        report.answers = _count(
            session.execute(
                update(Answer).where(Answer.interview_id.in_(ids)).values(text=None, follow_up_text=None),
                execution_options=no_sync,
            )
        )
        report.notes = _count(
            session.execute(delete(Note).where(Note.interview_id.in_(ids)), execution_options=no_sync)
        )
        report.decision_comments = _count(
            session.execute(
                update(Decision)
                .where(Decision.interview_id.in_(ids), Decision.comment.is_not(None))
                .values(comment=None),
                execution_options=no_sync,
            )
        )
        report.override_reasons = _count(
            session.execute(
                update(RatingOverride).where(RatingOverride.interview_id.in_(ids)).values(reason=""),
                execution_options=no_sync,
            )
        )
        for interview_id in ids:
            session.add(InterviewEvent(interview_id=interview_id, kind="erased", at=now, detail={}))
    report.messages = _count(
        session.execute(
            delete(WebMessage).where(WebMessage.conversation_id == candidate.conversation_id), execution_options=no_sync
        )
    )
    report.self_identification = forget_candidate(session, candidate.id)
    report.invitations = _count(
        session.execute(delete(Invitation).where(Invitation.candidate_id == candidate.id), execution_options=no_sync)
    )
    candidate.conversation_id = ERASED_PREFIX + secrets.token_hex(12)
    candidate.display_name = None
    session.flush()
    audit.record(
        session,
        recruiter_id,
        "erase_candidate",
        candidate_id=candidate.id,
        interviews=ids,
        reason=reason,
        operator=operator,
        removed=report.counts(),
    )


def _scrub_files(paths: list[Path], report: ErasureReport) -> None:
    seen: set[Path] = set()
    for path in paths:
        resolved = path.resolve()
        if resolved in seen or not resolved.exists():
            continue
        seen.add(resolved)
        scrub(resolved)
        report.scrubbed_files.append(resolved.name)


def _files(sessions: sessionmaker[Session], locations: DataLocations) -> list[Path]:
    """The SQLite files erasure rewrites: the screener database, the tracker store, the Slack state."""
    files = [p for p in (sqlite_path(str(sessions.kw["bind"].url)), sqlite_path(locations.tracker_url)) if p]
    if not locations.slack_redis_url:
        files.append(locations.slack_sqlite)
    return files


def erase_candidate(
    sessions: sessionmaker[Session],
    candidate_id: int,
    reason: str,
    recruiter_id: int | None = None,
    operator: str | None = None,
    locations: DataLocations | None = None,
    now: datetime | None = None,
) -> ErasureReport:
    """Erase one candidate from the screener database, Rasa's tracker store and the Slack state.

    The stores outside the database are cleared first, while the candidate's
    conversation id is still known, then the database in one transaction
    (with the tombstone), then the tracker store once more (a message that
    arrived meanwhile), then the SQLite files are rewritten. Running it again
    after a failure finishes the job; on an erased candidate it does nothing.

    Args:
        sessions: Session factory of the screener database.
        candidate_id: The candidate's id.
        reason: Why (kept in the audit log's tombstone, at most
            :data:`MAX_REASON` characters; it must not name the candidate).
        recruiter_id: The admin who erased (None: the command line or the
            retention job).
        operator: Who ran it when no recruiter account did (e.g. the
            system user), kept in the tombstone.
        locations: The stores outside the database (default:
            :func:`bot.privacy.locations.data_locations`).
        now: The time of the erasure (default: now, UTC).

    Returns:
        What was removed.

    Raises:
        ValueError: ``reason`` is empty or longer than :data:`MAX_REASON`.
        CandidateNotFound: There is no such candidate.
        sqlalchemy.exc.SQLAlchemyError: A database or the tracker store failed.
        redis.RedisError, sqlite3.Error: The Slack state could not be changed.
        bot.privacy.sqlite_files.ScrubError: A SQLite file could not be rewritten.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a reason is required")
    if len(reason) > MAX_REASON:
        raise ValueError(f"the reason is longer than {MAX_REASON} characters")
    locations = locations or data_locations()
    now = now or utcnow()
    report = ErasureReport(candidate_id=candidate_id)
    with sessions() as session:
        candidate = session.get(Candidate, candidate_id)
        if candidate is None:
            raise CandidateNotFound(candidate_id)
        if is_erased(candidate):
            report.already_erased = True
            report.interview_ids = list(
                session.scalars(select(Interview.id).where(Interview.candidate_id == candidate_id))
            )
        conversation_id = candidate.conversation_id
    if report.already_erased:
        # The database step is done; the file rewrite may not be (a ScrubError says "run it again").
        _scrub_files(_files(sessions, locations), report)
        return report
    if locations.tracker_url:
        report.tracker_events = delete_tracker_events(locations.tracker_url, [conversation_id])
    report.slack_keys = forget_conversation(conversation_id, locations.slack_redis_url, locations.slack_sqlite)
    with sessions.begin() as session:
        candidate = session.get(Candidate, candidate_id)
        if candidate is None:
            raise CandidateNotFound(candidate_id)
        _erase_rows(session, candidate, report, reason, recruiter_id, operator, now)
    if locations.tracker_url:
        report.tracker_events += delete_tracker_events(locations.tracker_url, [conversation_id])
    _scrub_files(_files(sessions, locations), report)
    log.info("candidate %s erased (%d interviews)", candidate_id, len(report.interview_ids))
    return report
