"""Rosters: a CSV of people (or a workbook's sheet: sheets.py), one a row, read as a stream of
validated profiles.

Each row becomes the same mapping a profile file holds and goes through
`profile.parse_profile`, so a roster cell is checked exactly like a profile field. The
file is read one row at a time (memory stays flat however long the roster is). A row that
cannot be used still comes out, with its error, so no row is ever dropped; only a roster
that cannot be read at all (missing, not text in its encoding, no `id` column) raises InputError.

What spreadsheets export is read as it is: UTF-8 with or without a byte-order mark, UTF-16 with
one ("Unicode Text"), `,` `;` or tab between cells (told from the header line), `5/15/2026`
dates with --date-order, `2026-05-15 0:00:00` as a date, `24.0` as 24 in a whole-number column.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import itertools
import operator
import os
import re
import stat
import sys
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from ma_cli.base.dates import ISO_DATE_AT_MIDNIGHT, MIDNIGHT_TIME, without_midnight
from ma_cli.base.errors import HEAD_BYTES, Arguments, At, InputError, ask_encoding, not_text, text_encoding
from ma_cli.base.frozen import field, record
from ma_cli.inputs.profile import Profile, parse_profile
from ma_cli.inputs.roster_columns import ACCREDITATION_WORDS, COLUMNS as _TABLE, RosterLine
from ma_cli.inputs.roster_fast import quick_profile

# column -> what it holds (each column is defined once, in roster_columns.py); the README's column
# table says the same in more words
COLUMNS = {column.name: column.means for column in _TABLE}
REQUIRED = ("id",)
EXAMPLES = {column.name: column.example for column in _TABLE}
# headers that are well-known names for a roster column: refused (passed through, the fact would be
# left out of every row: a 15-year-old without a diploma answered eligible), while that column is absent
# and beside it alike (Roster); `--column "dob=birth_date"` maps one onto the column
ID_ALIASES = ("student_id", "studentid", "student_number", "student_no", "student", "employee_id",
               "employee_number", "person_id", "learner_id", "staff_id")
ALIASES = {
    **dict.fromkeys(ID_ALIASES, "id"),
    **dict.fromkeys(("dob", "d_o_b", "date_of_birth", "birthdate", "birthday", "born", "birth"), "birth_date"),
    **dict.fromkeys(("age_years", "years_old"), "age"),
    **dict.fromkeys(("hs_diploma", "diploma", "ged", "hs", "hs_ged", "high_school_diploma", "hs_graduate",
                     "highschool", "high_school_graduate"), "high_school"),
    **dict.fromkeys(("accreditation", "program_accreditation", "accreditor", "program_type", "prog",
                     "program_name"), "program"),
    **dict.fromkeys(("grad", "grad_date", "graduation_date", "graduated", "graduation", "completion_date", "completion",
                     "date_completed", "completed_on", "program_completed", "program_completion"), "completed"),
    **dict.fromkeys(("expected_graduation", "expected_grad_date", "expected_completion", "expected_date",
                     "anticipated_graduation", "expected_grad"), "expected"),
    **dict.fromkeys(("externship", "practicum_hours", "practicum"), "externship_hours"),
    **dict.fromkeys(("military_date", "military_training", "military_completed", "military_training_date"),
                    "military"),
    **dict.fromkeys(("work_history", "employment", "employment_history", "work_experience", "experience",
                     "hire_date", "hire_dt", "date_hired", "date_of_hire", "original_hire_date", "hours_per_week",
                     "hours_week", "hours_wk", "hours_per_wk", "hrs_per_week", "hrs_week", "hrs_wk", "hrs_per_wk",
                     "weekly_hours", "weekly_hrs", "employment_start", "employment_end", "work_start", "work_end",
                     "termination_date", "last_day_worked", "years_of_service", "tenure", "yrs_of_exp"), "work"),
    **dict.fromkeys(("credentials", "certifications", "credentials_held", "certifications_held"), "held"),
    **dict.fromkeys(("blood_draws", "blood_draw", "draws", "phlebotomy_draws", "venipuncture",
                     "venipunctures_performed"), "venipunctures"),
    **dict.fromkeys(("capillary", "capillary_punctures", "finger_sticks", "fingersticks", "skin_punctures"),
                    "capillary_sticks"),
    **dict.fromkeys(("ekg", "ecg", "ecgs", "ekg_tracings", "electrocardiograms"), "ekgs"),
    **dict.fromkeys(("didactic_hours", "classroom_hours", "lecture_hours"), "academic_hours"),
}
# Words inside a longer header that say which roster column it holds (`HS/GED`, `Current Age`, `Military
# Completion Date`): while that column is absent, such a header is refused as an alias is, since passed
# through it would leave the fact out of every row. The aliases count as such words (not the id's: a
# `Student Name` is no id), and so do the columns' own names, but for those a header names in passing
# ('Work Phone', 'Program Director', 'Clinical Site'); `--column "HEADER="` passes a header through.
def telling_words(columns, aliases: dict[str, str], in_passing: tuple[str, ...] = ("id",)) -> dict[str, str]:
    """A roster kind's words that name its columns inside a longer header: the columns' names but those
    a header names in passing (always the id's), and the aliases but the id's."""
    return {**{column: column for column in columns if column not in in_passing},
            **{alias: column for alias, column in aliases.items() if column != "id"}}


_NAMED_IN_PASSING = ("id", "program", "field", "clinical", "work", "held", "award", "postsecondary", "apprenticeship")
TELLING_WORDS = {
    **telling_words(COLUMNS, ALIASES, _NAMED_IN_PASSING),
    **dict.fromkeys(("h_s", "hs_grad", "completed_high_school", "high_school_completed", "high_school_graduation"),
                    "high_school"),
    **dict.fromkeys(("birth_day", "birth_dt"), "birth_date"),
    **dict.fromkeys(("mil", "armed_forces", "military_completion", "military_completion_date"), "military"),
    **dict.fromkeys(("anticipated", "anticipated_completion", "expected_graduation_date"), "expected"),
    **dict.fromkeys(("yrs_old", "yr_old"), "age"),
    **dict.fromkeys(("bday", "b_day"), "birth_date"),
    **dict.fromkeys(("secondary_education",), "high_school"),
    **dict.fromkeys(("attempts", "attempt", "retakes", "retake", "failed", "fails", "failures", "failed_exams",
                     "times_failed", "attempts_failed", "exam_attempts", "exam_retakes"), "failed_attempts"),
}
# The other words such a header may hold and still be only that fact (`Current Age`, `DOB (date)`, `Mil.
# Training`, `CMA Exam Attempts`): a header with any other word says something else of it (`Age Group`,
# `Birth Place`, `Externship Site`, `Expected Start Date`, `Graduation Ceremony`) and is passed through.
FILLER_WORDS = frozenset((
    "date", "dt", "of", "the", "on", "at", "in", "yrs", "yr", "years", "year", "old", "current", "curr", "now",
    "y", "n", "yes", "no", "received", "earned", "completed", "complete", "completion", "graduation", "grad",
    "graduated", "diploma", "training", "trained", "number", "num", "nbr", "count", "total", "given", "student",
    "students", "person", "employee", "staff", "hours", "hrs", "mm", "dd", "yyyy", "yy", "prior", "previous",
    "times", "certification", "cert", "performed", "documented", "logged", "administered", "held", "history",
    # the bundled credentials' names (`CMA Exam Attempts`)
    "cma", "rma", "ccma", "ncma", "cmac", "cmas", "cpt", "rpt", "pbt", "ncpt", "cet", "ncet", "coa", "cmaa"))
DATE_COLUMNS = tuple(c.name for c in _TABLE if c.kind == "date") + ("high_school",)
DATES_INSIDE = tuple(c.name for c in _TABLE if c.kind == "dates inside")  # cells that hold dates among other text
WHOLE_COLUMNS = tuple(c.name for c in _TABLE if c.kind == "whole")


_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")  # a header's bracketed part: `(yrs)`, `[mm/dd/yyyy]`


def column_key(header: str) -> str:
    """Header cells match case-insensitively, full-width letters as plain ones and accents dropped; each
    run of characters other than letters and digits counts as one underscore (`Age (years)` is
    `age_years`, `D.O.B.` is `d_o_b`, `HS/GED` is `hs_ged`), none at either end."""
    text = header.strip().lower()
    if not text.isascii():  # full-width letters, and accents however they were saved (`Âge` is `age`)
        import unicodedata

        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "_", text).strip("_")


def columns_named_in(key: str, words: dict[str, str]) -> list[str]:
    """The roster columns a header key's words name (`words`: phrase -> column), read left to right,
    the longest phrase first at each word (`expected_graduation` is `expected`, not also `completed`);
    none when a word is neither such a phrase's nor one of FILLER_WORDS (the header is about
    something else: `Age Group`)."""
    parts = key.split("_")
    found: list[str] = []
    i = 0
    while i < len(parts):
        for n in range(min(4, len(parts) - i), 0, -1):
            column = words.get("_".join(parts[i:i + n]))
            if column is not None:
                if column not in found:
                    found.append(column)
                i += n
                break
        else:
            if parts[i] not in FILLER_WORDS:
                return []
            i += 1
    return found


@record
class RosterRow:
    line: int                    # the line of the file the row starts on (the header is line 1)
    id: str
    extra: tuple[str, ...]       # the cells of the columns ma-cli does not read, in header order
    subject: Any                 # what the row asks about (a Profile for eligibility); None on error
    error: str | None = None
    about: str | None = None     # a refused row's credential, when its kind reads one (RosterKind.about)

    @property
    def profile(self) -> Profile | None:
        return self.subject


@record
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
    aliases: dict[str, str] = field(factory=dict)  # a well-known other name -> column
    telling: dict[str, str] = field(factory=dict)  # a phrase inside a longer header -> the column it names
    dates: tuple[str, ...] = ()         # columns holding one date
    dates_inside: tuple[str, ...] = ()  # columns holding dates among other text
    whole: tuple[str, ...] = ()         # columns holding a whole number
    # the parse opens files (a renewal row's CE log): it runs in the main process, which knows the
    # outputs a file read must not be (outfile.note_input); else worker processes may run it
    reads_files: bool = False
    # the credential a row is about, read from its cells even when the row is refused (a renewal row's
    # `credential`), so the summary counts its error under that credential alone; None: every credential
    about: Callable[[dict[str, str]], str | None] | None = None


@record
class ReadOptions:
    """How to read a roster file: the options of `ma-cli batch` that say what the file is."""

    encoding: str | None = None    # a Python codec name; None: UTF-8 (a BOM wins over either)
    delimiter: str | None = None   # None: told from the header line
    date_order: str | None = None  # "mdy" or "dmy" for slash dates; None: a slash date is an error
    columns: tuple[tuple[str, str], ...] = ()  # (header, roster column) from --column
    sheet: str | None = None       # a workbook's sheet; None: the first
    python: bool = False  # rows given to the Python API (eligible_rows): a mapping is its `columns=`, not --column

    def mapping(self, header: str, column: str, given: bool = False) -> str:
        """One mapping of a header onto a roster column, as the caller gives it: `--column "Student ID=id"`
        (a message naming one given quotes it as `--column 'Student ID=id'`), or the Python API's
        `columns={'Student ID': 'id'}`."""
        if self.python:
            return f"columns={{{header!r}: {column!r}}}"
        quote = "'" if given else '"'
        return f"--column {quote}{header}={column}{quote}"

    def remedy(self, header: str, column: str) -> str:
        """How to map a header: `run with --column "Student ID=id"`, or `pass columns={'Student ID': 'id'}`."""
        return f"{'pass' if self.python else 'run with'} {self.mapping(header, column)}"


DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\\t": "\t", "\t": "\t", "|": "|"}
DATE_ORDERS = ("mdy", "dmy")


def check_encoding(name: str, what: str = "--encoding") -> str:
    """--encoding (`what`: the Python API's `encoding`): any Python codec that decodes bytes to text."""
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        info = None
    if info is None or getattr(info, "_is_text_encoding", True) is False or not _decodes(info):
        raise InputError(f"'{name}' is not a known text encoding (expected a Python codec name, "
                         f"e.g. cp1252, latin-1, utf-16)", at=what)
    if info.name in ESCAPE_CODECS:
        raise InputError(f"'{name}' reads escape sequences, not a file's encoding; it can make text "
                         f"no output can hold (expected a file encoding, e.g. utf-8, cp1252, latin-1, utf-16)", at=what)
    return info.name


def _decodes(info: codecs.CodecInfo) -> bool:
    """Whether the codec reads plain letters at all: 'undefined' is a text codec that refuses every byte.
    The bytes tried are the codec's own for the letters, as a file in it holds them: two fixed bytes are
    no whole UTF-32 code unit (four), so UTF-32 was refused as no text encoding."""
    try:
        return info.decode(info.encode("id")[0])[0] == "id"
    except (UnicodeError, ValueError, TypeError):
        return False


# Codecs that turn escape sequences in the bytes (\ud800, +2AA-) into text, lone surrogates included:
# text that no UTF-8 output (CSV, JSON Lines, a workbook) can hold. A roster file is never written in them.
ESCAPE_CODECS = ("unicode-escape", "raw-unicode-escape", "utf-7", "punycode", "idna")


def check_delimiter(text: str) -> str:
    got = DELIMITERS.get(text) if text.lower() != "tab" else "\t"
    if got is None:
        raise InputError(f"--delimiter: '{text}' is not a cell separator ma-cli reads (expected , ; tab or |)")
    return got


def check_date_order(text: str, what: str = "--date-order") -> str:
    """--date-order (`what`: the Python API's `date_order`): mdy or dmy."""
    order = text.strip().lower() if isinstance(text, str) else text
    if order not in DATE_ORDERS:
        raise InputError(f"'{text}' is not known (expected mdy for 5/15/2026 = May 15, "
                         f"or dmy for 15/5/2026 = 15 May)", at=what)
    return order


def check_columns(specs: list[str] | None, kind: "RosterKind",
                  given: Mapping[str, str] | None = None) -> tuple[tuple[str, str], ...]:
    """--column "Student ID=id" (repeatable): a header onto a roster column; or `given`, the Python API's
    `columns={'Student ID': 'id'}` (each named in messages as its caller wrote it)."""
    pairs: list[tuple[str, str]] = []
    named = ([(f"columns[{h!r}]", h, "=", c) for h, c in given.items()] if given is not None
             else [(f"--column '{spec}'", *spec.rpartition("=")) for spec in specs or []])
    for where, header, eq, column in named:
        if not eq or not header.strip():
            example = "columns={'Student ID': 'id'}" if given is not None else '--column "Student ID=id"'
            raise InputError(f"{where}: expected HEADER=COLUMN, e.g. {example} "
                             f"(or HEADER= to pass a header through)")
        key = column_key(column)  # "": the header is passed through, whatever it looks like
        if key and key not in kind.columns:
            raise InputError(f"{where}: '{column.strip()}' is not a roster column"
                             f"{_did_you_mean(key, kind.columns)} (expected one of: {', '.join(kind.columns)})")
        header = header.strip()
        # one header onto two columns: the first mapping renamed it, so the second found no such header
        # and said so while listing it; the same mapping twice is that mapping
        same = next((p for p in pairs if column_key(p[0]) == column_key(header)), None)
        if same is not None:
            if same[1] == key:
                continue
            raise InputError(f"{where}: header '{header}' is mapped twice ('{same[0]}={same[1]}', then "
                             f"'{header}={key}'); expected each header mapped once")
        pairs.append((header, key))
    return tuple(pairs)


def _did_you_mean(key: str, names) -> str:
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Roster:
    """An open roster: the header is checked on opening, rows are read on iteration.

    `source` is a CSV byte stream (decoded here), lines of text, or a workbook sheet
    (`sheets.Sheet`: its header and rows, already cells of text).
    """

    def __init__(self, source, name: str, kind: RosterKind | None = None, options: ReadOptions | None = None):
        self.name = name
        self.kind = kind = kind or ELIGIBILITY
        self.options = options = options or ReadOptions()
        self._sheet = source if hasattr(source, "header_cells") else None
        used = None  # the separator the CSV header line was split at
        if self._sheet is not None:
            header = list(self._sheet.header_cells)
            self._header_line = self._sheet.header_line
        else:
            if hasattr(source, "line_num"):  # rows already split into cells (ma_cli.eligible_rows)
                self._encoding, self._reader = "utf-8", source
            else:
                self._encoding, lines = _text_lines(source, name, options.encoding)
                # held here, not only by the reader's chain, which lets go of it at the last line: collected
                # then, while its file is still open, it closed the file itself and warned of a file left open
                self._lines = lines
                start = lines.tell() if _seekable(lines) else None
                first = next(lines, "")
                delimiter = used = options.delimiter or sniff_delimiter(first)
                # a file: a cell too big to read, or a quote never closed, stops it before any output, not midway
                if start is not None:
                    if not _short_cells_only(first, lines):
                        lines.seek(start)
                        next(lines, "")
                        _check_records(itertools.chain((first,), lines), delimiter, name)
                    lines.seek(start)
                    first = next(lines, "")
                # an unclosed quote is an error, not one huge cell
                self._reader = csv.reader(itertools.chain((first,), lines), delimiter=delimiter, strict=True)
            try:
                header = next(self._reader, None)
            except csv.Error as err:
                # (a pipe is not checked whole first: a quote opened in the header is named here)
                if quote_left_open(err):
                    raise unclosed_quote(name, 1, _runs_on(err, 1, getattr(self._reader, "line_num", 1))) from None
                raise _unreadable(name, 1, err) from None
            except UnicodeDecodeError as err:
                raise _not_text(name, 1, self._encoding, err) from None
            if header:
                header[0] = header[0].lstrip("\ufeff")  # a BOM the decoder did not see (text already decoded)
            self._header_line = 1
        what = "a header row" if self._sheet is not None else "a CSV header line"
        whose = "a sheet whose first row" if self._sheet is not None else "a CSV file whose first line"
        if not header or not any(cell.strip() for cell in header):
            raise InputError(f"{name}: empty roster (expected {what} with at least an 'id' column)")
        keys = [column_key(h) for h in header]
        mapped: dict[int, str] = {}  # header cell -> the --column that renamed it
        for wanted, column in options.columns:  # --column "Student ID=id"
            hits = [i for i, key in enumerate(keys) if key == column_key(wanted)]
            if not hits:
                raise InputError(f"{name}: {options.mapping(wanted, column, given=True)}: no column '{wanted}' in the header "
                                 f"(it has: {', '.join(h.strip() for h in header if h.strip())})")
            for i in hits:
                if not column and keys[i] in kind.columns:
                    raise InputError(f"{name}: {options.mapping(wanted, '', given=True)}: '{header[i].strip()}' is the roster column "
                                     f"'{keys[i]}', which is read (expected a header that is not a roster column)")
                keys[i] = column
                mapped[i] = options.mapping(wanted, column, given=True)
        # a well-known other name for a roster column the header lacks, or a header whose words name one:
        # passed through, it would leave the fact out of every row without a word, so refuse it and say
        # how to map it (or, when it holds something else, to pass it through). Every such header is named
        # at once (a student-records export may hold five), the first with the whole remedy
        refused: list[tuple[str, str, str]] = []  # (the message, the header, the roster column it is)
        for i, key in enumerate(keys):
            if i in mapped or key in kind.columns:
                continue
            if used is not None and any(sep in header[i] for sep in "|;\t,"):
                continue  # (a cell joining columns by another separator: said below, as such)
            column = kind.aliases.get(key)
            if column is None:
                # a unit or format in brackets after a column's name (`Age (yrs)`, `DOB (mm/dd/yyyy)`): the
                # name before it says what the column is
                bare = column_key(_BRACKETED.sub(" ", header[i]))
                column = bare if bare in kind.columns else kind.aliases.get(bare)  # (key itself is neither)
            meant = [column] if column is not None else columns_named_in(key, kind.telling)
            absent = [c for c in meant if c not in keys]
            if absent:
                label = header[i].strip()
                refused.append((f"{name}: column '{label}' looks like the roster column "
                                f"{' or '.join(repr(c) for c in absent)}; rename it '{absent[0]}', or "
                                f"{options.remedy(label, absent[0])} (or {options.mapping(label, '')} if it holds "
                                f"something else, to pass it through)", label, absent[0]))
                continue
            # beside the column it names only that column is read: this one's facts (a `Graduation Date`
            # filled beside an empty `completed`) would be left out of every row without a word. An id's
            # other name beside the id is another number kept with the row (`Student ID` beside `id`).
            beside = [c for c in meant if c != "id"]
            if beside:
                label, other = header[i].strip(), header[keys.index(beside[0])].strip()
                refused.append((f"{name}: columns '{other}' and '{label}' are both the roster column "
                                f"'{beside[0]}' (only '{other}' is read; '{label}' would be left out of every "
                                f"row): keep one of them, or {options.remedy(label, '')} if it holds "
                                f"something else, to pass it through", label, beside[0]))
        if refused:
            more = ", ".join(f"'{label}' (the roster column '{column}')" for _, label, column in refused[1:])
            raise InputError(refused[0][0] + (f"; the same for {more}" if more else ""))
        missing = [c for c in kind.required if c not in keys]
        # a header that is not recognised may be split at the wrong character: `|` (which the header line
        # is not told by: sniff_delimiter), or a --delimiter that is not the file's
        other = other_separator(header, used) if missing and used is not None else None
        if other is not None and len(header) == 1:
            expected = (("tabs" if used == "\t" else f"'{used}'") + " as --delimiter says" if options.delimiter
                        else ", ; or tab")
            raise InputError(f"{name}: the header line is one column, '{header[0].strip()[:60]}', with "
                             f"'{separator_name(other)}' inside (expected cells separated by {expected}, or run "
                             f"with --delimiter {_flag_value(other)})")
        if missing:
            hint = (f"; a header cell holds '{separator_name(other)}': if it separates the cells, run with "
                    f"--delimiter {_flag_value(other)}") if other is not None else ""
            raise InputError(f"{name}: no '{missing[0]}' column in the header line (expected {whose} names the "
                             f"columns, e.g. {kind.example}; `{kind.listing}` lists the columns{hint})")
        self.known: dict[str, int] = {}
        self.extra_names: list[str] = []
        self._extra_index: list[int] = []
        # A header cell left empty is not a column: a spreadsheet exports `id,program,completed,,` when
        # cells right of the table were once formatted. Its cells are ignored while empty; a value in
        # one makes its row an error row (records()), never a nameless pass-through column.
        self._unnamed = unnamed_columns(header)
        for i, key in enumerate(keys):
            if not header[i].strip():
                continue
            if key in kind.columns:
                if key in self.known:
                    earlier = self.known[key]
                    if i in mapped or earlier in mapped:  # a --column made the second one: say which
                        by = mapped.get(i) or mapped[earlier]
                        raise InputError(f"{name}: {by} gives the header a second '{key}' column "
                                         f"('{header[earlier].strip()}' and '{header[i].strip()}'; expected each "
                                         f"roster column once: rename or map the other one)")
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
                                 f"'{close[0]}'? (rename it, or {options.remedy(header[i].strip(), '')} if it "
                                 f"holds something else, to pass it through; `{kind.listing}` lists the columns)")
        # a pass-through cell that is roster columns joined by another separator ('program|completed'): the
        # file is split at the wrong character, and its facts would be missing from every row without a word
        for i in self._extra_index if used is not None else ():  # (a workbook's cells are cells)
            if i in mapped:
                continue  # (passed through as asked: --column "HEADER=")
            for sep in ("|", ";", "\t", ","):
                parts = [column_key(p) for p in header[i].split(sep)]
                if sep != used and len(parts) > 1 and all(p in kind.columns for p in parts):
                    shown = "tabs" if used == "\t" else f"'{used}'"
                    raise InputError(f"{name}: the header cell '{header[i].strip()[:60]}' is roster columns joined "
                                     f"by '{separator_name(sep)}' (expected cells separated by {shown}; if "
                                     f"'{separator_name(sep)}' separates the cells, run with --delimiter "
                                     f"{_flag_value(sep)})")
        self.width = len(header)
        self._tidy = _tidier(kind, options.date_order, self.known, options.python)
        if self._sheet is not None:
            self._sheet.id_column = self.known["id"]  # an error value there is not an id (sheets.py)

    def _csv_cells(self) -> Iterator[tuple[int, list[str] | str]]:
        """(line, cells) per CSV record; cells is the error text for a record CSV cannot read."""
        reader, name = self._reader, self.name
        last = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as err:  # e.g. a stray or unclosed quote: this row is lost to CSV, say so
                line, last = last + 1, reader.line_num
                if cell_over_limit(err):
                    raise _unreadable(name, line, err) from None
                if _runs_on(err, line, reader.line_num):  # (a pipe: a file was refused before any row)
                    raise unclosed_quote(name, line) from None
                yield line, (f"line {line}: not readable as CSV ({err}; a cell that holds a double quote "
                             f"must be quoted whole, with the quote doubled)")
                continue
            except UnicodeDecodeError as err:  # only a stream that could not be checked first (a pipe)
                raise _not_text(name, reader.line_num + 1, self._encoding, err) from None
            line, last = last + 1, reader.line_num
            yield line, cells

    def __iter__(self) -> Iterator[RosterRow]:
        return map(self.finisher(), self.records())  # (no generator of its own to resume for each row)

    def records(self) -> Iterator[RosterRow | tuple[int, str, tuple[str, ...], list[str]]]:
        """The rows as read, before their cells are parsed: (line, id, pass-through cells, all cells), or
        already a RosterRow for a row that is an error whatever its cells say (not readable as CSV,
        more cells than the header). `finisher()` makes each a RosterRow; `batch --jobs` runs it in
        its worker processes when the parse reads no file (RosterKind.reads_files)."""
        extra_index = self._extra_index
        extra_cells = _picker(extra_index)
        id_index = self.known["id"]
        width = self.width
        comma = "a comma inside a cell needs double quotes" if self._sheet is None else "a cell outside the header"
        unnamed = self._unnamed
        unnamed_cells = _picker(unnamed)
        for line, cells in (self._sheet.rows() if self._sheet is not None else self._csv_cells()):
            if cells.__class__ is str:
                yield RosterRow(line, "", ("",) * len(extra_index), None, cells)
                continue
            if cells.__class__ is tuple:  # a sheet's row it cannot read as text: its error, its other cells
                problem, cells = cells
                cells = cells + [""] * (width - len(cells))
                yield RosterRow(line, cells[id_index].strip(), extra_cells(cells), None, problem)
                continue
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            pid = cells[id_index].strip()
            if not pid and not "".join(cells).strip():  # (a row with an id is not blank: no join for it)
                continue  # a blank line (or a spreadsheet's trailing ,,,) is not a person
            extra = extra_cells(cells)
            if len(cells) > width:
                yield RosterRow(line, pid, extra, None,
                                f"line {line}: {len(cells)} cells but the header has {width} columns ({comma})")
                continue
            if unnamed and "".join(unnamed_cells(cells)).strip():
                yield RosterRow(line, pid, extra, None, f"line {line}: {unnamed_value(cells, unnamed)}")
                continue
            yield line, pid, extra, cells

    def finisher(self) -> Callable[[RosterRow | tuple[int, str, tuple[str, ...], list[str]]], RosterRow]:
        """The function that turns a record of `records()` into its RosterRow: the known columns' cells
        tidied and parsed by the roster's kind (a RosterRow passes as it is)."""
        known = tuple(self.known.items())
        known_keys = tuple(key for key, _ in known)
        known_cells = _picker([i for _, i in known])
        parse, about = self.kind.parse, self.kind.about
        tidy = self._tidy
        strip = str.strip

        def finish(read: RosterRow | tuple[int, str, tuple[str, ...], list[str]]) -> RosterRow:
            if read.__class__ is RosterRow:
                return read  # type: ignore[return-value]
            line, pid, extra, cells = read  # type: ignore[misc]
            values = dict(zip(known_keys, map(strip, known_cells(cells))))
            try:
                if tidy is not None:
                    tidy(values, line)
                subject = parse(values, line)
            except InputError as err:
                return RosterRow(line, pid, extra, None, str(err), about(values) if about is not None else None)
            return RosterRow(line, pid, extra, subject)

        return finish


