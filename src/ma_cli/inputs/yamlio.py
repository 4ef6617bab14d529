"""Safe YAML loading that remembers where every key stood and refuses duplicate keys.

Only SafeLoader-based loaders are used: a rule or profile file can never construct Python
objects or run code. PyYAML silently keeps the last of two equal keys; a rule author would
never see the first one vanish, so a duplicate is an error here (`rules validate` collects
every duplicate of a file at once). Sequences, like mappings, remember where each item stood.

Hostile or broken files are stopped before anything is built from them (README, "Errors,
safety and fuzzing"): at most MAX_BYTES are read; the data is built straight from the parser's
events (libyaml's parser is a loop, not a recursion) with nesting capped at MAX_DEPTH, because
PyYAML's C composer recurses per level and crashes the process on a deeply nested document; and
aliases (`*name`) are refused, because a handful of aliases can stand for billions of values
("billion laughs") that any code walking the data would expand. Merge keys (`<<`) are refused
too: they exist to pull in an alias. No ma-cli file needs either: write the value out.

YAML 1.1 surprises are not passed on: every tag (`!!binary`, `!!str`, `!foo`, even `!`) is refused;
a number in a form other than plain decimal (octal 00042, base-60 1:30, 4_0, 0x1F, hundreds of
digits) is kept as the text written (`Written`), which a number field refuses by name; and the
value of an `id` key is always the text as written.
"""

from __future__ import annotations

import os
import re
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from ma_cli.base.bounds import LONGEST_WRITTEN, Written, too_long, written_float
from ma_cli.base.dates import WrittenTime
from ma_cli.base.errors import FilePlace, InputError, RuleError, broken_link, decode_file
from ma_cli.base.outfile import STDIN  # (how standard input is named in messages)

try:  # the C parser is several times faster; the constructor stays the safe one either way
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 100_000  # a profile holds hundreds, the largest rule file a few thousand


class Marked(dict):
    """A mapping that knows the line and column (1-based) of itself and of each key."""

    __slots__ = ("line", "column", "key_marks")


