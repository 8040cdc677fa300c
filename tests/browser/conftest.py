"""The whole product in a real headless Chromium: action server, Rasa server
and the web app (started as ``python -m bot serve`` starts them), a database
of their own, and Playwright driving Debian's ``chromium``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.servers import ServerProcess, ServerSettings, start_web_server
from tests.conftest import PROJECT
from tests.e2e.conftest import STARTUP_TIMEOUT, Stack, _start, sqlite_settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT / "tests" / "artifacts"


@dataclass
class WebStack:
    """The running servers and where the web app answers."""

    stack: Stack
    web: ServerProcess
    base_url: str

    @property
    def sessions(self) -> sessionmaker[Session]:
        """Sessions on the stack's database."""
        return self.stack.sessions


@pytest.fixture(scope="session")
def web_stack(rasa_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebStack]:
    """Action server, Rasa server and web app on free ports and a fresh SQLite database."""
    settings = sqlite_settings(
        tmp_path_factory.mktemp("webstack"), rasa_model, SCREENER_SECRET="browser-test-secret-" + "z" * 30
    )
    stack = _start(settings, 1, settings.database_url)
    # The web app talks to the Rasa server _start made (its own port).
    web_settings = ServerSettings(**{**settings.__dict__, "rasa_port": stack.rasa_settings[0].rasa_port})
    web = start_web_server(web_settings)
    try:
        web.wait_ready(STARTUP_TIMEOUT)
    except Exception:
        web.stop()
        stack.stop()
        raise
    yield WebStack(stack=stack, web=web, base_url=f"http://127.0.0.1:{settings.web_port}")
    web.stop()
    stack.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium (Debian's package) driven by Playwright.

    Module-scoped: Playwright's sync API keeps an event loop running in the
    main thread while it is open, which would break the asyncio tests that
    run after the browser tests.
    """
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {CHROMIUM}: CI must install it (apt-get install chromium)")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (``tests/artifacts``)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
