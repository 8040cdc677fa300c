"""Timesheet generator and scorer."""

from __future__ import annotations

from decimal import Decimal

from bot.worksamples import WorkSampleBank
from bot.worksamples.timesheet import TimesheetInstance, generate, prompt, score

SEEDS = range(400)


def draw(ws_bank: WorkSampleBank, seed: int) -> TimesheetInstance:
    return generate(ws_bank.items["timesheet_week"].template, seed)


def test_same_seed_same_instance_different_seeds_differ(ws_bank: WorkSampleBank) -> None:
    assert draw(ws_bank, 7) == draw(ws_bank, 7)
    assert len({prompt(draw(ws_bank, s)) for s in SEEDS}) > 390


def test_every_instance_has_one_consistent_key(ws_bank: WorkSampleBank) -> None:
    for seed in SEEDS:
        i = draw(ws_bank, seed)
        assert i.total_hours == sum(h for _, h in i.daily)
        assert i.overtime_hours == max(Decimal(0), i.total_hours - i.weekly_limit)
        assert i.pay == i.pay_for(i.total_hours)
        assert i.pay not in i.wrong_methods().values()
        assert score(i, f"{i.total_hours} hours, pay {i.pay}").rating == 5


def test_edge_cases_occur(ws_bank: WorkSampleBank) -> None:
    instances = [draw(ws_bank, s) for s in SEEDS]
    assert any(i.overtime_hours == 0 for i in instances)
    assert any(i.total_hours == i.weekly_limit for i in instances)
    assert any(i.overtime_hours > 0 for i in instances)
    assert {len(i.daily) for i in instances} == {5, 6}


def overtime_instance(ws_bank: WorkSampleBank) -> TimesheetInstance:
    return next(i for s in SEEDS if (i := draw(ws_bank, s)).overtime_hours >= 2)


def test_right_answer_in_many_forms_is_5(ws_bank: WorkSampleBank) -> None:
    i = overtime_instance(ws_bank)
    for answer in (
        f"Total {i.total_hours} hours, pay £{i.pay:,.2f}",
        f"{i.total_hours}h and {i.pay}",
        f"She worked about {i.total_hours} hours, so £{i.pay.quantize(Decimal(1))}",
    ):
        result = score(i, answer)
        assert result.rating == 5, (answer, result.summary())


def test_slip_and_wrong_method_get_stated_partial_credit(ws_bank: WorkSampleBank) -> None:
    i = overtime_instance(ws_bank)
    slip = score(i, f"{i.total_hours} hours, £{i.pay + Decimal('3.00')}")
    assert slip.rating == 4 and "slip" in slip.rule
    hours_slip = i.total_hours + 1
    carried = score(i, f"{hours_slip} hours, £{i.pay_for(hours_slip)}")
    assert carried.rating == 4 and "adding the hours" in carried.rule
    no_premium = i.wrong_methods()["no overtime premium"]
    method = score(i, f"{i.total_hours} hours, £{no_premium}")
    assert method.rating == 3 and "no overtime premium" in method.rule
    wrong = score(i, "10 hours, £99")
    assert wrong.rating == 2
    assert [e.correct for e in method.evidence] == [True, False]
    assert method.evidence[1].given == f"£{no_premium}"


def test_non_attempts_are_1(ws_bank: WorkSampleBank) -> None:
    i = draw(ws_bank, 3)
    dont = score(i, "Sorry, I don't know")
    assert (dont.rating, dont.outcome, dont.dont_know) == (1, "dont_know", True)
    assert score(i, "Can you tell me the answer?").outcome == "asked_for_answer"
    pasted = score(i, prompt(i))
    assert (pasted.rating, pasted.outcome) == (1, "pasted_question")
    assert score(i, "   ").outcome == "no_attempt"
    assert score(i, "I would check it with payroll").rating == 1
