"""Tests for :mod:`bot.bank.selection`: which questions a role's interview asks."""

from __future__ import annotations

import random

import pytest

from bot.bank.selection import QuestionInfo, plan_questions, relevance

FRONT = "front_office"
BACK = "back_office"


def _infos(bank) -> list[QuestionInfo]:
    return [QuestionInfo(q.id, q.family, q.primary, q.secondary) for q in bank.questions.values()]


def test_relevance_is_primary_plus_half_secondary() -> None:
    question = QuestionInfo("q", FRONT, "a", "b")
    assert relevance(question, {"a": 0.2, "b": 0.1}) == pytest.approx(0.25)
    assert relevance(question, {"b": 0.4}) == pytest.approx(0.2)
    assert relevance(question, {}) == 0.0


def test_synthetic_plan_order_and_interleaving() -> None:
    weights = {"f1": 6, "f2": 5, "f3": 4, "f4": 3, "f5": 2, "b1": 1.0, "b2": 0.9, "b3": 0.8}
    questions = [
        QuestionInfo("front_e", FRONT, "f5", "x"),
        QuestionInfo("back_c", BACK, "b3", "x"),
        QuestionInfo("front_a", FRONT, "f1", "x"),
        QuestionInfo("front_d", FRONT, "f4", "x"),
        QuestionInfo("back_a", BACK, "b1", "x"),
        QuestionInfo("front_b", FRONT, "f2", "x"),
        QuestionInfo("back_b", BACK, "b2", "x"),
        QuestionInfo("front_c", FRONT, "f3", "x"),
    ]
    assert plan_questions(FRONT, weights, questions) == [
        "front_a",
        "front_b",
        "back_a",
        "front_c",
        "front_d",
        "back_b",
    ]


def test_ties_are_broken_by_id() -> None:
    questions = [QuestionInfo(qid, FRONT, "same", "x") for qid in ("d", "b", "e", "a", "c")]
    questions += [QuestionInfo(qid, BACK, "same", "x") for qid in ("z", "y", "x")]
    assert plan_questions(FRONT, {"same": 1.0}, questions) == ["a", "b", "x", "c", "d", "y"]


def test_secondary_weight_decides_between_equal_primaries() -> None:
    questions = [
        QuestionInfo("low", BACK, "p", "s_low"),
        QuestionInfo("high", BACK, "p", "s_high"),
    ]
    assert plan_questions(BACK, {"p": 1, "s_low": 0.1, "s_high": 0.5}, questions, own=1, other=0) == ["high"]


def test_fewer_questions_than_asked_for() -> None:
    questions = [QuestionInfo("f", FRONT, "a", "b"), QuestionInfo("b", BACK, "a", "b")]
    assert plan_questions(FRONT, {"a": 1}, questions) == ["f", "b"]
    assert plan_questions(FRONT, {"a": 1}, []) == []


def test_real_bank_plans_have_six_questions_four_of_the_role_family(bank) -> None:
    infos = _infos(bank)
    for role in bank.roles.values():
        plan = plan_questions(role.family, role.weights, infos)
        families = [bank.questions[qid].family for qid in plan]
        assert len(plan) == 6 and len(set(plan)) == 6, role.id
        other = BACK if role.family == FRONT else FRONT
        assert families == [role.family, role.family, other, role.family, role.family, other], role.id


def test_real_bank_plans_are_deterministic(bank) -> None:
    infos = _infos(bank)
    for role in bank.roles.values():
        first = plan_questions(role.family, role.weights, infos)
        for seed in range(5):
            shuffled = infos[:]
            random.Random(seed).shuffle(shuffled)
            assert plan_questions(role.family, dict(role.weights), shuffled) == first, role.id


def test_real_bank_plan_contains_the_question_of_the_top_competency(bank) -> None:
    infos = _infos(bank)
    for role in bank.roles.values():
        plan = plan_questions(role.family, role.weights, infos)
        own = [c.id for c in bank.competencies.values() if c.family == role.family]
        top = max(role.weights[c] for c in own)
        for competency in (c for c in own if role.weights[c] == top):
            question = next(q.id for q in bank.questions.values() if q.primary == competency)
            assert question in plan, (role.id, competency, plan)


def test_real_bank_own_family_questions_are_the_most_relevant(bank) -> None:
    for role in bank.roles.values():
        plan = plan_questions(role.family, role.weights, _infos(bank))
        chosen = [bank.questions[q] for q in plan if bank.questions[q].family == role.family]
        left = [q for q in bank.questions.values() if q.family == role.family and q.id not in plan]
        worst_chosen = min(
            relevance(QuestionInfo(q.id, q.family, q.primary, q.secondary), role.weights) for q in chosen
        )
        for q in left:
            assert relevance(QuestionInfo(q.id, q.family, q.primary, q.secondary), role.weights) <= worst_chosen
