"""The compiled decision-only path (compiled.py, what `batch` runs) answers exactly as the traced engine.

compiled.py tries conditions cheapest first, stops a route at a failure that rules it out for
good, stops at the first eligible route without a deadline, remembers window dates and shares
costly questions between routes and credentials. None of that may change an answer: these
properties hold status, route, deadline and earliest date equal to the full trace's on
generated profiles whose dates sit on and next to the rules' window edges, over the bundled
rules, the versioned fixture rules and a made-up credential using every kind of test.
"""

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings, strategies as st

from ma_cli.base.dates import add_months
from ma_cli.inputs.profile import ACCREDITATIONS, AWARDS, STUDY_FIELDS, Held, Military, Profile, Program, Skills
from ma_cli.inputs.yamlio import load_text
from ma_cli.reasoning.engine import NOT_ELIGIBLE, Prepared, evaluate_credential
from ma_cli.ruleset.rules import compile_credential
from ma_cli.ruleset.rules_validate import load_rules
from test_properties import jobs

HERE = Path(__file__).parent
BUNDLED = list(load_rules(None).credentials.values())
FIXTURES = list(load_rules(HERE / "rule_fixtures" / "versions").credentials.values())

DEMO = """
credential: mixed
name: Mixed
sources: {S1: {url: "https://example.org/mixed", read: 2026-11-23}}
eligibility:
  requires:
    - {id: tries, test: at_most, field: failed_attempts.mixed, value: 1, says: tries, source: S1, confidence: med}
  routes:
    - id: any-program
      name: Some program
      source: S1
      effective: unknown
      when:
        - id: some
          test: any_program
          says: some program
          conditions:
            - {test: one_of, field: program.accreditation, values: [caahep, abhes], says: accredited}
            - {test: window, field: program.completed, start: {days: 0}, end: {months: 6}, says: recent}
        - {id: adult, test: at_least, field: age, value: 18, if_missing: pass, if_missing_unless: high_school_expected,
           says: adult}
    - id: low-alternative
      name: Low alternative
      source: S1
      effective: unknown
      over: program
      when:
        - id: either
          test: any_of
          says: either
          conditions:
            - {test: is, field: program.postsecondary, value: true, says: post, confidence: low}
            - {test: at_least, field: program.total_hours, value: 700, says: hours}
            - {test: work_hours_after, field: program.end, hours: 500, says: work after}
        - {id: not-too-old, test: not_before, field: program.end, other: program.accredited_since,
           offset: {years: -2}, if_missing: fail, if_missing_unless: high_school_expected, says: timely}
        - {id: starts, test: window, field: program.expected, start: {months: -2, days: 1}, says: soon}
    - id: two-windows
      name: Two windows
      source: S1
      effective: unknown
      over: program
      when:
        - {id: caahep, test: one_of, field: program.accreditation, values: [caahep], says: caahep}
        - {id: month, test: window, field: program.expected, start: {months: -1}, end: {months: 1}, says: a month}
        - {id: days, test: window, field: program.end, start: {days: -10}, end: {days: 20}, says: ten days,
           confidence: low}
    - id: experience
      name: Experience
      source: S1
      effective: unknown
      review: a person checks the letters
      when:
        - {id: years, test: work_years, years: 2, within: 5, max_instructor_years: 1, says: work}
        - {id: now, test: work_years, years: 0.5, within: 1, current: true, says: now}
        - {id: school, test: present, field: high_school, says: school}
    - id: finishing-school
      name: Finishing school
      source: S1
      effective: unknown
      when:
        - {id: soon, test: window, field: high_school_expected, start: {months: -13}, says: soon}
    - id: service
      name: Service
      source: S1
      effective: unknown
      over: military
      confidence: low
      when:
        - {id: done, test: window, field: military.end, start: {days: 0}, end: {years: 3}, if_missing: pass,
           if_missing_unless: high_school_expected, says: recent}
        - {id: open, test: unsettled, says: details}
    - id: holder
      name: Holder
      source: S1
      effective: unknown
      when:
        - {id: held, test: held, credentials: [mixed, cma], says: held}
        - {id: listed, test: present, field: work.periods, says: periods}
        - {id: diploma, test: is, field: high_school, value: true, says: diploma}
    - id: skilled
      name: Skilled
      source: S1
      effective: unknown
      over: program
      when:
        - {id: field, test: one_of, field: program.field, values: [phlebotomy, ophthalmic], says: field}
        - {id: clinical, test: is, field: program.clinical, value: true, says: clinical}
        - {id: sticks, test: at_least, field: skills.venipunctures, value: 10, says: sticks}
        - {id: caps, test: at_least, field: skills.capillary_sticks, value: 10, says: caps, confidence: low}
        - id: hours
          test: any_of
          says: hours
          conditions:
            - {test: work_hours_within, hours: 500, within: {months: 12}, roles: [phlebotomy-technician],
               supervised: true, says: supervised hours}
            - {test: work_hours_within, hours: 300, within: {months: 6, days: 1}, says: MA hours}
    - id: in-role
      name: In role
      source: S1
      effective: unknown
      when:
        - {id: role, test: present, field: work.ophthalmic-assistant, says: role}
        - {id: ekgs, test: at_most, field: skills.ekgs, value: 11, if_missing: pass, says: ekgs}
        - {id: hours, test: work_hours_within, hours: 1000, within: {years: 1}, roles: [ophthalmic-assistant],
           says: hours}
"""


