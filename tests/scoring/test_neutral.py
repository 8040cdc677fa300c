"""Names, places and gendered pronouns are masked before an answer's meaning is read."""

from __future__ import annotations

import pytest

from bot.scoring.neutral import PLACEHOLDER, neutralise, rubric_words
from bot.scoring.rubric import compile_rubric


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("I'd apologise to Mr Chen and check his order.", f"I'd apologise to {PLACEHOLDER} and check them order."),
        ("I'd call Maria Lopez back from Leeds.", f"I'd call {PLACEHOLDER} back from {PLACEHOLDER}."),
        ("I'd compare Alex's timesheet with her rota.", f"I'd compare {PLACEHOLDER}'s timesheet with them rota."),
        ("Then she said he could wait.", "Then they said they could wait."),
        ("I told him to ask Dr Okafor himself.", f"I told them to ask {PLACEHOLDER} themselves."),
    ],
)
def test_names_places_and_pronouns_are_masked(sentence: str, expected: str) -> None:
    assert neutralise(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "I told the HR team on Monday and filed the VAT return in March.",
        "Maria was angry, so I listened.",  # the first word is capitalised by position
        "I would Call them back.",  # a word the rubric uses, capitalised by habit
    ],
)
def test_meaningful_capitals_are_kept(sentence: str) -> None:
    assert neutralise(sentence, frozenset({"call"})) == sentence


def test_the_same_sentence_with_other_people_reads_the_same() -> None:
    template = "I'd apologise to {name}, check {pos} order from {place} and call {obj} back."
    people = [
        {"name": "Maria", "pos": "her", "obj": "her", "place": "Leeds"},
        {"name": "Mr Chen", "pos": "his", "obj": "him", "place": "Lagos"},
        {"name": "Alex", "pos": "their", "obj": "them", "place": "Manila"},
    ]
    assert len({neutralise(template.format(**p)) for p in people}) == 1


def test_rubric_words_hold_cue_literals_indicator_words_and_topic(q) -> None:
    words = rubric_words(compile_rubric(q("angry_customer").rubric, "angry_customer"))
    assert {"tracking", "refund", "order"} <= words
