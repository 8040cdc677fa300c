"""Putting a question to the candidate."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from bot.interview import QuestionPrompt
from bot.interview.messages import render


def utter_prompt(dispatcher: CollectingDispatcher, prompt: QuestionPrompt) -> None:
    """Send a question (numbered) or its probe."""
    if prompt.is_probe:
        dispatcher.utter_message(text=render("probe", question=prompt.text))
    else:
        dispatcher.utter_message(
            text=render("question", number=prompt.number, total=prompt.total, question=prompt.text)
        )
