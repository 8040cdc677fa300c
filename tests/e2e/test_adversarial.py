"""Adversarial end-to-end probes of the screener over the REST channel.

Real candidates and attackers do not follow the happy path: they answer
consent with free text, name two roles, click old buttons, send payloads by
hand, send answers that sound like requests, send nothing, send 10 kB of
emoji, come back after finishing, or send the same message twice at once.
Each probe asserts what a serious product should do (README, issue 2) and
then checks the database: answers stored verbatim, statuses, nothing lost or
doubled, skips recorded, scores with evidence.

Where the product misbehaves the probe is kept and marked
``xfail(strict=True)`` with what happens, what should happen and the likely
cause, so the suite stays green, documents the bug, and fails (XPASS) once the
bug is fixed so the mark gets removed.

All probes share one action server and one Rasa server (the module-scoped
``sqlite_stack``); every probe uses its own sender id.
"""

from __future__ import annotations

import secrets
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from bot.db.models import Answer, AnswerStatus, Candidate, Interview, InterviewEvent, InterviewStatus, Score
from bot.interview.messages import render
from tests.e2e.answers import GOOD
from tests.e2e.conftest import Stack

pytestmark = pytest.mark.rasa

INTRO = render("intro")
#: Consent asked again straight after the introduction.
CONSENT_AGAIN = render("consent_again")
ASK_ROLE = render("ask_role_intro")
UNKNOWN_ROLE = render("unknown_role")
DECLINED = render("consent_declined")


# --- helpers ---------------------------------------------------------------


@pytest.fixture(scope="module")
def stack(sqlite_stack: Stack) -> Stack:
    return sqlite_stack


def new_sender(tag: str = "adv") -> str:
    return f"{tag}-{secrets.token_hex(6)}"


@dataclass
class AnswerRow:
    position: int
    question_id: str
    status: str
    text: str | None
    follow_up_text: str | None
    variant: str
    scores: list[tuple[str, int | None, list, list]]


@dataclass
class InterviewRow:
    id: int
    status: str
    role_id: str | None
    consent: bool | None
    position: int
    plan: list[str]
    finished_at: object
    answers: list[AnswerRow] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def answer_at(self, position: int) -> AnswerRow | None:
        return next((a for a in self.answers if a.position == position), None)

    def texts(self) -> list[str]:
        """Every text the candidate gave that was stored (answers and follow-ups)."""
        return [t for a in self.answers for t in (a.text, a.follow_up_text) if t]


def interviews(stack: Stack, sender: str) -> list[InterviewRow]:
    """Every interview of ``sender``, oldest first, as plain data."""
    rows: list[InterviewRow] = []
    with stack.sessions() as session:
        found = session.scalars(
            select(Interview).join(Candidate).where(Candidate.conversation_id == sender).order_by(Interview.id)
        ).all()
        for iv in found:
            row = InterviewRow(
                id=iv.id,
                status=str(iv.status),
                role_id=iv.role_id,
                consent=iv.consent,
                position=iv.position,
                plan=list(iv.plan or []),
                finished_at=iv.finished_at,
            )
            for a in session.scalars(select(Answer).where(Answer.interview_id == iv.id).order_by(Answer.position)):
                scores = session.scalars(select(Score).where(Score.answer_id == a.id).order_by(Score.id)).all()
                row.answers.append(
                    AnswerRow(
                        position=a.position,
                        question_id=a.question_id,
                        status=str(a.status),
                        text=a.text,
                        follow_up_text=a.follow_up_text,
                        variant=a.variant.text,
                        scores=[
                            (s.competency_id, s.rating, list(s.evidence or []), list(s.flags or [])) for s in scores
                        ],
                    )
                )
            row.events = list(
                session.scalars(
                    select(InterviewEvent.kind).where(InterviewEvent.interview_id == iv.id).order_by(InterviewEvent.id)
                )
            )
            rows.append(row)
    return rows


def last(stack: Stack, sender: str) -> InterviewRow | None:
    found = interviews(stack, sender)
    return found[-1] if found else None


