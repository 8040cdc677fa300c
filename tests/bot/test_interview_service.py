"""Tests for :mod:`bot.interview.service`: whole interviews on the real database.

Every test runs on SQLite and on PostgreSQL with the bank loaded and the real
scorer; the only stand-in is a scorer whose ``score()`` raises, to show that a
scoring failure never loses an answer.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from bot.bank.selection import QuestionInfo, plan_questions
from bot.db.models import Answer, Candidate, Interview, InterviewEvent, Question, QuestionKind, Role, Score
from bot.interview import InterviewService, Progress, clean_answer
from bot.interview.service import NoOpenInterview, question_spec
from bot.scoring import SCORER_VERSION
from bot.worksamples import read_worksamples

CID = "conv-1"


class FailingScorer:
    """A scorer that always fails, as a broken model file would."""

    def __init__(self) -> None:
        self.calls = 0

    def score(self, answer_text, question):
        self.calls += 1
        raise RuntimeError("scorer exploded")


def _interview(sessions, conversation_id: str = CID) -> Interview:
    with sessions() as session:
        interview = session.scalars(
            select(Interview)
            .join(Candidate)
            .where(Candidate.conversation_id == conversation_id)
            .order_by(Interview.id.desc())
        ).first()
        interview.events  # load while the session is open  # noqa: B018
        for answer in interview.answers:
            answer.scores  # noqa: B018
        return interview


def _events(sessions, interview_id: int) -> list[tuple[str, dict]]:
    with sessions() as session:
        rows = session.scalars(
            select(InterviewEvent).where(InterviewEvent.interview_id == interview_id).order_by(InterviewEvent.id)
        )
        return [(e.kind, e.detail) for e in rows]


def _answer(sessions, interview_id: int, position: int) -> Answer:
    with sessions() as session:
        answer = session.scalars(
            select(Answer).where(Answer.interview_id == interview_id, Answer.position == position)
        ).one()
        answer.scores  # noqa: B018
        for score in answer.scores:
            score.rubric_version  # noqa: B018
        return answer


def _begin(service: InterviewService, role: str = "cashier", conversation_id: str = CID) -> int:
    interview_id = service.record_consent(conversation_id, "web", True)
    service.start(conversation_id, role)
    return interview_id


def _expected_plan(sessions, role_id: str) -> list[str]:
    with sessions() as session:
        role = session.get(Role, role_id)
        questions = session.scalars(select(Question).where(Question.kind == QuestionKind.SITUATIONAL)).all()
        situational = plan_questions(
            role.family,
            role.weight_map(),
            [QuestionInfo(q.id, q.family, q.primary_competency_id, q.secondary_competency_id) for q in questions],
        )
        return situational + [item.id for item in read_worksamples().for_role(role_id)]


def _assert_scored(sessions, scorer, answer: Answer) -> None:
    """The answer's scores are exactly what the scorer says of its scored text."""
    with sessions() as session:
        question = session.get(Question, answer.question_id)
        spec = question_spec(question)
        rubric_id = question.current_rubric.id
    expected = scorer.score(answer.scored_text, spec).to_dict()
    assert {s.competency_id for s in answer.scores} == set(expected["ratings"])
    assert {spec.primary, spec.secondary} <= set(expected["ratings"])
    for score in answer.scores:
        want = expected["ratings"][score.competency_id]
        assert score.rating == want["rating"]
        assert score.evidence == want["evidence"]
        assert score.flags == expected["flags"]
        assert score.rubric_version_id == rubric_id
        assert score.rubric_version.version == 1
        assert score.scorer_version == SCORER_VERSION
        assert isinstance(score.evidence, list)
        for item in score.evidence:
            assert answer.scored_text[item["start"] : item["end"]] == item["text"]
    primary = next(s for s in answer.scores if s.competency_id == spec.primary)
    assert primary.evidence, "a specific answer has evidence for its primary competency"


# -- consent ------------------------------------------------------------------------


def test_consent_declined(service: InterviewService, loaded) -> None:
    interview_id = service.record_consent(CID, "telegram", False)
    interview = _interview(loaded)
    assert interview.id == interview_id
    assert interview.status == "declined"
    assert interview.consent is False
    assert interview.consent_at is not None and interview.finished_at is not None
    assert interview.role_id is None and interview.plan == []
    assert interview.answers == []
    assert _events(loaded, interview_id) == [("consent_declined", {})]
    assert service.open_interview_id(CID) is None
    assert service.status(CID) == (None, False)
    with pytest.raises(NoOpenInterview):
        service.start(CID, "cashier")
    assert service.current_prompt(CID) is None


