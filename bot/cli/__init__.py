"""The ``python -m bot`` command line.

Each subcommand lives in its own module of this package, which exposes
``register(subparsers)``: it adds its parser and sets ``handler`` to a function
taking the parsed ``argparse.Namespace`` and returning an exit status.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from bot.config import PRIVATE_UMASK

#: Modules of :mod:`bot.cli` that define subcommands, in help order.
COMMAND_MODULES: tuple[str, ...] = (
    "load_bank",
    "interviews",
    "transcript",
    "evaluate",
    "rescore",
    "abandon",
    "export_candidate",
    "erase",
    "retention",
    "bias_audit",
    "serve",
    "chat",
    "web",
    "create_admin",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every subcommand registered."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Interview screener tools.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"bot.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bot.cli.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand.

    Args:
        argv: Arguments without the program name; ``sys.argv[1:]`` if None.

    Files the commands create (databases, tokens, logs) hold candidates'
    answers or secrets, so they are made readable by their owner only
    (umask 077), whichever way the command was started (``python -m bot``
    or the ``screener`` script).

    Returns:
        The process exit status.
    """
    os.umask(PRIVATE_UMASK)
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    return int(args.handler(args) or 0)