# --- reading text: encodings and separators ----------------------------------------------------

_UTF8 = ("utf-8", "utf-8-sig")


def _text_lines(source, name: str, encoding: str | None) -> tuple[str, Iterator[str]]:
    """(the encoding, the roster's lines as text), every byte checked before the first row is read.

    Without --encoding a file is UTF-8, or UTF-16/32 when it starts with their byte-order mark; bytes
    that are not text in the encoding refuse the whole file (never a replacement character in an id).
    """
    if not hasattr(source, "readinto"):  # already text
        return "utf-8", iter(source)
    raw = source
    seekable = False
    try:  # a device (/dev/zero) may seek but never ends: it is read as a pipe is, line by line
        seekable = raw.seekable() and _ends(raw)
    except (AttributeError, OSError, ValueError):
        pass
    if hasattr(raw, "peek"):
        head = raw.peek(HEAD_BYTES)[:HEAD_BYTES]
    elif seekable:
        start = raw.tell()
        head = raw.read(HEAD_BYTES)
        raw.seek(start)
    else:
        raw = io.BufferedReader(raw)
        head = raw.peek(HEAD_BYTES)[:HEAD_BYTES]
    encoding = text_encoding(head, encoding, name)
    if seekable:
        _check_text(raw, name, encoding)
        return encoding, io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
    return encoding, _pipe_lines(raw, name, encoding)


