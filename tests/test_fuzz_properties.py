"""Properties that must hold for every input, valid or not (hypothesis).

- parsing and evaluating a profile raises nothing but InputError, whatever the mapping or text;
- `eligible --json` prints JSON matching the documented schema, or one error line and exit 2;
- evaluation is deterministic and does not depend on the order of lists in the profile.

CI runs a modest number of examples. A longer session, outside CI (README, "Errors, safety and
fuzzing"):  HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/test_fuzz_properties.py
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from ma_cli.base.errors import InputError
from ma_cli.commands.cli import app
from ma_cli.inputs.profile import ACCREDITATIONS, AWARDS, ROLES, parse_profile
from ma_cli.inputs.yamlio import load_text
from ma_cli.reasoning.engine import evaluate, evaluate_credential
from ma_cli.ruleset.rules_validate import load_rules

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
FUZZ = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

RULES = load_rules(None)
CREDENTIALS = list(RULES.credentials.values())

# --- strategies --------------------------------------------------------------------------

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31))
as_of_days = st.dates(min_value=date(2015, 1, 1), max_value=date(2032, 12, 31))
# dates the way people write them in YAML: a date value, a day, or a month
date_values = st.one_of(days, days.map(date.isoformat), days.map(lambda d: d.isoformat()[:7]))
hours = st.one_of(st.integers(1, 168), st.floats(0.5, 168, allow_nan=False))
counts = st.integers(0, 5000)


def _optional(**fields):
    """A fixed_dictionaries with every key optional."""
    return st.fixed_dictionaries({}, optional=fields)


programs = st.one_of(
    _optional(accreditation=st.sampled_from(ACCREDITATIONS), accredited_since=date_values,
              academic_hours=counts, externship_hours=counts, postsecondary=st.booleans(),
              award=st.sampled_from(AWARDS), apprenticeship=st.booleans(), injections=st.integers(0, 50),
              venipunctures=st.integers(0, 50)).flatmap(
        lambda p: st.sampled_from(["completed", "expected"]).flatmap(
            lambda k: date_values.map(lambda d: {**p, "accreditation": p.get("accreditation", "caahep"), k: d}))),
)
military = st.sampled_from(["completed", "expected"]).flatmap(lambda k: date_values.map(lambda d: {k: d}))


def _work(start: date, length: int, extra: dict) -> dict:
    entry = {"from": start.isoformat(), **extra}
    entry["to"] = "present" if length < 0 else date.fromordinal(start.toordinal() + length).isoformat()
    return entry


work = st.builds(_work, days, st.integers(-1, 4000),
                 _optional(role=st.sampled_from(ROLES), hours_per_week=hours, supervised=st.booleans()))
held = st.fixed_dictionaries({"credential": st.sampled_from(["cma", "rma", "ccma", "ncma", "cmac", "lpn"])},
                             optional={"since": date_values})

valid_profiles = _optional(
    id=st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=8),
    age=st.integers(0, 130),
    birth_date=date_values,
    high_school=st.one_of(st.booleans(), date_values),
    programs=st.lists(programs, max_size=3),
    military=st.lists(military, max_size=2),
    work=st.lists(work, max_size=4),
    held=st.lists(held, max_size=2),
    failed_attempts=st.dictionaries(st.sampled_from(["cma", "rma", "ccma"]), st.integers(0, 6), max_size=2),
)

# anything YAML can hold: the shape of an invalid profile
junk = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**12), st.floats(), st.text(max_size=12), days),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.one_of(st.text(max_size=10), st.integers()), inner, max_size=3)),
    max_leaves=12,
)
KEYS = ["id", "age", "birth_date", "high_school", "programs", "military", "work", "held", "failed_attempts"]


@st.composite
def broken_profiles(draw):
    """A valid profile with one value, somewhere, replaced by junk (or an unknown key added)."""
    profile = draw(valid_profiles)
    key = draw(st.sampled_from(KEYS + ["unknown"]))
    if key in ("programs", "work", "military", "held") and profile.get(key) and draw(st.booleans()):
        entries = list(profile[key])
        i = draw(st.integers(0, len(entries) - 1))
        entry = dict(entries[i])
        entry[draw(st.sampled_from(sorted(entry) + ["unknown"]))] = draw(junk)
        entries[i] = entry
        profile[key] = entries
    else:
        profile[key] = draw(junk)
    return profile


any_profile = st.one_of(valid_profiles, broken_profiles(), junk)


def _evaluate_or_input_error(data, as_of):
    try:
        person = parse_profile(data, "p.yaml")
    except InputError as err:
        assert str(err) and "\n" not in str(err)
        return None
    return evaluate(person, CREDENTIALS, as_of)


# --- properties --------------------------------------------------------------------------

@FUZZ
@given(any_profile, as_of_days)
def test_parse_and_evaluate_raise_only_input_errors(data, as_of):
    _evaluate_or_input_error(data, as_of)


@FUZZ
@given(st.one_of(valid_profiles, broken_profiles()), as_of_days)
def test_through_yaml_text_only_input_errors(data, as_of):
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        loaded = load_text(text, "p.yaml")
    except InputError:
        return
    _evaluate_or_input_error(loaded, as_of)


@FUZZ
@given(st.one_of(st.text(max_size=200),
                 st.lists(st.sampled_from(["a:", " ", "\n", "- ", "[", "]", "{", "}", "&x ", "*x", "!!", "'",
                                           '"', "#", "2021-13-01", "?", "|", ">", ":", ",", "programs", "\t",
                                           "--- ", "<<: ", "%YAML 1.1"]), max_size=40).map("".join)),
       as_of_days)
def test_any_text_is_refused_with_an_input_error_or_evaluated(text, as_of):
    try:
        loaded = load_text(text, "p.yaml")
    except InputError as err:
        assert "\n" not in str(err)
        return
    _evaluate_or_input_error(loaded, as_of)


# the documented --json schema (README, "JSON (--json)")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RESULT_FIELDS = {"credential": str, "name": str, "status": str, "route": (str, type(None)),
                 "route_name": (str, type(None)), "reasons": list, "sources": list,
                 "deadline": (str, type(None)), "earliest": (str, type(None))}


def check_schema(doc: dict, as_of: date) -> None:
    """The shipped schema (src/ma_cli/schemas/eligible.json, `ma-cli schema eligible`), the README's
    field types, and this run's facts."""
    from schema_check import validate

    validate("eligible", doc)
    assert doc["as_of"] == as_of.isoformat()
    assert doc["profile_id"] is None or isinstance(doc["profile_id"], str)
    assert isinstance(doc["rules"], str)
    assert [r["credential"] for r in doc["results"]] == [c.id for c in CREDENTIALS]
    for result in doc["results"]:
        for key, kind in RESULT_FIELDS.items():
            assert isinstance(result[key], kind), (key, result[key])
        assert result["status"] in ("eligible", "not_eligible", "review")
        assert all(isinstance(x, str) for x in result["reasons"] + result["sources"])
        assert all(s.startswith(("https://", "http://")) for s in result["sources"])
        for key in ("deadline", "earliest"):
            assert result[key] is None or ISO.match(result[key])
        if result["status"] == "eligible":
            assert result["route"] is not None
        else:
            assert result["reasons"], "an answer other than eligible says why"


