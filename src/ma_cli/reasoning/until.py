"""How long an eligible person stays eligible if nothing changes but time: `eligible_until`, on
batch's fast path.

`ma-cli plan` knows the answer (the last day of the eligible stretch that holds today, as
planner.Plan.eligible_until), and `ma-cli eligible` asks the planner for it. A roster cannot afford
a plan per row, so `batch` walks forward from today with the compiled decisions (compiled.py),
jumping from one day to the next on which the answer could change:

- on day t the person is eligible by the route the engine chose; that route surely holds as long
  as each of its conditions (and the requirements) surely keeps passing: a window until it
  closes, a birthday-bound age until the birthday, a work sum while its margin over the threshold
  lasts (a day's work adds or removes at most one full-time day) or, when the margin is thin, up
  to the day before the planner's own flip day for it; every other test for good;
- the person's record changes on an expected completion, and the rules in force on the day
  their dates start or end: the walk stops short of both;
- on the day after that, the compiled decision answers again: not eligible, and the day before
  was the last; eligible, and the walk goes on from there. Past the horizon it is `None`. The
  decision is not asked when its answer is known: a work sum of the route is short that day (often
  the bound is the day before it turns) and every other route looks at records the person has none
  of (Until._falls_through).

Eligible through the bound (the chosen route holds), the answer on the day after is the
engine's own: so the walk finds exactly the plan's last day whenever the planner's dates are
complete. tests/test_until.py holds it equal to Plan.eligible_until on generated people.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any, Callable

from ma_cli.base.dates import add_months, birthday as birthday_on, years_to_days
from ma_cli.inputs.profile import Profile
from ma_cli.language.change_days import Span, flips, inside, job_edges, rule_change_days, rules_epoch
from ma_cli.language.conditions import PASS, counted_fte, work_years_spans, work_years_window_start
from ma_cli.language.kinds import (
    KINDS,
    compile_condition,
    condition_days,
    credential_reads,
    status_over,
    work_measure,
)
from ma_cli.language.rule_records import Condition, Credential
from ma_cli.reasoning.engine import ELIGIBLE, Prepared

DAY = timedelta(days=1)
_THIN = 30  # a work margin (days) below which the exact flip day is looked up instead
_YEAR_DAY = 1 / 365  # the most a day adds to a sum of the person's years
_DAY_MIN = 1 / 366  # the least a whole day of work adds to it


class Until:
    """`last_day(profile, as_of answer)` for one credential and as-of day; made once per batch run."""

    def __init__(self, cred: Credential, as_of: date, years: int | None = None, decider=None):
        from ma_cli.reasoning.planner import HORIZON_YEARS, completion_days, plan_horizon, profile_on

        self.cred, self.as_of = cred, as_of
        self._completion_days, self._profile_on = completion_days, profile_on  # (planner: imported on first use)
        self.horizon = plan_horizon(as_of, HORIZON_YEARS if years is None else years)
        self._changes = rule_change_days(cred)
        self._deciders: dict[int, Any] = {}  # epoch (index into _changes) -> compiled decider
        self._routes: dict[int, dict] = {}
        self._compiled: dict[tuple, Callable] = {}
        self._reading: dict[tuple, bool] = {}  # (route id, epoch) -> whether it reads program/military records
        self._holding: dict[tuple, tuple] = {}  # (route id, epoch) -> _holders
        self._sums: dict[tuple, tuple] = {}  # (route id, epoch) -> _route_sums
        self._today: tuple = (None, None)  # (profile, the person today): _person_today's last
        self._ageless = "age" not in credential_reads(cred)
        self._first = self._epoch(as_of)  # the rules in force on as_of
        if decider is not None:  # batch's own, for as_of
            self._deciders[self._first] = decider
            self._adopt(decider, self._first)

    # --- the rules in force on a day ---------------------------------------------------------

    def _epoch(self, day: date) -> int:
        return rules_epoch(self._changes, day)

    def _decider(self, day: date, epoch: int | None = None):
        """The compiled decision for `day` (`epoch`: its rules in force, when known)."""
        if epoch is None:
            epoch = self._epoch(day)
        decider = self._deciders.get(epoch)
        if decider is None:
            decider = self._deciders[epoch] = Prepared(self.cred, day).decider()
            self._adopt(decider, epoch)
        return decider

    def _adopt(self, decider, epoch: int) -> None:
        """Use the decider's own compiled conditions (a costly one answers again from memory)."""
        self._routes[epoch] = decider.parts
        for conds in decider.parts.values():
            for cond, run in conds:
                self._compiled[(id(cond), epoch)] = run

    def _run(self, cond: Condition, day: date) -> Callable:
        """The compiled condition (profile, item, day) -> outcome for the epoch of `day`."""
        key = (id(cond), self._epoch(day))
        run = self._compiled.get(key)
        if run is None:
            run = self._compiled[key] = compile_condition(cond, day)
        return run

    # --- the walk ----------------------------------------------------------------------------

    def last_day(self, profile: Profile, answer: tuple) -> date | None:
        """The last day eligible if nothing changes but time, given the as-of answer (status, route, ...)
        for `profile`; None when not eligible today, or eligible through the horizon."""
        status, route = answer[0], answer[1]
        if status != ELIGIBLE:
            return None
        as_of, horizon = self.as_of, self.horizon
        # the days of the expected completions, looked up only when asked for: by a route or requirements
        # that read the records, or for a later day (most rows need neither: their route holds through
        # the horizon, or reads no record, and no later day is asked about)
        completions: Any = None if profile.programs or profile.military else ()
        day, epoch = as_of, self._first
        if epoch not in self._routes:  # (no decider given: made on first use)
            self._decider(day, epoch)
        # the person today as the plan sees them (an age without a birth date made one): on as_of they
        # answer every condition as the profile does (the age made is the age given), so they are made
        # only for a bound that looks at the birth date, or for a later day; on later days only an
        # expected completion changes them, and otherwise they stay that very object
        holders = self._holders(route, epoch, day)
        person = self._person_today(profile) if holders[2] else profile
        while True:
            bound = self._route_bound(person, route, day, holders)
            # the record changes on an expected completion (unless the route and the requirements read
            # no program or military record: then it holds on through it); the rules on a change of
            # rules in force
            stop = None
            if completions != () and self._reads_records(route, epoch):
                if completions is None:
                    completions = self._completion_days(profile, as_of, horizon)
                stop = next((c for c in completions if c > day), None)
            if epoch < len(self._changes):
                stop = self._changes[epoch] if stop is None else min(stop, self._changes[epoch])
            if stop is not None and (bound is None or bound >= stop):
                bound = stop - DAY
            if bound is None or bound >= horizon:
                return None
            day = bound + DAY
            if self._falls_through(profile, route, epoch, day):
                return bound
            if completions is None:
                completions = self._completion_days(profile, as_of, horizon)
            # the person today is the profile itself for a credential that reads no age, a month-only
            # date aside: the birth date made from an age is all profile_on changes on as_of, and a
            # field the credential does not read cannot change its answer (kinds.credential_reads)
            today = profile if self._ageless and not profile.vague else self._person_today(profile)
            person = self._profile_on(today, as_of, day) if completions else today
            epoch = self._epoch(day)
            status, route, _, _ = self._decider(day, epoch)(person, day)
            if status != ELIGIBLE:
                return bound
            holders = self._holders(route, epoch, day)

    def _falls_through(self, profile: Profile, route, epoch: int, day: date) -> bool:
        """Whether the answer on `day` is surely not eligible, found without the decision: the same rules
        are in force as in `epoch`, every other route in force looks at records the person has none of
        (a route over no records is not eligible), and a work sum of the route (or every sum of an any_of
        of them) is not met on `day` (an eligible route passes every condition surely, and the sum
        answers the same for every record).
        The sum is the decision's own measure, on the person's work, which nothing but time changes
        (an expected completion changes a record; a date given only to the month: not asked here);
        when the walk's bound came from the day the sum turns short, it is remembered already."""
        if epoch < len(self._changes) and day >= self._changes[epoch]:
            return False
        sums = self._sums.get((route.id, epoch))
        if sums is None:
            sums = self._sums[(route.id, epoch)] = self._route_sums(route, epoch)
        if not sums[0] or profile.vague:
            return False
        for over in sums[1]:
            if over is None or (profile.programs if over == "program" else profile.military):
                return False
        return any(all(measure(profile.work, day, False)[0] != PASS for measure in group) for group in sums[0])

    def _route_sums(self, route, epoch: int) -> tuple[tuple, tuple]:
        """The measures of the route's work sums in `epoch` (in groups: see below), and what each other
        route in force looks at (Route.over: None for the person)."""
        routes = self._routes[epoch]
        overs = {r.id: r.over for r in self.cred.routes}
        # each a group of measures, short when every one is: a work sum alone, or an any_of of work sums
        # (a source that leaves part-time work open: the strict and the loose reading). An alternative
        # not in force only makes its group short less often (the decision is then asked).
        sums = []
        for cond, _ in routes[route.id]:
            over_time = KINDS[cond.kind].over_time
            if over_time == "work_sum":
                sums.append((self._measure(cond),))
            elif over_time == "alternatives" and all(KINDS[c.kind].over_time == "work_sum"
                                                     for c in cond.params["conditions"]):
                sums.append(tuple(self._measure(c) for c in cond.params["conditions"]))
        return tuple(sums), tuple(overs[rid] for rid in routes if rid is not None and rid != route.id)

    def _person_today(self, profile: Profile) -> Profile:
        """planner.profile_on(profile, as_of, as_of), remembered for the last profile asked about (by
        identity: a frozen record, held here so its identity is not reused): the walk asks again on each
        day it stops at."""
        held = self._today
        if held[0] is profile:
            return held[1]
        person = self._profile_on(profile, self.as_of, self.as_of)
        self._today = (profile, person)
        return person

    def _reads_records(self, route, epoch: int) -> bool:
        """Whether the route or the requirements in force in `epoch` look at a program or military record
        (which an expected completion changes)."""
        key = (route.id, epoch)
        reads = self._reading.get(key)
        if reads is None:
            routes = self._routes[epoch]
            conds = [cond for cond, _ in routes[None]] + [cond for cond, _ in routes[route.id]]
            reads = self._reading[key] = route.over is not None or any(map(_reads_records, conds))
        return reads

    def _route_bound(self, person: Profile, route, day: date, holders: tuple) -> date | None:
        """The last day (None: for good) the eligible route surely keeps holding, from `day` on (`holders`:
        its _holders in the rules in force on `day`)."""
        requires, conds, _, conds_one = holders
        bound: Any = None
        for holds in requires:
            bound = _earlier(bound, holds(person, None, day))
        over = route.over
        items = person.programs if over == "program" else person.military if over == "military" else (None,)
        if len(items) == 1:
            conds = conds_one
        best: Any = False  # the latest bound among the records the route holds for
        for item in items:
            item_bound: Any = bound
            for holds in conds:
                b = holds(person, item, day)
                if b is False:
                    item_bound = False
                    break
                item_bound = _earlier(item_bound, b)
            if item_bound is False:
                continue
            if item_bound is None or best is False or (best is not None and item_bound > best):
                best = item_bound
        if best is False:  # (cannot happen: the route holds for some record today)
            return day
        return best

    def _holders(self, route, epoch: int, day: date) -> tuple[tuple, tuple, bool, tuple]:
        """The requirements' and the route's conditions in `epoch` as _holder makes them (those that
        hold for good whenever they pass left out), whether any of their bounds looks at the birth
        date (_bounded_by_birth), and the route's conditions for a person with one record of the kind
        it is over (all held as sure, as a route over the person's are: see below); made once per route
        and rules in force; `day`: a day in the epoch.

        The walk asks for a route's bound only on a day the decision has just found the person eligible
        by it, so every requirement, and every condition of a route over the person, passes surely
        that day (an eligible answer admits no other outcome): they are not asked again. A route over
        records holds by its best record: a condition looking at the record is asked per record, one
        that does not gives every record the same answer, which passes. With one record, the route holds
        by that one: every condition passes surely for it, and none is asked again. (On as_of the answer was
        given for the profile as read, the person being it with a birth date made from an age, which
        every condition reads as that age on as_of: the same answers.)"""
        key = (route.id, epoch)
        held = self._holding.get(key)
        if held is None:
            routes = self._routes[epoch]
            requires = [self._holder(cond, run, day, True) for cond, run in routes[None]]
            conds = [self._holder(cond, run, day, route.over is None or not _reads_records(cond))
                     for cond, run in routes[route.id]]
            ones = conds if route.over is None else [self._holder(cond, run, day, True) for cond, run in routes[route.id]]
            births = any(_bounded_by_birth(cond) for cond, _ in routes[None] + routes[route.id])
            held = self._holding[key] = (tuple(h for h in requires if h is not None),
                                         tuple(h for h in conds if h is not None), births,
                                         tuple(h for h in ones if h is not None))
        return held

    def _holder(self, cond: Condition, run: Callable, day: date, sure: bool) -> Callable | None:
        """Until when `cond` surely keeps passing (as sure as an eligible route needs), as a function
        (person, item, day) -> a date, None for good, or False when it does not pass surely that day;
        for days on which the same rules are in force as on `day` (`run`: its compiled decision for
        them). `sure`: it is known to pass surely whenever asked, so its decision is not asked again,
        and a condition that then holds for good is None instead of a function."""
        over_time = KINDS[cond.kind].over_time
        if cond.meta.confidence == "low":
            return _never
        if over_time == "work_sum":  # the sum itself: its answer and how far it clears the threshold
            measure = self._measure(cond)
            work_bound = self._work_bound
            kept = _kept_met(cond)  # (most people asked: a job going on keeps the sum met, for good)
            if sure:
                return lambda person, item, day: None if kept(person, day) else work_bound(
                    cond, person, day, measure, False)

            def sum_holds(person: Profile, item, day: date):
                if measure(person.work, day, False)[0] != PASS:
                    return False
                return None if kept(person, day) else work_bound(cond, person, day, measure, False)
            return sum_holds
        p = cond.params
        if over_time == "alternatives":  # the latest any alternative in force holds for (the rules
            # in force on `day` are those of every day asked about: the same alternatives in force)
            # (a low-confidence alternative never holds surely: left out)
            in_force = [alt for alt in p["conditions"] if alt.meta.in_force(day)]
            sure_alts = [alt for alt in in_force if alt.meta.confidence != "low"]
            if sure and len(sure_alts) == 1 and KINDS[sure_alts[0].kind].over_time != "alternatives":
                # an any_of passing surely has a holding alternative that is not low-confidence (kinds.AnyOf:
                # as surely as the surest holding one); with one such in force, that one passes surely too
                # (a plain condition's outcome is never low: only an any_of's is), so it is held as sure:
                # its decision is not asked, and one that then holds for good is left out (a high school
                # diploma with its low-confidence provisional reading, fewer than three failed attempts)
                return self._holder(sure_alts[0], self._run(sure_alts[0], day), day, True)
            alts = tuple(self._holder(alt, self._run(alt, day), day, False) for alt in sure_alts)

            def latest(person: Profile, item, day: date):
                best: Any = False
                for holds in alts:
                    b = holds(person, item, day)  # type: ignore[misc]  # (never None: not sure)
                    if b is None:
                        return None
                    if b is not False and (best is False or b > best):
                        best = b
                return best

            if not sure and not any(KINDS[alt.kind].over_time == "alternatives" for alt in in_force):
                # the any_of passes surely (not low) exactly when an alternative that is not low-confidence
                # passes (kinds.AnyOf: as surely as the surest holding alternative), which is when that
                # alternative's own bound is not False: the any_of's decision need not be asked first
                # (an alternative that is an any_of itself could pass less surely than its rule: asked)
                return latest

            if sure:
                def surely(person: Profile, item, day: date):
                    best = latest(person, item, day)
                    return day if best is False else best
                return surely

            def rest(person: Profile, item, day: date, closes):
                best = latest(person, item, day)
                return day if best is False else best
        elif over_time in ("window", "fields", "rising", "for_good"):
            # a window until it closes; fields until a date among them comes (a birthday, a diploma);
            # age and a diploma only go up, other fields stay as they are; the rest for good
            paths = (p["field"],) if over_time == "window" else (
                (p.get("field"), p.get("other")) if over_time == "fields" else
                () if over_time == "for_good" or p["field"] == "age" else (p["field"],))
            dated = tuple(path for path in paths if _dated_field(path))
            closing = over_time == "window"
            if sure and not closing and not dated:
                return None
            if not dated:  # (most: the answer alone settles it)
                def plain(person: Profile, item, day: date):
                    status, _, closes, low = run(person, item, day)
                    if status != PASS or low:
                        return False
                    return closes if closing else None
                return plain

            def rest(person: Profile, item, day: date, closes):
                bound = closes if closing else None
                for path in dated:
                    bound = _earlier(bound, _field_bound(path, person, day))
                return bound
        else:
            planner_bound = self._planner_bound

            def rest(person: Profile, item, day: date, closes):
                return planner_bound(cond, person, item, day)
        if sure and over_time != "window":
            return lambda person, item, day: rest(person, item, day, None)

        def holds(person: Profile, item, day: date):
            status, _, closes, low = run(person, item, day)
            if status != PASS or low:
                return False
            return rest(person, item, day, closes)
        return holds

    def _measure(self, cond: Condition):
        return work_measure(cond)  # the decision's own (kinds.work_measure): today's sum is known already

    def _work_bound(self, cond: Condition, person: Profile, day: date, measure, kept: bool | None = None):
        """Until when the work sum `cond`, met on `day`, surely stays met; `measure`: its measure (the
        sum itself is asked only when a job going on does not settle it). `kept`: what _kept_met
        answered, when it was asked already."""
        p = cond.params
        roles = tuple(p.get("roles", ("medical-assistant",)))
        capped = "max_instructor_years" in p
        need = p["years"]  # in the person's years (conditions.work_years_measure), as the sum
        # a day of work is at most 1/365 of such a year; a leap day and the window's start moving to
        # a new first day counted move the sum by a day's worth at most: two days' worth to spare
        spare = _YEAR_DAY * 2
        # work that goes on: a job adds as much to the sum each day as it did a window ago, so what it
        # alone puts in the window never falls; when that alone clears the threshold (with a leap day
        # to spare either way) the sum stays met, and the person works now
        window = years_to_days(p["within"], day) - 1
        ongoing = [job for job in person.work
                   if job.end is None and job.role in roles and not (capped and job.role == "instructor")
                   and job.start <= day and (p.get("supervised") is None or job.supervised in (None, p["supervised"]))]
        if kept if kept is not None else any(_keeps_met(job, p, day, spare) for job in ongoing):
            return None
        total = measure(person.work, day, False)[1]
        if total is None:
            return self._first_work_flip(cond, person, day)
        steps = _sure_days(total, need)
        if not any(j.role in roles_all(p) and (j.end is None or j.end >= day) for j in person.work):
            # all the work is done: the sum only falls, and the day it turns is looked up at once
            return self._last_before_falling(cond, person, day, measure)
        if steps >= _THIN and ongoing:
            # the margin vouches for the sum through day + steps; a job going on that alone keeps it met
            # from a day within that reach keeps it met for good (what this test would say on that day)
            reach = day + timedelta(days=steps + 1)
            if any(_keeps_met_from(job, p, day, spare) <= reach for job in ongoing):
                return None
        if steps < _THIN:
            alone = self._one_job_growing(cond, person, day, window, need, spare, measure)
            if alone is not False:
                return alone
            if not any(j.role in roles_all(p) and (j.end is None or j.end >= day) for j in person.work):
                return self._last_before_falling(cond, person, day, measure)
            return self._first_work_flip(cond, person, day)
        bound = day + timedelta(days=steps)
        if p.get("current"):  # working now: until the last job in the roles ends
            ends = [j.end for j in person.work if j.role in roles]
            if ends and None not in ends:
                bound = min(bound, max(ends))
        return bound

    def _last_before_falling(self, cond: Condition, person: Profile, day: date, measure):
        """All the work is done: the sum only falls as the window's start moves past it, so the answer
        turns once, bar a day's worth of work the sum can gain back as that start passes the end of
        February (the person's years from it then count a 29 February less). _falling_short works out
        near which day it turns from the work's full-time-equivalent days; the sum is then asked day by
        day from there to the turn, and, when the turn is near the end of February, on the days just
        before it too (_ragged_near). A guess that misses: steps forward from today, each past the
        days the sum's margin vouches for and twice as long as the last, then halving back.
        One piece of work in the window: the sum is that piece counted in years from the window's
        start, which never grows as the start moves on, so the first day short is the one turn."""
        def met(d: date) -> bool:
            return measure(person.work, d, False)[0] == PASS

        need, horizon, within = cond.params["years"], self.horizon, cond.params["within"]
        # the work done, all of it (for _falling_short), and the pieces the sum counts on `day`: those
        # ending after the window's start (work_years_spans from that start keeps just those, cut at it)
        spans = work_years_spans(cond, person.work, day, date.min)
        start = work_years_window_start(cond, day)
        counted = [span for span in spans if span[1] > start]
        one_piece = len(counted) <= 1
        # how far back of a turn the sum can have been short already: a day's worth of full-time work
        # gained back, lost again at the least share of a day worked, half as much again to spare (and
        # never fewer than 8 days)
        least = min((min(1.0, fte) for _, _, fte, _ in counted if fte > 0), default=1.0)
        reach = max(_RAGGED, math.ceil(1.5 / least))
        guess = _falling_short(cond, spans)
        if guess is not None and day < guess <= horizon:
            turn = _turn_near(met, guess, day, horizon)
            if turn is not _MISSED:
                if turn is None or one_piece or not _ragged_near(turn + DAY, within, reach):
                    return turn
                return _first_short_back(met, turn + DAY, day, reach) - DAY
        lo = day
        total, stride = measure(person.work, lo, False)[1], 8
        while True:
            hi = min(horizon, lo + timedelta(days=max(_sure_days(total, need), stride)))
            status, later = measure(person.work, hi, False)[:2]
            if status != PASS:
                break
            if hi == horizon:
                return None
            lo, total, stride = hi, later, stride * 2
        while (hi - lo).days > 1:
            mid = lo + timedelta(days=(hi - lo).days // 2)
            if met(mid):
                lo = mid
            else:
                hi = mid
        return (hi if one_piece else _first_short_back(met, hi, day, reach)) - DAY

    def _one_job_growing(self, cond: Condition, person: Profile, day: date, window: int, need: float, spare: float,
                         measure):
        """The one job in the window goes on: the sum only grows (the job adds its share each day and
        nothing leaves) until the window is all that job, which alone clears the threshold: once it is
        two days over, it stays met. The days until then are asked one by one. False: not this case."""
        p = cond.params
        roles = tuple(p.get("roles", ("medical-assistant",))) + ("instructor",) * ("max_instructor_years" in p)
        start = day - timedelta(days=window + 1)
        counted = [j for j in person.work if j.role in roles and j.start < day and (j.end is None or j.end >= start)]
        if (len(counted) != 1 or counted[0].end is not None or counted[0].role == "instructor"
                or (p.get("supervised") is not None and counted[0].supervised not in (None, p["supervised"]))):
            return False
        share = _share(counted[0], p)
        if share * window * _DAY_MIN < need + spare:
            return False
        d = day
        for _ in range(int(4 / share) + 4):  # two days over, plus a leap day either way
            d += DAY
            status, total = measure(person.work, d, False)[:2]
            if status != PASS:
                return d - DAY
            if total >= need + spare:
                return None
        return False

    def _first_work_flip(self, cond: Condition, person: Profile, day: date):
        """The day before the first day after `day` on which the work sum's answer changes, found as
        the planner finds it (kinds.WorkYears.candidates), piece by piece, stopping at the first."""
        p = cond.params
        span = Span(person, day, self.horizon)
        roles = tuple(p.get("roles", ("medical-assistant",))) + ("instructor",) * ("max_instructor_years" in p)
        within = p["within"]
        months, extra = int(within) * 12, round((within - int(within)) * 365)
        edges = job_edges(span, roles)
        leaving = [add_months(e, months) + timedelta(days=extra) for e in edges]
        cuts = sorted({span.lo, span.hi} | inside(edges + leaving, span))
        piece = timedelta(days=183)  # as the planner cuts them (change_days.solve)
        status = status_over(cond, span)
        for a, b in zip(cuts, cuts[1:]):
            while a < b:
                end = min(b, a + piece)
                found = flips(status, a, end)
                if found:
                    return min(found) - DAY
                a = end
        return None

    def _planner_bound(self, cond: Condition, person: Profile, item, day: date):
        """The planner's own days on which the condition may change (planner.condition_days)."""
        days = [d for d in condition_days(cond, Span(person, day, self.horizon, item)) if d > day]
        return min(days) - DAY if days else None


def _share(job, p: dict) -> float:
    """The share of a full-time day the work sum (params `p`) counts for each day of the job (0: none)."""
    return min(1.0, counted_fte(job, p.get("part_time")) or 0.0)


def _kept_met(cond: Condition) -> Callable[[Profile, date], bool]:
    """Whether a job going on keeps the work sum `cond` met for good from a day on (Until._work_bound's
    first test: one of the jobs it counts as going on _keeps_met), as a function (person, day), made
    once per condition and kept on it: what depends on the rule alone, and the window's length on the
    day last asked about, worked out once."""
    kept = cond.__dict__.get("_kept_met")
    if kept is not None:
        found: Callable[[Profile, date], bool] = kept
        return found
    p = cond.params
    roles = tuple(p.get("roles", ("medical-assistant",)))
    capped = "max_instructor_years" in p
    supervised, part_time = p.get("supervised"), p.get("part_time")
    within = p["within"]
    enough = p["years"] + _YEAR_DAY * 2  # (a leap day to spare either way: as _work_bound's `spare`)
    last: list[Any] = [None, 0]  # the day last asked about, and the window's length (_keeps_met's) on it

    def kept_met(person: Profile, day: date) -> bool:
        for job in person.work:
            if (job.end is not None or job.role not in roles or (capped and job.role == "instructor")
                    or job.start > day or (supervised is not None and job.supervised not in (None, supervised))):
                continue
            if last[0] != day:
                last[:] = day, years_to_days(within, day) - 1
            window = last[1]
            worked = (day - job.start).days
            # _keeps_met, step for step (the same floats)
            if (min(1.0, counted_fte(job, part_time) or 0.0) * min(window, worked) * _DAY_MIN >= enough
                    or (worked >= window + 3 and _fills_enough(job, p))):
                return True
        return False

    cond.__dict__["_kept_met"] = kept_met
    return kept_met


def _keeps_met(job, p: dict, day: date, spare: float) -> bool:
    """A job going on since job.start that alone keeps a work sum (params `p`) met from `day` on: what
    it alone puts in the look-back window never falls and clears the threshold (a leap day to spare
    either way), or it fills the window and its share of the window's whole years reaches the
    threshold (the sum is at least that share of the window, day after day: someone on exactly
    0.6 FTE for RMA's three years in five sits on the threshold for good)."""
    window = years_to_days(p["within"], day) - 1
    worked = (day - job.start).days
    return (_share(job, p) * min(window, worked) * _DAY_MIN >= p["years"] + spare
            or (worked >= window + 3 and _fills_enough(job, p)))


def _fills_enough(job, p: dict) -> bool:
    """Whether a job filling a work sum's whole look-back window alone meets its threshold. The window
    on day d starts on the day `within` years before (base.dates.years_to_days), so in the person's
    years (base.dates.years_since, from that first day) it is at least `within` years long when
    `within` is whole; the sum, swept over every job, counts at least the job's share of it."""
    within = p["within"]
    share = _share(job, p)
    return p["years"] <= within if share >= 1 else (
        float(within).is_integer() and share * within >= p["years"])


def _keeps_met_from(job, p: dict, day: date, spare: float) -> date:
    """The first day from `day` on that _keeps_met holds for the job (date.max: never near the day its
    share alone clears the threshold by the count of days, nor near the day it fills the window)."""
    share = _share(job, p)
    if _keeps_met(job, p, day, spare):
        return day
    if share <= 0:
        return date.max
    # the window's length moves with leap days: the days just around each are asked
    clears = job.start + timedelta(days=math.ceil((p["years"] + spare) / (share * _DAY_MIN)))
    fills = job.start + timedelta(days=years_to_days(p["within"], day) + 2)
    for near in sorted({clears, fills} if _fills_enough(job, p) else {clears}):
        for d in (near - DAY, near, near + DAY, near + 2 * DAY):
            if d > day and _keeps_met(job, p, d, spare):
                return d
    return date.max


def _reads_records(cond: Condition) -> bool:
    """Whether a condition looks at a program or military record: any_program, or a field of one."""
    if cond.kind == "any_program":
        return True
    for value in cond.params.values():
        for v in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(v, str) and v.startswith(("program", "military")):
                return True
            if isinstance(v, Condition) and _reads_records(v):
                return True
    return False


_MISSED = object()  # _turn_near did not reach the turn in its steps
_NEAR_STEPS = 12  # days _turn_near steps from the guess before giving up on it
_RAGGED = 8  # days before a turn the sum is asked about, at the least (_last_before_falling)


def _turn_near(met: Callable[[date], bool], guess: date, day: date, horizon: date):
    """The last day met before the sum turns short, stepping a day at a time from `guess` (forward
    while met, back while short); None: met through the horizon; _MISSED: not within _NEAR_STEPS.
    The sum is met on `day`."""
    d = guess
    if met(d):
        for _ in range(_NEAR_STEPS):
            if d >= horizon:
                return None
            d += DAY
            if not met(d):
                return d - DAY
        return _MISSED
    for _ in range(_NEAR_STEPS):
        d -= DAY
        if d <= day or met(d):
            return d
    return _MISSED


def _first_short_back(met: Callable[[date], bool], short: date, day: date, reach: int) -> date:
    """The earliest day short among `short` and the `reach` days before it (after `day`)."""
    first, d = short, short - DAY
    while d > day and d >= short - timedelta(days=reach):
        if not met(d):
            first = d
        d -= DAY
    return first


def _ragged_near(short: date, within: float, reach: int) -> bool:
    """Whether the window's start (within years before) runs past the end of February in the
    `reach` days before `short` (a few days to spare), where a sum of done work can rise again:
    only there do the person's years from it change length, and does the start skip a day or stay."""
    late = short + 2 * DAY
    for end in (late, late - timedelta(days=years_to_days(within, late))):
        early = end - timedelta(days=reach + 4)
        for year in {early.year, end.year}:
            if early <= date(year, 3, 1) and date(year, 2, 27) <= end:
                return True
    return False


def _falling_short(cond: Condition, spans: list) -> date | None:
    """Near which as-of day work that is all done falls short of a work sum's threshold as it leaves
    the look-back window: its full-time-equivalent days (overlaps as the sum counts them: a full-time
    day a day at most, the instructor cap) against the threshold's at 365.25 days a year. A first
    guess, which the sum itself then settles (None: no guess). `spans`: the work the sum counts, all
    of it (work_years_spans from date.min)."""
    p = cond.params
    if not spans:
        return None
    cap = p.get("max_instructor_years")
    need = p["years"] * 365.25
    cap_days = None if cap is None else cap * 365.25
    # the sweep's pieces: (first day, day after, share of the uncapped roles, of all roles)
    edges = sorted({lo for lo, _, _, _ in spans} | {hi for _, hi, _, _ in spans})
    pieces = []
    for lo, hi in zip(edges, edges[1:]):
        level = all_level = 0.0
        for a, b, fte, capped in spans:
            if a <= lo < b:
                all_level += fte
                if not capped:
                    level += fte
        if all_level > 0:
            pieces.append((lo, hi, min(1.0, level), min(1.0, all_level)))

    def counted(uncapped: float, every: float) -> float:  # FTE days as the sum counts them
        return uncapped + (0.0 if cap_days is None else min(cap_days, every - uncapped))

    # what is counted from a window start on falls as the start moves on, piece by piece (linearly
    # within one): walked back from the last piece to the one in which it turns short
    uncapped = every = 0.0  # counted from the end of the piece on
    for lo, hi, level, all_level in reversed(pieces):
        days = (hi - lo).days
        if counted(uncapped + level * days, every + all_level * days) >= need:
            enough, short = days, 0  # days back from its end: enough counted from there, too little
            while enough - short > 1:
                mid = (enough + short) // 2
                if counted(uncapped + level * mid, every + all_level * mid) >= need:
                    enough = mid
                else:
                    short = mid
            first_short = hi - timedelta(days=short)  # the first window start that leaves too little
            break
        uncapped, every = uncapped + level * days, every + all_level * days
    else:
        return None
    months, extra = int(p["within"]) * 12, round((p["within"] - int(p["within"])) * 365)
    return add_months(first_short, months) + timedelta(days=extra)


def _sure_days(total: float, need: float) -> int:
    """How many days a work sum now at `total` surely stays at or over `need`: a day moves the sum by
    at most one full-time day, the threshold and window by a leap day."""
    return int((total - need) / _YEAR_DAY * 0.99) - 8


def roles_all(p: dict) -> tuple:
    """The roles a work sum counts (instructor too when capped)."""
    return tuple(p.get("roles", ("medical-assistant",))) + ("instructor",) * ("max_instructor_years" in p)


def _earlier(a, b):
    """The earlier of two bounds (None: for good; False: does not hold)."""
    if a is False or b is False:
        return False
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _bounded_by_birth(cond: Condition) -> bool:
    """Whether the condition's bound (Until._holder) may look at the birth date: a window on an age or
    an age compared as a field (the day before a birthday), or the planner's own days for it."""
    over_time = KINDS[cond.kind].over_time
    if over_time == "alternatives":
        return any(map(_bounded_by_birth, cond.params["conditions"]))
    if over_time in ("window", "fields"):
        return "age" in (cond.params.get("field"), cond.params.get("other"))
    return over_time == "candidates"


def _never(person: Profile, item, day: date) -> bool:
    """The bound of a low-confidence condition: it never passes surely."""
    return False


_DIPLOMA_FIELDS = ("high_school", "high_school_expected")  # a diploma's date: the field changes on it


def _dated_field(path: str | None) -> bool:
    """Whether _field_bound can find a day the field changes by itself (else it is always None)."""
    return path == "age" or path in _DIPLOMA_FIELDS


def _field_bound(path: str | None, person: Profile, day: date) -> date | None:
    """The day before a field next changes by itself (a birthday, a diploma date); None if it does not."""
    if path == "age" and person.birth_date is not None:
        born = person.birth_date
        for year in (day.year, day.year + 1):
            birthday = birthday_on(born, year)
            if birthday > day:
                return birthday - DAY
        return None
    if path in _DIPLOMA_FIELDS and isinstance(person.high_school, date):
        return person.high_school - DAY if person.high_school > day else None
    return None
