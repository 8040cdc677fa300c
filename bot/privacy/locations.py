"""Where a candidate's data lives outside the screener database.

Rasa keeps every conversation in its tracker store, configured in the
endpoints file the Rasa server runs with (``endpoints.yml``: a SQLite file at
``RASA_TRACKER_DB``; ``endpoints.postgres.yml``: PostgreSQL from
``RASA_PG_*``). The Slack channel keeps which thread belongs to which person
and which events it handled (:func:`bot.channels.slackutil.state_store`:
Redis with ``REDIS_URL`` or ``REDIS_HOST``, else a SQLite file).

:func:`data_locations` reads both the way the servers do, from the same
environment (:class:`bot.servers.ServerSettings` passes ``RASA_ENDPOINTS``
and ``RASA_TRACKER_DB`` to every server it starts).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import URL, make_url

from bot.config import PROJECT_DIR, VAR_DIR

#: ``${NAME}`` in an endpoints file, filled from the environment as Rasa does.
_ENV_REFERENCE = re.compile(r"\$\{([^}]+)\}")


class LocationError(ValueError):
    """The endpoints file names a store this module cannot reach."""


@dataclass(frozen=True)
class DataLocations:
    """Where the stores outside the screener database are.

    Attributes:
        tracker_url: SQLAlchemy URL of Rasa's SQL tracker store (its table
            ``events``), or None when Rasa keeps trackers in memory only.
        slack_redis_url: Redis URL of the Slack channel's state, or None.
        slack_sqlite: SQLite file of the Slack channel's state (used when
            ``slack_redis_url`` is None; it may not exist).
    """

    tracker_url: str | None
    slack_redis_url: str | None
    slack_sqlite: Path


def _expand(value: Any, env: Mapping[str, str]) -> Any:
    if not isinstance(value, str):
        return value

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise LocationError(f"the endpoints file refers to ${{{name}}}, which is not set")
        return env[name]

    return _ENV_REFERENCE.sub(replace, value)


def tracker_store_url(endpoints: Path, env: Mapping[str, str]) -> str | None:
    """The SQLAlchemy URL of the tracker store an endpoints file configures.

    Args:
        endpoints: A Rasa endpoints file.
        env: The environment its ``${...}`` references are read from.

    Returns:
        ``sqlite:///<absolute path>`` or ``postgresql+psycopg://...``; None
        when the file configures no tracker store (Rasa keeps them in memory).

    Raises:
        LocationError: The store is not SQL, its dialect is neither SQLite
            nor PostgreSQL, or a ``${...}`` it needs is not set.
        OSError: The file cannot be read.
    """
    config = yaml.safe_load(endpoints.read_text(encoding="utf-8")) or {}
    store = config.get("tracker_store")
    if not store:
        return None
    store = {key: _expand(value, env) for key, value in store.items()}
    if str(store.get("type", "")).lower() != "sql":
        raise LocationError(f"tracker store of type {store.get('type')!r}: only SQL tracker stores are supported")
    dialect = str(store.get("dialect") or "sqlite").lower()
    host = store.get("url") or store.get("host") or None
    if host and "://" in str(host):
        return str(make_url(str(host)).set(drivername="postgresql+psycopg")) if dialect.startswith("postgres") else host
    if dialect == "sqlite":
        path = Path(str(store.get("db") or "rasa.db"))
        return f"sqlite:///{path if path.is_absolute() else PROJECT_DIR / path}"
    if dialect.startswith("postgres"):
        port = store.get("port")
        url = URL.create(
            "postgresql+psycopg",
            username=store.get("username") or None,
            password=store.get("password") or None,
            host=str(host) if host else None,
            port=int(port) if port not in (None, "") else None,
            database=str(store.get("db") or "rasa"),
        )
        return url.render_as_string(hide_password=False)
    raise LocationError(f"tracker store dialect {dialect!r}: only sqlite and postgresql are supported")


def data_locations(env: Mapping[str, str] | None = None) -> DataLocations:
    """The stores outside the screener database, as the servers see them.

    Args:
        env: The environment (default ``os.environ``). ``RASA_ENDPOINTS``
            names the endpoints file (default ``endpoints.yml`` of the
            project); ``RASA_TRACKER_DB`` defaults to ``var/rasa_tracker.db``
            as in :class:`bot.servers.ServerSettings`.

    Raises:
        LocationError: See :func:`tracker_store_url`.
    """
    env = dict(os.environ if env is None else env)
    var_dir = Path(env.get("SCREENER_VAR_DIR") or VAR_DIR)
    env.setdefault("RASA_TRACKER_DB", str(var_dir / "rasa_tracker.db"))
    endpoints = Path(env.get("RASA_ENDPOINTS") or PROJECT_DIR / "endpoints.yml")
    redis_url = env.get("REDIS_URL") or None
    if not redis_url and env.get("REDIS_HOST"):
        redis_url = "redis://{}:{}/{}".format(
            env["REDIS_HOST"], env.get("REDIS_PORT") or 6379, env.get("REDIS_DB") or 0
        )
    return DataLocations(
        tracker_url=tracker_store_url(endpoints, env),
        slack_redis_url=redis_url,
        slack_sqlite=Path(env.get("SLACK_STATE_DB") or var_dir / "slack_state.sqlite3"),
    )
