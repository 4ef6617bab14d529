"""Console entry point: import the command modules (each registers itself on `app`) and run.

`main` imports only the module of the command being run. Typer builds every registered command
(its options, converters and help) on each start, and that is several milliseconds of a start-up
that scripts pay once per roster row or cron tick; a run with no command, `--help` or an unknown
name imports them all, so help and "no such command" list every command.
"""

from __future__ import annotations

import importlib
import sys

# command name -> module that registers it
COMMANDS = {
    "eligible": "ma_cli.cmd_eligible",
    "renew": "ma_cli.cmd_renew",
    "rules": "ma_cli.cmd_rules",  # rules list|show|validate|test
    "batch": "ma_cli.cmd_batch",  # batch eligible|renew
    "plan": "ma_cli.cmd_plan",
    "schema": "ma_cli.cmd_schema",  # the JSON Schemas of the JSON outputs
}


def _register(names) -> None:
    for name in names:
        importlib.import_module(COMMANDS[name])


def _command_named(argv: list[str]) -> str | None:
    """The command word in `argv`: the first argument that is not a global flag (they take no value)."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def main(argv: list[str] | None = None) -> None:
    from ma_cli.app import app

    args = sys.argv[1:] if argv is None else argv
    name = _command_named(args)
    _register([name] if name else COMMANDS)
    app(args=args)


def __getattr__(attr: str):
    # `from ma_cli.cli import app` (tests, embedding) gets the app with every command registered
    if attr == "app":
        from ma_cli.app import app

        _register(COMMANDS)
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
