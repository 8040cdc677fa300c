"""The recruiters' second factor: TOTP codes (RFC 6238) and one-time recovery codes.

* A secret is 160 random bits in base32 (``pyotp.random_base32``), kept in
  :attr:`~bot.db.models.Recruiter.totp_pending_secret` while the enrolment
  page shows it, and moved to ``totp_secret`` when a code made from it
  confirms it. Codes have 6 digits and change every 30 seconds; the current
  step and one on either side are accepted (``valid_window=1``, for clock
  drift).
* Replay: the time step of the last accepted code is stored per account
  (``totp_last_step``); a code is accepted only for a later step, claimed by
  one conditional ``UPDATE`` so that two requests racing with the same code
  cannot both pass.
* Recovery codes: ten per enrolment, 10 characters from a 31-letter alphabet
  without look-alikes (about 49 bits each), shown once as ``abcde-fghjk``;
  only their Argon2id hashes (:func:`bot.web.security.hash_password`) are
  stored. Each works once.

Nothing here logs, and no secret or code is ever put in an audit entry: the
callers (:mod:`bot.web.recruiter`) write the audit log.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

import pyotp
import segno
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.models import RecoveryCode, Recruiter
from bot.web.security import hash_password, verify_password

#: The name authenticator apps show above the account's email.
ISSUER = "Screening review"
#: Steps accepted on either side of the current one.
VALID_WINDOW = 1
CODE_DIGITS = 6
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"

_DIGITS = re.compile(rf"\d{{{CODE_DIGITS}}}")
_SPACES = re.compile(r"[\s-]+")


class Outcome(StrEnum):
    """What became of a code typed at the second step."""

    TOTP = "totp"  # a current authenticator code: accepted
    RECOVERY_CODE = "recovery_code"  # an unused recovery code: accepted, now used
    WRONG = "wrong"  # neither
    REUSED = "reused"  # a right TOTP code whose time step was already used

    @property
    def accepted(self) -> bool:
        """Whether the code lets the person in."""
        return self in (Outcome.TOTP, Outcome.RECOVERY_CODE)


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows.

    Attributes:
        secret: The base32 secret, for typing into an app (32 characters).
        uri: The ``otpauth://totp/...`` provisioning URI.
        qr: The URI as a QR code: a ``data:image/svg+xml`` URI for an ``<img>``.
    """

    secret: str
    uri: str
    qr: str

    @property
    def grouped_secret(self) -> str:
        """The secret in groups of four characters, easier to type."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


# -- codes -------------------------------------------------------------------------


def provisioning_uri(secret: str, email: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (issuer :data:`ISSUER`)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """``uri`` as a QR code (SVG, black on white, 4 px modules) in a ``data:`` URI."""
    return segno.make(uri, error="m").svg_data_uri(scale=4, border=4, dark="#000", light="#fff")


def matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step whose TOTP code ``code`` is, within :data:`VALID_WINDOW` of ``now``.

    Args:
        secret: The base32 secret.
        code: What was typed (spaces are ignored; it must then be 6 digits).
        now: The time, epoch seconds.

    Returns:
        The step (``int(now) // 30`` give or take one), or None when the code
        does not match.
    """
    code = _SPACES.sub("", code)
    if not _DIGITS.fullmatch(code):
        return None
    try:
        return pyotp.TOTP(secret).verify_and_get_timecode(code, for_time=now, valid_window=VALID_WINDOW)
    except pyotp.OTPVerificationError:
        return None


def new_recovery_codes() -> list[str]:
    """:data:`RECOVERY_CODE_COUNT` fresh recovery codes, each like ``abcde-fghjk``."""
    half = RECOVERY_CODE_LENGTH // 2
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        codes.append(f"{raw[:half]}-{raw[half:]}")
    return codes


def normalised_recovery_code(text: str) -> str | None:
    """A typed recovery code without spaces or dashes, lower-case; None if it cannot be one."""
    code = _SPACES.sub("", text).lower()
    if len(code) != RECOVERY_CODE_LENGTH or any(c not in RECOVERY_ALPHABET for c in code):
        return None
    return code


# -- accounts ------------------------------------------------------------------------


def enrolment(recruiter: Recruiter) -> Enrolment:
    """The secret awaiting confirmation for ``recruiter``, made on first call.

    The same secret is shown again until a code confirms it, so reloading the
    page does not invalidate what an app has already scanned.
    """
    if recruiter.totp_pending_secret is None:
        recruiter.totp_pending_secret = pyotp.random_base32()
    secret = recruiter.totp_pending_secret
    uri = provisioning_uri(secret, recruiter.email)
    return Enrolment(secret=secret, uri=uri, qr=qr_data_uri(uri))


