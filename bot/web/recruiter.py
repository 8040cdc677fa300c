"""The recruiters' pages: sign-in, the interview list, one interview, decisions.

Every page here needs a signed-in recruiter; every form carries a CSRF token
bound to the session; every view of candidate data and every change is
written to the audit log (:mod:`bot.web.audit`). Admins also manage accounts
and read the audit log.

Routes (all under ``/recruiter``):

* ``GET|POST /sign-in``, ``GET|POST /sign-in/code`` (the second step),
  ``POST /sign-out``
* ``GET|POST /second-factor`` set up the second factor (TOTP), or see it;
  ``POST /second-factor/disable`` turn it off (not admins)
* ``GET /`` the interview list (filters ``role``, ``status``, ``from``, ``to``;
  ``sort``, ``dir``, ``page``)
* ``GET /interviews/{id}`` one interview
* ``POST /interviews/{id}/decision``, ``/override``, ``/notes``
* ``GET|POST /invitations`` invite a named candidate for a role
* ``GET|POST /users`` (admin) accounts; ``POST /users/{id}/reset-second-factor``
  (admin); ``GET /audit`` (admin) the audit log

Admins must have the second factor: until one is set up, every page but the
enrolment page and sign-out sends them to ``/recruiter/second-factor``.
"""

from __future__ import annotations

import dataclasses
import functools
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.models import (
    Answer,
    AuditEntry,
    Candidate,
    Decision,
    DecisionKind,
    Interview,
    InterviewStatus,
    Invitation,
    Note,
    RatingOverride,
    Recruiter,
    RecruiterRole,
    Role,
    Score,
)
from bot.web import audit, second_factor
from bot.web.app import SECOND_STEP_LIMIT, SETTINGS, SIGNER, SIGNIN_LIMIT, db
from bot.web.credentials import check_password, normalised_email
from bot.web.data import SORT_COLUMNS, ListFilters, interview_view, list_page, refresh_summary
from bot.web.render import highlight, profile_chart
from bot.web.security import RecruiterSession, hash_password, token_digest, verify_password

MAX_TEXT = 5000
RATING_CHOICES = ("1", "2", "3", "4", "5", "none")


@dataclass(frozen=True)
class Account:
    """The signed-in recruiter.

    Attributes:
        totp: Whether the account has the second factor on.
    """

    id: int
    name: str
    email: str
    role: str
    totp: bool = False

    @property
    def is_admin(self) -> bool:
        """Whether the account may manage accounts and read the audit log."""
        return self.role == RecruiterRole.ADMIN

    @property
    def must_enrol(self) -> bool:
        """Whether the account may open nothing but enrolment: an admin without the second factor."""
        return self.is_admin and not self.totp

    @classmethod
    def of(cls, recruiter: Recruiter) -> Account:
        """The account of a recruiter row."""
        return cls(recruiter.id, recruiter.name, recruiter.email, recruiter.role, recruiter.totp_enabled)


ACCOUNT = web.RequestKey("account", Account)
RSESSION = web.RequestKey("rsession", RecruiterSession)
FORM = web.RequestKey("form", Any)


def redirect(location: str) -> web.Response:
    """A 303 See Other to ``location``."""
    return web.Response(status=303, headers={"Location": location})


def _load_account(session: Session, rs: RecruiterSession) -> Account | None:
    recruiter = session.get(Recruiter, rs.recruiter_id)
    if recruiter is None or not recruiter.active:
        return None
    if recruiter.sessions_valid_after and rs.issued < recruiter.sessions_valid_after.timestamp():
        return None
    return Account.of(recruiter)


async def current_account(request: web.Request) -> tuple[RecruiterSession | None, Account | None]:
    """The request's session and signed-in account (either may be None)."""
    settings = request.app[SETTINGS]
    rs = request.app[SIGNER].session(request, settings.session_ttl, settings.idle_ttl)
    if rs is None or rs.recruiter_id is None:
        return rs, None
    return rs, await db(request, lambda s: _load_account(s, rs))


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


ENROLMENT_PATH = "/recruiter/second-factor"