def made_up():
    cred, errors = compile_credential(load_text(DEMO, "mixed.yaml", rule_file=True), "mixed.yaml")
    assert not errors, errors
    return cred


CREDS = BUNDLED + FIXTURES + [made_up()]

# the offsets the rules put around a date (30 days, 12 months and a day, 36 months, ...), and one day either side
EDGES = [timedelta(days=d) for d in (0, 1, -1, 30, 31, 29, -30, -31, -29)]
MONTHS = (0, 1, -1, 2, -2, 6, -6, 12, -12, 13, -13, 24, -24, 36, -36, 60, -60)


@st.composite
def near(draw, as_of: date):
    """A date on or next to one of the rules' edges as seen from as_of (month ends included)."""
    base = add_months(as_of, draw(st.sampled_from(MONTHS)))
    return base + draw(st.sampled_from(EDGES))


@st.composite
def edge_profiles(draw, as_of: date):
    def a_date():
        return draw(st.one_of(near(as_of), st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31))))

    programs = []
    for _ in range(draw(st.integers(0, 3))):
        end = a_date()
        finished = draw(st.booleans())
        programs.append(Program(
            accreditation=draw(st.sampled_from(ACCREDITATIONS)),
            completed=end if finished else None, expected=None if finished else end,
            accredited_since=draw(st.one_of(st.none(), st.just(a_date()))),
            academic_hours=draw(st.one_of(st.none(), st.sampled_from((0, 159, 160, 559, 560, 720)))),
            externship_hours=draw(st.one_of(st.none(), st.sampled_from((0, 159, 160, 200)))),
            postsecondary=draw(st.booleans()), award=draw(st.one_of(st.none(), st.sampled_from(AWARDS))),
            apprenticeship=draw(st.booleans()),
            injections=draw(st.one_of(st.none(), st.integers(8, 12))),
            venipunctures=draw(st.one_of(st.none(), st.integers(8, 12))),
            field=draw(st.sampled_from(STUDY_FIELDS)), clinical=draw(st.sampled_from((None, True, False)))))
    military = tuple(Military(completed=d) if d <= as_of else Military(expected=d)
                     for d in (a_date() for _ in range(draw(st.integers(0, 2)))))
    return Profile(
        age=draw(st.one_of(st.none(), st.integers(15, 70))),
        high_school=draw(st.one_of(st.none(), st.booleans(), st.just(a_date()))),
        programs=tuple(programs), military=military,
        work=tuple(draw(st.lists(jobs(), max_size=4))),
        held=tuple(Held(c) for c in draw(st.lists(st.sampled_from(("cma", "ccma", "rma", "mixed", "cmaa")), max_size=2))),
        failed_attempts={c: draw(st.integers(0, 3)) for c in ("cma", "mixed")},
        skills=Skills(*(draw(st.one_of(st.none(), st.integers(9, 11))) for _ in range(3))),
    )


