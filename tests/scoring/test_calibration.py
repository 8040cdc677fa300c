"""Calibration model, feature extraction and the fitting helpers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bot.scoring.calibration import HAND_RULE, LinearOrdinal, load_designs
from bot.scoring.features import CORE_CAP, competency_features
from bot.scoring.fit import fit_linear, folds_grouped, folds_stratified, optimise_cutpoints


def test_rate_and_contributions() -> None:
    model = LinearOrdinal.from_dict(HAND_RULE)
    assert [model.rate(s) for s in (0.0, 1.5, 2.6, 3.49, 4.5, 9)] == [1, 2, 3, 3, 5, 5]
    feats = {"f_core": 2.0, "f_beyond": 0.0, "a_sum": 1.0, "a_severe": 0.0, "is_primary": 1.0, "emb": 0.0}
    contrib = model.contributions(feats)
    assert model.score(feats) == pytest.approx(model.bias + sum(contrib.values()))


def test_bad_cutpoints_rejected() -> None:
    with pytest.raises(ValueError):
        LinearOrdinal.from_dict({"bias": 0, "weights": {}, "cutpoints": [3, 2, 1, 0]})


def test_stored_params_load_and_selected_design_is_fast(tmp_path) -> None:
    selected, designs = load_designs()
    assert selected in designs
    assert not designs[selected].uses_embeddings
    bad = tmp_path / "p.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError):
        load_designs(bad)
    assert load_designs(tmp_path / "missing.json")[0] == "indicators_rule"


def test_features_cap_and_ignore_repeats(bank, scorer) -> None:
    question = bank.questions["angry_customer"]
    once = "I'd apologise."
    scorer.score(once, question)
    f1 = scorer.last_features["conflict_resolution"][0]
    scorer.score((once + " ") * 30, question)
    f2 = scorer.last_features["conflict_resolution"][0]
    assert f1 == f2
    assert competency_features([], True)["f_core"] == 0.0
    assert CORE_CAP >= 1


def test_cutpoints_optimiser_recovers_a_clean_mapping() -> None:
    y = np.array([1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
    scores = y + np.array([0.1, -0.1] * 5) * 0.5 + 0.3
    cuts = optimise_cutpoints(scores, y)
    pred = 1 + (scores[:, None] >= np.array(cuts)[None, :]).sum(1)
    assert (pred == y).all()


def test_fit_linear_learns_positive_weight() -> None:
    items = [
        {
            "row": i,
            "target": 1 + i % 5,
            "gated": False,
            "features": {
                "f_core": float(i % 5),
                "f_beyond": 0.0,
                "a_sum": 0.0,
                "a_severe": 0.0,
                "is_primary": 1.0,
                "emb": 0.0,
            },
        }
        for i in range(50)
    ]
    model = fit_linear(items, ("f_core", "f_beyond", "a_sum"))
    assert model.weights["f_core"] > 0.5
    json.dumps(model.to_dict())


def test_folds_partition_rows() -> None:
    rows = [{"scenario": f"s{i % 4}", "ratings": {"c": 1 + i % 5}} for i in range(40)]
    for folds in (folds_grouped(rows), folds_stratified(rows, 5, 0)):
        flat = sorted(i for f in folds for i in f)
        assert flat == list(range(40))
    assert all(len({rows[i]["scenario"] for i in f}) == 1 for f in folds_grouped(rows))