def current_question(stack: Stack, sender: str) -> str:
    """The wording of the question the candidate is on now."""
    iv = last(stack, sender)
    answer = iv.answer_at(iv.position)
    assert answer is not None, "the current question has been asked"
    return answer.variant


def greet_and_consent(stack: Stack, sender: str) -> None:
    assert stack.texts(sender, "hello") == [INTRO]
    assert stack.texts(sender, "/affirm") == [ASK_ROLE]


def begin(stack: Stack, sender: str, role_text: str = "cashier") -> list[str]:
    """Consent, pick a role, and return the plan (question ids)."""
    greet_and_consent(stack, sender)
    replies = stack.texts(sender, role_text)
    plan = last(stack, sender).plan
    assert f"There are {len(plan)} questions" in replies[0], replies  # back-office roles add work samples
    assert replies[1].startswith(f"Question 1 of {len(plan)}: ")
    return plan


def answer_all(stack: Stack, sender: str) -> list[str]:
    """Answer every remaining question well; return the replies to the last one."""
    replies: list[str] = []
    iv = last(stack, sender)
    for question_id in iv.plan[iv.position :]:
        replies = stack.texts(sender, GOOD[question_id])
    return replies


def is_question(reply: str, number: int | None = None) -> bool:
    prefix = f"Question {number} of " if number else "Question "
    return reply.startswith(prefix)


def assert_same_question(stack: Stack, sender: str, replies: list[str], wording: str) -> None:
    """The last reply puts the current question (or its probe) again."""
    assert replies, "every message gets a reply"
    iv = last(stack, sender)
    current = iv.answer_at(iv.position)
    assert current is not None
    assert replies[-1].endswith(wording) or replies[-1] == current.variant or current.status == AnswerStatus.PROBING


# --- consent -----------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(
            "sure why not",
        ),
        pytest.param(
            "why not",
        ),
        pytest.param(
            "I don't mind",
        ),
        "of course",
        "yeah go ahead",
        "ok fine",
        "absolutely",
    ],
)
def test_free_text_consent_is_taken_as_consent(stack: Stack, reply: str) -> None:
    sender = new_sender("consent")
    assert stack.texts(sender, "hello") == [INTRO]
    assert stack.texts(sender, reply) == [ASK_ROLE]
    iv = last(stack, sender)
    assert iv is not None and iv.status == InterviewStatus.IN_PROGRESS and iv.consent is True


def test_a_question_about_the_screening_is_answered_and_consent_asked_again(stack: Stack) -> None:
    sender = new_sender("consent")
    stack.texts(sender, "hello")
    replies = stack.texts(sender, "hmm what is this?")
    assert len(replies) == 2 and "read by a person, who makes every decision" in replies[0]
    assert replies[-1] == CONSENT_AGAIN
    assert interviews(stack, sender) == [], "nothing is recorded before a decision"


@pytest.mark.parametrize(
    "reply", ["maybe", "I guess", "I applied for the cashier job", '/choose_role{"role":"cashier"}']
)
def test_an_undecided_or_off_topic_reply_to_consent_asks_again(stack: Stack, reply: str) -> None:
    sender = new_sender("consent")
    stack.texts(sender, "hello")
    assert stack.texts(sender, reply)[-1] == CONSENT_AGAIN
    assert interviews(stack, sender) == [], "no consent is assumed and no refusal recorded"


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(
            "",
        ),
        pytest.param(
            "   ",
        ),
        pytest.param(
            "?",
        ),
        pytest.param(
            "...",
        ),
    ],
)
def test_an_empty_or_meaningless_reply_is_not_consent(stack: Stack, reply: str) -> None:
    sender = new_sender("consent")
    stack.texts(sender, "hello")
    replies = stack.texts(sender, reply)
    assert ASK_ROLE not in replies
    assert all(iv.consent is not True for iv in interviews(stack, sender)), "no consent recorded"


