"""Action-server replies are validated with a validator built once, and bad replies are still refused."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot.servers import rasa_bin
from tests.conftest import PROJECT

pytestmark = pytest.mark.rasa
WORKER = Path(__file__).with_name("reply_schema_worker.py")


def test_replies_are_validated_without_rebuilding_the_validator_and_bad_ones_refused() -> None:
    python = rasa_bin().with_name("python")
    out = subprocess.run(
        [str(python), str(WORKER)],
        cwd=PROJECT,
        env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["installed"] is True
    assert result["valid"] is True
    assert result["builds"] == 0, "jsonschema.validate (which rebuilds the validator) is not called per reply"
    assert result["refused"] is not None and "Failed to validate Action server response" in result["refused"]


def test_the_patch_names_the_rasa_version_it_was_made_for() -> None:
    from bot.rasa_ext import reply_schema

    pinned = next(
        line.split("==")[1].strip()
        for line in (PROJECT / "requirements" / "rasa.lock").read_text().splitlines()
        if line.lower().startswith("rasa==")
    )
    assert pinned in reply_schema.SUPPORTED
