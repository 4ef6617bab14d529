"""Workbooks (.xlsx, .xlsm) read as rosters: one sheet's rows streamed as cells of text.

Read with the standard library (zipfile and expat), one row at a time, so memory stays flat
however long the sheet is (the workbook's table of shared strings is held, as every reader holds
it). Measured on a 100,000-row, 18-column roster (bench/sheets.py prints it again): python-calamine
reads it in 0.6 s but holds the whole sheet (116 MiB peak, growing with the rows); openpyxl in
read-only mode stays flat (33 MiB) but takes 5-7 s, more than running the roster itself; this
reader takes about 1.5 s at 13 MiB.

Cells become the text a CSV export would hold, so the roster reader checks them exactly as it
checks CSV: a date cell (a number in a date format) becomes YYYY-MM-DD (with its time when the
time is not midnight), or YYYY-MM (YYYY) when its format shows no day (no month), or its time of day
(HH:MM) when it holds no date (a fraction of a day), or the number itself when it is below 2200 (typed
there: 12 or 2026, which the format shows as a day of 1900-1906; a date column then refuses it as it
refuses that CSV cell); a whole number 24.0 becomes 24 and 1E+20 its digits,
a formula its saved value, TRUE/FALSE stay words, an error value (#N/A) stays its text (and is then a bad cell like any
other), text's `_xHHHH_` escapes (how a workbook stores control characters) the characters.

Two cells are never read as text, because any text would be a wrong value without a word: a formula
with no saved value (a workbook written by a program that does not compute formulas) makes its row
an error row naming the column, or refuses the sheet when it is in the header row; an error value in
the id column (`id_column`, set by the roster once it knows which column that is) makes its row an
error row instead of a person called #N/A. Such a row is yielded as its message instead of cells.
A merged range of data cells reads as its top-left value in every cell of the range, as a person sees it
(its ranges are read before the first row: the sheet stores them after its rows; a range written
corners first-last or last-first is the same rectangle).
A workbook that cannot be read (corrupt, password-protected, another format, no such sheet,
header cells merged across or down into a data row, a merged range that names no cells, more columns
than a spreadsheet has) raises InputError.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Iterator
from xml.parsers import expat

from ma_cli.base.errors import InputError

OTHER_SUFFIXES = {".xls": "an Excel 97-2003 (.xls) workbook", ".xlsb": "a binary Excel (.xlsb) workbook",
                  ".ods": "an OpenDocument (.ods) spreadsheet", ".numbers": "a Numbers spreadsheet"}
MAX_COLUMNS = 16_384          # column XFD, the last a spreadsheet has
MAX_ROWS = 1_048_576          # the last row a spreadsheet has
TYPED_NUMBER = 2200           # a date cell's number below this (but a fraction of a day) is read as typed (_SheetParser.value)
MAX_CELL = 131_072            # characters in one cell, as for CSV
MAX_PART = 16 << 20           # bytes of workbook.xml, styles.xml, a .rels file
MAX_STRINGS = 256 << 20       # bytes of the shared-strings table
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE = "save the sheet as .xlsx, or as CSV UTF-8"


class Sheet:
    """One sheet of an open workbook: `header_cells`, `header_line`, then `rows()`."""

    id_column: int | None = None  # the roster's id column, once the roster has read the header

    def __init__(self, path, name: str, sheet: str | None = None):
        self.name = name
        with open(path, "rb") as probe:
            head = probe.read(8)
        if head.startswith(_OLE):
            raise InputError(_ole_message(path, name))
        suffix = posixpath.splitext(str(path).lower())[1]
        if suffix in OTHER_SUFFIXES:
            raise InputError(f"{name}: {OTHER_SUFFIXES[suffix]} is not read ({_SAVE})")
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
            raise self._corrupt(err) from None
        try:
            self._open(sheet)
        except BaseException:
            self._zip.close()
            raise

    def _corrupt(self, err: Exception) -> InputError:
        detail = str(err) or type(err).__name__
        return InputError(f"{self.name}: not a readable .xlsx workbook ({detail}; expected a workbook saved by a "
                          f"spreadsheet program, or a CSV file)")

    def _open(self, wanted: str | None) -> None:
        try:
            names = set(self._zip.namelist())
            if "mimetype" in names and b"opendocument" in self._zip.read("mimetype")[:100]:
                raise InputError(f"{self.name}: {OTHER_SUFFIXES['.ods']} is not read ({_SAVE})")
            book = _target(_rels(self._zip, "_rels/.rels"), "/officeDocument", "xl/workbook.xml")
            if book not in names:
                raise InputError(f"{self.name}: not an .xlsx workbook (no workbook part inside; {_SAVE})")
            sheets, date1904, recalc = _workbook(_part(self._zip, book))
            rels = _rels(self._zip, posixpath.join(posixpath.dirname(book), "_rels",
                                                   posixpath.basename(book) + ".rels"), posixpath.dirname(book))
            if not sheets:
                raise InputError(f"{self.name}: the workbook has no sheets")
            if wanted is None:
                chosen = next((s for s in sheets if s[2] == "visible"), sheets[0])
            else:
                chosen = next((s for s in sheets if s[0] == wanted), None) or next(
                    (s for s in sheets if s[0].casefold() == wanted.strip().casefold()), None)
                if chosen is None:
                    raise InputError(f"{self.name}: no sheet '{wanted}' (the workbook has: "
                                     f"{', '.join(repr(s[0]) for s in sheets)})")
            self.sheet_name = chosen[0]
            kind, target = rels.get(chosen[1], ("", ""))
            if not kind.endswith("/worksheet") or target not in names:
                what = "a chart, not rows" if kind.endswith("/chartsheet") else "not a sheet of rows"
                raise InputError(f"{self.name}: sheet '{self.sheet_name}' is {what} (expected a sheet whose first "
                                 f"row names the columns)")
            self._part = target
            strings = next((t for k, t in rels.values() if k.endswith("/sharedStrings")), None)
            styles = next((t for k, t in rels.values() if k.endswith("/styles")), None)
            self._strings = _shared_strings(self._zip, strings) if strings in names else []
            self._dates = _date_styles(_part(self._zip, styles)) if styles in names else {}
            self._epoch = date(1904, 1, 1) if date1904 else None
            self._recalc = recalc
            self._rows = self._stream()
            for line, cells in self._rows:
                if cells.__class__ is not list:
                    cells, marks = cells
                    unsaved = [col for col, value in marks if value is None]
                    if unsaved:
                        raise InputError(f"{self.name}: sheet '{self.sheet_name}': header cell "
                                         f"{_letters(unsaved[0])}{line} is a formula with no saved value ({_RESAVE})")
                if any(cells):
                    self.header_line, self.header_cells = line, cells
                    break
            else:
                raise InputError(f"{self.name}: sheet '{self.sheet_name}' is empty (expected a first row naming "
                                 f"the columns, with at least an 'id' column)")
            # the merged ranges are stored after the rows, but are needed before the first: a merged header
            # is refused before anything is written, and merged data cells are spread over their range
            merged = []
            for ref in _merged_ranges(self._zip, self._part):
                cells = merge_range(ref)
                if cells is None:  # (a hand-edited sheet: a spreadsheet would not open it as it is)
                    raise InputError(f"{self.name}: sheet '{self.sheet_name}': merged range '{ref}' is not a range "
                                     f"of cells (expected a range such as B1:C1, within A1:XFD1048576: correct or "
                                     f"remove it, or save the sheet as CSV UTF-8)")
                merged.append(cells)
            self._check_merged_header(merged)
            self._spread = sorted((r for r in merged if r[1] > self.header_line and (r[2] > r[0] or r[3] > r[1])),
                                  key=lambda r: r[1])
        except InputError:
            raise
        except (zipfile.BadZipFile, zlib.error, KeyError, EOFError, OSError, ValueError, expat.ExpatError,
                IndexError, NotImplementedError, RuntimeError) as err:  # RuntimeError: an encrypted member
            raise self._corrupt(err) from None

    def _check_merged_header(self, merged: list[tuple[int, int, int, int]]) -> None:
        """Merged header cells: refuse them (one name per column is needed, and a data row's cells are not
        under the header: a cell merged down from the header hides that row's cell)."""
        line = self.header_line
        for first_col, first_row, last_col, last_row in merged:
            if not first_row <= line <= last_row or (first_col, first_row) == (last_col, last_row):
                continue
            ref = f"{_letters(first_col)}{first_row}:{_letters(last_col)}{last_row}"
            if last_col > first_col:
                raise InputError(f"{self.name}: sheet '{self.sheet_name}': header cells {ref} are merged "
                                 f"(expected one column name per cell: unmerge them and name each column)")
            if first_row < line:
                how = "merged with the row above it" if first_row == line - 1 else "merged with the rows above it"
            else:
                how = f"merged down into row {last_row}" if last_row == line + 1 else \
                    f"merged down into rows {line + 1}-{last_row}"
            raise InputError(f"{self.name}: sheet '{self.sheet_name}': header cell {_letters(first_col)}{line} is "
                             f"{how} ({ref}; expected the column names in row {line} alone: unmerge the cells)")

    def rows(self) -> Iterator[tuple[int, list[str] | tuple[str, list[str]]]]:
        """(row number, cells as text) for every row after the header; for a row that cannot be read as
        text (a formula with no saved value, an error value as the id), (row number, (its error text, its
        cells with those cells left empty)): the error row still shows whose row it is. A merged range's
        value is in each of its cells."""
        spread = _Spreader(self._spread) if self._spread else None
        try:
            for line, cells in self._rows:
                marks = None
                if cells.__class__ is not list:  # (cells, marks): a formula without a value, an error value
                    cells, marks = cells
                if spread is not None:
                    marks = spread.fill(line, cells, marks)
                if marks:
                    problem = self._problem(line, marks)
                    if problem is not None:
                        shown = list(cells)
                        for col, _ in marks:
                            if col < len(shown):
                                shown[col] = ""
                        yield line, (problem, shown)
                        continue
                yield line, cells
        except InputError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, expat.ExpatError, IndexError) as err:
            raise self._corrupt(err) from None

    def _problem(self, line: int, marks: list[tuple[int, str | None]]) -> str | None:
        """The error text of a row with marked cells, or None when its cells may be read as text."""
        for col, value in marks:
            if value is None:
                return (f"line {line}: {self._column_name(col)} ({_letters(col)}{line}) is a formula with no "
                        f"saved value ({_RESAVE})")
        for col, value in marks:
            if col == self.id_column:
                return (f"line {line}: {self._column_name(col)} ({_letters(col)}{line}) holds the error value "
                        f"{value} (expected the person's id: correct the formula, or type the id)")
        return None

    def _column_name(self, col: int) -> str:
        header = self.header_cells
        name = header[col].strip() if col < len(header) else ""
        return f"column '{name}'" if name else f"column {_letters(col)}"

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "Sheet":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _stream(self) -> Iterator[tuple[int, Any]]:
        parser = _SheetParser(self._strings, self._dates, self._epoch, self, self._recalc)
        xml = _parser(parser.start, parser.end, parser.data)
        done = parser.done
        with self._zip.open(self._part) as f:
            while True:
                chunk = f.read(1 << 16)
                xml.Parse(chunk, not chunk)
                if done:
                    yield from done
                    done.clear()
                if not chunk:
                    return

    def too_wide(self, row: int) -> InputError:
        return InputError(f"{self.name}: sheet '{self.sheet_name}', row {row}: more than {MAX_COLUMNS:,} columns "
                          f"(expected a roster a spreadsheet can hold)")

    def too_long(self, row: int) -> InputError:
        return InputError(f"{self.name}: sheet '{self.sheet_name}', row {row}: a cell over {MAX_CELL:,} characters "
                          f"(expected a roster cell)")


