"""Tests for :mod:`actions.routing`: ``action_session_start`` and ``action_route``.

Each test builds the tracker Rasa would send, runs the action against the
real database (SQLite, then PostgreSQL) and asserts the exact list of events
it returns, the exact messages it sends and what it changed in the database.
"""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActionExecuted, ActiveLoop, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.routing import START_AGAIN_BUTTONS, ActionRoute, ActionSessionStart
from bot.db.models import InterviewStatus
from bot.interview.messages import render

CID = "conv-actions-1"  # the tracker fixture's default sender id

#: The slots of a conversation in the middle of a cashier interview.
MID_INTERVIEW = {
    "consent": True,
    "role": "cashier",
    "answer": None,
    "stage": "interview",
    "requested_slot": "answer",
}


# --------------------------------------------------------------- action_session_start


async def test_session_start_without_slots_or_interview(tracker, domain, active_service):
    dispatcher = CollectingDispatcher()

    events = await ActionSessionStart().run(dispatcher, tracker(), domain)

    assert events == [SessionStarted(), ActionExecuted("action_listen")]
    assert dispatcher.messages == []


async def test_session_start_carries_slots_but_not_requested_slot_answer_or_metadata(tracker, domain, active_service):
    """With no interview in the database the form is not re-opened, whatever the slots say."""
    slots = {**MID_INTERVIEW, "answer": "half an answer", "session_started_metadata": {"user": "x"}}
    dispatcher = CollectingDispatcher()

    events = await ActionSessionStart().run(dispatcher, tracker(slots=slots), domain)

    assert events == [
        SessionStarted(),
        SlotSet("consent", True),
        SlotSet("role", "cashier"),
        SlotSet("stage", "interview"),
        ActionExecuted("action_listen"),
    ]
    assert dispatcher.messages == []


async def test_session_start_reopens_the_interview_form_on_an_interview_in_progress(
    tracker, domain, active_service, begin
):
    begin("cashier")
    dispatcher = CollectingDispatcher()

    events = await ActionSessionStart().run(dispatcher, tracker(slots=MID_INTERVIEW), domain)

    assert events == [
        SessionStarted(),
        SlotSet("consent", True),
        SlotSet("role", "cashier"),
        SlotSet("stage", "interview"),
        SlotSet("stage", "interview"),
        ActiveLoop("interview_form"),
        SlotSet("requested_slot", "answer"),
        ActionExecuted("action_listen"),
    ]
    assert dispatcher.messages == []


async def test_session_start_reopens_the_form_from_the_database_even_with_empty_slots(
    tracker, domain, active_service, begin
):
    """Progress is in the database: slots lost with the session do not lose the interview."""
    begin("cashier")

    events = await ActionSessionStart().run(CollectingDispatcher(), tracker(), domain)

    assert events == [
        SessionStarted(),
        SlotSet("stage", "interview"),
        ActiveLoop("interview_form"),
        SlotSet("requested_slot", "answer"),
        ActionExecuted("action_listen"),
    ]


async def test_session_start_does_not_reopen_the_form_before_a_role_is_chosen(tracker, domain, active_service, begin):
    begin(role=None)
    slots = {"consent": True, "stage": "onboarding", "requested_slot": "role"}

    events = await ActionSessionStart().run(CollectingDispatcher(), tracker(slots=slots), domain)

    assert events == [
        SessionStarted(),
        SlotSet("consent", True),
        SlotSet("stage", "onboarding"),
        ActionExecuted("action_listen"),
    ]


async def test_session_start_does_not_reopen_a_paused_interview(tracker, domain, active_service, begin, db):
    begin("cashier")
    active_service.request_handoff(CID)
    slots = {"stage": "closed"}

    events = await ActionSessionStart().run(CollectingDispatcher(), tracker(slots=slots), domain)

    assert events == [SessionStarted(), SlotSet("stage", "closed"), ActionExecuted("action_listen")]
    assert db.interview().status == InterviewStatus.PAUSED  # not resumed by a new session


# ------------------------------------------------------------------------ action_route


async def test_route_without_interview_goes_to_onboarding_setting_only_stage(tracker, domain, active_service):
    dispatcher = CollectingDispatcher()

    events = await ActionRoute().run(dispatcher, tracker(text="hi", intent="greet"), domain)

    assert events == [SlotSet("stage", "onboarding")]
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("text", "role"),
    [("Hi! I applied for the receptionist job", "receptionist"), ("hello, accountent here", "accountant")],
)
async def test_route_keeps_the_role_named_in_the_first_message(tracker, domain, active_service, text, role):
    events = await ActionRoute().run(CollectingDispatcher(), tracker(text=text, intent="greet"), domain)

    assert events == [SlotSet("role", role), SlotSet("stage", "onboarding")]


async def test_route_keeps_no_role_when_two_are_named(tracker, domain, active_service):
    text = "hi, I applied for cashier or receptionist"
    events = await ActionRoute().run(CollectingDispatcher(), tracker(text=text, intent="greet"), domain)

    assert events == [SlotSet("stage", "onboarding")]


