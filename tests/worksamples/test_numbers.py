"""The number reader: every written form, and the refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.worksamples.numbers import parse_digits, read_numbers

D = Decimal


def values(text: str) -> list[Decimal]:
    return [n.value for n in read_numbers(text)]


@pytest.mark.parametrize(
    ("text", "value", "unit", "currency"),
    [
        ("£1,234.50", D("1234.50"), "currency", "£"),
        ("1234.5", D("1234.5"), None, None),
        ("1.234,50 kr", D("1234.50"), "currency", "kr"),
        ("about 46 hours", D(46), "hours", None),
        ("forty-six", D(46), None, None),
        ("46h", D(46), "hours", None),
        ("€ 12,5", D("12.5"), "currency", "€"),
        ("-£12.50", D("-12.50"), "currency", "£"),
        ("£-12.50", D("-12.50"), "currency", "£"),
        ("minus 4", D(-4), None, None),
        ("12.5%", D("12.5"), "percent", None),
        ("20 percent", D(20), "percent", None),
        ("one hundred and twenty pounds", D(120), "currency", "£"),
        ("1,234", D(1234), None, None),
        ("1.234", D(1234), None, None),
        ("0.125", D("0.125"), None, None),
        ("12,50 EUR", D("12.50"), "currency", "€"),
        ("one hour", D(1), "hours", None),
    ],
)
def test_forms(text: str, value: Decimal, unit: str | None, currency: str | None) -> None:
    (n,) = read_numbers(text)
    assert (n.value, n.unit, n.currency) == (value, unit, currency)
    assert text[n.start : n.end] == n.text


def test_approximate_and_spans() -> None:
    answer = "It comes to about 46 hours and £712.50 in pay."
    hours, pay = read_numbers(answer)
    assert hours.approximate and not pay.approximate
    assert answer[hours.start : hours.end] == "46 hours"
    assert answer[pay.start : pay.end] == "£712.50"


@pytest.mark.parametrize(
    "text",
    [
        "1,2,3",
        "1,23.4",
        "call me on +45 12 34 56 78",
        "020 7946 0958",
        "07700900123",
        "3/12/2026",
        "3.12.2026",
        "2026-12-03",
        "3. december",
        "December 3, 2026",
        "on the 3rd",
        "at 14:30",
        "at 2.30pm",
        "1. B first",
        "line 3 is wrong",
        "item 2",
        "#5",
        "A4 paper",
        "which one is late",
    ],
)
def test_refusals(text: str) -> None:
    assert values(text) == []


def test_range_is_two_numbers_not_a_negative() -> None:
    assert values("3-4 hours") == [D(3), D(4)]


def test_sentence_full_stop_is_not_a_decimal() -> None:
    assert values("It is 46. Then 12.") == [D(46), D(12)]


cents = st.integers(min_value=0, max_value=99_999_999)


@given(cents)
def test_english_and_european_forms_agree(c: int) -> None:
    value = D(c) / 100
    english = f"£{value:,.2f}"
    european = f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".") + " kr"
    plain = f"{value:.2f}"
    for text in (english, european, plain):
        assert values(text) == [value], text


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=99))
def test_single_separator_rule(whole: int, frac: int) -> None:
    # Two decimals: decimal separator, whichever character.
    assert parse_digits(f"{whole}.{frac:02d}") == D(f"{whole}.{frac:02d}")
    assert parse_digits(f"{whole},{frac:02d}") == D(f"{whole}.{frac:02d}")
    # Exactly three digits after one separator: thousands.
    assert parse_digits(f"{whole},{frac:03d}") == D(whole * 1000 + frac)


@given(st.integers(min_value=0, max_value=9999), st.sampled_from(["hours", "h", "hrs", "timer"]))
def test_hours_units(n: int, unit: str) -> None:
    (read,) = read_numbers(f"I worked {n} {unit} in total")
    assert read.value == n and read.unit == "hours"


@given(st.lists(st.integers(min_value=0, max_value=99), min_size=3, max_size=6))
def test_tight_lists_are_refused(items: list[int]) -> None:
    text = ",".join(str(i) for i in items)
    assert values(text) == []  # groups of 1-2 digits are never thousands


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_dates_are_refused(date: dt.date) -> None:
    for text in (date.isoformat(), f"{date.day}/{date.month}/{date.year}", f"{date.day}. {date:%B}"):
        assert values(text) == [], text


@given(st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59))
def test_times_are_refused(h: int, m: int) -> None:
    assert values(f"meet at {h}:{m:02d}") == []


@given(st.lists(st.integers(min_value=10, max_value=99), min_size=4, max_size=5))
def test_phone_numbers_are_refused(groups: list[int]) -> None:
    assert values("ring " + " ".join(str(g) for g in groups)) == []
    assert values("+45 " + " ".join(str(g) for g in groups)) == []


@given(st.integers(min_value=21, max_value=99).filter(lambda n: n % 10))
def test_number_words(n: int) -> None:
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"][n // 10]
    units = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"][n % 10]
    assert values(f"{tens}-{units} hours") == [D(n)]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("The total is wrong - 46 hours, not 44", [46, 44]),
        ("38 - 40 hours", [38, 40]),
        ("£100 - £120", [100, 120]),
        ("it is -46", [-46]),
        ("minus 4 hours", [-4]),
    ],
)
def test_a_dash_is_a_minus_only_when_it_touches_its_number(text: str, values: list[int]) -> None:
    assert [n.value for n in read_numbers(text)] == values
