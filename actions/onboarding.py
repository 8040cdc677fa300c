"""The onboarding form: consent, then the role."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.routing import changed_slots, reset_slots
from actions.runtime import call, channel_of, service
from bot.interview.escape import PAYLOAD, is_escape
from bot.interview.messages import CONSENT_BUTTONS, render

#: Intents that answer the consent question, and what they mean.
CONSENT_INTENTS = {"affirm": True, "deny": False}
#: Lowest NLU confidence at which a typed yes or no is taken as consent.
MIN_CONSENT_CONFIDENCE = 0.75


def role_buttons(role_ids: list[str], names: dict[str, str]) -> list[dict[str, str]]:
    """A button per role, whose payload names the role."""
    return [{"title": names.get(r, r), "payload": f'/choose_role{{"role":"{r}"}}'} for r in role_ids]


def said_this_turn(tracker: Tracker) -> list[str]:
    """What the bot has said since the candidate's latest message."""
    said: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            said.append(event.get("text") or "")
    return said[::-1]


def last_bot_text(tracker: Tracker) -> str | None:
    """What the bot said last before the candidate's latest message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "bot":
            return event.get("text")
    return None


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
        entities = list(dict.fromkeys(str(v) for v in tracker.get_latest_entity_values("role")))
        # Several roles named ("not cashier, accountant") stay several: validate_role asks which.
        return {"role": " / ".join(entities) or message.get("text") or None}

    async def extract_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A clear yes or no while consent is asked.

        Consent is a decision about personal data, so a guess is not enough:
        affirm or deny counts only from a button, or typed with at least
        :data:`MIN_CONSENT_CONFIDENCE`. Requests such as "why?" or "stop" are
        left to their rules; anything else unclear asks again.
        """
        if tracker.get_slot("requested_slot") != "consent" or tracker.active_loop_name != "onboarding_form":
            return {}
        message = tracker.latest_message or {}
        intent = message.get("intent") or {}
        name, confidence = intent.get("name"), intent.get("confidence") or 0.0
        text = (message.get("text") or "").strip()
        if name in CONSENT_INTENTS and any(ch.isalnum() for ch in text):
            if PAYLOAD.match(text) or confidence >= MIN_CONSENT_CONFIDENCE:
                return {"consent": CONSENT_INTENTS[name]}
        if name not in CONSENT_INTENTS and is_escape(name, confidence, text):
            return {}
        return {"consent": None}

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
        roles = await call(service().resolve_roles, str(value or ""))
        if len(roles) == 1:
            return {"role": roles[0]}
        if roles:
            names = dict(await call(service().role_choices))
            dispatcher.utter_message(text=render("which_role"), buttons=role_buttons(roles, names))
        else:
            dispatcher.utter_message(text=render("unknown_role"))
        return {"role": None}


class ActionAskConsent(Action):
    """Introduce the screening and ask for consent (with buttons)."""

    def name(self) -> str:
        return "action_ask_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        # Asked again straight after the introduction: a short question, not the whole text.
        repeat = last_bot_text(tracker) in (render("intro"), render("consent_again"))
        key = "consent_again" if repeat else "intro"
        dispatcher.utter_message(text=render(key), buttons=CONSENT_BUTTONS)
        return []


class ActionAskRole(Action):
    """Ask which job the candidate applied for, with a button per role.

    Right after the shortlist of the roles a candidate named ("which of
    these?"), nothing more is sent: a page shows only the latest message's
    buttons, and the full list would hide the shortlist.
    """

    def name(self) -> str:
        return "action_ask_role"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if render("which_role") in said_this_turn(tracker):
            return []  # the shortlist of the roles named was just shown: it stays the last buttons
        names = dict(await call(service().role_choices))
        dispatcher.utter_message(text=render("ask_role_intro"), buttons=role_buttons(list(names), names))
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
