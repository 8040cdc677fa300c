"""Match rubric indicators in an answer and turn matches into evidence.

For each indicator cue match: find its sentence; skip it if the sentence was
excluded by the validity checks (copied question, keyword list, instruction
to the grader, markup); apply negation scope (:mod:`bot.scoring.negation`):
a negated "for" cue becomes evidence *against* the competency with the same
indicator id, a negated "against" cue, one inside a condition ("if we
skip it") or one said of someone else ("a colleague once told the customer
it's not our fault") is dropped, as is a negated "for" cue inside a condition
("if I haven't heard by Friday"). Overlapping matches of one indicator are merged; at
most :data:`MAX_SPANS_PER_INDICATOR` spans are kept per indicator so a
repeated phrase cannot add weight.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from bot.scoring.negation import hypothetical, negation_trigger
from bot.scoring.rubric import CompiledRubric, Indicator
from bot.scoring.spelling import speller_for
from bot.scoring.text import Span, sentences
from bot.scoring.types import Evidence

MAX_SPANS_PER_INDICATOR = 3
#: "Naming is not doing" (rating guide): a "for" cue inside a self-description
#: ("I'm very organised, I love checklists and calendars", "I know the law",
#: "people say I'm patient") is not evidence of the behaviour. A cue is in a
#: self-description when, earlier in its sentence, a claim opener occurs and
#: no action marker ("I'd", "I will", "then", "so I", ...) comes between the
#: claim and the cue.
_CLAIM_RE = re.compile(
    r"\b(?:i(?:'m| am) (?:a |an )?(?:very |really |super |so |extremely |quite |always |naturally |highly )*"
    r"(?:good|great|excellent|strong|skilled|experienced|organi[sz]ed|known|brilliant|amazing|perfect|"
    r"expert|fluent|communicator|people person|detail-oriented|team player|reliable|warm|kind|polite|friendly|"
    r"caring|positive|helpful|punctual|careful|precise|accurate|methodical|tech-savvy|efficient)\b"
    r"|i (?:love|enjoy|adore)\b|i consider myself\b|i have (?:a |an )?(?:very |really )?"
    r"(?:great|good|excellent|strong|lots of|a lot of|years of|plenty of)\b"
    r"|i know (?:the |all the |every )?(?:law|laws|rules|regulations)\b"
    r"|(?:people|everyone|my (?:managers?|colleagues|boss)|colleagues) (?:say|said|tell|told|call)\b"
    r"|my (?:strengths?|skills?|qualities) (?:is|are|include)\b)"
)
_ACTION_RE = re.compile(
    r"\b(?:i'?d|i would|i will|i'?ll|i'?m going to|i can|i could|then|so i|first|next|after that|we'?d|we would|"
    r"we will|we'?ll|let me|when|if"
    # present-tense actions, common in non-native answers ("I am friendly and I ask ...")
    r"|i (?:ask|say|tell|check|explain|call|ring|write|send|offer|look|give|make|put|listen|repeat|compare|"
    r"email|contact|go|take|help|try|find|sort|file|recalculate|refuse|apologi[sz]e))\b"
)
NAMING_IS_NOT_DOING = True
#: What someone else did is not what the candidate would do: an "against" cue
#: is dropped when its sentence tells of a third person's past action — the
#: person opens the sentence (no first-person word before them) and a
#: past-tense verb follows within three words ("a colleague of mine once told
#: a customer 'it's not my fault'") — and no first-person word comes between
#: that person and the cue. Anecdotes about other people's mistakes are how
#: experienced candidates often explain what they would do instead.
_THIRD_PARTY_RE = re.compile(
    r"\b(?:colleagues?|co-?workers?|predecessors?|someone|somebody|other (?:staff|people|agents)"
    r"|(?:my|a|the|one|another|our|his|her) (?:old |former |previous |last )?"
    r"(?:manager|boss|supervisor|team ?lead|agent|guy|girl|person|employer))"
    r"(?:\s+\S+){0,3}?\s+(?:told|said|did|was|were|used to|kept|tried|got|argued|blamed|shouted|snapped|skipped"
    r"|ignored|refused|asked|answered|replied|wanted|pressured|pushed|begged|expected)\b"
)
#: "asked me to skip it": what the third person asked for, not what the candidate did.
_REQUEST_OBJECT_RE = re.compile(r"\s+(?:me|us)\s+(?:to|if)\b")
_REQUEST_VERBS = ("told", "asked", "wanted", "pressured", "pushed", "begged", "expected")
_FIRST_PERSON_RE = re.compile(r"\b(?:i|i'd|i'll|i'm|i've|id|im|we|we'd|we'll|we're|me|my)\b")


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``text[start:end]`` to whole words, so evidence reads as words.

    A cue such as ``apologi[sz]`` matches "apologis" inside "apologise"; the
    recruiter sees the word, "apologise". Only letters and apostrophes
    inside a word are taken in.
    """
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "'") and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and (text[end - 1].isalnum() or text[end - 1] == "'"):
        end += 1
    return start, end


def said_of_someone_else(text: str, cue_start: int, sentence_start: int) -> bool:
    """True if the cue's sentence tells what a third person did (see :data:`_THIRD_PARTY_RE`)."""
    other = _THIRD_PARTY_RE.search(text, sentence_start, cue_start)
    if other is None or _FIRST_PERSON_RE.search(text, sentence_start, other.start()) is not None:
        return False
    after = other.end()
    if other.group(0).endswith(_REQUEST_VERBS):
        request = _REQUEST_OBJECT_RE.match(text, after, cue_start)
        if request is not None:
            after = request.end()
    return _FIRST_PERSON_RE.search(text, after, cue_start) is None


def in_self_description(text: str, cue_start: int, cue_end: int, sentence_start: int) -> bool:
    """True if the cue at ``cue_start:cue_end`` lies in a self-description (see :data:`_CLAIM_RE`)."""
    claim = None
    for found in _CLAIM_RE.finditer(text, sentence_start, cue_end):
        if found.start() <= cue_start:
            claim = found
    if claim is None:
        return False
    return claim.end() >= cue_start or _ACTION_RE.search(text, claim.end(), cue_start) is None


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
                    if ind.polarity == "against" and (
                        trigger
                        or hypothetical(norm, m.start(), sent_start)
                        or said_of_someone_else(norm, m.start(), sent_start)
                    ):
                        continue
                    # "if I haven't heard by the 14th, I chase": a negation inside a
                    # condition names a case, not what the candidate would not do
                    if trigger and hypothetical(norm, m.start(), sent_start):
                        continue
                    if (
                        NAMING_IS_NOT_DOING
                        and ind.polarity == "for"
                        and not trigger
                        and in_self_description(norm, m.start(), m.end(), sent_start)
                    ):
                        continue
                    polarity = "against" if trigger else ind.polarity
                    note = ind.text if not trigger else f"negated ({trigger!r}): {ind.text}"
                    o_start, o_end = whole_words(original, o_start, o_end)
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