# --- the sheet's XML, row by row ----------------------------------------------------------------

_C, _V, _T, _ROW, _IS, _RPH, _F, _OTHER = range(8)
_TAGS = {"c": _C, "v": _V, "t": _T, "row": _ROW, "is": _IS, "rPh": _RPH, "f": _F}
_RESAVE = ("open the workbook in Excel or LibreOffice and save it, so the values are stored with the "
           "formulas; or type the value")


class _SheetParser:
    """expat handlers that collect finished rows in `done`: (row number, cells as text), or for a row
    with a formula cell that has no saved value or an error value (row number, (cells, marks)), marks
    being (column, the error value, or None for no saved value)."""

    def __init__(self, strings: list[str], dates: dict[str, str], epoch: date | None, sheet: Sheet,
                 recalc: bool = False):
        self.strings, self.dates, self.epoch, self.sheet = strings, dates, epoch, sheet
        # a workbook that asks to be recalculated when opened (XlsxWriter's fullCalcOnLoad) was written
        # without computing its formulas: a formula's 0 there is the writer's placeholder, not a value
        self.recalc = recalc
        self.done: list[tuple[int, Any]] = []
        self.marks: list[tuple[int, str | None]] = []
        self.formula = False
        self.kinds: dict[str, int] = {}
        self.row_number = 0
        self.cells: list[str] = []
        self.col = -1
        self.type = "n"
        self.style = None
        self.text: list[str] = []
        self.collect = False
        self.phonetic = False

    def kind(self, tag: str) -> int:
        k = self.kinds.get(tag)
        if k is None:
            k = self.kinds[tag] = _TAGS.get(tag.rpartition(":")[2], _OTHER)
        return k

    def start(self, tag: str, attrs: dict) -> None:
        k = self.kinds.get(tag)
        if k is None:
            k = self.kind(tag)
        if k == _C:
            ref = attrs.get("r")
            col = _column(ref) if ref else self.col + 1
            if col >= MAX_COLUMNS:
                raise self.sheet.too_wide(self.row_number)
            self.col, self.type, self.style = col, attrs.get("t", "n"), attrs.get("s")
            self.text = []
            self.formula = False
        elif k == _V or (k == _T and not self.phonetic):
            self.collect = True
        elif k == _ROW:
            r = attrs.get("r")
            self.row_number = int(r) if r else self.row_number + 1
            self.cells = []
            self.col = -1
        elif k == _RPH:
            self.phonetic = True
        elif k == _F:
            self.formula = True

    def data(self, text: str) -> None:
        if self.collect:
            self.text.append(text)

    def end(self, tag: str) -> None:
        k = self.kinds.get(tag)
        if k is None:
            k = self.kind(tag)
        if k == _V or k == _T:
            self.collect = False
        elif k == _C:
            text = "".join(self.text) if self.text else ""
            if self.formula and (self.type == "n" or self.type == "e") and (
                    not text or (self.recalc and text == "0")):
                # a number formula always has a value once computed (a text formula may be "")
                self.marks.append((self.col, None))
            elif self.type == "e" and text:
                self.marks.append((self.col, text))
            if text:
                if len(text) > MAX_CELL:
                    raise self.sheet.too_long(self.row_number)
                value = self.value(text)
                cells = self.cells
                if len(cells) < self.col:
                    cells.extend([""] * (self.col - len(cells)))
                cells.append(value)
        elif k == _ROW:
            if self.marks:
                self.done.append((self.row_number, (self.cells, self.marks)))
                self.marks = []
            else:
                self.done.append((self.row_number, self.cells))
        elif k == _RPH:
            self.phonetic = False

    def value(self, text: str) -> str:
        t = self.type
        if t == "s":
            return self.strings[int(text)]
        if t == "n":
            if self.style is not None:
                precision = self.dates.get(self.style)
                if precision is not None:
                    serial = float(text)
                    # a number up to 2199 (the last year a date may have) in a date cell is a number typed
                    # there (a day, a year: 12, 2026), which the cell's format shows as a day of 1900-1906,
                    # and so is 0 or a negative number (no day at all); read as typed, so a date column says it
                    # is no date, as it says of that CSV cell. A fraction of a day is a time of day
                    if (0 < serial < 1 or serial >= TYPED_NUMBER) or precision == "time":
                        return _serial_date(serial, self.epoch, precision)
            if text.isdigit():
                return text
            number = float(text)
            if number.is_integer():
                if abs(number) < 1e15:
                    return str(int(number))
                # 1E+20 as the digits typed (an id), read from the text the workbook stores, not the float
                return str(int(Decimal(text)))
            # as Excel shows it: 15 significant digits, never in exponent form (a formula's 0.1+0.2 is 0.3, not
            # 0.30000000000000004; a small 1E-7 is 0.0000001, which the number reader reads, not '1e-07'). Excel
            # keeps no more digits of a number typed, so none is lost
            return format(Decimal(f"{number:.15g}"), "f")
        if t == "b":
            return "TRUE" if text.strip() == "1" else "FALSE"
        if t == "d":
            return _MIDNIGHT.sub("", text)
        if "_x" in text and t != "e":
            return _unescape(text)
        return text  # inlineStr, str (a formula's text), e (an error value such as #N/A)


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """A workbook's `_xHHHH_` (how it stores a control character) as the character; `_x005F_` is the `_`
    that keeps a typed `_x000D_` as text."""
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if any("\ud800" <= c <= "\udfff" for c in decoded):
        # a character beyond U+FFFF written as its two UTF-16 halves (_xD83D__xDE00_) is joined; a half
        # alone is no character and no output can encode it: U+FFFD, the replacement character
        decoded = decoded.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return decoded