def test_consent_given_opens_an_interview_without_a_role(service: InterviewService, loaded) -> None:
    interview_id = service.record_consent(CID, "web", True)
    assert service.open_interview_id(CID) == interview_id
    assert service.status(CID) == ("in_progress", False)
    interview = _interview(loaded)
    assert interview.consent is True and interview.finished_at is None
    assert interview.channel == "web" and interview.candidate.channel == "web"
    assert _events(loaded, interview_id) == [("consent_given", {})]


def test_repeated_consent_returns_the_same_interview(service: InterviewService, loaded) -> None:
    first = _begin(service)
    assert service.record_consent(CID, "web", True) == first
    with loaded() as session:
        assert session.scalar(select(func.count()).select_from(Interview)) == 1
        assert session.scalar(select(func.count()).select_from(Candidate)) == 1
    assert [kind for kind, _ in _events(loaded, first)] == ["consent_given", "started"]


def test_consent_after_declining_opens_a_new_interview(service: InterviewService, loaded) -> None:
    declined = service.record_consent(CID, "web", False)
    opened = service.record_consent(CID, "web", True)
    assert opened != declined
    assert service.open_interview_id(CID) == opened
    with loaded() as session:
        assert session.scalar(select(func.count()).select_from(Candidate)) == 1
        assert session.get(Interview, declined).status == "declined"


# -- start and the first question -------------------------------------------------------


def test_start_plans_the_role_and_asks_question_one(service: InterviewService, loaded, bank) -> None:
    interview_id = service.record_consent(CID, "web", True)
    assert service.start(CID, "cashier") == Progress(0, 6)
    assert service.status(CID) == ("in_progress", True)
    plan = _expected_plan(loaded, "cashier")
    interview = _interview(loaded)
    assert interview.plan == plan and interview.role_id == "cashier" and interview.position == 0
    assert _events(loaded, interview_id)[-1] == ("started", {"role": "cashier", "plan": plan})

    prompt = service.current_prompt(CID)
    assert (prompt.interview_id, prompt.number, prompt.total, prompt.is_probe) == (interview_id, 1, 6, False)
    assert prompt.question_id == plan[0]
    assert prompt.text in bank.questions[plan[0]].variants
    assert prompt.purpose == bank.questions[plan[0]].purpose
    # Asking again repeats the same wording and records the question once.
    assert service.current_prompt(CID) == prompt
    answer = _answer(loaded, interview_id, 0)
    assert (answer.status, answer.text, answer.question_id) == ("asked", None, plan[0])
    with loaded() as session:
        assert session.get(Answer, answer.id).variant.text == prompt.text
    assert service.progress(CID) == Progress(0, 6)


def test_start_twice_keeps_the_plan(service: InterviewService, loaded) -> None:
    interview_id = _begin(service, "cashier")
    plan = _interview(loaded).plan
    assert service.start(CID, "accountant") == Progress(0, 6)
    assert _interview(loaded).plan == plan and _interview(loaded).role_id == "cashier"
    assert [k for k, _ in _events(loaded, interview_id)].count("started") == 1


def test_start_with_unknown_role(service: InterviewService) -> None:
    service.record_consent(CID, "web", True)
    with pytest.raises(LookupError, match="unknown role 'astronaut'"):
        service.start(CID, "astronaut")
    assert service.status(CID) == ("in_progress", False)


def test_calls_without_consent_raise(service: InterviewService) -> None:
    for call in (service.skip, service.request_handoff):
        with pytest.raises(NoOpenInterview):
            call("nobody")
    # Read-only questions have an answer even with no interview.
    assert service.current_prompt("nobody") is None
    assert service.progress("nobody") == Progress(0, 0)
    assert service.resume("nobody") == Progress(0, 0)
    with pytest.raises(NoOpenInterview):
        service.submit_answer("nobody", "hello")
    assert service.withdraw("nobody") is False
    assert service.complete("nobody") is False


def test_role_lookups(service: InterviewService, bank) -> None:
    assert service.resolve_roles("I applied for the front desk job") == ["receptionist"]
    assert service.resolve_roles("Customer Service Representative") == ["customer_service_representative"]
    assert service.resolve_roles("astronaut") == []
    assert service.resolve_roles(None) == []
    assert service.resolve_roles("not cashier, accountant") == ["cashier", "accountant"]
    choices = service.role_choices()
    assert {rid for rid, _ in choices} == set(bank.roles)
    front = [name for rid, name in choices if bank.roles[rid].family == "front_office"]
    assert [name for _, name in choices[: len(front)]] == sorted(front)
    assert dict(choices)["hr_officer"] == bank.roles["hr_officer"].name


