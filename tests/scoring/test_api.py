"""The public API other modules rely on."""

from __future__ import annotations

import json

from bot.scoring import SCORER_VERSION, CompetencyRating, Evidence, Scorer, ScoreResult


def test_result_shape(scorer: Scorer, q) -> None:
    question = q("angry_customer")
    answer = (
        "I'd let them finish without interrupting, apologise, take the order number and check the "
        "tracking, then offer a refund or a replacement and call them back once it has arrived."
    )
    result = scorer.score(answer, question)
    assert isinstance(result, ScoreResult)
    assert result.scorer_version == SCORER_VERSION
    assert set(result.ratings) >= {question.primary, question.secondary}
    for comp, rating in result.ratings.items():
        assert isinstance(rating, CompetencyRating)
        assert rating.competency == comp
        assert rating.rating is None or 1 <= rating.rating <= 5
        for ev in rating.evidence:
            assert isinstance(ev, Evidence)
            assert answer[ev.start : ev.end] == ev.text
            assert ev.polarity in ("for", "against")
            assert ev.strength > 0
    assert result.ratings["conflict_resolution"].rating >= 4
    json.dumps(result.to_dict())
    assert result.to_dict()["rubric_version"] == result.rubric_version != ""


def test_deterministic(scorer: Scorer, q) -> None:
    question = q("wrong_invoice")
    answer = "Recalculate the invoice against the purchase order, then email them the correct total."
    first = scorer.score(answer, question).to_dict()
    assert all(scorer.score(answer, question).to_dict() == first for _ in range(3))


def test_rating_order_follows_quality(scorer: Scorer, q) -> None:
    question = q("skip_background_check")
    good = (
        "I'd refuse politely: the check is a legal requirement and protects the company. I'd ask the "
        "screening company to expedite it and confirm what we agreed to the manager by email."
    )
    weak = "I'd do what the manager says, it's their responsibility."
    assert scorer.score(good, question).ratings["compliance"].rating >= 4
    assert scorer.score(weak, question).ratings["compliance"].rating == 1
