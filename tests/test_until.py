"""batch's `eligible_until` (until.py, the fast walk over compiled decisions) is the plan's last
eligible day (planner.Plan.eligible_until) for generated people: every bundled credential and the
plan fixtures (dated rule versions, a made-up credential), people of test_plan_property."""

from datetime import date, timedelta

from hypothesis import HealthCheck, event, given, settings, strategies as st

from ma_cli.inputs.profile import Work, parse_profile
from ma_cli.language.conditions import work_years_spans, work_years_window_start
from ma_cli.language.kinds import compile_condition, work_measure
from ma_cli.reasoning.engine import Prepared
from ma_cli.reasoning.planner import plan_credential
from ma_cli.reasoning.until import Until, _keeps_met, _keeps_met_from, _kept_met, _reads_records
from test_plan_property import AS_OF, CREDS, RULES, people


@st.composite
def cases(draw):
    as_of = draw(AS_OF)
    return as_of, draw(people(as_of)), draw(st.sampled_from(CREDS))


def _walk(cred, person, as_of):
    return Until(cred, as_of).last_day(person, Prepared(cred, as_of).decider()(person))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_eligible_until_is_the_plans_last_eligible_day(case):
    as_of, data, cred_id = case
    person = parse_profile(data)
    cred = RULES.credentials[cred_id]
    plan = plan_credential(cred, person, as_of)
    got = _walk(cred, person, as_of)
    event(f"{cred_id}: {'not eligible' if plan.now.status != 'eligible' else 'no end' if got is None else 'ends'}")
    assert got == plan.eligible_until


def test_examples():
    cred = RULES.credentials["cma"]
    student = parse_profile({"programs": [{"accreditation": "caahep", "expected": "2026-12-10"}]})
    # a CAAHEP student: the completing-student window closes on 2026-12-10, yet a graduate stays eligible
    assert _walk(cred, student, date(2026, 11, 23)) is None
    rma = RULES.credentials["rma"]
    graduate = parse_profile({"programs": [{"accreditation": "caahep", "completed": "2022-05-15"}]})
    assert _walk(rma, graduate, date(2026, 1, 10)) == date(2026, 5, 14)
    assert _walk(rma, graduate, date(2026, 5, 14)) == date(2026, 5, 14)  # the last day itself
    assert _walk(rma, graduate, date(2026, 5, 15)) is None  # not eligible: no last day


# --- the work sums' days, found directly, against stepping day by day ------------------------------

def _all_conditions(conds):
    for c in conds:
        yield c
        yield from _all_conditions(c.params.get("conditions", ()))


def _work_conditions():
    found = {}
    for cred_id in ("ccma", "rma", "cmac"):
        cred = RULES.credentials[cred_id]
        for route in cred.routes:
            for c in _all_conditions(route.conditions):
                if c.kind == "work_years":
                    found[(cred_id, tuple(sorted((k, str(v)) for k, v in c.params.items())))] = (cred, c)
    return list(found.values())


WORK_YEARS = _work_conditions()
LEAPISH = st.sampled_from([date(2016, 2, 29), date(2020, 2, 28), date(2020, 3, 1), date(2021, 2, 28),
                           date(2019, 12, 31), date(2023, 1, 1)]) | st.dates(date(2015, 1, 1), date(2025, 12, 31))


@st.composite
def done_work(draw, one_piece: bool):
    """Work all done before the as-of day: part time, overlapping, touching, starting or ending on
    and around a 29 February; one piece, or several."""
    work = []
    for _ in range(1 if one_piece else draw(st.integers(1, 4))):
        start = draw(LEAPISH)
        end = start + timedelta(days=draw(st.integers(0, 6 * 365)))
        work.append({"from": start.isoformat(), "to": min(end, date(2026, 6, 30)).isoformat(),
                     "role": draw(st.sampled_from(["medical-assistant", "medical-assistant", "instructor"])),
                     "hours_per_week": draw(st.sampled_from([40, 30, 20, 12.5, 60])),
                     "supervised": draw(st.sampled_from([True, None, False]))})
    return work


