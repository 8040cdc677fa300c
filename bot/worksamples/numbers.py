"""Read the numbers in a candidate's free-text answer.

:func:`read_numbers` finds amounts written the ways people write them
("£1,234.50", "1234.5", "1.234,50 kr", "about 46 hours", "forty-six", "46h",
"€ 12,5", "-£12.50", "12.5%") and returns each with its span in the text (for
evidence) and a unit hint. It is deterministic and knows no locale.

Separator rule (``,`` and ``.``):

* Both present: the one that comes last is the decimal separator and occurs
  once; the other separates thousands ("1,234.50" and "1.234,50" are 1234.5).
* One kind, more than once: thousands separators ("1.234.567").
* One kind, once: a thousands separator when exactly three digits follow it
  and the part before is 1-3 digits other than "0" ("1,234" and "1.234" are
  1234); otherwise the decimal separator ("12,5" is 12.5, "0.125" is 0.125).
  The currency does not change this.
* Thousands groups after the first must have exactly three digits and the
  first group 1-3 digits; a token that breaks this ("1,2,3", "1,23.4") is not
  an amount and is skipped.

Refused (never read as amounts): dates ("3/12/2026", "3.12.2026",
"2026-12-03", "3. december", "December 3"), fractions or day/month pairs
("3/12"), clock times ("14:30", "2.30pm"), phone numbers (a leading "+", or
three or more groups of 2-4 digits joined by spaces or hyphens with at least
seven digits, or nine or more digits starting with 0), list markers at the
start of a line ("1. ", "2) "), ordinals ("3rd"), labels ("line 3",
"item 2", "no. 4", "#5"), and digits glued to letters that are not a unit
("A4", "3D"). The word "one" on its own is not read (it is mostly a pronoun)
unless a unit follows it ("one hour").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Unit = Literal["currency", "hours", "percent"]

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch|ts)?|apr(?:il)?|maj|may|jun[ei]?|jul[iy]?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|okt(?:ober)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_REFUSED = [
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),
    re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"),
    re.compile(r"\b\d{1,4}/\d{1,4}\b"),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\.?\s*(?:of\s+)?(?:{_MONTHS})\b\.?(?:\s*\d{{4}})?", re.I),
    re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s*\d{{4}})?", re.I),
    re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)\b", re.I),
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b"),
    re.compile(r"\+\s*\d[\d\s()-]{5,}\d"),
    re.compile(r"\b\d{2,4}(?:[ -]\d{2,4}){2,}\b"),
    re.compile(r"\b0\d{8,}\b"),
    re.compile(r"(?m)^\s*\d{1,2}[.)](?=\s)"),
    re.compile(r"\b\d{1,2}\)"),
    re.compile(r"\b(?:line|item|row|step|no\.?|number|nr\.?)\s*\d+\b", re.I),
    re.compile(r"#\s*\d+"),
]
_TOKEN = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")
_CURRENCY_BEFORE = re.compile(r"(£|€|\$|kr\.?|dkk|eur|gbp|usd|sek|nok)\s*$", re.I)
#: A minus sign touches its number ("-46", "(-4)", "minus 4"); a dash with a
#: space after it ("wrong - 46 hours") or between two numbers ("38 -40",
#: "£100 - £120") is punctuation or a range, and an en dash is never a sign.
_SIGN_BEFORE = re.compile(r"(?:(?:^|(?<=[\s(:=£€$]))(?<!\d\s)[-−]|\bminus\s+)$", re.I)
_APPROX_BEFORE = re.compile(
    r"(?:\b(?:about|around|roughly|approximately|approx\.?|circa|ca\.?|almost|nearly|some)|~)\s*$", re.I
)
_UNIT_AFTER = re.compile(
    r"\s*(?P<pct>%|\s*(?:percent|per\s+cent|pct)\b)"
    r"|(?P<hours>\s*(?:hours?|hrs?|timer|h|t)\b)"
    r"|(?P<cur>\s*(?:£|€|\$|kr\b\.?|dkk\b|eur\b|gbp\b|usd\b|sek\b|nok\b|pounds?\b|euros?\b|dollars?\b|kroner\b))",
    re.I,
)
_GLUED_SUFFIX = re.compile(r"[^\W\d_]+")
_SYMBOLS = {"£": "£", "€": "€", "$": "$", "pound": "£", "euro": "€", "dollar": "$", "gbp": "£", "eur": "€"}

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_WORD = "|".join([*_UNITS, *_TENS, "hundred", "thousand"])
_WORDS = re.compile(rf"\b(?:{_WORD})(?:(?:\s*-\s*|\s+and\s+|\s+)(?:{_WORD}))*\b", re.I)


@dataclass(frozen=True)
class ReadNumber:
    """One number found in a text.

    Attributes:
        value: The number; a percent is given as written (``12.5`` for "12.5%").
        start: Offset of the first character of the match (sign, currency or
            digit) in the text.
        end: Offset just past the match (including a unit written after it).
        text: ``text[start:end]``, as the candidate wrote it.
        unit: ``"currency"``, ``"hours"``, ``"percent"`` or None when none was
            written next to the number.
        currency: The currency as written, normalised ("£", "€", "$", "kr") or
            None.
        approximate: True when "about", "around", "~" and the like come just
            before the number.
    """

    value: Decimal
    start: int
    end: int
    text: str
    unit: Unit | None
    currency: str | None
    approximate: bool


def parse_digits(token: str) -> Decimal | None:
    """Parse one run of digits and separators by the module's separator rule.

    Args:
        token: Digits with ``,`` and ``.``, e.g. ``"1.234,50"``.

    Returns:
        The value, or None when the token is not an amount ("1,2,3").
    """
    seps = [c for c in token if c in ".,"]
    if not seps:
        return Decimal(token)
    kinds = set(seps)
    if len(kinds) == 2:
        decimal_sep = seps[-1]
        if seps.count(decimal_sep) != 1:
            return None
        whole, frac = token.rsplit(decimal_sep, 1)
        thousands = "," if decimal_sep == "." else "."
        return _join_thousands(whole.split(thousands), frac)
    sep = seps[0]
    groups = token.split(sep)
    if len(groups) > 2:
        return _join_thousands(groups, None)
    head, tail = groups
    if len(tail) == 3 and 1 <= len(head) <= 3 and head != "0":
        return Decimal(head + tail)
    return Decimal(f"{head}.{tail}")


def _join_thousands(groups: list[str], frac: str | None) -> Decimal | None:
    if not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]):
        return None
    whole = "".join(groups)
    return Decimal(f"{whole}.{frac}") if frac is not None else Decimal(whole)


def _words_value(phrase: str) -> int | None:
    parts = [p for p in re.split(r"[\s-]+", phrase.lower()) if p and p != "and"]
    total, current, last = 0, 0, ""
    for part in parts:
        if part in _UNITS:
            if last in ("unit", "teen") or (last == "tens" and _UNITS[part] >= 10):
                return None
            current += _UNITS[part]
            last = "teen" if _UNITS[part] >= 10 else "unit"
        elif part in _TENS:
            if last in ("unit", "teen", "tens"):
                return None
            current += _TENS[part]
            last = "tens"
        elif part == "hundred":
            if last == "hundred":
                return None
            current = (current or 1) * 100
            last = "hundred"
        else:
            total += (current or 1) * 1000
            current, last = 0, "thousand"
    return total + current


def _refused_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for pattern in _REFUSED for m in pattern.finditer(text)]


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def _unit_after(text: str, end: int) -> tuple[Unit | None, str | None, int]:
    m = _UNIT_AFTER.match(text, end)
    if not m:
        return None, None, end
    if m.group("pct"):
        return "percent", None, m.end()
    if m.group("hours"):
        return "hours", None, m.end()
    return "currency", _currency_name(m.group("cur")), m.end()


def _currency_name(raw: str) -> str:
    key = raw.strip().lower().rstrip(".s")
    if key in ("kr", "dkk", "sek", "nok", "krone", "kroner"):
        return "kr"
    return _SYMBOLS.get(key, raw.strip().upper())


def _make(text: str, start: int, end: int, value: Decimal) -> ReadNumber | None:
    """Attach currency, sign, unit and approximation around ``text[start:end]``."""
    before = text[:start]
    currency = None
    unit: Unit | None = None
    negative = False
    if m := _SIGN_BEFORE.search(before):
        negative, before, start = True, before[: m.start()], m.start()
    if m := _CURRENCY_BEFORE.search(before):
        currency, unit, start = _currency_name(m.group(1)), "currency", m.start()
        before = before[: m.start()]
        if not negative and (m := _SIGN_BEFORE.search(before)):
            negative, before, start = True, before[: m.start()], m.start()
    glued = _GLUED_SUFFIX.match(text, end)
    after_unit, after_currency, new_end = _unit_after(text, end)
    if glued and (after_unit is None or new_end < glued.end()):
        return None
    if after_unit is not None and unit is None:
        unit, currency = after_unit, after_currency
        end = new_end
    elif after_unit == "currency" and unit == "currency":
        end = new_end
    approximate = bool(_APPROX_BEFORE.search(before))
    return ReadNumber(
        value=-value if negative else value,
        start=start,
        end=end,
        text=text[start:end],
        unit=unit,
        currency=currency,
        approximate=approximate,
    )


def read_numbers(text: str) -> tuple[ReadNumber, ...]:
    """Find the amounts in ``text``.

    Args:
        text: A free-text answer.

    Returns:
        The numbers found, in the order they occur. Dates, times, phone
        numbers, list markers, ordinals, labels and malformed separator runs
        are left out (see the module docstring for the exact rules).
    """
    refused = _refused_spans(text)
    found: list[ReadNumber] = []
    for m in _TOKEN.finditer(text):
        if _overlaps(m.span(), refused):
            continue
        value = parse_digits(m.group())
        if value is None:
            continue
        if (read := _make(text, m.start(), m.end(), value)) is not None:
            found.append(read)
    for m in _WORDS.finditer(text):
        value = _words_value(m.group())
        if value is None or _overlaps(m.span(), refused):
            continue
        read = _make(text, m.start(), m.end(), Decimal(value))
        if read is None or (m.group().lower() == "one" and read.unit is None):
            continue
        found.append(read)
    return tuple(sorted(found, key=lambda r: r.start))
