"""Map a competency's feature vector to the 1-5 rating scale.

A linear score ``s = bias + sum(w_f * x_f)`` (rating-scale units) is cut into
ratings by four increasing cutpoints: rating = 1 + number of cutpoints
``<= s``. This is the threshold form of an ordinal regression (McCullagh
1980, "Regression models for ordinal data", JRSS B 42(2)); the weights are
fitted by ridge regression on rated answers and the cutpoints are then chosen
to maximise quadratic weighted kappa on the training folds (see
:mod:`bot.scoring.fit`). Each rating is therefore explainable as a sum of
per-feature contributions, which the scorer reports.

Parameters live in ``params.json`` next to this module::

    {"selected": "<design>", "designs": {"<design>": {"bias": b,
     "weights": {feature: w}, "cutpoints": [c1, c2, c3, c4],
     "uses_embeddings": bool, "cv": {...}}}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PARAMS_PATH = Path(__file__).with_name("params.json")

#: The uncalibrated hand rule (design "indicators_rule"): one specific action
#: ~ +0.8 point, a "beyond" action +0.6, each counter-indication -0.9, a
#: counterproductive one another -0.8; cutpoints halfway between ratings.
HAND_RULE: dict[str, Any] = {
    "bias": 1.4,
    "weights": {
        "f_core": 0.8,
        "f_beyond": 0.6,
        "a_sum": -0.9,
        "a_severe": -0.8,
        "is_primary": 0.0,
        "emb": 0.0,
    },
    "cutpoints": [1.5, 2.5, 3.5, 4.5],
    "uses_embeddings": False,
}


@dataclass(frozen=True)
class LinearOrdinal:
    """Linear score plus cutpoints.

    Attributes:
        bias: Intercept (rating units).
        weights: Feature name -> weight (rating units per feature unit).
        cutpoints: Four increasing thresholds.
        uses_embeddings: Whether the ``emb`` feature is needed.
        name: Design name.
    """

    bias: float
    weights: dict[str, float]
    cutpoints: tuple[float, float, float, float]
    uses_embeddings: bool = False
    name: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any], name: str = "") -> LinearOrdinal:
        """Build from the JSON form; raises ValueError on a malformed dict."""
        cuts = tuple(float(c) for c in data["cutpoints"])
        if len(cuts) != 4 or list(cuts) != sorted(cuts):
            raise ValueError("cutpoints must be four increasing numbers")
        return cls(
            bias=float(data["bias"]),
            weights={str(k): float(v) for k, v in data["weights"].items()},
            cutpoints=cuts,  # type: ignore[arg-type]
            uses_embeddings=bool(data.get("uses_embeddings", False)),
            name=name,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "bias": self.bias,
            "weights": dict(self.weights),
            "cutpoints": list(self.cutpoints),
            "uses_embeddings": self.uses_embeddings,
        }

    def score(self, features: dict[str, float]) -> float:
        """The linear score (rating-scale units)."""
        return self.bias + sum(w * features.get(f, 0.0) for f, w in self.weights.items())

    def contributions(self, features: dict[str, float]) -> dict[str, float]:
        """Per-feature contributions to the score (non-zero ones only)."""
        out = {f: w * features.get(f, 0.0) for f, w in self.weights.items()}
        return {f: v for f, v in out.items() if abs(v) > 1e-9}

    def rate(self, score: float) -> int:
        """Rating 1-5 for a score."""
        return 1 + sum(score >= c for c in self.cutpoints)


def load_designs(path: Path = PARAMS_PATH) -> tuple[str, dict[str, LinearOrdinal]]:
    """Read the fitted designs.

    Args:
        path: The params JSON file.

    Returns:
        (selected design name, design name -> model). The hand rule is always
        present as ``"indicators_rule"``. A missing file gives the hand rule
        alone.

    Raises:
        ValueError: The file exists but is malformed.
    """
    designs = {"indicators_rule": LinearOrdinal.from_dict(HAND_RULE, "indicators_rule")}
    if not path.is_file():
        return "indicators_rule", designs
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        for name, params in (data.get("designs") or {}).items():
            designs[name] = LinearOrdinal.from_dict(params, name)
        selected = str(data.get("selected", "indicators_rule"))
    except (KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: malformed calibration parameters: {exc}") from exc
    if selected not in designs:
        raise ValueError(f"{path}: selected design {selected!r} not defined")
    return selected, designs
