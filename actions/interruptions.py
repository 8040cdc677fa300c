"""Answers to interruptions in the middle of the interview."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.routing import reset_slots
from actions.runtime import call, service
from bot.interview.messages import render


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


class ActionStopInterview(Action):
    """Stop / I'm done: the interview is withdrawn; its answers are kept."""

    def name(self) -> str:
        return "action_stop_interview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        svc = service()
        answered = (await call(svc.progress, tracker.sender_id)).done
        if await call(svc.withdraw, tracker.sender_id):
            dispatcher.utter_message(text=render("withdrawn" if answered else "withdrawn_before_answers"))
        else:
            dispatcher.utter_message(text=render("stopped_before_start"))
        return reset_slots(tracker, "closed")


class ActionWelcomeBack(Action):
    """A greeting in the middle of the interview: say where we are."""

    def name(self) -> str:
        return "action_welcome_back"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        progress = await call(service().resume, tracker.sender_id)
        dispatcher.utter_message(text=render("welcome_back_progress", done=progress.done, total=progress.total))
        return []
