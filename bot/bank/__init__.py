"""The competency model and the question bank, read from YAML in ``data/bank``."""

from bot.bank.files import (
    Bank,
    BankError,
    CompetencySpec,
    QuestionSpec,
    RoleSpec,
    read_bank,
)

__all__ = ["Bank", "BankError", "CompetencySpec", "QuestionSpec", "RoleSpec", "read_bank"]
