"""The careers page and the chat proxy (``bot.web.candidate``)."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import timedelta

from sqlalchemy import select

from bot.db.base import utcnow
from bot.db.models import Candidate, Invitation, WebMessage
from bot.web.security import CONVERSATION_COOKIE, Signer
from tests.web.conftest import csrf_of


def token_of(html: str) -> str:
    return re.search(r'data-csrf="([^"]+)"', html).group(1)


async def open_page(client) -> str:
    response = await client.get("/")
    assert response.status == 200
    return token_of(await response.text())


async def say(client, token: str, message: str, **extra):
    return await client.post("/api/chat", json={"message": message, **extra}, headers={"X-CSRF-Token": token})


async def test_careers_page_issues_a_signed_conversation_and_links_the_notices(client) -> None:
    response = await client.get("/")
    html = await response.text()
    assert response.status == 200
    cookie = response.cookies[CONVERSATION_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert 'href="/privacy"' in html and 'href="/how-it-works"' in html
    assert 'aria-live="polite"' in html and 'role="log"' in html
    assert "Content-Security-Policy" in response.headers
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


async def test_notice_pages_and_health(client) -> None:
    for path, words in (("/privacy", "Privacy notice"), ("/how-it-works", "How this screening works")):
        response = await client.get(path)
        assert response.status == 200 and words in await response.text()
    assert await (await client.get("/healthz")).json() == {"ok": True, "database": True, "servers": {}}
    assert (await client.get("/static/chat.js")).status == 200


async def test_a_message_goes_to_rasa_under_our_id_and_comes_back_on_reload(client, fake_rasa, loaded) -> None:
    token = await open_page(client)
    response = await say(client, token, "hello")
    assert response.status == 200
    data = await response.json()
    assert data["messages"][0]["text"] == "Hello <b>there</b>! Do you agree?"
    assert [b["payload"] for b in data["messages"][0]["buttons"]] == ["/affirm", "/deny"]
    sender = fake_rasa.received[0]["sender"]
    assert len(sender) >= 32 and fake_rasa.received[0]["message"] == "hello"
    # A reload (same cookie) continues the same conversation.
    token2 = await open_page(client)
    assert token2 == token
    history = await (await client.get("/api/chat")).json()
    assert [m["sender"] for m in history["messages"]] == ["candidate", "bot"]
    assert history["messages"][0]["text"] == "hello"
    # A quick reply: its payload goes to Rasa, its label is what the transcript shows.
    response = await say(client, token, "/affirm", title="Yes")
    assert response.status == 200
    assert fake_rasa.received[-1] == {"sender": sender, "message": "/affirm"}
    with loaded() as session:
        candidate = session.scalars(select(Candidate).where(Candidate.conversation_id == sender)).one()
        assert candidate.channel == "web"
        texts = session.scalars(
            select(WebMessage.text).where(WebMessage.conversation_id == sender).order_by(WebMessage.id)
        ).all()
    assert texts[2] == "Yes"


async def test_another_browser_cannot_read_or_write_the_conversation(make_client, fake_rasa) -> None:
    alice, mallory = await make_client(), await make_client()
    alice_token = await open_page(alice)
    assert (await say(alice, alice_token, "my private answer")).status == 200
    await open_page(mallory)
    # Mallory sees only her own (empty) conversation ...
    assert (await (await mallory.get("/api/chat")).json())["messages"] == []
    # ... cannot write with Alice's token ...
    response = await say(mallory, alice_token, "hijack")
    assert response.status == 403 and (await response.json())["error"] == "bad_token"
    # ... nor with a forged cookie naming Alice's conversation.
    alice_id = fake_rasa.received[0]["sender"]
    mallory.session.cookie_jar.update_cookies({CONVERSATION_COOKIE: json.dumps(alice_id)})
    assert (await (await mallory.get("/api/chat")).json())["messages"] == []
    resigned = Signer("another secret")._conversation.dumps(alice_id)
    mallory.session.cookie_jar.update_cookies({CONVERSATION_COOKIE: resigned})
    assert (await (await mallory.get("/api/chat")).json())["messages"] == []
    assert (await say(mallory, alice_token, "hijack")).status == 403
    assert [r["sender"] for r in fake_rasa.received] == [alice_id]


async def test_refuses_without_a_conversation_or_token(client) -> None:
    response = await client.post("/api/chat", json={"message": "hi"})
    assert response.status == 403 and (await response.json())["error"] == "no_conversation"
    await open_page(client)
    response = await client.post("/api/chat", json={"message": "hi"})
    assert response.status == 403 and (await response.json())["error"] == "bad_token"


async def test_malformed_requests_get_clear_json_errors(client, fake_rasa) -> None:
    token = await open_page(client)
    headers = {"X-CSRF-Token": token}
    cases = [
        (
            dict(data="message=hi", headers={**headers, "Content-Type": "application/x-www-form-urlencoded"}),
            415,
            "not_json",
        ),
        (dict(data="{not json", headers={**headers, "Content-Type": "application/json"}), 400, "malformed"),
        (dict(json=["hi"], headers=headers), 400, "malformed"),
        (dict(json={"message": 5}, headers=headers), 400, "malformed"),
        (dict(json={"message": "/affirm", "title": 3}, headers=headers), 400, "malformed"),
        (dict(json={"message": "   "}, headers=headers), 400, "empty"),
        (dict(json={"message": '/choose_role{"role":"ceo"}'}, headers=headers), 400, "unknown_reply"),
    ]
    for kwargs, status, code in cases:
        response = await client.post("/api/chat", **kwargs)
        body = await response.json()
        assert (response.status, body["error"]) == (status, code), kwargs
        assert body["message"]
    assert fake_rasa.received == []


async def test_oversized_messages_and_bodies_are_refused(client, fake_rasa, web_settings) -> None:
    token = await open_page(client)
    response = await say(client, token, "a" * (web_settings.max_message_chars + 1))
    body = await response.json()
    assert response.status == 413 and body["error"] == "too_long" and body["limit"] == web_settings.max_message_chars
    response = await say(client, token, "a" * (web_settings.max_body_bytes + 10))
    assert response.status == 413 and (await response.json())["error"] == "too_large"
    assert fake_rasa.received == []


async def test_too_many_messages_too_fast(client, fake_rasa, web_settings) -> None:
    token = await open_page(client)
    for _ in range(web_settings.rate_messages):
        assert (await say(client, token, "hello")).status == 200
    response = await say(client, token, "hello")
    assert response.status == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert (await response.json())["error"] == "too_fast"
    assert len(fake_rasa.received) == web_settings.rate_messages


async def test_too_many_messages_from_one_address(make_client, fake_rasa) -> None:
    from bot.web.app import CHAT_IP_LIMIT

    first, second = await make_client(), await make_client()
    first.server.app[CHAT_IP_LIMIT].limit = 3
    for c in (first, second):
        token = await open_page(c)
        for _ in range(2):
            response = await say(c, token, "hello")
    assert response.status == 429 and (await response.json())["error"] == "too_fast"
    assert len(fake_rasa.received) == 3


async def test_an_empty_reply_tells_the_candidate_the_message_was_not_confirmed(client, fake_rasa) -> None:
    token = await open_page(client)
    fake_rasa.replies = []  # what Rasa sends when an action failed
    response = await say(client, token, "I would listen first")
    body = await response.json()
    assert response.status == 502 and body["error"] == "not_confirmed" and "send it again" in body["message"]
    assert fake_rasa.received[-1]["message"] == "I would listen first"
    assert (await (await client.get("/api/chat")).json())["messages"] == []


async def test_the_chat_speaks_to_rasa_with_the_channel_token(client, fake_rasa, web_settings) -> None:
    token = await open_page(client)
    assert (await say(client, token, "hello")).status == 200
    fake_rasa.token = "another-token"  # the channel no longer accepts ours
    response = await say(client, token, "hello again")
    assert response.status == 502 and (await response.json())["error"] == "bot_unavailable"
    assert [m["message"] for m in fake_rasa.received] == ["hello"]


async def test_rasa_failure_is_reported_and_nothing_recorded(client, fake_rasa, loaded) -> None:
    token = await open_page(client)
    fake_rasa.status = 500
    response = await say(client, token, "hello")
    assert response.status == 502 and (await response.json())["error"] == "bot_unavailable"
    assert (await (await client.get("/api/chat")).json())["messages"] == []


async def invite(admin_client, name: str = "Bea <script>") -> str:
    """Create an invitation as the admin; return the link's path."""
    admin, csrf = admin_client
    response = await admin.post("/recruiter/invitations", data={"csrf": csrf, "name": name, "role": "cashier"})
    link = re.search(r'value="(http[^"]+/invite/[^"]+)"', await response.text()).group(1)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def invitation_row(loaded, name: str) -> tuple[Invitation, str]:
    with loaded() as session:
        invitation = session.scalars(select(Invitation).join(Candidate).where(Candidate.display_name == name)).one()
        return invitation, invitation.candidate.conversation_id