def test_a_refusal_is_recorded_and_a_later_hello_starts_again(stack: Stack) -> None:
    sender = new_sender("consent")
    stack.texts(sender, "hello")
    assert stack.texts(sender, "no way") == [DECLINED]
    (declined,) = interviews(stack, sender)
    assert declined.status == InterviewStatus.DECLINED and declined.consent is False
    assert declined.answers == [] and declined.events == ["consent_declined"]
    assert stack.texts(sender, "hello") == [INTRO]
    assert stack.texts(sender, "/affirm") == [ASK_ROLE]
    first, second = interviews(stack, sender)
    assert first.status == InterviewStatus.DECLINED, "the refusal stays on record"
    assert second.status == InterviewStatus.IN_PROGRESS and second.consent is True


def test_a_person_asked_for_during_the_role_question_then_continue(stack: Stack) -> None:
    sender = new_sender("consent")
    greet_and_consent(stack, sender)
    assert stack.texts(sender, "I want to talk to a person") == [render("handoff")]
    assert last(stack, sender).status == InterviewStatus.PAUSED
    assert stack.texts(sender, "continue")[-1] == ASK_ROLE
    replies = stack.texts(sender, "cashier")
    assert is_question(replies[-1], 1)
    iv = last(stack, sender)
    assert iv.status == InterviewStatus.IN_PROGRESS and iv.role_id == "cashier"
    assert iv.events[:3] == ["consent_given", "handoff_requested", "resumed"]


# --- the role ---------------------------------------------------------------------


def test_unknown_roles_and_forged_role_payloads_are_asked_again(stack: Stack) -> None:
    sender = new_sender("role")
    greet_and_consent(stack, sender)
    for text in ["astronaut", "yes", '/choose_role{"role":"../../x"}', '/choose_role{"role":"\' OR 1=1 --"}']:
        assert stack.texts(sender, text) == [UNKNOWN_ROLE, ASK_ROLE], text
        iv = last(stack, sender)
        assert iv.role_id is None and iv.plan == [] and iv.answers == []
    replies = stack.texts(sender, '/choose_role{"role":"accountant"}')
    assert is_question(replies[-1], 1)
    assert last(stack, sender).role_id == "accountant"


def test_a_role_with_a_typo_is_understood(stack: Stack) -> None:
    sender = new_sender("role")
    greet_and_consent(stack, sender)
    replies = stack.texts(sender, "I applied for the accountent job")
    assert UNKNOWN_ROLE not in replies
    assert last(stack, sender).role_id == "accountant"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "not cashier, accountant",
        ),
        pytest.param(
            "I am a cashier now but I applied to be an accountant",
        ),
        pytest.param(
            "I applied for cashier or accountant",
        ),
        pytest.param(
            '/choose_role{"role":["cashier","accountant"]}',
        ),
    ],
)
def test_a_reply_naming_two_roles_does_not_pick_the_first_silently(stack: Stack, text: str) -> None:
    sender = new_sender("role")
    greet_and_consent(stack, sender)
    stack.texts(sender, text)
    assert last(stack, sender).role_id in (None, "accountant"), "never the role the candidate did not apply for"


# --- answers that look like something else ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "stop and think",
        "hello, I would greet them",
        "no",
        "ask them why",
        "I would stop the call",
        "greet them",
        "I would ask my manager",
    ],
)
def test_short_answers_that_sound_like_requests_are_answers(stack: Stack, text: str) -> None:
    sender = new_sender("ans")
    begin(stack, sender)
    replies = stack.texts(sender, text)
    assert replies, "every message gets a reply"
    iv = last(stack, sender)
    assert iv.status == InterviewStatus.IN_PROGRESS
    assert iv.answer_at(0).text == text, "stored verbatim as the answer to question 1"


_ESCAPE_CAUSE = (
    "bot/interview/escape.py:is_escape treats any message of <= 12 words whose NLU intent is an escape "
    "intent (confidence >= 0.5) as an interruption, so short first-person answers ('I'd ...') are swallowed; "
    "the answer is not stored. Should be taken as the answer (README: answers that look like another intent "
    "are answers), e.g. by not treating first-person hypotheticals ('I'd', 'I would') as escapes"
)


def _swallowed(text: str, what_happens: str):
    return pytest.param(text)


