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
import operator
import re
import sys
from typing import TYPE_CHECKING, Any, Callable

from ma_cli.base.errors import At, InputError
from ma_cli.base.frozen import record

if TYPE_CHECKING:
    from decimal import Context, Decimal


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

    def admits(self, value: "float | Decimal") -> bool:
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


_WHOLE_DIGITS = 6  # every bound is below 1,000,000: a number with more digits before its point is out of range
_NOT_FINITE = {"nan", "inf", "infinity", ".nan", ".inf"}


def shown_number(text: str) -> str:
    """A number as a message quotes it: a very long one by its length, not its digits."""
    return text if len(text) <= 40 else f"{text[:12]}... ({len(text):,} characters)"


def number_text(text: str) -> bool:
    """Whether `text` is a number as ma-cli reads one: ASCII digits, an optional sign and decimal point."""
    return _number_form().fullmatch(text) is not None


# characters: a number of fewer than 16 digits is the only number its float reads back as, so distinct short
# texts are distinct floats, and whole-ness and the bounds (whole numbers) are judged alike on the float
# (decimal is not imported for them)
_KEPT_BY_FLOAT = 15


def _long_text(text: str) -> Decimal | float | Written:
    """The exact value of a number's text (number_text) of more than _KEPT_BY_FLOAT characters, which a
    float may not keep (16.999999999999999 is the float 17.0): the Decimal of its digits. A number with more
    than _WHOLE_DIGITS digits before its point is out of every bound: returned as infinity of its sign, never
    converted (int() of 4,300 digits raises). Any other of more than LONGEST_WRITTEN characters is
    returned as a Written that has too many digits: every sum of numbers of that length is exact (adding)."""
    whole = text.lstrip("+-").partition(".")[0].lstrip("0")
    if len(whole) > _WHOLE_DIGITS:
        return -math.inf if text[0] == "-" else math.inf
    if len(text) > LONGEST_WRITTEN:  # (as YAML's own longer numbers are: yamlio)
        return too_long(text)
    from decimal import Decimal

    return Decimal(text)


class Exact(float):
    """A float whose number was written with digits a float does not keep (`9.999999999999999` is the float
    9.999999999999998, `4.9999999999999999999` is 5.0): the float, for arithmetic on hours, and `decimal`,
    the number as written, for what is compared, added and shown exactly (amounts below, jsonout).
    A number whose float prints as its own digits is a plain float: an Exact is only ever this rare case."""

    decimal: Decimal
    made = False  # whether any was made in this process (jsonout writes its own digits only then)

    def __new__(cls, decimal: Decimal) -> "Exact":
        number = super().__new__(cls, decimal)
        number.decimal = decimal
        Exact.made = True
        return number

    def __reduce__(self) -> tuple[type, tuple[Decimal]]:  # (to worker processes and back: a batch's answers)
        return Exact, (self.decimal,)

    def __repr__(self) -> str:
        return format(self.decimal.normalize(adding()), "f")  # (the default context would round to 28 digits)

    # compared and added as written wherever it goes (a rule's `at_least 160` externship hours, a program's
    # academic and externship hours summed): 159.99999999999999 is less than 160, although its float is not
    # (the reflected forms too: `160 <= x` asks x.__ge__, a float subclass's own method coming first)
    def _compare(self, other: object, op: Callable[[Any, Any], bool]) -> Any:
        if not isinstance(other, (int, float)) or math.isnan(other):  # (NaN: as a float compares it)
            return op(float(self), other)
        return op(self.decimal, exactly(other))

    def __lt__(self, other: object) -> Any:
        return self._compare(other, operator.lt)

    def __le__(self, other: object) -> Any:
        return self._compare(other, operator.le)

    def __gt__(self, other: object) -> Any:
        return self._compare(other, operator.gt)

    def __ge__(self, other: object) -> Any:
        return self._compare(other, operator.ge)

    def __eq__(self, other: object) -> Any:
        return self._compare(other, operator.eq)

    def __ne__(self, other: object) -> Any:
        return self._compare(other, operator.ne)

    __hash__ = float.__hash__  # (equal Exacts are equal floats)

    def __add__(self, other: object) -> Any:
        if not isinstance(other, (int, float)) or not math.isfinite(other):
            return float(self) + other  # type: ignore[operator]
        return as_float(adding().add(self.decimal, exactly(other)))

    __radd__ = __add__

    def __truediv__(self, other: object) -> Any:  # (a share of a full-time week: 39.99999999999999999 / 40 < 1)
        if not isinstance(other, (int, float)) or not math.isfinite(other) or not other:
            return float(self) / other  # type: ignore[operator]
        return as_float(adding().divide(self.decimal, exactly(other)))


