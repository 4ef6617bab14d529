"""Rosters as spreadsheets export them: encodings, separators, dates, header names, whole floats."""

from __future__ import annotations

import codecs
import csv
import io
import subprocess
import sys

import pytest
from hypothesis import given, strategies as st
from typer.testing import CliRunner

from ma_cli.base.errors import HEAD_BYTES, InputError, text_encoding
from ma_cli.commands.cli import app
from ma_cli.inputs.roster import ReadOptions, Roster, tidy_date

AS_OF = "2026-11-23"
runner = CliRunner()
PLAIN = "id,program,completed,name\ns1,caahep,2026-05-15,José Peña\n"


def batch(*args, input=None):
    return runner.invoke(app, ["batch", *args, "--as-of", AS_OF], input=input)


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def reference():
    r = batch("eligible", "-", "--cert", "cma", input=PLAIN)
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.mark.parametrize("data, args", [
    (PLAIN.encode("utf-8"), []),
    (b"\xef\xbb\xbf" + PLAIN.encode("utf-8"), []),
    (PLAIN.replace("\n", "\r\n").encode("utf-16"), []),                    # with its BOM
    (PLAIN.replace(",", "\t").encode("utf-16"), []),                       # Excel's "Unicode Text"
    (PLAIN.replace(",", ";").encode("cp1252"), ["--encoding", "cp1252"]),
    (PLAIN.replace(",", ";").encode("cp1252"), ["--encoding", "windows-1252", "--delimiter", ";"]),
    (PLAIN.replace(",", "|").encode("utf-8"), ["--delimiter", "|"]),
    (PLAIN.replace(",", "\t").encode("utf-8"), ["--delimiter", "tab"]),
    (PLAIN.encode("utf-16-be"), ["--encoding", "utf-16-be"]),
])
def test_the_same_roster_in_every_export_gives_the_same_rows(data, args):
    r = batch("eligible", "-", "--cert", "cma", *args, input=data)
    assert r.exit_code == 0, r.output
    assert r.stdout == reference()


# a file's byte-order mark and the text after it, as Notepad, Excel ("Unicode Text") and others save them
_MARKED = {"utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "utf-16": lambda text: text.encode("utf-16"),
           "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
           "utf-32": lambda text: text.encode("utf-32")}


@pytest.mark.parametrize("saved", sorted(_MARKED))
@pytest.mark.parametrize("option", ["cp1252", "latin-1", "utf-8", "utf-16-le", "utf-16"])
def test_a_byte_order_mark_wins_over_encoding(saved, option):
    # --encoding reads a roster and every CE log it names alike; a file whose mark states another
    # encoding is read as its mark says, never its mark as letters glued to the first column's name
    data = _MARKED[saved](PLAIN)
    r = batch("eligible", "-", "--cert", "cma", "--encoding", option, input=data)
    assert r.exit_code == 0, r.output
    assert r.stdout == reference()


# every codec Python reads text with is taken by its name, whatever the size of its code unit: UTF-32's
# is four bytes, and a check that decoded two fixed bytes refused it as "not a known text encoding"
_NAMED = ["utf-32-le", "utf-32-be", "utf_32_le", "UTF-32LE", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]


@pytest.mark.parametrize("option", _NAMED)
def test_a_roster_in_any_text_encoding_is_read_by_its_name(option, tmp_path):
    data = PLAIN.encode(option)
    r = batch("eligible", "-", "--cert", "cma", "--encoding", option, input=data)
    assert r.exit_code == 0, r.output
    assert r.stdout == reference()
    path = tmp_path / "r.csv"  # a file is checked before its first row, a pipe as it comes: both read it
    path.write_bytes(data)
    r = batch("eligible", str(path), "--cert", "cma", "--encoding", option)
    assert r.exit_code == 0, r.output
    assert r.stdout == reference()


