"""Recognising the role a candidate names in free text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

#: Similarity (difflib's ratio, 2·matches / total length) from which a word
#: run counts as a typo of a role's name ("accountent" / "accountant" 0.90;
#: "tiller" / "teller" 0.83 does not).
TYPO_RATIO = 0.85
#: Shortest name, in letters, matched with typos (short names are too close
#: to ordinary words).
TYPO_MIN_LETTERS = 6


def _normalise(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("_", " "))) + " "


def match_roles(text: str, roles: Iterable[tuple[str, str, tuple[str, ...]]]) -> list[str]:
    """Every role that ``text`` names, in order of first mention.

    Matches whole words of each role's id (``sales_representative`` as
    "sales representative"), its name and its aliases, case-insensitively. A
    match inside a longer match of another role does not count, so "customer
    service representative" names one role, not also "representative".
    When nothing matches exactly, a misspelt name of at least
    :data:`TYPO_MIN_LETTERS` letters counts ("accountent", "recepcionist").

    Args:
        text: What the candidate wrote or a button payload's value.
        roles: ``(id, name, aliases)`` of every role.

    Returns:
        Role ids, each once.
    """
    haystack = _normalise(text)
    spans: list[tuple[int, int, str]] = []
    for role_id, name, aliases in roles:
        for phrase in (role_id, name, *aliases):
            needle = _normalise(phrase)
            if not needle.strip():
                continue
            start = haystack.find(needle)
            while start != -1:
                spans.append((start, start + len(needle), role_id))
                start = haystack.find(needle, start + 1)
    kept = [
        (start, end, role_id)
        for start, end, role_id in spans
        if not any(s <= start and end <= e and (e - s) > (end - start) and r != role_id for s, e, r in spans)
    ]
    found: list[str] = []
    for _start, _end, role_id in sorted(kept):
        if role_id not in found:
            found.append(role_id)
    return found or _typo_matches(haystack, roles)


def _typo_matches(haystack: str, roles: Iterable[tuple[str, str, tuple[str, ...]]]) -> list[str]:
    """Roles whose name a run of words of ``haystack`` misspells (see :data:`TYPO_RATIO`), in order."""
    words = haystack.split()
    hits: list[tuple[int, str]] = []
    for role_id, name, aliases in roles:
        for phrase in (role_id, name, *aliases):
            needle = _normalise(phrase).split()
            if not needle or len("".join(needle)) < TYPO_MIN_LETTERS:
                continue
            n = len(needle)
            target = " ".join(needle)
            for i in range(len(words) - n + 1):
                run = " ".join(words[i : i + n])
                if run[0] == target[0] and SequenceMatcher(None, run, target).ratio() >= TYPO_RATIO:
                    hits.append((i, role_id))
    found: list[str] = []
    for _i, role_id in sorted(hits):
        if role_id not in found:
            found.append(role_id)
    return found


def match_role(text: str, roles: Iterable[tuple[str, str, tuple[str, ...]]]) -> str | None:
    """The one role that ``text`` names, or None for none or several.

    See :func:`match_roles` for how roles are matched.
    """
    found = match_roles(text, roles)
    return found[0] if len(found) == 1 else None
