"""Answer scoring: rate a free-text answer on a question's competencies.

Public API::

    from bot.scoring import Scorer, ScoreResult, CompetencyRating, Evidence, SCORER_VERSION
    scorer = Scorer()
    result = scorer.score(answer_text, question)   # question: bot.bank.files.QuestionSpec

See ``docs/scoring.md`` for the design and its measured agreement with raters.
"""

from bot.scoring.scorer import Scorer
from bot.scoring.types import CompetencyRating, Evidence, ScoreResult
from bot.scoring.version import SCORER_VERSION

__all__ = ["SCORER_VERSION", "CompetencyRating", "Evidence", "ScoreResult", "Scorer"]
