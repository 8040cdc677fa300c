"""Tests for :mod:`actions.requests`: requests about the candidate's data, result or needs.

Each action is run on the tracker Rasa sends; the tests assert the exact
events and messages and what the database holds afterwards (SQLite, then
PostgreSQL).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.requests import ActionRecordRequest, ActionTellPrivacy
from bot.db.models import AnswerStatus, CandidateRequest, InterviewStatus, RequestKind
from bot.interview.messages import render
from bot.interview.service import REQUEST_DUE_DAYS

CID = "conv-actions-1"  # the tracker fixture's default sender id
FORM = "interview_form"
ASKING = {"consent": True, "role": "cashier", "stage": "interview", "requested_slot": "answer"}


def _requests(loaded) -> list[CandidateRequest]:
    with loaded() as session:
        return list(session.scalars(select(CandidateRequest).order_by(CandidateRequest.id)))


@pytest.mark.parametrize(
    ("intent", "text", "kind"),
    [
        ("request_accommodation", "I'm dyslexic, can I do this another way?", RequestKind.ACCOMMODATION),
        ("request_erasure", "please delete my data", RequestKind.ERASURE),
        ("request_data_copy", "what data do you have on me?", RequestKind.ACCESS),
        ("request_review", "I want a human to review my result", RequestKind.REVIEW),
    ],
)
async def test_a_request_mid_question_is_recorded_and_the_interview_goes_on(
    tracker, domain, active_service, begin, db, loaded, utterance, intent, text, kind
):
    interview_id = begin("cashier")
    dispatcher = CollectingDispatcher()

    events = await ActionRecordRequest().run(
        dispatcher, tracker(text=text, intent=intent, slots=ASKING, active_loop=FORM), domain
    )

    assert events == []  # the form stays active; the rule asks the question again
    [req] = _requests(loaded)
    assert (req.kind, req.interview_id, req.handled_at) == (kind, interview_id, None)
    assert req.due_at - req.created_at == timedelta(days=REQUEST_DUE_DAYS[kind])
    assert dispatcher.messages == [utterance(render(f"request_{kind.value}", due=f"{req.due_at:%-d %B %Y}"))]
    interview = db.interview()
    assert interview.status == InterviewStatus.IN_PROGRESS  # never closed because of a request
    assert interview.position == 0
    assert [a for a in interview.answers if a.status == AnswerStatus.ANSWERED] == []  # not taken as an answer


async def test_asking_again_while_open_records_one_request(tracker, domain, active_service, begin, loaded):
    begin("cashier")
    asking = tracker(text="delete my data", intent="request_erasure", slots=ASKING, active_loop=FORM)
    first, second = CollectingDispatcher(), CollectingDispatcher()

    await ActionRecordRequest().run(first, asking, domain)
    await ActionRecordRequest().run(second, asking, domain)

    assert len(_requests(loaded)) == 1
    assert first.messages == second.messages  # same due date told both times


async def test_a_request_before_any_interview_creates_the_candidate(tracker, domain, active_service, loaded):
    dispatcher = CollectingDispatcher()

    await ActionRecordRequest().run(
        dispatcher, tracker(text="I use a screen reader", intent="request_accommodation", sender_id="new-conv"), domain
    )

    [req] = _requests(loaded)
    assert req.kind == RequestKind.ACCOMMODATION and req.interview_id is None
    assert req.candidate.conversation_id == "new-conv"
    assert len(dispatcher.messages) == 1


async def test_a_payload_of_another_intent_records_nothing(tracker, domain, active_service, begin, loaded):
    begin("cashier")
    dispatcher = CollectingDispatcher()

    events = await ActionRecordRequest().run(
        dispatcher, tracker(text="/affirm", intent="request_erasure", slots=ASKING, active_loop=FORM), domain
    )

    assert events == [] and dispatcher.messages == []
    assert _requests(loaded) == []


async def test_what_is_kept_is_answered_with_the_retention_period(
    tracker, domain, active_service, monkeypatch, utterance
):
    monkeypatch.setenv("RETENTION_DAYS", "90")
    monkeypatch.delenv("RETENTION_ADVANCED_DAYS", raising=False)
    dispatcher = CollectingDispatcher()

    events = await ActionTellPrivacy().run(
        dispatcher,
        tracker(text="how long do you keep my data", intent="ask_privacy", slots=ASKING, active_loop=FORM),
        domain,
    )

    assert events == []
    assert dispatcher.messages == [utterance(render("privacy", retention="90", advanced="365"))]
    assert "90 days" in dispatcher.messages[0]["text"]
