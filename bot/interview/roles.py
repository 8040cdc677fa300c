"""Recognising the role a candidate names in free text."""

from __future__ import annotations

import re
from collections.abc import Iterable


def _normalise(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("_", " "))) + " "


def match_roles(text: str, roles: Iterable[tuple[str, str, tuple[str, ...]]]) -> list[str]:
    """Every role that ``text`` names, in order of first mention.

    Matches whole words of each role's id (``sales_representative`` as
    "sales representative"), its name and its aliases, case-insensitively. A
    match inside a longer match of another role does not count, so "customer
    service representative" names one role, not also "representative".

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
    return found


def match_role(text: str, roles: Iterable[tuple[str, str, tuple[str, ...]]]) -> str | None:
    """The one role that ``text`` names, or None for none or several.

    See :func:`match_roles` for how roles are matched.
    """
    found = match_roles(text, roles)
    return found[0] if len(found) == 1 else None
