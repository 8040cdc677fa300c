"""Agreement statistics between machine and rater ratings on the 1-5 scale.

- Quadratic weighted kappa (Cohen 1968, "Weighted kappa", Psychol Bull
  70(4)): 1 - sum(w*O)/sum(w*E) with w_ij = (i-j)^2/(K-1)^2, O the observed
  confusion matrix, E the outer product of the marginals scaled to N.
- Pearson r, exact and adjacent (|diff| <= 1) agreement, mean difference
  (machine - rater), and the 5x5 confusion matrix (rows rater, columns machine).

``None`` ratings ("insufficient evidence") count as 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

LEVELS = 5


def _arr(values: Sequence[int | None]) -> np.ndarray:
    return np.array([1 if v is None else int(v) for v in values], dtype=np.int64)


def confusion(rater: Sequence[int | None], machine: Sequence[int | None]) -> np.ndarray:
    """5x5 counts, rows = rater rating 1..5, columns = machine rating 1..5."""
    m = np.zeros((LEVELS, LEVELS), dtype=np.int64)
    for a, b in zip(_arr(rater), _arr(machine), strict=True):
        m[min(max(a, 1), 5) - 1, min(max(b, 1), 5) - 1] += 1
    return m


def qwk(rater: Sequence[int | None], machine: Sequence[int | None]) -> float:
    """Quadratic weighted kappa in [-1, 1]; 1.0 if both are constant and equal, 0.0 if undefined."""
    o = confusion(rater, machine).astype(float)
    n = o.sum()
    if n == 0:
        return 0.0
    idx = np.arange(LEVELS)
    w = (idx[:, None] - idx[None, :]) ** 2 / (LEVELS - 1) ** 2
    e = np.outer(o.sum(1), o.sum(0)) / n
    denom = (w * e).sum()
    if denom == 0:
        return 1.0 if (w * o).sum() == 0 else 0.0
    return float(1.0 - (w * o).sum() / denom)


def pearson(rater: Sequence[int | None], machine: Sequence[int | None]) -> float:
    """Pearson correlation; 0.0 when either side is constant."""
    a, b = _arr(rater).astype(float), _arr(machine).astype(float)
    if len(a) < 2 or a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def summary(rater: Sequence[int | None], machine: Sequence[int | None]) -> dict[str, object]:
    """All statistics for one set of paired ratings.

    Returns:
        ``{"n", "qwk", "pearson", "exact", "adjacent", "mean_diff", "confusion"}``;
        exact/adjacent are fractions in [0, 1]; confusion is a nested list.
    """
    a, b = _arr(rater), _arr(machine)
    n = len(a)
    return {
        "n": n,
        "qwk": qwk(a, b),
        "pearson": pearson(a, b),
        "exact": float((a == b).mean()) if n else 0.0,
        "adjacent": float((abs(a - b) <= 1).mean()) if n else 0.0,
        "mean_diff": float((b - a).mean()) if n else 0.0,
        "confusion": confusion(a, b).tolist(),
    }
