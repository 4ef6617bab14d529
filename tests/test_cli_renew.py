"""`ma-cli renew` through Typer's CliRunner: exit codes, JSON contract, CE logs, bad input, --ics."""

import codecs
import json

import pytest
from typer.testing import CliRunner

from ma_cli.commands.cli import app

runner = CliRunner()
AS_OF = ("--as-of", "2026-11-23")
WORKED_LOG = ("date,credits,category,approved,kind,description\n"
              "2023-02-01,12,administrative,yes,course,Coding\n"
              "2023-06-01,8,clinical,yes,course,\"Vitals, adult\"\n"
              "2024-01-15,5,general,yes,,\n"
              "2024-05-20,10,general,no,college,Psych 101\n"
              "2025-03-03,10,administrative,no,course,\n")


def run(*args):
    return runner.invoke(app, ["renew", *args])


def one_result(r):
    doc = json.loads(r.stdout)
    (res,) = doc["results"]
    return res


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_worked_example_json_contract(tmp_path):
    log = write(tmp_path, "log.csv", WORKED_LOG)
    r = run("--cert", "cma", "--since", "2022-03-15", *AS_OF, "--ce-log", log, "--json")
    assert r.exit_code == 0, r.output
    res = one_result(r)
    assert res["credential"] == "cma"
    assert res["status"] == "current"
    assert res["period_start"] == "2022-03-15"
    assert res["due"] == "2027-03-31"
    ce = res["ce"]
    assert (ce["required"], ce["counted"], ce["missing"]) == (60, 45, 15)
    missing = {row["id"]: row["missing"] for row in ce["by_requirement"] if row["required"] is not None}
    assert missing == {"total": 15, "administrative": 0, "clinical": 2, "general": 0, "approved": 5}
    assert any("15 more points" in a for a in res["actions"])
    assert "https://www.aama-ntl.org/cma-aama-exam/recertification-policies" in res["sources"]
    assert {c["quote"] for c in res["citations"]} >= {"QA7", "QA8", "QA15"}


def test_table_for_people(tmp_path):
    log = write(tmp_path, "log.csv", WORKED_LOG)
    r = run("--cert", "cma", "--since", "2022-03-15", *AS_OF, "--ce-log", log)
    assert r.exit_code == 0, r.output
    assert "2027-03-31" in r.stdout and "45 of 60 points" in r.stdout
    assert "at least 10 clinical" in r.stdout


@pytest.mark.parametrize("since, as_of, code, status", [
    ("2022-03-15", "2026-11-23", 0, "current"),
    ("2022-03-15", "2027-01-15", 3, "due_soon"),
    ("2021-06-10", "2026-07-15", 3, "grace"),
    ("2021-06-10", "2026-11-23", 1, "lapsed"),
])
def test_exit_codes(since, as_of, code, status):
    r = run("--cert", "cma", "--since", since, "--as-of", as_of, "--json")
    assert r.exit_code == code, r.output
    assert one_result(r)["status"] == status


@pytest.mark.parametrize("since", ["2021", "2022-03", "2022-03-15"])
def test_since_forms(since):
    r = run("--cert", "cma", "--since", since, *AS_OF, "--json")
    assert r.exit_code in (0, 1, 3), r.output
    res = one_result(r)
    assert res["since"] == since
    assert res["due_range"]["earliest"] <= res["due_range"]["latest"]


