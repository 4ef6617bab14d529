"""`ma-cli batch renew`: one credential a row; each row answers as `ma-cli renew` does for that person."""

import codecs
import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from ma_cli.commands.cli import app
from ma_cli.inputs.roster_renew import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "renewals.csv"
AS_OF = "2026-11-23"
runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, ["batch", "renew", *args], input=input)


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def single(cred, since, ce_log=None):
    args = ["renew", "--cert", cred, "--since", since, "--as-of", AS_OF, "--json"]
    if ce_log:
        args += ["--ce-log", str(ce_log)]
    r = runner.invoke(app, args)
    return json.loads(r.stdout)["results"][0]


def test_each_row_answers_as_single_renew(tmp_path):
    r = run(str(EXAMPLE), "--as-of", AS_OF, "--format", "jsonl")
    assert r.exit_code == 0, r.output
    out = [json.loads(x) for x in r.stdout.split("\n") if x]
    with open(EXAMPLE, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [o["id"] for o in out] == [row["id"] for row in rows]
    for row, o in zip(rows, out):
        log = None
        if row["ce_log"]:
            log = EXAMPLE.parent / row["ce_log"]
        elif any(row[c] for c in ("ce_administrative", "ce_clinical", "ce_general", "ce_unapproved")):
            # the same totals as a CE log, earned on the period's first day
            log = tmp_path / f"{row['id']}.csv"
            lines = ["date,credits,category,approved"]
            for cat in ("administrative", "clinical", "general"):
                if row[f"ce_{cat}"]:
                    lines.append(f"{row['since']},{row[f'ce_{cat}']},{cat},yes")
            if row["ce_unapproved"]:
                lines.append(f"{row['since']},{row['ce_unapproved']},,no")
            log.write_text("\n".join(lines) + "\n")
        want = single(row["credential"], row["since"], log)
        got = o["results"][row["credential"]]
        assert got["status"] == want["status"], row["id"]
        assert (got["due"], got["days_left"], got["grace_end"]) == (want["due"], want["days_left"], want["grace_end"])
        ce = want["ce"]
        assert (got["ce_required"], got["ce_counted"], got["ce_missing"]) == (
            (ce["required"], ce["counted"], ce["missing"]) if ce else (None, None, None)), row["id"]


def test_csv_and_summary_line():
    r = run(str(EXAMPLE), "--as-of", AS_OF)
    out = rows_of(r.stdout)
    assert out[0]["cma_status"] == "current" and out[0]["cma_ce_missing"] == "4"
    assert out[0]["rma_status"] == ""  # another credential's columns stay empty
    action = sum(any(v in ("due_soon", "grace", "lapsed", "review") for k, v in row.items() if k.endswith("_status"))
                 for row in out)
    assert r.stderr == f"6 rows: {action} need action (due soon, grace, lapsed or review), 0 errors\n"


def test_summary_counts_an_error_row_once_under_its_own_credential(tmp_path):
    # an error row was counted as an error under every credential (two bad rows: 28 errors in the table)
    (tmp_path / "bad.csv").write_text("date,credits\n2023-01-01,lots\n")
    roster = tmp_path / "r.csv"
    roster.write_text("id,credential,since,ce_log\nm1,cma,2022-03-15,\nm2,cma,soon,\nm3,rma,2021-01-01,\n"
                      "m4,zzz,2021-01-01,\nm5,rma,2023-01-01,bad.csv\nm6,,2022-01-01,\n")
    doc = json.loads(run(str(roster), "--as-of", AS_OF, "--summary", "--format", "json").stdout)
    assert (doc["rows"], doc["errors"], doc["skipped"]) == (6, 4, 0)
    given = {cred: {a: n for a, n in per.items() if n} for cred, per in doc["credentials"].items()}
    assert {cred: per for cred, per in given.items() if per} == {"cma": {"current": 1, "error": 1},
                                                                "rma": {"review": 1, "error": 1}}
    # a row whose credential cannot be read (m4, m6) is in `errors` alone; --cert counts only its own, and
    # skips a row about another credential (m3, and m5 whose CE log is bad) whatever else is wrong in it
    one = json.loads(run(str(roster), "--as-of", AS_OF, "--summary", "--format", "json", "--cert", "cma").stdout)
    assert (one["errors"], one["skipped"], one["credentials"]["cma"]["error"]) == (3, 2, 1)
    assert list(one["credentials"]) == ["cma"]
    by_csv = {}
    for row in rows_of(run(str(roster), "--as-of", AS_OF, "--summary").stdout):
        by_csv.setdefault(row["credential"], {})[row["answer"]] = int(row["count"])
    assert by_csv == doc["credentials"]


def test_cert_skips_other_credentials():
    r = run(str(EXAMPLE), "--as-of", AS_OF, "--cert", "cma")
    assert r.exit_code == 0
    out = rows_of(r.stdout)
    assert len(out) == 6
    assert {x["status"] for x in out if x["id"] in ("m-03", "m-04", "m-05")} == {"skipped"}
    assert r.stderr.endswith(", 0 errors, 3 skipped\n")
    assert [h for h in r.stdout.splitlines()[0].split(",") if h.endswith("_status")] == ["cma_status"]


@pytest.mark.parametrize("cells", ["x,rma,2022-13-01,,", "x,rma,,,", "x,rma,2030-01-01,,", "x,RMA,soon,,",
                                   "x,rma,2022-01-01,missing.csv,", "x,rma,2022-01-01,log.csv,5",
                                   "x,rma,2022-01-01,,lots", ",rma,2022-01-01,,"])
def test_cert_skips_a_row_about_another_credential_whatever_else_is_wrong_in_it(tmp_path, cells):
    # a row of another credential was skipped when its cells were good and an error row when one was bad:
    # either way it asks nothing of this run (--cert cma), so it is skipped, as in the run without the bad cell
    (tmp_path / "log.csv").write_text("date,credits\n2023-01-01,5\n")
    roster = tmp_path / "r.csv"
    header = "id,credential,since,ce_log,ce_clinical\nok,cma,2022-01-01,,\n"
    roster.write_text(header + cells + "\n")
    r = run(str(roster), "--as-of", AS_OF, "--cert", "cma")
    assert r.exit_code == 0, r.output
    good, other = rows_of(r.stdout)
    assert good["status"] == "ok" and other["status"] == "skipped", other
    assert r.stderr.endswith(", 0 errors, 1 skipped\n")
    (tmp_path / "plain.csv").write_text(header + "x,rma,2022-01-01,,\n")
    plain = run(str(tmp_path / "plain.csv"), "--as-of", AS_OF, "--cert", "cma")
    assert [{**row, "id": ""} for row in rows_of(r.stdout)] == [{**row, "id": ""} for row in rows_of(plain.stdout)]
    assert r.stderr == plain.stderr
    # without --cert the same row is an error row, as it is when --cert names its credential
    for args in ((), ("--cert", "rma"), ("--cert", "cma", "--cert", "rma")):
        r = run(str(roster), "--as-of", AS_OF, *args)
        assert r.exit_code == 4, r.output
        assert rows_of(r.stdout)[1]["status"] == "error"


@pytest.mark.parametrize("cells", ["x,zzz,2022-13-01,,", "x,,2022-13-01,,", "x,cmx,2022-01-01,,"])
def test_cert_keeps_a_row_whose_credential_cannot_be_read_an_error(tmp_path, cells):
    # whether such a row is this run's business cannot be told: it stays an error row under --cert too
    roster = tmp_path / "r.csv"
    roster.write_text("id,credential,since,ce_log,ce_clinical\nok,cma,2022-01-01,,\n" + cells + "\n")
    r = run(str(roster), "--as-of", AS_OF, "--cert", "cma")
    assert r.exit_code == 4, r.output
    assert rows_of(r.stdout)[1]["status"] == "error"
    assert "column credential: " in rows_of(r.stdout)[1]["error"]


@pytest.mark.parametrize("cells, message", [
    ("x,cmx,2022-01-01,,", "line 3, column credential: 'cmx' is not a known credential (did you mean 'cma'?)"),
    ("x,cma,2022-13-01,,", "line 3, column since: '2022-13-01' is not a real calendar date"),
    ("x,cma,,,", "line 3, column since: empty"),
    ("x,cma,2030-01-01,,", "line 3, column since: 2030-01-01 is after the as-of date 2026-11-23"),
    ("x,cma,2022-01-01,missing.csv,", "line 3, column ce_log: "),
    ("x,cma,2022-01-01,log.csv,5", "line 3, column ce_log: give a CE log or CE totals (ce_clinical), not both"),
    ("x,cma,2022-01-01,,-5", "line 3, column ce_clinical: -5 is negative (expected a number from 0 to 10,000)"),
    ("x,cma,2022-01-01,,lots", "line 3, column ce_clinical: 'lots' is not a number (expected a number from 0 to"),
    ("x,cma,2022-01-01,,1e308", "line 3, column ce_clinical: '1e308' is not a number (expected a number from 0 to"),
    ("x,cma,2022-01-01,,10001", "line 3, column ce_clinical: 10001 is out of range (expected a number from 0 to"),
])
def test_row_errors(tmp_path, cells, message):
    (tmp_path / "log.csv").write_text("date,credits\n2023-01-01,5\n")
    roster = tmp_path / "r.csv"
    roster.write_text("id,credential,since,ce_log,ce_clinical\nok,cma,2022-01-01,,\n" + cells + "\n")
    r = run(str(roster), "--as-of", AS_OF)
    assert r.exit_code == 4, r.output
    good, bad = rows_of(r.stdout)
    assert good["status"] == "ok" and bad["status"] == "error"
    assert bad["error"].startswith(message), bad["error"]


def test_ce_log_is_relative_to_the_roster(tmp_path):
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "a.csv").write_text("date,credits,category,approved\n2023-01-01,5,clinical,yes\n")
    (tmp_path / "r.csv").write_text("id,credential,since,ce_log\na,cma,2022-01-01,logs/a.csv\n")
    (row,) = rows_of(run(str(tmp_path / "r.csv"), "--as-of", AS_OF, "--cert", "cma").stdout)
    assert row["cma_ce_counted"] == "5"


