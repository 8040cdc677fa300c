"""``python -m bot chat``: talk to the running screener in a terminal.

A small client of the REST channel: type a message, see the bot's replies and
its buttons (type a button's number to press it).
"""

from __future__ import annotations

import argparse
import json
import secrets
import urllib.error
import urllib.request

from bot.servers import RASA_PORT


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``chat`` subcommand."""
    parser = subparsers.add_parser("chat", help="talk to the running screener in this terminal")
    parser.add_argument("--sender", help="conversation id to use or resume (default: a new random one)")
    parser.add_argument("--url", default=f"http://127.0.0.1:{RASA_PORT}/webhooks/rest/webhook")
    parser.set_defaults(handler=run)


def send(url: str, sender: str, message: str, timeout: float = 60) -> list[dict]:
    """Send one message on the REST channel; return the bot's replies."""
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"[]")


def run(args: argparse.Namespace) -> int:
    """Loop: read a line, send it, print the replies; end on EOF or Ctrl-C."""
    sender = args.sender or f"cli-{secrets.token_hex(8)}"
    print(f"conversation {sender} (resume later with --sender {sender}); Ctrl-D to leave\n")
    buttons: list[dict] = []
    message = "hello"
    try:
        while True:
            if message.strip().isdigit() and buttons and 1 <= int(message) <= len(buttons):
                message = buttons[int(message) - 1]["payload"]
            buttons = []
            for reply in send(args.url, sender, message):
                if reply.get("text"):
                    print(f"bot> {reply['text']}")
                for i, button in enumerate(reply.get("buttons") or [], start=len(buttons) + 1):
                    print(f"     [{i}] {button['title']}")
                buttons.extend(reply.get("buttons") or [])
            message = input("you> ")
    except (EOFError, KeyboardInterrupt):
        print()
    except (urllib.error.URLError, ConnectionError) as exc:
        print(f"error: cannot reach the screener at {args.url} ({getattr(exc, 'reason', exc)}); is it running?")
        return 1
    return 0
