"""Tests for :mod:`bot.interview.roles`: naming a role in free text."""

from __future__ import annotations

import pytest

from bot.interview.roles import match_role


@pytest.fixture
def roles(bank) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(r.id, r.name, r.aliases) for r in bank.roles.values()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I applied for the cashier job", "cashier"),
        ("CASHIER", "cashier"),
        ("cashier", "cashier"),
        ("I work at the front desk", "receptionist"),
        ("front-desk", "receptionist"),
        ("Receptionist.", "receptionist"),
        ("customer service representative", "customer_service_representative"),
        ("I'm applying to be a Customer Service Representative!", "customer_service_representative"),
        ("customer_service_representative", "customer_service_representative"),
        ("sales_representative", "sales_representative"),
        ("the sales rep position", "sales_representative"),
        ("Data entry, please", "data_entry_clerk"),
        ("HR", "hr_officer"),
        ("in-house counsel", "legal_advisor"),
        ("Network Administrator", "network_administrator"),
        ("bookkeeping", "accountant"),
        # typos and plurals of names of six letters or more
        ("I applied for the accountent job", "accountant"),
        ("recepcionist", "receptionist"),
        ("cashiers", "cashier"),
        ("netwrok administrator", "network_administrator"),
    ],
)
def test_real_roles(roles, text: str, expected: str) -> None:
    assert match_role(text, roles) == expected


@pytest.mark.parametrize(
    "text",
    ["asdf qwerty", "", "   ", "I like turtles", "tiller", "hrm", "the front", "desk", "astronaut", "nurse"],
)
def test_nonsense_is_none(roles, text: str) -> None:
    assert match_role(text, roles) is None


def test_longest_match_wins() -> None:
    roles = [
        ("rep", "Representative", ("rep",)),
        ("cs", "Customer service", ()),
        ("csr", "Customer service representative", ()),
    ]
    assert match_role("customer service representative", roles) == "csr"
    assert match_role("customer service", roles) == "cs"
    assert match_role("a representative", roles) == "rep"


def test_equally_long_matches_of_two_roles_are_ambiguous(roles) -> None:
    # "payroll" (accountant) and "cashier" are both seven letters.
    assert match_role("payroll or cashier", roles) is None


def test_several_names_of_one_role_are_not_ambiguous(roles) -> None:
    assert match_role("cashier or teller", roles) == "cashier"


def test_whole_words_only() -> None:
    roles = [("it", "IT support", ("it",))]
    assert match_role("I'd like to do it", roles) == "it"
    assert match_role("itinerary", roles) is None
