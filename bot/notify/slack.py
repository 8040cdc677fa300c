"""Post a summary of each completed interview to the recruiters' Slack channel.

Configuration (environment):

| variable                   | meaning                                                  |
|----------------------------|----------------------------------------------------------|
| ``SLACK_NOTIFY_WEBHOOK_URL`` | an incoming webhook URL (the simplest set-up), or      |
| ``SLACK_NOTIFY_TOKEN``     | a bot token (default ``SLACK_BOT_TOKEN``) and            |
| ``SLACK_NOTIFY_CHANNEL``   | the channel id to post in (``chat.postMessage``)         |
| ``SLACK_API_URL``          | Web API base URL (default ``https://slack.com/api/``)    |
| ``SCREENER_BASE_URL``      | base URL of the recruiter app, for the interview link    |
| ``SLACK_NOTIFY_ATTEMPTS``  | attempts before giving up (default 5)                    |
| ``SLACK_NOTIFY_BACKOFF``   | first wait between attempts in seconds, doubled each time (default 2) |

Without ``SCREENER_BASE_URL`` links start with the web app's own base URL,
``PUBLIC_BASE_URL`` else ``http://127.0.0.1:<WEB_PORT>``
(:func:`bot.web.settings.public_base_url`).

With neither a webhook nor a token and channel, nothing is posted. Posting
runs in a background task of the action server: a failure is retried with
exponential backoff and logged, and never reaches the candidate.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from typing import Any

import aiohttp
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Competency, Interview, Role
from bot.results import InterviewResults, interview_results
from bot.web.settings import DEFAULT_PUBLIC_BASE_URL, public_base_url

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
#: The recruiter app's page of an interview (see :mod:`bot.web.recruiter`).
INTERVIEW_PATH = "/recruiter/interviews/{id}"
#: Slack API errors worth another attempt; any other ``ok: false`` is final.
RETRYABLE_ERRORS = {"ratelimited", "service_unavailable", "internal_error", "fatal_error", "request_timeout"}

_tasks: set[asyncio.Task] = set()
_sessions: sessionmaker[Session] | None = None


@dataclass(frozen=True)
class NotifySettings:
    """Where and how to post notifications.

    Attributes:
        webhook_url: Incoming webhook URL (wins over token and channel).
        token: Bot token for ``chat.postMessage``.
        channel: Channel id for ``chat.postMessage``.
        api_url: Web API base URL, ending with a slash.
        base_url: Recruiter app base URL (links are ``<base>/recruiter/interviews/<id>``);
            by default the web app's own (:data:`bot.web.settings.DEFAULT_PUBLIC_BASE_URL`).
        attempts: Attempts before giving up.
        backoff: Seconds before the second attempt; doubled after each.
    """

    webhook_url: str | None = None
    token: str | None = None
    channel: str | None = None
    api_url: str = DEFAULT_API_URL
    base_url: str = DEFAULT_PUBLIC_BASE_URL
    attempts: int = 5
    backoff: float = 2.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> NotifySettings:
        """Read the settings from the environment (see the module documentation)."""
        env = dict(os.environ if env is None else env)
        api = env.get("SLACK_API_URL") or DEFAULT_API_URL
        return cls(
            webhook_url=env.get("SLACK_NOTIFY_WEBHOOK_URL") or None,
            token=env.get("SLACK_NOTIFY_TOKEN") or env.get("SLACK_BOT_TOKEN") or None,
            channel=env.get("SLACK_NOTIFY_CHANNEL") or None,
            api_url=api if api.endswith("/") else api + "/",
            base_url=(env.get("SCREENER_BASE_URL") or public_base_url(env)).rstrip("/"),
            attempts=max(1, int(env.get("SLACK_NOTIFY_ATTEMPTS") or 5)),
            backoff=float(env.get("SLACK_NOTIFY_BACKOFF") or 2.0),
        )

    @property
    def enabled(self) -> bool:
        """Whether a destination is configured."""
        return bool(self.webhook_url or (self.token and self.channel))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def summary_message(session: Session, interview_id: int, base_url: str) -> dict[str, Any] | None:
    """The Slack message (``text`` and ``blocks``) summarising an interview.

    Candidate (display name, else conversation id, and channel), role, fit,
    the competency ratings and a link to the interview page.

    Returns:
        None when there is no such interview.
    """
    interview = session.get(Interview, interview_id)
    if interview is None:
        return None
    prof = interview_results(session, interview_id, with_overrides=False) or InterviewResults(interview_id)
    role = session.get(Role, interview.role_id) if interview.role_id else None
    names = {c.id: c.name for c in session.query(Competency).all()}
    candidate = interview.candidate.display_name or interview.candidate.conversation_id
    fit = f"{prof.fit:.1f} / 5" if prof.fit is not None else "not rated"
    link = f"{base_url.rstrip('/')}{INTERVIEW_PATH.format(id=interview.id)}"
    ratings = sorted(prof.ratings.items(), key=lambda item: (-item[1], names.get(item[0], item[0])))
    lines = "\n".join(f"• {_escape(names.get(cid, cid))}: {value:.1f}" for cid, value in ratings) or "• none"
    role_name = role.name if role else (interview.role_id or "no role")
    text = f"Screening completed: {candidate} for {role_name}, fit {fit}. {link}"
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Screening completed"}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*Candidate*\n{_escape(candidate)} ({_escape(interview.channel)})"},
                {"type": "mrkdwn", "text": f"*Role*\n{_escape(role_name)}"},
                {"type": "mrkdwn", "text": f"*Fit*\n{fit}"},
                {"type": "mrkdwn", "text": f"*Interview*\n<{link}|#{interview.id}>"},
            ],
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*Competency ratings* (1–5)\n{lines}"}},
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "Ratings support a decision made by a person; read the answers."}],
        },
    ]
    return {"text": _escape(text), "blocks": blocks}


async def _attempt(http: aiohttp.ClientSession, settings: NotifySettings, message: dict[str, Any]) -> tuple[bool, bool]:
    """One post. Returns ``(done, retry)``."""
    if settings.webhook_url:
        url, headers, body = settings.webhook_url, {}, message
    else:
        url = settings.api_url + "chat.postMessage"
        headers = {"Authorization": f"Bearer {settings.token}"}
        body = {"channel": settings.channel, "unfurl_links": False, **message}
    async with http.post(url, json=body, headers=headers, timeout=aiohttp.ClientTimeout(total=15)) as resp:
        raw = await resp.text()
        if resp.status == 429 or resp.status >= 500:
            log.warning("Slack notification: HTTP %s", resp.status)
            return False, True
        if resp.status >= 400:
            log.error("Slack notification refused: HTTP %s %s", resp.status, raw[:200])
            return False, False
        if settings.webhook_url:
            return True, False  # incoming webhooks answer "ok"
        try:
            data = await resp.json(content_type=None)
        except ValueError:
            log.warning("Slack notification: unreadable answer")
            return False, True
        if data.get("ok"):
            return True, False
        error = data.get("error", "unknown")
        log.log(logging.WARNING if error in RETRYABLE_ERRORS else logging.ERROR, "Slack notification: %s", error)
        return False, error in RETRYABLE_ERRORS


async def post_summary(message: dict[str, Any], settings: NotifySettings) -> bool:
    """Post ``message``, retrying with exponential backoff.

    Returns:
        True once Slack accepted it; False when every attempt failed or the
        error is not worth retrying (it is logged).
    """
    wait = settings.backoff
    async with aiohttp.ClientSession() as http:
        for attempt in range(1, settings.attempts + 1):
            try:
                done, retry = await _attempt(http, settings, message)
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                log.warning("Slack notification: attempt %s failed: %s", attempt, exc)
                done, retry = False, True
            if done:
                return True
            if not retry or attempt == settings.attempts:
                break
            await asyncio.sleep(wait)
            wait *= 2
    log.error("Slack notification not posted after %s attempt(s)", attempt)
    return False


def _default_sessions() -> sessionmaker[Session]:
    global _sessions
    if _sessions is None:
        from bot.db import create_engine_for, make_session_factory

        _sessions = make_session_factory(create_engine_for())
    return _sessions


async def _notify(interview_id: int, settings: NotifySettings, sessions: sessionmaker[Session] | None) -> bool:
    factory = sessions or _default_sessions()

    def build() -> dict[str, Any] | None:
        with factory() as session:
            return summary_message(session, interview_id, settings.base_url)

    try:
        message = await asyncio.to_thread(build)
    except Exception:
        log.exception("Slack notification: could not summarise interview %s", interview_id)
        return False
    if message is None:
        log.error("Slack notification: no interview %s", interview_id)
        return False
    ok = await post_summary(message, settings)
    if ok:
        log.info("Slack notification posted for interview %s", interview_id)
    return ok


def notify_completed(
    interview_id: int | None,
    settings: NotifySettings | None = None,
    sessions: sessionmaker[Session] | None = None,
) -> asyncio.Task | None:
    """Post the interview's summary in the background (fire and forget).

    Never raises: without configuration, an interview id or a running event
    loop it does nothing; errors are logged by the task.

    Args:
        interview_id: The completed interview.
        settings: Where to post (default: from the environment).
        sessions: Sessions on the screener database (default: ``DATABASE_URL``).

    Returns:
        The task, or None when nothing is posted.
    """
    try:
        settings = settings or NotifySettings.from_env()
        if interview_id is None or not settings.enabled:
            return None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            log.warning("Slack notification for interview %s not posted: no event loop", interview_id)
            return None
        task = loop.create_task(_notify(interview_id, settings, sessions))
    except Exception:
        log.exception("Slack notification not scheduled for interview %s", interview_id)
        return None
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return task
