"""Rasa custom actions of the screener, served by ``python -m rasa_sdk``.

The actions are thin: each asks :class:`bot.interview.InterviewService` what
to do and turns the answer into messages and events.
"""
