"""The vocabulary of eligibility conditions: each `test:` a rule file may use.

A test is a pure function of (condition parameters, evaluation context). Adding a credential
or changing a number is a YAML edit; only a genuinely new *kind* of check belongs here.
Each test returns a Check: pass, fail or unknown (the profile lacks the fact), the fact it
looked at in words, and, for date windows, when the window opens and closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Callable

from ma_cli.dates import Offset, years_to_days
from ma_cli.frozen import quick_init

if TYPE_CHECKING:
    from ma_cli.profile import Profile
    from ma_cli.rules import Condition

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


@quick_init  # many are made per roster row: see frozen.py
@dataclass(frozen=True)
class Check:
    status: str
    observed: str
    opens: date | None = None   # a window not open yet opens on this day
    closes: date | None = None  # the last day a passing window stays open
    subchecks: tuple = ()
    assumed: bool = False  # passed only because the rule says to assume a missing fact (if_missing: pass)


@quick_init
@dataclass(frozen=True)
class Context:
    profile: "Profile"
    as_of: date
    item: Any = None  # the program or military record a route is looking at


def field_value(path: str, ctx: Context) -> Any:
    """Look a dotted field up in the context; None when the profile does not give it."""
    head, _, rest = path.partition(".")
    p = ctx.profile
    if head in ("program", "military"):
        if ctx.item is None:
            return None
        if rest == "end":
            return ctx.item.end
        if rest == "total_hours":
            # clock hours including the externship: known only when both parts are given
            parts = (getattr(ctx.item, "academic_hours", None), getattr(ctx.item, "externship_hours", None))
            return None if None in parts else sum(parts)
        return getattr(ctx.item, rest, None)
    if head == "age":
        return p.age_on(ctx.as_of)
    if head == "high_school":
        hs = p.high_school
        if isinstance(hs, date):
            return hs <= ctx.as_of
        return hs
    if head == "high_school_expected":
        hs = p.high_school
        return hs if isinstance(hs, date) and hs > ctx.as_of else None
    if head == "failed_attempts":
        return p.failed_attempts.get(rest, 0)
    if head == "held":
        return [h.credential for h in p.held]
    if path == "work.periods":
        return len(p.work) or None  # how many work periods the profile lists, if any
    raise KeyError(path)


FIELDS = {
    "program.accreditation", "program.completed", "program.expected", "program.end",
    "program.accredited_since", "program.academic_hours", "program.externship_hours",
    "program.postsecondary", "program.award", "program.apprenticeship", "program.injections",
    "program.venipunctures", "program.total_hours", "military.completed", "military.expected", "military.end",
    "age", "high_school", "high_school_expected", "failed_attempts.*", "held", "work.periods",
}


def known_field(path: str) -> bool:
    if path in FIELDS:
        return True
    head, _, rest = path.partition(".")
    return head == "failed_attempts" and bool(rest)


def _show(value: Any) -> str:
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _if_missing(cond: "Condition", seen: str) -> Check:
    """A fact the profile does not give: unknown, unless the rule says what to assume.

    `if_missing: pass` is a deliberate, visible assumption (the trace says "assumed; confirm"),
    for facts nearly everyone asking has (a high-school diploma) or that an accreditation implies.
    """
    missing = cond.params.get("if_missing", UNKNOWN)
    if missing == PASS:
        return Check(PASS, seen + "; assumed; confirm", assumed=True)
    if missing == FAIL:
        return Check(FAIL, seen + "; counted as not met")
    return Check(UNKNOWN, seen)


def _compare(cond: "Condition", ctx: Context, ok: Callable[[Any], bool]) -> Check:
    value = field_value(cond.params["field"], ctx)
    seen = f"{cond.params['field']} = {_show(value)}"
    if value is None:
        return _if_missing(cond, seen)
    return Check(PASS if ok(value) else FAIL, seen)


def t_one_of(cond, ctx):
    values = cond.params["values"]
    return _compare(cond, ctx, lambda v: v in values)


def t_at_least(cond, ctx):
    return _compare(cond, ctx, lambda v: v >= cond.params["value"])


def t_at_most(cond, ctx):
    return _compare(cond, ctx, lambda v: v <= cond.params["value"])


def t_is(cond, ctx):
    return _compare(cond, ctx, lambda v: v == cond.params["value"])


def t_present(cond, ctx):
    value = field_value(cond.params["field"], ctx)
    return Check(PASS if value not in (None, False) else FAIL,
                 f"{cond.params['field']} = {_show(value)}")


def t_window(cond, ctx):
    """as_of lies within [field + start, field + end]: "applies within 12 months of graduating"."""
    value = field_value(cond.params["field"], ctx)
    seen = f"{cond.params['field']} = {_show(value)}"
    if value is None:
        return Check(FAIL, seen)
    start = cond.params["start"].apply(value) if "start" in cond.params else None
    end = cond.params["end"].apply(value) if "end" in cond.params else None
    span = f"window {start or '…'} to {end or '…'}"
    if start and ctx.as_of < start:
        return Check(FAIL, f"{seen}; {span} not open yet", opens=start)
    if end and ctx.as_of > end:
        return Check(FAIL, f"{seen}; {span} closed")
    return Check(PASS, f"{seen}; {span}", closes=end)


def t_not_before(cond, ctx):
    """field >= other + offset, e.g. graduated no earlier than 36 months before accreditation."""
    value = field_value(cond.params["field"], ctx)
    other = field_value(cond.params["other"], ctx)
    seen = f"{cond.params['field']} = {_show(value)}, {cond.params['other']} = {_show(other)}"
    if value is None or other is None:
        return _if_missing(cond, seen)
    limit = cond.params.get("offset", Offset()).apply(other)
    return Check(PASS if value >= limit else FAIL, f"{seen}; limit {limit}")


def _worked_days(ctx: Context, start: date, end: date, roles, supervised, cap_roles) -> tuple[float, float]:
    """Full-time-equivalent days worked in [start, end): (days in uncapped roles, days all roles add).

    Overlapping jobs never count more than one full-time day per calendar day, so a capped
    role (instructor) only adds the days the uncapped roles do not already cover.
    """
    points: dict[date, float] = {}      # uncapped roles only
    all_points: dict[date, float] = {}  # every counted role
    for job in ctx.profile.work:
        if job.role not in roles:
            continue
        if supervised is not None and job.supervised is not None and job.supervised != supervised:
            continue
        job_end = (job.end + timedelta(days=1)) if job.end else ctx.as_of + timedelta(days=1)
        lo, hi = max(job.start, start), min(job_end, end)
        if lo >= hi:
            continue
        tables = (all_points,) if job.role in cap_roles else (points, all_points)
        for table in tables:
            table[lo] = table.get(lo, 0.0) + job.fte
            table[hi] = table.get(hi, 0.0) - job.fte
    uncapped = _sweep(points)
    return uncapped, _sweep(all_points) - uncapped


def _sweep(points: dict[date, float]) -> float:
    total, level, last = 0.0, 0.0, None
    for day in sorted(points):
        if last is not None and level > 0:
            total += min(1.0, level) * (day - last).days
        level += points[day]
        last = day
    return total


def t_work_years(cond, ctx):
    """At least `years` of full-time-equivalent work within the `within` years before as_of."""
    p = cond.params
    years, within = p["years"], p["within"]
    roles = tuple(p.get("roles", ("medical-assistant",)))
    cap_years = p.get("max_instructor_years")
    cap_roles = ("instructor",) if cap_years is not None else ()
    if cap_years is not None and "instructor" not in roles:
        roles = roles + ("instructor",)
    end = ctx.as_of + timedelta(days=1)
    start = end - timedelta(days=years_to_days(within, ctx.as_of))
    total, capped = _worked_days(ctx, start, end, roles, p.get("supervised"), cap_roles)
    notes = []
    if cap_years is not None:
        cap = years_to_days(cap_years, ctx.as_of)
        if capped > cap:
            notes.append(f"instructor time capped at {cap_years:g} years")
            capped = cap
    total += capped
    need = years_to_days(years, ctx.as_of)
    seen = f"{total / 365.25:.2f} years of full-time-equivalent work in the {within:g} years to {ctx.as_of}"
    assumed = bool(p.get("supervised")) and any(j.supervised is None for j in ctx.profile.work)
    if assumed:
        notes.append("jobs without 'supervised' counted as supervised; confirm")
    if notes:
        seen += " (" + "; ".join(notes) + ")"
    if p.get("current") and not any(j.end is None or j.end >= ctx.as_of for j in ctx.profile.work
                                     if j.role in roles):
        return Check(FAIL, seen + "; not working in the field now")
    if not ctx.profile.work:
        return Check(FAIL, "no work history given")
    met = total >= need - 1e-9
    return Check(PASS if met else FAIL, seen + f"; needs {years:g}", assumed=met and assumed)


def t_work_hours_after(cond, ctx):
    """At least `hours` of work after the date in `field` (e.g. after completing a program)."""
    after = field_value(cond.params["field"], ctx)
    if after is None:
        return Check(FAIL, f"{cond.params['field']} not given")
    start = after + timedelta(days=1)
    end = ctx.as_of + timedelta(days=1)
    roles = tuple(cond.params.get("roles", ("medical-assistant",)))
    hours = 0.0
    for job in ctx.profile.work:
        if job.role not in roles:
            continue
        job_end = (job.end + timedelta(days=1)) if job.end else end
        lo, hi = max(job.start, start), min(job_end, end)
        if hi > lo:
            hours += (hi - lo).days / 7 * job.hours_per_week
    need = cond.params["hours"]
    return Check(PASS if hours >= need else FAIL,
                 f"about {hours:,.0f} hours worked after {after}; needs {need:g}")


def t_held(cond, ctx):
    wanted = cond.params["credentials"]
    held = sorted({h.credential for h in ctx.profile.held})  # the answer must not depend on list order
    match = [c for c in held if c in wanted]
    return Check(PASS if match else FAIL, f"held: {', '.join(held) or 'none'}")


def t_any_of(cond, ctx):
    subs = tuple((c, c.test(c, ctx)) for c in cond.params["conditions"] if c.in_force(ctx.as_of))
    statuses = [check.status for _, check in subs]
    if PASS in statuses:
        status = PASS
    elif UNKNOWN in statuses:
        status = UNKNOWN
    else:
        status = FAIL
    opens = [ch.opens for _, ch in subs if ch.opens]
    closes = [ch.closes for _, ch in subs if ch.status == PASS and ch.closes]
    passing = [ch for _, ch in subs if ch.status == PASS]
    closes_at = None if (passing and len(closes) < len(passing)) else (max(closes) if closes else None)
    observed = "; ".join(f"[{check.status}] {check.observed}" for _, check in subs)
    return Check(status, observed, opens=min(opens) if status != PASS and opens else None,
                 closes=closes_at, subchecks=subs)


def t_any_program(cond, ctx):
    """Some program in the profile meets every condition listed under `conditions`."""
    best = FAIL
    seen = []
    for program in ctx.profile.programs:
        sub_ctx = Context(ctx.profile, ctx.as_of, program)
        statuses = [c.test(c, sub_ctx).status for c in cond.params["conditions"] if c.in_force(ctx.as_of)]
        status = FAIL if FAIL in statuses else UNKNOWN if UNKNOWN in statuses else PASS
        seen.append(f"{program.label()}: {status}")
        if status == PASS:
            best = PASS
        elif status == UNKNOWN and best == FAIL:
            best = UNKNOWN
    return Check(best, "; ".join(seen) or "no programs given")


def t_unsettled(cond, ctx):
    """A condition the sources name but do not spell out: always a question for a person."""
    return Check(UNKNOWN, "the sources do not state this condition's details")


TESTS: dict[str, tuple[Callable, dict[str, type | tuple], set[str]]] = {
    # name: (function, {param: type}, required params)
    "one_of": (t_one_of, {"field": str, "values": list, "if_missing": str}, {"field", "values"}),
    "at_least": (t_at_least, {"field": str, "value": (int, float), "if_missing": str}, {"field", "value"}),
    "at_most": (t_at_most, {"field": str, "value": (int, float), "if_missing": str}, {"field", "value"}),
    "is": (t_is, {"field": str, "value": bool, "if_missing": str}, {"field", "value"}),
    "present": (t_present, {"field": str}, {"field"}),
    "window": (t_window, {"field": str, "start": Offset, "end": Offset}, {"field"}),
    "not_before": (t_not_before, {"field": str, "other": str, "offset": Offset, "if_missing": str},
                   {"field", "other"}),
    "work_years": (t_work_years, {"years": (int, float), "within": (int, float), "roles": list,
                                  "supervised": bool, "max_instructor_years": (int, float),
                                  "current": bool}, {"years", "within"}),
    "work_hours_after": (t_work_hours_after, {"field": str, "hours": (int, float), "roles": list},
                         {"field", "hours"}),
    "held": (t_held, {"credentials": list}, {"credentials"}),
    "any_of": (t_any_of, {"conditions": "conditions"}, {"conditions"}),
    "any_program": (t_any_program, {"conditions": "conditions"}, {"conditions"}),
    "unsettled": (t_unsettled, {}, set()),
}