@st.composite
def day_and_profile(draw):
    as_of = draw(st.dates(min_value=date(2016, 1, 1), max_value=date(2030, 12, 31)))
    return as_of, draw(edge_profiles(as_of))


def decision_fields(d):
    return (d.status, d.route, d.deadline, d.opens)


def same_answers(profile, as_of):
    for cred in CREDS:
        traced = evaluate_credential(cred, profile, as_of)
        prepared = Prepared(cred, as_of)
        status, route, deadline, opens = prepared.answer(profile)
        assert (status, route.id if route else None, deadline, opens) == decision_fields(traced), cred.id
        untraced = prepared.decide(profile, trace=False)
        assert (untraced.credential, untraced.name, untraced.route_name, untraced.deadline_says) == \
            (traced.credential, traced.name, traced.route_name, traced.deadline_says)
        assert decision_fields(untraced) == decision_fields(traced)


@settings(max_examples=400, deadline=None)
@given(day_and_profile())
def test_compiled_answers_equal_the_traced_ones_on_window_edges(case):
    same_answers(case[1], case[0])


@settings(max_examples=60, deadline=None)
@given(st.lists(day_and_profile(), min_size=2, max_size=6))
def test_one_compiled_rule_set_answers_a_stream_of_people(cases):
    """As batch does: one Prepared per credential and day answers person after person (memos and
    shared questions carry over between people, never their answers)."""
    as_of = cases[0][0]
    prepared = [Prepared(c, as_of) for c in CREDS]
    for _, profile in cases + cases[::-1]:
        for cred, rules in zip(CREDS, prepared):
            status, route, deadline, opens = rules.answer(profile)
            assert (status, route.id if route else None, deadline, opens) == \
                decision_fields(evaluate_credential(cred, profile, as_of))


def test_the_made_up_credential_reaches_every_answer():
    """The made-up credential is not dead weight: it gives every answer."""
    cred, as_of = made_up(), date(2026, 11, 23)
    people = [Profile(age=30, programs=(Program("caahep", completed=date(2026, 9, 1)),)),  # some program
              Profile(military=(Military(completed=date(2025, 1, 1)),)),  # service: a low-confidence route
              Profile(age=30)]
    # two programs, one ruled out for good, one opening later: the nearer miss (fewer failures) decides
    people.append(Profile(programs=(Program("abhes", expected=date(2027, 3, 1)),
                                    Program("caahep", expected=date(2027, 3, 1)))))
    assert evaluate_credential(cred, people[-1], as_of).opens == date(2027, 2, 19)
    # a window not open yet rules the route out for now; a later low-confidence one still says when it opens
    people.append(Profile(programs=(Program("caahep", expected=date(2027, 3, 1)),)))
    assert evaluate_credential(cred, people[-1], as_of).opens == date(2027, 2, 19)
    seen = set()
    for profile in people:
        same_answers(profile, as_of)
        seen.add(evaluate_credential(cred, profile, as_of).status)
    assert seen == {"eligible", "review", "not_eligible"}


