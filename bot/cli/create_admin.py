"""``python -m bot create-admin``: create a recruiter account (the first admin).

There is no default password: the command asks for one (twice, not echoed),
or reads it from standard input with ``--password-stdin``.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.cli.common import migrated_sessions
from bot.db.models import RecruiterRole
from bot.web import audit
from bot.web.recruiter import create_account


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``create-admin`` subcommand."""
    parser = subparsers.add_parser("create-admin", help="create a recruiter account (asks for its password)")
    parser.add_argument("email")
    parser.add_argument("--name", default=None, help="display name (default: the email)")
    parser.add_argument(
        "--role", choices=[r.value for r in RecruiterRole], default=RecruiterRole.ADMIN.value, help="default admin"
    )
    parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Create the account; exit 1 on a bad or mismatched password or a taken email."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password (at least 12 characters): ")
        if getpass.getpass("Again: ") != password:
            print("error: the passwords differ", file=sys.stderr)
            return 1
    sessions = migrated_sessions()
    try:
        with sessions.begin() as session:
            recruiter = create_account(session, args.email, args.name or args.email, password, args.role)
            audit.record(session, None, "create_account", account_id=recruiter.id, role=args.role, via="command line")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"created {args.role} account {args.email}")
    return 0
