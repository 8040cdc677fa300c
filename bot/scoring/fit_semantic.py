"""Fit and cross-validate the semantic head (:mod:`bot.scoring.semantic`).

``python -m bot.scoring.fit_semantic RATED.jsonl [RATED.jsonl ...] [--styles STYLES.jsonl] [--write]``

Every rated answer is scored once for its cue features and flags, and its
sentences are embedded once. Three designs are then compared, each a ridge
regression plus QWK-optimal cutpoints and the same rule caps as the scorer:

- ``cues``: the cue features alone (today's calibrated design, refitted);
- ``semantic``: one-hot competency and the pooled sentence vectors (mean and max);
- ``cues_semantic``: both.

Cross-validation holds out one **writer** at a time (``writer`` from the
styles file; a file without one is its own writer, named after the file) and
one **scenario** at a time. The report gives QWK overall and per competency,
exact agreement, and the machine - rater mean per style group. ``--write``
fits the selected design on everything and writes ``semantic_head.npz``;
put the printed digest into :data:`bot.scoring.semantic.HEAD_SHA256`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from bot.scoring.fit import optimise_cutpoints
from bot.scoring.metrics import qwk
from bot.scoring.semantic import CUE_FEATURES, DIM, HEAD_PATH, SemanticHead, answer_vectors

#: Ridge penalty (rating units²); chosen by writer-held-out CV over 1, 3, 10, 30.
RIDGE_LAMBDA = 3.0
DESIGNS = ("cues", "semantic", "cues_semantic")


def read_rows(paths: list[Path], styles: Path | None) -> list[dict[str, Any]]:
    """Rated rows with ``writer`` and ``traits`` added."""
    tags: dict[str, dict[str, Any]] = {}
    if styles is not None:
        for line in styles.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                tags[rec["id"]] = rec
    rows = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            tag = tags.get(rec["id"], {})
            rec["writer"] = tag.get("writer", path.stem)
            rec["traits"] = list(tag.get("traits", []))
            rows.append(rec)
    return rows


def collect(rows: list[dict[str, Any]], questions: dict[str, Any], scorer: Any) -> list[dict[str, Any]]:
    """One item per (answer, rated competency): cue features, flags, vectors, target."""
    items = []
    for i, rec in enumerate(rows):
        q = questions[rec["scenario"]]
        res = scorer.score(rec["answer"], q)
        vecs = scorer.last_vectors
        if vecs is None:  # empty answer
            vecs = answer_vectors(scorer.encoder, "")
        for comp, target in rec["ratings"].items():
            feats, gated = scorer.last_features.get(comp, ({f: 0.0 for f in CUE_FEATURES}, True))
            items.append(
                {
                    "row": i,
                    "competency": comp,
                    "target": int(target),
                    "cue": dict(feats),
                    "gated": gated,
                    "flags": set(res.flags),
                    "vecs": vecs,
                    "writer": rec["writer"],
                    "scenario": rec["scenario"],
                    "traits": rec["traits"],
                }
            )
    return items


def design_matrix(items: list[dict[str, Any]], comps: tuple[str, ...], design: str) -> np.ndarray:
    """Feature rows of a design (columns of the other parts are zero)."""
    head = SemanticHead(comps, np.zeros(len(CUE_FEATURES) + len(comps) + 2 * DIM), 0.0, (1.5, 2.5, 3.5, 4.5))
    x = np.stack([head.design_row(it["cue"], it["competency"], it["vecs"]) for it in items])
    n_cue = len(CUE_FEATURES)
    if design == "semantic":
        x[:, :n_cue] = 0.0
    elif design == "cues":
        x[:, n_cue + len(comps) :] = 0.0
    return x


def fit(items: list[dict[str, Any]], comps: tuple[str, ...], design: str) -> SemanticHead:
    """Ridge fit on the items not rated by a rule, then QWK-optimal cutpoints."""
    data = [it for it in items if not it["gated"]]
    x = design_matrix(data, comps, design)
    y = np.array([it["target"] for it in data], dtype=float)
    xm, ym = x.mean(0), y.mean()
    xc = x - xm
    w = np.linalg.solve(xc.T @ xc + RIDGE_LAMBDA * np.eye(x.shape[1]), xc.T @ (y - ym))
    bias = float(ym - xm @ w)
    cuts = optimise_cutpoints(bias + x @ w, y.astype(int))
    return SemanticHead(comps, w, bias, cuts)


def capped(head: SemanticHead, it: dict[str, Any]) -> int | None:
    """The scorer's rating of one item under ``head`` (see :func:`bot.scoring.scorer.semantic_caps`)."""
    from bot.scoring.scorer import semantic_caps

    if it["gated"]:
        return 1
    score, _ = head.score(it["cue"], it["competency"], it["vecs"])
    rating, _ = semantic_caps(head.rate(score), it["cue"], it["flags"])
    return rating


