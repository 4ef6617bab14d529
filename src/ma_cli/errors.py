"""The exceptions that end a run with a chosen exit code: bad input (2), a failed write (74), a signal."""

from __future__ import annotations


MAX_MESSAGE = 1000


def one_line(message: str) -> str:
    """The message as one readable line of bounded length, whatever user text it quotes.

    Messages quote what the user gave; a key with a newline in it, a control character or a
    megabyte-long value must not break the one-line contract (scripts read it line by line).
    """
    text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in message)
    if len(text) > MAX_MESSAGE:  # keep the start (what and where) and the end (what is expected)
        cut = len(text) - 900
        text = f"{text[:500]} ... ({cut:,} characters left out) ... {text[-400:]}"
    return text


class InputError(ValueError):
    """Bad input: the CLI prints the message as one line on stderr and exits 2.

    The message must name the input (file, row, field) and say what is expected.
    """

    def __init__(self, message: str = "", *args):
        super().__init__(one_line(str(message)), *args)


class RuleError(InputError):
    """A rule file is malformed; carries file:line:column when known."""

    def __init__(self, message: str, file: str = "", line: int = 0, column: int = 0):
        self.file, self.line, self.column, self.detail = file, line, column, message
        where = file
        if line:
            where += f":{line}:{column}"
        super().__init__(f"{where}: {message}" if where else message)


EXIT_IO = 74  # EX_IOERR (sysexits.h): the output could not be written (disk full, I/O error, closed stream)


class WriteError(Exception):
    """An output (a file, standard output) could not be written: one line on stderr, exit 74.

    Not bad input and not a bug: the disk is full, the device failed, the stream is closed.
    """


class Interrupted(BaseException):
    """A terminating signal arrived while an output file was being written (see outfile.py).

    A BaseException, as KeyboardInterrupt is, so that no `except Exception` swallows it on the way out.
    """

    def __init__(self, signum: int, output_removed: bool | None = None):
        super().__init__(signum, output_removed)
        # True: the output file being written was removed; False: it was already complete; None: none
        self.signum, self.output_removed = signum, output_removed
