"""For tests that stop a run with a signal: the child starts with every signal at its default action.

A process inherits ignored signals: under `nohup` (SIGHUP) or as a background job of a script
(SIGINT, SIGQUIT), the run would rightly keep ignoring the signal the test sends (ma-cli leaves an
ignored signal ignored), and the test would fail for how the suite was started, not for ma-cli.
"""

from __future__ import annotations

import signal

SENT = ("SIGHUP", "SIGINT", "SIGQUIT", "SIGTERM", "SIGUSR1", "SIGUSR2", "SIGALRM")


def default_signals() -> None:
    """A Popen preexec_fn: the signals the tests send, at their default action in the child."""
    for name in SENT:
        signal.signal(getattr(signal, name), signal.SIG_DFL)
