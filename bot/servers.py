"""Starting, watching and stopping the action server and the Rasa server.

Used by ``python -m bot serve``, the end-to-end tests and the benchmarks, so
that all of them run the servers the same way.

Ports (defaults; environment variables override):

| server        | variable      | default |
|---------------|---------------|---------|
| Rasa          | ``RASA_PORT``   | 5005    |
| action server | ``ACTION_PORT`` | 5055    |
| web app       | ``WEB_PORT``    | 8080    |
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import PRIVATE_UMASK, PROJECT_DIR, VAR_DIR
from bot.shared_secrets import ACTION_SERVER_TOKEN, CHANNEL_TOKEN, shared_secret
from bot.web.settings import web_port

RASA_PORT = int(os.environ.get("RASA_PORT", "5005"))
ACTION_PORT = int(os.environ.get("ACTION_PORT", "5055"))
WEB_PORT = web_port()
MODEL_PATH = PROJECT_DIR / "models" / "screener.tar.gz"


def rasa_bin() -> Path:
    """The ``rasa`` executable of the Rasa environment (``RASA_BIN`` overrides)."""
    return Path(os.environ.get("RASA_BIN", PROJECT_DIR / ".venv-rasa" / "bin" / "rasa"))


class ServerError(RuntimeError):
    """A server did not start or stopped unexpectedly."""


@dataclass
class ServerProcess:
    """A started server: its process and where it answers.

    Attributes:
        name: ``"actions"``, ``"rasa"`` or ``"web"``.
        process: The child process (its own process group).
        health_url: A URL that answers 200 once the server is ready.
        log_path: Where its output goes.
    """

    name: str
    process: subprocess.Popen[bytes]
    health_url: str
    log_path: Path

    def wait_ready(self, timeout: float) -> float:
        """Block until the health URL answers 200.

        Returns:
            Seconds waited.

        Raises:
            ServerError: The process exited, or ``timeout`` seconds passed.
        """
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.process.poll() is not None:
                raise ServerError(f"{self.name} exited with {self.process.returncode}; see {self.log_path}")
            if self.healthy(timeout=2):
                return time.monotonic() - start
            time.sleep(0.25)
        raise ServerError(f"{self.name} not ready after {timeout:.0f} s; see {self.log_path}")

    def healthy(self, timeout: float = 5) -> bool:
        """Whether the process runs and its health URL answers 200 within ``timeout`` seconds."""
        if self.process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(self.health_url, timeout=timeout) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def stop(self, timeout: float = 20) -> None:
        """Stop the server's process group (SIGINT, then SIGKILL)."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)
        except ProcessLookupError:
            pass


