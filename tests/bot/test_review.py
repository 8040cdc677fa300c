"""Tests for :mod:`bot.review`: interview lists, transcripts and competency profiles."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.bank.loader import load_bank
from bot.db import create_engine_for, make_session_factory
from bot.db.migrate import upgrade
from bot.db.models import Answer, Interview, Question, Score
from bot.interview import InterviewService
from bot.review import latest_scores, list_interviews, profile, transcript
from bot.scoring import SCORER_VERSION


def _begin(service: InterviewService, conversation_id: str, role: str) -> int:
    interview_id = service.record_consent(conversation_id, "web", True)
    service.start(conversation_id, role)
    return interview_id


@pytest.fixture
def three_interviews(loaded, scorer, ticking_clock, answer_question) -> dict[str, int]:
    """Interviews completed (cashier, 5 answered, 1 skipped), withdrawn (accountant, 1 answered), declined."""
    service = InterviewService(loaded, scorer=scorer, clock=ticking_clock)
    ids = {"completed": _begin(service, "conv-done", "cashier")}
    for _ in range(5):
        answer_question(service, "conv-done")
    service.skip("conv-done")
    service.complete("conv-done")
    ids["withdrawn"] = _begin(service, "conv-left", "accountant")
    answer_question(service, "conv-left")
    service.current_prompt("conv-left")
    service.withdraw("conv-left")
    ids["declined"] = service.record_consent("conv-no", "telegram", False)
    return ids


# -- list_interviews ------------------------------------------------------------------


def test_list_interviews_newest_first_with_answer_counts(loaded, three_interviews) -> None:
    with loaded() as session:
        rows = list_interviews(session)
    assert [r.id for r in rows] == [
        three_interviews["declined"],
        three_interviews["withdrawn"],
        three_interviews["completed"],
    ]
    by_status = {r.status: r for r in rows}
    done = by_status["completed"]
    assert (done.conversation_id, done.role_id, done.channel, done.answered, done.planned) == (
        "conv-done",
        "cashier",
        "web",
        5,
        6,
    )
    assert done.finished_at is not None
    left = by_status["withdrawn"]
    assert (left.role_id, left.answered, left.planned) == ("accountant", 1, 8)  # six questions, two work samples
    declined = by_status["declined"]
    assert (declined.role_id, declined.channel, declined.answered, declined.planned) == (
        None,
        "telegram",
        0,
        0,
    )


def test_list_interviews_filters(loaded, three_interviews) -> None:
    with loaded() as session:
        assert [r.id for r in list_interviews(session, status="withdrawn")] == [three_interviews["withdrawn"]]
        assert [r.id for r in list_interviews(session, role_id="cashier")] == [three_interviews["completed"]]
        assert list_interviews(session, status="completed", role_id="accountant") == []
        assert list_interviews(session, status="paused") == []
        assert [r.id for r in list_interviews(session, limit=1)] == [three_interviews["declined"]]
        assert [r.id for r in list_interviews(session, limit=1, offset=2)] == [three_interviews["completed"]]


def test_list_interviews_on_an_empty_database(loaded) -> None:
    with loaded() as session:
        assert list_interviews(session) == []


# -- transcript -----------------------------------------------------------------------


def test_transcript_of_a_completed_interview(loaded, three_interviews, bank) -> None:
    interview_id = three_interviews["completed"]
    with loaded() as session:
        data = transcript(session, interview_id)
        interview = session.get(Interview, interview_id)
        plan = list(interview.plan)
        stored = {a.position: (a.text, a.variant.text) for a in interview.answers}
    json.dumps(data)
    assert (data["id"], data["conversation_id"], data["role"], data["channel"]) == (
        interview_id,
        "conv-done",
        "cashier",
        "web",
    )
    assert (data["status"], data["consent"]) == ("completed", True)
    assert data["started_at"] and data["finished_at"]
    assert [a["position"] for a in data["answers"]] == [1, 2, 3, 4, 5, 6]
    assert [a["question_id"] for a in data["answers"]] == plan
    assert [a["status"] for a in data["answers"]] == ["answered"] * 5 + ["skipped"]
    for a in data["answers"][:5]:
        text, wording = stored[a["position"] - 1]
        assert a["answer"] == text and a["question"] == wording
        question = bank.questions[a["question_id"]]
        competencies = [s["competency"] for s in a["scores"]]
        assert competencies[0] == question.primary and question.secondary in competencies
        for s in a["scores"]:
            assert s["rating"] is None or 1 <= s["rating"] <= 5
            assert s["insufficient_evidence"] is (s["rating"] is None)
            assert (s["rubric_version"], s["scorer_version"]) == (1, SCORER_VERSION)
            assert isinstance(s["evidence"], list)
            for e in s["evidence"]:
                scored = a["answer"] if a["follow_up"] is None else a["answer"] + "\n" + a["follow_up"]
                assert scored[e["start"] : e["end"]] == e["text"]
    skipped = data["answers"][5]
    assert (skipped["answer"], skipped["scores"], skipped["probe"]) == (None, [], None)
    kinds = [e["kind"] for e in data["events"]]
    assert kinds[:2] == ["consent_given", "started"]
    assert kinds[-2:] == ["skipped", "completed"]
    assert data["events"][1]["detail"] == {"role": "cashier", "plan": plan}


def test_transcript_shows_the_probe_and_follow_up(loaded, scorer, bank, good_answers) -> None:
    service = InterviewService(loaded, scorer=scorer)
    interview_id = _begin(service, "conv-probe", "receptionist")
    question_id = service.current_prompt("conv-probe").question_id
    assert service.submit_answer("conv-probe", "idk").probed
    with loaded() as session:
        pending = transcript(session, interview_id)["answers"][0]
    assert (pending["status"], pending["probe"], pending["follow_up"]) == (
        "probing",
        bank.questions[question_id].probe,
        None,
    )
    service.submit_answer("conv-probe", good_answers[question_id])
    with loaded() as session:
        data = transcript(session, interview_id)
    first = data["answers"][0]
    assert (first["answer"], first["follow_up"], first["probe"]) == (
        "idk",
        good_answers[question_id],
        bank.questions[question_id].probe,
    )
    assert first["follow_up_at"] is not None and first["scores"]
    assert [e["kind"] for e in data["events"]] == ["consent_given", "started", "probe_asked"]


def test_transcript_of_a_declined_interview(loaded, three_interviews) -> None:
    with loaded() as session:
        data = transcript(session, three_interviews["declined"])
    assert (data["status"], data["consent"], data["role"], data["answers"]) == ("declined", False, None, [])
    assert [e["kind"] for e in data["events"]] == ["consent_declined"]
    assert data["profile"] == {"ratings": {}, "fit": None, "front_office": None, "back_office": None}


def test_transcript_of_an_unknown_interview(loaded) -> None:
    with loaded() as session:
        assert transcript(session, 999_999) is None


# -- profile --------------------------------------------------------------------------


def _add_score(session, answer: Answer, competency: str, rating: int | None, scorer_version: str = "test") -> None:
    session.add(
        Score(
            answer=answer,
            competency_id=competency,
            rating=rating,
            evidence=[],
            flags=[],
            rubric_version_id=answer.question.current_rubric.id,
            scorer_version=scorer_version,
        )
    )


def test_profile_fit_is_the_role_weighted_mean(loaded, bank) -> None:
    # Unscored answers, then scores with known ratings.
    service = InterviewService(loaded, scorer=None)
    interview_id = _begin(service, "conv-profile", "accountant")
    for _ in range(3):
        service.submit_answer("conv-profile", "an answer")
    with loaded.begin() as session:
        answers = session.scalars(
            select(Answer).where(Answer.interview_id == interview_id).order_by(Answer.position)
        ).all()
        plan = [a.question_id for a in answers]
        q = [session.get(Question, qid) for qid in plan]
        # Two answers rate the first question's primary competency 4 and 2; the
        # second also rates its own primary; "insufficient evidence" counts as 1.
        _add_score(session, answers[0], q[0].primary_competency_id, 4)
        _add_score(session, answers[1], q[0].primary_competency_id, 2)
        _add_score(session, answers[1], q[1].primary_competency_id, 5)
        _add_score(session, answers[2], q[2].primary_competency_id, None)
    competencies = [q[0].primary_competency_id, q[1].primary_competency_id, q[2].primary_competency_id]
    assert len(set(competencies)) == 3
    expected_ratings = {competencies[0]: 3.0, competencies[1]: 5.0, competencies[2]: 1.0}
    weights = bank.roles["accountant"].weights
    expected_fit = sum(weights[c] * r for c, r in expected_ratings.items()) / sum(weights[c] for c in expected_ratings)
    families = {c: bank.competencies[c].family for c in expected_ratings}

    with loaded() as session:
        result = profile(session, session.get(Interview, interview_id))
    assert result.ratings == pytest.approx(expected_ratings)
    assert result.fit == pytest.approx(expected_fit)
    for family, value in (("front_office", result.front_office), ("back_office", result.back_office)):
        values = [r for c, r in expected_ratings.items() if families[c] == family]
        assert value == (pytest.approx(sum(values) / len(values)) if values else None)


def test_profile_of_a_scored_interview(loaded, three_interviews, bank) -> None:
    interview_id = three_interviews["completed"]
    collected: dict[str, list[int]] = {}
    with loaded() as session:
        for answer in session.scalars(select(Answer).where(Answer.interview_id == interview_id)):
            for score in answer.scores:
                collected.setdefault(score.competency_id, []).append(score.rating or 1)
        result = profile(session, session.get(Interview, interview_id))
        data = transcript(session, interview_id)
    means = {c: sum(v) / len(v) for c, v in collected.items()}
    weights = bank.roles["cashier"].weights
    assert result.ratings == pytest.approx(means)
    assert result.fit == pytest.approx(sum(weights[c] * m for c, m in means.items()) / sum(weights[c] for c in means))
    assert 1 <= result.fit <= 5
    assert data["profile"]["fit"] == pytest.approx(result.fit)
    assert data["profile"]["ratings"] == pytest.approx(means)


def test_latest_scores_prefer_the_newest_rubric_version(loaded) -> None:
    service = InterviewService(loaded, scorer=None)
    interview_id = _begin(service, "conv-latest", "cashier")
    service.submit_answer("conv-latest", "an answer")
    with loaded.begin() as session:
        answer = session.scalars(select(Answer).where(Answer.interview_id == interview_id)).one()
        primary = answer.question.primary_competency_id
        secondary = answer.question.secondary_competency_id
        _add_score(session, answer, secondary, 2)
        _add_score(session, answer, primary, 3)
    with loaded.begin() as session:
        answer = session.scalars(select(Answer).where(Answer.interview_id == interview_id)).one()
        _add_score(session, answer, primary, 4, "test-2")  # a later score under the same rubric version
    with loaded() as session:
        answer = session.scalars(select(Answer).where(Answer.interview_id == interview_id)).one()
        latest = latest_scores(answer)
        assert [(s.competency_id, s.rating) for s in latest] == [(primary, 4), (secondary, 2)]
        assert profile(session, answer.interview).ratings == {primary: 4.0, secondary: 2.0}


def test_sqlite_times_come_back_timezone_aware(tmp_path: Path, bank, ticking_clock) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'tz.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        load_bank(session, bank)
    service = InterviewService(sessions, clock=ticking_clock)
    interview_id = service.record_consent("conv-tz", "web", True)
    with sessions() as session:
        data = transcript(session, interview_id)
    engine.dispose()
    assert datetime.fromisoformat(data["started_at"]).utcoffset() is not None