def signed_in(admin: bool = False, enrolling: bool = False) -> Callable[[Handler], Handler]:
    """Require a signed-in recruiter (an admin if ``admin``) and, on POST, a valid CSRF token.

    An admin without the second factor is sent (303) to the enrolment page
    from every handler not marked ``enrolling``.

    The handler finds the account in ``request[ACCOUNT]``, the session in
    ``request[RSESSION]`` and a POSTed form in ``request[FORM]``. The
    session cookie is renewed on each answer (the idle timeout restarts).
    """

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(request: web.Request) -> web.StreamResponse:
            rs, account = await current_account(request)
            if account is None or rs is None:
                if request.method == "GET":
                    return redirect(
                        f"/recruiter/sign-in?next={request.path_qs}"
                        if request.path != "/recruiter/"
                        else "/recruiter/sign-in"
                    )
                raise web.HTTPUnauthorized(text="Please sign in again: your session has ended.")
            if account.must_enrol and not enrolling:
                return redirect(ENROLMENT_PATH)
            if admin and not account.is_admin:
                path = request.path[:200]
                await db(request, lambda s: audit.record(s, account.id, "admin_page_refused", path=path), write=True)
                raise web.HTTPForbidden(text="Only an administrator can open this page.")
            if request.method == "POST":
                form = await request.post()
                if not request.app[SIGNER].check_csrf(rs.sid, str(form.get("csrf", ""))):
                    raise web.HTTPForbidden(
                        text="The form has expired or did not come from this site. "
                        "Go back, reload the page and try again."
                    )
                request[FORM] = form
            request[ACCOUNT] = account
            request[RSESSION] = rs
            response = await handler(request)
            # A handler may have started a new session (request[RSESSION]): renew that one.
            request.app[SIGNER].set_session(response, request[RSESSION], request.app[SETTINGS].session_ttl)
            return response

        return wrapper

    return decorate


def _context(request: web.Request, **values: Any) -> dict[str, Any]:
    rs: RecruiterSession = request[RSESSION]
    return {"account": request[ACCOUNT], "csrf": request.app[SIGNER].csrf_token(rs.sid), **values}


# -- sign-in -------------------------------------------------------------------


def _safe_next(value: str | None) -> str:
    if value and value.startswith("/recruiter") and not value.startswith("//"):
        return value
    return "/recruiter/"


async def sign_in_page(request: web.Request) -> web.Response:
    """The sign-in form (an anonymous session carries its CSRF token)."""
    settings = request.app[SETTINGS]
    signer = request.app[SIGNER]
    rs, account = await current_account(request)
    if account is not None:
        return redirect("/recruiter/")
    rs = rs or signer.new_session(None)
    response = aiohttp_jinja2.render_template(
        "signin.html",
        request,
        {
            "csrf": signer.csrf_token(rs.sid),
            "next": _safe_next(request.query.get("next")),
            "error": None,
            "account": None,
        },
    )
    signer.set_session(response, rs, settings.session_ttl)
    return response


def _authenticate(session: Session, email: str, password: str) -> Account | None:
    recruiter = session.scalars(select(Recruiter).where(func.lower(Recruiter.email) == email.lower())).first()
    ok, new_hash = verify_password(recruiter.password_hash if recruiter else None, password)
    if not ok or recruiter is None or not recruiter.active:
        audit.record(session, None, "sign_in_failed", email=email[:254])
        return None
    if new_hash:
        recruiter.password_hash = new_hash
    # With the second factor on, the password is only the first step.
    audit.record(session, recruiter.id, "sign_in_password" if recruiter.totp_enabled else "sign_in")
    return Account.of(recruiter)


async def sign_in(request: web.Request) -> web.Response:
    """Check the credentials; on success start a new session (new id)."""
    settings = request.app[SETTINGS]
    signer = request.app[SIGNER]
    rs = signer.session(request, settings.session_ttl, settings.idle_ttl)
    form = await request.post()
    if rs is None or not signer.check_csrf(rs.sid, str(form.get("csrf", ""))):
        raise web.HTTPForbidden(text="The sign-in form has expired. Reload the page and try again.")
    email = str(form.get("email", "")).strip()[:254]
    password = str(form.get("password", ""))[:1024]
    next_url = _safe_next(str(form.get("next", "")))
    if request.app[SIGNIN_LIMIT].hit(f"{request.remote}:{email.lower()}"):
        error, status, account = "Too many attempts. Please wait a few minutes and try again.", 429, None
        await db(request, lambda s: audit.record(s, None, "sign_in_rate_limited", email=email), write=True)
    else:
        account = await db(request, lambda s: _authenticate(s, email, password), write=True)
        error, status = (None, 200) if account else ("Email or password is not correct.", 401)
    if account is None:
        response = aiohttp_jinja2.render_template(
            "signin.html",
            request,
            {"csrf": signer.csrf_token(rs.sid), "next": next_url, "error": error, "account": None},
        )
        response.set_status(status)
        return response
    if account.totp:
        response = redirect("/recruiter/sign-in/code?" + urlencode({"next": next_url}))
        signer.set_session(response, signer.new_session(None, pending_id=account.id), settings.session_ttl)
        return response
    response = redirect(next_url)
    signer.set_session(response, signer.new_session(account.id), settings.session_ttl)
    return response


