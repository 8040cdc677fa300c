"""Tests for :mod:`actions.interruptions`: what the bot does when a question is interrupted.

Why, repeat, progress, skip, a person, stop and a greeting mid-interview:
each action is run on the tracker Rasa sends and the tests assert the exact
events and messages and the database afterwards (SQLite, then PostgreSQL).
"""

from __future__ import annotations

from rasa_sdk.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher

from actions.interruptions import (
    ActionCancelStop,
    ActionConfirmStop,
    ActionExplainQuestion,
    ActionRepeatQuestion,
    ActionRequestHuman,
    ActionSkipQuestion,
    ActionStopInterview,
    ActionTellProgress,
    ActionWelcomeBack,
)
from actions.interview_form import ActionAskAnswer
from bot.db.models import AnswerStatus, InterviewStatus
from bot.interview.messages import STOP_BUTTONS, render

CID = "conv-actions-1"  # the tracker fixture's default sender id
FORM = "interview_form"
#: Slots while the interview form asks a question.
ASKING = {"consent": True, "role": "cashier", "stage": "interview", "requested_slot": "answer"}
#: What reset_slots returns for ASKING: every set slot cleared, stage closed.
RESET_FROM_ASKING = [
    SlotSet("consent", None),
    SlotSet("role", None),
    SlotSet("requested_slot", None),
    SlotSet("stage", "closed"),
]


def interrupting(tracker, text: str, intent: str, **slots):
    """The tracker of an interruption while the interview form asks a question."""
    return tracker(text=text, intent=intent, slots={**ASKING, **slots}, active_loop=FORM)


# ----------------------------------------------------------------------------- why


async def test_explain_gives_the_purpose_of_the_current_question(tracker, domain, active_service, begin, db, utterance):
    begin("cashier")
    dispatcher = CollectingDispatcher()

    events = await ActionExplainQuestion().run(
        dispatcher, interrupting(tracker, "why are you asking this?", "ask_why"), domain
    )

    assert events == []
    question = db.answer(0).question
    assert question.id == db.interview().plan[0]
    assert dispatcher.messages == [utterance(render("explain_question", purpose=question.purpose))]
    assert dispatcher.messages[0]["text"] == f"Good question. {question.purpose}"


async def test_explain_follows_the_interview_to_the_next_question(
    tracker, domain, active_service, begin, db, utterance
):
    begin("cashier")
    active_service.skip(CID)
    dispatcher = CollectingDispatcher()

    await ActionExplainQuestion().run(dispatcher, interrupting(tracker, "why?", "ask_why"), domain)

    second = db.answer(1).question
    assert second.id == db.interview().plan[1]
    assert dispatcher.messages == [utterance(render("explain_question", purpose=second.purpose))]


async def test_explain_with_no_question_left_explains_the_screening(tracker, domain, active_service, begin, utterance):
    begin("cashier")
    for _ in range(6):
        active_service.skip(CID)
    dispatcher = CollectingDispatcher()

    events = await ActionExplainQuestion().run(dispatcher, interrupting(tracker, "why?", "ask_why"), domain)

    assert events == []
    assert dispatcher.messages == [utterance(response="utter_why_consent")]


# -------------------------------------------------------------------------- repeat


async def test_repeat_announces_the_question_again(tracker, domain, active_service, begin, db, utterance):
    begin("cashier")
    dispatcher = CollectingDispatcher()

    events = await ActionRepeatQuestion().run(
        dispatcher, interrupting(tracker, "say that again", "repeat_question"), domain
    )

    assert events == []
    assert dispatcher.messages == [utterance(render("repeat_question"))]
    assert db.interview().position == 0  # the form asks the same question next


# ------------------------------------------------------------------------ progress


async def test_progress_tells_done_total_and_left(tracker, domain, active_service, begin, good_answers, utterance):
    begin("cashier")
    question = active_service.current_prompt(CID).question_id
    assert not active_service.submit_answer(CID, good_answers[question]).probed
    dispatcher = CollectingDispatcher()

    events = await ActionTellProgress().run(
        dispatcher, interrupting(tracker, "how many are left?", "ask_progress"), domain
    )

    assert events == []
    assert dispatcher.messages == [utterance(render("progress", done=1, total=6, left=5))]
    assert dispatcher.messages[0]["text"] == "You've done 1 of 6 questions; 5 to go."


async def test_progress_at_the_start(tracker, domain, active_service, begin):
    begin("cashier")
    dispatcher = CollectingDispatcher()

    await ActionTellProgress().run(dispatcher, interrupting(tracker, "how long is this", "ask_progress"), domain)

    assert [m["text"] for m in dispatcher.messages] == ["You've done 0 of 6 questions; 6 to go."]