# -- answers -------------------------------------------------------------------------


def test_good_answer_is_scored_and_the_interview_moves_on(
    service: InterviewService, loaded, scorer, good_answers
) -> None:
    interview_id = _begin(service)
    first = service.current_prompt(CID)
    text = good_answers[first.question_id]
    outcome = service.submit_answer(CID, text)
    assert (outcome.probed, outcome.finished, outcome.scored) == (False, False, True)
    assert service.progress(CID) == Progress(1, 6)
    second = service.current_prompt(CID)
    assert (second.number, second.is_probe) == (2, False)
    assert second.question_id == _interview(loaded).plan[1] != first.question_id

    answer = _answer(loaded, interview_id, 0)
    assert (answer.status, answer.text, answer.follow_up_text) == ("answered", text, None)
    assert answer.answered_at is not None and answer.follow_up_asked_at is None
    assert answer.scored_text == text
    _assert_scored(loaded, scorer, answer)
    assert [k for k, _ in _events(loaded, interview_id)] == ["consent_given", "started"]


def test_vague_answer_gets_the_probe_then_the_follow_up_is_scored(
    service: InterviewService, loaded, scorer, bank, good_answers
) -> None:
    interview_id = _begin(service)
    question_id = service.current_prompt(CID).question_id
    outcome = service.submit_answer(CID, "idk")
    assert (outcome.probed, outcome.finished, outcome.scored) == (True, False, False)
    probe = service.current_prompt(CID)
    assert probe.is_probe is True
    assert probe.text == bank.questions[question_id].probe
    assert (probe.number, probe.question_id) == (1, question_id)
    assert service.progress(CID) == Progress(0, 6)
    pending = _answer(loaded, interview_id, 0)
    assert (pending.status, pending.text, pending.scores) == ("probing", "idk", [])
    assert pending.follow_up_asked_at is not None
    assert _events(loaded, interview_id)[-1] == ("probe_asked", {"position": 0})

    follow_up = good_answers[question_id]
    outcome = service.submit_answer(CID, follow_up)
    assert (outcome.probed, outcome.finished, outcome.scored) == (False, False, True)
    assert service.progress(CID) == Progress(1, 6)
    answer = _answer(loaded, interview_id, 0)
    assert (answer.status, answer.text, answer.follow_up_text) == ("answered", "idk", follow_up)
    assert answer.follow_up_at is not None
    assert answer.scored_text == "idk\n" + follow_up
    _assert_scored(loaded, scorer, answer)
    assert service.current_prompt(CID).number == 2


def test_only_one_probe_per_question(service: InterviewService, loaded) -> None:
    interview_id = _begin(service)
    assert service.submit_answer(CID, "idk").probed is True
    outcome = service.submit_answer(CID, "no idea")
    assert (outcome.probed, outcome.scored) == (False, True)
    answer = _answer(loaded, interview_id, 0)
    assert (answer.status, answer.text, answer.follow_up_text) == ("answered", "idk", "no idea")
    assert len(answer.scores) >= 2
    assert [k for k, _ in _events(loaded, interview_id)].count("probe_asked") == 1
    assert service.current_prompt(CID).is_probe is False


def test_skip(service: InterviewService, loaded) -> None:
    interview_id = _begin(service)
    question_id = service.current_prompt(CID).question_id
    outcome = service.skip(CID)
    assert (outcome.probed, outcome.finished, outcome.scored) == (False, False, False)
    assert service.progress(CID) == Progress(1, 6)
    answer = _answer(loaded, interview_id, 0)
    assert (answer.status, answer.text, answer.scores) == ("skipped", None, [])
    assert _events(loaded, interview_id)[-1] == ("skipped", {"position": 0, "question": question_id})
    assert service.status(CID) == ("in_progress", True)


def test_skip_while_probing_keeps_the_first_reply(service: InterviewService, loaded) -> None:
    interview_id = _begin(service)
    service.submit_answer(CID, "idk")
    service.skip(CID)
    answer = _answer(loaded, interview_id, 0)
    assert (answer.status, answer.text, answer.follow_up_text) == ("skipped", "idk", None)
    assert service.current_prompt(CID).number == 2