@pytest.mark.parametrize("option", ["utf-32", "utf-16"])
def test_utf32_or_16_named_without_a_byte_order_reads_a_marked_file_and_asks_for_the_order_of_one_without(option):
    r = batch("eligible", "-", "--cert", "cma", "--encoding", option, input=PLAIN.encode(option))
    assert r.exit_code == 0, r.output
    assert r.stdout == reference()
    r = batch("eligible", "-", "--cert", "cma", "--encoding", option, input=PLAIN.encode(option + "-le"))
    assert r.exit_code == 2
    assert r.stderr == (f"ma-cli: error: <stdin>: line 1: not {option} text (no byte-order mark at its start; for a "
                        f"file without one, name its byte order: --encoding {option}-le or {option}-be)\n")


@pytest.mark.parametrize("option", ["klingon", "rot13", "rot_13", "zlib", "base64", "hex", "bz2", "uu", "undefined"])
def test_a_name_that_is_no_text_encoding_is_refused_in_one_line(option):
    r = batch("eligible", "-", "--cert", "cma", "--encoding", option, input=PLAIN.encode("utf-8"))
    assert r.exit_code == 2
    assert r.stderr == (f"ma-cli: error: --encoding: '{option}' is not a known text encoding (expected a Python codec "
                        f"name, e.g. cp1252, latin-1, utf-16)\n")
    assert r.stdout == ""


def test_a_forced_delimiter_wins_over_the_header_line():
    r = batch("eligible", "-", "--cert", "cma", "--delimiter", ";", input="id;note\ns1;a,b,c\n")
    assert rows_of(r.stdout)[0]["note"] == "a,b,c"


def test_not_utf8_on_a_pipe_is_refused_too(tmp_path):
    # a real pipe cannot be checked before reading: the run still stops with one line and no -o file
    out = tmp_path / "out.csv"
    data = ("id,name\n" + "s,x\n" * 5000 + "t,Jos\xe9\n").encode("latin-1")
    proc = subprocess.run([sys.executable, "-m", "ma_cli", "batch", "eligible", "-", "--cert", "cma", "-o", str(out),
                           "--as-of", AS_OF], input=data, capture_output=True, timeout=60)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert err.startswith("ma-cli: error: <stdin>: line ") and "not UTF-8 text" in err and "--encoding cp1252" in err
    assert len(err.splitlines()) == 1
    assert not out.exists()


class _Pipe(io.RawIOBase):
    """Bytes that can be read once and not looked at first, handed over a few at a time, as a pipe does."""

    def __init__(self, data: bytes, piece: int):
        self._data, self._at, self._piece = data, 0, piece

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self._piece, len(self._data) - self._at)
        buffer[:n] = self._data[self._at:self._at + n]
        self._at += n
        return n


# (encoding, --encoding, bytes that are not text in it)
_NOT_TEXT = [("utf-8", None, b"\xff"), ("cp1252", "cp1252", b"\x81"), ("utf-16-le", "utf-16-le", b"\x00\xd8A\x00")]


@pytest.mark.parametrize("encoding, option, bad", _NOT_TEXT, ids=[e for e, _, _ in _NOT_TEXT])
@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize("at", [2, 3, 1500, 3001])  # the bad bytes' line (1 is the header)
def test_a_pipe_with_bytes_that_are_not_text_gives_every_row_before_them_and_their_line(encoding, option, bad,
                                                                                        ending, at):
    rows = [f"p{n},caahep,2025-05-0{n % 9 + 1},{'x' * (n % 40)}" for n in range(2, 3100)]
    lines = [(text + ending).encode(encoding) for text in ["id,program,completed,note"] + rows]
    lines[at - 1] = ("zz,caahep,".encode(encoding) + bad + ending.encode(encoding))
    data = b"".join(lines)
    for piece in (7, 4096, 1 << 20):  # the bad bytes inside one read, across two, at the very start of one
        read = []
        with pytest.raises(InputError) as refused:
            for row in Roster(_Pipe(data, piece), "<stdin>", options=ReadOptions(encoding=option)):
                read.append(row.id)
        assert read == [f"p{n}" for n in range(2, at)]
        assert str(refused.value).startswith(f"<stdin>: line {at}: not ")


