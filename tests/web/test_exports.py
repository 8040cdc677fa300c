"""Exports (``bot.web.exports``): printable report, JSON, CSV."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from bot.db.models import AuditEntry, Score
from bot.web.exports import csv_cell
from tests.web.factory import make_interview


async def test_printable_report(recruiter_client, interview_id) -> None:
    c, _ = recruiter_client
    response = await c.get(f"/recruiter/interviews/{interview_id}/report")
    html = await response.text()
    assert response.status == 200 and "Screening report" in html
    assert "<script>alert" not in html and '<mark class="ev ev-for"' in html and "<svg" in html
    assert "Override this rating" not in html
    assert (await c.get("/recruiter/interviews/999999/report")).status == 404


async def test_json_export_keeps_original_and_overridden_ratings(recruiter_client, interview_id, loaded) -> None:
    c, csrf = recruiter_client
    with loaded() as session:
        score = session.scalars(select(Score).order_by(Score.id)).first()
    await c.post(
        f"/recruiter/interviews/{interview_id}/override",
        data={"csrf": csrf, "score_id": score.id, "rating": "none", "reason": "Answer copied"},
    )
    await c.post(f"/recruiter/interviews/{interview_id}/decision", data={"csrf": csrf, "decision": "hold"})
    response = await c.get(f"/recruiter/interviews/{interview_id}/export.json")
    assert response.status == 200 and "attachment" in response.headers["Content-Disposition"]
    data = await response.json()
    first = data["answers"][0]["scores"][0]
    assert first["rating"] == score.rating and first["effective_rating"] is None
    assert first["overrides"][0]["reason"] == "Answer copied"
    assert data["answers"][0]["answer"].startswith("<script>")  # JSON carries the text as data
    assert data["decisions"][0]["decision"] == "hold"
    assert data["candidate"] == "Ada <i>Lovelace</i>"
    assert (await c.get("/recruiter/interviews/999999/export.json")).status == 404
    with loaded() as session:
        actions = set(session.scalars(select(AuditEntry.action)).all())
    assert {"export_json", "override_rating", "decision"} <= actions


async def test_csv_export_of_the_list(recruiter_client, loaded) -> None:
    c, _ = recruiter_client
    with loaded.begin() as session:
        make_interview(session, name='=HYPERLINK("http://evil")')
        make_interview(session, name="Plain Name", role_id="accountant")
    response = await c.get("/recruiter/export.csv?sort=candidate&dir=asc")
    assert response.status == 200 and response.content_type == "text/csv"
    rows = list(csv.reader(io.StringIO(await response.text())))
    assert rows[0][:3] == ["id", "candidate", "role"] and len(rows) == 3
    assert rows[1][1].startswith("'=")  # no formula injection
    filtered = list(csv.reader(io.StringIO(await (await c.get("/recruiter/export.csv?role=accountant")).text())))
    assert len(filtered) == 2 and filtered[1][1] == "Plain Name"
    assert (await c.get("/recruiter/export.csv?sort=nope")).status == 400


def test_csv_cell() -> None:
    assert csv_cell(None) == "" and csv_cell(3) == "3" and csv_cell("@x") == "'@x" and csv_cell("ok") == "ok"
