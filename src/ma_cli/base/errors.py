"""The exceptions that end a run with a chosen exit code: bad input (2), a failed write (74), a signal."""

from __future__ import annotations

import codecs
import errno
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Callable

MAX_MESSAGE = 1000


def broken_link(path: str | os.PathLike[str]) -> str | None:
    """What a name that leads nowhere is, when it is a symbolic link: a loop of them, or one to a file that is
    not there (None: not a link, or one that leads to something). Said of it rather than 'is not found',
    which sends the user looking for a file they can see in the folder."""
    if not os.path.islink(path):
        return None
    try:
        os.stat(path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "is a loop of symbolic links (one leads back to another)"
        return f"is a symbolic link to '{os.readlink(path)}', which is not found"
    return None


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


def given_twice(option: str, earlier: str, later: str, expected: str = "it once (it holds one value)") -> str:
    """The words of an option given again with a different value, where it takes one: the parser's
    refusal (commands/app.py) and `renew --since` with two credentials say it alike."""
    return f"{option} given twice ({earlier!r}, then {later!r}); expected {expected}"


class Source:
    """Where an input came from (a profile file, the flags, a roster line, a CE log row): each says in
    its own words where a field is, given the field's path inside the input.

    The readers (profile.py, dates.py, bounds.py, celog.py) name a field by its path, such as
    ("programs", 0, "completed"); the front end the input came in by turns that into what the user
    typed or sees: `p.yaml.programs[0].completed`, `--graduated`, `line 5, column completed`.
    """

    def place(self, path: tuple) -> str:
        raise NotImplementedError


class Fields(Source):
    """A mapping read from a file (or given in Python) and named by text: `p.yaml.programs[0].completed`."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def place(self, path: tuple) -> str:
        return self.name + "".join(f"[{key}]" if key.__class__ is int else f".{key}" for key in path)


class Arguments(Source):
    """The arguments of a command or call, named as its front end names them: the CLI's flags
    (`--warn-days`, `--cert`) or the Python API's parameters (`warn_days`, `credentials`).

    Code shared by both (api.py's readers, which the commands call) names an argument by its
    parameter name; a message then says what the caller typed, never a flag the API does not have.
    """

    __slots__ = ("names", "flags")

    def __init__(self, names: "dict[str, str] | None" = None):
        self.names = names or {}
        self.flags = bool(names)  # the CLI's flags (`--cert cma`), else Python keywords (`credential='cma'`)

    def place(self, path: tuple) -> str:
        return Fields(self.names.get(path[0], path[0])).place(path[1:])

    def __call__(self, parameter: str) -> str:
        """The name of one argument."""
        return self.names.get(parameter, parameter)

    def example(self, *given: "tuple[str, str]") -> str:
        """Arguments as the caller writes them, for an example: `--cert cma --since 2022-03-15`, or
        `credential='cma', since='2022-03-15'`."""
        if self.flags:
            return " ".join(f"{self(parameter)} {value}" for parameter, value in given)
        return ", ".join(f"{parameter}={value!r}" for parameter, value in given)


PARAMETERS = Arguments()  # the Python API's: each argument by its parameter name


def ask_encoding(codec: str, args: "Arguments | None" = None) -> str:
    """The words that ask for a file to be read in `codec`: `run again with --encoding cp1252`, or, for a
    caller whose arguments are `args` (the Python API's), `pass encoding='cp1252'`."""
    if args is None or args.flags:
        return f"run again with {args('encoding') if args else '--encoding'} {codec}"
    return f"pass {args.example(('encoding', codec))}"


class At:
    """A place in an input: its source and the path of keys and list indexes to a field in it.

    `at / "programs" / 0` is the place one step further down; `str(at)` is the place in the
    source's own words. Built for every field read, so it is kept small: the text is only made for
    a message.
    """

    __slots__ = ("source", "path")

    def __init__(self, source: Source, path: tuple = ()):
        self.source, self.path = source, path

    def __truediv__(self, key: "str | int") -> "At":
        return At(self.source, self.path + (key,))

    def __str__(self) -> str:
        return self.source.place(self.path)

    def __repr__(self) -> str:
        return f"At({self.source!r}, {self.path!r})"


class FilePlace:
    """A place in a text file: `p.yaml:3:5` (line and column from 1), or the file alone when line is 0."""

    __slots__ = ("file", "line", "column")

    def __init__(self, file: str, line: int = 0, column: int = 0):
        self.file, self.line, self.column = file, line, column

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file


class InputError(ValueError):
    """Bad input: the CLI prints the message as one line on stderr and exits 2.

    The message must name the input (file, row, field) and say what is expected. `at` is where: an
    `At` (a field of an input, worded by the input's front end) or, for a place that has no fields
    (a flag, a file), its name as text; `detail` is what is wrong and what is expected, without the
    place, for a reader that puts the problem under a place of its own (a CE log's row and column).
    The message is `{at}: {detail}`, or the detail alone when there is no place.
    """

    def __init__(self, message: str = "", *args, at: "At | FilePlace | str | None" = None):
        self.at, self.detail = at, str(message)
        super().__init__(one_line(f"{at}: {message}" if at is not None else str(message)), *args)


class RuleError(InputError):
    """A rule file is malformed; carries file:line:column when known."""

    def __init__(self, message: str, file: str = "", line: int = 0, column: int = 0):
        self.file, self.line, self.column = file, line, column
        super().__init__(message, at=FilePlace(file, line, column) if file or line else None)


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


def interrupted_line(signal_name: str = "SIGINT", output_removed: bool | None = None) -> str:
    """What a run stopped by a signal says on standard error (with Interrupted.output_removed's meaning)."""
    said = {True: "; nothing written", False: "; the output file was already complete"}.get(output_removed, "")
    return f"ma-cli: interrupted by {signal_name}{said}\n"


def not_text(name: str, line: int, encoding: str, err: UnicodeDecodeError, remedy: str) -> InputError:
    """Bytes of file `name` that are not text in `encoding`: their line and the value of the first bad byte
    (an offset is nothing an editor shows), and `remedy`, what to do about it."""
    bad = bytes(err.object[err.start:err.start + 1])
    byte = f"byte 0x{bad.hex()}; " if bad else ""
    shown = "UTF-8" if encoding in ("utf-8", "utf-8-sig") else encoding
    return InputError(f"{name}: line {line}: not {shown} text ({byte}{remedy})")


# a byte-order mark and the codec it says (UTF-32 first: its little-endian mark starts with UTF-16's)
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


HEAD_BYTES = 256  # the first bytes of a file text_encoding looks at: a byte-order mark, or zero bytes


def unmarked_order(head: bytes) -> str | None:
    """The UTF-16/32 codec (byte order named) a file without a byte-order mark is in, as the zero bytes among
    its first bytes show (None: they show none). Those encodings write an ASCII letter (a CSV header's comma,
    a YAML key) with zero bytes, all on the same side of each code unit; a first character outside ASCII
    (a header in Chinese) has none, so the whole head is looked at, not its first character alone."""
    if not head.strip(b"\0"):  # (zero bytes only, /dev/zero: no letters, so no encoding shows)
        return None
    quads = [head[i:i + 4] for i in range(0, len(head) - len(head) % 4, 4)]
    if quads and all(q[2] == 0 == q[3] for q in quads):
        return "utf-32-le"
    if quads and all(q[0] == 0 == q[1] for q in quads):
        return "utf-32-be"
    pairs = len(head) // 2
    high, low = head[1:pairs * 2:2].count(0), head[0:pairs * 2:2].count(0)
    # a stray zero byte or two says nothing; a letter such as U+4E00 has a zero byte on the other side
    enough = max(2, pairs // 8)
    if high >= enough and low * 2 < high:
        return "utf-16-le"
    if low >= enough and high * 2 < low:
        return "utf-16-be"
    return None


def text_encoding(head: bytes, encoding: str | None, name: str, advice: str | None = None,
                  args: "Arguments | None" = None) -> str:
    """The codec to read file `name` with, given its first bytes (HEAD_BYTES of them, or all of a shorter
    file) and the --encoding asked for (None: none).

    A file that starts with a byte-order mark (UTF-8, UTF-16 or UTF-32) is read as its mark says, with or
    without --encoding: the mark states the file's encoding, and --encoding reads a roster and every CE log
    it names alike, so a UTF-8 or UTF-16 log beside a Windows-1252 roster is still read as what it is (read
    as cp1252, a UTF-8 mark is 'ï»¿' glued to the first column's name). UTF-8 is read as utf-8-sig (a BOM
    is not part of the first line's text).

    Without a mark a file is UTF-8, or in the --encoding asked for. A file that is UTF-16/32 without a
    byte-order mark (its zero bytes say so: unmarked_order) is refused here, saying `advice` (default: the
    --encoding that reads it, asked for as `args` ask: ask_encoding), and so is one with a zero byte on its
    first line, which no text has:
    read as UTF-8 zero bytes are valid, and the file would be blamed for its columns (or called an empty
    roster), or for a non-ASCII letter with a hint of Windows-1252. The same holds with --encoding utf-8.
    --encoding utf-16/32 without a byte order named refuses a file with no mark, in these words (their
    incremental decoder would stop with a plain UnicodeError, not a decoding error naming a byte).
    """
    marked = next((enc for bom, enc in BOMS if head.startswith(bom)), None)
    if marked is not None:
        return marked
    if encoding is None:
        family = "utf-8"
    else:
        family = codecs.lookup(encoding).name
    if family in ("utf-8", "utf-8-sig"):
        order = unmarked_order(head)
        if order is not None:
            raise InputError(f"{name}: line 1: not UTF-8 text (zero bytes between its letters: {order.upper()} "
                             f"without a byte-order mark; {advice or ask_encoding(order, args)})")
        first_line = head.split(b"\n", 1)[0]
        if 0 in first_line:  # (a zero byte further on is a cell's or a value's, and refused with its place)
            raise InputError(f"{name}: line 1: not text (byte 0x00, a zero byte, at byte {first_line.index(0) + 1}; "
                             f"expected a text file, such as a CSV or YAML file saved as text)")
        return "utf-8-sig"
    if family in ("utf-16", "utf-32") and head:
        orders = (f"{args.example(('encoding', f'{family}-le'))} or {args.example(('encoding', f'{family}-be'))}"
                  if args is not None and not args.flags else f"--encoding {family}-le or {family}-be")
        raise InputError(f"{name}: line 1: not {encoding} text (no byte-order mark at its start; for a file "
                         f"without one, name its byte order: {orders})")
    return encoding


def decode_text(data: bytes, name: str, encoding: str, remedy: str) -> str:
    """A whole file's bytes as text in `encoding` (a Python codec name), or not_text for the first bad byte."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        before = bytes(err.object[:err.start])
        try:
            line = codecs.decode(before, encoding, "replace").count("\n") + 1
        except (UnicodeError, LookupError, ValueError):
            line = before.count(b"\n") + 1
        raise not_text(name, line, encoding, err, remedy) from None


def decode_file(data: bytes, name: str, encoding: str | None, remedy: "Callable[[str], str]", *,
                asks_encoding: bool, unmarked: str | None = None, args: "Arguments | None" = None) -> str:
    """A whole file's bytes as text: in `encoding` (--encoding), or without one UTF-8, or UTF-16/32 as its
    byte-order mark says (text_encoding); bytes that are not text are not_text, saying remedy(codec).
    `asks_encoding`: the command reads --encoding (else a file in UTF-16 without a byte-order mark is told
    remedy("utf-8-sig"), not to name its encoding); `unmarked`: what such a file is told instead; `args`: how
    the caller names --encoding (text_encoding)."""
    codec = text_encoding(data[:HEAD_BYTES], encoding, name, unmarked or (None if asks_encoding else remedy("utf-8-sig")),
                          args)
    return decode_text(data, name, codec, remedy(codec))
