"""Workbook rosters (.xlsx): real files made by openpyxl and XlsxWriter read as the same CSV would be."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest
from typer.testing import CliRunner

from ma_cli.base.errors import InputError
from ma_cli.commands.cli import app
from ma_cli.inputs.sheets import Sheet, _serial_date, date_precision, merge_range

openpyxl = pytest.importorskip("openpyxl")
xlsxwriter = pytest.importorskip("xlsxwriter")

AS_OF = "2026-11-23"
runner = CliRunner()
CSV = ("id,age,high_school,program,completed,expected,work,name\n"
       "s1,24,yes,caahep,2026-05-15,,2024-10-01..present@20,José Peña\n"
       "s2,15,no,caahep,2026-05-15,,,Ann\n"
       "s3,31,yes,abhes,,2026-12-10,,Bo\n")


def batch(*args):
    return runner.invoke(app, ["batch", *args, "--as-of", AS_OF])


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def openpyxl_roster(path, write_only=False, epoch1904=False):
    wb = openpyxl.Workbook(write_only=write_only)
    if epoch1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.create_sheet("Notes") if write_only else wb.active
    if not write_only:
        ws.title = "Notes"
    ws.append(["not the roster"])
    ws = wb.create_sheet("Roster")
    ws.append(["id", "age", "high_school", "program", "completed", "expected", "work", "name"])
    ws.append(["s1", 24.0, "yes", "caahep", datetime(2026, 5, 15), None, "2024-10-01..present@20", "José Peña"])
    ws.append([None] * 8)  # a blank row is not a person
    ws.append(["s2", 15, "no", "caahep", date(2026, 5, 15), None, None, "Ann"])
    ws.append(["s3", 31, True, "abhes", None, date(2026, 12, 10), None, "Bo"])
    wb.save(path)


def answers(out):
    return [{k: v for k, v in row.items() if k != "line"} for row in rows_of(out)]


@pytest.mark.parametrize("write_only", [False, True])
@pytest.mark.parametrize("epoch1904", [False, True])
def test_an_openpyxl_workbook_answers_as_the_csv(tmp_path, write_only, epoch1904):
    path = tmp_path / "r.xlsx"
    openpyxl_roster(path, write_only, epoch1904)
    (tmp_path / "r.csv").write_text(CSV, encoding="utf-8")
    want = batch("eligible", str(tmp_path / "r.csv"), "--cert", "cma", "--cert", "ccma")
    got = batch("eligible", str(path), "--sheet", "Roster", "--cert", "cma", "--cert", "ccma")
    assert got.exit_code == 0, got.output
    assert answers(got.stdout) == answers(want.stdout)
    assert [r["line"] for r in rows_of(got.stdout)] == ["2", "4", "5"]  # the sheet's row numbers
    assert rows_of(got.stdout)[1]["ccma_answer"] == "not_eligible"


def test_the_first_visible_sheet_is_read_by_default(tmp_path):
    path = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Hidden"
    wb.active.append(["nothing"])
    wb.active.sheet_state = "hidden"
    ws = wb.create_sheet("Cohort")
    ws.append(["id", "program", "completed"])
    ws.append(["s1", "caahep", date(2026, 5, 15)])
    wb.save(path)
    r = batch("eligible", str(path), "--cert", "cma")
    assert r.exit_code == 0, r.output
    assert rows_of(r.stdout)[0]["cma_answer"] == "eligible"


def test_formulas_by_cached_value_numbers_booleans_errors_and_times(tmp_path):
    path = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Roster")
    day = wb.add_format({"num_format": "mm/dd/yyyy"})
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.write_row(0, 0, ["id", "age", "program", "completed", "note", "flag", "when", "score"])
    ws.write_formula(1, 0, '="s"&"1"', None, "s1")
    ws.write_formula(1, 1, "=20+4", None, 24)
    ws.write_string(1, 2, "caahep")
    ws.write_datetime(1, 3, datetime(2026, 5, 15), day)
    ws.write_formula(1, 4, "=NA()", None, "#N/A")
    ws.write_boolean(1, 5, True)
    ws.write_datetime(1, 6, datetime(2026, 5, 15, 13, 30), stamp)
    ws.write_number(1, 7, 2.5)
    wb.close()
    r = batch("eligible", str(path), "--cert", "cma")
    assert r.exit_code == 0, r.output
    (row,) = rows_of(r.stdout)
    assert (row["id"], row["cma_answer"], row["note"], row["flag"], row["when"], row["score"]) == (
        "s1", "eligible", "#N/A", "TRUE", "2026-05-15 13:30:00", "2.5")


def test_a_formula_error_in_a_roster_column_is_an_error_row(tmp_path):
    path = tmp_path / "e.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["id", "program", "completed"])
    ws.write_row(1, 0, ["s1", "caahep"])
    ws.write_formula(1, 2, "=1/0", None, "#DIV/0!")
    ws.write_row(2, 0, ["s2", "caahep", "2026-05-15"])
    wb.close()
    r = batch("eligible", str(path), "--cert", "cma")
    assert r.exit_code == 4
    out = rows_of(r.stdout)
    assert out[0]["status"] == "error" and "'#DIV/0!' is not a date" in out[0]["error"]
    assert out[1]["status"] == "ok"


def test_shared_strings_and_rich_text(tmp_path):
    path = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(path))  # not constant_memory: strings are shared, as Excel writes them
    ws = wb.add_worksheet()
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, ["id", "program", "completed", "name"])
    ws.write_row(1, 0, ["s1", "caahep", "2026-05-15"])
    ws.write_rich_string(1, 3, "Jos", bold, "é", " Peña")
    wb.close()
    with Sheet(path, "s.xlsx") as sheet:
        assert sheet.header_cells == ["id", "program", "completed", "name"]
        assert list(sheet.rows()) == [(2, ["s1", "caahep", "2026-05-15", "José Peña"])]


def test_a_workbook_renewal_roster(tmp_path):
    path = tmp_path / "staff.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Employee ID", "credential", "since", "ce_clinical"])
    ws.append(["m1", "cma", datetime(2022, 3, 15), 14.0])
    wb.save(path)
    r = batch("renew", str(path), "--column", "Employee ID=id")
    assert r.exit_code == 0, r.output
    want = batch("renew", "-", "--help")  # (the command exists; compare with the CSV below)
    assert want.exit_code == 0
    csv_path = tmp_path / "staff.csv"
    csv_path.write_text("id,credential,since,ce_clinical\nm1,cma,2022-03-15,14\n")
    assert r.stdout == batch("renew", str(csv_path)).stdout


@pytest.mark.parametrize("code, precision", [
    ("yyyy-mm-dd", "day"), ("m/d/yy", "day"), ("[$-409]mmmm d, yyyy;@", "day"), ("yyyy-mm hh:mm", "day"),
    ("d-mmm", "day"), ("yyyy-mm", "month"), ("mmm yyyy", "month"), ("mm/yyyy", "month"), ("mmmm yyyy", "month"),
    ("mmm-yy", "month"), ('yyyy "d" mm', "month"), ("yyyy\\dmm", "month"), ("[$-409]mmm yyyy;@", "month"),
    ("[Blue]yyyy-mm", "month"), ("yyyy", "year"), ("h:mm AM/PM", "time"), ("h:mm", "time"), ("mm:ss", "time"),
    ("hh:mm:ss", "time"), ("[h]:mm:ss", None), ("[mm]:ss", None),
    ("General", None), ("0.00", None), ('#,##0 "days"', None), ("0.00_);[Red](0.00)", None), ("@", None),
    ("0.00E+00", None), ('0;"d"yyyy', None),
])
def test_date_formats(code, precision):
    assert date_precision(code) == precision


def test_serial_dates():
    assert _serial_date(46157.0, None) == "2026-05-15"
    assert _serial_date(46157.5, None) == "2026-05-15 12:00:00"
    assert _serial_date(46157.99999999, None) == "2026-05-16"  # rounds to the next midnight
    assert _serial_date(1.0, None) == "1900-01-01"
    assert _serial_date(60.0, None) == "1900-02-29"  # spreadsheets' leap day: not a date, refused later
    assert _serial_date(61.0, None) == "1900-03-01"
    assert _serial_date(40118.0, None, "month") == "2009-11"
    assert _serial_date(40118.75, None, "year") == "2009"
    assert _serial_date(0.0, None, "time") == "00:00"
    assert _serial_date(0.5 + 5 / 86400, None, "day") == "12:00:05"  # day 0, 1900-01-00, is no date
    assert _serial_date(0.25, date(1904, 1, 1), "time") == "06:00"
    assert _serial_date(0.25, date(1904, 1, 1), "day") == "1904-01-01 06:00:00"  # a real day there


PROBE = """
import io, json, sys, contextlib
from ma_cli.commands.cli import main
try:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules if m.startswith(
    ("ma_cli.inputs.sheets", "ma_cli.output.render_xlsx", "xlsxwriter", "openpyxl", "python_calamine")))}))
