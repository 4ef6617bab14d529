"""`ma-cli eligible` through Typer's CliRunner: output, JSON contract, exit codes, bad input."""

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from ma_cli.commands.cli import app
from ma_cli.inputs.profile import parse_profile

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def test_table_names_route_and_deadline():
    r = run("eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--cert", "cma")
    assert r.exit_code == 0, r.output
    assert "Category 1, recent graduate" in r.stdout
    assert "2027-05-15" in r.stdout


def test_json_contract():
    r = run("eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--json",
            "--cert", "cma")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["as_of"] == "2026-11-23"
    (res,) = doc["results"]
    assert res["credential"] == "cma"
    assert res["status"] == "eligible"
    assert res["route"] == "cat1-graduate"
    assert res["deadline"] == "2027-05-15"
    assert res["reasons"] and all(isinstance(x, str) for x in res["reasons"])
    assert "https://www.aama-ntl.org/cma-aama-exam/eligibility" in res["sources"]


def test_explain_json_has_trace_with_every_route():
    r = run("eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--json",
            "--explain", "--cert", "cma")
    res = json.loads(r.stdout)["results"][0]
    ids = [route["id"] for route in res["trace"]]
    assert ids == ["cat1-student", "cat1-graduate", "cat2-nonrecent", "cat3-recertificant", "cat4-alternative",
                   "cat1-student-date-passed"]
    assert all("conditions" in route for route in res["trace"])


def test_explain_table_shows_sources():
    r = run("eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--explain",
            "--cert", "cma")
    assert "source: https://www.aama-ntl.org/cma-aama-exam/eligibility" in r.stdout
    assert "saw: program.completed = 2026-05-15" in r.stdout


def test_not_eligible_exits_1():
    r = run("eligible", "--work", "2024-10-01:present", "--as-of", "2026-11-23", "--cert", "cma")
    assert r.exit_code == 1


def test_review_exits_3():
    r = run("eligible", "--program", "institutional", "--graduated", "2025-06-01", "--as-of", "2026-11-23",
            "--cert", "cma")
    assert r.exit_code == 3, r.output


def test_profile_file(tmp_path):
    p = tmp_path / "person.yaml"
    p.write_text("id: s-0042\nprograms:\n  - accreditation: caahep\n    completed: 2026-05-15\n")
    r = run("eligible", "--profile", str(p), "--as-of", "2026-11-23", "--json", "--cert", "cma")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["profile_id"] == "s-0042"


def test_month_only_dates_are_accepted():
    r = run("eligible", "--program", "caahep", "--graduated", "2025-05", "--as-of", "2026-11-23", "--json",
            "--cert", "cma")
    assert json.loads(r.stdout)["results"][0]["route"] == "cat2-nonrecent"


@pytest.mark.parametrize("args, message", [
    (["--program", "caahep", "--graduated", "2021-13-01"], "--graduated: '2021-13-01' is not a real calendar date"),
    (["--program", "caahep", "--graduated", "31/12/2021"], "is not a date (expected YYYY-MM-DD or YYYY-MM)"),
    (["--program", "cahep", "--graduated", "2021-05-01"], "did you mean 'caahep'?"),
    (["--program", "caahep", "--graduated", "2021-05-01", "--cert", "cmx"], "'cmx' is not a known credential"),
    (["--program", "caahep"], "--program needs --graduated DATE or --expected DATE"),
    (["--program", "caahep", "--graduated", "2021-05-01", "--expected", "2027-01-01"], "give one or the other"),
    (["--work", "2023-01-01:2022-01-01"], "--work '2023-01-01:2022-01-01': TO is before FROM"),
    (["--work", "2023-01-01"], "expected FROM..TO"),
    (["--work", "2023-01-01..2022-01-01"], "--work '2023-01-01..2022-01-01': TO is before FROM"),
    (["--work", "2023-01..present@lots"], "--work '2023-01..present@lots' @HOURS: 'lots' is not a number (expected a number more than 0, at most 168"),
    (["--as-of", "tomorrow"], "--as-of: 'tomorrow' is not a date"),
    (["--bogus"], "No such option"),
])
def test_bad_input_is_one_line_exit_2(args, message):
    r = run("eligible", *args)
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("ma-cli: error:")
    assert message in lines[0]
    assert "Traceback" not in r.output
    assert r.stdout == ""


@pytest.mark.parametrize("text, message", [
    ("- just\n- a list\n", "expected a mapping"),
    ("programs:\n  - accreditation: caahep\n    completed: 2026-05-15\n    hours: 3\n",
     "programs[0]: unknown key 'hours'"),
    ("progams: []\n", "did you mean 'programs'?"),
    ("programs: [{accreditation: caahep, completed: 2026-05-15, expected: 2027-01-01}]\n",
     "give either 'completed' or 'expected', not both"),
    ("age: -3\n", "age: -3 is negative"),
    ("a: [1, 2\n", "not valid YAML"),
    ("!!python/object/apply:os.system ['echo hacked']\n", "the tag '!!python/object/apply:os.system' is not allowed"),
    ("id: 1\nid: 2\n", "duplicate key 'id'"),
])
def test_bad_profile_file(tmp_path, text, message):
    p = tmp_path / "p.yaml"
    p.write_text(text)
    r = run("eligible", "--profile", str(p), "--as-of", "2026-11-23")
    assert r.exit_code == 2, r.output
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert str(p) in r.stderr


def test_missing_profile_file(tmp_path):
    r = run("eligible", "--profile", str(tmp_path / "nope.yaml"))
    assert r.exit_code == 2
    assert r.stderr == (f"ma-cli: error: --profile: '{tmp_path}/nope.yaml' is not found (expected a profile file, "
                        f"or - for standard input)\n")


