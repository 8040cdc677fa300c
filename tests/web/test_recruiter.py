"""Recruiter pages (``bot.web.recruiter``): sign-in, sessions, CSRF, list, interview, decisions."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.models import AuditEntry, Decision, Note, RatingOverride, Recruiter, Score
from bot.web.security import SESSION_COOKIE
from tests.web.conftest import PASSWORD, csrf_of, sign_in
from tests.web.factory import make_interview

PROTECTED_GETS = [
    "/recruiter/",
    "/recruiter/interviews/{id}",
    "/recruiter/interviews/{id}/report",
    "/recruiter/interviews/{id}/export.json",
    "/recruiter/export.csv",
    "/recruiter/invitations",
    "/recruiter/users",
    "/recruiter/audit",
]
PROTECTED_POSTS = [
    "/recruiter/interviews/{id}/decision",
    "/recruiter/interviews/{id}/override",
    "/recruiter/interviews/{id}/notes",
    "/recruiter/invitations",
    "/recruiter/users",
    "/recruiter/sign-out",
]


async def test_every_recruiter_page_needs_sign_in(client, interview_id) -> None:
    assert (await client.get("/recruiter", allow_redirects=False)).headers["Location"] == "/recruiter/"
    for path in PROTECTED_GETS:
        response = await client.get(path.format(id=interview_id), allow_redirects=False)
        assert response.status == 303, path
        assert response.headers["Location"].startswith("/recruiter/sign-in")
    for path in PROTECTED_POSTS:
        response = await client.post(path.format(id=interview_id), data={"x": "1"}, allow_redirects=False)
        assert response.status == 401, path
        assert "sign in" in (await response.text()).lower()


async def test_sign_in_checks_password_and_csrf(client, accounts, loaded) -> None:
    page = await client.get("/recruiter/sign-in?next=/recruiter/audit")
    token = csrf_of(await page.text())
    response = await client.post(
        "/recruiter/sign-in", data={"csrf": token, "email": "admin@example.org", "password": "wrong"}
    )
    assert response.status == 401 and "not correct" in await response.text()
    response = await client.post(
        "/recruiter/sign-in", data={"csrf": "forged", "email": "admin@example.org", "password": PASSWORD}
    )
    assert response.status == 403
    response = await client.post(
        "/recruiter/sign-in",
        data={"csrf": token, "email": "ADMIN@example.org", "password": PASSWORD, "next": "https://evil.example/"},
        allow_redirects=False,
    )
    assert response.status == 303 and response.headers["Location"] == "/recruiter/"
    with loaded() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        stored = session.scalars(select(Recruiter.password_hash)).first()
    assert actions == ["sign_in_failed", "sign_in"]
    assert stored.startswith("$argon2id$")


async def test_sign_out_ends_the_session_everywhere(make_client, accounts) -> None:
    c = await make_client()
    csrf = await sign_in(c, "rec@example.org")
    old_cookie = c.session.cookie_jar.filter_cookies(c.make_url("/"))[SESSION_COOKIE].value
    response = await c.post("/recruiter/sign-out", data={"csrf": csrf}, allow_redirects=False)
    assert response.status == 303
    replay = await make_client()
    replay.session.cookie_jar.update_cookies({SESSION_COOKIE: old_cookie})
    assert (await replay.get("/recruiter/", allow_redirects=False)).status == 303


async def test_sessions_expire(make_client, accounts, web_settings, monkeypatch) -> None:
    c = await make_client()
    await sign_in(c, "rec@example.org")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + web_settings.idle_ttl + 5)
    assert (await c.get("/recruiter/", allow_redirects=False)).status == 303


async def test_csrf_is_refused_on_every_form(recruiter_client, admin_client, interview_id, loaded) -> None:
    c, _csrf = recruiter_client
    for path in PROTECTED_POSTS[:4] + PROTECTED_POSTS[5:]:
        for data in ({}, {"csrf": "0" * 64}):
            response = await c.post(path.format(id=interview_id), data={**data, "decision": "advance", "text": "x"})
            assert response.status == 403, path
    admin, _ = admin_client
    response = await admin.post("/recruiter/users", data={"csrf": "bad", "email": "x@y.z", "password": "p" * 20})
    assert response.status == 403
    with loaded() as session:
        assert session.scalars(select(Decision)).all() == []
        assert session.scalars(select(Note)).all() == []


async def test_list_filters_sorts_and_pages(recruiter_client, loaded, web_settings) -> None:
    c, _ = recruiter_client
    with loaded.begin() as session:
        for i in range(7):
            make_interview(
                session,
                role_id="cashier" if i % 2 else "accountant",
                name=f"Cand {i}",
                started=datetime(2026, 11, 1 + i, tzinfo=UTC),
                rating_seed=i,
                status="completed" if i < 5 else "in_progress",
            )
    html = await (await c.get("/recruiter/")).text()
    assert html.count("/recruiter/interviews/") == 7 and "7 in all" in html
    assert html.index("Cand 6") < html.index("Cand 0")  # newest first
    html = await (await c.get("/recruiter/?role=cashier")).text()
    assert "3 in all" in html and "Cand 1" in html and "Cand 2" not in html
    html = await (await c.get("/recruiter/?status=in_progress")).text()
    assert "2 in all" in html
    html = await (await c.get("/recruiter/?from=2026-11-03&to=2026-11-04")).text()
    assert "2 in all" in html and "Cand 2" in html and "Cand 3" in html
    html = await (await c.get("/recruiter/?sort=candidate&dir=asc")).text()
    assert html.index("Cand 0") < html.index("Cand 6")
    for key in ("fit", "front_office", "back_office", "role", "channel", "status", "completed", "decision"):
        assert (await c.get(f"/recruiter/?sort={key}&dir=asc")).status == 200
    web_settings.page_size = 3
    page2 = await (await c.get("/recruiter/?page=2")).text()
    assert "Page 2 of 3" in page2 and page2.count("/recruiter/interviews/") == 3
    for bad in ("status=nope", "sort=password_hash", "dir=up", "page=x", "page=0", "from=yesterday"):
        response = await c.get(f"/recruiter/?{bad}")
        assert response.status == 400, bad


async def test_interview_page_escapes_candidate_text_and_shows_evidence_first(
    recruiter_client, interview_id, loaded
) -> None:
    c, _ = recruiter_client
    response = await c.get(f"/recruiter/interviews/{interview_id}")
    html = await response.text()
    assert response.status == 200
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;b&gt;" in html and "Ada &lt;i&gt;Lovelace&lt;/i&gt;" in html
    mark = re.search(r'<mark class="ev ev-for"[^>]*>.*?stay calm</mark>', html)
    assert mark, "evidence not highlighted"
    assert "short answer" in html  # flags
    assert "<svg" in html and "Competency profile" in html and "Fit for" in html
    assert html.index('<mark class="ev') < html.index("Fit for")
    assert response.headers["Cache-Control"] == "no-store"
    with loaded() as session:
        views = session.scalars(select(AuditEntry).where(AuditEntry.action == "view_interview")).all()
    assert [v.interview_id for v in views] == [interview_id]
    assert (await c.get("/recruiter/interviews/999999")).status == 404


async def test_override_needs_a_reason_and_keeps_the_original(recruiter_client, interview_id, loaded) -> None:
    c, csrf = recruiter_client
    with loaded() as session:
        score = session.scalars(select(Score).order_by(Score.id)).first()
        other = make_interview_in(loaded)
        other_score = session.scalars(select(Score).order_by(Score.id.desc())).first()
    url = f"/recruiter/interviews/{interview_id}/override"
    assert (await c.post(url, data={"csrf": csrf, "score_id": score.id, "rating": "5", "reason": "  "})).status == 400
    assert (await c.post(url, data={"csrf": csrf, "score_id": score.id, "rating": "9", "reason": "x"})).status == 400
    assert (await c.post(url, data={"csrf": csrf, "score_id": "x", "rating": "5", "reason": "x"})).status == 400
    assert (
        await c.post(url, data={"csrf": csrf, "score_id": other_score.id, "rating": "5", "reason": "x"})
    ).status == 404
    assert (
        await c.post(url, data={"csrf": csrf, "score_id": score.id, "rating": "5", "reason": "x" * 6000})
    ).status == 413
    response = await c.post(
        url,
        data={"csrf": csrf, "score_id": score.id, "rating": "5", "reason": "Clear <em>ownership</em> shown"},
        allow_redirects=False,
    )
    assert response.status == 303
    with loaded() as session:
        override = session.scalars(select(RatingOverride)).one()
        kept = session.get(Score, score.id)
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "override_rating")).one()
    assert (override.original_rating, override.rating, kept.rating) == (score.rating, 5, score.rating)
    assert entry.detail["original"] == score.rating and entry.detail["rating"] == 5
    html = await (await c.get(f"/recruiter/interviews/{interview_id}")).text()
    assert "Clear &lt;em&gt;ownership&lt;/em&gt; shown" in html and "overridden" in html
    assert other != interview_id


def make_interview_in(loaded) -> int:
    with loaded.begin() as session:
        return make_interview(session, name="Other").id


async def test_decision_and_notes(recruiter_client, interview_id, loaded) -> None:
    c, csrf = recruiter_client
    base = f"/recruiter/interviews/{interview_id}"
    assert (await c.post(base + "/decision", data={"csrf": csrf, "decision": "hire"})).status == 400
    assert (
        await c.post("/recruiter/interviews/999999/decision", data={"csrf": csrf, "decision": "hold"})
    ).status == 404
    for d in ("hold", "advance"):
        response = await c.post(
            base + "/decision", data={"csrf": csrf, "decision": d, "comment": "<b>ok</b>"}, allow_redirects=False
        )
        assert response.status == 303
    assert (await c.post(base + "/notes", data={"csrf": csrf, "text": ""})).status == 400
    assert (
        await c.post(base + "/notes", data={"csrf": csrf, "text": "Call <script>x</script>"}, allow_redirects=False)
    ).status == 303
    html = await (await c.get(base)).text()
    assert "Call &lt;script&gt;x&lt;/script&gt;" in html
    with loaded() as session:
        assert session.scalars(select(Decision.decision).order_by(Decision.id)).all() == ["hold", "advance"]
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.interview_id == interview_id)).all()
    assert {"decision", "note", "view_interview"} <= set(actions)
    listing = await (await c.get("/recruiter/?sort=decision")).text()
    assert "advance" in listing


async def test_invitations_page(recruiter_client) -> None:
    c, csrf = recruiter_client
    assert (await c.get("/recruiter/invitations")).status == 200
    assert (await c.post("/recruiter/invitations", data={"csrf": csrf, "name": "X", "role": "astronaut"})).status == 400
    assert (await c.post("/recruiter/invitations", data={"csrf": csrf, "name": "", "role": "cashier"})).status == 400


async def test_invitation_links_use_the_public_base_url_not_the_host_header(recruiter_client, web_settings) -> None:
    c, csrf = recruiter_client
    response = await c.post(
        "/recruiter/invitations",
        data={"csrf": csrf, "name": "Dee", "role": "cashier"},
        headers={"Host": "evil.example.net"},
    )
    html = await response.text()
    assert response.status == 200 and "evil.example.net" not in html
    assert f'value="{web_settings.public_base_url}/invite/' in html


async def test_accounts_and_audit_are_for_admins(recruiter_client, admin_client, loaded) -> None:
    rec, _ = recruiter_client
    assert (await rec.get("/recruiter/users")).status == 403
    assert (await rec.get("/recruiter/audit")).status == 403
    admin, csrf = admin_client
    assert (await admin.get("/recruiter/users")).status == 200
    response = await admin.post(
        "/recruiter/users",
        data={"csrf": csrf, "email": "new@example.org", "name": "N", "role": "recruiter", "password": "short"},
    )
    assert response.status == 400 and "12 characters" in await response.text()
    response = await admin.post(
        "/recruiter/users",
        data={
            "csrf": csrf,
            "email": "new@example.org",
            "name": "N",
            "role": "recruiter",
            "password": "a long enough pass",
        },
        allow_redirects=False,
    )
    assert response.status == 303
    response = await admin.post(
        "/recruiter/users",
        data={
            "csrf": csrf,
            "email": "new@example.org",
            "name": "N",
            "role": "recruiter",
            "password": "a long enough pass",
        },
    )
    assert response.status == 400 and "already" in await response.text()
    html = await (await admin.get("/recruiter/audit")).text()
    assert "create_account" in html and "sign_in" in html
    assert (await admin.get("/recruiter/audit?page=x")).status == 400


def test_audit_log_is_append_only(loaded) -> None:
    from bot.web import audit

    with loaded.begin() as session:
        audit.record(session, None, "test")
    with pytest.raises(PermissionError), loaded.begin() as session:
        entry = session.scalars(select(AuditEntry)).one()
        entry.action = "changed"
    with pytest.raises(PermissionError), loaded.begin() as session:
        session.delete(session.scalars(select(AuditEntry)).one())


def test_stale_summaries_are_recomputed_and_match_the_review_profile(loaded) -> None:
    from bot.db.models import Interview, InterviewSummary
    from bot.review import profile
    from bot.web.data import effective_profile, refresh_stale_summaries

    with loaded.begin() as session:
        ids = [
            make_interview(session, role_id=role, rating_seed=i).id for i, role in enumerate(("cashier", "accountant"))
        ]
    with loaded.begin() as session:
        assert refresh_stale_summaries(session) == 2
    with loaded.begin() as session:
        assert refresh_stale_summaries(session) == 0
        for interview_id in ids:
            interview = session.get(Interview, interview_id)
            summary = session.get(InterviewSummary, interview_id)
            expected = profile(session, interview)
            assert summary.fit == pytest.approx(expected.fit)
            assert summary.front_office == pytest.approx(expected.front_office)
            assert summary.back_office == pytest.approx(expected.back_office)
            assert effective_profile(session, interview).fit == pytest.approx(expected.fit)
        interview = session.get(Interview, ids[0])
        interview.position = interview.position  # no change: stays fresh
    with loaded.begin() as session:
        interview = session.get(Interview, ids[0])
        interview.updated_at = datetime.now(UTC) + timedelta(seconds=5)
    with loaded.begin() as session:
        assert refresh_stale_summaries(session) == 1


async def test_interview_page_shows_the_whole_web_conversation_escaped(recruiter_client, loaded) -> None:
    from bot.db.base import utcnow
    from bot.db.models import WebMessage

    with loaded.begin() as session:
        interview = make_interview(session)
        conversation_id = interview.candidate.conversation_id
        session.add_all(
            [
                WebMessage(
                    conversation_id=conversation_id, sender="bot", text="Do you agree?", buttons=[], at=utcnow()
                ),
                WebMessage(
                    conversation_id=conversation_id, sender="candidate", text="why <u>me</u>?", buttons=[], at=utcnow()
                ),
            ]
        )
        interview_id = interview.id
    c, _ = recruiter_client
    html = await (await c.get(f"/recruiter/interviews/{interview_id}")).text()
    assert "Show all 2 messages" in html and "why &lt;u&gt;me&lt;/u&gt;?" in html and "<u>me" not in html


@pytest.mark.parametrize(
    ("email", "password", "refusal"),
    [
        ("@", "Tr4vel-Plum-Quartz-91", "valid email"),
        ("new@", "Tr4vel-Plum-Quartz-91", "valid email"),
        ("new@example.org", "password1234", "too easy to guess"),
        ("new@example.org", "aaaaaaaaaaaa", "too easy to guess"),
        ("nina.berg@example.org", "nina.berg2024", "too easy to guess"),
        ("new@example.org", "x" * 2000, "at most 256"),
    ],
)
async def test_weak_passwords_and_invalid_emails_are_refused(admin_client, loaded, email, password, refusal) -> None:
    admin, csrf = admin_client
    data = {"csrf": csrf, "email": email, "name": "Nina Berg", "role": "recruiter", "password": password}
    response = await admin.post("/recruiter/users", data=data)
    assert response.status == 400 and refusal in await response.text()
    with loaded() as session:
        assert session.scalar(select(Recruiter.id).where(Recruiter.name == "Nina Berg")) is None


async def test_rate_limited_sign_ins_and_refused_admin_pages_are_audited(make_client, recruiter_client, loaded) -> None:
    rec, _ = recruiter_client
    assert (await rec.get("/recruiter/audit")).status == 403
    client = await make_client()
    for _ in range(12):
        page = await (await client.get("/recruiter/sign-in")).text()
        response = await client.post(
            "/recruiter/sign-in", data={"csrf": csrf_of(page), "email": "rec@example.org", "password": "wrong"}
        )
    assert response.status == 429
    with loaded() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert "admin_page_refused" in actions and "sign_in_rate_limited" in actions
