"""Read and check the question bank's YAML files.

The bank lives in one folder (``data/bank`` by default)::

    competencies.yml   competencies: [{id, name, family, definition,
                                       indicators: {for: [...], against: [...]}}]
    roles.yml          roles: [{id, name, family, aliases: [...],
                                weights: {competency_id: number}}]
    questions.yml      questions: [{id, family, primary, secondary, purpose,
                                    probe, variants: [text, ...]}]
    rubrics/<id>.yml   one rubric per question id: a mapping whose shape is
                       owned by :mod:`bot.scoring` (indicators for and against,
                       example answers at rating levels)

Families are ``front_office`` and ``back_office``. Ids are the fixed ids of
``shared/spec``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: The two competency (and role) families; the only place their names are spelled.
FRONT_OFFICE = "front_office"
BACK_OFFICE = "back_office"
FAMILIES = (FRONT_OFFICE, BACK_OFFICE)
DEFAULT_BANK_DIR = Path(__file__).resolve().parents[2] / "data" / "bank"


class BankError(ValueError):
    """The bank's files are missing, malformed or inconsistent."""


@dataclass(frozen=True)
class CompetencySpec:
    """One competency of the model.

    Attributes:
        id: Fixed id, e.g. ``"active_listening"``.
        name: Display name.
        family: ``"front_office"`` or ``"back_office"``.
        definition: One-sentence definition.
        indicators_for: Behaviours that show the competency.
        indicators_against: Behaviours that count against it.
    """

    id: str
    name: str
    family: str
    definition: str
    indicators_for: tuple[str, ...]
    indicators_against: tuple[str, ...]


@dataclass(frozen=True)
class RoleSpec:
    """A role candidates apply for.

    Attributes:
        id: Fixed id, e.g. ``"cashier"``.
        name: Display name.
        family: The role's family.
        aliases: Other names candidates use for it ("front desk").
        weights: Competency id -> relative weight (> 0), normalised to sum 1.
    """

    id: str
    name: str
    family: str
    aliases: tuple[str, ...]
    weights: dict[str, float]


@dataclass(frozen=True)
class QuestionSpec:
    """A situational question (one per scenario id).

    Attributes:
        id: The scenario id, e.g. ``"angry_customer"``.
        family: The scenario's family.
        primary: Primary competency id.
        secondary: Secondary competency id.
        purpose: What the question is for, told to a candidate who asks why.
        probe: The one follow-up asked when an answer is too short or vague.
        variants: Wordings of the situation; index 0 is the canonical one.
        rubric: The scoring rubric as read from ``rubrics/<id>.yml``.
    """

    id: str
    family: str
    primary: str
    secondary: str
    purpose: str
    probe: str
    variants: tuple[str, ...]
    rubric: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def competencies(self) -> tuple[str, str]:
        """The (primary, secondary) competency ids."""
        return (self.primary, self.secondary)

    def rubric_hash(self) -> str:
        """SHA-256 hex digest of the rubric's canonical JSON form.

        Two rubrics with the same content give the same hash whatever their
        YAML formatting, so the loader can tell a changed rubric from an
        unchanged one.
        """
        return content_hash(self.rubric)


@dataclass(frozen=True)
class Bank:
    """The whole bank: competencies, roles and questions keyed by id."""

    competencies: dict[str, CompetencySpec]
    roles: dict[str, RoleSpec]
    questions: dict[str, QuestionSpec]


