"""Work samples in an interview: their question rows, seeds, and stored scores.

A work-sample item is asked like any other question: it is a
:class:`~bot.db.models.Question` row of kind ``worksample`` (written here from
``worksamples.yml``), its answer an :class:`~bot.db.models.Answer` and its
rating a :class:`~bot.db.models.Score`. What differs is recorded on the rows:

* ``Interview.worksamples``: ``[{item_id, bank_version, seed}]``, the items
  planned, in plan order;
* ``Answer.worksample``: ``{item_id, kind, bank_version, seed, prompt}``, the
  instance asked;
* the score's ``evidence``: one entry for the rule that applied, then one per
  checked part (the candidate's figure next to the answer key), in the shape
  :func:`bot.web.render.highlight` reads (``start``/``end`` into the answer).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.bank.files import BACK_OFFICE
from bot.db.models import Question, QuestionKind, QuestionVariant, RubricVersion
from bot.worksamples.bank import WorkSampleBank, WorkSampleItem
from bot.worksamples.result import WorkSampleResult

#: The scorer version on every work-sample :class:`~bot.db.models.Score`.
SCORER_VERSION = "worksamples-1"
#: Marks a work-sample score in its flags (exports and pages read it).
WORKSAMPLE_FLAG = "work_sample"
#: The stored wording of a work-sample question; the text asked is drawn per interview.
PLACEHOLDER = "A short work task (its figures are drawn for each interview)."
#: What "why are you asking this?" is told, per competency rated.
PURPOSES: dict[str, str] = {
    "numeracy": "This is a short task like the job's everyday work with figures. "
    "You may use a calculator; take the time you need.",
    "timely_filing": "This is a short task like the job's everyday work with deadlines. Take the time you need.",
    "organisation": "This is a short task like the job's everyday organising work. Take the time you need.",
    "compliance": "This is a short task like the job's everyday judgement calls on rules. Take the time you need.",
    "written_communication": "This is a short task like the job's everyday written work. Take the time you need.",
}
#: Draws before a seed whose numbers repeat earlier ones is taken anyway.
MAX_DRAWS = 50
#: Largest seed (exclusive); fits a 32-bit signed integer.
SEED_LIMIT = 2**31


def item_rubric(item: WorkSampleItem, bank_version: int) -> dict[str, Any]:
    """The "rubric" stored for a work-sample question: which item, under which bank version."""
    return {"worksample": {"item_id": item.id, "kind": item.kind, "bank_version": bank_version}}


def _hash(rubric: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(rubric, sort_keys=True).encode("utf-8")).hexdigest()


def ensure_questions(session: Session, bank: WorkSampleBank, items: Iterable[WorkSampleItem]) -> None:
    """Write (or update) the question rows of ``items``; idempotent.

    A row gets a new :class:`RubricVersion` when the bank's version changed,
    so a score names the bank version its seed rebuilds under.

    Args:
        session: An open write transaction.
        bank: The work-sample bank (for its version).
        items: The items an interview is about to ask.

    Raises:
        ValueError: A question id is already used by a situational question.
    """
    for item in items:
        question = session.get(Question, item.id)
        if question is None:
            question = Question(id=item.id, kind=QuestionKind.WORKSAMPLE)
            question.variants.append(QuestionVariant(position=0, text=PLACEHOLDER))
            session.add(question)
        elif question.kind != QuestionKind.WORKSAMPLE:
            raise ValueError(f"work-sample item {item.id!r} clashes with a situational question of that id")
        question.family = BACK_OFFICE
        question.primary_competency_id = item.competency
        question.secondary_competency_id = item.competency
        question.purpose = PURPOSES.get(item.competency, PURPOSES["numeracy"])
        question.probe = ""
        session.flush()
        rubric = item_rubric(item, bank.version)
        digest = _hash(rubric)
        newest = question.current_rubric
        if newest is None or newest.content_hash != digest:
            version = 1 if newest is None else newest.version + 1
            session.add(RubricVersion(question_id=item.id, version=version, content_hash=digest, rubric=rubric))
            session.flush()
            session.refresh(question)


def random_seed() -> int:
    """A fresh seed from the operating system's random source, 0 <= seed < :data:`SEED_LIMIT`."""
    return secrets.randbelow(SEED_LIMIT)