@pytest.mark.parametrize(
    "text",
    [
        _swallowed(
            "I'd ask to speak to a manager",
            "request_human (1.0) -> interview PAUSED, 'I've let the recruiting team know ...'",
        ),
        _swallowed("I'd get a human supervisor", "request_human -> interview PAUSED, handoff recorded"),
        _swallowed("I'd say goodbye politely", "goodbye (0.98) -> 'Goodbye for now', form deactivated"),
        _swallowed("I'd say sorry", "repeat_question (0.64) -> 'Of course, here it is again'"),
        _swallowed("I'd ask how many items are missing", "ask_progress (0.62) -> 'You've done 0 of 6 questions'"),
    ],
)
def test_first_person_answers_are_not_taken_as_requests(stack: Stack, text: str) -> None:
    sender = new_sender("ans")
    begin(stack, sender)
    stack.texts(sender, text)
    iv = last(stack, sender)
    assert iv.status == InterviewStatus.IN_PROGRESS
    assert iv.answer_at(0).text == text


def test_an_answer_containing_skip_is_not_skipped_irreversibly(stack: Stack) -> None:
    sender = new_sender("ans")
    begin(stack, sender)
    stack.texts(sender, "skip the small stuff")
    first = last(stack, sender).answer_at(0)
    assert first.status != AnswerStatus.SKIPPED


def test_repeat_back_what_they_said_loses_nothing(stack: Stack) -> None:
    """Either an answer or a repeat of the question is fine; nothing may be lost or skipped."""
    sender = new_sender("ans")
    begin(stack, sender)
    wording = current_question(stack, sender)
    replies = stack.texts(sender, "repeat back what they said")
    iv = last(stack, sender)
    first = iv.answer_at(0)
    assert first.status != AnswerStatus.SKIPPED and iv.status == InterviewStatus.IN_PROGRESS
    if first.text is None:
        assert replies == [render("repeat_question"), f"Question 1 of 6: {wording}"]
    else:
        assert first.text == "repeat back what they said"


def test_yes_acknowledges_the_question_and_no_answers_it(stack: Stack) -> None:
    sender = new_sender("ans")
    plan = begin(stack, sender)
    replies = stack.texts(sender, "yes")
    assert replies[0] == render("awaiting_answer") and is_question(replies[-1], 1), "the question stays open"
    assert last(stack, sender).answer_at(0).text is None
    replies = stack.texts(sender, "no")
    assert len(replies) == 1 and replies[0].startswith("Thanks. One more thing: "), "a one-word answer gets the probe"
    replies = stack.texts(sender, "ok")
    assert replies[0] == render("awaiting_answer") and replies[-1].startswith("Thanks. One more thing: ")
    replies = stack.texts(sender, "I would ask them what they need.")
    assert is_question(replies[-1], 2), "one probe only, then the next question"
    first = last(stack, sender).answer_at(0)
    assert (first.question_id, first.text, first.follow_up_text, first.status) == (
        plan[0],
        "no",
        "I would ask them what they need.",
        "answered",
    )
    assert first.scores, "a one-word answer is still scored (low or insufficient evidence)"


# --- old buttons, forged payloads, restarts ------------------------------------------------------


@pytest.mark.parametrize(
    "payload", ["/affirm", "/deny", '/choose_role{"role":"accountant"}', "/nonexistent_intent", "/give_answer"]
)
def test_old_buttons_and_unknown_payloads_mid_interview_change_nothing(stack: Stack, payload: str) -> None:
    sender = new_sender("btn")
    begin(stack, sender, "cashier")
    wording = current_question(stack, sender)
    replies = stack.texts(sender, payload)
    assert replies and replies[-1] == f"Question 1 of 6: {wording}", "the same question again"
    (iv,) = interviews(stack, sender)
    assert iv.status == InterviewStatus.IN_PROGRESS and iv.role_id == "cashier" and iv.position == 0
    assert iv.answer_at(0).text is None and iv.answer_at(0).status == AnswerStatus.ASKED
    assert "consent_declined" not in iv.events


