"""Nobody on the host but our own processes may speak for a candidate.

Against the real servers: Rasa's REST channel refuses messages without the
channel's token, the action server refuses calls without the token Rasa
sends, and neither stores anything for a refused request. An action error
answers without echoing the tracker and is logged without the answer text.
"""

from __future__ import annotations

import json
import secrets
import stat
import urllib.error
import urllib.request

import pytest
from sqlalchemy import select

from bot.channels.limits import MAX_MESSAGE_CHARS
from bot.db.models import Candidate, InterviewStatus
from bot.servers import rest_headers, rest_url
from tests.e2e.answers import GOOD
from tests.e2e.conftest import Stack
from tests.e2e.test_rest_interview import answers_of, interview_of, new_sender, start

pytestmark = pytest.mark.rasa


def post(url: str, body: object, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST ``body`` as JSON; return the status and the body (errors included)."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def answered(stack: Stack, sender: str) -> list[str]:
    """The texts of the answers stored for ``sender``'s interview."""
    return [a.text for a in answers_of(stack, interview_of(stack, sender).id) if a.text]


def candidate_exists(stack: Stack, sender: str) -> bool:
    with stack.sessions() as session:
        return session.scalar(select(Candidate.id).where(Candidate.conversation_id == sender)) is not None


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong", "Basic Zm9vOmJhcg=="],
    ids=["none", "empty", "no-token", "wrong", "basic"],
)
def test_the_rest_channel_refuses_a_message_without_its_token(sqlite_stack: Stack, authorization: str | None) -> None:
    sender = new_sender()
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    status, body = post(rest_url(sqlite_stack.rasa_settings[0]), {"sender": sender, "message": "hello"}, headers)
    assert status == 401 and json.loads(body)["error"] == "unauthorized"
    assert not candidate_exists(sqlite_stack, sender)


def test_an_answer_cannot_be_forged_through_the_rest_channel(sqlite_stack: Stack) -> None:
    stack, sender = sqlite_stack, new_sender()
    plan = start(stack, sender, "accountant")
    headers = {"Content-Type": "application/json", "Authorization": "Bearer " + secrets.token_urlsafe(48)}
    status, _ = post(rest_url(stack.rasa_settings[0]), {"sender": sender, "message": GOOD[plan[0]]}, headers)
    assert status == 401
    assert answered(stack, sender) == []
    stack.texts(sender, GOOD[plan[0]])  # the candidate's own answer, through the channel's holder
    assert answered(stack, sender) == [GOOD[plan[0]]]


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"message": "hello"},
        {"sender": "", "message": "hello"},
        {"sender": "x" * 256, "message": "hi"},
        {"sender": 7, "message": "hello"},
        {"sender": "s", "message": None},
    ],
    ids=["list", "no-sender", "empty-sender", "long-sender", "number-sender", "no-message"],
)
def test_a_malformed_message_with_the_token_is_a_400(sqlite_stack: Stack, body: object) -> None:
    settings = sqlite_stack.rasa_settings[0]
    status, answer = post(rest_url(settings), body, rest_headers(settings))
    assert status == 400 and json.loads(answer)["error"] == "malformed"


def test_the_rest_channel_does_not_let_callers_choose_the_input_channel(sqlite_stack: Stack) -> None:
    stack, sender = sqlite_stack, new_sender()
    settings = stack.rasa_settings[0]
    body = {"sender": sender, "message": "hello", "input_channel": "slack", "metadata": {"x": 1}}
    status, _ = post(rest_url(settings), body, rest_headers(settings))
    assert status == 200
    stack.send(sender, "/affirm")
    with stack.sessions() as session:
        assert session.scalars(select(Candidate.channel).where(Candidate.conversation_id == sender)).one() == "rest"