# -- the second step of sign-in -------------------------------------------------


def _pending(request: web.Request) -> tuple[RecruiterSession | None, bool]:
    """The request's session if it awaits a second step, and whether that step is still open."""
    settings = request.app[SETTINGS]
    rs = request.app[SIGNER].session(request, settings.session_ttl, settings.idle_ttl)
    if rs is None or rs.pending_id is None or rs.pending_since is None:
        return None, False
    age = time.time() - rs.pending_since
    return rs, 0 <= age <= settings.second_step_ttl


def _code_page(
    request: web.Request, rs: RecruiterSession, next_url: str, error: str | None, status: int
) -> web.Response:
    response = aiohttp_jinja2.render_template(
        "signin_code.html",
        request,
        {"csrf": request.app[SIGNER].csrf_token(rs.sid), "next": next_url, "error": error, "account": None},
    )
    response.set_status(status)
    return response


def _signin_again(request: web.Request, error: str, status: int) -> web.Response:
    """The password form again, in a new anonymous session, with ``error``."""
    signer = request.app[SIGNER]
    rs = signer.new_session(None)
    response = aiohttp_jinja2.render_template(
        "signin.html",
        request,
        {"csrf": signer.csrf_token(rs.sid), "next": "/recruiter/", "error": error, "account": None},
    )
    response.set_status(status)
    signer.set_session(response, rs, request.app[SETTINGS].session_ttl)
    return response


async def second_step_page(request: web.Request) -> web.Response:
    """The form for the code from the authenticator app (or a recovery code)."""
    rs, open_ = _pending(request)
    if rs is None or not open_:
        return redirect("/recruiter/sign-in")
    response = _code_page(request, rs, _safe_next(request.query.get("next")), None, 200)
    request.app[SIGNER].set_session(response, rs, request.app[SETTINGS].session_ttl)
    return response


def _pass_second_step(session: Session, rs: RecruiterSession, code: str, now: float) -> Account | None:
    recruiter = session.get(Recruiter, rs.pending_id)
    if recruiter is None or not recruiter.active:
        audit.record(session, None, "second_step_failed", reason="no_account", account_id=rs.pending_id)
        return None
    valid_after = recruiter.sessions_valid_after
    if valid_after and (rs.pending_since or 0) < valid_after.timestamp():
        audit.record(session, recruiter.id, "second_step_failed", reason="session_ended")
        return None
    outcome = second_factor.check_second_step(session, recruiter, code, now)
    if not outcome.accepted:
        audit.record(session, recruiter.id, "second_step_failed", reason=outcome.value)
        return None
    audit.record(session, recruiter.id, "second_step_passed", method=outcome.value)
    if outcome is second_factor.Outcome.RECOVERY_CODE:
        remaining = second_factor.remaining_recovery_codes(session, recruiter.id)
        audit.record(session, recruiter.id, "recovery_code_used", remaining=remaining)
    return Account.of(recruiter)


async def second_step(request: web.Request) -> web.Response:
    """Check the code; on success start the signed-in session (a new id)."""
    settings = request.app[SETTINGS]
    signer = request.app[SIGNER]
    rs, open_ = _pending(request)
    form = await request.post()
    if rs is None or not signer.check_csrf(rs.sid, str(form.get("csrf", ""))):
        raise web.HTTPForbidden(text="The sign-in form has expired. Reload the page and try again.")
    pending_id = rs.pending_id
    if not open_:
        await db(request, lambda s: audit.record(s, pending_id, "second_step_failed", reason="expired"), write=True)
        return _signin_again(request, "That took too long. Please sign in again.", 401)
    code = str(form.get("code", "")).strip()[:64]
    next_url = _safe_next(str(form.get("next", "")))
    if request.app[SECOND_STEP_LIMIT].hit(f"account:{pending_id}"):
        await db(request, lambda s: audit.record(s, pending_id, "second_step_rate_limited"), write=True)
        response = _code_page(request, rs, next_url, "Too many attempts. Please wait a few minutes and try again.", 429)
        signer.set_session(response, rs, settings.session_ttl)
        return response
    now = time.time()
    account = await db(request, lambda s: _pass_second_step(s, rs, code, now), write=True)
    if account is None:
        response = _code_page(request, rs, next_url, "That code is not correct, or it was already used.", 401)
        signer.set_session(response, rs, settings.session_ttl)
        return response
    response = redirect(next_url)
    signer.set_session(response, signer.new_session(account.id), settings.session_ttl)
    return response


