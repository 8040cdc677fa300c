"""Signed Slack requests, shaped like the ones Slack sends."""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from bot.channels.slackutil import sign

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-test-token"
TEAM = "T0TEAM"
BOT_USER = "U0BOT"
BOT_ID = "B0BOT"
RETRY_REASONS = ["http_timeout", "too_many_redirects", "connection_failed", "ssl_error", "http_error", "unknown_error"]


@dataclass
class Reply:
    """What the webhook answered."""

    status: int
    body: str
    headers: dict[str, str]


def new_ts() -> str:
    """A fresh Slack message timestamp."""
    return f"{int(time.time())}.{secrets.randbelow(10**6):06d}"


def event_callback(event: dict, event_id: str | None = None) -> dict:
    """An ``event_callback`` envelope around ``event``."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "api_app_id": "A0APP",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{secrets.token_hex(5).upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    }


def dm_message(user: str, channel: str, text: str, **extra) -> dict:
    """A ``message.im`` event."""
    ts = new_ts()
    return {
        "type": "message",
        "client_msg_id": secrets.token_hex(16),
        "text": text,
        "user": user,
        "ts": ts,
        "team": TEAM,
        "channel": channel,
        "event_ts": ts,
        "channel_type": "im",
        **extra,
    }


def block_actions(user: str, channel: str, message: dict, value: str, title: str) -> dict:
    """A ``block_actions`` payload: ``user`` clicked the button ``value`` on ``message``."""
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "someone", "name": "someone", "team_id": TEAM},
        "api_app_id": "A0APP",
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel,
            "is_ephemeral": False,
            **({"thread_ts": message["thread_ts"]} if message.get("thread_ts") else {}),
        },
        "trigger_id": f"{secrets.randbelow(10**10)}.{secrets.randbelow(10**10)}.{secrets.token_hex(16)}",
        "team": {"id": TEAM, "domain": "example"},
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, **message},
        "response_url": "https://hooks.slack.com/actions/T0TEAM/1/abc",
        "actions": [
            {
                "action_id": "screener_button_0",
                "block_id": "screener_buttons_0",
                "text": {"type": "plain_text", "text": title, "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }


class Webhook:
    """Posts signed requests to the Rasa server's Slack webhook.

    Args:
        url: ``http://127.0.0.1:<port>/webhooks/slack/webhook``.
    """

    def __init__(self, url: str) -> None:
        self.url = url

    def post_raw(self, body: bytes, headers: dict[str, str]) -> Reply:
        """POST ``body`` with exactly ``headers``."""
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Reply(response.status, response.read().decode(), dict(response.headers))
        except urllib.error.HTTPError as exc:
            return Reply(exc.code, exc.read().decode(), dict(exc.headers))

    @staticmethod
    def signed_headers(body: bytes, content_type: str, timestamp: int | None = None, secret: str = SECRET) -> dict:
        """Headers Slack would send with ``body``."""
        ts = int(time.time()) if timestamp is None else timestamp
        return {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(secret, ts, body),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }

    def event(self, payload: dict, retry: tuple[int, str] | None = None, **sign_args) -> Reply:
        """Send an Events API payload (JSON), optionally as retry ``(num, reason)``."""
        body = json.dumps(payload).encode()
        headers = self.signed_headers(body, "application/json", **sign_args)
        if retry:
            headers["X-Slack-Retry-Num"] = str(retry[0])
            headers["X-Slack-Retry-Reason"] = retry[1]
        return self.post_raw(body, headers)

    def interaction(self, payload: dict, **sign_args) -> Reply:
        """Send an interactivity payload (form-encoded ``payload=...``)."""
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self.post_raw(body, self.signed_headers(body, "application/x-www-form-urlencoded", **sign_args))
