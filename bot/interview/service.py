"""The interview as a small state machine over the database.

Every custom action calls one method of :class:`InterviewService`, keyed by
the conversation id (Rasa's sender id). State lives in the ``interviews`` and
``answers`` tables, so an interview continues where it stopped after the Rasa
session expired or a server restarted, whatever the slots say.

Methods are synchronous (one short transaction each); actions run them in a
worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.bank.files import QuestionSpec
from bot.bank.selection import QuestionInfo, plan_questions
from bot.db.base import utcnow
from bot.db.models import (
    OPEN_STATUSES,
    Answer,
    AnswerStatus,
    Candidate,
    CandidateRequest,
    Interview,
    InterviewEvent,
    InterviewStatus,
    Question,
    QuestionKind,
    RequestKind,
    Role,
    Score,
)
from bot.interview.roles import match_roles
from bot.worksamples import WorkSampleBank, read_worksamples
from bot.worksamples.interview import answer_record, ensure_questions, plan_entries, random_seed, score_answer

log = logging.getLogger(__name__)

#: Days recruiters have to act on a candidate's request. Access and erasure:
#: one month (GDPR Art 12(3)); a human review and an accommodation sooner,
#: because the candidate is waiting on the screening itself.
REQUEST_DUE_DAYS: dict[RequestKind, int] = {
    RequestKind.ACCESS: 30,
    RequestKind.ERASURE: 30,
    RequestKind.REVIEW: 14,
    RequestKind.ACCOMMODATION: 5,
}

#: Other interviews whose work-sample numbers a new interview does not repeat.
RECENT_INTERVIEWS = 20


class ScoreLike(Protocol):
    """What the service needs of a score result (see :mod:`bot.scoring`)."""

    needs_probe: bool
    scorer_version: str
    flags: list[str]

    def to_dict(self) -> dict: ...


class ScorerLike(Protocol):
    """What the service needs of a scorer (see :class:`bot.scoring.Scorer`)."""

    def score(self, answer_text: str, question: QuestionSpec) -> ScoreLike: ...


@dataclass(frozen=True)
class QuestionPrompt:
    """The question to put to the candidate now.

    Attributes:
        interview_id: The interview's id.
        question_id: The scenario id.
        number: 1-based position in the interview.
        total: Questions in the interview.
        text: The wording to send (the probe when ``is_probe``).
        is_probe: True when this is the one follow-up to an answer.
        purpose: What the question is for, for "why are you asking this?".
        worksample: True when the question is a work-sample item.
    """

    interview_id: int
    question_id: str
    number: int
    total: int
    text: str
    is_probe: bool
    purpose: str
    worksample: bool = False


@dataclass(frozen=True)
class AnswerOutcome:
    """What a reply to a question led to.

    Attributes:
        probed: The answer was too short or vague: the probe is asked next.
        finished: No question is left.
        scored: Scores were stored (False when scoring failed or was
            deferred; ``python -m bot rescore`` fills the gap).
        unreadable: The reply is in a language the scorer cannot read (it
            is stored all the same; the candidate is told which languages
            the screening runs in).
    """

    probed: bool
    finished: bool
    scored: bool
    unreadable: bool = False


@dataclass(frozen=True)
class Progress:
    """How far an interview is: ``done`` of ``total`` questions; ``resumed`` if it was paused until now."""

    done: int
    total: int
    resumed: bool = False

    @property
    def left(self) -> int:
        """Questions not yet answered or skipped."""
        return max(self.total - self.done, 0)


class NoOpenInterview(LookupError):
    """The conversation has no interview in progress."""


def question_spec(question: Question) -> QuestionSpec:
    """Build the scorer's view of a question from its row and newest rubric."""
    rubric = question.current_rubric
    return QuestionSpec(
        id=question.id,
        family=question.family,
        primary=question.primary_competency_id,
        secondary=question.secondary_competency_id,
        purpose=question.purpose,
        probe=question.probe,
        variants=tuple(v.text for v in question.active_variants),
        rubric=rubric.rubric if rubric else {},
    )