@signed_in(enrolling=True)
async def sign_out(request: web.Request) -> web.Response:
    """End every session of the account."""
    account: Account = request[ACCOUNT]

    def end(session: Session) -> None:
        session.get(Recruiter, account.id).sessions_valid_after = utcnow()
        audit.record(session, account.id, "sign_out")

    await db(request, end, write=True)
    response = redirect("/recruiter/sign-in")
    request.app[SIGNER].clear_session(response)
    return response


# -- the second factor: enrolment, turning it off ------------------------------------


def _second_factor_state(session: Session, account_id: int) -> dict[str, Any]:
    """What the second-factor page shows: the enrolment (a pending secret is made) or the status."""
    recruiter = session.get(Recruiter, account_id)
    if recruiter.totp_enabled:
        return {
            "enrolment": None,
            "enabled_at": recruiter.totp_enabled_at,
            "remaining": second_factor.remaining_recovery_codes(session, account_id),
        }
    return {"enrolment": second_factor.enrolment(recruiter), "enabled_at": None, "remaining": 0}


def _second_factor_page(request: web.Request, state: dict[str, Any], error: str | None, status: int) -> web.Response:
    response = aiohttp_jinja2.render_template(
        "second_factor.html",
        request,
        _context(request, **state, error=error, saved=request.query.get("saved"), codes=None),
    )
    response.set_status(status)
    return response


@signed_in(enrolling=True)
async def second_factor_page(request: web.Request) -> web.Response:
    """Set up the second factor (secret, QR code, confirmation form), or see and turn it off."""
    account: Account = request[ACCOUNT]
    state = await db(request, lambda s: _second_factor_state(s, account.id), write=True)
    return _second_factor_page(request, state, None, 200)


def _too_many_codes(request: web.Request, account: Account) -> bool:
    return bool(request.app[SECOND_STEP_LIMIT].hit(f"account:{account.id}"))


@signed_in(enrolling=True)
async def confirm_second_factor(request: web.Request) -> web.Response:
    """Turn the second factor on after a correct code; show the recovery codes once."""
    account: Account = request[ACCOUNT]
    if account.totp:
        return redirect(ENROLMENT_PATH)
    code = str(request[FORM].get("code", "")).strip()[:64]
    if _too_many_codes(request, account):
        await db(request, lambda s: audit.record(s, account.id, "second_factor_rate_limited"), write=True)
        state = await db(request, lambda s: _second_factor_state(s, account.id), write=True)
        return _second_factor_page(request, state, "Too many attempts. Please wait a few minutes and try again.", 429)
    now = time.time()

    def confirm(session: Session) -> list[str] | None:
        recruiter = session.get(Recruiter, account.id)
        codes = second_factor.confirm_enrolment(session, recruiter, code, now)
        audit.record(session, account.id, "second_factor_enrolled" if codes else "second_factor_enrol_failed")
        if codes:
            # Every session opened with the password alone ends here (one held by
            # someone who knew only the password, too); this browser gets a new one.
            recruiter.sessions_valid_after = utcnow()
        return codes

    codes = await db(request, confirm, write=True)
    if codes is None:
        state = await db(request, lambda s: _second_factor_state(s, account.id), write=True)
        return _second_factor_page(
            request, state, "That code is not correct. Check the time on your phone and try the newest code.", 400
        )
    request[ACCOUNT] = dataclasses.replace(account, totp=True)
    request[RSESSION] = request.app[SIGNER].new_session(account.id)  # renewed as the cookie by signed_in
    return aiohttp_jinja2.render_template("second_factor_codes.html", request, _context(request, codes=codes))


