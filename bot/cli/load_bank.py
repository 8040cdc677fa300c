"""``python -m bot load-bank``: migrate the database and load the bank."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.bank import BankError, read_bank
from bot.bank.loader import load_bank
from bot.cli.common import migrated_sessions
from bot.config import bank_dir


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``load-bank`` subcommand."""
    parser = subparsers.add_parser(
        "load-bank",
        help="create or migrate the database and load data/bank (idempotent)",
        description="Load the competency model and question bank; a changed rubric gets a new version.",
    )
    parser.add_argument("--bank", type=Path, default=None, help="bank folder (default: data/bank)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Load the bank; exit 2 on a bad bank."""
    try:
        bank = read_bank(args.bank or bank_dir())
    except BankError as exc:
        print(f"error: {exc}")
        return 2
    sessions = migrated_sessions()
    with sessions.begin() as session:
        report = load_bank(session, bank)
    print(f"bank: {len(bank.competencies)} competencies, {len(bank.roles)} roles, {len(bank.questions)} questions")
    if report.changed:
        print(
            f"changed: {report.competencies} competencies, {report.roles} roles, "
            f"{report.questions} questions, {len(report.new_rubric_versions)} new rubric versions"
        )
        for question_id, version in report.new_rubric_versions:
            print(f"  rubric {question_id} -> version {version}")
    else:
        print("unchanged")
    return 0
