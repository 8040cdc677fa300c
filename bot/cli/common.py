"""Helpers shared by the subcommands."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.db import create_engine_for, make_session_factory
from bot.db.migrate import upgrade


def migrated_sessions(url: str | None = None) -> sessionmaker[Session]:
    """A session factory on a database brought to the newest schema."""
    engine = create_engine_for(url)
    upgrade(engine)
    return make_session_factory(engine)
