"""The semantic head: pinned parameters, sentence pooling, and the semantic design's ratings."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from bot.scoring import Scorer
from bot.scoring.semantic import (
    CLAUSE_SPLIT_WORDS,
    HEAD_PATH,
    MAX_SENTENCES,
    HeadChecksumError,
    answer_vectors,
    describes_action,
    load_head,
    sentence_spans,
)


@pytest.fixture(scope="module")
def semantic(scorer: Scorer) -> Scorer:
    return Scorer(design="semantic", encoder=scorer.encoder)


def test_head_loads_with_its_pinned_digest() -> None:
    head = load_head()
    assert len(head.competencies) == 12
    assert list(head.cutpoints) == sorted(head.cutpoints)


def test_a_changed_head_is_refused(tmp_path) -> None:
    copy = tmp_path / "head.npz"
    shutil.copy(HEAD_PATH, copy)
    copy.write_bytes(copy.read_bytes() + b"\0")
    with pytest.raises(HeadChecksumError):
        load_head(copy)


def test_sentence_spans_join_fragments_and_stop_at_the_limit() -> None:
    text = "Ok. I would ask what they bought. Then I check it."
    spans = sentence_spans(text)
    assert [s.text for s in spans] == ["Ok. I would ask what they bought.", "Then I check it."]
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert len(sentence_spans("I ask them again. " * 40)) == MAX_SENTENCES
    assert sentence_spans("   ") == []


def test_a_long_unpunctuated_sentence_is_read_clause_by_clause() -> None:
    text = (
        "i would say sorry to them then check the order in the system and then call them back "
        "tomorrow to see if it came, also i would write it down"
    )
    assert len(text.split()) > CLAUSE_SPLIT_WORDS
    spans = sentence_spans(text)
    assert [s.text for s in spans] == [
        "i would say sorry to them",
        "then check the order in the system",
        "and then call them back tomorrow to see if it came",
        "also i would write it down",
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)
    short = "I say sorry then I check it."
    assert [s.text for s in sentence_spans(short)] == [short]  # short sentences stay whole


def test_a_repeated_sentence_is_read_once(scorer: Scorer) -> None:
    vecs = answer_vectors(scorer.encoder, "I check the tracking. I check the tracking. Then I call them back.")
    assert [s.text for s in vecs.spans] == ["I check the tracking.", "Then I call them back."]


def test_answer_vectors_are_unit_mean_of_sentences(scorer: Scorer) -> None:
    vecs = answer_vectors(scorer.encoder, "I let them finish talking. Then I say sorry and check the order.")
    assert vecs.vectors.shape == (2, 384)
    assert np.isclose(np.linalg.norm(vecs.mean), 1.0, atol=1e-5)
    empty = answer_vectors(scorer.encoder, "")
    assert empty.spans == [] and not empty.mean.any()


def test_sentence_shares_add_up_to_the_meaning_part_of_the_score(scorer: Scorer) -> None:
    head = load_head()
    vecs = answer_vectors(
        scorer.encoder, "I let them finish talking. Then I say sorry and check the order. I call back on Friday."
    )
    cue = {"f_core": 1.0, "f_beyond": 0.0, "a_sum": 0.0, "a_severe": 0.0, "is_primary": 1.0}
    _, meaning = head.score(cue, "conflict_resolution", vecs)
    shares = head.sentence_contributions(vecs)
    assert shares.shape == (3,)
    assert np.isclose(shares.sum(), meaning, atol=1e-4)


def test_a_repeated_sentence_leaves_the_pooled_vectors_unchanged(scorer: Scorer) -> None:
    once = answer_vectors(scorer.encoder, "I write down the order number. Then I check the tracking.")
    twice = answer_vectors(
        scorer.encoder, "I write down the order number. Then I check the tracking. Then I check the tracking."
    )
    assert np.allclose(once.max, twice.max, atol=0.05)


def test_semantic_ratings_show_the_sentences_that_carried_them(semantic: Scorer, q) -> None:
    answer = (
        "I let the customer finish without interrupting and say sorry that it has taken two weeks. "
        "I take the order number, check the tracking while they wait and offer a refund or a replacement. "
        "Then I call them back the next day to make sure it arrived."
    )
    result = semantic.score(answer, q("angry_customer"))
    rating = result.ratings["conflict_resolution"]
    assert rating.rating is not None and rating.rating >= 4
    meaning = [e for e in rating.evidence if e.indicator.startswith("meaning")]
    assert meaning and all(answer[e.start : e.end] == e.text for e in meaning)
    assert all(e.note.startswith("reads like: ") for e in meaning)
    assert "meaning of the sentences" in rating.explanation


def test_semantic_design_still_rates_gaming_one(semantic: Scorer, q) -> None:
    question = q("angry_customer")
    for answer in ("empathy, patience, conflict resolution, active listening", "asdf qwer zxcv uiop hjkl"):
        result = semantic.score(answer, question)
        assert all(r.rating in (1, 2) for r in result.ratings.values()), (answer, result.ratings)
    counter = semantic.score("I'd tell them to calm down, it's the courier's problem not ours.", question)
    assert counter.ratings["conflict_resolution"].rating <= 2


@pytest.mark.parametrize(
    "sentence,acts",
    [
        ("i checked the rota day by day", True),
        ("i'd ring them and apologise", True),
        ("then check the order and call them", True),
        ("a manager once asked me to skip it for a new hire", False),
        ("at the shop i worked in, a man shouted about a late parcel", False),
        ("customer service matters a great deal to me", False),
        ("thank you, this is interesting", False),
    ],
)
def test_describes_action(sentence: str, acts: bool) -> None:
    assert describes_action(sentence) is acts


def test_filler_about_the_interview_is_not_read(semantic: Scorer, q) -> None:
    core = "I'd ask what they used it for and roughly when they bought it."
    padded = (
        "Thank you for the question. I think this is a really interesting situation and customer service "
        "matters a great deal to me. " + core + " I hope this answer gives you a good idea of my approach."
    )
    semantic.score(padded, q("unclear_request"))
    assert semantic.last_vectors is not None
    assert [s.text for s in semantic.last_vectors.spans] == [core]


def test_spans_of_the_read_sentences_point_into_the_answer(semantic: Scorer, q) -> None:
    answer = "I'd apologise to Mr Chen and check his order. Then I'd call him back from Leeds once it arrives."
    semantic.score(answer, q("angry_customer"))
    assert semantic.last_vectors is not None
    spans = semantic.last_vectors.spans
    assert len(spans) == 2 and all(answer[s.start : s.end] == s.text for s in spans)
