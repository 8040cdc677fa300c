"""Tests for :mod:`bot.bank.files`: reading and cross-checking the YAML bank.

The real bank must hold exactly the ids of ``shared/spec`` (copied here so the
suite does not depend on that folder); broken banks made in ``tmp_path`` must
raise :class:`BankError` with a message that names the problem.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from bot.bank import BankError, read_bank
from bot.bank.files import DEFAULT_BANK_DIR, content_hash

# shared/spec/competencies.md
SPEC_COMPETENCIES = {
    "active_listening": "front_office",
    "friendliness": "front_office",
    "patience": "front_office",
    "questioning": "front_office",
    "conflict_resolution": "front_office",
    "articulate_communication": "front_office",
    "written_communication": "back_office",
    "numeracy": "back_office",
    "organisation": "back_office",
    "timely_filing": "back_office",
    "compliance": "back_office",
    "software_skills": "back_office",
}
SPEC_ROLES = {
    "receptionist": "front_office",
    "cashier": "front_office",
    "sales_representative": "front_office",
    "customer_service_representative": "front_office",
    "data_entry_clerk": "back_office",
    "claims_processor": "back_office",
    "accountant": "back_office",
    "hr_officer": "back_office",
    "legal_advisor": "back_office",
    "network_administrator": "back_office",
}
# shared/spec/scenarios.md: id -> (family, primary, secondary)
SPEC_SCENARIOS = {
    "angry_customer": ("front_office", "conflict_resolution", "patience"),
    "unclear_request": ("front_office", "questioning", "active_listening"),
    "busy_reception": ("front_office", "friendliness", "patience"),
    "explain_policy": ("front_office", "articulate_communication", "friendliness"),
    "hesitant_prospect": ("front_office", "active_listening", "questioning"),
    "rushed_customer": ("front_office", "patience", "active_listening"),
    "deadline_crunch": ("back_office", "timely_filing", "organisation"),
    "timesheet_discrepancy": ("back_office", "numeracy", "compliance"),
    "wrong_invoice": ("back_office", "written_communication", "numeracy"),
    "skip_background_check": ("back_office", "compliance", "written_communication"),
    "filing_backlog": ("back_office", "organisation", "timely_filing"),
    "new_ledger_system": ("back_office", "software_skills", "organisation"),
}


# -- the real bank ----------------------------------------------------------------


def test_real_bank_has_the_spec_competencies(bank) -> None:
    assert len(bank.competencies) == 12
    assert {cid: c.family for cid, c in bank.competencies.items()} == SPEC_COMPETENCIES
    for competency in bank.competencies.values():
        assert competency.name and competency.definition
        assert competency.indicators_for and competency.indicators_against


def test_real_bank_has_the_spec_roles(bank) -> None:
    assert len(bank.roles) == 10
    assert {rid: r.family for rid, r in bank.roles.items()} == SPEC_ROLES


def test_real_bank_has_the_spec_questions(bank) -> None:
    assert len(bank.questions) == 12
    assert {qid: (q.family, q.primary, q.secondary) for qid, q in bank.questions.items()} == SPEC_SCENARIOS
    for question in bank.questions.values():
        assert question.competencies == (question.primary, question.secondary)
        assert question.variants and all(question.variants)
        assert question.probe and question.purpose
        assert isinstance(question.rubric, dict) and question.rubric


def test_default_bank_dir_is_data_bank(bank) -> None:
    assert DEFAULT_BANK_DIR == Path(__file__).resolve().parents[2] / "data" / "bank"
    assert set(read_bank().questions) == set(bank.questions)


def test_text_fields_are_whitespace_normalised(bank) -> None:
    for question in bank.questions.values():
        for value in (question.purpose, question.probe, *question.variants):
            assert value == " ".join(value.split())


def test_role_weights_are_normalised_to_sum_one(bank) -> None:
    raw = yaml.safe_load((DEFAULT_BANK_DIR / "roles.yml").read_text(encoding="utf-8"))["roles"]
    for item in raw:
        role = bank.roles[item["id"]]
        total = sum(item["weights"].values())
        assert math.isclose(sum(role.weights.values()), 1.0, abs_tol=1e-12)
        assert role.weights == pytest.approx({k: v / total for k, v in item["weights"].items()})


def test_normalisation_keeps_proportions(bank_copy: Path, edit_yaml) -> None:
    def set_weights(data) -> None:
        data["roles"][0]["weights"] = {"friendliness": 3, "patience": 1, "numeracy": 0}

    edit_yaml(bank_copy / "roles.yml", set_weights)
    role = read_bank(bank_copy).roles["receptionist"]
    assert role.weights == {"friendliness": 0.75, "patience": 0.25, "numeracy": 0.0}


def test_aliases_are_lower_cased(bank_copy: Path, edit_yaml) -> None:
    edit_yaml(bank_copy / "roles.yml", lambda d: d["roles"][0].__setitem__("aliases", ["Front Desk", "RECEPTION"]))
    assert read_bank(bank_copy).roles["receptionist"].aliases == ("front desk", "reception")


# -- broken banks -----------------------------------------------------------------


def test_missing_file(bank_copy: Path) -> None:
    (bank_copy / "roles.yml").unlink()
    with pytest.raises(BankError, match=r"missing bank file: .*roles\.yml"):
        read_bank(bank_copy)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(BankError, match=r"missing bank file: .*competencies\.yml"):
        read_bank(tmp_path / "nowhere")


def test_bad_yaml(bank_copy: Path) -> None:
    (bank_copy / "questions.yml").write_text("questions:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(BankError, match=r"questions\.yml: not valid YAML"):
        read_bank(bank_copy)


def test_bad_yaml_in_a_rubric(bank_copy: Path) -> None:
    (bank_copy / "rubrics" / "wrong_invoice.yml").write_text("competencies: {a: [b\n", encoding="utf-8")
    with pytest.raises(BankError, match=r"wrong_invoice\.yml: not valid YAML"):
        read_bank(bank_copy)


def test_wrong_top_level_shape(bank_copy: Path) -> None:
    (bank_copy / "competencies.yml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(BankError, match=r"competencies\.yml: expected a mapping with a list under 'competencies'"):
        read_bank(bank_copy)


def test_empty_file(bank_copy: Path) -> None:
    (bank_copy / "roles.yml").write_text("", encoding="utf-8")
    with pytest.raises(BankError, match=r"roles\.yml: expected a mapping with a list under 'roles'"):
        read_bank(bank_copy)


@pytest.mark.parametrize(
    ("filename", "key", "expected"),
    [
        ("competencies.yml", "competencies", r"competency 'active_listening': duplicate id"),
        ("roles.yml", "roles", r"role 'receptionist': duplicate id"),
        ("questions.yml", "questions", r"question 'angry_customer': duplicate id"),
    ],
)
def test_duplicate_id(bank_copy: Path, edit_yaml, filename: str, key: str, expected: str) -> None:
    edit_yaml(bank_copy / filename, lambda d: d[key].append(dict(d[key][0])))
    with pytest.raises(BankError, match=expected):
        read_bank(bank_copy)


def test_unknown_competency_in_role_weights(bank_copy: Path, edit_yaml) -> None:
    edit_yaml(bank_copy / "roles.yml", lambda d: d["roles"][1]["weights"].__setitem__("empathy", 4))
    with pytest.raises(BankError, match=r"role 'cashier': unknown competencies \['empathy'\]"):
        read_bank(bank_copy)


@pytest.mark.parametrize("key", ["primary", "secondary"])
def test_unknown_competency_in_question(bank_copy: Path, edit_yaml, key: str) -> None:
    edit_yaml(bank_copy / "questions.yml", lambda d: d["questions"][2].__setitem__(key, "empathy"))
    with pytest.raises(BankError, match=rf"question 'busy_reception': unknown {key} competency 'empathy'"):
        read_bank(bank_copy)


def test_missing_rubric_file(bank_copy: Path) -> None:
    (bank_copy / "rubrics" / "filing_backlog.yml").unlink()
    with pytest.raises(BankError, match=r"missing bank file: .*rubrics/filing_backlog\.yml"):
        read_bank(bank_copy)


def test_rubric_not_a_mapping(bank_copy: Path) -> None:
    (bank_copy / "rubrics" / "filing_backlog.yml").write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(BankError, match=r"filing_backlog\.yml: a rubric must be a mapping"):
        read_bank(bank_copy)


def test_missing_required_key(bank_copy: Path, edit_yaml) -> None:
    edit_yaml(bank_copy / "questions.yml", lambda d: d["questions"][0].pop("probe"))
    with pytest.raises(BankError, match=r"question 'angry_customer': missing probe"):
        read_bank(bank_copy)


def test_unknown_family(bank_copy: Path, edit_yaml) -> None:
    edit_yaml(bank_copy / "roles.yml", lambda d: d["roles"][0].__setitem__("family", "middle_office"))
    with pytest.raises(BankError, match=r"role 'receptionist': family must be one of .* not 'middle_office'"):
        read_bank(bank_copy)


@pytest.mark.parametrize("weights", [{"friendliness": -1, "patience": 3}, {"friendliness": 0, "patience": 0}])
def test_negative_or_all_zero_weights(bank_copy: Path, edit_yaml, weights: dict) -> None:
    edit_yaml(bank_copy / "roles.yml", lambda d: d["roles"][0].__setitem__("weights", weights))
    with pytest.raises(BankError, match=r"role 'receptionist': weights must be >= 0 and not all 0"):
        read_bank(bank_copy)


def test_variants_must_be_a_list(bank_copy: Path, edit_yaml) -> None:
    edit_yaml(
        bank_copy / "questions.yml",
        lambda d: d["questions"][0].__setitem__("variants", "A customer is angry. What do you do?"),
    )
    with pytest.raises(BankError, match=r"angry_customer"):
        read_bank(bank_copy)


@pytest.mark.parametrize("weights", [{"friendliness": "lots"}, ["friendliness", "patience"]], ids=["text", "list"])
def test_malformed_weights_raise_bank_error(bank_copy: Path, edit_yaml, weights) -> None:
    edit_yaml(bank_copy / "roles.yml", lambda d: d["roles"][0].__setitem__("weights", weights))
    with pytest.raises(BankError, match=r"receptionist"):
        read_bank(bank_copy)


# -- rubric hash --------------------------------------------------------------------


def test_rubric_hash_ignores_yaml_formatting_and_key_order(bank_copy: Path, bank) -> None:
    path = bank_copy / "rubrics" / "angry_customer.yml"
    rubric = yaml.safe_load(path.read_text(encoding="utf-8"))
    reordered = dict(reversed(list(rubric.items())))
    path.write_text(
        "# reformatted: flow style, reversed keys, other comments\n"
        + yaml.safe_dump(reordered, sort_keys=False, default_flow_style=True, width=60),
        encoding="utf-8",
    )
    assert path.read_text(encoding="utf-8") != (DEFAULT_BANK_DIR / "rubrics" / "angry_customer.yml").read_text()
    reread = read_bank(bank_copy).questions["angry_customer"]
    assert reread.rubric_hash() == content_hash(rubric)
    assert len(reread.rubric_hash()) == 64


def test_rubric_hash_changes_with_content(bank_copy: Path) -> None:
    before = read_bank(bank_copy).questions
    path = bank_copy / "rubrics" / "angry_customer.yml"
    rubric = yaml.safe_load(path.read_text(encoding="utf-8"))
    rubric["topic"] = [*rubric["topic"], "refund slip"]
    path.write_text(yaml.safe_dump(rubric), encoding="utf-8")
    after = read_bank(bank_copy).questions
    assert after["angry_customer"].rubric_hash() != before["angry_customer"].rubric_hash()
    for qid in before:
        if qid != "angry_customer":
            assert after[qid].rubric_hash() == before[qid].rubric_hash()


def test_content_hash_is_order_independent_and_value_sensitive() -> None:
    assert content_hash({"a": 1, "b": [1, 2]}) == content_hash({"b": [1, 2], "a": 1})
    assert content_hash({"a": 1, "b": [1, 2]}) != content_hash({"a": 1, "b": [2, 1]})
    assert content_hash({"a": "é"}) != content_hash({"a": "e"})
