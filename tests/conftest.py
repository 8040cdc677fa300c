"""Shared fixtures: real databases (SQLite and PostgreSQL), the bank, the scorer.

Every test that takes ``sessions`` runs twice, once on a SQLite file and once
on a PostgreSQL database made for the test run (``TEST_POSTGRES_URL``,
default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``: a fresh
database is created next to it and dropped at the end). Set
``SKIP_POSTGRES=1`` to run on SQLite alone.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.bank import Bank, read_bank
from bot.bank.loader import load_bank
from bot.db import create_engine_for, make_session_factory
from bot.db.base import Base
from bot.db.migrate import upgrade
from bot.interview import InterviewService

PROJECT = Path(__file__).resolve().parents[1]
ADMIN_PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite"] + ([] if os.environ.get("SKIP_POSTGRES") == "1" else ["postgresql"])


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a PostgreSQL database created for this test run."""
    name = f"screener_test_{secrets.token_hex(4)}"
    admin = create_engine(ADMIN_PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = ADMIN_PG_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def engines(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> dict[str, Engine]:
    """One migrated engine per backend, made on first use."""
    return {}


def _engine_for(backend: str, engines: dict[str, Engine], tmp_path_factory, request) -> Engine:
    if backend not in engines:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'screener.db'}"
        else:
            url = request.getfixturevalue("postgres_url")
        engine = create_engine_for(url)
        upgrade(engine)
        engines[backend] = engine
    return engines[backend]


@pytest.fixture(params=BACKENDS)
def engine(request, engines, tmp_path_factory) -> Iterator[Engine]:
    """A migrated, empty database engine (SQLite, then PostgreSQL)."""
    eng = _engine_for(request.param, engines, tmp_path_factory, request)
    yield eng
    with eng.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """A session factory on the empty test database."""
    return make_session_factory(engine)


@pytest.fixture(scope="session")
def bank() -> Bank:
    """The project's question bank, read from data/bank."""
    return read_bank(PROJECT / "data" / "bank")


@pytest.fixture
def loaded(sessions: sessionmaker[Session], bank: Bank) -> sessionmaker[Session]:
    """The test database with the bank loaded."""
    with sessions.begin() as session:
        load_bank(session, bank)
    return sessions


@pytest.fixture(scope="session")
def scorer():
    """The real scorer (loads the embedding model once per run)."""
    from bot.scoring import Scorer

    return Scorer()


@pytest.fixture
def service(loaded: sessionmaker[Session], scorer) -> InterviewService:
    """An interview service on the loaded test database with the real scorer."""
    return InterviewService(loaded, scorer=scorer)


# --- Rasa ------------------------------------------------------------------

RASA_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
}
RASA_TRAINING_FILES = [
    PROJECT / "domain.yml",
    PROJECT / "config.yml",
    *sorted((PROJECT / "data" / "rasa").glob("*.yml")),
]


def run_rasa(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run the Rasa command line of .venv-rasa in the project folder."""
    from bot.servers import rasa_bin

    return subprocess.run(
        [str(rasa_bin()), *args],
        cwd=PROJECT,
        env={**os.environ, **RASA_ENV},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def rasa_model() -> Path:
    """The trained model, trained first when the training data is newer."""
    from bot.servers import MODEL_PATH

    newest = max(p.stat().st_mtime for p in RASA_TRAINING_FILES)
    if not MODEL_PATH.exists() or MODEL_PATH.stat().st_mtime < newest:
        result = run_rasa(
            "train",
            "--data",
            "data/rasa",
            "--domain",
            "domain.yml",
            "--config",
            "config.yml",
            "--out",
            str(MODEL_PATH.parent),
            "--fixed-model-name",
            "screener",
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        MODEL_PATH.touch()
    return MODEL_PATH