def score_safely(scorer: ScorerLike, text: str, spec: QuestionSpec, what: str) -> ScoreLike | None:
    """Score ``text``; a scorer failure is logged (never the text) and gives None.

    Called with no database transaction open, so a slow scorer holds no lock.

    Args:
        scorer: The scorer.
        text: The answer as the scorer rates it (:attr:`Answer.scored_text`).
        spec: The question, from :func:`question_spec`.
        what: Names the answer in the log line, e.g. ``"answer 12"``.
    """
    try:
        return scorer.score(text, spec)
    except Exception:
        log.exception("scoring failed for %s; it is stored unscored", what)
        return None


def add_scores(session: Session, answer: Answer, result: ScoreLike, rubric_version_id: int) -> None:
    """Add one :class:`Score` row per competency of ``result`` to ``answer``.

    Args:
        session: The open write transaction.
        answer: The answer the result rates.
        result: What the scorer returned for ``answer.scored_text``.
        rubric_version_id: The rubric version the result was scored under.
    """
    data = result.to_dict()
    for competency_id, rating in data["ratings"].items():
        session.add(
            Score(
                answer=answer,
                competency_id=competency_id,
                rating=rating["rating"],
                evidence=rating["evidence"],
                flags=list(data.get("flags", [])),
                rubric_version_id=rubric_version_id,
                scorer_version=result.scorer_version,
            )
        )


@dataclass(frozen=True)
class _Draft:
    """A reply as it will be stored, read before scoring so that scoring runs
    with no transaction open; the write checks that nothing moved meanwhile."""

    interview_id: int
    position: int
    question_id: str
    probing: bool
    scored_text: str
    spec: QuestionSpec
    rubric_version_id: int | None
    worksample: dict | None = None


