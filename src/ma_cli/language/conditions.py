"""What conditions look at: a condition's outcome (Check), the facts of a profile by field path, and
the work sums, the costly measurements.

The kinds of condition themselves (their decisions, words, days and descriptions) are in kinds.py;
this module is what they share and read, and knows no kind.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from ma_cli.base.dates import birthday, years_since, years_to_days
from ma_cli.base.frozen import record
from ma_cli.inputs.profile import FULL_TIME_HOURS, MA_ROLES, ROLES, SKILLS

if TYPE_CHECKING:
    from ma_cli.inputs.profile import Profile
    from ma_cli.language.rule_records import Condition

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


class Check:
    """One condition's outcome: pass, fail or unknown, the fact looked at, and a window's dates.

    Made for every condition of every route of every row in a batch run, so it is a plain
    slotted class (cheaper to make than a frozen dataclass); nothing changes it once made.
    """

    __slots__ = ("status", "seen", "opens", "closes", "subchecks", "assumed")

    def __init__(self, status: str, seen: "str | Callable[[], str]", opens: date | None = None,
                 closes: date | None = None, subchecks: tuple[Any, ...] = (), assumed: bool = False):
        self.status = status
        self.seen = seen  # the fact looked at, in words; or a function that says it
        self.opens = opens  # a window not open yet opens on this day
        self.closes = closes  # the last day a passing window stays open
        self.subchecks = subchecks  # ((condition, Check), ...) of an any_of
        self.assumed = assumed  # passed only because the rule says to assume a missing fact (if_missing: pass)

    @property
    def observed(self) -> str:
        """The fact looked at, in words. Tests hand over a function, so the words are only
        formatted when an answer's trace is read (a batch run never reads most of them)."""
        seen = self.seen
        return seen if isinstance(seen, str) else seen()

    def __repr__(self) -> str:
        return f"Check({self.status!r}, {self.observed!r}, opens={self.opens}, closes={self.closes})"


@record
class Context:
    profile: "Profile"
    as_of: date
    item: Any = None  # the program or military record a route is looking at


def field_value(path: str, ctx: Context) -> Any:
    """Look a dotted field up in the context; None when the profile does not give it."""
    return (_GETTERS.get(path) or getter(path))(ctx)


def getter(path: str) -> Callable[[Context], Any]:
    """The function that reads `path` from a context (KeyError for an unknown path).

    Made once per path and kept: it depends on the path's text only (pure, so never stale),
    and spares every check the parsing of the path.
    """
    get = _GETTERS.get(path)
    if get is None:
        read = reader(path)
        get = _GETTERS[path] = lambda ctx: read(ctx.profile, ctx.item, ctx.as_of)
    return get


_GETTERS: dict[str, Callable[[Context], Any]] = {}


def reader(path: str) -> Callable[[Any, Any, date], Any]:
    """The function (profile, item, as_of) -> the value of `path`; what `getter` reads through,
    and what the compiled decisions (compiled.py) call without making a Context."""
    read = _READERS.get(path)
    if read is None:
        read = _READERS[path] = _make_reader(path)
    return read


_READERS: dict[str, Callable[[Any, Any, date], Any]] = {}


