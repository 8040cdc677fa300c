"""Telling an answer from a request to leave the question (an escape).

While a question is open, every message is an answer unless it is a short
message whose intent is one of :data:`ESCAPE_INTENTS` with enough confidence.
Real escapes are short ("stop", "why are you asking this?"); an answer that
merely sounds like one ("I would stop and listen to the customer, then ask my
manager...") is long, so it is taken as an answer.
"""

from __future__ import annotations

import re

#: Requests about the candidate's data, result or needs, recorded for
#: recruiters (see :mod:`actions.requests`).
REQUEST_INTENTS = frozenset({"request_data_copy", "request_erasure", "request_review", "request_accommodation"})
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
        "ask_privacy",
        "ask_process",
        "ask_calculator",
        *REQUEST_INTENTS,
    }
)
#: Longest message, in words, still read as an escape.
MAX_ESCAPE_WORDS = 12
#: Longest message, in words, still read as a request about the candidate's
#: data, result or needs (:data:`REQUEST_INTENTS`): "I'm dyslexic and typing
#: long answers is hard for me, is there another way to do this?" is one.
MAX_REQUEST_WORDS = 30
#: People of a work scenario: a message that tells of them is an answer.
SCENE_PEOPLE = re.compile(
    r"\b(?:customers?|clients?|callers?|colleagues?|co-?workers?|employees?|staff|suppliers?|patients?|guests?"
    r"|visitors?|students?|managers?|bosses|boss|supervisors?|team ?leads?|he|she|they|them|their|his|her)\b",
    re.IGNORECASE,
)
#: The candidate asking about their own data, result or needs.
OWN_REQUEST = re.compile(
    r"\b(?:my|me|mine|i'?m|i\s+am|i\s+have|i\s+use|i\s+need|i\s+want|i'?d\s+like|i\s+would\s+like|can\s+i"
    r"|could\s+i|may\s+i)\b",
    re.IGNORECASE,
)
#: A plain first-person wish to speak to a person: "I really want to talk to
#: a real person", "could I speak with a recruiter". With it, a request for a
#: person is an escape up to :data:`MAX_REQUEST_WORDS` words ("Sorry, before
#: I answer any more of these I really want to talk to a real person about
#: this job please"); an answer that merely mentions a person ("I'd ask my
#: manager to talk to the customer") has no such wish, or starts as an answer.
PERSON_REQUEST = re.compile(
    r"\b(?:i\s+(?:really\s+|just\s+|would\s+)?(?:want|need|wish|prefer|(?:would|'d)\s+(?:like|prefer|rather))"
    r"|can\s+i|could\s+i|may\s+i|let\s+me|put\s+me\s+through|connect\s+me)"
    r"\s+(?:to\s+)?(?:talk|speak|chat)?\s*(?:to|with)\s+(?:a\s+|an\s+|the\s+)?(?:real\s+|actual\s+|human\s+|live\s+)?"
    r"(?:person|human|recruiter|someone|somebody|people|member\s+of\s+(?:staff|the\s+team)|hiring\s+manager)\b",
    re.IGNORECASE,
)
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


#: What a typed request to skip names: the question itself, or nothing at all.
#: Skipping cannot be undone, so "skip the small stuff" (an answer) is not one.
SKIP_REQUEST = re.compile(
    r"^\W*(?:skip|pass|next|move on)(?:\W+please)?\W*$"
    r"|\b(?:this|that|the|next|another)\s+(?:one|question)\b|\b(?:skip|pass on|pass)\s+(?:it|this|that)\b"
    r"|\bnot (?:to )?answer\b|\bno (?:idea|answer)\b|\bcome back to\b|\bmove on\b|\bnext one\b",
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
    if intent == "skip_question" and not SKIP_REQUEST.search(text):
        return False  # "skip the small stuff" is an answer; a skip is for good
    return len(text.split()) <= (MAX_REQUEST_WORDS if _plain_request(intent, text) else MAX_ESCAPE_WORDS)


def _plain_request(intent: str | None, text: str) -> bool:
    """Whether a message longer than an escape is still a request of the candidate's own.

    It must say so in the first person (:data:`PERSON_REQUEST` for a person,
    :data:`OWN_REQUEST` for data, a result or needs) and tell of no one else
    (:data:`SCENE_PEOPLE`): "The customer asked us to delete their data, so
    I checked…" and "My colleague is dyslexic so I sent…" are answers.
    """
    if SCENE_PEOPLE.search(text):
        return False
    if intent == "request_human":
        return PERSON_REQUEST.search(text) is not None
    return intent in REQUEST_INTENTS and OWN_REQUEST.search(text) is not None


#: A figure in a message: while a work sample is open, such a message is an
#: answer ("46 hours, £712.50"; "line 3 is wrong by 12"), whatever intent the
#: NLU guessed, unless it asks to leave (a person, stop, skip).
FIGURE = re.compile(r"\d")
#: Intents that still interrupt a work sample when the message has a figure.
LEAVING_INTENTS = frozenset({"request_human", "stop_interview", "skip_question", *REQUEST_INTENTS})


def is_worksample_attempt(intent: str | None, text: str | None) -> bool:
    """Whether a message sent while a work sample is open is an attempt at it.

    Args:
        intent: The NLU intent name.
        text: The message text.

    Returns:
        True when the text holds a figure and the intent is not one of
        :data:`LEAVING_INTENTS` (and the text is no button payload).
    """
    text = (text or "").strip()
    return not PAYLOAD.match(text) and intent not in LEAVING_INTENTS and FIGURE.search(text) is not None


#: Words of a message that acknowledges a question instead of answering it.
_ACK_PHRASES = (
    "ok|okay|okey|okie|k|kk|yes|yeah|yep|yup|ya|sure|sure thing|ready|i'?m ready|im ready|got it|alright|"
    "all right|fine|great|cool|good|nice|perfect|right|understood|noted|will do|of course|no problem|"
    "thanks|thank you|ty|go|let'?s go|lets go|go ahead|let'?s start|lets start|start|let'?s do it|"
    "sounds good|hmm+|um+|uh+|one sec(?:ond)?|one moment|a moment|wait|let me think|give me a (?:sec|second|"
    "minute|moment)|hi|hello|hey|then|so|well"
)
_ACK_RE = re.compile(rf"^(?:(?:{_ACK_PHRASES})\b[\s,.!:;)(-]*)+$")
_NOT_LETTERS = re.compile(r"[^\w\s',.!:;()-]+")
#: Longest acknowledgement, in words.
MAX_ACK_WORDS = 6


def is_acknowledgement(text: str | None) -> bool:
    """Whether a message only acknowledges the question ("ok", "sure, ready", "great, let's go", "👍").

    Such a message is not an answer: the question stays open and the
    candidate is invited to answer. A message of at most
    :data:`MAX_ACK_WORDS` words made only of acknowledgement words (emoji
    and punctuation ignored) is one; "ok I would call them back" is not.
    """
    plain = _NOT_LETTERS.sub(" ", (text or "").lower().replace("\u2019", "'")).strip()
    if not plain:  # emoji only: a short row of them ("👍", "🙂🙂") acknowledges
        return 0 < len("".join((text or "").split())) <= MAX_ACK_WORDS
    return len(plain.split()) <= MAX_ACK_WORDS and _ACK_RE.match(plain) is not None


def payload_intent(text: str | None) -> str | None:
    """The intent a button payload names (``"/skip_question"`` -> ``"skip_question"``), or None."""
    text = (text or "").strip()
    if not PAYLOAD.match(text):
        return None
    return text[1:].split("{", 1)[0]