@signed_in()
async def disable_second_factor(request: web.Request) -> web.Response:
    """Turn the second factor off (recruiters only), after a current code."""
    account: Account = request[ACCOUNT]
    if account.is_admin:
        raise web.HTTPForbidden(text="Admins must keep the second factor. Another admin can reset it.")
    if not account.totp:
        return redirect(ENROLMENT_PATH)
    code = str(request[FORM].get("code", "")).strip()[:64]
    error = None
    if _too_many_codes(request, account):
        await db(request, lambda s: audit.record(s, account.id, "second_factor_rate_limited"), write=True)
        error, status = "Too many attempts. Please wait a few minutes and try again.", 429
    else:
        now = time.time()

        def disable(session: Session) -> bool:
            recruiter = session.get(Recruiter, account.id)
            outcome = second_factor.check_totp(session, recruiter, code, now)
            if not outcome.accepted:
                audit.record(session, account.id, "second_factor_disable_failed", reason=outcome.value)
                return False
            second_factor.turn_off(session, recruiter)
            audit.record(session, account.id, "second_factor_disabled")
            return True

        if await db(request, disable, write=True):
            return redirect(ENROLMENT_PATH + "?saved=off")
        error, status = "That code is not correct, or it was already used.", 400
    state = await db(request, lambda s: _second_factor_state(s, account.id), write=True)
    return _second_factor_page(request, state, error, status)


# -- the list -------------------------------------------------------------------


