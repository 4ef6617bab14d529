"""The one exception type that means "the user gave us something we cannot use"."""


class InputError(ValueError):
    """Bad input: the CLI prints the message as one line on stderr and exits 2.

    The message must name the input (file, row, field) and say what is expected.
    """


class RuleError(InputError):
    """A rule file is malformed; carries file:line:column when known."""

    def __init__(self, message: str, file: str = "", line: int = 0, column: int = 0):
        self.file, self.line, self.column, self.detail = file, line, column, message
        where = file
        if line:
            where += f":{line}:{column}"
        super().__init__(f"{where}: {message}" if where else message)
