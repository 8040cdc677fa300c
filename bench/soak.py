"""Soak: N concurrent candidates for a bounded time; errors, lost answers and memory of every process.

Starts the screener's stack (action server and Rasa server, as ``python -m
bot serve`` runs them) on loopback ports with a throw-away database, then
keeps ``--concurrent`` candidates (default 20) busy for ``--minutes``
(default 10): each runs whole interviews over the REST channel, one after
the other, each with a new sender id, answers fitting each question, and
some answers long (just under the channels' 5,000-character limit, share
``--long-share``). No new interview starts after the time is up; the ones
under way finish.

Every ``--sample-seconds`` (15) it reads the resident memory (RSS) of every
process of the stack from ``/proc``. At the end it compares, for each
answer sent and replied to, the answers stored in the database for that
conversation.

Prints the RSS table and a summary; ``--json OUT`` writes both. Exits 1 when
an answer was lost, a turn failed, or the mean RSS of any process grew by more
than ``--rss-margin`` (default 0.15, i.e. 15 %) from the first to the last
third of the samples.

Usage::

    PYTHONPATH=. .venv/bin/python bench/soak.py [--concurrent 20] [--minutes 10] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from sqlalchemy import select  # noqa: E402

from bench.common import (  # noqa: E402
    InterviewRun,
    QuestionBook,
    fitting_interview,
    load_average,
    mb,
    stack_rss,
)
from bench.conversation_latency import percentile, prepare_stack  # noqa: E402
from bot.cli.common import migrated_sessions  # noqa: E402
from bot.db.models import Answer, Candidate, Interview  # noqa: E402
from bot.servers import MODEL_PATH, ServerProcess, rest_headers, rest_url, start_action_server, start_rasa_server  # noqa: E402

STARTUP_TIMEOUT = 600


def sample_memory(servers: list[ServerProcess], every: float, stop: threading.Event, out: list[dict[str, Any]]) -> None:
    """Append ``{"t": seconds, "rss": {process: bytes}}`` to ``out`` every ``every`` seconds until ``stop``."""
    start = time.monotonic()
    while True:
        out.append({"t": round(time.monotonic() - start), "rss": stack_rss(servers)})
        if stop.wait(every):
            out.append({"t": round(time.monotonic() - start), "rss": stack_rss(servers)})
            return


def growth(samples: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Mean RSS of each process in the first and the last third of ``samples``, and the growth between."""
    third = max(1, len(samples) // 3)
    first, last = samples[:third], samples[-third:]
    result: dict[str, dict[str, float]] = {}
    for process in samples[-1]["rss"]:
        before = [s["rss"][process] for s in first if process in s["rss"]]
        after = [s["rss"][process] for s in last if process in s["rss"]]
        if before and after:
            b, a = statistics.mean(before), statistics.mean(after)
            result[process] = {"first_third": b, "last_third": a, "growth": (a - b) / b}
    return result


def stored_answers(database_url: str, senders: list[str]) -> dict[str, Counter[str]]:
    """The answer texts (answers and follow-up replies) stored for each conversation."""
    sessions = migrated_sessions(database_url)
    stored: dict[str, Counter[str]] = {sender: Counter() for sender in senders}
    with sessions() as session:
        for start in range(0, len(senders), 500):
            rows = session.execute(
                select(Candidate.conversation_id, Answer.text, Answer.follow_up_text)
                .join(Interview, Interview.candidate_id == Candidate.id)
                .join(Answer, Answer.interview_id == Interview.id)
                .where(Candidate.conversation_id.in_(senders[start : start + 500]))
            )
            for sender, text, follow_up in rows:
                stored[sender].update(t for t in (text, follow_up) if t)
    return stored


def print_table(samples: list[dict[str, Any]]) -> None:
    """RSS of each process at each sample, in MB."""
    processes = sorted({p for s in samples for p in s["rss"]})
    print("| t (s) | " + " | ".join(processes) + " | total |")
    print("|---" * (len(processes) + 2) + "|")
    for s in samples:
        cells = [f"{s['rss'][p] / 1e6:,.0f}" if p in s["rss"] else "–" for p in processes]
        print(f"| {s['t']} | " + " | ".join(cells) + f" | {sum(s['rss'].values()) / 1e6:,.0f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrent", type=int, default=20, help="candidates at once (default 20)")
    parser.add_argument("--minutes", type=float, default=10, help="how long new interviews start (default 10)")
    parser.add_argument("--sample-seconds", type=float, default=15, help="RSS sampling period (default 15)")
    parser.add_argument("--long-share", type=float, default=0.2, help="share of answers sent long (default 0.2)")
    parser.add_argument("--rss-margin", type=float, default=0.15, help="allowed RSS growth (default 0.15)")
    parser.add_argument("--model", type=Path, default=MODEL_PATH, help="the trained model")
    parser.add_argument("--seed", type=int, default=1, help="seed of which answers are long")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    book = QuestionBook()
    runs: list[InterviewRun] = []
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    samples: list[dict[str, Any]] = []
    stop = threading.Event()
    with tempfile.TemporaryDirectory() as tmp:
        settings = prepare_stack(Path(tmp), args.model)
        servers: list[ServerProcess] = []
        try:
            servers.append(start_action_server(settings))
            servers.append(start_rasa_server(settings))
            for server in servers:
                server.wait_ready(STARTUP_TIMEOUT)
            url, headers = rest_url(settings), rest_headers(settings)
            fitting_interview(url, headers, InterviewRun(f"soak-warm-{secrets.token_hex(4)}"), book)
            print(
                f"stack ready; load {load_average()}; {args.concurrent} candidates for {args.minutes} min", flush=True
            )

            deadline = time.monotonic() + args.minutes * 60

            def candidate(index: int) -> None:
                rng = random.Random(args.seed * 1000 + index)
                number = 0
                while time.monotonic() < deadline:
                    number += 1
                    run = InterviewRun(f"soak-{index}-{number}-{secrets.token_hex(4)}")
                    long_at = {q for q in range(1, 7) if rng.random() < args.long_share}
                    try:
                        fitting_interview(url, headers, run, book, long_at=long_at)
                    except Exception as error:  # counted; the candidate starts a new interview
                        with lock:
                            errors[f"{type(error).__name__}: {str(error)[:120]}"] += 1
                    with lock:
                        runs.append(run)

            sampler = threading.Thread(target=sample_memory, args=(servers, args.sample_seconds, stop, samples))
            sampler.start()
            started = time.monotonic()
            workers = [threading.Thread(target=candidate, args=(i,)) for i in range(args.concurrent)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            elapsed = time.monotonic() - started
            stop.set()
            sampler.join()
            alive = {server.name: server.process.poll() is None for server in servers}
        finally:
            stop.set()
            for server in servers:
                server.stop()
        stored = stored_answers(settings.database_url or "", [run.sender for run in runs])

    lost = sum(sum((Counter(run.answers) - stored[run.sender]).values()) for run in runs)
    sent = sum(len(run.answers) for run in runs)
    latencies = [t for run in runs for t in run.latencies_ms]
    grown = growth(samples)
    over = {p: g for p, g in grown.items() if g["growth"] > args.rss_margin}
    summary = {
        "concurrent": args.concurrent,
        "minutes": args.minutes,
        "elapsed_s": round(elapsed, 1),
        "interviews": len(runs),
        "completed": sum(run.completed for run in runs),
        "turns": len(latencies),
        "turns_per_s": round(len(latencies) / elapsed, 2),
        "p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
        "long_answers": sum(1 for run in runs for a in run.answers if len(a) > 2000),
        "answers_sent": sent,
        "answers_stored": sent - lost,
        "answers_lost": lost,
        "answers_unconfirmed": sum(len(run.unconfirmed) for run in runs),
        "errors": dict(errors),
        "servers_alive": alive,
        "rss_growth": grown,
        "rss_margin": args.rss_margin,
    }
    print_table(samples)
    print()
    for process, g in grown.items():
        flag = "  <-- over the margin" if process in over else ""
        print(f"{process}: {mb(g['first_third'])} → {mb(g['last_third'])} ({g['growth']:+.1%}){flag}")
    for key in ("elapsed_s", "interviews", "completed", "turns", "turns_per_s", "p50_ms", "p95_ms", "long_answers"):
        print(f"{key}: {summary[key]}")
    print(f"answers: {sent} sent, {sent - lost} stored, {lost} lost, {summary['answers_unconfirmed']} unconfirmed")
    print(f"errors: {sum(errors.values())}" + "".join(f"\n  {n} × {kind}" for kind, n in errors.items()))
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "samples": samples}, indent=2))
    failed = lost or errors or over or not all(alive.values())
    print("FAIL" if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
