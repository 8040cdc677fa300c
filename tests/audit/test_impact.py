"""The bias audit's computation (:mod:`bot.audit.impact`), without a database."""

from __future__ import annotations

import pytest

from bot.audit.impact import (
    INTERSECTIONAL,
    RACE,
    SEX,
    AuditRecord,
    CategoryCounts,
    compute_audit,
    impact_table,
    median_fit,
)

# -- the worked example of the DCWP rules ------------------------------------------
#
# 6 RCNY §5-301, the example of a bias audit of an AEDT that selects
# candidates: an employer screens resumes and selects who moves on. The
# rules print the number of applicants and of those selected per category,
# the selection rate as a whole percentage and the impact ratio to two
# decimals. (category, applicants, selected, printed rate %, printed ratio)

DCWP_SEX = [
    ("male", 1390, 667, 48, 1.00),
    ("female", 1181, 555, 47, 0.98),
]
DCWP_RACE = [
    ("hispanic_latino", 408, 204, 50, 0.97),
    ("white", 797, 412, 52, 1.00),
    ("black", 390, 170, 44, 0.84),
    ("native_hawaiian_pacific_islander", 119, 52, 44, 0.85),
    ("asian", 616, 302, 49, 0.95),
    ("american_indian_alaska_native", 41, 18, 44, 0.85),
    ("two_or_more", 213, 96, 45, 0.87),
]


@pytest.mark.parametrize("table", [DCWP_SEX, DCWP_RACE], ids=["sex", "race_ethnicity"])
def test_the_dcwp_selection_rate_example(table) -> None:
    counts = [CategoryCounts(key, key, n, decided=n, selected=s) for key, n, s, _, _ in table]
    results = impact_table(counts, total=sum(n for _, n, _, _, _ in table))
    for result, (key, _, _, rate, ratio) in zip(results, table, strict=True):
        assert result.counts.category == key
        assert round(result.selection_rate * 100) == rate, key
        assert round(result.selection_impact_ratio, 2) == pytest.approx(ratio), key
    # 41 of 2,584 American Indian or Alaska Native applicants are 1.6 % of the data.
    assert [r.counts.category for r in results if r.small] == (
        ["american_indian_alaska_native"] if table is DCWP_RACE else []
    )


def test_ratios_are_of_unrounded_rates() -> None:
    # Black or African American: 170/390 = 0.4359 against White 412/797 =
    # 0.5169 is 0.843, printed 0.84; the printed rates (44 % / 52 %) would give 0.85.
    counts = [CategoryCounts(key, key, n, decided=n, selected=s) for key, n, s, _, _ in DCWP_RACE]
    black = impact_table(counts, total=2584)[2]
    assert black.selection_impact_ratio == pytest.approx((170 / 390) / (412 / 797))
    assert round(0.44 / 0.52, 2) == 0.85


# -- medians and the scoring rate -------------------------------------------------


def records(*specs: tuple[str | None, str | None, float]) -> list[AuditRecord]:
    return [AuditRecord(sex, race, fit) for sex, race, fit in specs]


def test_median_of_odd_and_even_counts() -> None:
    assert median_fit(records((None, None, 1), (None, None, 5), (None, None, 3))) == 3
    assert median_fit(records((None, None, 1), (None, None, 2), (None, None, 4), (None, None, 5))) == 3
    assert median_fit([]) is None


def test_a_fit_equal_to_the_median_is_not_above_it() -> None:
    report = compute_audit(
        records(("female", "asian", 3.0), ("female", "asian", 3.0), ("male", "white", 3.0), ("male", "white", 4.0))
    )
    assert report.median_fit == 3.0
    sex = {r.counts.category: r for r in report.groups[0].categories}
    assert sex["female"].counts.scored_above == 0 and sex["female"].scoring_rate == 0
    assert sex["male"].counts.scored_above == 1 and sex["male"].scoring_rate == 0.5
    assert sex["male"].scoring_impact_ratio == 1.0 and sex["female"].scoring_impact_ratio == 0.0


def test_all_tied_gives_no_impact_ratio() -> None:
    report = compute_audit(records(("female", "asian", 2.0), ("male", "white", 2.0)))
    assert all(r.scoring_impact_ratio is None for g in report.groups for r in g.categories)
    assert report.groups[0].categories[0].scoring_rate == 0.0


