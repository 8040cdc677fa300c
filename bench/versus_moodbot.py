"""The screener side by side with Rasa's starter bot (the moodbot of ``rasa init``), same Rasa, same box.

Runs, interleaved, the screener's stack (action server and Rasa server, as
``python -m bot serve`` runs them) and a stock ``rasa init --no-prompt`` bot
on its REST channel, at three loads: one conversation at a time, 20 and 50
at once. A screener conversation is a whole interview: greeting, consent,
role, and six ~40-word answers, each fitting the question asked. A moodbot
conversation is greet, a sad mood, affirm or deny, goodbye. For both it
prints:

* turns/s, and p50/p95 latency per turn, at each load (median over rounds);
* start → first reply (from spawning the servers to the first reply);
* RSS of all processes, at start and after the runs;
* training time;

with the ratio screener / moodbot, and the load average before each run.

The moodbot is trained once per Rasa version and kept in
``var/bench/moodbot/<version>/`` (with its training time); the screener's
training time is measured once per Rasa version and training data, in
``var/bench/screener/``, and its model is run from there. ``--retrain``
trains both again.

Usage::

    PYTHONPATH=. .venv/bin/python bench/versus_moodbot.py [--quick] [--rounds 3] [--retrain] [--json OUT]

``--quick``: one round, one conversation and 5 at once (about a minute once
trained).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from bench.common import (  # noqa: E402
    InterviewRun,
    QuestionBook,
    fitting_interview,
    load_average,
    mb,
    stack_rss,
)
from bench.conversation_latency import (  # noqa: E402
    exchange,
    free_port,
    percentile,
    prepare_stack,
    train_screener,
)
from bot.config import VAR_DIR  # noqa: E402
from bot.servers import (  # noqa: E402
    MODEL_PATH,
    ServerProcess,
    rasa_bin,
    rest_headers,
    rest_url,
    start_action_server,
    start_rasa_server,
)

CACHE = VAR_DIR / "bench"
STARTUP_TIMEOUT = 600
#: What the moodbot is told: greet, mood, affirm or deny, goodbye.
MOOD_TURNS = (("hello", "I am sad", "yes", "goodbye"), ("hi there", "I'm feeling very sad", "no", "bye"))
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def rasa_version() -> str:
    """The version of Rasa in the project's Rasa environment."""
    python = rasa_bin().with_name("python")
    code = "import importlib.metadata as m; print(m.version('rasa'))"
    return subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True).stdout.strip()


def moodbot_project(version: str, retrain: bool) -> tuple[Path, float]:
    """A trained ``rasa init`` project: the cached one, or one made in a temporary folder and cached.

    Returns:
        The project folder and the seconds ``rasa init --no-prompt`` (which
        trains) took.
    """
    cache = CACHE / "moodbot" / version
    meta = cache / "training.json"
    if not retrain and meta.exists() and any((cache / "models").glob("*.tar.gz")):
        return cache, json.loads(meta.read_text())["training_s"]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(
            [str(rasa_bin()), "init", "--no-prompt", "--init-dir", tmp],
            cwd=tmp,
            env=ENV,
            check=True,
            capture_output=True,
        )
        training_s = round(time.perf_counter() - start, 1)
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(tmp, cache, ignore=shutil.ignore_patterns(".rasa", "__pycache__"))
    meta.write_text(json.dumps({"training_s": training_s, "rasa": version}))
    return cache, training_s


def screener_model(version: str, retrain: bool, quick: bool) -> tuple[Path, float | None]:
    """The screener's model trained from the current data, with its training time.

    Cached by Rasa version and a hash of the training data, domain and
    config. With ``quick`` and nothing cached, nothing is trained: the
    project's model runs and the training time is None.
    """
    digest = hashlib.sha256()
    for path in sorted([*(PROJECT / "data" / "rasa").rglob("*.yml"), PROJECT / "domain.yml", PROJECT / "config.yml"]):
        digest.update(path.relative_to(PROJECT).as_posix().encode() + b"\0" + path.read_bytes())
    cache = CACHE / "screener" / f"{version}-{digest.hexdigest()[:12]}"
    meta, model = cache / "training.json", cache / "bench.tar.gz"
    if not retrain and meta.exists() and model.exists():
        return model, json.loads(meta.read_text())["training_s"]
    if quick and not retrain:
        return MODEL_PATH, None
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    training_s = train_screener(cache, ENV)
    meta.write_text(json.dumps({"training_s": training_s, "rasa": version}))
    return model, training_s