async def test_route_without_interview_clears_stale_consent_and_role(tracker, domain, active_service):
    slots = {"consent": True, "role": "cashier", "stage": "closed"}

    events = await ActionRoute().run(CollectingDispatcher(), tracker(text="hi", intent="greet", slots=slots), domain)

    assert events == [SlotSet("consent", None), SlotSet("role", None), SlotSet("stage", "onboarding")]


@pytest.mark.parametrize("finish", ["declined", "withdrawn"])
async def test_route_after_a_finished_interview_starts_onboarding_again(
    tracker, domain, active_service, begin, db, finish
):
    if finish == "declined":
        active_service.record_consent(CID, "rest", False)
    else:
        begin("cashier")
        getattr(active_service, {"withdrawn": "withdraw", "completed": "complete"}[finish])(CID)
    dispatcher = CollectingDispatcher()

    events = await ActionRoute().run(dispatcher, tracker(text="hello", intent="greet"), domain)

    assert events == [SlotSet("stage", "onboarding")]
    assert dispatcher.messages == []
    assert db.interview().status == finish  # left as it was


@pytest.mark.parametrize(("text", "intent"), [("hello", "greet"), ("no, thanks", "deny"), ("bye", "goodbye")])
async def test_after_a_completed_interview_the_bot_says_what_happens_next(
    tracker, domain, active_service, begin, db, utterance, text, intent
):
    begin("cashier")
    active_service.complete(CID)
    dispatcher = CollectingDispatcher()

    events = await ActionRoute().run(dispatcher, tracker(text=text, intent=intent), domain)

    assert events == [SlotSet("stage", "closed")]
    assert dispatcher.messages == [utterance(render("already_done"), buttons=START_AGAIN_BUTTONS)]
    assert db.interview().status == "completed"


async def test_a_new_screening_after_a_completed_one_starts_when_asked_for(tracker, domain, active_service, begin):
    begin("cashier")
    active_service.complete(CID)

    events = await ActionRoute().run(
        CollectingDispatcher(), tracker(text="/start_screening", intent="start_screening"), domain
    )

    assert events == [SlotSet("stage", "onboarding")]


async def test_route_consented_without_role_sets_consent_and_onboarding(tracker, domain, active_service, begin):
    begin(role=None)
    dispatcher = CollectingDispatcher()

    events = await ActionRoute().run(dispatcher, tracker(text="hi", intent="greet"), domain)

    assert events == [SlotSet("consent", True), SlotSet("stage", "onboarding")]
    assert dispatcher.messages == []


async def test_route_consented_without_role_leaves_unchanged_consent_alone(tracker, domain, active_service, begin):
    """Re-setting consent would make the form validate (and record) it again."""
    begin(role=None)
    slots = {"consent": True, "role": "nonsense", "stage": "onboarding"}

    events = await ActionRoute().run(CollectingDispatcher(), tracker(text="hi", intent="greet", slots=slots), domain)

    assert events == [SlotSet("role", None), SlotSet("stage", "onboarding")]


async def test_route_open_interview_welcomes_back_with_progress(tracker, domain, active_service, begin, db):
    begin("cashier")
    active_service.skip(CID)
    dispatcher = CollectingDispatcher()
    slots = {"consent": True, "role": "cashier", "stage": "interview"}

    events = await ActionRoute().run(dispatcher, tracker(text="hi", intent="greet", slots=slots), domain)

    assert events == [SlotSet("stage", "interview")]
    assert [m["text"] for m in dispatcher.messages] == [render("welcome_back_progress", done=1, total=6)]
    assert dispatcher.messages[0]["text"] == "Welcome back! You've done 1 of 6 questions; let's continue."
    assert db.interview().status == InterviewStatus.IN_PROGRESS


async def test_route_open_interview_clears_a_stale_answer(tracker, domain, active_service, begin, utterance):
    begin("cashier")
    dispatcher = CollectingDispatcher()
    slots = {"answer": "left over", "stage": "closed"}

    events = await ActionRoute().run(
        dispatcher, tracker(text="continue", intent="continue_interview", slots=slots), domain
    )

    assert events == [SlotSet("answer", None), SlotSet("stage", "interview")]
    assert dispatcher.messages == [utterance(render("welcome_back_progress", done=0, total=6))]


async def test_route_resumes_a_paused_interview(tracker, domain, active_service, begin, db, utterance):
    begin("cashier")
    active_service.skip(CID)
    active_service.request_handoff(CID)
    assert db.interview().status == InterviewStatus.PAUSED
    dispatcher = CollectingDispatcher()

    events = await ActionRoute().run(
        dispatcher, tracker(text="continue", intent="continue_interview", slots={"stage": "closed"}), domain
    )

    assert events == [SlotSet("stage", "interview")]
    assert dispatcher.messages == [utterance(render("welcome_back_progress", done=1, total=6))]
    interview = db.interview()
    assert interview.status == InterviewStatus.IN_PROGRESS
    assert interview.position == 1
    assert len(db.interviews()) == 1


async def test_route_resumes_a_paused_interview_without_a_role(tracker, domain, active_service, begin, db):
    begin(role=None)
    active_service.request_handoff(CID)

    await ActionRoute().run(CollectingDispatcher(), tracker(text="continue", intent="continue_interview"), domain)

    assert db.interview().status == InterviewStatus.IN_PROGRESS
