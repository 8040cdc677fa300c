"""The self-identification form on the careers page and the admins' bias audit page.

Also: the recruiter pages and the exports never show a self-identification.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import AuditEntry, Interview, InterviewStatus, SelfIdentification
from bot.web.security import CONVERSATION_COOKIE, Signer
from tests.web.conftest import csrf_of
from tests.web.factory import make_interview


@pytest.fixture(autouse=True)
def stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The candidate export finds no tracker store or Slack state."""
    monkeypatch.setenv("RASA_TRACKER_DB", str(tmp_path / "trackers.db"))
    monkeypatch.setenv("SLACK_STATE_DB", str(tmp_path / "slack_state.sqlite3"))
    for name in ("RASA_ENDPOINTS", "REDIS_URL", "REDIS_HOST"):
        monkeypatch.delenv(name, raising=False)


async def candidate_browser(make_client, web_settings, conversation_id: str):
    """A client holding the (signed) conversation cookie of ``conversation_id``."""
    c = await make_client()
    c.session.cookie_jar.update_cookies(
        {CONVERSATION_COOKIE: Signer(web_settings.secret)._conversation.dumps(conversation_id)}
    )
    return c


def conversation_of(loaded: sessionmaker[Session], interview_id: int) -> str:
    with loaded() as session:
        return session.get(Interview, interview_id).candidate.conversation_id


def stored(loaded: sessionmaker[Session]) -> list[tuple[int, str, str]]:
    with loaded() as session:
        rows = session.execute(
            select(SelfIdentification.candidate_id, SelfIdentification.sex, SelfIdentification.race_ethnicity)
        )
        return [tuple(r) for r in rows]


# -- the form ---------------------------------------------------------------------------


async def test_the_form_is_offered_after_the_interview_with_decline_preselected(
    make_client, web_settings, interview_id, loaded
) -> None:
    c = await candidate_browser(make_client, web_settings, conversation_of(loaded, interview_id))
    html = await (await c.get("/")).text()
    assert 'action="/self-identification"' in html
    checked = re.findall(r'<input type="radio" name="(\w+)" value="(\w+)" checked>', html)
    assert checked == [("sex", "decline"), ("race_ethnicity", "decline")]
    for label in (
        "Female",
        "Male",
        "Hispanic or Latino",
        "Native Hawaiian or Other Pacific Islander",
        "Two or More Races",
    ):
        assert label in html
    assert html.count("> I prefer not to answer</label>") == 2


async def test_no_form_before_the_interview_ends_or_for_a_new_visitor(
    make_client, web_settings, client, loaded
) -> None:
    assert "/self-identification" not in await (await client.get("/")).text()
    with loaded.begin() as session:
        conversation = make_interview(session, status=InterviewStatus.IN_PROGRESS).candidate.conversation_id
    c = await candidate_browser(make_client, web_settings, conversation)
    html = await (await c.get("/")).text()
    assert "/self-identification" not in html
    response = await c.post(
        "/self-identification", data={"csrf": Signer(web_settings.secret).csrf_token(conversation), "sex": "male"}
    )
    assert response.status == 409
    assert stored(loaded) == []


async def test_csrf_is_required(make_client, web_settings, interview_id, loaded) -> None:
    conversation = conversation_of(loaded, interview_id)
    c = await candidate_browser(make_client, web_settings, conversation)
    assert (await c.post("/self-identification", data={"sex": "female"})).status == 403
    assert (await c.post("/self-identification", data={"csrf": "forged", "sex": "female"})).status == 403
    other = Signer(web_settings.secret).csrf_token("another-conversation")
    assert (await c.post("/self-identification", data={"csrf": other, "sex": "female"})).status == 403
    # A browser without the conversation cookie, even with the right token.
    stranger = await make_client()
    token = Signer(web_settings.secret).csrf_token(conversation)
    assert (await stranger.post("/self-identification", data={"csrf": token, "sex": "female"})).status == 403
    assert stored(loaded) == []


async def test_stored_once_per_candidate_and_replaced(make_client, web_settings, interview_id, loaded) -> None:
    c = await candidate_browser(make_client, web_settings, conversation_of(loaded, interview_id))
    token = csrf_of(await (await c.get("/")).text())
    response = await c.post(
        "/self-identification",
        data={"csrf": token, "sex": "female", "race_ethnicity": "asian"},
        allow_redirects=False,
    )
    assert response.status == 303 and response.headers["Location"].startswith("/?self_id=saved")
    with loaded() as session:
        candidate_id = session.get(Interview, interview_id).candidate_id
    assert stored(loaded) == [(candidate_id, "female", "asian")]
    html = await (await c.get("/?self_id=saved")).text()
    assert "Your answer was saved" in html and "replaces" in html
    assert "Asian" in html  # offered again, but the answer given is not shown preselected
    assert re.findall(r'value="(\w+)" checked', html) == ["decline", "decline"]
    # A second answer replaces the first; a field left out means "decline".
    assert (await c.post("/self-identification", data={"csrf": token, "sex": "male"})).status == 200
    assert stored(loaded) == [(candidate_id, "male", "decline")]


