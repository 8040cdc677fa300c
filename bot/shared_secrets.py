"""Secrets our own processes share: each from its environment variable, else a file in ``var/``.

* ``SCREENER_SECRET`` (``var/web_secret``): signs the web app's cookies and
  CSRF tokens.
* ``ACTION_SERVER_TOKEN`` (``var/action_server_token``): Rasa sends it on
  every action call; the action server refuses calls without it.
* ``CHANNEL_TOKEN`` (``var/channel_token``): the web app and ``bot chat``
  send it; Rasa's REST channel refuses messages without it.

A file is written once, with a random value, readable by its owner only
(mode 600), so a restart keeps the same secret and other users of the host
cannot read it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot.config import VAR_DIR

#: Environment variable and file of the action server's token.
ACTION_SERVER_TOKEN = ("ACTION_SERVER_TOKEN", "action_server_token")
#: Environment variable and file of the REST channel's token.
CHANNEL_TOKEN = ("CHANNEL_TOKEN", "channel_token")
#: Environment variable and file of the web app's signing secret.
WEB_SECRET = ("SCREENER_SECRET", "web_secret")


def shared_secret(kind: tuple[str, str], var_dir: Path | None = None) -> str:
    """The secret of ``kind``: its environment variable if set, else the one kept in its file.

    Args:
        kind: ``(environment variable, file name)``, one of the constants of
            this module.
        var_dir: Folder of the file (default ``SCREENER_VAR_DIR``, ``var/``).

    Returns:
        The secret (a URL-safe string of at least 64 characters when generated).

    Raises:
        OSError: The file can be neither read nor created.
    """
    variable, name = kind
    value = os.environ.get(variable)
    if value:
        return value
    path = (var_dir or VAR_DIR) / name
    if path.exists():
        stored = path.read_text().strip()
        if stored:
            return stored
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value
