"""The screener database: SQLAlchemy 2 models, engine and sessions."""

from bot.db.base import Base
from bot.db.session import create_engine_for, make_session_factory

__all__ = ["Base", "create_engine_for", "make_session_factory"]
