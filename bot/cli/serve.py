"""``python -m bot serve``: run the action server, the Rasa server and the web app.

Starts all three, waits until they answer, says where the careers page is, and
stops them on Ctrl-C, or when any exits or stops answering its health check
(``HEALTH_FAILURES`` checks in a row, one every ``HEALTH_EVERY`` seconds).
Stopping comes before any output, so a closed pipe (``make run | tee``) cannot
leave a server running.
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

#: Seconds between health checks of the running servers.
HEALTH_EVERY = 10.0
#: Failed health checks in a row after which a server counts as dead.
HEALTH_FAILURES = 3


def _say(text: str) -> None:
    """Print, ignoring a closed or broken output (the screener must still stop)."""
    try:
        print(text, flush=True)
    except (BrokenPipeError, OSError):
        pass


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
    failure: ServerError | None = None

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        for port in (settings.action_port, settings.rasa_port, settings.web_port):
            if port_in_use(port):
                raise ServerError(f"port {port} is already in use: is the screener already running?")
        _say(f"starting the action server on 127.0.0.1:{settings.action_port} ...")
        actions = start_action_server(settings)
        servers.append(actions)
        actions.wait_ready(args.timeout)
        _say(f"starting the Rasa server on 127.0.0.1:{settings.rasa_port} ...")
        rasa = start_rasa_server(settings)
        servers.append(rasa)
        waited = rasa.wait_ready(args.timeout)
        _say(f"starting the web app on 127.0.0.1:{settings.web_port} ...")
        webapp = start_web_server(settings)
        servers.append(webapp)
        webapp.wait_ready(args.timeout)
        _say(
            f"\nThe screener is ready (Rasa took {waited:.0f} s to load).\n"
            f"  Careers page (the chat):  http://127.0.0.1:{settings.web_port}/\n"
            f"  Recruiters:  http://127.0.0.1:{settings.web_port}/recruiter/ "
            "(first account: .venv/bin/python -m bot create-admin you@example.org)\n"
            f"  Talk to it in a terminal:  .venv/bin/python -m bot chat --url {rest_url(settings)}\n"
            f"  or over HTTP:  curl -s {rest_url(settings)} "
            '-H "Authorization: Bearer $(cat var/channel_token)" -d \'{"sender": "me", "message": "hello"}\'\n'
            f"  Logs: {settings.log_dir}\n"
            "Press Ctrl-C to stop."
        )
        failures = dict.fromkeys((server.name for server in servers), 0)
        next_check = time.monotonic() + HEALTH_EVERY
        while not stopping:
            for server in servers:
                if server.process.poll() is not None:
                    raise ServerError(
                        f"{server.name} stopped (exit {server.process.returncode}); see {server.log_path}"
                    )
            if time.monotonic() >= next_check:
                for server in servers:
                    failures[server.name] = 0 if server.healthy() else failures[server.name] + 1
                    if failures[server.name] >= HEALTH_FAILURES:
                        raise ServerError(
                            f"{server.name} has not answered its health check for {HEALTH_FAILURES} checks; "
                            f"see {server.log_path}"
                        )
                next_check = time.monotonic() + HEALTH_EVERY
            time.sleep(0.5)
        return 0
    except KeyboardInterrupt:
        return 0
    except ServerError as exc:
        failure = exc
        return 1
    finally:
        for server in reversed(servers):
            server.stop()
        if failure is not None:
            _say(f"error: {failure}")
        _say("stopped.")
