"""Load and check ``data/bank/worksamples.yml``: item templates and role mixes.

File shape::

    version: 1
    items: [{id, kind: timesheet|invoice|filing, competency, params: {...}}]
    defaults: {back_office: [item_id, ...], front_office: [item_id, ...]}
    roles: {role_id: [item_id, ...]}      # optional; replaces the family default

Role ids and families come from ``roles.yml`` in the same folder. Errors are
:class:`WorkSampleError` with the file and field in the message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.worksamples import filing, invoice, timesheet
from bot.worksamples.params import WorkSampleError
from bot.worksamples.result import WorkSampleResult

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "bank" / "worksamples.yml"
COMPETENCIES = ("numeracy", "organisation", "timely_filing", "compliance", "written_communication")
FAMILIES = ("front_office", "back_office")


@dataclass(frozen=True)
class Kind:
    """How one item kind reads params, draws, prompts and scores."""

    template: Callable[[Mapping[str, Any], str], Any]
    generate: Callable[[Any, int], Any]
    prompt: Callable[[Any], str]
    score: Callable[..., WorkSampleResult]


KINDS: dict[str, Kind] = {
    "timesheet": Kind(timesheet.TimesheetTemplate.from_params, timesheet.generate, timesheet.prompt, timesheet.score),
    "invoice": Kind(invoice.InvoiceTemplate.from_params, invoice.generate, invoice.prompt, invoice.score),
    "filing": Kind(filing.FilingTemplate.from_params, filing.generate, filing.prompt, filing.score),
}


@dataclass(frozen=True)
class WorkSampleItem:
    """One item of the bank.

    Attributes:
        id: Item id.
        kind: Key of :data:`KINDS`.
        competency: The competency it rates.
        template: The kind's validated template.
    """

    id: str
    kind: str
    competency: str
    template: Any

    def instance(self, seed: int) -> Any:
        """The instance drawn from ``seed`` (same seed, same instance and answer key)."""
        return KINDS[self.kind].generate(self.template, seed)

    def prompt(self, seed: int) -> str:
        """The candidate-facing text of the instance of ``seed``."""
        return KINDS[self.kind].prompt(self.instance(seed))

    def score(self, seed: int, answer: str) -> WorkSampleResult:
        """Rate ``answer`` to the instance of ``seed``."""
        return KINDS[self.kind].score(self.instance(seed), answer, item_id=self.id)


@dataclass(frozen=True)
class WorkSampleBank:
    """The parsed file: ``version``, ``items`` by id, and item ids per role id."""

    version: int
    items: dict[str, WorkSampleItem]
    role_items: dict[str, tuple[str, ...]]

    def for_role(self, role_id: str) -> tuple[WorkSampleItem, ...]:
        """The items a role's interview asks, in order (empty for an unknown role)."""
        return tuple(self.items[i] for i in self.role_items.get(role_id, ()))


def _load(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise WorkSampleError(f"missing work-sample file: {path}") from exc
    except yaml.YAMLError as exc:
        raise WorkSampleError(f"{path}: not valid YAML: {exc}") from exc


def _role_families(path: Path) -> dict[str, str]:
    data = _load(path)
    roles = data.get("roles") if isinstance(data, Mapping) else None
    if not isinstance(roles, list):
        raise WorkSampleError(f"{path}: expected a list under 'roles'")
    return {str(r.get("id")): str(r.get("family")) for r in roles if isinstance(r, Mapping)}


def _item(raw: Any, where: str) -> WorkSampleItem:
    if not isinstance(raw, Mapping):
        raise WorkSampleError(f"{where}: expected a mapping with id, kind, competency, params")
    missing = [k for k in ("id", "kind", "competency", "params") if k not in raw]
    if missing:
        raise WorkSampleError(f"{where}: missing {', '.join(missing)}")
    where = f"{where} ({raw['id']})"
    if raw["kind"] not in KINDS:
        raise WorkSampleError(f"{where}.kind: must be one of {sorted(KINDS)}, not {raw['kind']!r}")
    if raw["competency"] not in COMPETENCIES:
        raise WorkSampleError(f"{where}.competency: must be one of {list(COMPETENCIES)}, not {raw['competency']!r}")
    if not isinstance(raw["params"], Mapping):
        raise WorkSampleError(f"{where}.params: expected a mapping")
    template = KINDS[raw["kind"]].template(raw["params"], f"{where}.params")
    return WorkSampleItem(str(raw["id"]), str(raw["kind"]), str(raw["competency"]), template)


def _ids(value: Any, items: Mapping[str, WorkSampleItem], where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WorkSampleError(f"{where}: expected a list of item ids")
    unknown = [v for v in value if v not in items]
    if unknown:
        raise WorkSampleError(f"{where}: unknown item id(s) {unknown}")
    if len(set(value)) != len(value):
        raise WorkSampleError(f"{where}: an item is listed twice")
    return tuple(value)


def read_worksamples(path: Path | str = DEFAULT_PATH, roles_path: Path | str | None = None) -> WorkSampleBank:
    """Read and check the work-sample file.

    Args:
        path: ``worksamples.yml``.
        roles_path: ``roles.yml``; defaults to the one next to ``path``.

    Returns:
        The bank, with every role of ``roles.yml`` mapped to its items.

    Raises:
        WorkSampleError: A missing file or a bad field, named in the message.
    """
    path = Path(path)
    families = _role_families(Path(roles_path) if roles_path else path.with_name("roles.yml"))
    data = _load(path)
    if not isinstance(data, Mapping):
        raise WorkSampleError(f"{path}: expected a mapping with version, items, defaults")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise WorkSampleError(f"{path}: version must be a positive integer, not {version!r}")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise WorkSampleError(f"{path}: items must be a non-empty list")
    items: dict[str, WorkSampleItem] = {}
    for i, raw in enumerate(raw_items):
        item = _item(raw, f"{path}: items[{i}]")
        if item.id in items:
            raise WorkSampleError(f"{path}: items[{i}] ({item.id}): duplicate id")
        items[item.id] = item
    defaults = data.get("defaults")
    if not isinstance(defaults, Mapping) or set(defaults) != set(FAMILIES):
        raise WorkSampleError(f"{path}: defaults must give a list for each of {list(FAMILIES)}")
    by_family = {f: _ids(defaults[f], items, f"{path}: defaults.{f}") for f in FAMILIES}
    overrides = data.get("roles") or {}
    if not isinstance(overrides, Mapping):
        raise WorkSampleError(f"{path}: roles must map role ids to lists of item ids")
    unknown = sorted(set(overrides) - set(families))
    if unknown:
        raise WorkSampleError(f"{path}: roles: unknown role id(s) {unknown} (not in roles.yml)")
    role_items = {
        role: _ids(overrides[role], items, f"{path}: roles.{role}") if role in overrides else by_family.get(fam, ())
        for role, fam in families.items()
    }
    return WorkSampleBank(version, items, role_items)
