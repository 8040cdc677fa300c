"""The aiohttp application factory.

:func:`create_app` builds one application serving the careers page and chat
(:mod:`bot.web.candidate`) and the recruiters' pages (:mod:`bot.web.recruiter`,
:mod:`bot.web.exports`). Its resources (the database engine, the HTTP client
to Rasa) live in ``cleanup_ctx``; settings and resources are reached through
typed application keys.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import aiohttp_jinja2
import jinja2
from aiohttp import web
from sqlalchemy.orm import Session, sessionmaker

from bot.db import create_engine_for, make_session_factory
from bot.db.migrate import upgrade
from bot.web.render import fmt_score, worksample_evidence
from bot.web.security import RateLimiter, Signer
from bot.web.settings import WebSettings

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
T = TypeVar("T")

SETTINGS = web.AppKey("settings", WebSettings)
SESSIONS = web.AppKey("sessions", sessionmaker[Session])
SIGNER = web.AppKey("signer", Signer)
HTTP = web.AppKey("http", aiohttp.ClientSession)
CHAT_LIMIT = web.AppKey("chat_limit", RateLimiter)
CHAT_IP_LIMIT = web.AppKey("chat_ip_limit", RateLimiter)
SIGNIN_LIMIT = web.AppKey("signin_limit", RateLimiter)
SECOND_STEP_LIMIT = web.AppKey("second_step_limit", RateLimiter)
CHAT_LOCKS = web.AppKey("chat_locks", dict[str, asyncio.Lock])

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


async def db(request: web.Request, work: Callable[[Session], T], write: bool = False) -> T:
    """Run ``work(session)`` in a worker thread (in a transaction when ``write``)."""
    sessions = request.app[SESSIONS]

    def run() -> T:
        if write:
            with sessions.begin() as session:
                return work(session)
        with sessions() as session:
            return work(session)

    return await asyncio.to_thread(run)


def json_error(status: int, code: str, message: str, **extra: Any) -> web.Response:
    """A JSON error answer: ``{"error": code, "message": message}``."""
    return web.json_response({"error": code, "message": message, **extra}, status=status)


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Give API callers JSON errors and everyone else an HTML page, never a traceback."""
    api = request.path.startswith("/api/")
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        text = exc.text if exc.text and not exc.text.startswith(f"{exc.status}:") else exc.reason
        if api:
            code = {413: "too_large", 404: "not_found", 405: "method_not_allowed", 403: "forbidden"}.get(
                exc.status, "bad_request"
            )
            if exc.status == 413:
                text = "The request is too large."
            return json_error(exc.status, code, text)
        return _error_page(request, exc.status, text)
    except web.RequestPayloadError:  # a body that cannot be decoded (say, Content-Encoding: gzip on plain text)
        if api:
            return json_error(400, "malformed", "The request body could not be read.")
        return _error_page(request, 400, "The request body could not be read.")
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        if api:
            return json_error(500, "server_error", "Something went wrong on our side; please try again.")
        return _error_page(request, 500, "Something went wrong on our side.")


def _error_page(request: web.Request, status: int, reason: str) -> web.Response:
    response = aiohttp_jinja2.render_template("error.html", request, {"status": status, "reason": reason})
    response.set_status(status)
    return response


@web.middleware
async def headers_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Security headers on every answer; no caching of recruiter pages or the chat."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        response = exc
        _set_headers(request, response)
        raise
    _set_headers(request, response)
    return response


def _set_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")


def _datetime(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.strftime(fmt) + " UTC" if value else "–"


def create_app(
    settings: WebSettings,
    sessions: sessionmaker[Session] | None = None,
    migrate: bool = True,
) -> web.Application:
    """Build the web application.

    Args:
        settings: How to run.
        sessions: A session factory on the screener database; if None, an
            engine on ``settings.database_url`` is made (and disposed of) by
            the application.
        migrate: Bring the database to the newest schema on start-up.

    Returns:
        The application, ready for :func:`aiohttp.web.run_app` or a test client.
    """
    from bot.web import bias_audit, candidate, exports, privacy, recruiter, requests, self_id

    app = web.Application(middlewares=[headers_middleware, errors_middleware], client_max_size=settings.max_body_bytes)
    app[SETTINGS] = settings
    app[SIGNER] = Signer(settings.secret, secure=settings.secure_cookies)
    app[CHAT_LIMIT] = RateLimiter(settings.rate_messages, settings.rate_window)
    app[CHAT_IP_LIMIT] = RateLimiter(settings.rate_messages_per_ip, settings.rate_window)
    app[SIGNIN_LIMIT] = RateLimiter(10, 300)
    app[SECOND_STEP_LIMIT] = RateLimiter(10, 300)  # codes per account: second step, enrolment, turning off
    app[CHAT_LOCKS] = {}
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["dt"] = _datetime
    env.filters["score"] = fmt_score
    env.globals["worksample_evidence"] = worksample_evidence

    async def database(app: web.Application) -> AsyncIterator[None]:
        engine = None
        if sessions is None:
            engine = create_engine_for(settings.database_url)
            app[SESSIONS] = make_session_factory(engine)
        else:
            app[SESSIONS] = sessions
        if migrate:
            await asyncio.to_thread(upgrade, app[SESSIONS].kw["bind"])
        yield
        if engine is not None:
            engine.dispose()

    async def http_client(app: web.Application) -> AsyncIterator[None]:
        timeout = aiohttp.ClientTimeout(total=settings.rasa_timeout)
        headers = {"Authorization": f"Bearer {settings.channel_token}"} if settings.channel_token else None
        async with aiohttp.ClientSession(timeout=timeout, headers=headers) as client:
            app[HTTP] = client
            yield

    app.cleanup_ctx.extend([database, http_client])
    app.router.add_static("/static", HERE / "static", name="static")
    candidate.setup_routes(app)
    recruiter.setup_routes(app)
    exports.setup_routes(app)
    privacy.setup_routes(app)
    requests.setup_routes(app)
    self_id.setup_routes(app)
    bias_audit.setup_routes(app)
    return app
