"""The second factor (``bot.web.second_factor`` and its pages): enrolment, the sign-in's
second step, replay, recovery codes, expiry, admins, turning off, admin reset, audit."""

from __future__ import annotations

import json
import re
import time

import pyotp
import pytest
from sqlalchemy import select

from bot.db.models import AuditEntry, RecoveryCode, Recruiter
from bot.web import second_factor
from tests.web.conftest import PASSWORD, csrf_of, sign_in
from tests.web.factory import TEST_TOTP_SECRET, enable_totp
from tests.web.test_recruiter import PROTECTED_GETS

CODE_PAGE = "/recruiter/sign-in/code"


def actions(loaded, recruiter_id: int | None = None) -> list[str]:
    with loaded() as session:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if recruiter_id is not None:
            query = query.where(AuditEntry.recruiter_id == recruiter_id)
        return [e.action for e in session.scalars(query)]


def audit_details(loaded, action: str) -> list[dict]:
    with loaded() as session:
        return [e.detail for e in session.scalars(select(AuditEntry).where(AuditEntry.action == action))]


def recruiter(loaded, recruiter_id: int) -> Recruiter:
    with loaded() as session:
        row = session.get(Recruiter, recruiter_id)
        _ = row.totp_secret, row.totp_pending_secret  # deferred columns, loaded while the session is open
        return row


async def password_step(client, email: str, password: str = PASSWORD) -> str:
    """Pass the password step; return the CSRF token of the code page."""
    token = csrf_of(await (await client.get("/recruiter/sign-in")).text())
    response = await client.post(
        "/recruiter/sign-in", data={"csrf": token, "email": email, "password": password}, allow_redirects=False
    )
    assert response.status == 303 and response.headers["Location"].startswith(CODE_PAGE)
    page = await client.get(response.headers["Location"])
    assert page.status == 200
    return csrf_of(await page.text())


async def send_code(client, csrf: str, code: str):
    return await client.post(CODE_PAGE, data={"csrf": csrf, "code": code, "next": "/recruiter/"}, allow_redirects=False)


async def enrol(client, csrf: str, loaded, recruiter_id: int) -> tuple[str, list[str]]:
    """Go through enrolment; return the secret and the recovery codes shown."""
    page = await client.get("/recruiter/second-factor")
    html = await page.text()
    secret = recruiter(loaded, recruiter_id).totp_pending_secret
    response = await client.post(
        "/recruiter/second-factor", data={"csrf": csrf_of(html), "code": pyotp.TOTP(secret).now()}
    )
    assert response.status == 200
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", await response.text())
    return secret, codes


# -- the logic ---------------------------------------------------------------------


def test_codes_match_within_one_step_only() -> None:
    totp = pyotp.TOTP(TEST_TOTP_SECRET)
    now = 1_900_000_000.0
    step = int(now) // 30
    assert second_factor.matching_step(TEST_TOTP_SECRET, totp.at(now), now) == step
    assert second_factor.matching_step(TEST_TOTP_SECRET, totp.at(now - 30), now) == step - 1
    assert second_factor.matching_step(TEST_TOTP_SECRET, totp.at(now + 30), now) == step + 1
    assert second_factor.matching_step(TEST_TOTP_SECRET, totp.at(now + 90), now) is None
    code = totp.at(now)
    assert second_factor.matching_step(TEST_TOTP_SECRET, f"{code[:3]} {code[3:]}", now) == step
    for bad in ("", "12345", "1234567", "abcdef", code + "0"):
        assert second_factor.matching_step(TEST_TOTP_SECRET, bad, now) is None


def test_recovery_codes_are_random_and_typed_loosely() -> None:
    codes = second_factor.new_recovery_codes()
    assert len(codes) == 10 == len(set(codes))
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    assert second_factor.normalised_recovery_code(" ABCDE-fghjk ") == "abcdefghjk"
    assert second_factor.normalised_recovery_code("abcde fghjk") == "abcdefghjk"
    assert second_factor.normalised_recovery_code("abcde-fghj") is None
    assert second_factor.normalised_recovery_code("abcde-fghj0") is None  # 0 is not in the alphabet


# -- enrolment ----------------------------------------------------------------------


