"""``python -m bot rescore``: score stored answers under the current rubric."""

from __future__ import annotations

import argparse

from bot.cli.common import migrated_sessions
from bot.rescoring import rescore


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``rescore`` subcommand."""
    parser = subparsers.add_parser(
        "rescore",
        help="score stored answers under the newest rubric and scorer versions (old scores are kept)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Re-score; exit 1 if any answer failed."""
    from bot.scoring import SCORER_VERSION, Scorer

    report = rescore(migrated_sessions(), Scorer(), SCORER_VERSION)
    rate = report.scored / report.seconds if report.seconds > 0 else 0.0
    print(
        f"re-scored {report.scored} answers in {report.seconds:.1f} s ({rate:.0f}/s); "
        f"{report.failed} failed; scorer {SCORER_VERSION}"
    )
    return 1 if report.failed else 0
