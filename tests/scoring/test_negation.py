"""Negation scope and conditional clauses."""

from __future__ import annotations

import pytest

from bot.scoring.negation import hypothetical, negation_trigger


def _neg(text: str, cue: str) -> str | None:
    return negation_trigger(text, text.index(cue))


@pytest.mark.parametrize(
    "text,cue",
    [
        ("i would not listen to excuses", "listen"),
        ("i wouldn't apologise", "apologise"),
        ("i'd never offer a refund", "offer"),
        ("i wouldn't waste time summarising back", "summarising"),
        ("without checking the order", "checking"),
        ("no need to ask questions", "ask"),
    ],
)
def test_negated(text: str, cue: str) -> None:
    assert _neg(text, cue)


@pytest.mark.parametrize(
    "text,cue",
    [
        ("i would listen carefully", "listen"),
        ("dont pay it till someone has signed it off", "signed"),
        ("not only apologise but also refund", "apologise"),
        ("a new one at no cost or their money back", "money"),
        ("instead of asking again i'd repeat back what i heard", "repeat"),
        ("i'm not sure, so i'd ask what they need", "ask"),
        ("i would not rush them, and i would summarise", "summarise"),
        ("i couldn't find it. then i'd call the courier", "call"),
    ],
)
def test_not_negated(text: str, cue: str) -> None:
    assert _neg(text, cue) is None


def test_conditional_clause() -> None:
    text = "if we skip it and something turns up later, the company is exposed"
    assert hypothetical(text, text.index("skip"))
    text = "if they keep pushing i'd say rules are rules"
    assert not hypothetical(text, text.index("rules are"))
    text = "i'd skip it if the manager takes responsibility"
    assert not hypothetical(text, text.index("skip"))