async def test_a_value_not_offered_is_refused(make_client, web_settings, interview_id, loaded) -> None:
    c = await candidate_browser(make_client, web_settings, conversation_of(loaded, interview_id))
    token = csrf_of(await (await c.get("/")).text())
    response = await c.post("/self-identification", data={"csrf": token, "sex": "other", "race_ethnicity": "white"})
    assert response.status == 400
    assert stored(loaded) == []


# -- nothing else shows it --------------------------------------------------------------


async def test_recruiter_pages_and_exports_never_show_it(
    make_client, web_settings, admin_client, interview_id, loaded
) -> None:
    c = await candidate_browser(make_client, web_settings, conversation_of(loaded, interview_id))
    token = csrf_of(await (await c.get("/")).text())
    data = {"csrf": token, "sex": "female", "race_ethnicity": "native_hawaiian_pacific_islander"}
    assert (await c.post("/self-identification", data=data)).status == 200
    with loaded() as session:
        candidate_id = session.get(Interview, interview_id).candidate_id
    ac, _ = admin_client
    for path in (
        f"/recruiter/interviews/{interview_id}",
        f"/recruiter/interviews/{interview_id}/report",
        f"/recruiter/interviews/{interview_id}/export.json",
        f"/recruiter/candidates/{candidate_id}/export",
        f"/recruiter/candidates/{candidate_id}/export.json",
        "/recruiter/export.csv",
        "/recruiter/",
    ):
        response = await ac.get(path)
        assert response.status == 200, path
        body = (await response.text()).lower()
        for value in ("native_hawaiian", "pacific islander", "self_identification", "race_ethnicity", "female"):
            assert value not in body, (path, value)


# -- the report -------------------------------------------------------------------------


def _answers(loaded: sessionmaker[Session]) -> None:
    from bot.audit.selfid import save_answer

    with loaded.begin() as session:
        for seed, answer in enumerate([("female", "asian"), ("male", "white"), ("male", "decline")]):
            save_answer(session, make_interview(session, rating_seed=seed).candidate_id, *answer)
        make_interview(session, rating_seed=3)


async def test_only_admins_open_the_report(recruiter_client, client) -> None:
    rc, _ = recruiter_client
    for path in ("/recruiter/bias-audit", "/recruiter/bias-audit.csv"):
        assert (await rc.get(path)).status == 403
        response = await client.get(path, allow_redirects=False)
        assert response.status in (302, 303) and "/recruiter/sign-in" in response.headers["Location"]


async def test_the_admin_page_shows_every_group(admin_client, loaded) -> None:
    _answers(loaded)
    ac, _ = admin_client
    response = await ac.get("/recruiter/bias-audit")
    html = await response.text()
    assert response.status == 200
    for text in (
        "Sex × race/ethnicity",
        "Female × Asian",
        "Male × Two or More Races",
        "Unknown (not given or declined)",
    ):
        assert text in html
    assert 'href="/recruiter/bias-audit.csv?"' in html
    filtered = await (
        await ac.get("/recruiter/bias-audit?role=cashier&from=2026-11-01&to=2026-11-30&exclude_small=1")
    ).text()
    assert (
        'href="/recruiter/bias-audit.csv?role=cashier&amp;from=2026-11-01&amp;to=2026-11-30&amp;exclude_small=1"'
        in filtered
    )
    assert (await ac.get("/recruiter/bias-audit?from=nope")).status == 400
    assert (await ac.get("/recruiter/bias-audit?from=2026-12-01&to=2026-11-01")).status == 400
    with loaded() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action == "view_bias_audit")).all()
    assert len(actions) == 2


async def test_the_csv_download(admin_client, loaded) -> None:
    _answers(loaded)
    ac, _ = admin_client
    response = await ac.get("/recruiter/bias-audit.csv?role=cashier")
    assert response.status == 200
    assert response.content_type == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="bias-audit.csv"'
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    sex = {r["category"]: r for r in rows if r["group"] == "sex"}
    assert (
        sex["Female"]["candidates"] == "1" and sex["Male"]["candidates"] == "2" and sex["unknown"]["candidates"] == "1"
    )
    race = {r["category"]: r for r in rows if r["group"] == "race_ethnicity"}
    assert race["unknown"]["candidates"] == "2"
    assert rows[-1]["group"] == "total" and rows[-1]["candidates"] == "4"
    with loaded() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "export_bias_audit")).one()
    assert entry.detail["role"] == "cashier" and entry.detail["candidates"] == 4
