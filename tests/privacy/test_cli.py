"""``python -m bot export-candidate`` and ``python -m bot erase``, run in-process on a SQLite file."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.bank.loader import load_bank
from bot.cli import build_parser, main
from bot.cli.common import migrated_sessions
from bot.db.models import AuditEntry, Candidate
from tests.privacy.conftest import make_tracker
from tests.web.factory import make_interview

PHRASE = "cobalt-heron-9Z"


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bank) -> tuple[sessionmaker[Session], int]:
    """A database the commands use (``DATABASE_URL``), with one interviewed candidate; stores in ``tmp_path``."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SCREENER_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("RASA_TRACKER_DB", str(tmp_path / "trackers.db"))
    for name in ("RASA_ENDPOINTS", "REDIS_URL", "REDIS_HOST", "SLACK_STATE_DB"):
        monkeypatch.delenv(name, raising=False)
    sessions = migrated_sessions(url)
    with sessions.begin() as session:
        load_bank(session, bank)
        interview = make_interview(session, text=f"I would stay calm, {PHRASE}.", name="Cleo Heron")
        candidate_id, conversation = interview.candidate_id, interview.candidate.conversation_id
    make_tracker(tmp_path / "trackers.db", {conversation: f"hello {PHRASE}"})
    yield sessions, candidate_id
    sessions.kw["bind"].dispose()


def test_both_commands_are_registered() -> None:
    choices = build_parser()._subparsers._group_actions[0].choices
    assert {"export-candidate", "erase"} <= set(choices)


def test_export_to_stdout_and_to_a_private_file(cli_db, capsys, tmp_path: Path) -> None:
    sessions, candidate_id = cli_db
    assert main(["export-candidate", str(candidate_id)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["candidate"]["display_name"] == "Cleo Heron"
    assert PHRASE in data["interviews"][0]["answers"][0]["answer"]
    assert [e["text"] for e in data["conversation_log"] if e["type"] == "user"] == [f"hello {PHRASE}"]
    out = tmp_path / "export.html"
    assert main(["export-candidate", str(candidate_id), "--format", "html", "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Cleo Heron" in out.read_text() and PHRASE in out.read_text()
    assert main(["export-candidate", "99999"]) == 1
    with sessions() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "export_candidate")).all()
    assert [e.detail["format"] for e in entries] == ["json", "html"]
    assert all(e.detail["via"] == "cli" and e.detail["operator"] for e in entries)


def test_erase_says_what_it_removed(cli_db, capsys, tmp_path: Path) -> None:
    sessions, candidate_id = cli_db
    assert main(["erase", str(candidate_id), "--reason", "request of 2026-06-01"]) == 0
    out = capsys.readouterr().out
    assert f"candidate {candidate_id} erased" in out and "3 answers" in out and "2 tracker events" in out
    assert "cli.db" in out and "trackers.db" in out
    for path in tmp_path.iterdir():
        if path.is_file():
            assert PHRASE.encode() not in path.read_bytes(), path.name
    with sessions() as session:
        assert session.get(Candidate, candidate_id).display_name is None
        [tombstone] = session.scalars(select(AuditEntry).where(AuditEntry.action == "erase_candidate")).all()
    assert tombstone.recruiter_id is None and tombstone.detail["operator"]
    assert main(["erase", str(candidate_id), "--reason", "again"]) == 0
    assert "already erased" in capsys.readouterr().out
    assert main(["erase", "99999", "--reason", "x"]) == 1
    assert main(["erase", str(candidate_id), "--reason", " "]) == 2  # a blank reason is refused
    with pytest.raises(SystemExit):
        main(["erase", str(candidate_id)])  # --reason is required


def test_retention_dry_run_then_for_real(cli_db, capsys) -> None:
    sessions, candidate_id = cli_db
    assert main(["retention", "--dry-run"]) == 0
    assert "0 candidates would be erased (policy: 180 days, advanced 365 days)" in capsys.readouterr().out
    assert main(["retention", "--dry-run", "--days", "10"]) == 0
    out = capsys.readouterr().out
    assert f"candidate {candidate_id}: last interview ended" in out and "would be erased" in out
    with sessions() as session:
        assert session.get(Candidate, candidate_id).display_name == "Cleo Heron"
    assert main(["retention", "--days", "10"]) == 0
    out = capsys.readouterr().out
    assert f"candidate {candidate_id} erased" in out and "1 candidates erased" in out
    with sessions() as session:
        assert session.get(Candidate, candidate_id).display_name is None
    assert main(["retention", "--days", "0"]) == 2