@st.composite
def done_work_near_february(draw):
    """Done work in several pieces, some very part time, starting and ending around the end of
    February (where the window's start skips a day or stays, and the person's years change length)."""
    work = []
    for _ in range(draw(st.integers(1, 4))):
        start = draw(LEAPISH) + timedelta(days=draw(st.integers(-3, 3)))
        end = start + timedelta(days=draw(st.integers(0, 6 * 365)))
        if draw(st.booleans()):  # ending near the end of a February
            end = date(draw(st.integers(start.year + 1, 2026)), 2, 26) + timedelta(days=draw(st.integers(0, 5)))
        work.append({"from": start.isoformat(), "to": min(max(end, start), date(2026, 6, 30)).isoformat(),
                     "role": draw(st.sampled_from(["medical-assistant", "medical-assistant", "instructor"])),
                     "hours_per_week": draw(st.sampled_from([40, 24, 20, 12.5, 6, 60])),
                     "supervised": draw(st.sampled_from([True, None]))})
    return work


def _first_short(measure, work, day, horizon):
    """The day before the first day after `day` the sum is not met, stepping day by day (None: not
    before the horizon)."""
    d = day
    while d < horizon:
        d += timedelta(days=1)
        if measure(work, d, False)[0] != "pass":
            return d - timedelta(days=1)
    return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(WORK_YEARS), done_work(one_piece=True) | done_work(one_piece=False),
       st.dates(date(2026, 7, 1), date(2027, 3, 1)))
def test_done_work_falls_short_on_the_day_stepping_finds(case, work, day):
    _falls_short_as_stepping_finds(case, work, day)


def _falls_short_as_stepping_finds(case, work, day):
    """For work that is all done and meets the sum on `day`: the last day it is met, as found by
    _last_before_falling, is the day before stepping day by day first finds it short."""
    cred, cond = case
    person = parse_profile({"work": [{k: v for k, v in j.items() if v is not None} for j in work]})
    measure = work_measure(cond)
    if measure(person.work, day, False)[0] != "pass":
        return
    until = Until(cred, day, years=4)
    got = until._last_before_falling(cond, person, day, measure)
    assert got == _first_short(measure, person.work, day, until.horizon)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(WORK_YEARS), done_work_near_february(), st.dates(date(2026, 7, 1), date(2027, 3, 5)))
def test_done_work_near_february_falls_short_on_the_day_stepping_finds(case, work, day):
    # the guess from full-time-equivalent days, then day by day to the turn (and back over a ragged line)
    _falls_short_as_stepping_finds(case, work, day)


def test_a_ragged_line_near_february():
    # a little part-time work, then a year full time: as the window's start passes 29 February 2020 the
    # sum gains back more than a day of the part-time work is worth, so it is short, met again, then
    # short for good; the first day short is the turn, however far the guess lands from it
    cred, cond = next((c, w) for c, w in WORK_YEARS if w.params["years"] == 1 and w.params["within"] == 3)
    measure = work_measure(cond)
    for hours, end in ((5, "2021-03-28"), (4, "2021-03-29"), (2, "2021-03-31")):
        person = parse_profile({"work": [{"from": "2020-01-01", "to": "2020-04-01", "hours_per_week": hours},
                                         {"from": "2020-04-02", "to": end}]})
        for day in (date(2023, 1, 10), date(2023, 2, 20)):
            until = Until(cred, day, years=4)
            want = _first_short(measure, person.work, day, until.horizon)
            assert until._last_before_falling(cond, person, day, measure) == want
        statuses = [measure(person.work, want + timedelta(days=n), False)[0] for n in range(1, 30)]
        assert "pass" in statuses, "the line is ragged"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(WORK_YEARS), LEAPISH, st.sampled_from([1.0, 0.75, 0.6, 0.4, 1 / 3, 0.3125]),
       st.dates(date(2021, 1, 1), date(2030, 12, 31)), done_work(one_piece=False))
def test_a_job_that_keeps_the_sum_met_keeps_it_met_day_by_day(case, start, fte, day, other):
    # _keeps_met's promise (among them a job on exactly the threshold's share, filling the window),
    # whatever other work the person did, against the sum asked day by day for three years
    _, cond = case
    job = Work(role="medical-assistant", start=start, end=None, hours_per_week=40 * fte, supervised=None)
    if start > day or not _keeps_met(job, cond.params, day, 2 / 365):
        return
    person = parse_profile({"work": [{k: v for k, v in j.items() if v is not None} for j in other]})
    work = person.work + (job,)
    measure = work_measure(cond)
    assert all(measure(work, day + timedelta(days=n), False)[0] == "pass" for n in range(3 * 366))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(WORK_YEARS), LEAPISH, st.sampled_from([1.0, 0.75, 0.6, 0.5, 0.4, 0.3125, 1.5]),
       st.dates(date(2016, 1, 1), date(2030, 12, 31)))
