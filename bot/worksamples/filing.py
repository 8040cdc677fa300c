"""Filing item: order documents by deadline and flag the one that will be late.

Instance: today's date and 4-6 documents (lettered A-F), each with who it is
for, how many full days it takes and the date it is due (done by the end of
that day). One document at a time, starting today: a 2-day job started today
is done at the end of tomorrow. Deadlines differ. Either every document can be
done on time in deadline order, or exactly one cannot be done on time even if
started first (it takes longer than the days left) while all others are on
time in deadline order. Answer key: the deadline order; the late document (or
none) and who to tell (the person it is for).

Reading the answer: documents are named by letter (capital A-F) or by name;
the order is the order they first appear outside sentences about lateness;
the late one is the document named in a sentence with "late", "can't",
"won't make", "miss" or the like.

Partial credit (timely_filing, 1-5), from points:
    order: 2 if the on-time documents are in deadline order (the late one may
        be left out or placed anywhere that keeps the others on time), 1 if
        one neighbouring pair is swapped, else 0;
    flag: with a late document, 1 for naming it and 1 for saying who to tell
        (its requester's name, or tell/inform + manager); with none, 2 unless
        a document is wrongly called late (then 1).
    Points 4 -> 5, 3 -> 4, 2 -> 3, 0-1 -> 2 ("right order but the late item
    not flagged" is 3). A screened-out answer is 1.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.worksamples.params import Range, WorkSampleError, get_range, get_share, get_text
from bot.worksamples.result import Evidence, WorkSampleResult
from bot.worksamples.screening import screen, unscored_rule

LETTERS = "ABCDEF"
_LATE = re.compile(
    r"\blate\b|\bcan\s*'?no?t\b|\bcan't\b|\bwon'?t\b|\bnot\s+(?:be\s+)?(?:done|finished|ready|made|make|possible)\b"
    r"|\bnot\s+(?:on|in)\s+time\b|\bmiss(?:es|ed)?\b|\bimpossible\b|\boverdue\b|\btoo\s+long\b",
    re.I,
)
_TELL = re.compile(r"\b(?:tell|inform|let|notify|email|e-mail|call|warn|escalate|contact|ask|flag)\b", re.I)
_BOSS = re.compile(r"\b(?:manager|boss|supervisor|team\s*lead(?:er)?|line\s+manager)\b", re.I)
_NOT_LETTER_A = re.compile(r"A\s+(?!then\b|and\b|first\b|next\b|last\b|is\b|will\b|can|won|before\b|after\b)[a-z]")


@dataclass(frozen=True)
class DocumentSpec:
    """A document the item can list: its name and who it is for (``tell`` is the name to tell)."""

    name: str
    for_whom: str
    tell: str


@dataclass(frozen=True)
class FilingTemplate:
    """Parameter ranges of the filing item (see ``data/bank/worksamples.yml``)."""

    documents: Range
    duration_days: Range
    late_duration_days: Range
    late_share: float
    first_today: dt.date
    today_span_days: int
    pool: tuple[DocumentSpec, ...]

    @classmethod
    def from_params(cls, params: Mapping[str, Any], where: str) -> FilingTemplate:
        """Validate ``params``; raise :class:`WorkSampleError` naming the field."""
        raw = params.get("pool")
        if not isinstance(raw, list) or not all(isinstance(d, Mapping) for d in raw):
            raise WorkSampleError(f"{where}.pool: expected a list of {{name, for, tell}}")
        pool = tuple(
            DocumentSpec(*(get_text(d, k, f"{where}.pool[{i}]") for k in ("name", "for", "tell")))
            for i, d in enumerate(raw)
        )
        try:
            first = dt.date.fromisoformat(str(params.get("first_today")))
        except ValueError as exc:
            raise WorkSampleError(f"{where}.first_today: expected a date YYYY-MM-DD") from exc
        span = get_range({"s": {"min": 0, "max": params.get("today_span_days", 0)}}, "s", f"{where}.today_span_days")
        template = cls(
            documents=get_range(params, "documents", where),
            duration_days=get_range(params, "duration_days", where),
            late_duration_days=get_range(params, "late_duration_days", where),
            late_share=get_share(params, "late_share", where),
            first_today=first,
            today_span_days=int(span.max),
            pool=pool,
        )
        if not 4 <= template.documents.min <= template.documents.max <= 6:
            raise WorkSampleError(f"{where}.documents: must lie within 4..6")
        if len({d.name.lower() for d in pool}) != len(pool) or len(pool) < template.documents.max:
            raise WorkSampleError(f"{where}.pool: need at least documents.max documents with distinct names")
        if template.duration_days.min < 1 or template.late_duration_days.min < 2:
            raise WorkSampleError(f"{where}: duration_days.min must be >= 1 and late_duration_days.min >= 2")
        return template


@dataclass(frozen=True)
class Document:
    """One listed document: ``letter``, ``name``, who it is ``for_whom``, ``days`` it takes, ``due`` date."""

    letter: str
    name: str
    for_whom: str
    tell: str
    days: int
    due: dt.date


@dataclass(frozen=True)
class FilingInstance:
    """One drawn filing list and its answer key.

    Attributes:
        seed: The seed it was drawn from.
        today: Today's date (work starts today).
        documents: The documents as listed, lettered A.. in listing order.
        order: Key: letters in deadline order.
        late: Key: the letter of the document that cannot be done on time, or None.
    """

    seed: int
    today: dt.date
    documents: tuple[Document, ...]
    order: tuple[str, ...]
    late: str | None

    def by_letter(self, letter: str) -> Document:
        """The document with ``letter``."""
        return next(d for d in self.documents if d.letter == letter)

    def late_in(self, order: tuple[str, ...]) -> set[str]:
        """Letters finishing after their due date when done in ``order`` from today."""
        used, late = 0, set()
        for letter in order:
            doc = self.by_letter(letter)
            used += doc.days
            if self.today + dt.timedelta(days=used - 1) > doc.due:
                late.add(letter)
        return late


def _draw(template: FilingTemplate, rng: random.Random) -> tuple[list[tuple[DocumentSpec, int, int]], int | None]:
    """Specs with (days, due offset) in deadline order, and the late one's position."""
    while True:
        n = int(template.documents.draw(rng))
        specs = rng.sample(template.pool, n)
        late_pos = rng.randrange(n) if rng.random() < template.late_share else None
        used, prev, rows, ok = 0, -1, [], True
        for pos, spec in enumerate(specs):
            if pos == late_pos:
                days = int(template.late_duration_days.draw(rng))
                if prev + 1 > days - 2:
                    ok = False
                    break
                due = rng.randint(prev + 1, days - 2)
            else:
                days = int(template.duration_days.draw(rng))
                due = max(used + days - 1 + rng.randint(0, 2), prev + 1)
            used += days
            prev = due
            rows.append((spec, days, due))
        if ok:
            return rows, late_pos


