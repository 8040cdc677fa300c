"""Interviews over Slack against the real servers and a double of Slack's Web API.

Signed event and interactivity payloads, shaped like Slack's, are POSTed to
the Rasa server's Slack webhook; the double records every Web API call, and
the tests assert exactly which messages it received.
"""

from __future__ import annotations

import json
import sqlite3
import time

import pytest
from sqlalchemy import select

from bot.channels.limits import MAX_MESSAGE_CHARS, too_long_reply
from bot.channels.slackutil import escape
from bot.db.models import Answer, AnswerStatus, Candidate, Interview, InterviewStatus
from bot.interview.messages import render
from tests.e2e.answers import GOOD
from tests.slack.conftest import BASE_URL, RECRUITERS, SlackStack
from tests.slack.double import Call
from tests.slack.events import (
    BOT_ID,
    BOT_USER,
    RETRY_REASONS,
    TEAM,
    block_actions,
    dm_message,
    event_callback,
    new_ts,
)

pytestmark = pytest.mark.rasa

SETTLE = 2.0  # seconds to wait to be sure nothing more is posted


def interview_of(s: SlackStack, conversation_id: str) -> Interview | None:
    """The newest interview of a conversation."""
    with s.stack.sessions() as session:
        return session.scalars(
            select(Interview)
            .join(Candidate)
            .where(Candidate.conversation_id == conversation_id)
            .order_by(Interview.id.desc())
        ).first()


def answers_of(s: SlackStack, interview_id: int) -> list[Answer]:
    """An interview's answers by position."""
    with s.stack.sessions() as session:
        return list(
            session.scalars(select(Answer).where(Answer.interview_id == interview_id).order_by(Answer.position))
        )


