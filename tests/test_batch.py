"""`ma-cli batch eligible`: rosters in, one output row per input row, errors kept, exit codes."""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from ma_cli.base.literal import CSV_CELL
from ma_cli.commands.cli import app
from ma_cli.inputs.profile import parse_profile
from ma_cli.inputs.roster import COLUMNS, Roster
from ma_cli.reasoning import batch
from rule_copies import rule_folder
from signal_defaults import default_signals

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "roster.csv"
AS_OF = "2026-11-23"
runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, ["batch", "eligible", *args], input=input)


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def example_ids():
    with open(EXAMPLE, newline="", encoding="utf-8-sig") as f:
        return [r["id"] for r in csv.DictReader(f)]


# --- the example roster ---------------------------------------------------------------------

# What the rules say for each person of examples/roster.csv on 2026-11-23 (README shows the same).
EXPECTED_CMA = {
    "s-001": ("eligible", "cat1-graduate", "2027-05-15"),    # CAAHEP graduate 2026-05-15
    "s-002": ("eligible", "cat1-student", "2026-12-10"),     # ABHES student finishing 2026-12-10
    "s-003": ("review", "cat4-alternative", ""),             # graduated too long before accreditation (skill counts assumed)
    "s-004": ("review", "cat4-alternative", ""),             # institutional program, hours and skills given (likewise)
    "s-005": ("not_eligible", "", ""),                       # military and work only: no CMA route
    "s-006": ("eligible", "cat2-nonrecent", ""),             # CAAHEP 2012 graduate
    "s-007": ("not_eligible", "", ""),                       # unaccredited program
    "s-008": ("eligible", "cat2-nonrecent", ""),             # ABHES 2025-08 graduate, >12 months
}


