"""Dates given only to the month (reasoning/readings.py): an answer holds on every day of the month, or
is review naming the date; never a confident answer the first day alone gives."""

import json
from datetime import date

import pytest
from hypothesis import example, given, settings, strategies as st
from typer.testing import CliRunner

from ma_cli import api
from ma_cli.base.dates import add_months, end_of_month
from ma_cli.commands.cli import app
from ma_cli.inputs.profile import parse_profile
from ma_cli.reasoning.engine import ELIGIBLE, REVIEW, Prepared, evaluate
from ma_cli.reasoning.planner import plan_credential
from ma_cli.ruleset.rules_validate import load_rules

AS_OF = date(2026, 11, 2)
CREDS = ["ccma", "cma", "cmac"]
HEADER = ["id", "high_school", "program", "completed", "expected", "birth_date", "work"]
# each month row beside the day row at the other end of its month
ROWS = [
    ["hs-month", "2026-11", "caahep", "2026-05-15", "", "", ""],
    ["hs-day", "2026-11-30", "caahep", "2026-05-15", "", "", ""],
    ["exp-month", "", "caahep", "", "2026-12", "", ""],
    ["exp-day", "", "caahep", "", "2026-12-31", "", ""],
    ["bd-month", "", "none", "2026-10-01", "", "2009-11", ""],
    ["bd-day", "", "none", "2026-10-01", "", "2009-11-30", ""],
    ["work-month", "", "", "", "", "", "2025-11..present"],
    ["work-day", "", "", "", "", "", "2025-11-30..present"],
]


def _roster() -> dict[str, dict]:
    rows = [dict(zip(HEADER, row)) for row in ROWS]
    return {out["id"]: out["results"] for out in api.eligible_rows(rows, as_of=AS_OF, credentials=CREDS)}


def test_roster_month_rows_are_review_or_agree_with_the_day_rows():
    got = _roster()
    for month_id in ("hs-month", "exp-month", "bd-month", "work-month"):
        day_id = month_id.replace("month", "day")
        for cred in CREDS:
            month, day = got[month_id][cred], got[day_id][cred]
            assert month["answer"] == REVIEW or month["answer"] == day["answer"], (month_id, cred, month, day)
    # the answers the first day alone gave (eligible) and the day rows do not
    for month_id, cred in (("hs-month", "ccma"), ("exp-month", "cma"), ("bd-month", "cmac"),
                           ("work-month", "ccma"), ("work-month", "cmac")):
        answer = got[month_id][cred]
        assert answer["answer"] == REVIEW and answer["eligible_until"] is None, (month_id, cred)
        assert "give the date to the day" in answer["why"]
    assert "given only as 2026-12" in got["exp-month"]["cma"]["why"]
    assert "line 4, column expected" in got["exp-month"]["cma"]["why"]


def test_roster_month_answers_equal_the_traced_answers(ruleset):
    got = _roster()
    creds = ruleset.pick(CREDS)
    for row in ROWS:
        data = dict(zip(HEADER, row))
        profile = {"id": data["id"]}
        if data["high_school"]:
            profile["high_school"] = data["high_school"]
        if data["program"]:
            end = {"completed": data["completed"]} if data["completed"] else {"expected": data["expected"]}
            profile["programs"] = [{"accreditation": data["program"], **end}]
        if data["birth_date"]:
            profile["birth_date"] = data["birth_date"]
        if data["work"]:
            start, _, to = data["work"].partition("..")
            profile["work"] = [{"from": start, "to": to}]
        for d in evaluate(parse_profile(profile), creds, AS_OF):
            out = got[data["id"]][d.credential]
            assert (out["answer"], out["route"]) == (d.status, d.route), (data["id"], d.credential)
            assert out["deadline"] == (d.deadline.isoformat() if d.deadline else None)
            assert out["earliest"] == (d.opens.isoformat() if d.opens else None)