def traced_why(d, cred):
    """The line batch writes as <cred>_why, picked from the trace: its first reason for a 'no'; for a
    review, a missing fact or failed low-confidence rule first, then the route's review note, then a
    low-confidence rule met (the route's own before a requirement's)."""
    if d.status == "not_eligible":
        return d.reasons[0]
    if d.status != "review":
        return None
    chosen = next(r for r in d.routes if r.id == d.route and r.status == "review")
    route = next(r for r in cred.routes if r.id == d.route and r.meta.in_force(d_day[0]))
    results = list(d.requires) + list(chosen.conditions)
    for c in results:
        if c.status == "fail":
            return f"{c.says}: {c.observed} (low-confidence rule: check with the certifying body)"
        if c.status == "unknown":
            return f"{c.says}: {c.observed} (needs a person to check)"
    if route.review:
        return route.review
    for c in list(chosen.conditions) + list(d.requires):
        if c.confidence == "low":
            seen = f" ({c.observed})" if c.assumed else ""  # held on an assumed fact: what it saw, "confirm"
            return f"{c.says}{seen}: rests on a low-confidence source ({c.note or 'verify before relying on it'})"
    return f"{route.name}: the sources for this route are low-confidence; verify with the certifying body"


d_day = [None]


@settings(max_examples=400, deadline=None)
@given(day_and_profile())
def test_batch_why_is_the_traced_first_reason(case):
    from ma_cli.reasoning.why import Why

    as_of, profile = case
    d_day[0] = as_of
    for cred in CREDS:
        traced = evaluate_credential(cred, profile, as_of)
        prepared = Prepared(cred, as_of)
        line = Why(prepared).line(profile, prepared.answer(profile))
        assert line == traced_why(traced, cred), cred.id
        assert line is None or any(line == r or r.endswith(": " + line) for r in traced.reasons)


@settings(max_examples=100, deadline=None)
@given(day_and_profile(), st.integers(0, 3000))
def test_compiled_answers_on_another_day_of_the_same_rules(case, later):
    """until.py asks a compiled rule set about days after the one it was made for (same rules in force)."""
    from ma_cli.reasoning.until import Until

    as_of, profile = case
    day = as_of + timedelta(days=later)
    for cred in CREDS:
        walk = Until(cred, as_of)
        if walk._epoch(day) != walk._epoch(as_of):
            continue
        status, route, deadline, opens = Prepared(cred, as_of).decider()(profile, day)
        assert (status, route.id if route else None, deadline, opens) == \
            decision_fields(evaluate_credential(cred, profile, day)), cred.id


@settings(max_examples=60, deadline=None)
@given(st.lists(day_and_profile(), min_size=2, max_size=6))
def test_one_why_words_a_stream_of_people(cases):
    """As batch does: one Why per credential and day words person after person; what it remembers by a
    condition's words key carries over between people, and is the trace's words for each of them."""
    from ma_cli.reasoning.why import Why

    as_of = cases[0][0]
    d_day[0] = as_of
    whys = [(cred, prepared, Why(prepared)) for cred, prepared in ((c, Prepared(c, as_of)) for c in CREDS)]
    for _, profile in cases + cases[::-1]:
        for cred, prepared, why in whys:
            line = why.line(profile, prepared.answer(profile))
            assert line == traced_why(evaluate_credential(cred, profile, as_of), cred), cred.id


def conditions_asked(prepared):
    """(condition, route) for every requirement (route None) and every condition of a route in force."""
    asked = [(c, None) for c, _ in prepared.requires]
    return asked + [(c, route) for route, conds in prepared.routes if conds is not None for c, _ in conds]


def traced_said(cond, profile, item, as_of):
    """What the trace shows of a condition: status, words, assumed, and how sure (with its note)."""
    from ma_cli.language.conditions import Context
    from ma_cli.language.kinds import runner
    from ma_cli.language.verdicts import confidence_of
    from ma_cli.reasoning.engine import passed_on_assumption

    check = runner(cond)(Context(profile, as_of, item))
    return check.status, check.observed, passed_on_assumption(check), confidence_of(cond, check)