def test_a_job_going_on_keeps_the_sum_met_from_the_first_day_it_alone_does(case, start, fte, day):
    _, cond = case
    if start > day:
        return
    job = Work(role="medical-assistant", start=start, end=None, hours_per_week=40 * fte, supervised=None)
    spare = 2 / 365
    got = _keeps_met_from(job, cond.params, day, spare)
    first, limit = day, day + timedelta(days=12 * 366)
    while first < limit and not _keeps_met(job, cond.params, first, spare):
        first += timedelta(days=1)
    assert got == (first if first < limit else date.max)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(WORK_YEARS), done_work(one_piece=True), st.dates(date(2026, 7, 1), date(2027, 3, 1)))
def test_one_piece_of_done_work_once_short_stays_short(case, work, day):
    # what _last_before_falling relies on to find its one turn by halving alone
    _, cond = case
    person = parse_profile({"work": [{k: v for k, v in j.items() if v is not None} for j in work]})
    measure = work_measure(cond)
    statuses = [measure(person.work, day + timedelta(days=n), False)[0] for n in range(0, 8 * 366, 1)]
    assert "pass" not in statuses[statuses.index("fail"):] if "fail" in statuses else True


# --- the shortcuts the walk takes: each answers as the longer way it stands for ---------------------

@st.composite
def work_going_on(draw):
    """Work with jobs going on and done: every role a sum counts or caps, part time, supervised or not."""
    work = []
    for _ in range(draw(st.integers(1, 4))):
        start = draw(LEAPISH) + timedelta(days=draw(st.integers(-400, 400)))
        job = {"from": start.isoformat(),
               "role": draw(st.sampled_from(["medical-assistant", "medical-assistant", "instructor", "phlebotomy-technician"])),
               "hours_per_week": draw(st.sampled_from([40, 30, 24, 20, 12.5, 60])),
               "supervised": draw(st.sampled_from([True, None, False]))}
        if draw(st.booleans()):
            job["to"] = (start + timedelta(days=draw(st.integers(0, 6 * 365)))).isoformat()
        work.append(job)
    return work


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(WORK_YEARS), work_going_on(), st.lists(st.dates(date(2016, 1, 1), date(2031, 12, 31)),
                                                               min_size=1, max_size=4))
def test_kept_met_is_whether_a_job_going_on_keeps_the_sum_met(case, work, days):
    # _kept_met (made once per condition, remembering the window's length for the day last asked) is
    # _work_bound's first test: one of the jobs going on that the sum counts _keeps_met
    _, cond = case
    p = cond.params
    person = parse_profile({"work": [{k: v for k, v in j.items() if v is not None} for j in work]})
    roles = tuple(p.get("roles", ("medical-assistant",)))
    capped = "max_instructor_years" in p
    kept = _kept_met(cond)
    for day in days + days[:1]:
        ongoing = [job for job in person.work
                   if job.end is None and job.role in roles and not (capped and job.role == "instructor")
                   and job.start <= day and (p.get("supervised") is None or job.supervised in (None, p["supervised"]))]
        assert kept(person, day) == any(_keeps_met(job, p, day, 2 / 365) for job in ongoing)


def _any_of_over_records():
    """(credential, route, any_of condition) for each any_of that looks at a route's record."""
    found = []
    for cred in RULES.credentials.values():
        for route in cred.routes:
            if route.over is None:
                continue
            found += [(cred, route, c) for c in route.conditions if c.kind == "any_of" and _reads_records(c)]
    return found


ANY_OF_OVER_RECORDS = _any_of_over_records()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ANY_OF_OVER_RECORDS), AS_OF.flatmap(lambda as_of: st.tuples(st.just(as_of), people(as_of))))
def test_an_any_of_over_a_record_holds_surely_as_its_decision_says(case, dated):
    # the bound of an any_of looking at a record is asked from its alternatives alone, not after its own
    # decision: it does not hold (False) exactly when that decision does not pass surely
    cred, route, cond = case
    as_of, data = dated
    if not (cond.in_force(as_of) and route.meta.in_force(as_of)):
        return
    person = parse_profile(data)
    until = Until(cred, as_of)
    run = compile_condition(cond, as_of)
    holds = until._holder(cond, run, as_of, False)
    for item in person.programs if route.over == "program" else person.military:
        status, _, _, low = run(person, item, as_of)
        assert (holds(person, item, as_of) is False) == (status != "pass" or low)


