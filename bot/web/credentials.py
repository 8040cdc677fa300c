"""What a recruiter's email address and password must be.

* The email address must be a valid address (``email-validator``, syntax
  only: nothing is looked up); it is stored normalised.
* A password has 12 to 256 characters and must not be guessable: the
  ``zxcvbn`` estimator (Wheeler, "zxcvbn: Low-Budget Password Strength
  Estimation", USENIX Security 2016), with its lists of common passwords,
  names and words, must rate it at least 3 of 4 ("safely unguessable:
  moderate protection from offline slow-hash scenario"), counting the
  account's own email and name as guessable. 256 is far below what sign-in
  reads (1024), so any password that can be set can be used.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from zxcvbn import zxcvbn

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 256
#: Lowest zxcvbn score (0-4) accepted.
MIN_PASSWORD_SCORE = 3


def normalised_email(email: str) -> str:
    """The address in normal form.

    Raises:
        ValueError: Not a valid email address (the message says why).
    """
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"Enter a valid email address ({exc}).") from None


def check_password(password: str, *personal: str) -> None:
    """Refuse a password that is too short, too long or guessable.

    Args:
        password: The proposed password.
        *personal: Words of the account (email, name) a guesser would try.

    Raises:
        ValueError: Why the password is refused, with zxcvbn's advice.
    """
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"The password needs at least {MIN_PASSWORD_CHARS} characters.")
    if len(password) > MAX_PASSWORD_CHARS:
        raise ValueError(f"The password can have at most {MAX_PASSWORD_CHARS} characters.")
    inputs = []
    for value in personal:  # the whole value, its local part, and its words
        inputs += [value, value.split("@")[0], *value.replace("@", " ").replace(".", " ").split()]
    inputs = [word.lower() for word in inputs if word]
    result = zxcvbn(password, user_inputs=inputs)
    if result["score"] < MIN_PASSWORD_SCORE:
        feedback = result.get("feedback") or {}
        advice = " ".join([feedback.get("warning") or "", *(feedback.get("suggestions") or [])]).strip()
        raise ValueError("That password is too easy to guess." + (f" {advice}" if advice else ""))
