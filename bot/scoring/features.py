"""Turn one competency's evidence into a small numeric feature vector.

Features (all unitless, on the rubric's weight scale; caps keep a long answer
or a repeated phrase from piling up weight — length alone cannot raise them):

- ``f_core``: sum of the weights of *distinct* "for" indicators that are not
  "beyond" (plus :data:`VARIANT_BONUS` per extra distinct wording of the same
  indicator), capped at :data:`CORE_CAP`.
- ``f_beyond``: same for "beyond the obvious" indicators, capped at
  :data:`BEYOND_CAP`.
- ``a_sum``: sum of the weights of distinct "against" indicators, including
  negated "for" indicators, capped at :data:`AGAINST_CAP`.
- ``a_severe``: 1.0 if any counterproductive ("severe") indicator or negated
  "for" indicator matched, else 0.0.
- ``is_primary``: 1.0 for the question's primary competency.
- ``n_for``: the number of distinct "for" indicators (core and beyond); not
  a model input, it is read by the rating guide's rules
  (:func:`bot.scoring.scorer.semantic_caps`).
- ``emb``: similarity-weighted mean rating of the rubric's example answers,
  minus 3 (0.0 when embeddings are off); see :func:`example_level`.
"""

from __future__ import annotations

import numpy as np

from bot.scoring.indicators import Hit

FEATURES: tuple[str, ...] = ("f_core", "f_beyond", "a_sum", "a_severe", "is_primary", "emb")
CORE_CAP = 4.0
#: A "for" indicator matched by *different* wordings ("smile", "nod") shows
#: more than one action: each extra distinct wording adds this share of its
#: weight, for at most MAX_VARIANTS extra wordings. Repeating the same words
#: adds nothing.
VARIANT_BONUS = 0.25
MAX_VARIANTS = 2
BEYOND_CAP = 2.0
AGAINST_CAP = 3.0
#: Softmax temperature over cosine similarities for :func:`example_level`.
EXAMPLE_TEMPERATURE = 0.05


def competency_features(hits: list[Hit], is_primary: bool, emb: float = 0.0) -> dict[str, float]:
    """Features of one competency.

    Args:
        hits: The competency's indicator hits.
        is_primary: Whether it is the question's primary competency.
        emb: The embedding feature (see :func:`example_level`), 0 if unused.

    Returns:
        Feature name -> value, keys :data:`FEATURES` and ``n_for``.
    """
    core: dict[str, float] = {}
    beyond: dict[str, float] = {}
    against: dict[str, float] = {}
    variants: dict[str, set[str]] = {}
    severe = False
    for hit in hits:
        ind = hit.indicator
        if hit.evidence.polarity == "for":
            seen = variants.setdefault(ind.id, set())
            seen.add(" ".join(hit.evidence.text.lower().split()))
            extra = VARIANT_BONUS * min(len(seen) - 1, MAX_VARIANTS)
            (beyond if ind.beyond else core)[ind.id] = ind.weight * (1.0 + extra)
        else:
            against[ind.id] = ind.weight
            severe = severe or ind.severe or hit.negated
    return {
        "f_core": min(sum(core.values()), CORE_CAP),
        "f_beyond": min(sum(beyond.values()), BEYOND_CAP),
        "a_sum": min(sum(against.values()), AGAINST_CAP),
        "a_severe": 1.0 if severe else 0.0,
        "is_primary": 1.0 if is_primary else 0.0,
        "emb": float(emb),
        "n_for": float(len(core) + len(beyond)),
    }


def example_level(answer_vec: np.ndarray, example_vecs: np.ndarray, ratings: np.ndarray) -> float:
    """Similarity-weighted mean rating of example answers (kernel regression).

    Args:
        answer_vec: (384,) unit vector of the answer.
        example_vecs: (n, 384) unit vectors of the rubric's examples.
        ratings: (n,) the examples' ratings of one competency (1-5).

    Returns:
        Softmax(cos / T)-weighted mean rating minus 3, in [-2, 2]; 0.0 if
        there are no examples. Nadaraya-Watson estimator with an exponential
        kernel (Nadaraya 1964; Watson 1964).
    """
    if len(ratings) == 0:
        return 0.0
    sims = example_vecs @ answer_vec
    w = np.exp((sims - sims.max()) / EXAMPLE_TEMPERATURE)
    return float((w @ ratings) / w.sum() - 3.0)