def test_a_pipe_gives_the_rows_a_file_gives(tmp_path):
    text = "id,program,completed,note\r\n" + "".join(f'p{n},caahep,2025-05-01,"a\r\nb{n}"\r\n' for n in range(4000))
    for encoding in ("utf-8", "utf-16", "cp1252"):
        data = text.encode(encoding)
        (tmp_path / "r.csv").write_bytes(data)
        with open(tmp_path / "r.csv", "rb") as f:
            from_file = [(row.line, row.id, row.extra) for row in Roster(f, "r.csv", options=ReadOptions(encoding=encoding))]
        piped = [(row.line, row.id, row.extra) for row in Roster(_Pipe(data, 1000), "<stdin>",
                                                                   options=ReadOptions(encoding=encoding))]
        assert piped == from_file and len(piped) == 4000


@pytest.mark.parametrize("text, order, want", [
    ("5/15/2026", "mdy", "2026-05-15"),
    ("05/06/2026", "mdy", "2026-05-06"),
    ("05/06/2026", "dmy", "2026-06-05"),
    ("15/5/2026", "dmy", "2026-05-15"),
    ("2026/5/15", None, "2026-05-15"),          # year first reads one way only
    ("2026-05-15 0:00:00", None, "2026-05-15"),  # a datetime at midnight is a date
    ("2026-05-15 00:00", None, "2026-05-15"),
    ("2026-05-15T00:00:00", None, "2026-05-15"),
    ("5/15/2026 0:00", "mdy", "2026-05-15"),
    ("2026-05-15 13:30:00", None, "2026-05-15 13:30:00"),  # a time of day is left for the date check to refuse
    ("2026-05", None, "2026-05"),
])
def test_tidy_date(text, order, want):
    assert tidy_date(text, order, "w") == want


@pytest.mark.parametrize("text, order, message", [
    ("5/6/2026", None, "w: '5/6/2026' is a slash date, which reads two ways (expected YYYY-MM-DD, or run with "
                       "--date-order mdy for 5/15/2026 = May 15, or --date-order dmy for 15/5/2026 = 15 May)"),
    ("5/15/2026", None, "w: '5/15/2026' is a slash date (expected YYYY-MM-DD; this one reads only as month/day/year: "
                        "if the roster is written so, run with --date-order mdy, which reads its other slash dates the "
                        "same way)"),
    ("5/15/2026", "dmy", "w: '5/15/2026' is not a real calendar date (read as day/month/year)"),
    ("2/30/2026", "mdy", "w: '2/30/2026' is not a real calendar date (read as month/day/year)"),
])
def test_tidy_date_refuses(text, order, message):
    with pytest.raises(InputError) as err:
        tidy_date(text, order, "w")
    assert str(err.value) == message


def test_spreadsheet_cells_read_as_the_plain_ones():
    messy = ("id,age,program,completed,military,work,held,injections\n"
             "s1,24.0,institutional,5/15/2026 0:00:00,2022-03-18 00:00:00,3/1/2021..present@20.0,cma:4/14/2023,12.00\n")
    plain = ("id,age,program,completed,military,work,held,injections\n"
             "s1,24,institutional,2026-05-15,2022-03-18,2021-03-01..present@20.0,cma:2023-04-14,12\n")
    opts = ReadOptions(date_order="mdy")
    (a,) = Roster(io.StringIO(messy), "m.csv", None, opts)
    (b,) = Roster(io.StringIO(plain), "p.csv")
    assert a.error is None and a.profile == b.profile


