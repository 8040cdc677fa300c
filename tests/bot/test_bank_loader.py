"""Tests for :mod:`bot.bank.loader`: idempotent, versioned loading of the bank.

Every test loads a private copy of ``data/bank`` (the live bank may be edited
while the suite runs), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot.bank import read_bank
from bot.bank.loader import load_bank
from bot.db.models import (
    Answer,
    Competency,
    Interview,
    Question,
    QuestionVariant,
    Role,
    RoleWeight,
    RubricVersion,
    Score,
)
from bot.interview import InterviewService
from bot.scoring import SCORER_VERSION


def _load(sessions, root: Path):
    bank = read_bank(root)
    with sessions.begin() as session:
        return load_bank(session, bank)


def _change_rubric(root: Path, question_id: str) -> None:
    path = root / "rubrics" / f"{question_id}.yml"
    rubric = yaml.safe_load(path.read_text(encoding="utf-8"))
    rubric["topic"] = [*rubric["topic"], "an extra topic word"]
    path.write_text(yaml.safe_dump(rubric, sort_keys=False), encoding="utf-8")


def test_first_load_writes_everything(sessions, bank_copy: Path) -> None:
    report = _load(sessions, bank_copy)
    assert (report.competencies, report.roles, report.questions) == (12, 10, 12)
    bank = read_bank(bank_copy)
    assert sorted(report.new_rubric_versions) == sorted((qid, 1) for qid in bank.questions)
    assert report.changed
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Competency)) == 12
        assert session.scalar(select(func.count()).select_from(Role)) == 10
        assert session.scalar(select(func.count()).select_from(RoleWeight)) == sum(
            len(r.weights) for r in bank.roles.values()
        )
        assert session.scalar(select(func.count()).select_from(QuestionVariant)) == sum(
            len(q.variants) for q in bank.questions.values()
        )
        question = session.get(Question, "wrong_invoice")
        spec = bank.questions["wrong_invoice"]
        assert (question.primary_competency_id, question.secondary_competency_id) == (
            spec.primary,
            spec.secondary,
        )
        assert [v.text for v in question.variants] == list(spec.variants)
        assert [v.position for v in question.variants] == list(range(len(spec.variants)))
        assert question.probe == spec.probe and question.purpose == spec.purpose
        assert question.current_rubric.version == 1
        assert question.current_rubric.content_hash == spec.rubric_hash()
        assert question.current_rubric.rubric == spec.rubric
        role = session.get(Role, "accountant")
        assert role.weight_map() == pytest.approx(bank.roles["accountant"].weights)
        assert role.aliases == list(bank.roles["accountant"].aliases)
        competency = session.get(Competency, "numeracy")
        assert competency.indicators_for == list(bank.competencies["numeracy"].indicators_for)


def test_loading_twice_changes_nothing(sessions, bank_copy: Path) -> None:
    _load(sessions, bank_copy)
    with sessions() as session:
        variant_ids = sorted(session.scalars(select(QuestionVariant.id)))
    second = _load(sessions, bank_copy)
    assert second.changed is False
    assert (second.competencies, second.roles, second.questions, second.new_rubric_versions) == (0, 0, 0, [])
    with sessions() as session:
        per_question = dict(
            session.execute(select(RubricVersion.question_id, func.count()).group_by(RubricVersion.question_id)).all()
        )
        assert per_question == {qid: 1 for qid in read_bank(bank_copy).questions}
        assert sorted(session.scalars(select(QuestionVariant.id))) == variant_ids


def test_changed_rubric_gets_a_new_version_for_that_question_only(sessions, bank_copy: Path) -> None:
    _load(sessions, bank_copy)
    # A score made under version 1.
    service = InterviewService(sessions)
    service.record_consent("c-rubric", "web", True)
    service.start("c-rubric", "cashier")
    prompt = service.current_prompt("c-rubric")
    service.submit_answer("c-rubric", "I would greet them and help.")
    with sessions.begin() as session:
        answer = session.scalars(select(Answer)).one()
        v1 = session.get(Question, prompt.question_id).current_rubric
        session.add(
            Score(
                answer=answer,
                competency_id=answer.question.primary_competency_id,
                rating=3,
                evidence=[],
                flags=[],
                rubric_version_id=v1.id,
                scorer_version=SCORER_VERSION,
            )
        )
        v1_id, v1_hash = v1.id, v1.content_hash

    _change_rubric(bank_copy, prompt.question_id)
    report = _load(sessions, bank_copy)
    assert report.new_rubric_versions == [(prompt.question_id, 2)]
    assert (report.competencies, report.roles, report.questions) == (0, 0, 0)
    assert report.changed

    with sessions() as session:
        versions = session.execute(
            select(RubricVersion.question_id, RubricVersion.version).order_by(RubricVersion.id)
        ).all()
        assert sorted(v for q, v in versions if q == prompt.question_id) == [1, 2]
        assert all(v == 1 for q, v in versions if q != prompt.question_id)
        question = session.get(Question, prompt.question_id)
        assert question.current_rubric.version == 2
        assert question.current_rubric.id != v1_id
        assert question.current_rubric.content_hash == read_bank(bank_copy).questions[prompt.question_id].rubric_hash()
        assert question.current_rubric.content_hash != v1_hash
        assert "an extra topic word" in question.current_rubric.rubric["topic"]
        old = session.get(RubricVersion, v1_id)
        assert (old.version, old.content_hash) == (1, v1_hash)
        assert "an extra topic word" not in old.rubric["topic"]
        score = session.scalars(select(Score)).one()
        assert score.rubric_version_id == v1_id
        assert score.rubric_version.version == 1

    assert _load(sessions, bank_copy).changed is False


def test_reworded_variant_is_updated_in_place(sessions, bank_copy: Path, edit_yaml) -> None:
    _load(sessions, bank_copy)
    with sessions() as session:
        before = {v.position: (v.id, v.text) for v in session.get(Question, "explain_policy").variants}
    new_text = "A customer bought a jacket 45 days ago and wants a refund; our window is 30 days. What do you say?"

    def reword(data) -> None:
        item = next(q for q in data["questions"] if q["id"] == "explain_policy")
        item["variants"][1] = new_text

    edit_yaml(bank_copy / "questions.yml", reword)
    report = _load(sessions, bank_copy)
    assert (report.competencies, report.roles, report.questions, report.new_rubric_versions) == (0, 0, 1, [])
    with sessions() as session:
        after = {v.position: (v.id, v.text) for v in session.get(Question, "explain_policy").variants}
    assert after[1] == (before[1][0], new_text)
    assert {p: v for p, v in after.items() if p != 1} == {p: v for p, v in before.items() if p != 1}


def test_added_variant_is_appended(sessions, bank_copy: Path, edit_yaml) -> None:
    _load(sessions, bank_copy)
    edit_yaml(
        bank_copy / "questions.yml",
        lambda d: d["questions"][0]["variants"].append("An upset customer's order is two weeks late. What do you do?"),
    )
    report = _load(sessions, bank_copy)
    assert report.questions == 1
    with sessions() as session:
        texts = [v.text for v in session.get(Question, "angry_customer").variants]
    assert texts == list(read_bank(bank_copy).questions["angry_customer"].variants)


def test_changed_and_removed_role_weights(sessions, bank_copy: Path, edit_yaml) -> None:
    _load(sessions, bank_copy)

    def change(data) -> None:
        weights = next(r for r in data["roles"] if r["id"] == "cashier")["weights"]
        del weights["software_skills"]
        weights["numeracy"] = 20

    edit_yaml(bank_copy / "roles.yml", change)
    report = _load(sessions, bank_copy)
    assert (report.competencies, report.roles, report.questions) == (0, 1, 0)
    expected = read_bank(bank_copy).roles["cashier"].weights
    assert "software_skills" not in expected
    with sessions() as session:
        rows = session.execute(
            select(RoleWeight.competency_id, RoleWeight.weight).where(RoleWeight.role_id == "cashier")
        ).all()
        assert dict(rows) == pytest.approx(expected)
        assert len(rows) == 11
        assert session.get(RoleWeight, ("cashier", "software_skills")) is None
        # Other roles keep all 12 weights.
        assert len(session.get(Role, "receptionist").weights) == 12
    assert _load(sessions, bank_copy).changed is False


def test_changed_competency_definition(sessions, bank_copy: Path, edit_yaml) -> None:
    _load(sessions, bank_copy)
    edit_yaml(
        bank_copy / "competencies.yml",
        lambda d: d["competencies"][0].__setitem__("definition", "Hears what people mean."),
    )
    report = _load(sessions, bank_copy)
    assert (report.competencies, report.roles, report.questions, report.new_rubric_versions) == (1, 0, 0, [])
    with sessions() as session:
        assert session.get(Competency, "active_listening").definition == "Hears what people mean."


def test_removed_variant_is_no_longer_asked(sessions, bank_copy: Path, edit_yaml) -> None:
    _load(sessions, bank_copy)
    service = InterviewService(sessions)
    service.record_consent("probe-plan", "web", True)
    service.start("probe-plan", "cashier")
    first = service.current_prompt("probe-plan").question_id
    service.withdraw("probe-plan")

    def drop_last(data) -> None:
        item = next(q for q in data["questions"] if q["id"] == first)
        assert len(item["variants"]) == 3
        item["variants"].pop()

    edit_yaml(bank_copy / "questions.yml", drop_last)
    _load(sessions, bank_copy)
    kept = read_bank(bank_copy).questions[first].variants
    asked = []
    for n in range(3):  # three consecutive interview ids cover every variant index
        cid = f"after-removal-{n}"
        service.record_consent(cid, "web", True)
        service.start(cid, "cashier")
        asked.append(service.current_prompt(cid).text)
    assert all(text in kept for text in asked), asked


def test_interviews_keep_their_rows_across_reloads(sessions, bank_copy: Path) -> None:
    _load(sessions, bank_copy)
    service = InterviewService(sessions)
    service.record_consent("keep", "web", True)
    service.start("keep", "accountant")
    service.current_prompt("keep")
    _change_rubric(bank_copy, "timesheet_discrepancy")
    _load(sessions, bank_copy)
    with sessions() as session:
        interview = session.scalars(select(Interview)).one()
        assert interview.plan[0] == "timesheet_discrepancy"
        assert len(interview.answers) == 1
