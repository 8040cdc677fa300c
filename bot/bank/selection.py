"""Choose a role's questions from the bank."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: Questions per interview from the role's own family and from the other one.
OWN_FAMILY_QUESTIONS = 4
OTHER_FAMILY_QUESTIONS = 2
#: How much a question's secondary competency counts next to its primary one.
SECONDARY_WEIGHT = 0.5


@dataclass(frozen=True)
class QuestionInfo:
    """What selection needs to know of a question."""

    id: str
    family: str
    primary: str
    secondary: str


def relevance(question: QuestionInfo, weights: Mapping[str, float]) -> float:
    """How much a question tells about a role: w(primary) + 0.5 * w(secondary)."""
    return weights.get(question.primary, 0.0) + SECONDARY_WEIGHT * weights.get(question.secondary, 0.0)


def plan_questions(
    role_family: str,
    weights: Mapping[str, float],
    questions: Iterable[QuestionInfo],
    own: int = OWN_FAMILY_QUESTIONS,
    other: int = OTHER_FAMILY_QUESTIONS,
) -> list[str]:
    """The ordered question ids of a role's interview.

    Takes the ``own`` most relevant questions of the role's family and the
    ``other`` most relevant of the other family (ties broken by id, so a plan
    is deterministic), and interleaves them so that the other family's
    questions come after every two of the role's own: e.g. own, own, other,
    own, own, other.

    Args:
        role_family: ``"front_office"`` or ``"back_office"``.
        weights: Competency id -> role weight.
        questions: The bank's questions.
        own: How many questions of the role's family.
        other: How many of the other family.

    Returns:
        Question ids, at most ``own + other`` of them.
    """
    ranked = sorted(questions, key=lambda q: (-relevance(q, weights), q.id))
    mine = [q.id for q in ranked if q.family == role_family][:own]
    theirs = [q.id for q in ranked if q.family != role_family][:other]
    plan: list[str] = []
    while mine or theirs:
        plan.extend(mine[:2])
        del mine[:2]
        if theirs:
            plan.append(theirs.pop(0))
    return plan
