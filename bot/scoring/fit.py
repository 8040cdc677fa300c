"""Fit and compare scoring designs with cross-validation; write ``params.json``.

Usage::

    python -m bot.scoring.fit RATED.jsonl [--write]

Designs compared (all share the validity checks and rule caps of
:mod:`bot.scoring.scorer`):

- ``indicators_rule``: indicator features, hand-set weights and cutpoints
  (:data:`bot.scoring.calibration.HAND_RULE`), no fitting.
- ``indicators_calibrated``: indicator features, ridge-regression weights and
  QWK-optimal cutpoints fitted on the training folds.
- ``indicators_embeddings_rule``: the hand rule plus the embedding feature
  with a fixed weight (:data:`EMB_RULE_WEIGHT`).
- ``indicators_embeddings_calibrated``: indicator + embedding features, fitted.

Cross-validation, two schemes (reported separately):

- ``grouped``: leave-one-scenario-out (12 folds) - every test answer comes
  from a scenario whose answers were not used to fit; the harder scheme.
- ``stratified``: 5-fold stratified by the primary rating, repeated 3 times
  with fixed seeds (0, 1, 2); figures are means over repeats.

QWK is computed on the pooled out-of-fold ratings (overall and per
competency). Calibration is fitted on all rows for the stored parameters.
The selected design is the eligible one (:data:`ELIGIBLE`: fast enough) with
the highest mean of the two cross-validated overall QWKs, unless it is within
:data:`TIE_MARGIN` of a simpler design, which is then kept.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from bot.scoring.calibration import HAND_RULE, PARAMS_PATH, LinearOrdinal
from bot.scoring.features import FEATURES
from bot.scoring.metrics import qwk

#: Weight of the embedding feature in the uncalibrated embedding design.
EMB_RULE_WEIGHT = 0.5
#: Ridge penalty (feature units are ~0-4; lambda 1.0 shrinks little).
RIDGE_LAMBDA = 1.0
#: Designs that may be selected. The embedding designs embed every answer;
#: all-MiniLM-L6-v2 int8 runs at ~0.3 ms per word piece on one core here
#: (bench/scoring_speed.py: ~60 answers/s), below the 100 answers/s budget,
#: so they are measured but not eligible.
ELIGIBLE = ("indicators_rule", "indicators_calibrated")
#: Choose cutpoints by QWK on the training folds (True) or keep them halfway
#: between ratings (False: the ridge fit then predicts the rating directly).
OPTIMISE_CUTPOINTS = os.environ.get("SCORING_FIT_CUTS", "optimised") == "optimised"
#: Designs within this QWK of a simpler one do not replace it.
TIE_MARGIN = 0.01
DESIGNS = (
    "indicators_rule",
    "indicators_calibrated",
    "indicators_embeddings_rule",
    "indicators_embeddings_calibrated",
)


class CachedEncoder:
    """Wrap an encoder with a per-text cache (fitting re-scores many times)."""

    def __init__(self, encoder: Any) -> None:
        self.encoder = encoder
        self.cache: dict[tuple[str, int], np.ndarray] = {}

    def encode(self, text: str, max_tokens: int = 256) -> np.ndarray:
        key = (text, max_tokens)
        if key not in self.cache:
            self.cache[key] = self.encoder.encode(text, max_tokens=max_tokens)
        return self.cache[key]

    def encode_many(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.encode(t) for t in texts])

    def encode_in_context(self, texts: list[str], max_tokens: int = 96) -> np.ndarray:
        key = ("\x00".join(texts), -max_tokens)
        if key not in self.cache:
            self.cache[key] = self.encoder.encode_in_context(texts, max_tokens=max_tokens)
        return self.cache[key]


def collect(rows: list[dict[str, Any]], questions: dict[str, Any], scorer: Any) -> list[dict[str, Any]]:
    """Features of every (answer, competency) pair.

    Returns:
        One dict per pair: ``row`` index, ``scenario``, ``competency``,
        ``target`` rating, ``features``, ``gated`` (set by a rule).
    """
    scorer.always_embed = True
    out = []
    for i, row in enumerate(rows):
        scorer.score(row["answer"], questions[row["scenario"]])
        for comp, target in row["ratings"].items():
            feats, gated = scorer.last_features.get(comp, ({f: 0.0 for f in FEATURES}, True))
            out.append(
                {
                    "row": i,
                    "scenario": row["scenario"],
                    "competency": comp,
                    "target": int(target),
                    "features": dict(feats),
                    "gated": gated,
                }
            )
    return out


def fit_linear(items: list[dict[str, Any]], features: tuple[str, ...]) -> LinearOrdinal:
    """Ridge regression of the rating on the features, then QWK-optimal cutpoints.

    Gated items (rated by a rule) are left out of the fit.
    """
    data = [it for it in items if not it["gated"]]
    x = np.array([[it["features"][f] for f in features] for it in data], dtype=float)
    y = np.array([it["target"] for it in data], dtype=float)
    xm, ym = x.mean(0), y.mean()
    xc = x - xm
    w = np.linalg.solve(xc.T @ xc + RIDGE_LAMBDA * np.eye(len(features)), xc.T @ (y - ym))
    bias = ym - xm @ w
    scores = bias + x @ w
    cuts = optimise_cutpoints(scores, y.astype(int)) if OPTIMISE_CUTPOINTS else (1.5, 2.5, 3.5, 4.5)
    weights = {f: 0.0 for f in FEATURES}
    weights.update({f: float(v) for f, v in zip(features, w, strict=True)})
    return LinearOrdinal(float(bias), weights, cuts, uses_embeddings="emb" in features)


def optimise_cutpoints(scores: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    """Coordinate search for the cutpoints maximising QWK (deterministic).

    Starts from 1.5/2.5/3.5/4.5 and moves each cutpoint over a 0.05 grid
    within its neighbours, three sweeps.
    """
    cuts = [1.5, 2.5, 3.5, 4.5]

    def kappa(c: list[float]) -> float:
        pred = 1 + (scores[:, None] >= np.array(c)[None, :]).sum(1)
        return qwk(list(y), list(pred))

    best = kappa(cuts)
    for _ in range(3):
        for k in range(4):
            lo = cuts[k - 1] + 0.05 if k else 0.5
            hi = cuts[k + 1] - 0.05 if k < 3 else 5.5
            for v in np.arange(lo, hi + 1e-9, 0.05):
                trial = cuts.copy()
                trial[k] = round(float(v), 2)
                val = kappa(trial)
                if val > best + 1e-12:
                    best, cuts = val, trial
    return tuple(cuts)  # type: ignore[return-value]


def model_for(design: str, train: list[dict[str, Any]]) -> LinearOrdinal:
    """The model of a design fitted on ``train`` (rule designs ignore it)."""
    if design == "indicators_rule":
        return LinearOrdinal.from_dict(HAND_RULE, design)
    if design == "indicators_embeddings_rule":
        params = json.loads(json.dumps(HAND_RULE))
        params["weights"]["emb"] = EMB_RULE_WEIGHT
        params["uses_embeddings"] = True
        return LinearOrdinal.from_dict(params, design)
    feats = tuple(f for f in FEATURES if f != "emb")
    if design == "indicators_embeddings_calibrated":
        feats = FEATURES
    return fit_linear(train, feats)


def predict(
    model: LinearOrdinal, rows: list[dict[str, Any]], idx: list[int], questions: dict[str, Any], scorer: Any
) -> dict[tuple[int, str], int]:
    """Full-pipeline ratings (with caps) of rows ``idx`` under ``model``."""
    scorer.model = model
    out = {}
    for i in idx:
        row = rows[i]
        res = scorer.score(row["answer"], questions[row["scenario"]])
        for comp in row["ratings"]:
            r = res.ratings[comp].rating
            out[(i, comp)] = 1 if r is None else r
    return out


def folds_grouped(rows: list[dict[str, Any]]) -> list[list[int]]:
    """Leave-one-scenario-out test folds (row indices)."""
    by: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by[r["scenario"]].append(i)
    return [by[k] for k in sorted(by)]


def folds_stratified(rows: list[dict[str, Any]], k: int, seed: int) -> list[list[int]]:
    """k folds stratified by the primary (first) rating, shuffled with ``seed``."""
    rng = np.random.default_rng(seed)
    by: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by[next(iter(r["ratings"].values()))].append(i)
    folds: list[list[int]] = [[] for _ in range(k)]
    pos = 0
    for level in sorted(by):
        idx = list(by[level])
        rng.shuffle(idx)
        for i in idx:
            folds[pos % k].append(int(i))
            pos += 1
    return folds


def cross_validate(
    design: str,
    rows: list[dict[str, Any]],
    items: list[dict[str, Any]],
    folds: list[list[int]],
    questions: dict[str, Any],
    scorer: Any,
) -> dict[tuple[int, str], int]:
    """Out-of-fold ratings of every (row, competency)."""
    preds: dict[tuple[int, str], int] = {}
    for test in folds:
        test_set = set(test)
        train = [it for it in items if it["row"] not in test_set]
        preds.update(predict(model_for(design, train), rows, test, questions, scorer))
    return preds


def report(preds: dict[tuple[int, str], int], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Overall and per-competency QWK of out-of-fold predictions."""
    by_r: dict[str, list[int]] = defaultdict(list)
    by_m: dict[str, list[int]] = defaultdict(list)
    for (i, comp), m in sorted(preds.items()):
        by_r[comp].append(rows[i]["ratings"][comp])
        by_m[comp].append(m)
    all_r = [v for c in sorted(by_r) for v in by_r[c]]
    all_m = [v for c in sorted(by_r) for v in by_m[c]]
    return {"qwk": qwk(all_r, all_m), "per_competency": {c: qwk(by_r[c], by_m[c]) for c in sorted(by_r)}}


