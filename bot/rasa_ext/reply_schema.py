"""Validate action-server replies with a validator built once, not on every reply.

Rasa 3.6's ``RemoteAction._validate_action_result`` calls
``jsonschema.validate(result, schema)`` for every reply of the action
server. ``validate`` checks the schema itself and builds a new validator each
time; for Rasa's event schema that is 16.6 ms per reply, 56 % of the Rasa
server's CPU under load (py-spy profile, 20 concurrent conversations). The
same check with the validator built once costs 0.47 ms.

:func:`install` replaces that one method with one that uses a validator built
once from the same schema (``RemoteAction.action_response_format_spec()``)
and the same validator class ``validate`` would choose
(``jsonschema.validators.validator_for``), raising the same
``ValidationError`` (the best match, as ``validate`` does) with the same
message. It applies to the Rasa versions in :data:`SUPPORTED` only; on any
other version it leaves Rasa as it is and logs a warning.

Runs in the Rasa environment; loaded by :mod:`bot.rasa_ext.run`.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

#: Rasa versions whose ``RemoteAction._validate_action_result`` this replaces.
SUPPORTED = ("3.6.21",)


def install() -> bool:
    """Patch ``RemoteAction`` to validate replies with a validator built once.

    Returns:
        True when the patch was applied (or already was), False when this
        Rasa version is not one of :data:`SUPPORTED` (Rasa is left as is).
    """
    import rasa
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    if rasa.__version__ not in SUPPORTED:
        logger.warning("reply validation not patched: Rasa %s is not one of %s", rasa.__version__, SUPPORTED)
        return False
    if getattr(RemoteAction._validate_action_result, "built_once", False):
        return True
    original = RemoteAction._validate_action_result
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)

    def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        original(self, result)  # raises the same error, with Rasa's own message
        raise error  # pragma: no cover - Rasa's method accepted what the validator refused

    _validate_action_result.built_once = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    return True
