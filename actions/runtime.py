"""The service the actions share: one per action-server process."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from typing import Any, TypeVar

from rasa_sdk import Tracker

from bot.db import create_engine_for, make_session_factory
from bot.interview import InterviewService

log = logging.getLogger(__name__)
T = TypeVar("T")


_service: InterviewService | None = None


def service() -> InterviewService:
    """The process's :class:`InterviewService`, built on first use.

    Uses the database of ``DATABASE_URL`` and loads the scorer (and its
    embedding model) once.
    """
    global _service
    if _service is None:
        from bot.scoring import Scorer

        engine = create_engine_for()
        _service = InterviewService(make_session_factory(engine), scorer=Scorer())
    return _service


def use_service(svc: InterviewService | None) -> None:
    """Make the actions use ``svc`` (None: build the default on next use)."""
    global _service
    _service = svc


async def call(method: Callable[..., T], *args: Any) -> T:
    """Run a blocking service method in a worker thread."""
    return await asyncio.to_thread(method, *args)


if os.environ.get("SCREENER_WARM") == "1":
    # Load the database engine and the embedding model at start-up rather
    # than on the first candidate's first answer.
    service()


def channel_of(tracker: Tracker) -> str:
    """The name of the input channel the candidate writes on (e.g. ``rest``)."""
    return tracker.get_latest_input_channel() or "unknown"