@pytest.mark.parametrize("stamp", ["T00:00:00Z", "T00:00:00.000Z", " 00:00:00+00:00", "T00:00+0000", " 0:00"])
def test_a_midnight_in_utc_reads_alike_in_date_columns_and_inside_work_and_held(stamp):
    # the date columns took '2025-05-01T00:00:00Z' while the work and held cells cut it to '2025-05-01:00Z'
    messy = ("id,program,completed,military,work,held\n"
             f"s1,caahep,2025-05-01{stamp},2020-01-02{stamp},2019-01-01{stamp}..2024-06-30{stamp}@30;"
             f"2024-07-01{stamp}..present,cma:2021-04-14{stamp}\n")
    plain = ("id,program,completed,military,work,held\n"
             "s1,caahep,2025-05-01,2020-01-02,2019-01-01..2024-06-30@30;2024-07-01..present,cma:2021-04-14\n")
    (a,) = Roster(io.StringIO(messy), "m.csv")
    (b,) = Roster(io.StringIO(plain), "p.csv")
    assert a.error is None and a.profile == b.profile


@pytest.mark.parametrize("stamp", ["T00:00:00+05:00", "T13:30:00Z", "T00:00:00Z5"])
def test_a_time_that_is_not_midnight_utc_inside_a_work_cell_is_refused_whole(stamp):
    (row,) = Roster(io.StringIO(f"id,work\ns1,2019-01-01{stamp}..present\n"), "t.csv")
    assert row.error and f"'2019-01-01{stamp}' is not a date" in row.error


def test_a_fraction_in_a_whole_number_column_is_still_an_error():
    (row,) = Roster(io.StringIO("id,age\ns1,24.5\n"), "t.csv")
    assert row.error and "column age" in row.error


def test_column_maps_a_header_and_a_15_year_old_without_diploma_is_not_eligible():
    roster = "Student ID,Age,HS Diploma,Program,Grad Date\ns1,15,no,caahep,2026-05-15\n"
    r = batch("eligible", "-", "--cert", "ccma", "--column", "Student ID=id", "--column", "hs diploma=high_school",
              "--column", "grad_date=completed", input=roster)
    assert r.exit_code == 0, r.output
    (row,) = rows_of(r.stdout)
    assert row["id"] == "s1" and row["ccma_answer"] == "not_eligible"


def test_an_id_alias_beside_the_id_is_passed_through():
    # (another number kept with the row, not a fact any answer reads)
    r = batch("eligible", "-", "--cert", "cma", input="id,student_id,program,completed\ns1,9,caahep,2026-05-15\n")
    assert r.exit_code == 0, r.output
    assert rows_of(r.stdout)[0]["student_id"] == "9"


@pytest.mark.parametrize("command, header, column, roster", [
    ("eligible", "Graduation Date", "completed", "id,program,completed,{h}\ns1,caahep,,2026-05-15\n"),
    ("eligible", "DOB", "birth_date", "id,{h},program,completed,birth_date\ns1,2011-02-03,none,2026-10-01,\n"),
    ("eligible", "Current Age", "age", "id,age,program,completed,{h}\ns1,,none,2026-10-01,15\n"),
    ("eligible", "HS Diploma", "high_school", "id,high_school,program,completed,{h}\ns1,,none,2026-10-01,no\n"),
    ("renew", "Certified", "since", "id,credential,since,{h}\ns1,cma,,2020-01-01\n")])
def test_an_alias_beside_its_column_is_refused_naming_both(command, header, column, roster):
    """Passed through, the alias's facts were in no row's answer: a `DOB` of 2011 beside an empty `birth_date`
    answered a 15-year-old eligible for CMAC. Either header may come first."""
    r = batch(command, "-", input=roster.format(h=header))
    assert r.exit_code == 2, r.output
    assert f"columns '{column}' and '{header}' are both the roster column '{column}'" in r.stderr
    assert f'--column "{header}="' in r.stderr
    passed = batch(command, "-", "--column", f"{header}=", input=roster.format(h=header))
    assert passed.exit_code != 2 and header in passed.stdout.splitlines()[0]