def confirm_enrolment(session: Session, recruiter: Recruiter, code: str, now: float) -> list[str] | None:
    """Turn the second factor on if ``code`` is a current code of the pending secret.

    Args:
        session: An open session (in a transaction).
        recruiter: The account, loaded in ``session``.
        code: What was typed.
        now: The time, epoch seconds.

    Returns:
        The ten new recovery codes in clear (to show once; only their hashes
        are stored), or None if there is no pending secret or the code is
        wrong. The code's time step counts as used.
    """
    secret = recruiter.totp_pending_secret
    if secret is None:
        return None
    step = matching_step(secret, code, now)
    if step is None:
        return None
    recruiter.totp_secret = secret
    recruiter.totp_pending_secret = None
    recruiter.totp_enabled_at = utcnow()
    recruiter.totp_last_step = step
    return replace_recovery_codes(session, recruiter.id)


def replace_recovery_codes(session: Session, recruiter_id: int) -> list[str]:
    """Delete the account's recovery codes and store the hashes of ten new ones.

    Returns:
        The new codes in clear.
    """
    session.execute(delete(RecoveryCode).where(RecoveryCode.recruiter_id == recruiter_id))
    codes = new_recovery_codes()
    now = utcnow()
    session.add_all(
        RecoveryCode(recruiter_id=recruiter_id, code_hash=hash_password(code.replace("-", "")), created_at=now)
        for code in codes
    )
    session.flush()
    return codes


def _claim_step(session: Session, recruiter_id: int, step: int) -> bool:
    """Record ``step`` as the last one used, unless it (or a later one) already was."""
    result = session.execute(
        update(Recruiter)
        .where(
            Recruiter.id == recruiter_id,
            or_(Recruiter.totp_last_step.is_(None), Recruiter.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def check_totp(session: Session, recruiter: Recruiter, code: str, now: float) -> Outcome:
    """Check an authenticator code for an account with the second factor on, and use it up.

    Args:
        session: An open session (in a transaction).
        recruiter: The account, loaded in ``session``.
        code: What was typed.
        now: The time, epoch seconds.

    Returns:
        :attr:`Outcome.TOTP` (its step is now the last used), :attr:`Outcome.REUSED`
        or :attr:`Outcome.WRONG` (also when the second factor is off).
    """
    if recruiter.totp_secret is None or recruiter.totp_enabled_at is None:
        return Outcome.WRONG
    step = matching_step(recruiter.totp_secret, code, now)
    if step is None:
        return Outcome.WRONG
    return Outcome.TOTP if _claim_step(session, recruiter.id, step) else Outcome.REUSED


def use_recovery_code(session: Session, recruiter: Recruiter, text: str) -> bool:
    """Accept an unused recovery code of the account and mark it used.

    Each unused code's hash is checked (Argon2id, so up to ten hash checks);
    marking it used is one conditional ``UPDATE``, so a code cannot be used
    twice even by two requests at once.

    Returns:
        Whether the code was one of the account's unused codes.
    """
    code = normalised_recovery_code(text)
    if code is None or recruiter.totp_enabled_at is None:
        return False
    unused = session.scalars(
        select(RecoveryCode)
        .where(RecoveryCode.recruiter_id == recruiter.id, RecoveryCode.used_at.is_(None))
        .order_by(RecoveryCode.id)
    ).all()
    for row in unused:
        if verify_password(row.code_hash, code)[0]:
            result = session.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
                .values(used_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            return result.rowcount == 1
    return False


def check_second_step(session: Session, recruiter: Recruiter, text: str, now: float) -> Outcome:
    """Check what was typed at the sign-in's second step: a TOTP code or a recovery code.

    Six digits are taken as an authenticator code, anything else as a
    recovery code.

    Args:
        session: An open session (in a transaction).
        recruiter: The account, loaded in ``session``.
        text: What was typed.
        now: The time, epoch seconds.

    Returns:
        The :class:`Outcome`; an accepted code is used up.
    """
    if _DIGITS.fullmatch(_SPACES.sub("", text)):
        return check_totp(session, recruiter, text, now)
    return Outcome.RECOVERY_CODE if use_recovery_code(session, recruiter, text) else Outcome.WRONG


def remaining_recovery_codes(session: Session, recruiter_id: int) -> int:
    """How many of the account's recovery codes are unused."""
    return (
        session.scalar(
            select(func.count(RecoveryCode.id)).where(
                RecoveryCode.recruiter_id == recruiter_id, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )


def turn_off(session: Session, recruiter: Recruiter) -> None:
    """Remove the account's second factor: secret, pending secret, last step, recovery codes.

    Used both when the account's owner turns it off (after a current code)
    and when an admin resets it.
    """
    recruiter.totp_secret = None
    recruiter.totp_pending_secret = None
    recruiter.totp_enabled_at = None
    recruiter.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.recruiter_id == recruiter.id))
    session.flush()