# ---------------------------------------------------------------------------- skip


async def test_skip_records_the_question_as_skipped_and_moves_on(tracker, domain, active_service, begin, db, utterance):
    begin("cashier")
    active_service.current_prompt(CID)  # question 1 was asked
    dispatcher = CollectingDispatcher()

    events = await ActionSkipQuestion().run(dispatcher, interrupting(tracker, "skip", "skip_question"), domain)

    assert events == []
    assert dispatcher.messages == [utterance(render("skipped"))]
    skipped = db.answer(0)
    assert skipped.status == AnswerStatus.SKIPPED
    assert skipped.text is None
    assert skipped.answered_at is not None
    assert db.interview().position == 1

    ask = CollectingDispatcher()
    await ActionAskAnswer().run(ask, tracker(slots=ASKING, active_loop=FORM), domain)
    second = db.answer(1)
    assert second.question_id == db.interview().plan[1]
    assert [m["text"] for m in ask.messages] == [render("question", number=2, total=6, question=second.variant.text)]


async def test_skip_during_the_probe_keeps_the_first_reply(tracker, domain, active_service, begin, db):
    begin("cashier")
    assert active_service.submit_answer(CID, "idk").probed

    await ActionSkipQuestion().run(CollectingDispatcher(), interrupting(tracker, "skip", "skip_question"), domain)

    answer = db.answer(0)
    assert answer.status == AnswerStatus.SKIPPED
    assert answer.text == "idk"
    assert db.interview().position == 1


# --------------------------------------------------------------------------- a person


async def test_request_human_pauses_the_interview(tracker, domain, active_service, begin, db, utterance):
    begin("cashier")
    active_service.skip(CID)
    dispatcher = CollectingDispatcher()

    events = await ActionRequestHuman().run(
        dispatcher, interrupting(tracker, "I want to talk to a person", "request_human"), domain
    )

    assert events == RESET_FROM_ASKING
    assert dispatcher.messages == [utterance(render("handoff"))]
    interview = db.interview()
    assert interview.status == InterviewStatus.PAUSED
    assert interview.finished_at is None
    assert interview.position == 1
    assert db.answer(0).status == AnswerStatus.SKIPPED  # progress kept
    assert active_service.open_interview_id(CID) == interview.id  # still open: "continue" resumes it


async def test_request_human_during_onboarding_after_consent_pauses_it(
    tracker, domain, active_service, begin, db, utterance
):
    begin(role=None)
    dispatcher = CollectingDispatcher()
    slots = {"consent": True, "stage": "onboarding", "requested_slot": "role"}
    t = tracker(text="a human please", intent="request_human", slots=slots, active_loop="onboarding_form")

    events = await ActionRequestHuman().run(dispatcher, t, domain)

    assert events == RESET_FROM_ASKING[0:1] + RESET_FROM_ASKING[2:]
    assert dispatcher.messages == [utterance(render("handoff"))]
    assert db.interview().status == InterviewStatus.PAUSED


async def test_request_human_without_interview_points_to_the_recruiters(tracker, domain, active_service, db, utterance):
    dispatcher = CollectingDispatcher()
    t = tracker(
        text="can I talk to someone",
        intent="request_human",
        slots={"stage": "onboarding", "requested_slot": "consent"},
        active_loop="onboarding_form",
    )

    events = await ActionRequestHuman().run(dispatcher, t, domain)

    assert events == [SlotSet("requested_slot", None), SlotSet("stage", "closed")]
    assert dispatcher.messages == [utterance(render("handoff_no_interview"))]
    assert db.interviews() == []  # nothing recorded without consent


# ----------------------------------------------------------------------------- stop


async def test_stop_withdraws_the_interview_and_keeps_its_answers(
    tracker, domain, active_service, begin, db, good_answers, utterance
):
    begin("cashier")
    question = active_service.current_prompt(CID).question_id
    assert not active_service.submit_answer(CID, good_answers[question]).probed
    dispatcher = CollectingDispatcher()

    events = await ActionStopInterview().run(dispatcher, interrupting(tracker, "stop", "stop_interview"), domain)

    assert events == RESET_FROM_ASKING
    assert dispatcher.messages == [utterance(render("withdrawn"))]
    interview = db.interview()
    assert interview.status == InterviewStatus.WITHDRAWN
    assert interview.finished_at is not None
    kept = db.answer(0)
    assert kept.text == good_answers[question]
    assert kept.status == AnswerStatus.ANSWERED
    assert kept.scores
    assert active_service.open_interview_id(CID) is None


