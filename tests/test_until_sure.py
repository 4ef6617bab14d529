"""What until.py's walk takes on trust from the decision instead of asking again: on a day a person is
found eligible by a route, every requirement, and every condition of the route that does not look at
one record among several, passes surely; and on as_of the profile as read and the person the plan
makes of it (a birth date made from an age) get the same answers. People of test_plan_property."""

from hypothesis import HealthCheck, given, settings, strategies as st

from ma_cli.inputs.profile import parse_profile
from ma_cli.language.conditions import PASS
from ma_cli.reasoning.engine import ELIGIBLE, Prepared
from ma_cli.reasoning.planner import profile_on
from ma_cli.reasoning.until import _reads_records
from test_plan_property import AS_OF, CREDS, RULES, people


@st.composite
def cases(draw):
    as_of = draw(AS_OF)
    return as_of, draw(people(as_of)), draw(st.sampled_from(CREDS))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_an_eligible_route_passes_surely_on_the_day(case):
    as_of, data, cred_id = case
    cred = RULES.credentials[cred_id]
    decide = Prepared(cred, as_of).decider()
    for person in (parse_profile(data), profile_on(parse_profile(data), as_of, as_of)):
        status, route = decide(person)[:2]
        if status != ELIGIBLE:
            continue
        records = {"program": person.programs, "military": person.military}.get(route.over, (None,))
        asked = [(cond, run, (None,)) for cond, run in decide.parts[None]] + [
            (cond, run, records) for cond, run in decide.parts[route.id]
            if route.over is None or not _reads_records(cond)]
        for cond, run, items in asked:
            for item in items:  # (a condition not looking at the record: every record alike)
                out = run(person, item, as_of)
                assert out[0] == PASS and not out[3] and cond.meta.confidence != "low", (cred_id, cond.id)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_the_person_today_answers_as_the_profile_does(case):
    as_of, data, cred_id = case
    cred = RULES.credentials[cred_id]
    decide = Prepared(cred, as_of).decider()
    profile = parse_profile(data)
    person = profile_on(profile, as_of, as_of)
    assert decide(person) == decide(profile)
    items = (None, *profile.programs, *profile.military)
    for conds in decide.parts.values():
        for cond, run in conds:
            for item in items:
                assert run(person, item, as_of) == run(profile, item, as_of), (cred_id, cond.id)
