"""``python -m bot transcript ID``: an interview with its scores and evidence."""

from __future__ import annotations

import argparse
import json
import textwrap
from typing import Any

from bot.cli.common import migrated_sessions
from bot.review import transcript


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``transcript`` subcommand."""
    parser = subparsers.add_parser("transcript", help="print an interview's transcript, scores and evidence")
    parser.add_argument("interview_id", type=int)
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(handler=run)


def _rating(score: dict[str, Any]) -> str:
    return "insufficient evidence" if score["rating"] is None else f"{score['rating']}/5"


def render_text(data: dict[str, Any]) -> str:
    """The transcript as plain text for a terminal."""
    wrap = textwrap.TextWrapper(width=100, initial_indent="    ", subsequent_indent="    ")
    lines = [
        f"Interview {data['id']} - role {data['role'] or '-'} - {data['channel']} - {data['status']}",
        f"started {data['started_at']}  finished {data['finished_at'] or '-'}",
        "",
    ]
    for a in data["answers"]:
        lines.append(f"Q{a['position']} [{a['question_id']}] asked {a['asked_at']}")
        lines.extend(wrap.wrap(a["question"]))
        if a["status"] == "skipped":
            lines.append("  (skipped)")
        else:
            lines.append(f"  Answer ({a['answered_at']}):")
            lines.extend(wrap.wrap(a["answer"] or ""))
            if a["probe"]:
                lines.append(f"  Follow-up: {a['probe']}")
                lines.extend(wrap.wrap(a["follow_up"] or "(no reply)"))
        for s in a["scores"]:
            lines.append(
                f"  {s['competency']}: {_rating(s)}  (rubric v{s['rubric_version']}, scorer {s['scorer_version']})"
            )
            for e in s["evidence"]:
                lines.append(
                    f"      {e.get('polarity', '?'):>7} {e.get('indicator', '?')} "
                    f'({float(e.get("strength", 0)):.2f}): "{e.get("text", "")}"'
                )
            if s["flags"]:
                lines.append(f"      flags: {', '.join(s['flags'])}")
        lines.append("")
    prof = data["profile"]
    if prof["ratings"]:
        lines.append("Competency profile:")
        for cid, value in sorted(prof["ratings"].items()):
            lines.append(f"  {cid:<26} {value:.1f}")
        fit = "-" if prof["fit"] is None else f"{prof['fit']:.2f}"
        lines.append(f"Role fit: {fit} / 5")
    lines.append("Events: " + ", ".join(e["kind"] for e in data["events"]))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print the transcript; exit 1 when there is no such interview."""
    with migrated_sessions()() as session:
        data = transcript(session, args.interview_id)
    if data is None:
        print(f"no interview {args.interview_id}")
        return 1
    print(json.dumps(data, indent=2, ensure_ascii=False) if args.json else render_text(data))
    return 0