@pytest.mark.parametrize("header", ["HS/GED", "H.S. Diploma", "Completed High School", "GED?", "High School Diploma?"])
def test_a_header_whose_words_name_high_school_is_read_once_mapped(header):
    # passed through, these left the diploma out of every row: a person without one answered eligible
    roster = f'id,work,"{header}"\ns1,2024-10-01..present,no\n'
    refused = batch("eligible", "-", "--cert", "ccma", input=roster)
    assert refused.exit_code == 2 and "looks like the roster column 'high_school'" in refused.stderr
    mapped = batch("eligible", "-", "--cert", "ccma", "--column", f"{header}=high_school", input=roster)
    assert mapped.exit_code == 0, mapped.output
    assert rows_of(mapped.stdout)[0]["ccma_answer"] == "not_eligible"


@pytest.mark.parametrize("header, column", [
    ("Yrs Old", "age"), ("Student Age", "age"), ("Bday", "birth_date"), ("Secondary Education", "high_school"),
    ("CMA Attempts", "failed_attempts"), ("Exam Attempts", "failed_attempts"), ("Number of Attempts", "failed_attempts"),
    ("Retakes", "failed_attempts"), ("Times Failed", "failed_attempts"), ("ＤＯＢ", "birth_date"),
    # the work, skills and hours a program director's export names in its own words: passed through, the
    # years of work were left out (RMA's and CCMA's work routes a confident no) and the skill counts too
    ("Years of Experience", "work"), ("Prior Experience (years)", "work"), ("Employment History", "work"),
    ("Hire Date", "work"), ("Hours per Week", "work"), ("Certifications Held", "held"),
    ("Injections Performed", "injections"), ("Blood Draws", "venipunctures"), ("Venipunctures Documented", "venipunctures"),
    ("Finger Sticks", "capillary_sticks"), ("EKG", "ekgs"), ("ECGs Performed", "ekgs"),
    ("Didactic Hours", "academic_hours"),
    # a second probe's: the same facts in an HR export's other words
    ("Hours/Week", "work"), ("Hrs/Wk", "work"), ("Hire Dt", "work"), ("Original Hire Date", "work"),
    ("Employment Start Date", "work"), ("Work Start", "work"), ("Termination Date", "work"),
    ("Last Day Worked", "work"), ("Years of Service", "work"), ("Tenure (Years)", "work"), ("Yrs of Exp", "work"),
    ("Phlebotomy Draws", "venipunctures"), ("Draws Performed", "venipunctures")])
def test_a_header_that_is_only_a_column_in_other_words_is_refused(header, column):
    # passed through, the fact was left out: 15 'Yrs Old' eligible for CMAC, 3 'CMA Attempts' eligible for CMA
    r = batch("eligible", "-", "--cert", "cma", input=f"id,program,completed,{header}\ns1,caahep,2026-05-15,3\n")
    assert r.exit_code == 2 and f"looks like the roster column '{column}'" in r.stderr, r.output


@pytest.mark.parametrize("header", ["Âge", "A\u0302ge", "ａｇｅ", "ＡＧＥ"])
def test_a_header_in_full_width_letters_or_with_accents_is_the_column(header):
    # (an accent typed precomposed passed through; decomposed, as a Mac may save it, was a near miss)
    r = batch("eligible", "-", "--cert", "cmac", input=f"id,program,completed,high_school,{header}\n"
                                                          "a,none,2026-10-01,yes,15\n")
    assert r.exit_code == 0, r.output
    assert rows_of(r.stdout)[0]["cmac_answer"] == "not_eligible"


def test_a_header_that_only_looks_like_a_column_passes_through_when_asked():
    roster = "id,program,completed,Age (band)\ns1,caahep,2026-05-15,20-30\n"
    assert batch("eligible", "-", "--cert", "cma", input=roster).exit_code == 2
    r = batch("eligible", "-", "--cert", "cma", "--column", "age (band)=", input=roster)
    assert r.exit_code == 0, r.output
    (row,) = rows_of(r.stdout)
    assert row["Age (band)"] == "20-30" and row["cma_answer"] == "eligible"