"""


def test_a_csv_run_imports_no_workbook_code(tmp_path):
    import json
    import subprocess
    import sys

    roster = tmp_path / "r.csv"
    roster.write_text("id,program,completed\ns1,caahep,2026-05-15\n")
    proc = subprocess.run([sys.executable, "-c", PROBE, "batch", "eligible", str(roster), "--as-of", AS_OF],
                          capture_output=True, text=True, timeout=60)
    got = json.loads(proc.stdout)
    assert got == {"code": 0, "modules": []}


def test_empty_header_cells_of_a_sheet_are_not_columns(tmp_path):
    """Header cells once formatted but never named (right of the table, or a gap) are not columns; a value
    under one is an error row naming the row and the column's position, as in a CSV roster."""
    path = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "program", "completed", None, "name"])
    ws.append(["s1", "caahep", date(2026, 5, 15), None, "Ann"])
    ws.append(["s2", "caahep", date(2026, 5, 15), "x", "Bo"])
    for column in (4, 6, 7):  # formatted, empty: written as cells of the header row
        ws.cell(row=1, column=column).font = openpyxl.styles.Font(bold=True)
    wb.save(path)
    r = batch("eligible", str(path), "--cert", "cma")
    assert r.exit_code == 4, r.output
    rows = rows_of(r.stdout)
    assert list(rows[0])[-1] == "name" and "" not in rows[0] and not any(k.startswith("input_") for k in rows[0])
    assert [(row["id"], row["status"], row["name"]) for row in rows] == [("s1", "ok", "Ann"), ("s2", "error", "Bo")]
    assert rows[1]["error"].startswith("line 3: a value in column 4, which has no name in the header line")


