"""`ma-cli rules validate`: every kind of malformed rule file gives its precise file:line:column message."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ma_cli.commands.cli import app
from ma_cli.ruleset.rules_validate import load_rules

runner = CliRunner()

# A minimal valid rule file; each case below edits it. Line numbers in the expected messages
# refer to the edited text.
BASE = """\
credential: demo
name: DEMO
version: "1"
sources:
  S1: {url: "https://example.org/a", read: 2026-11-23}
eligibility:
  routes:
    - id: grad
      name: Graduate
      source: S1
      effective: unknown
      when:
        - id: accredited
          test: one_of
          field: program.accreditation
          values: [caahep]
"""

OLDER_VERSION = """\
          until: 2020-12-31
        - id: accredited
          test: one_of
          field: program.accreditation
          values: [caahep, abhes]
          effective: 2020-06-01"""

CASES = [
    ("unknown key with nearest valid one", [("      name: Graduate", "      nmae: Graduate")],
     ["9:7: unknown key 'nmae' in route routes[0] (did you mean 'name'?)", "8:7: route 'grad' needs 'name'"]),
    ("unknown top-level key", [("eligibility:", "eligibilty:")],
     ["6:1: unknown key 'eligibilty' in the rule file (did you mean 'eligibility'?)"]),
    ("wrong type", [("values: [caahep]", "values: caahep")],
     ["16:11: 'values' in route 'grad' when[0] 'accredited' should be a list, got text 'caahep'"]),
    ("wrong type of a number", [("values: [caahep]", "values: [caahep]\n        - {test: at_least, field: age, value: \"ten\"}")],
     ["17:40: 'value' in route 'grad' when[1] 'at_least' should be a number, got text 'ten'"]),
    ("unknown profile field", [("field: program.accreditation", "field: program.acreditation")],
     ["15:11: route 'grad' when[0] 'accredited' looks at unknown profile field 'program.acreditation' "
      "(did you mean 'program.accreditation'?)"]),
    ("unknown profile field in if_missing_unless",
     [("values: [caahep]", "values: [caahep]\n          if_missing: pass\n          if_missing_unless: high_school_expectd")],
     ["18:11: route 'grad' when[0] 'accredited' looks at unknown profile field 'high_school_expectd' "
      "(did you mean 'high_school_expected'?)"]),
    ("source not in sources", [("      source: S1", "      source: S2")],
     ["10:7: source 'S2' in route 'grad' is not in this file's 'sources' (did you mean 'S1'?)"]),
    ("unknown way of counting part-time work", [("values: [caahep]", "values: [caahep]\n        - {test: work_years, years: 1, within: 2, part_time: pro-rata}")],
     ["17:51: 'part_time' in route 'grad' when[1] 'work_years' should be one of as_full_time, not_counted, got 'pro-rata'"]),
    ("unknown test", [("test: one_of", "test: one_off")],
     ["14:11: route 'grad' when[0] has unknown test 'one_off' (did you mean 'one_of'?)"]),
    ("impossible date", [("effective: unknown", "effective: 2020-13-01")],
     ["11:7: 'effective' in route 'grad' should be a date (YYYY-MM-DD) or 'unknown', got '2020-13-01'"]),
    ("not a date", [("effective: unknown", "effective: soon")],
     ["11:7: 'effective' in route 'grad' should be a date (YYYY-MM-DD) or 'unknown', got 'soon'"]),
    ("until before effective", [("effective: unknown", "effective: 2020-01-01\n      until: 2019-01-01")],
     ["12:7: 'until' (2019-01-01) is before 'effective' (2020-01-01) in route 'grad'"]),
    ("bad confidence", [("      source: S1", "      source: S1\n      confidence: maybe")],
     ["11:7: confidence in route 'grad' should be one of high, med, low, got 'maybe'"]),
    ("list item not a mapping", [("  routes:\n", "  routes:\n    - just text\n")],
     ["8:7: routes[0] should be a mapping, got text 'just text'"]),
    ("every duplicate key, each where it stands", [("      name: Graduate", "      name: Graduate\n      name: Grad"),
                                                  ('version: "1"', 'version: "1"\nversion: "2"')],
     ["4:1: duplicate key 'version' (first at line 3)", "11:7: duplicate key 'name' (first at line 10)"]),
    ("broken YAML", [("values: [caahep]", "values: [caahep")],
     ["17:1: did not find expected ',' or ']'"]),
    ("overlapping condition versions", [("          values: [caahep]\n", "          values: [caahep]\n" + OLDER_VERSION.replace("2020-12-31", "2021-12-31") + "\n")],
     ["18:11: condition 'accredited' in route 'grad' has two versions in force at the same time: this one "
      "(from 2020-06-01 with no end) and the one at line 13 (from an unknown start until 2021-12-31); "
      "end the older one with 'until' before the newer one's 'effective'"]),
    ("overlapping route versions", [("\n    - id: grad", "\n    - id: grad\n      name: Old\n      source: S1\n"
                                                         "      effective: unknown\n      until: 2021-01-01\n    - id: grad")],
     ["13:7: route 'grad' has two versions in force at the same time: this one (from an unknown start with no "
      "end) and the one at line 8 (from an unknown start until 2021-01-01)"]),
    ("requirement without a source", [("eligibility:\n", "eligibility:\n  requires:\n"
                                        "    - {id: age, test: at_least, field: age, value: 18}\n")],
     ["8:7: requires[0] 'age' needs 'source' (an id from 'sources')"]),
    ("overlapping requirement versions", [("eligibility:\n", "eligibility:\n  requires:\n"
                                           "    - {id: age, test: at_least, field: age, value: 18, source: S1}\n"
                                           "    - {id: age, test: at_least, field: age, value: 17, source: S1, effective: 2020-01-01}\n")],
     ["9:8: condition 'age' in requires has two versions in force at the same time"]),
]


def edited(edits):
    text = BASE
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def validate(path):
    return runner.invoke(app, ["rules", "validate", str(path)])


def test_base_fixture_is_valid(tmp_path):
    (tmp_path / "demo.yaml").write_text(BASE)
    r = validate(tmp_path)
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == "1 rule file: valid."


@pytest.mark.parametrize("title, edits, messages", CASES, ids=[c[0] for c in CASES])
def test_malformed_rule_file_gives_precise_message(tmp_path, title, edits, messages):
    path = tmp_path / "demo.yaml"
    path.write_text(edited(edits))
    r = validate(tmp_path)
    assert r.exit_code == 1, r.output
    lines = r.stdout.strip().splitlines()
    for message in messages:
        assert any(line.startswith(f"{path}:{message}") for line in lines), (message, r.stdout)
    # every problem line carries a real position, and the summary counts them
    problems = lines[:-1]
    assert all(line.startswith(f"{path}:") and line.split(":")[1].isdigit() and int(line.split(":")[1]) > 0
               for line in problems), r.stdout
    assert lines[-1].startswith(f"{len(problems)} problem")


def test_same_file_on_the_normal_path_is_refused_with_the_first_problem(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(edited([("      source: S1", "      source: S2")]))
    r = runner.invoke(app, ["eligible", "--rules", str(tmp_path), "--age", "30", "--as-of", "2026-11-23"])
    assert r.exit_code == 2
    assert r.stderr.strip() == (f"ma-cli: error: {path}:10:7: source 'S2' in route 'grad' is not in this "
                                f"file's 'sources' (did you mean 'S1'?)")


def test_every_problem_in_every_file_is_reported_at_once(tmp_path):
    (tmp_path / "a.yaml").write_text(edited([("      name: Graduate", "      nmae: Graduate"),
                                             ("test: one_of", "test: one_off")]))
    (tmp_path / "b.yaml").write_text(edited([("credential: demo", "credential: other"),
                                             ('version: "1"', 'version: "1"\nversion: "2"'),
                                             ("name: DEMO", "name: DEMO\nname: DEMO2")]))
    r = validate(tmp_path)
    assert r.exit_code == 1
    lines = r.stdout.strip().splitlines()
    assert [line.split(": ")[0] for line in lines[:-1]] == [
        f"{tmp_path / 'a.yaml'}:8:7", f"{tmp_path / 'a.yaml'}:9:7", f"{tmp_path / 'a.yaml'}:14:11",
        f"{tmp_path / 'b.yaml'}:3:1", f"{tmp_path / 'b.yaml'}:5:1"]
    assert lines[-1] == "5 problems in 2 of 2 rule files."


def test_two_files_for_one_credential(tmp_path):
    (tmp_path / "a.yaml").write_text(BASE)
    (tmp_path / "b.yaml").write_text(BASE)
    r = validate(tmp_path)
    assert r.exit_code == 1
    assert f"{tmp_path / 'b.yaml'}:1:1: credential 'demo' is also defined in a.yaml" in r.stdout


def test_python_tag_does_nothing_and_is_refused(tmp_path):
    marker = tmp_path / "HACKED"
    rules = tmp_path / "rules"
    rules.mkdir()
    path = rules / "demo.yaml"
    path.write_text(edited([("name: DEMO", f"name: !!python/object/apply:os.mkdir ['{marker}']")]))
    r = validate(rules)
    assert r.exit_code == 1
    assert f"{path}:2:7: the tag '!!python/object/apply:os.mkdir' is not allowed" in r.stdout
    r = runner.invoke(app, ["rules", "list", "--rules", str(rules)])
    assert r.exit_code == 2
    assert "is not allowed (plain YAML values only, no tags)" in r.stderr
    assert not marker.exists()


def test_single_file_can_be_validated(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(BASE)
    assert validate(path).exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["rules", "validate", "/nonexistent/rules"], "PATH: '/nonexistent/rules' is not found"),
    (["rules", "show", "cmx"], "'cmx' is not a known credential (did you mean 'cma'?)"),
    (["rules", "show", "cma", "--format", "xml"], "--format: 'xml' is not a format; expected one of: text, yaml, json"),
    (["rules", "show", "cma", "--as-of", "2019-02-30"], "--as-of: '2019-02-30' is not a real calendar date"),
    (["rules", "test", "/nonexistent/cases.yaml"], "CASES: '/nonexistent/cases.yaml' is not found (expected a case file"),
])
def test_usage_errors_exit_2(args, message):
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("ma-cli: error: ") and message in r.stderr


def test_empty_folder_is_a_usage_error(tmp_path):
    r = validate(tmp_path)
    assert r.exit_code == 2
    assert "no rule files (*.yaml or *.yml)" in r.stderr


def test_bundled_rules_are_valid():
    r = runner.invoke(app, ["rules", "validate"], env={"MA_CLI_RULES": None})
    assert r.exit_code == 0, r.stdout
    assert len(load_rules(None).credentials) >= 5


def _broken_folder(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "cma.yaml").write_text("foo: [\n")
    return folder


BROKEN = "/cma.yaml:2:1: did not find expected node content"


@pytest.mark.parametrize("how", ["MA_CLI_RULES", "--rules", "--rules and the same folder as PATH"])
def test_validate_without_path_checks_the_rules_folder_other_commands_use(tmp_path, how):
    # MA_CLI_RULES was ignored (the bundled rules were found valid, exit 0) and --rules was not an option
    folder = _broken_folder(tmp_path)
    if how == "MA_CLI_RULES":
        r = runner.invoke(app, ["rules", "validate"], env={"MA_CLI_RULES": str(folder)})
    elif how == "--rules":
        r = runner.invoke(app, ["rules", "validate", "--rules", str(folder)], env={"MA_CLI_RULES": None})
    else:
        r = runner.invoke(app, ["rules", "validate", "--rules", str(folder), f"{tmp_path}/./mine/"])
    assert r.exit_code == 1, r.output
    assert r.stdout.splitlines() == [f"{folder}{BROKEN}", "1 problem in 1 of 1 rule file."]


def test_validate_refuses_a_path_and_another_rules_folder(tmp_path):
    folder = _broken_folder(tmp_path)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "demo.yaml").write_text(BASE)
    for path in (tmp_path / "other", folder / "cma.yaml"):
        r = runner.invoke(app, ["rules", "validate", str(path), "--rules", str(folder)])
        assert r.exit_code == 2, r.output
        assert r.stderr == (f"ma-cli: error: --rules {folder}: PATH '{path}' is another folder or file "
                            f"(expected only one of them, or both naming the same folder)\n")
        assert r.stdout == ""


def test_validate_path_wins_over_ma_cli_rules(tmp_path):
    # the variable is a standing default (set in a shell profile, say); a PATH typed is what is asked about
    folder = _broken_folder(tmp_path)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "demo.yaml").write_text(BASE)
    r = runner.invoke(app, ["rules", "validate", str(tmp_path / "other")], env={"MA_CLI_RULES": str(folder)})
    assert r.exit_code == 0, r.output
    assert r.stdout == "1 rule file: valid.\n"


def test_readme_example_is_a_valid_rule_file(tmp_path):
    readme = (Path(__file__).parents[1] / "rules" / "README.md").read_text()
    example = readme.split("```yaml\n")[1].split("```")[0]
    (tmp_path / "cma.yaml").write_text(example)
    r = validate(tmp_path)
    assert r.exit_code == 0, r.stdout
    old = runner.invoke(app, ["rules", "show", "cma", "--rules", str(tmp_path), "--as-of", "2019-06-01"]).stdout
    assert "Applies within 6 months of graduating" in old and "Applies within 12 months of graduating" not in old
    assert "in force until 2019-12-31" in old


@pytest.mark.parametrize("text, message", [
    ("", "1:1: a rule file should be a mapping with 'credential:', 'sources:' and 'eligibility:', got nothing"),
    ("- a\n- b\n", "1:1: a rule file should be a mapping with 'credential:', 'sources:' and 'eligibility:', "
                   "got a list"),
    ("credential: demo\n", "1:1: the rule file needs 'name'"),
    ("credential: demo\nname: D\nsources: {}\neligibility:\n  routes:\n    - id: r\n      name: R\n      source: S1\n"
     "      when:\n        - id: either\n          test: any_of\n          conditions:\n"
     "            - {id: a, test: at_least, field: age, value: 18}\n"
     "            - {id: a, test: at_least, field: age, value: 17, effective: 2020-01-01}\n",
     "14:16: condition 'a' in route 'r' when[0] 'either' conditions has two versions in force at the same time"),
])
def test_not_a_rule_file(tmp_path, text, message):
    path = tmp_path / "demo.yaml"
    path.write_text(text)
    r = validate(tmp_path)
    assert r.exit_code == 1
    assert any(line.startswith(f"{path}:{message}") for line in r.stdout.splitlines()), r.stdout


def test_rules_alone_is_a_usage_error_like_ma_cli_alone():
    r = runner.invoke(app, ["rules"])
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.strip() == ("ma-cli: error: no command given; expected one of: list, show, validate, test "
                                "(see 'ma-cli rules --help')")
    r = runner.invoke(app, ["rules", "--help"])
    assert r.exit_code == 0
    assert r.stdout.startswith("Usage: ma-cli rules [OPTIONS] COMMAND [ARGS]...")


def test_rules_option_given_a_file(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(BASE)
    r = runner.invoke(app, ["rules", "list", "--rules", str(path)])
    assert r.exit_code == 2
    assert r.stderr.strip() == f"ma-cli: error: --rules: '{path}' is a file (expected a folder of rule files (*.yaml or *.yml))"


def test_renewal_section_is_checked_by_the_renewal_schema_when_present(tmp_path):
    import importlib.util

    path = tmp_path / "demo.yaml"
    path.write_text(BASE + "renewal:\n  no_such_parameter: 1\n")
    r = validate(tmp_path)
    if importlib.util.find_spec("ma_cli.ruleset.renewal_rules") is None:
        assert r.exit_code == 0, r.stdout  # opaque until the renewal schema exists
    else:
        assert r.exit_code == 1
        assert f"{path}:18:3: unknown key 'no_such_parameter' in renewal" in r.stdout


def test_readme_documents_every_test_kind_parameter_and_field():
    from ma_cli.language.conditions import FIELDS
    from ma_cli.language.kinds import KINDS

    readme = (Path(__file__).parents[1] / "rules" / "README.md").read_text()
    rows = {line.split("|")[1].strip(" `"): line for line in readme.splitlines() if line.startswith("| `")}
    for kind, definition in KINDS.items():
        assert kind in rows, kind
        for param in definition.params:
            wanted = f"**`{param}`**" if param in definition.required else f"`{param}`"
            assert wanted in rows[kind], (kind, param)
    for name in FIELDS:
        assert f"`{name.replace('*', '<credential>')}`" in readme, name


@pytest.mark.parametrize("value, message", [
    ("1", "'part_time' in route 'grad' when[1] 'work_years' should be text, got the number 1"),
    ("null", "'part_time' in route 'grad' when[1] 'work_years' should be one of as_full_time, not_counted, got 'null'"),
])
def test_a_part_time_of_the_wrong_kind_is_one_problem_in_yaml_words(tmp_path, value, message):
    # a number was also told "got 'None'", a second problem in Python's words
    path = tmp_path / "demo.yaml"
    path.write_text(edited([("values: [caahep]", "values: [caahep]\n        - {test: work_years, years: 1, within: 2, "
                                                 f"part_time: {value}}}")]))
    lines = validate(tmp_path).stdout.strip().splitlines()
    assert lines == [f"{path}:17:51: {message}", "1 problem in 1 of 1 rule file."]


@pytest.mark.parametrize("value, message", [
    ("3", "'if_missing' in route 'grad' when[1] 'at_least' should be text, got the number 3"),
    ("maybe", "'if_missing' in route 'grad' when[1] 'at_least' should be one of pass, fail, unknown, got 'maybe'"),
    ("null", "'if_missing' in route 'grad' when[1] 'at_least' should be one of pass, fail, unknown, got 'null'"),
])
def test_an_if_missing_out_of_its_choices_is_one_problem(tmp_path, value, message):
    # a number was reported twice: once by its kind and again as "should be pass, fail or unknown"
    path = tmp_path / "demo.yaml"
    path.write_text(edited([("values: [caahep]", "values: [caahep]\n        - {test: at_least, field: age, value: 17, "
                                                 f"if_missing: {value}}}")]))
    lines = validate(tmp_path).stdout.strip().splitlines()
    assert lines == [f"{path}:17:51: {message}", "1 problem in 1 of 1 rule file."]


UNLESS = "route 'grad' when[0] 'accredited'"


@pytest.mark.parametrize("lines, message", [
    (["if_missing: pass", "if_missing_unless: null"],
     f"18:11: 'if_missing_unless' in {UNLESS} should name a profile field (as 'field' does), got null"),
    (["if_missing: pass", "if_missing_unless: program.accreditation"],
     f"18:11: 'if_missing_unless' in {UNLESS} names the condition's own field 'program.accreditation': expected "
     "another profile field, one given while 'program.accreditation' may be missing (as high_school_expected)"),
    (["if_missing_unless: high_school_expected"],
     f"17:11: 'if_missing_unless' in {UNLESS} does nothing: a missing fact is unknown already (test one_of with "
     "no 'if_missing'); expected 'if_missing: pass' (or fail) beside it, or no 'if_missing_unless'"),
    (["if_missing: unknown", "if_missing_unless: high_school_expected"],
     f"18:11: 'if_missing_unless' in {UNLESS} does nothing: a missing fact is unknown already ('if_missing: "
     "unknown'); expected 'if_missing: pass' (or fail) beside it, or no 'if_missing_unless'"),
], ids=["null", "own field", "no if_missing", "if_missing unknown"])
def test_an_if_missing_unless_that_does_nothing_is_refused(tmp_path, lines, message):
    # each was accepted without a word: null names no field, a condition's own field is never given while
    # its fact is missing, and where a missing fact is unknown already the key changes nothing
    path = tmp_path / "demo.yaml"
    path.write_text(edited([("values: [caahep]", "\n          ".join(["values: [caahep]", *lines]))]))
    out = validate(tmp_path).stdout.strip().splitlines()
    assert out == [f"{path}:{message}", "1 problem in 1 of 1 rule file."]


@pytest.mark.parametrize("condition", [
    "{test: at_least, field: age, value: 18, if_missing: pass, if_missing_unless: high_school_expected}",
    "{test: at_least, field: age, value: 18, if_missing: fail, if_missing_unless: high_school_expected}",
    # a window's missing date fails without an if_missing: the key makes it unknown while the other is given
    "{test: window, field: high_school_expected, end: {years: 1}, if_missing_unless: age}",
])
def test_an_if_missing_unless_that_changes_a_missing_fact_is_valid(tmp_path, condition):
    (tmp_path / "demo.yaml").write_text(edited([("values: [caahep]", f"values: [caahep]\n        - {condition}")]))
    r = validate(tmp_path)
    assert r.exit_code == 0, r.output
