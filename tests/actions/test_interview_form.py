"""Tests for :mod:`actions.interview_form`: taking answers, asking questions, finishing.

``validate_interview_form`` is run whole (``await action.run(...)``) on the
tracker Rasa sends while the form asks a question, against the real database
(SQLite, then PostgreSQL) with the real scorer. The tests assert the exact
events and messages, and what was stored: the answer as typed, its scores,
the probe state and the interview's position.
"""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActionExecuted, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher

from actions.interview_form import ActionAskAnswer, ActionSubmitInterview, ValidateInterviewForm
from bot.db.models import AnswerStatus, InterviewStatus
from bot.interview.messages import render
from bot.interview.text import MAX_ANSWER_CHARS
from bot.scoring import SCORER_VERSION

CID = "conv-actions-1"  # the tracker fixture's default sender id
FORM = "interview_form"
#: Slots while the interview form asks a question.
ASKING = {"consent": True, "role": "cashier", "stage": "interview", "requested_slot": "answer"}

LONG_REQUEST_HUMAN = (
    "I would ask my manager or a person from HR to double check the hours with the employee before payroll"
)


def reply(tracker, text: str, intent: str = "give_answer", confidence: float = 0.9, **kwargs):
    """The tracker of a reply while the interview form asks a question."""
    return tracker(
        text=text,
        intent=intent,
        confidence=confidence,
        slots={**ASKING, **kwargs.pop("slots", {})},
        active_loop=kwargs.pop("active_loop", FORM),
        **kwargs,
    )


async def run_form(tracker, domain, text: str, intent: str = "give_answer", confidence: float = 0.9, **kwargs):
    """Run validate_interview_form on a reply; returns ``(events, dispatcher)``."""
    dispatcher = CollectingDispatcher()
    t = reply(tracker, text, intent, confidence, **kwargs)
    events = await ValidateInterviewForm().run(dispatcher, t, domain)
    return events, dispatcher


async def ask(tracker, domain) -> list[dict]:
    """Run action_ask_answer; returns the messages (it never returns events)."""
    dispatcher = CollectingDispatcher()
    assert await ActionAskAnswer().run(dispatcher, tracker(slots=ASKING, active_loop=FORM), domain) == []
    return dispatcher.messages


# ------------------------------------------------------------------ required_slots


async def test_required_slots_is_answer_while_a_question_is_left(tracker, domain, active_service, begin):
    begin("cashier")
    action = ValidateInterviewForm()
    for _ in range(5):
        active_service.skip(CID)

    assert await action.required_slots(["answer"], CollectingDispatcher(), tracker(slots=ASKING), domain) == ["answer"]

    active_service.skip(CID)

    assert await action.required_slots(["answer"], CollectingDispatcher(), tracker(slots=ASKING), domain) == []


async def test_an_answer_that_leaves_questions_only_clears_the_slot(
    tracker, domain, active_service, begin, db, good_answers
):
    begin("cashier")
    first = db.interview().plan[0]

    events, dispatcher = await run_form(tracker, domain, good_answers[first])

    # The form asks again (requested_slot is Rasa's to set: the required slots are the domain's).
    assert events == [SlotSet("answer", None)]
    assert dispatcher.messages == []
    assert db.interview().position == 1


async def test_the_last_answer_completes_the_form(tracker, domain, active_service, begin, db, good_answers):
    begin("cashier")
    for _ in range(5):
        active_service.skip(CID)
    last = db.interview().plan[5]

    events, dispatcher = await run_form(tracker, domain, good_answers[last])

    assert events == [SlotSet("answer", None), SlotSet("requested_slot", None)]
    assert dispatcher.messages == []
    interview = db.interview()
    assert interview.position == 6
    assert db.answer(5).status == AnswerStatus.ANSWERED
    assert interview.status == InterviewStatus.IN_PROGRESS  # completed by action_submit_interview


# ------------------------------------------------------------------ extract_answer


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        ("I'd apologise and offer a refund.", "give_answer", 0.9),
        (LONG_REQUEST_HUMAN, "request_human", 0.9),
        ("stop", "stop_interview", 0.3),  # an escape intent without confidence is an answer
        ("Yes I agree with them", "affirm", 0.99),  # not an escape intent
    ],
)
async def test_extract_answer_takes_the_whole_message(tracker, domain, text, intent, confidence):
    t = reply(tracker, text, intent, confidence)

    assert await ValidateInterviewForm().extract_answer(CollectingDispatcher(), t, domain) == {"answer": text}


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        ("stop", "stop_interview", 0.97),
        ("why are you asking this?", "ask_why", 0.9),
        ("can you repeat that", "repeat_question", 0.8),
        ("/skip_question", "skip_question", 0.2),  # a button payload
    ],
)
async def test_extract_answer_ignores_short_escapes(tracker, domain, text, intent, confidence):
    t = reply(tracker, text, intent, confidence)

    assert await ValidateInterviewForm().extract_answer(CollectingDispatcher(), t, domain) == {}


