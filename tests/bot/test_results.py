"""Tests for :mod:`bot.results`: an interview's results from its rows (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from bot.bank import Bank
from bot.bank.files import FAMILIES
from bot.db.models import Answer, Question, RatingOverride, Recruiter, RubricVersion, Score
from bot.interview import InterviewService
from bot.results import InterviewResults, interview_results, load_results

CID = "conv-results"


def _begin(service: InterviewService, conversation_id: str, role: str) -> int:
    interview_id = service.record_consent(conversation_id, "web", True)
    service.start(conversation_id, role)
    return interview_id


def _score(
    session: Session,
    answer: Answer,
    competency: str,
    rating: int | None,
    rubric_id: int | None = None,
    scorer_version: str = "test",
) -> Score:
    score = Score(
        answer=answer,
        competency_id=competency,
        rating=rating,
        evidence=[],
        flags=[],
        rubric_version_id=rubric_id or answer.question.current_rubric.id,
        scorer_version=scorer_version,
    )
    session.add(score)
    session.flush()
    return score


def _override(session: Session, score: Score, rating: int | None) -> None:
    recruiter = session.scalars(select(Recruiter)).first()
    if recruiter is None:
        recruiter = Recruiter(email="r@example.org", name="R", password_hash="x")
        session.add(recruiter)
        session.flush()
    session.add(
        RatingOverride(
            score_id=score.id,
            interview_id=score.answer.interview_id,
            recruiter_id=recruiter.id,
            original_rating=score.rating,
            rating=rating,
            reason="read the answer",
        )
    )
    session.flush()


@contextmanager
def _counting_selects(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = session.get_bind()

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def scored(loaded: sessionmaker[Session]) -> dict[str, object]:
    """An accountant interview: three answers (one probed), one skipped question, hand-made scores.

    Answer 1 rates competency A 2 under the current rubric, then 4 under a
    newer rubric version (4 counts); answer 2 rates A 3 and then 5 under the
    same rubric (the higher id, 5, counts), and B 2, overridden to 5, then to
    insufficient evidence (counts as 1); answer 3 rates C as insufficient
    evidence (1).
    """
    service = InterviewService(loaded, scorer=None)
    interview_id = _begin(service, CID, "accountant")
    for _ in range(3):
        service.submit_answer(CID, "an answer")
    service.skip(CID)
    with loaded.begin() as session:
        answers = session.scalars(
            select(Answer).where(Answer.interview_id == interview_id).order_by(Answer.position)
        ).all()
        questions = [session.get(Question, a.question_id) for a in answers[:3]]
        a, b, c = (q.primary_competency_id for q in questions)
        answers[0].follow_up_asked_at = answers[0].answered_at
        current = questions[0].current_rubric
        newer = RubricVersion(
            question_id=questions[0].id, version=current.version + 1, content_hash="f" * 64, rubric={}
        )
        session.add(newer)
        session.flush()
        _score(session, answers[0], a, 4, rubric_id=newer.id)  # newer rubric: wins though its id is lower
        _score(session, answers[0], a, 2)
        _score(session, answers[1], a, 3)
        _score(session, answers[1], a, 5, scorer_version="test-rescored")
        overridden = _score(session, answers[1], b, 2)
        _override(session, overridden, 5)
        _override(session, overridden, None)
        _score(session, answers[2], c, None)
    return {"id": interview_id, "competencies": (a, b, c)}


def test_results_follow_the_rules_by_hand(loaded, scored, bank: Bank) -> None:
    a, b, c = scored["competencies"]
    assert len({a, b, c}) == 3
    expected = {a: (4 + 5) / 2, b: 1.0, c: 1.0}
    weights = bank.roles["accountant"].weights
    fit = sum(weights[k] * v for k, v in expected.items()) / sum(weights[k] for k in expected)
    families = {}
    for family in FAMILIES:
        values = [v for k, v in expected.items() if bank.competencies[k].family == family]
        families[family] = sum(values) / len(values) if values else None

    with loaded() as session:
        results = interview_results(session, scored["id"])
    assert results is not None
    assert results.ratings == pytest.approx(expected)
    assert results.fit == pytest.approx(fit)
    assert set(results.families) == set(FAMILIES)
    for family in FAMILIES:
        assert results.families[family] == (pytest.approx(families[family]) if families[family] is not None else None)
    assert (results.front_office, results.back_office) == (
        results.families["front_office"],
        results.families["back_office"],
    )
    assert (results.answered, results.skipped, results.probed) == (3, 1, 1)


def test_an_override_beats_the_scorer_and_is_marked(loaded, scored) -> None:
    _, b, _ = scored["competencies"]
    with loaded() as session:
        effective = interview_results(session, scored["id"])
        scorer_only = interview_results(session, scored["id"], with_overrides=False)
    assert effective is not None and scorer_only is not None
    [rated] = [r for r in effective.answer_ratings if r.competency_id == b]
    assert (rated.source, rated.scorer_rating, rated.rating) == ("override", 2, None)
    assert effective.ratings[b] == 1.0  # the newest override: insufficient evidence
    assert effective.rating_of(rated.score_id) == rated
    [own] = [r for r in scorer_only.answer_ratings if r.competency_id == b]
    assert (own.source, own.rating) == ("scorer", 2)
    assert scorer_only.ratings[b] == 2.0
    assert {r.source for r in effective.answer_ratings if r.competency_id != b} == {"scorer"}


def test_the_newest_score_wins(loaded, scored) -> None:
    a, _, _ = scored["competencies"]
    with loaded() as session:
        results = interview_results(session, scored["id"])
        newest = {r.answer_id: r.rating for r in results.answer_ratings if r.competency_id == a}
    assert sorted(newest.values()) == [4, 5]  # newer rubric beats lower id; then higher id wins
    assert len(results.answer_ratings) == 4


def test_insufficient_evidence_counts_as_one(loaded, scored) -> None:
    _, _, c = scored["competencies"]
    with loaded() as session:
        results = interview_results(session, scored["id"])
    [rated] = [r for r in results.answer_ratings if r.competency_id == c]
    assert rated.rating is None and results.ratings[c] == 1.0


def test_many_interviews_are_read_with_one_query(loaded, scored) -> None:
    service = InterviewService(loaded, scorer=None)
    other = _begin(service, "conv-other", "cashier")
    declined = service.record_consent("conv-no", "web", False)
    with loaded() as session, _counting_selects(session) as statements:
        results = load_results(session, [scored["id"], other, declined, 999_999])
    assert len(statements) == 1
    assert set(results) == {scored["id"], other, declined}
    assert results[other] == InterviewResults(interview_id=other)
    assert results[declined].fit is None and results[declined].ratings == {}
    assert results[scored["id"]].answered == 3


def test_unknown_interview_and_empty_list(loaded) -> None:
    with loaded() as session:
        assert interview_results(session, 999_999) is None
        assert load_results(session, []) == {}


def test_profile_dict_is_the_exported_shape() -> None:
    results = InterviewResults(interview_id=1, ratings={"x": 2.0}, fit=2.0)
    assert results.profile_dict() == {"ratings": {"x": 2.0}, "fit": 2.0, "front_office": None, "back_office": None}
