"""``python -m bot.action_server``: rasa-sdk's action server, which will not start unguarded.

rasa-sdk finds its plugins by importing a top-level ``rasa_sdk_plugins``
package and, when that raises :class:`ModuleNotFoundError` (the package, or
anything it imports, is missing), logs it at debug level and serves without
plugins: our token check (:mod:`actions.guard`) would be gone and every
caller on the host could speak for a candidate. This entry point imports the
plugin and the guard itself, checks that the plugin really attaches the
guard to a Sanic app, and only then hands over to ``python -m rasa_sdk``
(same arguments). Otherwise it prints why to stderr and exits with
:data:`EXIT_GUARD_MISSING`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

#: Exit status when the guard cannot be loaded or is not attached.
EXIT_GUARD_MISSING = 78


class GuardMissing(RuntimeError):
    """The action server's guard cannot be imported or is not attached by the plugin."""


def check_guard() -> None:
    """Make sure rasa-sdk's plugin hook will attach :func:`actions.guard.attach`'s token check.

    Imports ``rasa_sdk_plugins`` and ``actions.guard``, builds rasa-sdk's
    plugin manager (the cached one the server itself uses), runs its
    ``attach_sanic_app_extensions`` hook on a throwaway Sanic app and looks
    for :func:`actions.guard.require_token` among that app's request
    middleware.

    Raises:
        GuardMissing: An import failed (any exception, not only
            :class:`ModuleNotFoundError`), or the hook does not register the
            token check.
    """
    try:
        plugins = importlib.import_module("rasa_sdk_plugins")
        guard = importlib.import_module("actions.guard")
    except Exception as exc:  # noqa: BLE001 - whatever breaks the import, the server must not start
        raise GuardMissing(f"cannot import the action server's guard: {type(exc).__name__}: {exc}") from exc

    from rasa_sdk.plugin import plugin_manager
    from sanic import Sanic

    try:
        manager = plugin_manager()
    except Exception as exc:  # noqa: BLE001 - rasa-sdk's own import of the plugin failed
        raise GuardMissing(f"rasa-sdk cannot load rasa_sdk_plugins: {type(exc).__name__}: {exc}") from exc
    if not manager.is_registered(plugins):
        raise GuardMissing(f"rasa_sdk_plugins ({getattr(plugins, '__file__', '?')}) registers no rasa-sdk hooks")
    probe = Sanic("action_server_guard_probe", configure_logging=False)
    try:
        manager.hook.attach_sanic_app_extensions(app=probe)
        attached = any(getattr(m, "func", m) is guard.require_token for m in probe.request_middleware)
    finally:
        Sanic.unregister_app(probe)  # Sanic.serve would otherwise serve every app made in this process
    if not attached:
        raise GuardMissing("rasa_sdk_plugins' hook does not attach actions.guard.require_token")


def main(argv: Sequence[str] | None = None) -> int:
    """Check the guard, then run rasa-sdk's action server with ``argv`` (default: ``sys.argv[1:]``).

    Returns:
        :data:`EXIT_GUARD_MISSING` when :func:`check_guard` fails (the reason
        is printed to stderr); otherwise 0 once the server stops.
    """
    try:
        check_guard()
    except GuardMissing as exc:
        print(f"action server NOT started: {exc}. Refusing to serve without authentication.", file=sys.stderr)
        return EXIT_GUARD_MISSING

    from rasa_sdk.__main__ import main_from_args
    from rasa_sdk.endpoint import create_argument_parser

    main_from_args(create_argument_parser().parse_args(list(sys.argv[1:] if argv is None else argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