async def test_enrolment_needs_a_right_code_and_shows_recovery_codes_once(recruiter_client, accounts, loaded) -> None:
    c, csrf = recruiter_client
    listing = await (await c.get("/recruiter/")).text()
    assert 'href="/recruiter/second-factor"' in listing and "two-step sign-in" in listing  # offered
    page = await c.get("/recruiter/second-factor")
    html = await page.text()
    assert page.status == 200
    secret = recruiter(loaded, accounts["recruiter"]).totp_pending_secret
    assert secret and len(secret) == 32
    grouped = " ".join(secret[i : i + 4] for i in range(0, 32, 4))
    assert grouped in html and 'src="data:image/svg+xml' in html and "otpauth://totp/" in html
    assert secret in (await (await c.get("/recruiter/second-factor")).text())  # a reload shows the same secret
    token = csrf_of(html)
    # No CSRF token, a wrong code, a code two steps away: refused, still off.
    assert (await c.post("/recruiter/second-factor", data={"code": pyotp.TOTP(secret).now()})).status == 403
    wrong = await c.post("/recruiter/second-factor", data={"csrf": token, "code": "000000"})
    assert wrong.status == 400 and "not correct" in await wrong.text()
    stale = await c.post(
        "/recruiter/second-factor", data={"csrf": token, "code": pyotp.TOTP(secret).at(time.time() - 90)}
    )
    assert stale.status == 400
    assert not recruiter(loaded, accounts["recruiter"]).totp_enabled
    # The right code turns it on and shows ten recovery codes, once.
    response = await c.post("/recruiter/second-factor", data={"csrf": token, "code": pyotp.TOTP(secret).now()})
    html = await response.text()
    assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", html)
    assert len(codes) == 10
    row = recruiter(loaded, accounts["recruiter"])
    assert row.totp_enabled and row.totp_secret == secret and row.totp_pending_secret is None
    assert row.totp_last_step is not None
    with loaded() as session:
        hashes = session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.recruiter_id == row.id)).all()
    assert len(hashes) == 10 and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(code.replace("-", "") in h for code in codes for h in hashes)
    status = await (await c.get("/recruiter/second-factor")).text()
    assert "is on" in status and "10 of 10" in status and codes[0] not in status and secret not in status
    assert actions(loaded, row.id)[-3:] == [
        "second_factor_enrol_failed",
        "second_factor_enrol_failed",
        "second_factor_enrolled",
    ]


# -- sign-in -------------------------------------------------------------------------


async def test_sign_in_needs_the_code(make_client, accounts, loaded) -> None:
    with loaded.begin() as session:
        secret = enable_totp(session, accounts["recruiter"])
    c = await make_client()
    csrf = await password_step(c, "rec@example.org")
    # The password alone signs nobody in.
    assert (await c.get("/recruiter/", allow_redirects=False)).headers["Location"].startswith("/recruiter/sign-in")
    assert (await c.post("/recruiter/sign-out", data={"csrf": csrf})).status == 401
    assert (await send_code(c, "forged", pyotp.TOTP(secret).now())).status == 403
    wrong = await send_code(c, csrf, "123456")
    assert wrong.status == 401 and "not correct" in await wrong.text()
    response = await send_code(c, csrf, pyotp.TOTP(secret).now())
    assert response.status == 303 and response.headers["Location"] == "/recruiter/"
    assert (await c.get("/recruiter/")).status == 200
    assert actions(loaded, accounts["recruiter"])[:4] == [
        "sign_in_password",
        "second_step_failed",
        "second_step_passed",
        "view_list",
    ]
    assert audit_details(loaded, "second_step_failed") == [{"reason": "wrong"}]
    assert audit_details(loaded, "second_step_passed") == [{"method": "totp"}]


async def test_a_used_code_is_refused(make_client, accounts, loaded) -> None:
    with loaded.begin() as session:
        secret = enable_totp(session, accounts["recruiter"])
    now = time.time()
    code = pyotp.TOTP(secret).at(now)
    first = await make_client()
    assert (await send_code(first, await password_step(first, "rec@example.org"), code)).status == 303
    second = await make_client()
    csrf = await password_step(second, "rec@example.org")
    replay = await send_code(second, csrf, code)
    assert replay.status == 401
    earlier = await send_code(second, csrf, pyotp.TOTP(secret).at(now - 30))  # an older step than the one used
    assert earlier.status == 401
    assert [d["reason"] for d in audit_details(loaded, "second_step_failed")][0] == "reused"
    assert (await second.get("/recruiter/", allow_redirects=False)).status == 303
    # The next step's code works.
    assert (await send_code(second, csrf, pyotp.TOTP(secret).at(now + 30))).status == 303


