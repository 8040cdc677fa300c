"""Recruiter notifications: the summary, its delivery, retries and failures (no Rasa needed)."""

from __future__ import annotations

import json
import logging

import pytest

from bot.interview import InterviewService
from bot.notify import NotifySettings, notify_completed, post_summary
from bot.web.settings import WebSettings
from tests.e2e.answers import GOOD
from tests.slack.double import SlackDouble

CID = "slack:T0TEAM:D0NOTIFY"
CHANNEL = "C0RECRUIT"


def completed_interview(service: InterviewService) -> int:
    """Run a whole cashier interview with good answers and complete it; return its id."""
    service.record_consent(CID, "slack", True)
    service.start(CID, "cashier")
    while (prompt := service.current_prompt(CID)) is not None:
        service.submit_answer(CID, GOOD[prompt.question_id])
    interview_id = service.open_interview_id(CID)
    assert service.complete(CID)
    return interview_id


def bot_settings(double: SlackDouble, **extra) -> NotifySettings:
    """Settings posting with the bot token to the recruiters' channel on the double."""
    return NotifySettings(
        token="xoxb-test-token",
        channel=CHANNEL,
        api_url=double.api_url,
        base_url="https://screener.example.org/",
        backoff=0.01,
        **extra,
    )


async def test_the_summary_is_posted_after_one_failure(service, loaded, double: SlackDouble) -> None:
    interview_id = completed_interview(service)
    start = len(double.snapshot())
    double.fail("chat.postMessage", CHANNEL, [500])
    task = notify_completed(interview_id, bot_settings(double), loaded)
    assert task is not None and await task is True
    calls = double.snapshot()[start:]
    assert [(c.method, c.channel, c.status) for c in calls] == [
        ("chat.postMessage", CHANNEL, 500),
        ("chat.postMessage", CHANNEL, 200),
    ]
    notice = calls[1]
    link = f"https://screener.example.org/recruiter/interviews/{interview_id}"
    assert notice.text.startswith(f"Screening completed: {CID} for Cashier, fit ")
    assert notice.text.endswith(link)
    blocks = json.dumps(notice.body["blocks"])
    assert f"<{link}|#{interview_id}>" in blocks
    assert "*Fit*" in blocks and "/ 5" in blocks and "(slack)" in blocks
    ratings = next(b for b in notice.body["blocks"] if "Competency ratings" in json.dumps(b))["text"]["text"]
    assert ratings.count("\u2022 ") >= 2, "one line per rated competency"


async def test_an_incoming_webhook_gets_the_same_message(service, loaded, double: SlackDouble) -> None:
    interview_id = completed_interview(service)
    start = len(double.snapshot())
    settings = NotifySettings(webhook_url=double.webhook_url, base_url="https://s.example", backoff=0.01)
    assert await notify_completed(interview_id, settings, loaded) is True
    (call,) = double.snapshot()[start:]
    assert call.method == "webhook" and call.token is None
    assert f"https://s.example/recruiter/interviews/{interview_id}" in call.text and call.body["blocks"]


async def test_failures_are_retried_with_backoff_then_logged(double: SlackDouble, caplog) -> None:
    start = len(double.snapshot())
    double.fail("chat.postMessage", CHANNEL, [503, 500, 502])
    with caplog.at_level(logging.WARNING, logger="bot.notify.slack"):
        ok = await post_summary({"text": "x"}, bot_settings(double, attempts=3))
    assert ok is False
    assert [c.status for c in double.snapshot()[start:]] == [503, 500, 502]
    assert "not posted after 3 attempt(s)" in caplog.text


async def test_permanent_errors_are_not_retried(double: SlackDouble, caplog) -> None:
    start = len(double.snapshot())
    settings = NotifySettings(token="xoxb-wrong", channel=CHANNEL, api_url=double.api_url, backoff=0.01)
    with caplog.at_level(logging.ERROR, logger="bot.notify.slack"):
        assert await post_summary({"text": "x"}, settings) is False
    assert len(double.snapshot()[start:]) == 1
    assert "invalid_auth" in caplog.text


async def test_unreachable_slack_never_raises() -> None:
    settings = NotifySettings(webhook_url="http://127.0.0.1:9/nothing", attempts=2, backoff=0.01)
    assert await post_summary({"text": "x"}, settings) is False


async def test_nothing_happens_without_configuration() -> None:
    assert notify_completed(1, NotifySettings()) is None
    assert notify_completed(None, NotifySettings(webhook_url="http://x")) is None
    assert NotifySettings.from_env({}).enabled is False
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_NOTIFY_CHANNEL": "C1", "SCREENER_BASE_URL": "https://a/"}
    settings = NotifySettings.from_env(env)
    assert settings.enabled and settings.token == "xoxb-1" and settings.base_url == "https://a"


def test_no_running_loop_is_not_an_error() -> None:
    assert notify_completed(1, NotifySettings(webhook_url="http://x")) is None


@pytest.mark.parametrize("env", [{}, {"SLACK_NOTIFY_WEBHOOK_URL": "https://hooks.example/x"}])
def test_settings_from_env(env) -> None:
    assert NotifySettings.from_env(env).enabled is bool(env)


def test_the_default_link_base_is_the_web_apps() -> None:
    web = WebSettings(secret="s", rasa_url="http://127.0.0.1:5005/webhooks/rest/webhook")
    assert NotifySettings().base_url == web.public_base_url == f"http://127.0.0.1:{web.port}"
    assert NotifySettings.from_env({}).base_url == web.public_base_url
    assert NotifySettings.from_env({"WEB_PORT": "9090"}).base_url == "http://127.0.0.1:9090"
    assert NotifySettings.from_env({"PUBLIC_BASE_URL": "https://jobs.example.org/"}).base_url == (
        "https://jobs.example.org"
    )
    env = {"PUBLIC_BASE_URL": "https://jobs.example.org", "SCREENER_BASE_URL": "https://screener.example.org/"}
    assert NotifySettings.from_env(env).base_url == "https://screener.example.org"


async def test_a_notification_links_to_the_web_apps_interview_page(service, loaded, double: SlackDouble) -> None:
    interview_id = completed_interview(service)
    start = len(double.snapshot())
    settings = NotifySettings(webhook_url=double.webhook_url, backoff=0.01)
    assert await notify_completed(interview_id, settings, loaded) is True
    (call,) = double.snapshot()[start:]
    web = WebSettings(secret="s", rasa_url="http://127.0.0.1:5005/webhooks/rest/webhook")
    link = f"{web.public_base_url}/recruiter/interviews/{interview_id}"
    assert call.text.endswith(link)
    assert f"<{link}|#{interview_id}>" in json.dumps(call.body["blocks"])
