"""Console entry point: import the command modules (each registers itself on `app`) and run.

`main` imports only the module of the command being run. Typer builds every registered command
(its options, converters and help) on each start, and that is several milliseconds of a start-up
that scripts pay once per roster row or cron tick; a run with no command, `--help` or an unknown
name imports them all, so help and "no such command" list every command.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys

# command name -> module that registers it
COMMANDS = {
    "eligible": "ma_cli.commands.cmd_eligible",
    "renew": "ma_cli.commands.cmd_renew",
    "rules": "ma_cli.commands.cmd_rules",  # rules list|show|validate|test
    "batch": "ma_cli.commands.cmd_batch",  # batch eligible|renew
    "plan": "ma_cli.commands.cmd_plan",
    "schema": "ma_cli.commands.cmd_schema",  # the JSON Schemas of the JSON outputs
}
# The commands whose work grows with their input (a roster's rows): the cyclic garbage collector stays
# on for them, so that memory stays flat however long the roster (see main).
COLLECTED = ("batch",)


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
    """Run ma-cli with `argv` (default: the process's arguments) and exit with its code.

    Without `argv` this is the program itself (the `ma-cli` script, `python -m ma_cli`): once the
    run has ended and its outputs are flushed, the process ends at once, without the interpreter's
    teardown (see `_end_now`). Given `argv` (tests, embedding), it raises SystemExit as usual.

    The program runs without the cyclic garbage collector, except for the COLLECTED commands. A
    start (importing Typer and ma-cli, building the command, the rule set) makes tens of thousands
    of objects that all live until the end, and the collector walked them over and over for
    nothing: about 6 ms of CPU of a ~60 ms run. One person's answer makes little garbage, and what
    it makes is let go at the end with the rest; objects no longer referenced are freed as ever
    (reference counting): only reference cycles wait for the end.
    """
    args = sys.argv[1:] if argv is None else argv
    name = _command_named(args)
    if argv is None and name not in COLLECTED:
        gc.disable()
    try:
        from ma_cli.commands.app import app

        _register([name] if name else COMMANDS)
        app(args=args)
    except SystemExit as stop:
        if argv is None:
            _end_now(stop.code)
        raise
    except KeyboardInterrupt:
        if argv is not None:  # (tests, embedding: the caller's to answer)
            raise
        # Ctrl-C before the command's own handler runs (app.py answers it from then on): while Typer and
        # the command load, or Typer builds the command; no output has been opened yet
        from ma_cli.base.errors import interrupted_line

        sys.stderr.write(interrupted_line())
        _end_now(130)
        raise SystemExit(130) from None


# Imported, these have work to do at exit (worker processes to stop, log handlers to flush): with
# any of them loaded, the process ends the ordinary way.
_EXIT_WORK = ("multiprocessing", "concurrent.futures", "logging")


def _end_now(code) -> None:
    """End the process with `code` without the interpreter's teardown, when it has nothing left to do.

    Tearing the interpreter down (freeing every module and object one by one) takes 10-15 ms, a
    sixth of a start that scripts pay once per person or cron tick, and changes nothing outside
    the process. Every output file is closed by the time a command returns (outfile.py); what the
    teardown would still do is flush standard output and error, which is done here first. If that
    fails, or another thread runs, or a module with exit work is loaded, this returns and the
    caller exits as before, so exit codes and messages are the ones the ordinary exit gives.
    """
    if type(code) is not int or not 0 <= code <= 255:
        return
    if any(name in sys.modules for name in _EXIT_WORK):
        return
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError, AttributeError):  # the interpreter's own last flush says what it says
        return
    os._exit(code)


def __getattr__(attr: str):
    # `from ma_cli.commands.cli import app` (tests, embedding) gets the app with every command registered
    if attr == "app":
        from ma_cli.commands.app import app

        _register(COMMANDS)
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
