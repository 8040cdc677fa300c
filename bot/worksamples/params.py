"""Read an item's ``params`` mapping from the bank, with errors that name the field."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


class WorkSampleError(ValueError):
    """The work-sample bank file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Range:
    """An inclusive range ``min..max`` in steps of ``step`` (Decimals)."""

    min: Decimal
    max: Decimal
    step: Decimal

    def draw(self, rng: random.Random) -> Decimal:
        """A value on the grid ``min, min+step, …, <= max``, uniformly."""
        steps = int((self.max - self.min) / self.step)
        return self.min + self.step * rng.randint(0, steps)


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise WorkSampleError(f"{where}: expected a number, not {value!r}")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise WorkSampleError(f"{where}: expected a number, not {value!r}") from exc


def get_range(params: Mapping[str, Any], key: str, where: str, default_step: str = "1") -> Range:
    """Read ``key: {min, max, step?}``; ``min <= max`` and ``step > 0``."""
    value = params.get(key)
    if not isinstance(value, Mapping) or "min" not in value or "max" not in value:
        raise WorkSampleError(f"{where}.{key}: expected a mapping with min and max")
    lo = _decimal(value["min"], f"{where}.{key}.min")
    hi = _decimal(value["max"], f"{where}.{key}.max")
    step = _decimal(value.get("step", default_step), f"{where}.{key}.step")
    if lo > hi or step <= 0:
        raise WorkSampleError(f"{where}.{key}: need min <= max and step > 0")
    return Range(lo, hi, step)


def get_choices(params: Mapping[str, Any], key: str, where: str) -> tuple[Decimal, ...]:
    """Read ``key: [number, ...]`` (non-empty)."""
    value = params.get(key)
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        raise WorkSampleError(f"{where}.{key}: expected a non-empty list of numbers")
    return tuple(_decimal(v, f"{where}.{key}[{i}]") for i, v in enumerate(value))


def get_text(params: Mapping[str, Any], key: str, where: str, allowed: Sequence[str] | None = None) -> str:
    """Read a non-empty text, optionally one of ``allowed``."""
    value = params.get(key)
    if not isinstance(value, str) or not value.strip():
        raise WorkSampleError(f"{where}.{key}: expected a non-empty text")
    if allowed is not None and value not in allowed:
        raise WorkSampleError(f"{where}.{key}: must be one of {list(allowed)}, not {value!r}")
    return value


def get_share(params: Mapping[str, Any], key: str, where: str) -> float:
    """Read a probability in [0, 1]."""
    value = _decimal(params.get(key), f"{where}.{key}")
    if not 0 <= value <= 1:
        raise WorkSampleError(f"{where}.{key}: must be between 0 and 1")
    return float(value)


def get_texts(params: Mapping[str, Any], key: str, where: str, minimum: int = 1) -> tuple[str, ...]:
    """Read a list of at least ``minimum`` distinct non-empty texts."""
    value = params.get(key)
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise WorkSampleError(f"{where}.{key}: expected a list of texts")
    texts = tuple(v for v in value if isinstance(v, str) and v.strip())
    if len(texts) != len(value) or len(set(texts)) != len(texts) or len(texts) < minimum:
        raise WorkSampleError(f"{where}.{key}: expected at least {minimum} distinct non-empty texts")
    return texts


CURRENCIES = ("£", "€", "$", "kr")
