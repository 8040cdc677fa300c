"""The Slack double, and the real servers speaking to it.

``slack_stack`` runs the action server and one Rasa server exactly as
``python -m bot serve`` does, with the Slack variables set, so that
:mod:`bot.servers` picks ``credentials.slack.yml``; the Web API base URL and
the recruiter notifications point at the double.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.slack.double import SlackDouble, start_double
from tests.slack.events import SECRET, TOKEN, Webhook

RECRUITERS = "C0RECRUIT"
BASE_URL = "https://screener.example.org"


@pytest.fixture(scope="module")
def double() -> Iterator[SlackDouble]:
    """A running Slack double."""
    server = start_double()
    yield server
    server.stop()


@dataclass
class SlackStack:
    """The real servers with the Slack channel, and the double they talk to."""

    stack: object  # tests.e2e.conftest.Stack
    double: SlackDouble
    webhook: Webhook
    other: Webhook  # the second Rasa server's Slack webhook


@pytest.fixture(scope="module")
def slack_stack(
    rasa_model: Path, tmp_path_factory: pytest.TempPathFactory, double: SlackDouble
) -> Iterator[SlackStack]:
    """Action server + two Rasa servers with the Slack channel, on fresh SQLite databases.

    The second Rasa server shares the handled-event store with the first, as
    several servers behind a load balancer would.
    """
    from tests.e2e.conftest import _start, sqlite_settings

    root = tmp_path_factory.mktemp("slack")
    settings = sqlite_settings(
        root,
        rasa_model,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=double.api_url,
        SLACK_STATE_DB=str(root / "slack_state.sqlite3"),
        REDIS_URL="",
        REDIS_HOST="",
        SLACK_NOTIFY_CHANNEL=RECRUITERS,
        SLACK_NOTIFY_BACKOFF="0.2",
        SCREENER_BASE_URL=BASE_URL,
    )
    assert settings.credentials_file().name == "credentials.slack.yml"
    stack = _start(settings, 2, settings.database_url)
    urls = [f"http://127.0.0.1:{own.rasa_port}/webhooks/slack/webhook" for own in stack.rasa_settings]
    yield SlackStack(stack, double, Webhook(urls[0]), Webhook(urls[1]))
    stack.stop()
