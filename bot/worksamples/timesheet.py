"""Timesheet item: total a week's hours and work out the pay with overtime.

Instance: a worker's daily hours (0.5-hour steps) for 5-6 days, an hourly
rate, a weekly limit and an overtime premium in percent. Answer key: total
hours; pay = hours up to the limit x rate + hours above it x rate x
(1 + premium/100), rounded half up to the cent.

Partial credit (numeracy, 1-5):
    5: total hours and pay both right.
    4: right method with one arithmetic slip: hours right and pay within 5%
       of the key (not a wrong-method figure); or pay worked out correctly from
       a mis-added total; or pay right with the hours not stated.
    3: hours right but the overtime rule applied wrongly (no premium, premium
       on every hour, premium without the base pay) or the pay missing or far
       off; or pay within 5% with the hours wrong or missing.
    2: figures given but neither part right.
    1: no figures, or a screened-out answer (see :mod:`.screening`).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.worksamples.numbers import ReadNumber, read_numbers
from bot.worksamples.params import CURRENCIES, Range, WorkSampleError, get_choices, get_range, get_text, get_texts
from bot.worksamples.result import Evidence, WorkSampleResult, cents, hours, money, same_amount
from bot.worksamples.screening import screen, unscored_rule

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
HALF = Decimal("0.5")
SLIP = Decimal("0.05")


@dataclass(frozen=True)
class TimesheetTemplate:
    """Parameter ranges of the timesheet item (see ``data/bank/worksamples.yml``)."""

    currency: str
    rate: Range
    weekly_limit: tuple[Decimal, ...]
    premium_percent: tuple[Decimal, ...]
    days: tuple[Decimal, ...]
    daily_hours: Range
    total_offset: Range
    names: tuple[str, ...]

    @classmethod
    def from_params(cls, params: Mapping[str, Any], where: str) -> TimesheetTemplate:
        """Validate ``params``; raise :class:`WorkSampleError` naming the field."""
        template = cls(
            currency=get_text(params, "currency", where, CURRENCIES),
            rate=get_range(params, "rate", where, "0.25"),
            weekly_limit=get_choices(params, "weekly_limit", where),
            premium_percent=get_choices(params, "premium_percent", where),
            days=get_choices(params, "days", where),
            daily_hours=get_range(params, "daily_hours", where, "0.5"),
            total_offset=get_range(params, "total_offset", where, "0.5"),
            names=get_texts(params, "names", where),
        )
        if any(d not in (5, 6) for d in template.days):
            raise WorkSampleError(f"{where}.days: each must be 5 or 6")
        if any(p <= 0 for p in template.premium_percent):
            raise WorkSampleError(f"{where}.premium_percent: each must be above 0")
        if template.daily_hours.step != HALF or template.total_offset.step != HALF:
            raise WorkSampleError(f"{where}: daily_hours and total_offset must step by 0.5")
        return template


@dataclass(frozen=True)
class TimesheetInstance:
    """One drawn timesheet and its answer key.

    Attributes:
        seed: The seed it was drawn from.
        name: The worker's first name.
        currency: Currency symbol.
        daily: ``(day, hours)`` pairs.
        rate: Pay per hour.
        weekly_limit: Hours in the week paid at the normal rate.
        premium_percent: Extra pay for each hour above the limit, in percent.
        total_hours: Key: the week's hours.
        overtime_hours: Key: hours above the limit (0 when none).
        pay: Key: the week's pay, to the cent.
    """

    seed: int
    name: str
    currency: str
    daily: tuple[tuple[str, Decimal], ...]
    rate: Decimal
    weekly_limit: Decimal
    premium_percent: Decimal
    total_hours: Decimal
    overtime_hours: Decimal
    pay: Decimal

    def pay_for(self, total: Decimal) -> Decimal:
        """Pay for ``total`` hours under this instance's rule."""
        over = max(Decimal(0), total - self.weekly_limit)
        return cents((total - over) * self.rate + over * self.rate * (1 + self.premium_percent / 100))

    def wrong_methods(self) -> dict[str, Decimal]:
        """Pay figures that come from a wrong overtime rule, by description (empty without overtime)."""
        if self.overtime_hours == 0:
            return {}
        p = self.premium_percent / 100
        normal = self.total_hours - self.overtime_hours
        return {
            "no overtime premium": cents(self.total_hours * self.rate),
            "premium on every hour": cents(self.total_hours * self.rate * (1 + p)),
            "overtime paid at the premium only": cents(normal * self.rate + self.overtime_hours * self.rate * p),
        }