class MarkedList(list):
    """A sequence that knows the line and column (1-based) of itself and of each item."""

    __slots__ = ("line", "column", "item_marks")


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that ma-cli will not build: too deep, too many values, or an alias."""


_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_IMPLICIT = _Base.yaml_implicit_resolvers  # first character -> [(tag, regexp)], as PyYAML resolves plain scalars
_NO_KEY = object()  # a mapping waiting for its next key
_Duplicate = object()  # the value of a repeated key: read and dropped

# The numbers ma-cli reads as YAML numbers: plain decimal, as a person writes them. YAML 1.1 (what
# PyYAML implements) also reads 00042 and 0755 as octal (34, 493), 1:30 as base 60 (90), 4_0 as 40,
# 0x1F and 0b101: a profile's `id: 00042` became "34" and `hours_per_week: 1:00` 60.
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
def _written(value: str) -> Written:
    """A plain value YAML 1.1 reads as a number in a form ma-cli does not take as one (nor is it asked
    to convert 5,000 digits): the text as written (bounds.Written)."""
    if len(value) > LONGEST_WRITTEN:
        return too_long(value)
    text = Written(value)
    low = value.lower().lstrip("+-")
    if ":" in value:
        text.why = "is a base-60 number in YAML 1.1 (1:30 means 90); write it in decimal"
    elif "_" in value:
        text.why = "is not a plain number (YAML 1.1 drops the '_': 4_0 means 40); write the digits alone"
    elif low.startswith("0x"):
        text.why = "is a hexadecimal number in YAML 1.1; write it in decimal"
    elif low.startswith("0b"):
        text.why = "is a binary number in YAML 1.1; write it in decimal"
    else:
        text.why = "is an octal number in YAML 1.1 (a leading zero: 010 means 8); write it without the zero"
    return text


def _tag_refused(tag: str, mark) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, f"could not determine a constructor for the tag '{tag}'",
                                             mark)


def _timestamp(loader, node: yaml.ScalarNode):
    # 2021-13-01 looks like a date to YAML but is none; keep the text so the profile or rule
    # check that reads the field can name it ("work[0].from: '2021-13-01' is not a real calendar date").
    try:
        value = loader.construct_yaml_timestamp(node)
    except ValueError:
        return node.value
    if not isinstance(value, datetime):
        return value
    timed = WrittenTime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                        value.microsecond, value.tzinfo)
    timed.written = node.value
    return timed


def _scalar(loader, event) -> Any:
    """The value of one scalar, typed as PyYAML's safe loader types it (str, int, float, bool, None, date),
    except the number forms above (kept as Written text); every tag is refused."""
    value, tag = event.value, event.tag
    if tag is not None:  # !!binary, !!str, !foo, even '!': plain YAML values only
        raise _tag_refused(tag, event.start_mark)
    if not event.implicit[0]:  # quoted: always text
        return value
    tag = _STR_TAG
    for candidate, regexp in _IMPLICIT.get(value[:1], ()):
        if regexp.match(value):
            tag = candidate
            break
    if tag == _STR_TAG:
        return value
    if tag == _INT_TAG:
        if len(value) <= LONGEST_WRITTEN and _PLAIN_INT.fullmatch(value):
            return int(value)
        return _written(value)
    if tag == _FLOAT_TAG and (len(value) > LONGEST_WRITTEN or "_" in value or ":" in value):
        return _written(value)  # (.inf and .nan are read, and refused by the field that reads them)
    node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
    if tag == "tag:yaml.org,2002:timestamp":
        return _timestamp(loader, node)
    if tag == "tag:yaml.org,2002:merge":
        raise _Refused(problem="merge keys ('<<') are not allowed (write the keys out)", problem_mark=event.start_mark)
    if tag == "tag:yaml.org,2002:value":  # '=' alone, which PyYAML's mappings turn into the text '='
        return value
    if tag == _FLOAT_TAG:  # the float, and the digits written if it has not kept them all
        return written_float(loader.yaml_constructors[tag](loader, node), value)
    return loader.yaml_constructors[tag](loader, node)


def _build(loader) -> tuple[Any, list[tuple[str, int, int]]]:
    """Build one document straight from the parser's events -> (data, duplicate keys).

    Working from events, with an explicit stack, is what keeps hostile files harmless: the C
    composer recurses once per nesting level (and crashes the process on deep nesting), while this
    loop refuses more than MAX_DEPTH levels, more than MAX_VALUES values, and any alias before
    anything large is built. It is also one pass instead of a check and then a build.
    """
    duplicates: list[tuple[str, int, int]] = []
    stack: list[list] = []  # [container, pending key or _NO_KEY]; the innermost last
    root: Any = None
    documents = values = 0
    scalar_event, map_start, seq_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    while True:
        event = loader.get_event()
        kind = type(event)
        if kind is scalar_event:
            item = _scalar(loader, event)
            container = None
        elif kind is map_start or kind is seq_start:
            if len(stack) >= MAX_DEPTH:
                raise _Refused(problem=f"nested more than {MAX_DEPTH} levels deep", problem_mark=event.start_mark)
            if event.tag is not None:
                raise _tag_refused(event.tag, event.start_mark)
            item = container = Marked() if kind is map_start else MarkedList()
            item.line, item.column = event.start_mark.line + 1, event.start_mark.column + 1
            if kind is map_start:
                item.key_marks = {}
            else:
                item.item_marks = []
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            continue
        elif kind is yaml.AliasEvent:
            raise _Refused(problem=f"aliases such as '*{event.anchor}' are not allowed (write the value out)",
                           problem_mark=event.start_mark)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                                  "but found another document", event.start_mark)
            continue
        elif kind is yaml.StreamEndEvent:
            return root, duplicates
        else:  # stream start, document end
            continue
        values += 1
        if values > MAX_VALUES:
            raise _Refused(problem=f"more than {MAX_VALUES:,} values; expected a much smaller file",
                           problem_mark=event.start_mark)
        mark = (event.start_mark.line + 1, event.start_mark.column + 1)
        if not stack:
            root = item
        else:
            frame = stack[-1]
            parent = frame[0]
            if type(parent) is MarkedList:
                parent.append(item)
                parent.item_marks.append(mark)
            elif frame[1] is _NO_KEY:  # this item is a key
                if container is not None:
                    raise yaml.constructor.ConstructorError(
                        None, None, "a key must be a plain value, not a list or mapping", event.start_mark)
                if item in parent:
                    # keep the first value and go on, so every duplicate in the file can be reported at once
                    duplicates.append((f"duplicate key '{item}' (first at line {parent.key_marks[item][0]})",
                                       *mark))
                    frame[1] = _Duplicate
                else:
                    parent.key_marks[item] = mark
                    frame[1] = item
            else:
                if frame[1] is not _Duplicate:
                    if container is None and item.__class__ is not str and item is not None and frame[1] == "id":
                        item = event.value  # an id is the text as written: `id: 00042` is "00042", not 34
                    parent[frame[1]] = item
                frame[1] = _NO_KEY
        if container is not None:
            stack.append([container, _NO_KEY])


def _build_with(loader_class, text: str) -> tuple[Any, list[tuple[str, int, int]]]:
    loader = loader_class(text)  # a SafeLoader's parser and safe scalar constructors: plain values only
    try:
        return _build(loader)
    finally:
        loader.dispose()


def _mark_of(err: yaml.YAMLError, text: str) -> tuple[int, int]:
    if isinstance(err, yaml.reader.ReaderError):  # (a character refused before any parsing: no mark, a position)
        before = text[:err.position]
        return before.count("\n") + 1, len(before) - before.rfind("\n")
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    if mark is None:
        return 0, 0
    return mark.line + 1, mark.column + 1


def load_text(text: str, name: str, rule_file: bool = False, problems: list | None = None) -> Any:
    """Parse YAML text; on failure raise an InputError (RuleError for rule files) with the place.

    A duplicate key raises too, unless `problems` is given (rule files only): then every duplicate
    is appended there as a RuleError and the data (first value of each key) is returned.
    """
    try:
        try:
            data, duplicates = _build_with(_Base, text)
        except yaml.YAMLError as err:
            # libyaml 0.2.5 as bundled by newer PyYAML wheels looks ahead over flow collections and
            # stops at its own nesting limit (about 1,000) before ma-cli sees the 65th level. The
            # user should see ma-cli's rule and the place it fires, whatever PyYAML is installed:
            # the pure-Python parser is lazy, so the same text read with it reaches MAX_DEPTH first.
            if _Base is yaml.SafeLoader or "nesting depth" not in str(err):
                raise
            data, duplicates = _build_with(yaml.SafeLoader, text)
    except yaml.YAMLError as err:
        line, col = _mark_of(err, text)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        if isinstance(err, yaml.reader.ReaderError):  # (worded alike by the C and the pure-Python reader)
            problem = (f"the control character U+{err.character:04X} is not allowed (expected printable text; "
                       f"YAML has no place for control characters)")
        context = getattr(err, "context", None) or ""
        if context.startswith("expected a single document"):
            problem = "more than one YAML document ('---'); expected one"
        if "could not determine a constructor" in str(err):
            tag = re.search(r"tag '([^']*)'", str(err))
            shown = f"'{tag[1].replace('tag:yaml.org,2002:', '!!')}'" if tag else "this"
            problem = f"the tag {shown} is not allowed (plain YAML values only, no tags)"
        if rule_file:
            raise RuleError(problem, name, line, col) from None
        verdict = "" if isinstance(err, _Refused) else "not valid YAML: "
        raise InputError(f"{verdict}{problem}", at=FilePlace(name, line, col)) from None
    except RecursionError:
        raise InputError(f"{name}: YAML is nested too deeply") from None
    if duplicates:
        if rule_file and problems is not None:
            problems.extend(RuleError(msg, name, line, col) for msg, line, col in duplicates)
            return data
        msg, line, col = duplicates[0]
        if rule_file:
            raise RuleError(msg, name, line, col)
        raise InputError(f"not valid YAML: {msg}", at=FilePlace(name, line, col))
    return data




def is_stdin(path) -> bool:
    """`-` stands for standard input (an output `-` for standard output), as in most tools."""
    return path is not None and str(path) == "-"


def shown(path) -> str:
    """A path as messages name it: `<stdin>` for `-`."""
    return STDIN if is_stdin(path) else str(path)


def read_text(path: Path, what: str, remedy: str | None = None) -> str:
    """Read a text file (or standard input for `-`) with clear, one-line errors for the usual ways this
    goes wrong; `remedy` says what to do about bytes that are not text (default: save it as UTF-8).

    UTF-8, or UTF-16/32 when the file starts with their byte-order mark, as the YAML specification
    reads a stream (Windows Notepad's "Unicode" is UTF-16 with one)."""
    said = remedy or f"{'send' if is_stdin(path) else 'save'} the {what} as UTF-8"
    return decode_file(read_bytes(path, what), shown(path), None, lambda codec: said, asks_encoding=False)


def read_bytes(path: Path, what: str) -> bytes:
    """The bytes of a file (or of standard input for `-`), at most MAX_BYTES, with read_text's errors."""
    from ma_cli.base.outfile import note_input, stdin_input

    if is_stdin(path):
        stream = stdin_input(what)
        try:
            data = stream.read(MAX_BYTES + 1)
        except OSError as err:
            raise InputError(f"{STDIN}: cannot read {what}: {err.strerror}") from None
        if len(data) > MAX_BYTES:
            raise InputError(f"{STDIN}: {what} is larger than {MAX_BYTES:,} bytes (5 MB); expected less")
        return data
    try:
        with path.open("rb") as handle:
            note_input(os.fstat(handle.fileno()), str(path))  # an output that is this file is refused
            data = _at_most_max(handle, path, what)
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except IsADirectoryError:
        raise not_a_file(path, stat.S_IFDIR, what) from None
    except OSError as err:
        raise InputError(f"{path}: cannot read {what}: {err.strerror}") from None
    return data


# non-blocking: opening a FIFO swapped in after the stat check returns at once (and is then refused);
# no-follow: the path is already resolved, so a link appearing in its place is refused
_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0))