def start_moodbot(project: Path, port: int, log_dir: Path) -> ServerProcess:
    """Start ``rasa run`` on the moodbot's project, REST channel on 127.0.0.1:``port``, log in ``log_dir``."""
    log_path = log_dir / "moodbot.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [
                str(rasa_bin()),
                "run",
                "--model",
                str(project / "models"),
                "--credentials",
                str(project / "credentials.yml"),
                "--endpoints",
                str(project / "endpoints.yml"),
                "--interface",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=project,
            env=ENV,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return ServerProcess("moodbot", process, f"http://127.0.0.1:{port}/", log_path)


@dataclass
class Bot:
    """One of the two bots under test.

    Attributes:
        name: ``"moodbot"`` or ``"screener"``.
        servers: Its processes.
        conversation: Runs conversation ``index``; returns each turn's latency in ms.
        start_s: Seconds from spawning the servers to the first reply.
        start_rss: Bytes of all its processes right after the first reply.
        training_s: Seconds its training took (None: not measured).
    """

    name: str
    servers: list[ServerProcess]
    conversation: Callable[[int], list[float]]
    start_s: float = 0.0
    start_rss: int = 0
    training_s: float | None = None


def first_reply(bot: Bot, started: float, url: str, headers: dict[str, str]) -> None:
    """Wait for the bot's servers, then for the reply to a first "hello"; note the time and the RSS."""
    for server in bot.servers:
        server.wait_ready(STARTUP_TIMEOUT)
    while True:
        try:
            if exchange(url, headers, f"start-{secrets.token_hex(4)}", "hello")[1]:
                break
        except OSError:
            pass
        time.sleep(0.1)
    bot.start_s = round(time.perf_counter() - started, 1)
    bot.start_rss = sum(stack_rss(bot.servers).values())
    print(f"{bot.name}: start → first reply {bot.start_s} s, RSS {mb(bot.start_rss)}", flush=True)


def run_level(bot: Bot, concurrent: int, conversations: int) -> dict[str, Any]:
    """``conversations`` conversations, ``concurrent`` at a time: turns/s, p50/p95, errors."""
    load = load_average()
    latencies: list[float] = []
    errors = 0

    def one(index: int) -> list[float] | None:
        try:
            return bot.conversation(index)
        except Exception as error:  # counted and shown; the run goes on
            print(f"  {bot.name} conversation {index}: {type(error).__name__}: {error}", flush=True)
            return None

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrent) as pool:
        for turns in pool.map(one, range(conversations)):
            if turns is None:
                errors += 1
            else:
                latencies.extend(turns)
    wall = time.perf_counter() - start
    result = {
        "load_before": load,
        "turns": len(latencies),
        "errors": errors,
        "turns_per_s": round(len(latencies) / wall, 2),
        "p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
    }
    print(
        f"  load {load} | {bot.name:8} {concurrent:>2} at once: {result['turns']} turns, "
        f"{result['turns_per_s']} turns/s, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
        f"{errors} errors",
        flush=True,
    )
    return result


def ratio(screener: float | None, moodbot: float | None) -> str:
    """screener / moodbot, or "–"."""
    return f"{screener / moodbot:.2f}" if screener is not None and moodbot else "–"


def table(results: dict[str, Any], levels: list[tuple[int, int]]) -> str:
    """The comparison as a Markdown table."""

    def median(bot: str, level: str, key: str) -> float | None:
        values = [r[bot][level][key] for r in results["rounds"] if r[bot][level][key] is not None]
        return round(statistics.median(values), 1) if values else None

    rows: list[tuple[str, float | None, float | None, str]] = []
    for concurrent, _ in levels:
        level = str(concurrent)
        label = "1 conversation" if concurrent == 1 else f"{concurrent} concurrent"
        for key, name, unit in (("turns_per_s", "turns/s", ""), ("p50_ms", "p50", " ms"), ("p95_ms", "p95", " ms")):
            m, s = median("moodbot", level, key), median("screener", level, key)
            rows.append((f"{name}, {label}", m, s, unit))
    rows.append(("start → first reply", results["moodbot"]["start_s"], results["screener"]["start_s"], " s"))
    for key, name in (("start_rss", "RSS, all processes, at start"), ("end_rss", "RSS, all processes, after the runs")):
        rows.append((name, results["moodbot"][key] / 1e6, results["screener"][key] / 1e6, " MB"))
    rows.append(("training", results["moodbot"]["training_s"], results["screener"]["training_s"], " s"))
    errors = {bot: sum(r[bot][str(c)]["errors"] for r in results["rounds"] for c, _ in levels) for bot in BOTS}
    lines = ["| figure | moodbot | screener | ratio |", "|---|---|---|---|"]
    for name, m, s, unit in rows:
        shown = [f"{v:,.1f}{unit}" if v is not None else "–" for v in (m, s)]
        lines.append(f"| {name} | {shown[0]} | {shown[1]} | {ratio(s, m)} |")
    lines.append(f"| errors | {errors['moodbot']} | {errors['screener']} | |")
    return "\n".join(lines)


