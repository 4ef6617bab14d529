"""The Python API answers exactly what the CLI's JSON says, never prints, never goes through JSON text,
and costs nothing to import."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import ma_cli
from ma_cli.base.errors import InputError
from ma_cli.commands.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
ENV = {"MA_CLI_DEBUG": None, "MA_CLI_RULES": None}


def cli(*args, input=None):
    r = runner.invoke(app, list(args), input=input, env=ENV)
    assert r.exit_code in (0, 1, 3, 4), r.output
    return r.stdout


def cases(folder: str) -> list[dict]:
    found = []
    for path in sorted((ROOT / "tests" / folder).glob("*.yaml")):
        found += [c for c in yaml.safe_load(path.read_text(encoding="utf-8")) if isinstance(c, dict)]
    return found


ELIGIBLE_CASES = [c for c in cases("cases") if "profile" in c and "as_of" in c]
RENEW_CASES = [c for c in cases("renew_cases") if "cert" in c and "since" in c and "as_of" in c]


@pytest.fixture
def no_json(monkeypatch):
    """The API builds Python values: any JSON text made or read for an answer fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("the API went through JSON text")

    monkeypatch.setattr(json, "dumps", refuse)
    monkeypatch.setattr(json, "loads", refuse)
    monkeypatch.setattr(json, "dump", refuse)
    monkeypatch.setattr(json, "load", refuse)
    yield
    monkeypatch.undo()


def test_the_case_files_give_many_inputs():
    assert len(ELIGIBLE_CASES) >= 50 and len(RENEW_CASES) >= 30


def test_eligible_equals_the_cli_json(tmp_path, capsys):
    for n, case in enumerate(ELIGIBLE_CASES):
        profile, as_of = case["profile"], case["as_of"]  # dates as date objects, as yaml.safe_load gives them
        path = tmp_path / f"p{n}.yaml"
        path.write_text(yaml.safe_dump(profile), encoding="utf-8")
        explain = n % 4 == 0
        args = ["eligible", "--profile", str(path), "--as-of", str(as_of), "--json"] + (["--explain"] if explain else [])
        expected = json.loads(cli(*args))
        capsys.readouterr()
        assert ma_cli.eligible(profile, as_of=as_of, explain=explain) == expected, case["name"]
        assert ma_cli.eligible(path, as_of=str(as_of), explain=explain) == expected, case["name"]
        creds = sorted(case.get("expect") or {})
        if creds:
            picked = json.loads(cli(*args, *[a for c in creds for a in ("--cert", c)]))
            assert ma_cli.eligible(str(path), as_of=as_of, credentials=creds, explain=explain) == picked
        assert capsys.readouterr() == ("", ""), "the API printed"


def test_plan_equals_the_cli_json(tmp_path):
    for n, case in enumerate(ELIGIBLE_CASES[::6]):
        path = tmp_path / f"p{n}.yaml"
        path.write_text(yaml.safe_dump(case["profile"]), encoding="utf-8")
        assume = ["work: 20h/week from 2027-01"] if n % 2 else []
        explain = n % 5 == 0
        args = ["plan", "--profile", str(path), "--as-of", str(case["as_of"]), "--json", "--cert", "cma",
                *[a for w in assume for a in ("--assume", w)]] + (["--explain"] if explain else [])
        expected = json.loads(cli(*args))
        got = ma_cli.plan(case["profile"], as_of=case["as_of"], credentials=["cma"], assume=assume, explain=explain)
        assert got == expected, case["name"]


