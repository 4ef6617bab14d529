"""conditions._worked_days adds separate jobs directly; it must give the sweep's float exactly
(both in the person's years, counted from the first day counted).

Jobs that neither overlap nor touch are added one by one in date order, which is all the sweep
does for them; any other set of jobs goes through the sweep. Generated jobs (dates crowded
into a few months so that they often touch and overlap, part-time and over-full-time hours,
capped instructor time, supervised or not) are compared, with ==, to the sweep itself.
"""

from datetime import date, timedelta

from hypothesis import given, settings, strategies as st

from ma_cli.base.dates import years_since
from ma_cli.base.frozen import replace
from ma_cli.inputs.profile import Work
from ma_cli.language.conditions import (
    _added_up_days,
    _counted_spans,
    _swept_days,
    _worked_days,
    _worked_days_in_general,
    full_time_hours_within,
    hours_worked_within,
    work_years_measure,
)
from ma_cli.language.kinds import work_measure
from ma_cli.ruleset.rules_validate import load_rules

AS_OF = date(2026, 11, 23)
DAY = st.integers(0, 120).map(lambda n: date(2026, 6, 1) + timedelta(days=n))


@st.composite
def jobs(draw):
    start = draw(DAY)
    end = draw(st.one_of(st.none(), st.integers(0, 60).map(lambda n: start + timedelta(days=n))))
    return Work(role=draw(st.sampled_from(("medical-assistant", "medical-assistant", "instructor"))), start=start,
                end=end, hours_per_week=draw(st.sampled_from((40.0, 20.0, 12.5, 37.0, 60.0, 8.0, 1.5, 4.5, 3.5, 15.5))),
                supervised=draw(st.sampled_from((None, True, False))))


@settings(max_examples=800, deadline=None)
@given(st.lists(jobs(), max_size=5), DAY, st.sampled_from([(), ("instructor",)]), st.sampled_from([None, True]))
def test_separate_jobs_add_up_exactly_as_the_sweep_does(work, start, cap_roles, supervised):
    roles = ("medical-assistant", "instructor")
    end = AS_OF if start.day % 2 else date(2026, 8, 15)
    spans, _ = _counted_spans(work, AS_OF, start, end, roles, supervised, cap_roles)
    worked = _worked_days(work, AS_OF, start, end, roles, supervised, cap_roles)
    assert worked == _swept_days(spans, cap_roles)
    assert worked[2] == (min(lo for lo, _, _, _ in spans) if spans else None)  # the day the person's years count from


@st.composite
def rosters(draw):
    """Work as rosters list it, most often one job after another in date order with gaps between them (what
    _worked_days adds up in one pass), sometimes shuffled, touching or overlapping (what it hands on)."""
    gaps = draw(st.lists(st.integers(-40, 400), min_size=1, max_size=6))
    lengths = draw(st.lists(st.integers(0, 900), min_size=len(gaps), max_size=len(gaps)))
    day, work = date(2016, 1, 1), []
    for gap, length in zip(gaps, lengths):
        start = day + timedelta(days=gap)
        end = None if draw(st.integers(0, 9)) == 0 else start + timedelta(days=length)
        work.append(Work(role=draw(st.sampled_from(("medical-assistant",) * 4 + ("instructor", "phlebotomy-technician"))),
                         start=start, end=end, hours_per_week=draw(st.sampled_from((40.0, 20.0, 37.0, 60.0, 1.5, 0.0))),
                         supervised=draw(st.sampled_from((None, True, False)))))
        day = end or start
    if draw(st.booleans()):
        work = draw(st.permutations(work))
    return tuple(work)


@settings(max_examples=1500, deadline=None)
@given(rosters(), st.sampled_from([date(2019, 1, 1), date(2021, 6, 30), date(2010, 1, 1)]),
       st.sampled_from([(), ("instructor",)]), st.sampled_from([None, True]),
       st.sampled_from([None, "as_full_time", "not_counted"]))
def test_the_one_pass_sum_is_the_general_one(work, start, cap_roles, supervised, part_time):
    """_worked_days adds jobs in date order, apart, uncapped, in one pass over the work, and hands any other
    work to the general path (sorted spans, or the sweep): the same floats and first day, whatever the work."""
    roles = ("medical-assistant", "instructor")
    args = (work, AS_OF, start, AS_OF, roles, supervised, cap_roles, part_time)
    assert _worked_days(*args) == _worked_days_in_general(*args)