def regular_file(full: str, shown: Any, what: str) -> os.stat_result:
    """The stat of a path that must be a regular file (a rule file, a roster's CE log), or its refusal in one
    line: `full` is its resolved path (os.path.realpath), `shown` the path as messages name it. A folder,
    FIFO or device is named as what it is, and so is a dangling symbolic link or a loop of them (not as a
    file that is not found)."""
    try:
        info = os.stat(full)
    except OSError as err:
        link = broken_link(shown)
        if link:
            raise InputError(f"{shown}: {link}; expected {_a_file(what)}") from None
        if isinstance(err, FileNotFoundError):
            raise InputError(f"{shown}: {what} not found") from None
        raise InputError(f"{shown}: cannot read {what}: {err.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise not_a_file(shown, info.st_mode, what)
    return info


def read_regular(full: str, shown: Any, what: str) -> bytes:
    """The bytes of a file that must be a regular file (regular_file), at most MAX_BYTES. Checked with
    stat before it is opened, and again on the open file, so a FIFO or device is refused, never read: a
    FIFO with no writer would hang the run, a device flood it."""
    from ma_cli.base.outfile import note_input

    before = regular_file(full, shown, what)
    try:
        fd = os.open(full, _READ_FLAGS)
        with open(fd, "rb") as handle:
            now = os.fstat(handle.fileno())
            if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
                raise InputError(f"{shown}: changed while being opened; expected {_a_file(what)}")
            note_input(now, str(shown))  # an output (-o) naming this file is refused before it replaces it
            return _at_most_max(handle, shown, what)
    except OSError as err:
        raise InputError(f"{shown}: cannot read {what}: {err.strerror}") from None


def _at_most_max(handle: Any, shown: Any, what: str) -> bytes:
    """An open file's bytes, refused past MAX_BYTES: one byte past the limit is read rather than trusting
    stat (/dev/zero or a pipe has no size)."""
    data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(f"{shown}: {what} is larger than {MAX_BYTES:,} bytes (5 MB); expected a smaller file")
    return data


def not_a_file(path: Any, mode: int, what: str) -> InputError:
    """The refusal of `path`, named as an input file, when it is something else (its st_mode says what):
    worded alike wherever a file is read (a --ce-log, a roster's ce_log cell)."""
    kind = "a folder" if stat.S_ISDIR(mode) else "a device or pipe, not a file"
    return InputError(f"{path}: is {kind}; expected {_a_file(what)}")


def _a_file(what: str) -> str:
    """'a CE log file', 'a rule file' (not 'a rule file file')."""
    return f"a {what}" if what.endswith("file") else f"a {what} file"


def load_file(path: Path, what: str, rule_file: bool = False, problems: list | None = None) -> Any:
    if rule_file:  # never standard input, and never anything but a regular file (read_regular)
        data = read_regular(os.path.realpath(path), path, what)
        try:
            text = decode_file(data, str(path), None, lambda codec: f"save the {what} as UTF-8", asks_encoding=False)
        except InputError as err:  # bytes that are not text: a problem of this rule file at its line, which
            # `rules validate` lists with the folder's others (it stopped validate, naming no other)
            said = str(err).removeprefix(f"{path}: ")
            line, _, rest = said.partition(": ")
            at = int(line[5:]) if line.startswith("line ") and line[5:].isdecimal() else None
            raise RuleError(rest if at else said, str(path), at or 1, 1) from None
        return load_text(text, str(path), rule_file=True, problems=problems)
    return load_text(read_text(path, what), shown(path), rule_file=rule_file, problems=problems)
