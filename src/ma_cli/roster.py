"""Rosters: a CSV of people, one a row, read as a stream of validated profiles.

Each row becomes the same mapping a profile file holds and goes through
`profile.parse_profile`, so a roster cell is checked exactly like a profile field. The
file is read one row at a time (memory stays flat however long the roster is). A row that
cannot be used still comes out, with its error, so no row is ever dropped; only a roster
that cannot be read at all (missing, not UTF-8 text, no `id` column) raises InputError.
"""

from __future__ import annotations

import csv
import difflib
import io
import operator
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from ma_cli.errors import InputError
from ma_cli.frozen import record
from ma_cli.profile import ROLES, Profile, parse_profile
from ma_cli.roster_fast import _NO, _PROGRAM_COLUMNS, _YES, quick_profile

# column -> what it holds; the README's column table says the same in more words
COLUMNS = {
    "id": "the person's identifier, echoed in the output (required)",
    "age": "age in years",
    "birth_date": "date of birth (instead of age)",
    "high_school": "yes / no, or the expected graduation date",
    "program": "program accreditation: caahep, abhes, institutional or none",
    "completed": "program completion date",
    "expected": "expected program completion date (a current student)",
    "accredited_since": "date the program was accredited",
    "academic_hours": "academic contact hours",
    "externship_hours": "externship / practicum hours",
    "award": "certificate, diploma or associate",
    "postsecondary": "yes / no (default yes)",
    "apprenticeship": "yes / no (default no)",
    "injections": "documented injections",
    "venipunctures": "documented venipunctures",
    "military": "date US Armed Forces medical training was completed",
    "work": "work periods FROM..TO[@HOURS] separated by ';', TO may be 'present'",
    "held": "credentials held, CRED[:SINCE] separated by ';'",
    "failed_attempts": "failed exam attempts, CRED:N separated by ';'",
}
REQUIRED = ("id",)
_BOOLEAN_COLUMNS = ("high_school", "postsecondary", "apprenticeship")


