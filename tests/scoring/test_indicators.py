"""Indicator matching: spans, negation, exclusion, caps on repeats."""

from __future__ import annotations

from bot.scoring.indicators import MAX_SPANS_PER_INDICATOR, match_indicators
from bot.scoring.rubric import compile_rubric
from bot.scoring.text import normalise, sentences

RUBRIC = {
    "version": 1,
    "competencies": {
        "patience": {
            "for": [
                {"id": "listens", "weight": 1.0, "cues": [r"\blisten\w*"]},
                {"id": "chases", "weight": 1.0, "cues": [r"\bby friday\b"]},
            ],
            "against": [{"id": "argues", "weight": 1.0, "severe": True, "cues": [r"\bargue\w*"]}],
        }
    },
}


def _hits(text: str, excluded=()):
    norm = normalise(text)
    return match_indicators(
        compile_rubric(RUBRIC, "t"), ["patience", "other"], text, norm, sentences(norm), list(excluded)
    )


def test_spans_are_offsets_into_the_original() -> None:
    text = "Then I’d LISTEN carefully."
    hit = _hits(text)["patience"][0]
    assert text[hit.evidence.start : hit.evidence.end] == hit.evidence.text == "LISTEN"
    assert hit.evidence.polarity == "for"


def test_negated_for_becomes_against_and_negated_against_is_dropped() -> None:
    hits = _hits("I would not listen. I would never argue.")["patience"]
    assert [(h.indicator.id, h.evidence.polarity, h.negated) for h in hits] == [("listens", "against", True)]


def test_excluded_ranges_are_ignored() -> None:
    text = "listen listen. I argue."
    assert [h.indicator.id for h in _hits(text, [(0, 14)])["patience"]] == ["argues"]


def test_repeats_are_capped() -> None:
    assert len(_hits("listen " * 50)["patience"]) == MAX_SPANS_PER_INDICATOR


def test_unknown_competency_gives_empty_list() -> None:
    assert _hits("listen")["other"] == []


def test_negated_for_cue_inside_a_condition_is_dropped() -> None:
    hits = _hits("I'd chase them if I haven't heard by Friday.")["patience"]
    assert hits == []


def test_against_cue_in_what_someone_else_did_is_dropped() -> None:
    text = "A colleague of mine once told a customer off and argued with her. I'd listen instead."
    assert [(h.indicator.id, h.evidence.polarity) for h in _hits(text)["patience"]] == [("listens", "for")]


def test_against_cue_is_kept_when_the_candidate_acts() -> None:
    for text in ("My manager said so and I'd argue back.", "I'd ask someone in HR and argue with them."):
        assert [h.indicator.id for h in _hits(text)["patience"]] == ["argues"], text


def test_what_someone_asked_the_candidate_to_do_is_not_their_behaviour() -> None:
    text = "My manager once asked me to argue with the supplier. I'd listen first."
    assert [(h.indicator.id, h.evidence.polarity) for h in _hits(text)["patience"]] == [("listens", "for")]
