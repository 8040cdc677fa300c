"""``python -m bot serve`` as a user runs it: ready, answering, and Ctrl-C stops all."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.servers import port_in_use
from tests.conftest import PROJECT
from tests.e2e.conftest import free_port
from tests.e2e.test_rest_interview import new_sender

pytestmark = pytest.mark.rasa


def test_serve_answers_and_ctrl_c_stops_every_server(rasa_model: Path, tmp_path: Path) -> None:
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}
    env = {
        **os.environ,
        **{k: str(v) for k, v in ports.items()},
        "SCREENER_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'screener.db'}",
    }
    loaded = subprocess.run(
        [sys.executable, "-m", "bot", "load-bank"], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    assert loaded.returncode == 0, loaded.stderr
    assert "12 questions" in loaded.stdout
    serve = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"], cwd=PROJECT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        output = []
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            line = serve.stdout.readline()
            assert line or serve.poll() is None, "".join(output)
            output.append(line)
            if "Press Ctrl-C to stop." in line:
                break
        text = "".join(output)
        assert "The screener is ready" in text
        assert f"127.0.0.1:{ports['WEB_PORT']}" in text
        from bot.cli.chat import send

        token_file = tmp_path / "channel_token"
        for made in (token_file, tmp_path / "screener.db", tmp_path / "action_server_token"):
            assert stat.S_IMODE(made.stat().st_mode) == 0o600, made.name
        url = f"http://127.0.0.1:{ports['RASA_PORT']}/webhooks/rest/webhook"
        replies = send(url, new_sender(), "hello", token_file.read_text().strip())
        assert "automated screening assistant" in replies[0]["text"]

        for name, port in ports.items():
            listening = subprocess.run(
                ["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True
            ).stdout.split()
            addresses = {word.rsplit(":", 1)[0] for word in listening if word.endswith(f":{port}")}
            assert addresses == {"127.0.0.1"}, f"{name} listens on {addresses}"

        serve.send_signal(signal.SIGINT)
        assert serve.wait(60) == 0
        rest = serve.stdout.read()
        assert "stopped." in rest
        for port in ports.values():
            assert not port_in_use(port), f"port {port} still served after Ctrl-C"
    finally:
        if serve.poll() is None:
            serve.kill()


def _pid_listening(port: int) -> int:
    """The pid of the process that listens on ``port`` (from ``ss -p``)."""
    out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"pid=(\d+)", out).group(1))


def test_serve_stops_everything_when_a_server_hangs_even_with_its_output_closed(
    rasa_model: Path, tmp_path: Path
) -> None:
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}
    env = {
        **os.environ,
        **{k: str(v) for k, v in ports.items()},
        "SCREENER_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'screener.db'}",
    }
    serve = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"], cwd=PROJECT, env=env, stdout=subprocess.PIPE, text=True
    )
    hung = None
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            line = serve.stdout.readline()
            assert line or serve.poll() is None
            if "Press Ctrl-C to stop." in line:
                break
        serve.stdout.close()  # as `make run | head` would: later output has nowhere to go
        hung = os.getpgid(_pid_listening(ports["ACTION_PORT"]))
        os.killpg(hung, signal.SIGSTOP)  # alive, but answers nothing: a hung worker
        assert serve.wait(120) == 1
        for port in ports.values():
            assert not port_in_use(port), f"port {port} still served after serve gave up"
    finally:
        if hung is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(hung, signal.SIGKILL)
        if serve.poll() is None:
            serve.kill()