@pytest.mark.parametrize("log", ["date,credits,category,approved\n2/10/2024,5,clinical,yes\n",
                                 "- {date: 2/10/2024, credits: 5, category: clinical, approved: yes}\n"],
                         ids=["csv", "yaml"])
def test_the_runs_date_order_reads_the_ce_logs_it_names_as_it_reads_the_roster(tmp_path, log):
    # README, CE log: read in the roster's --date-order; a log beside a 3/15/2022 roster was refused
    # "(expected YYYY-MM-DD)" with no word of the --date-order the run was given
    name = "a.csv" if "," in log.splitlines()[0] and not log.startswith("-") else "a.yaml"
    (tmp_path / name).write_text(log)
    (tmp_path / "r.csv").write_text(f"id,credential,since,ce_log\na,cma,3/15/2022,{name}\n")
    (row,) = rows_of(run(str(tmp_path / "r.csv"), "--as-of", AS_OF, "--date-order", "mdy").stdout)
    assert (row["status"], row["cma_ce_counted"]) == ("ok", "5")
    (row,) = rows_of(run(str(tmp_path / "r.csv"), "--as-of", AS_OF, "--date-order", "dmy").stdout)
    assert row["status"] == "error" and "'3/15/2022' is not a real calendar date (read as day/month/year)" in row["error"]
    (tmp_path / "r.csv").write_text(f"id,credential,since,ce_log\na,cma,15/3/2022,{name}\n")
    (row,) = rows_of(run(str(tmp_path / "r.csv"), "--as-of", AS_OF, "--date-order", "dmy").stdout)
    assert (row["status"], row["cma_ce_counted"]) == ("ok", "5")  # 2/10/2024 read as 2 October 2024