def test_handoff_pauses_and_resume_continues(service: InterviewService, loaded, answer_question) -> None:
    interview_id = _begin(service)
    answer_question(service, CID)
    service.request_handoff(CID)
    assert service.status(CID) == ("paused", True)
    assert service.open_interview_id(CID) == interview_id
    assert _events(loaded, interview_id)[-1] == ("handoff_requested", {"position": 1})
    assert service.resume(CID) == Progress(1, 6, resumed=True)
    assert service.status(CID) == ("in_progress", True)
    assert _events(loaded, interview_id)[-1] == ("resumed", {"position": 1})
    # Resuming an interview that is not paused records nothing.
    assert service.resume(CID) == Progress(1, 6)
    assert [k for k, _ in _events(loaded, interview_id)].count("resumed") == 1
    assert service.current_prompt(CID).number == 2


def test_withdraw_keeps_the_answers(service: InterviewService, loaded, answer_question) -> None:
    interview_id = _begin(service)
    answer_question(service, CID)
    service.current_prompt(CID)
    assert service.withdraw(CID) is True
    interview = _interview(loaded)
    assert interview.status == "withdrawn"
    assert interview.finished_at is not None
    assert [a.status for a in interview.answers] == ["answered", "asked"]
    assert interview.answers[0].text and interview.answers[0].scores
    assert _events(loaded, interview_id)[-1] == ("withdrawn", {"position": 1})
    assert service.open_interview_id(CID) is None
    assert service.withdraw(CID) is False
    with pytest.raises(NoOpenInterview):
        service.submit_answer(CID, "one more")


def test_full_interview_to_completion(service: InterviewService, loaded, scorer, answer_question) -> None:
    interview_id = _begin(service)
    plan = _interview(loaded).plan
    answered = [answer_question(service, CID) for _ in range(6)]
    assert answered == plan
    assert service.current_prompt(CID) is None
    assert service.progress(CID) == Progress(6, 6)
    assert service.submit_answer(CID, "extra").finished is True
    assert service.skip(CID).finished is True
    assert service.complete(CID) is True
    interview = _interview(loaded)
    assert interview.status == "completed" and interview.finished_at is not None
    assert [a.status for a in interview.answers] == ["answered"] * 6
    assert [a.question_id for a in interview.answers] == plan
    assert all("extra" not in a.scored_text for a in interview.answers)
    for answer in interview.answers:
        assert answer.scores
    assert _events(loaded, interview_id)[-1] == ("completed", {"position": 6})
    assert service.open_interview_id(CID) is None


def test_last_answer_reports_finished(service: InterviewService, loaded, good_answers) -> None:
    _begin(service)
    for _ in range(5):
        service.skip(CID)
    last = service.current_prompt(CID)
    assert last.number == 6
    outcome = service.submit_answer(CID, good_answers[last.question_id])
    if outcome.probed:
        outcome = service.submit_answer(CID, good_answers[last.question_id])
    assert (outcome.finished, outcome.scored) == (True, True)


def test_conversations_are_kept_apart(service: InterviewService, loaded, answer_question) -> None:
    first = _begin(service, "cashier", "conv-a")
    answer_question(service, "conv-a")
    assert service.open_interview_id("conv-b") is None
    assert service.current_prompt("conv-b") is None
    second = _begin(service, "accountant", "conv-b")
    assert second != first
    assert service.progress("conv-a") == Progress(1, 6)
    assert service.progress("conv-b") == Progress(0, len(_expected_plan(loaded, "accountant")))
    assert service.current_prompt("conv-b").question_id == _expected_plan(loaded, "accountant")[0]
    assert service.withdraw("conv-b") is True
    assert service.status("conv-a") == ("in_progress", True)
    assert _interview(loaded, "conv-a").id == first


def test_without_a_scorer_answers_are_stored_unscored_and_never_probed(loaded) -> None:
    service = InterviewService(loaded, scorer=None)
    interview_id = _begin(service)
    outcome = service.submit_answer(CID, "idk")
    assert (outcome.probed, outcome.scored) == (False, False)
    answer = _answer(loaded, interview_id, 0)
    assert (answer.status, answer.text, answer.scores) == ("answered", "idk", [])


