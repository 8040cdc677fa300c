"""Requests about the candidate's own data and result, recognised at any point of the chat.

A candidate can ask for a copy of their data, for its deletion, for a person
to review their result, or for another way to do the screening, before,
during or after the interview. Each is recorded for recruiters (with the date
by which they must act, :data:`bot.interview.service.REQUEST_DUE_DAYS`) and
confirmed to the candidate; the interview is never closed because of it. A
question about what is kept, or about how answers are assessed and when the
candidate hears back, is answered.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.runtime import call, channel_of, service
from bot.db.models import RequestKind
from bot.interview.escape import payload_intent
from bot.interview.messages import render
from bot.privacy.retention import RetentionPolicy

#: The kind of request each intent makes (its confirmation is ``request_<kind>``).
REQUEST_KINDS: dict[str, RequestKind] = {
    "request_data_copy": RequestKind.ACCESS,
    "request_erasure": RequestKind.ERASURE,
    "request_review": RequestKind.REVIEW,
    "request_accommodation": RequestKind.ACCOMMODATION,
}


class ActionRecordRequest(Action):
    """Record the request the latest message makes and tell the candidate what happens next."""

    def name(self) -> str:
        return "action_record_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        kind = REQUEST_KINDS.get(intent or "")
        if kind is None or payload_intent((message.get("text") or "").strip()) not in (None, intent):
            return []  # no request of ours, or a button of another intent read as one
        due = await call(service().record_request, tracker.sender_id, channel_of(tracker), kind)
        dispatcher.utter_message(text=render(f"request_{kind.value}", due=f"{due:%-d %B %Y}"))
        return []


class ActionTellPrivacy(Action):
    """What is kept, for how long, who sees it, and how to ask for a copy, erasure or a review."""

    def name(self) -> str:
        return "action_tell_privacy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        policy = RetentionPolicy.from_env()
        dispatcher.utter_message(
            text=render("privacy", retention=f"{policy.days:g}", advanced=f"{policy.advanced_days:g}")
        )
        return []


class ActionTellProcess(Action):
    """How answers are assessed, who decides, and when the candidate hears back."""

    def name(self) -> str:
        return "action_tell_process"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(text=render("process"))
        return []