def test_example_roster_round_trip():
    r = run(str(EXAMPLE), "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    out = rows_of(r.stdout)
    assert [row["id"] for row in out] == example_ids()
    for row in out:
        assert row["status"] == "ok" and row["error"] == ""
        assert (row["cma_answer"], row["cma_route"], row["cma_deadline"]) == EXPECTED_CMA[row["id"]]
    # a column ma-cli does not read comes back unchanged
    assert out[0]["name"] == "Ana Ruiz"
    hits = sum(any(v == "eligible" for k, v in row.items() if k.endswith("_answer")) for row in out)
    assert hits >= sum(v[0] == "eligible" for v in EXPECTED_CMA.values())  # at least the CMA-eligible rows above
    assert r.stderr == f"8 rows: {hits} eligible for at least one credential, 0 errors\n"


def test_each_row_agrees_with_single_person_eligible(tmp_path):
    """The roster row and the same person given as flags to `ma-cli eligible` get the same answer."""
    r = run(str(EXAMPLE), "--as-of", AS_OF, "--cert", "cma", "--format", "jsonl")
    got = {d["id"]: d["results"]["cma"] for d in (json.loads(x) for x in r.stdout.split("\n") if x)}
    flags = {"s-001": ["--program", "caahep", "--graduated", "2026-05-15"],
             "s-002": ["--program", "abhes", "--expected", "2026-12-10"],
             "s-006": ["--program", "caahep", "--graduated", "2012-06-01", "--work", "2012-07-01:present"],
             "s-007": ["--program", "none", "--expected", "2027-05-30", "--no-high-school", "--age", "17"]}
    for pid, args in flags.items():
        one = runner.invoke(app, ["eligible", *args, "--as-of", AS_OF, "--json", "--cert", "cma"])
        res = json.loads(one.stdout)["results"][0]
        if pid != "s-006":  # s-006 also holds the CMA, which flags cannot say; the route is the same
            assert (res["status"], res["route"], res["deadline"]) == (
                got[pid]["answer"], got[pid]["route"], got[pid]["deadline"]), pid
        else:
            assert res["status"] == got[pid]["answer"]


def test_formats_agree():
    csv_rows = rows_of(run(str(EXAMPLE), "--as-of", AS_OF).stdout)
    lines = [json.loads(x) for x in run(str(EXAMPLE), "--as-of", AS_OF, "--format", "jsonl").stdout.split("\n") if x]
    doc = json.loads(run(str(EXAMPLE), "--as-of", AS_OF, "--format", "json").stdout)
    assert doc["as_of"] == AS_OF and doc["command"] == "eligible"
    assert doc["rows"] == lines
    assert doc["summary"]["rows"] == len(lines) == len(csv_rows)
    for c, j in zip(csv_rows, lines):
        assert c["id"] == j["id"] and int(c["line"]) == j["line"]
        for cred, res in j["results"].items():
            assert c[f"{cred}_answer"] == res["answer"]
            assert c[f"{cred}_deadline"] == (res["deadline"] or "")
        assert j["extra"]["name"] == c["name"]


def test_rules_dir_overrides_the_bundled_rules(tmp_path):
    """--rules is honoured: a local copy of cma.yaml with a different name shows up in the run."""
    rule_folder(tmp_path, ("name: CMA (AAMA)", "name: CMA (local copy)"))
    r = run(str(EXAMPLE), "--as-of", AS_OF, "--cert", "cma", "--format", "json", "--rules", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert str(tmp_path) in json.loads(r.stdout)["rules"]


def test_cert_limits_columns():
    r = run(str(EXAMPLE), "--as-of", AS_OF, "--cert", "cma")
    header = r.stdout.splitlines()[0].split(",")
    assert [h for h in header if h.endswith("_answer")] == ["cma_answer"]


def test_summary_counts_per_credential_and_answer():
    r = run(str(EXAMPLE), "--as-of", AS_OF, "--summary", "--cert", "cma")
    assert r.exit_code == 0
    counts = {(x["credential"], x["answer"]): int(x["count"]) for x in rows_of(r.stdout)}
    assert counts[("cma", "eligible")] == sum(v[0] == "eligible" for v in EXPECTED_CMA.values())
    assert counts[("cma", "not_eligible")] == sum(v[0] == "not_eligible" for v in EXPECTED_CMA.values())
    assert counts[("cma", "error")] == 0
    doc = json.loads(run(str(EXAMPLE), "--as-of", AS_OF, "--summary", "--format", "json").stdout)
    assert doc["rows"] == 8 and all(sum(per.values()) == 8 for per in doc["credentials"].values())


def test_summary_counts_an_error_row_under_every_credential_it_asked_about(tmp_path):
    # an eligibility row asks every credential: its error is each one's answer, and one of `errors`
    # (batch renew counts a row under its own credential alone: test_batch_renew)
    roster = tmp_path / "r.csv"
    roster.write_text("id,program,completed\ns1,caahep,2026-05-15\ns2,caahep,soon\n")
    doc = json.loads(run(str(roster), "--as-of", AS_OF, "--summary", "--format", "json").stdout)
    assert (doc["rows"], doc["errors"]) == (2, 1)
    assert all(per["error"] == 1 and sum(per.values()) == 2 for per in doc["credentials"].values())


def test_roster_row_is_the_same_profile_as_a_profile_file():
    text = ("id,program,completed,academic_hours,award,military,work,held,failed_attempts,high_school\n"
            "p1,CAAHEP,2024-05-15,740,certificate,2022-03,"
            "2021-01-01..2023-06-30@40;instructor:2024-01-01..present@20,cma:2023-04-14;rma,cma:1,no\n")
    (row,) = list(Roster(io.StringIO(text), "t.csv"))
    assert row.error is None
    assert row.profile == parse_profile({
        "id": "p1", "high_school": False,
        "programs": [{"accreditation": "caahep", "completed": "2024-05-15", "academic_hours": 740,
                      "award": "certificate"}],
        "military": [{"completed": "2022-03"}],
        "work": [{"from": "2021-01-01", "to": "2023-06-30", "hours_per_week": 40},
                 {"role": "instructor", "from": "2024-01-01", "to": "present", "hours_per_week": 20}],
        "held": [{"credential": "cma", "since": "2023-04-14"}, {"credential": "rma"}],
        "failed_attempts": {"cma": 1},
    })


# --- errors inside rows -------------------------------------------------------------------

def test_one_error_row_among_good_rows():
    roster = ("id,program,completed\n"
              "a,caahep,2026-05-15\n"
              "b,caahep,2026-02-30\n"
              "c,abhes,2025-01-10\n")
    r = run("-", "--as-of", AS_OF, "--cert", "cma", input=roster)
    assert r.exit_code == 4, r.output
    out = rows_of(r.stdout)
    assert [x["id"] for x in out] == ["a", "b", "c"]
    assert [x["status"] for x in out] == ["ok", "error", "ok"]
    assert out[1]["error"] == ("line 3, column completed: '2026-02-30' is not a real calendar date "
                               "(expected YYYY-MM-DD or YYYY-MM)")
    assert out[1]["cma_answer"] == ""
    assert out[0]["cma_answer"] == out[2]["cma_answer"] == "eligible"
    assert r.stderr == "3 rows: 2 eligible for at least one credential, 1 error\n"


@pytest.mark.parametrize("header, cells, message", [
    ("id,program,completed", "x,cahep,2024-01-01", "line 2, column program: 'cahep' is not known (did you mean 'caahep'?)"),
    ("id,program,completed", "x,,2024-01-01", "line 2, column program: empty, but completed given"),
    ("id,program,completed", ",caahep,2024-01-01", "line 2, column id: empty"),
    ("id,program", "x,caahep", "line 2, columns program, completed, expected: needs 'completed'"),
    ("id,work", "x,2021-01-01", "line 2, column work, period 1: '2021-01-01' is not a period"),
    ("id,work", "x,2023-01-01..2022-01-01", "line 2, column work, period 1: 'to' (2022-01-01) is before"),
    ("id,work", "x,2021-01-01..present@lots", "line 2, column work, period 1, hours_per_week: 'lots' is not a number"),
    ("id,age", "x,seventeen", "line 2, column age: 'seventeen' is not a number"),
    ("id,high_school", "x,maybe", "line 2, column high_school: expected true, false or the expected graduation"),
    ("id,held", "x,cma:2023-13-01", "line 2, column held, entry 1, since: '2023-13-01' is not a real calendar date"),
    ("id,failed_attempts", "x,cma", "line 2, column failed_attempts, entry 1: 'cma' (expected CRED:N)"),
    ("id,program,completed", "x,caahep,2024-01-01,surplus", "line 2: 4 cells but the header has 3 columns"),
    ("id,program,completed", "x,caahep,9999-12-31", "line 2, column completed: '9999-12-31' is out of range"),
    # a colon with no date after it is not "no date" (the fast reader and the one that words errors alike)
    ("id,held", "x,rma:", "line 2, column held, entry 1: 'rma:': nothing after ':' (expected the date it was "
                          "earned after the colon, e.g. rma:2023-04-14, or no colon when it is not known: rma)"),
    ("id,held", "x,cma:2023-04-14; rma :  ", "line 2, column held, entry 2: 'rma :': nothing after ':'"),
    ("id,age,birth_date,program,completed", "x,16,1990-01-01,none,2025-12-01",
     "line 2: age 16 and birth_date 1990-01-01 disagree (born on 1990-01-01 is 36 on the as-of date 2026-11-23): "
     "give either 'age' or 'birth_date', or both agreeing"),
])
def test_row_errors_name_line_and_column(header, cells, message):
    r = run("-", "--as-of", AS_OF, "--cert", "cma", input=f"{header}\n{cells}\n")
    assert r.exit_code == 4, r.output
    (row,) = rows_of(r.stdout)
    assert row["status"] == "error"
    assert row["error"].startswith(message), row["error"]


def test_an_age_that_agrees_with_the_birth_date_is_answered_as_the_birth_date_alone():
    both = run("-", "--as-of", AS_OF, "--cert", "cmac", "--cert", "cma",
               input="id,age,birth_date,program,completed\nx,16,2010-01-01,none,2025-12-01\n")
    alone = run("-", "--as-of", AS_OF, "--cert", "cmac", "--cert", "cma",
                input="id,birth_date,program,completed\nx,2010-01-01,none,2025-12-01\n")
    assert both.exit_code == alone.exit_code and rows_of(both.stdout) == rows_of(alone.stdout)
    assert rows_of(both.stdout)[0]["cmac_answer"] == "not_eligible"  # 16: under CMAC's 17


# --- encodings, line ends, headers, stdin ---------------------------------------------------

def test_bom_crlf_and_header_case():
    plain = "id,program,completed\na,caahep,2026-05-15\nb,abhes,2020-01-01\n"
    messy = "\ufeffID , Program,COMPLETED\r\na,caahep,2026-05-15\r\nb,abhes,2020-01-01\r\n"
    want = run("-", "--as-of", AS_OF, input=plain)
    got = runner.invoke(app, ["batch", "eligible", "-", "--as-of", AS_OF], input=messy.encode("utf-8"))
    assert got.exit_code == 0, got.output
    assert got.stdout == want.stdout
    assert rows_of(got.stdout)[0]["id"] == "a"


def test_bom_crlf_from_a_file_and_to_a_file(tmp_path):
    src = tmp_path / "r.csv"
    src.write_bytes("\ufeffid,program,completed\r\na,caahep,2026-05-15\r\n".encode("utf-8"))
    out = tmp_path / "out.csv"
    r = run(str(src), "--as-of", AS_OF, "-o", str(out), "--cert", "cma")
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert rows_of(out.read_text())[0]["cma_answer"] == "eligible"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "r.csv"]


def test_blank_lines_are_not_rows_and_quoted_newlines_are_one_row():
    roster = 'id,program,completed,notes\n\na,caahep,2026-05-15,"two\nlines"\n,,,\nb,caahep,2026-05-15,\n'
    r = run("-", "--as-of", AS_OF, "--cert", "cma", input=roster)
    out = rows_of(r.stdout)
    assert [(x["id"], x["line"]) for x in out] == [("a", "3"), ("b", "6")]
    assert out[0]["notes"] == "two\nlines"


def test_a_line_that_is_not_utf8_refuses_the_roster_naming_the_encoding(tmp_path):
    # never a replacement character in an id or a name: the whole file is refused before any output
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,program,completed,name\na,caahep,2026-05-15,Zoë\nb,caahep,2026-05-15,Zoe\n".encode("latin-1"))
    out = tmp_path / "out.csv"
    r = run(str(path), "--as-of", AS_OF, "--cert", "cma", "-o", str(out))
    assert r.exit_code == 2
    assert r.stderr == (f"ma-cli: error: {path}: line 2: not UTF-8 text (byte 0xeb; a spreadsheet's plain CSV "
                        f"export is often Windows-1252: run again with --encoding cp1252, or save it as CSV UTF-8)\n")
    assert not out.exists()
    r = run(str(path), "--as-of", AS_OF, "--cert", "cma", "--encoding", "cp1252")
    assert r.exit_code == 0, r.output
    assert [x["name"] for x in rows_of(r.stdout)] == ["Zoë", "Zoe"]


def test_extra_column_clashing_with_an_output_column_is_renamed():
    r = run("-", "--as-of", AS_OF, "--cert", "cma", input="id,status,program,completed\na,enrolled,caahep,2026-05-15\n")
    (row,) = rows_of(r.stdout)
    assert row["status"] == "ok" and row["input_status"] == "enrolled"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_renamed_column_never_takes_the_name_of_a_roster_column(fmt):
    """A repeated `Name` was renamed `input_Name`, the name of the roster's own next column, which was then
    shown as `input_input_Name`: each column's value under another's header. Names that clash with
    nothing are kept first."""
    r = run("-", "--as-of", AS_OF, "--cert", "cma", "--format", fmt,
            input="id,program,completed,name,Name,input_Name,status,input_status\na,caahep,2026-05-15,x,y,z,s,t\n")
    assert r.exit_code == 0, r.output
    if fmt == "csv":
        (row,) = rows_of(r.stdout)
        got = {k: v for k, v in row.items() if v in ("x", "y", "z", "s", "t")}
    else:
        got = json.loads(r.stdout.splitlines()[0])["extra"]
    want = {"name": "x", "input_Name": "z", "input_status": "t"}
    assert {k: got[k] for k in want} == want, got
    assert got.get("input_input_Name") == "y"
    if fmt == "csv":  # (JSON's `extra` has no output column to clash with: `status` is kept)
        assert got["input_input_status"] == "s"


# --- the roster itself cannot be read: exit 2, one line --------------------------------------

@pytest.mark.parametrize("content, message", [
    (None, "is not found (expected a CSV or .xlsx roster file"),  # named by the argument, as every path is
    (b"", "empty roster"),
    (b"name,program\nx,caahep\n", "no 'id' column in the header line"),
    (b"id,Program,program\n", "column 'program' appears twice"),
    (b"id,name\nx,\xff\n", "line 2: not UTF-8 text"),
    ("id,\u00e9\n".encode("utf-16-le"), "not UTF-8 text"),  # UTF-16 without its byte-order mark
])
def test_unreadable_roster_exits_2_with_one_line(tmp_path, content, message):
    path = tmp_path / "roster.csv"
    if content is not None:
        path.write_bytes(content)
    out = tmp_path / "out.csv"
    r = run(str(path), "--as-of", AS_OF, "-o", str(out))
    assert r.exit_code == 2, r.output
    lines = r.stderr.splitlines()
    named = (f"ma-cli: error: {path}", f"ma-cli: error: ROSTER: '{path}'")
    assert len(lines) == 1 and lines[0].startswith(named) and message in lines[0], r.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == (["roster.csv"] if content is not None else [])


@pytest.mark.parametrize("args, message", [
    (["--format", "xml"], "--format: 'xml' is not known"),
    (["--cert", "cmx"], "'cmx' is not a known credential"),
    (["-o", "/nonexistent-folder/out.csv"], "in folder '/nonexistent-folder', which is not found"),
    (["--rules", "/nonexistent-rules"], "/nonexistent-rules"),
    (["--as-of", "2026-02-30"], "--as-of: '2026-02-30' is not a real calendar date"),
])
def test_bad_options_exit_2(args, message):
    r = run(str(EXAMPLE), *(() if "--as-of" in args else ("--as-of", AS_OF)), *args)
    assert r.exit_code == 2
    assert message in r.stderr and r.stdout == ""


# --- no row is ever lost ----------------------------------------------------------------------

cell = st.one_of(
    st.sampled_from(["", "caahep", "abhes", "none", "2026-05-15", "2025-13-01", "2021-01..present@20",
                     "yes", "no", "17", "-3", "cma:2020-01-01", "present", "..", "@", ";"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
)
HEADER = ["id", "program", "completed", "expected", "work", "military", "held", "age", "high_school", "note"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell, min_size=0, max_size=len(HEADER) + 2), max_size=12),
       st.sampled_from(["csv", "jsonl", "json"]))
def test_output_row_count_equals_input_row_count(rows, fmt):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    w.writerows(rows)
    people = [r for r in rows if any(c.strip() for c in r)]  # blank lines are not rows (README)
    r = run("-", "--as-of", AS_OF, "--format", fmt, input=buf.getvalue().encode("utf-8"))
    assert r.exit_code in (0, 4), r.output
    if fmt == "csv":
        out = rows_of(r.stdout)
    elif fmt == "jsonl":
        out = [json.loads(x) for x in r.stdout.split("\n") if x]
    else:
        out = json.loads(r.stdout)["rows"]
    assert len(out) == len(people)
    ids = [(p[0] if p else "").strip() for p in people]
    if fmt == "csv":  # a control character in a CSV cell is written as an escape (README "Errors, safety")
        ids = [i.translate(CSV_CELL) for i in ids]
    assert [o["id"] for o in out] == ids
    errors = sum(o["status"] == "error" for o in out)
    assert (r.exit_code == 4) == (errors > 0)
    assert r.stderr.endswith(f"{errors} error{'s' if errors != 1 else ''}\n")


# --- the results file appears whole or not at all ---------------------------------------------

def test_failure_mid_run_leaves_no_output_file(tmp_path, monkeypatch):
    out = tmp_path / "results.csv"
    out.write_text("last month's results\n")
    calls = {"n": 0}
    real = batch.Prepared.decider  # makes the function batch calls per row and credential

    def flaky_decider(self):
        decide = real(self)

        def flaky(profile, *day):
            calls["n"] += 1
            if calls["n"] == 4:
                raise KeyboardInterrupt
            return decide(profile, *day)

        flaky.parts = decide.parts  # (the compiled conditions, which why.py and until.py ask too)
        flaky.missed = decide.missed  # (what a "no" hands over to why.py)
        return flaky

    monkeypatch.setattr(batch.Prepared, "decider", flaky_decider)
    r = run(str(EXAMPLE), "--as-of", AS_OF, "--cert", "cma", "-o", str(out))
    assert r.exit_code == 130
    assert out.read_text() == "last month's results\n"  # the previous file is untouched
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]  # no temporary file left


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_terminated_run_leaves_no_output_file(tmp_path):
    """A real process, stopped by SIGTERM while rows are still coming in on stdin."""
    out = tmp_path / "results.csv"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "ma_cli", "batch", "eligible", "-", "-o", str(out),
                             "--as-of", AS_OF], stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            preexec_fn=default_signals)
    proc.stdin.write(b"id,program,completed\n" + b"a,caahep,2026-05-15\n" * 50)
    proc.stdin.flush()
    for _ in range(200):  # wait (up to 20 s) until the run has started writing
        if any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
            break
        time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("the run never started writing")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert err.decode() == "ma-cli: interrupted by SIGTERM; nothing written\n"
    assert list(tmp_path.iterdir()) == []


