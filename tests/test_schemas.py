"""Every JSON output has a JSON Schema in the package, `ma-cli schema NAME` prints it, and real outputs
(eligible, plan, renew on the case files; every batch format; the rules commands) validate against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ma_cli.commands.cli import app
from ma_cli.commands.cmd_schema import SCHEMAS

from schema_check import FOLDER, validate, validator

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
ENV = {"MA_CLI_DEBUG": None, "MA_CLI_RULES": None}


def run(*args, input=None):
    r = runner.invoke(app, list(args), input=input, env=ENV)
    assert r.exit_code in (0, 1, 3, 4), r.output
    return r.stdout


def test_every_schema_is_shipped_listed_and_valid():
    assert sorted(p.stem for p in FOLDER.glob("*.json")) == sorted(SCHEMAS)
    listed = run("schema")
    for name in SCHEMAS:
        assert name in listed
        validator(name)  # a valid draft 2020-12 schema whose references resolve
        assert json.loads(run("schema", name)) == json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))


def test_an_unknown_schema_is_one_line():
    r = runner.invoke(app, ["schema", "eligble"], env=ENV)
    assert r.exit_code == 2 and "did you mean 'eligible'?" in r.stderr


def case_list(folder):
    found = []
    for path in sorted((ROOT / "tests" / folder).glob("*.yaml")):
        found += [c for c in yaml.safe_load(path.read_text(encoding="utf-8")) if isinstance(c, dict)]
    return found


def test_eligible_and_plan_outputs_match_their_schemas(tmp_path):
    cases = [c for c in case_list("cases") if "profile" in c and "as_of" in c]
    for n, case in enumerate(cases):
        path = tmp_path / f"p{n}.yaml"
        path.write_text(yaml.safe_dump(case["profile"]), encoding="utf-8")
        args = ["--profile", str(path), "--as-of", str(case["as_of"]), "--json"]
        validate("eligible", json.loads(run("eligible", *args, *(["--explain"] if n % 3 == 0 else []))))
        if n % 5 == 0:
            validate("plan", json.loads(run("plan", *args, "--cert", "cma", *(["--explain"] if n % 2 else []))))


def test_renew_outputs_match_their_schema(tmp_path):
    for n, case in enumerate(c for c in case_list("renew_cases") if "cert" in c and "since" in c):
        args = ["renew", "--cert", case["cert"], "--since", str(case["since"]), "--json"]
        if "as_of" in case:
            args += ["--as-of", str(case["as_of"])]
        if case.get("log") is not None:
            path = tmp_path / f"log{n}.yaml"
            path.write_text(yaml.safe_dump(case["log"]), encoding="utf-8")
            args += ["--ce-log", str(path)]
        validate("renew", json.loads(run(*args)))


ROSTER_WITH_ERRORS = ("id,program,completed,work,note\n"
                      "a-1,caahep,2026-05-15,,first\n"
                      "a-2,caahep,2026-02-30,,a bad date\n"
                      "a-3,,,2021-01-01..present@30,work\n")


@pytest.mark.parametrize("kind, roster", [("eligible", (ROOT / "examples" / "roster.csv").read_text(encoding="utf-8")),
                                          ("eligible", ROSTER_WITH_ERRORS),
                                          ("renew", (ROOT / "examples" / "renewals.csv").read_text(encoding="utf-8"))])
@pytest.mark.parametrize("cert", [[], ["--cert", "cma"]])
def test_batch_outputs_match_their_schemas(kind, roster, cert):
    common = ["batch", kind, "-", "--as-of", "2026-11-23", *cert]
    if kind == "renew":  # the CE logs a renewal roster names are relative to its folder
        common[2] = str(ROOT / "examples" / "renewals.csv")
        roster = None
    lines = run(*common, "--format", "jsonl", input=roster).splitlines()
    assert lines
    for line in lines:
        validate(f"batch-{kind}-row", json.loads(line))
    validate(f"batch-{kind}", json.loads(run(*common, "--format", "json", input=roster)))
    for fmt in ("json", "jsonl"):
        validate("batch-summary", json.loads(run(*common, "--summary", "--format", fmt, input=roster)))


def test_rules_outputs_match_their_schemas():
    validate("rules-list", json.loads(run("rules", "list", "--format", "json")))
    for cred in ("cma", "rma", "ccma", "ncma", "cmac"):
        validate("rules-show", json.loads(run("rules", "show", cred, "--format", "json")))


def test_the_api_outputs_match_the_schemas():
    import ma_cli

    validate("eligible", ma_cli.eligible({"work": [{"from": "2024-10-01", "to": "present"}]}, as_of="2026-11-23",
                                         explain=True))
    validate("plan", ma_cli.plan({"programs": [{"accreditation": "caahep", "expected": "2026-12-10"}]},
                                 as_of="2026-11-23"))
    validate("renew", ma_cli.renew(credential="rma", since="2024-04-10", as_of="2026-11-23"))
    for row in ma_cli.eligible_rows([{"id": "x", "program": "abhes", "completed": "2025-01-01"},
                                     {"id": "y", "completed": "2025-02-30"}], as_of="2026-11-23"):
        validate("batch-eligible-row", row)


def test_a_schema_catches_a_wrong_document():
    doc = json.loads(run("eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23",
                         "--json"))
    doc["results"][0]["status"] = "maybe"
    with pytest.raises(AssertionError):
        validate("eligible", doc)
    del doc["as_of"]
    with pytest.raises(AssertionError):
        validate("eligible", doc)