def test_touching_jobs_are_swept():
    """One job ends the day before the next starts: the sweep's float differs from a plain sum
    for these hours (1.5 h then 4.5 h a week), so such jobs must go through the sweep."""
    work = (Work("medical-assistant", date(2026, 6, 1), date(2026, 6, 10), 1.5),
            Work("medical-assistant", date(2026, 6, 11), date(2026, 6, 30), 4.5))
    roles, start = ("medical-assistant",), date(2026, 1, 1)
    spans, _ = _counted_spans(work, AS_OF, start, AS_OF, roles, None, ())
    first = spans[0][0]
    plain = sum(min(1.0, fte) * (years_since(first, hi) - years_since(first, lo)) for lo, hi, fte, _ in spans)
    assert _swept_days(spans, ())[0] != plain  # the case is real
    assert _worked_days(work, AS_OF, start, AS_OF, roles, None, ()) == _swept_days(spans, ())


def _work_years_conditions(conds):
    for c in conds:
        if c.kind == "work_years":
            yield c
        elif c.kind in ("any_of", "any_program"):
            yield from _work_years_conditions(c.params["conditions"])


WORK_YEARS = [c for cred in load_rules(None).credentials.values()
              for c in _work_years_conditions([*cred.requires, *(c for r in cred.routes for c in r.conditions)])]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(WORK_YEARS), st.lists(st.tuples(st.sampled_from((0, 1, 2)), st.integers(-800, 800),
                                                        st.booleans()), min_size=1, max_size=12),
       st.lists(jobs(), max_size=3), st.lists(jobs(), max_size=3))
def test_the_remembered_work_measure_answers_as_the_measure_itself(cond, asks, first, second):
    """kinds.work_measure remembers answers for the last work history asked about, and the measure itself
    its last sums (asked for the status, then the words, of one day): asked about several histories (one
    of them an equal copy, which is not the same object) on several days, with and without words, in any
    order, both answer exactly as a measure made afresh for each question."""
    remembered, kept = work_measure(cond), work_years_measure(cond)
    role = (cond.params.get("roles") or ["medical-assistant"])[0]  # the work the condition counts
    first, second = ([replace(j, role=role) if j.role == "medical-assistant" else j for j in jobs_]
                     for jobs_ in (first, second))
    histories = (tuple(first), tuple(second), tuple(list(first)))
    for which, days, words in asks:
        work, day = histories[which], AS_OF + timedelta(days=days)
        fresh = work_years_measure(cond)(work, day, words)
        assert remembered(work, day, words) == fresh
        assert kept(work, day, words) == fresh


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(WORK_YEARS), st.lists(st.tuples(st.sampled_from((0, 1, 2)), st.integers(-800, 800),
                                                        st.sampled_from(("decide", "words", "status"))),
                                              min_size=1, max_size=12),
       st.lists(jobs(), max_size=3), st.lists(jobs(), max_size=3))
def test_the_decision_asks_the_status_straight_as_the_measure_gives_it(cond, asks, first, second):
    """The work_years decision asks the measure's status alone (work_years_measures' met), not its tuple: in
    any order with the words and the status asked of the measure they share sums with, on several histories
    and days, it passes exactly when a measure made afresh says pass."""
    from ma_cli.language.conditions import PASS, work_years_measures
    from ma_cli.language.kinds import KINDS, OUT_FAIL, OUT_PASS

    decide, remembered = KINDS["work_years"].decide(cond, AS_OF), work_measure(cond)
    met = work_years_measures(cond)[1]
    role = (cond.params.get("roles") or ["medical-assistant"])[0]
    first, second = ([replace(j, role=role) if j.role == "medical-assistant" else j for j in jobs_]
                     for jobs_ in (first, second))
    histories = (tuple(first), tuple(second), tuple(list(first)))
    for which, days, ask in asks:
        work, day = histories[which], AS_OF + timedelta(days=days)
        fresh = work_years_measure(cond)(work, day, ask == "words")
        profile = type("P", (), {"work": work})()
        if ask == "decide":
            assert decide(profile, None, day) is (OUT_PASS if fresh[0] == PASS else OUT_FAIL)
            assert met(work, day) == (fresh[0] == PASS)
        else:
            assert remembered(work, day, ask == "words") == fresh


