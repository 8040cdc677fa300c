"""Agreement statistics."""

from __future__ import annotations

import pytest

from bot.scoring.metrics import confusion, pearson, qwk, summary


def test_perfect_and_none_as_one() -> None:
    assert qwk([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]) == pytest.approx(1.0)
    assert qwk([1, 3, 5], [None, 3, 5]) == pytest.approx(1.0)


def test_known_value() -> None:
    # Hand-computed: O = [[1,1],[0,1]] on levels 1 and 2 of a 5-level scale.
    rater, machine = [1, 1, 2], [1, 2, 2]
    o = confusion(rater, machine)
    assert o[0, 0] == 1 and o[0, 1] == 1 and o[1, 1] == 1
    # Marginals rows [2, 1], columns [1, 2]; E = outer / 3; w12 = w21 = 1/16.
    # sum(wO) = 1/16, sum(wE) = (4/3 + 1/3)/16  ->  kappa = 1 - 1/(5/3) = 0.4
    assert qwk(rater, machine) == pytest.approx(0.4)


def test_summary_fields() -> None:
    s = summary([1, 2, 3, 4], [2, 2, 3, 5])
    assert s["n"] == 4 and s["exact"] == 0.5 and s["adjacent"] == 1.0
    assert s["mean_diff"] == pytest.approx(0.5)
    assert pearson([1, 2, 3], [1, 1, 1]) == 0.0
