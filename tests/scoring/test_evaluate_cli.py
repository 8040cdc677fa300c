"""``python -m bot evaluate``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main


def _write(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


ROWS = [
    {
        "id": "t1",
        "scenario": "skip_background_check",
        "answer": "I'd refuse politely, explain it's required by law, offer to expedite it and confirm by email.",
        "ratings": {"compliance": 5, "written_communication": 4},
    },
    {
        "id": "t2",
        "scenario": "skip_background_check",
        "answer": "I'd skip it this once.",
        "ratings": {"compliance": 1, "written_communication": 1},
    },
    {"id": "t3", "scenario": "wrong_invoice", "answer": "", "ratings": {"written_communication": 1, "numeracy": 1}},
]


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "r.jsonl", ROWS)
    assert main(["evaluate", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 6
    assert set(out["per_competency"]) == {"compliance", "written_communication", "numeracy"}
    assert out["per_competency"]["compliance"]["n"] == 2
    assert -1.0 <= out["qwk"] <= 1.0


def test_table_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "r.jsonl", ROWS)
    assert main(["evaluate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "OVERALL" in out and "confusion" in out and "QWK" in out


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"scenario": "nope", "answer": "x", "ratings": {"a": 1}}),
        json.dumps({"scenario": "wrong_invoice", "answer": 3, "ratings": {"numeracy": 1}}),
        json.dumps({"scenario": "wrong_invoice", "answer": "x", "ratings": {"numeracy": 7}}),
        json.dumps({"scenario": "wrong_invoice", "answer": "x", "ratings": {"patience": 2}}),
        "",
    ],
)
def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    assert main(["evaluate", str(path)]) == 2
    assert "error:" in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path: Path) -> None:
    assert main(["evaluate", str(tmp_path / "missing.jsonl")]) == 2
