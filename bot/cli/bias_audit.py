"""``python -m bot bias-audit``: the LL144 impact-ratio report (see :mod:`bot.audit`)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.audit.data import AuditFilters, audit_records
from bot.audit.impact import compute_audit
from bot.audit.report import to_csv, to_text
from bot.cli.common import migrated_sessions


def _date(value: str) -> datetime:
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-01-31: {value!r}") from None


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``bias-audit`` subcommand."""
    parser = subparsers.add_parser(
        "bias-audit",
        help="scoring and selection rates and impact ratios by sex and race/ethnicity (NYC LL144)",
    )
    parser.add_argument("--from", dest="date_from", type=_date, help="interviews started on or after DATE")
    parser.add_argument("--to", dest="date_to", type=_date, help="interviews started on or before DATE")
    parser.add_argument("--role", help="only this role id")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="also write the report as CSV to FILE")
    parser.add_argument(
        "--exclude-small", action="store_true", help="leave categories under 2%% of the data out of the impact ratios"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the report (and write the CSV); exit 2 on a date range that ends before it starts."""
    if args.date_from and args.date_to and args.date_to < args.date_from:
        print("error: --to is before --from", file=sys.stderr)
        return 2
    filters = AuditFilters(
        started_from=args.date_from,
        started_to=args.date_to + timedelta(days=1) if args.date_to else None,
        role=args.role,
    )
    sessions = migrated_sessions()
    try:
        with sessions() as session:
            report = compute_audit(audit_records(session, filters), exclude_small=args.exclude_small)
    finally:
        sessions.kw["bind"].dispose()
    sys.stdout.write(to_text(report))
    if args.csv:
        args.csv.write_text(to_csv(report), encoding="utf-8")
        print(f"CSV written to {args.csv}")
    return 0
