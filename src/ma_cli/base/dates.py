"""Date parsing and calendar arithmetic shared by profiles, rules and the engine."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, timedelta

from ma_cli.base.errors import At, InputError
from ma_cli.base.frozen import record

DATE_FORMS = "YYYY-MM-DD or YYYY-MM"


@record
class PartialDate:
    """A date given to the day, month or year: `first` and `last` bound what it can mean."""

    first: date
    last: date
    precision: str  # "day" | "month" | "year"
    text: str


# Calendar arithmetic (windows of years before or after a date) must never leave datetime's
# range; no credential question needs a date outside these years.
FIRST_YEAR, LAST_YEAR = 1900, 2199


class DateOutOfRange(InputError):
    """A real calendar date, but in a year outside FIRST_YEAR..LAST_YEAR (a reader may word the others
    its own way, and keep this one: the CE log does)."""


def _in_range(result: PartialDate, what: At | str) -> PartialDate:
    if not FIRST_YEAR <= result.first.year <= LAST_YEAR:
        raise DateOutOfRange(f"'{result.text}' is out of range (expected a year from {FIRST_YEAR} to {LAST_YEAR})",
                             at=what)
    return result


def parse_partial(value: object, what: At | str, allow_year: bool = False) -> PartialDate:
    """Parse YYYY-MM-DD, YYYY-MM (and YYYY when allowed) into the range of days it can mean.

    `what` names the input in messages: a flag's name, or a field's place (errors.At)."""
    return _in_range(_parse_partial(value, what, allow_year), what)


def _parse_partial(value: object, what: At | str, allow_year: bool) -> PartialDate:
    if isinstance(value, datetime):  # (a date with a time of day: its midnight is that date, other times refused)
        value = written_date(value)
    if isinstance(value, date):
        return PartialDate(value, value, "day", value.isoformat())
    text = str(value).strip()
    parsed = parse_text(text, allow_year)
    if isinstance(parsed, PartialDate):
        return parsed
    forms = DATE_FORMS + (" or YYYY" if allow_year else "")
    if not text.isascii() and any(c.isdigit() for c in text):
        forms += ", in ASCII digits 0-9"
    if parsed == "unreal":
        raise InputError(f"'{text}' is not a real calendar date (expected {forms})", at=what)
    if ":" in text and re.fullmatch(r"[0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?( ?[AaPp]\.?[Mm]\.?)?", text):
        # a time alone (a spreadsheet cell holding 00:00 with no date): no day to read, say so
        raise InputError(f"'{text}' holds a time of day, not a date (expected {forms})", at=what)
    raise InputError(f"'{text}' is not a date (expected {forms})", at=what)


class WrittenTime(datetime):
    """A YAML timestamp with a time of day (`2025-03-01T14:30:00`), and the text it was written as
    (`written`): its date is read from that text (written_date), and quoted as typed when refused."""

    written: str


# A spreadsheet's midnight after a date (what an export adds to a date cell), in UTC or no zone: one
# definition for a roster's date cells and the dates inside its work or held cells (roster.py), a CE
# log's dates and a profile's, given as text or as a YAML or Python datetime.
MIDNIGHT_TIME = r"[ T]0?0:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?"


@functools.lru_cache(maxsize=1)  # compiled when a date with a time is first seen, not at start-up
def _midnight() -> re.Pattern[str]:
    return re.compile(MIDNIGHT_TIME + "$")


def without_midnight(text: str) -> str:
    """A date's text without the midnight a spreadsheet export puts after it ('2025-05-01 0:00:00',
    '2025-05-01T00:00:00Z'): the one reading of it for a roster's date cells, a CE log's dates and a
    profile's. Any other time of day is left in, so the date is refused as written."""
    tail = text.rstrip()  # (a space after the time, as after a date, is no part of it)
    m = _midnight().search(tail)
    return tail[:m.start()] if m and m.start() >= 8 else text


