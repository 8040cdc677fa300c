"""Slack is off unless configured, and the channel's modules fit the Rasa environment."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import yaml

from bot.servers import ServerSettings
from tests.conftest import PROJECT


def test_the_default_run_has_no_slack() -> None:
    settings = ServerSettings(extra_env={"SLACK_BOT_TOKEN": "", "SLACK_SIGNING_SECRET": ""})
    assert settings.credentials_file() == PROJECT / "credentials.yml"
    half = ServerSettings(extra_env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": ""})
    assert half.credentials_file() == PROJECT / "credentials.yml"


def test_slack_is_on_when_its_secrets_are_set() -> None:
    settings = ServerSettings(extra_env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"})
    assert settings.credentials_file() == PROJECT / "credentials.slack.yml"
    explicit = ServerSettings(credentials=Path("/x/creds.yml"), extra_env={"SLACK_BOT_TOKEN": "xoxb-1"})
    assert explicit.credentials_file() == Path("/x/creds.yml")


def test_the_credentials_files() -> None:
    plain = yaml.safe_load((PROJECT / "credentials.yml").read_text())
    rest = {"bot.channels.rest.TokenRestInput": {"token": "${CHANNEL_TOKEN}"}}
    assert plain == rest  # never Rasa's open `rest:` channel
    slack = yaml.safe_load((PROJECT / "credentials.slack.yml").read_text())
    assert list(slack) == ["bot.channels.rest.TokenRestInput", "bot.channels.slack.ScreenerSlackInput"]
    assert slack["bot.channels.rest.TokenRestInput"] == rest["bot.channels.rest.TokenRestInput"]
    section = slack["bot.channels.slack.ScreenerSlackInput"]
    assert section == {"slack_token": "${SLACK_BOT_TOKEN}", "slack_signing_secret": "${SLACK_SIGNING_SECRET}"}


def test_the_channel_imports_only_what_the_rasa_environment_has() -> None:
    allowed = {"rasa", "sanic", "slack_sdk"} | set(sys.stdlib_module_names)
    files = [PROJECT / "bot" / "__init__.py", *sorted((PROJECT / "bot" / "channels").glob("*.py"))]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed or name.startswith("bot.channels"), (path.name, name)
