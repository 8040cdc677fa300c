"""Cleaning candidate text before it is stored."""

from __future__ import annotations

import re
import unicodedata

#: Longest answer stored, in characters (about 8,000 words). Longer messages
#: are refused with a clear reply rather than cut silently.
MAX_ANSWER_CHARS = 50_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Unicode categories that show nothing: format characters and separators.
_INVISIBLE = frozenset({"Cf", "Zs", "Zl", "Zp", "Cc"})


class AnswerTooLong(ValueError):
    """An answer is longer than :data:`MAX_ANSWER_CHARS`."""

    def __init__(self, length: int) -> None:
        super().__init__(f"answer of {length} characters exceeds {MAX_ANSWER_CHARS}")
        self.length = length


def clean_answer(text: str | None) -> str:
    """Normalise an answer for storage and scoring.

    NFC-normalises, drops C0 and C1 control characters other than tab and newline (NUL
    cannot be stored in PostgreSQL text) and trims surrounding whitespace. A
    message of nothing but spaces and invisible format characters (a
    zero-width space, a word joiner) is empty.
    Everything else, HTML and emoji included, is kept as typed: it is escaped
    where it is shown.

    Args:
        text: The message as received; None is treated as empty.

    Returns:
        The cleaned text (possibly empty).

    Raises:
        AnswerTooLong: The cleaned text is over :data:`MAX_ANSWER_CHARS`.
    """
    cleaned = _CONTROL.sub("", unicodedata.normalize("NFC", text or "")).strip()
    if not any(unicodedata.category(ch) not in _INVISIBLE for ch in cleaned):
        return ""  # only spaces and zero-width characters: an empty message
    if len(cleaned) > MAX_ANSWER_CHARS:
        raise AnswerTooLong(len(cleaned))
    return cleaned
