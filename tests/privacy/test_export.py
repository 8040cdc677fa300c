"""Tests for :mod:`bot.privacy.export`: every category of data is in the export, and only the candidate's."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.db.base import utcnow
from bot.db.models import CandidateRequest, RequestKind
from bot.privacy.export import EXPORT_FORMAT, candidate_export, render_html
from bot.privacy.locations import DataLocations
from tests.privacy.conftest import OTHER_PHRASE, PHRASE, Written


def test_the_export_holds_every_category(loaded: sessionmaker[Session], full_candidate: Written, locations) -> None:
    with loaded.begin() as session:
        now = utcnow()
        session.add(
            CandidateRequest(
                candidate_id=full_candidate.candidate_id,
                interview_id=full_candidate.interview_id,
                kind=RequestKind.ERASURE,
                created_at=now,
                due_at=now + timedelta(days=30),
            )
        )
    with loaded() as session:
        data = candidate_export(session, full_candidate.candidate_id, locations.tracker_url)
    assert data is not None
    assert data["format"] == EXPORT_FORMAT
    candidate = data["candidate"]
    assert candidate["display_name"] == "Zelda Quokka"
    assert candidate["conversation_id"] == full_candidate.conversation_id
    assert candidate["invited_role"] == "cashier" and candidate["erased"] is False
    [interview] = data["interviews"]
    assert interview["id"] == full_candidate.interview_id
    assert interview["consent"] is True and interview["status"] == "completed"
    answers = interview["answers"]
    assert len(answers) == 3 and all(PHRASE in a["answer"] for a in answers)
    assert PHRASE in answers[0]["follow_up"] and answers[0]["probe"]
    scores = [s for a in answers for s in a["scores"]]
    assert len(scores) == 6
    assert any(e["text"] == PHRASE for s in scores for e in s["evidence"])
    assert all(s["rubric_version"] >= 1 and s["scorer_version"] == "test" for s in scores)
    [override] = [o for s in scores for o in s["overrides"]]
    assert override["rating"] == 4 and PHRASE in override["reason"] and override["by"] == "Rita Recruiter"
    assert interview["decisions"] == [
        {
            "decision": "advance",
            "comment": f"liked {PHRASE}",
            "by": "Rita Recruiter",
            "at": interview["decisions"][0]["at"],
        }
    ]
    assert [n["text"] for n in interview["notes"]] == [f"Zelda Quokka wrote {PHRASE}"]
    assert [e["kind"] for e in interview["events"]] == ["consent_given"]
    assert [m["sender"] for m in data["messages"]] == ["bot", "candidate"]
    assert PHRASE in data["messages"][1]["text"]
    [invitation] = data["invitations"]
    assert invitation["role"] == "cashier" and invitation["created_by"] == "Rita Recruiter"
    assert "token_hash" not in invitation
    [request] = data["requests"]
    assert (request["kind"], request["interview_id"], request["handled_at"]) == (
        "erasure",
        full_candidate.interview_id,
        None,
    )
    assert data["conversation_log_status"] == "read"
    assert [(e["type"], e["text"]) for e in data["conversation_log"]] == [
        ("user", f"my answer: {PHRASE}"),
        ("bot", "Thank you."),
    ]
    assert {(e["action"], e["interview_id"]) for e in data["audit"]} == {
        ("view_interview", full_candidate.interview_id),
        ("create_invitation", None),
    }
    text = json.dumps(data)
    assert OTHER_PHRASE not in text and "Otto Other" not in text


def test_no_such_candidate(loaded: sessionmaker[Session]) -> None:
    with loaded() as session:
        assert candidate_export(session, 123456) is None


def test_without_a_tracker_store_the_log_says_so(loaded: sessionmaker[Session], full_candidate: Written) -> None:
    with loaded() as session:
        data = candidate_export(session, full_candidate.candidate_id, None)
    assert data["conversation_log"] == [] and "not configured" in data["conversation_log_status"]


def test_the_page_shows_every_category_escaped(
    loaded: sessionmaker[Session], full_candidate: Written, locations: DataLocations
) -> None:
    with loaded() as session:
        data = candidate_export(session, full_candidate.candidate_id, locations.tracker_url)
    page = render_html(data)
    assert page.startswith("<!doctype html>")
    for expected in (
        "Zelda Quokka",
        "Identity and contact",
        f"Interview {full_candidate.interview_id}",
        f"liked {PHRASE}",
        f"Zelda Quokka wrote {PHRASE}",
        f"they said {PHRASE}, which counts",
        f"my answer: {PHRASE}",
        "Invitations (1)",
        "view interview",
        "create invitation",
    ):
        assert expected in page, expected
    assert "<script" not in page and "<style" not in page
