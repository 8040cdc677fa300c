"""Engines and session factories."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from bot.config import database_url


def create_engine_for(url: str | None = None) -> Engine:
    """Create an engine for ``url`` (default: :func:`bot.config.database_url`).

    SQLite gets foreign keys switched on, WAL journaling and a busy timeout, so
    the action server and the command line can share the file. Statement
    parameters (answer texts among them) are kept out of error messages and
    logs (``hide_parameters``).
    """
    url = url or database_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine``; objects stay usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