def as_float(value: Decimal) -> float:
    """A non-whole exact number as the float it is carried in: a plain float when its repr is those
    digits (every number written with up to 15 significant digits), else an Exact keeping them."""
    number = float(value)
    text = repr(number)
    if "e" not in text and value == type(value)(text):  # (type(value): Decimal, without importing it here)
        return number
    return Exact(value)


def written_float(number: float, text: str) -> float:
    """A float YAML read from `text` (yamlio): an Exact of the text's digits when the float has lost some
    (`age: 4.9999999999999999999` is the float 5.0), so read() judges the number written."""
    if not math.isfinite(number) or (len(text) <= _KEPT_BY_FLOAT and "e" not in text.lower()):
        return number
    from decimal import Decimal

    exact = Decimal(text)  # (YAML's float forms, `_` and `:` aside, are Decimal's: .5, 1., 1.5e+3)
    return number if Decimal(repr(number)) == exact else Exact(exact)


def decimal_as_text(value: object) -> object:
    """A Decimal (from a Python caller: the API) as the digits it holds, which read() reads exactly as a
    number typed; any other value as it is. (decimal is never imported for this: a Decimal exists only
    once its module is loaded.)"""
    module = sys.modules.get("decimal")
    if module is not None and isinstance(value, module.Decimal):
        return format(value, "f") if value.is_finite() else str(value)
    return value


def read(value: object, field: str, where: "At | str") -> float | int:
    """A number from a file or flag (text, or a number YAML already read) -> the checked number.

    Refused with one line naming `where` (a flag's name, or a field's place: errors.At) and the expected form: text that is not ASCII digits
    (with an optional sign and decimal point), a number that is not finite, out of the field's
    bounds, or (for counts) not whole. Booleans and other types are the caller's to refuse.
    Bounds and whole-ness are judged on the number as written, exactly (a Decimal of its digits, never
    the float nearest them): `16.999999999999999` is not a whole number and `10000.00000000000001` is
    over 10,000, although their floats are 17.0 and 10000.0. A whole field's number is returned as an int;
    any other as a float (as_float: an Exact when the float has not kept the digits).
    """
    bound = BOUNDS[field]
    exact: Decimal | float | int
    if isinstance(value, str):
        text = value.strip()
        why = getattr(value, "why", None)  # yamlio: a YAML 1.1 form ma-cli does not read as a number
        if why:
            raise InputError(f"'{shown_number(text)}' {why} (expected {bound.expected})", at=where)
        if not _number_form().fullmatch(text):
            if text.lower().lstrip("+-") in _NOT_FINITE:
                raise InputError(f"'{text}' is not a usable number (expected {bound.expected})", at=where)
            raise InputError(f"'{shown_number(text)}' is not a number (expected {bound.expected}, "
                             f"in ASCII digits such as {'12' if bound.whole else '12 or 1.5'})", at=where)
        if len(text) <= _KEPT_BY_FLOAT:  # (most numbers: no Decimal needed)
            # (a text is read as a float in a field of any decimal, as float() reads `12`: 12.0)
            exact = int(text) if bound.whole and "." not in text else float(text)
        else:
            got = _long_text(text)
            if isinstance(got, Written):
                raise InputError(f"'{shown_number(text)}' {got.why} (expected {bound.expected})", at=where)
            exact = got
        shown = shown_number(text)
    elif type(value) is Exact:  # a YAML float that has lost digits (yamlio): judged on the digits
        exact, shown = value.decimal, repr(value)
    elif isinstance(value, float):  # (its repr is the number written: yamlio makes an Exact otherwise)
        if not math.isfinite(value):
            raise InputError(f"'{value}' is not a usable number (expected {bound.expected})", at=where)
        exact, shown = value, f"{value:g}" if value == int(value) and abs(value) < 1e16 else str(value)
    else:  # an int: compared exactly, never converted to float (10**400 has no float)
        shown = str(value) if -10 ** 30 < value < 10 ** 30 else "a number of more than 30 digits"
        exact = value  # type: ignore[assignment]
    if not bound.admits(exact):
        raise InputError(f"{shown} is {'negative' if exact < 0 else 'out of range'} "
                         f"(expected {bound.expected})", at=where)
    if isinstance(exact, int):
        return exact
    if bound.whole:
        if exact != int(exact):  # (int() of a Decimal or float within bounds: exact)
            raise InputError(f"{shown} is not a whole number (expected {bound.expected})", at=where)
        return int(exact)
    return exact if isinstance(exact, float) else as_float(exact)


