"""The Rasa project itself: its data validates and its conversation tests pass.

``tests/rasa/test_stories.yml`` holds the conversation tests (happy paths per
family, every interruption mid-form, the follow-up probe, declined consent,
skip, withdraw). They run with ``--e2e``, so the NLU model's intents and
entities are checked along with every predicted action.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT, run_rasa

pytestmark = pytest.mark.rasa


def test_rasa_data_validates_without_warnings() -> None:
    result = run_rasa(
        "data",
        "validate",
        "--fail-on-warnings",
        "--data",
        "data/rasa",
        "--domain",
        "domain.yml",
        "--config",
        "config.yml",
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_every_custom_action_of_the_domain_is_served() -> None:
    """An action missing from the domain is silently never called (validate_<form> included)."""
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    domain = yaml.safe_load((PROJECT / "domain.yml").read_text())
    served = set(executor.actions)
    assert served == set(domain["actions"])
    for form in domain["forms"]:
        assert f"validate_{form}" in domain["actions"]


def test_conversation_stories_pass(rasa_model: Path, tmp_path: Path) -> None:
    result = run_rasa(
        "test",
        "core",
        "--e2e",
        "--model",
        str(rasa_model),
        "--stories",
        "tests/rasa/test_stories.yml",
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    failed = (tmp_path / "failed_test_stories.yml").read_text()
    assert "None of the test stories failed" in failed, failed
    report = yaml.safe_load((tmp_path / "story_report.json").read_text())
    stories = yaml.safe_load((PROJECT / "tests" / "rasa" / "test_stories.yml").read_text())["stories"]
    assert report["conversation_accuracy"]["total"] == len(stories) >= 15
    assert report["conversation_accuracy"]["correct"] == len(stories)
