"""Tests for :mod:`actions.onboarding`: consent, the role, and starting the interview.

``validate_onboarding_form`` is run whole (``await action.run(...)``) on the
tracker Rasa sends while the form is active: slots Rasa extracted itself
(``consent`` from an ``affirm``/``deny``) come as ``SlotSet`` events after the
user message. The tests assert the exact events, the exact messages and the
database rows (SQLite, then PostgreSQL).
"""

from __future__ import annotations

import json

import pytest
from rasa_sdk.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher

from actions.onboarding import (
    ActionAskConsent,
    ActionAskRole,
    ActionSubmitOnboarding,
    ValidateOnboardingForm,
)
from bot.db.models import InterviewStatus
from bot.interview.messages import CONSENT_BUTTONS, render

CID = "conv-actions-1"  # the tracker fixture's default sender id
FORM = "onboarding_form"


def asking(slot: str, **slots) -> dict:
    """Slots while the onboarding form asks for ``slot``."""
    return {"stage": "onboarding", "requested_slot": slot, **slots}


# ------------------------------------------------------------------------- consent


async def test_affirm_records_consent_and_leaves_role_to_ask(tracker, domain, active_service, db):
    action = ValidateOnboardingForm()
    dispatcher = CollectingDispatcher()
    t = tracker(text="yes", intent="affirm", slots=asking("consent"), candidates={"consent": True}, active_loop=FORM)

    events = await action.run(dispatcher, t, domain)

    # The required slots are the domain's, so the validation action leaves
    # requested_slot to Rasa's form, which asks the first empty one: the role.
    assert events == [SlotSet("consent", True)]
    assert dispatcher.messages == []
    required = await action.required_slots(action.domain_slots(domain), dispatcher, t, domain)
    assert [slot for slot in required if t.get_slot(slot) is None] == ["role"]
    [interview] = db.interviews()
    assert interview.consent is True
    assert interview.consent_at is not None
    assert interview.status == InterviewStatus.IN_PROGRESS
    assert interview.channel == "rest"
    assert interview.role_id is None
    assert interview.plan == []


async def test_repeated_consent_does_not_open_a_second_interview(tracker, domain, active_service, begin, db):
    """action_route re-fills consent; the form validates it again on activation."""
    interview_id = begin(role=None)
    t = tracker(text="hi", intent="greet", slots={"stage": "onboarding"}, candidates={"consent": True})

    events = await ValidateOnboardingForm().run(CollectingDispatcher(), t, domain)

    assert events == [SlotSet("consent", True)]
    assert [i.id for i in db.interviews()] == [interview_id]


async def test_deny_records_a_declined_interview_and_ends_the_form(tracker, domain, active_service, db):
    dispatcher = CollectingDispatcher()
    t = tracker(
        text="no thanks",
        intent="deny",
        slots=asking("consent"),
        candidates={"consent": False},
        active_loop=FORM,
    )

    events = await ValidateOnboardingForm().run(dispatcher, t, domain)

    assert events == [SlotSet("consent", False), SlotSet("requested_slot", None)]
    assert dispatcher.messages == []
    [interview] = db.interviews()
    assert interview.consent is False
    assert interview.status == InterviewStatus.DECLINED
    assert interview.finished_at is not None
    assert interview.role_id is None
    assert interview.answers == []
    assert active_service.open_interview_id(CID) is None


async def test_consent_cleared_by_another_action_is_not_a_decision(tracker, domain, active_service, db):
    """reset_slots sets consent to None; validating that must not record a refusal."""
    events = [
        ActionExecuted("action_listen"),
        UserUttered("stop", {"intent": {"name": "stop_interview", "confidence": 0.95}}, input_channel="rest"),
        ActionExecuted("action_stop_interview"),
        SlotSet("consent", None),
    ]
    t = tracker(
        text="stop",
        intent="stop_interview",
        slots=asking("consent"),
        events=events,
        active_loop=FORM,
    )
    dispatcher = CollectingDispatcher()

    result = await ValidateOnboardingForm().run(dispatcher, t, domain)

    assert result == [SlotSet("consent", None)]
    assert dispatcher.messages == []
    assert db.interviews() == []


async def test_role_cleared_by_another_action_is_not_an_unknown_role(tracker, domain, active_service, begin, db):
    begin(role=None)
    t = tracker(
        text="stop",
        intent="stop_interview",
        slots=asking("role", consent=True),
        candidates={"role": None},
        active_loop=FORM,
    )
    dispatcher = CollectingDispatcher()

    events = await ValidateOnboardingForm().run(dispatcher, t, domain)

    assert events == [SlotSet("role", None)]
    assert dispatcher.messages == []


