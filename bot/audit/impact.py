"""Scoring rates, selection rates and impact ratios (6 RCNY §5-301), without the database.

Definitions, as the DCWP rules give them:

* **scoring rate** of a category: the share of its candidates whose overall
  fit is *above* the median fit of every candidate in the selection (a fit
  equal to the median is not above it);
* **selection rate**: the share of its candidates who were advanced, over
  every candidate of the category ("the total number of individuals in the
  category who applied", §5-300); none while no candidate of the selection
  has a decision;
* **impact ratio**: a category's rate divided by the highest rate in its
  group (sex, race/ethnicity, or sex × race/ethnicity);
* a category with fewer than :data:`SMALL_SHARE` of the candidates of the
  selection is marked ``small``; with ``exclude_small`` it is left out of
  the highest rate (its counts and rates are still reported, as the rules
  ask) and gets no impact ratio;
* candidates who did not self-identify or declined are counted as unknown
  and are in no category (but they are in the median).

Source: NYC DCWP, Rules of the City of New York, Title 6, §5-300 (definitions)
and §5-301 (bias audit), effective 5 July 2023.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.audit.categories import RACE_CATEGORIES, RACE_LABELS, SEX_CATEGORIES, SEX_LABELS, known

#: Share of the data under which a category may be excluded (2 %).
SMALL_SHARE = 0.02

SEX = "sex"
RACE = "race_ethnicity"
INTERSECTIONAL = "intersectional"


@dataclass(frozen=True)
class AuditRecord:
    """One candidate in the selection.

    Attributes:
        sex: A :data:`SEX_CATEGORIES` value, ``decline`` or None (not given).
        race_ethnicity: A :data:`RACE_CATEGORIES` value, ``decline`` or None.
        fit: The role-weighted overall fit (1-5) of their interview.
        decided: Whether a recruiter's decision stands on the interview.
        advanced: Whether that decision is "advance".
    """

    sex: str | None
    race_ethnicity: str | None
    fit: float
    decided: bool = False
    advanced: bool = False


@dataclass(frozen=True)
class CategoryCounts:
    """The counts of one category, what the rates are computed from.

    Attributes:
        category: Its key (``female``, ``asian``, ``female|asian``).
        label: Its name in the report.
        candidates: Candidates in the category.
        scored_above: Of them, those above the median fit.
        decided: Of them, those with a decision.
        selected: Of them, those advanced.
    """

    category: str
    label: str
    candidates: int
    scored_above: int = 0
    decided: int = 0
    selected: int = 0


@dataclass(frozen=True)
class CategoryResult:
    """One line of the report.

    Attributes:
        counts: The category's counts.
        share: ``candidates`` over every candidate of the selection (0-1).
        scoring_rate: ``scored_above / candidates`` (0-1), None without candidates.
        scoring_impact_ratio: ``scoring_rate`` over the group's highest
            (0-1), None when excluded, without a rate or when the highest is 0.
        selection_rate: ``selected / candidates`` (0-1), None while no
            candidate of the selection has a decision.
        selection_impact_ratio: As ``scoring_impact_ratio``, for selection.
        small: ``share`` is under :data:`SMALL_SHARE`.
        excluded: Small and left out of the impact ratios (``exclude_small``).
    """

    counts: CategoryCounts
    share: float
    scoring_rate: float | None
    scoring_impact_ratio: float | None
    selection_rate: float | None
    selection_impact_ratio: float | None
    small: bool
    excluded: bool


@dataclass(frozen=True)
class GroupResult:
    """The categories of one group and its unknowns.

    Attributes:
        group: :data:`SEX`, :data:`RACE` or :data:`INTERSECTIONAL`.
        categories: Every category of the group, in report order (also
            those without candidates).
        unknown: Candidates in no category of the group (not given or declined;
            for the intersection, either of the two).
    """

    group: str
    categories: tuple[CategoryResult, ...]
    unknown: int


@dataclass(frozen=True)
class AuditReport:
    """The whole bias audit of one selection.

    Attributes:
        candidates: Candidates in the selection.
        median_fit: The median fit (1-5) of all of them, None without candidates.
        decided: Candidates with a decision.
        exclude_small: Whether small categories were excluded.
        groups: Sex, race/ethnicity and intersectional results, in that order.
    """

    candidates: int
    median_fit: float | None
    decided: int
    exclude_small: bool
    groups: tuple[GroupResult, ...]


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def impact_table(
    counts: Sequence[CategoryCounts],
    total: int,
    exclude_small: bool = False,
    small_share: float = SMALL_SHARE,
) -> tuple[CategoryResult, ...]:
    """Rates and impact ratios of one group's categories.

    Args:
        counts: The group's categories.
        total: Candidates in the data (the base of the 2 % rule); at least
            the sum of ``counts``' candidates.
        exclude_small: Leave categories under ``small_share`` of ``total``
            out of the highest rate, and give them no impact ratio.
        small_share: The share under which a category is small (0-1).

    Returns:
        One result per category, in the order of ``counts``.

    Raises:
        ValueError: A count is negative or larger than the one it is part of.
    """
    for c in counts:
        if not 0 <= c.scored_above <= c.candidates or not 0 <= c.selected <= c.decided <= c.candidates:
            raise ValueError(f"inconsistent counts for {c.category}")
    shares = {c.category: (c.candidates / total if total else 0.0) for c in counts}
    small = {c.category: c.candidates > 0 and shares[c.category] < small_share for c in counts}
    excluded = {k: exclude_small and v for k, v in small.items()}
    scoring = {c.category: _rate(c.scored_above, c.candidates) for c in counts}
    any_decision = any(c.decided for c in counts)
    selection = {c.category: _rate(c.selected, c.candidates) if any_decision else None for c in counts}

    def best(rates: dict[str, float | None]) -> float | None:
        values = [r for k, r in rates.items() if r is not None and not excluded[k]]
        return max(values) if values else None

    top_scoring, top_selection = best(scoring), best(selection)

    def ratio(rate: float | None, top: float | None, category: str) -> float | None:
        if rate is None or not top or excluded[category]:
            return None
        return rate / top

    return tuple(
        CategoryResult(
            counts=c,
            share=shares[c.category],
            scoring_rate=scoring[c.category],
            scoring_impact_ratio=ratio(scoring[c.category], top_scoring, c.category),
            selection_rate=selection[c.category],
            selection_impact_ratio=ratio(selection[c.category], top_selection, c.category),
            small=small[c.category],
            excluded=excluded[c.category],
        )
        for c in counts
    )


def median_fit(records: Iterable[AuditRecord]) -> float | None:
    """The median fit of ``records`` (mean of the middle two for an even count), None when empty."""
    fits = [r.fit for r in records]
    return statistics.median(fits) if fits else None


def _counts(key: str, label: str, members: list[AuditRecord], median: float) -> CategoryCounts:
    return CategoryCounts(
        category=key,
        label=label,
        candidates=len(members),
        scored_above=sum(1 for r in members if r.fit > median),
        decided=sum(1 for r in members if r.decided),
        selected=sum(1 for r in members if r.decided and r.advanced),
    )


def _group(
    name: str, counts: Sequence[CategoryCounts], total: int, exclude_small: bool, small_share: float
) -> GroupResult:
    unknown = total - sum(c.candidates for c in counts)
    return GroupResult(name, impact_table(counts, total, exclude_small, small_share), unknown)


def compute_audit(
    records: Sequence[AuditRecord], exclude_small: bool = False, small_share: float = SMALL_SHARE
) -> AuditReport:
    """The bias audit of a selection of candidates.

    Args:
        records: One per candidate.
        exclude_small: See :func:`impact_table`.
        small_share: See :func:`impact_table`.

    Returns:
        Sex, race/ethnicity and intersectional results over ``records``.
    """
    median = median_fit(records)
    total = len(records)
    cut = median if median is not None else 0.0
    keyed = [(known(r.sex), known(r.race_ethnicity), r) for r in records]
    sex_counts = [_counts(s, SEX_LABELS[s], [r for k, _, r in keyed if k == s], cut) for s in SEX_CATEGORIES]
    race_counts = [_counts(c, RACE_LABELS[c], [r for _, k, r in keyed if k == c], cut) for c in RACE_CATEGORIES]
    cell_counts = [
        _counts(f"{s}|{c}", f"{SEX_LABELS[s]} × {RACE_LABELS[c]}", [r for a, b, r in keyed if (a, b) == (s, c)], cut)
        for s in SEX_CATEGORIES
        for c in RACE_CATEGORIES
    ]
    groups = (
        _group(SEX, sex_counts, total, exclude_small, small_share),
        _group(RACE, race_counts, total, exclude_small, small_share),
        _group(INTERSECTIONAL, cell_counts, total, exclude_small, small_share),
    )
    return AuditReport(
        candidates=total,
        median_fit=median,
        decided=sum(1 for r in records if r.decided),
        exclude_small=exclude_small,
        groups=groups,
    )
