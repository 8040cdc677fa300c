"""``python -m bot evaluate FILE.jsonl [--json]``: agreement with rated answers.

Scores every answer of a rated JSON Lines file (format of
``shared/spec/scenarios.md``: ``{"id", "scenario", "answer", "ratings"}``)
with the current bank (:func:`bot.bank.files.read_bank`) and prints, per
competency and overall: QWK, Pearson r, exact and adjacent agreement, the
confusion matrix (rows rater, columns machine) and the mean difference
machine - rater. "Insufficient evidence" counts as 1.

``--json`` prints one JSON object: ``{"qwk": overall, "per_competency":
{id: {"qwk", "n", "pearson", "exact", "adjacent", "mean_diff"}}, "n": pairs,
"answers": answers, "scorer_version", "design"}``.

Exit status: 0 on success, 2 on a bad input file or bank.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any


class InputError(ValueError):
    """The rated file is missing or malformed."""


def register(subparsers: Any) -> None:
    """Add the ``evaluate`` subcommand."""
    parser = subparsers.add_parser("evaluate", help="agreement of the scorer with a rated answer file")
    parser.add_argument("file", type=Path, help="rated answers, JSON Lines")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--design", default=None, help="scoring design (default: the selected one)")
    parser.add_argument("--bank", type=Path, default=None, help="bank folder (default: data/bank)")
    parser.set_defaults(handler=run)


def read_rated(path: Path, known: dict[str, Any]) -> list[dict[str, Any]]:
    """Read and check a rated file.

    Args:
        path: The JSON Lines file.
        known: Question id -> QuestionSpec of the bank.

    Returns:
        The rows, each with ``scenario``, ``answer`` (str) and ``ratings``
        (competency -> int 1-5).

    Raises:
        InputError: Missing file, bad JSON, unknown scenario, bad ratings, or
            no rows at all; the message names the line.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON: {exc.msg}") from exc
        if not isinstance(row, dict):
            raise InputError(f"{where}: expected a JSON object")
        scenario, answer, ratings = row.get("scenario"), row.get("answer"), row.get("ratings")
        if scenario not in known:
            raise InputError(f"{where}: unknown scenario {scenario!r}")
        if not isinstance(answer, str):
            raise InputError(f"{where}: 'answer' must be a string")
        if not isinstance(ratings, dict) or not ratings:
            raise InputError(f"{where}: 'ratings' must be a non-empty object")
        question = known[scenario]
        for comp, value in ratings.items():
            if comp not in question.competencies:
                raise InputError(f"{where}: {comp!r} is not a competency of {scenario}")
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                raise InputError(f"{where}: rating of {comp} must be an integer 1-5, not {value!r}")
        rows.append(row)
    if not rows:
        raise InputError(f"{path}: no rated answers")
    return rows


def evaluate(rows: list[dict[str, Any]], questions: dict[str, Any], scorer: Any) -> dict[str, Any]:
    """Score the rows and compute the statistics.

    Returns:
        ``{"overall": summary, "per_competency": {id: summary}, "n", "answers"}``
        with summaries from :func:`bot.scoring.metrics.summary`.
    """
    from bot.scoring.metrics import summary

    rater: dict[str, list[int]] = defaultdict(list)
    machine: dict[str, list[int | None]] = defaultdict(list)
    for row in rows:
        result = scorer.score(row["answer"], questions[row["scenario"]])
        for comp, value in row["ratings"].items():
            got = result.ratings.get(comp)
            rater[comp].append(value)
            machine[comp].append(None if got is None else got.rating)
    all_r = [v for c in sorted(rater) for v in rater[c]]
    all_m = [v for c in sorted(rater) for v in machine[c]]
    return {
        "overall": summary(all_r, all_m),
        "per_competency": {c: summary(rater[c], machine[c]) for c in sorted(rater)},
        "n": len(all_r),
        "answers": len(rows),
    }


def _print_table(report: dict[str, Any], out: Any) -> None:
    header = f"{'competency':26s} {'n':>4s} {'QWK':>6s} {'r':>6s} {'exact':>6s} {'adj':>6s} {'m-r':>6s}"
    print(header, file=out)
    print("-" * len(header), file=out)
    items = list(report["per_competency"].items()) + [("OVERALL", report["overall"])]
    for name, s in items:
        print(
            f"{name:26s} {s['n']:4d} {s['qwk']:6.3f} {s['pearson']:6.3f} {s['exact']:6.1%} "
            f"{s['adjacent']:6.1%} {s['mean_diff']:+6.2f}",
            file=out,
        )
    for name, s in items:
        print(f"\n{name}: confusion (rows rater 1-5, columns machine 1-5)", file=out)
        for i, row in enumerate(s["confusion"], 1):
            print(f"  {i} " + " ".join(f"{v:4d}" for v in row), file=out)


def run(args: argparse.Namespace) -> int:
    """Handler of ``evaluate``; returns the exit status."""
    from bot.bank.files import BankError, read_bank

    try:
        bank = read_bank(args.bank) if args.bank else read_bank()
    except BankError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        rows = read_rated(args.file, bank.questions)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from bot.scoring import SCORER_VERSION, Scorer

    try:
        scorer = Scorer(design=args.design)
    except (ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = evaluate(rows, bank.questions, scorer)
    if args.json:
        out = {
            "qwk": report["overall"]["qwk"],
            "per_competency": {
                c: {k: s[k] for k in ("qwk", "n", "pearson", "exact", "adjacent", "mean_diff")}
                for c, s in report["per_competency"].items()
            },
            "n": report["n"],
            "answers": report["answers"],
            "scorer_version": SCORER_VERSION,
            "design": scorer.design,
        }
        print(json.dumps(out, sort_keys=True))
    else:
        print(f"{report['answers']} answers, {report['n']} ratings; scorer {SCORER_VERSION}, design {scorer.design}")
        _print_table(report, sys.stdout)
    return 0
