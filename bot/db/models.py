"""ORM models of the screener database.

Two groups of tables:

* the competency model and question bank, loaded from ``data/bank`` by
  ``python -m bot load-bank``: :class:`Competency`, :class:`Role`,
  :class:`RoleWeight`, :class:`Question`, :class:`QuestionVariant`,
  :class:`RubricVersion`;
* what interviews produce: :class:`Candidate`, :class:`Interview`,
  :class:`Answer`, :class:`Score` and :class:`InterviewEvent`;
* the recruiting web app's own: :class:`Recruiter`, :class:`Invitation`,
  :class:`WebMessage`, :class:`InterviewSummary`, :class:`Decision`,
  :class:`RatingOverride`, :class:`Note`, :class:`RecoveryCode` and the append-only
  :class:`AuditEntry`;
* the bias audit's own: :class:`SelfIdentification`, which only
  :mod:`bot.audit` reads or writes (scoring, the recruiter pages and the
  exports never do).

Times are timezone-aware UTC. Rubrics are versioned: a changed rubric gets a
new :class:`RubricVersion`, and every :class:`Score` names the version (and the
scorer version) it was made with.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, UTCDateTime, utcnow

ID = String(64)


class InterviewStatus(StrEnum):
    """Where an interview stands."""

    IN_PROGRESS = "in_progress"
    PAUSED = "paused"  # the candidate asked for a person
    COMPLETED = "completed"
    ABANDONED = "abandoned"
    WITHDRAWN = "withdrawn"  # the candidate stopped; answers are kept
    DECLINED = "declined"  # no consent: no question was asked


#: Statuses in which a returning candidate continues the same interview.
OPEN_STATUSES = (InterviewStatus.IN_PROGRESS, InterviewStatus.PAUSED)


class AnswerStatus(StrEnum):
    """What became of one question of an interview."""

    ASKED = "asked"
    PROBING = "probing"  # answered once, the follow-up question is pending
    ANSWERED = "answered"
    SKIPPED = "skipped"


class QuestionKind(StrEnum):
    """What a question row is: a situational question or a work-sample item."""

    SITUATIONAL = "situational"
    WORKSAMPLE = "worksample"  # a task of ``data/bank/worksamples.yml``, scored exactly


class Competency(Base):
    """One of the 12 competencies (ids of ``shared/spec/competencies.md``)."""

    __tablename__ = "competencies"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    family: Mapped[str] = mapped_column(String(32))
    definition: Mapped[str] = mapped_column(Text)
    indicators_for: Mapped[list[str]] = mapped_column(JSON, default=list)
    indicators_against: Mapped[list[str]] = mapped_column(JSON, default=list)


class Role(Base):
    """A role candidates apply for, with a weight per competency."""

    __tablename__ = "roles"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    family: Mapped[str] = mapped_column(String(32))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    weights: Mapped[list[RoleWeight]] = relationship(
        back_populates="role", cascade="all, delete-orphan", lazy="selectin"
    )

    def weight_map(self) -> dict[str, float]:
        """Competency id -> normalised weight (the weights sum to 1)."""
        return {w.competency_id: w.weight for w in self.weights}


class RoleWeight(Base):
    """How much a competency counts for a role (normalised per role)."""

    __tablename__ = "role_weights"

    role_id: Mapped[str] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True)
    competency_id: Mapped[str] = mapped_column(ForeignKey("competencies.id"), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)
    role: Mapped[Role] = relationship(back_populates="weights")

    __table_args__ = (CheckConstraint("weight >= 0", name="weight_non_negative"),)


class Question(Base):
    """A question of the bank; its id is the scenario id (or the work-sample item id).

    ``kind`` is a :class:`QuestionKind`. A work-sample row is written by
    :func:`bot.worksamples.interview.ensure_questions` from
    ``worksamples.yml``: its one variant is a placeholder (the wording is
    drawn per interview from a seed, see :attr:`Answer.worksample`) and its
    "rubric" names the item and the bank version.
    """

    __tablename__ = "questions"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default=QuestionKind.SITUATIONAL, server_default="situational")
    family: Mapped[str] = mapped_column(String(32))
    primary_competency_id: Mapped[str] = mapped_column(ForeignKey("competencies.id"))
    secondary_competency_id: Mapped[str] = mapped_column(ForeignKey("competencies.id"))
    purpose: Mapped[str] = mapped_column(Text)
    probe: Mapped[str] = mapped_column(Text)
    variants: Mapped[list[QuestionVariant]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        order_by="QuestionVariant.position",
        lazy="selectin",
    )
    rubric_versions: Mapped[list[RubricVersion]] = relationship(
        back_populates="question", order_by="RubricVersion.version", lazy="selectin"
    )

    @property
    def active_variants(self) -> list[QuestionVariant]:
        """The wordings still in the bank, by position."""
        return [v for v in self.variants if v.active]

    @property
    def current_rubric(self) -> RubricVersion | None:
        """The newest rubric version, or None before the bank is loaded."""
        return self.rubric_versions[-1] if self.rubric_versions else None


class QuestionVariant(Base):
    """One wording of a question; position 0 is the canonical wording.

    A wording removed from the bank stays (answers point at it) but is no
    longer ``active``, so it is not asked again.
    """

    __tablename__ = "question_variants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    question: Mapped[Question] = relationship(back_populates="variants")

    __table_args__ = (UniqueConstraint("question_id", "position"),)


class RubricVersion(Base):
    """An immutable version of a question's rubric.

    ``rubric`` holds indicators for and against and example answers at rating
    levels, in the shape :mod:`bot.scoring` reads; ``content_hash`` is the
    SHA-256 of its canonical JSON, used to tell a changed rubric.
    """

    __tablename__ = "rubric_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    rubric: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    question: Mapped[Question] = relationship(back_populates="rubric_versions")

    __table_args__ = (UniqueConstraint("question_id", "version"),)


class Candidate(Base):
    """A person being screened, known by their channel's conversation id.

    Only what the interview needs is kept: the conversation id (the sender id
    Rasa uses), the channel and an optional display name.
    """

    __tablename__ = "candidates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255), unique=True)
    channel: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str | None] = mapped_column(String(200))
    invited_role_id: Mapped[str | None] = mapped_column(ForeignKey("roles.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    interviews: Mapped[list[Interview]] = relationship(back_populates="candidate")


class Interview(Base):
    """One screening of a candidate for a role.

    ``plan`` is the ordered list of question ids chosen for the role (the
    situational questions, then the role's work-sample item ids);
    ``position`` indexes the current question in it (``len(plan)`` when every
    question has been answered or skipped). ``worksamples`` records the
    work-sample items planned: ``[{item_id, bank_version, seed}]`` in plan
    order, so each instance and its answer key can be rebuilt.
    """

    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"))
    role_id: Mapped[str | None] = mapped_column(ForeignKey("roles.id"))
    channel: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32), default=InterviewStatus.IN_PROGRESS)
    consent: Mapped[bool | None] = mapped_column(Boolean)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    plan: Mapped[list[str]] = mapped_column(JSON, default=list)
    worksamples: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default=sql_text("'[]'"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    candidate: Mapped[Candidate] = relationship(back_populates="interviews", lazy="joined")
    role: Mapped[Role | None] = relationship(lazy="joined")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="interview", order_by="Answer.position", lazy="selectin"
    )
    events: Mapped[list[InterviewEvent]] = relationship(back_populates="interview", order_by="InterviewEvent.id")

    __table_args__ = (Index("ix_interviews_status_started", "status", "started_at"),)


class Answer(Base):
    """What a candidate said to one question, as typed.

    ``text`` is the first reply, ``follow_up_text`` the reply to the probe (if
    one was asked). Both are personal data: never logged.

    ``worksample`` is set when the question is a work-sample item:
    ``{item_id, kind, bank_version, seed, prompt}`` (the instance as shown).
    Time taken is ``answered_at - asked_at``: recorded and shown, never scored.
    """

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id"))
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("question_variants.id"))
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=AnswerStatus.ASKED)
    text: Mapped[str | None] = mapped_column(Text)
    follow_up_text: Mapped[str | None] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    follow_up_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    worksample: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    interview: Mapped[Interview] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship(lazy="joined")
    variant: Mapped[QuestionVariant] = relationship(lazy="joined")
    scores: Mapped[list[Score]] = relationship(back_populates="answer", order_by="Score.id", lazy="selectin")

    __table_args__ = (UniqueConstraint("interview_id", "position"),)

    @property
    def scored_text(self) -> str:
        """The text the scorer rates: the answer and the follow-up reply."""
        parts = [p for p in (self.text, self.follow_up_text) if p]
        return "\n".join(parts)

    @property
    def asked_text(self) -> str:
        """What the candidate was asked: the work-sample instance, or the wording variant."""
        if self.worksample and self.worksample.get("prompt"):
            return str(self.worksample["prompt"])
        return self.variant.text

    @property
    def seconds_taken(self) -> float | None:
        """Seconds from asking to the first reply (None until answered); shown, never scored."""
        if self.answered_at is None:
            return None
        return (self.answered_at - self.asked_at).total_seconds()


class Score(Base):
    """A rating of one answer on one competency under one rubric version.

    ``rating`` is 1-5, or None for "insufficient evidence". ``evidence`` is a
    list of ``{text, start, end, indicator, polarity, strength}`` with offsets
    into :attr:`Answer.scored_text`; ``flags`` the scorer's validity flags.
    """

    __tablename__ = "scores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id"))
    competency_id: Mapped[str] = mapped_column(ForeignKey("competencies.id"))
    rating: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"))
    scorer_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    answer: Mapped[Answer] = relationship(back_populates="scores")
    rubric_version: Mapped[RubricVersion] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("answer_id", "competency_id", "rubric_version_id", "scorer_version"),
        CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 5)", name="rating_range"),
    )

    @property
    def insufficient_evidence(self) -> bool:
        """True when the scorer found too little to rate."""
        return self.rating is None


class InterviewEvent(Base):
    """Something that happened in an interview (consent, skip, hand-off...).

    ``detail`` never holds answer text.
    """

    __tablename__ = "interview_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id"))
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    interview: Mapped[Interview] = relationship(back_populates="events")


class RequestKind(StrEnum):
    """What a candidate asked for in the chat (see :class:`CandidateRequest`)."""

    ACCESS = "access"  # a copy of their data (GDPR Art 15)
    ERASURE = "erasure"  # their data deleted (GDPR Art 17)
    REVIEW = "review"  # a person to review their result (GDPR Art 22(3), AI Act Art 86)
    ACCOMMODATION = "accommodation"  # another way to do the screening


class CandidateRequest(Base):
    """A request a candidate made in the chat, for recruiters to act on by ``due_at``.

    Only the kind and the times are kept, never the message's text; the
    interview is the one open (or last finished) when they asked, if any.
    """

    __tablename__ = "candidate_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("interviews.id"))
    kind: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("recruiters.id"))

    candidate: Mapped[Candidate] = relationship(lazy="joined")

    __table_args__ = (Index("ix_candidate_requests_open_due", "handled_at", "due_at"),)


class SelfIdentification(Base):
    """A candidate's voluntary self-identification, for the bias audit only.

    Given on the careers page after the interview (:mod:`bot.audit.selfid`).
    ``sex`` is one of :class:`bot.audit.categories.Sex` and
    ``race_ethnicity`` one of :class:`bot.audit.categories.RaceEthnicity`
    (EEO-1 categories); either may be ``decline``. One row per candidate: a
    new answer replaces the old one. Only :mod:`bot.audit` reads this table,
    and reports it only in aggregate; erasing the candidate deletes the row.
    """

    __tablename__ = "self_identifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), unique=True)
    sex: Mapped[str] = mapped_column(String(32))
    race_ethnicity: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- the recruiting web app --------------------------------------------------


class RecruiterRole(StrEnum):
    """What a recruiter account may do."""

    ADMIN = "admin"  # also manages accounts and reads the audit log
    RECRUITER = "recruiter"


class DecisionKind(StrEnum):
    """A recruiter's decision on an interview."""

    ADVANCE = "advance"
    HOLD = "hold"
    REJECT = "reject"


class Recruiter(Base):
    """A person who signs in to review interviews.

    ``password_hash`` is an Argon2id hash. Sessions issued before
    ``sessions_valid_after`` (set at sign-out) are refused.

    The second factor (:mod:`bot.web.second_factor`): ``totp_secret`` is the
    base32 TOTP secret, on while ``totp_enabled_at`` is set;
    ``totp_pending_secret`` the one shown on the enrolment page until a code
    confirms it; ``totp_last_step`` the 30-second time step of the last code
    accepted (a code of that step or an earlier one is refused). Both secrets
    are loaded only when read (deferred) and never logged or exported.
    """

    __tablename__ = "recruiters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=RecruiterRole.RECRUITER)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sessions_valid_after: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_secret: Mapped[str | None] = mapped_column(String(64), deferred=True)
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64), deferred=True)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("role IN ('admin', 'recruiter')", name="recruiter_role"),)

    @property
    def totp_enabled(self) -> bool:
        """Whether signing in takes a second step (a TOTP or recovery code)."""
        return self.totp_enabled_at is not None