_MIDNIGHT = re.compile(r"T00:00(:00(\.0+)?)?Z?$")
_EXCEL_EPOCH = date(1899, 12, 30)
_SHOWN = {"month": 7, "year": 4}  # characters of YYYY-MM-DD a format without the day (the month) shows


def _serial_date(serial: float, epoch: date | None, precision: str = "day") -> str:
    """A date cell's number -> YYYY-MM-DD, or YYYY-MM-DD HH:MM:SS when it has a time of day; YYYY-MM or
    YYYY when its format (`precision`, of date_precision) shows no day or no month, as its CSV export
    does; HH:MM (HH:MM:SS) for a time of day alone (day 0: 1900-01-00, no date; in a 1904 workbook day 0
    is 1904-01-01, so only a time format says it is a time)."""
    days = int(serial // 1)
    seconds = round((serial - days) * 86400)
    if seconds == 86400:
        days, seconds = days + 1, 0
    if days == 0 and (epoch is None or precision == "time"):
        minutes, second = divmod(seconds, 60)
        text = f"{minutes // 60:02d}:{minutes % 60:02d}"
        return f"{text}:{second:02d}" if second else text
    if epoch is None:
        if days == 60:  # the 1900 leap day spreadsheets count and calendars do not: not a date
            return "1900-02"[:_SHOWN[precision]] if precision in _SHOWN else "1900-02-29"
        epoch = _EXCEL_EPOCH if days > 60 else date(1899, 12, 31)
    try:
        day = epoch + timedelta(days=days)
    except OverflowError:
        return repr(serial)
    if precision in _SHOWN:
        return day.isoformat()[:_SHOWN[precision]]
    if not seconds:
        return day.isoformat()
    return (datetime(day.year, day.month, day.day) + timedelta(seconds=seconds)).isoformat(" ")


def _column(ref: str) -> int:
    n = 0
    for ch in ref:
        o = ord(ch)
        if 65 <= o <= 90:
            n = n * 26 + o - 64
        elif 97 <= o <= 122:
            n = n * 26 + o - 96
        else:
            break
        if n > MAX_COLUMNS:
            break
    return n - 1


def _letters(col: int) -> str:
    out = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


# --- the workbook's other parts ------------------------------------------------------------------

def _parser(start, end, data=None) -> "expat.XMLParserType":
    p = expat.ParserCreate()
    p.buffer_text = True
    p.StartElementHandler, p.EndElementHandler = start, end
    if data is not None:
        p.CharacterDataHandler = data

    def no_dtd(*args):  # a workbook never has one; entities are how XML bombs are built
        raise ValueError("a document type declaration (not allowed in a workbook)")

    p.StartDoctypeDeclHandler = no_dtd
    p.EntityDeclHandler = no_dtd
    return p


def _local(tag: str) -> str:
    return tag.rpartition(":")[2]


def _part(z: zipfile.ZipFile, name: str, limit: int = MAX_PART) -> bytes:
    with z.open(name) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"part {name} is larger than {limit:,} bytes")
    return data


