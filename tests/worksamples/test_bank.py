"""The work-sample bank file and its loader."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.worksamples import WorkSampleBank, WorkSampleError, read_worksamples
from bot.worksamples.bank import DEFAULT_PATH

ROLES = DEFAULT_PATH.with_name("roles.yml")


def test_shipped_bank(ws_bank: WorkSampleBank) -> None:
    assert ws_bank.version >= 1
    assert {i.kind for i in ws_bank.items.values()} == {"timesheet", "invoice", "filing"}
    families = {r["id"]: r["family"] for r in yaml.safe_load(ROLES.read_text())["roles"]}
    for role, family in families.items():
        assert len(ws_bank.for_role(role)) == (2 if family == "back_office" else 0), role


def test_item_round_trip(ws_bank: WorkSampleBank) -> None:
    item = ws_bank.items["timesheet_week"]
    assert item.prompt(42) == item.prompt(42)
    assert item.score(42, "I don't know").item_id == "timesheet_week"


def write(tmp_path: Path, change: dict) -> Path:
    data = yaml.safe_load(DEFAULT_PATH.read_text())
    data.update(change)
    path = tmp_path / "worksamples.yml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": "one"}, "version"),
        ({"roles": {"astronaut": []}}, "astronaut"),
        ({"defaults": {"back_office": ["nope"], "front_office": []}}, "defaults.back_office"),
    ],
)
def test_errors_name_file_and_field(tmp_path: Path, change: dict, message: str) -> None:
    with pytest.raises(WorkSampleError, match=message) as err:
        read_worksamples(write(tmp_path, change), ROLES)
    assert "worksamples.yml" in str(err.value)


def test_bad_param_is_named(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_PATH.read_text())
    data["items"][0]["params"]["rate"] = {"min": 20, "max": 10}
    path = tmp_path / "worksamples.yml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(WorkSampleError, match=r"items\[0\] \(timesheet_week\)\.params\.rate"):
        read_worksamples(path, ROLES)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkSampleError, match="missing"):
        read_worksamples(tmp_path / "none.yml", ROLES)