def _make_reader(path: str) -> Callable[[Any, Any, date], Any]:
    head, _, rest = path.partition(".")
    if head in ("program", "military"):
        if rest == "end":
            return lambda profile, item, as_of: None if item is None else item.end
        if rest == "total_hours":
            def total_hours(profile: Any, item: Any, as_of: date) -> Any:
                # clock hours including the externship: known only when both parts are given
                parts = (getattr(item, "academic_hours", None), getattr(item, "externship_hours", None))
                return None if item is None or None in parts else sum(parts)
            return total_hours
        return lambda profile, item, as_of: None if item is None else getattr(item, rest, None)
    if head == "age":
        return lambda profile, item, as_of: profile.age_on(as_of)
    if head == "high_school":
        def high_school(profile: Any, item: Any, as_of: date) -> Any:
            hs = profile.high_school
            if isinstance(hs, date):
                return hs <= as_of
            return hs
        return high_school
    if head == "high_school_expected":
        def high_school_expected(profile: Any, item: Any, as_of: date) -> Any:
            hs = profile.high_school
            return hs if isinstance(hs, date) and hs > as_of else None
        return high_school_expected
    if head == "failed_attempts":
        return lambda profile, item, as_of: profile.failed_attempts.get(rest, 0)
    if head == "last_attempt":
        return lambda profile, item, as_of: profile.last_attempt.get(rest)
    if head == "held":
        return lambda profile, item, as_of: [h.credential for h in profile.held]
    if path == "work.periods":
        # how many medical-assisting work periods (medical-assistant or instructor) the profile lists
        return lambda profile, item, as_of: sum(1 for j in profile.work if j.role in MA_ROLES) or None
    if head == "work" and rest in ROLES:
        # how many work periods in that role (work.phlebotomy-technician); None when there are none
        return lambda profile, item, as_of: sum(1 for j in profile.work if j.role == rest) or None
    if head == "skills" and rest in SKILLS:
        if rest == "venipunctures":
            def venipunctures(profile: Any, item: Any, as_of: date) -> Any:
                # the person's count; when not given, the largest a program documents (program.venipunctures)
                own = profile.skills.venipunctures
                if own is not None:
                    return own
                counts = [p.venipunctures for p in profile.programs if p.venipunctures is not None]
                return max(counts) if counts else None
            return venipunctures
        return lambda profile, item, as_of: getattr(profile.skills, rest)
    raise KeyError(path)


def reached_on(path: str) -> Callable[[Any, float], date | None] | None:
    """For a field that rises by itself (the age read from a birth date): (profile, value) -> the day the
    person's value reaches `value`, or None when the profile cannot say (an age given alone). None for a
    field that does not rise by itself."""
    if path != "age":
        return None

    def age_reached(profile: Any, value: float) -> date | None:
        born = profile.birth_date
        return None if born is None else birthday(born, born.year + math.ceil(value))

    return age_reached


IMPLIED = object()  # what Implied.read gives for a value only implied by another fact


class Implied(NamedTuple):
    """A field whose value may be read from a fact that only implies it (see `implied`)."""

    read: Callable[[Any, Any, date], Any]  # (profile, item, as_of) -> reader(path)'s value, or IMPLIED when implied
    value: Any  # the value an implied one is taken as
    fact: Callable[[Any, Any, date], "str | None"]  # the fact it is implied by, in words; None when not implied
    taken_as: str  # what the value is taken as, in words


def implied(path: str) -> Implied | None:
    """How `path` reads a value implied by another fact; None for a field that reads none.

    `high_school` reads an expected graduation date that has passed as a diploma held (true): the profile
    gave a date that was expected, not a diploma known, so the kinds take it as held only where a rule
    assumes a missing fact (if_missing: pass), and say so. Its `read` tells the two apart in the one
    call reader(path) makes (a condition on the diploma is asked for every row of a batch)."""
    if path != "high_school":
        return None

    def high_school(profile: Any, item: Any, as_of: date) -> Any:
        hs = profile.high_school
        if isinstance(hs, date):
            return IMPLIED if hs <= as_of else False
        return hs

    def expected_passed(profile: Any, item: Any, as_of: date) -> str | None:
        hs = profile.high_school
        return f"expected {hs} (passed)" if isinstance(hs, date) and hs <= as_of else None

    return Implied(high_school, True, expected_passed, "held")


FIELDS = {
    "program.accreditation", "program.completed", "program.expected", "program.end",
    "program.accredited_since", "program.academic_hours", "program.externship_hours",
    "program.postsecondary", "program.award", "program.apprenticeship", "program.injections",
    "program.venipunctures", "program.total_hours", "program.field", "program.clinical",
    "military.completed", "military.expected", "military.end",
    "age", "high_school", "high_school_expected", "failed_attempts.*", "last_attempt.*", "held", "work.periods",
    "work.<role>",
    "skills.venipunctures", "skills.capillary_sticks", "skills.ekgs",
}


