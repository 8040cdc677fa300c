"""Settings read from the environment.

| variable        | default                                  |
|-----------------|------------------------------------------|
| ``DATABASE_URL``| ``sqlite:///<project>/var/screener.db``  |
| ``BANK_DIR``    | ``<project>/data/bank``                  |
| ``SCREENER_VAR_DIR`` | ``<project>/var``                   |
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
#: Files our processes create (databases, trackers, tokens, logs) are for their owner only.
PRIVATE_UMASK = 0o077
#: Runtime state: the SQLite database, Rasa's trackers, logs (``SCREENER_VAR_DIR``).
VAR_DIR = Path(os.environ.get("SCREENER_VAR_DIR", PROJECT_DIR / "var"))


def database_url() -> str:
    """The SQLAlchemy URL of the screener database.

    ``DATABASE_URL`` wins; a ``postgresql://`` URL is mapped to the psycopg 3
    driver. Without it, a SQLite file in ``var/`` (created on demand).
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'screener.db'}"


def bank_dir() -> Path:
    """The question bank folder (``BANK_DIR`` or ``data/bank``)."""
    return Path(os.environ.get("BANK_DIR", PROJECT_DIR / "data" / "bank"))