def test_deadline_words_come_from_the_route():
    """AMCA's one-year window runs to passing the exam, not to applying; the rule file says so."""
    r = run("eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--json",
            "--cert", "cmac", "--cert", "cma")
    by_cred = {res["credential"]: res for res in json.loads(r.stdout)["results"]}
    assert by_cred["cmac"]["deadline_says"] == "pass the exam by"
    assert by_cred["cma"]["deadline_says"] == "apply by"
    table = run("eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23",
                "--cert", "cmac").stdout
    assert "pass the exam by 2027-05-15" in table


def test_no_deadline_means_no_deadline_words():
    r = run("eligible", "--program", "caahep", "--graduated", "2001-06-01", "--as-of", "2026-11-23", "--json",
            "--cert", "cma")
    res = json.loads(r.stdout)["results"][0]
    assert res["deadline"] is None and res["deadline_says"] is None


def test_eligible_until_in_json_and_table():
    # RMA: a 2022-05-15 CAAHEP graduate stays eligible through 2026-05-14 (4 years), then not at all;
    # CMA: Category 1 has closed, Category 2 has no end
    base = ["eligible", "--program", "caahep", "--graduated", "2022-05-15", "--cert", "rma", "--cert", "cma",
            "--as-of", "2026-01-10"]
    results = {r["credential"]: r for r in json.loads(run(*base, "--json").stdout)["results"]}
    assert results["rma"]["eligible_until"] == "2026-05-14" and results["cma"]["eligible_until"] is None
    table = run(*base).stdout
    assert "eligible until 2026-05-14" in table and "no end within 10 years" in table
    # not eligible today: no last day
    after = json.loads(run(*base[:-1], "2026-05-15", "--json").stdout)["results"]
    assert [r["eligible_until"] for r in after if r["credential"] == "rma"] == [None]


@pytest.mark.parametrize("work, first_to, last_from", [
    ({"from": "2024-01-15", "to": "2024-01"}, date(2024, 1, 15), None),  # TO: one of January's days from the 15th
    ({"from": "2024-01-31", "to": "2024-01"}, date(2024, 1, 31), None),
    ({"from": "2024-01", "to": "2024-01-10"}, None, date(2024, 1, 10)),  # FROM: one of January's days to the 10th
    ({"from": "2024-01", "to": "2024-01"}, date(2024, 1, 1), date(2024, 1, 31)),
])
def test_a_work_period_in_one_month_given_partly_to_the_month_is_read_in_order(work, first_to, last_from):
    person = parse_profile({"work": [work]})
    ends = {v.path[-1]: v for v in person.vague}
    job = person.work[0]
    assert job.start <= job.end
    if first_to is not None:
        assert ends["to"].first == job.end == first_to and ends["to"].last == date(2024, 1, 31)
    if last_from is not None:
        assert ends["from"].first == job.start == date(2024, 1, 1) and ends["from"].last == last_from


@pytest.mark.parametrize("spec", ["2024-01-15..2024-01", "2024-01..2024-01-10", "2024-01..2024-01"])
def test_work_flag_in_one_month_is_read_as_a_profile_is(spec):
    r = runner.invoke(app, ["eligible", "--work", spec, "--as-of", "2026-11-23", "--cert", "ccma", "--json"])
    assert r.exit_code == 1, r.output
    assert json.loads(r.stdout)["results"][0]["status"] == "not_eligible"


@pytest.mark.parametrize("expected", ["2027-06", "2027-06-15", "2026-12-01"])
def test_an_expected_diploma_flag_answers_as_the_profile_field(tmp_path, expected):
    """--no-high-school says none is expected: a student working toward a diploma (CMAC's "in pursuit of",
    NHA's provisional routes) had no flag and was a plain no; --high-school-expected is the profile's date."""
    p = tmp_path / "person.yaml"
    p.write_text(f"age: 17\nhigh_school: {expected}\nprograms:\n  - accreditation: none\n    completed: 2025-12-01\n")
    by_file = run("eligible", "--profile", str(p), "--as-of", "2026-11-23", "--json", "--cert", "cmac,ccma,cpt")
    by_flag = run("eligible", "--age", "17", "--high-school-expected", expected, "--program", "none",
                  "--graduated", "2025-12-01", "--as-of", "2026-11-23", "--json", "--cert", "cmac,ccma,cpt")
    assert by_flag.exit_code == by_file.exit_code
    assert json.loads(by_flag.stdout) == json.loads(by_file.stdout)
    assert json.loads(by_flag.stdout)["results"][0]["status"] == "eligible"  # CMAC: working toward one
    none = run("eligible", "--age", "17", "--no-high-school", "--program", "none", "--graduated", "2025-12-01",
               "--as-of", "2026-11-23", "--json", "--cert", "cmac")
    assert json.loads(none.stdout)["results"][0]["status"] == "not_eligible"


def test_a_null_field_or_role_is_its_default(tmp_path):
    """null in a profile means not given, as everywhere else: a program's `field` and a job's `role` take
    their defaults (they were refused: "nothing is not known")."""
    p, q = tmp_path / "null.yaml", tmp_path / "left-out.yaml"
    p.write_text("programs: [{accreditation: caahep, completed: 2026-05-15, field: null}]\n"
                 "work: [{role: null, from: 2025-01-01, to: present}]\n")
    q.write_text("programs: [{accreditation: caahep, completed: 2026-05-15}]\nwork: [{from: 2025-01-01, to: present}]\n")
    answers = [run("eligible", "--profile", str(f), "--as-of", "2026-11-23", "--json") for f in (p, q)]
    assert answers[0].exit_code == answers[1].exit_code == 0
    assert json.loads(answers[0].stdout)["results"] == json.loads(answers[1].stdout)["results"]
