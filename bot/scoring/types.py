"""Result types of the answer scorer.

All types are plain dataclasses with a ``to_dict`` that returns JSON-serialisable
values, so a result can be stored as JSON and read back by recruiters' tools.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Polarity = Literal["for", "against"]


@dataclass(frozen=True)
class Evidence:
    """One piece of the answer that matched a rubric indicator.

    Attributes:
        text: The matched span, exactly ``answer_text[start:end]``.
        start: Offset of the first character in the answer (0-based, in
            Python ``str`` code points, not bytes).
        end: Offset one past the last character.
        indicator: The rubric indicator id (``"<competency>.<id>"`` is not
            used; the id is local to the competency), or a scorer-defined id
            such as ``"example_similarity"`` for embedding evidence.
        polarity: ``"for"`` if the span shows the competency, ``"against"``
            if it counts against it (including a negated "for" indicator).
        strength: The indicator's weight after negation/hedging, > 0; a
            unitless number on the rubric's weight scale (1.0 = typical).
        note: Short human-readable reason, e.g. ``"negated: 'not'"``.
    """

    text: str
    start: int
    end: int
    indicator: str
    polarity: Polarity
    strength: float
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "indicator": self.indicator,
            "polarity": self.polarity,
            "strength": round(float(self.strength), 4),
            "note": self.note,
        }


@dataclass
class CompetencyRating:
    """The rating of one competency for one answer.

    Attributes:
        competency: Competency id, e.g. ``"patience"``.
        rating: 1-5 on the scale of ``shared/spec/rating_guide.md``, or
            ``None`` for "insufficient evidence" (an empty answer).
        evidence: The matched spans, for and against, in answer order.
        score: The continuous score the rating was cut from (rating scale
            units, roughly 1-5); ``None`` when the rating was set by a rule.
        explanation: One sentence saying how the rating follows from the
            evidence and the rules applied (caps, flags).
        role: ``"primary"``, ``"secondary"`` or ``"other"``.
    """

    competency: str
    rating: int | None
    evidence: list[Evidence] = field(default_factory=list)
    score: float | None = None
    explanation: str = ""
    role: str = "primary"

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form."""
        return {
            "competency": self.competency,
            "rating": self.rating,
            "score": None if self.score is None else round(float(self.score), 4),
            "explanation": self.explanation,
            "role": self.role,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass
class ScoreResult:
    """Everything the scorer says about one answer.

    Attributes:
        question_id: The scenario id the answer was scored against.
        ratings: Competency id -> rating; always holds the question's primary
            and secondary competency.
        flags: Validity flags, sorted (see :mod:`bot.scoring.validity`).
        needs_probe: True when the answer is too short or vague to score
            well and the bot should ask its one follow-up question.
        scorer_version: :data:`bot.scoring.SCORER_VERSION`.
        rubric_version: The rubric's ``version`` field plus the first 12 hex
            digits of its content hash, e.g. ``"3+ab12cd34ef56"``.
        design: Which scoring design produced the ratings (for audit).
    """

    question_id: str
    ratings: dict[str, CompetencyRating]
    flags: list[str]
    needs_probe: bool
    scorer_version: str
    rubric_version: str
    design: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form, for storage."""
        return {
            "question_id": self.question_id,
            "ratings": {k: v.to_dict() for k, v in self.ratings.items()},
            "flags": list(self.flags),
            "needs_probe": bool(self.needs_probe),
            "scorer_version": self.scorer_version,
            "rubric_version": self.rubric_version,
            "design": self.design,
        }
