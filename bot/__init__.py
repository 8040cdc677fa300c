"""Conversational interview screener: question bank, scoring, storage and tools.

The ``bot`` package holds everything the screener does apart from Rasa itself:
the competency database (:mod:`bot.db`), the question bank and its loader
(:mod:`bot.bank`), answer scoring (:mod:`bot.scoring`), the interview logic that
Rasa's custom actions call (:mod:`bot.interview`) and the command line
(:mod:`bot.cli`).
"""

__version__ = "0.1.0"