def _date(value: str | None, field: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise web.HTTPBadRequest(text=f"The {field} date must look like 2026-01-31.") from None


def parse_filters(query: Any, page_size: int) -> ListFilters:
    """Read and check the list's query parameters.

    Raises:
        web.HTTPBadRequest: A value is not one the list knows.
    """
    status = query.get("status") or None
    if status and status not in {s.value for s in InterviewStatus}:
        raise web.HTTPBadRequest(text="Unknown status.")
    sort = query.get("sort") or "started"
    if sort not in SORT_COLUMNS:
        raise web.HTTPBadRequest(text="Unknown sort column.")
    direction = query.get("dir") or "desc"
    if direction not in ("asc", "desc"):
        raise web.HTTPBadRequest(text="Sort direction must be asc or desc.")
    try:
        page = int(query.get("page") or 1)
    except ValueError:
        raise web.HTTPBadRequest(text="The page must be a number.") from None
    if page < 1 or page > 1_000_000:
        raise web.HTTPBadRequest(text="The page must be a positive number.")
    role = query.get("role") or None
    if role and len(role) > 64:
        raise web.HTTPBadRequest(text="Unknown role.")
    started_to = _date(query.get("to"), "to")
    return ListFilters(
        role=role,
        status=status,
        started_from=_date(query.get("from"), "from"),
        started_to=started_to + timedelta(days=1) if started_to else None,
        sort=sort,
        descending=direction == "desc",
        page=page,
        page_size=page_size,
    )


def roles_list(session: Session) -> list[tuple[str, str]]:
    """``(id, name)`` of every role, by name."""
    return [(r.id, r.name) for r in session.scalars(select(Role).order_by(Role.name))]


@signed_in()
async def interview_list(request: web.Request) -> web.Response:
    """The interview list with filters, sorting and pages."""
    filters = parse_filters(request.query, request.app[SETTINGS].page_size)
    account: Account = request[ACCOUNT]

    def load(session: Session) -> tuple[Any, list[tuple[str, str]]]:
        page = list_page(session, filters)
        audit.record(
            session,
            account.id,
            "view_list",
            page=page.page,
            role=filters.role,
            status=filters.status,
            sort=filters.sort,
        )
        return page, roles_list(session)

    page, roles = await db(request, load, write=True)
    params = {k: v for k, v in request.query.items() if k in ("role", "status", "from", "to") and v}
    return aiohttp_jinja2.render_template(
        "list.html",
        request,
        _context(
            request,
            page=page,
            roles=roles,
            statuses=[s.value for s in InterviewStatus],
            filters=filters,
            params=params,
            query=dict(request.query),
        ),
    )


# -- one interview ---------------------------------------------------------------


#: Largest row id a database holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def path_id(request: web.Request) -> int:
    """The row id in the URL (``{id}``).

    Raises:
        web.HTTPNotFound: Not a positive 64-bit integer.
    """
    try:
        value = int(request.match_info["id"])
    except ValueError:
        raise web.HTTPNotFound() from None
    if not 0 < value <= MAX_ID:
        raise web.HTTPNotFound()
    return value


def _interview_id(request: web.Request) -> int:
    """The interview id in the URL (see :func:`path_id`)."""
    return path_id(request)


async def audited_view(request: web.Request, action: str) -> Any:
    """The interview of the request's URL, with ``action`` written to the audit log.

    Raises:
        web.HTTPNotFound: No such interview.
    """
    interview_id = _interview_id(request)
    account: Account = request[ACCOUNT]

    def load(session: Session) -> Any:
        view = interview_view(session, interview_id)
        if view is not None:
            audit.record(session, account.id, action, interview_id)
        return view

    view = await db(request, load, write=True)
    if view is None:
        raise web.HTTPNotFound(text="There is no such interview.")
    return view


@signed_in()
async def interview_page(request: web.Request) -> web.Response:
    """One interview: transcript, ratings with evidence, profile, decision."""
    view = await audited_view(request, "view_interview")
    names = {cid: c.name for cid, c in view.competencies.items()}
    return aiohttp_jinja2.render_template(
        "interview.html",
        request,
        _context(
            request,
            view=view,
            names=names,
            highlight=highlight,
            chart=profile_chart(view.profile.ratings, names),
            decisions=[d.value for d in DecisionKind],
            rating_choices=RATING_CHOICES,
            saved=request.query.get("saved"),
        ),
    )


def _text(form: Any, name: str, required: bool, what: str) -> str | None:
    value = str(form.get(name, "") or "").strip()
    if required and not value:
        raise web.HTTPBadRequest(text=f"{what} is required.")
    if len(value) > MAX_TEXT:
        raise web.HTTPRequestEntityTooLarge(
            max_size=MAX_TEXT, actual_size=len(value), text=f"{what} is longer than {MAX_TEXT} characters."
        )
    return value or None


def _require_interview(session: Session, interview_id: int) -> Interview:
    interview = session.get(Interview, interview_id)
    if interview is None:
        raise web.HTTPNotFound(text="There is no such interview.")
    return interview


@signed_in()
async def record_decision(request: web.Request) -> web.Response:
    """Record a decision (advance, hold or reject) with an optional comment."""
    interview_id = _interview_id(request)
    form = request[FORM]
    decision = str(form.get("decision", ""))
    if decision not in {d.value for d in DecisionKind}:
        raise web.HTTPBadRequest(text="Choose advance, hold or reject.")
    comment = _text(form, "comment", False, "The comment")
    account: Account = request[ACCOUNT]

    def save(session: Session) -> None:
        interview = _require_interview(session, interview_id)
        session.add(
            Decision(
                interview_id=interview_id, recruiter_id=account.id, decision=decision, comment=comment, at=utcnow()
            )
        )
        session.flush()
        audit.record(session, account.id, "decision", interview_id, decision=decision)
        refresh_summary(session, interview)

    await db(request, save, write=True)
    return redirect(f"/recruiter/interviews/{interview_id}?saved=decision#decision")


@signed_in()
async def override_rating(request: web.Request) -> web.Response:
    """Replace one rating with the recruiter's; a reason is required."""
    interview_id = _interview_id(request)
    form = request[FORM]
    try:
        score_id = int(str(form.get("score_id", "")))
    except ValueError:
        raise web.HTTPBadRequest(text="Which rating? The form is incomplete.") from None
    if not 0 < score_id <= MAX_ID:
        raise web.HTTPBadRequest(text="Which rating? The form is incomplete.")
    raw = str(form.get("rating", ""))
    if raw not in RATING_CHOICES:
        raise web.HTTPBadRequest(text="The rating must be 1 to 5, or insufficient evidence.")
    rating = None if raw == "none" else int(raw)
    reason = _text(form, "reason", True, "A reason for the override")
    account: Account = request[ACCOUNT]

    def save(session: Session) -> None:
        interview = _require_interview(session, interview_id)
        score = session.scalars(
            select(Score).join(Answer).where(Score.id == score_id, Answer.interview_id == interview_id)
        ).first()
        if score is None:
            raise web.HTTPNotFound(text="That rating is not part of this interview.")
        session.add(
            RatingOverride(
                score_id=score.id,
                interview_id=interview_id,
                recruiter_id=account.id,
                original_rating=score.rating,
                rating=rating,
                reason=reason or "",
                at=utcnow(),
            )
        )
        session.flush()
        audit.record(
            session,
            account.id,
            "override_rating",
            interview_id,
            score_id=score.id,
            competency=score.competency_id,
            original=score.rating,
            rating=rating,
        )
        refresh_summary(session, interview)

    await db(request, save, write=True)
    return redirect(f"/recruiter/interviews/{interview_id}?saved=override#score-{score_id}")


@signed_in()
async def add_note(request: web.Request) -> web.Response:
    """Add a note to the interview."""
    interview_id = _interview_id(request)
    text = _text(request[FORM], "text", True, "The note")
    account: Account = request[ACCOUNT]

    def save(session: Session) -> None:
        _require_interview(session, interview_id)
        session.add(Note(interview_id=interview_id, recruiter_id=account.id, text=text or "", at=utcnow()))
        session.flush()
        audit.record(session, account.id, "note", interview_id)

    await db(request, save, write=True)
    return redirect(f"/recruiter/interviews/{interview_id}?saved=note#notes")


# -- invitations ------------------------------------------------------------------


def _invitations(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Invitation, Role.name).join(Role, Role.id == Invitation.role_id).order_by(Invitation.id.desc()).limit(50)
    )
    return [
        {
            "name": inv.candidate.display_name,
            "role": role,
            "created_at": inv.created_at,
            "expires_at": inv.expires_at,
            "bound": inv.bound_at,
            "used": inv.last_used_at,
        }
        for inv, role in rows
    ]