# an ISO date followed by such a midnight, inside a longer text (a roster's work or held cell, a what-if)
ISO_DATE_AT_MIDNIGHT = r"\b([0-9]{4}-[0-9]{2}-[0-9]{2})" + MIDNIGHT_TIME + r"(?![0-9:+Z-])"


@functools.lru_cache(maxsize=1)
def _midnight_after_date() -> re.Pattern[str]:
    return re.compile(ISO_DATE_AT_MIDNIGHT)


def midnights_dropped(text: str) -> str:
    """A text holding dates among other words (a `plan --assume` what-if) with an export's midnight
    dropped after each ISO date in it, as without_midnight drops it after a date alone."""
    return _midnight_after_date().sub(r"\1", text)


def written_text(value: datetime) -> str:
    """A date with a time of day as its text: as written in a YAML file, or in ISO form (a Python datetime)."""
    return value.written if isinstance(value, WrittenTime) else value.isoformat()


def written_date(value: object) -> object:
    """A date field's value by the one rule for a date with a time of day: a datetime (a YAML timestamp,
    WrittenTime, or a Python datetime given to the API) is read as the text it was written as, and that
    text, or any text with a time, loses an export's midnight (without_midnight); any other time stays,
    so the field refuses it in its own words, quoting it. Other values are returned as they are."""
    if isinstance(value, datetime):
        value = written_text(value)
    if isinstance(value, str) and ":" in value:
        return without_midnight(value)
    return value


def _ascii_digits(text: str) -> bool:
    # ASCII only: str.isdigit (and int()) alone would also take full-width or Arabic-Indic digits
    return text.isascii() and text.isdigit()


