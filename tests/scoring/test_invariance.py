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


#: The same answer in four ways of writing: plain, non-native grammar, chat
#: style with typos, and an anecdote in the past tense.
REWRITES = {
    "angry_customer": {
        "plain": "I'd let them finish, apologise, check the tracking with the order number, offer a refund or a "
        "replacement and call them back when it arrives.",
        "non_native": "I let the customer finish, I say sorry, I check tracking with order number, I offer refund "
        "or replacement and I call back when it arrive.",
        "chat": "id let them finish n say sorry, check trackin w the order number, offer refund or replacment and "
        "call them back when it arrives",
        "anecdote": "At the shop I worked in, a man shouted about a late parcel. I let him finish, apologised, "
        "checked the tracking with his order number, offered a refund or a replacement and called him back "
        "when it arrived.",
    },
    "timesheet_discrepancy": {
        "plain": "I'd compare the timesheet with the rota day by day to find the extra 8 hours, then ask the "
        "manager to confirm the overtime before paying it.",
        "non_native": "I compare the timesheet and the rota for each day to find the 8 hours more, after I ask "
        "the manager to confirm the overtime before I pay.",
        "chat": "compare timesheet w the rota day by day to find the extra 8 hrs then ask manager to confirm "
        "overtime b4 paying",
        "anecdote": "In my last job this happened with a driver: I compared his timesheet with the rota day by "
        "day, found the extra 8 hours, and asked his manager to confirm the overtime before we paid it.",
    },
    "skip_background_check": {
        "plain": "I'd politely refuse because the check is required by law, offer to ask the provider to "
        "expedite it, and confirm it in an email.",
        "non_native": "I refuse politely because the check is required by the law, I offer to ask the provider "
        "for expedite it, and I confirm in email.",
        "chat": "i'd politely say no, the check is required by law. offer to ask the provider to expedite it and "
        "confirm in an email",
        "anecdote": "A manager once asked me to skip it for a new hire. I politely refused because the check is "
        "required by law, offered to ask the provider to expedite it, and confirmed it in an email.",
    },
    "wrong_invoice": {
        "plain": "I'd recalculate the invoice against the purchase order, then email the supplier the invoice "
        "number and the correct total and ask for a corrected invoice.",
        "non_native": "I calculate again the invoice with the purchase order, then I send email to supplier with "
        "invoice number and correct total and I ask corrected invoice.",
        "chat": "recalculate the invoice vs the purchase order then email supplier the invoice number + correct "
        "total n ask for a corrected invoice",
        "anecdote": "When a supplier overcharged us last year, I recalculated the invoice against the purchase "
        "order, emailed them the invoice number and the correct total, and asked for a corrected invoice.",
    },
}


def _ratings(scorer: Scorer, q, sid: str, text: str) -> dict[str, int]:
    question = q(sid)
    return {c: scorer.score(text, question).ratings[c].rating or 1 for c in question.competencies}


@pytest.mark.parametrize("sid", sorted(REWRITES))
def test_ways_of_writing_are_within_one_point(scorer: Scorer, q, sid: str) -> None:
    plain = _ratings(scorer, q, sid, REWRITES[sid]["plain"])
    for style, text in REWRITES[sid].items():
        other = _ratings(scorer, q, sid, text)
        assert all(abs(other[c] - plain[c]) <= 1 for c in plain), (style, plain, other)


def test_ways_of_writing_are_equal_on_average(scorer: Scorer, q) -> None:
    """Over the set, no way of writing scores more than 0.3 rating points above or below the plain one.

    Measured with scorer 2.1.0: non-native +0.14, chat -0.14, anecdote +0.25
    (mean score difference over 8 ratings). Scores, not ratings, are
    averaged: a rating is a step of the score, so an average of 8 ratings
    moves by 1/8 when one score crosses a cutpoint by 0.01.
    """
    totals: dict[str, list[float]] = {}
    for sid, texts in REWRITES.items():
        question = q(sid)
        plain = scorer.score(texts["plain"], question).ratings
        for style, text in texts.items():
            other = scorer.score(text, question).ratings
            totals.setdefault(style, []).extend(other[c].score - plain[c].score for c in question.competencies)
    means = {style: sum(d) / len(d) for style, d in totals.items()}
    assert all(abs(m) <= 0.3 for m in means.values()), means
