"""Answers scored per second on one CPU core.

Usage::

    python bench/scoring_speed.py [RATED.jsonl] [--seconds 5] [--design NAME]

Pins the process to one core (``os.sched_setaffinity``, Linux) and caps the
numeric libraries to one thread, loads the bank and a :class:`Scorer`, then
scores the answers of the rated file (default: ``shared/eval/dev.jsonl`` if
present, else the rubrics' example answers) round-robin for ``--seconds`` and
prints answers/second, both by wall clock and per CPU second of this process
(the second does not depend on other load on the core), and the CPU time per
answer (p50, p95, max). The first pass warms
caches and is not timed.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    """Run the benchmark and print the result."""
    from bot.bank.files import read_bank
    from bot.scoring import Scorer

    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", type=Path, default=ROOT.parent / "shared" / "eval" / "dev.jsonl")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--design", default=None)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    bank = read_bank()
    if args.file.is_file():
        items = [
            (r["answer"], bank.questions[r["scenario"]])
            for r in (json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip())
        ]
    else:
        items = [(e["text"], q) for q in bank.questions.values() for e in q.rubric.get("examples", [])]
    scorer = Scorer(design=args.design)
    for answer, question in items:  # warm-up
        scorer.score(answer, question)
    done, start, cpu_start = 0, time.perf_counter(), time.process_time()
    per_answer: list[float] = []
    while time.perf_counter() - start < args.seconds:
        for answer, question in items:
            t0 = time.process_time()
            scorer.score(answer, question)
            per_answer.append(time.process_time() - t0)
        done += len(items)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(f"design {scorer.design}: {done} answers in {elapsed:.2f} s on one core = {done / elapsed:.0f} answers/s")
    # On a shared machine the pinned core also runs other processes, so the
    # wall-clock rate varies with the load; CPU time is what the scorer costs.
    print(
        f"CPU time {cpu:.2f} s = {done / cpu:.0f} answers per CPU second"
        f" ({100 * cpu / elapsed:.0f} % of the core was ours)"
    )
    per_answer.sort()
    p50, p95 = (1000 * per_answer[int(q * (len(per_answer) - 1))] for q in (0.5, 0.95))
    print(f"CPU ms per answer: p50 {p50:.1f}, p95 {p95:.1f}, max {1000 * per_answer[-1]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
