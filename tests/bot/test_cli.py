"""Tests for :mod:`bot.cli`: ``load-bank``, ``interviews``, ``transcript`` and ``rescore``.

Each test points ``DATABASE_URL`` at a new SQLite file and ``BANK_DIR`` at a
private copy of the bank, then runs :func:`bot.cli.main` in-process.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from bot.cli import build_parser, main
from bot.db import create_engine_for, make_session_factory
from bot.db.models import RubricVersion
from bot.interview import InterviewService
from bot.review import transcript
from bot.scoring import SCORER_VERSION


class FailingScorer:
    """A scorer that always fails."""

    def score(self, answer_text, question):
        raise RuntimeError("scorer exploded")


@pytest.fixture
def db_url(tmp_path: Path, bank_copy: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("BANK_DIR", str(bank_copy))
    return url


@pytest.fixture
def cli_engine(db_url: str) -> Iterator[Engine]:
    """An engine on the database the commands use."""
    eng = create_engine_for(db_url)
    yield eng
    eng.dispose()


def _run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    status = main(list(argv))
    return status, capsys.readouterr().out


def test_every_subcommand_is_registered() -> None:
    parser = build_parser()
    choices = parser._subparsers._group_actions[0].choices
    assert {"load-bank", "interviews", "transcript", "rescore"} <= set(choices)


def test_load_bank_prints_counts_then_unchanged(db_url, cli_engine, capsys) -> None:
    status, out = _run(capsys, "load-bank")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "bank: 12 competencies, 10 roles, 12 questions"
    assert lines[1] == "changed: 12 competencies, 10 roles, 12 questions, 12 new rubric versions"
    assert "  rubric angry_customer -> version 1" in lines
    assert len(lines) == 2 + 12
    with make_session_factory(cli_engine)() as session:
        assert session.scalar(select(func.count()).select_from(RubricVersion)) == 12

    status, out = _run(capsys, "load-bank")
    assert status == 0
    assert out.splitlines() == ["bank: 12 competencies, 10 roles, 12 questions", "unchanged"]


def test_load_bank_reports_a_changed_rubric(db_url, bank_copy: Path, capsys) -> None:
    assert _run(capsys, "load-bank")[0] == 0
    path = bank_copy / "rubrics" / "deadline_crunch.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\nnote: reviewed\n", encoding="utf-8")
    status, out = _run(capsys, "load-bank")
    assert status == 0
    assert out.splitlines()[1:] == [
        "changed: 0 competencies, 0 roles, 0 questions, 1 new rubric versions",
        "  rubric deadline_crunch -> version 2",
    ]


def test_load_bank_with_a_bad_bank_exits_2(db_url, tmp_path: Path, capsys) -> None:
    status, out = _run(capsys, "load-bank", "--bank", str(tmp_path / "missing"))
    assert status == 2
    assert out.startswith("error: missing bank file: ")
    assert "competencies.yml" in out


@pytest.fixture
def interview_id(db_url, cli_engine, scorer, capsys, answer_question) -> int:
    """A withdrawn cashier interview: one answer scored, one skipped."""
    assert _run(capsys, "load-bank")[0] == 0
    service = InterviewService(make_session_factory(cli_engine), scorer=scorer)
    iid = service.record_consent("cli-conv", "web", True)
    service.start("cli-conv", "cashier")
    answer_question(service, "cli-conv")
    service.skip("cli-conv")
    service.withdraw("cli-conv")
    return iid


def test_interviews_lists_what_the_database_holds(interview_id: int, cli_engine, capsys) -> None:
    InterviewService(make_session_factory(cli_engine)).record_consent("cli-no", "telegram", False)
    status, out = _run(capsys, "interviews")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "status", "role", "channel", "answered", "started"]
    assert len(lines) == 3
    declined, withdrawn = lines[1].split(), lines[2].split()
    assert declined[:4] == [str(interview_id + 1), "declined", "-", "telegram"]
    assert withdrawn[:5] == [str(interview_id), "withdrawn", "cashier", "web", "1/6"]

    status, out = _run(capsys, "interviews", "--status", "withdrawn")
    assert status == 0 and len(out.splitlines()) == 2 and "cashier" in out
    status, out = _run(capsys, "interviews", "--role", "accountant")
    assert status == 0 and out.splitlines()[1:] == ["(no interviews)"]


def test_interviews_on_an_empty_database(db_url, capsys) -> None:
    status, out = _run(capsys, "interviews")
    assert status == 0
    assert out.splitlines()[-1] == "(no interviews)"


def test_transcript_text(interview_id: int, cli_engine, capsys) -> None:
    with make_session_factory(cli_engine)() as session:
        data = transcript(session, interview_id)
    first = data["answers"][0]
    status, out = _run(capsys, "transcript", str(interview_id))
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == f"Interview {interview_id} - role cashier - web - withdrawn"
    assert f"Q1 [{first['question_id']}] asked {first['asked_at']}" in lines
    assert first["answer"][:60] in out
    assert f"Q2 [{data['answers'][1]['question_id']}]" in out
    assert "  (skipped)" in lines
    for score in first["scores"]:
        rating = "insufficient evidence" if score["rating"] is None else f"{score['rating']}/5"
        assert f"  {score['competency']}: {rating}  (rubric v1, scorer {SCORER_VERSION})" in lines
    evidence = first["scores"][0]["evidence"][0]
    assert f'"{evidence["text"]}"' in out
    assert "Competency profile:" in lines
    assert f"Role fit: {data['profile']['fit']:.2f} / 5" in lines
    assert lines[-1] == "Events: consent_given, started, skipped, withdrawn"


def test_transcript_json(interview_id: int, cli_engine, capsys) -> None:
    status, out = _run(capsys, "transcript", str(interview_id), "--json")
    assert status == 0
    data = json.loads(out)
    with make_session_factory(cli_engine)() as session:
        assert data == json.loads(json.dumps(transcript(session, interview_id)))
    assert (data["id"], data["status"], data["role"]) == (interview_id, "withdrawn", "cashier")
    assert [a["status"] for a in data["answers"]] == ["answered", "skipped"]
    assert data["answers"][0]["scores"] and data["answers"][1]["scores"] == []


def test_transcript_of_an_unknown_interview_exits_1(db_url, capsys) -> None:
    status, out = _run(capsys, "transcript", "999")
    assert status == 1
    assert out == "no interview 999\n"


def test_rescore_scores_answers_stored_unscored(db_url, cli_engine, capsys, good_answers) -> None:
    assert _run(capsys, "load-bank")[0] == 0
    service = InterviewService(make_session_factory(cli_engine), scorer=FailingScorer())
    service.record_consent("cli-r", "web", True)
    service.start("cli-r", "claims_processor")
    service.submit_answer("cli-r", good_answers[service.current_prompt("cli-r").question_id])
    status, out = _run(capsys, "rescore")
    assert status == 0
    assert out.startswith("re-scored 1 answers in ")
    assert out.rstrip().endswith(f"0 failed; scorer {SCORER_VERSION}")
    status, out = _run(capsys, "rescore")
    assert status == 0 and out.startswith("re-scored 0 answers in ")