def draw_seed(item: WorkSampleItem, avoid: Sequence[int], source: Callable[[], int] = random_seed) -> int:
    """A seed whose instance differs from the instances of every seed in ``avoid``.

    Two seeds can draw the same numbers, so instances are compared by their
    prompt text, not by seed.

    Args:
        item: The item.
        avoid: Seeds of the same item whose numbers must not come again (the
            previous interview's, the candidate's earlier ones).
        source: Draws a seed (tests pass a fixed sequence).

    Returns:
        The seed; after :data:`MAX_DRAWS` repeats the last draw is taken.
    """
    taken = {item.prompt(s) for s in avoid}
    seed = source()
    for _ in range(MAX_DRAWS):
        if item.prompt(seed) not in taken:
            break
        seed = source()
    return seed


def plan_entries(
    bank: WorkSampleBank,
    items: Sequence[WorkSampleItem],
    previous: Sequence[Sequence[dict[str, Any]]],
    source: Callable[[], int] = random_seed,
) -> list[dict[str, Any]]:
    """The ``Interview.worksamples`` entries of a new interview.

    Args:
        bank: The work-sample bank.
        items: The role's items, in order.
        previous: ``worksamples`` of the interviews whose numbers must not
            repeat: the last interview started (by anyone) and every earlier
            interview of the same candidate.
        source: Draws a seed.

    Returns:
        ``[{"item_id", "bank_version", "seed"}]`` in ``items`` order.
    """
    entries = []
    for item in items:
        avoid = [
            int(e["seed"])
            for plan in previous
            for e in plan
            if e.get("item_id") == item.id and e.get("bank_version") == bank.version
        ]
        entries.append({"item_id": item.id, "bank_version": bank.version, "seed": draw_seed(item, avoid, source)})
    return entries


def answer_record(bank: WorkSampleBank, entry: dict[str, Any]) -> dict[str, Any]:
    """``Answer.worksample`` for a planned entry: the entry, its kind and the prompt as shown.

    Raises:
        KeyError: The item is no longer in the bank.
    """
    item = bank.items[entry["item_id"]]
    return {**entry, "kind": item.kind, "prompt": item.prompt(int(entry["seed"]))}


def evidence_json(result: WorkSampleResult) -> list[dict[str, Any]]:
    """A result's evidence as stored on its score.

    The first entry is the rule (``polarity`` ``"rule"``, no span); each
    checked part follows with ``label``, ``expected`` (the answer key),
    ``given`` (the candidate's text or None), ``correct``, and ``start``/``end``
    offsets into the answer when the candidate's figure was found.
    """
    rows: list[dict[str, Any]] = [
        {
            "polarity": "rule",
            "indicator": f"rule: {result.rule}",
            "text": "",
            "rule": result.rule,
            "outcome": result.outcome,
            "item_id": result.item_id,
            "seed": result.seed,
        }
    ]
    for e in result.evidence:
        row: dict[str, Any] = {
            "label": e.label,
            "expected": e.expected,
            "given": e.given,
            "correct": e.correct,
            "text": e.given or "",
            "indicator": f"{e.label}: answer key {e.expected}",
            "polarity": "for" if e.correct else "against",
            "strength": 1.0,
        }
        if e.span is not None:
            row["start"], row["end"] = e.span
        rows.append(row)
    return rows


@dataclass(frozen=True)
class WorkSampleScore:
    """A :class:`WorkSampleResult` in the shape the interview service stores
    (:class:`bot.interview.service.ScoreLike`): never probed, one rating."""

    result: WorkSampleResult
    needs_probe: bool = False
    scorer_version: str = SCORER_VERSION

    @property
    def flags(self) -> list[str]:
        """``work_sample``, plus ``dont_know`` or the outcome when the answer was not an attempt."""
        flags = [WORKSAMPLE_FLAG]
        if self.result.dont_know:
            flags.append("dont_know")
        elif self.result.outcome != "scored":
            flags.append(self.result.outcome)
        return flags

    def to_dict(self) -> dict[str, Any]:
        """``{"ratings": {competency: {"rating", "evidence"}}, "flags": [...]}``."""
        return {
            "ratings": {self.result.competency: {"rating": self.result.rating, "evidence": evidence_json(self.result)}},
            "flags": self.flags,
        }


def score_answer(bank: WorkSampleBank, record: dict[str, Any], text: str) -> WorkSampleScore:
    """Score ``text`` against the instance ``record`` (an ``Answer.worksample``).

    Raises:
        KeyError: The item is no longer in the bank.
    """
    item = bank.items[record["item_id"]]
    return WorkSampleScore(item.score(int(record["seed"]), text))


def worksample_questions(session: Session) -> set[str]:
    """Ids of the work-sample question rows."""
    return set(session.scalars(select(Question.id).where(Question.kind == QuestionKind.WORKSAMPLE)))