BOTS = ("moodbot", "screener")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one round, 1 and 5 at once")
    parser.add_argument("--rounds", type=int, help="rounds of all loads (default 3, 1 with --quick)")
    parser.add_argument("--retrain", action="store_true", help="train both bots again")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    rounds = args.rounds or (1 if args.quick else 3)
    levels = [(1, 1), (5, 5)] if args.quick else [(1, 3), (20, 20), (50, 50)]

    version = rasa_version()
    print(f"Rasa {version}, {os.cpu_count()} CPUs, load {load_average()}", flush=True)
    mood_dir, mood_training = moodbot_project(version, args.retrain)
    print(f"moodbot: {mood_dir}, training {mood_training} s", flush=True)
    model, screener_training = screener_model(version, args.retrain, args.quick)
    print(f"screener: {model}, training {screener_training} s", flush=True)
    book = QuestionBook()
    bots: dict[str, Bot] = {}

    with tempfile.TemporaryDirectory() as tmp:
        try:
            port = free_port()
            mood_url, mood_headers = (
                f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                {"Content-Type": "application/json"},
            )

            def mood_conversation(index: int) -> list[float]:
                sender = f"mood-{index}-{secrets.token_hex(4)}"
                turns = MOOD_TURNS[index % len(MOOD_TURNS)]
                return [exchange(mood_url, mood_headers, sender, message)[0] for message in turns]

            started = time.perf_counter()
            bots["moodbot"] = Bot("moodbot", [start_moodbot(mood_dir, port, Path(tmp))], mood_conversation)
            bots["moodbot"].training_s = mood_training
            first_reply(bots["moodbot"], started, mood_url, mood_headers)

            settings = prepare_stack(Path(tmp), model)
            url, headers = rest_url(settings), rest_headers(settings)

            def interview(index: int) -> list[float]:
                run = InterviewRun(f"bench-{index}-{secrets.token_hex(4)}")
                return fitting_interview(url, headers, run, book).latencies_ms

            started = time.perf_counter()
            bots["screener"] = Bot("screener", [], interview, training_s=screener_training)
            bots["screener"].servers.append(start_action_server(settings))
            bots["screener"].servers.append(start_rasa_server(settings))
            first_reply(bots["screener"], started, url, headers)

            for bot in bots.values():
                bot.conversation(10_000)  # warm-up
            results: dict[str, Any] = {"rasa": version, "cpus": os.cpu_count(), "rounds": []}
            for number in range(rounds):
                print(f"round {number + 1} of {rounds}", flush=True)
                order = BOTS if number % 2 == 0 else BOTS[::-1]
                measured: dict[str, dict[str, Any]] = {name: {} for name in BOTS}
                for concurrent, conversations in levels:
                    for name in order:
                        measured[name][str(concurrent)] = run_level(bots[name], concurrent, conversations)
                results["rounds"].append(measured)
            for name, bot in bots.items():
                rss = stack_rss(bot.servers)
                results[name] = {
                    "start_s": bot.start_s,
                    "start_rss": bot.start_rss,
                    "end_rss": sum(rss.values()),
                    "rss_by_process": rss,
                    "training_s": bot.training_s,
                }
                print(f"{name}: " + ", ".join(f"{key} {mb(value)}" for key, value in rss.items()), flush=True)
        finally:
            for bot in bots.values():
                for server in bot.servers:
                    server.stop()
    results["table"] = table(results, levels)
    print(results["table"])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if all(r[n][str(c)]["errors"] == 0 for r in results["rounds"] for n in BOTS for c, _ in levels) else 1


if __name__ == "__main__":
    sys.exit(main())