async def test_invitation_link_binds_the_first_browser_only(make_client, loaded, admin_client, fake_rasa) -> None:
    path = await invite(admin_client)
    with loaded() as session:
        candidate = session.scalars(select(Candidate).where(Candidate.display_name == "Bea <script>")).one()
        assert (candidate.channel, candidate.invited_role_id) == ("web", "cashier")
    assert invitation_row(loaded, "Bea <script>")[0].bound_at is None
    phone = await make_client()
    response = await phone.get(path, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/"
    assert CONVERSATION_COOKIE in response.cookies
    page = await phone.get("/")
    html = await page.text()
    assert "Bea &lt;script&gt;" in html and "<script>" not in html.split("</header>")[1].split("<script src")[0]
    assert "Cashier" in html
    assert (await say(phone, token_of(html), "my private answer")).status == 200
    assert fake_rasa.received[-1]["sender"] == candidate.conversation_id
    invitation, _ = invitation_row(loaded, "Bea <script>")
    assert invitation.bound_at is not None and invitation.last_used_at is not None

    # The bound browser opens the link again: back to its conversation.
    response = await phone.get(path, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/"
    assert len((await (await phone.get("/api/chat")).json())["messages"]) == 2

    # Any other browser is refused, gets no cookie and none of the messages,
    # whether it is new or has a conversation of its own.
    laptop, other = await make_client(), await make_client()
    assert (await say(other, await open_page(other), "someone else")).status == 200
    for browser in (laptop, other):
        response = await browser.get(path, allow_redirects=False)
        text = await response.text()
        assert response.status == 403 and "already opened on another device" in text
        assert "ask the recruiter for a new link" in text
        assert CONVERSATION_COOKIE not in response.cookies
        shown = [m["text"] for m in (await (await browser.get("/api/chat")).json())["messages"]]
        assert "my private answer" not in shown
        assert "Bea" not in await (await browser.get("/")).text()
    assert [m["text"] for m in (await (await other.get("/api/chat")).json())["messages"]][0] == "someone else"
    assert (await say(phone, token_of(html), "still mine")).status == 200
    assert fake_rasa.received[-1]["sender"] == candidate.conversation_id


async def test_unknown_or_expired_invitation(make_client, client, loaded, admin_client) -> None:
    assert (await client.get("/invite/not-a-token")).status == 404
    path, opened = await invite(admin_client, "Cy"), await invite(admin_client, "Di")
    phone = await make_client()
    assert (await phone.get(opened, allow_redirects=False)).status == 303
    with loaded.begin() as session:
        for invitation in session.scalars(select(Invitation)):
            invitation.expires_at = utcnow() - timedelta(days=1)
    for link in (path, opened):
        response = await client.get(link, allow_redirects=False)
        text = await response.text()
        assert response.status == 410 and "expired" in text and "ask the recruiter for a new link" in text
        assert CONVERSATION_COOKIE not in response.cookies
    assert invitation_row(loaded, "Cy")[0].bound_at is None
    # The browser the link is bound to holds the conversation anyway: it goes back to it.
    response = await phone.get(opened, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/"


async def test_a_browser_without_messages_is_bound_by_the_get(client, loaded, admin_client, fake_rasa) -> None:
    await open_page(client)  # a conversation, but nothing said yet
    path = await invite(admin_client)
    response = await client.get(path, allow_redirects=False)
    assert response.status == 303 and CONVERSATION_COOKIE in response.cookies
    _, invited = invitation_row(loaded, "Bea <script>")
    assert (await say(client, await open_page(client), "hello")).status == 200
    assert fake_rasa.received[-1]["sender"] == invited


async def test_a_get_does_not_switch_a_conversation_with_messages(make_client, loaded, admin_client, fake_rasa) -> None:
    victim = await make_client()
    chat_token = await open_page(victim)
    assert (await say(victim, chat_token, "my own answer")).status == 200
    own = fake_rasa.received[-1]["sender"]
    path = await invite(admin_client)

    # A cross-site navigation to the link: a page asking to confirm, nothing switched, nothing bound.
    response = await victim.get(path, allow_redirects=False)
    html = await response.text()
    assert response.status == 200 and "Continue as the invited candidate" in html
    assert f'action="{path}"' in html and 'method="post"' in html
    assert CONVERSATION_COOKIE not in response.cookies
    assert invitation_row(loaded, "Bea <script>")[0].bound_at is None
    assert [m["text"] for m in (await (await victim.get("/api/chat")).json())["messages"]][0] == "my own answer"

    # The confirmation without a valid CSRF token is refused: no token, the
    # chat's token, or the token another browser got on its own confirmation page.
    mallory = await make_client()
    assert (await say(mallory, await open_page(mallory), "hi")).status == 200
    mallory_csrf = csrf_of(await (await mallory.get(path)).text())
    for data in ({}, {"csrf": ""}, {"csrf": chat_token}, {"csrf": mallory_csrf}):
        response = await victim.post(path, data=data, allow_redirects=False)
        assert response.status == 403, data
        assert CONVERSATION_COOKIE not in response.cookies
    assert (await victim.post(path, allow_redirects=False)).status == 403
    assert invitation_row(loaded, "Bea <script>")[0].bound_at is None
    await say(victim, chat_token, "still me")
    assert fake_rasa.received[-1]["sender"] == own

    # With the page's token the browser switches to the invited conversation.
    response = await victim.post(path, data={"csrf": csrf_of(html)}, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/"
    assert CONVERSATION_COOKIE in response.cookies
    invitation, invited = invitation_row(loaded, "Bea <script>")
    assert invitation.bound_at is not None
    assert (await (await victim.get("/api/chat")).json())["messages"] == []
    page = await (await victim.get("/")).text()
    assert "Bea &lt;script&gt;" in page
    assert (await say(victim, token_of(page), "hello")).status == 200
    assert fake_rasa.received[-1]["sender"] == invited
    # Now bound: re-opening works here, and mallory's page is refused.
    assert (await victim.get(path, allow_redirects=False)).status == 303
    assert (await mallory.post(path, data={"csrf": mallory_csrf}, allow_redirects=False)).status == 403


async def test_a_quick_reply_records_our_label_not_the_clients(client, fake_rasa, loaded) -> None:
    token = await open_page(client)
    assert (await say(client, token, "hello")).status == 200
    sender = fake_rasa.received[-1]["sender"]
    response = await say(client, token, "/affirm", title="No, thanks – I do NOT consent")
    assert response.status == 200
    assert fake_rasa.received[-1] == {"sender": sender, "message": "/affirm"}
    assert (await say(client, token, "/deny")).status == 200
    with loaded() as session:
        texts = session.scalars(
            select(WebMessage.text)
            .where(WebMessage.conversation_id == sender, WebMessage.sender == "candidate")
            .order_by(WebMessage.id)
        ).all()
    assert texts == ["hello", "Yes", "No"]
    history = (await (await client.get("/api/chat")).json())["messages"]
    assert not any("NOT consent" in m["text"] for m in history)


async def test_a_link_scanners_head_request_does_not_bind_the_invitation(make_client, admin_client) -> None:
    path = await invite(admin_client, "Ed")
    scanner, candidate = await make_client(), await make_client()
    assert (await scanner.head(path, allow_redirects=False)).status == 405
    assert (await candidate.get(path, allow_redirects=False)).status == 303


async def test_health_says_no_when_a_server_behind_the_chat_does_not_answer(
    aiohttp_client, aiohttp_server, loaded, web_settings
) -> None:
    from aiohttp import web as aioweb

    from bot.web.app import create_app

    async def ok(_request: aioweb.Request) -> aioweb.Response:
        return aioweb.json_response({"status": "ok"})

    up = aioweb.Application()
    up.router.add_get("/health", ok)
    server = await aiohttp_server(up)
    alive, dead = str(server.make_url("/health")), "http://127.0.0.1:9/health"
    for urls, status in (((alive,), 200), ((alive, dead), 503)):
        settings = dataclasses.replace(web_settings, health_urls=urls)
        client = await aiohttp_client(create_app(settings, sessions=loaded, migrate=False))
        response = await client.get("/healthz")
        body = await response.json()
        assert response.status == status and body["database"] is True
        assert body["servers"] == {url: url == alive for url in urls}
