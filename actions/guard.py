"""What guards the action server: a shared token on every call, and errors that give nothing away.

rasa-sdk answers anyone who can reach its port: a forged ``/webhook`` call
could store an answer in a candidate's name or withdraw their interview.
:func:`attach` (run by rasa-sdk's plugin hook, see :mod:`rasa_sdk_plugins`)
adds to the action server's Sanic app:

* a request middleware: every path but ``/health`` (``/webhook``,
  ``/actions``, and the spellings Sanic also routes there, such as
  ``/webhook/``) needs ``Authorization: Bearer <ACTION_SERVER_TOKEN>``, which
  Rasa sends (``endpoints.yml``); anything else gets 401 and runs nothing.
  Without a token configured every call is refused: the server fails closed.
* an exception handler in place of rasa-sdk's, which echoes the whole request
  (the tracker, with earlier answers) in its 500 body, which Rasa then
  writes to its log. Ours answers ``{"error": "internal"}`` and logs the
  exception's type and where it was raised, never its message (a database
  error's message holds the statement's parameters, the answer text).
"""

from __future__ import annotations

import hmac
import logging
import os
import traceback

from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

log = logging.getLogger(__name__)

#: The one path open without the token.
OPEN_PATH = "/health"


def expected_header() -> bytes | None:
    """``b"Bearer <ACTION_SERVER_TOKEN>"``, or None when no token is set."""
    token = os.environ.get("ACTION_SERVER_TOKEN", "")
    return f"Bearer {token}".encode() if token else None


async def require_token(request: Request) -> HTTPResponse | None:
    """Sanic request middleware: 401 for any path but ``/health`` without the right bearer token."""
    if request.path == OPEN_PATH:
        return None
    expected = expected_header()
    given = request.headers.get("Authorization", "").encode("utf-8", "replace")
    if expected is not None and hmac.compare_digest(given, expected):
        return None
    if expected is None:
        log.error("ACTION_SERVER_TOKEN is not set: refusing every action call")
    return response.json({"error": "unauthorized"}, status=401)


async def safe_error(request: Request, exception: Exception) -> HTTPResponse:
    """Sanic exception handler: a 500 without the request, logged without the exception's message."""
    frames = traceback.extract_tb(exception.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    log.error("%s in %s %s (at %s)", type(exception).__name__, request.method, request.path, where)
    return response.json({"error": "internal"}, status=500)


def attach(app: Sanic) -> None:
    """Add the token check and the safe exception handler to the action server's ``app``."""
    app.register_middleware(require_token, "request")
    # rasa-sdk's own handler is registered for every route; one per route name
    # is looked up before it (sanic.handlers.ErrorHandler.lookup).
    names = sorted({route.name for route in app.router.routes if route.name})
    app.error_handler.add(Exception, safe_error, route_names=names)
