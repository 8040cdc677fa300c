"""What the bot says from its custom actions.

Static replies used by rules are in ``domain.yml``; the texts here carry
values from the database, so the actions build them. Templates use
:meth:`str.format` fields.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "intro": (
        "Hello! I'm an automated screening assistant. I'll ask you a few short questions "
        "about situations at work; you answer in your own words. Your answers are stored "
        "and scored against the job's skills, and a person on the recruiting team reads "
        "them and makes every decision — I never accept or reject anyone. You can ask for "
        'a person at any time by saying "I want to talk to a person", and stop whenever '
        "you like. Do you agree to continue?"
    ),
    "consent_declined": (
        "That's completely fine — no questions will be asked and nothing else is recorded "
        "beyond your choice. If you change your mind, just say hello again. If you'd like "
        "to reach a person, contact the recruiting team that invited you."
    ),
    "ask_role_intro": ("Thank you. Which job did you apply for?"),
    "unknown_role": (
        "Sorry, I couldn't match that to a job this screening covers: it covers only the jobs on the "
        "buttons below. Please pick one, or type its name."
    ),
    "interview_start": (
        "Great — {role_name}. There are {total} questions. Take your time; there are no "
        'trick questions. Say "repeat", "skip" or "how many are left" at any point.'
    ),
    "question": ("Question {number} of {total}: {question}"),
    "probe": ("Thanks. One more thing: {question}"),
    "other_language": (
        "Thank you — your answer is kept. This screening runs in English, so please tell me in English "
        "too, as well as you can; simple words are fine.\n"
        "Tak — dit svar er gemt. Screeningen foregår på engelsk: skriv gerne dit svar på engelsk også.\n"
        "Gracias, tu respuesta queda guardada. La entrevista es en inglés: por favor, responde también en inglés."
    ),
    "request_access": (
        "I've recorded your request for a copy of the data we hold about you. The recruiting team "
        "will send it to you by {due} at the latest, through the contact details of your application."
    ),
    "request_erasure": (
        "I've recorded your request to delete your data. The recruiting team will confirm it is done by "
        "{due} at the latest, and it covers everything you write here, whether you carry on or stop now."
    ),
    "request_review": (
        "I've recorded that you want a person to review your result. A recruiter will look at your answers "
        "themselves and reply by {due}. A person always makes the decision; I never reject anyone."
    ),
    "request_accommodation": (
        "Thank you for telling us. I've recorded that you'd like another way to do this screening, and a "
        "recruiter will contact you about it by {due}. Nothing here is timed and spelling doesn't count; "
        "you can also carry on here if you prefer. It won't count against you either way."
    ),
    "privacy": (
        "What we keep: your answers, how they were scored and this conversation, for {retention} days after "
        "the screening ends ({advanced} days if you are invited to a next step). Only the recruiting team "
        'sees them, and a person makes every decision (more on the careers page, under "Privacy": /privacy). '
        'You can ask me for "a copy of my data", to "delete my data", or for "a person to review my result" '
        "at any time."
    ),
    "process": (
        "How it works: each answer is rated against the job's skills on a 1 to 5 scale, following a written "
        "rating guide, and a recruiter sees the words of yours that carried each rating. A person on the "
        "recruiting team reads your answers and makes every decision; I never accept or reject anyone. They "
        "usually get back to you within five working days after the screening ends. More on the careers page, "
        'under "How this screening works" (/how-it-works).'
    ),
    "confirm_stop": ("End the screening now? Your answers so far are kept."),
    "stop_cancelled": ("Good — let's carry on."),
    "awaiting_answer": ("Take your time — go ahead whenever you're ready."),
    "explain_question": ("Good question. {purpose}"),
    "repeat_question": ("Of course, here it is again."),
    "progress": ("You've done {done} of {total} questions; {left} to go."),
    "skipped": ("No problem, we'll skip that one."),
    "answer_too_long": (
        "That message is longer than I can take ({length} characters; the limit is "
        "{limit}). Please send a shorter version — nothing you sent has been recorded."
    ),
    "empty_answer": ("I didn't catch an answer there. Could you write what you would do?"),
    "handoff": (
        "I've let the recruiting team know you'd like to talk to a person; they usually "
        "reply within two working days, through the contact details of your application. "
        "Your answers so far are saved and the screening is paused. Whenever you want to "
        'carry on, just say "continue".'
    ),
    "handoff_no_interview": (
        "Of course. Please contact the recruiting team that invited you; they'll be glad "
        "to help. You can also come back here and say hello at any time."
    ),
    "withdrawn": (
        "Understood — I've stopped the screening. The answers you gave are kept with your "
        "application so a recruiter can still read them. Thank you for your time."
    ),
    "withdrawn_before_answers": (
        "Understood — I've stopped the screening before any question; only your consent was "
        "recorded. Thank you for your time."
    ),
    "stopped_before_start": ("Understood — there is no screening in progress. Goodbye!"),
    "restarted": ("The conversation has been restarted. Your answers so far are saved."),
    "no_screening": ("There is no screening in progress. Say hello if you'd like to start one."),
    "already_done": (
        "Your screening is complete — thank you! A person on the recruiting team reads every answer "
        "and gets back to you, usually within five working days; you don't need to do anything else. "
        'If you applied for another job and want to start a new screening, say "start a new screening".'
    ),
    "current_role": (
        "This screening is for the {role_name} job. If that is not the job you applied for, say "
        '"stop", then say hello to start again with the right one.'
    ),
    "which_role": ("You mentioned more than one job. Which one did you apply for?"),
    "consent_again": ("Do you agree to continue with the screening? Please answer yes or no."),
    "hello_mid_question": ("Hello! We're on question {number} of {total} — here it is again."),
    "welcome_back_progress": ("Welcome back! You've done {done} of {total} questions; let's continue."),
    "interview_done": (
        "That's all the questions — thank you! A person on the recruiting team will read "
        "your answers and get back to you, usually within five working days. You don't "
        "need to do anything else."
    ),
}

#: Consent buttons: payloads are intents, so a click is unambiguous.
CONSENT_BUTTONS = [
    {"title": "Yes, continue", "payload": "/affirm"},
    {"title": "No, thanks", "payload": "/deny"},
]

#: The buttons of "End the screening now?": yes ends it, no goes back to the question.
STOP_BUTTONS = [
    {"title": "Yes, end it", "payload": "/affirm"},
    {"title": "No, carry on", "payload": "/deny"},
]


def render(key: str, **values: object) -> str:
    """The text of message ``key`` with ``values`` filled in.

    Raises:
        KeyError: Unknown message, or a field without a value.
    """
    return MESSAGES[key].format(**values)
