"""When will this person be eligible, and by which route: the engine's answer as a function of the date.

Pure: no printing, no files. The planner does not walk the calendar day by day. Each condition
kind names the days on which its answer can change (the day a window opens and the day after it
closes; the day full-time-equivalent work in a look-back window reaches, or falls below, the
threshold; the day hours worked after a date are reached; a birthday; a rule's effective date).
The engine's decision (compiled.py: the answer `engine.evaluate_credential` gives, without its
trace) is then found on each of those days and on the day before each, so `plan` and `eligible
--as-of` agree by construction; a change the candidate days did not predict is still found (by
bisection) and reported as a warning, never silently missed. What the plan shows is worded from
the trace only where it is shown: the conditions that changed, what is missing; a period's whole
traced answer is worked out when asked for (--explain, the calendar, the page).

"If nothing changes but time" means: work recorded `to: present` continues, a program (or military
training) with an `expected` completion date is completed on that date, a high-school diploma with a
date is had from it, and an age without a birth date grows on a birthday some day of the coming year.
The plan states the last three (assumed_completions). Nothing else about the person changes.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable

from ma_cli.base.dates import LAST_YEAR, add_months, birthday
from ma_cli.base.errors import At
from ma_cli.base.frozen import field, record, replace
from ma_cli.inputs.profile import AGE_GIVEN, Profile, Vague
from ma_cli.language.change_days import Span, inside, rule_change_days, rules_epoch
from ma_cli.language.conditions import PASS, Context
from ma_cli.language.kinds import (
    KINDS,
    comes_by_waiting,
    condition_days,
    credential_reads,
    holds_from,
    status_over,
)
from ma_cli.language.rule_records import Credential, Route
from ma_cli.language.verdicts import opens_in_time, records
from ma_cli.reasoning.engine import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    REVIEW,
    ConditionResult,
    Decision,
    Prepared,
    condition_result,
    evaluate_credential,
    failing,
    says,
    untraced,
)

HORIZON_YEARS = 10
DAY = timedelta(days=1)
# the last day any date is read on (dates.LAST_YEAR): a plan does not look past what `eligible --as-of` takes
_LAST_DAY = date(LAST_YEAR, 12, 31)


def plan_horizon(as_of: date, years: int = HORIZON_YEARS) -> date:
    """The last day a plan looks at: `years` after as_of, or the last day ma-cli reads a date on."""
    return min(add_months(as_of, 12 * years), _LAST_DAY)


# --- the person over time ----------------------------------------------------------------

def _graduates_on(record, as_of: date) -> date | None:
    """The first day after as_of on which the record counts as completed as expected: its expected day;
    the day after as_of for one expected on as_of itself (a student on the day asked, as `eligible`
    has it, and a graduate from the next day: not a student whose date has passed). None: it does not
    change after as_of."""
    expected = record.expected
    if expected is None or expected < as_of:
        return None
    return expected if expected > as_of else as_of + DAY


def completion_days(profile: Profile, as_of: date, horizon: date) -> list[date]:
    """The days after as_of on which an expected completion happens: on each, the profile changes (the
    student graduates)."""
    days = {d for r in (*profile.programs, *profile.military)
            if (d := _graduates_on(r, as_of)) is not None and d <= horizon}
    return sorted(days)


def profile_on(profile: Profile, as_of: date, day: date) -> Profile:
    """The person on `day` if nothing changes but time.

    Expected completions have happened by their day (one expected on as_of itself, from the day
    after: _graduates_on; one given only to the month, on the first day of it not before as_of, the
    first reading's: readings.from_as_of); and an age given without a birth date grows
    by one on each anniversary of as_of (the latest the birthday can be, so never too early).
    """
    if profile.vague:
        profile = _from_as_of(profile, as_of)

    def graduated(record) -> bool:
        on = _graduates_on(record, as_of)
        return on is not None and on <= day

    def done(record):
        return replace(record, completed=record.expected, expected=None) if graduated(record) else record

    if profile.age is not None and profile.birth_date is None:
        profile = replace(profile, birth_date=add_months(as_of, -12 * profile.age))
    if not any(graduated(r) for r in (*profile.programs, *profile.military)):
        return profile
    return replace(profile, programs=tuple(done(p) for p in profile.programs),
                   military=tuple(done(m) for m in profile.military))


def assumed_completions(profile: Profile, as_of: date, horizon: date) -> tuple[str, ...]:
    """What the plan assumes comes with time (README: "The plan lists these assumptions"): each expected
    completion, an expected high-school diploma, and an age without a birth date growing (profile_on)."""
    # an expected day given only to the month is worded as given ("completed in 2027-06"): the plan
    # answers it on each day it can mean (_plan_over_readings)
    months = {v.path[:2]: v for v in profile.vague if v.path[-1] in ("expected", "high_school")}
    # (a month holding as_of completes on a day of it not before as_of: the first reading's day)
    person = profile_on(profile, as_of, as_of) if months else profile
    notes = []
    for group in ("programs", "military"):
        for i, r in enumerate(getattr(profile, group)):
            if (on := _graduates_on(getattr(person, group)[i], as_of)) is None or on > horizon:
                continue
            note = f"{r.label().replace('expected', 'completed on')} as expected"
            month = months.get((group, i))
            if month is not None and month.first == r.expected:
                note = note.replace(f"completed on {r.expected}", f"completed in {month.text}")
            notes.append(note)
    diploma = profile.high_school
    if isinstance(diploma, date) and as_of < diploma <= horizon:
        # (a diploma date holds from that day on: conditions.high_school)
        month = months.get(("high_school",))
        when = f"in {month.text}" if month is not None and month.first == diploma else f"on {diploma}"
        notes.append(f"high school diploma or GED {when} as expected")
    span = next((v for v in profile.vague if v.at.source is AGE_GIVEN), None)
    if span is not None:
        # an age without a birth date: the next birthday falls on some day of the coming year
        # (age_as_birth_span), on each of which the plan answers. It is the day the earliest and the latest
        # birth of the span turn a year older, as dates.birthday counts it: not simply the year after as_of
        # (born on 29 February, a year older on 1 March of a common year)
        age = profile.age or 0
        notes.append(f"age {age} on {as_of}, a year older on each birthday (the next from "
                     f"{next_birthday(span.first, age)} to {next_birthday(span.last, age)})")
    return tuple(notes)


def next_birthday(born: date, age: int) -> date:
    """The day a person born on `born`, `age` years old, is a year older (dates.birthday)."""
    return birthday(born, born.year + age + 1)


def _from_as_of(profile: Profile, as_of: date) -> Profile:
    from ma_cli.reasoning import readings  # (only for a date given only to the month: see plan_credential)

    return readings.from_as_of(profile, as_of)


def decision_on(cred: Credential, profile: Profile, as_of: date, day: date) -> Decision:
    return evaluate_credential(cred, profile_on(profile, as_of, day), day)


# --- candidate days: each kind names its own (kinds.py) -------------------------------------

def _meta_days(meta, span: Span) -> set[date]:
    return inside([meta.effective, meta.until + DAY if meta.until else None], span)


def candidate_days(cred: Credential, profile: Profile, as_of: date, horizon: date) -> set[date]:
    """Every day after as_of (to the horizon) on which some condition of the credential may change."""
    edges = completion_days(profile, as_of, horizon)
    # the horizon itself: so a change no kind predicted is still caught in the last stretch
    days: set[date] = set(edges) | {horizon}
    starts = [as_of] + edges
    ends = [e - DAY for e in edges] + [horizon]
    for lo, hi in zip(starts, ends):
        person = profile_on(profile, as_of, lo)
        # a span's first day is a candidate of the span before, so look from the day before it
        base = Span(person, lo - DAY if lo != as_of else lo, hi)
        for cond in cred.requires:
            days |= condition_days(cond, base)
        for route in cred.routes:
            if route.meta.effective is not None or route.meta.until is not None:  # (most routes: always in force)
                days |= _meta_days(route.meta, base)
            for item in records(route, person):
                span = Span(person, base.lo, base.hi, item)
                for cond in route.conditions:
                    days |= condition_days(cond, span)
    return {d for d in days if as_of < d <= horizon}


# --- the plan ------------------------------------------------------------------------------

@record
class Segment:
    """Days start..end (inclusive; end None: still so at the horizon) with one answer."""

    start: date
    end: date | None
    status: str
    route: str | None
    route_name: str | None
    because: tuple[str, ...] = ()  # conditions that changed on `start`
    # the engine's traced answer on `start`, worked out when first asked for: what --explain, the
    # calendar and the page show (--json, the table and the plain layout show the fields above)
    traced: Any = field(default=None, repr=False, compare=False)
    # with no one route (route None) because the route turns on the day of a date given only to the month:
    # the route of each reading, first-day reading first (a calendar event's UID names them)
    routes: tuple[str, ...] = ()

    @property
    def decision(self) -> Decision | None:
        """The engine's traced answer on `start` (as `eligible --as-of start --explain` gives it)."""
        return self.traced() if self.traced is not None else None


@record
class Plan:
    credential: str
    name: str
    as_of: date
    horizon: date
    now: Decision  # on as_of, without its trace (segments[0].decision is the traced answer)
    segments: tuple[Segment, ...]
    missing: tuple[str, ...]  # why waiting does not help (when it does not)
    assumptions: tuple[str, ...]
    relies_on_work: bool  # the first eligible day comes from work that is still going on
    warnings: tuple[str, ...] = ()
    cred: Any = field(default=None, repr=False, compare=False)  # what was planned, for until_from
    profile: Any = field(default=None, repr=False, compare=False)
    field: str = "medical-assisting"  # the credential's field (the table groups by it)

    @property
    def eligible_until(self) -> date | None:
        """The last day of the eligibility that holds today (None: eligible now beyond the horizon)."""
        if self.now.status != ELIGIBLE:
            return None
        for seg in self.segments:
            if seg.status != ELIGIBLE:
                return seg.start - DAY
        return None

    def until_from(self, seg: Segment) -> date | None:
        """What `eligible --as-of seg.start` says is the last eligible day (its own plan's eligible_until):
        the end of the eligible stretch holding seg, or past this plan's horizon, that day's plan's."""
        if seg.status != ELIGIBLE:
            return None
        i = self.segments.index(seg)
        while i < len(self.segments) and self.segments[i].status == ELIGIBLE:
            i += 1
        if i < len(self.segments):
            return self.segments[i].start - DAY
        if seg.start == self.as_of or self.cred is None:
            return None
        return plan_credential(self.cred, profile_on(self.profile, self.as_of, seg.start), seg.start).eligible_until

    def first(self, status: str) -> Segment | None:
        return next((s for s in self.segments if s.status == status), None)


def _first_difference(key_on, lo: date, hi: date, key) -> date:
    """The first day in (lo, hi] whose answer differs from `key` (bisection; hi is known to differ)."""
    while (hi - lo).days > 1:
        mid = lo + timedelta(days=(hi - lo).days // 2)
        if key_on(mid) == key:
            lo = mid
        else:
            hi = mid
    return hi


class _Answers:
    """The answer's key (status, route) on any day, from the compiled decision (compiled.py) of the rules
    in force that day: what the plan compares from one candidate day to the next, each segment's
    status and route, and the plan's `now`. The traced answer (--explain, the calendar, the page) is
    worked out only for a segment's first day, and only when asked for (tests hold the two equal)."""

    def __init__(self, cred: Credential, profile: Profile, as_of: date):
        self.cred, self.profile, self.as_of = cred, profile, as_of
        self.changes = rule_change_days(cred)
        # epoch (between two changes of the rules) -> compiled decision: a pure function of the frozen
        # credential and the rules in force, so it is kept on the credential for every plan of a run
        self.deciders: dict[int, Any] = cred.__dict__.setdefault("_deciders_by_epoch", {})
        self.answers: dict[date, tuple[Any, ...]] = {}  # day -> its answer (a change's days are asked again)
        # day -> the rules resolved for it: the first day of an epoch compiles that epoch's decision from
        # them, and the plan's words for that day (_changed, _missing) are made from the same ones
        self.resolved: dict[date, Prepared] = {}

    def prepared(self, day: date) -> Prepared:
        """The credential's rules in force on `day` (engine.Prepared), made once per day of this plan."""
        found = self.resolved.get(day)
        if found is None:
            found = self.resolved[day] = Prepared(self.cred, day)
        return found

    def answer(self, day: date) -> tuple[Any, ...]:
        """The compiled decision on `day`: (status, route or None, deadline, opens)."""
        found = self.answers.get(day)
        if found is None:
            epoch = rules_epoch(self.changes, day)
            decide = self.deciders.get(epoch)
            if decide is None:
                decide = self.deciders[epoch] = self.prepared(day).decider()
            found = self.answers[day] = decide(profile_on(self.profile, self.as_of, day), day)
        return found

    def key(self, day: date) -> tuple:
        status, route, _, _ = self.answer(day)
        return (status, route.id if route is not None else None)


def _changed(answers: _Answers, before: date, after: date, route_id: str | None) -> tuple[str, ...]:
    """The conditions (of the route now chosen, or of the one left) whose status changed from the day
    `before` to the day `after`, or that hold as surely no more (a provisional diploma window giving way to
    the diploma): from their states alone on each of the two days (Prepared.statuses), not the whole
    traced answer (the other routes' conditions do not count)."""
    if route_id is None:
        return ()
    cred, profile, as_of = answers.cred, answers.profile, answers.as_of
    route = next(r for r in cred.routes if r.id == route_id)
    old, new = (answers.prepared(day).statuses(profile_on(profile, as_of, day), route) for day in (before, after))
    return tuple(words for cid, (state, words) in new.items() if old.get(cid, (None,))[0] != state)


def changes(cred: Credential, profile: Profile, as_of: date, horizon: date, key_on, now_key: tuple):
    """The days after as_of (to the horizon) on which the answer changes, in order, as (day, the day it is
    told apart from, the answer's key from that day on, found by search): from the answers' keys alone.

    Each candidate day (candidate_days) is compared with the day before it; a change the candidates did
    not predict (the day before already differs from the last answer) is found by bisection."""
    checked, last_key = as_of, now_key
    for day in sorted(candidate_days(cred, profile, as_of, horizon)):
        before_key = key_on(day - DAY)
        if before_key != last_key:
            # the rules' dates did not predict this change: find it (the plan says so)
            missed = _first_difference(key_on, checked, day - DAY, last_key)
            last_key = key_on(missed)
            yield missed, checked, last_key, True
            if before_key != last_key:
                yield day - DAY, missed, before_key, False
                last_key = before_key
        current_key = key_on(day)
        if current_key != last_key:
            yield day, day - DAY, current_key, False
        last_key, checked = current_key, day


def plan_credential(cred: Credential, profile: Profile, as_of: date, years: int = HORIZON_YEARS) -> Plan:
    """The answer over time: each segment's status and route (and `now`) from the compiled decision on
    the day it starts (what --json and the table show), its traced answer made only when asked for."""
    horizon = plan_horizon(as_of, years)
    now: Decision | None = None
    warnings: list[str] = []
    given = profile
    if profile.age is not None and profile.birth_date is None:
        profile = age_as_birth_span(profile, as_of)
    if profile.vague:  # dates given only to the month: today's answer over every day they can mean
        from ma_cli.reasoning import readings  # (only then: `eligible` imports the planner at every start)

        # (an expected month holding as_of is held from as_of on: a month it pins to one day, its last,
        # then needs no readings, and the plan below reads that day)
        spanned, profile = profile, readings.from_as_of(profile, as_of)
        given = profile if given is spanned else readings.from_as_of(given, as_of)  # (the same person: once)
        # today's answer is `eligible`'s: from the profile as given, an age read as the age on as_of (every
        # birthday of age_as_birth_span's span gives it), so the span neither counts toward MAX_DATES nor
        # makes today a review
        today, reads, decide = profile_on(given, as_of, as_of), credential_reads(cred), Prepared(cred, as_of).decider()
        found = readings.settle(today, as_of, decide, readings.answer_parts, reads)
        if found is None:
            now = untraced(cred, decide(today))
        else:
            if readings.too_many(readings.live(today, as_of, reads)):
                return _review_plan(cred, profile, as_of, horizon, found)
            now = untraced(cred, (found.status, found.route, found.deadline, found.opens))
            if found.split is not None:
                now = replace(now, reasons=(found.split,))
        if readings.live(profile, as_of, reads):  # (the later days read the span too: _plan_over_readings)
            return _plan_over_readings(cred, profile, as_of, years, now)
    answers = _Answers(cred, profile, as_of)
    key_on = answers.key
    starts: list[tuple[date, tuple[str, ...]]] = [(as_of, ())]
    for day, since, key, searched in changes(cred, profile, as_of, horizon, key_on, key_on(as_of)):
        starts.append((day, _changed(answers, since, day, key[1] or key_on(since)[1])))
        if searched:
            warnings.append(f"{cred.id}: the change on {day} was found by search, not from the rules' dates")
    segments = []
    for i, (start, because) in enumerate(starts):
        end = starts[i + 1][0] - DAY if i + 1 < len(starts) else None
        status, route, _, _ = answers.answer(start)
        segments.append(Segment(start, end, status, route.id if route is not None else None,
                                route.name if route is not None else None, because,
                                _traced_on(cred, profile, as_of, start)))
    eligible_seg = next((s for s in segments if s.status == ELIGIBLE), None)
    relies = False
    if eligible_seg is not None and eligible_seg.start > as_of:
        relies = _relies_on_work(cred, profile, eligible_seg)
    missing = ()
    if all(s.status == NOT_ELIGIBLE for s in segments):
        missing = _missing(cred, answers.prepared(as_of), profile_on(profile, as_of, as_of), horizon)
    return Plan(cred.id, cred.name, as_of, horizon, now or untraced(cred, answers.answer(as_of)), tuple(segments),
                missing, assumed_completions(profile, as_of, horizon), relies, tuple(warnings), cred, profile, cred.field)


def age_as_birth_span(profile: Profile, as_of: date) -> Profile:
    """An age without a birth date: the next birthday may fall on any day of the coming year (born from
    the day after `age + 1` years before as_of to `age` years before it). The plan reads it as a birth date
    known only to that span, as one given only to the month (readings: the answer on its first and last
    day, review where they split); its latest day alone said "never" where an earlier birthday opens a
    window in time (17 before a training year runs out)."""
    age = profile.age or 0
    last = add_months(as_of, -12 * age)
    first = add_months(as_of, -12 * (age + 1)) + DAY
    span = Vague(At(AGE_GIVEN, ("birth_date",)), f"age {age} on {as_of}", first, last)
    return replace(profile, birth_date=first, vague=profile.vague + (span,))


def _review_plan(cred: Credential, profile: Profile, as_of: date, horizon: date, found: Any) -> Plan:
    """The plan when more dates are given only to the month than are read each way (readings.MAX_DATES):
    review from today, saying why, and no timeline."""
    status, route = found.status, found.route
    now = replace(untraced(cred, (status, route, found.deadline, None)), reasons=(found.split,))
    segment = Segment(as_of, None, status, route.id if route is not None else None,
                      route.name if route is not None else None, (), _traced_on(cred, profile, as_of, as_of))
    # (no timeline, so no completion is projected into one)
    return Plan(cred.id, cred.name, as_of, horizon, now, (segment,), (), (), False,
                (f"{cred.id}: {found.split} (the plan says review until it is)",), cred, profile, cred.field)


def _plan_over_readings(cred: Credential, profile: Profile, as_of: date, years: int, now: Decision) -> Plan:
    """The plan of a person with dates given only to the month: a plan per reading (readings.each), laid
    over each other. Where the readings agree on the answer, theirs (the first-day reading's route and
    words); where they do not, review, saying which date it turns on and the answer each way (today's
    too: `now`). So the first eligible day is the one every reading reaches (the latest), and
    eligibility ends on the first day any reading loses it (the earliest)."""
    from ma_cli.reasoning import readings

    dates, people = readings.each(profile, as_of, credential_reads(cred))
    plans = [plan_credential(cred, person, as_of, years) for person, _ in people]
    segments: list[Segment] = []
    split: list[str | None] = []  # per segment: why the readings disagree on it (None: they agree)
    for start in sorted({seg.start for plan in plans for seg in plan.segments}):
        covering = [_covering(plan.segments, start) for plan in plans]
        first = covering[0]
        statuses = [seg.status for seg in covering]
        why: str | None = None
        routes = [seg.route for seg in covering]
        one_status, one_route = len(set(statuses)) == 1, len(set(routes)) == 1
        if one_status and not one_route:
            # the same answer by another route in another reading: no one route is the person's
            turn = next(i for i, r in enumerate(routes) if r != routes[0])
            status, route, traced = first.status, None, first.traced
            route_name = " or ".join(dict.fromkeys(seg.route_name or "no route" for seg in covering))
            either = tuple(dict.fromkeys(r or "no-route" for r in routes))
            because = (readings.route_turns_on(dates, people[turn][1], first.route_name or "no route",
                                               covering[turn].route_name or "no route"),)
        elif one_status:
            status, route, route_name, traced = first.status, first.route, first.route_name, first.traced
            either = ()
            # the conditions that changed on this day, in the reading whose answer changed on it
            because = next((seg.because for seg in covering if seg.start == start), ())
        else:
            turn = next(i for i, st in enumerate(statuses) if st != statuses[0])
            why = readings.turns_on(dates, people[turn][1], statuses[0], statuses[turn])
            status, route = REVIEW, first.route if one_route else None
            route_name = first.route_name if one_route else None
            because, traced, either = (why,), _review_on(first, why, one_route), ()
        if segments and (segments[-1].status, segments[-1].route, segments[-1].route_name, split[-1]) == (
                status, route, route_name, why):
            continue  # the same answer goes on (a change in another reading's words alone, say)
        segments.append(Segment(start, None, status, route, route_name, because, traced, either))
        split.append(why)
    segments = [replace(seg, end=segments[i + 1].start - DAY) if i + 1 < len(segments) else seg
                for i, seg in enumerate(segments)]
    warnings = [f"{cred.id}: from {seg.start}{f' to {seg.end}' if seg.end else ''}: {why} (the plan says review)"
                for seg, why in zip(segments, split) if why is not None]
    for plan in plans:
        warnings += [w for w in plan.warnings if w not in warnings]
    if segments[0].route is None and now.route is not None:  # (today's route turns on the day too)
        now = replace(now, route=None, route_name=segments[0].route_name)
    base = plans[0]
    missing = base.missing if all(seg.status == NOT_ELIGIBLE for seg in segments) else ()
    return Plan(cred.id, cred.name, as_of, base.horizon, now, tuple(segments), missing,
                assumed_completions(profile, as_of, base.horizon),
                any(plan.relies_on_work for plan in plans), tuple(warnings), cred, profile, cred.field)


def _covering(segments: tuple[Segment, ...], day: date) -> Segment:
    """The segment holding `day` (segments start on or before it, in order)."""
    return next(seg for seg in reversed(segments) if seg.start <= day)


def _review_on(seg: Segment, why: str, same_route: bool) -> Callable[[], Decision]:
    """The traced answer of a stretch the readings split: the first-day reading's, as review saying why."""
    from ma_cli.reasoning import readings

    def traced() -> Decision:
        return readings.as_review(seg.decision, why, same_route, seg.decision.deadline if same_route else None)

    return traced


def _traced_on(cred: Credential, profile: Profile, as_of: date, day: date) -> Callable[[], Decision]:
    """The traced answer on `day`, as a function that works it out on its first call."""
    made: list[Decision] = []

    def traced() -> Decision:
        if not made:
            made.append(decision_on(cred, profile, as_of, day))
        return made[0]

    return traced


def eligible_until(cred: Credential, profile: Profile, as_of: date, years: int = HORIZON_YEARS) -> date | None:
    """plan_credential(...).eligible_until without the plan: from the same changes, the answers' keys
    alone (no traced answer), and only as far as the first day not eligible. For dates given only to the
    month, the earliest over the days they can mean (readings.py)."""
    if profile.vague:
        from ma_cli.reasoning import readings

        return readings.earliest(profile, as_of, lambda p: eligible_until(cred, p, as_of, years), credential_reads(cred))
    key_on = _Answers(cred, profile, as_of).key
    now_key = key_on(as_of)
    if now_key[0] != ELIGIBLE:
        return None
    for day, _, key, _ in changes(cred, profile, as_of, plan_horizon(as_of, years), key_on, now_key):
        if key[0] != ELIGIBLE:
            return day - DAY
    return None


def _kinds(conditions) -> set[str]:
    kinds: set[str] = set()
    for c in conditions:
        kinds.add(c.kind)
        kinds |= _kinds(c.params.get("conditions", ()))
    return kinds


def _relies_on_work(cred: Credential, profile: Profile, seg: Segment) -> bool:
    route = next((r for r in cred.routes if r.id == seg.route), None)
    ongoing = any(j.end is None for j in profile.work)
    kinds = _kinds((*route.conditions, *cred.requires)) if route else set()
    return ongoing and any(KINDS[k].sums_work for k in kinds)


def _missing(cred: Credential, prepared: Prepared, person: Profile, until: date) -> tuple[str, ...]:
    """What fails today that waiting (to `until`) cannot mend, in the words of today's trace: each such
    requirement, and for each route its first such condition, or the window of it that holds now but
    closes before the rest of the route opens. Worded only for what is shown."""
    as_of = prepared.as_of
    ctx = Context(person, as_of)
    checks = [(c, run(ctx)) for c, run in prepared.requires]
    requires = [condition_result(cred, c, ch) for c, ch in checks]
    out = [f"{r.says}: {r.observed}" for (c, ch), r in zip(checks, requires)
           if r.status != PASS and r.confidence != "low" and not comes_with_time(c, person, as_of, until)]
    if not cred.routes:
        return ("no eligibility routes are encoded for this credential yet",)
    by_reason: dict[str, list[str]] = {}
    for route, conds in prepared.routes:
        if conds is None:  # not in force
            continue
        for reason in _closed_by(cred, prepared, person, route, conds, requires, checks, until)[:1]:
            by_reason.setdefault(reason, []).append(route.name)
    # one line per missing piece, naming the routes it closes
    out.extend(f"{reason} — {'; '.join(names)}" for reason, names in by_reason.items())
    return tuple(out)


def comes_with_time(cond: Any, person: Profile, as_of: date, until: date, item: Any = None) -> bool:
    """kinds.comes_by_waiting, with the person's expected completions happening as the plan has them
    (profile_on): a program expected on D is completed from D, so what asks for its completion (a
    completion date given, a window after it) comes with time too and is not missing."""
    if comes_by_waiting(cond, person, as_of, until, item):
        return True
    records_now = (*person.programs, *person.military)
    on = min((d for r in records_now if (d := _graduates_on(r, as_of)) is not None and d <= until), default=None)
    if on is None:
        return False
    later = profile_on(person, as_of, until)
    later_item = item
    if item is not None:  # the same record, completed
        group = "programs" if item in person.programs else "military"
        later_item = getattr(later, group)[getattr(person, group).index(item)]
    done = _graduates_on(item, as_of) if item is not None and item.expected is not None else on
    if done is None:
        return False
    return (status_over(cond, Span(later, done, until, later_item))(done) == PASS
            or comes_by_waiting(cond, later, done, until, later_item))


def _closed_by(cred: Credential, prepared: Prepared, person: Profile, route: Route, conds: tuple,
               requires: list[ConditionResult], req_checks: list, until: date) -> list[str]:
    """What closes a route today for good, as its traced answer says it: the first of its conditions
    (of the record it looks at) that fails with confidence and cannot come by waiting; else a window of
    it that holds now but closes before the last of what fails opens (_closes_first); with no condition
    to look at, the route's first reason."""
    items = records(route, person)
    if conds and len(items) == 1:
        item = items[0]
    else:
        # several records (the trace's words rank them) or none, or no condition in force: the traced route
        traced = prepared.route_result(route, conds, requires, failing(req_checks), person)
        if not traced.conditions:
            return list(traced.reasons[:1])
        item = next(i for i in items if i.label() == traced.looked_at)
    as_of = prepared.as_of
    ctx = Context(person, as_of, item)
    checks = [(cond, run(ctx)) for cond, run in conds]
    for cond, check in checks:
        if check.status != PASS and not comes_with_time(cond, person, as_of, until, item):
            result = condition_result(cred, cond, check)
            if result.confidence != "low":
                return [f"{result.says} ({result.observed})"]
    return _closes_first(person, as_of, until, item, checks, req_checks)


def _closes_first(person: Profile, as_of: date, until: date, item: Any, checks: list, req_checks: list) -> list[str]:
    """A route all of whose failures come by waiting, but one of whose windows holding today closes before
    the last of them holds: its dates never open it (the engine's verdicts.opens_in_time), so waiting does
    not help. Worded as "<window> closes on D, before <what fails> opens on E"."""
    closing = [(ch.closes, cond) for cond, ch in checks if ch.status == PASS and ch.closes]
    if not closing:
        return []
    closes, window = min(closing, key=lambda pair: pair[0])
    opening = []
    for cond, ch, on in [*((c, ch, item) for c, ch in checks), *((c, ch, None) for c, ch in req_checks)]:
        if ch.status != PASS:
            day = holds_from(cond, person, as_of, until, on)
            if day is None:
                return []  # (a failure waiting cannot mend, of low confidence: not this route's blocker)
            opening.append((day, cond))
    if not opening:
        return []
    opens, last = max(opening, key=lambda pair: pair[0])
    if opens_in_time(opens, closes) is not None:
        return []
    return [f"{says(window)} closes on {closes}, before {says(last)} opens on {opens}"]


def plan(profile: Profile, credentials: list[Credential], as_of: date, years: int = HORIZON_YEARS) -> list[Plan]:
    return [plan_credential(c, profile, as_of, years) for c in credentials]


def status_on(plan_: Plan, day: date) -> Segment:
    """The plan's answer on a day between as_of and the horizon."""
    for seg in plan_.segments:
        if seg.start <= day and (seg.end is None or day <= seg.end):
            return seg
    raise ValueError(f"{day} is outside the plan ({plan_.as_of} to {plan_.horizon})")


__all__ = ["Plan", "Segment", "plan", "plan_credential", "comes_with_time", "eligible_until", "changes", "candidate_days", "profile_on", "status_on",
           "HORIZON_YEARS", "ELIGIBLE", "REVIEW", "NOT_ELIGIBLE"]