class InterviewService:
    """Runs interviews on the database for the custom actions.

    Args:
        session_factory: Makes sessions on the screener database.
        scorer: Scores answers; if None, answers are stored unscored and no
            probe is asked. Work-sample answers are scored by
            :mod:`bot.worksamples` whatever this is.
        clock: Returns the current UTC time (tests pass a fixed one).
        worksamples: The work-sample bank; None reads
            ``data/bank/worksamples.yml`` on first use.
        seed_source: Draws work-sample seeds (tests pass a fixed sequence).
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        scorer: ScorerLike | None = None,
        clock: Callable = utcnow,
        worksamples: WorkSampleBank | None = None,
        seed_source: Callable[[], int] = random_seed,
    ) -> None:
        self._sessions = session_factory
        self._scorer = scorer
        self._now = clock
        self._worksamples = worksamples
        self._seed_source = seed_source

    @property
    def worksamples(self) -> WorkSampleBank:
        """The work-sample bank (read on first use when none was given).

        Raises:
            bot.worksamples.WorkSampleError: The file is missing or invalid.
        """
        if self._worksamples is None:
            self._worksamples = read_worksamples()
        return self._worksamples

    # -- lookups ---------------------------------------------------------

    @staticmethod
    def _open(session: Session, conversation_id: str) -> Interview | None:
        return session.scalars(
            select(Interview)
            .join(Candidate)
            .where(Candidate.conversation_id == conversation_id, Interview.status.in_(OPEN_STATUSES))
            .order_by(Interview.id.desc())
            .limit(1)
        ).first()

    def _require_open(self, session: Session, conversation_id: str) -> Interview:
        interview = self._open(session, conversation_id)
        if interview is None:
            raise NoOpenInterview(conversation_id)
        return interview

    def _candidate(self, session: Session, conversation_id: str, channel: str) -> Candidate:
        """The conversation's candidate, added (and flushed, so it has an id) if new."""
        candidate = session.scalars(select(Candidate).where(Candidate.conversation_id == conversation_id)).first()
        if candidate is None:
            candidate = Candidate(conversation_id=conversation_id, channel=channel, created_at=self._now())
            session.add(candidate)
            session.flush()
        return candidate

    def _event(self, session: Session, interview: Interview, kind: str, **detail: object) -> None:
        session.add(InterviewEvent(interview=interview, kind=kind, at=self._now(), detail=detail))

    def open_interview_id(self, conversation_id: str) -> int | None:
        """The id of the conversation's open (in progress or paused) interview."""
        with self._sessions() as session:
            interview = self._open(session, conversation_id)
            return interview.id if interview else None

    def status(self, conversation_id: str) -> tuple[str | None, bool]:
        """``(status, has_role)`` of the open interview; ``(None, False)`` if none."""
        with self._sessions() as session:
            interview = self._open(session, conversation_id)
            if interview is None:
                return None, False
            return interview.status, interview.role_id is not None

    def invited_role(self, conversation_id: str) -> str | None:
        """The role the candidate was invited for (by the web app), or None."""
        with self._sessions() as session:
            return session.scalars(
                select(Candidate.invited_role_id).where(Candidate.conversation_id == conversation_id)
            ).first()

    def role_choices(self) -> list[tuple[str, str]]:
        """``(id, name)`` of every role, by family then name."""
        with self._sessions() as session:
            roles = session.scalars(select(Role).order_by(Role.family.desc(), Role.name)).all()
            return [(r.id, r.name) for r in roles]

    def resolve_roles(self, text: str | None) -> list[str]:
        """Every role id that ``text`` names, in order of mention."""
        if not text:
            return []
        with self._sessions() as session:
            roles = session.scalars(select(Role)).all()
            return match_roles(text, [(r.id, r.name, tuple(r.aliases)) for r in roles])

    # -- consent and start ---------------------------------------------------

    def record_consent(self, conversation_id: str, channel: str, given: bool) -> int:
        """Record the candidate's consent decision.

        The interview takes the candidate's channel: the one of their first
        message, or the one a front end (the web app, an invitation) gave the
        candidate when it created them.

        Consent opens an interview (no role yet); a refusal is kept as an
        interview with status ``declined`` and no question is asked. A repeated
        consent on an open interview changes nothing.

        Returns:
            The interview id.
        """
        with self._sessions.begin() as session:
            candidate = self._candidate(session, conversation_id, channel)
            interview = self._open(session, conversation_id)
            if interview is not None and given:
                return interview.id
            now = self._now()
            interview = Interview(
                candidate=candidate,
                channel=candidate.channel,
                consent=given,
                consent_at=now,
                started_at=now,
                status=InterviewStatus.IN_PROGRESS if given else InterviewStatus.DECLINED,
                finished_at=None if given else now,
            )
            session.add(interview)
            self._event(session, interview, "consent_given" if given else "consent_declined")
            session.flush()
            return interview.id

    def start(self, conversation_id: str, role_id: str) -> Progress:
        """Choose the role's questions and start at the first one.

        The plan is the situational questions, then the role's work-sample
        items (:meth:`WorkSampleBank.for_role`; none for front-office roles
        by default). Each item gets a seed whose numbers differ from the
        previous interview's and from the candidate's earlier interviews'
        (a retake gets new ones); ``Interview.worksamples`` records them.

        Raises:
            NoOpenInterview: Consent was not given.
            LookupError: Unknown role, or the bank is not loaded.
        """
        with self._sessions.begin() as session:
            interview = self._require_open(session, conversation_id)
            if interview.plan:
                return Progress(interview.position, len(interview.plan))
            role = session.get(Role, role_id)
            if role is None:
                raise LookupError(f"unknown role {role_id!r}")
            questions = session.scalars(select(Question).where(Question.kind == QuestionKind.SITUATIONAL)).all()
            if not questions:
                raise LookupError("the question bank is empty: run `python -m bot load-bank`")
            plan = plan_questions(
                role.family,
                role.weight_map(),
                [QuestionInfo(q.id, q.family, q.primary_competency_id, q.secondary_competency_id) for q in questions],
            )
            items = self.worksamples.for_role(role.id)
            entries: list[dict] = []
            if items:
                ensure_questions(session, self.worksamples, items)
                earlier = self._earlier_worksamples(session, interview)
                entries = plan_entries(self.worksamples, items, earlier, self._seed_source)
                plan = [*plan, *(item.id for item in items)]
            interview.role = role
            interview.status = InterviewStatus.IN_PROGRESS
            interview.plan = plan
            interview.worksamples = entries
            interview.position = 0
            self._event(session, interview, "started", role=role.id, plan=plan)
            return Progress(0, len(plan))

    @staticmethod
    def _earlier_worksamples(session: Session, interview: Interview) -> list[list[dict]]:
        """``worksamples`` of the interviews whose numbers a new one must not repeat.

        The :data:`RECENT_INTERVIEWS` newest other interviews (so the
        candidate before, whoever it was, never shares an instance) and every
        earlier interview of the same candidate (a retake gets new numbers).
        """
        recent = session.scalars(
            select(Interview.worksamples)
            .where(Interview.id != interview.id)
            .order_by(Interview.id.desc())
            .limit(RECENT_INTERVIEWS)
        ).all()
        own = session.scalars(
            select(Interview.worksamples).where(
                Interview.candidate_id == interview.candidate_id, Interview.id != interview.id
            )
        ).all()
        return [plan for plan in [*recent, *own] if plan]

    # -- questions -------------------------------------------------------------

    def current_prompt(self, conversation_id: str) -> QuestionPrompt | None:
        """The question (or probe) to ask now; None when none is left.

        The first call for a position records that the question was asked,
        with the wording variant chosen for this interview. None too when the
        conversation has no open interview.
        """
        with self._sessions.begin() as session:
            interview = self._open(session, conversation_id)
            if interview is None or interview.position >= len(interview.plan):
                return None
            answer = self._current_answer(session, interview)
            question = answer.question
            if answer.status == AnswerStatus.PROBING:
                text, probe = question.probe, True
            else:
                text, probe = answer.asked_text, False
            return QuestionPrompt(
                interview_id=interview.id,
                question_id=question.id,
                number=interview.position + 1,
                total=len(interview.plan),
                text=text,
                is_probe=probe,
                purpose=question.purpose,
                worksample=answer.worksample is not None,
            )

    def _current_answer(self, session: Session, interview: Interview) -> Answer:
        for answer in interview.answers:
            if answer.position == interview.position:
                return answer
        question = session.get(Question, interview.plan[interview.position])
        if question is None:
            raise LookupError(f"question {interview.plan[interview.position]!r} is no longer in the bank")
        variants = question.active_variants or question.variants
        variant = variants[(interview.id + interview.position) % len(variants)]
        answer = Answer(
            interview=interview,
            question=question,
            variant=variant,
            position=interview.position,
            status=AnswerStatus.ASKED,
            asked_at=self._now(),
            worksample=self._worksample_record(interview, question),
        )
        session.add(answer)
        session.flush()
        return answer

    def _worksample_record(self, interview: Interview, question: Question) -> dict | None:
        """``Answer.worksample`` for a work-sample question (None for a situational one).

        Raises:
            LookupError: The interview planned no seed for the item.
        """
        if question.kind != QuestionKind.WORKSAMPLE:
            return None
        entry = next((e for e in interview.worksamples or [] if e.get("item_id") == question.id), None)
        if entry is None:
            raise LookupError(f"interview {interview.id} planned no seed for work sample {question.id!r}")
        return answer_record(self.worksamples, entry)

    def _score(self, draft: _Draft) -> ScoreLike | None:
        """Score a draft: a work sample exactly (:mod:`bot.worksamples`), else with the scorer."""
        if draft.rubric_version_id is None:
            return None
        if draft.worksample is not None:
            try:
                return score_answer(self.worksamples, draft.worksample, draft.scored_text)
            except Exception:
                log.exception("scoring failed for interview %s; it is stored unscored", draft.interview_id)
                return None
        if self._scorer is None:
            return None
        return score_safely(self._scorer, draft.scored_text, draft.spec, f"interview {draft.interview_id}")

    def submit_answer(self, conversation_id: str, text: str) -> AnswerOutcome:
        """Store a reply to the current question and score it.

        A first reply that the scorer finds too short or vague puts the
        question in ``probing``: the probe is asked and the answer is scored
        with the reply to it. Otherwise the answer is scored at once and the
        interview moves on. The reply is scored once, before the write
        transaction opens, so no database lock is held while it is scored;
        if the interview moved meanwhile (another reply on the same
        conversation) it is read and scored again. A failure to score never
        loses the answer: it is stored unscored and logged (without its text).
        A work-sample answer is scored exactly against its instance
        (:func:`bot.worksamples.interview.score_answer`) and never probed.

        Args:
            conversation_id: Rasa's sender id.
            text: The cleaned reply (see :func:`bot.interview.text.clean_answer`).

        Raises:
            NoOpenInterview: No interview in progress.
        """
        for _ in range(3):
            draft = self._draft(conversation_id, text)
            if draft is None:
                return AnswerOutcome(probed=False, finished=True, scored=False)
            result = self._score(draft)
            outcome = self._write_answer(conversation_id, text, draft, result)
            if outcome is not None:
                return outcome
        # The interview kept moving under us: store the reply unscored rather than lose it.
        draft = self._draft(conversation_id, text)
        if draft is None:
            return AnswerOutcome(probed=False, finished=True, scored=False)
        outcome = self._write_answer(conversation_id, text, draft, None, force=True)
        assert outcome is not None
        return outcome

    def _draft(self, conversation_id: str, text: str) -> _Draft | None:
        """Read what ``submit_answer`` will write (no writes; None when no question is left)."""
        with self._sessions() as session:
            interview = self._require_open(session, conversation_id)
            if interview.position >= len(interview.plan):
                return None
            answer = next((a for a in interview.answers if a.position == interview.position), None)
            if answer is not None:
                question = answer.question
                probing = answer.status == AnswerStatus.PROBING
                scored_text = "\n".join(p for p in ((answer.text, text) if probing else (text,)) if p)
                worksample = answer.worksample
            else:
                question = session.get(Question, interview.plan[interview.position])
                if question is None:
                    raise LookupError(f"question {interview.plan[interview.position]!r} is no longer in the bank")
                probing, scored_text = False, text
                worksample = self._worksample_record(interview, question)
            rubric = question.current_rubric
            return _Draft(
                interview_id=interview.id,
                position=interview.position,
                question_id=question.id,
                probing=probing,
                scored_text=scored_text,
                spec=question_spec(question),
                rubric_version_id=rubric.id if rubric else None,
                worksample=worksample,
            )

    def _write_answer(
        self, conversation_id: str, text: str, draft: _Draft, result: ScoreLike | None, force: bool = False
    ) -> AnswerOutcome | None:
        """Store the reply and ``result`` in one short transaction.

        Returns:
            The outcome, or None (nothing written) when the interview is no
            longer where ``draft`` found it, unless ``force``.
        """
        with self._sessions.begin() as session:
            interview = self._require_open(session, conversation_id)
            if interview.position >= len(interview.plan):
                return AnswerOutcome(probed=False, finished=True, scored=False)
            answer = self._current_answer(session, interview)
            probing = answer.status == AnswerStatus.PROBING
            moved = (interview.id, interview.position, answer.question_id, probing) != (
                draft.interview_id,
                draft.position,
                draft.question_id,
                draft.probing,
            )
            if moved and not force:
                return None
            now = self._now()
            if probing:
                answer.follow_up_text = text
                answer.follow_up_at = now
            else:
                answer.text = text
                answer.answered_at = now
            if moved:
                result = None
            unreadable = result is not None and "other_language" in result.flags
            if result is not None and not probing and result.needs_probe:
                answer.status = AnswerStatus.PROBING
                answer.follow_up_asked_at = now
                self._event(session, interview, "probe_asked", position=answer.position)
                return AnswerOutcome(probed=True, finished=False, scored=False, unreadable=unreadable)
            if result is not None and draft.rubric_version_id is not None:
                add_scores(session, answer, result, draft.rubric_version_id)
            answer.status = AnswerStatus.ANSWERED
            interview.position += 1
            log.info("interview %s: answer %s stored", interview.id, answer.position + 1)
            return AnswerOutcome(
                probed=False,
                finished=interview.position >= len(interview.plan),
                scored=result is not None,
                unreadable=unreadable,
            )

    def skip(self, conversation_id: str) -> AnswerOutcome:
        """Record the current question as skipped and move on."""
        with self._sessions.begin() as session:
            interview = self._require_open(session, conversation_id)
            if interview.position >= len(interview.plan):
                return AnswerOutcome(probed=False, finished=True, scored=False)
            answer = self._current_answer(session, interview)
            answer.status = AnswerStatus.SKIPPED
            answer.answered_at = self._now()
            self._event(session, interview, "skipped", position=answer.position, question=answer.question_id)
            interview.position += 1
            return AnswerOutcome(probed=False, finished=interview.position >= len(interview.plan), scored=False)

    def progress(self, conversation_id: str) -> Progress:
        """How many questions are done of how many (0 of 0 with no open interview)."""
        with self._sessions() as session:
            interview = self._open(session, conversation_id)
            if interview is None:
                return Progress(0, 0)
            return Progress(interview.position, len(interview.plan))

    # -- leaving and coming back -------------------------------------------------

    def request_handoff(self, conversation_id: str) -> None:
        """Record that the candidate asked for a person and pause the interview."""
        with self._sessions.begin() as session:
            interview = self._require_open(session, conversation_id)
            interview.status = InterviewStatus.PAUSED
            self._event(session, interview, "handoff_requested", position=interview.position)

    def resume(self, conversation_id: str) -> Progress:
        """Take a paused interview up again where it stopped (0 of 0 with none open)."""
        with self._sessions.begin() as session:
            interview = self._open(session, conversation_id)
            if interview is None:
                return Progress(0, 0)
            resumed = interview.status == InterviewStatus.PAUSED
            if resumed:
                interview.status = InterviewStatus.IN_PROGRESS
                self._event(session, interview, "resumed", position=interview.position)
            return Progress(interview.position, len(interview.plan), resumed)

    def withdraw(self, conversation_id: str) -> bool:
        """The candidate stopped: status ``withdrawn``, answers kept.

        A reply still waiting for its follow-up question is scored as it is,
        so every stored answer has scores.

        Returns:
            False when there was no open interview.
        """
        return self._finish(conversation_id, InterviewStatus.WITHDRAWN, "withdrawn")

    def current_role(self, conversation_id: str) -> str | None:
        """The role id of the open interview (None when none is open or chosen)."""
        with self._sessions() as session:
            interview = self._open(session, conversation_id)
            return interview.role_id if interview else None

    def just_stored(self, conversation_id: str, text: str, window: float) -> bool:
        """Whether ``text`` is the open interview's latest stored reply, stored within ``window`` seconds.

        Tells a resent message (a double click, a client retry) that was
        already taken from one that was sent again because it was not: only
        the first is to be dropped.

        Args:
            conversation_id: Rasa's sender id.
            text: The cleaned reply.
            window: Seconds.
        """
        with self._sessions() as session:
            interview = self._open(session, conversation_id)
            if interview is None:
                return False
            stored = [(a.answered_at, a.text) for a in interview.answers if a.text and a.answered_at]
            stored += [
                (a.follow_up_at, a.follow_up_text) for a in interview.answers if a.follow_up_text and a.follow_up_at
            ]
            if not stored:
                return False
            at, latest = max(stored, key=lambda pair: pair[0])
            return latest == text and (self._now() - at).total_seconds() <= window

    def answered(self, conversation_id: str) -> int:
        """How many replies the open interview holds (0 when none is open)."""
        with self._sessions() as session:
            interview = self._open(session, conversation_id)
            if interview is None:
                return 0
            return sum(1 for a in interview.answers if a.text)

    def record_request(self, conversation_id: str, channel: str, kind: RequestKind) -> datetime:
        """Record a candidate's request for recruiters to act on; the interview goes on as before.

        Asking twice while the first request is still open records nothing
        new (a message sent again, a Slack retry).

        Args:
            conversation_id: The conversation (Rasa sender id).
            channel: Its channel, for a candidate not seen before.
            kind: What they asked for.

        Returns:
            The date by which recruiters act on it (UTC), per
            :data:`REQUEST_DUE_DAYS`.
        """
        with self._sessions.begin() as session:
            candidate = self._candidate(session, conversation_id, channel)
            pending = session.scalars(
                select(CandidateRequest).where(
                    CandidateRequest.candidate_id == candidate.id,
                    CandidateRequest.kind == kind,
                    CandidateRequest.handled_at.is_(None),
                )
            ).first()
            if pending is not None:
                return pending.due_at
            interview_id = session.scalars(
                select(Interview.id)
                .where(Interview.candidate_id == candidate.id)
                .order_by(Interview.id.desc())
                .limit(1)
            ).first()
            now = self._now()
            request = CandidateRequest(
                candidate=candidate,
                interview_id=interview_id,
                kind=kind,
                created_at=now,
                due_at=now + timedelta(days=REQUEST_DUE_DAYS[kind]),
            )
            session.add(request)
            return request.due_at

    def last_finished_status(self, conversation_id: str) -> str | None:
        """Status of the conversation's newest interview when none is open."""
        with self._sessions() as session:
            if self._open(session, conversation_id) is not None:
                return None
            return session.scalars(
                select(Interview.status)
                .join(Candidate)
                .where(Candidate.conversation_id == conversation_id)
                .order_by(Interview.id.desc())
                .limit(1)
            ).first()

    def complete(self, conversation_id: str) -> bool:
        """Every question is answered or skipped: status ``completed``.

        Returns:
            False when there was no open interview.
        """
        return self._finish(conversation_id, InterviewStatus.COMPLETED, "completed")

    def _finish(self, conversation_id: str, status: InterviewStatus, kind: str) -> bool:
        """Close the open interview; a reply whose follow-up never came is
        scored as it is (before the write transaction) and closed."""
        pending: dict[int, tuple[str, ScoreLike | None, int | None]] = {}
        if self._scorer is not None:
            with self._sessions() as session:
                interview = self._open(session, conversation_id)
                drafts = []
                for answer in interview.answers if interview else []:
                    if answer.status == AnswerStatus.PROBING:
                        rubric = answer.question.current_rubric
                        spec = question_spec(answer.question)
                        drafts.append((answer.id, answer.scored_text, spec, rubric.id if rubric else None))
            for answer_id, scored_text, spec, rubric_id in drafts:
                result = score_safely(self._scorer, scored_text, spec, f"answer {answer_id}") if rubric_id else None
                pending[answer_id] = (scored_text, result, rubric_id)
        with self._sessions.begin() as session:
            interview = self._open(session, conversation_id)
            if interview is None:
                return False
            for answer in interview.answers:
                if answer.status != AnswerStatus.PROBING:
                    continue
                answer.status = AnswerStatus.ANSWERED
                scored_text, result, rubric_id = pending.get(answer.id, ("", None, None))
                if result is not None and rubric_id is not None and scored_text == answer.scored_text:
                    add_scores(session, answer, result, rubric_id)
            interview.status = status
            interview.finished_at = self._now()
            self._event(session, interview, kind, position=interview.position)
            log.info("interview %s %s", interview.id, kind)
            return True
