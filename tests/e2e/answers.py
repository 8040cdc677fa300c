"""Candidate answers for the end-to-end interviews, one good one per scenario."""

GOOD = {
    "angry_customer": (
        "I'd stay calm and let them finish, then apologise that the order hasn't arrived and say I understand "
        "why they're upset. I'd take the order number, check the tracking and the payment, and tell them "
        "honestly what I find. Then I'd offer options - a replacement sent express or a refund - and agree "
        "what happens next, and call them back tomorrow to make sure it's sorted."
    ),
    "unclear_request": (
        "I'd ask for their name or phone number and look up their past orders. Then I'd ask open questions: "
        "what did you use it for, roughly when did you buy it, do you remember the colour or size? I'd read "
        "back what I found - 'so it was the blue cartridges in March, is that right?' - and only order once "
        "they confirm."
    ),
    "busy_reception": (
        "I'd smile and make eye contact with the visitor, and raise a finger to show I'll be right with them. "
        "I'd tell my caller I need a moment, or offer to call back, then greet the customer who was waiting "
        "first, apologise for the wait and help them, and then welcome the visitor and thank them for waiting."
    ),
    "explain_policy": (
        "I'd say sorry for the disappointment and explain simply that refunds are only possible within 30 "
        "days, and that the limit exists so returned items can still be resold in good condition. Then I'd "
        "offer what I can, like a repair, an exchange or store credit, and check they understood and are ok."
    ),
    "hesitant_prospect": (
        "I'd ask what is holding them back and really listen to the answer, then summarise what they told me "
        "they need to check I got it right. I'd answer that specific concern, send them a short summary by "
        "email, and agree a time to follow up, without pushing them."
    ),
    "rushed_customer": (
        "I'd stay calm and patient and let them finish. I'd write down each problem, then repeat the three "
        "back to them to check I understood, and apologise for asking again. Then I'd deal with them one by "
        "one, starting with the most urgent, and confirm at the end that everything is solved."
    ),
    "deadline_crunch": (
        "I'd list every task with its deadline. The contract has a legal deadline on Thursday, so I'd "
        "prepare and check it today and file it Thursday morning, and keep the confirmation of receipt. "
        "I'd do the urgent spreadsheet today, then block Thursday afternoon and Friday morning for the three "
        "reports. If it looks tight I'd tell my manager early and agree priorities."
    ),
    "timesheet_discrepancy": (
        "I wouldn't pay either number yet. I'd compare the timesheet with the schedule and the clock-in "
        "records day by day to find where the 8 hours differ, then ask the employee and their manager to "
        "confirm any overtime in writing. I'd recalculate the pay with the approved hours and note the "
        "correction, following the payroll procedure."
    ),
    "wrong_invoice": (
        "I'd recalculate the invoice against the purchase order and the delivery note first. Then I'd email "
        "the supplier: the invoice number, the amount charged, the correct total and the line that is wrong, "
        "with the documents attached, and mention that last month's invoice had the same problem. I'd ask "
        "for a corrected invoice by Friday, log it, and follow up if I don't hear back."
    ),
    "skip_background_check": (
        "I'd politely say no: the background check is required and skipping it could break the law and our "
        "hiring policy. I'd offer to speed it up, for example by calling the provider today, and suggest a "
        "start date once it clears. I'd confirm this by email and raise it with HR if the manager insists."
    ),
    "filing_backlog": (
        "First I'd sort the backlog into categories and find anything with a deadline, and file those first. "
        "Then I'd set up a simple system - folders by type and date, a clear naming rule and a tracking "
        "list - and work through the rest a batch each day, and tell my manager how long it will take."
    ),
    "new_ledger_system": (
        "I'd take the training and read the documentation, then practise in a test environment before go "
        "live. Before the move I'd back up all the data, and afterwards I'd reconcile the trial balance and "
        "open invoices between the old and new system to make sure nothing was lost."
    ),
}

#: About 330 words: a long answer must be taken whole, as one answer.
LONG_PADDING = (
    " To add a bit more detail about how I work in general: I have done similar jobs before, in a busy shop "
    "and later in an office, and what I learned there is that people mostly want to feel heard and to know "
    "what will happen next, and that most problems get smaller once somebody takes ownership of them. I try "
    "to keep notes of what I promised to whom, because it is easy to forget when the day gets hectic, and I "
    "prefer to check the facts in the system before I say anything that I might have to take back later. "
    "If I do not know something I say so and find out, rather than guessing. I also think it matters to "
    "keep colleagues informed, so that the next person who talks to the same customer knows the story."
)