# ---------------------------------------------------------------------------- role


async def test_role_is_taken_from_free_text(tracker, domain, active_service, begin, db):
    begin(role=None)
    dispatcher = CollectingDispatcher()
    t = tracker(
        text="I applied for the cashier job",
        intent="choose_role",
        confidence=0.8,
        slots=asking("role", consent=True),
        active_loop=FORM,
    )

    events = await ValidateOnboardingForm().run(dispatcher, t, domain)

    assert events == [SlotSet("role", "cashier")]
    assert dispatcher.messages == []
    assert db.interview().role_id is None  # the role is stored when the interview starts


async def test_role_is_taken_from_free_text_under_another_intent(tracker, domain, active_service, begin):
    """NLU need not recognise choose_role: any non-escape message is read as the role."""
    begin(role=None)
    t = tracker(
        text="the front desk one",
        intent="give_answer",
        confidence=0.7,
        slots=asking("role", consent=True),
        active_loop=FORM,
    )

    events = await ValidateOnboardingForm().run(CollectingDispatcher(), t, domain)

    assert events == [SlotSet("role", "receptionist")]


async def test_role_entity_wins_over_the_text(tracker, domain, active_service, begin):
    begin(role=None)
    t = tracker(
        text='/choose_role{"role":"accountant"}',
        intent="choose_role",
        confidence=1.0,
        entities=[{"entity": "role", "value": "accountant"}],
        slots=asking("role", consent=True),
        active_loop=FORM,
    )

    events = await ValidateOnboardingForm().run(CollectingDispatcher(), t, domain)

    assert events == [SlotSet("role", "accountant")]


async def test_role_entity_is_used_when_the_text_names_no_role(tracker, domain, active_service, begin):
    begin(role=None)
    t = tracker(
        text="that one please",
        intent="choose_role",
        entities=[{"entity": "role", "value": "hr_officer", "start": 0, "end": 8}],
        slots=asking("role", consent=True),
        active_loop=FORM,
    )

    events = await ValidateOnboardingForm().run(CollectingDispatcher(), t, domain)

    assert events == [SlotSet("role", "hr_officer")]


async def test_unknown_role_asks_again(tracker, domain, active_service, begin, utterance):
    begin(role=None)
    dispatcher = CollectingDispatcher()
    t = tracker(
        text="astronaut on the moon",
        intent="choose_role",
        confidence=0.6,
        slots=asking("role", consent=True),
        active_loop=FORM,
    )

    events = await ValidateOnboardingForm().run(dispatcher, t, domain)

    assert events == [SlotSet("role", None)]
    assert dispatcher.messages == [utterance(render("unknown_role"))]


async def test_stop_while_asking_the_role_extracts_nothing(tracker, domain, active_service, begin, db):
    begin(role=None)
    dispatcher = CollectingDispatcher()
    t = tracker(
        text="stop",
        intent="stop_interview",
        confidence=0.95,
        slots=asking("role", consent=True),
        active_loop=FORM,
    )

    events = await ValidateOnboardingForm().run(dispatcher, t, domain)

    assert events == []  # nothing validated: Rasa rejects the form and the stop rule runs
    assert dispatcher.messages == []
    assert db.interview().status == InterviewStatus.IN_PROGRESS


async def test_role_is_not_extracted_while_consent_is_asked(tracker, domain, active_service, db):
    """'I'm here for the cashier job' before consent neither fills the role nor records anything."""
    t = tracker(
        text="I'm here for the cashier job",
        intent="choose_role",
        slots=asking("consent"),
        active_loop=FORM,
    )

    events = await ValidateOnboardingForm().run(CollectingDispatcher(), t, domain)

    assert events == []
    assert db.interviews() == []


async def test_role_is_not_extracted_when_another_form_is_active(tracker, domain, active_service, begin):
    begin(role=None)
    t = tracker(
        text="cashier",
        intent="choose_role",
        slots=asking("role", consent=True),
        active_loop="interview_form",
    )

    assert await ValidateOnboardingForm().extract_role(CollectingDispatcher(), t, domain) == {}


# ----------------------------------------------------------------- asking the slots


async def test_ask_consent_sends_the_intro_with_yes_and_no_buttons(tracker, domain, utterance):
    dispatcher = CollectingDispatcher()

    events = await ActionAskConsent().run(dispatcher, tracker(slots=asking("consent")), domain)

    assert events == []
    assert dispatcher.messages == [utterance(render("intro"), buttons=CONSENT_BUTTONS)]
    assert dispatcher.messages[0]["buttons"] == [
        {"title": "Yes, continue", "payload": "/affirm"},
        {"title": "No, thanks", "payload": "/deny"},
    ]