@settings(max_examples=400, deadline=None)
@given(st.lists(jobs(), min_size=0, max_size=5), DAY)
def test_full_time_hours_are_the_hours_with_no_week_over_full_time(work, start):
    """work_hours_within's second sum: never more than the plain sum, nor than 40 hours a calendar week;
    the plain sum itself for jobs that neither overlap nor exceed 40 hours a week."""
    roles = ("medical-assistant", "instructor")
    plain, _ = hours_worked_within(work, start, AS_OF, roles, None)
    full = full_time_hours_within(work, start, AS_OF, roles, None)
    assert full <= plain + 1e-6
    assert full <= (AS_OF - start).days / 7 * 40 + 1e-6
    spans = sorted((j.start, j.end or AS_OF) for j in work)
    if all(j.hours_per_week <= 40 for j in work) and all(a[1] < b[0] for a, b in zip(spans, spans[1:])):
        assert abs(full - plain) < 1e-6


@settings(max_examples=600, deadline=None)
@given(rosters(), st.lists(st.tuples(st.sampled_from([None, "not_counted", "as_full_time"]),
                                     st.sampled_from([date(2019, 1, 1), date(2021, 6, 30)]),
                                     st.sampled_from([(), ("instructor",)])), min_size=1, max_size=8))
def test_remembered_sums_answer_as_adding_up_afresh(work, asks):
    """_worked_days remembers the sums of the last work history by identity and, for a history without a
    part-time job, leaves `part_time` out of the question: each answer is still the one adding up gives."""
    history = tuple(work)
    roles = ("medical-assistant", "instructor")
    for part_time, start, cap_roles in asks:
        fresh = _added_up_days(history, AS_OF, start, AS_OF, roles, None, cap_roles, part_time)
        assert _worked_days(history, AS_OF, start, AS_OF, roles, None, cap_roles, part_time) == fresh


