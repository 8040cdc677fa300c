"""rasa-sdk's plugin hook: the action server imports this package, by this name, at start-up.

rasa-sdk (``rasa_sdk.plugin``) looks for a top-level ``rasa_sdk_plugins``
package and calls its ``init_hooks`` with its plugin manager; each
``attach_sanic_app_extensions`` implementation then gets the Sanic app of
every worker. Ours adds the guard of :mod:`actions.guard`.
"""

from __future__ import annotations

import sys

import pluggy
from sanic import Sanic

from actions import guard

hookimpl = pluggy.HookimplMarker("rasa_sdk")


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    """Attach the token check and the safe exception handler to the action server's ``app``."""
    guard.attach(app)


def init_hooks(manager: pluggy.PluginManager) -> None:
    """Register this module's hook implementations with rasa-sdk's plugin manager."""
    manager.register(sys.modules[__name__])