def test_failing_scorer_stores_the_answer_unscored_and_moves_on(loaded, good_answers) -> None:
    failing = FailingScorer()
    service = InterviewService(loaded, scorer=failing)
    interview_id = _begin(service)
    question_id = service.current_prompt(CID).question_id
    outcome = service.submit_answer(CID, good_answers[question_id])
    assert failing.calls == 1
    assert (outcome.probed, outcome.finished, outcome.scored) == (False, False, False)
    assert service.progress(CID) == Progress(1, 6)
    assert service.current_prompt(CID).number == 2
    answer = _answer(loaded, interview_id, 0)
    assert (answer.status, answer.text, answer.scores) == ("answered", good_answers[question_id], [])
    with loaded() as session:
        assert session.scalar(select(func.count()).select_from(Score)) == 0


def test_failing_scorer_on_the_follow_up(service: InterviewService, loaded, good_answers) -> None:
    interview_id = _begin(service)
    question_id = service.current_prompt(CID).question_id
    assert service.submit_answer(CID, "idk").probed is True
    broken = InterviewService(loaded, scorer=FailingScorer())
    outcome = broken.submit_answer(CID, good_answers[question_id])
    assert (outcome.probed, outcome.scored) == (False, False)
    answer = _answer(loaded, interview_id, 0)
    assert (answer.status, answer.text, answer.follow_up_text) == (
        "answered",
        "idk",
        good_answers[question_id],
    )
    assert answer.scores == []
    assert service.progress(CID) == Progress(1, 6)


LONG_ANSWER = (
    "I would listen to the customer without interrupting, apologise, check the order number and the "
    "tracking, offer a refund or a replacement, and call them back to confirm it arrived. "
) * 40
ANSWER_5000 = LONG_ANSWER[:4999] + "."


@pytest.mark.parametrize(
    "raw",
    [
        "<p>I would <b>apologise</b> &amp; check the order</p><script>alert(1)</script>",
        "I'd smile 😊, apologise 🙏 and check the tracking 📦👩\u200d💻 right away",
        "我会先向顾客道歉，然后查询订单号和物流信息，并提出退款或重新发货。",
        ANSWER_5000,
    ],
    ids=["html", "emoji", "chinese", "5000-chars"],
)
def test_answers_are_stored_verbatim(service: InterviewService, loaded, raw: str) -> None:
    assert len(ANSWER_5000) == 5000
    interview_id = _begin(service)
    text = clean_answer(raw)
    assert text == raw
    service.submit_answer(CID, text)
    answer = _answer(loaded, interview_id, 0)
    assert answer.text == raw
    assert len(answer.text) == len(raw)


# -- scoring happens once, with no lock held ------------------------------------------


class LockProbingScorer:
    """The real scorer, counting its calls; while scoring it writes to the
    answer's row over a connection of its own, which fails if the service
    holds a write lock (SQLite's database lock, PostgreSQL's row lock)."""

    def __init__(self, scorer, engine, interview_id: int) -> None:
        self.scorer, self.engine, self.interview_id = scorer, engine, interview_id
        self.calls = 0

    def score(self, answer_text, question):
        self.calls += 1
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SET lock_timeout = '2s'"))
            else:
                conn.exec_driver_sql("PRAGMA busy_timeout = 2000")
            conn.execute(
                text("UPDATE interviews SET started_at = started_at WHERE id = :id"), {"id": self.interview_id}
            )
            conn.execute(
                text("UPDATE answers SET asked_at = asked_at WHERE interview_id = :id"), {"id": self.interview_id}
            )
            conn.commit()
        return self.scorer.score(answer_text, question)


def _lock_probing(loaded, scorer, engine) -> tuple[InterviewService, LockProbingScorer, int]:
    starter = InterviewService(loaded, scorer=scorer)
    interview_id = _begin(starter)
    starter.current_prompt(CID)
    probing = LockProbingScorer(scorer, engine, interview_id)
    return InterviewService(loaded, scorer=probing), probing, interview_id


def test_an_answer_is_scored_once_with_no_lock_held(loaded, scorer, engine, good_answers) -> None:
    service, probing, interview_id = _lock_probing(loaded, scorer, engine)
    question_id = service.current_prompt(CID).question_id
    outcome = service.submit_answer(CID, good_answers[question_id])
    assert (probing.calls, outcome.scored) == (1, True)
    _assert_scored(loaded, scorer, _answer(loaded, interview_id, 0))


def test_probe_and_follow_up_are_each_scored_once_with_no_lock_held(loaded, scorer, engine, good_answers) -> None:
    service, probing, interview_id = _lock_probing(loaded, scorer, engine)
    question_id = service.current_prompt(CID).question_id
    assert service.submit_answer(CID, "idk").probed is True
    assert probing.calls == 1
    assert service.submit_answer(CID, good_answers[question_id]).scored is True
    assert probing.calls == 2
    _assert_scored(loaded, scorer, _answer(loaded, interview_id, 0))