def full_day(text: str) -> date | None:
    """The day a YYYY-MM-DD text (ASCII digits) names; None for text of any other form; ValueError when
    there is no such day (2023-02-30). The common date of every input, read without a regular expression."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        if _ascii_digits(text[:4] + text[5:7] + text[8:]):
            return date.fromisoformat(text)
    return None


@functools.lru_cache(maxsize=8192)  # a pure function of the text; a roster repeats the same dates often
def parse_text(text: str, allow_year: bool) -> PartialDate | str:
    """The dates this text (already stripped) can mean, or why it means none: "unreal" (no such
    day, such as 2023-02-30) or "not a date". Any year: parse_partial checks the range and words
    the refusal; the fast roster reader (roster_fast.py) asks here without building a message."""
    try:
        d = full_day(text)
        if d is not None:
            return PartialDate(d, d, "day", text)
        # YYYY-MM and YYYY read without a regular expression too (compiling one is start-up time)
        if len(text) == 7 and text[4] == "-" and _ascii_digits(text[:4] + text[5:]):
            first = date(int(text[:4]), int(text[5:]), 1)
            return PartialDate(first, end_of_month(first), "month", text)
        if allow_year and len(text) == 4 and _ascii_digits(text):
            y = int(text)
            return PartialDate(date(y, 1, 1), date(y, 12, 31), "year", text)
    except ValueError:
        return "unreal"
    return "not a date"


def parse_date(value: object, what: At | str) -> date:
    """Parse a date; a month-only date means its first day (a reader that must know the rest asks
    parse_partial: a person's dates are answered on every day they can mean)."""
    return parse_partial(value, what).first


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(y: int, m: int) -> int:
    # not calendar.monthrange: it also works out the weekday, which nothing here needs (a hot path in
    # batch runs), and importing calendar is a millisecond of every start
    return 29 if m == 2 and _is_leap(y) else _MONTH_DAYS[m]


def _is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def end_of_month(d: date) -> date:
    return date(d.year, d.month, _days_in_month(d.year, d.month))


def add_months(d: date, months: int) -> date:
    """Calendar months; a day that does not exist in the target month falls to its last day."""
    y, m = divmod(d.year * 12 + (d.month - 1) + months, 12)
    day = d.day
    if day > 28:  # (only then can the day be missing from the target month: most days skip the look-up)
        day = min(day, _days_in_month(y, m + 1))
    return date(y, m + 1, day)


@record
class Offset:
    """A signed span of calendar time, written in rules as {years: 1, months: 2, days: 3}."""

    years: int = 0
    months: int = 0
    days: int = 0

    def apply(self, d: date) -> date:
        months = self.years * 12 + self.months
        shifted = add_months(d, months) if months else d  # (a hot path in batch runs: skip the no-ops)
        return shifted + timedelta(days=self.days) if self.days else shifted

    def apply_keeping_month_end(self, d: date) -> date:
        """As apply, except that months counted from a month's last day end on a month's last day: three
        months after 30 April end on 31 July, not 30 July (a body that counts its periods to month ends may
        count a window after one so: renewal's `month_end_reading`)."""
        months = self.years * 12 + self.months
        if not months or d.day != _days_in_month(d.year, d.month):
            return self.apply(d)
        shifted = end_of_month(add_months(d, months))
        return shifted + timedelta(days=self.days) if self.days else shifted

    def before(self, d: date) -> date:
        """The date this span before d (the start of a look-back window ending at d)."""
        return add_months(d, -(self.years * 12 + self.months)) - timedelta(days=self.days)

    def words(self) -> str:
        parts = []
        for n, unit in ((self.years, "year"), (self.months, "month"), (self.days, "day")):
            if n:
                parts.append(f"{abs(n)} {unit}{'s' if abs(n) != 1 else ''}")
        text = " ".join(parts) or "0 days"
        return f"-{text}" if min(self.years, self.months, self.days) < 0 and max(self.years, self.months, self.days) <= 0 else text


@functools.lru_cache(maxsize=4096)  # pure; work-experience tests ask the same question for every route
def years_to_days(years: float, ending: date) -> int:
    """Days in the `years` calendar years that end on `ending` (so leap days count)."""
    whole = int(years)
    start = add_months(ending, -12 * whole)
    days = (ending - start).days
    frac = years - whole
    if frac:
        days += round(frac * 365)
    return days


# "N years of work" are the person's years: counted from the first day of the work, by its
# anniversaries (as renewal dates are), not as the days of the N calendar years before the as-of
# date, which would move the threshold whenever a 29 February enters or leaves that stretch.

def years_since(first: date, day: date) -> float:
    """Where `day` lies in the years that began on `first`: the anniversaries passed (a 29 February
    falls to 28 February, as add_months does), plus the part of the year in progress, as days
    gone over the days of that year. years_since(first, add_months(first, 12 * n)) == n exactly."""
    month, dom = first.month, first.day
    if month != 2 or dom != 29:
        # every anniversary exists: the one passed is made directly, and the days of its year are 366 when
        # the 29 February they hold does (this year's for a January or February first day, else next
        # year's), not the next anniversary made and subtracted (a batch hot path; the same ints divided)
        y = day.year
        d_month = day.month
        if d_month < month or (d_month == month and day.day < dom):
            y -= 1
        elif d_month == month and day.day == dom:
            return float(y - first.year)
        return (y - first.year) + (day - date(y, month, dom)).days / (366 if _is_leap(y if month < 3 else y + 1)
                                                                       else 365)
    return _years_since_by_anniversaries(first, day)


def _years_since_by_anniversaries(first: date, day: date) -> float:
    """years_since for any first day, 29 February included: the anniversaries made and subtracted."""
    y = day.year
    at = _anniversary(first, y)
    if at > day:
        y -= 1
        at = _anniversary(first, y)
    if at == day:
        return float(y - first.year)
    return (y - first.year) + (day - at).days / (_anniversary(first, y + 1) - at).days


def _anniversary(first: date, year: int) -> date:
    """add_months(first, 12 * (year - first.year)), without the month arithmetic (a batch hot path)."""
    try:
        return first.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 2, 28)


def birthday(born: date, year: int) -> date:
    """The day in `year` on which a person born on `born` is a year older: a 29 February birthday
    is reached on 1 March in a common year (as profile.Profile.age_on counts it)."""
    try:
        return born.replace(year=year)
    except ValueError:
        return date(year, 3, 1)
