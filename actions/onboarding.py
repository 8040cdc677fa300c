"""The onboarding form: consent, then the role."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.routing import changed_slots, reset_slots
from actions.runtime import call, channel_of, service
from bot.interview.escape import is_escape
from bot.interview.messages import CONSENT_BUTTONS, render


class ValidateOnboardingForm(FormValidationAction):
    """Validates consent and the role, and records consent when it is given."""

    def name(self) -> str:
        return "validate_onboarding_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Consent, then the role; nothing more once consent is refused."""
        if tracker.get_slot("consent") is False:
            return ["consent"]
        return domain_slots

    async def extract_role(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The role entity, or else the message text, while the role is asked."""
        if tracker.get_slot("requested_slot") != "role" or tracker.active_loop_name != "onboarding_form":
            return {}
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        if intent != "choose_role" and is_escape(
            intent, (message.get("intent") or {}).get("confidence"), message.get("text")
        ):
            return {}
        entity = next(tracker.get_latest_entity_values("role"), None)
        return {"role": entity or message.get("text") or None}

    async def validate_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Record the decision; a refusal ends the form with no question asked.

        A candidate invited for a role gets that role with their consent, so
        the role question is skipped.

        A slot cleared by another action (``value`` None) is not a decision.
        """
        if value is None:
            return {"consent": None}
        given = bool(value)
        svc = service()
        await call(svc.record_consent, tracker.sender_id, channel_of(tracker), given)
        if given:
            # An invited candidate was invited for a role: it is not asked.
            invited = await call(svc.invited_role, tracker.sender_id)
            if invited:
                return {"consent": True, "role": invited}
        return {"consent": given}

    async def validate_role(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Map the text or entity to a role id; ask again if none matches.

        A slot cleared by another action (``value`` None) is left empty.
        """
        if value is None:
            return {"role": None}
        role_id = await call(service().resolve_role, str(value or ""))
        if role_id is None:
            dispatcher.utter_message(text=render("unknown_role"))
            return {"role": None}
        return {"role": role_id}


class ActionAskConsent(Action):
    """Introduce the screening and ask for consent (with buttons)."""

    def name(self) -> str:
        return "action_ask_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(text=render("intro"), buttons=CONSENT_BUTTONS)
        return []


class ActionAskRole(Action):
    """Ask which job the candidate applied for, with a button per role."""

    def name(self) -> str:
        return "action_ask_role"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        roles = await call(service().role_choices)
        buttons = [{"title": name, "payload": f'/choose_role{{"role":"{role_id}"}}'} for role_id, name in roles]
        dispatcher.utter_message(text=render("ask_role_intro"), buttons=buttons)
        return []


class ActionSubmitOnboarding(Action):
    """Close the conversation on refusal, or start the role's interview."""

    def name(self) -> str:
        return "action_submit_onboarding"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if tracker.get_slot("consent") is not True:
            dispatcher.utter_message(text=render("consent_declined"))
            return reset_slots(tracker, "closed")
        svc = service()
        role_id = tracker.get_slot("role")
        progress = await call(svc.start, tracker.sender_id, role_id)
        names = dict(await call(svc.role_choices))
        dispatcher.utter_message(
            text=render("interview_start", role_name=names.get(role_id, role_id), total=progress.total)
        )
        return changed_slots(tracker, "interview", answer=None, requested_slot=None)
