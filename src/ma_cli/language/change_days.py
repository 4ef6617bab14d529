"""The calendar of a condition: on which days its answer can change while the person does not.

Each condition kind names its own days (kinds.py, `Kind.candidates`) with the helpers here: the days
a profile field changes by itself (a birthday, a diploma date), the days a job starts and ends, and,
where the quantity behind a condition is piecewise linear in the date (a work sum), the exact day it
crosses its threshold, found by bisection. The planner (planner.py) and batch's `eligible_until`
(until.py) ask these days; nothing here knows any particular kind.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable, Iterable

from ma_cli.base.dates import birthday
from ma_cli.base.frozen import record
from ma_cli.language.conditions import Context, field_value

DAY = timedelta(days=1)


@record
class Span:
    """Days lo..hi (inclusive) over which the profile is fixed, and the record a route looks at."""

    profile: Any
    lo: date
    hi: date
    item: Any = None

    def value(self, path: str) -> Any:
        return field_value(path, Context(self.profile, self.lo, self.item))


def inside(days: Iterable[date | None], span: Span) -> set[date]:
    """The days that fall after span.lo and on or before span.hi."""
    return {d for d in days if d is not None and span.lo < d <= span.hi}


def field_days(path: str | None, span: Span) -> set[date]:
    """Days on which a profile field's value changes by itself (a birthday, a diploma date)."""
    p = span.profile
    if path == "age" and p.birth_date:
        b = p.birth_date
        return inside((birthday(b, y) for y in range(span.lo.year, span.hi.year + 1)), span)
    if path in ("high_school", "high_school_expected") and isinstance(p.high_school, date):
        return inside([p.high_school, p.high_school + DAY], span)
    return set()


def flips(status_on: Callable[[date], str], lo: date, hi: date) -> set[date]:
    """Days in (lo, hi] on which `status_on(day)` differs from the day before.

    Used inside a stretch where the quantity behind the condition is linear in the date (between
    breakpoints), so it crosses its threshold at most once; bisection finds that day exactly,
    and the days around it are checked because calendar months make the line a little ragged.
    """
    found: set[date] = set()
    a, sa = lo, status_on(lo)
    sb = status_on(hi)
    guard = 0
    while sa != sb and guard < 8:
        guard += 1
        x, y = a, hi
        while (y - x).days > 1:
            mid = x + timedelta(days=(y - x).days // 2)
            if status_on(mid) == sa:
                x = mid
            else:
                y = mid
        found.add(y)
        a, sa = y, status_on(y)
    for day in list(found):
        for k in range(-3, 4):
            d = day + timedelta(days=k)
            if lo < d <= hi and status_on(d) != status_on(d - DAY):
                found.add(d)
    return found


def solve(status_on: Callable[[date], str], span: Span, breakpoints: Iterable[date], piece_days: int = 183
          ) -> set[date]:
    """Flips of a condition whose quantity is piecewise linear between the given breakpoints.

    Long pieces are cut (half a year) so a kink the breakpoints do not name (an instructor cap
    being reached) cannot hide two crossings in one piece.
    """
    cuts = sorted({span.lo, span.hi} | inside(breakpoints, span))
    days: set[date] = set()
    for a, b in zip(cuts, cuts[1:]):
        while a < b:
            end = min(b, a + timedelta(days=piece_days))
            days |= flips(status_on, a, end)
            a = end
    return days


def job_edges(span: Span, roles: tuple[str, ...]) -> list[date]:
    """Days a job starts or ends, and the day after each: work counts from the day after it is done."""
    edges = []
    for job in span.profile.work:
        if job.role in roles:
            edges += [job.start, job.start + DAY]
            if job.end:
                edges += [job.end + DAY, job.end + DAY + DAY]
    return edges


def leaves(within: Any, day: date) -> date:
    """The first as-of date d with within.before(d) > day (months make it ragged: search a few days)."""
    d: date = within.apply(day)
    while within.before(d) > day:
        d -= DAY
    while within.before(d) <= day:
        d += DAY
    return d


def rule_change_days(cred: Any) -> list[date]:
    """The days on which the rules of a credential in force change: each element's first day and the
    day after its last, in order. Between two of them the same rules are in force, so one compiled
    decision (compiled.py) answers for every day."""
    days: set[date] = set()

    def add(meta: Any) -> None:
        if meta.effective:
            days.add(meta.effective)
        if meta.until:
            days.add(meta.until + DAY)

    def conds(items: Any) -> None:
        for c in items:
            add(c.meta)
            conds(c.params.get("conditions", ()))

    conds(cred.requires)
    for r in cred.routes:
        add(r.meta)
        conds(r.conditions)
    return sorted(days)


def rules_epoch(changes: list[date], day: date) -> int:
    """Which stretch between two of `changes` (rule_change_days, in order) holds `day`: how many of them
    are on or before it (what bisect.bisect_right gives). A credential has a few such days at most, so
    counting them is as quick, and `plan` and `eligible` start without loading the bisect module and
    its compiled extension (see `python -X importtime -c 'import bisect'`)."""
    epoch = 0
    for change in changes:
        if change > day:
            break
        epoch += 1
    return epoch
