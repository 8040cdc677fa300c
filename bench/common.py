"""Helpers shared by the benchmarks that drive whole interviews and watch the processes.

* :class:`QuestionBook` tells which bank question a "Question N of 6: ..."
  reply asks, so that each answer fits the question it answers (the answers
  of ``tests/answers.py``: about 40 words, several concrete actions, rated at
  once without the follow-up probe);
* :func:`fitting_interview` runs one whole interview over the REST channel
  (consent, role, six answers) and records every turn, even when a turn fails;
* :func:`long_answer` pads an answer to just under the channels' limit;
* :func:`group_rss` and :func:`stack_rss` read the resident memory of each
  process of a server's process group from ``/proc`` (psutil is in neither
  environment).

Standard library and the project's own modules only.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from bench.conversation_latency import ANSWER, ROLES, exchange  # noqa: E402
from bot.bank import read_bank  # noqa: E402
from bot.channels.limits import MAX_MESSAGE_CHARS  # noqa: E402
from bot.interview.messages import render  # noqa: E402
from bot.servers import ServerProcess  # noqa: E402
from tests.answers import GOOD_ANSWERS  # noqa: E402
from tests.e2e.answers import LONG_PADDING  # noqa: E402

#: A reply that asks a question of the interview.
QUESTION_RE = re.compile(r"^Question (\d+) of (\d+): (.*)$", re.DOTALL)
#: Turns after which an interview that has not ended counts as stuck.
MAX_TURNS = 24
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower()))


class QuestionBook:
    """The bank's question wordings, to tell which question a reply asks and what fits it."""

    def __init__(self) -> None:
        bank = read_bank()
        self._wordings = [(_words(v), qid) for qid, q in bank.questions.items() for v in q.variants]

    def question_of(self, wording: str) -> str:
        """The id of the bank question whose wording is closest to ``wording`` (word overlap)."""
        asked = _words(wording)
        return max(self._wordings, key=lambda item: len(item[0] & asked) / (len(item[0] | asked) or 1))[1]

    def answer_to(self, wording: str) -> str:
        """A good, specific answer of about 40 words to the question worded ``wording``."""
        return GOOD_ANSWERS.get(self.question_of(wording), ANSWER)


def long_answer(answer: str, limit: int = MAX_MESSAGE_CHARS - 100) -> str:
    """``answer`` followed by general padding, cut at a word to at most ``limit`` characters."""
    text = answer
    while len(text) < limit:
        text += LONG_PADDING
    return text[:limit].rsplit(" ", 1)[0]


class InterviewError(RuntimeError):
    """An interview got a reply it did not expect, or did not end."""


@dataclass
class InterviewRun:
    """What one interview sent and how long each turn took.

    Attributes:
        sender: The conversation id.
        latencies_ms: Round trip of each answered turn.
        answers: Messages sent as answers (or follow-up replies) that got a reply.
        unconfirmed: Messages sent as answers whose request failed.
        completed: Whether the interview ended with the closing message.
    """

    sender: str
    latencies_ms: list[float] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)
    completed: bool = False


def fitting_interview(
    url: str,
    headers: dict[str, str],
    run: InterviewRun,
    book: QuestionBook,
    role: str | None = None,
    long_at: Container[int] = (),
) -> InterviewRun:
    """One whole interview: greeting, consent, role, then an answer fitting each question asked.

    A follow-up probe (a reply that neither asks the next question nor ends
    the interview) is answered with a generic answer. ``run`` is filled as
    the interview goes, so that it tells what was sent even when a turn fails.

    Args:
        url: The REST channel's webhook.
        headers: Its headers (with the bearer token).
        run: Where the turns are recorded; its ``sender`` is the conversation id.
        book: The question wordings.
        role: The role typed (default: one of ``ROLES``, by the sender).
        long_at: Question numbers (1-6) answered with a long answer (:func:`long_answer`).

    Returns:
        ``run``.

    Raises:
        InterviewError: A reply was not what an interview says at that point,
            or the interview did not end within ``MAX_TURNS`` turns.
        urllib.error.URLError, OSError: A request failed.
    """
    done = render("interview_done")

    def turn(message: str, is_answer: bool) -> list[str]:
        try:
            latency, replies = exchange(url, headers, run.sender, message)
        except Exception:
            if is_answer:
                run.unconfirmed.append(message)
            raise
        run.latencies_ms.append(latency)
        if is_answer:
            run.answers.append(message)
        return [reply.get("text", "") for reply in replies]

    turn("hello", False)
    turn("/affirm", False)
    texts = turn(role or ROLES[sum(map(ord, run.sender)) % len(ROLES)], False)
    if not any(QUESTION_RE.match(text) for text in texts):
        raise InterviewError(f"{run.sender}: the role did not start the interview: {texts!r:.200}")
    while len(run.latencies_ms) < MAX_TURNS:
        if done in texts:
            run.completed = True
            return run
        asked = [match for text in texts if (match := QUESTION_RE.match(text))]
        if asked:
            number, wording = int(asked[-1].group(1)), asked[-1].group(3)
            answer = book.answer_to(wording)
            texts = turn(long_answer(answer) if number in long_at else answer, True)
        elif texts:
            texts = turn(ANSWER, True)  # the follow-up probe
        else:
            raise InterviewError(f"{run.sender}: no reply after {len(run.latencies_ms)} turns")
    raise InterviewError(f"{run.sender}: no end after {MAX_TURNS} turns")


def group_rss(pgid: int) -> dict[str, int]:
    """Resident memory in bytes of each process of process group ``pgid``, keyed ``"pid name"``."""
    found: dict[str, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) != pgid:  # state, ppid, pgrp
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            pages = int(Path(entry.path, "statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        found[f"{entry.name} {name}"] = pages * PAGE_SIZE
    return found


def stack_rss(servers: Iterable[ServerProcess]) -> dict[str, int]:
    """Resident memory in bytes of every process of ``servers``, keyed ``"server/pid name"``.

    Each server runs in a process group of its own (:mod:`bot.servers`), so
    this counts its children too.
    """
    return {f"{server.name}/{key}": rss for server in servers for key, rss in group_rss(server.process.pid).items()}


def load_average() -> str:
    """The 1, 5 and 15-minute load averages, as ``"1.02 0.98 0.75"``."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def mb(value: float) -> str:
    """Bytes as megabytes, e.g. ``"1,340 MB"``."""
    return f"{value / 1e6:,.0f} MB"
