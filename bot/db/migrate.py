"""Bring a database to the newest schema with Alembic."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from bot.config import PROJECT_DIR


def alembic_config() -> Config:
    """The project's Alembic configuration (``alembic.ini``)."""
    return Config(str(PROJECT_DIR / "alembic.ini"))


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run every migration up to ``revision`` on ``engine``'s database.

    Idempotent: an up-to-date database is left as it is.
    """
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
