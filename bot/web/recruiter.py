"""The recruiters' pages: sign-in, the interview list, one interview, decisions.

Every page here needs a signed-in recruiter; every form carries a CSRF token
bound to the session; every view of candidate data and every change is
written to the audit log (:mod:`bot.web.audit`). Admins also manage accounts
and read the audit log.

Routes (all under ``/recruiter``):

* ``GET|POST /sign-in``, ``POST /sign-out``
* ``GET /`` the interview list (filters ``role``, ``status``, ``from``, ``to``;
  ``sort``, ``dir``, ``page``)
* ``GET /interviews/{id}`` one interview
* ``POST /interviews/{id}/decision``, ``/override``, ``/notes``
* ``GET|POST /invitations`` invite a named candidate for a role
* ``GET|POST /users`` (admin) accounts; ``GET /audit`` (admin) the audit log
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

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
from bot.web import audit
from bot.web.app import SETTINGS, SIGNER, SIGNIN_LIMIT, db
from bot.web.credentials import check_password, normalised_email
from bot.web.data import SORT_COLUMNS, ListFilters, interview_view, list_page, refresh_summary
from bot.web.render import highlight, profile_chart
from bot.web.security import RecruiterSession, hash_password, token_digest, verify_password

MAX_TEXT = 5000
RATING_CHOICES = ("1", "2", "3", "4", "5", "none")


@dataclass(frozen=True)
class Account:
    """The signed-in recruiter."""

    id: int
    name: str
    email: str
    role: str

    @property
    def is_admin(self) -> bool:
        """Whether the account may manage accounts and read the audit log."""
        return self.role == RecruiterRole.ADMIN


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
    return Account(recruiter.id, recruiter.name, recruiter.email, recruiter.role)


async def current_account(request: web.Request) -> tuple[RecruiterSession | None, Account | None]:
    """The request's session and signed-in account (either may be None)."""
    settings = request.app[SETTINGS]
    rs = request.app[SIGNER].session(request, settings.session_ttl, settings.idle_ttl)
    if rs is None or rs.recruiter_id is None:
        return rs, None
    return rs, await db(request, lambda s: _load_account(s, rs))


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def signed_in(admin: bool = False) -> Callable[[Handler], Handler]:
    """Require a signed-in recruiter (an admin if ``admin``) and, on POST, a valid CSRF token.

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
            request.app[SIGNER].set_session(response, rs, request.app[SETTINGS].session_ttl)
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
    audit.record(session, recruiter.id, "sign_in")
    return Account(recruiter.id, recruiter.name, recruiter.email, recruiter.role)


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
    response = redirect(next_url)
    signer.set_session(response, signer.new_session(account.id), settings.session_ttl)
    return response


@signed_in()
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


def _interview_id(request: web.Request) -> int:
    try:
        value = int(request.match_info["id"])
    except ValueError:
        raise web.HTTPNotFound() from None
    if not 0 < value <= MAX_ID:
        raise web.HTTPNotFound()
    return value


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
    return aiohttp_jinja2.render_template("users.html", request, _context(request, users=users, error=None))


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
    response = aiohttp_jinja2.render_template("users.html", request, _context(request, users=users, error=error))
    response.set_status(400)
    return response


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
    r.add_post("/recruiter/sign-out", sign_out, name="sign_out")
    r.add_get(r"/recruiter/interviews/{id:\d{1,19}}", interview_page, name="interview")
    r.add_post(r"/recruiter/interviews/{id:\d{1,19}}/decision", record_decision, name="decision")
    r.add_post(r"/recruiter/interviews/{id:\d{1,19}}/override", override_rating, name="override")
    r.add_post(r"/recruiter/interviews/{id:\d{1,19}}/notes", add_note, name="notes")
    r.add_get("/recruiter/invitations", invitations_page, name="invitations")
    r.add_post("/recruiter/invitations", create_invitation)
    r.add_get("/recruiter/users", users_page, name="users")
    r.add_post("/recruiter/users", create_user)
    r.add_get("/recruiter/audit", audit_page, name="audit")


async def to_list(request: web.Request) -> web.Response:
    """``/recruiter`` without the slash: to the list."""
    return redirect("/recruiter/")
