"""A conversation in Rasa's SQL tracker store: read it, delete it.

Rasa's ``SQLTrackerStore`` keeps one row per event in its table ``events``
(``id``, ``sender_id``, ``type_name``, ``timestamp`` in seconds since the
epoch, ``intent_name``, ``action_name``, ``data``: the event as JSON, a
user's message text included). The sender id is the conversation id the
screener database keeps in :attr:`bot.db.models.Candidate.conversation_id`.

The table is reached with SQL of our own (Rasa runs in another environment);
a store whose table does not exist yet holds nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    inspect,
    select,
)

_metadata = MetaData()
#: Rasa's table, as far as we read and delete it.
EVENTS = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def _engine(url: str) -> Engine | None:
    """An engine on the store, or None when there is no store yet (no file, no table).

    Not :func:`bot.db.create_engine_for`: that one switches SQLite files to
    WAL journaling, and the tracker file is Rasa's to configure.
    """
    sqlite = url.startswith("sqlite")
    if sqlite and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    engine = create_engine(url, hide_parameters=True, connect_args={"timeout": 30} if sqlite else {})
    if not inspect(engine).has_table("events"):
        engine.dispose()
        return None
    return engine


def tracker_events(url: str, sender_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The events Rasa keeps for ``sender_ids``, oldest first.

    Args:
        url: SQLAlchemy URL of the tracker store
            (:attr:`bot.privacy.locations.DataLocations.tracker_url`).
        sender_ids: Conversation ids.

    Returns:
        One dict per event: ``sender_id``, ``type`` (Rasa's event name, e.g.
        ``user``, ``bot``, ``slot``), ``timestamp`` (seconds since the epoch),
        ``intent``, ``action``, ``text`` (the message of a ``user`` or ``bot``
        event, else None) and ``data`` (the whole event as Rasa stored it).

    Raises:
        sqlalchemy.exc.SQLAlchemyError: The store cannot be read.
    """
    if not sender_ids:
        return []
    engine = _engine(url)
    if engine is None:
        return []
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(EVENTS).where(EVENTS.c.sender_id.in_(list(sender_ids))).order_by(EVENTS.c.id)
            ).all()
    finally:
        engine.dispose()
    result = []
    for row in rows:
        try:
            data = json.loads(row.data) if row.data else {}
        except ValueError:
            data = {"unparsed": row.data}
        result.append(
            {
                "sender_id": row.sender_id,
                "type": row.type_name,
                "timestamp": row.timestamp,
                "intent": row.intent_name,
                "action": row.action_name,
                "text": data.get("text") if row.type_name in ("user", "bot") else None,
                "data": data,
            }
        )
    return result


def delete_tracker_events(url: str, sender_ids: Sequence[str]) -> int:
    """Delete every event of ``sender_ids`` from the tracker store.

    Args:
        url: SQLAlchemy URL of the tracker store.
        sender_ids: Conversation ids.

    Returns:
        The number of rows deleted.

    Raises:
        sqlalchemy.exc.SQLAlchemyError: The store cannot be written.
    """
    if not sender_ids:
        return 0
    engine = _engine(url)
    if engine is None:
        return 0
    try:
        with engine.begin() as conn:
            return conn.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(list(sender_ids)))).rowcount or 0
    finally:
        engine.dispose()
