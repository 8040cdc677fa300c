"""The categories of the self-identification form and of the bias audit.

Sex and race/ethnicity follow the EEO-1 Component 1 categories that
6 RCNY §5-301 asks a bias audit to report. ``decline`` ("I prefer not to
answer") is always offered and counts as an unknown category in the audit.
"""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    """What a candidate may answer to "sex"."""

    FEMALE = "female"
    MALE = "male"
    DECLINE = "decline"


class RaceEthnicity(StrEnum):
    """What a candidate may answer to "race/ethnicity" (EEO-1 categories)."""

    HISPANIC_LATINO = "hispanic_latino"
    WHITE = "white"
    BLACK = "black"
    NATIVE_HAWAIIAN_PACIFIC_ISLANDER = "native_hawaiian_pacific_islander"
    ASIAN = "asian"
    AMERICAN_INDIAN_ALASKA_NATIVE = "american_indian_alaska_native"
    TWO_OR_MORE = "two_or_more"
    DECLINE = "decline"


#: The answer that stands for "decline to answer" in both questions.
DECLINE = "decline"

SEX_LABELS: dict[str, str] = {
    Sex.FEMALE: "Female",
    Sex.MALE: "Male",
    Sex.DECLINE: "I prefer not to answer",
}

RACE_LABELS: dict[str, str] = {
    RaceEthnicity.HISPANIC_LATINO: "Hispanic or Latino",
    RaceEthnicity.WHITE: "White",
    RaceEthnicity.BLACK: "Black or African American",
    RaceEthnicity.NATIVE_HAWAIIAN_PACIFIC_ISLANDER: "Native Hawaiian or Other Pacific Islander",
    RaceEthnicity.ASIAN: "Asian",
    RaceEthnicity.AMERICAN_INDIAN_ALASKA_NATIVE: "American Indian or Alaska Native",
    RaceEthnicity.TWO_OR_MORE: "Two or More Races",
    RaceEthnicity.DECLINE: "I prefer not to answer",
}

#: The categories the audit reports, in report order (``decline`` is unknown, not a category).
SEX_CATEGORIES: tuple[str, ...] = tuple(s.value for s in Sex if s != Sex.DECLINE)
RACE_CATEGORIES: tuple[str, ...] = tuple(r.value for r in RaceEthnicity if r != RaceEthnicity.DECLINE)


def known(value: str | None) -> str | None:
    """The category an answer counts in, None for no answer or ``decline``."""
    return None if value is None or value == DECLINE else value
