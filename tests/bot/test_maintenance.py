"""Tests for :mod:`bot.maintenance`: abandoning idle interviews."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.models import Interview, InterviewEvent
from bot.interview import InterviewService
from bot.maintenance import mark_abandoned

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _open(service: InterviewService, conversation: str) -> int:
    interview_id = service.record_consent(conversation, "rest", True)
    service.start(conversation, "cashier")
    return interview_id


def _touch(sessions, interview_id: int, when: datetime) -> None:
    with sessions.begin() as session:
        session.get(Interview, interview_id).updated_at = when


def test_only_idle_open_interviews_are_abandoned(service: InterviewService, loaded) -> None:
    idle = _open(service, "idle")
    fresh = _open(service, "fresh")
    paused = _open(service, "paused")
    service.request_handoff("paused")
    done = _open(service, "done")
    service.complete("done")
    for interview_id in (idle, paused, done):
        _touch(loaded, interview_id, T0 - timedelta(days=20))
    _touch(loaded, fresh, T0 - timedelta(days=3))

    assert mark_abandoned(loaded, days=14, now=T0) == [idle, paused]

    with loaded() as session:
        statuses = {i.id: i.status for i in session.scalars(select(Interview))}
        events = session.scalars(select(InterviewEvent).where(InterviewEvent.kind == "abandoned")).all()
        assert session.get(Interview, idle).finished_at == T0
    assert statuses == {idle: "abandoned", fresh: "in_progress", paused: "abandoned", done: "completed"}
    assert sorted(e.interview_id for e in events) == [idle, paused]
    assert service.open_interview_id("idle") is None
    assert mark_abandoned(loaded, days=14, now=T0) == []


def test_days_must_be_positive(loaded) -> None:
    with pytest.raises(ValueError):
        mark_abandoned(loaded, days=0)
