"""Tests for :mod:`bot.rescoring`: scoring stored answers under the newest rubric."""

from __future__ import annotations

import copy
import dataclasses

from sqlalchemy import select

from bot.bank import Bank
from bot.bank.loader import load_bank
from bot.db.models import Answer, Question, Score
from bot.interview import InterviewService
from bot.rescoring import answers_to_rescore, rescore
from bot.review import transcript
from bot.scoring import SCORER_VERSION


class FailingScorer:
    """A scorer that always fails."""

    def score(self, answer_text, question):
        raise RuntimeError("scorer exploded")


def _changed_bank(bank: Bank, question_id: str) -> Bank:
    """``bank`` with one question's rubric changed (an extra topic word)."""
    question = bank.questions[question_id]
    rubric = copy.deepcopy(question.rubric)
    rubric["topic"] = [*rubric["topic"], "an extra topic word"]
    questions = dict(bank.questions)
    questions[question_id] = dataclasses.replace(question, rubric=rubric)
    return Bank(competencies=bank.competencies, roles=bank.roles, questions=questions)


def _begin(service: InterviewService, conversation_id: str, role: str) -> int:
    interview_id = service.record_consent(conversation_id, "web", True)
    service.start(conversation_id, role)
    return interview_id


def _scores_by_answer(sessions) -> dict[int, list[tuple[int, str, int, int | None]]]:
    """answer id -> sorted (score id, competency, rubric version, rating)."""
    with sessions() as session:
        result: dict[int, list] = {}
        for score in session.scalars(select(Score)):
            result.setdefault(score.answer_id, []).append(
                (score.id, score.competency_id, score.rubric_version.version, score.rating)
            )
        return {k: sorted(v) for k, v in result.items()}


def test_rescore_after_a_rubric_change(loaded, scorer, bank, answer_question) -> None:
    service = InterviewService(loaded, scorer=scorer)
    first = _begin(service, "conv-a", "cashier")
    asked = [answer_question(service, "conv-a"), answer_question(service, "conv-a")]
    service.skip("conv-a")
    _begin(service, "conv-b", "receptionist")
    asked.append(answer_question(service, "conv-b"))
    changed = asked[0]
    assert asked.count(changed) == 2 and len(set(asked)) == 2  # cashier and receptionist both start with it

    with loaded() as session:
        assert answers_to_rescore(session, SCORER_VERSION) == []
    before = _scores_by_answer(loaded)

    with loaded.begin() as session:
        report = load_bank(session, _changed_bank(bank, changed))
    assert report.new_rubric_versions == [(changed, 2)]
    with loaded() as session:
        pending = answers_to_rescore(session, SCORER_VERSION)
        changed_answers = sorted(
            session.scalars(select(Answer.id).where(Answer.question_id == changed, Answer.status == "answered"))
        )
        v2_id = session.get(Question, changed).current_rubric.id
    assert pending == changed_answers and len(pending) == 2

    result = rescore(loaded, scorer, SCORER_VERSION)
    assert (result.scored, result.failed) == (2, 0)
    assert result.seconds >= 0

    after = _scores_by_answer(loaded)
    for answer_id, old in before.items():
        # Old scores are kept unchanged.
        assert [s for s in after[answer_id] if s[2] == 1] == old
        new = [s for s in after[answer_id] if s[2] == 2]
        if answer_id in changed_answers:
            assert sorted(c for _, c, _, _ in new) == sorted(c for _, c, _, _ in old)
            assert all(s[0] > max(o[0] for o in old) for s in new)
        else:
            assert new == []
    with loaded() as session:
        new_ids = {s[0] for a in changed_answers for s in after[a] if s[2] == 2}
        under_v2 = set(session.scalars(select(Score.id).where(Score.rubric_version_id == v2_id)))
        assert under_v2 == new_ids and new_ids
        data = transcript(session, first)
    assert {s["rubric_version"] for s in data["answers"][0]["scores"]} == {2}
    assert {s["rubric_version"] for s in data["answers"][1]["scores"]} == {1}

    again = rescore(loaded, scorer, SCORER_VERSION)
    assert (again.scored, again.failed) == (0, 0)
    assert _scores_by_answer(loaded) == after


def test_a_new_scorer_version_rescores_every_answered_answer(loaded, scorer, answer_question) -> None:
    service = InterviewService(loaded, scorer=scorer)
    _begin(service, "conv-v", "accountant")
    answer_question(service, "conv-v")
    answer_question(service, "conv-v")
    service.skip("conv-v")
    service.current_prompt("conv-v")  # asked, not answered
    with loaded() as session:
        answered = sorted(session.scalars(select(Answer.id).where(Answer.status == "answered")))
        assert len(answered) == 2
        assert answers_to_rescore(session, "9.9.9") == answered
        assert answers_to_rescore(session, SCORER_VERSION) == []


def test_rescore_fills_in_answers_stored_unscored(loaded, scorer, good_answers) -> None:
    broken = InterviewService(loaded, scorer=FailingScorer())
    interview_id = _begin(broken, "conv-u", "hr_officer")
    question_id = broken.current_prompt("conv-u").question_id
    broken.submit_answer("conv-u", good_answers[question_id])
    with loaded() as session:
        answer_id = session.scalars(select(Answer.id).where(Answer.interview_id == interview_id)).one()
        assert answers_to_rescore(session, SCORER_VERSION) == [answer_id]

    result = rescore(loaded, scorer, SCORER_VERSION)
    assert (result.scored, result.failed) == (1, 0)
    with loaded() as session:
        answer = session.get(Answer, answer_id)
        competencies = {s.competency_id for s in answer.scores}
        assert {
            answer.question.primary_competency_id,
            answer.question.secondary_competency_id,
        } <= competencies
        assert all(s.rubric_version.version == 1 and s.scorer_version == SCORER_VERSION for s in answer.scores)
    assert rescore(loaded, scorer, SCORER_VERSION).scored == 0


def test_failures_are_counted_and_leave_answers_pending(loaded, good_answers) -> None:
    broken = InterviewService(loaded, scorer=FailingScorer())
    _begin(broken, "conv-f", "cashier")
    for _ in range(3):
        question_id = broken.current_prompt("conv-f").question_id
        broken.submit_answer("conv-f", good_answers[question_id])
    result = rescore(loaded, FailingScorer(), SCORER_VERSION, batch=2)
    assert (result.scored, result.failed) == (0, 3)
    with loaded() as session:
        assert session.scalars(select(Score)).all() == []
        assert len(answers_to_rescore(session, SCORER_VERSION)) == 3


def test_batches_cover_every_answer(loaded, scorer, good_answers) -> None:
    broken = InterviewService(loaded, scorer=FailingScorer())
    _begin(broken, "conv-batch", "legal_advisor")
    for _ in range(5):
        question_id = broken.current_prompt("conv-batch").question_id
        broken.submit_answer("conv-batch", good_answers[question_id])
    assert rescore(loaded, scorer, SCORER_VERSION, batch=2).scored == 5
    with loaded() as session:
        assert answers_to_rescore(session, SCORER_VERSION) == []