@pytest.mark.parametrize(
    ("requested_slot", "active_loop"),
    [(None, FORM), ("role", FORM), ("answer", "onboarding_form"), ("answer", None)],
)
async def test_extract_answer_ignores_messages_the_form_did_not_ask_for(tracker, domain, requested_slot, active_loop):
    t = reply(tracker, "hi there", "greet", 0.2, slots={"requested_slot": requested_slot}, active_loop=active_loop)

    assert await ValidateInterviewForm().extract_answer(CollectingDispatcher(), t, domain) == {}


async def test_the_message_that_opened_the_form_is_not_an_answer(tracker, domain, active_service, begin, db):
    begin("cashier")

    events, dispatcher = await run_form(
        tracker, domain, "continue", "continue_interview", 0.3, slots={"requested_slot": None}
    )

    assert events == []
    assert dispatcher.messages == []
    assert db.answer(0).text is None
    assert db.interview().position == 0


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [("stop", "stop_interview", 0.97), ("why are you asking this?", "ask_why", 0.9)],
)
async def test_a_short_escape_is_not_stored(tracker, domain, active_service, begin, db, text, intent, confidence):
    begin("cashier")

    events, dispatcher = await run_form(tracker, domain, text, intent, confidence)

    assert events == []  # nothing validated: Rasa rejects the form and the escape's rule runs
    assert dispatcher.messages == []
    answer = db.answer(0)
    assert answer.text is None
    assert answer.status == AnswerStatus.ASKED
    interview = db.interview()
    assert interview.position == 0
    assert interview.status == InterviewStatus.IN_PROGRESS


async def test_a_long_answer_that_sounds_like_request_human_is_stored(tracker, domain, active_service, begin, db):
    begin("cashier")

    events, dispatcher = await run_form(tracker, domain, LONG_REQUEST_HUMAN, "request_human", 0.9)

    assert events == [SlotSet("answer", None)]
    assert dispatcher.messages == []
    assert db.answer(0).text == LONG_REQUEST_HUMAN
    assert db.interview().status == InterviewStatus.IN_PROGRESS  # not paused


@pytest.mark.parametrize(
    ("payload", "intent"), [("/affirm", "affirm"), ('/choose_role{"role":"cashier"}', "choose_role")]
)
async def test_a_stray_button_payload_is_not_an_answer(tracker, domain, active_service, begin, db, payload, intent):
    begin("cashier")

    await run_form(tracker, domain, payload, intent, 1.0)

    assert db.answer(0).text is None


async def test_a_payload_of_an_unknown_intent_is_neither_answer_nor_request(tracker, domain, active_service, begin, db):
    begin("cashier")

    # NLU read "/nonexistent_intent" as text and guessed an intent: no rule may act on the guess.
    events, dispatcher = await run_form(tracker, domain, "/nonexistent_intent", "stop_interview", 0.9)

    assert events == [SlotSet("answer", None)]
    assert dispatcher.messages == []
    assert db.answer(0).text is None
    assert db.interview().status == InterviewStatus.IN_PROGRESS


# -------------------------------------------------------------- storing and scoring


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script> I would apologise to the customer, listen to the whole complaint "
        "without interrupting, check the order and offer a refund or a replacement.",
        "I'd apologise 🙏 and listen 👂 to the customer, check the order 📦 and offer a refund "
        "or a replacement right away 😊",
        "Pediría disculpas al cliente, escucharía su queja sin interrumpir y le ofrecería un "
        "reembolso o un cambio del producto lo antes posible.",
        "お客様に謝罪し、話を最後まで聞いてから、返金か交換を提案します。",
    ],
    ids=["html", "emoji", "spanish", "japanese"],
)
async def test_an_answer_is_stored_verbatim_and_scored(tracker, domain, active_service, begin, db, good_answers, text):
    begin("cashier")
    question = db.interview().plan[0]

    events, dispatcher = await run_form(tracker, domain, text)

    assert events == [SlotSet("answer", None)]
    unread = text[0] not in "<I"  # Spanish and Japanese: the candidate is told the screening is in English
    assert [m["text"] for m in dispatcher.messages] == ([render("other_language")] if unread else [])
    assert db.answer(0).text == text
    if db.answer(0).status == AnswerStatus.PROBING:  # the scorer wants more: reply to the probe
        events, _ = await run_form(tracker, domain, good_answers[question])
        assert events == [SlotSet("answer", None)]
        assert db.answer(0).follow_up_text == good_answers[question]
    answer = db.answer(0)
    assert answer.text == text
    assert answer.status == AnswerStatus.ANSWERED
    assert answer.scores, "the answer was not scored"
    assert {s.scorer_version for s in answer.scores} == {SCORER_VERSION}
    assert db.interview().position == 1


