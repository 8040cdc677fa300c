"""``python -m bot erase ID --reason TEXT``: erase a candidate everywhere (GDPR Art 17)."""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.cli.common import migrated_sessions
from bot.privacy.erase import CandidateNotFound, ErasureReport, erase_candidate
from bot.privacy.locations import LocationError, data_locations


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``erase`` subcommand."""
    parser = subparsers.add_parser(
        "erase",
        help="erase a candidate's personal data and answers from the database, Rasa's trackers and the Slack state",
    )
    parser.add_argument("candidate_id", type=int, help="the candidate's id (shown on the interview page)")
    parser.add_argument(
        "--reason", required=True, help="why, for the audit log (e.g. 'request of 2026-01-31'); never the name"
    )
    parser.set_defaults(handler=run)


def describe(report: ErasureReport) -> str:
    """One line saying what an erasure removed."""
    if report.already_erased:
        return f"candidate {report.candidate_id} was already erased"
    counts = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in report.counts().items())
    files = f"; rewrote {', '.join(report.scrubbed_files)}" if report.scrubbed_files else ""
    interviews = ", ".join(map(str, report.interview_ids)) or "none"
    return f"candidate {report.candidate_id} erased (interviews: {interviews}): removed {counts}{files}"


def run(args: argparse.Namespace) -> int:
    """Erase; exit 1 when there is no such candidate, 2 on a bad reason or store."""
    try:
        report = erase_candidate(
            migrated_sessions(),
            args.candidate_id,
            args.reason,
            operator=getpass.getuser(),
            locations=data_locations(),
        )
    except CandidateNotFound:
        print(f"no candidate {args.candidate_id}", file=sys.stderr)
        return 1
    except (ValueError, LocationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(describe(report))
    return 0
