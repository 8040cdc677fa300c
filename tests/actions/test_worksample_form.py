"""The interview form on work samples: asked, answered, interrupted, scored exactly.

A back-office interview (``data_entry_clerk``: a timesheet, then an invoice
check after the six situational questions) is skipped to its work samples
through the service; then the actions run on the tracker Rasa sends, and the
tests assert the exact events and messages and what was stored.
"""

from __future__ import annotations

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.interruptions import ActionExplainQuestion, ActionRepeatQuestion, ActionSkipQuestion
from actions.interview_form import ActionAskAnswer, ValidateInterviewForm
from bot.db.models import AnswerStatus
from bot.interview.messages import render
from bot.worksamples import read_worksamples
from bot.worksamples.interview import SCORER_VERSION, WORKSAMPLE_FLAG

CID = "conv-actions-1"  # the tracker fixture's default sender id
FORM = "interview_form"
ROLE = "data_entry_clerk"
ASKING = {"consent": True, "role": ROLE, "stage": "interview", "requested_slot": "answer"}
WS = read_worksamples()


def _reply(tracker, text: str, intent: str = "give_answer", confidence: float = 0.9):
    return tracker(text=text, intent=intent, confidence=confidence, slots=ASKING, active_loop=FORM)


def _to_worksamples(service, begin, db) -> int:
    """Start the interview and skip its situational questions; returns the first work sample's position."""
    begin(ROLE)
    plan = db.interview().plan
    for _ in plan[:-2]:
        service.skip(CID)
    return len(plan) - 2


def _key(db, item_id: str):
    entry = next(e for e in db.interview().worksamples if e["item_id"] == item_id)
    return WS.items[item_id].instance(entry["seed"]), entry["seed"]


async def test_the_work_sample_is_asked_like_a_question(tracker, domain, active_service, begin, db, utterance):
    position = _to_worksamples(active_service, begin, db)
    dispatcher = CollectingDispatcher()

    assert await ActionAskAnswer().run(dispatcher, tracker(slots=ASKING, active_loop=FORM), domain) == []

    asked = db.answer(position)
    _, seed = _key(db, "timesheet_week")
    assert asked.question_id == "timesheet_week" and asked.worksample["seed"] == seed
    text = WS.items["timesheet_week"].prompt(seed)
    assert dispatcher.messages == [
        utterance(render("question", number=position + 1, total=position + 2, question=text))
    ]


async def test_a_right_and_a_wrong_answer_are_scored_exactly(tracker, domain, active_service, begin, db):
    position = _to_worksamples(active_service, begin, db)
    key, _ = _key(db, "timesheet_week")
    active_service.current_prompt(CID)
    right = f"{key.total_hours} hours and £{key.pay}"

    events = await ValidateInterviewForm().run(CollectingDispatcher(), _reply(tracker, right), domain)

    assert events == [SlotSet("answer", None)]
    stored = db.answer(position)
    assert (stored.status, stored.text) == (AnswerStatus.ANSWERED, right)
    assert [(s.competency_id, s.rating, s.scorer_version) for s in stored.scores] == [("numeracy", 5, SCORER_VERSION)]
    assert stored.scores[0].flags == [WORKSAMPLE_FLAG]

    active_service.current_prompt(CID)
    dispatcher = CollectingDispatcher()
    events = await ValidateInterviewForm().run(dispatcher, _reply(tracker, "no idea, sorry I don't know"), domain)

    assert events == [SlotSet("answer", None), SlotSet("requested_slot", None)]
    assert dispatcher.messages == []
    wrong = db.answer(position + 1)
    assert [(s.competency_id, s.rating) for s in wrong.scores] == [("numeracy", 1)]
    assert wrong.scores[0].flags == [WORKSAMPLE_FLAG, "dont_know"]


async def test_a_figure_answers_a_work_sample_whatever_the_intent(tracker, domain, active_service, begin, db):
    text = "46 hours, £712.50"
    begin(ROLE)
    situational = _reply(tracker, text, intent="chitchat", confidence=0.9)
    assert await ValidateInterviewForm().extract_answer(CollectingDispatcher(), situational, domain) == {}

    for _ in db.interview().plan[:-2]:
        active_service.skip(CID)
    active_service.current_prompt(CID)
    t = _reply(tracker, text, intent="chitchat", confidence=0.9)
    assert await ValidateInterviewForm().extract_answer(CollectingDispatcher(), t, domain) == {"answer": text}
    leave = _reply(tracker, "stop, I have 2 minutes left", intent="stop_interview", confidence=0.9)
    assert await ValidateInterviewForm().extract_answer(CollectingDispatcher(), leave, domain) == {}


async def test_a_calculator_question_interrupts_the_work_sample(tracker, domain, active_service, begin, db):
    _to_worksamples(active_service, begin, db)
    active_service.current_prompt(CID)
    t = _reply(tracker, "can I use a calculator?", intent="ask_calculator", confidence=0.95)

    assert await ValidateInterviewForm().extract_answer(CollectingDispatcher(), t, domain) == {}
    assert "utter_calculator_yes" in domain["responses"]


async def test_why_repeat_and_skip_work_on_a_work_sample(tracker, domain, active_service, begin, db, utterance):
    position = _to_worksamples(active_service, begin, db)
    active_service.current_prompt(CID)

    why = CollectingDispatcher()
    t = tracker(text="why this?", intent="ask_why", slots=ASKING, active_loop=FORM)
    assert await ActionExplainQuestion().run(why, t, domain) == []
    purpose = db.answer(position).question.purpose
    assert "calculator" in purpose
    assert why.messages == [utterance(render("explain_question", purpose=purpose))]

    again = CollectingDispatcher()
    t = tracker(text="say that again", intent="repeat_question", slots=ASKING, active_loop=FORM)
    assert await ActionRepeatQuestion().run(again, t, domain) == []
    assert again.messages == [utterance(render("repeat_question"))]

    skip = CollectingDispatcher()
    t = tracker(text="skip", intent="skip_question", slots=ASKING, active_loop=FORM)
    assert await ActionSkipQuestion().run(skip, t, domain) == []
    assert skip.messages == [utterance(render("skipped"))]
    skipped = db.answer(position)
    assert (skipped.status, skipped.scores) == (AnswerStatus.SKIPPED, [])
    assert db.interview().position == position + 1
