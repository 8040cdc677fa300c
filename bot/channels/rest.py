"""The REST channel of the screener: Rasa's ``RestInput``, answering only those who hold its token.

Rasa's own REST channel takes any ``sender`` from anyone who can reach the
port, so anyone on the host could answer in a candidate's name. This channel
speaks the same wire format at the same URL (``POST /webhooks/rest/webhook``
with ``{"sender": str, "message": str}``, answered with the list of bot
messages) but refuses, with 401 and before Rasa sees the message, every
request that does not carry ``Authorization: Bearer <token>``, and with 413
every message longer than :data:`bot.channels.limits.MAX_MESSAGE_CHARS`. Only our web
app and the terminal client ``bot chat`` hold the token (``CHANNEL_TOKEN``,
see :mod:`bot.shared_secrets`).

It also stops callers from choosing what Rasa records about them: the input
channel is always ``rest`` and request metadata is dropped.

Registered in ``credentials.yml`` (and ``credentials.slack.yml``)::

    bot.channels.rest.TokenRestInput:
      token: ${CHANNEL_TOKEN}

It runs in the Rasa environment and imports only Rasa, Sanic and the
standard library.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.limits import MAX_MESSAGE_CHARS, too_long_reply

#: Longest sender id accepted (the tracker store's column is 255 wide).
MAX_SENDER_CHARS = 255


class TokenRestInput(RestInput):
    """Rasa's REST channel behind a bearer token.

    Args:
        token: The secret every request must carry as
            ``Authorization: Bearer <token>``.

    Raises:
        ValueError: ``token`` is empty (the channel would be open).
    """

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("the REST channel needs a token: set CHANNEL_TOKEN")
        self._expected = f"Bearer {token}".encode()

    @classmethod
    def name(cls) -> str:
        """``rest``: the same URL and input channel name as Rasa's channel."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TokenRestInput:
        """Build the channel from its ``credentials.yml`` entry ``{"token": str}``.

        Raises:
            ValueError: No token given.
        """
        return cls(str((credentials or {}).get("token") or ""))

    def authorised(self, request: Request) -> bool:
        """Whether ``request`` carries the channel's bearer token (compared in constant time)."""
        given = request.headers.get("Authorization", "").encode("utf-8", "replace")
        return hmac.compare_digest(given, self._expected)

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """None: callers do not get to add metadata to the tracker."""
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's REST routes, with the token and the body checked before each POST."""
        blueprint = super().blueprint(on_new_message)

        async def check(request: Request) -> HTTPResponse | None:
            if request.method != "POST":
                return None
            if not self.authorised(request):
                return response.json(
                    {"error": "unauthorized", "message": "This channel needs its bearer token."}, status=401
                )
            try:
                body = request.json
            except Exception:  # Sanic raises its own error types for a bad body
                body = None
            sender = body.get("sender") if isinstance(body, dict) else None
            if not (
                isinstance(sender, str) and 0 < len(sender) <= MAX_SENDER_CHARS and isinstance(body.get("message"), str)
            ):
                return response.json(
                    {"error": "malformed", "message": 'Expected {"sender": "...", "message": "..."}.'}, status=400
                )
            if len(body["message"]) > MAX_MESSAGE_CHARS:
                return response.json({"error": "too_long", "message": too_long_reply(len(body["message"]))}, status=413)
            return None

        blueprint.middleware(check, "request")
        return blueprint
