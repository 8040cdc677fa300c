"""The bias audit report for administrators (NYC Local Law 144).

Routes (admins only; a recruiter gets 403):

* ``GET /recruiter/bias-audit`` the report, with the filters ``from`` and
  ``to`` (interview start dates, ``YYYY-MM-DD``, both inclusive), ``role``
  (a role id) and ``exclude_small`` (``1``: leave categories under 2 % of
  the data out of the impact ratios);
* ``GET /recruiter/bias-audit.csv`` the same report as CSV.

Both are written to the audit log (``view_bias_audit``,
``export_bias_audit``). Only aggregates are shown: counts, rates and ratios
per category, never a candidate.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy.orm import Session

from bot.audit.data import AuditFilters, audit_records
from bot.audit.impact import AuditReport, compute_audit
from bot.audit.report import GROUP_TITLES, to_csv
from bot.web import audit
from bot.web.app import db
from bot.web.recruiter import ACCOUNT, Account, _context, roles_list, signed_in


def _date(value: str | None, what: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise web.HTTPBadRequest(text=f"The {what} date must look like 2026-01-31.") from None


def parse_audit_filters(query: Any) -> tuple[AuditFilters, bool]:
    """The page's filters and whether small categories are excluded.

    Raises:
        web.HTTPBadRequest: A date that is not ``YYYY-MM-DD``, a range that
            ends before it starts, or a role id longer than 64 characters.
    """
    start, end = _date(query.get("from"), "from"), _date(query.get("to"), "to")
    if start and end and end < start:
        raise web.HTTPBadRequest(text="The to date is before the from date.")
    role = query.get("role") or None
    if role and len(role) > 64:
        raise web.HTTPBadRequest(text="Unknown role.")
    filters = AuditFilters(started_from=start, started_to=end + timedelta(days=1) if end else None, role=role)
    return filters, query.get("exclude_small") == "1"


async def _report(request: web.Request, action: str) -> tuple[AuditReport, list[tuple[str, str]]]:
    filters, exclude_small = parse_audit_filters(request.query)
    account: Account = request[ACCOUNT]

    def load(session: Session) -> tuple[AuditReport, list[tuple[str, str]]]:
        report = compute_audit(audit_records(session, filters), exclude_small=exclude_small)
        audit.record(
            session,
            account.id,
            action,
            role=filters.role,
            started_from=request.query.get("from") or None,
            started_to=request.query.get("to") or None,
            exclude_small=exclude_small,
            candidates=report.candidates,
        )
        return report, roles_list(session)

    return await db(request, load, write=True)


@signed_in(admin=True)
async def bias_audit_page(request: web.Request) -> web.Response:
    """The report (admins only)."""
    report, roles = await _report(request, "view_bias_audit")
    params = {k: v for k, v in request.query.items() if k in ("from", "to", "role", "exclude_small") and v}
    return aiohttp_jinja2.render_template(
        "bias_audit.html",
        request,
        _context(request, report=report, roles=roles, query=request.query, params=params, titles=GROUP_TITLES),
    )


@signed_in(admin=True)
async def bias_audit_csv(request: web.Request) -> web.Response:
    """The report as a CSV download (admins only)."""
    report, _ = await _report(request, "export_bias_audit")
    return web.Response(
        text=to_csv(report),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="bias-audit.csv"'},
    )


def setup_routes(app: web.Application) -> None:
    """Register the report's routes."""
    app.router.add_get("/recruiter/bias-audit", bias_audit_page, name="bias_audit")
    app.router.add_get("/recruiter/bias-audit.csv", bias_audit_csv, name="bias_audit_csv")