@FUZZ
@given(st.one_of(valid_profiles, broken_profiles()), as_of_days)
def test_eligible_json_matches_schema_or_fails_with_one_line(data, as_of):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        result = CliRunner().invoke(app, ["eligible", "--profile", str(path), "--as-of", as_of.isoformat(),
                                          "--json"], env={"MA_CLI_DEBUG": None, "MA_CLI_RULES": None})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 2:
        assert result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"ma-cli: error: {path}")
        return
    assert result.exit_code in (0, 1, 3), result.stderr
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    check_schema(doc, as_of)
    statuses = {r["status"] for r in doc["results"]}
    expected_code = 0 if "eligible" in statuses else 3 if "review" in statuses else 1
    assert result.exit_code == expected_code


def _answers(decisions):
    return [(d.credential, d.status, d.route, d.deadline, d.opens, d.reasons, d.sources) for d in decisions]


@FUZZ
@given(valid_profiles, as_of_days, st.randoms(use_true_random=False))
def test_evaluation_is_deterministic_and_order_independent(data, as_of, rnd):
    try:
        person = parse_profile(data, "p.yaml")
    except InputError:
        return
    first = evaluate(person, CREDENTIALS, as_of)
    assert _answers(evaluate(person, CREDENTIALS, as_of)) == _answers(first)
    # the lists shuffled as given, then read: a date given only to the month is known by its place in the
    # input (programs[2].completed), so the person is read again, as a file in that order would be
    listed = dict(data)
    for name in ("programs", "military", "work", "held"):
        if isinstance(data.get(name), list):
            items = list(data[name])
            rnd.shuffle(items)
            listed[name] = items
    other = parse_profile(listed, "p.yaml")
    again = evaluate(other, CREDENTIALS, as_of)
    # with such dates the words name their places, which the shuffle moved: the answer itself must agree
    same = _answers if not person.vague else (lambda decisions: [_fields(d) for d in decisions])
    for a, b in zip(same(first), same(again)):
        assert a == b, f"profile {person}\nas listed: {a}\nshuffled:  {b}"
    # the untraced path (what batch uses) gives the same answer in either order
    quick = [_fields(evaluate_credential(c, other, as_of, trace=False)) for c in CREDENTIALS]
    assert quick == [_fields(d) for d in first]


