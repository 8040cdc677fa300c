"""Where a conversation goes: session start and routing."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, EventType, Restarted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.prompts import utter_prompt
from actions.runtime import call, service
from bot.db.models import InterviewStatus
from bot.interview import AnswerTooLong, clean_answer
from bot.interview.escape import is_escape
from bot.interview.messages import render

INTERVIEW_FORM = "interview_form"


class ActionSessionStart(Action):
    """Start a new Rasa session without losing an interview.

    A session that expires mid-form loses the active form while the slots
    carry over. Progress is in the database, so when the conversation has an
    interview in progress with a role, the new session re-opens the interview
    form on its current question: the candidate's next message is taken as the
    answer, and a greeting is answered with a welcome back and the question.
    """

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        carried = {
            key: value
            for key, value in tracker.slots.items()
            if key not in ("requested_slot", "answer", "session_started_metadata") and value is not None
        }
        events.extend(SlotSet(key, value) for key, value in carried.items())
        status, has_role = await call(service().status, tracker.sender_id)
        if status == InterviewStatus.IN_PROGRESS and has_role:
            events.extend(
                [
                    SlotSet("stage", "interview"),
                    ActiveLoop(INTERVIEW_FORM),
                    SlotSet("requested_slot", "answer"),
                ]
            )
        events.append(ActionExecuted("action_listen"))
        return events


class ActionRestart(Action):
    """``/restart``: clear Rasa's conversation and say so.

    Progress is in the database, so nothing of the interview is lost: the
    current question is asked again and the next session re-opens the form
    on it.
    """

    def name(self) -> str:
        return "action_restart"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(text=render("restarted"))
        prompt = await call(service().current_prompt, tracker.sender_id)
        status, _ = await call(service().status, tracker.sender_id)
        if prompt is not None and status == "in_progress":
            # The next session re-opens the form on this question (action_session_start).
            utter_prompt(dispatcher, prompt)
        else:
            dispatcher.utter_message(text=render("no_screening"))
        return [Restarted()]


class ActionRoute(Action):
    """Send the conversation where the candidate stands, by the database.

    Sets ``stage``:

    * ``onboarding``: no interview yet (consent is asked), or consent given
      but no role chosen (``consent`` is set so only the role is asked);
    * ``interview``: an interview in progress or paused (a paused one is
      resumed);
    * ``closed`` never comes from here; the submit actions set it.
    """

    def name(self) -> str:
        return "action_route"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        svc = service()
        sender = tracker.sender_id
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        status, has_role = await call(svc.status, sender)
        if status is None:
            finished = await call(svc.last_finished_status, sender)
            if finished == "completed" and intent != "start_screening":
                # After the end: what happens next; a new screening only when asked for.
                dispatcher.utter_message(text=render("already_done"), buttons=START_AGAIN_BUTTONS)
                return changed_slots(tracker, "closed")
            if intent in ABOUT_THE_INTERVIEW:
                dispatcher.utter_message(text=render("no_screening"))
                return changed_slots(tracker, "closed")
            # "Hi! I applied for the receptionist job": the role is kept; consent is still asked first.
            named = await call(svc.resolve_roles, message.get("text")) if intent in NAMING_INTENTS else []
            return changed_slots(tracker, "onboarding", consent=None, role=named[0] if len(named) == 1 else None)
        progress = await call(svc.resume, sender)
        if not has_role:
            invited = await call(svc.invited_role, sender)
            return changed_slots(tracker, "onboarding", consent=True, role=invited)
        if looks_like_answer(message):
            # Back after a pause with the answer to the question still on screen.
            try:
                await call(svc.submit_answer, sender, clean_answer(message.get("text")))
                return changed_slots(tracker, "interview", answer=None)
            except AnswerTooLong:
                pass
        dispatcher.utter_message(text=render("welcome_back_progress", done=progress.done, total=progress.total))
        return changed_slots(tracker, "interview", answer=None)


#: The one way to a new screening once one is complete.
START_AGAIN_BUTTONS = [{"title": "Start a new screening", "payload": "/start_screening"}]
#: Intents of a first message that may name the role applied for.
NAMING_INTENTS = frozenset({"greet", "choose_role"})
#: Questions about an interview that are no reason to start a new one.
ABOUT_THE_INTERVIEW = frozenset({"ask_progress", "repeat_question", "skip_question", "ask_why", "stop_interview"})
#: Intents that bring a candidate back without answering anything.
RETURNING_INTENTS = frozenset({"greet", "continue_interview", "choose_role", "affirm", "deny", "goodbye"})


def looks_like_answer(message: dict[str, Any]) -> bool:
    """Whether a message that re-opens the interview is an answer to its question.

    True for text the NLU reads as an answer (or cannot read), and for any
    other non-escape message of four words or more that is not a greeting or
    a wish to continue.
    """
    text = (message.get("text") or "").strip()
    intent = message.get("intent") or {}
    name = intent.get("name")
    if not text or is_escape(name, intent.get("confidence"), text):
        return False
    if name in ("give_answer", "nlu_fallback"):
        return True
    return name not in RETURNING_INTENTS and len(text.split()) >= 4


def changed_slots(tracker: Tracker, stage: str, **values: Any) -> list[EventType]:
    """Set ``stage``, and the slots in ``values`` whose value differs.

    ``stage`` is always set: rules branch on it. Setting a form's slot, even to
    its current value, makes the form validate it again, so other unchanged
    slots are left alone.
    """
    events: list[EventType] = [SlotSet(key, value) for key, value in values.items() if tracker.get_slot(key) != value]
    return events + [SlotSet("stage", stage)]


def reset_slots(tracker: Tracker, stage: str) -> list[EventType]:
    """Clear the interview's slots and set ``stage``.

    Clearing them on submit lets a later run of the forms start afresh
    instead of ending at once on stale values.
    """
    return changed_slots(tracker, stage, consent=None, role=None, answer=None, requested_slot=None)
