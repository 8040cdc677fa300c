"""Candidate-rights pages (``bot.web.privacy``): export a candidate's data, erase a candidate (admins only)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db.models import Answer, AuditEntry, Candidate, Interview
from tests.web.conftest import csrf_of


@pytest.fixture(autouse=True)
def stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app finds the tracker store and the Slack state in ``tmp_path`` (neither exists yet)."""
    monkeypatch.setenv("RASA_TRACKER_DB", str(tmp_path / "trackers.db"))
    monkeypatch.setenv("SLACK_STATE_DB", str(tmp_path / "slack_state.sqlite3"))
    monkeypatch.delenv("RASA_ENDPOINTS", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("REDIS_HOST", raising=False)


def candidate_of(loaded, interview_id: int) -> int:
    with loaded() as session:
        return session.get(Interview, interview_id).candidate_id


async def test_the_interview_page_links_the_export_and_only_admins_the_erasure(
    recruiter_client, admin_client, interview_id, loaded
) -> None:
    candidate_id = candidate_of(loaded, interview_id)
    rc, _ = recruiter_client
    html = await (await rc.get(f"/recruiter/interviews/{interview_id}")).text()
    assert f"/recruiter/candidates/{candidate_id}/export" in html
    assert f"/recruiter/candidates/{candidate_id}/erase" not in html
    ac, _ = admin_client
    html = await (await ac.get(f"/recruiter/interviews/{interview_id}")).text()
    assert f"/recruiter/candidates/{candidate_id}/erase" in html


async def test_export_page_and_json_are_audited(recruiter_client, interview_id, loaded) -> None:
    candidate_id = candidate_of(loaded, interview_id)
    c, _ = recruiter_client
    page = await c.get(f"/recruiter/candidates/{candidate_id}/export")
    html = await page.text()
    assert page.status == 200 and "Identity and contact" in html
    assert "Ada &lt;i&gt;Lovelace&lt;/i&gt;" in html and "<script>alert" not in html
    response = await c.get(f"/recruiter/candidates/{candidate_id}/export.json")
    assert response.status == 200 and "attachment" in response.headers["Content-Disposition"]
    data = await response.json()
    assert data["candidate"]["display_name"] == "Ada <i>Lovelace</i>"
    assert data["interviews"][0]["id"] == interview_id
    assert (await c.get("/recruiter/candidates/999999/export")).status == 404
    with loaded() as session:
        exports = session.scalars(select(AuditEntry).where(AuditEntry.action == "export_candidate")).all()
    assert sorted(e.detail["format"] for e in exports) == ["html", "json"]
    assert all(e.detail["candidate_id"] == candidate_id for e in exports)


async def test_a_recruiter_cannot_erase(recruiter_client, interview_id, loaded) -> None:
    candidate_id = candidate_of(loaded, interview_id)
    c, csrf = recruiter_client
    assert (await c.get(f"/recruiter/candidates/{candidate_id}/erase")).status == 403
    response = await c.post(
        f"/recruiter/candidates/{candidate_id}/erase", data={"csrf": csrf, "reason": "r", "confirm": "yes"}
    )
    assert response.status == 403
    with loaded() as session:
        assert session.get(Candidate, candidate_id).display_name == "Ada <i>Lovelace</i>"
        refused = session.scalars(select(AuditEntry).where(AuditEntry.action == "admin_page_refused")).all()
    assert len(refused) == 2


async def test_an_admin_erases_after_confirming_with_a_reason(admin_client, accounts, interview_id, loaded) -> None:
    candidate_id = candidate_of(loaded, interview_id)
    c, _ = admin_client
    form = await c.get(f"/recruiter/candidates/{candidate_id}/erase")
    html = await form.text()
    assert form.status == 200 and "cannot be undone" in html
    csrf = csrf_of(html)
    url = f"/recruiter/candidates/{candidate_id}/erase"
    assert (await c.post(url, data={"reason": "request", "confirm": "yes"})).status == 403  # no CSRF token
    assert (await c.post(url, data={"csrf": csrf, "reason": "request"})).status == 400  # not confirmed
    assert (await c.post(url, data={"csrf": csrf, "reason": "  ", "confirm": "yes"})).status == 400
    with loaded() as session:
        assert session.get(Candidate, candidate_id).display_name is not None
    done = await c.post(url, data={"csrf": csrf, "reason": "request of 2026-06-01", "confirm": "yes"})
    html = await done.text()
    assert done.status == 200 and "is erased" in html
    with loaded() as session:
        candidate = session.get(Candidate, candidate_id)
        assert candidate.display_name is None and candidate.conversation_id.startswith("erased:")
        texts = session.scalars(select(Answer.text).where(Answer.interview_id == interview_id)).all()
        assert texts and all(t is None for t in texts)
        [tombstone] = session.scalars(select(AuditEntry).where(AuditEntry.action == "erase_candidate")).all()
    assert tombstone.recruiter_id == accounts["admin"] and tombstone.detail["reason"] == "request of 2026-06-01"
    again = await c.get(url)
    assert "already been erased" in await again.text()
    page = await c.get(f"/recruiter/interviews/{interview_id}")
    assert page.status == 200 and "Lovelace" not in await page.text()
