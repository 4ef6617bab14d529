"""`ma-cli rules list|show|test`, dated versions through the CLI, and which rule set answered."""

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ma_cli.commands.cli import app
from rule_copies import rule_folder

runner = CliRunner()
FIXTURES = Path(__file__).parent / "rule_fixtures"
VERSIONS = FIXTURES / "versions"
# the bundled files' version, as rules/cma.yaml says it (every bundled file is bumped together)
BUNDLED = yaml.safe_load((Path(__file__).parents[1] / "rules" / "cma.yaml").read_text())["version"]


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_rules_test_runs_the_bundled_cases():
    r = run("rules", "test")
    assert r.exit_code == 0, r.stdout
    summary = r.stdout.strip().splitlines()[-1]
    files = [p for folder in ("cases", "renew_cases") for p in (Path(__file__).parent / folder).glob("*.yaml")]
    n = sum(len(yaml.safe_load(p.read_text()) or []) for p in files)
    assert summary.startswith(f"{n} cases: {n} passed, 0 failed. Rules: bundled version ")


def test_dated_versions_cases_pass_with_the_fixture_rules():
    r = run("rules", "test", "--rules", VERSIONS, FIXTURES / "versions_cases.yaml")
    assert r.exit_code == 0, r.stdout
    assert r.stdout.startswith("8 cases: 8 passed, 0 failed.")


@pytest.mark.parametrize("as_of, status, route, deadline", [
    ("2019-06-01", "not_eligible", None, None),     # older 12-month window closed on 2019-05-15
    ("2019-05-15", "eligible", "graduate", "2019-05-15"),
    ("2020-03-01", "eligible", "graduate", "2020-05-15"),  # newer 24-month window
])
def test_as_of_evaluates_the_versions_in_force_then(as_of, status, route, deadline):
    r = run("eligible", "--rules", VERSIONS, "--cert", "demo", "--program", "caahep", "--graduated", "2018-05-15",
            "--age", "18", "--as-of", as_of, "--json")
    (res,) = json.loads(r.stdout)["results"]
    assert (res["status"], res["route"], res["deadline"]) == (status, route, deadline)


def test_explain_trace_lists_only_the_condition_version_in_force():
    r = run("eligible", "--rules", VERSIONS, "--cert", "demo", "--program", "caahep", "--graduated", "2018-05-15",
            "--age", "18", "--as-of", "2020-03-01", "--json", "--explain")
    res = json.loads(r.stdout)["results"][0]
    graduate = next(t for t in res["trace"] if t["id"] == "graduate")
    assert [c["says"] for c in graduate["conditions"]] == ["A CAAHEP-accredited program",
                                                            "Applies within 24 months of graduating"]
    assert [c["says"] for c in res["requires"]] == ["At least 17 years old"]


def test_output_names_rule_set_and_file_versions():
    r = run("eligible", "--rules", VERSIONS, "--age", "30", "--as-of", "2026-11-23", "--json")
    assert json.loads(r.stdout)["rules"] == (f"bundled version {BUNDLED} (ccma, cet, cma, cmaa, cmac, cmas, coa, cpt, ncet, ncma, ncpt, pbt, rma, rpt) + "
                                             f"{VERSIONS} version 2021-01-01 (demo)")
    # with --cert, the rules that answered: only the credentials asked about
    r = run("eligible", "--rules", VERSIONS, "--cert", "demo", "--age", "30", "--as-of", "2026-11-23", "--json")
    assert json.loads(r.stdout)["rules"] == f"{VERSIONS} version 2021-01-01 (demo)"
    r = run("eligible", "--rules", VERSIONS, "--cert", "cma", "--cert", "demo", "--age", "30", "--as-of",
            "2026-11-23", "--json")
    assert json.loads(r.stdout)["rules"] == f"bundled version {BUNDLED} (cma) + {VERSIONS} version 2021-01-01 (demo)"
    r = run("eligible", "--rules", VERSIONS, "--cert", "demo", "--age", "30", "--as-of", "2026-11-23")
    assert f"{VERSIONS} version 2021-01-01 (demo)" in " ".join(r.stdout.split())


