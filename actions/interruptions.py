"""Answers to interruptions in the middle of the interview."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.routing import reset_slots
from actions.runtime import call, service
from bot.interview.escape import payload_intent
from bot.interview.messages import STOP_BUTTONS, render


class ActionExplainQuestion(Action):
    """Why are you asking this? Tell the purpose of the current question."""

    def name(self) -> str:
        return "action_explain_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        prompt = await call(service().current_prompt, tracker.sender_id)
        if prompt is None:
            dispatcher.utter_message(response="utter_why_consent")
        else:
            dispatcher.utter_message(text=render("explain_question", purpose=prompt.purpose))
        return []


class ActionRepeatQuestion(Action):
    """Repeat the question: the form asks it again right after."""

    def name(self) -> str:
        return "action_repeat_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(text=render("repeat_question"))
        return []


class ActionTellProgress(Action):
    """How many questions are left."""

    def name(self) -> str:
        return "action_tell_progress"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        progress = await call(service().progress, tracker.sender_id)
        dispatcher.utter_message(text=render("progress", done=progress.done, total=progress.total, left=progress.left))
        return []


class ActionSkipQuestion(Action):
    """Record the question as skipped; the form asks the next one."""

    def name(self) -> str:
        return "action_skip_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = ((tracker.latest_message or {}).get("text") or "").strip()
        if payload_intent(text) not in (None, "skip_question"):
            # A payload of another intent (or of none the bot knows) read as
            # "skip" by the NLU: a skip cannot be undone, so nothing is skipped.
            return []
        await call(service().skip, tracker.sender_id)
        dispatcher.utter_message(text=render("skipped"))
        return []


class ActionRequestHuman(Action):
    """Record the wish for a person, pause the interview, say what happens next."""

    def name(self) -> str:
        return "action_request_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        svc = service()
        if await call(svc.open_interview_id, tracker.sender_id) is None:
            dispatcher.utter_message(text=render("handoff_no_interview"))
            return reset_slots(tracker, "closed")
        await call(svc.request_handoff, tracker.sender_id)
        dispatcher.utter_message(text=render("handoff"))
        return reset_slots(tracker, "closed")


def asked_to_confirm_stop(tracker: Tracker) -> bool:
    """Whether the bot's last action before the latest message asked "End the screening now?".

    A yes or no right after it answers that question, not the interview's;
    any other message (an answer, a greeting) goes on as usual.
    """
    seen_user = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            if seen_user:
                return False
            seen_user = True
        elif kind == "action" and seen_user and event.get("name") not in ("action_listen", None):
            return event.get("name") == "action_confirm_stop"
    return False


class ActionConfirmStop(Action):
    """Stop mid-interview: ask first, so that a slip does not end the screening."""

    def name(self) -> str:
        return "action_confirm_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(text=render("confirm_stop"), buttons=STOP_BUTTONS)
        return []


class ActionCancelStop(Action):
    """No, carry on: the form asks the same question again."""

    def name(self) -> str:
        return "action_cancel_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(text=render("stop_cancelled"))
        return []


class ActionStopInterview(Action):
    """Stop / I'm done: the interview is withdrawn; its answers are kept."""

    def name(self) -> str:
        return "action_stop_interview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        svc = service()
        answered = await call(svc.answered, tracker.sender_id)
        if await call(svc.withdraw, tracker.sender_id):
            dispatcher.utter_message(text=render("withdrawn" if answered else "withdrawn_before_answers"))
        elif await call(svc.last_finished_status, tracker.sender_id) == "completed":
            dispatcher.utter_message(text=render("already_done"))
        else:
            dispatcher.utter_message(text=render("stopped_before_start"))
        return reset_slots(tracker, "closed")


def new_session(tracker: Tracker) -> bool:
    """Whether the conversation session started since the bot last spoke (the candidate is back after a while)."""
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "bot":
            return False
        if kind == "session_started":
            return True
    return False


class ActionWelcomeBack(Action):
    """A greeting or "continue" in the middle of the interview: say where we are.

    A candidate back from a pause or after their session expired hears how
    far they are; a "hello" while a question is open is greeted back, and the
    question follows (the rule re-runs the form).
    """

    def name(self) -> str:
        return "action_welcome_back"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        progress = await call(service().resume, tracker.sender_id)
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if intent == "greet" and not (progress.resumed or new_session(tracker)) and progress.done < progress.total:
            text = render("hello_mid_question", number=progress.done + 1, total=progress.total)
        else:
            text = render("welcome_back_progress", done=progress.done, total=progress.total)
        dispatcher.utter_message(text=text)
        return []


class ActionCurrentRole(Action):
    """A role named mid-interview: say which role this interview is for.

    The answer is not taken as an answer, and the role does not change
    silently: the candidate is told how to start again with another role.
    """

    def name(self) -> str:
        return "action_current_role"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        svc = service()
        role_id = await call(svc.current_role, tracker.sender_id)
        names = dict(await call(svc.role_choices))
        if role_id:
            dispatcher.utter_message(text=render("current_role", role_name=names.get(role_id, role_id)))
        return []