def _rels(z: zipfile.ZipFile, name: str, base: str = "") -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, part name in the zip)."""
    if name not in z.namelist():
        return {}
    out: dict[str, tuple[str, str]] = {}

    def start(tag, attrs):
        if _local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            out[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

    p = _parser(start, lambda tag: None)
    p.Parse(_part(z, name), True)
    return out


def _target(rels: dict[str, tuple[str, str]], kind: str, default: str) -> str:
    return next((t for k, t in rels.values() if k.endswith(kind)), default)


def _workbook(xml: bytes) -> tuple[list[tuple[str, str, str]], bool, bool]:
    """[(sheet name, relationship id, visible|hidden|veryHidden)], whether dates count from 1904, and
    whether the workbook asks to have its formulas computed when opened."""
    sheets: list[tuple[str, str, str]] = []
    flags = {"1904": False, "recalc": False}

    def start(tag, attrs):
        local = _local(tag)
        if local == "sheet":
            rid = next((v for k, v in attrs.items() if k == "id" or k.endswith(":id")), "")
            sheets.append((attrs.get("name", ""), rid, attrs.get("state", "visible")))
        elif local == "workbookPr":
            flags["1904"] = attrs.get("date1904", "0").lower() in ("1", "true")
        elif local == "calcPr":
            flags["recalc"] = attrs.get("fullCalcOnLoad", "0").lower() in ("1", "true")

    p = _parser(start, lambda tag: None)
    p.Parse(xml, True)
    return sheets, flags["1904"], flags["recalc"]


def _shared_strings(z: zipfile.ZipFile, name: str) -> list[str]:
    strings: list[str] = []
    text: list[str] = []
    state = {"t": False, "phonetic": False}

    def start(tag, attrs):
        local = _local(tag)
        if local == "t" and not state["phonetic"]:
            state["t"] = True
        elif local == "si":
            text.clear()
        elif local == "rPh":
            state["phonetic"] = True

    def end(tag):
        local = _local(tag)
        if local == "t":
            state["t"] = False
        elif local == "si":
            got = "".join(text)
            strings.append(_unescape(got) if "_x" in got else got)
        elif local == "rPh":
            state["phonetic"] = False

    def data(chars):
        if state["t"]:
            text.append(chars)

    p = _parser(start, end, data)
    read = 0
    with z.open(name) as f:
        while True:
            chunk = f.read(1 << 16)
            read += len(chunk)
            if read > MAX_STRINGS:
                raise ValueError(f"the shared strings are larger than {MAX_STRINGS:,} bytes")
            p.Parse(chunk, not chunk)
            if not chunk:
                return strings


# A number format's parts, in its first section: a quoted literal, an escaped or padding character, a
# [...] section (a colour, a locale, or [h] [mm] [ss]: elapsed time), AM/PM, the word General are not
# date parts; a run of d, m, y, h or s is.
_FORMAT_PART = re.compile(r'"[^"]*"|\\.|[_*].|(\[(?:h+|m+|s+)\])|\[[^\]]*\]|am/pm|a/p|general|(;)|(([dmyhs])\4*)')


def date_precision(code: str) -> str | None:
    """What a number format shows of a date: "day" (a date, with or without its time), "month" (a year
    and month, no day: yyyy-mm, mmm yyyy), "year" (a year alone), "time" (a time of day alone), or None
    (not a date: a number format, text, or elapsed time such as [h]:mm). An m or mm right after an hour
    or before seconds is minutes (h:mm, mm:ss), as spreadsheets read it."""
    parts: list[str] = []
    for m in _FORMAT_PART.finditer(code.lower()):
        if m.group(1):
            return None  # elapsed time: a duration, not a day
        if m.group(2):
            break  # the first section (positive numbers) is the format of a date
        if m.group(3):
            parts.append(m.group(3))
    kinds = set()
    for i, run in enumerate(parts):
        kind = run[0]
        if kind == "m" and len(run) <= 2 and (i and parts[i - 1][0] == "h" or
                                               i + 1 < len(parts) and parts[i + 1][0] == "s"):
            kind = "minute"
        kinds.add(kind)
    if not kinds:
        return None
    clock = kinds & {"h", "minute", "s"}
    if kinds <= {"h", "minute", "s"}:
        return "time"
    if "d" in kinds or clock:
        return "day"
    if "y" in kinds:
        return "month" if "m" in kinds else "year"
    return "day"  # a month alone (mmmm) names no year: read as the date the cell holds, as ever


# the built-in number formats that are dates or times (a workbook names them by number, not code)
_BUILTIN_DATES: dict[int, str | None] = {n: date_precision(code) for n, code in {
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0"}.items()}
# 27-36 and 50-58: dates and times whose codes differ by East Asian locale: read as dates to the day
_BUILTIN_DATES.update(dict.fromkeys([*range(27, 37), *range(50, 59)], "day"))


def _date_styles(xml: bytes) -> dict[str, str]:
    """The cell style indexes (the `s` of a cell, as its text) whose number format shows a date or
    time -> date_precision of the format."""
    formats: dict[int, str] = {}
    xfs: list[int] = []
    inside = {"cellXfs": False}

    def start(tag, attrs):
        local = _local(tag)
        if local == "numFmt":
            try:
                formats[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
            except ValueError:
                pass
        elif local == "cellXfs":
            inside["cellXfs"] = True
        elif local == "xf" and inside["cellXfs"]:
            try:
                xfs.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xfs.append(0)

    def end(tag):
        if _local(tag) == "cellXfs":
            inside["cellXfs"] = False

    p = _parser(start, end)
    p.Parse(xml, True)
    out: dict[str, str] = {}
    for i, fmt in enumerate(xfs):
        precision = date_precision(formats[fmt]) if fmt in formats else _BUILTIN_DATES.get(fmt)
        if precision is not None:
            out[str(i)] = precision
    return out


class _Spreader:
    """Merged data cells spread over their range, row by row as the rows stream: each range's top-left
    value (and its mark: an error value, a formula with no saved value) fills every cell of the range.
    Holds only the ranges, never a row: a range whose first row the sheet lacks has no value to spread."""

    def __init__(self, ranges: list[tuple[int, int, int, int]]):
        self.ranges = ranges  # sorted by first row
        self.next = 0
        self.active: list[tuple[int, int, int, str, tuple]] = []  # (last row, first col, last col, value, mark)

    def fill(self, line: int, cells: list[str], marks: list | None) -> list | None:
        ranges = self.ranges
        while self.next < len(ranges) and ranges[self.next][1] <= line:
            first_col, first_row, last_col, last_row = ranges[self.next]
            self.next += 1
            if first_row == line:
                value = cells[first_col] if first_col < len(cells) else ""
                mark = next(((m,) for m in marks or () if m[0] == first_col), ())
                if value or mark:
                    self.active.append((last_row, first_col, last_col, value, mark))
        if not self.active:
            return marks
        self.active = [a for a in self.active if a[0] >= line]
        for _, first_col, last_col, value, mark in self.active:
            if len(cells) <= last_col:
                cells.extend([""] * (last_col + 1 - len(cells)))
            for col in range(first_col, last_col + 1):
                cells[col] = value
            if mark:
                marks = [m for m in marks or () if not first_col <= m[0] <= last_col]
                marks.extend((col, mark[0][1]) for col in range(first_col, last_col + 1))
        return marks


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b([^>]*)>")
_REF_ATTRIBUTE = re.compile(rb"""\bref\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_RANGE = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})(?::([A-Za-z]{1,3})([0-9]{1,7}))?")