@pytest.mark.parametrize("header", [
    "Work Phone", "Program Director", "Clinical Site", "Student Name", "Notes",
    # a column's word with another word that says something else of it (these were refused for a while)
    "Externship Site", "Externship Start Date", "Externship Hours Required", "Military Branch", "Military Spouse",
    "High School Transcript Received", "Birth Place", "Place of Birth", "DOB Verified", "Age Group",
    "Completion Status", "Date Completed Orientation", "Graduation Ceremony", "Expected Start Date",
    "Expected Exam Date", "Expected Salary", "Failed Drug Screen",
    # the same for the words added for work, skills and hours
    "Employment Status", "Employer", "Work Experience Letter", "Experience Level", "EKG Lab Fee", "Hire Reason",
    "Blood Draws Required", "History", "Hours per Week Scheduled", "Work Phone", "Exp Date", "Start Date"])
def test_a_header_naming_a_column_in_passing_is_passed_through(header):
    r = batch("eligible", "-", "--cert", "cma", input=f"id,{header}\ns1,x\n")
    assert r.exit_code == 0, r.output
    assert rows_of(r.stdout)[0][header] == "x"


def test_renewal_roster_reads_slash_dates_and_mapped_columns():
    roster = "Employee ID;Cert;Certified On\nm1;cma;3/15/2022\n"
    r = batch("renew", "-", "--date-order", "mdy", "--column", "Employee ID=id", "--column", "cert=credential",
              "--column", "Certified On=since", input=roster)
    assert r.exit_code == 0, r.output
    want = batch("renew", "-", input="id,credential,since\nm1,cma,2022-03-15\n")
    assert r.stdout == want.stdout


@pytest.mark.parametrize("cell", ["x" * 200_000, "x\n" * 100_000], ids=["one line", "quoted across lines"])
def test_a_huge_cell_stops_the_run_with_nothing_on_stdout(tmp_path, cell):
    # a cell over the CSV reader's limit is found before the first row is written: exit 2 and one line,
    # never the results header and the rows before it on standard output
    roster = tmp_path / "r.csv"
    roster.write_text("id,program,completed\ns1,caahep,2026-05-15\ns2,\"" + cell + "\",2026-05-15\n",
                      encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "ma_cli", "batch", "eligible", str(roster), "--cert", "cma",
                           "--as-of", AS_OF], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("ma-cli: error: ")
    assert proc.stdout == ""


UNCLOSED = "id,program,completed\ns1,caahep,2026-05-15\ns2,caahep,\"2026-05-15\ns3,caahep,2026-05-15\n"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json", "html"])
def test_an_unclosed_quote_before_the_last_line_stops_a_file_with_nothing_on_stdout(tmp_path, fmt):
    # the quote would read s3 into s2's cell: the file is refused, as for a cell over the limit, before the
    # results header (or a JSON document's first half) reaches standard output
    roster = tmp_path / "r.csv"
    roster.write_text(UNCLOSED, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "ma_cli", "batch", "eligible", str(roster), "--cert", "cma",
                           "--as-of", AS_OF, "--format", fmt], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == f"ma-cli: error: {roster}: line 3: a double quote opened on this line is never closed, " \
        "so the lines after it would be lost in one cell (expected the cell's closing quote; a double quote " \
        "inside a cell is written twice)\n"
    assert proc.stdout == ""


