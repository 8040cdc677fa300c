"""Tests for :mod:`bot.interview.escape`: telling an escape from an answer."""

from __future__ import annotations

import pytest

from bot.interview.escape import (
    ESCAPE_INTENTS,
    MAX_ESCAPE_WORDS,
    MAX_REQUEST_WORDS,
    MIN_ESCAPE_CONFIDENCE,
    is_acknowledgement,
    is_escape,
    is_worksample_attempt,
)


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("stop_interview", "stop"),
        ("stop_interview", "I want to stop"),
        ("ask_why", "why are you asking this?"),
        ("repeat_question", "can you repeat that"),
        ("skip_question", "skip"),
        ("request_human", "I want to talk to a person"),
        ("ask_progress", "how many are left?"),
    ],
)
def test_short_confident_escapes(intent: str, text: str) -> None:
    assert is_escape(intent, 0.93, text) is True


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        (
            "stop_interview",
            "I would stop what I was doing, listen to the customer and apologise, then check the order",
        ),
        (
            "request_human",
            "I'd ask another person or my manager to help if I couldn't solve the problem myself at the desk",
        ),
        (
            "ask_why",
            "I would ask them why they are asking this, to understand what they actually need from us today",
        ),
    ],
)
def test_long_answers_that_sound_like_escapes_are_answers(intent: str, text: str) -> None:
    assert len(text.split()) > MAX_ESCAPE_WORDS
    assert is_escape(intent, 0.99, text) is False


def test_low_confidence_is_an_answer() -> None:
    assert is_escape("stop_interview", 0.3, "stop") is False
    assert is_escape("stop_interview", None, "stop") is False


def test_confidence_threshold_is_inclusive() -> None:
    assert is_escape("skip_question", MIN_ESCAPE_CONFIDENCE, "skip") is True
    assert is_escape("skip_question", MIN_ESCAPE_CONFIDENCE - 0.01, "skip") is False


def test_word_limit_is_inclusive() -> None:
    assert is_escape("ask_why", 0.9, " ".join(["why"] * MAX_ESCAPE_WORDS)) is True
    assert is_escape("ask_why", 0.9, " ".join(["why"] * (MAX_ESCAPE_WORDS + 1))) is False


@pytest.mark.parametrize("intent", ["inform", "affirm", "deny", "answer", "nlu_fallback", None])
def test_non_escape_intents_never_escape(intent) -> None:
    assert intent not in ESCAPE_INTENTS
    assert is_escape(intent, 1.0, "stop") is False


@pytest.mark.parametrize("payload", ["/affirm", '/choose_role{"role":"cashier"}', "/deny"])
def test_an_old_button_clicked_again_is_no_answer(payload: str) -> None:
    intent = payload[1:].split("{")[0]
    assert is_escape(intent, 1.0, payload) is True


@pytest.mark.parametrize("intent", sorted(ESCAPE_INTENTS))
def test_button_payloads_escape_whatever_the_confidence(intent: str) -> None:
    assert is_escape(intent, 0.0, f"/{intent}") is True
    assert is_escape(intent, None, f'/{intent}{{"x": "a long payload with many words in it to pass twelve"}}') is True


def test_empty_text_with_escape_intent() -> None:
    assert is_escape("greet", 0.9, "") is True
    assert is_escape("greet", 0.9, None) is True


def test_escape_intents() -> None:
    assert {
        "ask_why",
        "skip_question",
        "request_human",
        "stop_interview",
        "repeat_question",
    } <= ESCAPE_INTENTS


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("request_human", "I'd ask to speak to a manager"),
        ("goodbye", "I'd say goodbye politely"),
        ("repeat_question", "I'd say sorry"),
        ("ask_progress", "I would ask how many items are missing"),
        ("skip_question", "First I'd skip the small stuff"),
    ],
)
def test_short_answers_saying_what_the_candidate_would_do_are_answers(intent: str, text: str) -> None:
    assert is_escape(intent, 0.95, text) is False


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("request_human", "I'd like to talk to a person"),
        ("skip_question", "I'd rather skip this one"),
        ("stop_interview", "i would like to stop"),
    ],
)
def test_requests_phrased_with_id_like_are_still_escapes(intent: str, text: str) -> None:
    assert is_escape(intent, 0.95, text) is True


def test_text_starting_with_a_slash_is_not_a_payload() -> None:
    assert is_escape("give_answer", 1.0, "/ I would apologise to the customer") is False
    assert is_escape("give_answer", 1.0, "/give_answer") is True


