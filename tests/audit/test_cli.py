"""``python -m bot bias-audit``, run in-process on a SQLite file."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.audit.selfid import save_answer
from bot.bank.loader import load_bank
from bot.cli import build_parser, main
from bot.cli.common import migrated_sessions
from tests.web.factory import make_interview


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bank) -> Iterator[sessionmaker[Session]]:
    """``DATABASE_URL`` on a file with four interviewed candidates, three of whom self-identified."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    sessions = migrated_sessions(url)
    with sessions.begin() as session:
        load_bank(session, bank)
        answers = [("female", "asian"), ("female", "white"), ("male", "white"), None]
        for seed, answer in enumerate(answers):
            started = datetime(2026, 11, 2 + seed, 9, 0, tzinfo=UTC)
            interview = make_interview(session, started=started, rating_seed=seed)
            if answer:
                save_answer(session, interview.candidate_id, *answer)
    yield sessions
    sessions.kw["bind"].dispose()


def test_the_command_is_registered() -> None:
    assert "bias-audit" in build_parser()._subparsers._group_actions[0].choices


def test_prints_the_tables_and_writes_the_csv(cli_db, capsys, tmp_path: Path) -> None:
    out = tmp_path / "audit.csv"
    assert main(["bias-audit", "--csv", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Candidates: 4;" in text
    for title in ("Sex", "Race/ethnicity", "Sex × race/ethnicity", "Female × Asian", "Two or More Races"):
        assert title in text
    assert "Unknown (not given or declined)      " in text
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    sex = {r["category"]: r for r in rows if r["group"] == "sex"}
    assert sex["Female"]["candidates"] == "2" and sex["Male"]["candidates"] == "1"
    assert sex["unknown"]["candidates"] == "1"
    race = {r["category"]: r for r in rows if r["group"] == "race_ethnicity"}
    assert race["White"]["candidates"] == "2" and race["Asian"]["candidates"] == "1"
    # Four of four candidates hold 25 % each: nothing is under 2 %.
    assert {r["small"] for r in rows if r["category"] != "unknown" and r["group"] != "total"} <= {"no"}
    total = rows[-1]
    assert total["group"] == "total" and total["candidates"] == "4" and total["category"].startswith("median fit ")
    for r in rows:
        if r["scoring_impact_ratio"]:
            assert 0.0 <= float(r["scoring_impact_ratio"]) <= 1.0


def test_filters_and_bad_dates(cli_db, capsys) -> None:
    assert main(["bias-audit", "--from", "2026-11-04", "--to", "2026-11-30"]) == 0
    assert "Candidates: 2;" in capsys.readouterr().out
    assert main(["bias-audit", "--role", "no-such-role"]) == 0
    assert "Candidates: 0; median fit: –" in capsys.readouterr().out
    assert main(["bias-audit", "--from", "2026-11-05", "--to", "2026-11-01"]) == 2
    with pytest.raises(SystemExit):
        main(["bias-audit", "--from", "yesterday"])
