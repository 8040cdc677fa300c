"""Work samples in the interview service: planned, seeded, asked, scored exactly, read back.

Runs on SQLite and PostgreSQL with the bank loaded; situational answers are
stored unscored (no scorer), so only the work samples carry scores.
"""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from bot.db.models import Answer, Candidate, Interview, Question, QuestionKind, Score
from bot.interview import InterviewService
from bot.results import interview_results
from bot.worksamples import read_worksamples
from bot.worksamples.interview import SCORER_VERSION, WORKSAMPLE_FLAG

BACK = "data_entry_clerk"  # bank default: timesheet_week, invoice_check
FRONT = "cashier"


@pytest.fixture(scope="module")
def ws_bank():
    return read_worksamples()


def _service(loaded, ws_bank, seeds=None) -> InterviewService:
    source = (lambda: next(seeds)) if seeds is not None else None
    kwargs = {"seed_source": source} if source else {}
    return InterviewService(loaded, scorer=None, worksamples=ws_bank, **kwargs)


def _start(service: InterviewService, cid: str, role: str) -> None:
    service.record_consent(cid, "web", True)
    service.start(cid, role)


def _interview(sessions, cid: str) -> Interview:
    with sessions() as session:
        interview = session.scalars(
            select(Interview).join(Candidate).where(Candidate.conversation_id == cid).order_by(Interview.id.desc())
        ).first()
        for answer in interview.answers:
            answer.scores  # noqa: B018
        return interview


def _to_worksamples(service: InterviewService, cid: str, situational: int) -> None:
    for n in range(situational):
        service.current_prompt(cid)
        service.submit_answer(cid, f"I would check the records and ask my manager, answer {n}.")


def test_back_office_plan_ends_with_the_roles_work_samples(loaded, ws_bank) -> None:
    service = _service(loaded, ws_bank)
    _start(service, "back-1", BACK)
    interview = _interview(loaded, "back-1")
    items = [i.id for i in ws_bank.for_role(BACK)]
    assert items == ["timesheet_week", "invoice_check"]
    assert interview.plan[-2:] == items
    assert [e["item_id"] for e in interview.worksamples] == items
    assert all(e["bank_version"] == ws_bank.version and isinstance(e["seed"], int) for e in interview.worksamples)
    with loaded() as session:
        kinds = dict(session.execute(select(Question.id, Question.kind).where(Question.id.in_(interview.plan))).all())
    assert [kinds[q] for q in interview.plan] == [QuestionKind.SITUATIONAL] * (len(interview.plan) - 2) + [
        QuestionKind.WORKSAMPLE
    ] * 2


def test_front_office_gets_none(loaded, ws_bank) -> None:
    service = _service(loaded, ws_bank)
    _start(service, "back-0", BACK)  # the work-sample questions exist: still not planned for front office
    _start(service, "front-1", FRONT)
    interview = _interview(loaded, "front-1")
    assert interview.worksamples == []
    with loaded() as session:
        kinds = set(session.scalars(select(Question.kind).where(Question.id.in_(interview.plan))))
    assert kinds == {QuestionKind.SITUATIONAL}


def test_seeds_differ_between_candidates_in_a_row_and_on_a_retake(loaded, ws_bank) -> None:
    # The source repeats itself; the service draws again until the numbers are new.
    seeds = itertools.chain([11, 12, 11, 12, 13, 14, 11, 12, 13, 14, 15, 16], itertools.count(100))
    service = _service(loaded, ws_bank, seeds)
    _start(service, "a", BACK)
    _start(service, "b", BACK)
    first = {e["item_id"]: e["seed"] for e in _interview(loaded, "a").worksamples}
    second = {e["item_id"]: e["seed"] for e in _interview(loaded, "b").worksamples}
    assert first == {"timesheet_week": 11, "invoice_check": 12}
    assert all(second[i] != first[i] for i in first)
    service.withdraw("a")
    _start(service, "a", BACK)  # a retake
    retake = {e["item_id"]: e["seed"] for e in _interview(loaded, "a").worksamples}
    assert all(retake[i] not in (first[i], second[i]) for i in first)


def test_the_prompt_is_rebuilt_from_the_stored_seed(loaded, ws_bank) -> None:
    service = _service(loaded, ws_bank)
    _start(service, "p", BACK)
    interview = _interview(loaded, "p")
    _to_worksamples(service, "p", len(interview.plan) - 2)
    prompt = service.current_prompt("p")
    entry = interview.worksamples[0]
    assert prompt.question_id == "timesheet_week"
    assert prompt.text == ws_bank.items["timesheet_week"].prompt(entry["seed"])
    assert not prompt.is_probe
    assert "calculator" in prompt.purpose
    assert service.current_prompt("p") == prompt  # asking again (repeat) shows the same instance


def test_a_right_and_a_wrong_answer_are_scored_exactly_and_stored(loaded, ws_bank) -> None:
    service = _service(loaded, ws_bank)
    _start(service, "s", BACK)
    interview = _interview(loaded, "s")
    _to_worksamples(service, "s", len(interview.plan) - 2)
    seed = interview.worksamples[0]["seed"]
    key = ws_bank.items["timesheet_week"].instance(seed)
    service.current_prompt("s")
    right = f"{key.total_hours} hours, pay £{key.pay}"
    assert service.submit_answer("s", right).scored
    service.current_prompt("s")
    outcome = service.submit_answer("s", "I don't know")
    assert outcome.scored and outcome.finished
    assert service.complete("s")

    interview = _interview(loaded, "s")
    timesheet, invoice = interview.answers[-2:]
    assert timesheet.worksample["seed"] == seed and timesheet.worksample["item_id"] == "timesheet_week"
    assert timesheet.text == right and timesheet.seconds_taken is not None
    assert [(s.competency_id, s.rating, s.scorer_version) for s in timesheet.scores] == [
        ("numeracy", 5, SCORER_VERSION)
    ]
    assert WORKSAMPLE_FLAG in timesheet.scores[0].flags
    rule, *parts = timesheet.scores[0].evidence
    assert rule["polarity"] == "rule" and rule["rule"]
    assert {p["label"] for p in parts} >= {"total hours"}
    assert all(p["correct"] for p in parts)
    hours = next(p for p in parts if p["label"] == "total hours")
    assert right[hours["start"] : hours["end"]] == hours["given"]
    [wrong] = invoice.scores
    assert (wrong.competency_id, wrong.rating) == ("numeracy", 1)
    assert "dont_know" in wrong.flags
    assert all(not a.scores for a in interview.answers[:-2])  # no scorer: situational answers unscored

    with loaded() as session:
        results = interview_results(session, interview.id)
    assert results.ratings == {"numeracy": 3.0}
    assert results.fit == pytest.approx(3.0)
    assert {r.answer_id for r in results.answer_ratings if r.worksample} == {timesheet.id, invoice.id}


def test_skip_and_why_work_on_a_work_sample(loaded, ws_bank) -> None:
    service = _service(loaded, ws_bank)
    _start(service, "k", BACK)
    interview = _interview(loaded, "k")
    _to_worksamples(service, "k", len(interview.plan) - 2)
    assert service.skip("k").finished is False
    assert service.current_prompt("k").question_id == "invoice_check"
    with loaded() as session:
        skipped = session.scalars(
            select(Answer).where(Answer.interview_id == interview.id, Answer.question_id == "timesheet_week")
        ).one()
        assert skipped.status == "skipped" and skipped.worksample["item_id"] == "timesheet_week"
        assert session.scalars(select(Score).where(Score.answer_id == skipped.id)).all() == []
