"""The interview form: one question at a time, from the database."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.interruptions import asked_to_confirm_stop
from actions.prompts import utter_prompt
from actions.routing import reset_slots
from actions.runtime import call, service
from bot.interview import AnswerTooLong, clean_answer
from bot.interview.escape import (
    MAX_ESCAPE_WORDS,
    PAYLOAD,
    is_acknowledgement,
    is_escape,
    is_worksample_attempt,
    payload_intent,
)
from bot.interview.messages import render
from bot.interview.text import MAX_ANSWER_CHARS
from bot.notify import notify_completed

FORM = "interview_form"


#: Seconds within which the same message sent again is taken as sent once.
RESEND_WINDOW = 10.0


def is_resent(tracker: Tracker, window: float = RESEND_WINDOW) -> bool:
    """Whether the latest message repeats the one before it within ``window`` seconds.

    A double click, a client retry or an impatient resend would otherwise be
    stored as the answer to the next question too. The tracker alone cannot
    tell whether the first message was taken (an action that failed leaves
    it in the tracker, unstored): the form also asks the database
    (:meth:`bot.interview.InterviewService.just_stored`).
    """
    users = [e for e in reversed(tracker.events) if e.get("event") == "user"][:2]
    if len(users) < 2:
        return False
    latest, before = users
    same = (latest.get("text") or "").strip() == (before.get("text") or "").strip()
    close = abs((latest.get("timestamp") or 0) - (before.get("timestamp") or 0)) <= window
    return same and close


class ValidateInterviewForm(FormValidationAction):
    """Takes each answer, stores and scores it, and decides what comes next.

    The form's only slot, ``answer``, is filled here (a custom mapping) and
    cleared after every answer, so the form asks again until the database
    says no question is left; then ``required_slots`` is empty and the form
    completes.
    """

    def name(self) -> str:
        return "validate_interview_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """``["answer"]`` while a question is left, else ``[]``."""
        prompt = await call(service().current_prompt, tracker.sender_id)
        return domain_slots if prompt is not None else []

    async def extract_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The whole message, when it answers the open question.

        Nothing is extracted when the form is not asking (so the message that
        opened the form is never an answer) or the message is a short escape
        request; the form is then rejected and an interruption rule runs.
        While a work sample is open, a message with a figure in it is an
        answer unless it asks to leave (:func:`is_worksample_attempt`).
        """
        if tracker.active_loop_name != FORM or tracker.get_slot("requested_slot") != "answer":
            return {}
        message = tracker.latest_message or {}
        intent = message.get("intent") or {}
        text = message.get("text") or ""
        if PAYLOAD.match(text.strip()) and payload_intent(text) != intent.get("name"):
            # A payload naming no intent of ours was read by NLU as text: no rule may act on
            # that guess. The form takes it, and validate_answer drops it unstored.
            return {"answer": text}
        if is_escape(intent.get("name"), intent.get("confidence"), text):
            if is_worksample_attempt(intent.get("name"), text):
                prompt = await call(service().current_prompt, tracker.sender_id)
                if prompt is not None and prompt.worksample:
                    return {"answer": text}  # "46 hours, £712.50" answers a work sample, whatever the NLU guessed
            return {}
        if (
            intent.get("name") in ("affirm", "deny")
            and len(text.split()) <= MAX_ESCAPE_WORDS
            and asked_to_confirm_stop(tracker)
        ):
            return {}  # a short yes/no to "End the screening now?": its rule answers; a longer reply is the answer
        return {"answer": text}

    async def validate_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Store the answer; clear the slot so the next question is asked.

        A slot cleared by another action (``value`` None) is not an answer;
        nor is an empty message, one over the length limit, or one that only
        acknowledges the question ("ok", "sure, ready"): the candidate is
        told and the question stays open.
        """
        if value is None or PAYLOAD.match(str(value).strip()):
            return {"answer": None}  # cleared by another action, or a stray payload: not an answer
        try:
            text = clean_answer(value if isinstance(value, str) else str(value or ""))
        except AnswerTooLong as exc:
            dispatcher.utter_message(text=render("answer_too_long", length=exc.length, limit=MAX_ANSWER_CHARS))
            return {"answer": None}
        if not text:
            dispatcher.utter_message(text=render("empty_answer"))
            return {"answer": None}
        if is_acknowledgement(text):  # "ok", "sure, ready": the question stays open
            dispatcher.utter_message(text=render("awaiting_answer"))
            return {"answer": None}
        if is_resent(tracker) and await call(service().just_stored, tracker.sender_id, text, RESEND_WINDOW):
            return {"answer": None}  # a double click or a retry: already taken
        outcome = await call(service().submit_answer, tracker.sender_id, text)
        if outcome.unreadable:
            dispatcher.utter_message(text=render("other_language"))
        return {"answer": None}


class ActionAskAnswer(Action):
    """Ask the current question (or its probe) from the database."""

    def name(self) -> str:
        return "action_ask_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        prompt = await call(service().current_prompt, tracker.sender_id)
        if prompt is not None:
            utter_prompt(dispatcher, prompt)
        return []


class ActionSubmitInterview(Action):
    """Every question is done: mark the interview completed, say goodbye, tell the recruiters."""

    def name(self) -> str:
        return "action_submit_interview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        interview_id = await call(service().open_interview_id, tracker.sender_id)
        if await call(service().complete, tracker.sender_id):
            dispatcher.utter_message(text=render("interview_done"))
            notify_completed(interview_id)  # background task; never fails the action
        return reset_slots(tracker, "closed")