def test_an_unclosed_quote_in_a_pipe_stops_the_run_where_it_is_found():
    # a pipe is read once: the rows before the quote are written, then the one error line (as for bad bytes)
    proc = subprocess.run([sys.executable, "-m", "ma_cli", "batch", "eligible", "-", "--cert", "cma",
                           "--as-of", AS_OF], input=UNCLOSED, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith("ma-cli: error: <stdin>: line 3: a double quote opened on this line is never closed")
    assert [row["id"] for row in rows_of(proc.stdout)] == ["s1"]


@pytest.mark.parametrize("text, lost", [('id,"program,completed\ns1,caahep,2025-05-01\n', True),
                                         ('id,"program\n', False)])
@pytest.mark.parametrize("piped", [True, False])
def test_an_unclosed_quote_in_the_header_is_named_from_a_pipe_as_from_a_file(tmp_path, text, lost, piped):
    # a pipe is not checked whole before the header is read: its header's open quote was "not readable as
    # CSV (unexpected end of data)", the csv module's words, where a file's was named
    roster = tmp_path / "r.csv"
    roster.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "ma_cli", "batch", "eligible", "-" if piped else str(roster),
                           "--cert", "cma", "--as-of", AS_OF], input=text if piped else None,
                          capture_output=True, text=True, timeout=60)
    name = "<stdin>" if piped else str(roster)
    then = ", so the lines after it would be lost in one cell" if lost else ""
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (f"ma-cli: error: {name}: line 1: a double quote opened on this line is never closed"
                           f"{then} (expected the cell's closing quote; a double quote inside a cell is written "
                           f"twice)\n")


def test_an_unclosed_quote_on_the_last_line_is_that_rows_error():
    # no line after it is lost, so the other rows are answered and it is an error row (exit 4)
    r = batch("eligible", "-", "--cert", "cma", input=UNCLOSED.rsplit("s3", 1)[0])
    assert r.exit_code == 4, r.output
    rows = rows_of(r.stdout)
    assert [(row["line"], row["status"]) for row in rows] == [("2", "ok"), ("3", "error")]
    assert "not readable as CSV" in rows[1]["error"]


class _Endless(io.RawIOBase):
    """A stream that never ends a line after `head` (what /dev/zero or a binary file piped in gives)."""

    def __init__(self, head: bytes):
        self._head = head

    def readable(self):
        return True

    def readinto(self, buffer):
        if self._head:
            n = len(self._head)
            buffer[:n], self._head = self._head, b""
            return n
        buffer[:] = b"a" * len(buffer)
        return len(buffer)


@pytest.mark.parametrize("head, line", [(b"", 1), (b"id,program,completed\n", 2)])
def test_a_pipe_that_never_ends_a_line_is_refused_at_the_line_limit(head, line):
    from ma_cli.inputs.roster import LINE_MAX

    with pytest.raises(InputError) as refused:
        list(Roster(io.BufferedReader(_Endless(head)), "<stdin>"))
    assert str(refused.value) == (f"<stdin>: line {line}: longer than {LINE_MAX:,} characters "
                                  "(expected a CSV roster, one row a line)")


# a header's letters: mostly ASCII (commas, column names) with some outside it, U+4E00 (a zero byte in
# its low half) among them
_header_letters = st.lists(st.one_of(st.sampled_from("abcdefghijklmnopqrstuvwxyz_,0123456789"),
                                     st.sampled_from("名前生年月日住所一丁\u0100é")), min_size=4, max_size=200)


@given(_header_letters, st.sampled_from(["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]))
def test_a_file_in_utf16_or_32_without_a_byte_order_mark_is_told_its_encoding(letters, codec):
    text = "".join(letters) + "\n"
    if sum(c.isascii() for c in text[:64]) * 4 < min(64, len(text)) * 3:  # (what it needs: mostly ASCII)
        text = "id,program,completed,expected,accredited_since,academic_hours," + text
    data = text.encode(codec)
    for asked in (None, "utf-8"):
        with pytest.raises(InputError, match=f"without a byte-order mark; run again with --encoding {codec}"):
            text_encoding(data[:HEAD_BYTES], asked, "r.csv")


@given(st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=300))
def test_utf8_text_without_zero_bytes_reads_as_utf8(text):
    data = text.encode("utf-8")
    assert text_encoding(data[:HEAD_BYTES], None, "r.csv") == "utf-8-sig"
