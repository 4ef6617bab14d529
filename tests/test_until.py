"""batch's `eligible_until` (until.py, the fast walk over compiled decisions) is the plan's last
eligible day (planner.Plan.eligible_until) for generated people: every bundled credential and the
plan fixtures (dated rule versions, a made-up credential), people of test_plan_property."""

from datetime import date

from hypothesis import HealthCheck, event, given, settings, strategies as st

from ma_cli.inputs.profile import parse_profile
from ma_cli.reasoning.engine import Prepared
from ma_cli.reasoning.planner import plan_credential
from ma_cli.reasoning.until import Until
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