def _count_sums(monkeypatch) -> list:
    """The arguments of every work sum added up afresh (conditions._added_up_days) from now on."""
    import ma_cli.language.conditions as conditions

    calls: list = []
    real = conditions._added_up_days

    def counted(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(conditions, "_added_up_days", counted)
    return calls


def test_one_full_time_history_is_added_up_once_for_sums_that_ask_the_same(monkeypatch):
    """RMA's five-year sums (part time not counted, or counted as full time) and NCMA's (pro rata) ask one
    question of a person who never worked part time: the work is added up once for all three."""
    calls = _count_sums(monkeypatch)
    work = (Work(role="medical-assistant", start=date(2020, 3, 1), end=date(2023, 9, 30)),
            Work(role="medical-assistant", start=date(2024, 1, 15), end=None))
    start = date(2021, 11, 23)
    answers = {_worked_days(work, AS_OF, start, AS_OF, ("medical-assistant",), None, (), part_time)
               for part_time in ("not_counted", "as_full_time", None)}
    assert len(calls) == 1 and len(answers) == 1
    part_time_work = work + (Work(role="medical-assistant", start=date(2025, 1, 1), end=None, hours_per_week=20.0),)
    for part_time in ("not_counted", "as_full_time", None):
        _worked_days(part_time_work, AS_OF, start, AS_OF, ("medical-assistant",), None, (), part_time)
    assert len(calls) == 4  # a part-time job: each reading of it is its own sum


@settings(max_examples=300, deadline=None)
@given(st.lists(jobs(), max_size=4), st.sampled_from((0.1, 0.25, 0.5, 1, 2)), st.sampled_from((0.5, 1, 2, 5)),
       st.sampled_from((None, "as_full_time", "not_counted")), st.sampled_from((None, True)),
       st.integers(-200, 400))
def test_work_in_all_counted_as_full_time_is_never_less_than_any_window_counts(work, years, within, part_time,
                                                                               supervised, days):
    """work_years_in_all with part_time as_full_time is what makes a person short of a stated amount a plain no
    whatever the look-back: so whenever a work_years reading of the same roles and amount passes (any window,
    any part-time reading, supervised or not), it passes too, on any day."""
    from ma_cli.language.kinds import KINDS, OUT_PASS
    from ma_cli.language.rule_records import Condition, Meta

    meta = Meta(None, None, "high", None, None, None, None)
    reading = {"years": years, "within": within, "roles": ["medical-assistant"]}
    reading.update({k: v for k, v in (("part_time", part_time), ("supervised", supervised)) if v is not None})
    windowed = Condition("w", "work_years", reading, meta)
    in_all = Condition("a", "work_years_in_all", {"years": years, "roles": ["medical-assistant"],
                                                  "part_time": "as_full_time"}, meta)
    profile = type("P", (), {"work": tuple(work)})()
    day = AS_OF + timedelta(days=days)
    if KINDS["work_years"].decide(windowed, day)(profile, None, day) is OUT_PASS:
        assert KINDS["work_years_in_all"].decide(in_all, day)(profile, None, day) is OUT_PASS


def _work_sums(conds):
    for c in conds:
        if c.kind in ("work_years", "work_years_in_all", "work_hours_within", "work_hours_after"):
            yield c
        elif c.kind in ("any_of", "any_program"):
            yield from _work_sums(c.params["conditions"])


WORK_SUMS = [c for cred in load_rules(None).credentials.values()
             for c in _work_sums([*cred.requires, *(c for r in cred.routes for c in r.conditions)])]
SUM_ROLES = sorted({role for c in WORK_SUMS for role in c.params.get("roles", ("medical-assistant",))} | {"instructor"})


@st.composite
def histories(draw, roles):
    """Finished jobs, most in `roles`, long and short, part time and over full time."""
    work = []
    for _ in range(draw(st.integers(1, 4))):
        start = date(2018, 1, 1) + timedelta(days=draw(st.integers(0, 2000)))
        work.append(Work(role=draw(st.sampled_from(roles) | st.sampled_from(SUM_ROLES)),
                         start=start, end=start + timedelta(days=draw(st.integers(0, 2500))),
                         hours_per_week=draw(st.sampled_from((40.0, 20.0, 8.0, 60.0, 32.0))),
                         supervised=draw(st.sampled_from((None, True, False)))))
    return tuple(work)


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_a_sum_that_ever_passes_was_reachable(data):
    """Kind.reachable is what lets plan name a work sum as missing though work goes on (waiting cannot bring it):
    it may never say no for work that, on some day once it is all done, meets the condition. Every bundled work sum
    is asked on a day from the first job's start to eight years after the last job's end."""
    from ma_cli.inputs.profile import Program
    from ma_cli.language.kinds import KINDS

    cond = data.draw(st.sampled_from(WORK_SUMS))
    work = data.draw(histories(tuple(cond.params.get("roles", ("medical-assistant",)))))
    after = data.draw(st.integers(200, 3000))
    profile = type("P", (), {"work": work})()
    item = Program(accreditation="caahep", completed=min(j.start for j in work) - timedelta(days=30))
    day = min(j.start for j in work) + timedelta(days=after)
    end = max(j.end for j in work) + timedelta(days=1)
    if KINDS[cond.kind].decide(cond, day)(profile, item, day)[0] == "pass":
        assert KINDS[cond.kind].reachable(cond, work, end), (cond.id, day)


def test_a_role_nobody_in_the_history_worked_in_adds_no_second_sum(monkeypatch):
    """CCMA and CMAC also read work counting instructors (a low-confidence reading): for a history without
    teaching that is the plain sum, added up once; with teaching it is its own sum, and a larger one."""
    calls = _count_sums(monkeypatch)
    work = (Work(role="medical-assistant", start=date(2024, 3, 1), end=date(2025, 3, 1)),)
    start = date(2023, 11, 23)
    plain, with_teaching = (_worked_days(work, AS_OF, start, AS_OF, roles, True, ())
                            for roles in (("medical-assistant",), ("medical-assistant", "instructor")))
    assert len(calls) == 1 and plain == with_teaching
    teaching = work + (Work(role="instructor", start=date(2025, 6, 1), end=None),)
    plain, with_teaching = (_worked_days(teaching, AS_OF, start, AS_OF, roles, True, ())
                            for roles in (("medical-assistant",), ("medical-assistant", "instructor")))
    assert len(calls) == 3 and with_teaching[0] > plain[0]
