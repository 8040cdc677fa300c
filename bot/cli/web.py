"""``python -m bot web``: run the web application (careers page and recruiter pages).

Needs the Rasa server (``RASA_PORT``) for the chat; ``python -m bot serve``
starts all three servers together.
"""

from __future__ import annotations

import argparse
import logging

from aiohttp import web

from bot.web.app import create_app
from bot.web.settings import WebSettings


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``web`` subcommand."""
    parser = subparsers.add_parser("web", help="run the web application (careers page, recruiter pages)")
    parser.add_argument("--host", default=None, help="interface to listen on (default WEB_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="port (default WEB_PORT or 8080)")
    parser.add_argument(
        "--rasa-port", type=int, default=None, help="port of the Rasa server (default RASA_PORT or 5005)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    overrides: dict[str, object] = {}
    if args.host:
        overrides["host"] = args.host
    if args.port:
        overrides["port"] = args.port
    if args.rasa_port:
        overrides["rasa_url"] = f"http://127.0.0.1:{args.rasa_port}/webhooks/rest/webhook"
    settings = WebSettings.from_env(**overrides)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    web.run_app(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        print=None,
        access_log=None,
        # aiohttp arms this from the moment a connection opens and closes the
        # connection if no complete request head has arrived by then (and
        # again after each response): the only bound on slow-header clients.
        keepalive_timeout=settings.header_timeout,
    )
    return 0
