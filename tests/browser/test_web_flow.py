"""A candidate interviews on the careers page, then a recruiter reviews and decides.

Runs in headless Chromium against the real action and Rasa servers. Each
step leaves a screenshot in ``tests/artifacts``.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.base import utcnow
from bot.db.models import (
    Answer,
    AnswerStatus,
    Candidate,
    Decision,
    Interview,
    InterviewStatus,
    Invitation,
    RatingOverride,
)
from bot.web.recruiter import create_account
from bot.web.security import token_digest
from tests.e2e.answers import GOOD

pytestmark = pytest.mark.rasa

PASSWORD = "browser test password 1"
REPLY_TIMEOUT = 120_000


def invite(web_stack, name: str, role_id: str) -> tuple[str, str]:
    """An invitation made the way the recruiter page makes it; returns (path, conversation id)."""
    token = secrets.token_urlsafe(32)
    conversation_id = secrets.token_urlsafe(24)
    with web_stack.sessions.begin() as session:
        admin = create_account(session, f"inviter-{secrets.token_hex(3)}@example.org", "Inviter", PASSWORD, "admin")
        candidate = Candidate(
            conversation_id=conversation_id, channel="web", display_name=name, invited_role_id=role_id
        )
        session.add(candidate)
        session.flush()
        session.add(
            Invitation(
                token_hash=token_digest(token),
                candidate_id=candidate.id,
                role_id=role_id,
                created_by_id=admin.id,
                expires_at=utcnow() + timedelta(days=1),
            )
        )
    return f"/invite/{token}", conversation_id


def bot_count(page) -> int:
    return page.locator(".msg-bot").count()


def wait_reply(page, before: int) -> str:
    """Wait for the bot's answer to the last message; return the newest bot text."""
    page.wait_for_function(
        "n => document.querySelectorAll('.msg-bot').length > n && document.getElementById('typing').hidden",
        arg=before,
        timeout=REPLY_TIMEOUT,
    )
    return page.locator(".msg-bot .msg-text").last.inner_text()


def current_question(web_stack, conversation_id: str) -> str:
    with web_stack.sessions() as session:
        interview = session.scalars(
            select(Interview).join(Candidate).where(Candidate.conversation_id == conversation_id)
        ).first()
        answer = session.scalars(
            select(Answer).where(Answer.interview_id == interview.id, Answer.position == interview.position)
        ).first()
        return answer.question_id


@pytest.fixture(scope="module")
def completed(web_stack, browser, artifacts) -> dict:
    """An invited candidate completes a whole interview on the careers page."""
    path, conversation_id = invite(web_stack, "Grace <b>Hopper</b>", "cashier")
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(web_stack.base_url + path)
    assert page.url == web_stack.base_url + "/"
    assert "Welcome, Grace <b>Hopper</b>" in page.locator("h1").inner_text()
    assert page.locator("#log").get_attribute("aria-live") == "polite"
    # Keyboard only: Tab to the start button and press Enter.
    start = page.get_by_role("button", name="Start the screening")
    start.focus()
    before = bot_count(page)
    page.keyboard.press("Enter")
    consent = wait_reply(page, before)
    assert "automated screening assistant" in consent
    assert page.get_by_role("button", name="Yes, continue").is_visible()
    page.screenshot(path=str(artifacts / "careers-consent-phone.png"), full_page=False)
    before = bot_count(page)
    page.get_by_role("button", name="Yes, continue").click()
    wait_reply(page, before)
    texts = page.locator(".msg-bot .msg-text").all_inner_texts()
    assert any("There are 6 questions" in t for t in texts), texts  # the invited role: no role question
    assert texts[-1].startswith("Question 1 of 6")
    for number in range(1, 7):
        question_id = current_question(web_stack, conversation_id)
        box = page.get_by_label("Your message")
        box.fill(GOOD[question_id])
        before = bot_count(page)
        box.press("Enter")
        reply = wait_reply(page, before)
        if number < 6:
            assert page.locator(".msg-bot .msg-text").last.inner_text().startswith(f"Question {number + 1} of 6"), reply
    assert "thank you" in page.locator(".msg-bot .msg-text").last.inner_text().lower()
    page.screenshot(path=str(artifacts / "careers-completed-phone.png"), full_page=False)
    # A reload shows the same conversation, from our server's record.
    stored = ".msg-bot:not(.msg-local), .msg-candidate"
    count = page.locator(stored).count()
    page.reload()
    page.wait_for_function("([s, n]) => document.querySelectorAll(s).length >= n", arg=[stored, count])
    assert page.locator(stored).count() == count
    assert page.locator(".msg-candidate .msg-text").first.inner_text() == "hello"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "careers-desktop.png"), full_page=False)
    context.close()
    assert not errors, errors
    with web_stack.sessions() as session:
        interview = session.scalars(
            select(Interview).join(Candidate).where(Candidate.conversation_id == conversation_id)
        ).one()
        assert interview.status == InterviewStatus.COMPLETED and interview.role_id == "cashier"
        assert interview.channel == "web"
        answers = session.scalars(select(Answer).where(Answer.interview_id == interview.id)).all()
        assert len(answers) == 6 and all(a.status == AnswerStatus.ANSWERED for a in answers)
    return {"interview_id": interview.id}


