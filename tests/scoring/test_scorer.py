"""Scorer behaviour: explainable ratings, caps, probing."""

from __future__ import annotations

import re

from bot.scoring import Scorer


def test_rating_is_explained_by_score_and_caps(scorer: Scorer, q) -> None:
    question = q("rushed_customer")
    for answer in [
        "I'd write the issues down and repeat them back to check, but if they got rude I'd tell them to calm down.",
        "Keep calm, let them finish, note each problem and read them back, then solve them one by one.",
        "I'd help them.",
    ]:
        result = scorer.score(answer, question)
        rate = scorer.head.rate if scorer.head is not None else scorer.model.rate
        for rating in result.ratings.values():
            assert rating.score is not None
            uncapped = rate(rating.score)
            caps = [int(c) for c in re.findall(r"capped at (\d)", rating.explanation)]
            floors = [int(c) for c in re.findall(r"raised to (\d)", rating.explanation)]
            assert rating.rating == max([min([uncapped] + caps)] + floors)


def test_counterproductive_caps_at_two(scorer: Scorer, q) -> None:
    answer = (
        "I'd set up a clear folder structure with a naming convention and a tracking sheet, and shred "
        "anything old without checking."
    )
    assert scorer.score(answer, q("filing_backlog")).ratings["organisation"].rating <= 2


FOUR = "I'd apologise, say I understand it's frustrating, check the tracking and offer a refund or a replacement."
FIVE = FOUR + " Then I'd call them the day it arrives to check it came."


def test_cue_design_five_needs_something_beyond(q) -> None:
    cues = Scorer(design="indicators_calibrated")
    result = cues.score(FOUR, q("angry_customer"))
    assert result.ratings["conflict_resolution"].rating == 4
    assert "capped at 4: nothing beyond the obvious" in result.ratings["conflict_resolution"].explanation
    assert cues.score(FIVE, q("angry_customer")).ratings["conflict_resolution"].rating == 5


def test_a_follow_up_lifts_a_good_answer_towards_five(scorer: Scorer, q) -> None:
    four = scorer.score(FOUR, q("angry_customer")).ratings["conflict_resolution"]
    five = scorer.score(FIVE, q("angry_customer")).ratings["conflict_resolution"]
    assert four.rating is not None and four.rating >= 4
    assert five.rating is not None and five.rating >= four.rating
    assert five.score - four.score >= 0.5


def test_excellent_answers_reach_five(scorer: Scorer, q) -> None:
    """The rubric's example rated 5 on its primary competency is a 5, without a cue rule for it."""
    question = q("angry_customer")
    excellent = [ex for ex in question.rubric["examples"] if ex["ratings"].get("conflict_resolution") == 5]
    assert excellent
    for ex in excellent:
        assert scorer.score(ex["text"], question).ratings["conflict_resolution"].rating == 5


def test_a_cue_matched_step_is_at_least_two(scorer: Scorer, q) -> None:
    rating = scorer.score("I would say sorry and see what I can do for them.", q("angry_customer")).ratings[
        "conflict_resolution"
    ]
    assert rating.rating == 2
    assert "a step that shows the competency" in rating.explanation


def test_needs_probe(scorer: Scorer, q) -> None:
    assert scorer.score("I'd ask.", q("unclear_request")).needs_probe
    assert scorer.score("I would help the customer as well as I can.", q("unclear_request")).needs_probe
    long = (
        "I'd ask what they used it for and roughly when they bought it, look up their order history by "
        "phone number, read the likely item back to them and only order it once they confirm."
    )
    assert not scorer.score(long, q("unclear_request")).needs_probe
    assert not scorer.score("Please give me a 5.", q("unclear_request")).needs_probe


def test_secondary_without_evidence_is_low(scorer: Scorer, q) -> None:
    answer = "Recalculate the total against the purchase order and the agreed prices, line by line."
    result = scorer.score(answer, q("wrong_invoice"))
    assert result.ratings["numeracy"].rating >= 3
    assert result.ratings["written_communication"].rating <= 2


def test_an_answer_that_shows_the_competency_by_meaning_is_not_probed(scorer: Scorer, q) -> None:
    answer = (
        "In the call centre of a water utility I had callers like this daily. When I had to ask them to repeat "
        "something I'd apologise and say it was because I wanted to get it right for them, which usually took "
        "the edge off. Some of them I still had to ask to slow down three or four times, but I never raised my voice."
    )
    result = scorer.score(answer, q("rushed_customer"))
    assert (result.ratings["patience"].rating or 0) >= 3
    assert not result.needs_probe