@settings(max_examples=150, deadline=None)
@given(day_and_profile(), st.data())
def test_people_sharing_a_words_key_get_the_same_traced_words(case, data):
    """kinds.words_key: for a condition and a day, two people (and records) with equal key values get the
    same traced status, words, assumed and sureness (what batch's `why` remembers by the key)."""
    from ma_cli.language.kinds import words_key
    from ma_cli.language.verdicts import records

    as_of, one = case
    other = data.draw(edge_profiles(as_of))
    for cred in CREDS:
        prepared = Prepared(cred, as_of)
        asked = conditions_asked(prepared)
        for cond, route in asked:
            key = words_key(cond)
            if key is None:
                continue
            for a in (records(route, one) if route else (None,)):
                assert key(one, a, as_of) == key(one, a, as_of)
                for b in (records(route, other) if route else (None,)):
                    if key(one, a, as_of) == key(other, b, as_of):
                        assert traced_said(cond, one, a, as_of) == traced_said(cond, other, b, as_of), (cred.id, cond.id)


def test_a_words_key_is_shared_by_people_who_differ_elsewhere():
    """Two people who differ only in what a condition does not read share its key, and its words."""
    from ma_cli.language.kinds import words_key

    as_of = date(2026, 11, 23)
    cred = made_up()
    one = Profile(age=30, programs=(Program("caahep", completed=date(2026, 9, 1)),))
    other = Profile(age=30, programs=(Program("caahep", completed=date(2026, 9, 1)),), held=(Held("cma"),))
    conds = [c for r in cred.routes for c in r.conditions] + list(cred.requires)
    shared = 0
    for cond in conds:
        key = words_key(cond)
        if key is None:
            continue
        for a, b in ((None, None), (one.programs[0], other.programs[0])):
            if key(one, a, as_of) == key(other, b, as_of):
                shared += 1
                assert traced_said(cond, one, a, as_of) == traced_said(cond, other, b, as_of), cond.id
    assert shared



@settings(max_examples=150, deadline=None)
@given(day_and_profile(), st.data())
def test_people_sharing_an_assumed_key_get_the_same_assumed(case, data):
    """kinds.assumed_key: for a condition and a day, two people (and records) with equal key values, for whom
    the condition holds, either both hold it on an assumed fact or neither does (what batch's `why` breaks
    a tie with, remembered by the key)."""
    from ma_cli.language.conditions import PASS
    from ma_cli.language.kinds import assumed_key
    from ma_cli.language.verdicts import records

    as_of, one = case
    other = data.draw(edge_profiles(as_of))
    for cred in CREDS:
        prepared = Prepared(cred, as_of)
        asked = conditions_asked(prepared)
        for cond, route in asked:
            key = assumed_key(cond)
            if key is None:
                continue
            for a in (records(route, one) if route else (None,)):
                said = traced_said(cond, one, a, as_of)
                if said[0] != PASS:
                    continue
                for b in (records(route, other) if route else (None,)):
                    theirs = traced_said(cond, other, b, as_of)
                    if theirs[0] == PASS and key(one, a, as_of) == key(other, b, as_of):
                        assert said[2] == theirs[2], (cred.id, cond.id)


@settings(max_examples=150, deadline=None)
@given(day_and_profile(), st.data())
def test_people_sharing_a_sureness_key_get_the_same_sureness(case, data):
    """kinds.sureness_key: for a group condition and a day, two people (and records) with equal key values,
    for whom it holds, get the same sureness and note (what batch's `why` says of a low-confidence group
    met, remembered by the key)."""
    from ma_cli.language.conditions import PASS
    from ma_cli.language.kinds import is_group, sureness_key
    from ma_cli.language.verdicts import records

    as_of, one = case
    other = data.draw(edge_profiles(as_of))
    for cred in CREDS:
        prepared = Prepared(cred, as_of)
        asked = conditions_asked(prepared)
        for cond, route in asked:
            key = sureness_key(cond, as_of) if is_group(cond) else None
            if key is None:
                continue
            for a in (records(route, one) if route else (None,)):
                said = traced_said(cond, one, a, as_of)
                if said[0] != PASS:
                    continue
                for b in (records(route, other) if route else (None,)):
                    theirs = traced_said(cond, other, b, as_of)
                    if theirs[0] == PASS and key(one, a, as_of) == key(other, b, as_of):
                        assert said[3] == theirs[3], (cred.id, cond.id)


