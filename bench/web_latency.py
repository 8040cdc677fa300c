"""Latency of the web app: the recruiters' list and interview pages, and the chat hop.

Measures, on this machine:

* the interview list (default page, filtered by role, sorted by fit, a deep
  page) and the interview page, p50/p95 in ms, with 10,000 interviews (six
  scored answers each) in the database, on SQLite and on PostgreSQL; and the
  first list load, which computes the cached profile of every interview;
* the extra latency per chat turn that our server's hop adds: the same turn
  sent straight to a Rasa REST channel and through ``POST /api/chat``
  (against a stub channel that answers at once, which isolates our server's
  share; with ``--rasa``, also against the real Rasa and action servers).

Usage::

    .venv/bin/python bench/web_latency.py [--interviews 10000] [--requests 60] [--rasa] [--json OUT]

Requests go over loopback HTTP to the app running in this process
(``aiohttp.test_utils.TestServer``), signed in as a recruiter.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402
from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from bot.bank import read_bank  # noqa: E402
from bot.bank.loader import load_bank  # noqa: E402
from bot.db import create_engine_for, make_session_factory  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.db.models import Answer, Candidate, Interview, Question, Role, Score  # noqa: E402
from bot.web.app import create_app  # noqa: E402
from bot.web.recruiter import create_account  # noqa: E402
from bot.web.settings import WebSettings  # noqa: E402

PASSWORD = "bench password 123"
ADMIN_PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pct(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def seed(sessions: Any, count: int) -> int:
    """Insert ``count`` completed interviews, six scored answers each; return one interview id."""
    with sessions.begin() as session:
        load_bank(session, read_bank(PROJECT / "data" / "bank"))
    with sessions() as session:
        roles = [r.id for r in session.scalars(select(Role))]
        questions = list(session.scalars(select(Question).order_by(Question.id)))
        qinfo = [
            (q.id, q.variants[0].id, q.primary_competency_id, q.secondary_competency_id, q.current_rubric.id)
            for q in questions
        ]
    text_ = (
        "I'd stay calm and listen, apologise, check the order and the tracking, offer a replacement or a "
        "refund, and call them back tomorrow to make sure it is sorted."
    )
    start = datetime(2026, 1, 1, tzinfo=UTC)
    engine = sessions.kw["bind"]
    batch = 1000
    next_answer = 1
    with engine.begin() as conn:
        for base in range(0, count, batch):
            n = min(batch, count - base)
            cands, ivs, answers, scores = [], [], [], []
            for i in range(base, base + n):
                at = start + timedelta(minutes=17 * i)
                cands.append(
                    {
                        "id": i + 1,
                        "conversation_id": secrets.token_urlsafe(18),
                        "channel": "web",
                        "display_name": f"Candidate {i:05d}",
                        "created_at": at,
                    }
                )
                plan = [qinfo[(i + k) % len(qinfo)] for k in range(6)]
                ivs.append(
                    {
                        "id": i + 1,
                        "candidate_id": i + 1,
                        "role_id": roles[i % len(roles)],
                        "channel": "web",
                        "status": "completed" if i % 7 else "in_progress",
                        "consent": True,
                        "consent_at": at,
                        "plan": [p[0] for p in plan],
                        "position": 6,
                        "started_at": at,
                        "finished_at": at + timedelta(minutes=14),
                        "updated_at": at + timedelta(minutes=14),
                    }
                )
                for pos, (qid, vid, primary, secondary, rubric) in enumerate(plan):
                    aid = next_answer
                    next_answer += 1
                    answers.append(
                        {
                            "id": aid,
                            "interview_id": i + 1,
                            "question_id": qid,
                            "variant_id": vid,
                            "position": pos,
                            "status": "answered",
                            "text": text_,
                            "asked_at": at + timedelta(minutes=2 * pos),
                            "answered_at": at + timedelta(minutes=2 * pos + 1),
                        }
                    )
                    for k, comp in enumerate((primary, secondary)):
                        scores.append(
                            {
                                "answer_id": aid,
                                "competency_id": comp,
                                "rating": 1 + (i + pos + k) % 5,
                                "evidence": [
                                    {
                                        "text": "stay calm",
                                        "start": 4,
                                        "end": 13,
                                        "indicator": "calm",
                                        "polarity": "for",
                                        "strength": 1.0,
                                    }
                                ],
                                "flags": [],
                                "rubric_version_id": rubric,
                                "scorer_version": "bench",
                                "created_at": at,
                            }
                        )
            conn.execute(insert(Candidate), cands)
            conn.execute(insert(Interview), ivs)
            conn.execute(insert(Answer), answers)
            conn.execute(insert(Score), scores)
        if engine.dialect.name == "postgresql":
            for table in ("candidates", "interviews", "answers", "scores"):
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
            conn.execute(text("ANALYZE"))
    with sessions.begin() as session:
        create_account(session, "bench@example.org", "Bench", PASSWORD, "recruiter")
    return count // 2


async def sign_in(client: TestClient) -> None:
    """Sign the client in through the form."""
    import re

    page = await (await client.get("/recruiter/sign-in")).text()
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    response = await client.post(
        "/recruiter/sign-in",
        data={"csrf": token, "email": "bench@example.org", "password": PASSWORD},
        allow_redirects=False,
    )
    assert response.status == 303, response.status


async def timed(client: TestClient, path: str, n: int) -> dict[str, float]:
    """p50/p95 (ms) of ``n`` GETs of ``path`` after two warm-up requests."""
    for _ in range(2):
        assert (await client.get(path)).status == 200, path
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = await client.get(path)
        await response.read()
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status == 200
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(pct(times, 95), 1)}


async def bench_pages(url: str, count: int, n: int) -> dict[str, Any]:
    """Seed a database at ``url`` and time the recruiter pages."""
    engine = create_engine_for(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    t0 = time.perf_counter()
    interview_id = seed(sessions, count)
    seeded = time.perf_counter() - t0
    settings = WebSettings(secret=secrets.token_urlsafe(32), rasa_url="http://127.0.0.1:9/none")
    app = create_app(settings, sessions=sessions, migrate=False)
    result: dict[str, Any] = {"interviews": count, "seed_s": round(seeded, 1)}
    async with TestClient(TestServer(app)) as client:
        await sign_in(client)
        t0 = time.perf_counter()  # the first load computes every interview's cached profile
        assert (await client.get("/recruiter/")).status == 200
        result["first_list_load_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        result["list_default"] = await timed(client, "/recruiter/", n)
        result["list_role_filter"] = await timed(client, "/recruiter/?role=cashier&status=completed", n)
        result["list_sorted_by_fit"] = await timed(client, "/recruiter/?sort=fit&dir=desc", n)
        result["list_page_150"] = await timed(client, "/recruiter/?page=150", n)
        result["interview_page"] = await timed(client, f"/recruiter/interviews/{interview_id}", n)
    engine.dispose()
    return result


async def bench_hop(rasa_url: str, n: int, label: str, channel_token: str = "") -> dict[str, Any]:
    """Per-turn latency straight to ``rasa_url`` and through our ``/api/chat``."""
    import re

    tmp = tempfile.mkdtemp()
    engine = create_engine_for(f"sqlite:///{tmp}/hop.db")
    upgrade(engine)
    sessions = make_session_factory(engine)
    settings = WebSettings(
        secret=secrets.token_urlsafe(32), rasa_url=rasa_url, rate_messages=10_000, channel_token=channel_token
    )
    app = create_app(settings, sessions=sessions, migrate=False)
    direct, proxied = [], []
    headers = {"Authorization": f"Bearer {channel_token}"} if channel_token else None
    async with TestClient(TestServer(app)) as client, aiohttp.ClientSession(headers=headers) as raw:
        for i in range(n + 2):
            sender = f"bench-{secrets.token_hex(6)}"
            t0 = time.perf_counter()
            async with raw.post(rasa_url, json={"sender": sender, "message": "hello"}) as r:
                await r.read()
            if i >= 2:
                direct.append((time.perf_counter() - t0) * 1000)
            client.session.cookie_jar.clear()
            page = await (await client.get("/")).text()
            token = re.search(r'data-csrf="([^"]+)"', page).group(1)
            t0 = time.perf_counter()
            r = await client.post("/api/chat", json={"message": "hello"}, headers={"X-CSRF-Token": token})
            await r.read()
            assert r.status == 200, await r.text()
            if i >= 2:
                proxied.append((time.perf_counter() - t0) * 1000)
    engine.dispose()
    d50, p50 = statistics.median(direct), statistics.median(proxied)
    return {
        "against": label,
        "direct_p50_ms": round(d50, 1),
        "direct_p95_ms": round(pct(direct, 95), 1),
        "via_web_p50_ms": round(p50, 1),
        "via_web_p95_ms": round(pct(proxied, 95), 1),
        "added_p50_ms": round(p50 - d50, 1),
        "added_p95_ms": round(pct(proxied, 95) - pct(direct, 95), 1),
    }


async def stub_rasa() -> tuple[web.AppRunner, str]:
    """A REST channel stand-in that answers at once."""

    async def handle(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response(
            [
                {
                    "recipient_id": body["sender"],
                    "text": "Hello! Do you agree?",
                    "buttons": [{"title": "Yes", "payload": "/affirm"}],
                }
            ]
        )

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/webhooks/rest/webhook"


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    """Run every measurement; return the figures by backend and hop."""
    results: dict[str, Any] = {}
    tmp = tempfile.mkdtemp()
    print(f"SQLite, {args.interviews} interviews ...", flush=True)
    results["sqlite"] = await bench_pages(f"sqlite:///{tmp}/bench.db", args.interviews, args.requests)
    print(json.dumps(results["sqlite"]), flush=True)
    name = f"screener_bench_{secrets.token_hex(4)}"
    admin = create_engine(ADMIN_PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        print(f"PostgreSQL, {args.interviews} interviews ...", flush=True)
        results["postgresql"] = await bench_pages(
            ADMIN_PG_URL.rsplit("/", 1)[0] + f"/{name}", args.interviews, args.requests
        )
        print(json.dumps(results["postgresql"]), flush=True)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    runner, url = await stub_rasa()
    results["hop_stub"] = await bench_hop(url, args.requests, "stub REST channel (answers at once)")
    await runner.cleanup()
    print(json.dumps(results["hop_stub"]), flush=True)
    if args.rasa:
        results["hop_rasa"] = await bench_hop_real(args.requests)
        print(json.dumps(results["hop_rasa"]), flush=True)
    return results


async def bench_hop_real(n: int) -> dict[str, Any]:
    """The hop against the real Rasa and action servers (started here)."""
    import socket

    from bot.bank import read_bank as _read
    from bot.cli.common import migrated_sessions
    from bot.servers import ServerSettings, rest_url, start_action_server, start_rasa_server

    def free() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    root = Path(tempfile.mkdtemp())
    url = f"sqlite:///{root / 'screener.db'}"
    with migrated_sessions(url).begin() as session:
        load_bank(session, _read(PROJECT / "data" / "bank"))
    settings = ServerSettings(
        rasa_port=free(),
        action_port=free(),
        database_url=url,
        tracker_db=root / "t.db",
        log_dir=root / "logs",
        extra_env={"SCREENER_WARM": "1"},
    )
    servers = [start_action_server(settings)]
    try:
        servers[0].wait_ready(300)
        servers.append(start_rasa_server(settings))
        servers[1].wait_ready(300)
        token = settings.environment()["CHANNEL_TOKEN"]
        return await bench_hop(rest_url(settings), n, "real Rasa + action servers", token)
    finally:
        for s in reversed(servers):
            s.stop()


def main() -> None:
    """Run the benchmark and print (and optionally save) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--interviews", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--rasa", action="store_true", help="also measure the hop against the real Rasa")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    results = asyncio.run(main_async(args))
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
