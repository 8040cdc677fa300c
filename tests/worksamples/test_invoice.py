"""Invoice generator and scorer."""

from __future__ import annotations

from decimal import Decimal

from bot.worksamples import WorkSampleBank
from bot.worksamples.invoice import InvoiceInstance, generate, prompt, score, verdict

SEEDS = range(400)


def draw(ws_bank: WorkSampleBank, seed: int) -> InvoiceInstance:
    return generate(ws_bank.items["invoice_check"].template, seed)


def test_same_seed_same_instance_different_seeds_differ(ws_bank: WorkSampleBank) -> None:
    assert draw(ws_bank, 11) == draw(ws_bank, 11)
    assert len({prompt(draw(ws_bank, s)) for s in SEEDS}) == len(SEEDS)


def test_every_instance_has_exactly_one_key(ws_bank: WorkSampleBank) -> None:
    for seed in SEEDS:
        i = draw(ws_bank, seed)
        assert 3 <= len(i.lines) <= 5
        wrong = [n for n, line in enumerate(i.lines, 1) if line.printed != line.correct]
        if i.wrong_line is None:
            assert wrong == [] and i.difference == 0
        else:
            assert wrong == [i.wrong_line] and i.difference != 0


def test_edge_cases_occur(ws_bank: WorkSampleBank) -> None:
    instances = [draw(ws_bank, s) for s in SEEDS]
    assert any(i.wrong_line is None for i in instances)
    assert {len(i.lines) for i in instances} == {3, 4, 5}
    assert any(i.difference > 0 for i in instances) and any(i.difference < 0 for i in instances)


def a_wrong(ws_bank: WorkSampleBank) -> InvoiceInstance:
    return next(i for s in SEEDS if (i := draw(ws_bank, s)).wrong_line is not None)


def a_right(ws_bank: WorkSampleBank) -> InvoiceInstance:
    return next(i for s in SEEDS if (i := draw(ws_bank, s)).wrong_line is None)


def test_right_answers_are_5(ws_bank: WorkSampleBank) -> None:
    for seed in SEEDS:
        i = draw(ws_bank, seed)
        if i.wrong_line is None:
            answer = "Yes, the total is correct."
        else:
            answer = f"No, line {i.wrong_line} is wrong; the total is off by £{abs(i.difference)}."
        assert score(i, answer).rating == 5, (seed, answer, score(i, answer).summary())


def test_partial_credit(ws_bank: WorkSampleBank) -> None:
    i = a_wrong(ws_bank)
    product = i.lines[i.wrong_line - 1].product
    by_total = score(i, f"It's wrong: the {product} line, should be £{i.correct_total:,.2f} in total")
    assert by_total.rating == 5
    slip = score(i, f"Wrong, line {i.wrong_line}, off by £{abs(i.difference) + Decimal('1.37')}")
    assert slip.rating == 4 and "slip" in slip.rule
    no_line = score(i, f"Not right, it should be £{i.correct_total}")
    assert no_line.rating == 4 and "not named" in no_line.rule
    no_amount = score(i, f"The total is wrong, line {i.wrong_line} has a mistake")
    assert no_amount.rating == 3
    other = 1 if i.wrong_line != 1 else 2
    assert score(i, f"Wrong, line {other}").rating == 2
    assert score(i, "Yes it is correct").rating == 1


def test_correct_invoice(ws_bank: WorkSampleBank) -> None:
    i = a_right(ws_bank)
    assert score(i, "It adds up, no errors").rating == 5
    assert score(i, f"£{i.correct_total}").rating == 4
    assert score(i, "Line 2 is wrong").rating == 2


def test_verdict_words() -> None:
    assert verdict("no mistakes, it's fine") is True
    assert verdict("nothing wrong here") is True
    assert verdict("it isn't correct") is False
    assert verdict("No, it's too high") is False
    assert verdict("see above") is None


def test_non_attempts_are_1(ws_bank: WorkSampleBank) -> None:
    i = a_wrong(ws_bank)
    assert score(i, "no idea").dont_know
    assert score(i, prompt(i)).outcome == "pasted_question"
    assert score(i, "what's the answer?").outcome == "asked_for_answer"


def test_finding_the_error_implies_the_verdict(ws_bank: WorkSampleBank) -> None:
    i = a_wrong(ws_bank)
    result = score(i, f"Should be £{i.correct_total}; line {i.wrong_line} is {i.lines[i.wrong_line - 1].correct}")
    assert result.rating == 5
    assert result.evidence[0].correct and result.evidence[0].given == "wrong"
