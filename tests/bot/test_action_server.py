"""The action server starts only with its guard: ``python -m bot.action_server``.

rasa-sdk itself serves without plugins when ``rasa_sdk_plugins`` raises
``ModuleNotFoundError``; our entry point must exit instead, and the normal
start (through :func:`bot.servers.start_action_server`) must still refuse
calls without the token.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.action_server import EXIT_GUARD_MISSING
from bot.config import PROJECT_DIR
from bot.servers import ServerSettings, start_action_server
from tests.e2e.conftest import free_port

BROKEN_PLUGINS = {
    "missing-import": "import a_module_that_does_not_exist\n",
    "no-hooks": "def init_hooks(manager):\n    pass\n",
    "no-init-hooks": "",
}


@pytest.mark.parametrize("source", BROKEN_PLUGINS.values(), ids=BROKEN_PLUGINS.keys())
def test_the_action_server_refuses_to_start_without_its_guard(tmp_path: Path, source: str) -> None:
    shadow = tmp_path / "shadow" / "rasa_sdk_plugins"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(source)
    # Run outside the project directory, or `-m` would put our real package first on sys.path.
    env = {**os.environ, "PYTHONPATH": f"{shadow.parent}{os.pathsep}{PROJECT_DIR}", "SANIC_HOST": "127.0.0.1"}
    port = str(free_port())
    done = subprocess.run(
        [sys.executable, "-m", "bot.action_server", "--actions", "actions", "--port", port],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == EXIT_GUARD_MISSING, done.stderr
    assert "action server NOT started" in done.stderr and "without authentication" in done.stderr
    assert "Action endpoint is up" not in done.stdout + done.stderr


def test_the_normal_start_serves_health_and_refuses_calls_without_the_token(tmp_path: Path) -> None:
    settings = ServerSettings(
        action_port=free_port(),
        database_url=f"sqlite:///{tmp_path / 'screener.db'}",
        tracker_db=tmp_path / "trackers.db",
        log_dir=tmp_path / "logs",
        extra_env={"ACTION_SERVER_TOKEN": "test-token-" + "y" * 32},
    )
    server = start_action_server(settings)
    try:
        server.wait_ready(120)
        url = f"http://127.0.0.1:{settings.action_port}"
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            request = urllib.request.Request(f"{url}/webhook", data=b"{}", headers=headers)
            with pytest.raises(urllib.error.HTTPError) as error:
                urllib.request.urlopen(request, timeout=10)
            assert error.value.code == 401 and json.loads(error.value.read()) == {"error": "unauthorized"}
    finally:
        server.stop()