@pytest.mark.parametrize("log", [codecs.BOM_UTF8 + "date,credits,category,approved,description\n2023-01-01,5,clinical,yes,Café\n"
                                 .encode("utf-8"),
                                 "date,credits,category,approved,description\n2023-01-01,5,clinical,yes,Café\n"
                                 .encode("utf-16")], ids=["utf-8-bom", "utf-16"])
def test_a_ce_log_with_a_byte_order_mark_beside_a_cp1252_roster_is_read_as_its_mark_says(tmp_path, log):
    # a spreadsheet's Windows-1252 roster asks --encoding cp1252, which every CE log it names is read in;
    # a log saved by another program with a byte-order mark is still read as its mark says
    (tmp_path / "a.csv").write_bytes(log)
    (tmp_path / "r.csv").write_bytes("id,name,credential,since,ce_log\na,José,cma,2022-01-01,a.csv\n".encode("cp1252"))
    r = run(str(tmp_path / "r.csv"), "--as-of", AS_OF, "--cert", "cma", "--encoding", "cp1252")
    assert r.exit_code == 0, r.output
    (row,) = rows_of(r.stdout)
    assert (row["name"], row["status"], row["cma_ce_counted"]) == ("José", "ok", "5")


def test_missing_required_column_exits_2(tmp_path):
    (tmp_path / "r.csv").write_text("id,since\na,2022-01-01\n")
    r = run(str(tmp_path / "r.csv"), "--as-of", AS_OF)
    assert r.exit_code == 2
    assert "no 'credential' column" in r.stderr and "id,credential,since" in r.stderr


cell = st.one_of(st.sampled_from(["", "cma", "rma", "ccma", "2022", "2022-03", "2022-03-15", "2030-01-01", "10",
                                  "-1", "x"]),
                 st.text(st.characters(blacklist_categories=("Cs",)), max_size=8))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell, min_size=0, max_size=6), max_size=10))
def test_output_row_count_equals_input_row_count(rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # Python's csv quotes a lone \r only when lines end in \r\n
    w.writerow(["id", "credential", "since", "ce_clinical", "ce_general", "note"])
    w.writerows(rows)
    people = [r for r in rows if any(c.strip() for c in r)]
    r = run("-", "--as-of", AS_OF, "--format", "jsonl", input=buf.getvalue().encode())
    assert r.exit_code in (0, 4), r.output
    out = [json.loads(x) for x in r.stdout.split("\n") if x]
    assert [o["id"] for o in out] == [(p[0] if p else "").strip() for p in people]


def test_readme_documents_every_renewal_column():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Rosters: `ma-cli batch`", 1)[1].split("\n## ", 1)[0]
    for column in COLUMNS:
        assert f"| `{column}` |" in section, column