def generate(template: TimesheetTemplate, seed: int) -> TimesheetInstance:
    """Draw the instance of ``seed``; the same seed always gives the same instance."""
    rng = random.Random(seed)
    limit = rng.choice(template.weekly_limit)
    premium = rng.choice(template.premium_percent)
    rate = template.rate.draw(rng)
    n = int(rng.choice(template.days))
    lo, hi = template.daily_hours.min, template.daily_hours.max
    target = min(max(limit + template.total_offset.draw(rng), lo * n), hi * n)
    daily = [lo] * n
    left = int((target - lo * n) / HALF)
    while left > 0:
        i = rng.randrange(n)
        if daily[i] + HALF <= hi:
            daily[i] += HALF
            left -= 1
    total = sum(daily, Decimal(0))
    over = max(Decimal(0), total - limit)
    instance = TimesheetInstance(
        seed=seed,
        name=rng.choice(template.names),
        currency=template.currency,
        daily=tuple(zip(DAYS, daily, strict=False)),
        rate=rate,
        weekly_limit=limit,
        premium_percent=premium,
        total_hours=total,
        overtime_hours=over,
        pay=Decimal(0),
    )
    return TimesheetInstance(**{**instance.__dict__, "pay": instance.pay_for(total)})


def prompt(instance: TimesheetInstance) -> str:
    """The text the candidate reads (narrow lines for a phone)."""
    days = "\n".join(f"{day}: {hours(h)} h" for day, h in instance.daily)
    return (
        f"Timesheet. {instance.name} worked these hours this week:\n{days}\n"
        f"Pay is {money(instance.rate, instance.currency)} an hour. Hours above "
        f"{hours(instance.weekly_limit)} in the week are overtime, paid "
        f"{hours(instance.premium_percent)}% extra.\n"
        "1) How many hours in total?\n2) What is the pay for the week?"
    )


def _pick_hours(numbers: tuple[ReadNumber, ...], key: Decimal) -> ReadNumber | None:
    tagged = [n for n in numbers if n.unit == "hours"]
    plain = [n for n in numbers if n.unit is None and 0 < n.value <= 168]
    for pool in (tagged, plain):
        if pool:
            return next((n for n in pool if n.value == key), max(pool, key=lambda n: n.value))
    return None


def _pick_pay(numbers: tuple[ReadNumber, ...], key: Decimal) -> ReadNumber | None:
    tagged = [n for n in numbers if n.unit == "currency"]
    plain = [n for n in numbers if n.unit is None and n.value > 168]
    for pool in (tagged, plain):
        if pool:
            return next((n for n in pool if same_amount(n.value, key)), pool[-1])
    return None


def _close(given: Decimal, key: Decimal) -> bool:
    return key != 0 and abs(given - key) <= abs(key) * SLIP


def score(instance: TimesheetInstance, answer: str, item_id: str = "timesheet") -> WorkSampleResult:
    """Rate ``answer`` on numeracy by the module's partial-credit rule.

    Args:
        instance: The instance the candidate saw.
        answer: Their free-text answer.
        item_id: The bank item's id, copied into the result.

    Returns:
        The rating with evidence (hours and pay, candidate next to key).
    """
    numbers = read_numbers(answer)
    got_h = _pick_hours(numbers, instance.total_hours)
    got_p = _pick_pay(numbers, instance.pay)
    h_ok = got_h is not None and got_h.value == instance.total_hours
    p_ok = got_p is not None and same_amount(got_p.value, instance.pay)
    evidence = (
        Evidence(
            "total hours",
            hours(instance.total_hours),
            got_h.text if got_h else None,
            (got_h.start, got_h.end) if got_h else None,
            h_ok,
        ),
        Evidence(
            f"pay (overtime {hours(instance.overtime_hours)} h)",
            money(instance.pay, instance.currency),
            got_p.text if got_p else None,
            (got_p.start, got_p.end) if got_p else None,
            p_ok,
        ),
    )
    outcome = screen(answer, prompt(instance), attempted=bool(numbers))
    if outcome is not None:
        return WorkSampleResult(
            item_id, "timesheet", instance.seed, "numeracy", 1, outcome, outcome == "dont_know",
            unscored_rule(outcome), evidence,
        )  # fmt: skip
    rating, rule = _rate(instance, got_h, got_p, h_ok, p_ok)
    return WorkSampleResult(item_id, "timesheet", instance.seed, "numeracy", rating, "scored", False, rule, evidence)


def _rate(
    instance: TimesheetInstance, got_h: ReadNumber | None, got_p: ReadNumber | None, h_ok: bool, p_ok: bool
) -> tuple[int, str]:
    if h_ok and p_ok:
        return 5, "total hours and pay both right: 5"
    wrong = next(
        (name for name, v in instance.wrong_methods().items() if got_p and same_amount(got_p.value, v)),
        None,
    )
    if p_ok:
        return 4, "pay right, total hours not stated or mis-stated: 4"
    if got_h and not h_ok and got_p and same_amount(got_p.value, instance.pay_for(got_h.value)):
        return 4, "slip adding the hours, pay worked out correctly from that total: 4"
    if h_ok and got_p and wrong is None and _close(got_p.value, instance.pay):
        return 4, "hours right, right method with an arithmetic slip in the pay (within 5%): 4"
    if h_ok and wrong:
        return 3, f"hours right, overtime rule applied wrongly ({wrong}): 3"
    if h_ok:
        return 3, "hours right, pay missing or wrong: 3"
    if got_p and wrong is None and _close(got_p.value, instance.pay):
        return 3, "pay close (within 5%) but hours wrong or missing: 3"
    return 2, "figures given but neither the hours nor the pay right: 2"
