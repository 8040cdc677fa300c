"""The careers page and its chat: what candidates see.

The page talks only to this server. ``POST /api/chat`` passes the message to
Rasa's REST channel on the server side, under the conversation id this server
issued and bound to the browser with a signed cookie; the exchange is kept in
``web_messages`` so a reload (or another tab) shows the conversation again.
Rasa's own HTTP API stays disabled.

Routes:

* ``GET /`` careers page with the chat
* ``GET /privacy`` privacy notice, ``GET /how-it-works`` how the screening works
* ``GET /invite/{token}`` an invitation link. The first browser that opens
  it is bound to the invited candidate's conversation (``bound_at``) and sent
  to the careers page; the bound browser may open it again (it holds the
  conversation anyway, even after the link expired). Any other browser is
  refused (403), and so is a new one once the link has expired (410); neither
  gets the conversation cookie. A browser that already has a conversation
  with messages is not switched by a GET: it gets a page asking it to confirm.
* ``POST /invite/{token}`` that confirmation (form with a CSRF token bound to
  the browser's current conversation and the invitation): binds and switches
* ``GET /api/chat`` the conversation so far; ``POST /api/chat`` send a message
* ``POST /self-identification`` the voluntary self-identification form
  shown after the interview (:mod:`bot.web.self_id`)
* ``GET /healthz`` whether an answer can be taken: the database answers and
  so does every server of ``WebSettings.health_urls`` (Rasa, the action server)
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from datetime import UTC
from typing import Any

import aiohttp
import aiohttp_jinja2
from aiohttp import web
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.models import Candidate, Invitation, Role, WebMessage
from bot.web.app import CHAT_IP_LIMIT, CHAT_LIMIT, CHAT_LOCKS, HTTP, SETTINGS, SIGNER, db, json_error
from bot.web.security import token_digest
from bot.web.self_id import offer as self_id_offer

log = logging.getLogger(__name__)

#: The channel name of candidates who start on the careers page.
WEB_CHANNEL = "web"


def _conversation(request: web.Request) -> str | None:
    return request.app[SIGNER].conversation_id(request)


def _candidate_info(session: Session, conversation_id: str) -> dict[str, Any] | None:
    row = session.execute(
        select(Candidate.display_name, Role.name)
        .outerjoin(Role, Role.id == Candidate.invited_role_id)
        .where(Candidate.conversation_id == conversation_id)
    ).first()
    return {"name": row[0], "role": row[1]} if row else None


async def careers(request: web.Request) -> web.Response:
    """The careers page with the chat; issues a conversation id on first visit.

    After the interview it also offers the voluntary self-identification
    form (:mod:`bot.web.self_id`).
    """
    conversation_id = _conversation(request)
    new = conversation_id is None
    if new:
        conversation_id = secrets.token_urlsafe(24)
    info = None if new else await db(request, lambda s: _candidate_info(s, conversation_id))
    self_id = None if new else await db(request, lambda s: self_id_offer(s, conversation_id))
    response = aiohttp_jinja2.render_template(
        "careers.html",
        request,
        {
            "csrf": request.app[SIGNER].csrf_token(conversation_id),
            "invited": info,
            "settings": request.app[SETTINGS],
            "self_id": self_id,
            "self_id_saved": request.query.get("self_id") == "saved",
        },
    )
    if new:
        request.app[SIGNER].set_conversation(response, conversation_id)
    return response


@aiohttp_jinja2.template("privacy.html")
async def privacy(request: web.Request) -> dict[str, Any]:
    """The privacy notice."""
    return {}


@aiohttp_jinja2.template("how.html")
async def how_it_works(request: web.Request) -> dict[str, Any]:
    """How the screening works."""
    return {}


# What opening an invitation link came to (see _open_invitation).
UNKNOWN = "unknown"
EXPIRED = "expired"
ELSEWHERE = "elsewhere"
CONFIRM = "confirm"
BOUND = "bound"
RETURNING = "returning"


def _has_messages(session: Session, conversation_id: str) -> bool:
    query = select(WebMessage.id).where(WebMessage.conversation_id == conversation_id).limit(1)
    return session.scalar(query) is not None


def _open_invitation(session: Session, digest: str, current: str | None, confirmed: bool) -> tuple[str, str | None]:
    """Decide what opening an invitation does, and bind it if it is free.

    Args:
        session: A session in a write transaction.
        digest: The SHA-256 of the link's token.
        current: The conversation id the browser's cookie carries, if any.
        confirmed: The browser confirmed switching away from its own
            conversation (the POST of the confirmation form).

    Returns:
        ``(outcome, conversation_id)``: the outcome is :data:`RETURNING` (the
        browser already holds the invited conversation), :data:`BOUND` (it
        was bound just now), :data:`CONFIRM` (its own conversation has
        messages: ask first), :data:`ELSEWHERE` (bound to another browser),
        :data:`EXPIRED` or :data:`UNKNOWN`; the conversation id is the
        invited candidate's for :data:`RETURNING` and :data:`BOUND`, else None.
    """
    invite = session.scalars(select(Invitation).where(Invitation.token_hash == digest)).first()
    if invite is None:
        return UNKNOWN, None
    now = utcnow()
    conversation_id = invite.candidate.conversation_id
    if current == conversation_id:
        invite.last_used_at = now
        if invite.bound_at is None:
            invite.bound_at = now
        return RETURNING, conversation_id
    if invite.expires_at < now:
        return EXPIRED, None
    if invite.bound_at is not None:
        return ELSEWHERE, None
    if not confirmed and current is not None and _has_messages(session, current):
        return CONFIRM, None
    # Only one browser wins, even when two open the link at the same moment.
    claimed = session.execute(
        update(Invitation)
        .where(Invitation.id == invite.id, Invitation.bound_at.is_(None))
        .values(bound_at=now, last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return ELSEWHERE, None
    return BOUND, conversation_id


def _confirm_key(digest: str, current: str | None) -> str | None:
    """What the confirmation form's CSRF token is bound to."""
    return f"invite:{digest}:{current}" if current else None


