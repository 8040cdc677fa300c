"""Answers shared by the unit and action tests."""

#: One specific, on-topic answer per scenario: several concrete actions, so
#: the scorer rates it at once, without the follow-up probe.
GOOD_ANSWERS: dict[str, str] = {
    "angry_customer": (
        "I'd let them finish without interrupting, apologise and say I understand why they are "
        "frustrated, take the order number and check the tracking, then offer a refund or a "
        "replacement sent by express, and call them back tomorrow once it has arrived."
    ),
    "unclear_request": (
        "I'd ask for their name or account number and look up their order history, then ask open "
        "questions like what they used it for and roughly when they ordered, read back the likely "
        "item and confirm with them before placing the order."
    ),
    "busy_reception": (
        "I'd smile and make eye contact with the visitor so they know I've seen them, ask the caller "
        "if I can ring them back in five minutes and note their number, then thank the waiting "
        "customer for their patience and help them first, and greet the visitor warmly after."
    ),
    "explain_policy": (
        "I'd say I'm sorry, I understand it's disappointing. Then explain calmly that our refund "
        "window is 30 days so we can resell items in good condition, and since it has been 45 days "
        "I can't refund it, but I can offer an exchange or store credit, and check they understood."
    ),
    "hesitant_prospect": (
        "I'd thank them and ask what is holding them back, listen without interrupting, summarise "
        "what they told me to check I understood their needs, answer their concerns, and agree a "
        "time to call them back next week with a written summary."
    ),
    "rushed_customer": (
        "I'd stay calm and not take the irritation personally, let them finish, then summarise the "
        "three problems back to them one by one to check I understood, apologise for asking again, "
        "and deal with each problem in turn, confirming each is solved."
    ),
    "deadline_crunch": (
        "I'd list every task with its deadline, file the contract with the authorities first because "
        "Thursday is the legal deadline, and confirm receipt. I'd tell my manager I can do the "
        "spreadsheet today but ask which report could slip, plan the reports for Thursday and Friday "
        "with a checklist, and flag any risk early."
    ),
    "timesheet_discrepancy": (
        "I'd compare the timesheet with the scheduling system and the clock-in records, recalculate "
        "the hours, and ask the employee and their manager which is right before payroll. I wouldn't "
        "change any figure without a source, I'd document the correction and pay the verified hours."
    ),
    "wrong_invoice": (
        "I'd recalculate the total against the purchase order and the delivery note, then email the "
        "supplier: 'Invoice 123 shows 1,250 but the agreed total is 1,050, as last month. Please send "
        "a corrected invoice by Friday and tell us how you will prevent this.' I'd keep a record and "
        "follow up if they don't reply."
    ),
    "skip_background_check": (
        "I'd politely explain that the background check is a legal requirement and I can't skip it, "
        "offer to speed it up or have the person start on a later date, and confirm this in an email "
        "to the manager. If they insist I'd escalate to HR and document the request."
    ),
    "filing_backlog": (
        "I'd first sort the backlog into categories and by urgency, set up a clear folder structure "
        "and naming convention, file anything with a deadline first, then work through the rest a set "
        "amount each day, track progress in a spreadsheet and tell my manager how long it will take."
    ),
    "new_ledger_system": (
        "I'd take the training and read the documentation, practise in a test environment before the "
        "move, make a full backup of the old system, and after the migration run reconciliation "
        "reports to check every balance matches the old ledger, and keep a list of questions for the "
        "vendor."
    ),
}
