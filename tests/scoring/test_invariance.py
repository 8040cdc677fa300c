"""Paraphrase invariance (within one point) and counterfactual invariance (equal)."""

from __future__ import annotations

import pytest

from bot.scoring import Scorer

PARAPHRASES = {
    "angry_customer": [
        "I'd let them finish without interrupting, apologise, take the order number and check the tracking, then "
        "offer a refund or a replacement and call them back once it has arrived.",
        "First I let the customer talk, I don't interrupt. I say sorry, I take the order number and I check the "
        "tracking. I offer refund or new one and I call him back when it arrive.",
        "i'd let them finish talkin without interuptin, say sorry, get the order number n check tracking, then "
        "offer refund or replacment and call them back when its arrived",
        "Well, you know, basically what I would do, to be honest with you, is let them finish without "
        "interrupting, and then, you know, apologise, take the order number and check the tracking, and after "
        "that, basically, offer a refund or a replacement and, if that makes sense, call them back once it has "
        "arrived, because at the end of the day that is just what you do.",
    ],
    "wrong_invoice": [
        "I'd recalculate the invoice against the purchase order first. Then I'd email them the invoice number, "
        "the amount charged and the correct total, attach the order, mention it happened last month too, and ask "
        "for a corrected invoice by Friday. I'd keep the email on file.",
        "First I calculate again the invoice with the purchase order. After I send email with invoice number, "
        "amount they charge and correct total, I attach the order, I say last month also same problem, and I ask "
        "corrected invoice until Friday. I keep the email in file.",
        "id recalculate the invoice vs the purchase order first then email them invoice number, amount charged "
        "and correct total, attach the order, mention it happend last month too and ask for corrected invoice by "
        "friday. keep the email on file",
    ],
    "deadline_crunch": [
        "I'd list the deadlines: the contract for the authorities is due Thursday, so I'd prepare and check it "
        "today and file it Thursday morning, keeping the receipt. The spreadsheet today, the reports Thursday "
        "afternoon and Friday. If it won't fit I'd tell my manager early.",
        "I make a list with deadlines. Contract for authorities is Thursday so I prepare and check it today and "
        "I file Thursday morning and keep the receipt. Spreadsheet today, reports Thursday afternoon and Friday. "
        "If it is not possible I tell my manager early.",
    ],
    "skip_background_check": [
        "I'd politely refuse: the check is mandatory by law and protects the company. I'd offer to ask the "
        "screening provider to expedite it and confirm what we agreed in an email to the manager.",
        "I say no politely, the check is mandatory by the law and it protect the company. I offer to ask the "
        "screening provider to expedite, and I confirm by email to the manager what we agreed.",
    ],
}


@pytest.mark.parametrize("sid", sorted(PARAPHRASES))
def test_paraphrases_within_one_point(scorer: Scorer, q, sid: str) -> None:
    question = q(sid)
    results = [scorer.score(text, question) for text in PARAPHRASES[sid]]
    for comp in question.competencies:
        ratings = [r.ratings[comp].rating for r in results]
        assert max(ratings) - min(ratings) <= 1, (comp, ratings)
    assert results[0].ratings[question.primary].rating >= 4


def test_filler_padding_does_not_raise(scorer: Scorer, q) -> None:
    question = q("unclear_request")
    core = "I'd ask what they used it for and roughly when they bought it."
    padded = (
        "Thank you for the question. I think this is a really interesting situation and customer service "
        "matters a great deal to me personally. " + core + " That is basically how I see it, and I hope "
        "this answer gives you a good idea of my general approach to these things."
    )
    a, b = scorer.score(core, question), scorer.score(padded, question)
    for comp in question.competencies:
        assert b.ratings[comp].rating <= a.ratings[comp].rating
        assert abs(b.ratings[comp].rating - a.ratings[comp].rating) <= 1


COUNTERFACTUALS = [
    (
        "angry_customer",
        "I'd apologise to {name}, check {pos} order number and the tracking from {place}, offer "
        "{obj} a refund or a replacement and call {obj} back when it arrives.",
    ),
    (
        "timesheet_discrepancy",
        "I'd compare {name}'s timesheet with the schedule day by day to find the 8 hours, "
        "then ask {pos} manager in {place} to confirm the overtime before I pay {obj}.",
    ),
    (
        "skip_background_check",
        "I'd tell {name} in the {place} office that I can't skip the check because it is "
        "the law, offer to expedite it and email {obj} to confirm.",
    ),
]
PEOPLE = [
    {"name": "Maria", "pos": "her", "obj": "her", "place": "Leeds"},
    {"name": "Mr Chen", "pos": "his", "obj": "him", "place": "Lagos"},
    {"name": "Alex", "pos": "their", "obj": "them", "place": "Manila"},
    {"name": "Mohammed", "pos": "his", "obj": "him", "place": "Warsaw"},
]


@pytest.mark.parametrize("sid,template", COUNTERFACTUALS)
def test_names_pronouns_places_do_not_change_ratings(scorer: Scorer, q, sid: str, template: str) -> None:
    question = q(sid)
    seen = {
        tuple(sorted((c, r.rating) for c, r in scorer.score(template.format(**p), question).ratings.items()))
        for p in PEOPLE
    }
    assert len(seen) == 1, seen