def test_readme_documents_every_column():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Rosters: `ma-cli batch`", 1)[1].split("\n## ", 1)[0]
    for column in COLUMNS:
        assert f"| `{column}` |" in section, column


def test_progress_bar_only_on_a_terminal_and_only_when_large(monkeypatch):
    from ma_cli.output import render_batch

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    quiet = render_batch.Progress(None)
    for rows in range(0, 30_001, 1000):
        quiet.update(rows)
    assert quiet._bar is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    small = render_batch.Progress(1000, lambda: 500)
    small.update(1000)
    assert small._bar is None  # a small file: no bar
    stdin = render_batch.Progress(None)
    stdin.update(5000)
    assert stdin._bar is None  # standard input: only once it has proved large
    stdin.update(render_batch.Progress.LARGE_ROWS)
    assert stdin._bar is not None
    stdin.close()
    big = render_batch.Progress(render_batch.Progress.LARGE_BYTES * 2, lambda: 1234)
    big.update(1000)
    assert big._bar is not None
    big.close()
    assert big._bar is None


def test_a_misspelt_column_is_refused_not_silently_passed_through():
    r = run("-", "--as-of", "2026-11-23", input="id,programme,completed\n1,caahep,2026-05-15\n")
    assert r.exit_code == 2
    assert r.stderr.strip() == ("ma-cli: error: <stdin>: column 'programme' is not a roster column; did you mean "
                                "'program'? (rename it, or run with --column \"programme=\" if it holds something "
                                "else, to pass it through; `ma-cli batch columns` lists the columns)")
    assert r.stdout == ""


