"""The queue of candidates' requests (``bot.web.requests``): listed by due date, marked handled, audited."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db.base import utcnow
from bot.db.models import AuditEntry, CandidateRequest, Interview, RequestKind
from tests.web.conftest import csrf_of


def add_request(loaded, interview_id: int, kind: RequestKind, due_in_days: float) -> int:
    with loaded.begin() as session:
        interview = session.get(Interview, interview_id)
        now = utcnow()
        req = CandidateRequest(
            candidate_id=interview.candidate_id,
            interview_id=interview_id,
            kind=kind,
            created_at=now,
            due_at=now + timedelta(days=due_in_days),
        )
        session.add(req)
        session.flush()
        return req.id


async def test_open_requests_are_listed_by_due_date_and_overdue_ones_marked(recruiter_client, interview_id, loaded):
    add_request(loaded, interview_id, RequestKind.ERASURE, 30)
    add_request(loaded, interview_id, RequestKind.ACCOMMODATION, -1)
    c, _ = recruiter_client

    response = await c.get("/recruiter/requests")
    html = await response.text()

    assert response.status == 200
    assert html.index("Another way to do the screening") < html.index("Erase their data")  # due first on top
    assert html.count("overdue</strong>") == 1
    assert f"/recruiter/interviews/{interview_id}" in html
    with loaded() as session:
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.action == "view_requests")).all()


async def test_marking_handled_needs_csrf_and_is_audited(recruiter_client, interview_id, loaded):
    request_id = add_request(loaded, interview_id, RequestKind.REVIEW, 14)
    c, _ = recruiter_client
    page = await (await c.get("/recruiter/requests")).text()

    refused = await c.post(f"/recruiter/requests/{request_id}/handled", data={"csrf": "wrong"}, allow_redirects=False)
    assert refused.status == 403
    done = await c.post(
        f"/recruiter/requests/{request_id}/handled", data={"csrf": csrf_of(page)}, allow_redirects=False
    )
    assert done.status == 303
    again = await c.post(
        f"/recruiter/requests/{request_id}/handled", data={"csrf": csrf_of(page)}, allow_redirects=False
    )
    assert again.status == 303

    with loaded() as session:
        req = session.get(CandidateRequest, request_id)
        assert req.handled_at is not None and req.handled_by is not None
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "handle_request")).all()
    assert [(e.detail["request_id"], e.detail["kind"], e.interview_id) for e in entries] == [
        (request_id, "review", interview_id)
    ]  # handled once
    html = await (await c.get("/recruiter/requests")).text()
    assert "No open requests" in html and "Handled lately" in html


async def test_an_unknown_request_is_404(recruiter_client):
    c, _ = recruiter_client
    page = await (await c.get("/recruiter/requests")).text()
    response = await c.post("/recruiter/requests/999999/handled", data={"csrf": csrf_of(page)}, allow_redirects=False)
    assert response.status == 404


async def test_the_queue_needs_a_signed_in_recruiter(make_client):
    c = await make_client()
    response = await c.get("/recruiter/requests", allow_redirects=False)
    assert response.status in (302, 303)