async def test_a_recovery_code_works_once(recruiter_client, make_client, accounts, loaded) -> None:
    c, csrf = recruiter_client
    _secret, codes = await enrol(c, csrf, loaded, accounts["recruiter"])
    assert len(codes) == 10
    other = await make_client()
    step = await password_step(other, "rec@example.org")
    response = await send_code(other, step, codes[3].upper().replace("-", " "))
    assert response.status == 303
    assert (await other.get("/recruiter/")).status == 200
    assert audit_details(loaded, "second_step_passed")[-1] == {"method": "recovery_code"}
    assert audit_details(loaded, "recovery_code_used") == [{"remaining": 9}]
    again = await make_client()
    step = await password_step(again, "rec@example.org")
    assert (await send_code(again, step, codes[3])).status == 401
    assert (await send_code(again, step, "aaaaa-bbbbb")).status == 401
    with loaded() as session:
        used = session.scalars(select(RecoveryCode).where(RecoveryCode.used_at.is_not(None))).all()
    assert len(used) == 1
    assert "9 of 10" in await (await other.get("/recruiter/second-factor")).text()


async def test_an_expired_second_step_is_refused(make_client, accounts, loaded, web_settings, monkeypatch) -> None:
    with loaded.begin() as session:
        secret = enable_totp(session, accounts["recruiter"])
    c = await make_client()
    csrf = await password_step(c, "rec@example.org")
    later = time.time() + web_settings.second_step_ttl + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert (await c.get(CODE_PAGE, allow_redirects=False)).headers["Location"] == "/recruiter/sign-in"
    response = await send_code(c, csrf, pyotp.TOTP(secret).at(later))
    assert response.status == 401 and "took too long" in await response.text()
    assert (await c.get("/recruiter/", allow_redirects=False)).status == 303
    assert audit_details(loaded, "second_step_failed") == [{"reason": "expired"}]
    assert recruiter(loaded, accounts["recruiter"]).totp_last_step is None  # the code was not even checked


async def test_second_step_is_rate_limited(make_client, accounts, loaded) -> None:
    with loaded.begin() as session:
        secret = enable_totp(session, accounts["recruiter"])
    c = await make_client()
    csrf = await password_step(c, "rec@example.org")
    for _ in range(10):
        assert (await send_code(c, csrf, "000000")).status == 401
    # A fresh password step does not reset the count: it is per account.
    other = await make_client()
    limited = await send_code(other, await password_step(other, "rec@example.org"), pyotp.TOTP(secret).now())
    assert limited.status == 429 and "Too many" in await limited.text()
    assert "second_step_rate_limited" in actions(loaded)


async def test_sign_out_ends_a_pending_second_step(make_client, accounts, loaded) -> None:
    with loaded.begin() as session:
        secret = enable_totp(session, accounts["recruiter"])
    now = time.time()
    pending = await make_client()
    csrf = await password_step(pending, "rec@example.org")
    signed = await make_client()
    token = await sign_in(signed, "rec@example.org", secret=secret, at=now)
    time.sleep(0.01)
    assert (await signed.post("/recruiter/sign-out", data={"csrf": token}, allow_redirects=False)).status == 303
    assert (await send_code(pending, csrf, pyotp.TOTP(secret).at(now + 30))).status == 401
    assert audit_details(loaded, "second_step_failed")[-1] == {"reason": "session_ended"}


# -- admins ---------------------------------------------------------------------------


async def password_only(make_client, email: str = "admin@example.org"):
    """A client past the password step of ``email``'s account, and nothing more."""
    c = await make_client()
    token = csrf_of(await (await c.get("/recruiter/sign-in")).text())
    response = await c.post(
        "/recruiter/sign-in", data={"csrf": token, "email": email, "password": PASSWORD}, allow_redirects=False
    )
    assert response.status == 303
    return c