def action_call(sender: str, action: str, text: str) -> dict:
    """An action call as Rasa sends it, for ``sender``'s conversation."""
    return {
        "next_action": action,
        "sender_id": sender,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": {"requested_slot": "answer", "answer": text},
            "latest_message": {"text": text, "intent": {"name": "inform"}, "entities": []},
            "latest_input_channel": "rest",
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": "interview_form"},
            "latest_action_name": "action_listen",
        },
    }


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "Bearer "], ids=["none", "wrong", "empty"])
def test_the_action_server_refuses_calls_without_rasas_token(sqlite_stack: Stack, authorization: str | None) -> None:
    stack, sender = sqlite_stack, new_sender()
    plan = start(stack, sender, "accountant")
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    url = f"http://127.0.0.1:{stack.settings.action_port}"
    forged = "A made-up answer, stored as theirs: " + GOOD[plan[0]]
    for path in ("/webhook", "/webhook/", "/webhook?x=1", "/webhook/?x=1"):
        for action in ("validate_interview_form", "action_stop_interview"):
            status, body = post(f"{url}{path}", action_call(sender, action, forged), headers)
            assert status == 401 and json.loads(body) == {"error": "unauthorized"}, path
    assert answered(stack, sender) == [] and interview_of(stack, sender).status == InterviewStatus.IN_PROGRESS
    for path in ("/actions", "/actions/"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(urllib.request.Request(f"{url}{path}", headers=headers), timeout=10)
        assert error.value.code == 401
    with urllib.request.urlopen(f"{url}/health", timeout=10) as response:
        assert response.status == 200


def test_an_action_error_answers_without_the_tracker_and_logs_no_answer(sqlite_stack: Stack) -> None:
    stack, sender = sqlite_stack, new_sender()
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {stack.settings.environment()['ACTION_SERVER_TOKEN']}",
    }
    marker = "secret-answer-" + secrets.token_hex(6)
    call = action_call(sender, "validate_interview_form", marker)
    call["domain"] = {"forms": "not a mapping"}  # breaks the form's code, as a bug would
    status, body = post(f"http://127.0.0.1:{stack.settings.action_port}/webhook", call, headers)
    assert status == 500 and json.loads(body) == {"error": "internal"}
    log = (stack.settings.log_dir / "actions.log").read_text(errors="replace")
    assert marker not in log and "in POST /webhook" in log


def test_what_the_servers_write_is_readable_by_their_owner_only(sqlite_stack: Stack) -> None:
    stack, sender = sqlite_stack, new_sender()
    start(stack, sender, "cashier")
    root = stack.settings.tracker_db.parent
    # screener.db was made by this test's own process; test_serve checks the one `bot` makes.
    written = [p for p in root.rglob("*") if p.is_file() and not p.name.startswith("screener.db")]
    assert {p.name for p in written} >= {"trackers.db", "actions.log", "rasa.log"}
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path.name} is {oct(path.stat().st_mode)}"


def test_a_huge_body_is_refused_before_it_is_read(sqlite_stack: Stack) -> None:
    # The limit is the Rasa server's (SANIC_REQUEST_MAX_SIZE), so it holds for the Slack channel too.
    url = f"http://127.0.0.1:{sqlite_stack.rasa_settings[0].rasa_port}/webhooks/rest/webhook"
    body = {"sender": "x", "message": "y" * (3 * 1024 * 1024)}
    status, _ = post(url, body, {"Content-Type": "application/json"})
    assert status == 413


def test_an_oversize_message_is_refused_before_nlu_and_nothing_is_stored(sqlite_stack: Stack) -> None:
    stack, sender = sqlite_stack, new_sender()
    plan = start(stack, sender, "accountant")
    settings = stack.rasa_settings[0]
    long = GOOD[plan[0]] + " " + "and then I would check it again." * 200
    assert len(long) > MAX_MESSAGE_CHARS
    status, body = post(rest_url(settings), {"sender": sender, "message": long}, rest_headers(settings))
    assert status == 413
    refusal = json.loads(body)
    assert refusal["error"] == "too_long" and "nothing you sent has been recorded" in refusal["message"]
    assert answered(stack, sender) == []
    stack.texts(sender, GOOD[plan[0]])  # the question is still open for a shorter answer
    assert answered(stack, sender) == [GOOD[plan[0]]]