def test_any_of_over_records_are_found():
    assert {(cred.id, route.id) for cred, route, _ in ANY_OF_OVER_RECORDS} >= {("rma", "education")}


def _any_of_one_sure_alternative():
    """(credential, any_of) for each any_of, of the requirements or of a route, with exactly one alternative that is
    not low-confidence, not an any_of itself (on some day)."""
    found = []
    for cred in RULES.credentials.values():
        for cond in cred.requires + tuple(c for route in cred.routes for c in route.conditions):
            if cond.kind != "any_of" or cond.meta.confidence == "low":
                continue
            sure = [alt for alt in cond.params["conditions"] if alt.meta.confidence != "low"]
            if len(sure) == 1 and sure[0].kind != "any_of":
                found.append((cred, cond))
    return found


ANY_OF_ONE_SURE = _any_of_one_sure_alternative()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ANY_OF_ONE_SURE), AS_OF.flatmap(lambda as_of: st.tuples(st.just(as_of), people(as_of))))
def test_an_any_of_passing_surely_by_one_sure_alternative_passes_surely_by_it(case, dated):
    # Until holds such an any_of, known to pass surely, by that alternative alone, as sure (its decision
    # not asked): it passes surely whenever the any_of does
    cred, cond = case
    as_of, data = dated
    sure = [alt for alt in cond.params["conditions"] if alt.meta.confidence != "low" and alt.in_force(as_of)]
    if not cond.in_force(as_of) or len(sure) != 1:
        return
    person = parse_profile(data)
    items = [None] + list(person.programs) + list(person.military)
    for item in items:
        status, _, _, low = compile_condition(cond, as_of)(person, item, as_of)
        if status == "pass" and not low:
            assert compile_condition(sure[0], as_of)(person, item, as_of)[:1] == ("pass",)


def test_an_any_of_with_one_sure_alternative_holding_for_good_is_left_out():
    # CCMA's attempts (fewer than three failed attempts, the low-confidence three-or-more reading beside it):
    # an eligible person's attempts do not change with time, so the walk asks nothing of them
    assert {(cred.id, cond.id) for cred, cond in ANY_OF_ONE_SURE} >= {("ccma", "attempts"), ("ccma", "high-school")}
    cred = RULES.credentials["ccma"]
    as_of = date(2026, 11, 23)
    cond = next(c for c in cred.requires if c.id == "attempts")
    until = Until(cred, as_of)
    assert until._holder(cond, compile_condition(cond, as_of), as_of, True) is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_a_route_over_ones_only_record_passes_every_condition_surely_for_it(case):
    # Until holds a route over records as sure for a person with one such record (_holders): eligible by
    # it, every one of its conditions passes surely for that record
    as_of, data, cred_id = case
    cred = RULES.credentials[cred_id]
    person = parse_profile(data)
    status, route, _, _ = Prepared(cred, as_of).decider()(person)
    if status != "eligible" or route.over is None:
        return
    records = person.programs if route.over == "program" else person.military
    if len(records) != 1:
        return
    for cond in route.conditions:
        if cond.in_force(as_of):
            assert compile_condition(cond, as_of)(person, records[0], as_of)[::3] == ("pass", False)
            assert cond.meta.confidence != "low"


def test_a_route_over_records_is_held_as_sure_for_one_record():
    # RMA's education route: what a program must be (its accreditation, its award...) is not asked again of
    # one program the person is eligible by; several are each asked (the route holds by the best)
    cred = RULES.credentials["rma"]
    as_of = date(2026, 11, 23)
    until = Until(cred, as_of, decider=Prepared(cred, as_of).decider())
    route = next(r for r in cred.routes if r.id == "education")
    requires, conds, _, conds_one = until._holders(route, until._first, as_of)
    assert len(conds_one) < len(conds)


class _Counted:
    """A compiled decision that counts how often it is asked (and lends the walk its parts)."""

    def __init__(self, decide):
        self.decide, self.parts, self.asked, self.people = decide, decide.parts, 0, []

    def __call__(self, *args):
        self.asked += 1
        self.people.append(args[0])
        return self.decide(*args)


