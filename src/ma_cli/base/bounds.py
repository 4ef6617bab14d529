"""The one table of bounds for every number ma-cli reads from a user, and the one reader of them.

Profiles (profile.py), both roster readers (roster.py through profile.py, and the fast path's
cell readers in roster_columns.py), the CE log (celog.py), renewal rosters' CE totals (roster_renew.py) and the
number flags read numbers here, so they accept and refuse the same things:

- a number is written in ASCII digits, optionally with a sign and a decimal point (`12`, `1.5`);
  full-width or Arabic-Indic digits, `4_0`, `1e3`, `0x1F` are not numbers here, although
  Python's int() and float() would read some of them;
- it lies within its field's bounds, so no sum of them can leave the finite floats, and a
  number with thousands of digits is refused before Python is asked to convert it (int() stops at
  4,300 digits with a ValueError, float() of a 400-digit integer overflows).

`tests/test_bounds.py` checks every field of the table against every reader.
"""

from __future__ import annotations

import functools
import math
import re
from typing import TYPE_CHECKING

from ma_cli.base.errors import At, InputError
from ma_cli.base.frozen import record

if TYPE_CHECKING:
    from decimal import Decimal


@record
class Bound:
    low: float
    high: float
    whole: bool           # a whole number (a count); else any decimal
    means: str            # what the number is, for the README and messages
    above_low: bool = False  # `low` itself is not allowed (hours a week: more than 0)
    also: str = ""  # a word the option takes besides a number, and what it means

    @property
    def expected(self) -> str:
        kind = "a whole number" if self.whole else "a number"
        words = f", or {self.also}" if self.also else ""
        if self.above_low:
            return f"{kind} more than {self.low:,g}, at most {self.high:,g}{words}"
        return f"{kind} from {self.low:,g} to {self.high:,g}{words}"

    def admits(self, value: float) -> bool:
        return (self.low < value if self.above_low else self.low <= value) and value <= self.high


# field -> bounds. The upper bounds are far above any real person's numbers (an MA program is
# 720-2,000 hours, a CE period tens of credits) and far below what could overflow a sum.
BOUNDS: dict[str, Bound] = {
    "age": Bound(0, 130, True, "age in years"),
    "academic_hours": Bound(0, 10_000, False, "academic contact hours of one program"),
    "externship_hours": Bound(0, 10_000, False, "externship / practicum hours of one program"),
    "injections": Bound(0, 100_000, True, "documented injections"),
    "venipunctures": Bound(0, 100_000, True, "documented venipunctures"),
    "capillary_sticks": Bound(0, 100_000, True, "documented capillary or finger sticks"),
    "ekgs": Bound(0, 100_000, True, "documented EKGs"),
    "hours_per_week": Bound(0, 168, False, "hours a week of one work period", above_low=True),
    "failed_attempts": Bound(0, 100, True, "failed attempts at one credential's exam"),
    "credits": Bound(0, 1_000, False, "CE credits of one CE log entry"),
    "ce_total": Bound(0, 10_000, False, "CE credits of one period (batch renew's ce_* columns)"),
    "warn_days": Bound(0, 3_650, True, "days before a due date that count as due soon (--warn-days)"),
    # each worker is a copy of the whole process; more than the CPUs only costs memory and start-up
    "jobs": Bound(1, 64, True, "worker processes answering a roster's rows (batch --jobs)",
                  also="auto for one per usable CPU"),
}

# The most entries of each list a person has, however given (a profile, the flags, a roster's cells,
# and with plan's what-ifs added: reasoning/assume.py). No person has more than a few programs or
# credentials, or more than a working life of jobs; the bounds stop one input from stalling an unattended
# run (evaluation grows with programs x jobs: 1,000 of each took 5 s, 3,000 took 68 s, before these limits).
MAX_ENTRIES = {"programs": 20, "military": 10, "work": 200, "held": 20}


class Written(str):
    """A value written as a number in a form ma-cli does not read as one: the text as written. A text
    field (an `id`) reads it as that text; a number field refuses it, saying `why` (read() below).
    The YAML loader makes them (octal 00042, base-60 1:30, 4_0, 0x1F: yamlio), and so does the Python
    API for an int of more than LONGEST_WRITTEN digits (api.py), as YAML does for such digits."""

    why: str


LONGEST_WRITTEN = 30  # characters: far more than any number ma-cli reads


def too_long(text: str) -> Written:
    """A number of more than LONGEST_WRITTEN characters, as the text written (never converted)."""
    written = Written(text)
    written.why = "has too many digits"
    return written


def digits(value: int) -> str:
    """An int's decimal digits, however many: str() refuses an int of more than 4,300 digits
    (sys.get_int_max_str_digits) with a ValueError, which a message quoting a value would pass on."""
    try:
        return str(value)
    except ValueError:
        from decimal import Decimal

        return format(Decimal(value), "f")  # (exact: Decimal() of an int never rounds)