async def test_surrounding_whitespace_and_control_characters_are_dropped(
    tracker, domain, active_service, begin, db, good_answers
):
    begin("cashier")
    text = good_answers[db.interview().plan[0]]

    await run_form(tracker, domain, f"\n  {text}\x00 \t")

    assert db.answer(0).text == text


async def test_a_vague_answer_is_probed(tracker, domain, active_service, begin, db, utterance):
    begin("cashier")

    events, dispatcher = await run_form(tracker, domain, "idk")

    assert events == [SlotSet("answer", None)]
    assert dispatcher.messages == []
    answer = db.answer(0)
    assert answer.status == AnswerStatus.PROBING
    assert answer.text == "idk"
    assert answer.scores == []
    assert db.interview().position == 0
    assert await ask(tracker, domain) == [utterance(render("probe", question=answer.question.probe))]


SPANISH = "Primero escucharía al cliente con calma, le pediría disculpas y revisaría el pedido con él."


async def test_an_answer_in_another_language_is_kept_and_the_candidate_told(
    tracker, domain, active_service, begin, db, utterance
):
    begin("cashier")

    events, dispatcher = await run_form(tracker, domain, SPANISH)

    assert events == [SlotSet("answer", None)]
    assert dispatcher.messages == [utterance(render("other_language"))]
    answer = db.answer(0)
    assert answer.text == SPANISH and answer.status == AnswerStatus.PROBING
    assert await ask(tracker, domain) == [utterance(render("probe", question=answer.question.probe))]


async def test_an_answer_over_the_limit_is_refused_and_not_stored(
    tracker, domain, active_service, begin, db, utterance
):
    begin("cashier")

    events, dispatcher = await run_form(tracker, domain, "a" * (MAX_ANSWER_CHARS + 1))

    assert events == [SlotSet("answer", None)]
    assert dispatcher.messages == [
        utterance(render("answer_too_long", length=MAX_ANSWER_CHARS + 1, limit=MAX_ANSWER_CHARS))
    ]
    assert f"({MAX_ANSWER_CHARS + 1} characters; the limit is {MAX_ANSWER_CHARS})" in dispatcher.messages[0]["text"]
    answer = db.answer(0)
    assert answer.text is None
    assert answer.status == AnswerStatus.ASKED
    assert db.interview().position == 0


@pytest.mark.parametrize(
    "text", ["", "   \n\t ", "\x00\x07", "\u200b"], ids=["empty", "whitespace", "control", "zero-width"]
)
async def test_an_empty_answer_is_refused_and_not_stored(tracker, domain, active_service, begin, db, utterance, text):
    begin("cashier")

    events, dispatcher = await run_form(tracker, domain, text)

    assert events == [SlotSet("answer", None)]
    assert dispatcher.messages == [utterance(render("empty_answer"))]
    answer = db.answer(0)
    assert answer.text is None
    assert answer.status == AnswerStatus.ASKED
    assert db.interview().position == 0


@pytest.mark.parametrize("text", ["ok", "sure, ready", "great, let's go"])
async def test_an_acknowledgement_leaves_the_question_open(tracker, domain, active_service, begin, db, utterance, text):
    begin("cashier")

    events, dispatcher = await run_form(tracker, domain, text, "affirm", 0.95)

    assert events == [SlotSet("answer", None)]
    assert dispatcher.messages == [utterance(render("awaiting_answer"))]
    answer = db.answer(0)
    assert answer.text is None
    assert answer.status == AnswerStatus.ASKED
    assert db.interview().position == 0


async def test_answer_cleared_by_another_action_is_not_an_answer(tracker, domain, active_service, begin, db):
    begin("cashier")

    events, dispatcher = await run_form(tracker, domain, "hello", "greet", 0.9, candidates={"answer": None})

    assert events == [SlotSet("answer", None)]
    assert dispatcher.messages == []
    assert db.answer(0).text is None