# The longest line a roster read from a pipe or device may have: far beyond any real row (the CSV reader
# refuses a cell over 131,072 characters), and it keeps memory bounded when the input never ends a
# line (/dev/zero, a binary stream piped in by mistake).
LINE_MAX = 1 << 22


def _ends(raw) -> bool:
    """The open file is a regular file (or an in-memory one): reading it to the end, to check it before
    the first row, ends."""
    try:
        return stat.S_ISREG(os.fstat(raw.fileno()).st_mode)
    except (OSError, ValueError):  # no file descriptor (io.BytesIO): in memory, so it has an end
        return True


def _pipe_lines(raw, name: str, encoding: str) -> Iterator[str]:
    """A pipe's lines as text, split as a TextIOWrapper with newline="" splits them, decoded as they come.

    A pipe cannot be checked before the first row (it is read once): bytes that are not text stop
    it, but only after every line before them, and the error names their own line. A TextIOWrapper
    decodes a block ahead, so it would lose the lines of that block before the bad bytes and
    name the line the reader had reached.
    """
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    read = getattr(raw, "read1", raw.read)
    pending = ""  # text of the line not yet ended (a "\r" may still be followed by its "\n")
    lines_out = 0
    while True:
        chunk = read(1 << 16)
        state = decoder.getstate()
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as err:
            # the text before the bad bytes, found a byte at a time from the state before this chunk
            # (once per run; exact for every codec, whatever its buffering or byte-order marks)
            decoder.setstate(state)
            good = []
            for i in range(len(chunk)):
                try:
                    good.append(decoder.decode(chunk[i:i + 1]))
                except UnicodeDecodeError:
                    break
            whole = io.StringIO(pending + "".join(good), newline="").readlines()
            if whole and not whole[-1].endswith(("\n", "\r")):
                whole.pop()
            yield from whole
            raise _not_text(name, lines_out + len(whole) + 1, encoding, err) from None
        if not chunk:
            if pending + text:
                yield from io.StringIO(pending + text, newline="").readlines()
            return
        split = io.StringIO(pending + text, newline="").readlines()
        pending = split.pop() if split and not split[-1].endswith("\n") else ""
        if len(pending) > LINE_MAX:
            raise InputError(f"{name}: line {lines_out + len(split) + 1}: longer than {LINE_MAX:,} characters "
                             "(expected a CSV roster, one row a line)")
        lines_out += len(split)
        yield from split