def buttons(call: Call) -> list[tuple[str, str]]:
    """(title, value) of every button of a posted message."""
    return [
        (element["text"]["text"], element["value"])
        for block in call.body.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def as_message(call: Call) -> dict:
    """The message as Slack would echo it in an interaction payload."""
    message = {"ts": call.ts, "text": call.text, "blocks": call.body.get("blocks")}
    if call.body.get("thread_ts"):
        message["thread_ts"] = call.body["thread_ts"]
    return message


def send(s: SlackStack, user: str, channel: str, text: str, **extra) -> dict:
    """Send a DM from ``user``; check it is acknowledged within 3 s; return the payload."""
    payload = event_callback(dm_message(user, channel, text, **extra))
    started = time.monotonic()
    reply = s.webhook.event(payload)
    assert reply.status == 200, reply
    assert time.monotonic() - started < 3, "Slack wants an answer within three seconds"
    return payload


def click(s: SlackStack, user: str, channel: str, call: Call, value: str) -> None:
    """``user`` clicks the button ``value`` of the posted message ``call``."""
    title = next(t for t, v in buttons(call) if v == value)
    reply = s.webhook.interaction(block_actions(user, channel, as_message(call), value, title))
    assert reply.status == 200, reply


def settle_and_check(s: SlackStack, channel: str, expected: int) -> list[Call]:
    """Wait a moment, then check exactly ``expected`` messages were posted to ``channel``."""
    time.sleep(SETTLE)
    posted = s.double.posted(channel)
    assert len(posted) == expected, [c.text[:80] for c in posted]
    return posted


def start_dm(s: SlackStack, user: str, channel: str, role: str = "cashier") -> list[Call]:
    """Hello, consent by button, role by button; returns the 4 messages posted."""
    send(s, user, channel, "hello")
    intro = s.double.wait_posted(channel, 1)[0]
    click(s, user, channel, intro, "/affirm")
    roles = s.double.wait_posted(channel, 2)[1]
    value = next(v for _, v in buttons(roles) if f'"{role}"' in v)
    click(s, user, channel, roles, value)
    return s.double.wait_posted(channel, 4)


def tracker_mentions(s: SlackStack, needle: str) -> int:
    """How many tracker events contain ``needle``."""
    with sqlite3.connect(s.stack.settings.tracker_db) as conn:
        return conn.execute("SELECT count(*) FROM events WHERE data LIKE ?", (f"%{needle}%",)).fetchone()[0]


def test_a_whole_interview_in_a_direct_message(slack_stack: SlackStack) -> None:
    s, user, channel = slack_stack, "U0CANDA", "D0CANDA"
    conversation = f"slack:{TEAM}:{channel}"
    send(s, user, channel, "hello")
    intro = s.double.wait_posted(channel, 1)[0]
    assert "automated screening assistant" in intro.text and "makes every decision" in intro.text
    assert buttons(intro) == [("Yes, continue", "/affirm"), ("No, thanks", "/deny")]
    assert intro.body["blocks"][0]["text"]["type"] == "mrkdwn"
    assert intro.token == "xoxb-test-token"
    assert "thread_ts" not in intro.body

    click(s, user, channel, intro, "/affirm")
    roles = s.double.wait_posted(channel, 2)[1]
    assert roles.text == render("ask_role_intro")
    assert len(buttons(roles)) == 10, "all ten roles are buttons (Rasa's channel drops more than 5)"
    # The clicked message loses its buttons and shows the choice; a second click does nothing.
    updates = s.double.wait_for(lambda: s.double.snapshot("chat.update", channel))
    assert [(u.body["ts"], u.body["blocks"][-1]["elements"][0]["text"]) for u in updates] == [
        (intro.ts, "*Yes, continue*")
    ]
    click(s, user, channel, intro, "/deny")

    cashier = next(v for _, v in buttons(roles) if '"cashier"' in v)
    click(s, user, channel, roles, cashier)
    posted = s.double.wait_posted(channel, 4)
    assert "There are 6 questions" in posted[2].text
    assert posted[3].text.startswith("Question 1 of 6: ")
    interview = interview_of(s, conversation)
    assert interview.channel == "slack" and interview.role_id == "cashier"
    plan = list(interview.plan)

    sent = {}
    for number, question_id in enumerate(plan, start=1):
        text = GOOD[question_id]
        if number == 2:
            text += " Q&amp;A notes go in the log."  # as Slack escapes "&"
        if number == len(plan):
            s.double.fail("chat.postMessage", RECRUITERS, [500])  # the first notification attempt fails
        before = len(s.double.posted(channel))
        payload = send(s, user, channel, text)
        if number == 2:
            # Slack retries an event it thinks was missed: acknowledged, nothing more.
            for attempt, reason in enumerate(RETRY_REASONS, start=1):
                reply = s.webhook.event(payload, retry=(attempt, reason))
                assert reply.status == 200 and reply.headers.get("X-Slack-No-Retry") == "1"
        reply = s.double.wait_posted(channel, before + 1)[-1]
        sent[question_id] = text.replace("&amp;", "&")
        if number < len(plan):
            assert reply.text.startswith(f"Question {number + 1} of 6: ")
        else:
            assert reply.text == render("interview_done")

    posted = settle_and_check(s, channel, 4 + len(plan))
    texts = [c.text for c in posted]
    for number in range(1, len(plan) + 1):
        assert texts[2 + number].startswith(f"Question {number} of 6: ")
    assert texts[-1] == render("interview_done")
    assert not any("<!" in t or "<@" in t for t in texts)
    assert all(c.body.get("mrkdwn") is True for c in posted if not c.body.get("blocks"))

    interview = interview_of(s, conversation)
    assert interview.status == InterviewStatus.COMPLETED
    answers = answers_of(s, interview.id)
    assert [a.question_id for a in answers] == plan, "one stored answer per question, retries included"
    assert all(a.status == AnswerStatus.ANSWERED for a in answers)
    assert {a.question_id: a.text for a in answers} == sent
    with s.stack.sessions() as session:
        candidate = session.scalars(select(Candidate).where(Candidate.conversation_id == conversation)).one()
        assert (candidate.channel, candidate.display_name) == ("slack", None)
    assert tracker_mentions(s, user) == 0, "no Slack user id is kept in the trackers"

    # The recruiters hear about it: one failed attempt, then the summary.
    notices = s.double.wait_for(lambda: s.double.posted(RECRUITERS))
    calls = s.double.snapshot("chat.postMessage", RECRUITERS)
    assert [c.status for c in calls] == [500, 200]
    notice = notices[0]
    assert len(notices) == 1
    assert f"{BASE_URL}/recruiter/interviews/{interview.id}" in notice.text
    assert "Cashier" in notice.text and "fit" in notice.text
    body = json.dumps(notice.body["blocks"])
    assert conversation in body and "Competency ratings" in body
    assert f"<{BASE_URL}/recruiter/interviews/{interview.id}|#{interview.id}>" in body


@pytest.mark.parametrize("reason", RETRY_REASONS)
def test_a_retried_event_never_gets_a_second_answer(slack_stack: SlackStack, reason: str) -> None:
    s = slack_stack
    user, channel = f"U0R{reason[:6].upper()}", f"D0R{reason[:6].upper()}"
    payload = send(s, user, channel, "hello")
    # Retry 1 arrives while the first delivery is still being handled, retry 2 later.
    first = s.webhook.event(payload, retry=(1, reason))
    assert first.status == 200 and first.headers.get("X-Slack-No-Retry") == "1"
    s.double.wait_posted(channel, 1)
    second = s.webhook.event(payload, retry=(2, reason))
    assert second.status == 200 and second.headers.get("X-Slack-No-Retry") == "1"
    posted = settle_and_check(s, channel, 1)
    assert "automated screening assistant" in posted[0].text


def test_a_retry_whose_first_delivery_was_lost_is_answered_once(slack_stack: SlackStack) -> None:
    s, user, channel = slack_stack, "U0LOST", "D0LOST"
    payload = event_callback(dm_message(user, channel, "hello"))
    assert s.webhook.event(payload, retry=(1, "http_error")).status == 200
    assert s.webhook.event(payload, retry=(2, "http_error")).status == 200
    s.double.wait_posted(channel, 1)
    settle_and_check(s, channel, 1)


def test_a_retry_reaching_another_rasa_server_is_not_answered_again(slack_stack: SlackStack) -> None:
    s, user, channel = slack_stack, "U0TWO", "D0TWO"
    payload = send(s, user, channel, "hello")
    reply = s.other.event(payload, retry=(1, "http_timeout"))
    assert reply.status == 200 and reply.headers.get("X-Slack-No-Retry") == "1"
    s.double.wait_posted(channel, 1)
    settle_and_check(s, channel, 1)


def test_unsigned_wrongly_signed_and_replayed_requests_are_refused(slack_stack: SlackStack) -> None:
    s, user, channel = slack_stack, "U0SEC", "D0SEC"
    payload = event_callback(dm_message(user, channel, "hello"))
    body = json.dumps(payload).encode()
    assert s.webhook.post_raw(body, {"Content-Type": "application/json"}).status == 401
    assert s.webhook.event(payload, secret="not-the-secret").status == 401
    assert s.webhook.event(payload, timestamp=int(time.time()) - 6 * 60).status == 401
    headers = s.webhook.signed_headers(body, "application/json")
    tampered = body.replace(b"hello", b"hullo")
    assert s.webhook.post_raw(tampered, headers).status == 401
    click_payload = block_actions(user, channel, {"ts": new_ts(), "text": "x"}, "/affirm", "Yes")
    assert s.webhook.interaction(click_payload, secret="not-the-secret").status == 401
    settle_and_check(s, channel, 0)
    assert tracker_mentions(s, f"slack:{TEAM}:{channel}") == 0
    # A valid request is taken once; the same signed request sent again is a replay.
    assert s.webhook.post_raw(body, headers).status == 200
    assert s.webhook.post_raw(body, headers).status == 401
    s.double.wait_posted(channel, 1)
    settle_and_check(s, channel, 1)


def test_url_verification(slack_stack: SlackStack) -> None:
    challenge = {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9", "type": "url_verification"}
    reply = slack_stack.webhook.event(challenge)
    assert reply.status == 200 and json.loads(reply.body) == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9"}


def test_bot_messages_edits_deletions_and_other_events_are_ignored(slack_stack: SlackStack) -> None:
    s, user, channel = slack_stack, "U0IGN", "D0IGN"
    first = send(s, user, channel, "hello")
    s.double.wait_posted(channel, 1)
    original = first["event"]
    ts = new_ts()
    ignored = [
        # our own message, as Slack echoes it
        {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": BOT_ID,
            "text": "Question 1 of 6",
            "ts": ts,
            "channel": channel,
            "channel_type": "im",
        },
        {
            "type": "message",
            "user": BOT_USER,
            "bot_id": BOT_ID,
            "text": "hello",
            "ts": new_ts(),
            "channel": channel,
            "channel_type": "im",
            "bot_profile": {"id": BOT_ID},
        },
        # another app's bot
        {
            "type": "message",
            "user": "U0OTHERBOT",
            "bot_id": "B0OTHER",
            "text": "hello",
            "ts": new_ts(),
            "channel": channel,
            "channel_type": "im",
        },
        # an edit and a deletion of the candidate's message
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": channel,
            "channel_type": "im",
            "hidden": True,
            "ts": new_ts(),
            "message": {**original, "text": "stop", "edited": {"user": user, "ts": new_ts()}},
            "previous_message": original,
        },
        {
            "type": "message",
            "subtype": "message_deleted",
            "channel": channel,
            "channel_type": "im",
            "hidden": True,
            "ts": new_ts(),
            "deleted_ts": original["ts"],
            "previous_message": original,
        },
        {
            "type": "message",
            "subtype": "channel_join",
            "user": user,
            "text": "<@U0IGN> has joined",
            "ts": new_ts(),
            "channel": "C0GENERAL",
            "channel_type": "channel",
        },
        # chatter in a channel outside any screening thread, and other event types
        {
            "type": "message",
            "user": user,
            "text": "hello",
            "ts": new_ts(),
            "channel": "C0GENERAL",
            "channel_type": "channel",
            "client_msg_id": "c0ffee",
        },
        {
            "type": "reaction_added",
            "user": user,
            "reaction": "thumbsup",
            "item": {"type": "message", "channel": channel, "ts": original["ts"]},
            "event_ts": new_ts(),
        },
        {"type": "app_home_opened", "user": user, "channel": channel, "tab": "messages", "event_ts": new_ts()},
    ]
    for event in ignored:
        reply = s.webhook.event(event_callback(event))
        assert reply.status == 200, (event, reply)
    posted = settle_and_check(s, channel, 1)
    assert "automated screening assistant" in posted[0].text
    assert s.double.posted("C0GENERAL") == []
    with s.stack.sessions() as session:
        assert (
            session.scalars(
                select(Interview).join(Candidate).where(Candidate.conversation_id == f"slack:{TEAM}:{channel}")
            ).first()
            is None
        )


def test_handoff_and_resume_in_a_direct_message(slack_stack: SlackStack) -> None:
    s, user, channel = slack_stack, "U0HAND", "D0HAND"
    posted = start_dm(s, user, channel, role="receptionist")
    question = posted[3].text
    send(s, user, channel, "I want to talk to a person")
    assert s.double.wait_posted(channel, 5)[4].text == render("handoff")
    assert interview_of(s, f"slack:{TEAM}:{channel}").status == InterviewStatus.PAUSED
    # The text of a message with a file counts (the file is not kept).
    send(s, user, channel, "continue", subtype="file_share", files=[{"id": "F0FILE", "name": "cv.pdf"}])
    posted = s.double.wait_posted(channel, 7)
    assert [c.text for c in posted[5:]] == [render("welcome_back_progress", done=0, total=6), question]
    assert interview_of(s, f"slack:{TEAM}:{channel}").status == InterviewStatus.IN_PROGRESS
    settle_and_check(s, channel, 7)


def test_a_recruiter_starts_a_screening_in_a_channel_thread(slack_stack: SlackStack) -> None:
    s, recruiter, candidate, other, channel = slack_stack, "U0REC", "U0CANDT", "U0NOSY", "C0HIRING"
    root = new_ts()
    mention = {
        "type": "app_mention",
        "client_msg_id": "5e1f2c3d-thread-start",
        "user": recruiter,
        "text": f"<@{BOT_USER}> please screen <@{candidate}> for the cashier job",
        "ts": root,
        "team": TEAM,
        "channel": channel,
        "event_ts": root,
    }
    assert s.webhook.event(event_callback(mention)).status == 200
    # The same message also arrives as a channel message: handled once.
    assert s.webhook.event(event_callback({**mention, "type": "message", "channel_type": "channel"})).status == 200
    intro = s.double.wait_posted(channel, 1)[0]
    assert intro.body["thread_ts"] == root
    assert buttons(intro) == [("Yes, continue", "/affirm"), ("No, thanks", "/deny")]

    # Only the candidate answers: the recruiter's and others' clicks and messages are ignored.
    for who in (other, recruiter):
        click(s, who, channel, intro, "/affirm")
        in_thread = {
            "type": "message",
            "client_msg_id": f"m-{who}",
            "user": who,
            "text": "yes",
            "ts": new_ts(),
            "thread_ts": root,
            "channel": channel,
            "channel_type": "channel",
            "team": TEAM,
        }
        assert s.webhook.event(event_callback(in_thread)).status == 200
    settle_and_check(s, channel, 1)

    click(s, candidate, channel, intro, "/affirm")
    roles = s.double.wait_posted(channel, 2)[1]
    assert roles.text == render("ask_role_intro") and roles.body["thread_ts"] == root
    answer = {
        "type": "message",
        "subtype": "thread_broadcast",
        "client_msg_id": "m-cand-role",
        "user": candidate,
        "text": "cashier",
        "ts": new_ts(),
        "thread_ts": root,
        "channel": channel,
        "channel_type": "channel",
        "team": TEAM,
    }
    assert s.webhook.event(event_callback(answer)).status == 200
    posted = s.double.wait_posted(channel, 4)
    assert "There are 6 questions" in posted[2].text and posted[3].text.startswith("Question 1 of 6: ")
    assert all(c.body.get("thread_ts") == root for c in posted)
    settle_and_check(s, channel, 4)
    interview = interview_of(s, f"slack:{TEAM}:{channel}:{root}")
    assert interview.channel == "slack" and interview.role_id == "cashier"
    assert tracker_mentions(s, candidate) == 0 and tracker_mentions(s, recruiter) == 0


def test_without_a_named_candidate_the_first_other_person_to_answer_is_the_candidate(slack_stack: SlackStack) -> None:
    s, recruiter, channel = slack_stack, "U0REC2", "C0OPEN"
    root = new_ts()
    mention = {
        "type": "app_mention",
        "client_msg_id": "open-thread-start",
        "user": recruiter,
        "text": f"<@{BOT_USER}> screening for whoever answers first",
        "ts": root,
        "team": TEAM,
        "channel": channel,
        "event_ts": root,
    }
    assert s.webhook.event(event_callback(mention)).status == 200
    intro = s.double.wait_posted(channel, 1)[0]
    click(s, recruiter, channel, intro, "/affirm")  # the recruiter is never the candidate
    settle_and_check(s, channel, 1)
    click(s, "U0FIRST", channel, intro, "/affirm")
    roles = s.double.wait_posted(channel, 2)[1]
    assert roles.text == render("ask_role_intro")
    late = {
        "type": "message",
        "client_msg_id": "m-late",
        "user": "U0SECOND",
        "text": "cashier",
        "ts": new_ts(),
        "thread_ts": root,
        "channel": channel,
        "channel_type": "channel",
        "team": TEAM,
    }
    assert s.webhook.event(event_callback(late)).status == 200
    settle_and_check(s, channel, 2)


def test_an_oversize_message_is_refused_before_nlu(slack_stack: SlackStack) -> None:
    s, user, channel = slack_stack, "U0LONG", "D0LONG"
    start_dm(s, user, channel)
    marker = "zebracrossing" + "x" * 8
    long = (f"I would check it. {marker} " + "Then I would check it again. " * 200).strip()
    assert len(long) > MAX_MESSAGE_CHARS
    send(s, user, channel, long)
    refusal = s.double.wait_posted(channel, 5)[4]
    assert refusal.text == escape(too_long_reply(len(long)))
    assert tracker_mentions(s, marker) == 0
    assert [a.text for a in answers_of(s, interview_of(s, f"slack:{TEAM}:{channel}").id) if a.text] == []
    settle_and_check(s, channel, 5)
