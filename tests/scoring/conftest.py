"""Shared fixtures: the bank's questions and one scorer per test session."""

from __future__ import annotations

import pytest

from bot.bank.files import read_bank
from bot.scoring import Scorer


@pytest.fixture(scope="session")
def bank():
    return read_bank()


@pytest.fixture(scope="session")
def scorer():
    return Scorer()


@pytest.fixture(scope="session")
def q(bank):
    """Question by id."""
    return bank.questions.__getitem__