def _fields(d):
    return (d.credential, d.status, d.route, d.deadline, d.opens)


@pytest.mark.parametrize("profile_name", ["ci", "fuzz"])
def test_fuzz_profiles_exist(profile_name):
    # the documented long-run command depends on these names
    assert settings.get_profile(profile_name).deadline is None


# --- CE logs (ma-cli renew --ce-log) -------------------------------------------------------

from ma_cli.inputs.celog import CATEGORIES, parse_ce_csv, parse_ce_rows  # noqa: E402

AS_OF_CE = date(2026, 11, 23)
ce_rows = st.lists(st.fixed_dictionaries({
    "date": st.dates(min_value=date(2015, 1, 1), max_value=AS_OF_CE),
    "credits": st.one_of(st.integers(0, 60), st.floats(0, 60, allow_nan=False).map(lambda x: round(x, 2))),
    "category": st.sampled_from(CATEGORIES + ("",)),
    "approved": st.sampled_from(["yes", "no", "", "YES", "n"]),
    "description": st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=20),
}), min_size=1, max_size=30)


def _csv_text(rows, line_end: str, bom: bool) -> str:
    import csv
    import io

    out = io.StringIO()
    # csv.writer leaves a lone \r unquoted when lines end in \n; every reader would split there
    lone_cr = any("\r" in r["description"] for r in rows)
    writer = csv.writer(out, lineterminator=line_end, quoting=csv.QUOTE_ALL if lone_cr else csv.QUOTE_MINIMAL)
    writer.writerow(["date", "credits", "category", "approved", "description"])
    for r in rows:
        writer.writerow([r["date"].isoformat(), r["credits"], r["category"], r["approved"], r["description"]])
    return ("\ufeff" if bom else "") + out.getvalue()


@FUZZ
@given(ce_rows, st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_a_valid_ce_log_loses_no_row(rows, line_end, bom):
    entries = parse_ce_csv(_csv_text(rows, line_end, bom), "ce.csv", AS_OF_CE)
    assert [(e.date, e.credits) for e in entries] == [(r["date"], float(r["credits"])) for r in rows]
    assert [e.description for e in entries] == [r["description"].strip() for r in rows]


@FUZZ
@given(st.one_of(st.text(max_size=300),
                 st.lists(st.sampled_from(["date", "credits", "category", "approved", ",", "\n", "\r\n", '"',
                                           "2023-01-01", "2023-13-01", "5", "-1", "nan", "clinical", "yes",
                                           "\ufeff", " ", "\x00", "1e400"]), max_size=40).map("".join)))
def test_any_ce_csv_is_read_or_refused_with_one_line(text):
    try:
        entries = parse_ce_csv(text, "ce.csv", AS_OF_CE)
    except InputError as err:
        assert "\n" not in str(err) and str(err).startswith("ce.csv")
        return
    assert entries and all(e.credits >= 0 and e.date <= AS_OF_CE for e in entries)


@FUZZ
@given(st.lists(junk, max_size=4))
def test_any_yaml_ce_log_is_read_or_refused_with_one_line(rows):
    try:
        parse_ce_rows(rows, "ce.yaml", AS_OF_CE)
    except InputError as err:
        assert "\n" not in str(err)


# --- rosters (ma-cli batch eligible) ---------------------------------------------------------

roster_text = st.lists(st.sampled_from([",", '"', "\n", "\r\n", "\r", "s1", "s2", "caahep", "2026-05-15",
                                        "2026-13-01", "\ufeff", " ", "x", "\x00", "é", ";", "present", "@"]),
                       max_size=60).map("".join)


@FUZZ
@given(roster_text, st.sampled_from(["csv", "jsonl"]))
def test_any_roster_gives_a_row_per_record_or_one_error_line(body, fmt):
    data = ("id,program,completed\n" + body).encode("utf-8")
    result = CliRunner().invoke(app, ["batch", "eligible", "-", "--as-of", "2026-11-23", "--cert", "cma",
                                      "--format", fmt], input=data, env={"MA_CLI_DEBUG": None, "MA_CLI_RULES": None})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        (line,) = result.stderr.splitlines()
        assert line.startswith("ma-cli: error: ")
        return
    assert result.exit_code in (0, 1, 4), result.stderr
    if fmt == "jsonl":
        rows = [json.loads(x) for x in result.stdout.splitlines() if x]
    else:
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    lines = [int(r["line"]) for r in rows]
    assert lines == sorted(set(lines)), "one output row per record, in input order"
    assert all(r["status"] in ("ok", "error") for r in rows)
    errors = sum(r["status"] == "error" for r in rows)
    assert (result.exit_code == 4) == (errors > 0)
    # every physical line that holds something lands in some output row (nothing silently dropped)
    physical = len(data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    assert not lines or max(lines) <= physical
