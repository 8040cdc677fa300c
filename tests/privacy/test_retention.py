"""Tests for :mod:`bot.privacy.retention` (SQLite and PostgreSQL) and ``python -m bot retention``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import AuditEntry, Candidate, Decision, InterviewStatus, Recruiter
from bot.privacy.locations import DataLocations
from bot.privacy.retention import RetentionPolicy, apply_retention, due_candidates
from tests.web.factory import make_interview

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def people(loaded: sessionmaker[Session]) -> dict[str, int]:
    """Candidates whose interviews ended at various times; one advanced, one erased already."""
    with loaded.begin() as session:
        recruiter = Recruiter(email="r@example.org", name="R", password_hash="-", role="recruiter")
        session.add(recruiter)
        session.flush()

        def made(days_ago: float, decision: str | None = None, status: str = InterviewStatus.COMPLETED) -> int:
            interview = make_interview(session, started=NOW - timedelta(days=days_ago, minutes=12), status=status)
            if status != InterviewStatus.COMPLETED:
                interview.updated_at = NOW - timedelta(days=days_ago)
            session.flush()
            if decision:
                session.add(Decision(interview_id=interview.id, recruiter_id=recruiter.id, decision=decision, at=NOW))
            session.flush()
            return interview.candidate_id

        ids = {
            "recent": made(100),
            "old": made(200),
            "old_rejected": made(200, "reject"),
            "old_advanced": made(200, "advance"),
            "very_old_advanced": made(400, "advance"),
            "old_open": made(250, status=InterviewStatus.IN_PROGRESS),
            "advanced_then_held": made(200, "advance"),
        }
        session.add(
            Decision(
                interview_id=session.scalars(select(Candidate).where(Candidate.id == ids["advanced_then_held"]))
                .one()
                .interviews[0]
                .id,
                recruiter_id=recruiter.id,
                decision="hold",
                at=NOW,
            )
        )
        never = Candidate(
            conversation_id="inv-x", channel="web", display_name="N", created_at=NOW - timedelta(days=300)
        )
        erased = Candidate(conversation_id="erased:abc", channel="web", created_at=NOW - timedelta(days=900))
        session.add_all([never, erased])
        session.flush()
        ids["never_interviewed"] = never.id
        return ids


def test_who_is_due(loaded: sessionmaker[Session], people: dict[str, int]) -> None:
    with loaded() as session:
        due = {d.candidate_id: d for d in due_candidates(session, RetentionPolicy(), NOW)}
    names = {v: k for k, v in people.items()}
    assert sorted(names[i] for i in due) == sorted(
        ["old", "old_rejected", "very_old_advanced", "old_open", "advanced_then_held", "never_interviewed"]
    )
    assert due[people["very_old_advanced"]].advanced and due[people["very_old_advanced"]].kept_days == 365
    assert not due[people["old"]].advanced and due[people["old"]].kept_days == 180
    assert abs((NOW - due[people["old"]].ended_at) - timedelta(days=200)) < timedelta(seconds=1)


def test_retention_erases_and_a_dry_run_does_not(
    loaded: sessionmaker[Session], people: dict[str, int], tmp_path: Path
) -> None:
    locations = DataLocations(tracker_url=None, slack_redis_url=None, slack_sqlite=tmp_path / "s.sqlite3")
    dry = apply_retention(loaded, RetentionPolicy(), dry_run=True, now=NOW, locations=locations)
    assert len(dry) == 6 and all(report is None for _, report in dry)
    with loaded() as session:
        assert session.get(Candidate, people["old"]).display_name is not None
    done = apply_retention(loaded, RetentionPolicy(), now=NOW, locations=locations)
    assert [item.candidate_id for item, _ in done] == [item.candidate_id for item, _ in dry]
    assert all(report is not None and not report.already_erased for _, report in done)
    with loaded() as session:
        assert session.get(Candidate, people["old"]).display_name is None
        assert session.get(Candidate, people["recent"]).display_name is not None
        assert session.get(Candidate, people["old_advanced"]).display_name is not None
        tombstones = session.scalars(select(AuditEntry).where(AuditEntry.action == "erase_candidate")).all()
    assert len(tombstones) == 6 and all(t.detail["operator"] == "retention" for t in tombstones)
    assert any("(advanced)" in t.detail["reason"] for t in tombstones)
    assert apply_retention(loaded, RetentionPolicy(), now=NOW, locations=locations) == []


def test_policy_checks_and_environment() -> None:
    assert RetentionPolicy.from_env({}) == RetentionPolicy(180, 365)
    assert RetentionPolicy.from_env({"RETENTION_DAYS": "400"}) == RetentionPolicy(400, 400)
    assert RetentionPolicy.from_env({"RETENTION_DAYS": "30", "RETENTION_ADVANCED_DAYS": "90"}) == RetentionPolicy(
        30, 90
    )
    with pytest.raises(ValueError):
        RetentionPolicy(0, 10)
    with pytest.raises(ValueError):
        RetentionPolicy(100, 50)