def _check_text(raw, name: str, encoding: str) -> None:
    """Decode the whole file once (a few ms for 10 MB) so bad bytes refuse it before any output."""
    start = raw.tell()
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    newlines = 0
    while True:
        chunk = raw.read(1 << 20)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as err:
            before = bytes(err.object[:err.start])
            try:
                newlines += codecs.decode(before, encoding, "replace").count("\n")
            except (UnicodeError, LookupError, ValueError):
                pass
            raise _not_text(name, newlines + 1, encoding, err) from None
        newlines += text.count("\n")
        if not chunk:
            break
    raw.seek(start)


def encoding_remedy(encoding: str, args: "Arguments | None" = None) -> str:
    """What to do about a file of a roster's run that is not text in `encoding` (the roster's --encoding);
    `args`: how the caller names --encoding (errors.ask_encoding)."""
    if encoding in _UTF8:
        return (f"a spreadsheet's plain CSV export is often Windows-1252: {ask_encoding('cp1252', args)}, or save "
                f"it as CSV UTF-8")
    if args is not None and not args.flags:
        return f"expected text in the encoding {args('encoding')}= names, or None for UTF-8"
    return "expected text in the encoding --encoding names, or none for UTF-8"


def _not_text(name: str, line: int, encoding: str, err: UnicodeDecodeError) -> InputError:
    return not_text(name, line, encoding, err, encoding_remedy(encoding))


