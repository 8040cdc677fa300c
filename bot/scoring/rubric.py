"""Parse and compile a rubric (the dict of ``data/bank/rubrics/<id>.yml``).

Rubric format (version 1)::

    version: 1
    scenario: angry_customer            # the question id
    primary: conflict_resolution
    secondary: patience
    topic: [order, delivery, ...]       # words that show the answer is about
                                        # this situation (off-topic check)
    competencies:
      <competency id>:
        for:                            # behaviours that show it
          - id: apologises              # unique within the competency
            text: Apologises for the experience
            weight: 1.0                 # > 0; 1.0 = one typical specific action
            beyond: false               # true: "beyond the obvious" (anchor 5:
                                        # follow-up, prevention, explains why)
            cues: ['\\bapologi[sz]e', '\\bsorry\\b']   # regexes, lower-case text
        against:                        # behaviours that count against it
          - id: tells_to_calm_down
            text: Tells the customer to calm down
            weight: 1.0
            severe: true                # counterproductive action (anchor 1)
            cues: ['\\bcalm down\\b']
    examples:                           # rated example answers (own writing)
      - text: "..."
        ratings: {conflict_resolution: 5, patience: 4}

Cues are Python regular expressions matched against the answer after
:func:`bot.scoring.text.normalise` (lower case, straight quotes, ``-`` dashes).
A "for" cue inside a negation scope (see :mod:`bot.scoring.negation`) becomes
evidence against; a negated "against" cue is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.bank.files import content_hash


class RubricError(ValueError):
    """A rubric is malformed (missing keys, bad regex, bad weight)."""


@dataclass(frozen=True)
class Indicator:
    """One compiled rubric indicator.

    Attributes:
        id: Indicator id, unique within its competency.
        competency: The competency id it belongs to.
        polarity: ``"for"`` or ``"against"``.
        text: Human-readable behaviour.
        weight: Strength of one match (unitless, 1.0 = typical).
        beyond: A "beyond the obvious" behaviour (rating-5 anchor).
        severe: A counterproductive behaviour (rating-1 anchor).
        cues: Compiled regexes.
    """

    id: str
    competency: str
    polarity: str
    text: str
    weight: float
    beyond: bool
    severe: bool
    cues: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Example:
    """A rated example answer of the rubric."""

    text: str
    ratings: dict[str, int]


@dataclass(frozen=True)
class CompiledRubric:
    """A rubric ready for matching.

    Attributes:
        scenario: The question id.
        version: ``"<version>+<first 12 hex of content hash>"``.
        hash: Full SHA-256 content hash of the rubric dict.
        indicators: Competency id -> indicators (for and against).
        topic: Lower-case topic words (prefix match).
        examples: Rated example answers.
    """

    scenario: str
    version: str
    hash: str
    indicators: dict[str, tuple[Indicator, ...]]
    topic: tuple[str, ...]
    examples: tuple[Example, ...]


_CACHE: dict[str, CompiledRubric] = {}


def compile_rubric(rubric: dict[str, Any], scenario: str = "") -> CompiledRubric:
    """Compile a rubric dict (cached by content hash).

    Args:
        rubric: The rubric mapping as read from YAML.
        scenario: The question id, used when the rubric has no ``scenario``.

    Returns:
        The compiled rubric.

    Raises:
        RubricError: The rubric is not a mapping of the documented shape or a
            cue is not a valid regular expression.
    """
    if not isinstance(rubric, dict):
        raise RubricError("a rubric must be a mapping")
    digest = content_hash(rubric)
    cached = _CACHE.get(digest)
    if cached is not None:
        return cached
    comps = rubric.get("competencies")
    if not isinstance(comps, dict):
        raise RubricError("rubric: 'competencies' must be a mapping")
    indicators: dict[str, tuple[Indicator, ...]] = {}
    for comp_id, block in comps.items():
        items: list[Indicator] = []
        for polarity in ("for", "against"):
            for raw in (block or {}).get(polarity) or ():
                items.append(_indicator(str(comp_id), polarity, raw))
        ids = [i.id for i in items]
        if len(ids) != len(set(ids)):
            raise RubricError(f"rubric: duplicate indicator id in {comp_id}")
        indicators[str(comp_id)] = tuple(items)
    examples = tuple(
        Example(text=str(e["text"]), ratings={str(k): int(v) for k, v in (e.get("ratings") or {}).items()})
        for e in rubric.get("examples") or ()
        if isinstance(e, dict) and e.get("text")
    )
    compiled = CompiledRubric(
        scenario=str(rubric.get("scenario") or scenario),
        version=f"{rubric.get('version', 0)}+{digest[:12]}",
        hash=digest,
        indicators=indicators,
        topic=tuple(str(t).lower() for t in rubric.get("topic") or ()),
        examples=examples,
    )
    _CACHE[digest] = compiled
    return compiled


def _indicator(competency: str, polarity: str, raw: Any) -> Indicator:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("cues"):
        raise RubricError(f"rubric: {competency}.{polarity}: each indicator needs id and cues")
    weight = float(raw.get("weight", 1.0))
    if weight <= 0:
        raise RubricError(f"rubric: {competency}.{raw['id']}: weight must be > 0")
    cues = []
    for cue in raw["cues"]:
        try:
            cues.append(re.compile(str(cue)))
        except re.error as exc:
            raise RubricError(f"rubric: {competency}.{raw['id']}: bad cue {cue!r}: {exc}") from exc
    return Indicator(
        id=str(raw["id"]),
        competency=competency,
        polarity=polarity,
        text=str(raw.get("text", raw["id"])),
        weight=weight,
        beyond=bool(raw.get("beyond", False)),
        severe=bool(raw.get("severe", False)),
        cues=tuple(cues),
    )
