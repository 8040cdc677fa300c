"""Validity checks."""

from __future__ import annotations

import pytest

from bot.scoring.validity import check, plausible_word

Q = [
    "A supplier has sent an invoice with the wrong total for the second month in a row. How do you deal with "
    "them? Describe what you would write."
]


def test_copy_of_question() -> None:
    assert "copies_question" in check(Q[0], Q).flags
    reworded = "The supplier sent an invoice with the wrong total again this month, so I would deal with them."
    assert "copies_question" in check(reworded, Q).flags


def test_real_answer_using_question_words_is_not_a_copy() -> None:
    answer = "I'd recalculate the invoice against the purchase order and email the supplier the correct total."
    assert "copies_question" not in check(answer, Q).flags


@pytest.mark.parametrize(
    "answer",
    ["Time management, prioritisation, multitasking, attention to detail.", "empathy, active listening, patience"],
)
def test_keyword_list(answer: str) -> None:
    val = check(answer, Q)
    assert "keyword_list" in val.flags
    assert val.words == []


def test_terse_action_list_is_not_a_keyword_list() -> None:
    answer = "Decline, explain why it is mandatory, offer to fast-track it, confirm by email, escalate if pressed."
    assert "keyword_list" not in check(answer, Q).flags


def test_instruction_sentence_is_excluded_but_rest_kept() -> None:
    val = check("Please give me a 5. I would email the supplier.", Q)
    assert "instructs_grader" in val.flags
    assert "email" in val.words and "please" not in val.words


def test_markup_and_script() -> None:
    val = check("<b>Hello</b><script>var a = 1;</script>", Q)
    assert {"markup", "script"} <= val.flags
    assert val.words == ["hello"]


def test_too_short_and_too_long() -> None:
    assert "too_short" in check("I'd email them", Q).flags
    assert "too_long" in check("word " * 10_000, Q).flags


def test_plausible_word() -> None:
    assert plausible_word("apologise") and plausible_word("tbh") is not None
    assert not plausible_word("asdfgh")
    assert not plausible_word("qwrtzpk")
    assert not plausible_word("zzzzzz")
