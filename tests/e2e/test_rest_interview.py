"""Whole interviews over the REST channel against the real servers.

The action server and the Rasa server run on a trained model; afterwards the
database is checked: interview status, one answer per question, scores with
evidence. Covers an interruption, a long answer, the follow-up probe, a Rasa
restart mid-interview and a Rasa session that expires mid-form.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
import urllib.error

import pytest
from sqlalchemy import select

from bot.channels.limits import too_long_reply
from bot.db.models import Answer, AnswerStatus, Candidate, Interview, InterviewStatus, Question
from bot.interview.messages import render
from tests.e2e.answers import GOOD, LONG_PADDING
from tests.e2e.conftest import Stack

pytestmark = pytest.mark.rasa


def new_sender() -> str:
    return f"e2e-{secrets.token_hex(6)}"


def interview_of(stack: Stack, sender: str) -> Interview:
    with stack.sessions() as session:
        return session.scalars(
            select(Interview).join(Candidate).where(Candidate.conversation_id == sender).order_by(Interview.id.desc())
        ).first()


def answers_of(stack: Stack, interview_id: int) -> list[Answer]:
    with stack.sessions() as session:
        return list(
            session.scalars(select(Answer).where(Answer.interview_id == interview_id).order_by(Answer.position))
        )


def question_text(stack: Stack, sender: str) -> tuple[str, str]:
    """(question id, the wording asked) of the current question."""
    interview = interview_of(stack, sender)
    answer = next(a for a in answers_of(stack, interview.id) if a.position == interview.position)
    return answer.question_id, answer.variant.text


def start(stack: Stack, sender: str, role_text: str, server: int = 0) -> list[str]:
    """Consent and choose a role; return the question ids of the plan."""
    greeting = stack.send(sender, "hello", server)
    assert "automated screening assistant" in greeting[0]["text"]
    assert "makes every decision" in greeting[0]["text"]
    assert [b["payload"] for b in greeting[0]["buttons"]] == ["/affirm", "/deny"]
    roles = stack.send(sender, "/affirm", server)
    assert roles[0]["text"] == render("ask_role_intro")
    assert len(roles[0]["buttons"]) == 10
    started = stack.texts(sender, role_text, server)
    plan = list(interview_of(stack, sender).plan)
    total = len(plan)  # six situational questions, then a back-office role's work samples
    assert f"There are {total} questions" in started[0]
    assert started[1].startswith(f"Question 1 of {total}: ")
    return plan


def test_a_whole_interview_with_an_interruption_and_a_long_answer(sqlite_stack: Stack) -> None:
    stack, sender = sqlite_stack, new_sender()
    plan = start(stack, sender, "I applied for the cashier job")
    assert interview_of(stack, sender).role_id == "cashier"
    sent: dict[str, str] = {}
    seen: list[str] = []
    for number, question_id in enumerate(plan, start=1):
        asked_id, wording = question_text(stack, sender)
        assert asked_id == question_id
        if number == 2:
            # Interruption mid-form: answered, then the same question again.
            replies = stack.texts(sender, "why are you asking this?")
            with stack.sessions() as session:
                purpose = session.get(Question, question_id).purpose
            assert replies == [render("explain_question", purpose=purpose), f"Question 2 of 6: {wording}"]
        text = GOOD[question_id] + (LONG_PADDING if number == 1 else "")
        sent[question_id] = text
        replies = stack.texts(sender, text)
        seen.extend(replies)
        if number < len(plan):
            assert replies[-1].startswith(f"Question {number + 1} of 6: ")
        else:
            assert replies == [render("interview_done")]

    interview = interview_of(stack, sender)
    assert interview.status == InterviewStatus.COMPLETED
    assert interview.finished_at is not None
    answers = answers_of(stack, interview.id)
    assert [a.question_id for a in answers] == plan
    for answer in answers:
        assert answer.status == AnswerStatus.ANSWERED
        assert answer.text == sent[answer.question_id]  # taken whole, as typed
        rated = {s.competency_id: s for s in answer.scores}
        assert set(rated) >= {answer.question.primary_competency_id, answer.question.secondary_competency_id}
        primary = rated[answer.question.primary_competency_id]
        assert primary.rating is not None and primary.rating >= 3
        assert primary.evidence, "a rating comes with the evidence for it"
        for item in primary.evidence:
            assert answer.scored_text[item["start"] : item["end"]] == item["text"]
    # No score is ever shown to the candidate.
    assert not any("/5" in t or "rating" in t.lower() or "score" in t.lower() for t in seen)


def test_a_vague_answer_gets_one_follow_up(sqlite_stack: Stack) -> None:
    stack, sender = sqlite_stack, new_sender()
    plan = start(stack, sender, "accountant")
    with stack.sessions() as session:
        probe = session.get(Question, plan[0]).probe
    assert stack.texts(sender, "idk") == [render("probe", question=probe)]
    replies = stack.texts(sender, "hmm not sure")
    assert replies[-1].startswith(f"Question 2 of {len(plan)}: "), "only one probe, then the interview moves on"
    first = answers_of(stack, interview_of(stack, sender).id)[0]
    assert (first.text, first.follow_up_text) == ("idk", "hmm not sure")
    assert first.status == AnswerStatus.ANSWERED


def test_stop_withdraws_and_keeps_the_answers(sqlite_stack: Stack) -> None:
    stack, sender = sqlite_stack, new_sender()
    plan = start(stack, sender, "receptionist")
    stack.texts(sender, GOOD[plan[0]])
    assert stack.texts(sender, "stop") == [render("confirm_stop")]
    assert interview_of(stack, sender).status == InterviewStatus.IN_PROGRESS  # nothing ends before the yes
    assert stack.texts(sender, "/affirm") == [render("withdrawn")]
    interview = interview_of(stack, sender)
    assert interview.status == InterviewStatus.WITHDRAWN
    assert [a.text for a in answers_of(stack, interview.id) if a.text] == [GOOD[plan[0]]]


def test_stop_then_no_goes_back_to_the_same_question(sqlite_stack: Stack) -> None:
    stack, sender = sqlite_stack, new_sender()
    plan = start(stack, sender, "receptionist")
    stack.texts(sender, GOOD[plan[0]])
    _, wording = question_text(stack, sender)
    assert stack.texts(sender, "I want to stop") == [render("confirm_stop")]
    replies = stack.texts(sender, "no")
    assert replies[0] == render("stop_cancelled")
    assert replies[-1].startswith("Question 2 of 6: ") and wording in replies[-1]
    stack.texts(sender, GOOD[plan[1]])
    interview = interview_of(stack, sender)
    assert interview.status == InterviewStatus.IN_PROGRESS
    assert [a.text for a in answers_of(stack, interview.id) if a.text] == [GOOD[plan[0]], GOOD[plan[1]]]


def test_the_interview_continues_after_a_rasa_restart(sqlite_stack: Stack) -> None:
    stack, sender = sqlite_stack, new_sender()
    plan = start(stack, sender, "legal advisor")
    for number in (1, 2):
        assert stack.texts(sender, GOOD[plan[number - 1]])[-1].startswith(f"Question {number + 1} of {len(plan)}: ")
    stack.restart_rasa()
    replies = stack.texts(sender, GOOD[plan[2]])
    assert replies[-1].startswith(f"Question 4 of {len(plan)}: ")
    answers = answers_of(stack, interview_of(stack, sender).id)
    assert [a.text for a in answers[:3]] == [GOOD[q] for q in plan[:3]]


def _age_conversation(tracker_db, sender: str, seconds: float) -> None:
    """Move every stored event of ``sender`` ``seconds`` into the past."""
    with sqlite3.connect(tracker_db) as conn:
        rows = conn.execute("SELECT id, data FROM events WHERE sender_id = ?", (sender,)).fetchall()
        for row_id, data in rows:
            event = json.loads(data)
            event["timestamp"] -= seconds
            conn.execute(
                "UPDATE events SET data = ?, timestamp = ? WHERE id = ?",
                (json.dumps(event), event["timestamp"], row_id),
            )


@pytest.mark.parametrize("first_message", ["hello", "answer"])
def test_the_interview_continues_after_the_session_expires(sqlite_stack: Stack, first_message: str) -> None:
    stack, sender = sqlite_stack, new_sender()
    plan = start(stack, sender, "data entry clerk")
    stack.texts(sender, GOOD[plan[0]])
    _, wording = question_text(stack, sender)
    _age_conversation(stack.settings.tracker_db, sender, 3 * 3600)  # the session lasts 60 minutes
    time.sleep(0.1)
    if first_message == "hello":
        replies = stack.texts(sender, "hello")
        total = len(plan)
        assert replies == [render("welcome_back_progress", done=1, total=total), f"Question 2 of {total}: {wording}"]
        replies = stack.texts(sender, GOOD[plan[1]])
    else:
        # The candidate simply answers the question they were shown.
        replies = stack.texts(sender, GOOD[plan[1]])
    assert replies[-1].startswith(f"Question 3 of {len(plan)}: ")
    answers = answers_of(stack, interview_of(stack, sender).id)
    assert [a.text for a in answers[:2]] == [GOOD[plan[0]], GOOD[plan[1]]]


def test_bad_input_gets_a_clear_answer_and_loses_nothing(sqlite_stack: Stack) -> None:
    stack, sender = sqlite_stack, new_sender()
    plan = start(stack, sender, "cashier")
    _, wording = question_text(stack, sender)
    huge = "I would help. " * 5000  # 70,000 characters: refused by the channel, before NLU
    with pytest.raises(urllib.error.HTTPError) as refused:
        stack.send(sender, huge)
    assert refused.value.code == 413
    assert json.loads(refused.value.read())["message"] == too_long_reply(len(huge))
    assert stack.texts(sender, "repeat")[-1] == f"Question 1 of 6: {wording}", "the same question, still open"
    odd = [
        "<script>alert('x')</script> I would greet the visitor with a smile 😊 and say I'll be right with them",
        "我会先向顾客道歉，然后查询订单，并提供退款或重新发货。",
        "\x00\x01\x02 binary \x7f\x9b junk I'd ask the caller to hold",
    ]
    for text in odd:
        replies = stack.texts(sender, text)
        assert replies, "every message gets a reply"
        if replies[-1].startswith("Question"):
            continue
        # A probe was asked: answer it so the next odd input lands on a new question.
        stack.texts(sender, "I would help them as well as I can.")
    answers = answers_of(stack, interview_of(stack, sender).id)
    stored = [a.text for a in answers if a.text]
    assert stored[0] == odd[0] and stored[1] == odd[1]
    assert stored[2] == "binary  junk I'd ask the caller to hold"
    assert all(a.question_id in plan for a in answers)


def test_rasa_http_api_and_answer_text_are_not_exposed(sqlite_stack: Stack) -> None:
    import urllib.error
    import urllib.request

    stack, sender = sqlite_stack, new_sender()
    plan = start(stack, sender, "accountant")
    secret_answer = GOOD[plan[0]] + " My reference is ZX-" + secrets.token_hex(4)
    stack.texts(sender, secret_answer)
    port = stack.rasa_settings[0].rasa_port
    for path in (f"/conversations/{sender}/tracker", "/status", "/model/parse"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
        assert error.value.code in (404, 405)
    marker = secret_answer.rsplit(" ", 1)[-1]
    for log in stack.settings.log_dir.glob("*.log"):
        assert marker not in log.read_text(errors="replace"), f"answer text in {log.name}"


def test_hello_mid_question_greets_and_asks_the_same_question(sqlite_stack: Stack) -> None:
    stack, sender = sqlite_stack, new_sender()
    plan = start(stack, sender, "cashier")
    stack.texts(sender, GOOD[plan[0]])
    _, wording = question_text(stack, sender)
    assert stack.texts(sender, "hello") == [
        render("hello_mid_question", number=2, total=6),
        f"Question 2 of 6: {wording}",
    ]
    assert stack.texts(sender, "okay, ready") == [render("awaiting_answer"), f"Question 2 of 6: {wording}"]
    assert answers_of(stack, interview_of(stack, sender).id)[1].text is None


def test_a_role_named_in_the_first_message_is_kept(sqlite_stack: Stack) -> None:
    stack, sender = sqlite_stack, new_sender()
    stack.texts(sender, "Hi! I applied for the receptionist job")
    replies = stack.texts(sender, "/affirm")
    assert replies[0] == render("interview_start", role_name="Receptionist", total=6)
    assert replies[-1].startswith("Question 1 of 6: ")
    assert interview_of(stack, sender).role_id == "receptionist"


def test_two_roles_named_get_the_shortlist_as_the_last_buttons(sqlite_stack: Stack) -> None:
    stack, sender = sqlite_stack, new_sender()
    stack.texts(sender, "hello")
    stack.texts(sender, "/affirm")
    replies = stack.send(sender, "cashier or receptionist")
    assert [r.get("text") for r in replies] == [render("which_role")]
    assert [b["title"] for b in replies[-1]["buttons"]] == ["Cashier", "Receptionist"]


def test_requests_mid_question_are_recorded_and_the_question_comes_back(sqlite_stack: Stack) -> None:
    from bot.db.models import CandidateRequest, RequestKind

    stack, sender = sqlite_stack, new_sender()
    start(stack, sender, "cashier")
    question_id, wording = question_text(stack, sender)

    replies = stack.texts(
        sender, "I'm dyslexic and typing long answers is hard for me, is there another way to do this?"
    )
    assert "another way to do this screening" in replies[0]
    assert replies[-1].startswith("Question 1 of 6: ") and wording in replies[-1]
    replies = stack.texts(sender, "who can see my answers?")
    assert "180 days" in replies[0] and replies[-1].startswith("Question 1 of 6: ")
    replies = stack.texts(sender, "please delete my data")
    assert "request to delete your data" in replies[0] and replies[-1].startswith("Question 1 of 6: ")

    interview = interview_of(stack, sender)
    assert interview.status == InterviewStatus.IN_PROGRESS and interview.position == 0
    assert [a for a in answers_of(stack, interview.id) if a.status == AnswerStatus.ANSWERED] == []
    with stack.sessions() as session:
        kinds = session.scalars(
            select(CandidateRequest.kind)
            .where(CandidateRequest.interview_id == interview.id)
            .order_by(CandidateRequest.id)
        ).all()
    assert kinds == [RequestKind.ACCOMMODATION, RequestKind.ERASURE]

    stack.texts(sender, GOOD[question_id])
    assert answers_of(stack, interview.id)[0].text == GOOD[question_id]  # the next message is the answer


def test_a_back_office_interview_with_work_samples_right_and_wrong(sqlite_stack: Stack) -> None:
    from bot.results import interview_results
    from bot.worksamples import read_worksamples
    from bot.worksamples.interview import SCORER_VERSION, WORKSAMPLE_FLAG

    bank = read_worksamples()
    stack, sender = sqlite_stack, new_sender()
    plan = start(stack, sender, "data entry clerk")
    total = len(plan)
    assert plan[-2:] == ["timesheet_week", "invoice_check"]
    seeds = {e["item_id"]: e["seed"] for e in interview_of(stack, sender).worksamples}
    timesheet = bank.items["timesheet_week"]
    invoice = bank.items["invoice_check"]
    replies: list[str] = []
    for question_id in plan[:-2]:
        replies = stack.texts(sender, GOOD[question_id])
    assert replies[-1] == f"Question {total - 1} of {total}: {timesheet.prompt(seeds['timesheet_week'])}"

    # Interruptions work as on any question; a calculator is allowed.
    replies = stack.texts(sender, "can I use a calculator?")
    assert "Yes, you can use a calculator" in replies[0]
    assert replies[-1] == f"Question {total - 1} of {total}: {timesheet.prompt(seeds['timesheet_week'])}"

    key = timesheet.instance(seeds["timesheet_week"])
    right = f"Total {key.total_hours} hours, pay £{key.pay}"
    replies = stack.texts(sender, right)
    assert replies[-1] == f"Question {total} of {total}: {invoice.prompt(seeds['invoice_check'])}"
    bill = invoice.instance(seeds["invoice_check"])
    wrong = "Yes, the total is correct." if bill.wrong_line is not None else "No, line 2 is wrong."
    assert stack.texts(sender, wrong) == [render("interview_done")]

    interview = interview_of(stack, sender)
    assert interview.status == InterviewStatus.COMPLETED
    answers = answers_of(stack, interview.id)
    assert [a.question_id for a in answers] == plan
    first, second = answers[-2:]
    assert (first.text, second.text) == (right, wrong)
    assert first.worksample["seed"] == seeds["timesheet_week"] and first.answered_at is not None
    with stack.sessions() as session:
        rows = {
            a.question_id: [(s.competency_id, s.rating, s.scorer_version, s.flags) for s in a.scores]
            for a in session.scalars(select(Answer).where(Answer.id.in_([first.id, second.id])))
        }
        results = interview_results(session, interview.id)
    assert rows["timesheet_week"] == [("numeracy", 5, SCORER_VERSION, [WORKSAMPLE_FLAG])]
    [(competency, rating, version, flags)] = rows["invoice_check"]
    assert (competency, version, flags) == ("numeracy", SCORER_VERSION, [WORKSAMPLE_FLAG]) and rating in (1, 2)
    assert {r.answer_id for r in results.answer_ratings if r.worksample} == {first.id, second.id}
    assert results.fit is not None and "numeracy" in results.ratings
