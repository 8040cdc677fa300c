"""Tests for :mod:`bot.db.migrate`: the Alembic migrations build the models' schema.

Each test runs on a database that has never been migrated: a new SQLite file
and a new PostgreSQL database (see ``fresh_engine`` in ``conftest.py``).
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select, text

from bot.db.base import Base
from bot.db.migrate import alembic_config, upgrade
from bot.db.models import Competency


def _head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _schema(engine: Engine) -> dict[str, list[tuple[str, str, bool]]]:
    inspector = inspect(engine)
    return {
        table: sorted((c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table))
        for table in sorted(inspector.get_table_names())
    }


def _differences(engine: Engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_fresh_database_has_no_tables(fresh_engine: Engine) -> None:
    assert inspect(fresh_engine).get_table_names() == []


def test_upgrade_creates_every_table(fresh_engine: Engine) -> None:
    upgrade(fresh_engine)
    tables = set(inspect(fresh_engine).get_table_names())
    assert tables == set(Base.metadata.tables) | {"alembic_version"}
    core = {"competencies", "roles", "role_weights", "questions", "question_variants", "rubric_versions"}
    core |= {"candidates", "interviews", "answers", "scores", "interview_events"}
    assert core <= tables
    with fresh_engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [_head()]


def test_migrated_schema_matches_the_models(fresh_engine: Engine) -> None:
    upgrade(fresh_engine)
    assert _differences(fresh_engine) == []


def test_models_differ_from_an_empty_database(fresh_engine: Engine) -> None:
    # The comparison used above does see a missing schema.
    added = {diff[1].name for diff in _differences(fresh_engine) if diff[0] == "add_table"}
    assert added == set(Base.metadata.tables)


def test_upgrade_twice_is_a_no_op(fresh_engine: Engine) -> None:
    upgrade(fresh_engine)
    with fresh_engine.begin() as conn:
        conn.execute(
            Competency.__table__.insert().values(
                id="numeracy",
                name="Numbers",
                family="back_office",
                definition="d",
                indicators_for=[],
                indicators_against=[],
            )
        )
    schema = _schema(fresh_engine)
    upgrade(fresh_engine)
    assert _schema(fresh_engine) == schema
    assert _differences(fresh_engine) == []
    with fresh_engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [_head()]
        assert conn.execute(select(Competency.__table__.c.name)).scalars().all() == ["Numbers"]


def test_named_constraints_and_index_exist(fresh_engine: Engine) -> None:
    upgrade(fresh_engine)
    names = {c["name"] for c in inspect(fresh_engine).get_check_constraints("scores")}
    assert "ck_scores_rating_range" in names
    unique = {tuple(u["column_names"]) for u in inspect(fresh_engine).get_unique_constraints("scores")}
    assert ("answer_id", "competency_id", "rubric_version_id", "scorer_version") in unique
    indexes = {i["name"]: i["column_names"] for i in inspect(fresh_engine).get_indexes("interviews")}
    assert indexes["ix_interviews_status_started"] == ["status", "started_at"]
