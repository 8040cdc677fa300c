"""Tests for :mod:`bot.privacy.erase` on SQLite and PostgreSQL: nothing the candidate wrote remains.

After the erasure the phrase the candidate wrote is in no column of any table
(every table is dumped as text), in no row of the tracker store, and in no
byte of the SQLite files; the other candidate keeps everything; the audit log
has a tombstone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.db.base import Base
from bot.db.models import Answer, AuditEntry, Candidate, Decision, Interview, InterviewEvent, Score
from bot.privacy.erase import CandidateNotFound, erase_candidate
from bot.privacy.export import candidate_export
from bot.privacy.locations import DataLocations
from bot.privacy.sqlite_files import sqlite_path
from bot.privacy.tracker import tracker_events
from tests.privacy.conftest import OTHER_PHRASE, PHRASE, Written


def database_text(sessions: sessionmaker[Session]) -> str:
    """Every row of every table of the screener database, as one string."""
    parts = []
    with sessions() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                parts.append(json.dumps([str(v) for v in row], ensure_ascii=False))
    return "\n".join(parts)


def file_bytes(*paths: Path) -> bytes:
    """The bytes of each file and of its ``-wal``, ``-journal`` and ``-shm`` siblings that exist."""
    data = b""
    for path in paths:
        for suffix in ("", "-wal", "-journal", "-shm"):
            sibling = path.with_name(path.name + suffix)
            if sibling.exists():
                data += sibling.read_bytes()
    return data


def test_erasure_removes_every_text_and_identity(
    loaded: sessionmaker[Session], full_candidate: Written, locations: DataLocations
) -> None:
    assert PHRASE in database_text(loaded) and "Zelda Quokka" in database_text(loaded)
    report = erase_candidate(
        loaded,
        full_candidate.candidate_id,
        "request of 2026-06-01",
        recruiter_id=full_candidate.recruiter_id,
        locations=locations,
    )
    assert report.interview_ids == [full_candidate.interview_id]
    assert (report.answers, report.scores, report.messages, report.invitations, report.notes) == (3, 6, 2, 1, 1)
    assert (report.decision_comments, report.override_reasons, report.tracker_events) == (1, 1, 2)

    dump = database_text(loaded)
    assert PHRASE not in dump and "Zelda Quokka" not in dump
    assert full_candidate.conversation_id not in dump
    assert OTHER_PHRASE in dump and "Otto Other" in dump
    assert tracker_events(locations.tracker_url, [full_candidate.conversation_id]) == []
    assert len(tracker_events(locations.tracker_url, [full_candidate.other_conversation_id])) == 2

    files = [p for p in (sqlite_path(str(loaded.kw["bind"].url)), sqlite_path(locations.tracker_url)) if p]
    assert sqlite_path(locations.tracker_url).name in report.scrubbed_files
    raw = file_bytes(*files)
    assert PHRASE.encode() not in raw and b"Zelda Quokka" not in raw
    assert OTHER_PHRASE.encode() in raw

    with loaded() as session:
        candidate = session.get(Candidate, full_candidate.candidate_id)
        assert candidate.display_name is None and candidate.conversation_id.startswith("erased:")
        interview = session.get(Interview, full_candidate.interview_id)
        assert interview.status == "completed" and interview.role_id == "cashier"  # counts stay
        answers = session.scalars(select(Answer).where(Answer.interview_id == interview.id)).all()
        assert [a.status for a in answers] == ["answered"] * 3
        assert all(a.text is None and a.follow_up_text is None for a in answers)
        scores = session.scalars(select(Score).join(Answer).where(Answer.interview_id == interview.id)).all()
        assert all(s.evidence == [] for s in scores) and all(s.rating for s in scores)
        decision = session.scalars(select(Decision).where(Decision.interview_id == interview.id)).one()
        assert decision.decision == "advance" and decision.comment is None
        kinds = session.scalars(select(InterviewEvent.kind).where(InterviewEvent.interview_id == interview.id)).all()
        assert kinds[-1] == "erased"
        [tombstone] = session.scalars(select(AuditEntry).where(AuditEntry.action == "erase_candidate")).all()
        assert tombstone.recruiter_id == full_candidate.recruiter_id
        assert tombstone.detail["candidate_id"] == full_candidate.candidate_id
        assert tombstone.detail["reason"] == "request of 2026-06-01"
        assert tombstone.detail["interviews"] == [full_candidate.interview_id]
        assert tombstone.detail["removed"]["answers"] == 3
        data = candidate_export(session, full_candidate.candidate_id, locations.tracker_url)
    assert data["candidate"]["erased"] is True and data["messages"] == [] and data["invitations"] == []
    assert "erase_candidate" in {e["action"] for e in data["audit"]}


def test_postgresql_rows_are_gone(loaded: sessionmaker[Session], full_candidate: Written, locations) -> None:
    """On either backend no query finds the phrase (on PostgreSQL autovacuum reclaims the pages)."""
    erase_candidate(loaded, full_candidate.candidate_id, "request", locations=locations)
    like = f"%{PHRASE}%"
    with loaded() as session:
        for table, column in (
            ("answers", "text"),
            ("answers", "follow_up_text"),
            ("web_messages", "text"),
            ("notes", "text"),
            ("decisions", "comment"),
            ("rating_overrides", "reason"),
        ):
            found = session.execute(text(f"SELECT count(*) FROM {table} WHERE {column} LIKE :p"), {"p": like})
            assert found.scalar() == 0, table
        evidence = session.execute(text("SELECT evidence FROM scores")).scalars().all()
        assert not any(PHRASE in json.dumps(e) for e in evidence)


def test_a_second_erasure_does_nothing(loaded, full_candidate: Written, locations) -> None:
    first = erase_candidate(loaded, full_candidate.candidate_id, "request", locations=locations)
    again = erase_candidate(loaded, full_candidate.candidate_id, "request", locations=locations)
    assert again.already_erased and again.interview_ids == [full_candidate.interview_id]
    assert again.scrubbed_files == first.scrubbed_files  # a failed file rewrite is finished by running it again
    with loaded() as session:
        assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "erase_candidate")).all()) == 1


def test_a_reason_is_required_and_the_candidate_must_exist(loaded, full_candidate: Written, locations) -> None:
    with pytest.raises(ValueError):
        erase_candidate(loaded, full_candidate.candidate_id, "  ", locations=locations)
    with pytest.raises(ValueError):
        erase_candidate(loaded, full_candidate.candidate_id, "x" * 501, locations=locations)
    with pytest.raises(CandidateNotFound):
        erase_candidate(loaded, 987654, "request", locations=locations)
    assert PHRASE in database_text(loaded)
