"""Everything the screener holds about one candidate (GDPR Art 15).

:func:`candidate_export` gathers, for one :class:`~bot.db.models.Candidate`:
their identity and contact, every interview with every answer, score (with
its evidence), recruiter override, decision and note, the careers page's
message log, their invitations, the conversation as Rasa's tracker store
keeps it, and the audit log's entries about them. :func:`render_html` makes a
readable page of it. Both are used by ``python -m bot export-candidate`` and
by the recruiter app.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from sqlalchemy import or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.models import (
    Answer,
    AuditEntry,
    Candidate,
    CandidateRequest,
    Decision,
    Interview,
    InterviewSummary,
    Invitation,
    Note,
    RatingOverride,
    Recruiter,
    Role,
    Score,
    WebMessage,
)
from bot.privacy.tracker import tracker_events

log = logging.getLogger(__name__)

#: Version of the export's shape (the ``format`` key).
EXPORT_FORMAT = "screener-candidate-export/1"
#: Prefix of the conversation id an erased candidate is left with.
ERASED_PREFIX = "erased:"
#: Audit actions about a candidate rather than an interview (``detail.candidate_id``).
CANDIDATE_AUDIT_ACTIONS = ("create_invitation", "export_candidate", "erase_candidate")

_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
    undefined=jinja2.StrictUndefined,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def is_erased(candidate: Candidate) -> bool:
    """Whether the candidate was erased (:mod:`bot.privacy.erase`)."""
    return candidate.conversation_id.startswith(ERASED_PREFIX)


def _names(session: Session) -> dict[int, str]:
    return {r.id: r.name for r in session.scalars(select(Recruiter))}


def _score(score: Score, overrides: list[RatingOverride], names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": score.id,
        "competency": score.competency_id,
        "rating": score.rating,
        "insufficient_evidence": score.rating is None,
        "evidence": list(score.evidence or []),
        "flags": list(score.flags or []),
        "rubric_version": score.rubric_version.version,
        "scorer_version": score.scorer_version,
        "created_at": _iso(score.created_at),
        "overrides": [
            {
                "rating": o.rating,
                "original_rating": o.original_rating,
                "reason": o.reason,
                "by": names.get(o.recruiter_id),
                "at": _iso(o.at),
            }
            for o in overrides
        ],
    }


def _answer(answer: Answer, overrides: dict[int, list[RatingOverride]], names: dict[int, str]) -> dict[str, Any]:
    return {
        "position": answer.position + 1,
        "question_id": answer.question_id,
        "question": answer.asked_text,
        "status": answer.status,
        "asked_at": _iso(answer.asked_at),
        "answer": answer.text,
        "answered_at": _iso(answer.answered_at),
        "probe": answer.question.probe if answer.follow_up_asked_at else None,
        "follow_up_asked_at": _iso(answer.follow_up_asked_at),
        "follow_up": answer.follow_up_text,
        "follow_up_at": _iso(answer.follow_up_at),
        "scores": [_score(s, overrides.get(s.id, []), names) for s in answer.scores],
    }


def _interview(session: Session, interview: Interview, names: dict[int, str]) -> dict[str, Any]:
    overrides: dict[int, list[RatingOverride]] = {}
    for o in session.scalars(
        select(RatingOverride).where(RatingOverride.interview_id == interview.id).order_by(RatingOverride.id)
    ):
        overrides.setdefault(o.score_id, []).append(o)
    decisions = session.scalars(select(Decision).where(Decision.interview_id == interview.id).order_by(Decision.id))
    notes = session.scalars(select(Note).where(Note.interview_id == interview.id).order_by(Note.id))
    summary = session.get(InterviewSummary, interview.id)
    return {
        "id": interview.id,
        "role": interview.role_id,
        "role_name": interview.role.name if interview.role else None,
        "channel": interview.channel,
        "status": interview.status,
        "consent": interview.consent,
        "consent_at": _iso(interview.consent_at),
        "started_at": _iso(interview.started_at),
        "finished_at": _iso(interview.finished_at),
        "updated_at": _iso(interview.updated_at),
        "plan": list(interview.plan or []),
        "answers": [_answer(a, overrides, names) for a in interview.answers],
        "events": [{"kind": e.kind, "at": _iso(e.at), "detail": e.detail} for e in interview.events],
        "decisions": [
            {"decision": d.decision, "comment": d.comment, "by": names.get(d.recruiter_id), "at": _iso(d.at)}
            for d in decisions
        ],
        "notes": [{"text": n.text, "by": names.get(n.recruiter_id), "at": _iso(n.at)} for n in notes],
        "summary": None
        if summary is None
        else {
            "fit": summary.fit,
            "front_office": summary.front_office,
            "back_office": summary.back_office,
            "decision": summary.decision,
            "computed_at": _iso(summary.computed_at),
        },
    }


def audit_entries_about(session: Session, candidate_id: int, interview_ids: list[int]) -> list[AuditEntry]:
    """Audit entries about a candidate: on their interviews, or naming them (``detail.candidate_id``).

    Returns:
        Entries, oldest first.
    """
    conditions = [AuditEntry.action.in_(CANDIDATE_AUDIT_ACTIONS)]
    if interview_ids:
        conditions.append(AuditEntry.interview_id.in_(interview_ids))
    rows = session.scalars(select(AuditEntry).where(or_(*conditions)).order_by(AuditEntry.id))
    return [
        e
        for e in rows
        if (e.interview_id is not None and e.interview_id in interview_ids)
        or (e.detail or {}).get("candidate_id") == candidate_id
    ]


def _conversation_log(tracker_url: str | None, sender_id: str) -> tuple[list[dict[str, Any]], str]:
    if tracker_url is None:
        return [], "not configured (Rasa keeps conversations in memory only)"
    try:
        events = tracker_events(tracker_url, [sender_id])
    except SQLAlchemyError as exc:
        log.warning("tracker store not readable for the export: %s", type(exc).__name__)
        return [], "could not be read"
    for event in events:
        stamp = event["timestamp"]
        event["at"] = datetime.fromtimestamp(stamp, UTC).isoformat() if stamp is not None else None
    return events, "read"


def candidate_export(
    session: Session,
    candidate_id: int,
    tracker_url: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any] | None:
    """Everything held about one candidate, JSON-ready.

    Args:
        session: An open session on the screener database (nothing is written).
        candidate_id: The candidate's id (:attr:`Candidate.id`).
        tracker_url: Rasa's tracker store
            (:attr:`bot.privacy.locations.DataLocations.tracker_url`); None
            leaves the conversation log out.
        now: The export's time (default: now, UTC).

    Returns:
        None when there is no such candidate; else a dict with ``format``
        (:data:`EXPORT_FORMAT`), ``generated_at``, ``candidate`` (id,
        conversation id, channel, display name, invited role, created at,
        whether erased), ``interviews`` (each with ``answers`` and their
        ``scores`` with ``evidence`` and ``overrides``, ``events``,
        ``decisions``, ``notes``, ``summary``), ``messages`` (the careers
        page's log), ``invitations``, ``requests`` (made in the chat: ``kind``,
        ``interview_id``, ``created_at``, ``due_at``, ``handled_at``,
        ``handled_by``), ``conversation_log`` (the tracker
        store's events: ``type``, ``at``, ``text``, ``intent``, ``action``,
        ``data``), ``conversation_log_status`` and ``audit`` (``at``,
        ``action``, ``by``, ``interview_id``, ``detail``). Times are ISO 8601
        UTC strings.
    """
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        return None
    names = _names(session)
    interviews = list(
        session.scalars(select(Interview).where(Interview.candidate_id == candidate_id).order_by(Interview.id))
    )
    interview_ids = [i.id for i in interviews]
    invited_role = session.get(Role, candidate.invited_role_id) if candidate.invited_role_id else None
    messages = session.scalars(
        select(WebMessage).where(WebMessage.conversation_id == candidate.conversation_id).order_by(WebMessage.id)
    )
    invitations = session.execute(
        select(Invitation, Role.name)
        .join(Role, Role.id == Invitation.role_id)
        .where(Invitation.candidate_id == candidate_id)
        .order_by(Invitation.id)
    )
    erased = is_erased(candidate)
    log_events, log_status = ([], "erased") if erased else _conversation_log(tracker_url, candidate.conversation_id)
    return {
        "format": EXPORT_FORMAT,
        "generated_at": _iso(now or utcnow()),
        "candidate": {
            "id": candidate.id,
            "conversation_id": candidate.conversation_id,
            "channel": candidate.channel,
            "display_name": candidate.display_name,
            "invited_role": candidate.invited_role_id,
            "invited_role_name": invited_role.name if invited_role else None,
            "created_at": _iso(candidate.created_at),
            "erased": erased,
        },
        "interviews": [_interview(session, i, names) for i in interviews],
        "messages": [
            {"sender": m.sender, "text": m.text, "buttons": list(m.buttons or []), "at": _iso(m.at)} for m in messages
        ],
        "invitations": [
            {
                "id": inv.id,
                "role": inv.role_id,
                "role_name": role_name,
                "created_by": names.get(inv.created_by_id),
                "created_at": _iso(inv.created_at),
                "expires_at": _iso(inv.expires_at),
                "bound_at": _iso(inv.bound_at),
                "last_used_at": _iso(inv.last_used_at),
            }
            for inv, role_name in invitations
        ],
        "requests": [
            {
                "kind": r.kind,
                "interview_id": r.interview_id,
                "created_at": _iso(r.created_at),
                "due_at": _iso(r.due_at),
                "handled_at": _iso(r.handled_at),
                "handled_by": names.get(r.handled_by) if r.handled_by else None,
            }
            for r in session.scalars(
                select(CandidateRequest)
                .where(CandidateRequest.candidate_id == candidate_id)
                .order_by(CandidateRequest.id)
            )
        ],
        "conversation_log": log_events,
        "conversation_log_status": log_status,
        "audit": [
            {
                "id": e.id,
                "at": _iso(e.at),
                "action": e.action,
                "by": names.get(e.recruiter_id) if e.recruiter_id else None,
                "interview_id": e.interview_id,
                "detail": e.detail,
            }
            for e in audit_entries_about(session, candidate_id, interview_ids)
        ],
    }


def render_html(data: dict[str, Any]) -> str:
    """The export as one self-contained, readable HTML page.

    Args:
        data: What :func:`candidate_export` returned.

    Returns:
        An HTML document (every value escaped; no script, no style sheet).
    """
    return _templates.get_template("candidate_export.html").render(data=data)
