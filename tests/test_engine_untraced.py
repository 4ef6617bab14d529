"""`trace=False` (what `batch` asks for) gives exactly the decision fields of the full trace.

The same Prepared rules answer both ways; these tests hold the two paths to the same status,
route, deadline and earliest date over every YAML case (bundled rules and the versioned
fixture rules) and over generated profiles on generated days.
"""

from datetime import date
from pathlib import Path

from hypothesis import given, settings, strategies as st

from ma_cli.base.dates import parse_date
from ma_cli.inputs.profile import parse_profile
from ma_cli.reasoning.cases import load_cases
from ma_cli.reasoning.engine import Prepared, evaluate_credential
from ma_cli.ruleset.rules_validate import load_rules
from test_properties import CREDS, profiles

HERE = Path(__file__).parent
FIXTURE_RULES = HERE / "rule_fixtures" / "versions"


def fields(decision):
    return (decision.credential, decision.name, decision.status, decision.route, decision.route_name,
            decision.deadline, decision.opens)


def both_ways(cred, profile, as_of):
    traced = evaluate_credential(cred, profile, as_of)
    untraced = evaluate_credential(cred, profile, as_of, trace=False)
    assert untraced.routes == () and untraced.reasons == ()  # nothing built that nobody reads
    assert fields(untraced) == fields(traced)
    assert fields(Prepared(cred, as_of).decide(profile, trace=False)) == fields(traced)
    return traced


def case_profiles():
    for path in [*sorted((HERE / "cases").glob("*.yaml")), HERE / "rule_fixtures" / "versions_cases.yaml"]:
        for case in load_cases(path):
            yield path, parse_date(case.data["as_of"], "as_of"), parse_profile(case.data.get("profile") or {}, "p")


def test_every_yaml_case_profile_same_decision_without_trace():
    rulesets = [load_rules(None), load_rules(FIXTURE_RULES)]
    seen = set()
    for _, as_of, profile in case_profiles():
        for rules in rulesets:
            for cred in rules.credentials.values():
                seen.add(both_ways(cred, profile, as_of).status)
    assert seen == {"eligible", "review", "not_eligible"}  # every kind of answer was compared


@settings(max_examples=300, deadline=None)
@given(profiles(), st.dates(min_value=date(2014, 1, 1), max_value=date(2031, 12, 31)))
def test_generated_profiles_same_decision_without_trace(profile, as_of):
    for cred in CREDS:
        traced = both_ways(cred, profile, as_of)
        assert fields(Prepared(cred, as_of).decide(profile, trace=False)) == fields(traced)


@settings(max_examples=100, deadline=None)
@given(profiles(), profiles(), st.dates(min_value=date(2014, 1, 1), max_value=date(2031, 12, 31)))
def test_one_prepared_rule_set_answers_person_after_person(first, second, as_of):
    # as batch uses it: what the compiled rules remember of one person never reaches the next
    for cred in CREDS:
        prepared = Prepared(cred, as_of)
        for person in (first, second, first):
            assert fields(prepared.decide(person, trace=False)) == fields(evaluate_credential(cred, person, as_of))


def test_two_records_with_one_label_tie_break_the_same_way():
    """Same accreditation and date (one label), different details, in either order.

    (The untraced path sends such a route through the traced comparison; with the bundled rules
    the decision fields agree either way, so this holds the two paths equal, not the fallback.)"""
    a = {"accreditation": "institutional", "completed": "2025-06-01", "academic_hours": 600, "externship_hours": 100,
         "award": "diploma", "injections": 12, "venipunctures": 12}
    b = dict(a, academic_hours=900, externship_hours=200, injections=None)
    for programs in ([a, b], [b, a], [a, dict(a)]):
        profile = parse_profile({"programs": programs, "high_school": True, "age": 30})
        for cred in CREDS:
            both_ways(cred, profile, date(2026, 11, 23))
