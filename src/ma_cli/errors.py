"""The one exception type that means "the user gave us something we cannot use"."""


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