# ------------------------------------------------------------------ action_ask_answer


async def test_ask_answer_sends_the_numbered_question(tracker, domain, active_service, begin, db, utterance):
    begin("cashier")

    messages = await ask(tracker, domain)

    answer = db.answer(0)
    assert answer.question_id == db.interview().plan[0]
    assert answer.status == AnswerStatus.ASKED
    assert messages == [utterance(render("question", number=1, total=6, question=answer.variant.text))]
    assert messages[0]["text"] == f"Question 1 of 6: {answer.variant.text}"


async def test_ask_answer_keeps_the_same_wording_when_asked_again(tracker, domain, active_service, begin):
    begin("cashier")

    assert await ask(tracker, domain) == await ask(tracker, domain)


async def test_ask_answer_moves_to_the_next_question_after_an_answer(
    tracker, domain, active_service, begin, db, good_answers
):
    begin("cashier")
    await run_form(tracker, domain, good_answers[db.interview().plan[0]])

    messages = await ask(tracker, domain)

    second = db.answer(1)
    assert second.question_id == db.interview().plan[1]
    assert [m["text"] for m in messages] == [f"Question 2 of 6: {second.variant.text}"]


async def test_ask_answer_says_nothing_when_no_question_is_left(tracker, domain, active_service, begin):
    begin("cashier")
    for _ in range(6):
        active_service.skip(CID)

    assert await ask(tracker, domain) == []


# ------------------------------------------------------------ action_submit_interview


async def test_submit_interview_completes_it_and_resets_the_slots(
    tracker, domain, active_service, begin, db, good_answers, utterance
):
    begin("cashier")
    await run_form(tracker, domain, good_answers[db.interview().plan[0]])
    for _ in range(5):
        active_service.skip(CID)
    dispatcher = CollectingDispatcher()
    slots = {**ASKING, "requested_slot": None}

    events = await ActionSubmitInterview().run(dispatcher, tracker(slots=slots), domain)

    assert events == [SlotSet("consent", None), SlotSet("role", None), SlotSet("stage", "closed")]
    assert dispatcher.messages == [utterance(render("interview_done"))]
    interview = db.interview()
    assert interview.status == InterviewStatus.COMPLETED
    assert interview.finished_at is not None
    assert db.answer(0).scores  # kept
    assert active_service.open_interview_id(CID) is None


# ------------------------------------------------------------------ "End the screening now?"


def after_stop_question(tracker, text: str, intent: str, confidence: float = 0.95):
    """The tracker of a reply right after action_confirm_stop asked "End the screening now?"."""
    parse = {"intent": {"name": intent, "confidence": confidence}, "text": text, "entities": []}
    events = [
        ActionExecuted("action_confirm_stop"),
        ActionExecuted("action_listen"),
        UserUttered(text, parse_data=parse, input_channel="rest"),
    ]
    return tracker(text=text, intent=intent, confidence=confidence, slots=ASKING, active_loop=FORM, events=events)


@pytest.mark.parametrize(("text", "intent"), [("yes", "affirm"), ("no", "deny"), ("no, carry on", "deny")])
async def test_yes_or_no_right_after_the_stop_question_is_not_an_answer(tracker, domain, text, intent):
    t = after_stop_question(tracker, text, intent)

    assert await ValidateInterviewForm().extract_answer(CollectingDispatcher(), t, domain) == {}


async def test_an_answer_right_after_the_stop_question_is_the_answer(tracker, domain):
    text = "I would compare the timesheet with the rota day by day and ask the manager before paying"
    t = after_stop_question(tracker, text, "give_answer")

    assert await ValidateInterviewForm().extract_answer(CollectingDispatcher(), t, domain) == {"answer": text}


async def test_yes_without_the_stop_question_is_read_as_usual(tracker, domain):
    t = reply(tracker, "yes", "affirm", 0.95)

    assert await ValidateInterviewForm().extract_answer(CollectingDispatcher(), t, domain) == {"answer": "yes"}


async def test_a_long_reply_read_as_yes_or_no_after_the_stop_question_is_the_answer(tracker, domain):
    text = "No sorry, I pressed that by mistake. I would apologise, check the order history and offer a refund"
    t = after_stop_question(tracker, text, "deny")

    assert await ValidateInterviewForm().extract_answer(CollectingDispatcher(), t, domain) == {"answer": text}