@signed_in()
async def invitations_page(request: web.Request) -> web.Response:
    """Recent invitations and the form for a new one."""
    data = await db(request, lambda s: (_invitations(s), roles_list(s)))
    return aiohttp_jinja2.render_template(
        "invitations.html", request, _context(request, invitations=data[0], roles=data[1], link=None, error=None)
    )


@signed_in()
async def create_invitation(request: web.Request) -> web.Response:
    """Invite a named candidate for a role; the link is shown once."""
    form = request[FORM]
    name = _text(form, "name", True, "The candidate's name") or ""
    if len(name) > 200:
        raise web.HTTPBadRequest(text="The name is longer than 200 characters.")
    role_id = str(form.get("role", ""))
    account: Account = request[ACCOUNT]
    days = request.app[SETTINGS].invitation_days
    token = secrets.token_urlsafe(32)

    def save(session: Session) -> None:
        if session.get(Role, role_id) is None:
            raise web.HTTPBadRequest(text="Choose one of the roles.")
        now = utcnow()
        candidate = Candidate(
            conversation_id=secrets.token_urlsafe(24),
            channel="web",
            display_name=name,
            invited_role_id=role_id,
            created_at=now,
        )
        session.add(candidate)
        session.flush()
        invite = Invitation(
            token_hash=token_digest(token),
            candidate_id=candidate.id,
            role_id=role_id,
            created_by_id=account.id,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        session.add(invite)
        session.flush()
        audit.record(session, account.id, "create_invitation", candidate_id=candidate.id, role=role_id)

    await db(request, save, write=True)
    link = f"{request.app[SETTINGS].public_base_url}/invite/{token}"
    data = await db(request, lambda s: (_invitations(s), roles_list(s)))
    return aiohttp_jinja2.render_template(
        "invitations.html", request, _context(request, invitations=data[0], roles=data[1], link=link, error=None)
    )


# -- admin ---------------------------------------------------------------------------


def _users(session: Session) -> list[Recruiter]:
    return list(session.scalars(select(Recruiter).order_by(Recruiter.email)))


@signed_in(admin=True)
async def users_page(request: web.Request) -> web.Response:
    """Accounts (admins only)."""
    users = await db(request, _users)
    return aiohttp_jinja2.render_template(
        "users.html", request, _context(request, users=users, error=None, saved=request.query.get("saved"))
    )


def create_account(session: Session, email: str, name: str, password: str, role: str) -> Recruiter:
    """Add a recruiter account.

    The email address and the password must meet :mod:`bot.web.credentials`.

    Raises:
        ValueError: The email is invalid or taken, the role unknown, or the
            password too short, too long or guessable.
    """
    if role not in {r.value for r in RecruiterRole}:
        raise ValueError("The role must be admin or recruiter.")
    email = normalised_email(email)
    if len(email) > 254:
        raise ValueError("Enter a valid email address (at most 254 characters).")
    check_password(password, email, name)
    if session.scalar(select(Recruiter.id).where(func.lower(Recruiter.email) == email.lower())) is not None:
        raise ValueError("There is already an account with that email.")
    recruiter = Recruiter(
        email=email,
        name=name or email,
        password_hash=hash_password(password),
        role=role,
        active=True,
        created_at=utcnow(),
    )
    session.add(recruiter)
    session.flush()
    return recruiter


@signed_in(admin=True)
async def create_user(request: web.Request) -> web.Response:
    """Create an account (admins only)."""
    form = request[FORM]
    account: Account = request[ACCOUNT]
    email = str(form.get("email", "")).strip()
    name = str(form.get("name", "")).strip()[:200]
    role = str(form.get("role", "recruiter"))
    password = str(form.get("password", ""))

    def save(session: Session) -> str | None:
        try:
            recruiter = create_account(session, email, name, password, role)
        except ValueError as exc:
            return str(exc)
        audit.record(session, account.id, "create_account", account_id=recruiter.id, role=role)
        return None

    error = await db(request, save, write=True)
    if error is None:
        return redirect("/recruiter/users")
    users = await db(request, _users)
    response = aiohttp_jinja2.render_template(
        "users.html", request, _context(request, users=users, error=error, saved=None)
    )
    response.set_status(400)
    return response


@signed_in(admin=True)
async def reset_second_factor(request: web.Request) -> web.Response:
    """Remove another account's second factor and end its sessions (admins only).

    For someone who lost their authenticator and recovery codes: they sign in
    with their password alone (an admin is sent to enrolment again).
    """
    account: Account = request[ACCOUNT]
    target_id = path_id(request)
    if target_id == account.id:
        raise web.HTTPBadRequest(text="You cannot reset your own second factor. Ask another admin.")

    def reset(session: Session) -> None:
        target = session.get(Recruiter, target_id)
        if target is None:
            raise web.HTTPNotFound(text="There is no such account.")
        was_on = target.totp_enabled
        second_factor.turn_off(session, target)
        target.sessions_valid_after = utcnow()
        audit.record(session, account.id, "second_factor_reset", account_id=target_id, was_on=was_on)

    await db(request, reset, write=True)
    return redirect("/recruiter/users?saved=reset")


@signed_in(admin=True)
async def audit_page(request: web.Request) -> web.Response:
    """The audit log, newest first (admins only)."""
    try:
        page = max(1, int(request.query.get("page") or 1))
    except ValueError:
        raise web.HTTPBadRequest(text="The page must be a number.") from None
    if page > 1_000_000:
        raise web.HTTPBadRequest(text="There is no such page.")
    account: Account = request[ACCOUNT]

    def load(session: Session) -> list[tuple[AuditEntry, str | None]]:
        entries = audit.entries(session, limit=100, offset=(page - 1) * 100)
        names = {r.id: r.email for r in session.scalars(select(Recruiter))}
        audit.record(session, account.id, "view_audit", page=page)
        return [(e, names.get(e.recruiter_id)) for e in entries]

    rows = await db(request, load, write=True)
    return aiohttp_jinja2.render_template("audit.html", request, _context(request, rows=rows, page=page))


def setup_routes(app: web.Application) -> None:
    """Register the recruiter routes."""
    r = app.router
    r.add_get("/recruiter", to_list, name="recruiter_root")
    r.add_get("/recruiter/", interview_list, name="interview_list")
    r.add_get("/recruiter/sign-in", sign_in_page, name="sign_in")
    r.add_post("/recruiter/sign-in", sign_in)
    r.add_get("/recruiter/sign-in/code", second_step_page, name="second_step")
    r.add_post("/recruiter/sign-in/code", second_step)
    r.add_get(ENROLMENT_PATH, second_factor_page, name="second_factor")
    r.add_post(ENROLMENT_PATH, confirm_second_factor)
    r.add_post(ENROLMENT_PATH + "/disable", disable_second_factor, name="disable_second_factor")
    r.add_post("/recruiter/sign-out", sign_out, name="sign_out")
    r.add_get(r"/recruiter/interviews/{id:\d{1,19}}", interview_page, name="interview")
    r.add_post(r"/recruiter/interviews/{id:\d{1,19}}/decision", record_decision, name="decision")
    r.add_post(r"/recruiter/interviews/{id:\d{1,19}}/override", override_rating, name="override")
    r.add_post(r"/recruiter/interviews/{id:\d{1,19}}/notes", add_note, name="notes")
    r.add_get("/recruiter/invitations", invitations_page, name="invitations")
    r.add_post("/recruiter/invitations", create_invitation)
    r.add_get("/recruiter/users", users_page, name="users")
    r.add_post("/recruiter/users", create_user)
    r.add_post(r"/recruiter/users/{id:\d{1,19}}/reset-second-factor", reset_second_factor, name="reset_second_factor")
    r.add_get("/recruiter/audit", audit_page, name="audit")


async def to_list(request: web.Request) -> web.Response:
    """``/recruiter`` without the slash: to the list."""
    return redirect("/recruiter/")