def test_an_extra_column_near_a_column_that_is_present_passes_through():
    r = run("-", "--as-of", "2026-11-23", "--cert", "cma",
            input="id,program,programs,completed\n1,caahep,x,2026-05-15\n")
    assert r.exit_code == 0, r.stderr
    (row,) = rows_of(r.stdout)
    assert row["programs"] == "x" and row["cma_answer"] == "eligible"


def test_failed_attempts_at_an_unknown_credential_make_an_error_row():
    # counted for no credential, attempts at a misspelt `cmx` would leave CMA's limit unapplied: the row is an
    # error naming its line and column, the other rows are answered, and a known credential still counts
    roster = ("id,program,completed,failed_attempts\n"
              "s1,caahep,2026-05-15,cmx:3\ns2,caahep,2026-05-15,CMA:3\ns3,caahep,2026-05-15,\n")
    r = run("-", "--as-of", AS_OF, "--cert", "cma", input=roster)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["status"] for row in rows] == ["error", "ok", "ok"]
    assert rows[0]["error"].startswith("line 2, column failed_attempts: 'cmx' is not a known credential")
    assert "expected one of: " in rows[0]["error"] and "cma" in rows[0]["error"]
    assert [row["cma_answer"] for row in rows[1:]] == ["not_eligible", "eligible"]