def test_candidate_completes_an_interview(completed) -> None:
    assert completed["interview_id"]


def test_recruiter_reviews_overrides_decides_and_exports(web_stack, browser, artifacts, completed) -> None:
    interview_id = completed["interview_id"]
    with web_stack.sessions.begin() as session:
        create_account(session, "reviewer@example.org", "Rita Reviewer", PASSWORD, "recruiter")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(web_stack.base_url + "/recruiter/")
    assert "/recruiter/sign-in" in page.url
    page.get_by_label("Email").fill("reviewer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/recruiter/$"))
    row = page.locator("table.list tbody tr", has_text="Grace <b>Hopper</b>")
    assert row.count() == 1
    assert "Cashier" in row.inner_text() and "completed" in row.inner_text()
    page.screenshot(path=str(artifacts / "recruiter-list.png"), full_page=False)
    row.get_by_role("link").click()
    page.wait_for_url(re.compile(rf".*/recruiter/interviews/{interview_id}$"))
    assert page.locator("mark.ev").count() > 0  # evidence highlighted in the answers
    assert page.locator("svg.profile-chart").count() == 1
    assert "Fit for Cashier" in page.content()
    page.screenshot(path=str(artifacts / "recruiter-interview.png"), full_page=False)
    page.locator("section.rating").first.scroll_into_view_if_needed()
    page.locator("article.answer").first.screenshot(path=str(artifacts / "recruiter-interview-answer.png"))
    page.locator("section.profile").screenshot(path=str(artifacts / "recruiter-interview-profile.png"))
    # Override the first rating, with a reason.
    first = page.locator("section.rating").first
    first.locator("summary").click()
    first.get_by_label("New rating").select_option("2")
    first.get_by_label("Reason (required)").fill("Describes the steps but not the outcome")
    first.get_by_role("button", name="Save override").click()
    page.wait_for_url(re.compile(r".*saved=override.*"))
    assert "overridden" in page.locator("section.rating").first.inner_text()
    # Record a decision.
    page.get_by_label("advance").check()
    page.get_by_label("Comment (optional)").fill("Invite to an interview")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url(re.compile(r".*saved=decision.*"))
    assert "advance" in page.locator("dl.meta").inner_text()
    page.locator("#decision").screenshot(path=str(artifacts / "recruiter-decision.png"))
    # Export: JSON (a download) and the printable report.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export JSON").click()
    data = json.loads(open(download_info.value.path()).read())
    assert data["decisions"][-1]["decision"] == "advance"
    assert any(s["overrides"] for a in data["answers"] for s in a["scores"])
    page.get_by_role("link", name="Printable report").click()
    page.wait_for_url(re.compile(r".*/report$"))
    assert "Screening report" in page.locator("h1").inner_text()
    page.screenshot(path=str(artifacts / "recruiter-report.png"), full_page=False)
    context.close()
    with web_stack.sessions() as session:
        override = session.scalars(select(RatingOverride).where(RatingOverride.interview_id == interview_id)).one()
        assert override.rating == 2 and override.reason.startswith("Describes")
        assert session.scalars(select(Decision.decision).where(Decision.interview_id == interview_id)).all() == [
            "advance"
        ]


def test_uninvited_candidate_picks_a_role_and_a_new_tab_continues(web_stack, browser, artifacts) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.goto(web_stack.base_url + "/")
    before = bot_count(page)
    page.get_by_role("button", name="Start the screening").click()
    wait_reply(page, before)
    before = bot_count(page)
    page.get_by_role("button", name="Yes, continue").click()
    assert "Which job" in wait_reply(page, before)
    role_buttons = page.locator(".quick-reply")
    assert role_buttons.count() == 10
    before = bot_count(page)
    page.get_by_role("button", name="Receptionist").click()
    wait_reply(page, before)
    assert page.locator(".msg-bot .msg-text").last.inner_text().startswith("Question 1 of 6")
    assert page.locator(".msg-candidate .msg-text").last.inner_text() == "Receptionist"
    page.screenshot(path=str(artifacts / "careers-role-chosen.png"), full_page=False)
    # A new tab of the same browser continues the same interview.
    tab = context.new_page()
    tab.goto(web_stack.base_url + "/")
    tab.wait_for_function("() => document.querySelectorAll('.msg-bot').length >= 4")
    assert tab.locator(".msg-bot .msg-text").last.inner_text().startswith("Question 1 of 6")
    before = bot_count(tab)
    tab.get_by_label("Your message").fill("how many questions are left?")
    tab.get_by_role("button", name="Send").click()
    assert "of 6" in wait_reply(tab, before) or "to go" in tab.locator(".msg-bot .msg-text").last.inner_text()
    context.close()
    with web_stack.sessions() as session:
        interviews = session.scalars(
            select(Interview).join(Candidate).where(Candidate.channel == "web", Interview.role_id == "receptionist")
        ).all()
    assert len(interviews) == 1 and interviews[0].status == InterviewStatus.IN_PROGRESS
