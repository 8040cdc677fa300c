"""Interview logic that Rasa's custom actions call: progress lives in our tables."""

from bot.interview.service import (
    AnswerOutcome,
    InterviewService,
    Progress,
    QuestionPrompt,
)
from bot.interview.text import AnswerTooLong, clean_answer

__all__ = [
    "AnswerOutcome",
    "AnswerTooLong",
    "InterviewService",
    "Progress",
    "QuestionPrompt",
    "clean_answer",
]