def known_field(path: str) -> bool:
    if path in FIELDS:
        return True
    head, _, rest = path.partition(".")
    return (head in ("failed_attempts", "last_attempt") and bool(rest)) or (head == "work" and rest in ROLES)


def show(value: Any) -> str:
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if type(value) is float and value.is_integer():  # (not a number written with more digits than a float
        return str(int(value))                       # keeps, bounds.Exact: 159.99999999999999 is not 160)
    return str(value)


# The sums last worked out, for the last work history added up (held, so its identity is not reused: a
# tuple of frozen records), by everything else they depend on. Work sums of different conditions and
# credentials often ask one question of a person (the same look-back, roles and supervision): they add
# the work up once. A work history without a part-time job is counted the same whatever a condition's
# `part_time` says (counted_fte: a full-time day is a full-time day), so then that is left out of the
# question. Bounded: eligible_until asks about many days. The one slot holds (the work history, whether
# a job of it is part time, the sums) and is replaced whole: a thread reads it once, so it never looks
# one history's question up among another's sums.
_SUMMED: list[tuple[Any, bool, dict[Any, Any], dict[Any, Any]]] = [(None, False, {}, {})]
_SUMMED_MAX = 64


def _worked_days(work: Any, as_of: date, start: date, end: date, roles: Any, supervised: bool | None, cap_roles: Any,
                 part_time: str | None = None) -> tuple[float, float, date | None]:
    """_added_up_days(...), remembered for the last work history asked about (see _SUMMED)."""
    if type(work) is not tuple:  # (only an immutable history can be remembered by identity)
        return _added_up_days(work, as_of, start, end, roles, supervised, cap_roles, part_time)
    held = _SUMMED[0]
    if held[0] is not work:
        held = _SUMMED[0] = (work, any(job.fte < 1.0 for job in work), {}, {})
    known: dict[Any, tuple[float, float, date | None]] = held[2]
    # the roles of this history a sum counts (and caps): a role nobody here worked in adds nothing, so
    # sums that differ only by such a role are one sum (CCMA's reading that counts instructors too, for a
    # history without teaching, is its plain reading)
    in_history = held[3]
    found_roles = in_history.get((roles, cap_roles))
    if found_roles is None:
        worked = in_history.get(None)
        if worked is None:
            worked = in_history[None] = frozenset([job.role for job in work])
        found_roles = in_history[(roles, cap_roles)] = (worked.intersection(roles), worked.intersection(cap_roles))
    key = (as_of, start, end, found_roles, supervised, part_time if held[1] else None)
    found = known.get(key)
    if found is None:
        if len(known) >= _SUMMED_MAX:
            known.clear()
        found = known[key] = _added_up_days(work, as_of, start, end, roles, supervised, cap_roles, part_time)
    return found


def _added_up_days(work: Any, as_of: date, start: date, end: date, roles: Any, supervised: bool | None,
                   cap_roles: Any, part_time: str | None = None) -> tuple[float, float, date | None]:
    """Full-time-equivalent work in [start, end), in the person's years counted from the first day
    counted: (years in uncapped roles, years all roles add, that first day, or None when no day is).

    Each calendar day adds its full-time fraction (hours a week / 40, at most 1) of the year it
    falls in (its days: 365, or 366 with a 29 February), the years running from the first day
    counted to its anniversaries. So full-time work reaches N years on its Nth anniversary, and
    half-time work on its 2Nth. Overlapping jobs never count more than one full-time day per
    calendar day, so a capped role (instructor) only adds what the uncapped roles do not
    already cover.
    """
    # the usual roster: the jobs counted come in date order, none overlapping or touching the next, none
    # capped. Added up in one pass over the work, in that order (as the general path below adds them),
    # without the list of spans, its sort and its check; at the first job that breaks the pattern, the
    # general path starts over
    first: date | None = None
    total, last_hi = 0.0, date.min
    ongoing_end = as_of + _DAY
    for job in work:
        role = job.role
        if role not in roles:
            continue
        if supervised is not None and job.supervised is not None and job.supervised != supervised:
            continue
        job_end = (job.end + _DAY) if job.end else ongoing_end
        lo, hi = max(job.start, start), min(job_end, end)
        if lo >= hi:
            continue
        fte = job.fte if part_time is None else counted_fte(job, part_time)
        if fte is None:
            continue
        if lo <= last_hi or role in cap_roles:
            return _worked_days_in_general(work, as_of, start, end, roles, supervised, cap_roles, part_time)
        if first is None:
            first = lo
        total += min(1.0, fte) * (years_since(first, hi) - years_since(first, lo))
        last_hi = hi
    return total, 0.0, first


