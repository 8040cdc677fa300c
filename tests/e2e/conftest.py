"""The real stack for end-to-end tests: action server, Rasa server, database.

Servers are started with :mod:`bot.servers`, exactly as ``python -m bot serve``
does, on free loopback ports, with a database and a tracker store of their own.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.bank import read_bank
from bot.bank.loader import load_bank
from bot.cli.common import migrated_sessions
from bot.servers import (
    ServerProcess,
    ServerSettings,
    rest_headers,
    rest_url,
    start_action_server,
    start_rasa_server,
)
from tests.conftest import ADMIN_PG_URL, PROJECT

STARTUP_TIMEOUT = 300
#: Token of the Rasa HTTP API in the multi-server stack (the API is off in the other).
API_TOKEN = secrets.token_urlsafe(16)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    """A running action server and one or more Rasa servers on one database."""

    settings: ServerSettings
    sessions: sessionmaker[Session]
    actions: ServerProcess
    rasa: list[ServerProcess] = field(default_factory=list)
    rasa_settings: list[ServerSettings] = field(default_factory=list)

    def send(self, sender: str, message: str, server: int = 0) -> list[dict]:
        """Send one message on the REST channel of Rasa server ``server``; return the replies."""
        body = json.dumps({"sender": sender, "message": message}).encode()
        settings = self.rasa_settings[server]
        request = urllib.request.Request(rest_url(settings), data=body, headers=rest_headers(settings))
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read() or b"[]")

    def texts(self, sender: str, message: str, server: int = 0) -> list[str]:
        """Like :meth:`send`, but only the reply texts."""
        return [reply.get("text", "") for reply in self.send(sender, message, server)]

    def restart_rasa(self, server: int = 0) -> None:
        """Stop Rasa server ``server`` and start it again on the same stores."""
        self.rasa[server].stop()
        self.rasa[server] = start_rasa_server(self.rasa_settings[server])
        self.rasa[server].wait_ready(STARTUP_TIMEOUT)

    def stop(self) -> None:
        """Stop every server."""
        for server in [*self.rasa, self.actions]:
            server.stop()


def _start(settings: ServerSettings, rasa_count: int, database_url: str) -> Stack:
    sessions = migrated_sessions(database_url)
    with sessions.begin() as session:
        load_bank(session, read_bank(PROJECT / "data" / "bank"))
    actions = start_action_server(settings)
    stack = Stack(settings=settings, sessions=sessions, actions=actions)
    try:
        actions.wait_ready(STARTUP_TIMEOUT)
        for _ in range(rasa_count):
            own = ServerSettings(**{**settings.__dict__, "rasa_port": free_port()})
            stack.rasa_settings.append(own)
            stack.rasa.append(start_rasa_server(own))
        for server in stack.rasa:
            server.wait_ready(STARTUP_TIMEOUT)
    except Exception:
        stack.stop()
        raise
    return stack


def sqlite_settings(root: Path, model: Path, **extra_env: str) -> ServerSettings:
    """Settings of a stack on SQLite files under ``root``, on free loopback ports.

    ``database_url`` is the screener database in ``root``; ``extra_env`` is
    added to the servers' environment.
    """
    return ServerSettings(
        rasa_port=free_port(),
        action_port=free_port(),
        web_port=free_port(),
        model=model,
        database_url=f"sqlite:///{root / 'screener.db'}",
        tracker_db=root / "trackers.db",
        log_dir=root / "logs",
        extra_env={"SCREENER_WARM": "1", **extra_env},
    )


@pytest.fixture(scope="module")
def sqlite_stack(rasa_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The embedded default: SQLite for the screener and for Rasa's trackers."""
    settings = sqlite_settings(tmp_path_factory.mktemp("stack"), rasa_model)
    stack = _start(settings, 1, settings.database_url)
    yield stack
    stack.stop()


@pytest.fixture(scope="module")
def postgres_stack(rasa_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The scaled setup: PostgreSQL for both stores, a Redis lock store, two Rasa servers."""
    root = tmp_path_factory.mktemp("pgstack")
    suffix = secrets.token_hex(4)
    admin = create_engine(ADMIN_PG_URL, isolation_level="AUTOCOMMIT")
    names = [f"screener_e2e_{suffix}", f"rasa_trackers_{suffix}"]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = ADMIN_PG_URL.rsplit("/", 1)[0]
    database_url = f"{base}/{names[0]}"
    settings = ServerSettings(
        rasa_port=free_port(),
        action_port=free_port(),
        model=rasa_model,
        database_url=database_url,
        endpoints=PROJECT / "endpoints.postgres.yml",
        log_dir=root / "logs",
        extra_env={
            "SCREENER_WARM": "1",
            "RASA_PG_HOST": os.environ.get("RASA_PG_HOST", "127.0.0.1"),
            "RASA_PG_PORT": "5432",
            "RASA_PG_DB": names[1],
            "RASA_PG_USER": "postgres",
            "RASA_PG_PASSWORD": "",
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": "6379",
            "REDIS_DB": "3",
            "RASA_AUTH_TOKEN": API_TOKEN,
        },
    )
    stack = _start(settings, 2, database_url)
    yield stack
    stack.stop()
    stack.sessions.kw["bind"].dispose()
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