async def test_stop_before_consent_records_nothing(tracker, domain, active_service, db, utterance):
    dispatcher = CollectingDispatcher()
    t = tracker(
        text="stop",
        intent="stop_interview",
        slots={"stage": "onboarding", "requested_slot": "consent"},
        active_loop="onboarding_form",
    )

    events = await ActionStopInterview().run(dispatcher, t, domain)

    assert events == [SlotSet("requested_slot", None), SlotSet("stage", "closed")]
    assert dispatcher.messages == [utterance(render("stopped_before_start"))]
    assert db.interviews() == []


async def test_stop_after_the_interview_ended_changes_nothing(tracker, domain, active_service, begin, db, utterance):
    begin("cashier")
    active_service.complete(CID)
    dispatcher = CollectingDispatcher()

    events = await ActionStopInterview().run(
        dispatcher, tracker(text="stop", intent="stop_interview", slots={"stage": "closed"}), domain
    )

    assert events == [SlotSet("stage", "closed")]
    assert dispatcher.messages == [utterance(render("already_done"))]
    assert db.interview().status == InterviewStatus.COMPLETED


# --------------------------------------------------------------------- welcome back


async def test_welcome_back_says_where_the_interview_stands(tracker, domain, active_service, begin, db, utterance):
    begin("cashier")
    active_service.skip(CID)
    active_service.skip(CID)
    dispatcher = CollectingDispatcher()

    events = await ActionWelcomeBack().run(dispatcher, interrupting(tracker, "I'm back", "continue_interview"), domain)

    assert events == []
    assert dispatcher.messages == [utterance(render("welcome_back_progress", done=2, total=6))]
    assert dispatcher.messages[0]["text"] == "Welcome back! You've done 2 of 6 questions; let's continue."
    assert db.interview().status == InterviewStatus.IN_PROGRESS


async def test_hello_mid_question_is_greeted_back(tracker, domain, active_service, begin, db, utterance):
    begin("cashier")
    active_service.skip(CID)
    dispatcher = CollectingDispatcher()

    events = await ActionWelcomeBack().run(dispatcher, interrupting(tracker, "hello", "greet"), domain)

    assert events == []
    assert dispatcher.messages == [utterance(render("hello_mid_question", number=2, total=6))]
    assert dispatcher.messages[0]["text"] == "Hello! We're on question 2 of 6 — here it is again."


async def test_hello_in_a_new_session_is_a_welcome_back(tracker, domain, active_service, begin, db, utterance):
    begin("cashier")
    active_service.skip(CID)
    events = [
        BotUttered("Question 1 of 6: ..."),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered("hello", parse_data={"intent": {"name": "greet", "confidence": 0.99}, "entities": []}),
    ]
    dispatcher = CollectingDispatcher()

    await ActionWelcomeBack().run(
        dispatcher, tracker(text="hello", intent="greet", slots=ASKING, active_loop=FORM, events=events), domain
    )

    assert dispatcher.messages == [utterance(render("welcome_back_progress", done=1, total=6))]


async def test_welcome_back_resumes_a_paused_interview(tracker, domain, active_service, begin, db):
    begin("cashier")
    active_service.request_handoff(CID)

    await ActionWelcomeBack().run(
        CollectingDispatcher(), interrupting(tracker, "I'm back", "continue_interview"), domain
    )

    assert db.interview().status == InterviewStatus.IN_PROGRESS


async def test_stop_mid_interview_asks_first_and_changes_nothing(tracker, domain, active_service, begin, db, utterance):
    begin("cashier")
    dispatcher = CollectingDispatcher()

    events = await ActionConfirmStop().run(dispatcher, interrupting(tracker, "stop", "stop_interview"), domain)

    assert events == []  # the form stays active: an answer sent instead of yes/no is still an answer
    assert dispatcher.messages == [utterance(render("confirm_stop"), buttons=STOP_BUTTONS)]
    assert db.interview().status == InterviewStatus.IN_PROGRESS


async def test_carrying_on_after_the_stop_question_changes_nothing(
    tracker, domain, active_service, begin, db, utterance
):
    begin("cashier")
    dispatcher = CollectingDispatcher()

    events = await ActionCancelStop().run(dispatcher, interrupting(tracker, "no", "deny"), domain)

    assert events == []
    assert dispatcher.messages == [utterance(render("stop_cancelled"))]
    assert db.interview().status == InterviewStatus.IN_PROGRESS