def cross_validate(items: list[dict[str, Any]], comps: tuple[str, ...], design: str, key: str) -> list[int | None]:
    """Out-of-fold ratings, holding out each value of ``key`` (``writer`` or ``scenario``) in turn."""
    preds: list[int | None] = [None] * len(items)
    for group in sorted({it[key] for it in items}):
        train = [it for it in items if it[key] != group]
        head = fit(train, comps, design)
        for j, it in enumerate(items):
            if it[key] == group:
                preds[j] = capped(head, it)
    return preds


def report(items: list[dict[str, Any]], preds: list[int | None]) -> dict[str, Any]:
    """QWK overall and per competency, exact agreement, machine - rater per style group.

    Insufficient evidence (``None``) counts as 1, as in ``python -m bot evaluate``.
    """
    y = [it["target"] for it in items]
    p = [1 if v is None else v for v in preds]
    per: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    diff: dict[str, list[int]] = defaultdict(list)
    for it, yi, pi in zip(items, y, p, strict=True):
        per[it["competency"]][0].append(yi)
        per[it["competency"]][1].append(pi)
        for group in ["all", *it["traits"], *(["rated_5"] if yi == 5 else [])]:
            diff[group].append(pi - yi)
    return {
        "qwk": qwk(y, p),
        "exact": float(np.mean([a == b for a, b in zip(y, p, strict=True)])),
        "per_competency": {c: qwk(*per[c]) for c in sorted(per)},
        "bias": {g: (float(np.mean(v)), len(v)) for g, v in sorted(diff.items())},
    }


def main(argv: list[str] | None = None) -> int:
    """Run the comparison; with ``--write`` store the selected head."""
    from bot.bank.files import read_bank
    from bot.scoring.embeddings import Encoder
    from bot.scoring.fit import CachedEncoder
    from bot.scoring.scorer import Scorer

    parser = argparse.ArgumentParser(prog="python -m bot.scoring.fit_semantic")
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--styles", type=Path, default=None, help="writer and style tags per answer id")
    parser.add_argument("--write", action="store_true", help=f"write {HEAD_PATH.name}")
    parser.add_argument("--json", type=Path, default=None, help="write the full report here")
    args = parser.parse_args(argv)
    bank = read_bank()
    rows = read_rows(args.files, args.styles)
    scorer = Scorer(design="indicators_calibrated", encoder=CachedEncoder(Encoder()))
    scorer.always_embed = True
    items = collect(rows, bank.questions, scorer)
    comps = tuple(sorted({it["competency"] for it in items}))
    results: dict[str, Any] = {}
    for design in DESIGNS:
        results[design] = {
            key: report(items, cross_validate(items, comps, design, key)) for key in ("writer", "scenario")
        }
        r = results[design]
        print(
            f"{design:14s} by writer QWK {r['writer']['qwk']:.3f} exact {r['writer']['exact']:.1%}"
            f" min {min(r['writer']['per_competency'].values()):.3f}"
            f" | by scenario QWK {r['scenario']['qwk']:.3f} exact {r['scenario']['exact']:.1%}"
            f" min {min(r['scenario']['per_competency'].values()):.3f}",
            flush=True,
        )
    selected = max(DESIGNS, key=lambda d: results[d]["writer"]["qwk"] + results[d]["scenario"]["qwk"])
    print(f"selected: {selected}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if args.write:
        digest = fit(items, comps, selected).save()
        print(f"wrote {HEAD_PATH} sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
