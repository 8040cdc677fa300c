"""Re-scoring stored answers under the current rubric and scorer versions."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Answer, AnswerStatus, Question, RubricVersion, Score
from bot.interview.service import ScorerLike, store_scores

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RescoreReport:
    """What a re-scoring run did: answers scored, failed, and seconds taken."""

    scored: int
    failed: int
    seconds: float


def answers_to_rescore(session: Session, scorer_version: str) -> list[int]:
    """Ids of answered answers with no score under their question's newest
    rubric version and ``scorer_version``."""
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
        .where(Answer.status == AnswerStatus.ANSWERED, ~has_current)
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
        with sessions.begin() as session:
            answers = session.scalars(select(Answer).where(Answer.id.in_(pending[offset : offset + batch])))
            for answer in answers:
                try:
                    with session.begin_nested():
                        store_scores(session, answer, scorer)
                    scored += 1
                except Exception:
                    log.exception("could not re-score answer %s", answer.id)
                    failed += 1
    return RescoreReport(scored=scored, failed=failed, seconds=time.perf_counter() - start)