def column_key(header: str) -> str:
    """Header cells match case-insensitively; spaces and hyphens count as underscores."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


@record
class RosterRow:
    line: int                    # the line of the file the row starts on (the header is line 1)
    id: str
    extra: tuple[str, ...]       # the cells of the columns ma-cli does not read, in header order
    subject: Any                 # what the row asks about (a Profile for eligibility); None on error
    error: str | None = None

    @property
    def profile(self) -> Profile | None:
        return self.subject


@dataclass(frozen=True)
class RosterKind:
    """What a roster holds: its columns (column -> meaning), the required ones, and the row parser.

    `parse(values, line)` gets the known columns' cells (stripped, by column key) and returns the
    row's subject, or raises InputError naming the line and column.
    """

    columns: dict[str, str]
    required: tuple[str, ...]
    parse: Callable[[dict[str, str], int], Any]
    example: str  # a header to show when the required columns are missing
    listing: str = "ma-cli batch columns"  # the command that lists the columns


class Roster:
    """An open roster: the header is checked on opening, rows are read on iteration."""

    def __init__(self, source: IO[bytes] | Iterable[str], name: str, kind: RosterKind | None = None):
        self.name = name
        self.kind = kind = kind or ELIGIBILITY
        if hasattr(source, "readinto"):  # bytes: bad UTF-8 becomes lone surrogates, found row by row below
            source = io.TextIOWrapper(source, encoding="utf-8-sig", errors="surrogateescape", newline="")
        # rows already split into cells (ma_cli.eligible_rows) come with their own reader
        self._reader = source if hasattr(source, "line_num") else csv.reader(source, strict=True)  # an unclosed
        # quote is an error, not one huge cell
        try:
            header = next(self._reader, None)
        except csv.Error as err:
            raise _unreadable(name, 1, err) from None
        if header and not _is_text(header):
            raise InputError(f"{name}: line 1: not UTF-8 text (expected a CSV file saved as UTF-8)")
        if header:
            header[0] = header[0].lstrip("\ufeff")  # a BOM the decoder did not see (text already decoded)
        if not header or not any(cell.strip() for cell in header):
            raise InputError(f"{name}: empty roster (expected a CSV header line with at least an 'id' column)")
        keys = [column_key(h) for h in header]
        missing = [c for c in kind.required if c not in keys]
        if missing:
            raise InputError(f"{name}: no '{missing[0]}' column in the header line (expected a CSV file whose "
                             f"first line names the columns, e.g. {kind.example}; `{kind.listing}` lists the columns)")
        self.known: dict[str, int] = {}
        self.extra_names: list[str] = []
        self._extra_index: list[int] = []
        for i, key in enumerate(keys):
            if key in kind.columns:
                if key in self.known:
                    raise InputError(f"{name}: column '{header[i].strip()}' appears twice in the header line "
                                     f"(expected each column once)")
                self.known[key] = i
            else:
                self.extra_names.append(header[i].strip())
                self._extra_index.append(i)
        # An extra column is passed through untouched, so a misspelt column ('programme') would be
        # silently ignored and every row answered as if the fact were missing: refuse near misses.
        absent = [c for c in kind.columns if c not in self.known]
        for i in self._extra_index:
            close = difflib.get_close_matches(keys[i], absent, n=1, cutoff=0.8)
            if close:
                raise InputError(f"{name}: column '{header[i].strip()}' is not a roster column; did you mean "
                                 f"'{close[0]}'? (rename it; `{kind.listing}` lists the columns)")
        self.width = len(header)

    def __iter__(self) -> Iterator[RosterRow]:
        reader, name = self._reader, self.name
        known = tuple(self.known.items())
        known_keys = tuple(key for key, _ in known)
        known_cells = _picker([i for _, i in known])
        extra_index = self._extra_index
        extra_cells = _picker(extra_index)
        id_index = self.known["id"]
        width = self.width
        parse = self.kind.parse
        strip = str.strip
        last = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as err:  # e.g. a stray or unclosed quote: this row is lost to CSV, say so
                line, last = last + 1, reader.line_num
                if "field larger than field limit" in str(err):
                    raise _unreadable(name, line, err) from None
                yield RosterRow(line, "", ("",) * len(extra_index), None,
                                f"line {line}: not readable as CSV ({err}; a cell that holds a double quote "
                                f"must be quoted whole, with the quote doubled)")
                continue
            line, last = last + 1, reader.line_num
            joined = "".join(cells)
            garbled = not joined.isascii() and not _is_text(cells)  # (ASCII is always text: the common case)
            if garbled:  # keep the row (and its id, as well as it reads) with the error
                cells = [c.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for c in cells]
                joined = "".join(cells)
            if not joined.strip():
                continue  # a blank line (or a spreadsheet's trailing ,,,) is not a person
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            extra = extra_cells(cells)
            pid = cells[id_index].strip()
            if garbled:
                yield RosterRow(line, pid, extra, None, f"line {line}: not UTF-8 text (expected a CSV file saved as UTF-8)")
                continue
            if len(cells) > width:
                yield RosterRow(line, pid, extra, None,
                                f"line {line}: {len(cells)} cells but the header has {width} columns "
                                f"(a comma inside a cell needs double quotes)")
                continue
            try:
                subject = parse(dict(zip(known_keys, map(strip, known_cells(cells)))), line)
            except InputError as err:
                yield RosterRow(line, pid, extra, None, str(err))
                continue
            yield RosterRow(line, pid, extra, subject)


def _picker(indexes: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The function that picks these cells of a row, as a tuple (operator.itemgetter, which gives
    a bare cell when there is one index)."""
    if not indexes:
        return lambda cells: ()
    if len(indexes) == 1:
        index = indexes[0]
        return lambda cells: (cells[index],)
    return operator.itemgetter(*indexes)


def _is_text(cells: list[str]) -> bool:
    """False when a cell holds bytes that were not UTF-8 (decoded as lone surrogates)."""
    try:
        "".join(cells).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _unreadable(name: str, line: int, err: Exception) -> InputError:
    return InputError(f"{name}: line {line}: not readable as CSV ({err})")


def profile_from_cells(values: dict[str, str], line: int) -> Profile:
    """One eligibility row -> a Profile, checked by parse_profile; errors name the line and column."""
    quick = quick_profile(values)  # the same Profile, for the common well-formed row
    if quick is not None:
        return quick
    try:
        return parse_profile(row_mapping(values, line), f"line {line}")
    except InputError as err:
        raise InputError(_column_message(str(err))) from None


ELIGIBILITY = RosterKind(COLUMNS, REQUIRED, profile_from_cells, "id,program,completed")