def test_profile_renews_every_held_credential(tmp_path):
    prof = write(tmp_path, "p.yaml", "id: mh-7\nheld:\n  - {credential: cma, since: 2022-03-15}\n")
    r = run("--profile", prof, *AS_OF, "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["profile_id"] == "mh-7"
    assert [x["due"] for x in doc["results"]] == ["2027-03-31"]


def test_ics_file(tmp_path):
    out = tmp_path / "due.ics"
    r = run("--cert", "cma", "--since", "2022-03-15", *AS_OF, "--ics", str(out), "--json")
    assert r.exit_code == 0, r.output
    raw = out.read_bytes()
    text = raw.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20270331" in text
    assert "DTSTART;VALUE=DATE:20261231" in text  # the reminder, 90 days before
    assert "TRIGGER:-P90D" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert [p.name for p in tmp_path.iterdir()] == ["due.ics"]  # no temporary file left


def uids(path) -> list[str]:
    return [line for line in path.read_text().replace("\r\n ", "").splitlines() if line.startswith("UID:")]


def test_ics_uids_hold_the_profile_id_and_never_the_date(tmp_path):
    # README: "UIDs are stable, so re-importing updates the events": another cycle's due date moves the
    # event; two people's events never share a UID (both were cma-due-20270331@ma-cli); as batch renew's
    got = {}
    for pid, since in (("mh-7", "2022-03-15"), ("ann b", "2022-03-15"), ("mh-7", "2023-08-01")):
        prof = write(tmp_path, "p.yaml", f"id: {pid}\nheld:\n  - {{credential: cma, since: {since}}}\n")
        out = tmp_path / f"{pid}-{since}.ics"
        assert run("--profile", prof, *AS_OF, "--ics", str(out)).exit_code == 0
        got[pid, since] = uids(out)
    assert got["mh-7", "2022-03-15"] == ["UID:mh-7-cma-due@ma-cli", "UID:mh-7-cma-reminder@ma-cli"]
    assert got["mh-7", "2023-08-01"] == got["mh-7", "2022-03-15"]
    assert got["ann b", "2022-03-15"] == ["UID:ann%20b-cma-due@ma-cli", "UID:ann%20b-cma-reminder@ma-cli"]
    roster = write(tmp_path, "r.csv", "id,credential,since\nmh-7,cma,2022-03-15\n")
    assert runner.invoke(app, ["batch", "renew", roster, *AS_OF, "--ics", str(tmp_path / "b.ics")]).exit_code == 0
    assert uids(tmp_path / "b.ics") == ["UID:mh-7-cma-due@ma-cli"]
    # without an id (--cert and --since): the credential and the kind alone
    out = tmp_path / "no-id.ics"
    assert run("--cert", "cma", "--since", "2022-03-15", *AS_OF, "--ics", str(out)).exit_code == 0
    assert uids(out) == ["UID:cma-due@ma-cli", "UID:cma-reminder@ma-cli"]


def dated_uids(path) -> list[tuple[str, str]]:
    lines = path.read_text().replace("\r\n ", "").splitlines()
    return list(zip([x for x in lines if x.startswith("UID:")], [x for x in lines if x.startswith("DTSTART")]))


def test_ics_fee_uids_count_the_periods_fees_not_the_days_left(tmp_path):
    # fee-N is the period's Nth annual fee (from its first day), never a count from the as-of day: a file
    # made later in the cycle updates the same events, and a date given to the day moves them
    got = {}
    for since, as_of in (("2024-04", "2026-11-23"), ("2024-04", "2027-03-01"), ("2024-05-20", "2026-11-23")):
        out = tmp_path / f"{since}-{as_of}.ics"
        assert run("--cert", "rma", "--since", since, "--as-of", as_of, "--ics", str(out)).exit_code in (0, 3)
        got[since, as_of] = dated_uids(out)
    fees = [("UID:rma-fee-1@ma-cli", "DTSTART;VALUE=DATE:20250401"), ("UID:rma-fee-2@ma-cli", "DTSTART;VALUE=DATE:20260401"),
            ("UID:rma-fee-3@ma-cli", "DTSTART;VALUE=DATE:20270401")]
    assert got["2024-04", "2026-11-23"][2:] == got["2024-04", "2027-03-01"][2:] == fees
    assert got["2024-05-20", "2026-11-23"][2:] == [(uid, day.replace("0401", "0501")) for uid, day in fees]
    assert [uid for uid, _ in got["2024-05-20", "2026-11-23"]] == [uid for uid, _ in got["2024-04", "2026-11-23"]]


def test_ics_names_the_days_a_year_only_date_is_due_between(tmp_path):
    out = tmp_path / "due.ics"
    r = run("--cert", "cma", "--since", "2022", *AS_OF, "--ics", str(out))
    assert r.exit_code == 3, r.output
    text = out.read_text().replace("\r\n ", "")  # unfolded
    assert "DTSTART;VALUE=DATE:20270131" in text  # the event sits on the earliest day
    assert "renewal due between 2027-01-31 and 2027-12-31." in text


def bad(r):
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ma-cli: error: "), r.stderr
    assert "Traceback" not in r.output
    return lines[0]


@pytest.mark.parametrize("text, expected", [
    ("date,credits,category\n2023-01-01,5,general\n2023-02-01,2,clinical\n2023-03-01,ten,general\n",
     "log.csv: row 4, column 'credits': 'ten' is not a number"),
    ("date,category\n2023-01-01,general\n", "log.csv: row 1: missing column 'credits'"),
    ("date,credits,categroy\n2023-01-01,1,general\n", "unknown column 'categroy' (did you mean 'category'?)"),
    ("date,credits,category\n2023-01-01,1,clinicl\n", "row 2, column 'category': unknown category 'clinicl'"),
    ("date,credits,category\n2027-01-01,1,clinical\n", "row 2, column 'date': 2027-01-01 is after the as-of date"),
    ("date,credits,category\n2023-02-30,1,clinical\n", "row 2, column 'date': '2023-02-30' is not a real calendar date"),
    ("date,credits,category\n2023-02-01,-1,clinical\n", "row 2, column 'credits'"),
    ("date,credits,approved\n2023-02-01,1,maybe\n", "row 2, column 'approved': 'maybe' is not yes or no"),
    ("date,credits\n2023-02-01,1,extra\n", "row 2: 3 cells but the header has 2 columns"),
    ("", "log.csv: the CE log is empty"),
    ("date,credits,category\n", "log.csv: the CE log has a header but no entries"),
])
def test_bad_csv_log(tmp_path, text, expected):
    log = write(tmp_path, "log.csv", text)
    line = bad(run("--cert", "cma", "--since", "2022-03-15", *AS_OF, "--ce-log", log))
    assert expected in line


def test_csv_with_bom_crlf_and_upper_case_header(tmp_path):
    text = "\ufeffDate,Credits,Category,Approved\r\n2023-01-01,5,general,YES\r\n"
    log = write(tmp_path, "log.csv", text)
    r = run("--cert", "cma", "--since", "2022-03-15", *AS_OF, "--ce-log", log, "--json")
    assert r.exit_code == 0, r.output
    assert one_result(r)["ce"]["counted"] == 5


# the worked log as YAML, one mapping an entry
WORKED_YAML = "".join(f"- {{date: {d}, credits: {c}, category: {k}, approved: {a}}}\n"
                      for d, c, k, a, *_ in (line.split(",") for line in WORKED_LOG.splitlines()[1:]))
# a byte-order mark and the text after it, as Notepad, Excel ("Unicode Text") and others save a file
MARKED = {"utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "utf-16": lambda text: text.encode("utf-16"),
          "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
          "utf-32": lambda text: text.encode("utf-32")}


@pytest.mark.parametrize("name, text", [("log.csv", WORKED_LOG), ("log.yaml", WORKED_YAML)], ids=["csv", "yaml"])
@pytest.mark.parametrize("saved", sorted(MARKED))
def test_a_byte_order_mark_wins_over_encoding(tmp_path, name, text, saved):
    # the log's mark states its encoding; --encoding cp1252 (in batch renew the roster's) does not misread it
    log = tmp_path / name
    log.write_bytes(MARKED[saved](text))
    args = ("--cert", "cma", "--since", "2022-03-15", *AS_OF, "--ce-log", str(log), "--json")
    plain = run(*args)
    assert plain.exit_code == 0, plain.output
    assert one_result(plain)["ce"]["counted"] == 45
    for option in ("cp1252", "latin-1", "utf-8", "utf-16-le"):
        r = run(*args, "--encoding", option)
        assert r.exit_code == 0, r.output
        assert one_result(r) == one_result(plain)


@pytest.mark.parametrize("name, text", [("log.csv", WORKED_LOG), ("log.yaml", WORKED_YAML)], ids=["csv", "yaml"])
@pytest.mark.parametrize("option", ["utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be", "cp1252", "latin-1"])
def test_a_log_in_any_text_encoding_is_read_by_its_name(tmp_path, name, text, option):
    # as a roster's: UTF-32 (a four-byte code unit) was refused as "not a known text encoding"
    log = write(tmp_path, name, text, option)
    r = run("--cert", "cma", "--since", "2022-03-15", *AS_OF, "--ce-log", log, "--json", "--encoding", option)
    assert r.exit_code == 0, r.output
    assert one_result(r)["ce"]["counted"] == 45


@pytest.mark.parametrize("option", ["klingon", "rot13", "zlib", "base64", "undefined"])
def test_a_log_encoding_that_is_no_text_encoding_is_refused_in_one_line(tmp_path, option):
    log = write(tmp_path, "log.csv", WORKED_LOG)
    r = run("--cert", "cma", "--since", "2022-03-15", *AS_OF, "--ce-log", log, "--encoding", option)
    assert r.exit_code == 2
    assert r.stderr == (f"ma-cli: error: --encoding: '{option}' is not a known text encoding (expected a Python codec "
                        f"name, e.g. cp1252, latin-1, utf-16)\n")


def test_yaml_log(tmp_path):
    log = write(tmp_path, "log.yaml", "- {date: 2023-01-01, credits: 5, category: general, approved: yes}\n"
                                      "- {date: 2023-01-02, credits: 4, kind: cpr-card}\n")
    r = run("--cert", "cma", "--since", "2022-03-15", *AS_OF, "--ce-log", log, "--json")
    assert r.exit_code == 0, r.output
    assert one_result(r)["ce"]["counted"] == 9


def test_bad_yaml_log_names_entry_and_field(tmp_path):
    log = write(tmp_path, "log.yaml", "- {date: 2023-01-01, credits: 5}\n- {date: 2023-01-01, credits: lots}\n")
    assert "log.yaml: entry 2, field 'credits': 'lots' is not a number" in bad(
        run("--cert", "cma", "--since", "2022-03-15", *AS_OF, "--ce-log", log))


@pytest.mark.parametrize("args, expected", [
    (("--cert", "cma", "--since", "2027-01-01"), "--since 2027-01-01 is after the as-of date 2026-11-23"),
    (("--cert", "cma", "--since", "2022-13"), "--since: '2022-13' is not a real calendar date"),
    (("--cert", "cma", "--since", "soon"), "--since: 'soon' is not a date"),
    (("--cert", "cmx", "--since", "2022"), "'cmx' is not a known credential"),
    (("--since", "2022"), "--since needs exactly one --cert"),
    ((), "renew needs --cert CRED --since DATE"),
    (("--cert", "cma", "--since", "2022", "--warn-days", "-1"), "--warn-days: -1 is negative"),
    (("--cert", "cma", "--since", "2022", "--ce-log", "/nonexistent/log.csv"), "--ce-log: '/nonexistent/log.csv' is not found"),
    (("--cert", "cma", "--since", "2022", "--ics", "/nonexistent/dir/x.ics"), "--ics: '/nonexistent/dir/x.ics' is in folder"),
])
def test_bad_arguments(args, expected):
    assert expected in bad(run(*args, *AS_OF))


def test_profile_without_since(tmp_path):
    prof = write(tmp_path, "p.yaml", "held:\n  - {credential: cma}\n")
    assert "held[0] (cma) needs 'since'" in bad(run("--profile", prof, *AS_OF))


def test_profile_month_precision_is_kept(tmp_path):
    prof = write(tmp_path, "p.yaml", "held:\n  - {credential: rma, since: 2024-04}\n  - {credential: cma, since: 2022-03}\n")
    r = run("--profile", prof, *AS_OF, "--json", "--cert", "rma")
    assert r.exit_code == 0, r.output
    res = one_result(r)
    assert res["since_precision"] == "month"
    assert res["due_range"] == {"earliest": "2027-03-31", "latest": "2027-04-29"}  # the day before the third anniversary (QM10)


@pytest.mark.parametrize("since", ["2024", "'2024'"])  # YAML reads the bare year as a number
def test_profile_year_precision_is_read_as_renew_since_reads_it(tmp_path, since):
    prof = write(tmp_path, "p.yaml", f"held:\n  - {{credential: rma, since: {since}}}\n")
    from_profile = one_result(run("--profile", prof, *AS_OF, "--json"))
    from_flag = one_result(run("--cert", "rma", "--since", "2024", *AS_OF, "--json"))
    assert from_profile["since_precision"] == "year"
    assert from_profile == from_flag


def test_profile_since_after_as_of(tmp_path):
    prof = write(tmp_path, "p.yaml", "held:\n  - {credential: cma, since: 2027-01-01}\n")
    assert "held[0].since 2027-01-01 is after the as-of date 2026-11-23" in bad(run("--profile", prof, *AS_OF))


@pytest.mark.parametrize("since", ["2022-03-15T00:00:00", "'2022-03-15 0:00:00'", "2022-03-15T14:30:00",
                                   "'2022-03-15 14:30:00'"])
def test_a_profile_held_since_with_a_time_is_read_by_the_rule_of_every_date(tmp_path, since):
    # renew reads `since` again for its precision: an export's midnight is that date there too, and a
    # time of day is refused naming the field (a timestamp's time was dropped; a quoted midnight refused)
    prof = write(tmp_path, "p.yaml", f"held:\n  - {{credential: cma, since: {since}}}\n")
    r = run("--profile", prof, *AS_OF, "--json")
    if "14:30" in since:
        assert bad(r) == (f"ma-cli: error: {prof}.held[0].since: '{since.strip(chr(39))}' is not a date "
                          f"(expected YYYY-MM-DD or YYYY-MM or YYYY)")
    else:
        assert r.exit_code == 0, r.output
        plain = run("--profile", write(tmp_path, "q.yaml", "held:\n  - {credential: cma, since: 2022-03-15}\n"),
                    *AS_OF, "--json")
        assert json.loads(r.stdout)["results"] == json.loads(plain.stdout)["results"]


@pytest.mark.parametrize("day, read", [
    ("2023-01-01 0:00:00", True), ("2023-01-01T00:00:00", True), ("2023-01-01T00:00:00Z", True),
    ("2023-01-01 00:00:00+00:00", True),                    # an export's midnight after the date
    ("2023-01-01 10:30:00", False), ("2023-01-01T14:30:00", False), ("2023-01-01T00:00:00+05:00", False),
    ("2023-01-01 00:00:00.5", False), ("2023-1-1 0:00:00", False),
])
def test_a_yaml_log_reads_a_date_with_a_time_as_a_csv_log_does(tmp_path, day, read):
    # YAML reads `2023-01-01 10:30:00` as a timestamp; its time of day is not dropped unseen: the YAML log
    # takes what a CSV log (and a roster) takes, a date or an export's midnight, and refuses the rest alike
    csv_log = write(tmp_path, "log.csv", f"date,credits,category\n{day},2,clinical\n")
    yaml_log = write(tmp_path, "log.yml", f"- {{date: {day}, credits: 2, category: clinical}}\n")
    answers = [run("--cert", "cma", "--since", "2022-03-15", *AS_OF, "--ce-log", log, "--json") for log in (csv_log, yaml_log)]
    if read:
        assert [r.exit_code for r in answers] == [0, 0], answers[1].output
        assert [one_result(r)["ce"]["counted"] for r in answers] == [2, 2]
    else:
        assert [bad(r) for r in answers] == [
            f"ma-cli: error: {csv_log}: row 2, column 'date': '{day}' is not a date (expected YYYY-MM-DD)",
            f"ma-cli: error: {yaml_log}: entry 1, field 'date': '{day}' is not a date (expected YYYY-MM-DD)"]


def test_a_grace_window_after_a_due_day_known_only_to_the_month_may_run_from_its_last_day():
    # since 2024-02: due one of 2026-02-01..2026-02-28; CMAC's thirty days after 2026-02-28 end on 2026-03-30
    r = runner.invoke(app, ["renew", "--cert", "cmac", "--since", "2024-02", "--as-of", "2026-03-02", "--json"])
    actions = " ".join(json.loads(r.stdout)["results"][0]["actions"])
    assert "Expired between 2026-02-01 and 2026-02-28; a grace window may run until 2026-03-30." in actions
