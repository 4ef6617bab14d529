"""Generic engine vocabulary: if_missing on comparisons, any_of confidence, capped instructor time.

Each test compiles a tiny made-up credential so it exercises the engine, not a real rule file.
"""

from datetime import date

import pytest

from ma_cli.base.errors import RuleError
from ma_cli.inputs.profile import parse_profile
from ma_cli.inputs.yamlio import load_text
from ma_cli.reasoning.engine import evaluate_credential
from ma_cli.ruleset.rules import compile_credential

AS_OF = date(2026, 11, 23)
HEAD = """
credential: demo
name: Demo
sources: {S1: {url: "https://example.org/demo", read: 2026-11-23}}
eligibility:
"""


def credential(body: str):
    cred, errors = compile_credential(load_text(HEAD + body, "demo.yaml", rule_file=True), "demo.yaml")
    assert not errors, errors
    return cred


def decide(cred, profile: dict, as_of: date = AS_OF):
    return evaluate_credential(cred, parse_profile(profile), as_of)


HIGH_SCHOOL = """
  routes:
    - id: r
      name: R
      source: S1
      effective: unknown
      when:
        - {id: hs, test: is, field: high_school, value: true, if_missing: %s, says: High school}
"""


@pytest.mark.parametrize("if_missing, status", [("pass", "eligible"), ("fail", "not_eligible"),
                                                 ("unknown", "review")])
def test_if_missing_decides_a_missing_fact(if_missing, status):
    d = decide(credential(HIGH_SCHOOL % if_missing), {})
    assert d.status == status


def test_an_assumed_fact_is_said_in_the_trace_and_the_reasons():
    d = decide(credential(HIGH_SCHOOL % "pass"), {})
    (cond,) = d.routes[0].conditions
    assert cond.assumed and "assumed; confirm" in cond.observed
    assert any(r.startswith("assumed: High school") for r in d.reasons)


def test_a_given_fact_overrides_if_missing():
    cred = credential(HIGH_SCHOOL % "pass")
    assert decide(cred, {"high_school": False}).status == "not_eligible"
    given = decide(cred, {"high_school": True})
    assert given.status == "eligible" and not any("assumed" in r for r in given.reasons)


def test_if_missing_must_be_pass_fail_or_unknown():
    with pytest.raises(AssertionError, match="if_missing"):
        credential(HIGH_SCHOOL % "maybe")


ANY_OF = """
  routes:
    - id: r
      name: R
      source: S1
      effective: unknown
      when:
        - id: age
          test: any_of
          says: Old enough under both page versions, or under the newer one only
          conditions:
            - {test: at_least, field: age, value: 18, says: 18 or older}
            - {test: at_least, field: age, value: 17, confidence: low, note: older version says 18, says: "17"}
"""


@pytest.mark.parametrize("age, status", [(18, "eligible"), (17, "review"), (16, "not_eligible")])
def test_any_of_is_only_as_sure_as_the_alternative_that_holds(age, status):
    d = decide(credential(ANY_OF), {"age": age})
    assert d.status == status
    if status == "review":
        assert any("older version says 18" in r for r in d.reasons)


WORK = """
  routes:
    - id: r
      name: R
      source: S1
      effective: unknown
      when:
        - {test: work_years, years: 5, within: 7, max_instructor_years: 2}
"""


def test_instructor_time_is_capped():
    cred = credential(WORK)
    four_years_ma = {"from": "2022-11-24", "to": "present"}
    three_years_teaching = {"role": "instructor", "from": "2019-11-24", "to": "2022-11-23"}
    d = decide(cred, {"work": [four_years_ma, three_years_teaching]})
    assert d.status == "eligible"  # 4 years + 1 of the 3 teaching years... capped at 2 -> 6
    only_teaching = decide(cred, {"work": [three_years_teaching, {"role": "instructor", "from": "2022-11-24",
                                                                  "to": "present"}]})
    assert only_teaching.status == "not_eligible"  # 7 years of teaching count as 2


def test_teaching_alongside_full_time_work_never_takes_years_away():
    # regression: overlapping instructor years beyond the cap were subtracted from the total,
    # so adding a teaching job to five full-time MA years turned "eligible" into "not eligible"
    cred = credential(WORK)
    ma = {"from": "2021-11-23", "to": "present"}
    assert decide(cred, {"work": [ma]}).status == "eligible"
    teaching = {"role": "instructor", "from": "2021-11-23", "to": "present"}
    assert decide(cred, {"work": [ma, teaching]}).status == "eligible"


def test_total_hours_is_known_only_when_both_parts_are():
    cred = credential("""
  routes:
    - id: r
      name: R
      source: S1
      effective: unknown
      over: program
      when:
        - {test: at_least, field: program.total_hours, value: 720}
""")
    base = {"accreditation": "caahep", "completed": "2026-05-15"}
    assert decide(cred, {"programs": [dict(base, academic_hours=560, externship_hours=160)]}).status == "eligible"
    assert decide(cred, {"programs": [dict(base, academic_hours=559, externship_hours=160)]}).status \
        == "not_eligible"
    assert decide(cred, {"programs": [dict(base, academic_hours=900)]}).status == "review"


def test_rule_errors_are_rule_errors():
    _, errors = compile_credential(load_text(HEAD + HIGH_SCHOOL % "maybe", "demo.yaml", rule_file=True), "demo.yaml")
    assert errors and all(isinstance(e, RuleError) for e in errors)
    assert "if_missing" in str(errors[0])


def test_nearest_miss_does_not_depend_on_program_order(ruleset):
    # regression (found by test_properties): two programs missing cat1-student by the same number
    # of conditions; the one that opens first (30 days before 2026-02-01) must win in either order
    later = {"accreditation": "caahep", "expected": "2026-03-15"}
    soon = {"accreditation": "caahep", "expected": "2026-02-01"}
    for order in ([later, soon], [soon, later]):
        d = evaluate_credential(ruleset.credentials["cma"], parse_profile({"programs": order}), date(2026, 1, 1))
        assert (d.status, d.opens) == ("not_eligible", date(2026, 1, 2))
    # a program whose expected date passed long ago asks for the profile to be updated, in either order
    old = {"accreditation": "caahep", "expected": "2016-01-01"}
    for order in ([old, soon], [soon, old]):
        d = evaluate_credential(ruleset.credentials["cma"], parse_profile({"programs": order}), date(2026, 1, 1))
        assert (d.status, d.route) == ("review", "cat1-student-date-passed")


def test_the_nearest_miss_is_not_one_that_only_passes_on_assumptions(ruleset):
    # military training only: the closed military window explains the RMA "no", not the work
    # route whose only passing condition is an assumed high-school diploma
    d = evaluate_credential(ruleset.credentials["rma"], parse_profile({"military": [{"completed": "2022-03-18"}]}),
                            AS_OF)
    assert d.status == "not_eligible"
    assert d.reasons[0].startswith("Military medical services training") and "closed" in d.reasons[0]