def content_hash(value: Any) -> str:
    """SHA-256 hex digest of ``value`` serialised as canonical JSON."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise BankError(f"missing bank file: {path}") from exc
    except yaml.YAMLError as exc:
        raise BankError(f"{path}: not valid YAML: {exc}") from exc


def _items(data: Any, key: str, path: Path) -> list[dict[str, Any]]:
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise BankError(f"{path}: expected a mapping with a list under '{key}'")
    return data[key]


def _require(item: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    missing = [k for k in keys if not item.get(k)]
    if missing:
        raise BankError(f"{where}: missing {', '.join(missing)}")


def _check_family(value: str, where: str) -> str:
    if value not in FAMILIES:
        raise BankError(f"{where}: family must be one of {FAMILIES}, not {value!r}")
    return value


def _weights(value: Any, where: str) -> dict[str, float]:
    if not isinstance(value, dict):
        raise BankError(f"{where}: weights must be a mapping of competency id to number")
    weights: dict[str, float] = {}
    for key, weight in value.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise BankError(f"{where}: weight of {key!r} must be a number, not {weight!r}")
        weights[str(key)] = float(weight)
    return weights


def _variants(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BankError(f"{where}: variants must be a list of non-empty texts")
    return tuple(" ".join(v.split()) for v in value)


def read_bank(root: Path | str = DEFAULT_BANK_DIR) -> Bank:
    """Read and cross-check the bank folder.

    Args:
        root: The bank folder.

    Returns:
        The parsed :class:`Bank`.

    Raises:
        BankError: A file is missing or malformed, an id repeats, or a
            reference (a role weight, a question's competency, a rubric file)
            does not resolve.
    """
    root = Path(root)
    competencies: dict[str, CompetencySpec] = {}
    path = root / "competencies.yml"
    for item in _items(_load_yaml(path), "competencies", path):
        where = f"{path}: competency {item.get('id')!r}"
        _require(item, ("id", "name", "family", "definition", "indicators"), where)
        if item["id"] in competencies:
            raise BankError(f"{where}: duplicate id")
        indicators = item["indicators"]
        competencies[item["id"]] = CompetencySpec(
            id=item["id"],
            name=item["name"],
            family=_check_family(item["family"], where),
            definition=item["definition"].strip(),
            indicators_for=tuple(indicators.get("for") or ()),
            indicators_against=tuple(indicators.get("against") or ()),
        )

    roles: dict[str, RoleSpec] = {}
    path = root / "roles.yml"
    for item in _items(_load_yaml(path), "roles", path):
        where = f"{path}: role {item.get('id')!r}"
        _require(item, ("id", "name", "family", "weights"), where)
        if item["id"] in roles:
            raise BankError(f"{where}: duplicate id")
        weights = _weights(item["weights"], where)
        unknown = sorted(set(weights) - set(competencies))
        if unknown:
            raise BankError(f"{where}: unknown competencies {unknown}")
        if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
            raise BankError(f"{where}: weights must be >= 0 and not all 0")
        total = sum(weights.values())
        roles[item["id"]] = RoleSpec(
            id=item["id"],
            name=item["name"],
            family=_check_family(item["family"], where),
            aliases=tuple(str(a).lower() for a in item.get("aliases") or ()),
            weights={k: v / total for k, v in weights.items()},
        )

    questions: dict[str, QuestionSpec] = {}
    path = root / "questions.yml"
    for item in _items(_load_yaml(path), "questions", path):
        where = f"{path}: question {item.get('id')!r}"
        _require(item, ("id", "family", "primary", "secondary", "purpose", "probe", "variants"), where)
        qid = item["id"]
        if qid in questions:
            raise BankError(f"{where}: duplicate id")
        for key in ("primary", "secondary"):
            if item[key] not in competencies:
                raise BankError(f"{where}: unknown {key} competency {item[key]!r}")
        rubric_path = root / "rubrics" / f"{qid}.yml"
        rubric = _load_yaml(rubric_path)
        if not isinstance(rubric, dict):
            raise BankError(f"{rubric_path}: a rubric must be a mapping")
        questions[qid] = QuestionSpec(
            id=qid,
            family=_check_family(item["family"], where),
            primary=item["primary"],
            secondary=item["secondary"],
            purpose=" ".join(item["purpose"].split()),
            probe=" ".join(item["probe"].split()),
            variants=_variants(item["variants"], where),
            rubric=rubric,
        )
    return Bank(competencies=competencies, roles=roles, questions=questions)