# --- cells that must never be read as text: formulas without a saved value, error values as ids -------

def test_a_formula_without_a_saved_value_is_an_error_row_naming_its_column(tmp_path):
    """openpyxl writes a formula with an empty value (it computes nothing): neither empty nor the formula."""
    path = tmp_path / "f.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "program", "completed", "name"])
    ws.append(["s1", "caahep", "=DATE(2026,5,15)", "Ann"])
    ws.append(["s2", "caahep", date(2026, 5, 15), '="B"&"o"'])  # even in a passed-through column
    ws.append(["s3", "caahep", date(2026, 5, 15), "Cy"])
    wb.save(path)
    r = batch("eligible", str(path), "--cert", "cma")
    assert r.exit_code == 4, r.output
    rows = rows_of(r.stdout)
    assert [(x["line"], x["status"]) for x in rows] == [("2", "error"), ("3", "error"), ("4", "ok")]
    assert rows[0]["error"].startswith("line 2: column 'completed' (C2) is a formula with no saved value "
                                       "(open the workbook in Excel or LibreOffice and save it")
    assert rows[1]["error"].startswith("line 3: column 'name' (D3) is a formula with no saved value")
    # the error rows still say whose they are, and carry the cells passed through (the formula's left empty)
    assert [(x["id"], x["name"]) for x in rows] == [("s1", "Ann"), ("s2", ""), ("s3", "Cy")]


def _rewrite(path, part, old, new):
    """One part of a workbook with `old` replaced (a cell as another program saves it)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {i: z.read(i) for i in z.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts.items():
            z.writestr(info, data.replace(old, new) if info.filename == part else data)


def test_xlsxwriter_placeholder_zero_is_not_a_value(tmp_path):
    """XlsxWriter stores 0 for a formula it was given no value for, and asks for a recalculation on opening
    (fullCalcOnLoad): that 0 is not the formula's value. A value it was given is read."""
    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["id", "program", "completed", "age"])
    ws.write_row(1, 0, ["s1", "caahep", "2026-05-15"])
    ws.write_formula(1, 3, "=20+4")  # no value given: stored as 0
    ws.write_row(2, 0, ["s2", "caahep", "2026-05-15"])
    ws.write_formula(2, 3, "=20+4", None, 24)
    ws.write_row(3, 0, ["s3", "caahep", "2026-05-15"])
    ws.write_formula(3, 4, '=IF(1,"","x")', None, "x")
    wb.close()
    _rewrite(path, "xl/worksheets/sheet1.xml", b'<v>x</v>', b'<v></v>')  # "", saved as Excel saves it
    with Sheet(path, "x.xlsx") as sheet:
        got = list(sheet.rows())
    assert got[0] == (2, ("line 2: column 'age' (D2) is a formula with no saved value (open the workbook in "
                          "Excel or LibreOffice and save it, so the values are stored with the formulas; or "
                          "type the value)", ["s1", "caahep", "2026-05-15", ""]))
    assert got[1] == (3, ["s2", "caahep", "2026-05-15", "24"])
    assert got[2] == (4, ["s3", "caahep", "2026-05-15"])


