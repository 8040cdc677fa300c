"""Negation scope: is a matched cue negated in its clause?

Method: a cue is negated when a negation trigger occurs in the same clause
before it, within :data:`WINDOW` words, and no scope breaker ("until", "but",
"so", "because", ...) lies between the trigger and the cue. This is the
window-based NegEx approach (Chapman et al., 2001, "A simple algorithm for
identifying negated findings and diseases in discharge summaries", J Biomed
Inform 34(5)) adapted to first-person answers: pseudo-negations such as
"not only", "no matter", "no worries" do not negate.

"I would not listen to excuses" -> "listen" is negated; "don't pay it till
it's signed off" -> "signed off" is not (the scope ends at "till").
"""

from __future__ import annotations

import re

from bot.scoring.text import clause_start

#: Words a trigger may precede its cue by (inclusive).
WINDOW = 6

_TRIGGER = (
    r"\bnot\b|n't\b|\bnt\b|\bnever\b|\bno\b|\bnobody\b|\bnothing\b|\bwithout\b|\bavoid(?:s|ed|ing)?\b"
    r"|\brefuse(?:s|d)? to\b|\binstead of\b|\brather than\b|\bstop(?:ped)?\b|\bdont\b|\bwont\b|\bcant\b|\bwouldnt\b"
    r"|\bdidnt\b|\bcannot\b|\bwaste (?:time|my time)\b|\bno point\b|\bno need\b|\bskip(?:ping)?\b"
    r"|\bforget about\b"
)
_PSEUDO = (
    r"\bnot only\b|\bno matter\b|\bno worries\b|\bno problem\b|\bnot sure\b"
    r"|\bno doubt\b|\bnot too\b|\bno later than\b|\bnot later than\b|\bnever mind\b|\bno,"
    r"|\b(?:at )?no (?:extra )?(?:cost|charge)\b|\bno longer\b|\bnot long\b|\bno-one else\b"
    # a purpose clause of prevention: "so it doesn't happen again" is a follow-up, not a negated one
    r"|(?:n't|\bnot|\bnever) (?:happen|repeat|recur|come back)s?\b"
    # "no" as the thing said: "I say no politely" refuses, it negates nothing after it
    r"|\b(?:say|says|said|saying|tell (?:him|her|them)) no\b"
)
_BREAK = (
    r"\buntil\b|\btill\b|\btil\b|\bunless\b|\bbefore\b|\bafter\b|\bonce\b|\bso\b|\bbecause\b|\bthen\b"
    r"|\bwhen\b|\bif\b|\band\b|\bwhich\b|\bthat way\b|\bbut\b|\bso that\b|\bwhile\b"
    r"|\bi\b|\bi'd\b|\bi'll\b|\bi'm\b|\bid\b|\bwe\b|\bwe'd\b"
    # a new subject with its verb starts a new clause: "skipping it would leave us exposed"
    r"|\b(?:it|that|this|they|he|she|which)\s+(?:would|will|could|might|is|was)\b"
)
#: "no" negates the noun after it, not what a preposition attaches to that
#: noun: "if no answer by Thursday", "no exception in the policy".
_DETERMINER_TRIGGERS = frozenset({"no", "nothing"})
_PREPOSITION_RE = re.compile(r"\b(?:in|on|by|for|from|at|with|of|about|under)\b")
_TRIGGER_RE = re.compile(_TRIGGER)
_PSEUDO_RE = re.compile(_PSEUDO)
_BREAK_RE = re.compile(_BREAK)
_WORD_RE = re.compile(r"\w+(?:'\w+)?")


def negation_trigger(text: str, cue_start: int, sentence_start: int = 0) -> str | None:
    """Return the trigger that negates the cue at ``cue_start``, if any.

    Args:
        text: The normalised answer (see :func:`bot.scoring.text.normalise`).
        cue_start: Offset where the matched cue begins.
        sentence_start: Offset of the sentence the cue is in.

    Returns:
        The trigger text (e.g. ``"not"``, ``"n't"``) or ``None`` if the cue
        is not negated.
    """
    start = clause_start(text, cue_start, sentence_start)
    window = text[start:cue_start]
    if not window.strip():
        return None
    words = list(_WORD_RE.finditer(window))
    if len(words) > WINDOW:
        window_start = words[-WINDOW].start()
    else:
        window_start = 0
    scope = window[window_start:]
    masked = _PSEUDO_RE.sub(lambda m: " " * len(m.group()), scope)
    last = None
    for match in _TRIGGER_RE.finditer(masked):
        last = match
    if last is None:
        return None
    after = masked[last.end() :]
    if _BREAK_RE.search(after):
        return None
    # a cue that itself opens with a scope breaker ("so there's a record",
    # "because ...") starts a new clause
    if _BREAK_RE.match(text, cue_start):
        return None
    trigger = last.group().strip()
    if trigger in _DETERMINER_TRIGGERS and _PREPOSITION_RE.search(after):
        return None
    return trigger


_HYPOTHETICAL_RE = re.compile(r"\bif\b|\bunless\b|\bwhether\b|\botherwise\b|\bin case\b")


def hypothetical(text: str, cue_start: int, sentence_start: int = 0) -> bool:
    """Whether the cue sits in a conditional clause ("if we skip it, ...").

    A counter-indication inside a condition describes a risk the candidate
    names, not what they would do, so the indicator layer drops it.

    Args:
        text: Normalised answer.
        cue_start: Offset of the cue.
        sentence_start: Offset of its sentence.

    Returns:
        True if "if/unless/whether/otherwise/in case" occurs earlier in the
        same clause within :data:`WINDOW` words.
    """
    start = clause_start(text, cue_start, sentence_start)
    words = list(_WORD_RE.finditer(text, start, cue_start))
    if not words:
        return False
    window = text[words[-WINDOW].start() if len(words) > WINDOW else words[0].start() : cue_start]
    last = None
    for match in _HYPOTHETICAL_RE.finditer(window):
        last = match
    if last is None:
        return False
    # "if they push, I'd say rules are rules": the cue is in the main clause;
    # "if I haven't heard by ...": the "I" is the condition's own subject.
    rest = _CONDITION_SUBJECT_RE.sub("", window[last.end() :], count=1)
    return not _MAIN_CLAUSE_RE.search(rest)


_CONDITION_SUBJECT_RE = re.compile(r"^\s*(?:i|we|they|he|she|it|you)\b")
_MAIN_CLAUSE_RE = re.compile(r"\bi'?d\b|\bi would\b|\bi will\b|\bi'?ll\b|\bthen\b|\bi\b")
