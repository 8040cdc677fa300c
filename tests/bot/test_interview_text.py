"""Tests for :mod:`bot.interview.text`: cleaning an answer before storage."""

from __future__ import annotations

import pytest

from bot.interview import AnswerTooLong, clean_answer
from bot.interview.text import MAX_ANSWER_CHARS


@pytest.mark.parametrize(
    "text",
    [
        "<b>I would</b> <script>alert('hi')</script> help &amp; listen",
        "I'd smile 😊 and say hi 👋🏽, then help 👩\u200d💻",
        "我会先向顾客道歉，然后查询订单。",
        "سأعتذر للعميل ثم أتحقق من الطلب",
        "Je m'excuserais d'abord — puis je vérifierais la commande.",
        "Line one\n\tLine two\n\nLine three",
        "SELECT * FROM answers; -- '\" \\ %s {0}",
    ],
)
def test_keeps_text_verbatim(text: str) -> None:
    assert clean_answer(text) == text


def test_strips_nul_and_control_characters() -> None:
    assert clean_answer("I would\x00 help\x07 them\x1b[31m now\x7f\x08") == "I would help them[31m now"
    assert clean_answer("a\x0bb\x0cc\x1fd") == "abcd"


def test_keeps_tab_and_newline() -> None:
    assert clean_answer("a\tb\nc") == "a\tb\nc"


def test_trims_surrounding_whitespace() -> None:
    assert clean_answer("  \n\t I would help. \n ") == "I would help."
    assert clean_answer("\x00  x  \x00") == "x"


def test_none_and_blank_are_empty() -> None:
    assert clean_answer(None) == ""
    assert clean_answer("   \n\t ") == ""
    assert clean_answer("\x00\x01") == ""


def test_nfc_normalises() -> None:
    assert clean_answer("cafe\u0301") == "caf\u00e9"


def test_longest_answer_is_accepted() -> None:
    text = "x" * MAX_ANSWER_CHARS
    assert clean_answer(text) == text
    # The limit applies to the cleaned text.
    assert clean_answer("  " + text + "\x00\x00  ") == text


def test_too_long_answer_is_refused() -> None:
    with pytest.raises(AnswerTooLong) as info:
        clean_answer("y" * (MAX_ANSWER_CHARS + 1))
    assert info.value.length == MAX_ANSWER_CHARS + 1
    assert str(info.value) == f"answer of {MAX_ANSWER_CHARS + 1} characters exceeds {MAX_ANSWER_CHARS}"
    assert isinstance(info.value, ValueError)


def test_max_answer_chars_value() -> None:
    assert MAX_ANSWER_CHARS == 50_000


def test_strips_c1_control_characters() -> None:
    assert clean_answer("I would\x9b31m help\x85 them\x90") == "I would31m help them"


@pytest.mark.parametrize("text", ["\u200b", " \u200b\u200c\u2060 ", "\ufeff\u200d"])
def test_only_invisible_characters_is_empty(text: str) -> None:
    assert clean_answer(text) == ""


def test_invisible_characters_inside_text_are_kept() -> None:
    assert clean_answer("I'd call\u200b them") == "I'd call\u200b them"