@pytest.mark.parametrize("name", ["r.csv", "r.xlsx"])
def test_a_template_never_replaces_a_roster_that_holds_something(tmp_path, name):
    filled = tmp_path / name
    filled.write_bytes(b"id,program,completed\ns1,caahep,2026-05-15\n")
    r = runner.invoke(app, ["batch", "template", str(filled)])
    assert r.exit_code == 2 and "already exists and is not empty" in r.stderr
    assert filled.read_bytes() == b"id,program,completed\ns1,caahep,2026-05-15\n"
    (tmp_path / "empty.csv").write_bytes(b"")  # an empty file holds nothing to lose
    assert runner.invoke(app, ["batch", "template", str(tmp_path / "empty.csv")]).exit_code == 0
    assert (tmp_path / "empty.csv").read_text().startswith("id,")


@pytest.mark.parametrize("name", ["r.json", "r.jsonl", "r.html", "R.HTM"])
def test_a_template_named_as_an_output_format_is_refused_not_written_as_csv(tmp_path, name):
    r = runner.invoke(app, ["batch", "template", str(tmp_path / name)])
    assert r.exit_code == 2, r.output
    assert "not a roster (expected a name ending in .xlsx or .csv)" in r.stderr
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("command, header, count", [
    (["eligible", "--cert", "cma"], "id,name,program,completed\n", "0 rows: 0 eligible for at least one credential"),
    (["renew"], "id,credential,since\n\n", "0 rows: 0 need action"),
])
def test_a_roster_with_a_header_and_no_rows_gives_each_format_its_empty_result(tmp_path, command, header, count):
    # nothing wrong with the input: exit 0, a result with no rows in every format (the CSV and workbook
    # keep their header, JSON its summary, JSON Lines no line at all), and the count on stderr says 0 rows
    from ma_cli.inputs.sheets import Sheet

    roster = tmp_path / "r.csv"
    roster.write_text(header, encoding="utf-8")
    got = {}
    for fmt in ("csv", "jsonl", "json", "html", "xlsx"):
        out = tmp_path / f"out.{fmt}"
        r = runner.invoke(app, ["batch", command[0], str(roster), *command[1:], "--as-of", AS_OF,
                                "--format", fmt, "-o", str(out)])
        assert r.exit_code == 0, (fmt, r.output)
        assert r.stderr.startswith(count) and len(r.stderr.splitlines()) == 1, (fmt, r.stderr)
        got[fmt] = out.read_bytes()
    assert got["csv"].decode().splitlines()[0].startswith("id,line,status,error,")
    assert len(got["csv"].decode().splitlines()) == 1
    assert got["jsonl"] == b""
    whole = json.loads(got["json"])
    assert whole["rows"] == [] and whole["summary"]["rows"] == 0
    assert b"0 rows" in got["html"]
    with Sheet(tmp_path / "out.xlsx", "out.xlsx") as sheet:
        assert list(sheet.header_cells)[:2] == ["id", "line"]  # (renew: the long layout)
        assert list(sheet.rows()) == []
