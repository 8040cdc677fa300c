"""The work-sample bank as shipped."""

from __future__ import annotations

import pytest

from bot.worksamples import WorkSampleBank, read_worksamples


@pytest.fixture(scope="session")
def ws_bank() -> WorkSampleBank:
    return read_worksamples()
