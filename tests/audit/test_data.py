"""The bias audit's selection read from the database (:mod:`bot.audit.data`), and erasure, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.audit.data import AuditFilters, audit_records
from bot.audit.impact import compute_audit
from bot.audit.selfid import eligible_candidate, save_answer
from bot.db.models import Decision, InterviewStatus, Recruiter, SelfIdentification
from bot.privacy.erase import erase_candidate
from bot.privacy.locations import DataLocations
from bot.results import load_results
from tests.web.factory import make_interview

NOV = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DEC = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def _recruiter(session: Session) -> int:
    recruiter = Recruiter(email="r@example.org", name="R", password_hash="-", role="admin")
    session.add(recruiter)
    session.flush()
    return recruiter.id


def test_one_record_per_candidate_with_fit_decision_and_answer(loaded: sessionmaker[Session]) -> None:
    with loaded.begin() as session:
        rid = _recruiter(session)
        first = make_interview(session, started=NOV, rating_seed=0)
        # The same candidate again, later: this newer interview counts.
        again = make_interview(session, started=DEC, rating_seed=2)
        again.candidate = first.candidate
        other = make_interview(session, started=NOV, rating_seed=1, name=None)
        make_interview(session, status=InterviewStatus.IN_PROGRESS, started=NOV)  # not finished: left out
        session.flush()
        session.add_all(
            [
                Decision(interview_id=again.id, recruiter_id=rid, decision="reject", at=DEC),
                Decision(interview_id=again.id, recruiter_id=rid, decision="advance", at=DEC),
            ]
        )
        save_answer(session, first.candidate_id, "female", "asian")
        ids = (again.id, other.id)
    with loaded() as session:
        fits = {i: r.fit for i, r in load_results(session, list(ids)).items()}
        records = audit_records(session, AuditFilters())
    assert len(records) == 2
    by_fit = {r.fit: r for r in records}
    mine = by_fit[fits[ids[0]]]
    assert (mine.sex, mine.race_ethnicity, mine.decided, mine.advanced) == ("female", "asian", True, True)
    theirs = by_fit[fits[ids[1]]]
    assert (theirs.sex, theirs.race_ethnicity, theirs.decided) == (None, None, False)


def test_filters_by_date_and_role(loaded: sessionmaker[Session]) -> None:
    with loaded.begin() as session:
        make_interview(session, started=NOV)
        make_interview(session, started=DEC)
    with loaded() as session:
        assert len(audit_records(session, AuditFilters())) == 2
        assert len(audit_records(session, AuditFilters(started_from=DEC))) == 1
        assert len(audit_records(session, AuditFilters(started_to=DEC))) == 1
        assert audit_records(session, AuditFilters(role="no-such-role")) == []
        assert len(audit_records(session, AuditFilters(role="cashier"))) == 2
        assert compute_audit(audit_records(session, AuditFilters())).groups[0].unknown == 2


def test_the_form_is_offered_only_after_the_interview(loaded: sessionmaker[Session]) -> None:
    with loaded.begin() as session:
        done = make_interview(session)
        open_ = make_interview(session, status=InterviewStatus.IN_PROGRESS)
        withdrawn = make_interview(session, status=InterviewStatus.WITHDRAWN)
        conversations = [i.candidate.conversation_id for i in (done, open_, withdrawn)]
        expected = [done.candidate_id, None, withdrawn.candidate_id]
    with loaded() as session:
        assert [eligible_candidate(session, c) for c in conversations] == expected
        assert eligible_candidate(session, "nobody") is None


def test_a_second_answer_replaces_the_first(loaded: sessionmaker[Session]) -> None:
    with loaded.begin() as session:
        candidate_id = make_interview(session).candidate_id
        assert save_answer(session, candidate_id, "male", "white") is False
    with loaded.begin() as session:
        assert save_answer(session, candidate_id, "decline", "two_or_more") is True
    with loaded() as session:
        rows = session.execute(select(SelfIdentification.sex, SelfIdentification.race_ethnicity)).all()
    assert [tuple(r) for r in rows] == [("decline", "two_or_more")]


def test_erasure_deletes_the_self_identification(loaded: sessionmaker[Session], tmp_path: Path) -> None:
    with loaded.begin() as session:
        mine = make_interview(session).candidate_id
        other = make_interview(session).candidate_id
        save_answer(session, mine, "female", "black")
        save_answer(session, other, "male", "white")
    locations = DataLocations(tracker_url=None, slack_redis_url=None, slack_sqlite=tmp_path / "slack.sqlite3")
    report = erase_candidate(loaded, mine, "asked by the candidate", locations=locations)
    assert report.self_identification == 1
    with loaded() as session:
        assert session.scalar(select(func.count()).select_from(SelfIdentification)) == 1
        assert session.scalar(select(SelfIdentification.candidate_id)) == other
        audit = compute_audit(audit_records(session, AuditFilters()))
    # The erased candidate's interview still counts, in no category.
    assert audit.candidates == 2 and audit.groups[0].unknown == 1
