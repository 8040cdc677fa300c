"""Invoice item: check a supplier's invoice and find the wrong line.

Instance: 3-5 lines (product, quantity, unit price, the line amount as
printed), a VAT rate and the stated total including VAT. Either every line
is right (a correct invoice) or exactly one printed line amount is wrong (two
digits swapped, or the quantity off by one); the stated total is the printed
lines plus VAT, so it is then wrong too. Answer key: whether the total is
right; if not, the wrong line, the correct total and the difference (stated
minus correct, VAT included; the net line difference is accepted too).

Partial credit (numeracy, 1-5), wrong invoice:
    5: says it is wrong, names the wrong line and gives the difference (or
       the correct total).
    4: says it is wrong and names the line, but the amount has an arithmetic
       slip (a figure that is not on the invoice); or gives the difference or
       correct total without naming the line.
    3: says it is wrong and names the line, no amount.
    2: says it is wrong, but neither the line nor the amount is right.
    1: says it is right (accepts a wrong invoice), or a screened-out answer.
Correct invoice:
    5: says it is right and names no line as wrong.
    4: no verdict, but the recomputed total is right.
    3: says it is right but also names a line as wrong.
    2: says it is wrong.
Naming a line: "line 2", "second line", "2nd line" or the product's name.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.worksamples.numbers import read_numbers
from bot.worksamples.params import CURRENCIES, Range, WorkSampleError, get_choices, get_range, get_share, get_text
from bot.worksamples.result import Evidence, WorkSampleResult, cents, find_amount, hours, money
from bot.worksamples.screening import screen, unscored_rule

_ORDINALS = ("first", "second", "third", "fourth", "fifth")
_NUMBER_WORDS = ("one", "two", "three", "four", "five")
_RIGHT_NEG = re.compile(
    r"\b(?:no|not\s+any|without)\s+(?:errors?|mistakes?|problems?)\b|\bnothing\s+(?:is\s+)?wrong\b"
    r"|\b(?:is\s*n[o']?t|not)\s+wrong\b",
    re.I,
)
_WRONG = re.compile(
    r"\b(?:wrong|incorrect|error|mistake|overcharged?|undercharged?|too\s+(?:high|low|much|little)"
    r"|(?:is\s*n[o']?t|not|does\s*n[o']?t|doesn't)\s+(?:right|correct|add\s+up|match)|off\s+by)|^\s*no\b(?!\s+(?:idea|clue|answer))",
    re.I,
)
_RIGHT = re.compile(r"\b(?:correct|right|yes|ok(?:ay)?|fine|adds\s+up|accurate|matches)\b", re.I)


@dataclass(frozen=True)
class Product:
    """A product the invoice can list, with its unit price range."""

    name: str
    price: Range


@dataclass(frozen=True)
class InvoiceTemplate:
    """Parameter ranges of the invoice item (see ``data/bank/worksamples.yml``)."""

    currency: str
    vat_percent: tuple[Decimal, ...]
    lines: Range
    quantity: Range
    correct_share: float
    products: tuple[Product, ...]

    @classmethod
    def from_params(cls, params: Mapping[str, Any], where: str) -> InvoiceTemplate:
        """Validate ``params``; raise :class:`WorkSampleError` naming the field."""
        raw = params.get("products")
        if not isinstance(raw, list) or not all(isinstance(p, Mapping) for p in raw):
            raise WorkSampleError(f"{where}.products: expected a list of {{name, price: {{min, max, step}}}}")
        products = tuple(
            Product(
                get_text(p, "name", f"{where}.products[{i}]"),
                get_range(p, "price", f"{where}.products[{i}]", "0.05"),
            )
            for i, p in enumerate(raw)
        )
        template = cls(
            currency=get_text(params, "currency", where, CURRENCIES),
            vat_percent=get_choices(params, "vat_percent", where),
            lines=get_range(params, "lines", where),
            quantity=get_range(params, "quantity", where),
            correct_share=get_share(params, "correct_share", where),
            products=products,
        )
        if not (3 <= template.lines.min <= template.lines.max <= 5):
            raise WorkSampleError(f"{where}.lines: must lie within 3..5")
        if len({p.name.lower() for p in products}) < template.lines.max or len(products) != len(set(products)):
            raise WorkSampleError(f"{where}.products: need at least lines.max distinct names")
        if template.quantity.min < 1:
            raise WorkSampleError(f"{where}.quantity: min must be at least 1")
        return template


@dataclass(frozen=True)
class InvoiceLine:
    """One invoice line: ``quantity x unit_price``, printed as ``printed``; ``correct`` is the true amount."""

    product: str
    quantity: int
    unit_price: Decimal
    printed: Decimal

    @property
    def correct(self) -> Decimal:
        """The true line amount."""
        return cents(self.quantity * self.unit_price)


@dataclass(frozen=True)
class InvoiceInstance:
    """One drawn invoice and its answer key.

    Attributes:
        seed: The seed it was drawn from.
        currency: Currency symbol.
        vat_percent: VAT rate in percent.
        lines: The lines as printed.
        stated_total: The total printed on the invoice (printed lines plus VAT).
        wrong_line: Key: 1-based number of the wrong line, None when the invoice is right.
        correct_total: Key: the right total including VAT.
    """

    seed: int
    currency: str
    vat_percent: Decimal
    lines: tuple[InvoiceLine, ...]
    stated_total: Decimal
    wrong_line: int | None
    correct_total: Decimal

    @property
    def difference(self) -> Decimal:
        """Key: stated minus correct total, VAT included (0 when right)."""
        return self.stated_total - self.correct_total

    @property
    def net_difference(self) -> Decimal:
        """The wrong line's printed minus true amount, before VAT (0 when right)."""
        return sum((line.printed - line.correct for line in self.lines), Decimal(0))

    def printed_figures(self) -> set[Decimal]:
        """Every figure printed on the invoice (to tell a restated figure from a computed one)."""
        figures = {self.vat_percent, self.stated_total}
        for i, line in enumerate(self.lines, 1):
            figures |= {Decimal(i), Decimal(line.quantity), line.unit_price, line.printed}
        return figures