class RecoveryCode(Base):
    """A one-time code that stands in for a TOTP code at sign-in.

    Ten are made when the second factor is turned on; only their Argon2id
    hashes are kept. ``used_at`` is set when one is used, and a used code is
    refused. Turning the second factor off or resetting it deletes them.
    """

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Invitation(Base):
    """A link that starts (and resumes) one named candidate's interview for a role.

    Only the SHA-256 of the link's token is stored. The link binds the
    candidate's conversation to the first browser that opens it
    (``bound_at``); after that it only works in that browser, and never after
    ``expires_at``.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"))
    role_id: Mapped[str] = mapped_column(ForeignKey("roles.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    bound_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    candidate: Mapped[Candidate] = relationship(lazy="joined")


class WebMessage(Base):
    """One message of a careers-page conversation, as our server passed it on.

    ``sender`` is ``candidate`` or ``bot``; ``buttons`` the quick replies of a
    bot message. Shown again when the candidate reloads the page.
    """

    __tablename__ = "web_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    sender: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class InterviewSummary(Base):
    """Cached competency profile of an interview, for sorting the list.

    Recomputed when the interview changed after ``computed_at`` and whenever
    a recruiter overrides a rating.
    """

    __tablename__ = "interview_summaries"

    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id"), primary_key=True)
    fit: Mapped[float | None] = mapped_column(Float, index=True)
    front_office: Mapped[float | None] = mapped_column(Float)
    back_office: Mapped[float | None] = mapped_column(Float)
    decision: Mapped[str | None] = mapped_column(String(16))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Decision(Base):
    """A recruiter's decision on an interview; the newest one stands."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id"), index=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id"))
    decision: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recruiter: Mapped[Recruiter] = relationship(lazy="joined")

    __table_args__ = (CheckConstraint("decision IN ('advance', 'hold', 'reject')", name="decision_kind"),)


class RatingOverride(Base):
    """A recruiter's rating replacing the scorer's for one score; the newest stands.

    The scorer's :class:`Score` row is never changed: ``original_rating``
    copies it, ``rating`` is the recruiter's (None: insufficient evidence).
    """

    __tablename__ = "rating_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    score_id: Mapped[int] = mapped_column(ForeignKey("scores.id"), index=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id"), index=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id"))
    original_rating: Mapped[int | None] = mapped_column(Integer)
    rating: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recruiter: Mapped[Recruiter] = relationship(lazy="joined")

    __table_args__ = (CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 5)", name="override_range"),)


class Note(Base):
    """A recruiter's note on an interview."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id"), index=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recruiter: Mapped[Recruiter] = relationship(lazy="joined")


class AuditEntry(Base):
    """One line of the append-only audit log: who did or viewed what, when.

    Rows are never updated or deleted by the application (the ORM refuses).
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    recruiter_id: Mapped[int | None] = mapped_column(ForeignKey("recruiters.id"))
    action: Mapped[str] = mapped_column(String(64))
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("interviews.id"), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _audit_is_append_only(_mapper: Any, _connection: Any, target: AuditEntry) -> None:
    raise PermissionError("the audit log is append-only")
