"""Match rubric indicators in an answer and turn matches into evidence.

For each indicator cue match: find its sentence; skip it if the sentence was
excluded by the validity checks (copied question, keyword list, instruction
to the grader, markup); apply negation scope (:mod:`bot.scoring.negation`):
a negated "for" cue becomes evidence *against* the competency with the same
indicator id, a negated "against" cue, or one inside a condition ("if we skip it"), is dropped. Overlapping matches of one
indicator are merged; at most :data:`MAX_SPANS_PER_INDICATOR` spans are kept
per indicator so a repeated phrase cannot add weight.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from bot.scoring.negation import hypothetical, negation_trigger
from bot.scoring.rubric import CompiledRubric, Indicator
from bot.scoring.spelling import speller_for
from bot.scoring.text import Span, sentences
from bot.scoring.types import Evidence

MAX_SPANS_PER_INDICATOR = 3
#: Match cues on a copy of the answer with slips in cue words corrected
#: (:mod:`bot.scoring.spelling`); spans still point into the original.
TOLERATE_TYPOS = True


@dataclass(frozen=True)
class Hit:
    """One indicator match, before aggregation.

    Attributes:
        indicator: The rubric indicator.
        evidence: The evidence built from the match.
        negated: True if a "for" cue was negated (now evidence against).
    """

    indicator: Indicator
    evidence: Evidence
    negated: bool


def match_indicators(
    rubric: CompiledRubric,
    competencies: list[str],
    original: str,
    norm: str,
    sents: list[Span],
    excluded: list[tuple[int, int]],
) -> dict[str, list[Hit]]:
    """Find the evidence of each competency's indicators.

    Args:
        rubric: The compiled rubric.
        competencies: Competency ids to look for (those without indicators in
            the rubric get an empty list).
        original: The answer as given (spans are cut from it).
        norm: ``normalise(original)``; same length.
        sents: Sentences of ``norm``.
        excluded: ``(start, end)`` ranges whose matches are ignored.

    Returns:
        Competency id -> hits in answer order.
    """
    corrected = speller_for(rubric).correct(norm) if TOLERATE_TYPOS else None
    offsets: list[int] | None = None
    if corrected is not None:
        norm, offsets = corrected
        sents = sentences(norm)
    starts = [s.start for s in sents]
    out: dict[str, list[Hit]] = {}
    for comp in competencies:
        hits: list[Hit] = []
        for ind in rubric.indicators.get(comp, ()):
            kept: list[tuple[int, int]] = []
            for cue in ind.cues:
                for m in cue.finditer(norm):
                    if m.end() <= m.start() or len(kept) >= MAX_SPANS_PER_INDICATOR:
                        continue
                    o_start, o_end = m.start(), m.end()
                    if offsets is not None:
                        o_start, o_end = offsets[o_start], offsets[o_end - 1] + 1
                    if any(a <= o_start < b for a, b in excluded):
                        continue
                    if any(m.start() < b and a < m.end() for a, b in kept):
                        continue
                    kept.append((m.start(), m.end()))
                    idx = bisect_right(starts, m.start()) - 1
                    sent_start = sents[idx].start if idx >= 0 else 0
                    trigger = negation_trigger(norm, m.start(), sent_start)
                    if ind.polarity == "against" and (trigger or hypothetical(norm, m.start(), sent_start)):
                        continue
                    polarity = "against" if trigger else ind.polarity
                    note = ind.text if not trigger else f"negated ({trigger!r}): {ind.text}"
                    ev = Evidence(
                        text=original[o_start:o_end],
                        start=o_start,
                        end=o_end,
                        indicator=ind.id,
                        polarity=polarity,  # type: ignore[arg-type]
                        strength=ind.weight,
                        note=note,
                    )
                    hits.append(Hit(indicator=ind, evidence=ev, negated=bool(trigger)))
        hits.sort(key=lambda h: (h.evidence.start, h.evidence.end, h.indicator.id))
        out[comp] = hits
    return out
