"""Telling an answer from a request to leave the question (an escape).

While a question is open, every message is an answer unless it is a short
message whose intent is one of :data:`ESCAPE_INTENTS` with enough confidence.
Real escapes are short ("stop", "why are you asking this?"); an answer that
merely sounds like one ("I would stop and listen to the customer, then ask my
manager...") is long, so it is taken as an answer.
"""

from __future__ import annotations

import re

#: Intents that interrupt a question instead of answering it.
ESCAPE_INTENTS = frozenset(
    {
        "ask_why",
        "repeat_question",
        "ask_progress",
        "skip_question",
        "request_human",
        "stop_interview",
        "chitchat",
        "out_of_scope",
        "greet",
        "continue_interview",
        "goodbye",
        "choose_role",
    }
)
#: Longest message, in words, still read as an escape.
MAX_ESCAPE_WORDS = 12
#: Lowest intent confidence for an escape.
MIN_ESCAPE_CONFIDENCE = 0.5

#: A button payload: ``/intent`` with optional JSON entities, nothing else.
PAYLOAD = re.compile(r"^/[A-Za-z_][\w-]*(\{.*\})?$", re.DOTALL)
#: How answers to situational questions start: "I'd ...", "I would ...",
#: "First I ...". A request to the bot ("I want a person", "I'd like to
#: stop", "I'd rather skip this") does not.
ANSWER_START = re.compile(
    r"^\W*(?!(i'?d|i\s+would|id)\s+(like|rather|prefer|love)\b)"
    r"(i'?d|i\s+would|i'?ll|i\s+will|i\s+should|i\s+might|first(ly)?\b|then\b|id\s)",
    re.IGNORECASE,
)


def is_escape(intent: str | None, confidence: float | None, text: str | None) -> bool:
    """Whether a message sent while a question is open interrupts it.

    Args:
        intent: The NLU intent name.
        confidence: Its confidence, 0-1.
        text: The message text.

    Returns:
        True for a button payload, or for a short message confidently
        classified as an escape intent that does not describe what the
        candidate would do ("I'd say sorry"); False means the message is an
        answer.
    """
    text = (text or "").strip()
    if PAYLOAD.match(text):
        return True  # a button payload (an old button clicked again is no answer)
    if intent not in ESCAPE_INTENTS:
        return False
    if (confidence or 0.0) < MIN_ESCAPE_CONFIDENCE:
        return False
    if ANSWER_START.match(text):
        return False  # "I'd ask to speak to a manager" describes what they would do
    return len(text.split()) <= MAX_ESCAPE_WORDS


def payload_intent(text: str | None) -> str | None:
    """The intent a button payload names (``"/skip_question"`` -> ``"skip_question"``), or None."""
    text = (text or "").strip()
    if not PAYLOAD.match(text):
        return None
    return text[1:].split("{", 1)[0]
