"""The recruiter app's queue of candidates' requests made in the chat.

Routes:

* ``GET /recruiter/requests`` the open requests, the one due first on top
  (overdue ones marked), and the twenty handled last;
* ``POST /recruiter/requests/{id}/handled`` (CSRF) mark one as handled.

Viewing and handling are written to the audit log (``view_requests``,
``handle_request``). A request never closes or rejects an interview: it is a
task for a person (see :mod:`actions.requests`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.models import CandidateRequest, RequestKind
from bot.web import audit
from bot.web.app import db
from bot.web.recruiter import ACCOUNT, Account, _context, path_id, signed_in

#: What each kind asks of the recruiter, in plain words.
KIND_LABELS: dict[str, str] = {
    RequestKind.ACCESS: "Send a copy of their data (export)",
    RequestKind.ERASURE: "Erase their data (admin)",
    RequestKind.REVIEW: "A person reviews the result",
    RequestKind.ACCOMMODATION: "Another way to do the screening",
}
#: Handled requests shown under the open ones.
RECENT_HANDLED = 20


def _row(req: CandidateRequest, now: datetime) -> dict[str, Any]:
    return {
        "id": req.id,
        "candidate_id": req.candidate_id,
        "interview_id": req.interview_id,
        "kind": req.kind,
        "label": KIND_LABELS.get(req.kind, req.kind),
        "created_at": req.created_at,
        "due_at": req.due_at,
        "overdue": req.handled_at is None and req.due_at < now,
        "handled_at": req.handled_at,
    }


def request_queue(session: Session, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """Open requests by due date, and the last :data:`RECENT_HANDLED` handled ones.

    Returns:
        ``{"open": [...], "handled": [...]}``, each row a dict with ``id``,
        ``candidate_id``, ``interview_id``, ``kind``, ``label``,
        ``created_at``, ``due_at``, ``overdue`` and ``handled_at``.
    """
    open_ = session.scalars(
        select(CandidateRequest)
        .where(CandidateRequest.handled_at.is_(None))
        .order_by(CandidateRequest.due_at, CandidateRequest.id)
    ).all()
    handled = session.scalars(
        select(CandidateRequest)
        .where(CandidateRequest.handled_at.is_not(None))
        .order_by(CandidateRequest.handled_at.desc())
        .limit(RECENT_HANDLED)
    ).all()
    return {"open": [_row(r, now) for r in open_], "handled": [_row(r, now) for r in handled]}


@signed_in()
async def requests_page(request: web.Request) -> web.Response:
    """The queue."""
    account: Account = request[ACCOUNT]

    def load(session: Session) -> dict[str, list[dict[str, Any]]]:
        queue = request_queue(session, utcnow())
        audit.record(session, account.id, "view_requests", open=len(queue["open"]))
        return queue

    queue = await db(request, load, write=True)
    return aiohttp_jinja2.render_template("requests.html", request, _context(request, **queue))


@signed_in()
async def mark_handled(request: web.Request) -> web.Response:
    """Mark a request as handled (once; a second post changes nothing), then back to the queue."""
    request_id = path_id(request)
    account: Account = request[ACCOUNT]

    def handle(session: Session) -> bool:
        req = session.get(CandidateRequest, request_id)
        if req is None:
            return False
        if req.handled_at is None:
            req.handled_at, req.handled_by = utcnow(), account.id
            audit.record(session, account.id, "handle_request", req.interview_id, request_id=req.id, kind=req.kind)
        return True

    if not await db(request, handle, write=True):
        raise web.HTTPNotFound(text="There is no such request.")
    raise web.HTTPSeeOther("/recruiter/requests")


def setup_routes(app: web.Application) -> None:
    """Register the request-queue routes."""
    app.router.add_get("/recruiter/requests", requests_page, name="requests")
    app.router.add_post(r"/recruiter/requests/{id:\d{1,19}}/handled", mark_handled, name="request_handled")
