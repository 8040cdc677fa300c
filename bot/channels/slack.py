"""The Slack channel of the screener: Rasa's ``SlackInput``, made safe for interviews.

Registered in ``credentials.slack.yml`` as ``bot.channels.slack.ScreenerSlackInput``
(webhook ``/webhooks/slack/webhook``, for events and for interactivity). It
runs in the Rasa environment and imports only Rasa, Sanic, ``slack_sdk`` and
the standard library.

What it adds to Rasa's channel:

* requests are verified (HMAC-SHA256 of ``v0:timestamp:body`` with the signing
  secret, at most five minutes old, never the same signature twice);
  failures get 401 and change nothing;
* every event is handled at most once, whatever Slack's retry reason: event
  ids and client message ids are claimed in a store (Redis with
  ``REDIS_URL``, else SQLite under ``var/``) before the 200 is sent, and the
  conversation runs in a background task after it;
* bot messages (ours included), edits, deletions and any other subtype are
  ignored;
* conversations are direct messages with the app, or threads that a
  recruiter starts by mentioning the app in a channel (the candidate is the
  person mentioned with it, or else the first other person to answer);
* replies keep Slack's mrkdwn but are escaped, so that no text, candidate's
  or ours, can become a mention; buttons are Block Kit interactive messages
  (up to 25 per row, where Rasa's channel drops them above 5);
* the Web API base URL is configurable (``SLACK_API_URL``).

Sender ids are ``slack:<team>:<channel>`` for a direct message and
``slack:<team>:<channel>:<thread ts>`` for a thread: no Slack user id reaches
Rasa's tracker or the screener database, and the store keeps only keyed hashes
of user ids.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.limits import MAX_MESSAGE_CHARS, too_long_reply
from bot.channels.slackutil import (
    MAX_REQUEST_AGE,
    StateStore,
    dumps,
    escape,
    mentioned_users,
    plain_text,
    state_store,
    user_key,
    verify_signature,
)

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
EVENT_TTL = 24 * 3600  # Slack retries for about an hour
THREAD_TTL = 60 * 24 * 3600
MAX_BUTTONS_PER_ROW = 25
#: Events the channel acts on; everything else is acknowledged and dropped.
HANDLED_EVENTS = ("message", "app_mention")
#: Message subtypes that are a person's new message: a thread reply also sent
#: to the channel, and a message with a file (its text is taken, the file not).
ACCEPTED_SUBTYPES = (None, "thread_broadcast", "file_share")


def api_url(value: str | None = None) -> str:
    """The Web API base URL (``SLACK_API_URL``), ending with a slash."""
    url = value or os.environ.get("SLACK_API_URL") or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


class ScreenerSlackOutput(OutputChannel):
    """Sends the screener's replies to a Slack DM or thread.

    Args:
        token: The bot token (``xoxb-...``).
        channel: The conversation to post in.
        thread_ts: The thread to post in (None: the conversation itself).
        base_url: The Web API base URL.
    """

    @classmethod
    def name(cls) -> str:
        """The channel name Rasa records: ``slack``."""
        return "slack"

    def __init__(self, token: str, channel: str, thread_ts: str | None = None, base_url: str | None = None) -> None:
        super().__init__()
        self.channel = channel
        self.thread_ts = thread_ts
        self.client = AsyncWebClient(
            token=token,
            base_url=api_url(base_url),
            # Connection failures and rate limits are retried; a 5xx is not, since
            # Slack may have posted the message and a retry would post it twice.
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(max_retry_count=2),
                AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            ],
        )

    async def _post(self, **kwargs: Any) -> None:
        if self.thread_ts:
            kwargs["thread_ts"] = self.thread_ts
        await self.client.chat_postMessage(channel=self.channel, unfurl_links=False, unfurl_media=False, **kwargs)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Post ``text`` as one mrkdwn message, escaped."""
        await self._post(text=escape(text), mrkdwn=True)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Post ``text`` with a Block Kit button per Rasa button (value = payload)."""
        blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": escape(text)}}]
        for start in range(0, len(buttons), MAX_BUTTONS_PER_ROW):
            row = buttons[start : start + MAX_BUTTONS_PER_ROW]
            blocks.append(
                {
                    "type": "actions",
                    "block_id": f"screener_buttons_{start // MAX_BUTTONS_PER_ROW}",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": f"screener_button_{start + i}",
                            "text": {"type": "plain_text", "text": str(b.get("title", ""))[:75], "emoji": True},
                            "value": str(b.get("payload", ""))[:2000],
                        }
                        for i, b in enumerate(row)
                    ],
                }
            )
        await self._post(text=escape(text), blocks=blocks)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """Post an image block."""
        await self._post(text=escape(image), blocks=[{"type": "image", "image_url": image, "alt_text": "image"}])

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """Post a custom message (Block Kit JSON) as given, in this conversation."""
        message = {k: v for k, v in json_message.items() if k not in ("channel", "thread_ts")}
        await self._post(**message)

    async def replace_buttons(self, message_ts: str, text: str, choice: str) -> None:
        """Replace a clicked message's buttons by the choice made, so it is not clicked twice."""
        await self.client.chat_update(
            channel=self.channel,
            ts=message_ts,
            text=escape(text),
            blocks=[
                {"type": "section", "text": {"type": "mrkdwn", "text": escape(text)}},
                {"type": "context", "elements": [{"type": "mrkdwn", "text": "*" + escape(choice) + "*"}]},
            ],
        )