def _worked_days_in_general(work: Any, as_of: date, start: date, end: date, roles: Any, supervised: bool | None,
                            cap_roles: Any, part_time: str | None = None) -> tuple[float, float, date | None]:
    """_worked_days for jobs in any order, overlapping, touching or capped."""
    spans, capped = _counted_spans(work, as_of, start, end, roles, supervised, cap_roles, part_time)
    if not spans:
        return 0.0, 0.0, None
    if not capped:
        # jobs that neither overlap nor touch: the sweep adds each one's years in date order and
        # nothing else, so adding them here in that order gives the very same float
        if len(spans) < 2:
            lo, hi, fte, _ = spans[0]
            return min(1.0, fte) * years_since(lo, hi), 0.0, lo
        ordered = sorted(spans)
        if all(a[1] < b[0] for a, b in zip(ordered, ordered[1:])):
            first = ordered[0][0]
            total = 0.0
            for lo, hi, fte, _ in ordered:
                total += min(1.0, fte) * (years_since(first, hi) - years_since(first, lo))
            return total, 0.0, first
    return _swept_days(spans, cap_roles)


# How a work_years condition counts a job of fewer hours than a full-time week (fte under 1): its
# share of a full-time day (the default, None), as a full-time day, or not at all. A rule names one
# only to bound a reading its source leaves open (AMT: "all work experience is assumed to be full...")
PART_TIME = {"as_full_time": "part-time work counted as full time", "not_counted": "part-time work not counted"}


def counted_fte(job: Any, part_time: str | None) -> float | None:
    """The share of a full-time day a work_years condition counts for each day of `job`, as its
    `part_time` says (PART_TIME): the job's own (pro rata), a whole day, or None (not counted)."""
    fte: float = job.fte
    if part_time is None or fte >= 1.0:
        return fte
    if part_time == "not_counted":
        return None
    return 1.0 if fte > 0 else fte


def _counted_spans(work: Any, as_of: date, start: date, end: date, roles: Any, supervised: bool | None, cap_roles: Any,
                   part_time: str | None = None) -> tuple[list[Any], bool]:
    """(first day, day after the last, fte, capped role?) of each job counted in [start, end), in the
    profile's order (a part-time job's fte as `part_time` says: PART_TIME); and whether any is in a
    capped role."""
    spans = []
    capped = False
    ongoing_end = as_of + _DAY
    for job in work:
        if job.role not in roles:
            continue
        if supervised is not None and job.supervised is not None and job.supervised != supervised:
            continue
        job_end = (job.end + _DAY) if job.end else ongoing_end
        lo, hi = max(job.start, start), min(job_end, end)
        if lo >= hi:
            continue
        in_cap = job.role in cap_roles
        fte = job.fte if part_time is None else counted_fte(job, part_time)
        if fte is None:
            continue
        capped = capped or in_cap
        spans.append((lo, hi, fte, in_cap))
    return spans, capped


def _swept_days(spans: list[Any], cap_roles: Any) -> tuple[float, float, date | None]:
    """_worked_days for any spans: a sweep over the days jobs start and end."""
    if not spans:
        return 0.0, 0.0, None
    first = min(span[0] for span in spans)
    points: dict[date, float] = {}      # uncapped roles only
    # every counted role; without a capped role the very same table (so the capped years are 0.0 exactly)
    all_points: dict[date, float] = {} if cap_roles else points
    for lo, hi, fte, in_cap in spans:
        tables = (all_points,) if in_cap else (points, all_points) if cap_roles else (points,)
        for table in tables:
            table[lo] = table.get(lo, 0.0) + fte
            table[hi] = table.get(hi, 0.0) - fte
    uncapped = _sweep(points, first)
    return uncapped, (_sweep(all_points, first) - uncapped) if cap_roles and all_points else 0.0, first


