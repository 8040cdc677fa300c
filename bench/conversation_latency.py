"""Benchmark the conversation: training time, start-up time, per-turn latency.

Measures, on this machine:

* model training time (``rasa train --force`` into a temporary folder);
* time from start to ready for the action server and the Rasa server;
* per-turn latency over the REST channel (p50/p95 in ms) for one
  conversation, and for N conversations at once (default 20), each a whole
  interview: consent, role, six answers.

Usage::

    .venv/bin/python bench/conversation_latency.py [--skip-training] [--concurrent 20] [--json OUT]

Servers run on free loopback ports with a throw-away database, exactly as
``python -m bot serve`` runs them (:mod:`bot.servers`).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from bot.bank import read_bank  # noqa: E402
from bot.bank.loader import load_bank  # noqa: E402
from bot.cli.common import migrated_sessions  # noqa: E402
from bot.servers import (  # noqa: E402
    MODEL_PATH,
    ServerSettings,
    rasa_bin,
    rest_headers,
    rest_url,
    start_action_server,
    start_rasa_server,
)

ANSWER = (
    "I would stay calm, listen to them and write down what they need, check the facts in the system, "
    "explain clearly what I can do and by when, and follow up afterwards to make sure it was solved."
)
ROLES = ["cashier", "accountant", "receptionist", "hr officer", "legal advisor", "sales rep"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def exchange(url: str, headers: dict[str, str], sender: str, message: str) -> tuple[float, list[dict[str, Any]]]:
    """Send one message on a REST channel.

    Returns:
        The round trip in milliseconds and the replies.
    """
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(url, data=body, headers=headers)
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        raw = response.read()
    return (time.perf_counter() - start) * 1000, json.loads(raw or b"[]")


def send(url: str, headers: dict[str, str], sender: str, message: str) -> float:
    """Send one message; return the round trip in milliseconds."""
    return exchange(url, headers, sender, message)[0]


def interview(url: str, headers: dict[str, str], index: int) -> list[float]:
    """One whole interview; the latency of each turn in ms."""
    sender = f"bench-{index}-{secrets.token_hex(4)}"
    turns = ["hello", "/affirm", ROLES[index % len(ROLES)]] + [ANSWER] * 6
    return [send(url, headers, sender, message) for message in turns]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50), 1),
        "p95_ms": round(percentile(values, 95), 1),
        "max_ms": round(max(values), 1),
    }


def train_screener(out: Path, env: dict[str, str]) -> float:
    """Train the screener's model (``rasa train --force``) into ``out`` as ``bench.tar.gz``.

    Args:
        out: Folder of the model.
        env: Environment of ``rasa train``.

    Returns:
        Seconds the training took.
    """
    start = time.perf_counter()
    subprocess.run(
        [
            str(rasa_bin()),
            "train",
            "--force",
            "--data",
            "data/rasa",
            "--domain",
            "domain.yml",
            "--config",
            "config.yml",
            "--out",
            str(out),
            "--fixed-model-name",
            "bench",
        ],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
    )
    return round(time.perf_counter() - start, 1)


def prepare_stack(root: Path, model: Path) -> ServerSettings:
    """Settings of a screener stack on a throw-away SQLite database under ``root``, on free ports.

    The database is migrated and holds the question bank.

    Args:
        root: Folder of the databases and the logs.
        model: The trained Rasa model to run.

    Returns:
        The settings to start the servers with.
    """
    database_url = f"sqlite:///{root / 'screener.db'}"
    sessions = migrated_sessions(database_url)
    with sessions.begin() as session:
        load_bank(session, read_bank())
    return ServerSettings(
        rasa_port=free_port(),
        action_port=free_port(),
        model=model,
        database_url=database_url,
        tracker_db=root / "trackers.db",
        log_dir=root / "logs",
        extra_env={"SCREENER_WARM": "1"},
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-training", action="store_true")
    parser.add_argument("--concurrent", type=int, default=20)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    results: dict[str, object] = {}
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if not args.skip_training:
            results["training_s"] = train_screener(root / "models", env)
            print(f"training: {results['training_s']} s", flush=True)

        settings = prepare_stack(root, MODEL_PATH)
        start = time.perf_counter()
        actions = start_action_server(settings)
        rasa = start_rasa_server(settings)
        try:
            actions.wait_ready(300)
            results["actions_ready_s"] = round(time.perf_counter() - start, 1)
            rasa.wait_ready(300)
            results["rasa_ready_s"] = round(time.perf_counter() - start, 1)
            print(f"ready: actions {results['actions_ready_s']} s, rasa {results['rasa_ready_s']} s", flush=True)
            url, headers = rest_url(settings), rest_headers(settings)
            interview(url, headers, 999)  # warm-up
            single = [t for i in range(3) for t in interview(url, headers, i)]
            results["one_conversation"] = summary(single)
            print(f"one conversation: {results['one_conversation']}", flush=True)
            with ThreadPoolExecutor(args.concurrent) as pool:
                many = [
                    t
                    for turns in pool.map(lambda i: interview(url, headers, 100 + i), range(args.concurrent))
                    for t in turns
                ]
            results[f"{args.concurrent}_at_once"] = summary(many)
            print(f"{args.concurrent} at once: {results[f'{args.concurrent}_at_once']}", flush=True)
        finally:
            rasa.stop()
            actions.stop()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
