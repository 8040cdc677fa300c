"""Bad input gets a clear 4xx and loses nothing: never a 500 (``bot.web.app`` middlewares)."""

from __future__ import annotations

import gzip

import pytest

from tests.web.test_candidate import open_page, say

HUGE_ID = "9" * 25


@pytest.mark.parametrize(
    "path",
    [
        f"/recruiter/interviews/{HUGE_ID}",
        f"/recruiter/interviews/{HUGE_ID}/report",
        f"/recruiter/interviews/{HUGE_ID}/export.json",
        "/recruiter/?page=" + HUGE_ID,
        "/recruiter/audit?page=" + HUGE_ID,
    ],
)
async def test_ids_and_pages_beyond_64_bits_are_not_found_or_refused(recruiter_client, path: str) -> None:
    c, _ = recruiter_client
    response = await c.get(path)
    assert 400 <= response.status < 500, (path, response.status)


@pytest.mark.parametrize("field", ["decision", "override", "notes"])
async def test_posts_with_ids_beyond_64_bits_are_refused(recruiter_client, interview_id, field: str) -> None:
    c, csrf = recruiter_client
    data = {"csrf": csrf, "score_id": HUGE_ID, "rating": "3", "reason": "x", "text": "x", "decision": "advance"}
    response = await c.post(f"/recruiter/interviews/{interview_id}/{field}", data=data)
    assert response.status < 500, response.status
    response = await c.post(f"/recruiter/interviews/{HUGE_ID}/{field}", data=data)
    assert 400 <= response.status < 500


async def test_a_gzip_header_on_a_plain_body_is_a_400(client) -> None:
    token = await open_page(client)
    response = await client.post(
        "/api/chat",
        data=b'{"message": "hello"}',
        headers={"X-CSRF-Token": token, "Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert response.status == 400 and (await response.json())["error"] in ("malformed", "bad_request")


async def test_a_real_gzip_body_is_read(client, fake_rasa) -> None:
    token = await open_page(client)
    response = await client.post(
        "/api/chat",
        data=gzip.compress(b'{"message": "hello"}'),
        headers={"X-CSRF-Token": token, "Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert response.status == 200 and fake_rasa.received[-1]["message"] == "hello"


async def test_deeply_nested_json_is_a_400(client) -> None:
    token = await open_page(client)
    body = '{"message": ' + "[" * 30000 + "]" * 30000 + "}"
    response = await client.post(
        "/api/chat", data=body, headers={"X-CSRF-Token": token, "Content-Type": "application/json"}
    )
    assert response.status == 400 and (await response.json())["error"] == "malformed"


async def test_a_lone_surrogate_is_a_400_and_nothing_is_passed_on(client, fake_rasa) -> None:
    token = await open_page(client)
    response = await client.post(
        "/api/chat",
        data=b'{"message": "I would \\ud800 listen"}',
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    assert response.status == 400 and (await response.json())["error"] == "malformed"
    assert fake_rasa.received == []
    assert (await say(client, token, "I would listen")).status == 200


async def test_a_huge_multipart_sign_in_is_a_413(client) -> None:
    page = await client.get("/recruiter/sign-in")
    assert page.status == 200
    import aiohttp

    form = aiohttp.FormData()
    form.add_field("email", "a@example.org")
    form.add_field("password", "x" * (10 * 1024 * 1024), filename="p.txt")
    response = await client.post("/recruiter/sign-in", data=form)
    assert response.status == 413