def test_a_formula_without_a_value_in_the_header_refuses_the_sheet(tmp_path):
    path = tmp_path / "h.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "program", '="comp"&"leted"'])
    ws.append(["s1", "caahep", date(2026, 5, 15)])
    wb.save(path)
    r = batch("eligible", str(path), "--cert", "cma")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.strip().count("\n") == 0 and "Traceback" not in r.output
    assert f"{path}: sheet 'Sheet': header cell C1 is a formula with no saved value" in r.stderr


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#DIV/0!", "#VALUE!"])
def test_error_values_in_a_date_or_number_column_are_error_rows(tmp_path, error):
    path = tmp_path / "e.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["id", "program", "completed", "age"])
    ws.write_row(1, 0, ["s1", "caahep"])
    ws.write_formula(1, 2, "=X1", None, error)
    ws.write_row(2, 0, ["s2", "caahep", "2026-05-15"])
    ws.write_formula(2, 3, "=X1", None, error)
    wb.close()
    rows = rows_of(batch("eligible", str(path), "--cert", "cma").stdout)
    assert rows[0]["status"] == rows[1]["status"] == "error"
    assert rows[0]["error"].startswith(f"line 2, column completed: '{error}' is not a date")
    assert rows[1]["error"].startswith(f"line 3, column age: '{error}' is not a number")


def test_an_error_value_is_never_an_id(tmp_path):
    """#N/A where the id is (a failed lookup) is an error row naming the cell, not a person called #N/A;
    the id column is found through --column as any roster column is."""
    path = tmp_path / "e.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["program", "completed", "Student ID", "note"])
    ws.write_row(1, 0, ["caahep", "2026-05-15"])
    ws.write_formula(1, 2, "=VLOOKUP(1,Z:Z,1,0)", None, "#N/A")
    ws.write_row(2, 0, ["caahep", "2026-05-15", "s2"])
    ws.write_formula(2, 3, "=1/0", None, "#DIV/0!")  # passed through as the sheet shows it
    wb.close()
    r = batch("eligible", str(path), "--cert", "cma", "--column", "Student ID=id")
    assert r.exit_code == 4, r.output
    rows = rows_of(r.stdout)
    assert [(x["id"], x["status"]) for x in rows] == [("", "error"), ("s2", "ok")]
    assert rows[0]["error"] == ("line 2: column 'Student ID' (C2) holds the error value #N/A (expected the "
                                "person's id: correct the formula, or type the id)")
    assert rows[1]["note"] == "#DIV/0!"


# --- numbers and text as typed ----------------------------------------------------------------------

def test_ids_read_as_typed(tmp_path):
    """Large whole numbers as their digits (never 1e+20), text digits kept, 42.0 as 42: by both writers."""
    path = tmp_path / "ids.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "program", "completed"])
    # 12345678901234567890 is no double: openpyxl stores 1.234567890123457e+19, read as those digits
    for pid in (1e20, 12345678901234567890, "0012", 42.0, -7.0, 2.5):
        ws.append([pid, "caahep", date(2026, 5, 15)])
    wb.save(path)
    other = tmp_path / "ids2.xlsx"
    book = xlsxwriter.Workbook(str(other))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["id", "program", "completed"])
    for r, pid in enumerate((1e20, 1e15, 123456789012345.0), 1):
        sheet.write_number(r, 0, pid)
        sheet.write_row(r, 1, ["caahep", "2026-05-15"])
    book.close()
    ids = [x["id"] for x in rows_of(batch("eligible", str(path), "--cert", "cma").stdout)]
    assert ids == ["100000000000000000000", "12345678901234570000", "0012", "42", "-7", "2.5"]
    ids = [x["id"] for x in rows_of(batch("eligible", str(other), "--cert", "cma").stdout)]
    assert ids == ["100000000000000000000", "1000000000000000", "123456789012345"]


