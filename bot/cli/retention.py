"""``python -m bot retention [--dry-run]``: erase candidates past the retention period."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import migrated_sessions
from bot.cli.erase import describe
from bot.privacy.locations import LocationError, data_locations
from bot.privacy.retention import RetentionPolicy, apply_retention


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``retention`` subcommand."""
    parser = subparsers.add_parser(
        "retention",
        help="erase candidates whose last interview ended more than RETENTION_DAYS (180; advanced: 365) days ago",
    )
    parser.add_argument("--dry-run", action="store_true", help="only list who is due; erase nothing")
    parser.add_argument("--days", type=float, default=None, help="override RETENTION_DAYS")
    parser.add_argument("--advanced-days", type=float, default=None, help="override RETENTION_ADVANCED_DAYS")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Apply the policy and say what was done; exit 2 on a bad period or store."""
    try:
        policy = RetentionPolicy.from_env()
        if args.days is not None or args.advanced_days is not None:
            days = args.days if args.days is not None else policy.days
            advanced = args.advanced_days if args.advanced_days is not None else max(policy.advanced_days, days)
            policy = RetentionPolicy(days=days, advanced_days=advanced)
        locations = None if args.dry_run else data_locations()
        results = apply_retention(migrated_sessions(), policy, dry_run=args.dry_run, locations=locations)
    except (ValueError, LocationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for item, report in results:
        why = f"last interview ended {item.ended_at:%Y-%m-%d}, kept {item.kept_days:g} days" + (
            " (advanced)" if item.advanced else ""
        )
        if report is None:
            print(f"candidate {item.candidate_id}: {why}: would be erased")
        else:
            print(f"candidate {item.candidate_id}: {why}: {describe(report)}")
    verb = "would be erased" if args.dry_run else "erased"
    print(f"{len(results)} candidates {verb} (policy: {policy.days:g} days, advanced {policy.advanced_days:g} days)")
    return 0
