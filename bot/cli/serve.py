"""``python -m bot serve``: run the action server, the Rasa server and the web app.

Starts all three, waits until they answer, says where the careers page is, and
stops them on Ctrl-C (or when any exits).
"""

from __future__ import annotations

import argparse
import signal
import time

from bot.servers import (
    ServerError,
    ServerSettings,
    port_in_use,
    rest_url,
    start_action_server,
    start_rasa_server,
    start_web_server,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``serve`` subcommand."""
    parser = subparsers.add_parser(
        "serve", help="run the action server, the Rasa server and the web app (Ctrl-C stops them)"
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for the servers to start")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; exit 1 if a server fails."""
    settings = ServerSettings(extra_env={"SCREENER_WARM": "1"})
    servers = []
    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        for port in (settings.action_port, settings.rasa_port, settings.web_port):
            if port_in_use(port):
                raise ServerError(f"port {port} is already in use: is the screener already running?")
        print(f"starting the action server on 127.0.0.1:{settings.action_port} ...", flush=True)
        actions = start_action_server(settings)
        servers.append(actions)
        actions.wait_ready(args.timeout)
        print(f"starting the Rasa server on 127.0.0.1:{settings.rasa_port} ...", flush=True)
        rasa = start_rasa_server(settings)
        servers.append(rasa)
        waited = rasa.wait_ready(args.timeout)
        print(f"starting the web app on 127.0.0.1:{settings.web_port} ...", flush=True)
        webapp = start_web_server(settings)
        servers.append(webapp)
        webapp.wait_ready(args.timeout)
        print(
            f"\nThe screener is ready (Rasa took {waited:.0f} s to load).\n"
            f"  Careers page (the chat):  http://127.0.0.1:{settings.web_port}/\n"
            f"  Recruiters:  http://127.0.0.1:{settings.web_port}/recruiter/ "
            "(first account: .venv/bin/python -m bot create-admin you@example.org)\n"
            f"  Talk to it in a terminal:  .venv/bin/python -m bot chat --url {rest_url(settings)}\n"
            f"  or over HTTP:  curl -s {rest_url(settings)} "
            '-H "Authorization: Bearer $(cat var/channel_token)" -d \'{"sender": "me", "message": "hello"}\'\n'
            f"  Logs: {settings.log_dir}\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        while not stopping:
            for server in servers:
                if server.process.poll() is not None:
                    raise ServerError(
                        f"{server.name} stopped (exit {server.process.returncode}); see {server.log_path}"
                    )
            time.sleep(0.5)
        return 0
    except KeyboardInterrupt:
        return 0
    except ServerError as exc:
        print(f"error: {exc}")
        return 1
    finally:
        print("\nstopping ...", flush=True)
        for server in reversed(servers):
            server.stop()
        print("stopped.")