class ScreenerSlackInput(InputChannel):
    """The screener's Slack input channel (see the module documentation).

    Configuration (``credentials.slack.yml``; values from the environment):

    * ``slack_token``: the bot token;
    * ``slack_signing_secret``: the app's signing secret;
    * ``slack_api_url``: Web API base URL (default ``SLACK_API_URL`` or
      Slack's);
    * ``screening_channels``: channel ids where recruiters may start a
      screening thread (comma-separated; empty: any channel the app is in);
    * ``redis_url`` / ``state_db``: the store of handled events (default
      ``REDIS_URL``, else ``SLACK_STATE_DB`` or ``slack_state.sqlite3`` in
      ``SCREENER_VAR_DIR``, default ``var/``).

    Args:
        slack_token: The bot token.
        slack_signing_secret: The signing secret.
        slack_api_url: The Web API base URL.
        screening_channels: Channel ids allowed for screening threads.
        store: Where handled events and threads are kept.
    """

    @classmethod
    def name(cls) -> str:
        """``slack``: interviews from here have channel "slack"."""
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from its ``credentials.slack.yml`` section."""
        if not credentials:
            cls.raise_missing_credentials_exception()
        channels = credentials.get("screening_channels") or os.environ.get("SLACK_SCREENING_CHANNELS") or ""
        if isinstance(channels, str):
            channels = [c.strip() for c in channels.split(",") if c.strip()]
        return cls(
            slack_token=str(credentials.get("slack_token") or ""),
            slack_signing_secret=str(credentials.get("slack_signing_secret") or ""),
            slack_api_url=credentials.get("slack_api_url"),
            screening_channels=list(channels),
            store=state_store(credentials.get("redis_url"), credentials.get("state_db")),
        )

    def __init__(
        self,
        slack_token: str,
        slack_signing_secret: str,
        slack_api_url: str | None = None,
        screening_channels: list[str] | None = None,
        store: StateStore | None = None,
    ) -> None:
        if not slack_token or not slack_signing_secret:
            raise InvalidConfigException(
                "The Slack channel needs slack_token and slack_signing_secret (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)."
            )
        self.slack_token = slack_token
        self.signing_secret = slack_signing_secret
        self.base_url = api_url(slack_api_url)
        self.screening_channels = set(screening_channels or [])
        self.store = store or state_store()
        self._tasks: set[asyncio.Task] = set()

    # -- output --------------------------------------------------------------

    def get_output_channel(self, channel: str | None = None, thread_ts: str | None = None) -> OutputChannel:
        """An output channel posting in ``channel`` (and ``thread_ts``)."""
        return ScreenerSlackOutput(self.slack_token, channel or "", thread_ts, self.base_url)

    # -- helpers -------------------------------------------------------------

    @staticmethod
    def _ack(text: str = "", duplicate: bool = False) -> HTTPResponse:
        headers = {"X-Slack-No-Retry": "1"} if duplicate else None
        return response.text(text, status=HTTPStatus.OK, headers=headers)

    def _spawn(self, coroutine: Awaitable[Any]) -> None:
        """Run slow work after the response; keep a reference until it ends."""

        async def guarded() -> None:
            try:
                await coroutine
            except Exception:
                logger.exception("Slack: handling a message failed")

        task = asyncio.create_task(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _first_time(self, *keys: str) -> bool:
        """Claim every key; False if any was claimed before (a duplicate)."""
        fresh = True
        for key in keys:
            if not await self.store.claim(key, EVENT_TTL):
                fresh = False
        return fresh

    @staticmethod
    def _bot_users(payload: dict[str, Any]) -> tuple[str, ...]:
        users = [a.get("user_id") for a in payload.get("authorizations") or [] if a.get("is_bot")]
        return tuple(u for u in users if u)

    async def _thread(self, team: str, channel: str, thread_ts: str) -> dict[str, Any] | None:
        raw = await self.store.get(f"thread:{team}:{channel}:{thread_ts}")
        return json.loads(raw) if raw else None

    async def _thread_accepts(self, team: str, channel: str, thread_ts: str, record: dict[str, Any], user: str) -> bool:
        """Whether ``user`` is the thread's candidate (binding the first one when none was named)."""
        who = user_key(self.signing_secret, user)
        if record.get("candidate"):
            return record["candidate"] == who
        if who == record.get("recruiter"):
            return False
        if await self.store.claim(f"thread-bound:{team}:{channel}:{thread_ts}", THREAD_TTL):
            record["candidate"] = who
            await self.store.put(f"thread:{team}:{channel}:{thread_ts}", dumps(record), THREAD_TTL)
            return True
        record = await self._thread(team, channel, thread_ts) or {}
        return record.get("candidate") == who

    async def _deliver(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: str,
        sender_id: str,
        channel: str,
        thread_ts: str | None,
    ) -> None:
        output = self.get_output_channel(channel, thread_ts)
        if len(text) > MAX_MESSAGE_CHARS:  # refused before NLU; the sender is told
            await output.send_text_message(sender_id, too_long_reply(len(text)))
            return
        await on_new_message(UserMessage(text, output, sender_id, input_channel=self.name()))

    # -- events --------------------------------------------------------------

    async def _on_event(
        self, request: Request, payload: dict[str, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        event = payload.get("event") or {}
        retry = request.headers.get("x-slack-retry-num")
        if retry:
            logger.info(
                "Slack: retry %s of event %s (%s)",
                retry,
                payload.get("event_id"),
                request.headers.get("x-slack-retry-reason", "unknown"),
            )
        if event.get("type") not in HANDLED_EVENTS:
            return self._ack("ignored")
        bots = self._bot_users(payload)
        user = event.get("user") or ""
        if event.get("subtype") not in ACCEPTED_SUBTYPES or event.get("hidden"):
            return self._ack("ignored")  # edits, deletions, joins, bot_message...
        if event.get("bot_id") or event.get("bot_profile"):
            return self._ack("ignored")  # any bot, ours included
        if not user or user in bots or not (event.get("text") or "").strip():
            return self._ack("ignored")
        team = payload.get("team_id") or event.get("team") or "T"
        channel = event.get("channel") or ""
        keys = [f"event:{payload.get('event_id') or event.get('event_ts') or event.get('ts')}"]
        if event.get("client_msg_id"):
            # The same message can come as `message` and as `app_mention`.
            keys.append(f"msg:{team}:{event['client_msg_id']}")
        else:
            keys.append(f"msg:{team}:{channel}:{event.get('ts')}")

        if event.get("channel_type") == "im":
            if not await self._first_time(*keys):
                return self._ack("duplicate", duplicate=True)
            text = plain_text(event["text"], bots)
            self._spawn(self._deliver(on_new_message, text, f"slack:{team}:{channel}", channel, None))
            return self._ack()

        thread_ts = event.get("thread_ts")
        record = await self._thread(team, channel, thread_ts) if thread_ts else None
        if record is not None:
            if not await self._thread_accepts(team, channel, thread_ts, record, user):
                return self._ack("ignored")
            if not await self._first_time(*keys):
                return self._ack("duplicate", duplicate=True)
            text = plain_text(event["text"], bots)
            if not text:
                return self._ack("ignored")
            sender = f"slack:{team}:{channel}:{thread_ts}"
            self._spawn(self._deliver(on_new_message, text, sender, channel, thread_ts))
            return self._ack()

        if event.get("type") == "app_mention":
            if self.screening_channels and channel not in self.screening_channels:
                return self._ack("ignored")
            if not await self._first_time(*keys):
                return self._ack("duplicate", duplicate=True)
            root = thread_ts or event.get("ts") or ""
            named = [u for u in mentioned_users(event["text"]) if u not in bots and u != user]
            record = {
                "recruiter": user_key(self.signing_secret, user),
                "candidate": user_key(self.signing_secret, named[0]) if named else "",
            }
            await self.store.put(f"thread:{team}:{channel}:{root}", dumps(record), THREAD_TTL)
            if named:
                await self.store.claim(f"thread-bound:{team}:{channel}:{root}", THREAD_TTL)
            logger.info("Slack: screening thread started in %s", channel)
            sender = f"slack:{team}:{channel}:{root}"
            self._spawn(self._deliver(on_new_message, "/greet", sender, channel, root))
            return self._ack()
        return self._ack("ignored")  # channel chatter outside a screening thread

    # -- interactivity -------------------------------------------------------

    async def _on_interaction(
        self, payload: dict[str, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        if payload.get("type") != "block_actions" or not payload.get("actions"):
            return self._ack("ignored")
        action = payload["actions"][0]
        value = action.get("value")
        if action.get("type") != "button" or not value:
            return self._ack("ignored")  # link buttons have no value
        user = (payload.get("user") or {}).get("id") or ""
        team = (payload.get("team") or {}).get("id") or (payload.get("user") or {}).get("team_id") or "T"
        channel = (payload.get("channel") or {}).get("id") or (payload.get("container") or {}).get("channel_id") or ""
        message = payload.get("message") or {}
        message_ts = message.get("ts") or (payload.get("container") or {}).get("message_ts") or ""
        thread_ts = message.get("thread_ts") or (payload.get("container") or {}).get("thread_ts")
        if not user or not channel:
            return self._ack("ignored")
        if thread_ts:
            record = await self._thread(team, channel, thread_ts)
            if record is None or not await self._thread_accepts(team, channel, thread_ts, record, user):
                return self._ack("ignored")
            sender = f"slack:{team}:{channel}:{thread_ts}"
        elif channel.startswith("D"):
            sender = f"slack:{team}:{channel}"
        else:
            return self._ack("ignored")
        # One answer per message: a second click on the same buttons is ignored.
        if not await self._first_time(f"click:{team}:{channel}:{message_ts}"):
            return self._ack("duplicate", duplicate=True)
        title = ((action.get("text") or {}).get("text")) or value
        original = plain_text(message.get("text") or "")

        async def handle() -> None:
            output = self.get_output_channel(channel, thread_ts)
            try:
                await output.replace_buttons(message_ts, original, title)  # type: ignore[attr-defined]
            except Exception:
                logger.warning("Slack: could not update the clicked message", exc_info=True)
            await on_new_message(UserMessage(value, output, sender, input_channel=self.name()))

        self._spawn(handle())
        return self._ack()

    # -- routes --------------------------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes: ``GET /`` (health) and ``POST /webhook`` (events and interactivity)."""
        slack_webhook = Blueprint("screener_slack_webhook", __name__)

        @slack_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @slack_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            body = request.body or b""
            signature = request.headers.get("x-slack-signature")
            if not verify_signature(
                self.signing_secret, request.headers.get("x-slack-request-timestamp"), signature, body
            ):
                return response.text("invalid or expired signature", status=HTTPStatus.UNAUTHORIZED)
            if not await self.store.claim(f"sig:{signature}", 2 * MAX_REQUEST_AGE):
                if request.headers.get("x-slack-retry-num"):
                    return self._ack("duplicate", duplicate=True)
                return response.text("request replayed", status=HTTPStatus.UNAUTHORIZED)
            content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
            try:
                if content_type == "application/x-www-form-urlencoded":
                    form = parse_qs(body.decode("utf-8"))
                    payload = json.loads((form.get("payload") or ["{}"])[0])
                    return await self._on_interaction(payload, on_new_message)
                payload = json.loads(body or b"{}")
            except (ValueError, UnicodeDecodeError):
                return response.text("bad request", status=HTTPStatus.BAD_REQUEST)
            if payload.get("type") == "url_verification":
                return response.json({"challenge": payload.get("challenge", "")})
            if payload.get("type") == "event_callback":
                return await self._on_event(request, payload, on_new_message)
            return self._ack("ignored")

        return slack_webhook