def _invitation_page(request: web.Request, state: str, status: int, csrf: str = "") -> web.Response:
    response = aiohttp_jinja2.render_template(
        "invite.html", request, {"state": state, "csrf": csrf, "action": request.path}
    )
    response.set_status(status)
    return response


def _invitation_answer(
    request: web.Request, outcome: str, conversation_id: str | None, digest: str, current: str | None
) -> web.StreamResponse:
    if outcome == UNKNOWN:
        raise web.HTTPNotFound(
            text="This invitation link is not valid or has expired. Please ask the recruiter for a new one."
        )
    if outcome == EXPIRED:
        return _invitation_page(request, EXPIRED, 410)
    if outcome == ELSEWHERE:
        return _invitation_page(request, ELSEWHERE, 403)
    if outcome == CONFIRM:
        csrf = request.app[SIGNER].csrf_token(_confirm_key(digest, current) or "")
        return _invitation_page(request, CONFIRM, 200, csrf)
    response = web.HTTPSeeOther("/")
    if outcome == BOUND and conversation_id is not None:
        request.app[SIGNER].set_conversation(response, conversation_id)
    raise response


async def invitation(request: web.Request) -> web.StreamResponse:
    """Open an invitation link (``GET /invite/{token}``).

    The first browser to open a valid link is bound to the invited
    candidate's conversation and sent to the careers page; the browser
    already bound is sent there again. Another browser gets a 403 page, and
    an expired link a 410 page, without the conversation cookie. A browser
    whose own conversation has messages is not switched: it gets a page with
    a form to confirm (:func:`confirm_invitation`).

    Args:
        request: The request; ``token`` in the path.

    Returns:
        The refusal or confirmation page (a redirect is raised).
    """
    digest = token_digest(request.match_info["token"])
    current = _conversation(request)
    outcome, conversation_id = await db(
        request, lambda s: _open_invitation(s, digest, current, confirmed=False), write=True
    )
    return _invitation_answer(request, outcome, conversation_id, digest, current)


async def confirm_invitation(request: web.Request) -> web.StreamResponse:
    """Continue as the invited candidate (``POST /invite/{token}``).

    The form's ``csrf`` must be the token of the confirmation page, bound to
    this browser's current conversation and this invitation; then the
    invitation is bound to this browser as by :func:`invitation`.

    Args:
        request: The request; ``token`` in the path, form field ``csrf``.

    Returns:
        The refusal page (a redirect or a 403 for a bad form is raised).
    """
    digest = token_digest(request.match_info["token"])
    current = _conversation(request)
    form = await request.post()
    if not request.app[SIGNER].check_csrf(_confirm_key(digest, current), str(form.get("csrf", ""))):
        raise web.HTTPForbidden(
            text="The form has expired or did not come from this site. Open the invitation link again."
        )
    outcome, conversation_id = await db(
        request, lambda s: _open_invitation(s, digest, current, confirmed=True), write=True
    )
    return _invitation_answer(request, outcome, conversation_id, digest, current)