def test_changing_the_role_mid_interview_is_not_stored_as_an_answer(stack: Stack) -> None:
    sender = new_sender("btn")
    begin(stack, sender, "cashier")
    stack.texts(sender, "actually I applied for accountant")
    iv = last(stack, sender)
    assert "actually I applied for accountant" not in iv.texts()


def test_skip_payload_spam_skips_one_question_per_message_and_records_each(stack: Stack) -> None:
    sender = new_sender("btn")
    plan = begin(stack, sender)
    for number in (2, 3, 4):
        replies = stack.texts(sender, "/skip_question")
        assert replies == [render("skipped"), replies[-1]] and is_question(replies[-1], number)
    iv = last(stack, sender)
    assert iv.position == 3 and iv.status == InterviewStatus.IN_PROGRESS
    assert [(a.question_id, a.status) for a in iv.answers[:3]] == [(q, "skipped") for q in plan[:3]]
    assert iv.events.count("skipped") == 3
    assert all(not a.scores for a in iv.answers[:3]), "a skipped question has no score"


def test_skipping_every_question_completes_the_interview(stack: Stack) -> None:
    sender = new_sender("btn")
    begin(stack, sender)
    for _ in range(5):
        stack.texts(sender, "skip this one")
    assert stack.texts(sender, "skip this one") == [render("skipped"), render("interview_done")]
    iv = last(stack, sender)
    assert iv.status == InterviewStatus.COMPLETED and iv.finished_at is not None
    assert [a.status for a in iv.answers] == ["skipped"] * 6


def test_restart_and_session_start_payloads_keep_the_progress(stack: Stack) -> None:
    sender = new_sender("btn")
    plan = begin(stack, sender)
    stack.texts(sender, GOOD[plan[0]])
    for payload in ("/restart", "/session_start"):
        stack.texts(sender, payload)
        iv = last(stack, sender)
        assert iv.status == InterviewStatus.IN_PROGRESS and iv.position == 1, "nothing reset in the database"
    replies = stack.texts(sender, GOOD[plan[1]])
    assert is_question(replies[-1], 3), "the next message answers question 2"
    iv = last(stack, sender)
    assert [a.text for a in iv.answers[:2]] == [GOOD[plan[0]], GOOD[plan[1]]]
    assert len(interviews(stack, sender)) == 1, "no second interview"


def test_restart_payload_gets_a_reply(stack: Stack) -> None:
    sender = new_sender("btn")
    begin(stack, sender)
    wording = current_question(stack, sender)
    replies = stack.texts(sender, "/restart")
    assert replies and replies[-1].endswith(wording)


def test_an_answer_starting_with_a_slash_is_kept(stack: Stack) -> None:
    sender = new_sender("btn")
    begin(stack, sender)
    text = "/ I would apologise to the customer, check the order status and offer a refund or a replacement"
    stack.texts(sender, text)
    assert last(stack, sender).answer_at(0).text == text


# --- odd input -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_and_blank_answers_are_refused_and_the_question_repeated(stack: Stack, text: str) -> None:
    sender = new_sender("odd")
    begin(stack, sender)
    wording = current_question(stack, sender)
    replies = stack.texts(sender, text)
    assert replies == [render("empty_answer"), f"Question 1 of 6: {wording}"]
    first = last(stack, sender).answer_at(0)
    assert first.text is None and first.status == AnswerStatus.ASKED


def test_emoji_rtl_sql_and_html_are_stored_verbatim_and_scored(stack: Stack) -> None:
    sender = new_sender("odd")
    begin(stack, sender, "accountant")
    emoji = "😀" * 2500  # 10 kB in UTF-8
    rtl = "هذا جواب: سأعتذر للعميل وأتحقق من الطلب وأعرض عليه استرداد المبلغ أو إعادة الإرسال"
    sql = "Robert'); DROP TABLE answers;-- I would check the invoice against the purchase order and email the supplier"
    html = "<img src=x onerror=alert(1)> I would apologise and check the order <b>today</b>"
    sent = [emoji, rtl, sql, html]
    for text in sent:
        replies = stack.texts(sender, text)
        assert replies, "every message gets a reply"
        assert not any("<img" in r or "DROP TABLE" in r for r in replies), "candidate text is never echoed"
    iv = last(stack, sender)
    assert iv.texts() == sent, "each stored once, verbatim, in order"
    for answer in iv.answers:
        if answer.status == AnswerStatus.ANSWERED:
            assert answer.scores, f"answer {answer.position} is scored"
    with sqlite3.connect(stack.settings.database_url.removeprefix("sqlite:///")) as conn:
        assert conn.execute("SELECT count(*) FROM answers").fetchone()[0] > 0, "the table survived"