@dataclass
class ServerSettings:
    """How to run the two servers.

    Attributes:
        rasa_port: Port of the Rasa server (REST channel at
            ``/webhooks/rest/webhook``), bound to 127.0.0.1.
        action_port: Port of the action server, bound to 127.0.0.1.
        web_port: Port of the web application (careers page, recruiter
            pages), bound to 127.0.0.1.
        model: The trained Rasa model.
        database_url: The screener database the actions use (None: default).
        tracker_db: SQLite file of Rasa's tracker store.
        endpoints: Rasa endpoints file.
        credentials: Rasa credentials file (None: ``credentials.slack.yml``
            when ``SLACK_BOT_TOKEN`` and ``SLACK_SIGNING_SECRET`` are set in
            the servers' environment, else ``credentials.yml``).
        log_dir: Where server logs go.
        extra_env: More environment for both servers.
    """

    rasa_port: int = RASA_PORT
    action_port: int = ACTION_PORT
    web_port: int = WEB_PORT
    model: Path = MODEL_PATH
    database_url: str | None = None
    tracker_db: Path = VAR_DIR / "rasa_tracker.db"
    endpoints: Path = PROJECT_DIR / "endpoints.yml"
    credentials: Path | None = None
    log_dir: Path = VAR_DIR / "logs"
    extra_env: dict[str, str] = field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        """The environment the servers run with.

        Holds the two shared tokens (``ACTION_SERVER_TOKEN``,
        ``CHANNEL_TOKEN``): from ``extra_env`` or the environment, else the
        ones kept in ``var/`` (see :mod:`bot.shared_secrets`).
        """
        env = dict(os.environ)
        env.update(
            {
                "ACTION_PORT": str(self.action_port),
                "RASA_PORT": str(self.rasa_port),
                "WEB_PORT": str(self.web_port),
                "RASA_TRACKER_DB": str(self.tracker_db),
                # Which endpoints file Rasa runs with: erasure finds the tracker store by it.
                "RASA_ENDPOINTS": str(self.endpoints),
                "PYTHONUNBUFFERED": "1",
                # rasa_sdk binds where SANIC_HOST says (0.0.0.0 otherwise).
                "SANIC_HOST": "127.0.0.1",
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                "RASA_TELEMETRY_ENABLED": "false",
                "TF_CPP_MIN_LOG_LEVEL": "2",
                # Sanic (Rasa and the action server) reads SANIC_* settings:
                # refuse bodies over 2 MB before reading them (Sanic allows
                # 100 MB), and drop a request not read within 10 s.
                "SANIC_REQUEST_MAX_SIZE": str(2 * 1024 * 1024),
                "SANIC_REQUEST_TIMEOUT": "10",
            }
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        for kind in (ACTION_SERVER_TOKEN, CHANNEL_TOKEN):
            if not env.get(kind[0]):
                env[kind[0]] = shared_secret(kind)
        return env

    def credentials_file(self) -> Path:
        """The credentials file Rasa runs with (Slack only when it is configured)."""
        if self.credentials is not None:
            return self.credentials
        env = self.environment()
        if env.get("SLACK_BOT_TOKEN") and env.get("SLACK_SIGNING_SECRET"):
            return PROJECT_DIR / "credentials.slack.yml"
        return PROJECT_DIR / "credentials.yml"


def _spawn(name: str, command: list[str], settings: ServerSettings, health_url: str) -> ServerProcess:
    for folder in (settings.log_dir, settings.tracker_db.parent):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder.stat().st_uid == os.getuid():
            os.chmod(folder, 0o700)  # also one made before, with files of looser modes in it
    log_path = settings.log_dir / f"{name}.log"
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    log = os.fdopen(fd, "ab")
    process = subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=settings.environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        umask=PRIVATE_UMASK,
    )
    log.close()
    return ServerProcess(name, process, health_url, log_path)


def start_action_server(settings: ServerSettings) -> ServerProcess:
    """Start ``rasa_sdk`` serving the ``actions`` package (this Python).

    Through :mod:`bot.action_server`, which exits instead of serving when the
    token check of :mod:`actions.guard` cannot be loaded.
    """
    command = [
        sys.executable,
        "-m",
        "bot.action_server",
        "--actions",
        "actions",
        "--port",
        str(settings.action_port),
        "--logging-config_file",
        str(PROJECT_DIR / "logging.yml"),
    ]
    return _spawn("actions", command, settings, f"http://127.0.0.1:{settings.action_port}/health")


def start_rasa_server(settings: ServerSettings) -> ServerProcess:
    """Start the Rasa server on 127.0.0.1 with the channels of the credentials file.

    Rasa's HTTP API hands every transcript to whoever can reach the port, so
    it is enabled only when ``RASA_AUTH_TOKEN`` is set in the settings'
    environment, and then only for requests carrying that token.
    """
    if not settings.model.exists():
        raise ServerError(f"no trained model at {settings.model}: run `make train`")
    # Through bot.rasa_ext.run, which passes RASA_AUTH_TOKEN to Rasa in-process:
    # on the command line every user of the host could read it.
    command = [
        str(rasa_bin().with_name("python")),
        "-m",
        "bot.rasa_ext.run",
        "run",
        "--model",
        str(settings.model),
        "--endpoints",
        str(settings.endpoints),
        "--credentials",
        str(settings.credentials_file()),
        "--interface",
        "127.0.0.1",
        "--port",
        str(settings.rasa_port),
    ]
    return _spawn("rasa", command, settings, f"http://127.0.0.1:{settings.rasa_port}/")


def start_web_server(settings: ServerSettings) -> ServerProcess:
    """Start the web application (``python -m bot web``), passing chat messages to Rasa."""
    command = [sys.executable, "-m", "bot", "web", "--port", str(settings.web_port)]
    command += ["--rasa-port", str(settings.rasa_port)]
    return _spawn("web", command, settings, f"http://127.0.0.1:{settings.web_port}/healthz")


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something already accepts connections on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def rest_url(settings: ServerSettings) -> str:
    """The REST channel's webhook URL."""
    return f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook"


def rest_headers(settings: ServerSettings) -> dict[str, str]:
    """The headers a REST channel request needs: JSON and the channel's bearer token."""
    return {"Content-Type": "application/json", "Authorization": f"Bearer {settings.environment()['CHANNEL_TOKEN']}"}
