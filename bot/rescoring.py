"""Re-scoring stored answers under the current rubric and scorer versions."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Answer, AnswerStatus, Question, QuestionKind, RubricVersion, Score
from bot.interview.service import ScoreLike, ScorerLike, add_scores, question_spec, score_safely

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RescoreReport:
    """What a re-scoring run did: answers scored, failed, and seconds taken."""

    scored: int
    failed: int
    seconds: float


def answers_to_rescore(session: Session, scorer_version: str) -> list[int]:
    """Ids of answered answers with no score under their question's newest
    rubric version and ``scorer_version``.

    Work-sample answers are left out: they are scored exactly, once, by
    :mod:`bot.worksamples` (their scores never depend on the scorer).
    """
    newest = (
        select(RubricVersion.question_id, RubricVersion.id)
        .where(
            RubricVersion.version
            == select(RubricVersion.version)
            .where(RubricVersion.question_id == Question.id)
            .correlate(Question)
            .order_by(RubricVersion.version.desc())
            .limit(1)
            .scalar_subquery()
        )
        .join(Question, Question.id == RubricVersion.question_id)
        .subquery()
    )
    has_current = exists().where(
        and_(
            Score.answer_id == Answer.id,
            Score.rubric_version_id == newest.c.id,
            Score.scorer_version == scorer_version,
        )
    )
    query = (
        select(Answer.id)
        .join(newest, newest.c.question_id == Answer.question_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.status == AnswerStatus.ANSWERED, Question.kind == QuestionKind.SITUATIONAL, ~has_current)
        .order_by(Answer.id)
    )
    return list(session.scalars(query))


def rescore(
    sessions: sessionmaker[Session], scorer: ScorerLike, scorer_version: str, batch: int = 200
) -> RescoreReport:
    """Score every answer that lacks a current score; older scores are kept.

    Args:
        sessions: Session factory of the screener database.
        scorer: The scorer to use.
        scorer_version: Its version string.
        batch: Answers per transaction.

    Returns:
        A :class:`RescoreReport`.
    """
    start = time.perf_counter()
    with sessions() as session:
        pending = answers_to_rescore(session, scorer_version)
    scored = failed = 0
    for offset in range(0, len(pending), batch):
        results = _score_batch(sessions, scorer, pending[offset : offset + batch])
        with sessions.begin() as session:
            for answer_id, (scored_text, rubric_id, result) in results.items():
                answer = session.get(Answer, answer_id)
                if result is None or answer is None or answer.scored_text != scored_text:
                    failed += 1
                    continue
                add_scores(session, answer, result, rubric_id)
                scored += 1
    return RescoreReport(scored=scored, failed=failed, seconds=time.perf_counter() - start)


def _score_batch(
    sessions: sessionmaker[Session], scorer: ScorerLike, answer_ids: list[int]
) -> dict[int, tuple[str, int, ScoreLike | None]]:
    """Score answers with no transaction open: id → (scored text, rubric version id, result or None)."""
    with sessions() as session:
        drafts = []
        for answer in session.scalars(select(Answer).where(Answer.id.in_(answer_ids))):
            rubric = answer.question.current_rubric
            if rubric is None:
                log.error("answer %s: its question has no rubric", answer.id)
            spec = question_spec(answer.question)
            drafts.append((answer.id, answer.scored_text, rubric.id if rubric else 0, spec))
    return {
        answer_id: (text, rubric_id, score_safely(scorer, text, spec, f"answer {answer_id}") if rubric_id else None)
        for answer_id, text, rubric_id, spec in drafts
    }