def _message_dict(message: WebMessage) -> dict[str, Any]:
    return {
        "sender": message.sender,
        "text": message.text,
        "buttons": message.buttons or [],
        "at": message.at.astimezone(UTC).isoformat(),
    }


async def history(request: web.Request) -> web.Response:
    """The conversation so far (empty for a new visitor)."""
    conversation_id = _conversation(request)
    if conversation_id is None:
        return web.json_response({"messages": []})

    def load(session: Session) -> list[dict[str, Any]]:
        query = select(WebMessage).where(WebMessage.conversation_id == conversation_id).order_by(WebMessage.id)
        return [_message_dict(m) for m in session.scalars(query)]

    return web.json_response({"messages": await db(request, load)})


def _offered_payloads(session: Session, conversation_id: str) -> dict[str, str]:
    """Payload -> button title of the quick replies of the last bot messages.

    When several of them offered a payload, the newest message's title wins.
    """
    last = session.scalars(
        select(WebMessage)
        .where(WebMessage.conversation_id == conversation_id, WebMessage.sender == "bot")
        .order_by(WebMessage.id.desc())
        .limit(5)
    ).all()
    offered: dict[str, str] = {}
    for m in last:
        for b in m.buttons or []:
            if isinstance(b, dict) and isinstance(b.get("payload"), str):
                offered.setdefault(b["payload"], str(b.get("title") or ""))
    return offered


def _ensure_candidate(session: Session, conversation_id: str) -> None:
    exists = session.scalar(select(Candidate.id).where(Candidate.conversation_id == conversation_id))
    if exists is None:
        try:
            with session.begin_nested():
                session.add(Candidate(conversation_id=conversation_id, channel=WEB_CHANNEL, created_at=utcnow()))
        except IntegrityError:
            pass  # made at the same moment elsewhere


