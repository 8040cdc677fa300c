"""The recruiter app's candidate-rights pages: export a candidate's data, erase a candidate.

Routes (all under ``/recruiter/candidates/{id}``, ``id`` a candidate id):

* ``GET /export`` everything held about the candidate, as a readable page;
* ``GET /export.json`` the same as a JSON download;
* ``GET /erase`` (admin) what erasure removes, and the form: a reason and a
  confirmation box;
* ``POST /erase`` (admin, CSRF) erase (:func:`bot.privacy.erase.erase_candidate`).

Exports are written to the audit log (``export_candidate``); an erasure
leaves its tombstone there (``erase_candidate``).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import Answer, Candidate, Interview
from bot.privacy.erase import MAX_REASON, CandidateNotFound, erase_candidate
from bot.privacy.export import candidate_export, is_erased, render_html
from bot.privacy.locations import data_locations
from bot.web import audit
from bot.web.app import SESSIONS, db
from bot.web.recruiter import ACCOUNT, FORM, Account, _context, path_id, signed_in


async def _export(request: web.Request, fmt: str) -> dict[str, Any]:
    candidate_id = path_id(request)
    account: Account = request[ACCOUNT]
    tracker_url = (await asyncio.to_thread(data_locations)).tracker_url

    def load(session: Session) -> dict[str, Any] | None:
        data = candidate_export(session, candidate_id, tracker_url)
        if data is not None:
            audit.record(session, account.id, "export_candidate", candidate_id=candidate_id, format=fmt, via="web")
        return data

    data = await db(request, load, write=True)
    if data is None:
        raise web.HTTPNotFound(text="There is no such candidate.")
    return data


@signed_in()
async def export_page(request: web.Request) -> web.Response:
    """Everything held about the candidate, as a page."""
    data = await _export(request, "html")
    return web.Response(text=render_html(data), content_type="text/html", charset="utf-8")


@signed_in()
async def export_json(request: web.Request) -> web.Response:
    """Everything held about the candidate, as a JSON download."""
    data = await _export(request, "json")
    response = web.json_response(data, dumps=lambda d: json.dumps(d, ensure_ascii=False, indent=2))
    response.headers["Content-Disposition"] = f'attachment; filename="candidate-{data["candidate"]["id"]}.json"'
    return response


def _summary(session: Session, candidate_id: int) -> dict[str, Any] | None:
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        return None
    interviews = list(session.scalars(select(Interview.id).where(Interview.candidate_id == candidate_id)))
    answers = session.scalar(select(func.count(Answer.id)).where(Answer.interview_id.in_(interviews))) or 0
    return {
        "id": candidate.id,
        "name": candidate.display_name,
        "erased": is_erased(candidate),
        "interviews": interviews,
        "answers": answers,
    }


@signed_in(admin=True)
async def erase_form(request: web.Request) -> web.Response:
    """The confirmation step: what will be removed, a reason, a confirmation box (admins only)."""
    candidate_id = path_id(request)
    summary = await db(request, lambda s: _summary(s, candidate_id))
    if summary is None:
        raise web.HTTPNotFound(text="There is no such candidate.")
    return aiohttp_jinja2.render_template(
        "candidate_erase.html",
        request,
        _context(request, candidate=summary, report=None, error=None, max_reason=MAX_REASON),
    )


@signed_in(admin=True)
async def erase(request: web.Request) -> web.Response:
    """Erase the candidate (admins only; a reason and the confirmation box are required)."""
    candidate_id = path_id(request)
    form = request[FORM]
    account: Account = request[ACCOUNT]
    reason = str(form.get("reason", "") or "").strip()
    error = None
    if form.get("confirm") != "yes":
        error = "Tick the box to confirm that the candidate's data is to be erased."
    elif not reason:
        error = "Give a reason for the erasure (it is kept in the audit log)."
    elif len(reason) > MAX_REASON:
        error = f"The reason is longer than {MAX_REASON} characters."
    report = None
    if error is None:
        try:
            locations = await asyncio.to_thread(data_locations)
            report = await asyncio.to_thread(
                erase_candidate, request.app[SESSIONS], candidate_id, reason, account.id, None, locations
            )
        except CandidateNotFound:
            raise web.HTTPNotFound(text="There is no such candidate.") from None
    summary = await db(request, lambda s: _summary(s, candidate_id))
    if summary is None:
        raise web.HTTPNotFound(text="There is no such candidate.")
    response = aiohttp_jinja2.render_template(
        "candidate_erase.html",
        request,
        _context(request, candidate=summary, report=report, error=error, max_reason=MAX_REASON),
    )
    if error:
        response.set_status(400)
    return response


def setup_routes(app: web.Application) -> None:
    """Register the candidate-rights routes."""
    base = r"/recruiter/candidates/{id:\d{1,19}}"
    app.router.add_get(base + "/export", export_page, name="candidate_export")
    app.router.add_get(base + "/export.json", export_json, name="candidate_export_json")
    app.router.add_get(base + "/erase", erase_form, name="candidate_erase")
    app.router.add_post(base + "/erase", erase)