@functools.cache  # compiled when a number is first read as text, not on every start
def _number_form() -> re.Pattern[str]:
    # ASCII only: [0-9], not \d (which matches every script's digits)
    return re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


_LONGEST = 20  # characters: every bound has at most 6 digits, so a longer number is out of range
_NOT_FINITE = {"nan", "inf", "infinity", ".nan", ".inf"}


def shown_number(text: str) -> str:
    """A number as a message quotes it: a very long one by its length, not its digits."""
    return text if len(text) <= 40 else f"{text[:12]}... ({len(text):,} characters)"


def parse_text(text: str) -> float | int | None:
    """The number this text means, or None when it is not a number in ASCII digits.

    A number longer than _LONGEST characters is out of every bound: it is returned as infinity of
    its sign, never converted (int() of 4,300 digits raises; float() of 400 digits overflows).
    """
    if not _number_form().fullmatch(text):
        return None
    if len(text) > _LONGEST:
        return -math.inf if text[0] == "-" else math.inf
    return float(text) if "." in text else int(text)


def read(value: object, field: str, where: "At | str") -> float | int:
    """A number from a file or flag (text, or a number YAML already read) -> the checked number.

    Refused with one line naming `where` (a flag's name, or a field's place: errors.At) and the expected form: text that is not ASCII digits
    (with an optional sign and decimal point), a number that is not finite, out of the field's
    bounds, or (for counts) not whole. Booleans and other types are the caller's to refuse.
    """
    bound = BOUNDS[field]
    if isinstance(value, str):
        text = value.strip()
        why = getattr(value, "why", None)  # yamlio: a YAML 1.1 form ma-cli does not read as a number
        if why:
            raise InputError(f"'{shown_number(text)}' {why} (expected {bound.expected})", at=where)
        number = parse_text(text)
        if number is None:
            if text.lower().lstrip("+-") in _NOT_FINITE:
                raise InputError(f"'{text}' is not a usable number (expected {bound.expected})", at=where)
            raise InputError(f"'{shown_number(text)}' is not a number (expected {bound.expected}, "
                             f"in ASCII digits such as {'12' if bound.whole else '12 or 1.5'})", at=where)
        shown, value = shown_number(text), number if bound.whole else float(number)  # text: as float() read it
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"'{value}' is not a usable number (expected {bound.expected})", at=where)
        shown = f"{value:g}" if value == int(value) and abs(value) < 1e16 else str(value)
    else:  # an int: compared exactly, never converted to float (10**400 has no float)
        shown = str(value) if -10 ** 30 < value < 10 ** 30 else "a number of more than 30 digits"
    if not bound.admits(value):
        raise InputError(f"{shown} is {'negative' if value < 0 else 'out of range'} "
                         f"(expected {bound.expected})", at=where)
    if bound.whole and value != int(value):
        raise InputError(f"{shown} is not a whole number (expected {bound.expected})", at=where)
    return int(value) if bound.whole else value


# --- amounts: CE credits and points, added and shown exactly -------------------------------------
# (decimal is imported when an amount is first met, not at every start: only renew adds amounts)

def exactly(value: float | int) -> Decimal:
    """The decimal a number read here was written as (its shortest repr reads back as the same float):
    sums and differences of amounts are taken in these, so 10 + 10 + 39.996 is 59.996 and 60 less
    that is 0.004, not 0.00400000000000489 (a float sum's last bits), and nothing is rounded away."""
    from decimal import Decimal

    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def amount(value: "Decimal") -> float | int:
    """An exact amount as the number the outputs carry: a whole amount as an int (`60`, as the JSON of
    one person's renewal always wrote it), any other as the float nearest the decimal, whose repr is
    that decimal for any amount written with up to 15 digits."""
    whole = value.to_integral_value()
    return int(whole) if value == whole else float(value)


def amount_of(value: float | int, unit: str | None) -> str:
    """An amount with its unit, the one wording of a count of credits: `1 point`, `2 points`, `0.5 points`.
    Units are written plural in the rules (`points`, `credits`, `hours`); exactly one takes the singular,
    the plural's trailing `s` dropped (a unit without one is kept as written). No unit: the amount alone."""
    if not unit:
        return amount_text(value)
    if value == 1 and unit.endswith("s") and not unit.endswith("ss"):
        unit = unit[:-1]
    return f"{amount_text(value)} {unit}"


def amount_text(value: float | int) -> str:
    """An amount as the words and cells show it: `60`, `59.996`, `0.0000001`; never rounded (a missing
    0.004 shown as 0 would say nothing is missing) and never in exponent form."""
    if isinstance(value, int) or value == int(value):
        return str(int(value))
    return format(exactly(value), "f")