# --- leaving and coming back -----------------------------------------------------------------


def test_a_person_then_continue_resumes_the_same_question(stack: Stack) -> None:
    sender = new_sender("leave")
    plan = begin(stack, sender)
    stack.texts(sender, GOOD[plan[0]])
    wording = current_question(stack, sender)
    assert stack.texts(sender, "I want to talk to a person") == [render("handoff")]
    assert last(stack, sender).status == InterviewStatus.PAUSED
    assert stack.texts(sender, "continue") == [
        render("welcome_back_progress", done=1, total=6),
        f"Question 2 of 6: {wording}",
    ]
    assert is_question(stack.texts(sender, GOOD[plan[1]])[-1], 3)
    iv = last(stack, sender)
    assert iv.status == InterviewStatus.IN_PROGRESS
    assert [a.text for a in iv.answers[:2]] == [GOOD[plan[0]], GOOD[plan[1]]]
    assert iv.events.count("handoff_requested") == 1 and iv.events.count("resumed") == 1


@pytest.mark.parametrize(
    "leave",
    [
        pytest.param(
            "I want to talk to a person",
        ),
        pytest.param(
            "bye",
        ),
    ],
)
def test_an_answer_after_leaving_is_not_lost(stack: Stack, leave: str) -> None:
    sender = new_sender("leave")
    plan = begin(stack, sender)
    stack.texts(sender, leave)
    replies = stack.texts(sender, GOOD[plan[0]])
    assert is_question(replies[-1], 2)
    assert last(stack, sender).answer_at(0).text == GOOD[plan[0]]


def test_withdraw_then_hello_starts_afresh_and_keeps_the_withdrawn_answers(stack: Stack) -> None:
    sender = new_sender("leave")
    plan = begin(stack, sender, "hr officer")
    stack.texts(sender, GOOD[plan[0]])
    assert stack.texts(sender, "stop") == [render("confirm_stop")]
    assert stack.texts(sender, "/affirm") == [render("withdrawn")]
    assert stack.texts(sender, "hello") == [INTRO]
    assert stack.texts(sender, "/affirm") == [ASK_ROLE]
    assert is_question(stack.texts(sender, "accountant")[-1], 1)
    first, second = interviews(stack, sender)
    assert first.status == InterviewStatus.WITHDRAWN and first.finished_at is not None
    assert first.texts() == [GOOD[plan[0]]], "the withdrawn answers are kept"
    assert second.status == InterviewStatus.IN_PROGRESS and second.role_id == "accountant" and second.position == 0


