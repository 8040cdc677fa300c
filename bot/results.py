"""An interview's results, computed in one place from one query.

The rule, used by the command line, every recruiter page, the exports, the
cached list summaries and the notifications:

* per answer and competency, the newest score counts (highest rubric
  version, then highest score id: :func:`newest_key`);
* a recruiter's override of that score, the newest one, replaces its rating
  (unless the caller asks for the scorer's ratings alone);
* "insufficient evidence" (no rating) counts as 1;
* a competency's rating is the mean over the interview's answers;
* a family index is the mean over the rated competencies of that family
  (the families are :data:`bot.bank.files.FAMILIES`);
* the role fit is the role-weighted mean over the rated competencies;
* work-sample ratings (:mod:`bot.worksamples`) count like any other rating;
  :attr:`AnswerRating.worksample` marks them.

:func:`load_results` reads the rows for one or many interviews with a single
``SELECT``; :func:`compute_results` turns rows into :class:`InterviewResults`
without touching the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from bot.bank.files import BACK_OFFICE, FAMILIES, FRONT_OFFICE
from bot.db.models import (
    Answer,
    AnswerStatus,
    Competency,
    Interview,
    Question,
    QuestionKind,
    RatingOverride,
    RoleWeight,
    RubricVersion,
    Score,
)

#: Where an effective rating comes from.
Source = Literal["scorer", "override"]

#: Rating that "insufficient evidence" counts as.
INSUFFICIENT_EVIDENCE_RATING = 1


def newest_key(rubric_version: int, score_id: int) -> tuple[int, int]:
    """Order of an answer's scores of one competency: the greatest key is the newest.

    Args:
        rubric_version: The score's rubric version number.
        score_id: The score's primary key.

    Returns:
        ``(rubric_version, score_id)``.
    """
    return (rubric_version, score_id)


@dataclass(frozen=True)
class ResultRow:
    """One row of the results query: an answer, and one of its scores if any.

    Attributes:
        interview_id: The interview.
        answer_id: The answer, None for an interview without answers.
        status: The answer's :class:`~bot.db.models.AnswerStatus`, or None.
        probed: Whether the follow-up question was asked.
        score_id: The score, None for an answer without scores.
        competency_id: The score's competency.
        family: The competency's family (one of :data:`FAMILIES`).
        rating: The scorer's rating (1-5), None for insufficient evidence.
        rubric_version: The score's rubric version number.
        weight: The interview role's weight of the competency (0 when the
            role does not weigh it or there is no role).
        overridden: Whether a recruiter overrode the score.
        override_rating: The newest override's rating (1-5 or None).
        worksample: Whether the answer's question is a work-sample item.
    """

    interview_id: int
    answer_id: int | None = None
    status: str | None = None
    probed: bool = False
    score_id: int | None = None
    competency_id: str | None = None
    family: str | None = None
    rating: int | None = None
    rubric_version: int = 0
    weight: float = 0.0
    overridden: bool = False
    override_rating: int | None = None
    worksample: bool = False


@dataclass(frozen=True)
class AnswerRating:
    """The rating of one competency on one answer: its newest score, maybe overridden.

    Attributes:
        answer_id: The answer.
        score_id: The newest score of the competency on the answer.
        competency_id: The competency.
        scorer_rating: The scorer's rating (1-5), None for insufficient evidence.
        rating: The rating that counts: the override's when there is one.
        source: ``"override"`` when a recruiter's override applies, else ``"scorer"``.
        worksample: Whether the rating is of a work-sample answer (scored
            exactly by :mod:`bot.worksamples`).
    """

    answer_id: int
    score_id: int
    competency_id: str
    scorer_rating: int | None
    rating: int | None
    source: Source
    worksample: bool = False


@dataclass(frozen=True)
class InterviewResults:
    """What an interview's answers add up to.

    Attributes:
        interview_id: The interview.
        answer_ratings: The newest rating per answer and competency, ordered
            by answer id, then competency id.
        ratings: Competency id -> mean rating (1-5) over the interview's
            answers; "insufficient evidence" counts as 1.
        families: Family -> mean of ``ratings`` over that family's rated
            competencies (1-5), None when none is rated. Every name in
            :data:`FAMILIES` is a key.
        fit: Role-weighted mean of ``ratings`` over the rated competencies
            (1-5); None without a role, without ratings, or when the role
            weighs none of the rated competencies.
        answered: Answers given (status ``answered``).
        skipped: Questions skipped.
        probed: Answers that drew the follow-up question.
    """

    interview_id: int
    answer_ratings: tuple[AnswerRating, ...] = ()
    ratings: dict[str, float] = field(default_factory=dict)
    families: dict[str, float | None] = field(default_factory=lambda: dict.fromkeys(FAMILIES))
    fit: float | None = None
    answered: int = 0
    skipped: int = 0
    probed: int = 0

    @property
    def front_office(self) -> float | None:
        """The front office index (see ``families``)."""
        return self.families.get(FRONT_OFFICE)

    @property
    def back_office(self) -> float | None:
        """The back office index (see ``families``)."""
        return self.families.get(BACK_OFFICE)

    def rating_of(self, score_id: int) -> AnswerRating | None:
        """The answer rating whose newest score is ``score_id``, or None."""
        for rating in self.answer_ratings:
            if rating.score_id == score_id:
                return rating
        return None

    def profile_dict(self) -> dict[str, object]:
        """The JSON-ready profile: ``ratings``, ``fit`` and one key per family."""
        return {"ratings": dict(self.ratings), "fit": self.fit, **self.families}


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def compute_results(interview_id: int, rows: Iterable[ResultRow], with_overrides: bool = True) -> InterviewResults:
    """Apply the rules (module documentation) to one interview's rows.

    Args:
        interview_id: The interview the rows belong to.
        rows: Its rows, in any order (an answer with several scores appears
            once per score).
        with_overrides: Whether recruiters' overrides replace the scorer's
            ratings; False gives the scorer's own results.

    Returns:
        The interview's results; empty ratings when nothing is scored.
    """
    newest: dict[tuple[int, str], ResultRow] = {}
    statuses: dict[int, tuple[str | None, bool]] = {}
    families: dict[str, str | None] = {}
    weights: dict[str, float] = {}
    for row in rows:
        if row.answer_id is None:
            continue
        statuses[row.answer_id] = (row.status, row.probed)
        if row.score_id is None or row.competency_id is None:
            continue
        families[row.competency_id] = row.family
        weights[row.competency_id] = row.weight
        key = (row.answer_id, row.competency_id)
        current = newest.get(key)
        if current is None or newest_key(row.rubric_version, row.score_id) > newest_key(
            current.rubric_version, current.score_id or 0
        ):
            newest[key] = row
    answer_ratings = []
    collected: dict[str, list[int]] = defaultdict(list)
    for (answer_id, competency), row in sorted(newest.items()):
        overridden = with_overrides and row.overridden
        rating = row.override_rating if overridden else row.rating
        answer_ratings.append(
            AnswerRating(
                answer_id=answer_id,
                score_id=row.score_id or 0,
                competency_id=competency,
                scorer_rating=row.rating,
                rating=rating,
                source="override" if overridden else "scorer",
                worksample=row.worksample,
            )
        )
        collected[competency].append(rating or INSUFFICIENT_EVIDENCE_RATING)
    ratings = {cid: sum(values) / len(values) for cid, values in collected.items()}
    family_means = {
        family: _mean([r for cid, r in ratings.items() if families.get(cid) == family]) for family in FAMILIES
    }
    total = sum(weights.get(cid, 0.0) for cid in ratings)
    fit = sum(weights.get(cid, 0.0) * r for cid, r in ratings.items()) / total if ratings and total > 0 else None
    status_values = list(statuses.values())
    return InterviewResults(
        interview_id=interview_id,
        answer_ratings=tuple(answer_ratings),
        ratings=ratings,
        families=family_means,
        fit=fit,
        answered=sum(1 for status, _ in status_values if status == AnswerStatus.ANSWERED),
        skipped=sum(1 for status, _ in status_values if status == AnswerStatus.SKIPPED),
        probed=sum(1 for _, probed in status_values if probed),
    )


def result_rows(session: Session, interview_ids: Sequence[int]) -> dict[int, list[ResultRow]]:
    """The rows of interviews ``interview_ids``, read with one ``SELECT``.

    Interviews outer-join their answers, the answers' scores (with rubric
    version, competency family and role weight) and each score's newest
    override, so that no ORM object is loaded.

    Args:
        interview_ids: Interview ids; unknown ids are left out of the result.

    Returns:
        Interview id -> its rows (at least one per existing interview).
    """
    if not interview_ids:
        return {}
    ids = list(interview_ids)
    newest_override = (
        select(RatingOverride.score_id, func.max(RatingOverride.id).label("id"))
        .where(RatingOverride.interview_id.in_(ids))
        .group_by(RatingOverride.score_id)
        .subquery()
    )
    override = RatingOverride.__table__.alias("newest_override")
    query = (
        select(
            Interview.id,
            Answer.id,
            Answer.status,
            Answer.follow_up_asked_at,
            Score.id,
            Score.competency_id,
            Competency.family,
            Score.rating,
            RubricVersion.version,
            RoleWeight.weight,
            override.c.id,
            override.c.rating,
            Question.kind,
        )
        .outerjoin(Answer, Answer.interview_id == Interview.id)
        .outerjoin(Question, Question.id == Answer.question_id)
        .outerjoin(Score, Score.answer_id == Answer.id)
        .outerjoin(RubricVersion, RubricVersion.id == Score.rubric_version_id)
        .outerjoin(Competency, Competency.id == Score.competency_id)
        .outerjoin(
            RoleWeight, and_(RoleWeight.role_id == Interview.role_id, RoleWeight.competency_id == Score.competency_id)
        )
        .outerjoin(newest_override, newest_override.c.score_id == Score.id)
        .outerjoin(
            override, and_(override.c.id == newest_override.c.id, override.c.interview_id == Answer.interview_id)
        )
        .where(Interview.id.in_(ids))
    )
    rows: dict[int, list[ResultRow]] = defaultdict(list)
    for (
        interview_id,
        answer_id,
        status,
        follow_up_asked_at,
        score_id,
        competency_id,
        family,
        rating,
        version,
        weight,
        override_id,
        override_rating,
        question_kind,
    ) in session.execute(query):
        rows[interview_id].append(
            ResultRow(
                interview_id=interview_id,
                answer_id=answer_id,
                status=status,
                probed=_probed(follow_up_asked_at),
                score_id=score_id,
                competency_id=competency_id,
                family=family,
                rating=rating,
                rubric_version=version or 0,
                weight=weight or 0.0,
                overridden=override_id is not None,
                override_rating=override_rating,
                worksample=question_kind == QuestionKind.WORKSAMPLE,
            )
        )
    return dict(rows)


def _probed(follow_up_asked_at: datetime | None) -> bool:
    return follow_up_asked_at is not None


def load_results(
    session: Session, interview_ids: Sequence[int], with_overrides: bool = True
) -> dict[int, InterviewResults]:
    """The results of interviews ``interview_ids`` (one query, see :func:`result_rows`).

    Args:
        interview_ids: Interview ids; unknown ids are left out of the result.
        with_overrides: Whether recruiters' overrides apply (False: the
            scorer's own results).

    Returns:
        Interview id -> its results.
    """
    return {
        interview_id: compute_results(interview_id, rows, with_overrides)
        for interview_id, rows in result_rows(session, interview_ids).items()
    }


def interview_results(session: Session, interview_id: int, with_overrides: bool = True) -> InterviewResults | None:
    """The results of one interview, None when there is no such interview (see :func:`load_results`)."""
    return load_results(session, [interview_id], with_overrides).get(interview_id)
