"""The columns of an eligibility roster, each defined once: its name, what it means, an example cell,
the profile field it fills, and how its cell is read.

Both roster readers take a column from here. The full reader (`roster.row_mapping`, then
`profile.parse_profile`, which names any bad field) puts `Column.text(cell)` where `Column.target`
says in the mapping a profile file would hold. The fast reader (`roster_fast.quick_profile`) puts
`Column.quick(cell)`, the value parse_profile would make of it, straight into the Profile, and
declines (`Decline`) any cell whose meaning is not plain, so that the row goes the full way and an
error keeps its exact message. The two readers of a cell kind sit side by side below;
tests/test_roster_fast.py holds the readers equal on generated rows.

`RosterLine` is a roster row's front end for messages: it words a profile field's place as the
column that holds it (`line 5, column completed`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from ma_cli.base.bounds import BOUNDS, MAX_ENTRIES
from ma_cli.base.dates import FIRST_YEAR, LAST_YEAR, full_day
from ma_cli.base.errors import At, InputError, Source, given_twice
from ma_cli.inputs.profile import (  # (YES, NO, yes_no: the yes/no words, defined there)
    ACCREDITATIONS,
    AWARDS,
    FULL_TIME_HOURS,
    NO,
    ROLES,
    STUDY_FIELDS,
    YES,
    Held,
    Military,
    Work,
    yes_no,
)


class Decline(Exception):
    """The fast reader declines this cell: the row goes the full way (an unusual cell, or an error to name)."""


# --- the fast reader of each kind of cell: the value parse_profile makes of it, or Decline -------------

# date text -> the day it means (pure, so never stale). Bounded, but above the distinct dates of a
# large roster (work periods' ends spread over decades: some 10,000 in 20,000 rows), which a smaller
# bound emptied again and again; 16,384 dates are about 2 MB.
_DAYS: dict[str, date] = {}
_DAYS_KEPT = 16_384


def quick_date(text: str) -> date:
    day = _DAYS.get(text)
    if day is None:
        try:  # the same reading parse_date makes: YYYY-MM-DD first, the common form, without a PartialDate
            day = full_day(text)
        except ValueError:  # no such day: an error to name
            raise Decline from None
        if day is None:  # a month-only date goes the full way, which keeps what it can mean (Profile.vague)
            raise Decline
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise Decline
        if len(_DAYS) >= _DAYS_KEPT:
            _DAYS.clear()
        _DAYS[text] = day
    return day


# A roster repeats a few ages, counts and weekly hours row after row: each number reader keeps the
# numbers of the texts it has read (pure, so never stale; at most _KEPT of them).
_KEPT = 1024


def quick_whole(field: str) -> Callable[[str], int]:
    admits = BOUNDS[field].admits
    known: dict[str, int] = {}

    def read(text: str) -> int:
        number = known.get(text)
        if number is not None:
            return number
        # ASCII digits only (str.isdigit alone takes any script's digits), and short: a number longer
        # than any bound is never converted (int() of 4,300 digits raises); bounds.BOUNDS decides the rest
        if not (len(text) <= 9 and text.isascii() and text.isdigit()):
            raise Decline
        number = int(text)
        if not admits(number):
            raise Decline
        if len(known) < _KEPT:
            known[text] = number
        return number

    return read


def quick_decimal(field: str) -> Callable[[str], float]:
    admits = BOUNDS[field].admits
    known: dict[str, float] = {}

    def read(text: str) -> float:
        number = known.get(text)
        if number is not None:
            return number
        whole, dot, part = text.partition(".")
        # at most 15 characters: fewer than 16 digits, which a float keeps (its repr is the text's number, and
        # it is within a bound exactly when the text's number is); longer, bounds.read judges the digits
        if not (len(text) <= 15 and whole.isascii() and whole.isdigit()
                and (not dot or (part.isascii() and part.isdigit()))):
            raise Decline
        number = float(text)
        if not admits(number):
            raise Decline
        if len(known) < _KEPT:
            known[text] = number
        return number

    return read


def quick_choice(choices: tuple[str, ...]) -> Callable[[str], str]:
    known = frozenset(choices)

    def read(text: str) -> str:
        low = text.lower()
        if low not in known:
            raise Decline
        return low

    return read


def quick_yes_no(text: str) -> bool:
    low = text.lower()
    if low in YES:
        return True
    if low in NO:
        return False
    raise Decline


def quick_yes_no_or_date(text: str) -> bool | date:
    low = text.lower()
    return True if low in YES else False if low in NO else quick_date(text)


_HOURS = quick_decimal("hours_per_week")


def quick_work(cell: str) -> tuple:
    """work_periods + profile.parse_work, for plain periods."""
    jobs = []
    for spec in cell.split(";"):
        spec = spec.strip()
        if not spec:
            continue
        named, start, dots, end, at, hours = period_parts(spec)
        role = "medical-assistant" if named is None else named.lower()
        if not dots or not start or (at and not hours) or role not in ROLES:
            raise Decline
        first = quick_date(start)
        last = None if not end or end.lower() == "present" else quick_date(end)
        if last is not None and last < first:
            raise Decline
        per_week = _HOURS(hours) if hours else FULL_TIME_HOURS
        jobs.append(Work(role, first, last, per_week))  # (positional: a roster has many periods)
    if len(jobs) > MAX_ENTRIES["work"]:
        raise Decline
    return tuple(jobs)


def _quick_pairs(cell: str, need_value: bool):
    for item in cell.split(";"):
        item = item.strip()
        if not item:
            continue
        key, colon, value = item.partition(":")
        key, value = key.strip(), value.strip()
        if not key or ((colon or need_value) and not value):  # (`rma:`: _pairs words why)
            raise Decline
        yield key.lower(), value


def quick_held(cell: str) -> tuple:
    held = tuple(Held(credential=cred, since=quick_date(since) if since else None)
                 for cred, since in _quick_pairs(cell, False))
    if len(held) > MAX_ENTRIES["held"]:
        raise Decline
    return held


_ATTEMPTS = quick_whole("failed_attempts")


def _quick_per_credential(cell: str, read: Callable[[str], Any]) -> dict:
    """`CRED:VALUE;...` as {credential: read(value)}; a credential named twice declines (the full reader,
    _per_credential, words why)."""
    pairs = list(_quick_pairs(cell, True))
    found = {cred: read(value) for cred, value in pairs}
    if len(found) < len(pairs):
        raise Decline
    return found


def quick_attempts(cell: str) -> dict:
    return _quick_per_credential(cell, _ATTEMPTS)


def quick_last_attempts(cell: str) -> dict:
    return _quick_per_credential(cell, quick_date)


def quick_military(cell: str) -> tuple:
    return (Military(completed=quick_date(cell), expected=None),)


def as_is(text: str) -> str:
    return text


# --- the full reader of the cells that hold more than one value, or a yes/no word ----------------------
# (every other cell goes into the mapping as it is, and parse_profile reads it)

def yes_no_text(text: str, row: At) -> bool | str:
    """A yes/no word as true or false; any other text as it is, for parse_profile to name what it expects."""
    answer = yes_no(text)
    return text if answer is None else answer


def role_and_period(spec: str) -> tuple[str | None, str]:
    """`instructor:2021-01..present` -> ('instructor', '2021-01..present'); no role -> (None, spec).

    A word before the first colon is a role, known or not (a FROM:TO period has digits there, and so
    has a date with a time), so a role ma-cli does not know is named as a role, not read as part of
    the FROM date."""
    role, colon, rest = spec.partition(":")
    if colon:
        role = role.strip()
        if role and not any(c.isdigit() for c in role):
            return role, rest
    return None, spec


def period_parts(spec: str) -> tuple[str | None, str, str, str, str, str]:
    """The one reading of a work period's text, `[ROLE:]FROM..TO[@HOURS]`, for a roster's work cell (both
    readers) and --work: (role as typed or None, FROM, '..' or '' when absent, TO, '@' or '' when absent,
    HOURS), each part stripped. What the parts must be is for the caller to say, in its own words."""
    role, body = role_and_period(spec)
    body, at, hours = body.partition("@")
    start, dots, end = body.partition("..")
    return role, start.strip(), dots, end.strip(), at, hours.strip()


# a period with '@' and nothing after it (a blank is not 40: part-time work can decide an answer); the
# words --work and a roster's work cell both say
NO_HOURS = "nothing after '@' (expected @HOURS per week, e.g. @20, or no '@' for full time, 40)"


def work_periods(cell: str, row: At) -> list[dict]:
    """`2021-01-01..2023-06-30@40;2024-01-01..present@20` (optionally `instructor:` before a period)."""
    periods = []
    for n, spec in enumerate(s.strip() for s in cell.split(";")):
        if not spec:
            continue
        role, start, dots, end, at, hours = period_parts(spec)
        if not dots or not start:
            raise InputError(f"'{spec}' is not a period (expected FROM..TO[@HOURS], e.g. 2021-01-01..present@20)",
                             at=row / "work" / n)
        if at and not hours:
            raise InputError(f"'{spec}': {NO_HOURS}", at=row / "work" / n)
        # a role that is not known is kept: parse_profile names it and the roles expected
        period = {"role": role or "medical-assistant", "from": start, "to": end or "present"}
        if hours:
            period["hours_per_week"] = hours
        periods.append(period)
    return periods


def no_since(credential: str) -> str:
    """The words for a held credential written `rma:`, a colon and no date after it (a held cell's entry,
    --held): refused as `:2024-01-01` is, since a date left out after the colon is not a date not known."""
    return (f"nothing after ':' (expected the date it was earned after the colon, e.g. {credential}:2023-04-14, "
            f"or no colon when it is not known: {credential})")


def _pairs(cell: str, row: At, column: str, form: str, need_value: bool = False):
    for n, item in enumerate(s.strip() for s in cell.split(";")):
        if not item:
            continue
        key, colon, value = item.partition(":")
        if not key.strip() or (need_value and not value.strip()):
            raise InputError(f"'{item}' (expected {form})", at=row / column / n)
        if colon and not value.strip():
            raise InputError(f"'{item}': {no_since(key.strip())}", at=row / column / n)
        yield key.strip().lower(), value.strip()


def held_entries(cell: str, row: At) -> list[dict]:
    return [{"credential": cred, **({"since": since} if since else {})}
            for cred, since in _pairs(cell, row, "held", "CRED[:SINCE]")]


def _per_credential(cell: str, row: At, column: str, form: str, dated: bool = False) -> dict:
    """`CRED:VALUE;...` as {credential: value text}. A credential named twice is refused (kept as the last,
    `cma:3;cma:1` was read as one failure: a confident answer). `dated`: a cell whose credential is a date
    (a workbook's date or date-time cell, '2026-10-01 14:30:00') says the form it takes."""
    found: dict[str, str] = {}
    for n, (cred, value) in enumerate(_pairs(cell, row, column, form, need_value=True)):
        if dated and (not cred[:1].isalpha() or " " in cred):
            raise InputError(f"'{cell.strip()}' (expected {form}, such as ccma:2026-10-01)", at=row / column / n)
        if cred in found:
            raise InputError(given_twice(f"'{cred}'", found[cred], value, "each credential once"), at=row / column / n)
        found[cred] = value
    return found


def last_attempt_days(cell: str, row: At) -> dict:
    return _per_credential(cell, row, "last_attempt", "CRED:DATE", dated=True)


def attempt_counts(cell: str, row: At) -> dict:
    return _per_credential(cell, row, "failed_attempts", "CRED:N")


def military_entry(cell: str, row: At) -> list[dict]:
    return [{"completed": cell}]


# --- the columns ---------------------------------------------------------------------------------------

PERSON, PROGRAM, SKILLS = 0, 1, 2  # where a column's value goes: the person, the row's program, the skills


class Column:
    """One roster column: `name`, what it `means` (the README's column table says the same in more
    words), an `example` cell, the profile field it fills (`section` and `key`), and its two readers:
    `quick(cell)` -> the profile's value or Decline, `text(cell, row)` -> the mapping's value (None:
    the cell as it is)."""

    __slots__ = ("name", "means", "example", "section", "key", "quick", "text", "kind")

    def __init__(self, name: str, means: str, example: str, section: int, key: str, quick: Callable[[str], Any],
                 text: Callable[[str, At], Any] | None = None, kind: str = ""):
        self.name, self.means, self.example, self.section, self.key = name, means, example, section, key
        self.quick, self.text, self.kind = quick, text, kind

    @property
    def target(self) -> tuple:
        """The profile field's path (the row's one program is programs[0])."""
        return (self.key,) if self.section == PERSON else ("programs", 0, self.key) if self.section == PROGRAM \
            else ("skills", self.key)

    def __repr__(self) -> str:
        return f"Column({self.name!r})"


def _whole_column(name: str, means: str, example: str, section: int) -> Column:
    return Column(name, means, example, section, name, quick_whole(name), kind="whole")


def _date_column(name: str, means: str, example: str, section: int) -> Column:
    return Column(name, means, example, section, name, quick_date, kind="date")


def _yes_no_column(name: str, means: str, example: str) -> Column:
    return Column(name, means, example, PROGRAM, name, quick_yes_no, yes_no_text, kind="yes/no")


ACCREDITATION_WORDS = ", ".join(ACCREDITATIONS[:-1]) + " or " + ACCREDITATIONS[-1]

COLUMNS: tuple[Column, ...] = (
    Column("id", "the person's identifier, echoed in the output (required)", "s-001", PERSON, "id", as_is),
    _whole_column("age", "age in years", "24", PERSON),
    _date_column("birth_date", "date of birth (instead of age)", "2002-03-01", PERSON),
    Column("high_school", "yes / no, or the expected graduation date", "yes", PERSON, "high_school",
           quick_yes_no_or_date, yes_no_text, kind="yes/no or date"),
    Column("program", f"program accreditation: {ACCREDITATION_WORDS}", "caahep", PROGRAM, "accreditation",
           quick_choice(ACCREDITATIONS)),
    _date_column("completed", "program completion date", "2026-05-15", PROGRAM),
    _date_column("expected", "expected program completion date (a current student)", "2026-12-10", PROGRAM),
    _date_column("accredited_since", "date the program was accredited", "2018-09-01", PROGRAM),
    Column("academic_hours", "academic contact hours", "740", PROGRAM, "academic_hours",
           quick_decimal("academic_hours")),
    Column("externship_hours", "externship / practicum hours", "160", PROGRAM, "externship_hours",
           quick_decimal("externship_hours")),
    Column("award", "certificate, diploma or associate", "certificate", PROGRAM, "award", quick_choice(AWARDS)),
    _yes_no_column("postsecondary", "yes / no (default yes)", "yes"),
    _yes_no_column("apprenticeship", "yes / no (default no)", "no"),
    _whole_column("injections", "documented injections", "12", PROGRAM),
    # the program's count; the person's own when the row has no program (roster.row_mapping, quick_profile)
    _whole_column("venipunctures", "documented venipunctures (the program's; the person's when the row has no "
                                   "program)", "15", PROGRAM),
    _whole_column("capillary_sticks", "documented capillary or finger sticks", "10", SKILLS),
    _whole_column("ekgs", "documented EKGs", "10", SKILLS),
    Column("field", "what the program trains for: medical-assisting (default), medical-administrative, phlebotomy, "
                    "ekg, ophthalmic", "phlebotomy", PROGRAM, "field", quick_choice(STUDY_FIELDS)),
    _yes_no_column("clinical", "yes / no: the program includes clinical training (COA pathways A1/A2)", "yes"),
    Column("military", "date US Armed Forces medical training was completed", "2022-03-18", PERSON, "military",
           quick_military, military_entry, kind="date"),
    Column("work", "work periods FROM..TO[@HOURS] separated by ';', TO may be 'present'",
           "2021-01-01..2023-06-30@40;2024-01-01..present@20", PERSON, "work", quick_work, work_periods,
           kind="dates inside"),
    Column("held", "credentials held, CRED[:SINCE] separated by ';'", "cma:2023-04-14;rma", PERSON, "held",
           quick_held, held_entries, kind="dates inside"),
    Column("failed_attempts", "failed exam attempts, CRED:N separated by ';'", "cma:1", PERSON, "failed_attempts",
           quick_attempts, attempt_counts),
    Column("last_attempt", "the day of the last failed attempt, CRED:DATE separated by ';'", "ccma:2026-10-01",
           PERSON, "last_attempt", quick_last_attempts, last_attempt_days, kind="dates inside"),
)
BY_NAME = {column.name: column for column in COLUMNS}


# --- a roster row as the front end of a profile: its messages name columns ----------------------------

# profile field path -> the column that holds it (a program's accreditation is the `program` column)
_COLUMN_OF = {column.target: column.name for column in COLUMNS if column.section != PERSON}
_COLUMN_OF[("skills", "venipunctures")] = "venipunctures"  # a row without a program
_ENTRY = {"work": "period", "held": "entry", "failed_attempts": "entry", "last_attempt": "entry"}


class RosterLine(Source):
    """One line of a roster: a field is named by the column that holds it (`line 5, column completed`),
    a work period or credential by its place in the cell (`line 5, column work, period 2, to`).

    A path is a profile field's (("programs", 0, "completed"): parse_profile's errors), or a column's
    name and the place in its cell (("work", 1): the cell before it becomes profile fields)."""

    __slots__ = ("line",)

    def __init__(self, line: int):
        self.line = line

    def place(self, path: tuple) -> str:
        if not path:
            return f"line {self.line}"
        return f"line {self.line}, {column_place(path)}"

    def __repr__(self) -> str:
        return f"RosterLine({self.line})"


def column_place(path: tuple) -> str:
    """A profile field's path as the roster column (and the part of its cell) that holds it."""
    column = _COLUMN_OF.get(path[:3] if path[0] == "programs" else path[:2])
    if column is not None:
        return f"column {column}"
    head = path[0]
    if head == "programs":  # the program itself: the columns that make one
        return "columns program, completed, expected"
    if head in _ENTRY and len(path) > 1 and path[1].__class__ is int:  # (a credential's attempts are by name)
        rest = "".join(f", {key}" for key in path[2:])
        return f"column {head}, {_ENTRY[head]} {path[1] + 1}{rest}"
    return f"column {head}"