def other_separator(header: list[str], used: str) -> str | None:
    """A cell separator ma-cli reads, other than `used`, inside a cell of the header line, or None."""
    return next((d for d in ("|", ";", "\t", ",") if d != used and any(d in cell for cell in header)), None)


def unnamed_columns(header: list[str]) -> list[int]:
    """The places of the header cells left empty, which are not columns: a spreadsheet exports
    `id,program,completed,,` when cells right of the table were once formatted. The cells under them
    are ignored while empty (unnamed_value names one that is not), in a roster and a CE log alike."""
    return [i for i, cell in enumerate(header) if not cell.strip()]


def unnamed_value(cells: list[str], unnamed: list[int]) -> str | None:
    """What is wrong with a row holding a value under a header cell left empty, or None."""
    column = next((i for i in unnamed if i < len(cells) and cells[i].strip()), None)
    if column is None:
        return None
    return (f"a value in column {column + 1}, which has no name in the header line (expected a name for every "
            f"column that holds data, or the cell left empty)")


def separator_name(separator: str) -> str:
    return "tab" if separator == "\t" else separator


def _flag_value(separator: str) -> str:
    """The separator as --delimiter takes it on a command line."""
    return "tab" if separator == "\t" else f"'{separator}'"


def sniff_delimiter(line: str) -> str:
    """The separator of the header line: the most frequent of `,` `;` and tab (`,` on a tie or none).
    A roster's unless --delimiter names one; a CE log's always (it has no --delimiter: a log named in a
    roster's cell could not take one)."""
    counts = [(line.count(d), -n, d) for n, d in enumerate((",", ";", "\t"))]
    best = max(counts)
    return best[2] if best[0] else ","