def test_local_rules_override_a_bundled_credential(tmp_path):
    rule_folder(tmp_path, (f'version: "{BUNDLED}"', 'version: "school-2027"'), ("value: 560", "value: 600"))
    r = run("rules", "show", "cma", "--rules", tmp_path, "--format", "json", "--as-of", "2026-11-23")
    doc = json.loads(r.stdout)
    assert (doc["version"], doc["rules"]) == ("school-2027", str(tmp_path))
    cat4 = next(route for route in doc["routes"] if route["id"] == "cat4-alternative")
    assert next(c for c in cat4["conditions"] if c["id"] == "academic-hours")["value"] == 600
    r = run("eligible", "--rules", tmp_path, "--program", "caahep", "--graduated", "2026-05-15",
            "--as-of", "2026-11-23", "--json")
    assert json.loads(r.stdout)["rules"].endswith(f"+ {tmp_path} version school-2027 (cma)")


def _rule_file_names_folder(folder: Path) -> Path:
    """cma.yaml, rma.yml and CCMA.YAML, each a bundled file with its version changed: a rule file by
    any of the names a rule file may have (.yml and an upper-case suffix were once skipped unsaid)."""
    for given, name in (("cma.yaml", "cma.yaml"), ("rma.yaml", "rma.yml"), ("ccma.yaml", "CCMA.YAML")):
        rule_folder(folder, (f'version: "{BUNDLED}"', 'version: "local-1"'), name=given)
        (folder / given).rename(folder / (name + ".tmp"))
        (folder / (name + ".tmp")).rename(folder / name)
    return folder


def test_a_rule_file_is_named_yaml_or_yml_in_any_case(tmp_path):
    folder = _rule_file_names_folder(tmp_path / "rd")
    assert sorted(p.name for p in folder.iterdir()) == ["CCMA.YAML", "cma.yaml", "rma.yml"]
    r = run("rules", "validate", folder)
    assert (r.exit_code, r.stdout.strip()) == (0, "3 rule files: valid."), r.output
    r = run("eligible", "--rules", folder, "--program", "caahep", "--graduated", "2026-05-15",
            "--as-of", "2026-11-23", "--json")
    assert json.loads(r.stdout)["rules"].startswith(f"{folder} version local-1 (ccma, cma, rma) + bundled")
    r = runner.invoke(app, ["rules", "list"], env={"MA_CLI_RULES": str(folder)})
    for line in ("ccma  CCMA (NHA)  version local-1", "cma  CMA (AAMA)  version local-1", "rma  RMA (AMT)  version local-1"):
        assert line in r.stdout


def test_an_upper_case_name_of_a_rule_file_is_not_a_second_credential(tmp_path):
    folder = _rule_file_names_folder(tmp_path / "rd")
    (folder / "ccma.yml").write_bytes((folder / "CCMA.YAML").read_bytes())
    r = run("rules", "validate", folder)
    assert r.exit_code == 1
    assert f"{folder / 'ccma.yml'}:4:1: credential 'ccma' is also defined in CCMA.YAML; one file per credential" \
        in r.stdout, r.stdout


def test_credential_completion_reads_the_rule_files_as_loading_does(tmp_path, monkeypatch):
    from ma_cli.commands.options import complete_credentials

    folder = rule_folder(tmp_path / "rd", ("credential: cma", "credential: zzdemo"))
    (folder / "cma.yaml").rename(folder / "ZZDEMO.YML")
    monkeypatch.setenv("MA_CLI_RULES", str(folder))
    assert complete_credentials("zz") == ["zzdemo"]


def test_environment_variable_points_at_local_rules():
    r = runner.invoke(app, ["rules", "list"], env={"MA_CLI_RULES": str(VERSIONS)})
    assert r.exit_code == 0
    assert "demo  DEMO (fixture)  version 2021-01-01" in r.stdout


def test_list_shows_routes_with_confidence_and_source():
    r = run("rules", "list")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert any(line.startswith(f"cma  CMA (AAMA)  version {BUNDLED}") for line in lines)
    assert ("  route     cat1-graduate: Category 1, recent graduate  [high]  S1 "
            "https://www.aama-ntl.org/cma-aama-exam/eligibility") in lines
    assert any(line.startswith("  requires  attempts: ") and "[med]" in line for line in lines)


