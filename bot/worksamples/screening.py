"""Answers that are not attempts: empty, asking for the answer, the question pasted back, "I don't know".

Every work-sample scorer runs :func:`screen` first; a non-None outcome rates
the answer 1 without reading its content.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from bot.worksamples.result import Outcome

_DONT_KNOW = re.compile(
    r"\b(?:i\s+)?(?:do\s*n[o']?t|dunno|don't|dont)\s+know\b|\bno\s+(?:idea|clue)\b|\bidk\b|\bnot\s+sure\b"
    r"|\bi\s+(?:can'?t|cannot)\s+(?:do|answer|work\s+out)\b|\bno\s+answer\b|\bpass\b|\bskip\b",
    re.I,
)
_ASKS = re.compile(
    r"\b(?:tell|give|show|send)\s+me\s+(?:the\s+)?(?:answer|solution|result|total|order)\b"
    r"|\bwhat\s+(?:is|'s)\s+the\s+(?:answer|solution|right\s+answer)\b"
    r"|\bcan\s+you\s+(?:do|calculate|work\s+out|solve|answer)\b|\bjust\s+tell\s+me\b",
    re.I,
)
_CONTENT = re.compile(r"[^\W_]")


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def is_pasted(answer: str, prompt: str) -> bool:
    """Whether the answer is mostly the prompt copied back.

    Rule: the longest shared stretches cover at least 70% of the prompt and the
    answer adds fewer than 40 characters of its own.
    """
    a, p = _norm(answer), _norm(prompt)
    if not a or not p:
        return False
    matched = sum(b.size for b in SequenceMatcher(None, a, p, autojunk=False).get_matching_blocks() if b.size >= 8)
    return matched >= 0.7 * len(p) and len(a) - matched < 40


def screen(answer: str, prompt: str, attempted: bool) -> Outcome | None:
    """Classify an answer that is not an attempt.

    Args:
        answer: The candidate's text.
        prompt: The prompt they were shown.
        attempted: Whether the item's scorer found anything to score (a
            figure, a document, a verdict).

    Returns:
        ``"no_attempt"``, ``"asked_for_answer"``, ``"pasted_question"``,
        ``"dont_know"``, or None when the answer should be scored.
    """
    if not _CONTENT.search(answer):
        return "no_attempt"
    if is_pasted(answer, prompt):
        return "pasted_question"
    if attempted:
        return None
    if _DONT_KNOW.search(answer):
        return "dont_know"
    if _ASKS.search(answer) or answer.strip().endswith("?"):
        return "asked_for_answer"
    return "no_attempt"


def unscored_rule(outcome: Outcome) -> str:
    """The plain-words rule for a screened-out answer."""
    return {
        "no_attempt": "no attempt at the task: rated 1",
        "asked_for_answer": "asked for the answer instead of working it out: rated 1",
        "pasted_question": "pasted the question back: rated 1",
        "dont_know": "said they don't know, with no attempt: rated 1 and recorded as \"don't know\"",
        "scored": "",
    }[outcome]