# --- amounts: CE credits and points, added and shown exactly -------------------------------------
# (decimal is imported when an amount is first met, not at every start: only renew adds amounts)

def exactly(value: float | int) -> Decimal:
    """The decimal a number read here was written as (an Exact's digits; any other float's shortest repr, which
    reads back as the same float): sums and differences of amounts are taken in these, so 10 + 10 + 39.996
    is 59.996 and 60 less that is 0.004, not 0.00400000000000489 (a float sum's last bits), and nothing is
    rounded away."""
    from decimal import Decimal

    if type(value) is Exact:
        return value.decimal
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


_ADDING: list[Context] = []


def adding() -> Context:
    """The context amounts are added and subtracted in (its .add, .subtract): digits enough for any sum of
    amounts read here (at most 30 characters each) to be exact, where Decimal's default 28 would round
    1,000 + 0.0000000000000000000000000001. (Its bound methods, not `with localcontext()`: renew adds a
    few amounts for every row of a roster, and entering a context costs more than the sums.)"""
    if not _ADDING:
        from decimal import Context

        _ADDING.append(Context(prec=80))
    return _ADDING[0]


def amount(value: "Decimal") -> float | int:
    """An exact amount as the number the outputs carry: a whole amount as an int (`60`, as the JSON of
    one person's renewal always wrote it), any other as a float (as_float: an Exact when the float's repr
    is not the decimal, so `0.000000000000001` is never shown as 1e-15 nor 9.999999999999999 as 10)."""
    whole = value.to_integral_value()
    return int(whole) if value == whole else as_float(value)


def amount_of(value: float | int, unit: str | None) -> str:
    """An amount with its unit, the one wording of a count of credits: `1 point`, `2 points`, `0.5 points`.
    Units are written plural in the rules (`points`, `credits`, `hours`); exactly one takes the singular,
    the plural's trailing `s` dropped (a unit without one is kept as written). No unit: the amount alone."""
    text = amount_text(value)
    if not unit:
        return text
    if text == "1" and unit.endswith("s") and not unit.endswith("ss"):
        unit = unit[:-1]
    return f"{text} {unit}"


def amount_text(value: float | int) -> str:
    """An amount as the words and cells show it: `60`, `59.996`, `0.0000001`; never rounded (a missing
    0.004 shown as 0 would say nothing is missing) and never in exponent form."""
    if isinstance(value, int):
        return str(value)
    if type(value) is float and value == int(value):  # (a plain float's repr is its number: whole here)
        return str(int(value))
    exact = exactly(value)
    if exact == exact.to_integral_value():
        return str(int(exact))
    return format(exact.normalize(adding()), "f")  # (not the default context's 28 digits: 29 are written)