def row_mapping(values: dict[str, str], line: int) -> dict:
    """One row's cells (by column key, stripped) -> the mapping a profile file would hold."""
    where = f"line {line}"
    data: dict = {}
    if not values.get("id"):
        raise InputError(f"{where}, column id: empty (expected an identifier for every row)")
    data["id"] = values["id"]
    for key in ("age", "birth_date"):
        if values.get(key):
            data[key] = values[key]
    if values.get("high_school"):
        data["high_school"] = _boolean(values["high_school"])
    program = {k: values[k] for k in _PROGRAM_COLUMNS if values.get(k)}
    if values.get("program"):
        program["accreditation"] = values["program"]
        for key in _BOOLEAN_COLUMNS[1:]:
            if key in program:
                program[key] = _boolean(program[key])
        data["programs"] = [program]
    elif program:
        raise InputError(f"{where}, column program: empty, but {', '.join(program)} given "
                         f"(expected caahep, abhes, institutional or none)")
    if values.get("military"):
        data["military"] = [{"completed": values["military"]}]
    if values.get("work"):
        data["work"] = parse_work_cell(values["work"], where)
    if values.get("held"):
        data["held"] = [{"credential": cred, **({"since": since} if since else {})}
                        for cred, since in _pairs(values["held"], "held", where, "CRED[:SINCE]")]
    if values.get("failed_attempts"):
        data["failed_attempts"] = {cred: n for cred, n in _pairs(values["failed_attempts"], "failed_attempts",
                                                                 where, "CRED:N", need_value=True)}
    return data


def parse_work_cell(cell: str, where: str) -> list[dict]:
    """`2021-01-01..2023-06-30@40;2024-01-01..present@20` (optionally `instructor:` before a period)."""
    periods = []
    for n, spec in enumerate(s.strip() for s in cell.split(";")):
        if not spec:
            continue
        role, colon, body = spec.partition(":")
        if not colon or role.strip().lower() not in ROLES:
            role, body = "medical-assistant", spec
        body, _, hours = body.partition("@")
        start, dots, end = body.partition("..")
        if not dots or not start.strip():
            raise InputError(f"{where}, column work, period {n + 1}: '{spec}' is not a period "
                             f"(expected FROM..TO[@HOURS], e.g. 2021-01-01..present@20)")
        period = {"role": role.strip().lower(), "from": start.strip(), "to": end.strip() or "present"}
        if hours.strip():
            period["hours_per_week"] = hours.strip()
        periods.append(period)
    return periods


def _pairs(cell: str, column: str, where: str, form: str, need_value: bool = False) -> Iterator[tuple[str, str]]:
    for n, item in enumerate(s.strip() for s in cell.split(";")):
        if not item:
            continue
        key, _, value = item.partition(":")
        if not key.strip() or (need_value and not value.strip()):
            raise InputError(f"{where}, column {column}, entry {n + 1}: '{item}' (expected {form})")
        yield key.strip().lower(), value.strip()


def _boolean(text: str) -> bool | str:
    low = text.lower()
    if low in _YES:
        return True
    if low in _NO:
        return False
    return text  # parse_profile names what it expects (a date for high_school)


# profile field paths (as parse_profile names them) -> the roster column that holds them
_PATHS = [
    (re.compile(r"^programs\[0\]\.accreditation$"), "column program"),
    (re.compile(r"^programs\[0\]\.(\w+)$"), r"column \1"),
    (re.compile(r"^programs\[0\]$"), "columns program, completed, expected"),
    (re.compile(r"^military\[0\](\.\w+)?$"), "column military"),
    (re.compile(r"^work\[(\d+)\]\.(\w+)$"), "column work, period #\\1, \\2"),
    (re.compile(r"^work\[(\d+)\]$"), "column work, period #\\1"),
    (re.compile(r"^held\[(\d+)\]\.(\w+)$"), "column held, entry #\\1, \\2"),
    (re.compile(r"^held\[(\d+)\]$"), "column held, entry #\\1"),
    (re.compile(r"^failed_attempts(\.\w+)?$"), "column failed_attempts"),
    (re.compile(r"^(\w+)$"), r"column \1"),
]


def _column_message(message: str) -> str:
    """'line 5.programs[0].completed: ...' -> 'line 5, column completed: ...'."""
    m = re.match(r"^(line \d+)(?:\.(\S+?))?: (.*)$", message, re.S)
    if not m or not m.group(2):
        return message
    where, path, detail = m.groups()
    for pattern, replacement in _PATHS:
        if pattern.match(path):
            column = pattern.sub(replacement, path)
            column = re.sub(r"#(\d+)", lambda k: str(int(k.group(1)) + 1), column)
            return f"{where}, {column}: {detail}"
    return message


def open_roster(path: str) -> tuple[IO[bytes] | IO[str], str]:
    """The roster's line stream (bytes, decoded by Roster) and its name for messages; `-` is standard input."""
    if path == "-":
        return getattr(sys.stdin, "buffer", sys.stdin), "<stdin>"  # Roster decodes bytes itself
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path}: is a folder (expected a CSV roster file, or - for standard input)")
    try:
        return open(p, "rb"), str(path)
    except FileNotFoundError:
        raise InputError(f"{path}: roster not found (expected a CSV file, or - for standard input)") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror}; expected a readable CSV file)") from None