async def test_an_admin_without_the_second_factor_can_only_enrol(make_client, accounts, loaded, interview_id) -> None:
    c = await password_only(make_client)
    for path in PROTECTED_GETS:
        response = await c.get(path.format(id=interview_id), allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/recruiter/second-factor", path
    page = await c.get("/recruiter/second-factor")
    html = await page.text()
    assert page.status == 200 and "Admins must" in html
    assert 'href="/recruiter/users"' not in html and ">Interviews</a>" not in html
    csrf = csrf_of(html)
    for path in ("/recruiter/users", f"/recruiter/interviews/{interview_id}/notes", "/recruiter/invitations"):
        response = await c.post(path, data={"csrf": csrf, "text": "x", "name": "X"}, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/recruiter/second-factor", path
    disable = await c.post("/recruiter/second-factor/disable", data={"csrf": csrf}, allow_redirects=False)
    assert disable.headers["Location"] == "/recruiter/second-factor"
    secret = recruiter(loaded, accounts["admin"]).totp_pending_secret
    confirmed = await c.post("/recruiter/second-factor", data={"csrf": csrf, "code": pyotp.TOTP(secret).now()})
    assert confirmed.status == 200 and 'href="/recruiter/users"' in await confirmed.text()
    assert (await c.get("/recruiter/users")).status == 200
    assert (await c.get("/recruiter/audit")).status == 200
    # Admins cannot turn it off.
    csrf = csrf_of(await (await c.get("/recruiter/second-factor")).text())  # enrolment started a new session
    forbidden = await c.post(
        "/recruiter/second-factor/disable", data={"csrf": csrf, "code": pyotp.TOTP(secret).at(time.time() + 30)}
    )
    assert forbidden.status == 403
    assert recruiter(loaded, accounts["admin"]).totp_enabled
    # Sign-out works during enrolment too.
    with loaded.begin() as session:
        session.get(Recruiter, accounts["admin"]).totp_enabled_at = None
    assert (await c.get("/recruiter/", allow_redirects=False)).headers["Location"] == "/recruiter/second-factor"
    assert (await c.post("/recruiter/sign-out", data={"csrf": csrf}, allow_redirects=False)).status == 303


# -- turning off and resetting ------------------------------------------------------------


async def test_turning_off_needs_a_current_code(make_client, accounts, loaded) -> None:
    with loaded.begin() as session:
        secret = enable_totp(session, accounts["recruiter"])
        second_factor.replace_recovery_codes(session, accounts["recruiter"])
    now = time.time()
    c = await make_client()
    csrf = await sign_in(c, "rec@example.org", secret=secret, at=now)
    url = "/recruiter/second-factor/disable"
    assert (await c.post(url, data={"code": pyotp.TOTP(secret).at(now + 30)})).status == 403  # no CSRF token
    assert (await c.post(url, data={"csrf": csrf, "code": "000000"})).status == 400
    reused = await c.post(url, data={"csrf": csrf, "code": pyotp.TOTP(secret).at(now)})  # the sign-in's code
    assert reused.status == 400
    response = await c.post(url, data={"csrf": csrf, "code": pyotp.TOTP(secret).at(now + 30)}, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/recruiter/second-factor?saved=off"
    row = recruiter(loaded, accounts["recruiter"])
    assert not row.totp_enabled and row.totp_secret is None and row.totp_last_step is None
    with loaded() as session:
        assert session.scalars(select(RecoveryCode)).all() == []
    assert "is off" in await (await c.get("/recruiter/second-factor?saved=off")).text()
    assert actions(loaded, row.id).count("second_factor_disable_failed") == 2
    assert "second_factor_disabled" in actions(loaded, row.id)
    # The password alone signs in again.
    again = await make_client()
    await sign_in(again, "rec@example.org")


async def test_an_admin_resets_another_accounts_second_factor(make_client, admin_client, accounts, loaded) -> None:
    with loaded.begin() as session:
        secret = enable_totp(session, accounts["recruiter"], pyotp.random_base32())
        second_factor.replace_recovery_codes(session, accounts["recruiter"])
    rec = await make_client()
    rec_csrf = await sign_in(rec, "rec@example.org", secret=secret)
    assert (
        await rec.post(f"/recruiter/users/{accounts['admin']}/reset-second-factor", data={"csrf": rec_csrf})
    ).status == 403
    admin, csrf = admin_client
    users = await (await admin.get("/recruiter/users")).text()
    url = f"/recruiter/users/{accounts['recruiter']}/reset-second-factor"
    assert f'action="{url}"' in users and secret not in users
    assert f"/recruiter/users/{accounts['admin']}/reset-second-factor" not in users  # not one's own
    assert (await admin.post(url, data={"csrf": "bad"})).status == 403
    assert (
        await admin.post(f"/recruiter/users/{accounts['admin']}/reset-second-factor", data={"csrf": csrf})
    ).status == 400
    assert (await admin.post("/recruiter/users/999999/reset-second-factor", data={"csrf": csrf})).status == 404
    time.sleep(0.01)
    response = await admin.post(url, data={"csrf": csrf}, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/recruiter/users?saved=reset"
    row = recruiter(loaded, accounts["recruiter"])
    assert not row.totp_enabled and row.totp_secret is None
    with loaded() as session:
        assert session.scalars(select(RecoveryCode)).all() == []
    # Its sessions ended; its password alone signs in now.
    assert (await rec.get("/recruiter/", allow_redirects=False)).status == 303
    await sign_in(await make_client(), "rec@example.org")
    assert audit_details(loaded, "second_factor_reset") == [{"account_id": accounts["recruiter"], "was_on": True}]
    with loaded() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "second_factor_reset")).one()
    assert entry.recruiter_id == accounts["admin"]


async def test_enrolling_ends_every_session_opened_with_the_password_alone(make_client, accounts, loaded) -> None:
    intruder, owner = await password_only(make_client), await password_only(make_client)
    html = await (await owner.get("/recruiter/second-factor")).text()
    secret = recruiter(loaded, accounts["admin"]).totp_pending_secret
    confirmed = await owner.post(
        "/recruiter/second-factor", data={"csrf": csrf_of(html), "code": pyotp.TOTP(secret).now()}
    )
    assert confirmed.status == 200

    assert (await owner.get("/recruiter/users", allow_redirects=False)).status == 200  # this browser goes on
    refused = await intruder.get("/recruiter/users", allow_redirects=False)
    assert refused.status == 303 and refused.headers["Location"].startswith("/recruiter/sign-in")


async def test_a_reset_admin_must_enrol_again(make_client, admin_client, accounts, loaded) -> None:
    from bot.web.recruiter import create_account

    with loaded.begin() as session:
        other = create_account(session, "admin2@example.org", "Ada Admin", PASSWORD, "admin").id
        secret = enable_totp(session, other, pyotp.random_base32())
    admin, csrf = admin_client
    assert (await admin.post(f"/recruiter/users/{other}/reset-second-factor", data={"csrf": csrf})).status == 200
    c = await make_client()
    token = csrf_of(await (await c.get("/recruiter/sign-in")).text())
    response = await c.post(
        "/recruiter/sign-in", data={"csrf": token, "email": "admin2@example.org", "password": PASSWORD}
    )
    assert response.status == 200 and str(response.url).endswith("/recruiter/second-factor")
    assert recruiter(loaded, other).totp_pending_secret not in (None, secret)


# -- the secret stays in the database ---------------------------------------------------------


async def test_no_secret_or_code_reaches_the_audit_log_or_an_export(
    make_client, admin_client, accounts, loaded, interview_id
) -> None:
    rec = await make_client()
    csrf = await sign_in(rec, "rec@example.org")
    secret, codes = await enrol(rec, csrf, loaded, accounts["recruiter"])
    admin, _ = admin_client
    seen = [
        await (await admin.get(f"/recruiter/interviews/{interview_id}/export.json")).text(),
        await (await admin.get("/recruiter/export.csv")).text(),
        await (await admin.get(f"/recruiter/interviews/{interview_id}/report")).text(),
        await (await admin.get("/recruiter/audit")).text(),
        await (await admin.get("/recruiter/users")).text(),
    ]
    with loaded() as session:
        seen += [json.dumps(e.detail) for e in session.scalars(select(AuditEntry))]
    assert codes and "second_factor_enrolled" in seen[3]
    for text in seen:
        assert secret not in text and TEST_TOTP_SECRET not in text
        assert not any(code in text or code.replace("-", "") in text for code in codes)


@pytest.mark.parametrize("path", ["/recruiter/second-factor", CODE_PAGE])
async def test_the_new_pages_need_a_session(client, path) -> None:
    response = await client.get(path, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"].startswith("/recruiter/sign-in")
    assert (await client.post(path, data={"code": "123456"})).status in (401, 403)