def test_groups_unknowns_and_intersections() -> None:
    report = compute_audit(
        records(
            ("female", "black", 5),
            ("female", "decline", 4),
            ("decline", "white", 3),
            (None, None, 2),
            ("male", "white", 1),
        )
    )
    assert [g.group for g in report.groups] == [SEX, RACE, INTERSECTIONAL]
    sex, race, cells = report.groups
    assert report.candidates == 5 and report.median_fit == 3
    assert sex.unknown == 2 and race.unknown == 2 and cells.unknown == 3
    assert {r.counts.category: r.counts.candidates for r in sex.categories} == {"female": 2, "male": 1}
    cell = {r.counts.category: r for r in cells.categories}
    assert len(cell) == 2 * 7
    assert cell["female|black"].counts.candidates == 1 and cell["female|black"].scoring_rate == 1.0
    assert cell["male|white"].scoring_rate == 0.0
    assert cell["male|asian"].counts.candidates == 0 and cell["male|asian"].scoring_rate is None
    assert cell["male|asian"].scoring_impact_ratio is None and not cell["male|asian"].small


def test_selection_rate_is_over_every_candidate_of_the_category() -> None:
    report = compute_audit(
        [
            AuditRecord("female", "asian", 4, decided=True, advanced=True),
            AuditRecord("female", "asian", 3, decided=True, advanced=False),
            AuditRecord("female", "asian", 2),  # undecided
            AuditRecord("male", "asian", 1, decided=True, advanced=True),
        ]
    )
    sex = {r.counts.category: r for r in report.groups[0].categories}
    assert report.decided == 3
    assert sex["female"].counts.decided == 2 and sex["female"].selection_rate == 1 / 3  # 1 of 3 who applied
    assert sex["male"].selection_rate == 1.0
    assert sex["female"].selection_impact_ratio == 1 / 3 and sex["male"].selection_impact_ratio == 1.0
    assert compute_audit(records(("female", "asian", 1))).groups[0].categories[0].selection_rate is None


# -- categories under 2 % ------------------------------------------------------------


def _small_data() -> list[AuditRecord]:
    # 100 candidates: one American Indian or Alaska Native (1 %), who scored
    # above the median; the Asian candidates mostly did too.
    data = [AuditRecord("female", "american_indian_alaska_native", 5.0)]
    data += [AuditRecord("female", "asian", 4.0 if i < 30 else 1.0) for i in range(49)]
    data += [AuditRecord("male", "white", 4.0 if i < 10 else 1.0) for i in range(50)]
    return data


def test_categories_under_two_percent_are_marked() -> None:
    race = {r.counts.category: r for r in compute_audit(_small_data()).groups[1].categories}
    small = race["american_indian_alaska_native"]
    assert small.small and not small.excluded and small.share == pytest.approx(0.01)
    assert small.scoring_rate == 1.0 and small.scoring_impact_ratio == 1.0
    assert race["asian"].scoring_impact_ratio == pytest.approx(30 / 49)
    assert not race["asian"].small


def test_excluded_small_categories_keep_counts_but_not_the_ratio() -> None:
    report = compute_audit(_small_data(), exclude_small=True)
    race = {r.counts.category: r for r in report.groups[1].categories}
    small = race["american_indian_alaska_native"]
    assert small.excluded and small.counts.candidates == 1 and small.scoring_rate == 1.0
    assert small.scoring_impact_ratio is None
    assert race["asian"].scoring_impact_ratio == 1.0  # the highest rate now
    assert race["white"].scoring_impact_ratio == pytest.approx((10 / 50) / (30 / 49))


def test_two_percent_exactly_is_not_small() -> None:
    results = impact_table([CategoryCounts("a", "a", 2), CategoryCounts("b", "b", 98)], total=100)
    assert [r.small for r in results] == [False, False]
    assert impact_table([CategoryCounts("a", "a", 1)], total=100)[0].small


def test_inconsistent_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        impact_table([CategoryCounts("a", "a", 2, scored_above=3)], total=2)
    with pytest.raises(ValueError):
        impact_table([CategoryCounts("a", "a", 2, decided=1, selected=2)], total=2)