async def test_ask_role_sends_a_button_per_role(tracker, domain, active_service, bank, utterance):
    dispatcher = CollectingDispatcher()

    events = await ActionAskRole().run(dispatcher, tracker(slots=asking("role", consent=True)), domain)

    assert events == []
    by_name = sorted(bank.roles.values(), key=lambda r: r.name)
    ordered = sorted(by_name, key=lambda r: r.family, reverse=True)  # front office first
    expected = [{"title": r.name, "payload": f'/choose_role{{"role":"{r.id}"}}'} for r in ordered]
    assert dispatcher.messages == [utterance(render("ask_role_intro"), buttons=expected)]
    buttons = dispatcher.messages[0]["buttons"]
    assert len(buttons) == len(bank.roles)
    assert {"title": "Cashier", "payload": '/choose_role{"role":"cashier"}'} in buttons
    for button in buttons:  # each payload is the choose_role intent with a JSON role entity
        intent, _, entities = button["payload"].partition("{")
        assert intent == "/choose_role"
        assert json.loads("{" + entities)["role"] in bank.roles


# --------------------------------------------------------------- submitting the form


async def test_submit_with_consent_and_role_starts_the_interview(tracker, domain, active_service, begin, db, utterance):
    begin(role=None)
    dispatcher = CollectingDispatcher()
    slots = {"consent": True, "role": "cashier", "stage": "onboarding"}

    events = await ActionSubmitOnboarding().run(dispatcher, tracker(slots=slots), domain)

    assert events == [SlotSet("stage", "interview")]
    assert dispatcher.messages == [utterance(render("interview_start", role_name="Cashier", total=6))]
    assert dispatcher.messages[0]["text"].startswith("Great — Cashier. There are 6 questions.")
    interview = db.interview()
    assert interview.role_id == "cashier"
    assert len(interview.plan) == 6
    assert len(set(interview.plan)) == 6
    assert interview.position == 0
    assert interview.status == InterviewStatus.IN_PROGRESS


async def test_submit_clears_answer_and_requested_slot_only_when_set(tracker, domain, active_service, begin):
    begin(role=None)
    slots = {"consent": True, "role": "legal_advisor", "answer": "stale", "requested_slot": "role"}
    dispatcher = CollectingDispatcher()

    events = await ActionSubmitOnboarding().run(dispatcher, tracker(slots=slots), domain)

    assert events == [
        SlotSet("answer", None),
        SlotSet("requested_slot", None),
        SlotSet("stage", "interview"),
    ]
    assert [m["text"] for m in dispatcher.messages] == [
        render("interview_start", role_name="Legal advisor", total=8)
    ]  # 6 questions + 2 work samples


async def test_submit_twice_keeps_the_first_plan(tracker, domain, active_service, begin, db):
    begin(role=None)
    slots = {"consent": True, "role": "cashier"}
    await ActionSubmitOnboarding().run(CollectingDispatcher(), tracker(slots=slots), domain)
    plan = db.interview().plan

    await ActionSubmitOnboarding().run(CollectingDispatcher(), tracker(slots=slots), domain)

    assert db.interview().plan == plan
    assert len(db.interviews()) == 1


@pytest.mark.parametrize("slots", [{"consent": False}, {"consent": False, "role": "x", "stage": "onboarding"}])
async def test_submit_after_refusal_says_goodbye_and_resets(tracker, domain, active_service, db, utterance, slots):
    active_service.record_consent(CID, "rest", False)
    dispatcher = CollectingDispatcher()

    events = await ActionSubmitOnboarding().run(dispatcher, tracker(slots=slots), domain)

    expected = [SlotSet("consent", None)]
    if "role" in slots:
        expected.append(SlotSet("role", None))
    assert events == [*expected, SlotSet("stage", "closed")]
    assert dispatcher.messages == [utterance(render("consent_declined"))]
    [interview] = db.interviews()
    assert interview.status == InterviewStatus.DECLINED
    assert interview.plan == []


async def test_ask_role_says_nothing_right_after_the_shortlist(tracker, domain, active_service):
    events = [
        ActionExecuted("action_listen"),
        UserUttered("cashier or receptionist", parse_data={"intent": {"name": "choose_role", "confidence": 0.9}}),
        BotUttered(render("which_role")),
    ]
    dispatcher = CollectingDispatcher()

    assert (
        await ActionAskRole().run(dispatcher, tracker(slots=asking("role", consent=True), events=events), domain) == []
    )
    assert dispatcher.messages == []
