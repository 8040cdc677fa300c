"""The voluntary self-identification form on the careers page (for the bias audit).

Once the candidate's newest interview is completed or withdrawn, the careers
page shows a short optional form (sex; race/ethnicity in the EEO-1
categories), with "I prefer not to answer" offered and preselected in both.
The answer goes to its own table through :mod:`bot.audit.selfid`; nothing
else in the web app reads it.

Route:

* ``POST /self-identification`` (form fields ``csrf``, ``sex``,
  ``race_ethnicity``): the candidate is the one of the conversation cookie,
  and ``csrf`` the careers page's token of that conversation. A second
  answer replaces the first. 403 without a conversation or a valid token,
  409 when no finished interview exists yet, 400 for a value not offered;
  otherwise 303 back to the careers page.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from sqlalchemy.orm import Session

from bot.audit.categories import RACE_LABELS, SEX_LABELS
from bot.audit.selfid import eligible_candidate, has_answered, parse_answer, save_answer
from bot.web.app import SIGNER, db

PATH = "/self-identification"


@dataclass(frozen=True)
class SelfIdOffer:
    """What the careers page shows of the form.

    Attributes:
        answered: The candidate has sent it before (their answer is not shown).
        sex: ``(value, label)`` of the sex answers, "decline" last.
        race_ethnicity: ``(value, label)`` of the race/ethnicity answers, "decline" last.
    """

    answered: bool
    sex: tuple[tuple[str, str], ...] = tuple(SEX_LABELS.items())
    race_ethnicity: tuple[tuple[str, str], ...] = tuple(RACE_LABELS.items())


def offer(session: Session, conversation_id: str) -> SelfIdOffer | None:
    """The form to show on the careers page, None when it is not offered (yet)."""
    candidate_id = eligible_candidate(session, conversation_id)
    if candidate_id is None:
        return None
    return SelfIdOffer(answered=has_answered(session, candidate_id))


async def submit(request: web.Request) -> web.StreamResponse:
    """Store the candidate's answer (``POST /self-identification``, see the module documentation)."""
    conversation_id = request.app[SIGNER].conversation_id(request)
    form = await request.post()
    if conversation_id is None or not request.app[SIGNER].check_csrf(conversation_id, str(form.get("csrf", ""))):
        raise web.HTTPForbidden(text="The form has expired or did not come from this site. Please reload the page.")
    try:
        sex, race = parse_answer(form)
    except ValueError:
        raise web.HTTPBadRequest(text="Please choose one of the answers offered.") from None

    def save(session: Session) -> bool:
        candidate_id = eligible_candidate(session, conversation_id)
        if candidate_id is None:
            return False
        save_answer(session, candidate_id, sex, race)
        return True

    if not await db(request, save, write=True):
        raise web.HTTPConflict(text="This form is offered once your interview has ended.")
    raise web.HTTPSeeOther("/?self_id=saved#self-id")


def setup_routes(app: web.Application) -> None:
    """Register the form's route."""
    app.router.add_post(PATH, submit, name="self_id")