# --- cells as spreadsheets write them --------------------------------------------------------------

_SLASH = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_YEAR_SLASH = re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})")
_INSIDE = re.compile(r"\b([0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}/[0-9]{1,2}/[0-9]{1,2})(?:" + MIDNIGHT_TIME + r")?(?![0-9:+Z-])|"
                     + ISO_DATE_AT_MIDNIGHT)
_WHOLE = re.compile(r"([0-9]+)\.0*")


def tidy_date(text: str, order: str | None, where: At | str, python: bool = False) -> str:
    """A spreadsheet's date text -> YYYY-MM-DD: a midnight time dropped, a slash date read in `order`.
    `python`: rows given to the Python API, whose order is its `date_order=`, not --date-order."""
    text = without_midnight(text)
    if "/" not in text:
        return text
    if m := _YEAR_SLASH.fullmatch(text):
        return _ymd(text, int(m[1]), int(m[2]), int(m[3]), where, "year/month/day")
    m = _SLASH.fullmatch(text)
    if m is None:
        return text
    if order is None:
        # a number over 12 is no month, so such a date reads one way; still not taken unasked: the same
        # column's 5/3/2026 would read either way, and one roster is written in one order
        first, second = int(m[1]), int(m[2])
        only = "dmy" if first > 12 >= second else "mdy" if second > 12 >= first else None
        def asked(order: str) -> str:  # the option as the caller gives it
            return f"date_order={order!r}" if python else f"--date-order {order}"

        run = "pass" if python else "run with"
        if only is not None:
            raise InputError(f"'{text}' is a slash date (expected YYYY-MM-DD; this one reads only as "
                             f"{'day/month/year' if only == 'dmy' else 'month/day/year'}: if the roster is written "
                             f"so, {run} {asked(only)}, which reads its other slash dates the same way)",
                             at=where)
        raise InputError(f"'{text}' is a slash date, which reads two ways (expected YYYY-MM-DD, or {run} "
                         f"{asked('mdy')} for 5/15/2026 = May 15, or {asked('dmy')} for 15/5/2026 = 15 May)",
                         at=where)
    a, b, year = int(m[1]), int(m[2]), int(m[3])
    month, day = (a, b) if order == "mdy" else (b, a)
    return _ymd(text, year, month, day, where, "month/day/year" if order == "mdy" else "day/month/year")


