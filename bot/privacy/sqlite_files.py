"""Rewriting SQLite files so that deleted rows leave no bytes behind.

SQLite marks a deleted row's space as free but keeps its bytes in the page
(and in free pages) until they are reused; in WAL mode the write-ahead log
also still holds earlier copies of the pages. :func:`scrub` rebuilds the file
(``VACUUM``), then copies the log into it and truncates the log
(``wal_checkpoint(TRUNCATE)``), so a deleted text is in no byte of the
database, its ``-wal`` or its ``-journal`` file.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path


class ScrubError(RuntimeError):
    """The write-ahead log could not be emptied (a reader kept it busy)."""


def sqlite_path(url: str | None) -> Path | None:
    """The file of a ``sqlite:///`` SQLAlchemy URL; None for other databases and in-memory SQLite."""
    if not url or not url.startswith("sqlite"):
        return None
    path = url.split(":///", 1)[1] if ":///" in url else ""
    path = path.split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path)


def scrub(path: Path, attempts: int = 20, wait: float = 0.25) -> None:
    """Rebuild one SQLite file and empty its write-ahead log.

    Args:
        path: The database file (nothing happens when it does not exist).
        attempts: Tries of the log checkpoint while readers keep it busy.
        wait: Seconds between tries.

    Raises:
        ScrubError: The log was still busy after ``attempts`` tries.
        sqlite3.Error: The file cannot be rebuilt (say, locked for longer than
            the 30-second busy timeout).
    """
    if not path.exists():
        return
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("VACUUM")
        for _ in range(attempts):
            busy, _log_frames, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return
            time.sleep(wait)
        raise ScrubError(f"the write-ahead log of {path.name} stayed busy; run the erasure again")
    finally:
        conn.close()