def _merged_ranges(z: zipfile.ZipFile, part: str) -> list[str]:
    """The ref of each merged range, as the sheet writes it (`B1:C1`; "" when it has none): one pass over
    the part."""
    found = []
    tail = b""
    with z.open(part) as f:
        while True:
            chunk = f.read(1 << 16)
            if not chunk:
                break
            data = tail + chunk
            cut = data.rfind(b"<")
            cut = cut if cut > len(data) - 512 else len(data)
            for m in _MERGE.finditer(data, 0, cut) if b"mergeCell" in data else ():  # (most chunks: rows)
                ref = _REF_ATTRIBUTE.search(m.group(1))
                found.append((ref.group(1) or ref.group(2) or b"").decode("utf-8", "replace") if ref else "")
            tail = data[cut:]
    return found


def merge_range(ref: str) -> tuple[int, int, int, int] | None:
    """(first column, first row, last column, last row) of a merged range's ref, its corners in either
    order (`B3:A1` is A1:B3, the rectangle it names); None when it names no range of cells on a sheet
    (`B`, `A1:ZZZ`, a row 0, a column past XFD or a row past 1,048,576)."""
    m = _RANGE.fullmatch(ref.strip())
    if m is None:
        return None
    a, r1, b, r2 = m.group(1), int(m.group(2)), m.group(3) or m.group(1), int(m.group(4) or m.group(2))
    c1, c2 = _column(a), _column(b)
    if not (1 <= r1 <= MAX_ROWS and 1 <= r2 <= MAX_ROWS and c1 < MAX_COLUMNS and c2 < MAX_COLUMNS):
        return None
    return min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)


def _ole_message(path, name: str) -> str:
    """An OLE compound file: an encrypted (password-protected) .xlsx, or an old .xls workbook."""
    marker = "EncryptedPackage".encode("utf-16-le")
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            if marker in chunk:
                return (f"{name}: the workbook is password-protected (expected a workbook without a password: "
                        f"open it, save a copy without one, or {_SAVE})")
    return f"{name}: {OTHER_SUFFIXES['.xls']} is not read ({_SAVE})"