def test_after_completion_a_second_interview_runs_and_the_first_stays_completed(stack: Stack) -> None:
    sender = new_sender("again")
    plan = begin(stack, sender, "receptionist")
    assert answer_all(stack, sender) == [render("interview_done")]
    (first,) = interviews(stack, sender)
    assert first.status == InterviewStatus.COMPLETED
    assert [a.question_id for a in first.answers] == plan
    for answer in first.answers:
        assert answer.status == AnswerStatus.ANSWERED and answer.text == GOOD[answer.question_id]
        assert answer.scores, f"{answer.question_id} is scored"
        for competency, rating, evidence, _flags in answer.scores:
            if rating is not None and rating >= 2:
                assert evidence, f"{answer.question_id}/{competency}: a rating of {rating} comes with evidence"
                for item in evidence:
                    assert item["text"] in answer.text, "evidence quotes the answer"
    # The same sender id comes back: a hello or a "no, thanks" hears what happens next, and starts nothing.
    for text in ("Thanks! When will I hear back?", "hello", "no, thanks"):
        replies = stack.send(sender, text)
        assert all(r.get("text") != INTRO for r in replies), text
    assert len(interviews(stack, sender)) == 1
    replies = stack.send(sender, "hello")
    assert [r.get("text") for r in replies] == [render("already_done")]
    assert replies[0]["buttons"] == [{"title": "Start a new screening", "payload": "/start_screening"}]
    # A new screening starts when asked for.
    assert stack.texts(sender, "/start_screening") == [INTRO]
    assert stack.texts(sender, "/affirm") == [ASK_ROLE]
    assert is_question(stack.texts(sender, "cashier")[-1], 1)
    second_plan = last(stack, sender).plan
    assert is_question(stack.texts(sender, GOOD[second_plan[0]])[-1], 2), "the second interview does not end at once"
    first_again, second = interviews(stack, sender)
    assert first_again.status == InterviewStatus.COMPLETED and len(first_again.answers) == 6
    assert first_again.texts() == first.texts(), "the first interview is untouched"
    assert second.status == InterviewStatus.IN_PROGRESS and second.role_id == "cashier"
    assert second.texts() == [GOOD[second_plan[0]]]


def test_stop_after_completion_does_not_claim_nothing_was_recorded(stack: Stack) -> None:
    sender = new_sender("again")
    begin(stack, sender)
    answer_all(stack, sender)
    replies = stack.texts(sender, "stop")
    assert render("stopped_before_start") not in replies
    assert last(stack, sender).status == InterviewStatus.COMPLETED


def test_progress_after_completion_says_it_is_finished(stack: Stack) -> None:
    sender = new_sender("again")
    begin(stack, sender)
    answer_all(stack, sender)
    replies = stack.texts(sender, "how many are left?")
    assert INTRO not in replies


def test_stop_after_completion_keeps_it_completed(stack: Stack) -> None:
    sender = new_sender("again")
    begin(stack, sender)
    answer_all(stack, sender)
    for text in ("stop", "I want to talk to a person", "/skip_question", "/deny"):
        stack.texts(sender, text)
    found = interviews(stack, sender)
    assert found[0].status == InterviewStatus.COMPLETED and len(found[0].answers) == 6
    assert all(a.status == AnswerStatus.ANSWERED for a in found[0].answers)


# --- several conversations, duplicates --------------------------------------------------------


def test_two_interleaved_conversations_never_see_each_other(stack: Stack) -> None:
    a, b = new_sender("ilv-a"), new_sender("ilv-b")
    greet_and_consent(stack, a)
    greet_and_consent(stack, b)
    stack.texts(a, "cashier")
    stack.texts(b, "network administrator")
    for number in (2, 3, 4):
        for sender in (a, b):
            iv = last(stack, sender)
            replies = stack.texts(sender, GOOD[iv.plan[iv.position]])
            iv = last(stack, sender)
            assert replies[-1] == f"Question {number} of {len(iv.plan)}: {iv.answer_at(number - 1).variant}"
    ia, ib = last(stack, a), last(stack, b)
    assert (ia.role_id, ib.role_id) == ("cashier", "network_administrator")
    assert ia.texts() == [GOOD[q] for q in ia.plan[:3]]
    assert ib.texts() == [GOOD[q] for q in ib.plan[:3]]
    assert ia.id != ib.id


def test_concurrent_conversations_keep_their_own_answers(stack: Stack) -> None:
    senders = [new_sender("conc") for _ in range(4)]
    for sender in senders:
        begin(stack, sender)

    def answer(sender: str) -> list[str]:
        iv = last(stack, sender)
        return stack.texts(sender, f"{GOOD[iv.plan[0]]} (candidate {sender})")

    with ThreadPoolExecutor(len(senders)) as pool:
        results = list(pool.map(answer, senders))
    for sender, replies in zip(senders, results, strict=True):
        assert is_question(replies[-1], 2)
        iv = last(stack, sender)
        assert iv.texts() == [f"{GOOD[iv.plan[0]]} (candidate {sender})"]