def _is_utf8(text: str) -> bool:
    """Whether ``text`` can be stored as UTF-8 (JSON can carry lone UTF-16 surrogates, which cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _clean_replies(replies: Any) -> list[dict[str, Any]]:
    messages = []
    for reply in replies if isinstance(replies, list) else []:
        if not isinstance(reply, dict):
            continue
        text = reply.get("text")
        buttons = [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in reply.get("buttons") or []
            if isinstance(b, dict) and b.get("payload")
        ]
        if text or buttons:
            messages.append({"sender": "bot", "text": str(text or ""), "buttons": buttons})
    return messages


async def send(request: web.Request) -> web.Response:
    """Pass one candidate message to Rasa and answer with the bot's replies.

    Request: JSON ``{"message": str, "title": str?}`` with the page's CSRF
    token in ``X-CSRF-Token``. A ``message`` starting with ``/`` is a quick
    reply's payload and must be one the bot offered; the transcript records
    the title of the button we offered for it. ``title`` (the label the page
    showed) is accepted for compatibility but never stored.

    Errors are JSON ``{"error", "message"}``: 400 malformed or empty, 403 no
    conversation or bad token, 413 too long, 415 not JSON, 429 too fast
    (``Retry-After``), 502/504 the bot did not answer (``not_confirmed``:
    it answered with no message, as Rasa does when an action failed). On any
    error nothing is recorded in the page's log, and the page keeps the text
    for another try.
    """
    settings = request.app[SETTINGS]
    signer = request.app[SIGNER]
    conversation_id = _conversation(request)
    if conversation_id is None:
        return json_error(403, "no_conversation", "Your session was not found. Please reload the page.")
    if not signer.check_csrf(conversation_id, request.headers.get("X-CSRF-Token")):
        return json_error(403, "bad_token", "This page is out of date. Please reload it.")
    if request.content_type != "application/json":
        return json_error(415, "not_json", "Send the message as JSON.")
    try:
        body = await request.json()
    except (ValueError, RecursionError):  # JSON or UTF-8 errors, and nesting deeper than the parser goes
        return json_error(400, "malformed", "The request could not be read.")
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return json_error(400, "malformed", 'Expected {"message": "..."}.')
    title = body.get("title")
    if title is not None and not isinstance(title, str):
        return json_error(400, "malformed", "The quick reply label must be text.")
    if not all(_is_utf8(t) for t in (body["message"], title or "")):
        return json_error(400, "malformed", "The message holds characters that are not text. Nothing was sent.")
    message = body["message"].strip()
    if not message:
        return json_error(400, "empty", "Please write a message first.")
    if len(message) > settings.max_message_chars:
        return json_error(
            413,
            "too_long",
            f"Your message is {len(message)} characters long; the limit is {settings.max_message_chars}. "
            "Please shorten it — nothing was sent.",
            limit=settings.max_message_chars,
        )
    wait = request.app[CHAT_LIMIT].hit(conversation_id) or request.app[CHAT_IP_LIMIT].hit(request.remote or "")
    if wait:
        response = json_error(
            429, "too_fast", f"You're sending messages very quickly. Please wait {wait:.0f} seconds and try again."
        )
        response.headers["Retry-After"] = str(max(1, round(wait)))
        return response
    if message.startswith("/"):
        offered = await db(request, lambda s: _offered_payloads(s, conversation_id))
        if message not in offered:
            return json_error(
                400, "unknown_reply", "That quick reply is not available any more. Please type your answer."
            )
        shown = (offered[message] or message).strip()[:200]
    else:
        shown = message
    locks = request.app[CHAT_LOCKS]
    lock = locks.setdefault(conversation_id, asyncio.Lock())
    async with lock:
        await db(request, lambda s: _ensure_candidate(s, conversation_id), write=True)
        try:
            async with request.app[HTTP].post(
                settings.rasa_url, json={"sender": conversation_id, "message": message}
            ) as upstream:
                if upstream.status != 200:
                    log.warning("Rasa answered %s", upstream.status)
                    return json_error(
                        502, "bot_unavailable", "The assistant could not answer. Please try again in a moment."
                    )
                replies = _clean_replies(await upstream.json(content_type=None))
            if not replies:
                # Rasa answers 200 with nothing when an action failed: the
                # message may not have been stored, so the candidate is told.
                log.warning("Rasa answered with no message")
                return json_error(
                    502,
                    "not_confirmed",
                    "The assistant could not confirm it received your message. Please send it again.",
                )
        except TimeoutError:
            return json_error(504, "bot_timeout", "The assistant took too long to answer. Please try again.")
        except (aiohttp.ClientError, json.JSONDecodeError, ValueError):
            log.warning("Rasa unreachable at %s", settings.rasa_url)
            return json_error(
                502, "bot_unavailable", "The assistant is not reachable right now. Please try again shortly."
            )

        def store(session: Session) -> list[dict[str, Any]]:
            now = utcnow()
            session.add(WebMessage(conversation_id=conversation_id, sender="candidate", text=shown, buttons=[], at=now))
            rows = [
                WebMessage(conversation_id=conversation_id, sender="bot", text=r["text"], buttons=r["buttons"], at=now)
                for r in replies
            ]
            session.add_all(rows)
            session.flush()
            return [_message_dict(m) for m in rows]

        stored = await db(request, store, write=True)
    if not lock.locked() and len(locks) > 10_000:
        locks.pop(conversation_id, None)
    return web.json_response({"messages": stored})


async def _answers(request: web.Request, url: str) -> bool:
    try:
        async with request.app[HTTP].get(url, timeout=aiohttp.ClientTimeout(total=3)) as response:
            return response.status == 200
    except (TimeoutError, aiohttp.ClientError):
        return False


async def health(request: web.Request) -> web.Response:
    """Whether a candidate's answer can be taken now.

    Returns:
        200 ``{"ok": true, "database": true, "servers": {url: true, ...}}``, or
        503 with the same keys when the database or any server of
        ``WebSettings.health_urls`` does not answer (3 s each).
    """

    def ping(session: Session) -> bool:
        session.execute(select(1))
        return True

    try:
        database = await asyncio.wait_for(db(request, ping), timeout=5)
    except Exception:  # any failure means the database cannot take an answer
        log.warning("health: the database does not answer")
        database = False
    urls = request.app[SETTINGS].health_urls
    answered = await asyncio.gather(*(_answers(request, url) for url in urls))
    servers = dict(zip(urls, answered, strict=True))
    ok = database and all(answered)
    return web.json_response({"ok": ok, "database": database, "servers": servers}, status=200 if ok else 503)


def setup_routes(app: web.Application) -> None:
    """Register the candidate routes."""
    app.router.add_get("/", careers, name="careers")
    app.router.add_get("/privacy", privacy, name="privacy")
    app.router.add_get("/how-it-works", how_it_works, name="how")
    # No HEAD: a link scanner's HEAD request must not bind the invitation.
    app.router.add_get("/invite/{token}", invitation, name="invite", allow_head=False)
    app.router.add_post("/invite/{token}", confirm_invitation, name="invite_confirm")
    app.router.add_get("/api/chat", history, name="chat_history")
    app.router.add_post("/api/chat", send, name="chat_send")
    app.router.add_get("/healthz", health, name="health")