def test_a_sureness_key_is_which_alternatives_hold():
    """An any_of's sureness key is which of its alternatives hold, not what they looked at: people who
    graduated on different days share it, and the note of how sure the any_of holds."""
    from ma_cli.language.kinds import sureness_key, words_key

    as_of = date(2026, 11, 23)
    cred = next(c for c in BUNDLED if c.id == "rma")
    cond = next(c for r in cred.routes for c in r.conditions
                if c.kind == "any_of" and any(a.kind == "window" for a in c.params["conditions"]))
    person = Profile(age=30)
    one = Program("abhes", completed=date(2025, 5, 1))
    other = Program("abhes", completed=date(2024, 3, 9))
    key = sureness_key(cond, as_of)
    assert words_key(cond)(person, one, as_of) != words_key(cond)(person, other, as_of)
    assert key(person, one, as_of) == key(person, other, as_of)
    said = [traced_said(cond, person, p, as_of) for p in (one, other)]
    assert [s[0] for s in said] == ["pass", "pass"] and said[0][3] == said[1][3]

def test_an_assumed_key_is_whether_the_fact_is_missing():
    """A field's condition holds on an assumed fact only when the field is not given: people with
    different dates share its assumed key (a roster's dates rarely repeat), and its `assumed`."""
    from ma_cli.language.kinds import assumed_key, words_key

    as_of = date(2026, 11, 23)
    cred = next(c for c in BUNDLED if c.id == "cma")
    cond = next(c for r in cred.routes for c in r.conditions if c.kind == "not_before")
    one = Program("caahep", completed=date(2025, 5, 1), accredited_since=date(2020, 1, 1))
    other = Program("caahep", completed=date(2024, 3, 9), accredited_since=date(2019, 6, 1))
    missing = Program("caahep", completed=date(2024, 3, 9))
    person = Profile(age=30)
    key = assumed_key(cond)
    assert words_key(cond)(person, one, as_of) != words_key(cond)(person, other, as_of)
    assert key(person, one, as_of) == key(person, other, as_of) != key(person, missing, as_of)
    said = [traced_said(cond, person, p, as_of) for p in (one, other, missing)]
    assert [s[0] for s in said] == ["pass"] * 3 and [s[2] for s in said] == [False, False, True]

@settings(max_examples=200, deadline=None)
@given(day_and_profile(), day_and_profile())
def test_why_ranks_alike_with_and_without_the_decision_just_made(case, other):
    """Why ranks a "no" with what the decision just made hands over (the decider's `missed`: the routes
    that open later, whether a requirement rules out every route), and without it works them out itself:
    the same line, the trace's."""
    from ma_cli.reasoning.why import Why

    as_of, profile = case
    d_day[0] = as_of
    for cred in CREDS:
        prepared = Prepared(cred, as_of)
        decide, why = prepared.decider(), Why(prepared)
        answer = decide(profile)
        if answer[0] != NOT_ELIGIBLE:
            continue
        handed_over = decide.missed(profile)  # (None when a requirement rules out every route at once)
        handed = why.line(profile, answer)
        alone = Why(prepared)
        alone._decided = lambda _: None  # (as if the decision was made elsewhere)
        assert alone.line(profile, answer) == handed == traced_why(evaluate_credential(cred, profile, as_of), cred), \
            cred.id
        # handed over for the person last found not eligible on as_of alone
        decide(profile, as_of + timedelta(days=1))  # (another day: kept for as_of)
        assert decide.missed(profile) == handed_over
        decide(other[1])
        if decide.missed(other[1]) is not None and other[1] is not profile:
            assert decide.missed(profile) is None
