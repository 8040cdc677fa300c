"""``python -m bot abandon``: close interviews left idle for too long."""

from __future__ import annotations

import argparse

from bot.cli.common import migrated_sessions
from bot.maintenance import DEFAULT_ABANDON_DAYS, mark_abandoned


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``abandon`` subcommand."""
    parser = subparsers.add_parser(
        "abandon", help=f"mark interviews idle for DAYS days (default {DEFAULT_ABANDON_DAYS}) as abandoned"
    )
    parser.add_argument("--days", type=float, default=DEFAULT_ABANDON_DAYS)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Mark and report; exit 2 on a bad ``--days``."""
    if args.days <= 0:
        print("error: --days must be positive")
        return 2
    marked = mark_abandoned(migrated_sessions(), args.days)
    print(f"{len(marked)} interviews marked abandoned" + (f": {', '.join(map(str, marked))}" if marked else ""))
    return 0
