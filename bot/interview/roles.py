"""Recognising the role a candidate names in free text."""

from __future__ import annotations

import re
from collections.abc import Iterable


def _normalise(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("_", " "))) + " "


def match_role(text: str, roles: Iterable[tuple[str, str, tuple[str, ...]]]) -> str | None:
    """The id of the role that ``text`` names, or None.

    Matches whole words of the role's id (``sales_representative`` as
    "sales representative"), its name, and its aliases, case-insensitively;
    the longest match wins, so "customer service representative" beats
    "representative".

    Args:
        text: What the candidate wrote or a button payload's value.
        roles: ``(id, name, aliases)`` of every role.

    Returns:
        The role id, or None when no role or more than one equally long match.
    """
    haystack = _normalise(text)
    best: list[tuple[int, str]] = []
    for role_id, name, aliases in roles:
        for phrase in (role_id, name, *aliases):
            needle = _normalise(phrase)
            if needle.strip() and needle in haystack:
                best.append((len(needle), role_id))
    if not best:
        return None
    best.sort(reverse=True)
    top_len = best[0][0]
    top = {role_id for length, role_id in best if length == top_len}
    return top.pop() if len(top) == 1 else None
