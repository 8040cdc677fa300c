"""The typed result of scoring one work-sample answer, and shared helpers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from bot.worksamples.numbers import ReadNumber

Outcome = Literal["scored", "no_attempt", "asked_for_answer", "pasted_question", "dont_know"]
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Evidence:
    """One part of the answer next to the answer key.

    Attributes:
        label: What is checked, in plain words ("total hours").
        expected: The answer key, formatted for a recruiter.
        given: What the candidate wrote for it, as written, or None.
        span: ``(start, end)`` of ``given`` in the answer, or None.
        correct: Whether this part counts as right.
    """

    label: str
    expected: str
    given: str | None
    span: tuple[int, int] | None
    correct: bool


@dataclass(frozen=True)
class WorkSampleResult:
    """The rating of one answer to one work-sample instance.

    Attributes:
        item_id: The bank item's id.
        kind: ``"timesheet"``, ``"invoice"`` or ``"filing"``.
        seed: The seed the instance was drawn from.
        competency: The competency rated (ids of ``shared/spec/competencies.md``).
        rating: 1-5 on the competency's scale.
        outcome: ``"scored"``, or why the answer was not scored on its content
            (``"no_attempt"``, ``"asked_for_answer"``, ``"pasted_question"``,
            ``"dont_know"``); every outcome other than ``"scored"`` is a 1.
        dont_know: True when the candidate said they don't know and gave no attempt.
        rule: The partial-credit rule that applied, in plain words.
        evidence: The candidate's figures next to the answer key.
    """

    item_id: str
    kind: str
    seed: int
    competency: str
    rating: int
    outcome: Outcome
    dont_know: bool
    rule: str
    evidence: tuple[Evidence, ...]

    def summary(self) -> str:
        """A few plain lines for the recruiter: rating, rule, then each checked part."""
        lines = [f"{self.competency} {self.rating}/5 ({self.outcome}): {self.rule}"]
        for e in self.evidence:
            mark = "right" if e.correct else "not right"
            lines.append(f"- {e.label}: answer key {e.expected}; candidate {e.given or '(nothing)'} ({mark})")
        return "\n".join(lines)


def money(value: Decimal, currency: str) -> str:
    """Format an amount for a prompt: ``£1,234.50`` or ``1,234.50 kr``.

    Args:
        value: The amount.
        currency: ``"£"``, ``"€"``, ``"$"`` or ``"kr"``.
    """
    text = f"{value.quantize(CENT, ROUND_HALF_UP):,.2f}"
    if value < 0:
        text = "-" + text.lstrip("-")
    return f"{text} {currency}" if currency == "kr" else f"{currency}{text}".replace(f"{currency}-", f"-{currency}")


def hours(value: Decimal) -> str:
    """Format hours without trailing zeros: ``46``, ``7.5``."""
    return f"{value.normalize():f}"


def cents(value: Decimal) -> Decimal:
    """Round half up to 0.01."""
    return value.quantize(CENT, ROUND_HALF_UP)


def same_amount(given: Decimal, key: Decimal) -> bool:
    """Whether a written amount matches the key.

    Rule: equal to the cent, or, when written as a whole number, equal to the
    key rounded half up to a whole unit ("£713" for £712.50).
    """
    if abs(given - key) <= CENT / 2:
        return True
    return given == given.to_integral_value() and given == key.quantize(Decimal(1), ROUND_HALF_UP)


def find_amount(numbers: tuple[ReadNumber, ...], key: Decimal, absolute: bool = False) -> ReadNumber | None:
    """The first number matching ``key`` by :func:`same_amount` (by size if ``absolute``)."""
    for n in numbers:
        value = abs(n.value) if absolute else n.value
        if same_amount(value, abs(key) if absolute else key):
            return n
    return None