def test_withdrawing_scores_a_waiting_reply_once_with_no_lock_held(loaded, scorer, engine) -> None:
    service, probing, interview_id = _lock_probing(loaded, scorer, engine)
    assert service.submit_answer(CID, "idk").probed is True
    assert service.withdraw(CID) is True
    assert probing.calls == 2
    answer = _answer(loaded, interview_id, 0)
    assert answer.status == "answered"
    _assert_scored_as_is(loaded, scorer, answer)


def _assert_scored_as_is(sessions, scorer, answer: Answer) -> None:
    with sessions() as session:
        spec = question_spec(session.get(Question, answer.question_id))
    expected = scorer.score(answer.scored_text, spec).to_dict()
    assert {s.competency_id: s.rating for s in answer.scores} == {
        c: r["rating"] for c, r in expected["ratings"].items()
    }


class MovingScorer:
    """The real scorer; on its first call another reply to the same
    conversation lands first (as a second tab or a retried message would)."""

    def __init__(self, scorer, sessions, reply: str) -> None:
        self.scorer, self.sessions, self.reply = scorer, sessions, reply
        self.calls = 0

    def score(self, answer_text, question):
        self.calls += 1
        if self.calls == 1:
            InterviewService(self.sessions, scorer=None).submit_answer(CID, self.reply)
        return self.scorer.score(answer_text, question)


def test_a_reply_that_lands_while_scoring_is_not_overwritten(loaded, scorer, good_answers) -> None:
    starter = InterviewService(loaded, scorer=scorer)
    interview_id = _begin(starter)
    first = starter.current_prompt(CID).question_id
    moving = MovingScorer(scorer, loaded, good_answers[first])
    service = InterviewService(loaded, scorer=moving)
    second_text = good_answers[_interview(loaded).plan[1]]
    outcome = service.submit_answer(CID, second_text)
    assert outcome.scored is True
    assert moving.calls == 2, "scored again after finding the interview had moved"
    assert _answer(loaded, interview_id, 0).text == good_answers[first]
    second = _answer(loaded, interview_id, 1)
    assert second.text == second_text
    assert service.progress(CID) == Progress(2, 6)


def test_just_stored_tells_a_taken_resend_from_one_that_was_not_taken(
    loaded, scorer, good_answers, ticking_clock
) -> None:
    service = InterviewService(loaded, scorer=scorer, clock=ticking_clock)  # one minute per call
    _begin(service)
    text = good_answers[service.current_prompt(CID).question_id]
    assert not service.just_stored(CID, text, window=600)  # sent before, never stored
    service.submit_answer(CID, text)
    assert service.just_stored(CID, text, window=600)
    assert not service.just_stored(CID, text + " more", window=600)
    assert not service.just_stored(CID, text, window=1)  # stored minutes ago: a new answer
    assert not service.just_stored("no-such-conversation", text, window=600)


# --- requests made in the chat -------------------------------------------------


def test_a_request_is_recorded_once_while_open_and_again_after_it_is_handled(service: InterviewService, loaded) -> None:
    from datetime import timedelta

    from bot.db.models import CandidateRequest, RequestKind
    from bot.interview.service import REQUEST_DUE_DAYS

    service.record_consent(CID, "rest", True)
    first = service.record_request(CID, "rest", RequestKind.ACCESS)
    assert service.record_request(CID, "rest", RequestKind.ACCESS) == first
    other = service.record_request(CID, "rest", RequestKind.REVIEW)
    with loaded.begin() as session:
        rows = session.scalars(select(CandidateRequest).order_by(CandidateRequest.id)).all()
        assert [(r.kind, r.interview_id) for r in rows] == [
            (RequestKind.ACCESS, _interview(loaded).id),
            (RequestKind.REVIEW, _interview(loaded).id),
        ]
        assert rows[0].due_at - rows[0].created_at == timedelta(days=REQUEST_DUE_DAYS[RequestKind.ACCESS])
        assert other - rows[1].created_at == timedelta(days=REQUEST_DUE_DAYS[RequestKind.REVIEW])
        rows[0].handled_at = rows[0].created_at
    service.record_request(CID, "rest", RequestKind.ACCESS)
    with loaded() as session:
        assert session.scalar(select(func.count(CandidateRequest.id))) == 3
