"""``python -m bot export-candidate ID``: everything held about a candidate, as JSON or HTML."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from bot.cli.common import migrated_sessions
from bot.privacy.export import candidate_export, render_html
from bot.privacy.locations import LocationError, data_locations
from bot.web import audit


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``export-candidate`` subcommand."""
    parser = subparsers.add_parser(
        "export-candidate", help="everything held about a candidate (GDPR Art 15), as JSON or an HTML page"
    )
    parser.add_argument("candidate_id", type=int, help="the candidate's id (shown on the interview page)")
    parser.add_argument("--format", choices=("json", "html"), default="json", help="output format (default json)")
    parser.add_argument("--out", type=Path, default=None, help="write to FILE (mode 600) instead of stdout")
    parser.set_defaults(handler=run)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, readable by its owner only (it holds personal data)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def run(args: argparse.Namespace) -> int:
    """Export; exit 1 when there is no such candidate, 2 when a store cannot be located."""
    try:
        locations = data_locations()
    except LocationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sessions = migrated_sessions()
    with sessions.begin() as session:
        data = candidate_export(session, args.candidate_id, locations.tracker_url)
        if data is not None:
            audit.record(
                session,
                None,
                "export_candidate",
                candidate_id=args.candidate_id,
                format=args.format,
                via="cli",
                operator=getpass.getuser(),
            )
    if data is None:
        print(f"no candidate {args.candidate_id}", file=sys.stderr)
        return 1
    text = render_html(data) if args.format == "html" else json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        write_private(args.out, text)
        print(f"candidate {args.candidate_id} exported to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
