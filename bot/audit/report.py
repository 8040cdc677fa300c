"""The bias audit as rows, text and CSV (for the command line and the admin page)."""

from __future__ import annotations

import csv
import io

from bot.audit.impact import INTERSECTIONAL, RACE, SEX, AuditReport, CategoryResult

GROUP_TITLES: dict[str, str] = {
    SEX: "Sex",
    RACE: "Race/ethnicity",
    INTERSECTIONAL: "Sex × race/ethnicity",
}

CSV_COLUMNS = (
    "group",
    "category",
    "candidates",
    "share_pct",
    "small",
    "excluded",
    "scored_above_median",
    "scoring_rate",
    "scoring_impact_ratio",
    "decided",
    "selected",
    "selection_rate",
    "selection_impact_ratio",
)


def _num(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def category_row(group: str, result: CategoryResult) -> list[str]:
    """One CSV row of a category: rates as fractions (4 decimals), ratios (3 decimals)."""
    c = result.counts
    return [
        group,
        c.label,
        str(c.candidates),
        _num(result.share * 100, 2),
        "yes" if result.small else "no",
        "yes" if result.excluded else "no",
        str(c.scored_above),
        _num(result.scoring_rate, 4),
        _num(result.scoring_impact_ratio, 3),
        str(c.decided),
        str(c.selected),
        _num(result.selection_rate, 4),
        _num(result.selection_impact_ratio, 3),
    ]


def to_csv(report: AuditReport) -> str:
    """The report as CSV: a row per category, then one ``unknown`` row per group and a ``total`` row.

    The ``total`` row's ``scoring_rate`` column is empty; the median fit is in
    its ``category`` column as ``median fit X.XX``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for group in report.groups:
        for result in group.categories:
            writer.writerow(category_row(group.group, result))
        writer.writerow([group.group, "unknown", str(group.unknown), *[""] * (len(CSV_COLUMNS) - 3)])
    median = "" if report.median_fit is None else f"median fit {report.median_fit:.2f}"
    writer.writerow(["total", median, str(report.candidates), *[""] * 6, str(report.decided), *[""] * 3])
    return out.getvalue()


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def to_text(report: AuditReport) -> str:
    """The report as plain-text tables (rates in %, ratios to 2 decimals; ``*`` marks a category under 2 %)."""
    median = "–" if report.median_fit is None else f"{report.median_fit:.2f}"
    lines = [
        f"Candidates: {report.candidates}; median fit: {median}; with a decision: {report.decided}",
        "Scoring rate: share above the median fit. Selection rate: share advanced of those decided.",
    ]
    if report.exclude_small:
        lines.append("Categories under 2 % of the data (*) are excluded from the impact ratios.")
    for group in report.groups:
        lines += ["", GROUP_TITLES[group.group]]
        header = f"{'Category':<58} {'N':>6} {'Scoring':>8} {'IR':>5} {'Decided':>7} {'Selection':>9} {'IR':>5}"
        lines.append(header)
        for r in group.categories:
            c = r.counts
            label = c.label + (" *" if r.small else "")
            lines.append(
                f"{label:<58} {c.candidates:>6} {_pct(r.scoring_rate):>8} {_ratio(r.scoring_impact_ratio):>5} "
                f"{c.decided:>7} {_pct(r.selection_rate):>9} {_ratio(r.selection_impact_ratio):>5}"
            )
        lines.append(f"{'Unknown (not given or declined)':<58} {group.unknown:>6}")
    return "\n".join(lines) + "\n"