def test_excel_escapes_in_text_are_decoded(tmp_path):
    """A workbook stores a carriage return as _x000D_ and a typed `_x000D_` as _x005F_x000D_ (XlsxWriter as
    Excel does), in shared strings and inline strings alike."""
    for memory in (False, True):  # shared strings; inline strings
        path = tmp_path / f"x{memory}.xlsx"
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": memory})
        ws = wb.add_worksheet()
        ws.write_row(0, 0, ["id", "program", "completed", "note_x0041_"])
        ws.write_row(1, 0, ["s1", "caahep", "2026-05-15", "one\r\ntwo _x000D_ three\x07"])
        wb.close()
        with Sheet(path, path.name) as sheet:
            assert sheet.header_cells[3] == "note_x0041_"
            assert list(sheet.rows()) == [(2, ["s1", "caahep", "2026-05-15", "one\r\ntwo _x000D_ three\x07"])]


def test_escapes_of_utf16_halves_are_joined_or_replaced_never_a_crash(tmp_path):
    """_xD83D__xDE00_ is one character beyond U+FFFF written as its two UTF-16 halves: joined. A half alone
    (_xD800_) is no character, and no output could encode it (it ended the run with exit 70): U+FFFD."""
    import zipfile

    made = tmp_path / "made.xlsx"
    wb = xlsxwriter.Workbook(str(made))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["id", "program", "completed", "note"])
    ws.write_row(1, 0, ["HALFA", "caahep", "2026-05-15", "PAIRB"])
    wb.close()
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(made) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                data = data.replace(b"HALFA", b"_xD800_q").replace(b"PAIRB", b"_xD83D__xDE00_")
            out.writestr(item, data)
    r = batch("eligible", str(path), "--cert", "cma")
    assert r.exit_code == 0, r.output
    row = rows_of(r.stdout)[0]
    assert (row["id"], row["note"]) == ("\ufffdq", "\U0001F600")


