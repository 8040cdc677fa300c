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
        # the cue opens a new clause
        ("an email not a call so there's a record", "so there's a record"),
        ("i'd tell the manager i can't skip it because the check is required", "because"),
        # a new subject and verb end the scope
        ("skipping it would leave us exposed", "exposed"),
        # "no" negates its noun, not what a preposition attaches to it
        ("if there is no exception in the policy", "policy"),
        ("i'd file it with no mistakes in the figures", "figures"),
        # prevention: "so it doesn't happen again" is a follow-up
        ("ask what they'll change so it doesn't happen a third time", "third time"),
        # "no" as what is said
        ("i say no politely, the check is mandatory", "politely"),
    ],
)
def test_not_negated(text: str, cue: str) -> None:
    assert _neg(text, cue) is None


def test_no_still_negates_a_verb_after_to() -> None:
    assert _neg("there's nothing to explain really", "explain")


def test_conditional_clause() -> None:
    text = "if we skip it and something turns up later, the company is exposed"
    assert hypothetical(text, text.index("skip"))
    text = "if they keep pushing i'd say rules are rules"
    assert not hypothetical(text, text.index("rules are"))
    text = "i'd skip it if the manager takes responsibility"
    assert not hypothetical(text, text.index("skip"))
    # the "i" right after "if" is the condition's subject, not a main clause
    text = "set a reminder to chase if i haven't heard by the 14th"
    assert hypothetical(text, text.index("by the 14th"))


def test_refuse_negates_what_is_refused_not_how() -> None:
    text = "i refuse politely and i refuse to skip the check"
    assert negation_trigger(text, text.index("politely")) is None
    assert negation_trigger(text, text.index("skip")) == "refuse to"
