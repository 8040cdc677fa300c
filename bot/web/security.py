"""Password hashing, signed cookies, recruiter sessions and CSRF tokens.

* Passwords are hashed with Argon2id (``argon2-cffi``), re-hashed on sign-in
  when the parameters change.
* Cookies are signed with the application secret (``itsdangerous``): the
  candidate's conversation cookie carries the conversation id our server
  issued; the recruiter's session cookie carries the account id, a random
  session id, when it was issued and when it was last used. A session expires
  ``session_ttl`` seconds after sign-in or ``idle_ttl`` seconds after its last
  use, and every session of an account ends at sign-out. Between a correct
  password and the second factor (:mod:`bot.web.second_factor`) the cookie
  carries no account but the one awaiting its second step, and since when.
* CSRF tokens are an HMAC of the session id (or the conversation id), checked
  on every state-changing request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from aiohttp import web
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer

CONVERSATION_COOKIE = "screener_conversation"
SESSION_COOKIE = "screener_session"
CONVERSATION_MAX_AGE = 90 * 24 * 3600

_hasher = PasswordHasher()
#: A hash verified when the account does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """Hash ``password`` with Argon2id."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> tuple[bool, str | None]:
    """Check ``password`` against ``password_hash``.

    Args:
        password_hash: The stored hash, or None for an unknown account (a
            dummy hash is checked so the answer takes as long).
        password: What was typed.

    Returns:
        ``(ok, new_hash)``: ``new_hash`` is a fresh hash to store when the
        hashing parameters changed, else None.
    """
    try:
        _hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, None
    if password_hash is None:
        return False, None
    return True, (_hasher.hash(password) if _hasher.check_needs_rehash(password_hash) else None)


def token_digest(token: str) -> str:
    """SHA-256 hex digest of an invitation token (only the digest is stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class RecruiterSession:
    """What a recruiter's session cookie says.

    Attributes:
        sid: Random session id (the CSRF token is bound to it).
        recruiter_id: The signed-in account, None before sign-in.
        issued: When the session was issued (epoch seconds).
        seen: When it was last used (epoch seconds).
        pending_id: The account whose password was right and whose second
            step (a TOTP or recovery code) is awaited; None otherwise.
        pending_since: When that password was accepted (epoch seconds).
    """

    sid: str
    recruiter_id: int | None
    issued: float
    seen: float
    pending_id: int | None = None
    pending_since: float | None = None


class Signer:
    """Signs and checks the application's cookies and CSRF tokens.

    Args:
        secret: The application secret.
        secure: Mark cookies ``Secure``.
    """

    def __init__(self, secret: str, secure: bool = False) -> None:
        self._secret = secret.encode()
        self._conversation = URLSafeTimedSerializer(secret, salt="conversation")
        self._session = URLSafeTimedSerializer(secret, salt="recruiter-session")
        self._secure = secure

    # -- CSRF -------------------------------------------------------------------

    def csrf_token(self, bound_to: str) -> str:
        """The CSRF token for a session or conversation id."""
        return hmac.new(self._secret, b"csrf:" + bound_to.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, bound_to: str | None, token: str | None) -> bool:
        """Whether ``token`` is the CSRF token of ``bound_to``."""
        if not bound_to or not token:
            return False
        return hmac.compare_digest(self.csrf_token(bound_to), token)

    # -- the candidate's conversation ---------------------------------------------

    def conversation_id(self, request: web.Request) -> str | None:
        """The conversation id the request's signed cookie carries, or None."""
        raw = request.cookies.get(CONVERSATION_COOKIE)
        if not raw:
            return None
        try:
            value = self._conversation.loads(raw, max_age=CONVERSATION_MAX_AGE)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None

    def set_conversation(self, response: web.StreamResponse, conversation_id: str) -> None:
        """Bind ``conversation_id`` to the browser."""
        response.set_cookie(
            CONVERSATION_COOKIE,
            self._conversation.dumps(conversation_id),
            max_age=CONVERSATION_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=self._secure,
            path="/",
        )

    # -- the recruiter's session -----------------------------------------------------

    def session(self, request: web.Request, ttl: int, idle_ttl: int) -> RecruiterSession | None:
        """The request's recruiter session if its cookie is valid and not expired."""
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw:
            return None
        try:
            data = self._session.loads(raw, max_age=ttl)
            session = RecruiterSession(
                sid=str(data["sid"]),
                recruiter_id=int(data["uid"]) if data.get("uid") is not None else None,
                issued=float(data["iat"]),
                seen=float(data["seen"]),
                pending_id=int(data["pid"]) if data.get("pid") is not None else None,
                pending_since=float(data["pat"]) if data.get("pat") is not None else None,
            )
        except (BadSignature, KeyError, TypeError, ValueError):
            return None
        now = time.time()
        if now - session.issued > ttl or now - session.seen > idle_ttl:
            return None
        return session

    def new_session(self, recruiter_id: int | None, pending_id: int | None = None) -> RecruiterSession:
        """A fresh session with a new random id.

        Args:
            recruiter_id: The signed-in account, or None.
            pending_id: An account awaiting its second step (from now), or None.
        """
        now = time.time()
        return RecruiterSession(
            secrets.token_urlsafe(24), recruiter_id, now, now, pending_id, now if pending_id is not None else None
        )

    def set_session(self, response: web.StreamResponse, session: RecruiterSession, ttl: int) -> None:
        """Write ``session`` (marked as used now) to the response's cookie."""
        session.seen = time.time()
        payload: dict[str, object] = {
            "sid": session.sid,
            "uid": session.recruiter_id,
            "iat": session.issued,
            "seen": session.seen,
        }
        if session.pending_id is not None:
            payload |= {"pid": session.pending_id, "pat": session.pending_since}
        response.set_cookie(
            SESSION_COOKIE,
            self._session.dumps(payload),
            max_age=ttl,
            httponly=True,
            samesite="Strict",
            secure=self._secure,
            path="/",
        )

    def clear_session(self, response: web.StreamResponse) -> None:
        """Remove the session cookie."""
        response.del_cookie(SESSION_COOKIE, path="/")


class RateLimiter:
    """Allows ``limit`` events per key in any ``window`` seconds (in memory).

    Args:
        limit: Events allowed per window.
        window: Window length in seconds.
    """

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[str, list[float]] = {}

    def hit(self, key: str, now: float | None = None) -> float:
        """Count one event for ``key``.

        Returns:
            0 when allowed, else the seconds to wait before the next is.
        """
        now = time.monotonic() if now is None else now
        recent = [t for t in self._events.get(key, []) if now - t < self.window]
        if len(recent) >= self.limit:
            self._events[key] = recent
            return max(self.window - (now - recent[0]), 0.1)
        recent.append(now)
        self._events[key] = recent
        if len(self._events) > 50_000:  # forget idle keys
            self._events = {k: v for k, v in self._events.items() if v and now - v[-1] < self.window}
        return 0.0