def renamed(value, old: str, new: str):
    if isinstance(value, dict):
        return {k: renamed(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [renamed(v, old, new) for v in value]
    return value.replace(old, new) if isinstance(value, str) else value


def test_renew_equals_the_cli_json(tmp_path):
    for n, case in enumerate(RENEW_CASES):
        args = ["renew", "--cert", case["cert"], "--since", str(case["since"]), "--as-of", str(case["as_of"]),
                "--json"]
        if "warn_days" in case:
            args += ["--warn-days", str(case["warn_days"])]
        log = case.get("log")
        if log is not None:
            path = tmp_path / f"log{n}.yaml"
            path.write_text(yaml.safe_dump(log), encoding="utf-8")
            args += ["--ce-log", str(path)]
        expected = json.loads(cli(*args))
        kwargs = dict(credential=case["cert"], since=str(case["since"]), as_of=case["as_of"],
                      warn_days=case.get("warn_days", 90))
        if log is not None:  # a list of entries is named ce_log in the answer, a file by its path
            assert ma_cli.renew(**kwargs, ce_log=log) == renamed(expected, str(path), "ce_log"), case["name"]
            kwargs["ce_log"] = path
        assert ma_cli.renew(**kwargs) == expected, case["name"]


def test_renew_of_a_profile_equals_the_cli_json():
    path = ROOT / "examples" / "person.yaml"
    log = ROOT / "examples" / "ce" / "chloe.csv"
    expected = json.loads(cli("renew", "--profile", str(path), "--ce-log", str(log), "--as-of", "2026-11-23", "--json"))
    assert ma_cli.renew(profile=path, ce_log=str(log), as_of=date(2026, 11, 23)) == expected
    mapping = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert ma_cli.renew(profile=mapping, ce_log=log, as_of="2026-11-23")["results"] == expected["results"]


@pytest.mark.parametrize("when, read", [
    (datetime(2025, 3, 1), True), (datetime(2025, 3, 1, tzinfo=timezone.utc), True),
    (datetime(2025, 3, 1, 14, 30), False), (datetime(2025, 3, 1, 0, 0, 0, 1), False),
])
def test_a_ce_log_entry_given_as_a_datetime_follows_the_rule_of_a_file(when, read):
    # a datetime's time was dropped (14:30 counted as the day); as in a CSV or YAML log, a midnight is
    # that date and any other time is refused, naming the entry and quoting it
    asked = dict(credential="cma", since="2022-03-15", as_of="2026-11-23")
    entry = {"credits": 5, "category": "general", "approved": True}
    if read:
        assert ma_cli.renew(**asked, ce_log=[{"date": when, **entry}]) == ma_cli.renew(
            **asked, ce_log=[{"date": date(2025, 3, 1), **entry}])
    else:
        with pytest.raises(ma_cli.InputError) as caught:
            ma_cli.renew(**asked, ce_log=[{"date": date(2024, 1, 2), **entry}, {"date": when, **entry}])
        assert str(caught.value) == f"ce_log: entry 2, field 'date': '{when.isoformat()}' is not a date (expected YYYY-MM-DD)"


@pytest.mark.parametrize("when, read", [(datetime(2024, 5, 15), True), (datetime(2024, 5, 15, 14, 30), False)])
def test_a_profile_date_given_as_a_datetime_follows_the_same_rule(when, read):
    def profile(day):
        return {"programs": [{"accreditation": "caahep", "completed": day}]}

    if read:
        assert ma_cli.eligible(profile(when), as_of="2026-11-23") == ma_cli.eligible(profile(date(2024, 5, 15)),
                                                                                     as_of="2026-11-23")
    else:
        with pytest.raises(ma_cli.InputError) as caught:
            ma_cli.eligible(profile(when), as_of="2026-11-23")
        assert str(caught.value) == ("profile.programs[0].completed: '2024-05-15T14:30:00' is not a date "
                                     "(expected YYYY-MM-DD or YYYY-MM)")


ROSTER_WITH_ERRORS = ("id,program,completed,work,held,note\n"
                      "a-1,caahep,2026-05-15,,,first\n"
                      "a-2,caahep,2026-02-30,,,a bad date\n"
                      "a-3,,,2021-01-01..present@30,cma:2023-04-14,work\n"
                      "a-4,cahep,2026-05-15,,,a near miss\n"
                      "a-5,,,,,nothing given\n")


@pytest.mark.parametrize("text", [(ROOT / "examples" / "roster.csv").read_text(encoding="utf-8"), ROSTER_WITH_ERRORS])
@pytest.mark.parametrize("creds", [[], ["cma"], ["rma", "ccma"]])
def test_eligible_rows_equal_the_cli_jsonl(text, creds):
    flags = [a for c in creds for a in ("--cert", c)]
    expected = [json.loads(line) for line in cli("batch", "eligible", "-", "--format", "jsonl", "--as-of",
                                                 "2026-11-23", *flags, input=text).splitlines()]
    got = list(ma_cli.eligible_rows(csv.DictReader(io.StringIO(text)), as_of="2026-11-23", credentials=creds or None))
    assert got == expected


def test_eligible_rows_take_data_frame_records():
    """`to_dict("records")` of a data frame: numbers, missing values (NaN, None) and dates, not only text."""
    records = [{"id": "r-1", "program": "caahep", "completed": date(2026, 5, 15), "age": 24.0, "high_school": True},
               {"id": "r-2", "program": None, "completed": float("nan"), "age": float("nan"), "high_school": None}]
    text = "id,program,completed,age,high_school\nr-1,caahep,2026-05-15,24,yes\nr-2,,,,\n"
    expected = [json.loads(line) for line in cli("batch", "eligible", "-", "--format", "jsonl", "--as-of",
                                                 "2026-11-23", input=text).splitlines()]
    assert list(ma_cli.eligible_rows(records, as_of="2026-11-23")) == expected


def test_eligible_rows_of_nothing_is_nothing():
    assert list(ma_cli.eligible_rows([], as_of="2026-11-23")) == []
    assert list(ma_cli.eligible_rows(iter(()))) == []


def test_the_api_goes_through_no_json_text_and_prints_nothing(no_json, capsys):
    ma_cli.eligible({"programs": [{"accreditation": "caahep", "completed": "2026-05-15"}]}, as_of="2026-11-23",
                    explain=True)
    ma_cli.plan({"work": [{"from": "2024-10-01", "to": "present"}]}, as_of="2026-11-23", credentials="ccma")
    ma_cli.renew(credential="cma", since="2022-03-15", as_of="2026-11-23",
                 ce_log=[{"date": "2023-02-01", "credits": 12, "category": "clinical", "approved": True}])
    list(ma_cli.eligible_rows([{"id": "x", "program": "abhes", "completed": "2025-01-01"}], as_of="2026-11-23"))
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("call, args, names", [
    (lambda: ma_cli.eligible({"age": "x"}), ["eligible", "--profile", "{path}"], None),
    (lambda: ma_cli.eligible({"programs": [{"accreditation": "caahep", "completed": "2026-05-15"}]},
                             as_of="tomorrow"), None, None),
    (lambda: ma_cli.eligible({}, credentials=["cmx"]), ["eligible", "--cert", "cmx"], ("credentials", "--cert")),
    (lambda: ma_cli.renew(credential="cma"), None, None),  # (each says what its caller gives: below)
    (lambda: ma_cli.renew(credential="cma", since="2022-13"), ["renew", "--cert", "cma", "--since", "2022-13"],
     ("since", "--since")),
    (lambda: ma_cli.plan({}, assume=["work: lots"]), ["plan", "--assume", "work: lots"], ("assume", "--assume")),
    (lambda: list(ma_cli.eligible_rows([{"name": "no id"}])), None, None),
])
def test_bad_input_raises_input_error_with_the_cli_message(call, args, names, tmp_path):
    """The CLI's message, naming the argument as the caller gave it: the API its parameter (`since`), the CLI
    its flag (`--since`)."""
    with pytest.raises(ma_cli.InputError) as caught:
        call()
    message = str(caught.value)
    assert "\n" not in message and message
    if args is not None and "{path}" not in args:
        r = runner.invoke(app, args, env=ENV)
        assert r.exit_code == 2
        parameter, flag = names or ("", "")
        assert message.startswith(parameter)
        assert r.stderr == f"ma-cli: error: {flag}{message[len(parameter):]}\n"


PROGRAM = {"programs": [{"accreditation": "caahep", "completed": "2026-05-15"}]}
WRONG_TYPES = {
    "credentials an int": lambda: ma_cli.eligible(PROGRAM, as_of="2026-11-23", credentials=5),
    "credentials a mapping": lambda: ma_cli.eligible(PROGRAM, as_of="2026-11-23", credentials={"cma": 1}),
    "rules an int": lambda: ma_cli.eligible(PROGRAM, as_of="2026-11-23", rules=5),
    "rules bytes": lambda: ma_cli.eligible(PROGRAM, as_of="2026-11-23", rules=b"/etc"),
    "plan assume an int": lambda: ma_cli.plan(PROGRAM, as_of="2026-11-23", assume=5),
    "plan credentials an int": lambda: ma_cli.plan(PROGRAM, as_of="2026-11-23", credentials=7),
    "renew credential an int": lambda: ma_cli.renew(credential=5, since="2022-01-01", as_of="2026-11-23"),
    "renew rules an int": lambda: ma_cli.renew(credential="cma", since="2022-01-01", as_of="2026-11-23", rules=3),
    "rows an int": lambda: list(ma_cli.eligible_rows(5)),
    "rows None": lambda: list(ma_cli.eligible_rows(None)),
    "rows a text": lambda: list(ma_cli.eligible_rows("id,age\ns1,24\n")),
    "rows one mapping": lambda: list(ma_cli.eligible_rows({"id": "s1"})),
    "rows credentials an int": lambda: list(ma_cli.eligible_rows([{"id": "s1"}], credentials=7)),
    # already refused: kept so that they stay refused
    "profile a list": lambda: ma_cli.eligible([PROGRAM]),
    "profile None": lambda: ma_cli.eligible(None),
    "profile an int": lambda: ma_cli.eligible(5),
    "as_of an int": lambda: ma_cli.eligible(PROGRAM, as_of=20261123),
    "as_of True": lambda: ma_cli.eligible(PROGRAM, as_of=True),
    "a date given as an int": lambda: ma_cli.eligible({"programs": [{"accreditation": "caahep",
                                                                      "completed": 20260515}]}),
    "programs None in the list": lambda: ma_cli.eligible({"programs": [None]}),
    "held a text": lambda: ma_cli.eligible({"held": "cma"}),
    "age 10**400": lambda: ma_cli.eligible({"age": 10 ** 400}),
    "hours infinite": lambda: ma_cli.eligible({"work": [{"role": "medical-assistant", "from": "2022-01-01",
                                                        "to": "present", "hours_per_week": float("inf")}]}),
    "renew since an int": lambda: ma_cli.renew(credential="cma", since=5),
    "renew warn_days a text": lambda: ma_cli.renew(credential="cma", since="2022-01-01", warn_days="9"),
    "renew ce_log an int": lambda: ma_cli.renew(credential="cma", since="2022-01-01", ce_log=5),
    "renew ce_log of None": lambda: ma_cli.renew(credential="cma", since="2022-01-01", ce_log=[None]),
    "renew profile a list": lambda: ma_cli.renew(profile=[1]),
    "rows a None first, then a row": lambda: list(ma_cli.eligible_rows([None, {"id": "s1"}])),
}


@pytest.mark.parametrize("call", WRONG_TYPES.values(), ids=WRONG_TYPES)
def test_wrong_types_raise_input_error_never_another_exception(call):
    """Whatever a caller passes, a bad value is an InputError with a one-line message (a TypeError or
    AttributeError from deep inside would read as a bug in ma-cli)."""
    with pytest.raises(ma_cli.InputError) as caught:
        call()
    assert str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("attempts", [{"cmx": 3}, {None: 3}], ids=["misspelt credential", "null key"])
@pytest.mark.parametrize("ask", [ma_cli.eligible, ma_cli.plan])
def test_failed_attempts_at_an_unknown_credential_are_refused(attempts, ask):
    # counted for no credential, they would leave CMA's limit on attempts unapplied: a confident wrong answer
    with pytest.raises(ma_cli.InputError, match=r"^profile\.failed_attempts: .(cmx|none). is not a known credential.*expected one of: .*cma"):
        ask({"failed_attempts": attempts}, as_of="2026-11-23", credentials="cma")


def test_failed_attempts_at_a_known_credential_still_count():
    answer = ma_cli.eligible({"programs": [{"accreditation": "caahep", "completed": "2026-05-15"}],
                              "failed_attempts": {"CMA": 3}}, as_of="2026-11-23", credentials="cma")
    assert answer["results"][0]["status"] == "not_eligible"


def test_a_none_first_row_is_not_taken_for_no_rows():
    """[None, row]: refused, never an empty answer that silently drops the rows after it."""
    with pytest.raises(ma_cli.InputError, match="row 1 is a NoneType"):
        list(ma_cli.eligible_rows([None, {"id": "s1"}], as_of="2026-11-23"))


def test_importing_ma_cli_is_cheap():
    code = ("import sys, ma_cli; print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('ma_cli', 'typer', 'rich', 'yaml', 'click')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['ma_cli']"


def test_the_package_is_typed():
    assert (Path(ma_cli.__file__).parent / "py.typed").is_file()
    assert set(ma_cli.__all__) >= {"eligible", "plan", "renew", "eligible_rows", "InputError"}


def test_eligible_rows_stream_a_partition_of_several_frames():
    """As in the README's Spark example: the rows of several frames through one call, taken lazily."""
    records = list(csv.DictReader(io.StringIO((ROOT / "examples" / "roster.csv").read_text(encoding="utf-8"))))
    frames = [records[:3], records[3:5], records[5:]]
    taken = []

    def rows():
        for frame in frames:
            for row in frame:
                taken.append(row["id"])
                yield row

    answers = ma_cli.eligible_rows(rows(), as_of="2026-11-23", credentials="cma")
    first = next(answers)
    assert first["id"] == records[0]["id"] and len(taken) == 1  # one row read, one answered
    assert [first, *answers] == list(ma_cli.eligible_rows(records, as_of="2026-11-23", credentials="cma"))


def test_a_datetime_given_to_the_api_follows_the_one_rule_for_a_time_of_day():
    from ma_cli import api
    from ma_cli.base.errors import InputError

    # midnight (what a data frame or a spreadsheet library gives for a date) is that day; any other time
    # is refused, as in a roster cell, a CE log or a profile, never cut silently to its date
    assert api.as_of_day(datetime(2026, 11, 23)) == date(2026, 11, 23)
    with pytest.raises(InputError, match="2026-11-23T14:30:00"):
        api.as_of_day(datetime(2026, 11, 23, 14, 30))
    rows = [{"id": "a", "program": "caahep", "completed": datetime(2026, 5, 15)},
            {"id": "b", "program": "caahep", "completed": datetime(2026, 5, 15, 9, 0)}]
    got = {r["id"]: r for r in api.eligible_rows(rows, as_of="2026-11-23", credentials=["cma"])}
    assert got["a"]["status"] == "ok"
    assert got["b"]["status"] == "error" and "2026-05-15T09:00:00" in got["b"]["error"]


@pytest.mark.parametrize("call", [
    lambda: ma_cli.eligible({}, as_of="2026-11-23", credentials=[]),
    lambda: ma_cli.plan({}, as_of="2026-11-23", credentials=()),
    lambda: ma_cli.renew(credential=[], since="2022-03-15", as_of="2026-11-23"),
    lambda: list(ma_cli.eligible_rows([{"id": "a"}], as_of="2026-11-23", credentials=[])),
])
def test_an_empty_list_of_credentials_is_refused_not_read_as_every_credential(call):
    with pytest.raises(InputError, match=r"^credentials?: an empty list names no credential"):
        call()


@pytest.mark.parametrize("explain", ["no", 0, None])
def test_explain_is_true_or_false_only(explain):
    with pytest.raises(InputError, match="^explain: expected True or False"):
        ma_cli.eligible({}, as_of="2026-11-23", explain=explain)
    with pytest.raises(InputError, match="^explain: expected True or False"):
        ma_cli.plan({}, as_of="2026-11-23", explain=explain)


def test_a_profile_id_that_is_not_text_or_a_number_is_refused():
    with pytest.raises(InputError, match=r"^profile\.id: expected a short text"):
        ma_cli.eligible({"id": object()}, as_of="2026-11-23")
    assert ma_cli.eligible({"id": 42}, as_of="2026-11-23", credentials="cma")["profile_id"] == "42"


def test_a_comma_list_of_credentials_reads_as_the_cli_reads_cert():
    # `--cert cma,rma` is two credentials on the command line; the same text through the API is too
    listed = ma_cli.eligible(PROGRAM, as_of="2026-11-23", credentials=["cma", "rma"])
    assert ma_cli.eligible(PROGRAM, as_of="2026-11-23", credentials="cma,rma") == listed
    assert ma_cli.eligible(PROGRAM, as_of="2026-11-23", credentials=["cma, rma"]) == listed
    assert [r["credential"] for r in listed["results"]] == ["cma", "rma"]
    rows = [{"id": "s1", "program": "caahep", "completed": "2026-05-15"}]
    assert (list(ma_cli.eligible_rows(rows, as_of="2026-11-23", credentials="cma,rma"))
            == list(ma_cli.eligible_rows(rows, as_of="2026-11-23", credentials=["cma", "rma"])))
    with pytest.raises(InputError) as caught:
        ma_cli.eligible(PROGRAM, as_of="2026-11-23", credentials="cma,")
    r = runner.invoke(app, ["eligible", "--cert", "cma,", "--program", "caahep", "--graduated", "2026-05-15"], env=ENV)
    # the same words, naming the argument as each caller gave it
    assert str(caught.value).startswith("credentials 'cma,': ")
    assert r.exit_code == 2 and r.stderr == f"ma-cli: error: --cert {str(caught.value)[len('credentials '):]}\n"


# --- the API's own edges: huge ints, dates outside the years read, its own names ----------------------

HUGE = 10 ** 5000  # str() of it raises a plain ValueError (Python's 4,300-digit limit)


@pytest.mark.parametrize("call, message", [
    (lambda: ma_cli.renew(credential="cma", since=HUGE), r"^since: '1000.* is not a date"),
    (lambda: ma_cli.eligible({}, as_of=HUGE), r"^as_of: '1000.* is not a date"),
    (lambda: ma_cli.renew(profile={"held": [{"credential": "cma", "since": HUGE}]}),
     r"^profile\.held\[0\]\.since: '1000.* is not a date"),
    (lambda: ma_cli.eligible({"age": HUGE}), r"^profile\.age: '100000000000\.\.\. \(5,001 characters\)' has too many "
                                             r"digits \(expected a whole number from 0 to 130\)"),
    (lambda: ma_cli.eligible({}, credentials=[HUGE]), r"^credentials: '1000.* is not a known credential"),
    (lambda: ma_cli.plan({}, assume=[HUGE]), r"^assume\[0\]: expected a what-if text"),
    (lambda: ma_cli.renew(credential="cma", since="2022-03-15", warn_days=HUGE),
     r"^warn_days: a number of more than 30 digits is out of range"),
], ids=["since", "as_of", "held since", "age", "credentials", "assume", "warn_days"])
def test_a_huge_int_anywhere_is_an_input_error_never_a_plain_value_error(call, message):
    with pytest.raises(InputError, match=message) as caught:
        call()
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 1100


def test_a_huge_int_where_text_is_read_is_its_digits_as_the_cli_reads_them():
    # the CLI reads a 5,000-digit id, CE description or pass-through cell as that text
    assert ma_cli.eligible({"id": HUGE}, as_of="2026-11-23", credentials="cma")["profile_id"] == "1" + "0" * 5000
    renewed = ma_cli.renew(credential="cma", since="2022-03-15", as_of="2026-11-23",
                           ce_log=[{"date": "2024-01-01", "credits": 1, "description": HUGE}])
    assert renewed["results"][0]["credential"] == "cma"
    (row,) = ma_cli.eligible_rows([{"id": HUGE, "age": HUGE, "note": HUGE}], as_of="2026-11-23", credentials="cma")
    assert row["id"] == "1" + "0" * 5000 and row["extra"] == {"note": "1" + "0" * 5000}
    # a number field's cell: an error row, as the CLI's for a 5,000-digit cell (README: never a crash)
    assert row["status"] == "error"
    assert row["error"] == ("line 2, column age: 100000000000... (5,001 characters) is out of range "
                            "(expected a whole number from 0 to 130)")


OUT_OF_YEARS = [date(1850, 1, 1), date(1899, 12, 31), date(2200, 1, 1), date(3000, 1, 1), date(9995, 1, 1),
                date(9999, 12, 31), datetime(1850, 1, 1)]


@pytest.mark.parametrize("day", OUT_OF_YEARS, ids=str)
@pytest.mark.parametrize("ask", [
    lambda day: ma_cli.eligible({}, as_of=day),
    lambda day: ma_cli.plan({}, as_of=day, credentials="cma"),
    lambda day: ma_cli.renew(credential="cma", since="2022-03-15", as_of=day),
    lambda day: list(ma_cli.eligible_rows([{"id": "a"}], as_of=day)),
], ids=["eligible", "plan", "renew", "eligible_rows"])
def test_as_of_as_a_date_object_is_held_to_the_years_text_is(ask, day):
    # README: "Dates must be real calendar dates in the years 1900 to 2199"; as text they always were
    shown = day.date() if isinstance(day, datetime) else day
    with pytest.raises(InputError, match=rf"^as_of: '{shown}' is out of range \(expected a year from 1900 to 2199\)$"):
        ask(day)


def test_dates_as_date_objects_inside_a_profile_are_held_to_the_same_years():
    for profile in ({"birth_date": date(1850, 1, 1)}, {"high_school": date(2200, 6, 1)},
                    {"programs": [{"accreditation": "caahep", "completed": date(1850, 1, 1)}]},
                    {"work": [{"from": date(1850, 1, 1), "to": "present"}]}):
        with pytest.raises(InputError, match=r"'(1850-01-01|2200-06-01)'"):
            ma_cli.eligible(profile, as_of="2026-11-23")
    with pytest.raises(InputError, match=r"^profile\.held\[0\]\.since: '1850-01-01' is out of range"):
        ma_cli.renew(profile={"held": [{"credential": "cma", "since": date(1850, 1, 1)}]}, as_of="2026-11-23")
    with pytest.raises(InputError, match=r"^since: '1850-01-01' is out of range"):
        ma_cli.renew(credential="cma", since=date(1850, 1, 1), as_of="2026-11-23")


def test_the_last_day_dates_are_read_on_is_planned_within_the_years():
    answer = ma_cli.plan({}, as_of=date(2199, 12, 31), credentials="cma")
    assert answer["horizon"] == "2199-12-31"


@pytest.mark.parametrize("call, message", [
    (lambda: ma_cli.renew(credential="cma", since="2022-03-15", warn_days="90"),
     "warn_days: expected a whole number of days as an int, got '90'"),
    # 90.0 is whole: it was refused as "not a whole number of days"
    (lambda: ma_cli.renew(credential="cma", since="2022-03-15", warn_days=90.0),
     "warn_days: expected a whole number of days as an int, got 90.0"),
    (lambda: ma_cli.renew(credential="cma", since="2022-03-15", warn_days=99_999),
     "warn_days: 99999 is out of range (expected a whole number from 0 to 3,650)"),
    (lambda: ma_cli.renew(credential="cma", since="xx"), "since: 'xx' is not a date (expected YYYY-MM-DD or YYYY-MM or YYYY)"),
    (lambda: ma_cli.renew(since="2022-03-15"),
     "since needs exactly one credential, e.g. credential='cma', since='2022-03-15'"),
    (lambda: ma_cli.renew(credential=["cma", "rma"], since="2022-03-15"),
     "credential names two credentials ('cma', then 'rma'); expected one credential with since (the date of one "
     "credential's certification)"),
    (lambda: ma_cli.renew(credential="cma", since="2030-01-01", as_of="2026-11-23"),
     "since 2030-01-01 is after the as-of date 2026-11-23 (expected the date of certification or last "
     "recertification, on or before the as-of date)"),
    (lambda: ma_cli.renew(credential="cma", since="2022-03-15", profile={"held": []}),
     "since and profile: give one or the other (the profile's held: entries carry their own dates)"),
    (lambda: ma_cli.renew(), "renew needs credential= and since=, or profile= with held: credentials"),
    (lambda: ma_cli.renew(credential="cma", since="2022-03-15", encoding="zzz"),
     "encoding: 'zzz' is not a known text encoding"),
    (lambda: ma_cli.renew(credential="", since="2022-03-15"), "credential: '' is not a known credential"),
    (lambda: ma_cli.eligible({}, credentials=""), "credentials: '' is not a known credential"),
    (lambda: ma_cli.plan({}, credentials="cma,"), "credentials 'cma,': an empty name in the list"),
    (lambda: ma_cli.plan({}, assume=[None]), "assume[0]: expected a what-if text such as 'work: full-time from "
                                             "2027-01', not NoneType"),
    (lambda: ma_cli.plan({}, assume=["zzz"]), "assume 'zzz': missing 'KIND:'"),
    (lambda: ma_cli.plan({}, assume=["work: 20h/week from 2027-13"]),
     "assume 'work: 20h/week from 2027-13': '2027-13' is not a real calendar date"),
    (lambda: ma_cli.plan({}, assume=["held: cmx"]), "assume 'held: cmx': 'cmx' is not a known credential"),
    (lambda: list(ma_cli.eligible_rows([{"Student ID": "a"}])),
     "rows: column 'Student ID' looks like the roster column 'id'; rename it 'id', or pass "
     "columns={'Student ID': 'id'} (or columns={'Student ID': ''} if it holds something else, to pass it through)"),
    (lambda: list(ma_cli.eligible_rows([{"id": "a", "Programme": "caahep"}])),
     "rows: column 'Programme' is not a roster column; did you mean 'program'? (rename it, or pass "
     "columns={'Programme': ''} if it holds something else"),
    (lambda: list(ma_cli.eligible_rows([{"Student ID": "a"}], columns={"Learner": "id"})),
     "rows: columns={'Learner': 'id'}: no column 'Learner' in the header"),
    (lambda: list(ma_cli.eligible_rows([{"Student ID": "a"}], columns={"Student ID": "sid"})),
     "columns['Student ID']: 'sid' is not a roster column"),
    (lambda: ma_cli.eligible(""), "profile: '' is an empty name (expected a profile file's path, or a mapping in "
                                  "the profile format)"),
    (lambda: ma_cli.renew(profile=""), "profile: '' is an empty name"),
    (lambda: ma_cli.renew(credential="cma", since="2022-03-15", ce_log=""),
     "ce_log: '' is an empty name (expected a CE log file's path, or a list of entries)"),
    (lambda: ma_cli.eligible({}, rules=""), "rules: '' is an empty name (expected a folder of rule files, or None "
                                            "for the bundled rules)"),
])
def test_the_api_names_its_own_parameters_never_a_cli_flag(call, message):
    with pytest.raises(InputError) as caught:
        call()
    assert str(caught.value).startswith(message)
    assert "--" not in str(caught.value)


def test_columns_maps_a_key_onto_a_roster_column_as_column_does():
    rows = [{"Student ID": "s1", "Notes": "x", "program": "caahep", "completed": "2026-05-15"}]
    (row,) = ma_cli.eligible_rows(rows, as_of="2026-11-23", credentials="cma", columns={"Student ID": "id"})
    assert row["id"] == "s1" and row["status"] == "ok" and row["extra"] == {"Notes": "x"}
    with pytest.raises(InputError, match="^columns: expected a mapping"):
        list(ma_cli.eligible_rows(rows, columns=["Student ID=id"]))


def test_date_order_reads_slash_dates_as_date_order_does_and_is_named_as_the_parameter():
    rows = [{"id": "a", "program": "caahep", "completed": "5/6/2026"},
            {"id": "b", "program": "caahep", "completed": "5/26/2026"}]
    first, second = ma_cli.eligible_rows(rows, as_of="2026-11-23", credentials="cma")
    assert first["error"] == ("line 2, column completed: '5/6/2026' is a slash date, which reads two ways (expected "
                              "YYYY-MM-DD, or pass date_order='mdy' for 5/15/2026 = May 15, or date_order='dmy' for "
                              "15/5/2026 = 15 May)")
    assert "if the roster is written so, pass date_order='mdy', which reads" in second["error"]
    read = list(ma_cli.eligible_rows(rows, as_of="2026-11-23", credentials="cma", date_order="mdy"))
    iso = [{**row, "completed": f"2026-05-{row['completed'].split('/')[1]:0>2}"} for row in rows]
    assert read == list(ma_cli.eligible_rows(iso, as_of="2026-11-23", credentials="cma"))
    with pytest.raises(InputError, match=r"^date_order: 'ymd' is not known"):
        list(ma_cli.eligible_rows(rows, date_order="ymd"))


def test_a_ce_log_file_not_in_utf8_is_told_the_encoding_argument_the_api_takes(tmp_path):
    log = tmp_path / "log.csv"
    log.write_bytes("date,credits,description\n2024-01-01,1,Café\n".encode("cp1252"))
    with pytest.raises(InputError) as caught:
        ma_cli.renew(credential="cma", since="2022-03-15", as_of="2026-11-23", ce_log=log)
    assert str(caught.value).endswith("often Windows-1252: pass encoding='cp1252', or save it as CSV UTF-8)")
    assert ma_cli.renew(credential="cma", since="2022-03-15", as_of="2026-11-23", ce_log=log,
                        encoding="cp1252")["results"][0]["credential"] == "cma"
    log.write_bytes("date,credits\n".encode("utf-16-le"))
    with pytest.raises(InputError, match=r"UTF-16-LE without a byte-order mark; pass encoding='utf-16-le'\)$"):
        ma_cli.renew(credential="cma", since="2022-03-15", as_of="2026-11-23", ce_log=log)
    with pytest.raises(InputError, match=r"name its byte order: encoding='utf-16-le' or encoding='utf-16-be'\)$"):
        ma_cli.renew(credential="cma", since="2022-03-15", as_of="2026-11-23", ce_log=log, encoding="utf-16")


def test_an_empty_ma_cli_rules_is_refused_not_read_as_the_bundled_rules(monkeypatch):
    # README lists MA_CLI_RULES among the names whose empty value is refused
    monkeypatch.setenv("MA_CLI_RULES", "")
    with pytest.raises(InputError, match=r"^MA_CLI_RULES: '' is an empty name"):
        ma_cli.eligible({}, as_of="2026-11-23")


def test_the_cli_still_names_its_flags():
    r = runner.invoke(app, ["renew", "--cert", "cma", "--since", "2022-03-15", "--warn-days", "99999"], env=ENV)
    assert r.exit_code == 2
    assert r.stderr.startswith("ma-cli: error: --warn-days: 99999 is out of range")
    r = runner.invoke(app, ["plan", "--assume", "zzz"], env=ENV)
    assert r.exit_code == 2 and r.stderr.startswith("ma-cli: error: --assume 'zzz': missing 'KIND:'")
    r = runner.invoke(app, ["eligible", "--cert", "cmx"], env=ENV)
    assert r.exit_code == 2 and r.stderr.startswith("ma-cli: error: --cert: 'cmx' is not a known credential")


# --- what-ifs obey the caps the person given does (bounds.MAX_ENTRIES) --------------------------

def test_what_ifs_cannot_take_a_person_past_the_caps():
    import time

    from ma_cli.base.bounds import MAX_ENTRIES

    started = time.perf_counter()
    with pytest.raises(InputError, match=r"^assume 'work: 1h/week from 2027-01-01': one entry more than work may "
                                         r"have \(the person and the what-ifs before it give 200; expected at most "
                                         r"200 in all\)"):
        ma_cli.plan({}, as_of="2026-11-23", credentials="rma", assume=["work: 1h/week from 2027-01-01"] * 1000)
    assert time.perf_counter() - started < 3  # refused at the 201st, not planned for 1,000 periods (6 s)
    work = [{"from": "2020-01-01", "to": "2020-02-01"}] * 150
    with pytest.raises(InputError, match="one entry more than work may have"):
        ma_cli.plan({"work": work}, as_of="2026-11-23", credentials="rma",
                    assume=["work: 1h/week from 2027-01-01"] * 51)
    for kind, what_if in (("programs", "program: caahep, completed 2027-06"), ("military", "military: completed 2027-03"),
                          ("held", "held: rma")):
        with pytest.raises(InputError, match=f"one entry more than {kind} may have"):
            ma_cli.plan({}, as_of="2026-11-23", credentials="cma", assume=[what_if] * (MAX_ENTRIES[kind] + 1))


def test_eligible_rows_names_its_own_arguments():
    """eligible_rows said '--cert' and '--column' (the CLI's) for its credentials= and columns=."""
    import pytest

    import ma_cli

    with pytest.raises(ma_cli.InputError) as caught:
        list(ma_cli.eligible_rows([{"id": "a"}], credentials="zzz"))
    assert str(caught.value).startswith("credentials: 'zzz' is not a known credential")
    with pytest.raises(ma_cli.InputError) as caught:
        list(ma_cli.eligible_rows([{"id": "a"}], columns={"": "id"}))
    assert "--column" not in str(caught.value) and "columns={'Student ID': 'id'}" in str(caught.value)



def test_a_decimal_is_read_as_its_digits_wherever_a_number_is():
    """ma_cli.eligible refused Decimal('17') as an age ("expected a number, got '17'") that eligible_rows read,
    and renew refused Decimal credits ("'0.3' is not a number")."""
    from decimal import Decimal

    program = [{"accreditation": "none", "completed": "2025-12-01"}]
    (res,) = ma_cli.eligible({"age": Decimal("17"), "programs": program}, credentials="cmac", as_of="2026-11-23")["results"]
    assert res["status"] == "eligible"
    with pytest.raises(InputError, match=r"profile\.age: 16\.999999999999999 is not a whole number"):
        ma_cli.eligible({"age": Decimal("16.999999999999999")}, credentials="cmac", as_of="2026-11-23")
    log = [{"date": "2025-06-01", "credits": Decimal("0.1")}, {"date": "2025-06-02", "credits": Decimal("0.2")}]
    (res,) = ma_cli.renew(credential="cpt", since="2025-03-10", as_of="2026-11-23", ce_log=log)["results"]
    assert (res["ce"]["counted"], res["ce"]["missing"]) == (0.3, 9.7)