def test_payload_intent() -> None:
    from bot.interview.escape import payload_intent

    assert payload_intent("/skip_question") == "skip_question"
    assert payload_intent('/choose_role{"role":"cashier"}') == "choose_role"
    assert payload_intent("skip") is None
    assert payload_intent("/ I would skip it") is None


@pytest.mark.parametrize(
    "text",
    ["ok", "OK!", "yes", "sure", "okay, ready", "great, let's go", "Sure thing :)", "got it", "👍", "hmm, one sec"],
)
def test_acknowledgements_are_not_answers(text: str) -> None:
    assert is_acknowledgement(text)


@pytest.mark.parametrize(
    "text",
    [
        "ok I would call them back",
        "Sure, I'd apologise and check the order.",
        "yes I'd ask my manager",
        "refund",
        "no",
        "",
    ],
)
def test_answers_are_not_acknowledgements(text: str) -> None:
    assert not is_acknowledgement(text)


def test_a_wall_of_emoji_is_an_answer_not_an_acknowledgement() -> None:
    assert not is_acknowledgement("😀" * 2500)


@pytest.mark.parametrize(
    ("text", "escape"),
    [
        ("skip the small stuff", False),
        ("skip", True),
        ("next please", True),
        ("let's skip it", True),
        ("can I skip this one", True),
        ("I don't want to answer that one", True),
        ("no idea, skip", True),
    ],
)
def test_a_typed_skip_must_be_about_the_question(text: str, escape: bool) -> None:
    assert is_escape("skip_question", 0.95, text) is escape


def test_a_longer_request_about_needs_or_data_is_still_a_request() -> None:
    text = "I'm dyslexic and typing long answers is hard for me, is there another way to do this screening?"
    assert MAX_ESCAPE_WORDS < len(text.split()) <= MAX_REQUEST_WORDS
    assert is_escape("request_accommodation", 0.9, text) is True
    assert is_escape("request_human", 0.9, text) is False  # other escapes keep the short limit


def test_an_answer_read_as_a_request_stays_an_answer() -> None:
    answer = "I would delete the duplicate records from the system and tell my manager what I removed"
    assert is_escape("request_erasure", 0.9, answer) is False
    assert is_escape("request_erasure", 0.9, " ".join(["word"] * (MAX_REQUEST_WORDS + 1))) is False


def test_a_long_plain_wish_to_speak_to_a_person_is_a_request() -> None:
    text = "Sorry, before I answer any more of these I really want to talk to a real person about this job please"
    assert len(text.split()) > MAX_ESCAPE_WORDS
    assert is_escape("request_human", 0.55, text) is True
    mentions = "The customer says they want to talk to a real person, so I would get my supervisor and explain it"
    assert is_escape("request_human", 0.9, mentions) is False  # a person mentioned in an answer
    assert (
        is_escape("request_human", 0.9, "I'd ask my manager to talk to the customer and then call them back") is False
    )


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        (
            "request_human",
            "When a customer gets angry about a late order and shouts, I need to talk to someone senior first, "
            "then I call them back with news",
        ),
        (
            "request_erasure",
            "The customer asked us to delete their data, so I checked their identity, removed the records and "
            "confirmed it to them in writing",
        ),
        (
            "request_accommodation",
            "My colleague is dyslexic so I sent the instructions another way, as a voice note, and checked they "
            "had understood them",
        ),
    ],
)
def test_longer_answers_about_other_people_are_answers(intent: str, text: str) -> None:
    assert len(text.split()) > MAX_ESCAPE_WORDS
    assert is_escape(intent, 0.9, text) is False


@pytest.mark.parametrize(
    ("intent", "text", "attempt"),
    [
        ("chitchat", "46 hours, £712.50", True),
        ("out_of_scope", "line 3 is wrong by 12", True),
        ("give_answer", "41.5h and 598.40", True),
        ("ask_calculator", "can I use a calculator?", False),  # no figure: the question it is
        ("stop_interview", "stop, I have 2 minutes", False),  # leaving wins over a figure
        ("request_human", "put me through to a person, 2 mins", False),
        ("skip_question", "skip question 7", False),
        ("chitchat", "/chitchat", False),  # a payload is never an attempt
    ],
)
def test_a_figure_is_a_work_sample_attempt_unless_leaving(intent: str, text: str, attempt: bool) -> None:
    assert is_worksample_attempt(intent, text) is attempt