def test_list_json_shows_renewal_presence(tmp_path):
    text = (VERSIONS / "demo.yaml").read_text() + ("renewal:\n  period:\n    length: {years: 5}\n"
                                                    "    anchor: end_of_month\n    says: Five years\n    source: S1\n"
                                                    "    effective: unknown\n")
    (tmp_path / "demo.yaml").write_text(text)
    r = run("rules", "list", "--rules", tmp_path, "--format", "json")
    demo = next(c for c in json.loads(r.stdout)["credentials"] if c["credential"] == "demo")
    # the source is the cycle's (`renewal:` has none of its own: it was always null)
    assert demo["renewal"] == {"present": True, "keys": ["period"], "source": "https://example.org/demo/rules",
                               "confidence": "high"}
    assert [(x["id"], x["until"]) for x in demo["routes"]] == [("graduate", None), ("work", "2020-12-31"),
                                                               ("work", None)]
    cma = next(c for c in json.loads(r.stdout)["credentials"] if c["credential"] == "cma")
    assert cma["renewal"]["present"] is True and "period" in cma["renewal"]["keys"]
    text_out = run("rules", "list", "--rules", tmp_path).stdout
    assert "  renewal   present (period)  high  https://example.org/demo/rules\n" in text_out


def test_list_refuses_a_folder_whose_renewal_section_validate_lists(tmp_path):
    """`rules list` once listed a renewal section with keys no renewal has (`cycle`), which `rules validate`
    reports: a --rules folder is refused by every command when validate would list a problem in it."""
    text = (VERSIONS / "demo.yaml").read_text() + "renewal:\n  cycle: {years: 5}\n"
    (tmp_path / "demo.yaml").write_text(text)
    r = run("rules", "list", "--rules", tmp_path, "--format", "json")
    assert r.exit_code == 2 and r.stdout == ""
    assert "demo.yaml:" in r.stderr and "unknown key 'cycle' in renewal" in r.stderr


def test_show_in_plain_words_with_sources():
    r = run("rules", "show", "cma", "--as-of", "2026-11-23")
    assert r.exit_code == 0
    out = r.stdout
    assert out.startswith("CMA (AAMA): Certified Medical Assistant\n")
    assert "Every applicant must meet:\n  • Fewer than three failed attempts" in out
    assert "2. Category 1, recent graduate (cat1-graduate)" in out
    assert "       • Applies within 12 months of graduating" in out
    assert "source: https://www.aama-ntl.org/cma-aama-exam/eligibility" in out
    assert "medium confidence" in out


def test_show_as_of_gives_the_versions_then():
    old = run("rules", "show", "demo", "--rules", VERSIONS, "--as-of", "2019-06-01").stdout
    new = run("rules", "show", "demo", "--rules", VERSIONS, "--as-of", "2021-06-01").stdout
    assert "At least 18 years old" in old and "At least 17 years old" not in old
    assert "At least 17 years old" in new and "At least 18 years old" not in new
    assert "Work experience (one year) (work)" in old and "Work experience (two years)" not in old
    assert "Work experience (two years) (work)" in new


@pytest.mark.parametrize("fmt, parse", [("json", json.loads), ("yaml", yaml.safe_load)])
def test_show_machine_formats(fmt, parse):
    r = run("rules", "show", "demo", "--rules", VERSIONS, "--as-of", "2019-06-01", "--format", fmt)
    assert r.exit_code == 0, r.output
    doc = parse(r.stdout)
    assert doc["credential"] == "demo" and doc["as_of"] == "2019-06-01"
    assert [c["value"] for c in doc["requires"]] == [18]
    graduate = doc["routes"][0]
    assert graduate["conditions"][1]["end"] == {"months": 12}
    assert graduate["conditions"][1]["source_url"] == "https://example.org/demo/rules"
    assert [r["name"] for r in doc["routes"]] == ["Graduate", "Work experience (one year)"]


def test_show_nested_conditions_in_yaml():
    doc = yaml.safe_load(run("rules", "show", "cma", "--format", "yaml", "--as-of", "2026-11-23").stdout)
    cat4 = next(r for r in doc["routes"] if r["id"] == "cat4-alternative")
    either = next(c for c in cat4["conditions"] if c["id"] == "practicum-or-work")
    assert [c["test"] for c in either["conditions"]] == ["at_least", "work_hours_after"]


def write_cases(tmp_path, text):
    path = tmp_path / "cases.yaml"
    path.write_text(text)
    return path