def test_rapid_duplicate_messages_are_not_stored_as_several_answers(stack: Stack) -> None:
    sender = new_sender("dup")
    plan = begin(stack, sender)
    text = GOOD[plan[0]]
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda _: stack.texts(sender, text), range(3)))
    iv = last(stack, sender)
    assert iv.texts().count(text) == 1


def test_a_double_clicked_role_button_starts_one_interview(stack: Stack) -> None:
    sender = new_sender("dup")
    greet_and_consent(stack, sender)
    payload = '/choose_role{"role":"cashier"}'
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda _: stack.texts(sender, payload), range(3)))
    (iv,) = interviews(stack, sender)
    assert iv.role_id == "cashier" and iv.events.count("started") == 1 and len(iv.plan) == 6
    assert iv.position == 0 and iv.texts() == [], "a repeated click is no answer"


def test_a_role_typed_several_times_at_once_is_not_stored_as_an_answer(stack: Stack) -> None:
    sender = new_sender("dup")
    greet_and_consent(stack, sender)
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda _: stack.texts(sender, "cashier"), range(3)))
    (iv,) = interviews(stack, sender)
    assert iv.role_id == "cashier" and iv.events.count("started") == 1
    assert "cashier" not in iv.texts()


# --- leaving during the follow-up, long real requests, odd sender ids -------------------------


def test_stop_during_the_follow_up_keeps_the_first_reply(stack: Stack) -> None:
    sender = new_sender("probe")
    plan = begin(stack, sender)
    assert len(stack.texts(sender, "idk")) == 1, "the probe"
    assert stack.texts(sender, "stop") == [render("confirm_stop")]
    stack.texts(sender, "yes")
    iv = last(stack, sender)
    assert iv.status == InterviewStatus.WITHDRAWN
    first = iv.answer_at(0)
    assert (first.question_id, first.text) == (plan[0], "idk"), "the reply given is kept"


def test_stop_during_the_follow_up_says_the_answers_are_kept(stack: Stack) -> None:
    sender = new_sender("probe")
    begin(stack, sender)
    stack.texts(sender, "idk")
    assert stack.texts(sender, "stop") == [render("confirm_stop")]
    assert stack.texts(sender, "/affirm") == [render("withdrawn")]


def test_a_reply_given_before_withdrawing_during_the_follow_up_is_scored(stack: Stack) -> None:
    sender = new_sender("probe")
    begin(stack, sender)
    stack.texts(sender, "I would help them")
    stack.texts(sender, "stop")
    stack.texts(sender, "/affirm")
    first = last(stack, sender).answer_at(0)
    assert first.text == "I would help them"
    assert first.scores


def test_skip_during_the_follow_up_keeps_the_first_reply(stack: Stack) -> None:
    sender = new_sender("probe")
    begin(stack, sender)
    stack.texts(sender, "idk")
    replies = stack.texts(sender, "skip this one")
    assert replies[0] == render("skipped") and is_question(replies[-1], 2)
    first = last(stack, sender).answer_at(0)
    assert (first.status, first.text) == ("skipped", "idk")


def test_a_long_genuine_request_for_a_person_is_honoured(stack: Stack) -> None:
    sender = new_sender("long")
    begin(stack, sender)
    text = "Sorry, before I answer any more of these I really want to talk to a real person about this job please"
    stack.texts(sender, text)
    iv = last(stack, sender)
    assert iv.status == InterviewStatus.PAUSED and "handoff_requested" in iv.events
    assert text not in iv.texts()


@pytest.mark.parametrize("sender", ["名前 ' OR 1=1 --", "../../etc/passwd", "x" * 240])  # longer: test_guards
def test_odd_sender_ids_hold_their_own_interview(stack: Stack, sender: str) -> None:
    sender = f"{sender}-{secrets.token_hex(3)}"
    plan = begin(stack, sender)
    assert is_question(stack.texts(sender, GOOD[plan[0]])[-1], 2)
    (iv,) = interviews(stack, sender)
    assert iv.texts() == [GOOD[plan[0]]]