def generate(template: FilingTemplate, seed: int) -> FilingInstance:
    """Draw the instance of ``seed``; the same seed always gives the same instance."""
    rng = random.Random(seed)
    today = template.first_today + dt.timedelta(days=rng.randint(0, template.today_span_days))
    rows, late_pos = _draw(template, rng)
    listing = list(range(len(rows)))
    rng.shuffle(listing)
    documents, order = [], [""] * len(rows)
    for letter, pos in zip(LETTERS, listing, strict=False):
        spec, days, due = rows[pos]
        documents.append(Document(letter, spec.name, spec.for_whom, spec.tell, days, today + dt.timedelta(days=due)))
        order[pos] = letter
    late = order[late_pos] if late_pos is not None else None
    return FilingInstance(seed, today, tuple(documents), tuple(order), late)


def _day(date: dt.date) -> str:
    return f"{date:%a} {date.day} {date:%b}"


def prompt(instance: FilingInstance) -> str:
    """The text the candidate reads (one short line per document)."""
    rows = "\n".join(
        f"{d.letter}. {d.name} for {d.for_whom}: {d.days} day{'s' if d.days > 1 else ''}, due {_day(d.due)}"
        for d in instance.documents
    )
    return (
        f"Filing. Today is {_day(instance.today)}. You have these to do:\n{rows}\n"
        "You do one at a time, full days, starting today (a 2-day job started today is done at the end "
        "of tomorrow). Due means done by the end of that day.\n"
        "1) In what order do you do them?\n2) Can any not be done on time? If so, which, and who do you tell?"
    )