_DAY = timedelta(days=1)


def _sweep(points: dict[date, float], first: date) -> float:
    if not points:
        return 0.0
    total, level, last = 0.0, 0.0, None
    at = 0.0  # years_since(first, last)
    for day in sorted(points) if len(points) > 2 else points:  # a dict of two keeps lo before hi
        here = years_since(first, day)
        if last is not None and level > 0:
            total += min(1.0, level) * (here - at)
        level += points[day]
        last, at = day, here
    return total


def years_counted_words(total: float, within: float, as_of: date, notes: Any, supervised: bool = False) -> str:
    """A work sum in words: the years (cut, not rounded, to two decimals: a total a day short never
    shows as the whole number it misses) in the look-back window, and any notes on how they were counted.
    Supervised: only supervised work was counted (a job marked unsupervised is not; the sum says so)."""
    span = "year" if within == 1 else f"{within:g} years"
    seen = f"{cut_years(total):.2f} years of full-time-equivalent {'supervised ' if supervised else ''}work in the {span} to {as_of}"
    return seen + " (" + "; ".join(notes) + ")" if notes else seen


def cut_years(total: float) -> float:
    """A sum of years cut, not rounded, to two decimals: a total a day short never shows as the whole
    number it misses."""
    return math.floor(total * 100 + 1e-6) / 100


def part_time_note(work: Any, roles: tuple[str, ...], part_time: str | None) -> str | None:
    """How a work sum counted part time (PART_TIME), when the work in `roles` holds a part-time job."""
    if part_time is None or not any(job.fte < 1.0 and job.role in roles for job in work):
        return None
    return PART_TIME[part_time]


def work_years_in_all(work: Any, as_of: date, roles: tuple[str, ...], part_time: str | None) -> float:
    """Full-time-equivalent years of work in `roles` over the whole history, through the day before as_of
    (work_years_in_all): the work_years sum with no look-back window, no supervision asked and no cap."""
    return _worked_days(work, as_of, date.min, as_of, roles, None, (), part_time)[0]


