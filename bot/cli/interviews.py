"""``python -m bot interviews``: list interviews."""

from __future__ import annotations

import argparse

from bot.cli.common import migrated_sessions
from bot.review import list_interviews


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``interviews`` subcommand."""
    parser = subparsers.add_parser("interviews", help="list interviews, newest first")
    parser.add_argument("--status", help="only this status (in_progress, completed, withdrawn, ...)")
    parser.add_argument("--role", help="only this role id")
    parser.add_argument("--limit", type=int, default=50)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print one line per interview."""
    with migrated_sessions()() as session:
        rows = list_interviews(session, status=args.status, role_id=args.role, limit=args.limit)
    print(f"{'id':>5}  {'status':<11}  {'role':<32}  {'channel':<8}  {'answered':>8}  started")
    for row in rows:
        print(
            f"{row.id:>5}  {row.status:<11}  {row.role_id or '-':<32}  {row.channel:<8}  "
            f"{row.answered:>4}/{row.planned:<3}  {row.started_at:%Y-%m-%d %H:%M}"
        )
    if not rows:
        print("(no interviews)")
    return 0
