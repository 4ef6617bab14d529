"""The CE log: continuing-education credits a person has earned, from CSV or YAML.

CSV columns: date,credits,category,approved,kind,description (header names case-insensitive,
UTF-8 with or without BOM, UTF-16/32 with one, or as --encoding says when it has none; any line ending; cells
separated by `,` `;` or tab, told from the header line, and header cells left empty not columns, as in a
roster: roster.sniff_delimiter, roster.unnamed_columns). `date` and
`credits` are required; the others may be left out or empty. YAML: a list of mappings with the same
keys. Every problem is an InputError naming the file, the row and the column; a bad row is never
skipped.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from ma_cli.base.bounds import decimal_as_text, read as read_number
from ma_cli.base.dates import DateOutOfRange, parse_partial, written_date, written_text
from ma_cli.base.errors import Arguments, At, FilePlace, InputError, Source, decode_file
from ma_cli.base.frozen import record
from ma_cli.inputs.profile import suggest, yes_no

COLUMNS = ("date", "credits", "category", "approved", "kind", "description")
REQUIRED = ("date", "credits")
CATEGORIES = ("administrative", "clinical", "general")


@record
class CeEntry:
    date: date
    credits: float
    category: str | None
    approved: bool | None  # None: the log does not say
    kind: str | None  # as kind_key reads it: what rules are matched by
    description: str
    where: str  # "log.csv row 4", for messages
    kind_text: str | None = None  # the kind as the row wrote it, for messages


def read_ce_log(path: Path, as_of: date, encoding: str | None = None, args: Arguments | None = None) -> list[CeEntry]:
    """Read a CE log file (CSV, or YAML by its .yaml/.yml suffix); `-` is standard input, YAML when its
    first line that is not blank or a comment starts a list (`- ` or `[`), CSV otherwise.

    `encoding` is --encoding (a codec name, roster.check_encoding; None: UTF-8; a byte-order mark, UTF-8
    or UTF-16/32, wins over either: errors.text_encoding): a CE log is read as a roster is, and worded as a roster when it is not text.
    `args`: how the caller names --encoding (the Python API's `encoding`)."""
    from ma_cli.inputs.yamlio import is_stdin, read_bytes, shown

    name = shown(path)  # the path as given, so a script over many logs knows which one
    text = decode_ce_log(read_bytes(path, "CE log"), name, encoding, args=args)
    if is_stdin(path):
        first = next((line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
        yaml_log = first.startswith(("- ", "[")) or first == "-"
    else:
        yaml_log = path.suffix.lower() in (".yaml", ".yml")
    return parse_ce_text(text, name, yaml_log, as_of)


def decode_ce_log(data: bytes, name: str, encoding: str | None, beside_roster: bool = False,
                  args: Arguments | None = None) -> str:
    """A CE log's bytes as text, in `encoding` or as its byte-order mark says, worded as a roster's.
    `beside_roster`: named in a roster (batch renew), whose --encoding reads the roster and every CE log
    alike, so a log in another encoding is told to be saved as UTF-8, not to change --encoding."""
    from ma_cli.inputs.roster import encoding_remedy, is_workbook

    if is_workbook(name, data[:8]):  # (its bytes would be called 'not text' for a zero byte among them)
        raise InputError(f"{name}: a workbook, which ma-cli does not read as a CE log (expected CSV or YAML text: "
                         f"save the sheet as CSV UTF-8)")
    return decode_file(data, name, encoding, lambda codec: encoding_remedy(codec, args), asks_encoding=True,
                       unmarked="save the CE log as UTF-8 (--encoding reads the roster and every CE log it names "
                                "alike)" if beside_roster else None, args=args)


def parse_ce_text(text: str, name: str, yaml_log: bool, as_of: date, untrusted: bool = False,
                  date_order: str | None = None) -> list[CeEntry]:
    """Entries from the text of a CE log (YAML or CSV); `date_order` reads its slash dates (`batch renew
    --date-order`: the run's order reads the roster and the CE logs it names alike, roster.tidy_date).

    `untrusted`: the file was named by someone other than the user running ma-cli (a roster's
    ce_log cell) and may be any file. Until the file has shown itself a CE log (a CSV header of CE
    columns, a YAML list of mappings of CE fields), no message quotes its content, so a roster
    cannot make ma-cli print a line of a file that is not a CE log.
    """
    from ma_cli.inputs.yamlio import load_text

    if yaml_log:
        try:
            data = load_text(text, name)
        except InputError as err:
            if not untrusted:
                raise
            # the place the YAML broke (its line and column), never the text there
            spot = err.at if isinstance(err.at, FilePlace) else FilePlace(name)
            raise InputError("not a CE log (not YAML that ma-cli reads; expected a list of entries - date: ..., "
                             "credits: ...)", at=FilePlace(name, spot.line, spot.column)) from None
        if data is None:
            raise InputError(f"{name}: the CE log is empty; expected a list of entries (- date: ..., credits: ...)")
        if not isinstance(data, list):
            raise InputError(f"{name}: a YAML CE log should be a list of entries (- date: ..., credits: ...)")
        return parse_ce_rows(data, name, as_of, untrusted, date_order)
    return parse_ce_csv(text, name, as_of, untrusted, date_order)


# One person's CE over a few renewal periods is tens or hundreds of entries; a bound keeps a
# stray 5 MB file from taking seconds and hundreds of MB (190,000 rows: 3 s, 455 MB).
MAX_ENTRIES = 5000


def _too_many(name: str) -> InputError:
    return InputError(f"{name}: more than {MAX_ENTRIES:,} entries; expected one person's CE log")


def parse_ce_csv(text: str, name: str, as_of: date, untrusted: bool = False,
                 date_order: str | None = None) -> list[CeEntry]:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError(f"{name}: the CE log is empty; expected a header line {','.join(COLUMNS)} and one row per "
                         f"course")
    import csv  # (here: `renew --cert X --since DATE` reads no log, and its rules only need CATEGORIES)
    import io

    from ma_cli.inputs.roster import separator_name, sniff_delimiter, unnamed_columns, unnamed_value

    # the separator as a roster's is told when --delimiter is not given (a CE log has no such option):
    # from the header line, the first line with text
    delimiter = sniff_delimiter(next((line for line in text.splitlines() if line.strip()), ""))
    # strict: a double quote left open is an error, not a cell that swallows the rows after it
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    unnamed: list[int] = []
    entries = []
    start = 1  # the line the record being read starts on (a record that CSV cannot read is named by it)
    try:
        for cells in reader:
            row, start = reader.line_num, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # a blank line holds no entry
            if header is None:
                header = _header(cells, name, delimiter, untrusted)
                unnamed = unnamed_columns(header)
                continue
            if len(cells) > len(header):
                inside = "a comma" if delimiter == "," else f"'{separator_name(delimiter)}'"
                raise InputError(f"{name}: row {row}: {len(cells)} cells but the header has {len(header)} "
                                 f"columns (quote a description that contains {inside})")
            if unnamed and (problem := unnamed_value(cells, unnamed)) is not None:
                raise InputError(f"{name}: row {row}: {problem}")
            record = {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(header) if col}
            entries.append(_entry(record, At(CeRow(name, "row", row)), as_of, date_order))
            if len(entries) > MAX_ENTRIES:
                raise _too_many(name)
    except csv.Error as err:
        raise _not_csv(text, name, start, header, err, delimiter) from None
    if header is None:
        raise InputError(f"{name}: the CE log is empty")
    if not entries:
        raise InputError(f"{name}: the CE log has a header but no entries (expected one row per course; with no "
                         f"CE earned yet, leave out the log: the answer then says every point still needed)")
    return entries


def _not_csv(text: str, name: str, row: int, header: list[str] | None, err: Exception,
             delimiter: str) -> InputError:
    """A CE log's record that CSV cannot read (from line `row` on), worded as a roster's."""
    import io

    from ma_cli.inputs.roster import cell_over_limit, cell_too_long, long_cell_index, quote_left_open

    if cell_over_limit(err):  # (the csv module's words say nothing of what to do)
        index = long_cell_index(io.StringIO(text, newline="").readlines()[row - 1:], delimiter)
        column = ""
        if header and index is not None and index < len(header) and header[index]:
            column = f", column '{header[index]}'"
        return cell_too_long(f"{name}: row {row}{column}")
    if quote_left_open(err):
        return InputError(f"{name}: row {row}: a double quote opened on this row is never closed (expected the "
                          f"cell's closing quote; a double quote inside a cell is written twice)")
    return InputError(f"{name}: row {row}: not valid CSV ({err}; a cell that holds a double quote must be quoted "
                      f"whole, with the quote doubled)")


def parse_ce_rows(rows: Iterable[Any], name: str, as_of: date, untrusted: bool = False,
                  date_order: str | None = None) -> list[CeEntry]:
    """Entries from a list of mappings (a YAML log, or a test case's `log:`); `untrusted` as parse_ce_text."""
    entries = []
    for i, item in enumerate(rows, start=1):
        where = f"{name}: entry {i}"
        if not isinstance(item, dict):
            raise InputError(f"{where}: expected a mapping with date, credits, category, ...")
        for key in item:
            if str(key).lower() not in COLUMNS:
                if untrusted:  # (not shown: this may be any YAML file)
                    raise InputError(f"{where}: not a CE log entry (a field that is not one of {', '.join(COLUMNS)})")
                raise InputError(f"{where}: unknown field '{key}'{suggest(str(key).lower(), COLUMNS)}; "
                                 f"expected {', '.join(COLUMNS)}")
        record = {str(k).lower(): ("" if v is None else v) for k, v in item.items()}
        for col in REQUIRED:
            if col not in record:
                raise InputError(f"{where}: missing field '{col}'")
        entries.append(_entry(record, At(CeRow(name, "entry", i)), as_of, date_order))
        if len(entries) > MAX_ENTRIES:
            raise _too_many(name)
    if not entries:
        raise InputError(f"{name}: the CE log has no entries")
    return entries


def _header(cells: list[str], name: str, delimiter: str, untrusted: bool = False) -> list[str]:
    """The header's column names, "" for a cell left empty (not a column: roster.unnamed_columns)."""
    from ma_cli.inputs.roster import other_separator, separator_name

    header = [c.strip().lower() for c in cells]
    seen = set()
    other = other_separator(header, delimiter) if len(header) == 1 else None
    if other is not None and header[0] not in COLUMNS and not untrusted:
        # `|` (or a separator the header line holds fewer of) is not told from the header: say which are
        raise InputError(f"{name}: row 1: the header line is one column, '{cells[0].strip()[:60]}', with "
                         f"'{separator_name(other)}' inside (expected cells separated by , ; or tab, e.g. "
                         f"{','.join(COLUMNS)})")
    for i, col in enumerate(header):
        if not col:
            continue
        if col not in COLUMNS and untrusted:  # (not shown: this may be the first line of any file)
            raise InputError(f"{name}: row 1: not a CE log (column {i + 1} of the first line is not one of "
                             f"{','.join(COLUMNS)})")
        if col not in COLUMNS:
            raise InputError(f"{name}: row 1: unknown column '{col}'{suggest(col, COLUMNS)}; "
                             f"expected columns {','.join(COLUMNS)}")
        if col in seen:
            raise InputError(f"{name}: row 1: column '{col}' appears twice")
        seen.add(col)
    for col in REQUIRED:
        if col not in seen:
            raise InputError(f"{name}: row 1: missing column '{col}' (expected columns {','.join(COLUMNS)})")
    return header


class CeRow(Source):
    """A CE log's row (CSV) or entry (YAML) as the front end of its fields: `ce.csv: row 4, column
    'credits'`, `ce.yaml: entry 2, field 'date'`."""

    __slots__ = ("name", "unit", "number")

    def __init__(self, name: str, unit: str, number: int):
        self.name, self.unit, self.number = name, unit, number

    def place(self, path: tuple) -> str:
        where = f"{self.name}: {self.unit} {self.number}"
        if not path:
            return where
        return f"{where}, {'column' if self.unit == 'row' else 'field'} '{path[0]}'"

    @property
    def label(self) -> str:
        """How an entry names its row in answers: `ce.csv row 4`."""
        return f"{self.name} {self.unit} {self.number}"


def _entry(record: dict, row: At, as_of: date, date_order: str | None = None) -> CeEntry:
    def cell(col: str) -> Any:
        value = record.get(col, "")  # (a yamlio.Written number stays as read: stripping would lose its `why`)
        return value.strip() if isinstance(value, str) and not hasattr(value, "why") else value

    def bad(col: str, message: str) -> InputError:
        return InputError(message, at=row / col)

    raw_date = cell("date")
    if isinstance(raw_date, datetime):
        # YAML reads "2023-01-01 10:00:00" as a timestamp (and the API takes a datetime): messages quote
        # it as written, and its date follows the one rule for a time of day (dates.written_date)
        raw_date = written_text(raw_date)
    if raw_date in ("", None):
        raise bad("date", "empty (expected YYYY-MM-DD)")
    day_text = written_date(raw_date)  # (an export's midnight after the date, as a roster's, is that date)
    if date_order is not None and isinstance(day_text, str) and "/" in day_text:
        from ma_cli.inputs.roster import tidy_date

        day_text = tidy_date(day_text, date_order, row / "date")  # (a day the calendar lacks: named there)
    try:
        day = parse_partial(day_text, row / "date")
    except DateOutOfRange:  # a real date, but outside the years ma-cli handles: that message says so
        raise
    except InputError as err:  # (a month is refused below: a CE log dates each course to the day)
        # a day the calendar lacks (2023-02-30) is named so, as in every other input
        what = "a real calendar date" if "not a real calendar date" in str(err) else "a date"
        raise bad("date", f"'{raw_date}' is not {what} (expected YYYY-MM-DD{_ascii_note(raw_date)})") from None
    if day.precision != "day":
        raise bad("date", f"'{raw_date}' is not a full date (expected YYYY-MM-DD)")
    if day.first > as_of:
        raise bad("date", f"{day.first} is after the as-of date {as_of} (credits cannot be earned in the future)")
    credits = _credits(cell("credits"), bad, row / "credits")
    category = cell("category")
    category = str(category).lower() if category not in ("", None) else None
    if category is not None and category not in CATEGORIES:
        raise bad("category", f"unknown category '{category}'{suggest(category, CATEGORIES)}; "
                              f"expected {', '.join(CATEGORIES)} or empty")
    kind = _scalar(cell("kind"), "kind", "a kind such as cpr-card", bad)
    kind_text = str(kind).strip() if kind not in ("", None) else None
    description = _scalar(cell("description"), "description", "a description", bad)
    return CeEntry(day.first, credits, category, _approved(cell("approved"), bad), kind_key(kind_text),
                   str(description or ""), row.source.label, kind_text)


def _scalar(value: Any, col: str, expected: str, bad) -> Any:
    """A free-text cell as given, refused when it is a YAML list or mapping (or another container the API
    is given): its text would be Python's (`['cpr', 'card']`), which no one wrote, and a kind read from it
    was matched by its words as if it were one."""
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        what = "a mapping" if isinstance(value, dict) else "a list"
        raise bad(col, f"{what} is not text (expected {expected}, or empty)")
    return value


def _ascii_note(value: Any) -> str:
    text = str(value)
    return ", in ASCII digits 0-9" if not text.isascii() and any(c.isdigit() for c in text) else ""


def _credits(value: Any, bad, at: At) -> float:
    if value in ("", None):
        raise bad("credits", "empty (expected a number of credits, e.g. 2 or 1.5)")
    value = decimal_as_text(value)  # (a Python caller's Decimal: its digits, added exactly)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise bad("credits", f"'{value}' is not a number")
    # ASCII digits, within bounds.BOUNDS["credits"]: 5,000 entries can never sum past a float
    credits = read_number(value, "credits", at)
    # (a YAML int is read as that int; an Exact, bounds.as_float, keeps the digits a float does not)
    return credits if isinstance(credits, float) else float(credits)


def _approved(value: Any, bad) -> bool | None:
    if value in ("", None):
        return None
    if isinstance(value, bool):
        return value
    answer = yes_no(str(value).strip())
    if answer is None:
        raise bad("approved", f"'{value}' is not yes or no")
    return answer


# a word is a run of letters and digits (str.isalnum, in any script: `\w` less the underscore); every run
# of anything else (spaces, tabs, `_`, `-`, `.`, `/`, any Unicode dash, a zero-width space) separates two
_WORD = re.compile(r"[^\W_]+")


def kind_key(text: str | None) -> str | None:
    """A CE kind as a log's rows and the rules' `ce_kinds` are matched by: lower case, its words joined by
    one hyphen, so `CPR card`, `cpr_card`, ` CPR-Card `, `CPR–card` (en dash), `cpr.card`, `cpr/card` are all
    `cpr-card` (a log is typed by people, and a spelling that differs only so is the same kind, not one the
    rule misses). None: no kind."""
    return None if text is None else _kind_key(text)


@lru_cache(maxsize=1024)  # a log repeats a few kinds row after row: each is split once, not once a row
def _kind_key(text: str) -> str | None:
    return "-".join(kind_words(text)) or None


def kind_words(text: str) -> list[str]:
    """The words of a kind, case folded: its runs of letters and digits, whatever separates them. Read in
    Unicode's compatibility form (NFKC) first, so that text typed or pasted differently is one kind: an
    accent typed as its own mark (`cafe` + U+0301) is the letter with it, full-width letters (`ＣＰＲ`) are
    the plain ones, a ligature (`ﬁ`) its letters; and folded (`ß` is `ss`), not only lower-cased."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
