"""``python -m bot chat``: talk to the running screener in a terminal.

A small client of the REST channel: type a message, see the bot's replies and
its buttons (type a button's number to press it). It sends the channel's
token (``CHANNEL_TOKEN``, else ``var/channel_token``), so it works only for a
user of the host who can read that file.
"""

from __future__ import annotations

import argparse
import json
import secrets
import urllib.error
import urllib.request

from bot.servers import RASA_PORT
from bot.shared_secrets import CHANNEL_TOKEN, shared_secret


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``chat`` subcommand."""
    parser = subparsers.add_parser("chat", help="talk to the running screener in this terminal")
    parser.add_argument("--sender", help="conversation id to use or resume (default: a new random one)")
    parser.add_argument("--url", default=f"http://127.0.0.1:{RASA_PORT}/webhooks/rest/webhook")
    parser.set_defaults(handler=run)


def send(url: str, sender: str, message: str, token: str, timeout: float = 60) -> list[dict]:
    """Send one message on the REST channel; return the bot's replies.

    Args:
        url: The channel's webhook URL.
        sender: The conversation id.
        message: What the candidate typed (or a button's payload).
        token: The channel's bearer token.
        timeout: Seconds to wait for the replies.

    Raises:
        urllib.error.URLError: The channel cannot be reached or refused the
            request (``HTTPError`` 401: wrong token).
    """
    body = json.dumps({"sender": sender, "message": message}).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    request = urllib.request.Request(url, data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"[]")


def run(args: argparse.Namespace) -> int:
    """Loop: read a line, send it, print the replies; end on EOF or Ctrl-C."""
    sender = args.sender or f"cli-{secrets.token_hex(8)}"
    print(f"conversation {sender} (resume later with --sender {sender}); Ctrl-D to leave\n")
    token = shared_secret(CHANNEL_TOKEN)
    buttons: list[dict] = []
    message = "hello"
    try:
        while True:
            if message.strip().isdigit() and buttons and 1 <= int(message) <= len(buttons):
                message = buttons[int(message) - 1]["payload"]
            buttons = []
            for reply in send(args.url, sender, message, token):
                if reply.get("text"):
                    print(f"bot> {reply['text']}")
                for i, button in enumerate(reply.get("buttons") or [], start=len(buttons) + 1):
                    print(f"     [{i}] {button['title']}")
                buttons.extend(reply.get("buttons") or [])
            message = input("you> ")
    except (EOFError, KeyboardInterrupt):
        print()
    except urllib.error.HTTPError as exc:
        print(f"error: the screener at {args.url} answered {exc.code}; is CHANNEL_TOKEN the servers' token?")
        return 1
    except (urllib.error.URLError, ConnectionError) as exc:
        print(f"error: cannot reach the screener at {args.url} ({getattr(exc, 'reason', exc)}); is it running?")
        return 1
    return 0
