"""Typing slips in cue words still count; real words are never "corrected"."""

from __future__ import annotations

import time

from bot.scoring.rubric import compile_rubric
from bot.scoring.spelling import Speller, _slip, cue_vocabulary, speller_for

CLEAN = (
    "I'd apologise, check the tracking on their order and offer a replacement or a refund, "
    "then follow up with a call once it arrives."
)
SLIPS = (
    "I'd apolgise, check the tracknig on their order and offer a replacment or a refnud, "
    "then folow up with a call once it arrives."
)


def test_slips_score_like_the_clean_answer(scorer, q) -> None:
    clean = scorer.score(CLEAN, q("angry_customer"))
    slips = scorer.score(SLIPS, q("angry_customer"))
    for comp, rating in clean.ratings.items():
        assert slips.ratings[comp].rating == rating.rating, comp


def test_evidence_spans_point_into_the_candidates_words(scorer, q) -> None:
    result = scorer.score(SLIPS, q("angry_customer"))
    texts = {e.text for e in result.ratings["conflict_resolution"].evidence}
    assert "apolgise" in texts or any("apolgise" in t for t in texts)
    for e in result.ratings["conflict_resolution"].evidence:
        assert SLIPS[e.start : e.end] == e.text


def test_real_words_and_consonant_swaps_are_left_alone(q) -> None:
    sp = speller_for(compile_rubric(q("angry_customer").rubric, "angry_customer"))
    for word in ("listed", "trial", "refund", "apologise", "courier", "banana", "x" * 100):
        assert sp.correct_word(word) is None, word
    assert sp.correct_word("apolgise") == "apologise"
    assert sp.correct_word("courrier") == "courier"


def test_slip_kinds() -> None:
    assert _slip("recieve", "receive")  # swap
    assert _slip("calender", "calendar")  # vowel for vowel
    assert _slip("folow", "follow")  # dropped letter
    assert _slip("refundd", "refund")  # extra letter
    assert not _slip("listed", "listen")  # consonant substitution
    assert not _slip("abcdef", "abcxyz")


def test_vocabulary_and_determinism() -> None:
    vocab = cue_vocabulary([r"\bapologi[sz]e", r"\b(?:refund|replacement)\b", r"\bcalm\b"])
    assert {"apologi", "refund", "replacement"} <= vocab and "calm" not in vocab
    a, b = Speller(vocab), Speller(vocab)
    text = "i would apolgise and offer a refnud"
    assert a.correct(text) == b.correct(text)
    fixed, offsets = a.correct(text)
    assert fixed == "i would apologise and offer a refund"
    assert len(offsets) == len(fixed) + 1


def test_long_unbroken_input_is_cheap(q) -> None:
    sp = speller_for(compile_rubric(q("angry_customer").rubric, "angry_customer"))
    start = time.perf_counter()
    sp.correct("x" * 20_000 + " " + "apolgise " * 2_000)
    assert time.perf_counter() - start < 1.0
