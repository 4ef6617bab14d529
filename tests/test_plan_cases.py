"""Runs every table-driven plan case under tests/plan_cases against the bundled rules (and, with
`rules: fixtures`, the fixture rule files in tests/plan_fixtures shaped like RMA/CCMA/CMAC).

A case gives the exact timeline: on which day each answer starts. Every change is also checked
against the engine directly on the day itself and on the day before, so a case pins both sides
of each window.
"""

from datetime import date, timedelta
from pathlib import Path

import pytest

from ma_cli.base.dates import parse_date
from ma_cli.inputs.profile import parse_profile
from ma_cli.inputs.yamlio import load_file
from ma_cli.reasoning.assume import apply_assumptions
from ma_cli.reasoning.engine import evaluate_credential
from ma_cli.reasoning.planner import eligible_until, plan_credential, profile_on
from ma_cli.ruleset.rules_validate import load_rules

HERE = Path(__file__).parent
FIXTURES = HERE / "plan_fixtures"
_KEYS = {"name", "as_of", "rules", "profile", "assume", "expect", "note"}
_EXPECT = {"timeline", "missing", "relies_on_work", "eligible_until", "assumptions"}


def _cases():
    for path in sorted((HERE / "plan_cases").glob("*.yaml")):
        for case in load_file(path, "plan case file"):
            yield pytest.param(case, id=f"{path.stem}: {case['name']}")


@pytest.fixture(scope="module")
def rulesets():
    return {None: load_rules(None), "fixtures": load_rules(FIXTURES)}


def _entry(text: str):
    parts = str(text).split()
    return parse_date(parts[0], "timeline"), parts[1], (parts[2] if len(parts) > 2 else None)


@pytest.mark.parametrize("case", list(_cases()))
def test_plan_case(case, rulesets):
    assert set(case) <= _KEYS, f"unknown keys {set(case) - _KEYS}"
    ruleset = rulesets[case.get("rules")]
    as_of = parse_date(case["as_of"], "as_of")
    person = apply_assumptions(parse_profile(case.get("profile") or {}), case.get("assume"), as_of)
    for cred_id, want in case["expect"].items():
        assert set(want) <= _EXPECT, f"unknown expectations {set(want) - _EXPECT}"
        cred = ruleset.credentials[cred_id]
        plan = plan_credential(cred, person, as_of)
        assert not plan.warnings
        got = [(s.start, s.status, s.route) for s in plan.segments]
        expected = [_entry(e) for e in want["timeline"]]
        assert got == expected
        # both sides of every change, straight from the engine
        for (day, status, route), (_, before_status, before_route) in zip(expected[1:], expected):
            on = evaluate_credential(cred, profile_on(person, as_of, day), day)
            prev_day = day - timedelta(days=1)
            before = evaluate_credential(cred, profile_on(person, as_of, prev_day), prev_day)
            assert (on.status, on.route) == (status, route), day
            assert (before.status, before.route) == (before_status, before_route), prev_day
        if "missing" in want:
            assert want["missing"].lower() in " | ".join(plan.missing).lower(), plan.missing
        if "relies_on_work" in want:
            assert plan.relies_on_work is want["relies_on_work"]
        if "eligible_until" in want:
            until = want["eligible_until"]
            assert plan.eligible_until == (parse_date(until, "eligible_until") if until else None)
        if "assumptions" in want:
            assert " | ".join(plan.assumptions) == want["assumptions"]


def test_a_change_no_kind_predicts_is_still_found_and_reported(monkeypatch, rulesets):
    """Without the window's date model, the Category 1 -> 2 change is found by search, with a warning."""
    from datetime import date

    from ma_cli.language.kinds import KINDS

    monkeypatch.setattr(KINDS["window"], "candidates", lambda cond, span: set())
    person = parse_profile({"programs": [{"accreditation": "caahep", "completed": "2026-05-15"}]})
    plan = plan_credential(rulesets[None].credentials["cma"], person, date(2026, 11, 23))
    assert [(s.start, s.route) for s in plan.segments] == [(date(2026, 11, 23), "cat1-graduate"),
                                                           (date(2027, 5, 16), "cat2-nonrecent")]
    assert plan.warnings == ("cma: the change on 2027-05-16 was found by search, not from the rules' dates",)
    # the last eligible day `eligible` reports, from the answers' keys alone, is found by the same search
    rma = rulesets[None].credentials["rma"]
    assert eligible_until(rma, person, date(2026, 11, 23)) == date(2030, 5, 14)
    assert plan_credential(rma, person, date(2026, 11, 23)).eligible_until == date(2030, 5, 14)


@pytest.mark.parametrize("rules, cred_id, profile, timeline", [
    ("fixtures", "fx-cmac", {"age": 16, "work": [{"from": "2025-01-01", "to": "present"}]},
     ["2026-11-23 not_eligible", "2026-11-24 review", "2027-11-23 eligible experience"]),
    # CMAC, 16 with training done: the one-year window closes before the latest birthday; an earlier one
    # opens it, so review while it is open, not "never by waiting" (the latest birthday alone said that)
    (None, "cmac", {"age": 16, "high_school": True, "programs": [{"accreditation": "none", "completed": "2026-06-01"}]},
     ["2026-11-23 not_eligible", "2026-11-24 review", "2027-06-02 not_eligible"]),
])
def test_an_age_without_a_birth_date_is_every_birthday_of_the_year(rulesets, rules, cred_id, profile, timeline):
    """Age 16 on the as-of date: born from the day after 17 years before it to 16 years before it. The plan
    answers on both ends (review where they split, naming the birthday) and agrees with the engine on each."""
    as_of = date(2026, 11, 23)
    cred = rulesets[rules].credentials[cred_id]
    plan = plan_credential(cred, parse_profile(profile), as_of)
    assert [(s.start, s.status, s.route) for s in plan.segments] == [_entry(e) for e in timeline]
    assert plan.warnings and "given only as age 16 on 2026-11-23" in plan.warnings[0]
    earliest, latest = ({**profile, "age": None, "birth_date": born} for born in ("2009-11-24", "2010-11-23"))
    for seg in plan.segments:
        days = [seg.start] + ([seg.end] if seg.end else [])
        for day in days:
            answers = {evaluate_credential(cred, parse_profile(p), day).status for p in (earliest, latest)}
            assert answers == ({seg.status} if seg.status != "review" else {"eligible", "not_eligible"}), day
