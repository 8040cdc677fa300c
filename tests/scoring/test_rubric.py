"""Rubric files: they compile, cover their competencies, and rate their own examples sensibly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.scoring.rubric import RubricError, compile_rubric

DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev.jsonl"


def test_every_question_has_a_compiling_rubric(bank) -> None:
    assert len(bank.questions) == 12
    for question in bank.questions.values():
        rubric = compile_rubric(question.rubric, question.id)
        for comp in question.competencies:
            kinds = {i.polarity for i in rubric.indicators[comp]}
            assert kinds == {"for", "against"}, (question.id, comp)
            assert any(i.beyond for i in rubric.indicators[comp]), (question.id, comp)
        assert rubric.examples and rubric.topic
        assert question.rubric["primary"] == question.primary
        assert question.rubric["secondary"] == question.secondary


def test_bad_rubric_raises_rubric_error() -> None:
    with pytest.raises(RubricError):
        compile_rubric({"competencies": {"x": {"for": [{"id": "a", "cues": ["("]}]}}})
    with pytest.raises(RubricError):
        compile_rubric({"competencies": {"x": {"for": [{"id": "a", "weight": 0, "cues": ["a"]}]}}})
    with pytest.raises(RubricError):
        compile_rubric(["not", "a", "mapping"])  # type: ignore[arg-type]


def test_version_changes_with_content(bank) -> None:
    rubric = dict(bank.questions["angry_customer"].rubric)
    v1 = compile_rubric(rubric).version
    rubric["topic"] = list(rubric["topic"]) + ["extra"]
    assert compile_rubric(rubric).version != v1


def test_own_examples_are_rated_within_one_point(bank, scorer) -> None:
    for question in bank.questions.values():
        for example in question.rubric["examples"]:
            result = scorer.score(example["text"], question)
            for comp, want in example["ratings"].items():
                got = result.ratings[comp].rating or 1
                assert abs(got - want) <= 1, (question.id, comp, want, got, example["text"][:60])


@pytest.mark.skipif(not DEV.is_file(), reason="rated dev set not available")
def test_rubric_examples_are_not_dev_answers(bank) -> None:
    dev = [json.loads(line)["answer"].lower() for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    for question in bank.questions.values():
        for example in question.rubric["examples"]:
            text = example["text"].lower()
            words = text.split()
            grams = {" ".join(words[i : i + 8]) for i in range(max(len(words) - 7, 1))}
            assert not any(g in answer for g in grams for answer in dev), (question.id, text[:60])