def test_failing_case_prints_a_diff_line_and_exits_1(tmp_path):
    path = write_cases(tmp_path, """\
- name: wrong deadline on purpose
  as_of: 2026-11-23
  profile: {programs: [{accreditation: caahep, completed: 2026-05-15}]}
  expect: {cma: {status: eligible, route: cat1-graduate, deadline: 2027-05-16}}
- name: right
  as_of: 2026-11-23
  profile: {programs: [{accreditation: caahep, completed: 2026-05-15}]}
  expect: {cma: eligible}
""")
    r = run("rules", "test", path)
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [
        f"FAIL  {path}: wrong deadline on purpose",
        "      - cma.deadline: expected 2027-05-16, got 2027-05-15",
        r.stdout.splitlines()[-1],
    ]
    assert r.stdout.splitlines()[-1].startswith("2 cases: 1 passed, 1 failed.")


def test_case_naming_an_unknown_route_is_a_clear_error(tmp_path):
    path = write_cases(tmp_path, """\
- name: typo in route id
  as_of: 2026-11-23
  profile: {programs: [{accreditation: caahep, completed: 2026-05-15}]}
  expect: {cma: {route: cat1-graduat}}
""")
    r = run("rules", "test", path)
    assert r.exit_code == 1
    assert f"ERROR {path}: typo in route id" in r.stdout
    assert "expects route 'cat1-graduat' for cma, but" in r.stdout
    assert "has no such route (did you mean 'cat1-graduate'?)" in r.stdout
    assert "0 passed, 0 failed, 1 error." in r.stdout


def test_cases_folder_argument(tmp_path):
    shutil.copy(FIXTURES / "versions_cases.yaml", tmp_path / "a.yaml")
    r = run("rules", "test", "--rules", VERSIONS, tmp_path)
    assert r.exit_code == 0 and r.stdout.startswith("8 cases: 8 passed")


def test_a_cases_folder_holds_yml_case_files_too(tmp_path):
    for name in ("a.yml", "B.YAML"):
        shutil.copy(FIXTURES / "versions_cases.yaml", tmp_path / name)
    r = run("rules", "test", "--rules", VERSIONS, tmp_path)
    assert r.exit_code == 0 and r.stdout.startswith("16 cases: 16 passed"), r.output


@pytest.mark.parametrize("cred", ["cma", "rma", "ccma", "ncma", "cmac"])
def test_every_bundled_credential_shows_in_every_format(cred):
    text = run("rules", "show", cred, "--as-of", "2026-11-23")
    assert text.exit_code == 0, text.output
    for fmt, parse in (("json", json.loads), ("yaml", yaml.safe_load)):
        r = run("rules", "show", cred, "--as-of", "2026-11-23", "--format", fmt)
        doc = parse(r.stdout)
        assert doc["credential"] == cred
        assert text.stdout.startswith(doc["name"])
        # every route in force is described, with its name, in the plain-words text
        assert all(f"{route['name']} ({route['id']})" in " ".join(text.stdout.split()) for route in doc["routes"])


def test_renewal_case_files_run_too(tmp_path):
    path = write_cases(tmp_path, """\
- name: due date off by one on purpose
  cert: cma
  since: 2022-03-15
  as_of: 2026-11-23
  expect: {status: current, due: 2027-03-30}
- name: right
  cert: cma
  since: 2022-03-15
  as_of: 2026-11-23
  expect: {due: 2027-03-31}
""")
    r = run("rules", "test", path)
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0] == f"FAIL  {path}: due date off by one on purpose"
    assert lines[1].startswith("      - due: expected 2027-03-30, got 2027-03-31")
    assert lines[-1].startswith("2 cases: 1 passed, 1 failed.")


def test_a_local_rule_file_is_named_once_beside_its_folder(tmp_path):
    """`--rules DIR` printed the folder twice on every credential (`(DIR: DIR/cma.yaml)`, `Rules: DIR version
    ... (DIR/cma.yaml)`): the folder is said once, the file by its name in it; bundled files keep their path."""
    rule_folder(tmp_path, (f'version: "{BUNDLED}"', 'version: "school-2027"'))
    listed = run("rules", "list", "--rules", tmp_path).stdout.splitlines()
    assert f"cma  CMA (AAMA)  version school-2027  ({tmp_path}: cma.yaml)" in listed
    shown = run("rules", "show", "cma", "--rules", tmp_path, "--as-of", "2026-11-23").stdout
    assert f"Rules: {tmp_path} version school-2027 (cma.yaml); " in shown
    assert shown.count(str(tmp_path)) == 1
    bundled = next(line for line in listed if line.startswith("rma  "))
    assert "(bundled: " in bundled and bundled.endswith("rma.yaml)") and bundled != "(bundled: rma.yaml)"
