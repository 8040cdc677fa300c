"""The multi-server setup: PostgreSQL stores, a Redis lock store, two Rasa servers.

One conversation is answered by two Rasa servers in turn, as it would be
behind a balancer; the interview must come out exactly as on one server.
"""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.db.models import AnswerStatus, InterviewStatus
from bot.interview.messages import render
from tests.e2e.answers import GOOD
from tests.e2e.conftest import API_TOKEN, Stack
from tests.e2e.test_rest_interview import answers_of, interview_of, start

pytestmark = [pytest.mark.rasa, pytest.mark.postgres]


def test_two_rasa_servers_share_one_conversation(postgres_stack: Stack) -> None:
    stack, sender = postgres_stack, f"scaled-{secrets.token_hex(6)}"
    plan = start(stack, sender, "customer service representative", server=1)
    for number, question_id in enumerate(plan, start=1):
        replies = stack.texts(sender, GOOD[question_id], server=number % 2)
        expected_last = render("interview_done") if number == len(plan) else f"Question {number + 1} of 6: "
        assert replies[-1].startswith(expected_last)
    interview = interview_of(stack, sender)
    assert interview.status == InterviewStatus.COMPLETED
    assert interview.channel == "rest"
    answers = answers_of(stack, interview.id)
    assert [a.question_id for a in answers] == plan
    assert all(a.status == AnswerStatus.ANSWERED and a.scores for a in answers)


def test_simultaneous_messages_to_both_servers_are_taken_one_after_the_other(postgres_stack: Stack) -> None:
    """The lock store serialises one conversation across servers: no answer is lost or doubled."""
    stack, sender = postgres_stack, f"race-{secrets.token_hex(6)}"
    plan = start(stack, sender, "hr officer")
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(stack.texts, sender, GOOD[plan[0]], 0)
        second = pool.submit(stack.texts, sender, GOOD[plan[1]], 1)
        replies = first.result() + second.result()
    assert first.result() and second.result(), "each message gets its reply"
    # Whichever server took the lock first, both messages were taken, once each
    # (the second may be the reply to a follow-up if it did not fit the question).
    answers = answers_of(stack, interview_of(stack, sender).id)
    stored = sorted(t for a in answers for t in (a.text, a.follow_up_text) if t)
    assert stored == sorted([GOOD[plan[0]], GOOD[plan[1]]])
    assert len(replies) >= 2


def test_the_http_api_needs_the_token(postgres_stack: Stack) -> None:
    import urllib.error
    import urllib.request

    port = postgres_stack.rasa_settings[0].rasa_port
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=10)
    assert error.value.code == 401
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/status?token=wrong", timeout=10)
    assert error.value.code == 401
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/status?token={API_TOKEN}", timeout=10) as response:
        assert response.status == 200


def test_the_http_api_token_is_on_no_command_line(postgres_stack: Stack) -> None:
    from pathlib import Path

    assert postgres_stack.rasa  # the servers run with the token
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            arguments = cmdline.read_bytes()
        except OSError:  # the process ended meanwhile
            continue
        assert API_TOKEN.encode() not in arguments, f"the token is in the arguments of process {cmdline.parent.name}"