def _with_vat(net: Decimal, vat: Decimal) -> Decimal:
    return net + cents(net * vat / 100)


def _swap_digits(amount: Decimal, rng: random.Random) -> Decimal | None:
    digits = list(f"{amount:.2f}".replace(".", ""))
    pairs = [i for i in range(len(digits) - 1) if digits[i] != digits[i + 1] and not (i == 0 and digits[1] == "0")]
    if not pairs:
        return None
    i = rng.choice(pairs)
    digits[i], digits[i + 1] = digits[i + 1], digits[i]
    return Decimal("".join(digits)) / 100


def generate(template: InvoiceTemplate, seed: int) -> InvoiceInstance:
    """Draw the instance of ``seed``; the same seed always gives the same instance."""
    rng = random.Random(seed)
    vat = rng.choice(template.vat_percent)
    n = int(template.lines.draw(rng))
    products = rng.sample(template.products, n)
    lines = [
        InvoiceLine(p.name, int(q), price, cents(int(q) * price))
        for p in products
        for q, price in [(template.quantity.draw(rng), p.price.draw(rng))]
    ]
    correct_total = _with_vat(sum((line.correct for line in lines), Decimal(0)), vat)
    wrong: int | None = None
    if rng.random() >= template.correct_share:
        wrong = rng.randrange(n)
        line = lines[wrong]
        swapped = _swap_digits(line.correct, rng) if rng.random() < 0.5 else None
        q = line.quantity + (1 if line.quantity == 1 or rng.random() < 0.5 else -1)
        printed = swapped if swapped is not None else cents(q * line.unit_price)
        lines[wrong] = InvoiceLine(line.product, line.quantity, line.unit_price, printed)
    stated = _with_vat(sum((line.printed for line in lines), Decimal(0)), vat)
    return InvoiceInstance(
        seed=seed,
        currency=template.currency,
        vat_percent=vat,
        lines=tuple(lines),
        stated_total=stated,
        wrong_line=None if wrong is None else wrong + 1,
        correct_total=correct_total,
    )


def prompt(instance: InvoiceInstance) -> str:
    """The text the candidate reads (one short line per invoice line)."""
    c = instance.currency
    rows = "\n".join(
        f"{i}. {line.product}: {line.quantity} x {money(line.unit_price, c)} = {money(line.printed, c)}"
        for i, line in enumerate(instance.lines, 1)
    )
    return (
        f"Invoice check. A supplier sent this invoice:\n{rows}\n"
        f"VAT {hours(instance.vat_percent)}%\nTotal incl. VAT: {money(instance.stated_total, c)}\n"
        "Is the total right? If not, by how much is it off, and which line is wrong?"
    )


def named_lines(instance: InvoiceInstance, answer: str) -> set[int]:
    """The 1-based line numbers the answer names (by number, ordinal or product name)."""
    text = answer.lower()
    named: set[int] = set()
    for i, line in enumerate(instance.lines, 1):
        patterns = [
            rf"\bline\s*(?:no\.?\s*)?(?:{i}|{_NUMBER_WORDS[i - 1]})\b",
            rf"\b(?:{_ORDINALS[i - 1]}|{i}(?:st|nd|rd|th))\s+line\b",
            rf"\b{re.escape(line.product.lower())}\b",
        ]
        if any(re.search(p, text) for p in patterns):
            named.add(i)
    return named


