"""Fixtures for the web app: the app on the test database (SQLite, then
PostgreSQL) with a stand-in for Rasa's REST channel, accounts, a signed-in
client and a scored interview.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyotp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy.orm import Session, sessionmaker

from bot.web.app import create_app
from bot.web.recruiter import create_account
from bot.web.settings import WebSettings
from tests.web.factory import enable_totp, make_interview

PASSWORD = "correct horse battery staple"


@dataclass
class FakeRasa:
    """Records what the web app sends to the REST channel and answers like it (our token channel)."""

    received: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    replies: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {
                "recipient_id": "x",
                "text": "Hello <b>there</b>! Do you agree?",
                "buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}],
            }
        ]
    )
    url: str = ""
    token: str = "test-channel-token"

    async def handle(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return web.json_response({"error": "unauthorized"}, status=401)
        body = await request.json()
        self.received.append(body)
        if self.status != 200:
            return web.Response(status=self.status)
        return web.json_response([{**r, "recipient_id": body["sender"]} for r in self.replies])


@pytest.fixture
async def fake_rasa(aiohttp_server) -> FakeRasa:
    """A stand-in Rasa REST channel."""
    fake = FakeRasa()
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", fake.handle)
    server = await aiohttp_server(app)
    fake.url = str(server.make_url("/webhooks/rest/webhook"))
    return fake


@pytest.fixture
def web_settings(fake_rasa: FakeRasa) -> WebSettings:
    """Settings pointing at the fake Rasa, with a test secret."""
    return WebSettings(
        secret="test-secret-" + "x" * 40,
        rasa_url=fake_rasa.url,
        rate_messages=5,
        rate_window=60,
        channel_token=fake_rasa.token,
    )


@pytest.fixture
def make_client(aiohttp_client, loaded: sessionmaker[Session], web_settings: WebSettings) -> Callable:
    """Make a test client (its own cookie jar) on one app instance per test."""
    app = create_app(web_settings, sessions=loaded, migrate=False)
    state: dict[str, Any] = {}

    async def make() -> TestClient:
        if "server" not in state:
            client = await aiohttp_client(app)
            state["server"] = client.server
            return client
        return await aiohttp_client(state["server"])

    return make


@pytest.fixture
async def client(make_client) -> TestClient:
    """A client of the app (no one signed in)."""
    return await make_client()


@pytest.fixture
def accounts(loaded: sessionmaker[Session]) -> dict[str, int]:
    """An admin and a recruiter account (both with :data:`PASSWORD`)."""
    with loaded.begin() as session:
        admin = create_account(session, "admin@example.org", "Ann Admin", PASSWORD, "admin")
        recruiter = create_account(session, "rec@example.org", "Rob Recruiter", PASSWORD, "recruiter")
        return {"admin": admin.id, "recruiter": recruiter.id}


def csrf_of(html: str) -> str:
    """The first CSRF token in a page."""
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


async def sign_in(
    client: TestClient, email: str, password: str = PASSWORD, secret: str | None = None, at: float | None = None
) -> str:
    """Sign in through the form; return a CSRF token of the new session.

    With ``secret``, the account has the second factor on: the second step
    is passed with the TOTP code of time ``at`` (default now).
    """
    page = await client.get("/recruiter/sign-in")
    token = csrf_of(await page.text())
    response = await client.post(
        "/recruiter/sign-in", data={"csrf": token, "email": email, "password": password}, allow_redirects=False
    )
    assert response.status == 303, await response.text()
    if secret is not None:
        assert response.headers["Location"].startswith("/recruiter/sign-in/code")
        page = await client.get(response.headers["Location"])
        code = pyotp.TOTP(secret).at(time.time() if at is None else at)
        response = await client.post(
            "/recruiter/sign-in/code", data={"csrf": csrf_of(await page.text()), "code": code}, allow_redirects=False
        )
        assert response.status == 303, await response.text()
    listing = await client.get("/recruiter/")
    assert listing.status == 200
    return csrf_of(await listing.text())


@pytest.fixture
def admin_secret(loaded: sessionmaker[Session], accounts: dict[str, int]) -> str:
    """The admin's second factor, turned on: its TOTP secret."""
    with loaded.begin() as session:
        return enable_totp(session, accounts["admin"])


@pytest.fixture
async def admin_client(make_client, accounts, admin_secret) -> tuple[TestClient, str]:
    """A client signed in as the admin (password and TOTP code), and its CSRF token."""
    c = await make_client()
    return c, await sign_in(c, "admin@example.org", secret=admin_secret)


@pytest.fixture
async def recruiter_client(make_client, accounts) -> tuple[TestClient, str]:
    """A client signed in as a (non-admin) recruiter, and its CSRF token."""
    c = await make_client()
    return c, await sign_in(c, "rec@example.org")


@pytest.fixture
def interview_id(loaded: sessionmaker[Session]) -> int:
    """A completed, scored interview whose answers contain HTML."""
    with loaded.begin() as session:
        return make_interview(session).id