def _ymd(text: str, year: int, month: int, day: int, where: At | str, reading: str) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise InputError(f"'{text}' is not a real calendar date (read as {reading})", at=where) from None


def _tidier(kind: RosterKind, order: str | None, known,
            python: bool = False) -> Callable[[dict[str, str], int], None] | None:
    """The function that rewrites one row's cells (by column key) as ma-cli reads them, or None."""
    dates = tuple(c for c in kind.dates if c in known)
    inside = tuple(c for c in kind.dates_inside if c in known)
    whole = tuple(c for c in kind.whole if c in known)
    if not (dates or inside or whole):
        return None
    # the date and whole-number cells of a row, joined: most rows have no `/`, `:` or `.` in any of them,
    # and then nothing below changes them (one look instead of one a column)
    plain = _joiner([*dates, *whole])

    def tidy(values: dict[str, str], line: int) -> None:
        get = values.get
        joined = plain(values)
        if "/" in joined or ":" in joined or "." in joined:
            for col in dates:
                text = get(col)
                if text and ("/" in text or ":" in text):
                    values[col] = tidy_date(text, order, At(RosterLine(line), (col,)), python)
            for col in whole:
                text = get(col)
                if text and "." in text and (m := _WHOLE.fullmatch(text)):
                    values[col] = m[1]
        for col in inside:
            text = get(col)
            if text and ("/" in text or ":00" in text):
                where = At(RosterLine(line), (col,))
                values[col] = _INSIDE.sub(lambda m, where=where: tidy_date(m[0], order, where, python), text)

    return tidy


def _joiner(keys: list[str]) -> Callable[[dict[str, str]], str]:
    """The function that joins these cells of a row's values (by column key; "" for none) into one text."""
    if not keys:
        return lambda values: ""
    if len(keys) == 1:
        key = keys[0]
        return lambda values: values.get(key) or ""
    pick = operator.itemgetter(*keys)
    return lambda values: "".join(pick(values))


