"""Settings of the web application, read from the environment.

| variable          | default                                          |
|-------------------|--------------------------------------------------|
| ``WEB_PORT``      | 8080                                             |
| ``WEB_HOST``      | 127.0.0.1                                        |
| ``RASA_PORT``     | 5005 (the REST channel the chat is passed to)    |
| ``SCREENER_SECRET`` | generated once and kept in ``var/web_secret``  |
| ``CHANNEL_TOKEN`` | generated once and kept in ``var/channel_token`` |
| ``WEB_SECURE_COOKIES`` | 0 (set 1 behind HTTPS)                      |
| ``PUBLIC_BASE_URL`` | ``http://127.0.0.1:<WEB_PORT>`` (invitation links start with it) |
| ``WEB_HEADER_TIMEOUT`` | 10 (seconds a connection may take to send a request head, and stay idle) |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.channels.limits import MAX_MESSAGE_CHARS
from bot.shared_secrets import CHANNEL_TOKEN, WEB_SECRET, shared_secret

#: Port the web app listens on without ``WEB_PORT``.
DEFAULT_WEB_PORT = 8080
#: Where people reach the web app without ``PUBLIC_BASE_URL`` nor ``WEB_PORT``.
DEFAULT_PUBLIC_BASE_URL = f"http://127.0.0.1:{DEFAULT_WEB_PORT}"


def web_port(env: Mapping[str, str] | None = None) -> int:
    """The port the web app listens on: ``WEB_PORT``, else :data:`DEFAULT_WEB_PORT`.

    Args:
        env: The environment (default ``os.environ``).

    Raises:
        ValueError: ``WEB_PORT`` is not an integer.
    """
    env = os.environ if env is None else env
    return int(env.get("WEB_PORT", DEFAULT_WEB_PORT))


def public_base_url(env: Mapping[str, str] | None = None, port: int | None = None) -> str:
    """Where people reach the web app: ``PUBLIC_BASE_URL``, else ``http://127.0.0.1:<port>``.

    Args:
        env: The environment (default ``os.environ``).
        port: The web app's port (default :func:`web_port` of ``env``).

    Returns:
        The URL as configured (:func:`check_base_url` validates it).
    """
    env = os.environ if env is None else env
    return env.get("PUBLIC_BASE_URL") or f"http://127.0.0.1:{web_port(env) if port is None else port}"


def check_base_url(value: str) -> str:
    """Validate a public base URL and return it without a trailing slash.

    Args:
        value: Such as ``https://jobs.example.org`` or ``http://127.0.0.1:8080/``.

    Returns:
        ``scheme://host[:port]``, lower-case scheme and host.

    Raises:
        ValueError: Not ``http``/``https``, no host, or a path (other than
            ``/``), query, fragment, user name or password is given.
    """
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"PUBLIC_BASE_URL is not a valid URL: {value!r}") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"PUBLIC_BASE_URL must be http:// or https:// with a host name: {value!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        raise ValueError(
            f"PUBLIC_BASE_URL must be only scheme://host[:port], without path, query, fragment or user: {value!r}"
        )
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"{parts.scheme.lower()}://{host}" + (f":{port}" if port is not None else "")


@dataclass
class WebSettings:
    """How the web application runs.

    Attributes:
        secret: Key that signs cookies and CSRF tokens.
        rasa_url: The Rasa REST channel webhook our server passes messages to.
        database_url: The screener database (None: :func:`bot.config.database_url`).
        host: Interface to listen on.
        port: Port to listen on.
        session_ttl: Seconds a recruiter's sign-in lasts.
        idle_ttl: Seconds of inactivity after which a recruiter must sign in again.
        second_step_ttl: Seconds after a correct password within which the
            second step (a TOTP or recovery code) must be passed.
        max_message_chars: Longest chat message accepted (the channels' own
            limit, :data:`bot.channels.limits.MAX_MESSAGE_CHARS`).
        max_body_bytes: Largest request body accepted.
        rate_messages: Chat messages allowed per conversation per ``rate_window``.
        rate_window: Seconds of the rate limit's window.
        rate_messages_per_ip: Chat messages allowed from one address (all its
            conversations) per ``rate_window``.
        rasa_timeout: Seconds to wait for Rasa's reply; then the candidate is
            told their message was not confirmed, and it stays in their text box.
        secure_cookies: Mark cookies ``Secure`` (serve over HTTPS).
        invitation_days: How long an invitation link works.
        page_size: Interviews per page of the list.
        public_base_url: Where people reach the app (``scheme://host[:port]``);
            every absolute link the app makes, such as an invitation link,
            starts with it. Validated by :func:`check_base_url`.
        health_urls: URLs that must answer 200 for ``/healthz`` to say an
            answer can be taken (from the environment: Rasa's root and, with
            ``ACTION_PORT`` set, the action server's ``/health``).
        channel_token: Sent as ``Authorization: Bearer`` to Rasa's REST
            channel, which refuses messages without it
            (:class:`bot.channels.rest.TokenRestInput`).
        header_timeout: Seconds a connection may go without a complete
            request head: from when it opens, and from the end of each
            response (keep-alive). A connection that sends its head slowly
            (slowloris) or nothing at all is closed then. Must be > 0.
    """

    secret: str
    rasa_url: str
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = DEFAULT_WEB_PORT
    session_ttl: int = 8 * 3600
    idle_ttl: int = 3600
    second_step_ttl: int = 300
    max_message_chars: int = MAX_MESSAGE_CHARS
    max_body_bytes: int = 64 * 1024
    rate_messages: int = 12
    rate_window: float = 30.0
    rate_messages_per_ip: int = 120
    rasa_timeout: float = 30.0
    secure_cookies: bool = False
    invitation_days: int = 14
    page_size: int = 50
    public_base_url: str = DEFAULT_PUBLIC_BASE_URL
    channel_token: str = ""
    health_urls: tuple[str, ...] = ()
    header_timeout: float = 10.0

    def __post_init__(self) -> None:
        self.public_base_url = check_base_url(self.public_base_url)
        if not self.header_timeout > 0:
            raise ValueError(f"WEB_HEADER_TIMEOUT must be a positive number of seconds: {self.header_timeout!r}")

    @classmethod
    def from_env(cls, **overrides: object) -> WebSettings:
        """Settings from the environment; ``overrides`` win."""
        rasa_port = int(os.environ.get("RASA_PORT", "5005"))
        values: dict[str, object] = {
            "secret": None,
            "rasa_url": f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            "database_url": os.environ.get("DATABASE_URL") or None,
            "host": os.environ.get("WEB_HOST", "127.0.0.1"),
            "port": web_port(),
            "secure_cookies": os.environ.get("WEB_SECURE_COOKIES") == "1",
            "header_timeout": float(os.environ.get("WEB_HEADER_TIMEOUT", "10")),
        }
        values.update(overrides)
        if "public_base_url" not in values:
            values["public_base_url"] = public_base_url(port=int(values["port"]))  # type: ignore[call-overload]
        if not values["secret"]:
            values["secret"] = shared_secret(WEB_SECRET)
        if "health_urls" not in values:
            rasa_root = str(values["rasa_url"]).split("/webhooks/", 1)[0] + "/"
            action_port = os.environ.get("ACTION_PORT")
            values["health_urls"] = (rasa_root,) + ((f"http://127.0.0.1:{action_port}/health",) if action_port else ())
        if not values.get("channel_token"):
            values["channel_token"] = shared_secret(CHANNEL_TOKEN)
        return cls(**values)  # type: ignore[arg-type]