def _refs(instance: FilingInstance, text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for d in instance.documents:
        for m in re.finditer(rf"(?<![\w'])({d.letter})(?![\w'])", text):
            if not (d.letter == "A" and _NOT_LETTER_A.match(text, m.start())):
                found.append((m.start(), d.letter))
        for m in re.finditer(rf"\b{re.escape(d.name.lower())}\b", text.lower()):
            found.append((m.start(), d.letter))
    return sorted(found)


def read_answer(instance: FilingInstance, answer: str) -> tuple[tuple[str, ...], set[str], bool]:
    """The order written, the documents called late, and whether someone is to be told."""
    clauses = [c for c in re.split(r"[.;!?\n]+", answer) if c.strip()]
    order: list[str] = []
    flagged: set[str] = set()
    for clause in clauses:
        refs = [letter for _, letter in _refs(instance, clause)]
        m = _LATE.search(clause)
        if m and len(set(refs)) < len(instance.documents) - 1:
            if refs:
                positions = _refs(instance, clause)
                flagged.add(min(positions, key=lambda p: abs(p[0] - m.start()))[1])
            continue
        order.extend(r for r in refs if r not in order)
    late_doc = instance.by_letter(instance.late) if instance.late else None
    told = bool(_TELL.search(answer) and _BOSS.search(answer)) or bool(
        late_doc and re.search(rf"\b{re.escape(late_doc.tell)}\b", answer, re.I)
    )
    return tuple(order), flagged, told


def _order_points(instance: FilingInstance, order: tuple[str, ...]) -> int:
    key = [x for x in instance.order if x != instance.late]
    mine = [x for x in order if x != instance.late]
    if set(mine) != set(key) or len(order) != len(set(order)):
        return 0
    if instance.late and instance.late in order:
        if instance.late_in(order) - {instance.late}:
            return 1 if mine == key else 0
    if mine == key:
        return 2
    swaps = [i for i in range(len(key) - 1) if mine[i] == key[i + 1] and mine[i + 1] == key[i]]
    diffs = sum(a != b for a, b in zip(mine, key, strict=True))
    return 1 if len(swaps) == 1 and diffs == 2 else 0


def score(instance: FilingInstance, answer: str, item_id: str = "filing") -> WorkSampleResult:
    """Rate ``answer`` on timely_filing by the module's partial-credit rule.

    Args:
        instance: The instance the candidate saw.
        answer: Their free-text answer.
        item_id: The bank item's id, copied into the result.

    Returns:
        The rating with evidence (order, late document, who to tell).
    """
    order, flagged, told = read_answer(instance, answer)
    order_pts = _order_points(instance, order)
    late_doc = instance.by_letter(instance.late) if instance.late else None
    if late_doc:
        flag_pts = int(flagged == {late_doc.letter}) + int(told)
    else:
        flag_pts = 1 if flagged else 2
    evidence = (
        Evidence("order", ", ".join(instance.order) + " (deadline order)", ", ".join(order) or None, None,
                 order_pts == 2),
        Evidence("cannot be done on time", late_doc.letter if late_doc else "none, all on time",
                 ", ".join(sorted(flagged)) or None, None, flagged == ({late_doc.letter} if late_doc else set())),
    )  # fmt: skip
    if late_doc:
        evidence += (Evidence("who to tell", f"{late_doc.tell} (or the manager)", "yes" if told else None, None, told),)
    outcome = screen(answer, prompt(instance), attempted=bool(order or flagged))
    if outcome is not None:
        return WorkSampleResult(item_id, "filing", instance.seed, "timely_filing", 1, outcome,
                                outcome == "dont_know", unscored_rule(outcome), evidence)  # fmt: skip
    points = order_pts + flag_pts
    rating = {4: 5, 3: 4, 2: 3}.get(points, 2)
    rule = f"order {order_pts}/2 + late flag and telling {flag_pts}/2 = {points} points: {rating}"
    return WorkSampleResult(item_id, "filing", instance.seed, "timely_filing", rating, "scored", False, rule, evidence)
