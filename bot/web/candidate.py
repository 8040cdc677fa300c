"""The careers page and its chat: what candidates see.

The page talks only to this server. ``POST /api/chat`` passes the message to
Rasa's REST channel on the server side, under the conversation id this server
issued and bound to the browser with a signed cookie; the exchange is kept in
``web_messages`` so a reload (or another tab) shows the conversation again.
Rasa's own HTTP API stays disabled.

Routes:

* ``GET /`` careers page with the chat
* ``GET /privacy`` privacy notice, ``GET /how-it-works`` how the screening works
* ``GET /invite/{token}`` an invitation link: binds the invited candidate's
  conversation to this browser and opens the careers page
* ``GET /api/chat`` the conversation so far; ``POST /api/chat`` send a message
* ``GET /healthz`` liveness
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
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.models import Candidate, Invitation, Role, WebMessage
from bot.web.app import CHAT_IP_LIMIT, CHAT_LIMIT, CHAT_LOCKS, HTTP, SETTINGS, SIGNER, db, json_error
from bot.web.security import token_digest

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
    """The careers page with the chat; issues a conversation id on first visit."""
    conversation_id = _conversation(request)
    new = conversation_id is None
    if new:
        conversation_id = secrets.token_urlsafe(24)
    info = None if new else await db(request, lambda s: _candidate_info(s, conversation_id))
    response = aiohttp_jinja2.render_template(
        "careers.html",
        request,
        {"csrf": request.app[SIGNER].csrf_token(conversation_id), "invited": info, "settings": request.app[SETTINGS]},
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


async def invitation(request: web.Request) -> web.StreamResponse:
    """Open an invitation link: continue (or start) the invited candidate's conversation."""
    digest = token_digest(request.match_info["token"])

    def use(session: Session) -> str | None:
        invite = session.scalars(select(Invitation).where(Invitation.token_hash == digest)).first()
        if invite is None or invite.expires_at < utcnow():
            return None
        invite.last_used_at = utcnow()
        return invite.candidate.conversation_id

    conversation_id = await db(request, use, write=True)
    if conversation_id is None:
        raise web.HTTPNotFound(
            text="This invitation link is not valid or has expired. Please ask the recruiter for a new one."
        )
    response = web.HTTPSeeOther("/")
    request.app[SIGNER].set_conversation(response, conversation_id)
    raise response


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


def _offered_payloads(session: Session, conversation_id: str) -> set[str]:
    last = session.scalars(
        select(WebMessage)
        .where(WebMessage.conversation_id == conversation_id, WebMessage.sender == "bot")
        .order_by(WebMessage.id.desc())
        .limit(5)
    ).all()
    return {b.get("payload") for m in last for b in (m.buttons or []) if isinstance(b, dict)}


def _ensure_candidate(session: Session, conversation_id: str) -> None:
    exists = session.scalar(select(Candidate.id).where(Candidate.conversation_id == conversation_id))
    if exists is None:
        try:
            with session.begin_nested():
                session.add(Candidate(conversation_id=conversation_id, channel=WEB_CHANNEL, created_at=utcnow()))
        except IntegrityError:
            pass  # made at the same moment elsewhere


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

    Request: JSON ``{"message": str, "title": str?}`` (``title`` is the
    label of a quick reply whose payload is ``message``) with the page's
    CSRF token in ``X-CSRF-Token``.

    Errors are JSON ``{"error", "message"}``: 400 malformed or empty, 403 no
    conversation or bad token, 413 too long, 415 not JSON, 429 too fast
    (``Retry-After``), 502/504 the bot did not answer. On any error nothing
    was recorded or passed on, so the page keeps the text for another try.
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
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return json_error(400, "malformed", "The request could not be read.")
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return json_error(400, "malformed", 'Expected {"message": "..."}.')
    title = body.get("title")
    if title is not None and not isinstance(title, str):
        return json_error(400, "malformed", "The quick reply label must be text.")
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
        shown = (title or message).strip()[:200]
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


async def health(request: web.Request) -> web.Response:
    """Liveness: 200 with ``{"ok": true}``."""
    return web.json_response({"ok": True})


def setup_routes(app: web.Application) -> None:
    """Register the candidate routes."""
    app.router.add_get("/", careers, name="careers")
    app.router.add_get("/privacy", privacy, name="privacy")
    app.router.add_get("/how-it-works", how_it_works, name="how")
    app.router.add_get("/invite/{token}", invitation, name="invite")
    app.router.add_get("/api/chat", history, name="chat_history")
    app.router.add_post("/api/chat", send, name="chat_send")
    app.router.add_get("/healthz", health, name="health")
