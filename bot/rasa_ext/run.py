"""``python -m bot.rasa_ext.run ARGS``: ``rasa ARGS``, with the HTTP API's token from the environment.

``rasa run --auth-token TOKEN`` puts the token on the command line, where
every user of the host can read it (``ps``); with it they could read any
tracker through Rasa's HTTP API. This entry point takes ``RASA_AUTH_TOKEN``
from the environment (which only the process's owner can read), removes it
from there, and hands it to Rasa's own command line parser in-process, so it
never appears in the process's arguments.

It also validates the action server's replies with a validator built once
(:mod:`bot.rasa_ext.reply_schema`).
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run Rasa's command line; with ``RASA_AUTH_TOKEN`` set, enable the HTTP API behind it."""
    token = os.environ.pop("RASA_AUTH_TOKEN", "")
    if token:
        sys.argv += ["--enable-api", "--auth-token", token]
    from bot.rasa_ext.reply_schema import install

    install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
