"""Batch results a manager can sort: .xlsx out (read back), the long layout, CSV for Excel, a staff
calendar, blank roster templates; and that each appears whole or not at all."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ma_cli.commands.cli import app
from ma_cli.inputs.sheets import Sheet

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parents[1]
ROSTER = ROOT / "examples" / "roster.csv"
RENEWALS = ROOT / "examples" / "renewals.csv"
AS_OF = "2026-11-23"
runner = CliRunner()


def batch_run(*args):
    return runner.invoke(app, ["batch", *args, "--as-of", AS_OF])


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_xlsx_out_holds_what_csv_holds_rows_sheet_first(tmp_path):
    out = tmp_path / "results.xlsx"
    r = batch_run("eligible", str(ROSTER), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.xlsx"]  # no temporary file left
    want = rows_of(batch_run("eligible", str(ROSTER)).stdout)
    with Sheet(out, "results.xlsx") as sheet:  # read back with ma-cli's own reader
        assert sheet.sheet_name == "rows" and sheet.header_line == 1
        assert sheet.header_cells == list(want[0])
        got = [dict(zip(sheet.header_cells, cells + [""] * (len(sheet.header_cells) - len(cells))))
               for _, cells in sheet.rows()]
    assert got == want
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["rows", "summary"] and wb.active.title == "rows"
    rows = wb["rows"]
    assert rows.freeze_panes == "A2" and rows.auto_filter.ref == f"A1:{rows.cell(1, rows.max_column).column_letter}9"
    assert isinstance(rows["G2"].value, datetime) and rows["G2"].number_format == "yyyy-mm-dd"  # a date cell
    assert isinstance(rows["B2"].value, int)
    assert rows.conditional_formatting  # answers coloured beside their text
    summary = {row[0]: row[1] for row in wb["summary"].iter_rows(values_only=True) if row[0]}
    assert summary["rows"] == 8 and summary["errors"] == 0


@pytest.mark.parametrize("command, roster, jobs", [("eligible", ROSTER, "1"), ("renew", RENEWALS, "1"),
                                                   ("eligible", ROSTER, "2")])
def test_xlsx_summary_writes_the_summary_sheet_alone(tmp_path, command, roster, jobs):
    # was an internal error (exit 70): every row was handed to a rows sheet that --summary leaves out
    out = tmp_path / "counts.xlsx"
    r = batch_run(command, str(roster), "--summary", "--jobs", jobs, "-o", str(out))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counts.xlsx"]
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["summary"]
    summary = {row[0]: row[1] for row in wb["summary"].iter_rows(values_only=True) if row[0]}
    assert summary["rows"] == len(rows_of(roster.read_text(encoding="utf-8")))


def test_xlsx_renew_uses_the_long_layout_and_text_never_becomes_a_formula(tmp_path):
    roster = tmp_path / "staff.csv"
    roster.write_text("id,credential,since,ce_clinical,note\n=HYPERLINK(\"x\"),cma,2022-03-15,14,+1 555\n"
                      "m2,rma,2021-01-01,,@home\n")
    out = tmp_path / "due.xlsx"
    r = batch_run("renew", str(roster), "-o", str(out))
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    ws = wb["rows"]
    header = [c.value for c in ws[1]]
    assert header == ["id", "line", "credential", "status", "due", "days_left", "grace_end", "ce_required",
                      "ce_counted", "ce_missing", "ce_unit", "error", "note"]
    assert ws["A2"].data_type == "s" and ws["A2"].value == '=HYPERLINK("x")'  # text, not a formula
    assert ws["M2"].value == "+1 555"
    assert isinstance(ws["E2"].value, datetime) and isinstance(ws["F2"].value, int)


def test_long_layout_csv_one_row_per_row_and_credential():
    r = batch_run("renew", str(RENEWALS), "--layout", "long")
    assert r.exit_code == 0, r.output
    rows = rows_of(r.stdout)
    assert list(rows[0])[:11] == ["id", "line", "credential", "status", "due", "days_left", "grace_end",
                                  "ce_required", "ce_counted", "ce_missing", "ce_unit"]
    wide = rows_of(batch_run("renew", str(RENEWALS)).stdout)
    for long_row, wide_row in zip(rows, wide):
        cred = long_row["credential"]
        assert long_row["status"] == wide_row[f"{cred}_status"] and long_row["due"] == wide_row[f"{cred}_due"]


def test_long_layout_error_and_skipped_rows_say_so_in_status(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("id,credential,since\nm1,cma,2022-03-15\nm2,cma,soon\nm3,rma,2022-01-01\n")
    r = batch_run("renew", str(roster), "--layout", "long", "--cert", "cma")
    assert r.exit_code == 4
    rows = rows_of(r.stdout)
    assert [(x["id"], x["status"]) for x in rows] == [("m1", "current"), ("m2", "error"), ("m3", "skipped")]
    assert "column since" in rows[1]["error"]


def test_default_csv_is_unchanged_by_the_new_options():
    plain = batch_run("renew", str(RENEWALS)).stdout
    assert plain.startswith("id,line,status,error,")
    assert "\r\n" not in plain and not plain.startswith("\ufeff")


def test_excel_csv_bom_crlf_and_neutralised_formulas(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text('id,program,completed,note\n=1+2,caahep,2026-05-15,"@SUM(A1)"\n-3,caahep,2026-05-15,ok\n')
    r = runner.invoke(app, ["batch", "eligible", str(roster), "--as-of", AS_OF, "--cert", "cma", "--excel"])
    assert r.exit_code == 0, r.output
    raw = r.stdout_bytes.decode("utf-8")
    assert raw.startswith("\ufeffid,line,status,error,cma_answer")
    assert raw.count("\r\n") == 3
    rows = list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff"), newline="")))
    assert [x["id"] for x in rows] == ["'=1+2", "'-3"] and rows[0]["note"] == "'@SUM(A1)"
    assert rows[0]["cma_deadline"] == "2027-05-15" and rows[0]["line"] == "2"


def test_excel_keeps_negative_numbers_as_numbers():
    r = batch_run("renew", str(RENEWALS), "--excel", "--layout", "long")
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"), newline="")))
    assert any(x["days_left"].startswith("-") for x in rows)  # -175 stays a number


def test_staff_calendar(tmp_path):
    ics = tmp_path / "staff.ics"
    r = batch_run("renew", str(RENEWALS), "--ics", str(ics), "-o", str(tmp_path / "due.csv"))
    assert r.exit_code == 0, r.output
    text = ics.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    uids = [line for line in text.splitlines() if line.startswith("UID:")]
    assert "UID:m-01-cma-due@ma-cli" in uids and len(uids) == len(set(uids))
    due = rows_of((tmp_path / "due.csv").read_text())
    assert text.count("BEGIN:VEVENT") == sum(1 for x in due for k, v in x.items()
                                             if (k.endswith("_due") or k.endswith("_grace_end")) and v)
    again = tmp_path / "again.ics"
    batch_run("renew", str(RENEWALS), "--ics", str(again))
    assert again.read_bytes().decode("utf-8") == text  # the same roster on the same day: the same file


def test_staff_calendar_twice_the_same_person_and_credential(tmp_path):
    # the second row's UIDs once held its roster line (m1-cma-line3-due): a row added above it renumbered
    # them, so next month's file added its events again; now its count among the rows of that id and
    # credential, which other rows do not change
    uids = {}
    for name, rows in (("r", "m1,cma,2022-03-15\nm1,cma,2023-03-15\n"),
                       ("more", "m0,cma,2021-01-10\nm1,cma,2022-03-15\nm2,cma,2024-02-01\nm1,cma,2023-03-15\n")):
        roster = tmp_path / f"{name}.csv"
        roster.write_text("id,credential,since\n" + rows)
        ics = tmp_path / f"{name}.ics"
        assert batch_run("renew", str(roster), "--ics", str(ics)).exit_code == 0
        uids[name] = [line for line in ics.read_text().splitlines() if line.startswith("UID:m1-")]
    assert uids["r"] == uids["more"] == ["UID:m1-cma-due@ma-cli", "UID:m1-cma-due-2@ma-cli"]


def test_failure_mid_run_leaves_no_workbook_and_no_calendar(tmp_path, monkeypatch):
    out, ics = tmp_path / "due.xlsx", tmp_path / "staff.ics"
    calls = {"n": 0}
    from ma_cli.reasoning import renewal

    real = renewal.Renewer.standing

    def flaky(self, *args):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(self, *args)

    monkeypatch.setattr(renewal.Renewer, "standing", flaky)
    r = batch_run("renew", str(RENEWALS), "-o", str(out), "--ics", str(ics))
    assert r.exit_code == 130
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("renew", [False, True])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_template_round_trip(tmp_path, renew, suffix):
    path = tmp_path / f"roster{suffix}"
    r = runner.invoke(app, ["batch", "template", str(path), *(["--renew"] if renew else [])])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    from ma_cli.inputs import roster, roster_renew

    columns = list((roster_renew if renew else roster).COLUMNS)
    if suffix == ".xlsx":
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == ["Roster", "Columns"]
        assert [c.value for c in wb["Roster"][1]] == columns
        ws = wb["Roster"]
        ws.append(["m1", "cma", date(2022, 3, 15)] if renew else ["s1", 24, None, "yes", "caahep", date(2026, 5, 15)])
        wb.save(path)
    else:
        assert path.read_text() == ",".join(columns) + "\n"
        with open(path, "a") as f:
            f.write("m1,cma,2022-03-15\n" if renew else "s1,24,,yes,caahep,2026-05-15\n")
    r = batch_run("renew" if renew else "eligible", str(path), "--cert", "cma")
    assert r.exit_code == 0, r.output
    assert rows_of(r.stdout)[0]["cma_" + ("status" if renew else "answer")] in ("current", "eligible")


@pytest.mark.parametrize("args, message", [
    (["eligible", str(ROSTER), "--format", "xlsx"], "--format xlsx: a workbook needs -o FILE.xlsx"),
    (["eligible", str(ROSTER), "--format", "jsonl", "-o", "x.xlsx"],
     "-o x.xlsx: the name ends in .xlsx, which is xlsx output, but --format is jsonl (expected --format xlsx"),
    (["eligible", str(ROSTER), "--format", "json", "--excel"], "--excel: is for CSV output (the output is json)"),
    (["renew", str(RENEWALS), "--layout", "tall"], "--layout: 'tall' is not known; expected one of: wide, long"),
    (["renew", str(RENEWALS), "--layout", "long", "--format", "jsonl"], "--layout: is for CSV and .xlsx output"),
    (["renew", str(RENEWALS), "-o", "a.csv", "--ics", "a.csv"], "--ics a.csv: is the -o file too"),
    (["eligible", str(ROSTER), "-o", "-", "--format", "xlsx"], "-o -: a workbook is not written to standard output"),
    (["renew", str(RENEWALS), "--ics", "-"], "--ics -: the rows go to standard output too"),
])
def test_bad_output_options_exit_2_before_anything_is_written(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    r = batch_run(*args)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith(f"ma-cli: error: {message}") and len(r.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind, roster", [("eligible", ROSTER), ("renew", RENEWALS)])
@pytest.mark.parametrize("name, fmt", [("out.csv", "csv"), ("out.json", "json"), ("out.JSON", "json"),
                                       ("out.jsonl", "jsonl"), ("out.html", "html"), ("out.Htm", "html"),
                                       ("out.txt", "csv"), ("out", "csv")])
def test_the_output_format_follows_the_o_name(tmp_path, kind, roster, name, fmt):
    # -o results.json wrote CSV under a .json name; the name's ending now picks the format, as .xlsx did
    out = tmp_path / name
    r = batch_run(kind, str(roster), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8") == batch_run(kind, str(roster), "--format", fmt).stdout


@pytest.mark.parametrize("kind, roster", [("eligible", ROSTER), ("renew", RENEWALS)])
@pytest.mark.parametrize("name, fmt, named", [("out.json", "csv", "json"), ("out.JSONL", "json", "jsonl"),
                                              ("out.html", "jsonl", "html"), ("out.csv", "html", "csv"),
                                              ("out.htm", "csv", "html"), ("out.xlsx", "csv", "xlsx")])
def test_a_format_the_o_name_contradicts_is_refused(tmp_path, kind, roster, name, fmt, named):
    r = batch_run(kind, str(roster), "-o", str(tmp_path / name), "--format", fmt)
    assert r.exit_code == 2, r.output
    suffix = name[name.rindex("."):]
    assert r.stderr == (f"ma-cli: error: -o {tmp_path / name}: the name ends in {suffix}, which is {named} output, "
                        f"but --format is {fmt} (expected --format {named}, or a file name that fits the format)\n")
    assert r.stdout == "" and list(tmp_path.iterdir()) == []


def test_a_100k_row_workbook_is_written_in_flat_memory(tmp_path):
    """Peak memory of a 2,000-row and a 20,000-row .xlsx run differ by little (rows go to disk)."""
    import os
    import subprocess
    import sys

    peaks = []
    for n in (2_000, 20_000):
        roster = tmp_path / f"r{n}.csv"
        with open(roster, "w") as f:
            f.write("id,credential,since,ce_clinical\n")
            for i in range(n):
                f.write(f"m{i},cma,20{10 + i % 15}-0{1 + i % 9}-15,{i % 30}\n")
        proc = subprocess.Popen([sys.executable, "-m", "ma_cli", "batch", "renew", str(roster), "-o",
                                 str(tmp_path / f"o{n}.xlsx"), "--as-of", AS_OF],
                                env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        peaks.append(usage.ru_maxrss)
    assert peaks[1] < peaks[0] * 1.3, peaks


def test_a_workbook_with_a_long_name(tmp_path):
    out = tmp_path / ("r" * 240 + ".xlsx")  # its temporary names must fit in 255 bytes too
    r = batch_run("eligible", str(ROSTER), "-o", str(out), "--cert", "cma")
    assert r.exit_code == 0, r.output
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def _cells_line(job, r) -> str:
    """The default CSV line as the csv writer makes it of every cell's text (render_batch._cell)."""
    from ma_cli.output.render_batch import _cell

    cells = [r.id, r.line, r.status, r.error or ""]
    for c in job.credentials:
        cells.extend(map(_cell, r.answers.get(c, (None,) * len(job.fields))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([*cells, *r.extra])
    return out.getvalue()


def test_default_csv_line_is_the_csv_writers_line_of_its_cells():
    """CsvRows puts kept answer texts into a line: the same text as writing every cell, for answers seen
    before and not, quoted or not, and for a row without answers or with one empty pass-through cell."""
    from ma_cli.output.render_batch import CsvRows
    from ma_cli.reasoning.batch import Job, RowResult

    job = Job("eligible", ("a", "b"), ("answer", "route", "day", "why"), ("eligible", "not_eligible"),
              ("eligible",), "eligible", "eligible_any", lambda row: None)
    answers = [("eligible", "r-1", date(2026, 5, 1), None), ("not_eligible", None, None, 'says "no", twice'),
               ("not_eligible", None, None, "a, b"), ("review", "r", None, "line\nbreak"), ("review", "", None, "")]
    rows = []
    for n, (first, second) in enumerate(zip(answers, answers[1:] + answers[:1])):
        for extra in ((), ("",), ("x",), ("p, q", 'a "b"'), ("", "")):
            rows.append(RowResult(n + 2, f"s-{n}", None, {"a": first, "b": second}, extra))
            rows.append(RowResult(n + 2, 'i,"d', "line 3: bad", {}, extra))
    for width in (0, 1, 2):
        mine = [r for r in rows if len(r.extra) == width] * 2  # the second time every answer is one seen before
        out = io.StringIO()
        writer = CsvRows(out, job, ["n"] * width, date(2026, 11, 23), "bundled")
        header = out.getvalue()
        for r in mine:
            writer.write(r)
        assert out.getvalue()[len(header):] == "".join(_cells_line(job, r) for r in mine)


@pytest.mark.parametrize("command, roster", [
    ("eligible", "id,program,completed,high_school,note,note,Note\na,caahep,2024-05-01,yes,n1,n2,n3\n"),
    ("renew", "id,credential,since,note,note,Note\na,cma,2022-01-01,n1,n2,n3\n"),
])
def test_a_repeated_pass_through_header_keeps_every_cell_in_json_as_in_csv(tmp_path, command, roster):
    import json

    (tmp_path / "r.csv").write_text(roster, encoding="utf-8")
    as_csv = batch_run(command, str(tmp_path / "r.csv"))
    header, row = list(csv.reader(io.StringIO(as_csv.stdout)))[:2]
    in_csv = dict(zip(header[-3:], row[-3:]))
    as_jsonl = batch_run(command, str(tmp_path / "r.csv"), "--format", "jsonl")
    extra = json.loads(as_jsonl.stdout.splitlines()[0])["extra"]
    assert sorted(extra.values()) == ["n1", "n2", "n3"]
    assert extra == in_csv


def test_xlsx_text_is_escaped_as_every_results_file_escapes_it(tmp_path):
    """Control characters become escapes (\\x1b) in the workbook as in the CSV, through the one function
    (render_batch.escaped); text that starts like a formula is typed text (quote prefix), so editing the
    cell keeps it text; a typed `_x000D_` survives the workbook's own escapes."""
    from ma_cli.output.render_batch import escaped

    roster = tmp_path / "r.csv"
    roster.write_text('id,program,completed,note\n"=HYPERLINK(""x"")",caahep,2026-05-15,"red\x1b[31m"\n'
                      "s2,caahep,2026-05-15,@home\ns3,caahep,2026-05-15,a_x000D_b\n")
    out = tmp_path / "o.xlsx"
    r = batch_run("eligible", str(roster), "--cert", "cma", "-o", str(out))
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(out)["rows"]
    note = [c.value for c in ws[1]].index("note")
    got = [(row[0].quotePrefix, row[note].quotePrefix) for row in ws.iter_rows(2)]
    from xlsxwriter.format import Format

    marks = hasattr(Format(), "set_quote_prefix")  # (XlsxWriter 3.0.1, the oldest allowed, has no such mark)
    assert got == ([(True, False), (False, True), (False, False)] if marks else [(False, False)] * 3)
    assert [(row[0].data_type, row[note].data_type) for row in ws.iter_rows(2)] == [("s", "s")] * 3  # text
    with Sheet(out, "o.xlsx") as sheet:  # (openpyxl leaves an inline string's _x005F_ undecoded; Excel does not)
        got = [(cells[0], cells[note]) for _, cells in sheet.rows()]
    assert got == [('=HYPERLINK("x")', "red\\x1b[31m"), ("s2", "@home"), ("s3", "a_x000D_b")]
    assert escaped("red\x1b[31m") == "red\\x1b[31m" and escaped("@home", formulas=True) == "'@home"
    csv_out = rows_of(batch_run("eligible", str(roster), "--cert", "cma").stdout)
    assert [x["note"] for x in csv_out] == ["red\\x1b[31m", "@home", "a_x000D_b"]


_FORMULA_NAMES = ["=SUM(A1)", "+cmd", "-x", "@x"]


def _roster_workbook(path, maker: str, header: list[str], row: list[str]) -> None:
    """A roster as Excel saves one whose header cells were typed as text ('=SUM(A1)): text cells marked
    with the quote prefix, written by XlsxWriter or by openpyxl."""
    if maker == "xlsxwriter":
        import xlsxwriter
        from xlsxwriter.format import Format

        book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
        # (XlsxWriter 3.0.1, the oldest allowed, has no quote-prefix mark: its text cells are text all the same)
        marks = hasattr(Format(), "set_quote_prefix")
        sheet, typed = book.add_worksheet("Roster"), book.add_format({"quote_prefix": True}) if marks else None
        for r, cells in enumerate((header, row)):
            for c, text in enumerate(cells):
                sheet.write_string(r, c, text, typed if text.startswith(("=", "+", "-", "@")) else None)
        book.close()
        return
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, cells in enumerate((header, row), 1):
        for c, text in enumerate(cells, 1):
            cell = ws.cell(r, c, text)
            cell.data_type = "s"  # (openpyxl takes text that starts with '=' for a formula unless told)
            cell.quotePrefix = text.startswith(("=", "+", "-", "@"))
    wb.save(path)


@pytest.mark.parametrize("maker", ["xlsxwriter", "openpyxl", "csv"])
@pytest.mark.parametrize("command, header, row", [
    ("eligible", ["id", "program", "completed"], ["s1", "caahep", "2026-05-15"]),
    ("renew", ["id", "credential", "since"], ["m1", "cma", "2022-03-15"]),
])
def test_a_header_that_starts_like_a_formula_is_marked_as_text_as_a_body_cell_is(tmp_path, maker, command, header,
                                                                                   row):
    # a pass-through column's name is the roster's own text: in the workbook it is typed text (quote prefix),
    # as a body cell that starts like a formula is, so editing it never makes it a formula; in CSV the header
    # is written as its body cells are (as it is; with --excel behind a ')
    header, row = header + _FORMULA_NAMES, row + _FORMULA_NAMES[::-1]
    if maker == "csv":
        roster = tmp_path / "r.csv"
        roster.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    else:
        roster = tmp_path / "r.xlsx"
        _roster_workbook(roster, maker, header, row)
    out = tmp_path / "o.xlsx"
    r = batch_run(command, str(roster), "--cert", "cma", "-o", str(out))
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(out)["rows"]
    head, body = ws[1], ws[2]
    from xlsxwriter.format import Format

    marks = hasattr(Format(), "set_quote_prefix")  # (XlsxWriter 3.0.1, the oldest allowed, has no such mark)
    got = [(c.value, c.data_type, c.quotePrefix, c.font.b) for c in head[-4:]]
    assert got == [(name, "s", marks, True) for name in _FORMULA_NAMES]
    assert [(c.value, c.data_type, c.quotePrefix) for c in body[-4:]] == [(t, "s", marks) for t in _FORMULA_NAMES[::-1]]
    assert not head[0].quotePrefix and head[0].font.b  # the other header cells as before
    for args, shown in (((), lambda t: t), (("--excel",), lambda t: "'" + t)):
        lines = list(csv.reader(io.StringIO(batch_run(command, str(roster), "--cert", "cma", *args).stdout
                                            .lstrip("\ufeff"))))
        assert lines[0][-4:] == [shown(t) for t in _FORMULA_NAMES]
        assert lines[1][-4:] == [shown(t) for t in _FORMULA_NAMES[::-1]]


@pytest.mark.parametrize("args", [["batch", "eligible", str(ROSTER), "-o", "{dir}/o.xls"],
                                  ["batch", "eligible", str(ROSTER), "--format", "csv", "-o", "{dir}/o.ODS"],
                                  ["batch", "renew", str(RENEWALS), "-o", "{dir}/o.xlsb"],
                                  ["batch", "template", "{dir}/o.numbers"],
                                  # the name as the file system keeps it: all suffix, a trailing dot or space
                                  ["batch", "eligible", str(ROSTER), "-o", "{dir}/.xls"],
                                  ["batch", "eligible", str(ROSTER), "-o", "{dir}/o.xls."],
                                  ["batch", "eligible", str(ROSTER), "-o", "{dir}/o.xltx "],
                                  ["batch", "eligible", str(ROSTER), "--format", "xlsx", "-o", "{dir}/o.xls"],
                                  ["batch", "template", "{dir}/o.fods"],
                                  # templates, add-ins, workspaces, and other programs' spreadsheets
                                  ["batch", "eligible", str(ROSTER), "-o", "{dir}/o.xltm"],
                                  ["batch", "eligible", str(ROSTER), "-o", "{dir}/o.XLAM"],
                                  ["batch", "eligible", str(ROSTER), "-o", "{dir}/o.xla"],
                                  ["batch", "renew", str(RENEWALS), "-o", "{dir}/o.xlw"],
                                  ["batch", "eligible", str(ROSTER), "-o", "{dir}/o.ots"],
                                  ["batch", "eligible", str(ROSTER), "-o", "{dir}/o.sxc"],
                                  ["batch", "template", "{dir}/o.et"],
                                  ["batch", "template", "{dir}/o.xltm"]])
def test_another_spreadsheet_formats_name_is_refused_not_given_csv(tmp_path, args):
    """-o results.xls wrote CSV under an Excel 97-2003 name (Excel warns that the content does not match it;
    .xlsb and .ods would not open at all): refused, as .xlsm is, before anything is read or written."""
    r = runner.invoke(app, [a.replace("{dir}", str(tmp_path)) for a in args])
    assert r.exit_code == 2, r.output
    assert "a format ma-cli does not write" in r.stderr
    assert "(expected a name ending in .xlsx for a workbook, or .csv)" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_every_spreadsheet_name_refused_is_in_the_readme():
    """The README lists the names -o refuses; one added to OTHER_SHEETS is added there too."""
    from ma_cli.output.batch_formats import OTHER_SHEETS

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    said = readme.split("**The format follows `-o`'s name**", 1)[1].split("\n\n", 1)[0]
    assert [suffix for suffix in OTHER_SHEETS if f"`{suffix}`" not in said] == []


@pytest.mark.parametrize("args", [["batch", "eligible", str(ROSTER), "-o", "{dir}/o.xlsm"],
                                  ["batch", "eligible", str(ROSTER), "--format", "xlsx", "-o", "{dir}/o.XLSM"],
                                  ["batch", "renew", str(RENEWALS), "-o", "{dir}/o.xlsm"],
                                  ["batch", "template", "{dir}/o.xlsm"]])
def test_a_macro_workbook_name_is_refused_not_written_as_a_plain_workbook(tmp_path, args):
    r = runner.invoke(app, [a.replace("{dir}", str(tmp_path)) for a in args])
    assert r.exit_code == 2, r.output
    assert "a macro workbook's name" in r.stderr and "(expected a name ending in .xlsx)" in r.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command, roster", [("eligible", ROSTER), ("renew", RENEWALS)])
def test_excel_summary_is_csv_for_excel_too(command, roster):
    """README: "`--excel` writes the same CSV with a UTF-8 byte-order mark and CRLF line ends". With
    --summary it wrote plain CSV (no mark, LF)."""
    r = batch_run(command, str(roster), "--excel", "--summary")
    assert r.exit_code == 0, r.output
    raw = r.stdout_bytes.decode("utf-8")
    plain = batch_run(command, str(roster), "--summary").stdout
    assert raw == "\ufeff" + plain.replace("\n", "\r\n")


def test_staff_calendar_shows_a_line_feed_in_an_id_instead_of_breaking_the_line(tmp_path):
    """README: "control characters are made visible ... This holds in ... iCalendar text". A line feed
    became iCalendar's `\\n`, a line break in the calendar's text; it is `\\n` shown, as a CR is `\\r`."""
    roster = tmp_path / "nl.csv"
    roster.write_text('id,credential,since\n"a\nSUMMARY:x\tb",cma,2022-03-15\n"c\rd",cma,2022-03-15\n')
    ics = tmp_path / "nl.ics"
    assert batch_run("renew", str(roster), "--ics", str(ics)).exit_code == 0
    lines = ics.read_bytes().decode("utf-8").split("\r\n")
    summaries = [line for line in lines if line.startswith("SUMMARY:")]
    assert summaries[0] == "SUMMARY:a\\\\nSUMMARY:x\\\\tb: CMA (AAMA) renewal due"
    assert "SUMMARY:c\\\\rd: CMA (AAMA) renewal due" in summaries
    assert not any("\\n" in line.replace("\\\\", "") for line in lines)  # no calendar line break anywhere


def test_csv_keeps_text_longer_than_a_workbook_cell_whole(tmp_path):
    """A workbook refuses a cell over 32,767 characters (tests/bad_inputs/batch-xlsx-*); CSV has no limit."""
    roster = tmp_path / "r.csv"
    long_id = "a" * 40000
    roster.write_text(f"id,program,completed\n{long_id},caahep,2026-05-15\n{long_id}b,caahep,2026-05-15\n")
    r = batch_run("eligible", str(roster))
    assert r.exit_code == 0, r.output
    assert [x["id"] for x in rows_of(r.stdout)] == [long_id, long_id + "b"]


@pytest.mark.parametrize("command, roster", [("eligible", ROSTER), ("renew", RENEWALS)])
def test_a_workbook_is_the_same_bytes_whenever_it_is_written(tmp_path, command, roster):
    """README: every format is byte-identical across --jobs; the workbook's created time (docProps/core.xml)
    was the clock's, so two runs differed. It is the as-of day."""
    import time
    import zipfile

    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert batch_run(command, str(roster), "-o", str(first)).exit_code == 0
    time.sleep(1.1)  # the clock's created time has whole seconds
    assert batch_run(command, str(roster), "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    core = zipfile.ZipFile(first).read("docProps/core.xml").decode("utf-8")
    assert f'<dcterms:created xsi:type="dcterms:W3CDTF">{AS_OF}T00:00:00Z</dcterms:created>' in core