def main(argv: list[str] | None = None) -> int:
    """Run the comparison; with ``--write`` store the parameters."""
    from bot.bank.files import read_bank
    from bot.cli.evaluate import read_rated
    from bot.scoring.embeddings import Encoder
    from bot.scoring.scorer import Scorer

    parser = argparse.ArgumentParser(prog="python -m bot.scoring.fit")
    parser.add_argument("file", type=Path)
    parser.add_argument("--write", action="store_true", help=f"write {PARAMS_PATH.name}")
    args = parser.parse_args(argv)
    bank = read_bank()
    rows = read_rated(args.file, bank.questions)
    scorer = Scorer(design="indicators_rule", encoder=CachedEncoder(Encoder()))
    items = collect(rows, bank.questions, scorer)
    results: dict[str, dict[str, Any]] = {}
    for design in DESIGNS:
        grouped = report(cross_validate(design, rows, items, folds_grouped(rows), bank.questions, scorer), rows)
        strat_runs = [
            report(
                cross_validate(design, rows, items, folds_stratified(rows, 5, s), bank.questions, scorer),
                rows,
            )
            for s in (0, 1, 2)
        ]
        strat = {
            "qwk": float(np.mean([r["qwk"] for r in strat_runs])),
            "per_competency": {
                c: float(np.mean([r["per_competency"][c] for r in strat_runs])) for c in strat_runs[0]["per_competency"]
            },
        }
        in_sample = report(
            predict(model_for(design, items), rows, list(range(len(rows))), bank.questions, scorer), rows
        )
        results[design] = {"grouped": grouped, "stratified": strat, "in_sample": in_sample}
        print(
            f"{design:36s} grouped {grouped['qwk']:.3f} (min comp {min(grouped['per_competency'].values()):.3f})"
            f"  stratified {strat['qwk']:.3f} (min comp {min(strat['per_competency'].values()):.3f})"
            f"  in-sample {in_sample['qwk']:.3f}",
            flush=True,
        )
    mean = {d: (results[d]["grouped"]["qwk"] + results[d]["stratified"]["qwk"]) / 2 for d in DESIGNS}
    selected = DESIGNS[0]
    for d in DESIGNS[1:]:
        if d in ELIGIBLE and mean[d] > mean[selected] + TIE_MARGIN:
            selected = d
    print(f"selected: {selected}")
    print(json.dumps(results, indent=1, sort_keys=True))
    if args.write:
        designs = {}
        for d in DESIGNS:
            if d == "indicators_rule":
                continue
            params = model_for(d, items).to_dict()
            params["cv"] = results[d]
            designs[d] = params
        payload = {
            "selected": selected,
            "source": str(args.file.name),
            "cv_rule": results["indicators_rule"],
            "designs": designs,
        }
        PARAMS_PATH.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {PARAMS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
