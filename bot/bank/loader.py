"""Load the YAML bank into the database, idempotently and with versions."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.bank.files import Bank
from bot.db.models import Competency, Question, QuestionVariant, Role, RoleWeight, RubricVersion

log = logging.getLogger(__name__)


@dataclass
class LoadReport:
    """What a load changed.

    Attributes:
        competencies: Competencies created or updated.
        roles: Roles created or updated.
        questions: Questions created or updated (wording, probe, purpose).
        new_rubric_versions: ``(question_id, version)`` of each rubric version
            made by this load; empty when no rubric changed.
    """

    competencies: int = 0
    roles: int = 0
    questions: int = 0
    new_rubric_versions: list[tuple[str, int]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the load wrote anything."""
        return bool(self.competencies or self.roles or self.questions or self.new_rubric_versions)


def _assign(row: object, values: dict[str, object]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def load_bank(session: Session, bank: Bank) -> LoadReport:
    """Write ``bank`` into the database; commit is left to the caller.

    Competencies, roles and questions are upserted by id. A question's rubric
    gets a new :class:`RubricVersion` only when its content hash differs from
    the newest version's, so loading the same bank twice changes nothing and
    scores made under an older version keep pointing at it.

    Args:
        session: An open session.
        bank: The parsed bank (see :func:`bot.bank.files.read_bank`).

    Returns:
        A :class:`LoadReport` of what changed.
    """
    report = LoadReport()
    for spec in bank.competencies.values():
        row = session.get(Competency, spec.id) or Competency(id=spec.id)
        is_new = row not in session
        values = {
            "name": spec.name,
            "family": spec.family,
            "definition": spec.definition,
            "indicators_for": list(spec.indicators_for),
            "indicators_against": list(spec.indicators_against),
        }
        if _assign(row, values) or is_new:
            session.add(row)
            report.competencies += 1
    session.flush()

    for spec in bank.roles.values():
        role = session.get(Role, spec.id) or Role(id=spec.id)
        is_new = role not in session
        changed = _assign(role, {"name": spec.name, "family": spec.family, "aliases": list(spec.aliases)})
        current = {w.competency_id: w for w in role.weights}
        for competency_id, weight in spec.weights.items():
            existing = current.pop(competency_id, None)
            if existing is None:
                role.weights.append(RoleWeight(competency_id=competency_id, weight=weight))
                changed = True
            elif abs(existing.weight - weight) > 1e-12:
                existing.weight = weight
                changed = True
        for stale in current.values():
            role.weights.remove(stale)
            changed = True
        if changed or is_new:
            session.add(role)
            report.roles += 1
    session.flush()

    for spec in bank.questions.values():
        question = session.get(Question, spec.id) or Question(id=spec.id)
        is_new = question not in session
        changed = _assign(
            question,
            {
                "family": spec.family,
                "primary_competency_id": spec.primary,
                "secondary_competency_id": spec.secondary,
                "purpose": spec.purpose,
                "probe": spec.probe,
            },
        )
        by_position = {v.position: v for v in question.variants}
        for position, text in enumerate(spec.variants):
            variant = by_position.get(position)
            if variant is None:
                question.variants.append(QuestionVariant(position=position, text=text))
                changed = True
            elif variant.text != text or not variant.active:
                # Answers point at variants, so a variant is reworded in place.
                variant.text = text
                variant.active = True
                changed = True
        for position, variant in by_position.items():
            if position >= len(spec.variants) and variant.active:
                variant.active = False  # kept for the answers that used it
                changed = True
        if changed or is_new:
            session.add(question)
            report.questions += 1
        session.flush()

        digest = spec.rubric_hash()
        newest = session.scalars(
            select(RubricVersion)
            .where(RubricVersion.question_id == spec.id)
            .order_by(RubricVersion.version.desc())
            .limit(1)
        ).first()
        if newest is None or newest.content_hash != digest:
            version = 1 if newest is None else newest.version + 1
            session.add(RubricVersion(question_id=spec.id, version=version, content_hash=digest, rubric=spec.rubric))
            report.new_rubric_versions.append((spec.id, version))
    session.flush()
    log.info(
        "bank loaded: %d competencies, %d roles, %d questions changed; %d new rubric versions",
        report.competencies,
        report.roles,
        report.questions,
        len(report.new_rubric_versions),
    )
    return report