def test_cli_expected_month_is_review_naming_the_flag():
    result = CliRunner().invoke(app, ["eligible", "--program", "caahep", "--expected", "2026-12", "--as-of",
                                      "2026-11-02", "--cert", "cma", "--json"])
    assert result.exit_code == 3, result.output
    (answer,) = json.loads(result.output)["results"]
    assert answer["status"] == REVIEW and answer["route"] is None
    assert answer["reasons"] == ["the answer turns on the day of expected graduation (--expected), given only as "
                                 "2026-12: eligible if it is 2026-12-01, not eligible if it is 2026-12-31; give the "
                                 "date to the day"]


def test_cli_day_precision_unchanged():
    result = CliRunner().invoke(app, ["eligible", "--program", "caahep", "--expected", "2026-12-01", "--as-of",
                                      "2026-11-02", "--cert", "cma", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["results"][0]["status"] == ELIGIBLE


def test_plan_is_review_today_when_the_readings_split(ruleset):
    (cma,) = ruleset.pick(["cma"])
    profile = parse_profile({"programs": [{"accreditation": "caahep", "expected": "2026-12"}]})
    plan = plan_credential(cma, profile, AS_OF)
    assert plan.now.status == REVIEW and plan.segments[0].status == REVIEW
    assert plan.eligible_until is None
    assert any("given only as 2026-12" in w for w in plan.warnings)
    assert plan.segments[0].decision.status == REVIEW  # the traced answer says the same
    # the days after it still have the answer both readings give: a student graduating on the month's
    # last day may apply from 30 days before it, 2026-12-01, when a graduate of its first day may too
    assert plan.segments[0].end == date(2026, 11, 30) and plan.first(ELIGIBLE).start == date(2026, 12, 1)


def test_eligible_until_is_the_earliest_over_the_month(ruleset):
    # completed 2026-05: the 12-month Category 1 window ends 2027-05-01 on the first day's reading,
    # and CMA stays eligible (Category 2) after it; CMAC's training route ends with the window
    doc = api.eligible({"programs": [{"accreditation": "caahep", "completed": "2026-05"}]}, as_of=date(2026, 11, 23),
                       credentials=["cmac"])
    day = api.eligible({"programs": [{"accreditation": "caahep", "completed": "2026-05-01"}]},
                       as_of=date(2026, 11, 23), credentials=["cmac"])
    assert doc["results"][0]["status"] == day["results"][0]["status"] == ELIGIBLE
    assert doc["results"][0]["eligible_until"] == day["results"][0]["eligible_until"]


# --- the property: an eligible answer holds on the first and the last day of the month ---------------

RULES = load_rules(None)
DAYS = st.dates(date(2024, 1, 1), date(2028, 12, 31))


@st.composite
def one_month_date(draw):
    """(profile mapping with a {MONTH} placeholder in one date, the as-of day, the month's first day)."""
    as_of = draw(DAYS)
    kind = draw(st.sampled_from(["expected", "completed", "birth_date", "work_from", "high_school"]))
    accreditation = draw(st.sampled_from(["caahep", "abhes", "none", "institutional"]))
    # a month near where the rules' windows and thresholds fall (a day, a month, a year, three years,
    # 16 to 18 years from the as-of date), where its first and last day can differ in the answer
    back = draw(st.sampled_from([0, 1, 3, 16, 17, 18] if kind == "birth_date" else [0, 1, 3, 5]))
    month = add_months(as_of.replace(day=1), -12 * back + draw(st.integers(-2, 2)))
    if kind in ("completed", "birth_date"):
        month = min(month, as_of.replace(day=1))
    other_end = draw(DAYS)
    data: dict = {}
    if kind in ("expected", "completed"):
        data["programs"] = [{"accreditation": accreditation, kind: "{MONTH}"}]
    else:
        data["programs"] = [{"accreditation": accreditation, "completed": min(other_end, as_of).isoformat()}]
    if kind == "birth_date":
        data["birth_date"] = "{MONTH}"
    if kind == "work_from":
        data["work"] = [{"from": "{MONTH}", "to": "present"}]
    if kind == "high_school":
        data["high_school"] = "{MONTH}"
    return data, as_of, month


def _ends(data, as_of, month):
    """The first and last day the month can mean on the as-of date: a completion or a birth is not after
    it, an expected completion not before it (when the month holds it)."""
    first, last = month, end_of_month(month)
    if "{MONTH}" in str(data.get("birth_date", "")) + str([p.get("completed") for p in data["programs"]]):
        last = min(last, as_of)
    if "{MONTH}" in str([p.get("expected") for p in data["programs"]]) and last >= as_of:
        first = max(first, as_of)
    return first, last


def _fill(data, text):
    if isinstance(data, dict):
        return {k: _fill(v, text) for k, v in data.items()}
    if isinstance(data, list):
        return [_fill(v, text) for v in data]
    return text if data == "{MONTH}" else data


# an expected month holding the as-of day: its first day, past, is no reading
_HOLDING = ({"programs": [{"accreditation": "caahep", "expected": "{MONTH}"}]}, date(2026, 12, 15), date(2026, 12, 1))


@settings(max_examples=150, deadline=None)
@given(one_month_date())
@example(_HOLDING)
def test_eligible_on_a_month_only_date_is_eligible_on_its_first_and_last_day(case):
    data, as_of, month = case
    creds = [c for c in RULES.credentials.values() if c.routes]
    vague = parse_profile(_fill(data, f"{month:%Y-%m}"))
    ends = [parse_profile(_fill(data, day.isoformat())) for day in _ends(data, as_of, month)]
    for cred in creds:
        prepared = Prepared(cred, as_of)
        got = prepared.decide(vague)
        assert prepared.decide(vague, trace=False).status == got.status  # traced and decision-only agree
        assert prepared.answer(vague)[0] == got.status
        if got.status == ELIGIBLE:
            assert [prepared.decide(p).status for p in ends] == [ELIGIBLE, ELIGIBLE], (cred.id, data, as_of)


def test_month_answers_match_the_schemas():
    from schema_check import validate

    person = {"programs": [{"accreditation": "caahep", "expected": "2026-12"}]}
    validate("eligible", api.eligible(person, as_of=AS_OF, explain=True))
    validate("plan", api.plan(person, as_of=AS_OF, explain=True))
    for row in api.eligible_rows([dict(zip(HEADER, row)) for row in ROWS], as_of=AS_OF):
        validate("batch-eligible-row", row)


# --- the plan over time: where the readings disagree, review (never the first day's answer alone) ------

def _status_on(plan, day):
    return next(seg for seg in reversed(plan.segments) if seg.start <= day).status


def test_plan_timeline_is_review_on_the_days_the_readings_disagree(ruleset):
    (ccma,) = ruleset.pick(["ccma"])
    plan = plan_credential(ccma, parse_profile({"programs": [{"accreditation": "caahep", "expected": "2026-12"}]}),
                           AS_OF)
    # graduating on 2026-12-01 opens the training route that day, on 2026-12-31 only then: the days between
    # turn on the day, and the first eligible day is the one both readings reach
    assert [(s.start, s.status) for s in plan.segments[:3]] == [
        (AS_OF, "not_eligible"), (date(2026, 12, 1), REVIEW), (date(2026, 12, 31), ELIGIBLE)]
    review = plan.segments[1]
    assert review.end == date(2026, 12, 30) and "given only as 2026-12" in review.because[0]
    assert review.decision.status == REVIEW and review.decision.reasons == review.because
    assert plan.first(ELIGIBLE).start == date(2026, 12, 31)
    assert any(w.startswith("ccma: from 2026-12-01 to 2026-12-30: the answer turns on") for w in plan.warnings)


@settings(max_examples=60, deadline=None)
@given(one_month_date())
@example(_HOLDING)
def test_a_plan_with_a_month_only_date_says_on_each_day_what_both_readings_say_or_review(case):
    data, as_of, month = case
    vague = parse_profile(_fill(data, f"{month:%Y-%m}"))
    ends = [parse_profile(_fill(data, day.isoformat())) for day in _ends(data, as_of, month)]
    for cred in [RULES.credentials[c] for c in ("cma", "ccma", "rma")]:
        plan = plan_credential(cred, vague, as_of, years=4)
        day_plans = [plan_credential(cred, person, as_of, years=4) for person in ends]
        days = {s.start for p in (plan, *day_plans) for s in p.segments}
        for day in days | {d - date.resolution for d in days if d > as_of}:
            said = {_status_on(p, day) for p in day_plans}
            got = _status_on(plan, day)
            assert got == (said.pop() if len(said) == 1 else REVIEW), (cred.id, data, as_of, day)
        # an eligible plan's last eligible day is the earliest of the readings' (as `eligible` gives it for
        # an eligible answer, the only one it asks it for)
        from ma_cli.reasoning.planner import eligible_until
        if plan.now.status == ELIGIBLE:
            assert plan.eligible_until == eligible_until(cred, vague, as_of, years=4), (cred.id, data, as_of)
        else:
            assert plan.eligible_until is None


def test_plan_what_if_given_only_to_the_month_is_answered_on_each_day_it_can_mean():
    args = ["plan", "--as-of", "2026-11-02", "--cert", "cma", "--json"]
    month = json.loads(CliRunner().invoke(app, [*args, "--assume", "program: caahep, completed 2026-12"]).stdout)
    day = json.loads(CliRunner().invoke(app, [*args, "--assume", "program: caahep, completed 2026-12-01"]).stdout)
    assert day["plans"][0]["now"]["status"] == ELIGIBLE  # on the month's first day, applying before completion
    assert month["plans"][0]["now"]["status"] == REVIEW  # ... but not on its last
    assert "--assume 'program: caahep, completed 2026-12'" in month["plans"][0]["warnings"][0]


def test_plan_names_both_routes_where_the_readings_agree_on_the_answer_only(ruleset):
    (cma,) = ruleset.pick(["cma"])
    plan = plan_credential(cma, parse_profile({"programs": [{"accreditation": "caahep", "expected": "2027-02"}]}),
                           date(2026, 12, 3))
    # in February a graduate of its first day is a recent graduate, a student finishing on its last day
    # a completing student: eligible either way, by no one route
    feb = next(s for s in plan.segments if s.start == date(2027, 2, 1))
    assert feb.status == ELIGIBLE and feb.route is None
    assert feb.route_name == "Category 1, recent graduate or Category 1, completing student"
    assert feb.because[0].startswith("the route turns on the day of expected graduation")


@pytest.mark.parametrize("args", [
    ["--program", "institutional", "--graduated", "2026-05-15", "--military", "2025-01", "--as-of", "2026-12-03",
     "--cert", "ccma"],
    ["--program", "institutional", "--field", "ekg", "--graduated", "2026-05-15", "--work",
     "ekg-technician:2024-01..present", "--ekgs", "10", "--as-of", "2026-12-03"],
    ["--program", "caahep", "--graduated", "2026-05", "--work", "2025-11..present@20", "--military", "2023-02",
     "--assume", "work: 20h/week from 2027-01", "--cert", "rma", "--as-of", "2026-12-03"],
    ["--work", "2025-11..present@20", "--as-of", "2026-12-03", "--cert", "rma"],
])
def test_plan_with_month_dates_answers_without_internal_names(args):
    r = CliRunner().invoke(app, ["plan", *args, "--json"])
    assert r.exit_code in (0, 1, 3), r.output
    doc = json.loads(r.stdout)
    for plan in doc["plans"]:
        for warning in plan["warnings"]:  # a warning is a split's, naming the flag as typed
            assert "the plan says review" in warning and "flags." not in warning and "'.from" not in warning


def test_plan_summary_runs_to_the_end_of_back_to_back_reviews():
    r = CliRunner().invoke(app, ["plan", "--work", "2025-11..present@20", "--as-of", "2026-12-03", "--cert", "rma",
                                 "--json"])
    plan = json.loads(r.stdout)["plans"][0]
    reviews = [s for s in plan["timeline"] if s["status"] == REVIEW]
    assert len(reviews) == 2 and reviews[0]["to"] < reviews[1]["from"] and reviews[1]["to"] is None
    assert plan["summary"].startswith(f"not eligible now; needs review from {reviews[0]['from']} (")
    assert " to " not in plan["summary"].split("(")[0]  # the last review runs on to the horizon


def test_facts_show_a_month_only_date_as_given():
    person = parse_profile({"birth_date": "2009-11", "programs": [{"accreditation": "none", "completed": "2026-10"}],
                            "work": [{"from": "2025-11", "to": "2026-01-15"}]})
    facts = person.facts()
    # the page's Facts list shows what was given, not the first day the checks read
    assert facts["birth_date"] == "2009-11" and facts["programs"][0]["completed"] == "2026-10"
    assert facts["work"][0]["start"] == "2025-11" and facts["work"][0]["end"] == date(2026, 1, 15)


# --- the bounds of a month holding the as-of day: an expected completion is not past, a completion or a
# birth not future; dates no condition of the credential reads are not read each way -----------------------

def _json(args):
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1, 3), result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("given", [["--program", "caahep", "--expected", "2026-12"],
                                   ["--assume", "program: caahep, expected 2026-12"]])
def test_an_expected_month_holding_the_as_of_day_is_read_from_that_day(given):
    as_of = ["--as-of", "2026-12-15", "--cert", "cma", "--cert", "ccma", "--json"]
    plan = {p["credential"]: p for p in _json(["plan", *given, *as_of])["plans"]}
    # no reading is the month's first day, past on 2026-12-15: a student may still apply (CMA), and CCMA's
    # training route opens on the day after graduation, 2026-12-16 on the first reading, 2027-01-01 at the latest
    assert plan["cma"]["now"]["status"] == ELIGIBLE and plan["cma"]["now"]["route"] == "cat1-student"
    assert [(s["from"], s["status"]) for s in plan["ccma"]["timeline"][:3]] == [
        ("2026-12-15", "not_eligible"), ("2026-12-16", REVIEW), ("2026-12-31", ELIGIBLE)]
    words = json.dumps(plan)
    assert "2026-12-01" not in words and "if it is 2026-12-15" in words
    assert "caahep program, completed in 2026-12 as expected" in json.dumps(_json(["plan", *given, *as_of]))
    # `eligible` on the same day, and a roster row with the same cell, answer as the plan's `now`
    if given[0] == "--program":
        said = {r["credential"]: r for r in _json(["eligible", *given, *as_of])["results"]}
        (row,) = [out["results"] for out in api.eligible_rows([{"id": "a", "program": "caahep", "expected": "2026-12"}],
                                                              as_of=date(2026, 12, 15), credentials=["cma", "ccma"])]
        for cred, p in plan.items():
            assert (said[cred]["status"], said[cred]["route"]) == (p["now"]["status"], p["now"]["route"])
            assert (row[cred]["answer"], row[cred]["route"]) == (p["now"]["status"], p["now"]["route"])
            assert said[cred]["eligible_until"] == p["eligible_until"] == row[cred]["eligible_until"]


def test_an_expected_month_ending_on_the_as_of_day_means_that_day_alone():
    args = ["--program", "caahep", "--expected", "2026-12", "--as-of", "2026-12-31", "--cert", "cma", "--cert",
            "ccma", "--json"]
    plan = {p["credential"]: p for p in _json(["plan", *args])["plans"]}
    assert all(not p["warnings"] and REVIEW not in {s["status"] for s in p["timeline"]} for p in plan.values())
    assert plan["cma"]["now"] == {"status": ELIGIBLE, "route": "cat1-student",
                                  "route_name": "Category 1, completing student", "deadline": "2026-12-31"}
    assert plan["ccma"]["earliest"]["date"] == "2027-01-01"
    said = {r["credential"]: r for r in _json(["eligible", *args])["results"]}
    assert {c: (r["status"], r["route"]) for c, r in said.items()} == {
        c: (p["now"]["status"], p["now"]["route"]) for c, p in plan.items()}


@pytest.mark.parametrize("entry, path, days", [
    ({"programs": [{"accreditation": "caahep", "expected": "2026-12"}]}, ("programs", 0, "expected"), (15, 31)),
    ({"military": [{"expected": "2026-12"}]}, ("military", 0, "expected"), (15, 31)),
    ({"programs": [{"accreditation": "caahep", "completed": "2026-12"}]}, ("programs", 0, "completed"), (1, 15)),
    ({"military": [{"completed": "2026-12"}]}, ("military", 0, "completed"), (1, 15)),
    ({"birth_date": "2026-12"}, ("birth_date",), (1, 15)),
    # no certain bound: a job may start or end after the as-of day (a what-if's does), a diploma be earned
    # before or after it, a program be accredited from a later day
    ({"work": [{"from": "2026-12", "to": "present"}]}, ("work", 0, "from"), (1, 31)),
    ({"work": [{"from": "2026-01-05", "to": "2026-12"}]}, ("work", 0, "to"), (1, 31)),
    ({"high_school": "2026-12"}, ("high_school",), (1, 31)),
    ({"programs": [{"accreditation": "caahep", "completed": "2026-05-01", "accredited_since": "2026-12"}]},
     ("programs", 0, "accredited_since"), (1, 31)),
])
def test_the_days_a_month_holding_the_as_of_day_can_mean(entry, path, days):
    from ma_cli.reasoning.readings import live

    (v,) = live(parse_profile(entry), date(2026, 12, 15))
    assert v.path == path and (v.first, v.last) == (date(2026, 12, days[0]), date(2026, 12, days[1]))


MANY_MONTHS = {"birth_date": "1990-04", "military": [{"completed": "2020-03"}],
               "programs": [{"accreditation": "caahep", "completed": "2026-05"}],
               "work": [{"from": "2024-01", "to": "2025-06"}, {"from": "2025-09", "to": "present"}]}


def test_only_the_month_only_dates_a_credential_reads_count_towards_the_limit():
    # six month-only dates; CMA has no age rule and no military route: four of them are its (the program's
    # and the jobs'), so it is answered on each day they can mean, not review outright. CMAC reads the age
    # too: five, one more than are read each way
    plans = {p["credential"]: p for p in api.plan(MANY_MONTHS, as_of=date(2026, 12, 15),
                                                  credentials=["cma", "cmac"])["plans"]}
    assert not any("given only to the month" in w for w in plans["cma"]["warnings"]), plans["cma"]["warnings"]
    assert plans["cma"]["now"]["status"] == ELIGIBLE and len(plans["cma"]["timeline"]) > 1
    (why,) = plans["cmac"]["warnings"]
    assert why.startswith("cmac: 5 dates are given only to the month (birth (birth_date) (1990-04), completion")
    assert "military" not in why and [s["status"] for s in plans["cmac"]["timeline"]] == [REVIEW]
    # `eligible` counts the same dates
    said = {r["credential"]: r for r in api.eligible(MANY_MONTHS, as_of=date(2026, 12, 15),
                                                       credentials=["cma", "cmac"])["results"]}
    assert said["cma"]["status"] == ELIGIBLE and said["cmac"]["status"] == REVIEW


_SHIFTS = {("birth_date",): "1990-04-20", ("military", 0, "completed"): "2020-03-25",
           ("programs", 0, "completed"): "2026-05-20", ("work", 0, "from"): "2024-01-20",
           ("work", 0, "to"): "2025-06-20", ("work", 1, "from"): "2025-09-20"}


@pytest.mark.parametrize("cred_id", sorted(c for c, cred in RULES.credentials.items() if cred.routes))
def test_a_date_no_condition_of_a_credential_reads_does_not_change_its_answer(cred_id):
    """The fields kinds say a credential reads are all its answer turns on: moving any other date of the
    person (to the day) leaves its answer, on every day of the plan, as it was."""
    from ma_cli.language.kinds import credential_reads
    from ma_cli.reasoning.readings import live

    cred = RULES.credentials[cred_id]
    as_of = date(2026, 12, 15)
    person = parse_profile(MANY_MONTHS)
    read = {v.path for v in live(person, as_of, credential_reads(cred))}
    unread = [path for path in _SHIFTS if path not in read]
    assert read | set(unread) == set(_SHIFTS)
    base = json.loads(json.dumps(MANY_MONTHS))  # the same person with each date on its month's first day
    for path in _SHIFTS:
        holder = base
        for step in path[:-1]:
            holder = holder[step]
        holder[path[-1]] += "-01"
    moved = json.loads(json.dumps(base))
    for path in unread:
        holder = moved
        for step in path[:-1]:
            holder = holder[step]
        holder[path[-1]] = _SHIFTS[path]
    plans = [plan_credential(cred, parse_profile(p), as_of, years=6) for p in (base, moved)]
    assert [(s.start, s.status, s.route) for s in plans[0].segments] == \
        [(s.start, s.status, s.route) for s in plans[1].segments], unread


def test_kinds_say_which_fields_they_read():
    from ma_cli.language.kinds import WORK_DATES, reads
    from ma_cli.language.rule_records import Condition, Meta

    def cond(kind, **params):
        return Condition("c", kind, params, Meta(None, None, "high", None, None, None, None))

    assert reads(cond("at_least", field="age", value=18)) == {"age"}
    assert reads(cond("not_before", field="program.completed", other="program.accredited_since")) == {
        "program.completed", "program.accredited_since"}
    assert reads(cond("work_hours_after", field="program.completed", hours=1000)) == {"program.completed", WORK_DATES}
    assert reads(cond("any_of", conditions=[cond("is", field="high_school", value=True),
                                            cond("work_years", years=1, within=3)])) == {"high_school", WORK_DATES}
    assert reads(cond("held", credentials=["cma"])) == set()


def test_a_military_date_given_to_the_month_is_named_as_training_not_graduation():
    plan = api.plan({"military": [{"expected": "2027-01"}]}, as_of="2026-12-15", credentials="rma")
    said = " ".join(" ".join(stretch["because"]) for stretch in plan["plans"][0]["timeline"])
    assert "the day of expected end of military training (military[0].expected)" in said
    assert "graduation" not in said


# --- an age without a birth date beside month-only dates (planner.age_as_birth_span) -------------------

# four month-only dates CMAC reads (a completion, two jobs' three ends... four), and an age: the span of
# birthdays the age means is a fifth date only for the plan's later days, never for today's answer
AGED = {"high_school": True, "programs": [{"accreditation": "none", "completed": "2026-05"}],
        "work": [{"from": "2024-01", "to": "2025-02"}, {"from": "2025-06", "to": "present"}]}


@pytest.mark.parametrize("age, status, code", [(30, ELIGIBLE, 0), (16, "not_eligible", 1)])
def test_an_age_does_not_count_towards_the_limit_nor_make_today_a_review(tmp_path, age, status, code):
    # the plan read the age's span of birthdays as a fifth month-only date and said review from today
    # ("5 dates are given only to the month (... birth (from the age given) ...)"), where
    # `eligible` (reading the age as given) said eligible or not eligible
    profile = tmp_path / "p.yaml"
    profile.write_text(json.dumps({**AGED, "age": age}))
    args = ["--profile", str(profile), "--cert", "cmac", "--as-of", "2026-11-23", "--json"]
    said = CliRunner().invoke(app, ["eligible", *args])
    planned = CliRunner().invoke(app, ["plan", *args])
    assert (said.exit_code, planned.exit_code) == (code, code), (said.output, planned.output)
    (result,) = json.loads(said.stdout)["results"]
    (plan,) = json.loads(planned.stdout)["plans"]
    assert result["status"] == plan["now"]["status"] == status
    assert (plan["now"]["route"], plan["now"]["deadline"]) == (result["route"], result["deadline"])
    assert not any("dates are given only to the month" in w for w in plan["warnings"]), plan["warnings"]
    assert plan["timeline"][0]["status"] == status


def test_an_age_beside_four_month_only_dates_is_read_at_both_ends_for_the_later_days(ruleset):
    """The plan reads the span of birthdays on top of the four month-only dates (32 readings): on each day
    it names, and the day before, its answer is what every reading given to the day says, or review."""
    from itertools import product

    from ma_cli.reasoning.engine import evaluate_credential
    from ma_cli.reasoning.planner import profile_on

    as_of, cred = date(2026, 11, 23), ruleset.credentials["cmac"]
    plan = plan_credential(cred, parse_profile({**AGED, "age": 16}), as_of)
    assert [(s.start, s.status) for s in plan.segments] == [
        (as_of, "not_eligible"), (date(2026, 11, 24), REVIEW), (date(2027, 11, 23), ELIGIBLE)]
    assert "given only as age 16 on 2026-11-23" in plan.segments[1].because[0]
    ends = {"born": ("2009-11-24", "2010-11-23"), "done": ("2026-05-01", "2026-05-31"),
            "from0": ("2024-01-01", "2024-01-31"), "to0": ("2025-02-01", "2025-02-28"),
            "from1": ("2025-06-01", "2025-06-30")}
    people = [parse_profile({"birth_date": born, "high_school": True,
                             "programs": [{"accreditation": "none", "completed": done}],
                             "work": [{"from": from0, "to": to0}, {"from": from1, "to": "present"}]})
              for born, done, from0, to0, from1 in product(*ends.values())]
    days = {s.start for s in plan.segments} | {s.start - date.resolution for s in plan.segments[1:]}
    for day in sorted(days):
        said = {evaluate_credential(cred, profile_on(p, as_of, day), day).status for p in people}
        assert _status_on(plan, day) == (said.pop() if len(said) == 1 else REVIEW), day


def test_five_month_only_dates_and_an_age_are_review_from_today_in_both():
    # the limit still holds for the month-only dates themselves: `eligible` says review, and so does the plan
    person = {**AGED, "work": [*AGED["work"][:1], {"from": "2025-06", "to": "2026-09"}], "age": 36}
    said = api.eligible(person, as_of=date(2026, 12, 15), credentials=["cmac"])["results"][0]
    (plan,) = api.plan(person, as_of=date(2026, 12, 15), credentials=["cmac"])["plans"]
    assert said["status"] == plan["now"]["status"] == REVIEW
    (why,) = plan["warnings"]
    assert why.startswith("cmac: 5 dates are given only to the month (") and "birthday" not in why


@st.composite
def aged_with_months(draw):
    """(a profile with an age and up to five month-only dates, the as-of day)."""
    as_of = draw(DAYS)
    month = st.integers(-48, 18).map(lambda n: add_months(as_of.replace(day=1), n))

    def past(m):  # (a completion or a job's start cannot be after the as-of date)
        return min(m, as_of.replace(day=1))

    data: dict = {"age": draw(st.integers(15, 40)), "high_school": draw(st.sampled_from([True, True, False]))}
    programs = []
    for _ in range(draw(st.integers(0, 2))):
        m = draw(month)
        key = "expected" if m > as_of else "completed"
        programs.append({"accreditation": draw(st.sampled_from(["caahep", "abhes", "none"])), key: f"{m:%Y-%m}"})
    data["programs"] = programs
    work = []
    for _ in range(draw(st.integers(0, 3))):
        start = past(draw(month))
        job: dict = {"from": f"{start:%Y-%m}"}
        if draw(st.booleans()):
            job["to"] = f"{max(start, past(draw(month))):%Y-%m}"
        work.append(job)
    data["work"] = work
    return data, as_of


@settings(max_examples=25, deadline=None)
@given(aged_with_months())
def test_plan_now_is_eligibles_answer_for_an_age_beside_month_only_dates(case):
    """`plan`'s `now` is today's answer as `eligible` gives it (README), whatever the month-only dates:
    the age's span of birthdays never changes it."""
    data, as_of = case
    creds = ["ccma", "cma", "cmac", "rma"]
    said = {r["credential"]: r for r in api.eligible(data, as_of=as_of, credentials=creds)["results"]}
    for p in api.plan(data, as_of=as_of, credentials=creds)["plans"]:
        r = said[p["credential"]]
        assert (p["now"]["status"], p["now"]["deadline"]) == (r["status"], r["deadline"]), (p, r)
        if p["now"]["route"] is not None:  # (null where the route turns on a date: the readings name both)
            assert p["now"]["route"] == r["route"], (p, r)
