"""Telling an answer from a request to leave the question (an escape).

While a question is open, every message is an answer unless it is a short
message whose intent is one of :data:`ESCAPE_INTENTS` with enough confidence.
Real escapes are short ("stop", "why are you asking this?"); an answer that
merely sounds like one ("I would stop and listen to the customer, then ask my
manager...") is long, so it is taken as an answer.
"""

from __future__ import annotations

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
    }
)
#: Longest message, in words, still read as an escape.
MAX_ESCAPE_WORDS = 12
#: Lowest intent confidence for an escape.
MIN_ESCAPE_CONFIDENCE = 0.5


def is_escape(intent: str | None, confidence: float | None, text: str | None) -> bool:
    """Whether a message sent while a question is open interrupts it.

    Args:
        intent: The NLU intent name.
        confidence: Its confidence, 0-1.
        text: The message text.

    Returns:
        True for a button payload or a short, confidently classified escape
        intent; False means the message is an answer.
    """
    if text and text.startswith("/"):
        return True  # a button payload (an old button clicked again is no answer)
    if intent not in ESCAPE_INTENTS:
        return False
    if (confidence or 0.0) < MIN_ESCAPE_CONFIDENCE:
        return False
    return len((text or "").split()) <= MAX_ESCAPE_WORDS
