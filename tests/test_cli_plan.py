"""`ma-cli plan` through Typer's CliRunner: sentences, JSON contract, exit codes, --assume, --ics."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ma_cli.base.errors import InputError
from ma_cli.commands.cli import app
from ma_cli.inputs.profile import parse_profile
from ma_cli.reasoning.assume import apply_assumption

runner = CliRunner()
FIXTURES = str(Path(__file__).parent / "plan_fixtures")


def run(*args):
    return runner.invoke(app, list(args), env={"COLUMNS": "250"})


def test_table_says_until_when_and_what_comes_next():
    r = run("plan", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--cert", "cma")
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())
    assert "eligible now by Category 1, recent graduate to 2027-05-15" in text
    assert "then by Category 2, nonrecent graduate from 2027-05-16" in text
    assert "Looked ahead 10 years, to 2036-11-23" in text


def test_json_contract_for_a_future_date_by_work():
    r = run("plan", "--work", "2024-10-01:present", "--high-school", "--as-of", "2026-11-23", "--json",
            "--rules", FIXTURES, "--cert", "fx-rma")
    assert r.exit_code == 1, r.output
    doc = json.loads(r.stdout)
    assert (doc["as_of"], doc["horizon"]) == ("2026-11-23", "2036-11-23")
    assert doc["assumptions"] == {"given": [], "projected": []}
    (p,) = doc["plans"]
    assert p["now"]["status"] == "not_eligible"
    assert p["earliest"]["date"] == "2029-10-01"  # issue 6: 5 years from 2024-10-01
    assert p["earliest"]["route"] == "work"
    assert p["relies_on_ongoing_work"] is True
    assert p["never_by_waiting"] is False
    assert p["summary"].startswith("eligible on 2029-10-01 by Work experience")
    assert p["summary"].endswith("if your current work continues")
    assert [(s["from"], s["to"], s["status"]) for s in p["timeline"]] == [
        ("2026-11-23", "2029-09-30", "not_eligible"), ("2029-10-01", None, "eligible")]


def test_never_by_waiting_names_the_missing_piece():
    r = run("plan", "--work", "2020-01-01:present", "--as-of", "2026-11-23", "--json", "--cert", "cma")
    assert r.exit_code == 1
    (p,) = json.loads(r.stdout)["plans"]
    assert p["never_by_waiting"] is True
    assert p["earliest"] is None
    assert any("no program in the profile" in m for m in p["missing"])
    assert "never by waiting" in p["summary"]


def test_review_now_exits_3():
    r = run("plan", "--program", "institutional", "--graduated", "2025-05-15", "--as-of", "2026-11-23",
            "--cert", "cma")
    assert r.exit_code == 3, r.output
    assert "needs review now" in " ".join(r.stdout.split())


def test_assume_what_ifs_change_the_plan():
    base = ["plan", "--work", "2024-10-01:present", "--as-of", "2026-11-23", "--json", "--cert", "cma"]
    r = run(*base, "--assume", "program: caahep, completed 2027-06")
    doc = json.loads(r.stdout)
    assert doc["assumptions"]["given"] == ["program: caahep, completed 2027-06"]
    # a what-if given only to the month is answered on each day it can mean: completing on 2027-06-30,
    # a completing student may apply from 30 days before, 2027-05-31 (2027-05-02 for 2027-06-01 only)
    assert doc["assumptions"]["projected"] == ["caahep program, completed in 2027-06 as expected"]
    assert doc["plans"][0]["earliest"]["date"] == "2027-05-31"
    assert doc["plans"][0]["earliest"]["route"] == "cat1-student"
    r = run(*base, "--assume", "program: caahep, completed 2027-06-01")
    assert json.loads(r.stdout)["plans"][0]["earliest"]["date"] == "2027-05-02"
    r2 = run("plan", "--high-school", "--as-of", "2026-11-23", "--json", "--rules", FIXTURES, "--cert", "fx-ccma",
             "--assume", "work: 20h/week from 2027-01-01")
    assert json.loads(r2.stdout)["plans"][0]["earliest"]["date"] == "2029-01-01"  # half time: one year on the second anniversary


def test_bad_assume_is_one_line_naming_the_flag_and_forms():
    for text in ("work: 20 hours from 2027-01", "job: full-time from 2027", "program: caahep"):
        r = run("plan", "--as-of", "2026-11-23", "--assume", text)
        assert r.exit_code == 2
        assert r.stderr.startswith(f"ma-cli: error: --assume '{text}'")
        assert "expected 'work: 20h/week from 2027-01" in r.stderr
        assert "Traceback" not in r.output
    r = run("plan", "--as-of", "2026-11-23", "--assume", "work: 20h/week from 2027-13")
    assert r.exit_code == 2 and "'2027-13' is not a real calendar date" in r.stderr


def test_a_skills_what_if_says_each_skill_once():
    person = parse_profile({"skills": {"venipunctures": 5, "ekgs": 2}})
    day = date(2026, 11, 23)
    after = apply_assumption(person, "skills: venipunctures 30, capillary_sticks 10", day)
    assert (after.skills.venipunctures, after.skills.capillary_sticks, after.skills.ekgs) == (30, 10, 2)
    for twice, skill, counts in (("skills: venipunctures 10, venipunctures 40", "venipunctures", "('10', then '40')"),
                                 ("skills: ekgs 3, capillary_sticks 1, EKGS 3", "ekgs", "('3', then '3')")):
        with pytest.raises(InputError) as caught:
            apply_assumption(person, twice, day)
        assert str(caught.value) == (f"--assume '{twice}': {skill} given twice {counts}; expected each skill once "
                                     f"in a what-if")


def test_ics_has_the_key_dates(tmp_path):
    out = tmp_path / "plan.ics"
    r = run("plan", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--cert", "cma",
            "--ics", str(out))
    assert r.exit_code == 0
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20270516" in text  # Category 2 from
    # the last day of Category 1 is a route change, not the last day of eligibility: no "last day" event
    assert "DTSTART;VALUE=DATE:20270515" not in text and "last day" not in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ics"]  # no temporary file left behind


def test_ics_uids_hold_the_profile_id_and_never_the_date(tmp_path):
    # cma-plan-from-20270410@ma-cli changed with the expected date: a re-import added a second event
    got = {}
    for pid, expected in (("s-1", "2027-05-10"), ("s-1", "2027-06-20"), ("s-2", "2027-05-10")):
        prof = tmp_path / "p.yaml"
        prof.write_text(f"id: {pid}\nprograms:\n  - {{accreditation: caahep, expected: {expected}}}\n")
        out = tmp_path / "plan.ics"
        r = run("plan", "--profile", str(prof), "--as-of", "2026-11-23", "--cert", "cma", "--ics", str(out))
        assert r.exit_code in (0, 1, 3), r.output
        got[pid, expected] = [line for line in out.read_text().replace("\r\n ", "").splitlines() if line.startswith("UID:")]
    assert got["s-1", "2027-05-10"] and got["s-1", "2027-05-10"] == got["s-1", "2027-06-20"]
    assert all(uid.startswith("UID:s-1-cma-from-") for uid in got["s-1", "2027-05-10"])
    assert got["s-2", "2027-05-10"] == [uid.replace("s-1", "s-2") for uid in got["s-1", "2027-05-10"]]
    out = tmp_path / "flags.ics"
    assert run("plan", "--program", "caahep", "--expected", "2027-05-10", "--as-of", "2026-11-23", "--cert", "cma",
               "--ics", str(out)).exit_code in (0, 1, 3)
    # without an id: the credential and what the event is alone
    assert "UID:cma-from-eligible-cat1-student@ma-cli" in out.read_text()


def ics_events(path) -> dict[str, tuple[str, str]]:
    """UID -> (DTSTART, SUMMARY) of each event of a calendar file."""
    events, uid, start = {}, None, None
    for line in path.read_text().replace("\r\n ", "").splitlines():
        key, _, value = line.partition(":")
        if key == "UID":
            uid = value
        elif key == "DTSTART;VALUE=DATE":
            start = value
        elif key == "SUMMARY":
            events[uid] = (start, value)
    return events


def plan_ics_of(tmp_path, name, expected, as_of):
    prof = tmp_path / f"{name}.yaml"
    prof.write_text(f"id: s-1\nprograms:\n  - accreditation: caahep\n    expected: {expected}\n")
    out = tmp_path / f"{name}.ics"
    r = run("plan", "--profile", str(prof), "--cert", "cma", "--as-of", as_of, "--ics", str(out))
    assert r.exit_code in (0, 1, 3), r.output
    return ics_events(out)


def test_ics_uids_name_what_the_event_is_not_its_place(tmp_path):
    # a UID once counted the events from the as-of day (s-1-cma-plan-from-1, -2, -3): a file made on a later
    # day, with the first change behind it, renumbered them, so importing it left Category 2 twice and
    # each surviving UID on another event
    a1 = plan_ics_of(tmp_path, "a1", "2027-05-10", "2026-11-23")
    a3 = plan_ics_of(tmp_path, "a3", "2027-05-10", "2027-04-15")
    assert list(a1) == ["s-1-cma-from-eligible-cat1-student@ma-cli", "s-1-cma-from-eligible-cat1-graduate@ma-cli",
                        "s-1-cma-from-eligible-cat2-nonrecent@ma-cli"]
    assert [a1[uid][0] for uid in a1] == ["20270410", "20270510", "20280511"]
    assert a3 == {uid: a1[uid] for uid in list(a1)[1:]}  # the events they share: the same UIDs, dates, words
    # a moved date keeps its UID: the same events a month later
    moved = plan_ics_of(tmp_path, "moved", "2027-06-10", "2026-11-23")
    assert list(moved) == list(a1)
    assert [moved[uid][0] for uid in moved] == ["20270511", "20270610", "20280611"]
    # a date given only to the month and later to the day: the events both files have keep their UIDs
    month = plan_ics_of(tmp_path, "month", "2027-05", "2026-11-23")
    day = plan_ics_of(tmp_path, "day", "2027-05-31", "2026-11-23")
    assert list(month) == ["s-1-cma-from-review@ma-cli", "s-1-cma-from-eligible-cat1-graduate-or-cat1-student@ma-cli",
                           "s-1-cma-from-eligible-cat1-graduate@ma-cli",
                           "s-1-cma-from-eligible-cat2-nonrecent-or-cat1-graduate@ma-cli",
                           "s-1-cma-from-eligible-cat2-nonrecent@ma-cli"]
    assert list(day) == ["s-1-cma-from-eligible-cat1-student@ma-cli", "s-1-cma-from-eligible-cat1-graduate@ma-cli",
                         "s-1-cma-from-eligible-cat2-nonrecent@ma-cli"]
    assert {uid: (month[uid][0], day[uid][0]) for uid in set(month) & set(day)} == {
        "s-1-cma-from-eligible-cat1-graduate@ma-cli": ("20270531", "20270531"),
        "s-1-cma-from-eligible-cat2-nonrecent@ma-cli": ("20280601", "20280601")}


def test_ics_last_day_is_the_end_of_eligibility(tmp_path):
    # RMA: a 2022-05-15 graduate is eligible through 2026-05-14 (the 4-year window), then not at all
    out = tmp_path / "plan.ics"
    r = run("plan", "--program", "caahep", "--graduated", "2022-05-15", "--as-of", "2026-01-10", "--cert", "rma",
            "--ics", str(out))
    assert r.exit_code == 0
    text = out.read_bytes().decode("utf-8").replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20260514" in text
    assert "SUMMARY:RMA (AMT): last day eligible\\, by" in text and "(apply by this day)" in text
    assert "DTSTART;VALUE=DATE:20260515" in text and "no longer eligible" in text
    assert "UID:rma-last-eligible-education@ma-cli" in text and "UID:rma-from-not-eligible@ma-cli" in text


def test_ics_counts_only_events_that_are_the_same_thing():
    # a second review stretch is the one event whose meaning an earlier one shares: it alone has a count
    from ma_cli.output.render_plan import plan_ics
    from ma_cli.reasoning.planner import ELIGIBLE, NOT_ELIGIBLE, REVIEW, Plan, Segment

    days = [date(2027, m, 1) for m in range(1, 7)]
    stretches = [(NOT_ELIGIBLE, None), (REVIEW, None), (NOT_ELIGIBLE, None), (REVIEW, None), (ELIGIBLE, "cat1-x"),
                 (NOT_ELIGIBLE, None)]
    segments = tuple(Segment(day, days[i + 1] - timedelta(days=1) if i + 1 < len(days) else None, status, route,
                             route and "Category 1", ())
                     for i, (day, (status, route)) in enumerate(zip(days, stretches)))
    plan = Plan("cma", "CMA (AAMA)", days[0], date(2037, 1, 1), None, segments, (), (), False)
    text = plan_ics(days[0], [plan], "a/b")
    assert [line for line in text.splitlines() if line.startswith("UID:")] == [
        "UID:a%2Fb-cma-from-review@ma-cli", "UID:a%2Fb-cma-from-not-eligible@ma-cli",
        "UID:a%2Fb-cma-from-review-2@ma-cli", "UID:a%2Fb-cma-from-eligible-cat1-x@ma-cli",
        "UID:a%2Fb-cma-last-eligible-cat1-x@ma-cli", "UID:a%2Fb-cma-from-not-eligible-2@ma-cli"]


def test_ics_with_no_key_date_is_written_empty_and_says_so(tmp_path):
    # a nonrecent graduate is eligible for CMA for good: nothing to put in a calendar
    out = tmp_path / "plan.ics"
    r = run("plan", "--program", "caahep", "--graduated", "2020-05-15", "--as-of", "2026-11-23", "--cert", "cma",
            "--ics", str(out))
    assert r.exit_code == 0, r.output
    assert "BEGIN:VEVENT" not in out.read_text() and out.read_text().startswith("BEGIN:VCALENDAR")
    assert r.stderr == (f"ma-cli: note: --ics {out}: no answer changes before 2036-11-23, so the calendar holds "
                        "no events\n")
    assert "eligible now by Category 2" in " ".join(r.stdout.split())  # the table is printed as ever


def test_ics_with_key_dates_says_nothing_on_stderr(tmp_path):
    r = run("plan", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--cert", "cma",
            "--ics", str(tmp_path / "plan.ics"))
    assert r.exit_code == 0 and r.stderr == ""


def test_ics_into_a_missing_folder_is_bad_input(tmp_path):
    r = run("plan", "--as-of", "2026-11-23", "--ics", str(tmp_path / "no" / "plan.ics"))
    assert r.exit_code == 2
    assert r.stderr.startswith(f"ma-cli: error: --ics: '{tmp_path}/no/plan.ics' is in folder '{tmp_path}/no', which is not found")


def test_profile_file_and_flags_together_are_refused(tmp_path):
    person = tmp_path / "p.yaml"
    person.write_text("programs: [{accreditation: caahep, completed: 2026-05-15}]\n")
    r = run("plan", "--profile", str(person), "--as-of", "2026-11-23", "--cert", "cma", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["plans"][0]["now"]["route"] == "cat1-graduate"
    r = run("plan", "--profile", str(person), "--age", "30")
    assert r.exit_code == 2 and "cannot be combined" in r.stderr


def test_as_of_too_late_to_look_ahead_is_bad_input():
    r = run("plan", "--as-of", "9995-01-01")
    assert r.exit_code == 2 and "is out of range (expected a year from 1900 to 2199)" in r.stderr


def test_review_stretches_say_from_and_to():
    # CCMA's provisional route 3-12 months before a diploma is a review; the training route closes 2027-03-01
    base = ["plan", "--program", "none", "--graduated", "2022-03-01", "--no-high-school",
            "--assume", "high-school: 2027-09-01", "--cert", "ccma", "--json"]
    later = json.loads(run(*base, "--as-of", "2026-06-15").stdout)["plans"][0]
    assert later["summary"] == "not eligible now; needs review from 2026-09-01 to 2027-03-01 (Training program)"
    assert later["earliest_review"]["date"] == "2026-09-01"
    now = json.loads(run(*base, "--as-of", "2026-11-23").stdout)["plans"][0]
    assert now["summary"] == "needs review now (Training program) to 2027-03-01; not eligible from 2027-03-02"


def test_assume_a_diploma_date():
    base = ["plan", "--no-high-school", "--work", "2024-01-01:present", "--cert", "ccma", "--as-of", "2026-11-23",
            "--json"]
    without = json.loads(run(*base).stdout)["plans"][0]
    assert without["never_by_waiting"] is True
    assert any("high school" in m.lower() for m in without["missing"])
    with_diploma = json.loads(run(*base, "--assume", "high-school: 2027-06-01").stdout)["plans"][0]
    # before the diploma the provisional route is a review ("within a few months" is no number): eligible on it
    assert with_diploma["earliest"]["date"] == "2027-06-01"
    assert with_diploma["earliest_review"]["date"] == "2026-11-23"
    # a diploma month: eligible once every day it can mean has passed, review on the days between
    in_month = json.loads(run(*base, "--assume", "high-school: 2027-06").stdout)["plans"][0]
    assert in_month["earliest"]["date"] == "2027-06-30"
    assert any("given only as 2027-06" in w for w in in_month["warnings"])
    r = run(*base, "--assume", "high-school: 2027-13")
    assert r.exit_code == 2 and "'2027-13' is not a real calendar date" in r.stderr


def test_explain_gives_the_engine_answer_on_each_change_day():
    base = ["plan", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--cert", "cma"]
    (p,) = json.loads(run(*base, "--json", "--explain").stdout)["plans"]
    answers = [seg["answer"] for seg in p["timeline"]]
    assert [(a["status"], a["route"]) for a in answers] == [("eligible", "cat1-graduate"), ("eligible", "cat2-nonrecent")]
    second = run("eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2027-05-16", "--cert",
                 "cma", "--json", "--explain")
    assert answers[1] == json.loads(second.stdout)["results"][0]
    assert "answer" not in json.loads(run(*base, "--json").stdout)["plans"][0]["timeline"][0]
    table = run(*base, "--explain").stdout
    assert "CMA (AAMA) from 2027-05-16" in table and "saw: program.completed = 2026-05-15" in table


def test_explain_answers_carry_eligible_until_as_eligible_does():
    base = ["--program", "caahep", "--graduated", "2022-05-15", "--cert", "rma", "--json", "--explain"]
    (p,) = json.loads(run("plan", *base, "--as-of", "2026-01-10").stdout)["plans"]
    first = p["timeline"][0]["answer"]
    assert first["eligible_until"] == "2026-05-14" == p["eligible_until"]
    assert first == json.loads(run("eligible", *base, "--as-of", "2026-01-10").stdout)["results"][0]


def test_plan_looks_no_further_than_the_last_day_a_date_is_read_on():
    # 2200-01-01 is refused by `eligible --as-of`: a plan naming it could not be checked
    r = run("plan", "--program", "caahep", "--graduated", "2199-01-15", "--as-of", "2199-06-01", "--cert", "cma", "--json")
    doc = json.loads(r.stdout)
    assert doc["horizon"] == "2199-12-31"
    assert all(s["from"] <= "2199-12-31" and (s["to"] or "") <= "2199-12-31" for s in doc["plans"][0]["timeline"])
    table = run("plan", "--program", "caahep", "--graduated", "2199-01-15", "--as-of", "2199-06-01", "--cert", "cma")
    assert "Looked ahead to 2199-12-31, the last day ma-cli reads a date on." in " ".join(table.stdout.split())


def test_ics_after_review_only_never_says_no_longer_eligible(tmp_path):
    """A plan that is review and then not eligible, never eligible, wrote 'no longer eligible' in the calendar."""
    profile = tmp_path / "p.yaml"
    profile.write_text("programs: [{accreditation: caahep, completed: 2026-05-15}]\nage: 30\nhigh_school: true\n"
                       "failed_attempts: {ccma: 3}\nlast_attempt: {ccma: 2026-10-01}\n")
    out = tmp_path / "plan.ics"
    r = run("plan", "--profile", str(profile), "--as-of", "2026-10-05", "--cert", "ccma", "--ics", str(out))
    text = out.read_text(encoding="utf-8").replace("\r\n ", "")
    assert r.exit_code == 1 and "needs review from today" in text
    assert "no longer eligible" not in text and "not eligible from today" in text


RETESTER = ("programs: [{accreditation: caahep, completed: 2026-11-01}]\nage: 30\nhigh_school: true\n"
            "failed_attempts: {ccma: 1}\nlast_attempt: {ccma: 2031-10-20}\n")


def test_missing_names_the_window_that_closes_before_the_retest_wait_ends(tmp_path):
    # CCMA: the five-year training window holds on 2031-10-25 but closes on 2031-11-01, before the 30-day
    # retest wait ends (2031-11-19). The wait comes by waiting, so it is not what is missing: the closing is.
    profile = tmp_path / "w1.yaml"
    profile.write_text(RETESTER)
    r = run("plan", "--profile", str(profile), "--cert", "ccma", "--as-of", "2031-10-25", "--json")
    (p,) = json.loads(r.stdout)["plans"]
    assert p["never_by_waiting"] is True
    assert p["missing"] == [
        "Completed within the last five years closes on 2031-11-01, before Thirty days since the last failed "
        "attempt before a retest (NHA's own page) opens on 2031-11-19 — Training program",
        "One year of supervised medical assisting work in the last three years (no work history given)"
        " — Supervised work experience",
        "no military in the profile — Military training"]
    # once the window has closed, it is named as the condition that fails (a closed window does not wait)
    r = run("plan", "--profile", str(profile), "--cert", "ccma", "--as-of", "2032-01-25", "--json")
    assert json.loads(r.stdout)["plans"][0]["missing"][0] == (
        "Completed within the last five years (program.completed = 2026-11-01; window 2026-11-01 to 2031-11-01 "
        "closed) — Training program")


def test_missing_leaves_out_what_time_brings():
    # CPT at 17 with a diploma expected: the high-school window and the age come with time; the skills not given,
    # the program's field and the work do not
    r = run("plan", "--program", "caahep", "--graduated", "2026-11-01", "--age", "17", "--high-school-expected",
            "2028-06-15", "--cert", "cpt", "--as-of", "2026-12-01", "--json")
    (p,) = json.loads(r.stdout)["plans"]
    assert p["never_by_waiting"] is True
    assert p["missing"] == [
        "At least 30 documented successful venipunctures on live people: skills.venipunctures = not given",
        "At least 10 documented successful capillary or finger sticks on live people: skills.capillary_sticks = not given",
        "A phlebotomy technician program (program.field = medical-assisting) — Training program",
        "One year of supervised phlebotomy work in the last three years (no work history given) — Supervised work experience",
        "Two years of supervised phlebotomy work in the last five years (no work history given)"
        " — Supervised work experience, two years in five"]


def test_plan_assumes_the_diploma_and_the_birthdays_and_names_the_diploma_the_day_it_comes():
    r = run("plan", "--program", "caahep", "--graduated", "2026-11-01", "--age", "17", "--high-school-expected",
            "2028-06-15", "--cert", "ccma", "--as-of", "2026-12-01", "--json")
    doc = json.loads(r.stdout)
    assert doc["assumptions"]["projected"] == [
        "age 17 on 2026-12-01, a year older on each birthday (the next from 2026-12-02 to 2027-12-01)",
        "high school diploma or GED on 2028-06-15 as expected"]
    (p,) = doc["plans"]
    # the high-school requirement held on the provisional window (low confidence: review) and holds on the
    # diploma from 2028-06-15 (eligible): its status is the same, its sureness is not
    hs = "A high school diploma or GED, or graduating from high school soon (provisional)"
    assert p["earliest"]["date"] == "2028-06-15" and p["earliest"]["because"] == [hs]
    assert [(t["from"], t["because"]) for t in p["timeline"]][2] == ("2028-06-15", [hs])
    text = " ".join(run("plan", "--program", "caahep", "--graduated", "2026-11-01", "--age", "17",
                        "--high-school-expected", "2028-06", "--cert", "ccma", "--as-of", "2026-12-01").stdout.split())
    assert "high school diploma or GED in 2028-06 as expected" in text


def test_missing_never_names_a_completion_that_comes_with_time(tmp_path):
    """A program expected on 2027-05-10 is completed then (the plan assumes it): what asks for its completion
    (CMA's windows after graduating, CCMA's completion date) is not missing; what time cannot bring is."""
    profile = tmp_path / "p.yaml"
    profile.write_text("programs: [{accreditation: caahep, expected: 2027-05-10}]\nfailed_attempts: {cma: 3}\n"
                       "high_school: false\n")
    r = run("plan", "--profile", str(profile), "--as-of", "2026-11-23", "--cert", "cma", "--cert", "ccma", "--json")
    plans = {p["credential"]: p for p in json.loads(r.stdout)["plans"]}
    for cred, blocker in (("cma", "failed_attempts.cma = 3"), ("ccma", "high_school = no")):
        missing = " | ".join(plans[cred]["missing"])
        assert plans[cred]["never_by_waiting"] and blocker in missing
        assert "program.completed = not given" not in missing, missing


@pytest.mark.parametrize("as_of, words", [
    # born from 2011-03-01 to 2012-02-29: the latest is 17 on 2029-03-01 (not 2029-02-28, a year after)
    ("2028-02-29", "(the next from 2028-03-01 to 2029-03-01)"),
    # born from 2011-03-01 to 2012-02-28: nobody 16 on 2028-02-28 has a birthday on 2028-02-29
    ("2028-02-28", "(the next from 2028-03-01 to 2029-02-28)"),
    ("2027-03-01", "(the next from 2027-03-02 to 2028-03-01)"),
])
def test_the_next_birthday_of_an_age_is_counted_as_birthdays_are(as_of, words):
    r = run("plan", "--age", "16", "--work", "2026-01-01..present", "--high-school", "--cert", "cmac",
            "--as-of", as_of, "--json")
    doc = json.loads(r.stdout)
    (age,) = [a for a in doc["assumptions"]["projected"] if a.startswith("age 16")]
    assert age == f"age 16 on {as_of}, a year older on each birthday {words}"
    # the timeline is eligible from the latest 17th birthday: the last day the words name
    (p,) = doc["plans"]
    assert p["timeline"][-1]["status"] == "eligible" and p["timeline"][-1]["from"] == words[-11:-1]


@pytest.mark.parametrize("assume, flags", [
    # a what-if's number is read as the flag's: these were "not understood"
    ("skills: venipunctures 30.0, capillary_sticks 10", ["--venipunctures", "30.0", "--capillary-sticks", "10"]),
    ("work: +20h/week from 2025-01-01 as phlebotomy-technician", ["--work", "phlebotomy-technician:2025-01-01..present@+20"]),
    ("work: 5.h/week from 2025-01-01 as phlebotomy-technician", ["--work", "phlebotomy-technician:2025-01-01..present@5."]),
])
def test_a_what_if_reads_numbers_as_the_flags_do(assume, flags):
    base = ["plan", "--age", "25", "--cert", "cpt", "--cert", "ncpt", "--as-of", "2026-11-23", "--json"]
    with_assume, with_flags = run(*base, "--assume", assume), run(*base, *flags)
    assert with_assume.exit_code == with_flags.exit_code, with_assume.output
    plans = [[(p["credential"], p["now"]["status"], p["timeline"]) for p in json.loads(r.stdout)["plans"]]
             for r in (with_assume, with_flags)]
    assert plans[0] == plans[1]