def _merged_last_columns(path, rows=3):
    """A header merged over its last columns (B1:C1, as a spreadsheet saves it: no C1 cell), with rows
    wider than the header below it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "program", "completed"])
    for n in range(rows):
        ws.append([f"s{n}", "caahep", "2026-05-15"])
    ws.merge_cells("B1:C1")
    wb.save(path)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json", "html"])
@pytest.mark.parametrize("dimension", [True, False])
def test_a_header_merged_over_its_last_columns_writes_nothing_to_standard_output(tmp_path, fmt, dimension):
    """The merge shows only in the first row wider than the header: it was found after the output's header
    (a CSV header line, the start of a JSON document or a web page) had reached standard output, and with a
    longer sheet after every row before the wide one. The sheet's <dimension> (or its absence) says to read
    the merged ranges before anything is written."""
    path = tmp_path / "r.xlsx"
    _merged_last_columns(path, rows=2000)
    if not dimension:
        _rewrite(path, "xl/worksheets/sheet1.xml", b'<dimension ref="A1:C2001" />', b"")
    r = batch("eligible", str(path), "--cert", "cma", "--format", fmt)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.strip() == (f"ma-cli: error: {path}: sheet 'Sheet': header cells B1:C1 are merged (expected one "
                                f"column name per cell: unmerge them and name each column)")


def test_the_merged_ranges_are_read_once(tmp_path, monkeypatch):
    """One pass over the sheet finds its merged ranges (stored after its rows), for the header check and
    for the merged data cells alike."""
    import ma_cli.inputs.sheets as sheets

    path = tmp_path / "r.xlsx"
    openpyxl_roster(path)
    calls = []
    real = sheets._merged_ranges
    monkeypatch.setattr(sheets, "_merged_ranges", lambda *a: calls.append(a) or real(*a))
    with Sheet(path, path.name, "Roster") as sheet:
        assert len(list(sheet.rows())) == 4  # the blank row too (the roster skips it)
    assert len(calls) == 1


def _vmerge(path, merge=(1, 2, 3, 2, "no"), top="a"):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["id", "work", "high_school"])
    for i, n in enumerate([top, "b", "c", "d"]):
        sheet.write_row(i + 1, 0, [n, "2024-10-01..present"])
    sheet.merge_range(*merge)
    book.close()


def test_a_value_merged_down_a_column_is_every_merged_rows_value(tmp_path):
    """high_school merged "no" over rows 2-4: the rows below the first read it too, not "not given" (which
    answered them eligible, the diploma assumed); row 5, outside the range, is not given."""
    path = tmp_path / "vmerge.xlsx"
    _vmerge(path)
    r = batch("eligible", str(path), "--cert", "ccma")
    assert r.exit_code == 0, r.output
    got = {row["id"]: row["ccma_answer"] for row in rows_of(r.stdout)}
    csv_path = tmp_path / "vmerge.csv"
    csv_path.write_text("id,work,high_school\n" + "".join(f"{n},2024-10-01..present,no\n" for n in "abc")
                        + "d,2024-10-01..present,\n")
    assert got == {row["id"]: row["ccma_answer"] for row in rows_of(batch("eligible", str(csv_path),
                                                                            "--cert", "ccma").stdout)}
    assert got["c"] == "not_eligible" and got["d"] != "not_eligible"


def test_a_merged_block_of_data_cells_spreads_across_and_down(tmp_path):
    path = tmp_path / "block.xlsx"
    _vmerge(path, merge=(2, 1, 3, 2, "no"))  # B3:C4 (work and high_school of rows 3-4) hold "no"
    with Sheet(path, path.name) as sheet:
        assert [cells for _, cells in sheet.rows()] == [
            ["a", "2024-10-01..present"], ["b", "no", "no"], ["c", "no", "no"], ["d", "2024-10-01..present"]]


def test_an_error_value_merged_down_the_id_column_is_an_error_row_for_each_row(tmp_path):
    path = tmp_path / "ids.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["id", "program"])
    sheet.write_formula(1, 0, "=NA()", None, "#N/A")
    sheet.write_formula(2, 0, "=NA()", None, "#N/A")
    sheet.merge_range(2, 0, 3, 0, None)
    sheet.write_formula(2, 0, "=NA()", None, "#N/A")
    for row in (1, 2, 3):
        sheet.write(row, 1, "caahep")
    book.close()
    r = batch("eligible", str(path), "--cert", "cma")
    got = rows_of(r.stdout)
    assert [(row["line"], row["status"]) for row in got] == [("2", "error"), ("3", "error"), ("4", "error")]
    assert "A4" in got[2]["error"] and "#N/A" in got[2]["error"]


def test_a_formula_with_no_saved_value_merged_down_a_column_is_an_error_row_for_each_row(tmp_path):
    path = tmp_path / "f.xlsx"
    book = xlsxwriter.Workbook(str(path))  # computes no formulas: the merged value is unknown in every row
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["id", "program", "completed"])
    for row, person in enumerate(["s1", "s2", "s3"], 1):
        sheet.write_row(row, 0, [person, "caahep"])
    sheet.merge_range(1, 2, 2, 2, None)
    sheet.write_formula(1, 2, "=DATE(2026,5,15)")
    sheet.write(3, 2, "2026-05-15")
    book.close()
    got = rows_of(batch("eligible", str(path), "--cert", "cma").stdout)
    assert [(row["id"], row["status"]) for row in got] == [("s1", "error"), ("s2", "error"), ("s3", "ok")]
    assert "C3" in got[1]["error"] and "no saved value" in got[1]["error"]


@pytest.mark.parametrize("merge, said", [
    ("A1:A2", "header cell A1 is merged down into row 2 (A1:A2; "),
    ("C1:C3", "header cell C1 is merged down into rows 2-3 (C1:C3; "),
    ("B2:B1", "header cell B1 is merged down into row 2 (B1:B2; ")])
def test_a_header_merged_down_into_the_first_row_is_refused(tmp_path, merge, said):
    """A two-line header cell hides the first data row's cell under the column's name: that row was an
    error row ("id: empty", exit 4) while the sheet showed no empty cell; now the run stops, naming it."""
    path = tmp_path / "h.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "program", "completed"])
    ws.append([None, "caahep", "2026-05-15"])
    ws.append(["s1", "caahep", "2026-05-15"])
    if merge != "B2:B1":
        ws.merge_cells(merge)
    wb.save(path)
    if merge == "B2:B1":  # as a hand-edited sheet may write it, last corner first
        _rewrite(path, "xl/worksheets/sheet1.xml", b"</sheetData>",
                 b'</sheetData><mergeCells count="1"><mergeCell ref="B2:B1"/></mergeCells>')
    with pytest.raises(InputError) as err:
        Sheet(path, path.name)
    assert said in str(err.value) and "expected the column names in row 1 alone" in str(err.value)


@pytest.mark.parametrize("ref, cells", [
    ("B1:C1", (1, 1, 2, 1)), ("C3:A1", (0, 1, 2, 3)), ("A3:C1", (0, 1, 2, 3)), ("b2", (1, 2, 1, 2)),
    ("XFD1048576", (16383, 1048576, 16383, 1048576)),
    ("A1:ZZZ", None), ("B", None), ("A0:B1", None), ("A1:XFE1", None), ("A1:A1048577", None), ("", None),
    ("A1:B2:C3", None), ("1A", None)])
def test_a_merged_range_is_its_rectangle_or_nothing(ref, cells):
    assert merge_range(ref) == cells


@pytest.mark.parametrize("ref", ["A1:ZZZ", "B", "A2:XFE3", "A0:B1", ""])
def test_a_merged_range_that_names_no_cells_refuses_the_sheet(tmp_path, ref):
    """It was skipped without a word (A2:XFE3 read every row 16,385 cells wide)."""
    path = tmp_path / "r.xlsx"
    openpyxl_roster(path)
    _rewrite(path, "xl/worksheets/sheet2.xml", b"</sheetData>",
             b'</sheetData><mergeCells count="1"><mergeCell ref="%s"/></mergeCells>' % ref.encode())
    with pytest.raises(InputError) as err:
        Sheet(path, path.name, "Roster")
    assert f"sheet 'Roster': merged range '{ref}' is not a range of cells" in str(err.value)


def test_a_merged_range_in_single_quotes_is_read(tmp_path):
    """XML allows either quote around an attribute: a range written ref='C2:C3' was not seen."""
    path = tmp_path / "q.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "program", "completed"])
    ws.append(["s1", "caahep", "2026-05-15"])
    ws.append(["s2", "caahep", None])
    wb.save(path)
    _rewrite(path, "xl/worksheets/sheet1.xml", b"</sheetData>",
             b"</sheetData><mergeCells count='1'><mergeCell ref='C2:C3'/></mergeCells>")
    with Sheet(path, path.name) as sheet:
        assert [cells for _, cells in sheet.rows()][1] == ["s2", "caahep", "2026-05-15"]


@pytest.mark.parametrize("typed, read", [(1, "1"), (12, "12"), (59, "59"), (60, "60"), (61, "61"), (2026, "2026"),
                                         (2199, "2199"), (12.5, "12.5"), (2200, "1906-01-08"), (0.5, "12:00"),
                                         (0, "0"), (-1, "-1"), (-0.5, "-0.5")])
@pytest.mark.parametrize("epoch1904", [False, True])
def test_a_number_typed_into_a_date_cell_is_read_as_the_number(tmp_path, typed, read, epoch1904):
    """12 or 2026 typed into a date-formatted cell shows as a day of 1900-1906 (2026 as 1905-07-18; 1 to 60
    on the wrong side of spreadsheets' 1900 leap day): it was read as that date, and 12 in `completed`
    answered eligible; read as typed, a date column refuses it as it refuses the CSV cell `12`."""
    path = tmp_path / "n.xlsx"
    book = xlsxwriter.Workbook(str(path), {"date_1904": epoch1904})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["id", "completed"])
    sheet.write(1, 0, "s1")
    sheet.write_number(1, 1, typed, book.add_format({"num_format": "yyyy-mm-dd"}))
    book.close()
    if epoch1904 and read == "1906-01-08":
        read = "1910-01-09"
    if epoch1904 and read == "12:00":
        read = "1904-01-01 12:00:00"
    with Sheet(path, path.name) as sheet:
        assert [cells for _, cells in sheet.rows()] == [["s1", read]]


@pytest.mark.parametrize("num_format", ["yyyy-mm", "mmm yyyy", "mm/yyyy", "mmmm yyyy", 17, "[$-409]mmm-yy;@"])
def test_a_date_shown_to_the_month_is_read_as_the_month_as_its_csv_export(tmp_path, num_format):
    """A birth date formatted without its day is the month, as the CSV export's 2009-11 is: answered on the
    first and the last day it can mean (review when they differ), not as the 1st exactly (eligible)."""
    path = tmp_path / "month.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    month, day = book.add_format({"num_format": num_format}), book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["id", "birth_date", "program", "completed"])
    sheet.write(1, 0, "s1")
    sheet.write_datetime(1, 1, datetime(2009, 11, 1), month)
    sheet.write(1, 2, "none")
    sheet.write_datetime(1, 3, datetime(2025, 12, 1), day)
    book.close()
    csv_path = tmp_path / "month.csv"
    csv_path.write_text("id,birth_date,program,completed\ns1,2009-11,none,2025-12-01\n")
    want = batch("eligible", str(csv_path), "--cert", "cmac")
    got = batch("eligible", str(path), "--cert", "cmac")
    assert got.stdout == want.stdout
    assert rows_of(got.stdout)[0]["cmac_answer"] == "review"


def test_a_date_shown_as_its_year_is_read_as_the_year(tmp_path):
    path = tmp_path / "year.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["id", "credential", "since"])
    sheet.write(1, 0, "m1")
    sheet.write(1, 1, "cma")
    sheet.write_datetime(1, 2, datetime(2022, 3, 15), book.add_format({"num_format": "yyyy"}))
    book.close()
    csv_path = tmp_path / "year.csv"
    csv_path.write_text("id,credential,since\nm1,cma,2022\n")
    got = batch("renew", str(path))
    assert got.stdout == batch("renew", str(csv_path)).stdout
    csv_path.write_text("id,credential,since\nm1,cma,2022-03-15\n")
    assert got.stdout != batch("renew", str(csv_path)).stdout  # (the year is answered as the year, not the day)


def test_a_time_alone_in_a_date_column_is_said_to_be_a_time_of_day(tmp_path):
    """00:00 formatted h:mm is no date: its row says so, not that '1899-12-31' (never typed) is out of range."""
    path = tmp_path / "time.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["id", "birth_date", "program", "completed"])
    sheet.write_row(1, 0, ["s1", 0, "none", "2025-12-01"])
    sheet.write_number(1, 1, 0, book.add_format({"num_format": "h:mm"}))
    sheet.write_row(2, 0, ["s2", "2009-11-01", "none", "2025-12-01"])
    book.close()
    r = batch("eligible", str(path), "--cert", "cmac")
    assert r.exit_code == 4, r.output
    got = rows_of(r.stdout)
    assert [row["status"] for row in got] == ["error", "ok"]
    assert got[0]["error"] == ("line 2, column birth_date: '00:00' holds a time of day, not a date (expected "
                               "YYYY-MM-DD or YYYY-MM)")
    csv_path = tmp_path / "time.csv"  # the same cell in a CSV file, as typed or exported, says the same
    csv_path.write_text("id,birth_date,program,completed\ns1,00:00,none,2025-12-01\ns2,2009-11-01,none,2025-12-01\n")
    assert r.stdout == batch("eligible", str(csv_path), "--cert", "cmac").stdout


@pytest.mark.parametrize("cell, written, shown", [
    # a small number: '1e-07' was refused as "not a number"
    (1e-7, "9.9999999999999995E-8", "0.0000001"),
    # a formula's float noise, as Excel shows it (15 significant digits)
    (0.1 + 0.2, "0.30000000000000004", "0.3"),
    (2.5, "2.5", "2.5"),
    (1234.5678, "1234.5678", "1234.5678"),
])
def test_a_number_cell_is_read_as_excel_shows_it(tmp_path, cell, written, shown):
    path = tmp_path / "n.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Staff")
    ws.write_row(0, 0, ["id", "credential", "since", "ce_clinical", "note"])
    ws.write_row(1, 0, ["a1", "cpt", "2025-03-10"])
    ws.write_number(1, 3, cell)
    ws.write_number(1, 4, cell)
    wb.close()
    r = CliRunner().invoke(app, ["batch", "renew", str(path), "--as-of", "2026-11-23", "--format", "jsonl"])
    assert r.exit_code in (0, 3), r.output
    row = json.loads(r.stdout.splitlines()[0])
    assert row["status"] == "ok", row
    assert row["extra"]["note"] == shown