def _picker(indexes: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The function that picks these cells of a row, as a tuple (operator.itemgetter, which gives
    a bare cell when there is one index)."""
    if not indexes:
        return lambda cells: ()
    if len(indexes) == 1:
        index = indexes[0]
        return lambda cells: (cells[index],)
    return operator.itemgetter(*indexes)


def _unreadable(name: str, line: int, err: Exception) -> InputError:
    if cell_over_limit(err):  # (the csv module's words say nothing of what to do)
        return cell_too_long(f"{name}: line {line}")
    return InputError(f"{name}: line {line}: not readable as CSV ({err})")


def cell_too_long(place: str) -> InputError:
    """A CSV cell over the reader's limit (the csv module says 'field larger than field limit'), in one
    wording for a roster and a CE log; `place` names the file, its line and the column when known."""
    return InputError(f"{place}: a cell longer than {csv.field_size_limit():,} characters, the most a CSV cell "
                      f"may hold (expected shorter cells; a double quote left open runs a cell on to the lines "
                      f"after it)")


def cell_over_limit(err: csv.Error) -> bool:
    """The csv module's error is a cell over its limit (its words, the one place they are matched)."""
    return "field larger than field limit" in str(err)


def quote_left_open(err: csv.Error) -> bool:
    """The csv module's error is the text ending inside a quoted cell (its words, matched here only)."""
    return "unexpected end of data" in str(err)


def _runs_on(err: csv.Error, line: int, reached: int) -> bool:
    """The CSV error is a double quote opened on `line` and never closed, which read the lines after it
    (the reader `reached` a later line) into one cell. One opened on the last line loses no other line:
    that row alone is an error row."""
    return quote_left_open(err) and reached > line


def unclosed_quote(name: str, line: int, runs_on: bool = True) -> InputError:
    """A double quote opened on `line` and never closed (`runs_on`: it ran on to the lines after it)."""
    lost = ", so the lines after it would be lost in one cell" if runs_on else ""
    return InputError(f"{name}: line {line}: a double quote opened on this line is never closed{lost} (expected the "
                      f"cell's closing quote; a double quote inside a cell is written twice)")


def _seekable(lines: object) -> bool:
    try:
        return bool(getattr(lines, "seekable", lambda: False)())
    except (OSError, ValueError):
        return False


def _short_cells_only(first: str, rest) -> bool:
    """True when no cell of the text (the line `first`, then the text stream `rest`, read to its end)
    can be over the CSV reader's limit or run on past its line: no double quote anywhere, so each cell
    lies within one line, and no line longer than the limit. The common roster, told in one look at its
    text instead of reading it all as CSV (_check_records)."""
    limit = csv.field_size_limit()
    if '"' in first or len(first) > limit:
        return False
    run = 0  # the length of the line the text read so far ends in (lines are split at "\n": a "\r" alone
    # makes them longer, never shorter, so the look stays on the safe side)
    while chunk := rest.read(1 << 20):
        if '"' in chunk:
            return False
        pieces = chunk.split("\n")
        if run + len(pieces[0]) > limit or max(map(len, pieces)) > limit:
            return False
        run = len(pieces[-1]) if len(pieces) > 1 else run + len(chunk)
    return True


def _check_records(lines: Iterator[str], delimiter: str, name: str) -> None:
    """Read the whole file as CSV once, as the rows will be read, and refuse it for what would stop the
    run midway (Roster._csv_cells): a cell over the CSV reader's limit, or a double quote never closed
    that runs on to the lines after it. Found row by row instead, the results header and the rows before
    it would already be on standard output when the run stops. (Other unreadable records are error rows.)"""
    record: list[str] = []  # the lines of the record being read: the long cell's column is found in them

    def kept(lines: Iterator[str]) -> Iterator[str]:
        for text in lines:
            record.append(text)
            yield text

    reader = csv.reader(kept(lines), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    last = 0
    while True:
        record.clear()  # (the reader takes a line at a time and no more than its record needs)
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            if cell_over_limit(err):
                column = _long_column(record, delimiter, header)
                raise cell_too_long(f"{name}: line {last + 1}{column}") from None
            if _runs_on(err, last + 1, reader.line_num):
                raise unclosed_quote(name, last + 1) from None
            cells = None
        if header is None:
            header = cells or []
        last = reader.line_num


def _long_column(record: list[str], delimiter: str, header: list[str] | None) -> str:
    """', column NAME' for the cell over the limit in `record`, or '' when the header does not name it."""
    index = long_cell_index(record, delimiter)
    if header is None or index is None or index >= len(header) or not header[index].strip():
        return ""
    return f", column {header[index].strip().lstrip(chr(0xfeff))}"


def long_cell_index(lines: Iterable[str], delimiter: str = ",") -> int | None:
    """The place in its record of the first cell over the CSV reader's limit: the record that starts
    the text `lines` (to the point the reader stopped at, or further), read again without the limit."""
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(sys.maxsize)
        cells = next(csv.reader(lines, delimiter=delimiter), [])
    except csv.Error:
        cells = []
    finally:
        csv.field_size_limit(limit)
    return next((i for i, cell in enumerate(cells) if len(cell) > limit), None)


def profile_from_cells(values: dict[str, str], line: int) -> Profile:
    """One eligibility row -> a Profile, checked by parse_profile; errors name the line and column."""
    quick = quick_profile(values)  # the same Profile, for the common well-formed row
    if quick is not None:
        return quick
    return parse_profile(row_mapping(values, line), RosterLine(line))


ELIGIBILITY = RosterKind(COLUMNS, REQUIRED, profile_from_cells, "id,program,completed", "ma-cli batch columns",
                         ALIASES, TELLING_WORDS, DATE_COLUMNS, DATES_INSIDE, WHOLE_COLUMNS)


def row_mapping(values: dict[str, str], line: int) -> dict:
    """One row's cells (by column key, stripped) -> the mapping a profile file would hold.

    Each cell goes where its column (roster_columns.COLUMNS) says, read by the column's `text`; a
    problem is named by the row's line and the column (roster_columns.RosterLine)."""
    row = At(RosterLine(line))
    if not values.get("id"):
        raise InputError("empty (expected an identifier for every row)", at=row / "id")
    data: dict = {}
    program: dict = {}
    skills: dict = {}
    sections = (data, program, skills)
    texts = []
    for column in _TABLE:
        text = values.get(column.name)
        if text:
            sections[column.section][column.key] = text
            if column.text is not None:
                texts.append(column)
    if program and "accreditation" not in program:
        if "venipunctures" in program:  # no program: the person's own count
            skills["venipunctures"] = program.pop("venipunctures")
        if program:
            raise InputError(f"empty, but {', '.join(program)} given (expected {ACCREDITATION_WORDS})",
                             at=row / "programs" / 0 / "accreditation")
    # the cells that hold more than one value, or a yes/no word, once the row's shape is known (in
    # column order: the first bad cell is the one named)
    for column in texts:
        section = sections[column.section]
        section[column.key] = column.text(section[column.key], row)
    if skills:
        data["skills"] = skills
    if program:
        data["programs"] = [program]
    return data


def open_roster(path: str, sheet: str | None = None):
    """The roster's line stream (bytes, decoded by Roster), or a workbook's sheet (sheets.Sheet), and its
    name for messages; `-` is standard input (CSV only)."""
    from ma_cli.base.outfile import note_input, stdin_input

    if path == "-":
        stream = stdin_input("roster")  # Roster decodes bytes itself
        head = b""
        if hasattr(stream, "peek"):
            head = stream.peek(8)[:8]
        elif getattr(stream, "seekable", lambda: False)():
            head = stream.read(8)
            stream.seek(0)
        if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            raise InputError("<stdin>: a workbook cannot be read from standard input (expected its file name, "
                             "or CSV on standard input)")
        if sheet is not None:
            raise InputError(f"--sheet {sheet}: standard input is CSV, which has no sheets")
        return stream, "<stdin>"
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path}: is a folder (expected a CSV or .xlsx roster file, or - for standard input)")
    try:
        stream = open(p, "rb")
    except FileNotFoundError:
        raise InputError(f"{path}: roster not found (expected a CSV or .xlsx file, or - for standard input)") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror}; expected a readable CSV or .xlsx file)") from None
    try:
        note_input(os.fstat(stream.fileno()), str(path))
    except BaseException:
        stream.close()
        raise
    try:
        head = stream.peek(8)[:8]
    except OSError:
        head = b""
    if is_workbook(str(path), head):
        stream.close()
        from ma_cli.inputs.sheets import Sheet

        return Sheet(p, str(path), sheet), str(path)
    if sheet is not None:
        stream.close()
        raise InputError(f"--sheet {sheet}: {path} is a CSV file, which has no sheets (expected an .xlsx workbook)")
    return stream, str(path)


_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".numbers")


def is_workbook(path: str, head: bytes) -> bool:
    """A workbook by its name or its first bytes (a zip, or an OLE file: .xls or a password-protected
    .xlsx); the workbook reader (sheets.py, zipfile and expat) is imported only then."""
    return path.lower().endswith(_WORKBOOK_SUFFIXES) or head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))
