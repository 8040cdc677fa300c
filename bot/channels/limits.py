"""The longest message any channel passes to Rasa, and what the candidate is told beyond it.

NLU time and the Rasa server's memory grow with a message's length: one
50 KB message took 9.5 s of the server's single event loop and held up every
other conversation meanwhile. Each channel (the REST channel, Slack, the
careers page) therefore refuses a longer message before Rasa sees it and
tells the sender that nothing was recorded. Standard library only: imported
by both environments.
"""

from __future__ import annotations

#: Characters per message (about 800 words: far beyond a spoken answer).
MAX_MESSAGE_CHARS = 5000


def too_long_reply(length: int) -> str:
    """What the sender of a message of ``length`` characters is told."""
    return (
        f"That message is longer than I can take ({length:,} characters; the limit is "
        f"{MAX_MESSAGE_CHARS:,}). Please send a shorter version — nothing you sent has been recorded."
    )