def _counted_walk(cred, person, as_of, people=None):
    decide = _Counted(Prepared(cred, as_of).decider())
    answer = decide(person)
    got = Until(cred, as_of, decider=decide).last_day(person, answer)
    if people is not None:
        people += decide.people[1:]
    return got, decide.asked - 1


@st.composite
def work_done_lately(draw, as_of: date):
    """Work done by `as_of`, most of it in the last few years: enough, often, for a sum that then falls."""
    work = []
    for _ in range(draw(st.integers(1, 3))):
        end = as_of - timedelta(days=draw(st.integers(1, 4 * 365)))
        start = end - timedelta(days=draw(st.integers(0, 6 * 365)))
        work.append({"from": start.isoformat(), "to": end.isoformat(),
                     "role": draw(st.sampled_from(["medical-assistant", "medical-assistant", "instructor"])),
                     "hours_per_week": draw(st.sampled_from([40, 30, 20, 60])),
                     "supervised": draw(st.sampled_from([True, None]))})
    return work


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["ccma", "cmac", "rma"]),
       st.dates(date(2026, 7, 1), date(2028, 3, 1)).flatmap(lambda d: st.tuples(st.just(d), work_done_lately(d))),
       st.sampled_from([None, "2015-06-30", "2026-09-30"]))
def test_a_work_route_with_no_other_route_to_take_ends_on_the_plans_last_day(cred_id, dated, military):
    # the walk does not ask the decision on the day after a work sum turns short when every other route
    # looks at records the person has none of: the plan's last day all the same
    as_of, work = dated
    data = {"work": [{k: v for k, v in j.items() if v is not None} for j in work], "high_school": True}
    if military is not None:
        data["military"] = [{"completed": military}]
    person = parse_profile(data)
    cred = RULES.credentials[cred_id]
    got, asked = _counted_walk(cred, person, as_of)
    if got is not None:
        event(f"{cred_id}: ends, the decision {'asked again' if asked else 'not asked again'}")
    assert got == plan_credential(cred, person, as_of).eligible_until


def test_the_day_a_work_sum_turns_short_is_the_last_without_asking_the_decision_again():
    # CCMA's experience route (a year of work within three) over the person; its training route looks
    # at programs, its military route at military records: with neither, the day the sum turns short is
    # the last, and the decision is not asked again
    person = parse_profile({"work": [{"from": "2024-01-01", "to": "2026-06-30"}], "high_school": True})
    cred, as_of = RULES.credentials["ccma"], date(2026, 11, 23)
    got, asked = _counted_walk(cred, person, as_of)
    assert got == plan_credential(cred, person, as_of).eligible_until is not None
    assert asked == 0
    # with a program, the training route might hold on that day: the decision is asked
    student = parse_profile({"work": [{"from": "2024-01-01", "to": "2026-06-30"}], "high_school": True,
                             "programs": [{"accreditation": "none", "completed": "2010-05-01"}]})
    got, asked = _counted_walk(cred, student, as_of)
    assert got == plan_credential(cred, student, as_of).eligible_until
    assert asked == 1


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(WORK_YEARS), done_work(one_piece=False) | work_going_on(), LEAPISH)
def test_the_pieces_in_the_window_are_those_of_all_the_work_ending_after_its_start(case, work, day):
    # what _last_before_falling keeps of all the work done (for _falling_short) as the pieces the sum counts
    _, cond = case
    person = parse_profile({"work": [{k: v for k, v in j.items() if v is not None} for j in work]})
    start = work_years_window_start(cond, day)
    counted = work_years_spans(cond, person.work, day)
    kept = [span for span in work_years_spans(cond, person.work, day, date.min) if span[1] > start]
    assert [(max(lo, start), hi, fte, capped) for lo, hi, fte, capped in kept] == counted


def test_an_age_without_a_birth_date_is_not_made_one_for_a_credential_that_reads_no_age():
    # the day after the bound, the decision is asked about the profile itself (no birth date made from the
    # age, which CCMA never reads), and the last day is the plan's
    data = {"age": 30, "work": [{"from": "2024-01-01", "to": "2026-06-30"}], "high_school": True,
            "programs": [{"accreditation": "none", "field": "phlebotomy", "completed": "2010-05-01"}]}
    person, as_of = parse_profile(data), date(2026, 11, 23)
    cred, people = RULES.credentials["ccma"], []
    got, asked = _counted_walk(cred, person, as_of, people)
    assert got == plan_credential(cred, person, as_of).eligible_until is not None
    assert asked == 1 and people[0] is person