def verdict(answer: str) -> bool | None:
    """True if the answer says the total is right, False if wrong, None if it says neither."""
    text = _RIGHT_NEG.sub(" correct ", answer)
    if _WRONG.search(text):
        return False
    if _RIGHT.search(text):
        return True
    return None


def score(instance: InvoiceInstance, answer: str, item_id: str = "invoice") -> WorkSampleResult:
    """Rate ``answer`` on numeracy by the module's partial-credit rule.

    Args:
        instance: The instance the candidate saw.
        answer: Their free-text answer.
        item_id: The bank item's id, copied into the result.

    Returns:
        The rating with evidence (verdict, line and amount next to the key).
    """
    numbers = read_numbers(answer)
    said = verdict(answer)
    lines = named_lines(instance, answer)
    c = instance.currency
    amount = None
    if instance.wrong_line is not None:
        amount = find_amount(numbers, instance.difference, absolute=True) or find_amount(
            numbers, instance.net_difference, absolute=True
        )
    amount = amount or find_amount(numbers, instance.correct_total)
    computed = [n for n in numbers if abs(n.value) not in instance.printed_figures()]
    is_right = instance.wrong_line is None
    line_ok = lines == ({instance.wrong_line} if instance.wrong_line else set())
    if said is None and not is_right and (amount is not None or (lines and line_ok)):
        said = False  # naming the wrong line or the right amount says "wrong"
    direction = "too high" if instance.difference > 0 else "too low"
    key_verdict = "right" if is_right else f"wrong, {money(abs(instance.difference), c)} {direction}"
    evidence = [
        Evidence("is the total right", key_verdict, {True: "right", False: "wrong", None: None}[said], None,
                 said is is_right),
        Evidence("difference or correct total", _amount_key(instance), amount.text if amount else
                 (computed[0].text if computed else None), (amount.start, amount.end) if amount else None,
                 amount is not None),
        Evidence("wrong line", "none" if is_right else f"line {instance.wrong_line}",
                 ", ".join(f"line {i}" for i in sorted(lines)) or None, None,
                 lines == ({instance.wrong_line} if instance.wrong_line else set())),
    ]  # fmt: skip
    outcome = screen(answer, prompt(instance), attempted=bool(numbers or lines or said is not None))
    if outcome is not None:
        return WorkSampleResult(item_id, "invoice", instance.seed, "numeracy", 1, outcome, outcome == "dont_know",
                                unscored_rule(outcome), tuple(evidence))  # fmt: skip
    if is_right:
        rating, rule = _rate_right(said, lines, amount is not None)
    else:
        rating, rule = _rate_wrong(said, lines == {instance.wrong_line}, amount is not None, bool(computed))
    return WorkSampleResult(item_id, "invoice", instance.seed, "numeracy", rating, "scored", False, rule,
                            tuple(evidence))  # fmt: skip


def _amount_key(instance: InvoiceInstance) -> str:
    c = instance.currency
    total = f"correct total {money(instance.correct_total, c)}"
    if instance.wrong_line is None:
        return total
    return f"off by {money(abs(instance.difference), c)} ({money(abs(instance.net_difference), c)} before VAT); {total}"


def _rate_right(said: bool | None, lines: set[int], total_ok: bool) -> tuple[int, str]:
    if said is True and not lines:
        return 5, "correct invoice, said it is right: 5"
    if said is None and total_ok:
        return 4, "correct invoice, total recomputed right but no verdict stated: 4"
    if said is True:
        return 3, "said it is right but also named a line as wrong: 3"
    return 2, "flagged an error on a correct invoice: 2"


def _rate_wrong(said: bool | None, line_ok: bool, amount_ok: bool, computed: bool) -> tuple[int, str]:
    if said is True and not (line_ok or amount_ok):
        return 1, "accepted a wrong invoice as right: 1"
    if line_ok and amount_ok:
        return 5, "wrong line found and the difference (or correct total) right: 5"
    if line_ok and computed:
        return 4, "wrong line found, right method with an arithmetic slip in the amount: 4"
    if amount_ok:
        return 4, "difference or correct total right, the wrong line not named: 4"
    if line_ok:
        return 3, "wrong line found, no amount given: 3"
    if said is False:
        return 2, "said the total is wrong, but neither the line nor the amount right: 2"
    return 1, "no verdict, line or amount: 1"