def work_years_roles(p: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The roles a work_years condition counts, and those of them capped (instructor, with
    max_instructor_years)."""
    roles = tuple(p.get("roles", ("medical-assistant",)))
    capped = p.get("max_instructor_years") is not None
    if capped and "instructor" not in roles:
        roles = roles + ("instructor",)
    return roles, ("instructor",) if capped else ()


def work_years_spans(cond: "Condition", work: Any, as_of: date, start: date | None = None) -> list[Any]:
    """The pieces of work a `work_years` condition counts on as_of, as its measure counts them:
    (first day, day after the last, fte, capped role?) each, from the start of its look-back window
    (or from `start`)."""
    p = cond.params
    roles, cap_roles = work_years_roles(p)
    if start is None:
        start = work_years_window_start(cond, as_of)
    return _counted_spans(work, as_of, start, as_of, roles, p.get("supervised"), cap_roles, p.get("part_time"))[0]


def work_years_window_start(cond: "Condition", as_of: date) -> date:
    """The first day of a `work_years` condition's look-back window on as_of (the `within` years before)."""
    return as_of - timedelta(days=years_to_days(cond.params["within"], as_of))


def work_years_measure(cond: "Condition") -> Callable[..., tuple[Any, ...]]:
    """work_years_measures(cond)'s measure."""
    return work_years_measures(cond)[0]


def work_years_measures(cond: "Condition") -> tuple[Callable[..., tuple[Any, ...]], Callable[[Any, date], bool]]:
    """(measure, met): what a `work_years` condition measures: (work, as_of) -> (status, total years, notes,
    assumed, idle, first), idle meaning not working in the field now (for `current: true`) and
    first the first day of work counted.

    The look-back window is the `within` years ending on as_of (from the same day `within`
    years earlier). The work in it is counted in the person's years from its first day counted
    (see _worked_days): full-time work meets N years on its Nth anniversary whatever 29 February
    does, part time counts pro rata, and the instructor cap is counted in the same years.

    Shared by the traced test below and the compiled decisions (compiled.py); total is None
    when there is no work history to add up (an answer of its own).

    met(work, as_of) is measure(work, as_of, words=False)[0] == PASS, the decision's question, answered
    without the tuple; both keep the sums last worked out in one place, so the words asked after a
    decision do not add the work up again.
    """
    p = cond.params
    years, within, supervised, current = p["years"], p["within"], p.get("supervised"), p.get("current")
    part_time = p.get("part_time")
    cap_years = p.get("max_instructor_years")
    roles, cap_roles = work_years_roles(p)
    # uncapped teaching: a reading that counts an instructor's work as the field's (a capped one says its cap)
    teaching = cap_years is None and "instructor" in roles

    last: list[Any] = [None, None]  # the day last asked about and its window (a batch asks about one day only)

    def window(as_of: date) -> tuple[date, date]:
        if last[0] != as_of:
            # work is counted through the day before as_of: five years from 2024-10-01 are
            # complete on 2029-10-01, not on their last working day
            end = as_of
            last[:] = as_of, (end, end - timedelta(days=years_to_days(within, as_of)))
        window_days: tuple[date, date] = last[1]
        return window_days

    # the sums last worked out: the work history (held, so its identity is not reused), the day, and
    # _worked_days's answer; the status alone and the words for one day (a decision, then batch's `why`)
    # both ask for them
    summed: list[Any] = [None, None, None]

    def idle(work: Any, as_of: date) -> bool:
        """Not working in the field on as_of (what `current: true` rules out)."""
        return not any(j.end is None or j.end >= as_of for j in work if j.role in roles)

    def measure(work: Any, as_of: date, words: bool = True) -> tuple[Any, ...]:
        """words=False: the status is all that is wanted (no total when not working now)."""
        if not work and (cap_years is None or cap_years >= 0):  # no sums to do: the answer they give for no work
            return FAIL, None, (), False, bool(current), None
        if not words and current and idle(work, as_of):
            return FAIL, None, (), False, True, None
        total, capped, first = summed[2] if summed[0] is work and summed[1] == as_of else sums(work, as_of)
        need = years
        notes: tuple[str, ...] = ()
        if cap_years is not None:
            cap = cap_years
            if capped > cap:
                notes = (f"instructor time capped at {cap_years:g} years",)
                capped = cap
        total += capped
        if not words:  # the status alone (not working now was answered above; an assumed fact does not change it)
            return PASS if total >= need - 1e-9 else FAIL, total, (), False, False, first
        assumed = bool(supervised) and any(j.supervised is None for j in work)
        if assumed:
            notes += ("jobs without 'supervised' counted as supervised; confirm",)
        counted = part_time_note(work, roles, part_time)
        if counted is not None:
            notes += (counted,)
        if teaching and any(j.role == "instructor" for j in work):  # (the reading that counts it says so)
            notes += ("teaching counted as medical assisting work",)
        if current and idle(work, as_of):
            return FAIL, total, notes, False, True, first
        met = total >= need - 1e-9
        return PASS if met else FAIL, total, notes, met and assumed, False, first

    def sums(work: Any, as_of: date) -> tuple[float, float, date | None]:
        end, start = last[1] if last[0] == as_of else window(as_of)
        found = _worked_days(work, as_of, start, end, roles, supervised, cap_roles, part_time)
        if type(work) is tuple:  # (only an immutable history can be remembered by identity)
            summed[:] = work, as_of, found
        return found

    def met(work: Any, as_of: date) -> bool:
        """measure(work, as_of, False)[0] == PASS, step for step."""
        if not work and (cap_years is None or cap_years >= 0):
            return False
        if current and idle(work, as_of):
            return False
        total, capped, _ = summed[2] if summed[0] is work and summed[1] == as_of else sums(work, as_of)
        if cap_years is not None and capped > cap_years:
            capped = cap_years
        return bool(total + capped >= years - 1e-9)

    return measure, met


def hours_worked_after(work: Any, after: date, as_of: date, roles: Any) -> float:
    """Hours of work in `roles` from the day after `after` through the day before as_of
    (work_hours_after). As with work_years, the as-of day itself is not yet worked: an
    application made that day can count only the days already behind it."""
    start = after + _DAY
    end = as_of
    hours = 0.0
    for job in work:
        if job.role not in roles:
            continue
        job_end = (job.end + _DAY) if job.end else end
        lo, hi = max(job.start, start), min(job_end, end)
        if hi > lo:
            hours += (hi - lo).days / 7 * job.hours_per_week
    return hours


def hours_worked_within(work: Any, start: date, as_of: date, roles: Any, supervised: bool | None
                        ) -> tuple[float, bool]:
    """(hours of work in `roles` from `start` through the day before as_of, whether a job without a
    `supervised` answer was counted as supervised) for work_hours_within. Jobs are added as
    work_hours_after adds them; with `supervised`, a job saying otherwise does not count."""
    end = as_of
    hours, assumed = 0.0, False
    for job in work:
        if job.role not in roles:
            continue
        if supervised is not None and job.supervised is not None and job.supervised != supervised:
            continue
        job_end = (job.end + _DAY) if job.end else end
        lo, hi = max(job.start, start), min(job_end, end)
        if hi > lo:
            hours += (hi - lo).days / 7 * job.hours_per_week
            assumed = assumed or (bool(supervised) and job.supervised is None)
    return hours, assumed


def full_time_hours_within(work: Any, start: date, as_of: date, roles: Any, supervised: bool | None) -> float:
    """The hours hours_worked_within adds up, with no calendar week counting more than a full-time one
    (FULL_TIME_HOURS): jobs that overlap, or one of more hours a week, add no more than full time. A
    source that gives a year as its hours ("or equivalent (2080 hours)") says nothing of such weeks."""
    changes: dict[date, float] = {}  # hours a week starting (+) or stopping (-) on a day
    for job in work:
        if job.role not in roles:
            continue
        if supervised is not None and job.supervised is not None and job.supervised != supervised:
            continue
        lo, hi = max(job.start, start), min((job.end + _DAY) if job.end else as_of, as_of)
        if hi > lo:
            changes[lo] = changes.get(lo, 0.0) + job.hours_per_week
            changes[hi] = changes.get(hi, 0.0) - job.hours_per_week
    hours, level, last = 0.0, 0.0, None
    for day in sorted(changes):
        if last is not None and level > 0:
            hours += (day - last).days / 7 * min(level, FULL_TIME_HOURS)
        level += changes[day]
        last = day
    return hours


def work_hours_within_measure(cond: "Condition") -> Callable[..., tuple[Any, ...]]:
    """What a `work_hours_within` condition measures: (work, as_of) -> (status, hours, start, assumed,
    full-time hours). Hours reached only by counting weeks of more than full time (overlapping jobs, or
    one over FULL_TIME_HOURS a week) are UNKNOWN, not PASS: a person checks them.
    Shared by the traced test and the compiled decisions."""
    p = cond.params
    need, within, supervised = p["hours"], p["within"], p.get("supervised")
    roles = tuple(p.get("roles", ("medical-assistant",)))

    last: list[Any] = [None, None]  # the day last asked about and its window's start (a batch asks one day)

    def measure(work: Any, as_of: date) -> tuple[Any, ...]:
        if last[0] != as_of:
            last[:] = as_of, within.before(as_of)
        start = last[1]
        hours, assumed = hours_worked_within(work, start, as_of, roles, supervised)
        if hours < need:
            return FAIL, hours, start, False, hours
        full = full_time_hours_within(work, start, as_of, roles, supervised)
        return PASS if full >= need else UNKNOWN, hours, start, assumed, full

    return measure
