"""Exports: one interview as a printable report and as JSON; the list as CSV.

Each export needs a signed-in recruiter and is written to the audit log.
Routes:

* ``GET /recruiter/interviews/{id}/report`` printable HTML report
* ``GET /recruiter/interviews/{id}/export.json`` everything about the interview
* ``GET /recruiter/export.csv`` the list (same filters and sort as the page)
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy.orm import Session

from bot.bank.files import FAMILIES
from bot.review import transcript
from bot.web import audit
from bot.web.app import SETTINGS, db
from bot.web.data import interview_view, list_page, overrides_by_score, worksample_ratings
from bot.web.recruiter import ACCOUNT, _context, _interview_id, audited_view, parse_filters, signed_in
from bot.web.render import highlight, profile_chart

CSV_COLUMNS = [
    "id",
    "candidate",
    "role",
    "channel",
    "status",
    "started",
    "completed",
    "fit",
    *FAMILIES,
    "decision",
    "work_samples",
]


def worksample_cell(ratings: list[tuple[str, int | None]]) -> str:
    """The ``work_samples`` CSV cell: ``item_id=rating`` per work sample, ``;``-separated (``-`` for unrated)."""
    return "; ".join(f"{item}={'-' if rating is None else rating}" for item, rating in ratings)


def csv_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def interview_json(session: Session, interview_id: int) -> dict[str, Any] | None:
    """The interview's transcript (:func:`bot.review.transcript`) with the human review added."""
    data = transcript(session, interview_id)
    if data is None:
        return None
    view = interview_view(session, interview_id)
    assert view is not None
    overrides = overrides_by_score(session, interview_id)
    data["candidate"] = view.candidate.display_name
    for answer_data, answer in zip(data["answers"], view.answers, strict=True):
        for score_data, rating in zip(answer_data["scores"], answer.ratings, strict=True):
            score_data["effective_rating"] = rating.effective
            score_data["overrides"] = [
                {
                    "rating": o.rating,
                    "original_rating": o.original_rating,
                    "reason": o.reason,
                    "by": o.recruiter.email,
                    "at": o.at.isoformat(),
                }
                for o in overrides.get(rating.score.id, [])
            ]
    data["effective_profile"] = view.profile.profile_dict()
    data["decisions"] = [
        {"decision": d.decision, "comment": d.comment, "by": d.recruiter.email, "at": d.at.isoformat()}
        for d in view.decisions
    ]
    data["notes"] = [{"text": n.text, "by": n.recruiter.email, "at": n.at.isoformat()} for n in view.notes]
    return data


@signed_in()
async def export_json(request: web.Request) -> web.Response:
    """One interview as JSON (a download)."""
    interview_id = _interview_id(request)
    account = request[ACCOUNT]

    def load(session: Session) -> dict[str, Any] | None:
        data = interview_json(session, interview_id)
        if data is not None:
            audit.record(session, account.id, "export_json", interview_id)
        return data

    data = await db(request, load, write=True)
    if data is None:
        raise web.HTTPNotFound(text="There is no such interview.")
    response = web.json_response(data, dumps=lambda d: json.dumps(d, ensure_ascii=False, indent=2))
    response.headers["Content-Disposition"] = f'attachment; filename="interview-{interview_id}.json"'
    return response


@signed_in()
async def report(request: web.Request) -> web.Response:
    """One interview as a printable page."""
    view = await audited_view(request, "export_report")
    names = {cid: c.name for cid, c in view.competencies.items()}
    return aiohttp_jinja2.render_template(
        "report.html",
        request,
        _context(
            request, view=view, names=names, highlight=highlight, chart=profile_chart(view.profile.ratings, names)
        ),
    )


@signed_in()
async def export_csv(request: web.Request) -> web.Response:
    """The interview list (every page) as CSV."""
    filters = parse_filters(request.query, 1_000_000)
    account = request[ACCOUNT]

    def load(session: Session) -> str:
        page = list_page(session, filters)
        audit.record(session, account.id, "export_csv", rows=len(page.rows), role=filters.role, status=filters.status)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        samples = worksample_ratings(session, [r.id for r in page.rows])
        for r in page.rows:
            writer.writerow(
                [
                    csv_cell(v)
                    for v in (
                        r.id,
                        r.candidate,
                        r.role_id,
                        r.channel,
                        r.status,
                        r.started_at.isoformat(),
                        r.finished_at.isoformat() if r.finished_at else "",
                        f"{r.fit:.2f}" if r.fit is not None else "",
                        f"{r.front_office:.2f}" if r.front_office is not None else "",
                        f"{r.back_office:.2f}" if r.back_office is not None else "",
                        r.decision,
                        worksample_cell(samples.get(r.id, [])),
                    )
                ]
            )
        return out.getvalue()

    body = await db(request, load, write=True)
    return web.Response(
        text=body,
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="interviews.csv"'},
    )


def setup_routes(app: web.Application) -> None:
    """Register the export routes."""
    assert SETTINGS in app
    app.router.add_get(r"/recruiter/interviews/{id:\d{1,19}}/report", report, name="report")
    app.router.add_get(r"/recruiter/interviews/{id:\d{1,19}}/export.json", export_json, name="export_json")
    app.router.add_get("/recruiter/export.csv", export_csv, name="export_csv")
