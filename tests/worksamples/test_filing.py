"""Filing generator and scorer."""

from __future__ import annotations

from bot.worksamples import WorkSampleBank
from bot.worksamples.filing import FilingInstance, generate, prompt, read_answer, score

SEEDS = range(400)


def draw(ws_bank: WorkSampleBank, seed: int) -> FilingInstance:
    return generate(ws_bank.items["filing_order"].template, seed)


def test_same_seed_same_instance_different_seeds_differ(ws_bank: WorkSampleBank) -> None:
    assert draw(ws_bank, 5) == draw(ws_bank, 5)
    assert len({prompt(draw(ws_bank, s)) for s in SEEDS}) == len(SEEDS)


def test_every_instance_has_exactly_one_key(ws_bank: WorkSampleBank) -> None:
    for seed in SEEDS:
        i = draw(ws_bank, seed)
        assert 4 <= len(i.documents) <= 6
        dues = [i.by_letter(x).due for x in i.order]
        assert dues == sorted(dues) and len(set(dues)) == len(dues)
        assert i.late_in(i.order) == ({i.late} if i.late else set())
        if i.late:
            late = i.by_letter(i.late)
            # Late whatever the order: even done first it overruns.
            assert i.late_in((i.late,)) == {i.late}
            others = tuple(x for x in i.order if x != i.late)
            assert i.late_in(others) == set()
            assert late.days > (late.due - i.today).days + 1


def test_edge_cases_occur(ws_bank: WorkSampleBank) -> None:
    instances = [draw(ws_bank, s) for s in SEEDS]
    assert any(i.late is None for i in instances)
    assert any(i.late is not None for i in instances)
    assert {len(i.documents) for i in instances} == {4, 5, 6}
    assert len({i.order.index(i.late) for i in instances if i.late}) >= 2


def answer_for(i: FilingInstance, order: tuple[str, ...] | None = None, flag: bool = True, tell: bool = True) -> str:
    text = "Order: " + ", ".join(order or i.order) + "."
    if i.late and flag:
        text += f" {i.late} can't be done on time"
        text += f", I would tell {i.by_letter(i.late).tell} today." if tell else "."
    elif not i.late:
        text += " Everything is on time."
    return text


def test_right_answers_are_5(ws_bank: WorkSampleBank) -> None:
    for seed in SEEDS:
        i = draw(ws_bank, seed)
        result = score(i, answer_for(i))
        assert result.rating == 5, (seed, answer_for(i), result.summary())


def test_late_one_last_or_left_out_is_also_right(ws_bank: WorkSampleBank) -> None:
    i = next(i for s in SEEDS if (i := draw(ws_bank, s)).late)
    others = tuple(x for x in i.order if x != i.late)
    assert score(i, answer_for(i, others + (i.late,))).rating == 5
    assert score(i, answer_for(i, others)).rating == 5


def test_partial_credit(ws_bank: WorkSampleBank) -> None:
    i = next(i for s in SEEDS if (i := draw(ws_bank, s)).late and len(i.documents) >= 5)
    not_flagged = score(i, answer_for(i, flag=False))
    assert not_flagged.rating == 3, not_flagged.summary()
    assert score(i, answer_for(i, tell=False)).rating == 4
    others = [x for x in i.order if x != i.late]
    others[-1], others[-2] = others[-2], others[-1]
    assert score(i, answer_for(i, tuple(others) + (i.late,))).rating == 4
    assert score(i, answer_for(i, tuple(reversed(i.order)), flag=False)).rating == 2


def test_no_late_document(ws_bank: WorkSampleBank) -> None:
    i = next(i for s in SEEDS if (i := draw(ws_bank, s)).late is None)
    assert score(i, answer_for(i)).rating == 5
    wrong_flag = answer_for(i) + f" {i.order[-1]} will be late."
    assert score(i, wrong_flag).rating == 4


def test_reads_names_and_tell_manager(ws_bank: WorkSampleBank) -> None:
    i = next(i for s in SEEDS if (i := draw(ws_bank, s)).late)
    names = " then ".join(i.by_letter(x).name for x in i.order)
    answer = f"I'd do the {names}. The {i.by_letter(i.late).name} will be late so I'd inform my manager."
    order, flagged, told = read_answer(i, answer)
    assert order == tuple(x for x in i.order if x != i.late) or order == i.order
    assert flagged == {i.late} and told


def test_non_attempts_are_1(ws_bank: WorkSampleBank) -> None:
    i = draw(ws_bank, 1)
    assert score(i, "I don't know").dont_know
    assert score(i, prompt(i)).outcome == "pasted_question"
    assert score(i, "").rating == 1
