"""Benchmark workbook rosters (one command):  .venv/bin/python bench/sheets.py [--rows 100000]

Makes a realistic roster (bench/make_roster.py) as CSV and as the same .xlsx (dates as date cells,
numbers as numbers, text as shared strings, as a spreadsheet saves it), then runs
`ma-cli batch eligible` on both in fresh processes and prints CPU time and peak memory, and the
ratio workbook / CSV (the floor, measured in the same run; target: 2x or less). Then the readers
alone, each against csv.reader over the same roster: ma-cli's (zipfile + expat), and, when they are
installed, python-calamine and openpyxl in read-only mode (how the reader was chosen).

Not a test: nothing here fails on a slow machine; it prints the figures.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from make_roster import to_file

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
AS_OF = "2026-11-23"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def write_workbook(source: Path, target: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(target))  # shared strings, as a spreadsheet program saves them
    sheet = book.add_worksheet("Roster")
    day = book.add_format({"num_format": "m/d/yyyy"})
    with open(source, newline="", encoding="utf-8") as f:
        for r, row in enumerate(csv.reader(f)):
            for c, cell in enumerate(row):
                if not cell:
                    continue
                if r and _DAY.match(cell):
                    try:
                        sheet.write_datetime(r, c, date.fromisoformat(cell), day)
                        continue
                    except ValueError:
                        pass
                if r and cell.isdigit():
                    sheet.write_number(r, c, int(cell))
                else:
                    sheet.write_string(r, c, cell)
    book.close()


def run_cli(args: list[str]) -> tuple[float, int, int]:
    """-> CPU seconds, peak RSS in MiB, exit code."""
    env = dict(os.environ, PYTHONPATH=str(SRC))
    proc = subprocess.Popen([sys.executable, "-m", "ma_cli", *args], stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


READERS = {
    "csv.reader (floor)": "import csv\nwith open(PATH_CSV, newline='', encoding='utf-8') as f:\n"
                          "    n = sum(1 for _ in csv.reader(f))",
    "ma-cli (zipfile + expat)": "from ma_cli.inputs.sheets import Sheet\nwith Sheet(PATH_XLSX, 'r') as s:\n"
                                "    n = 1 + sum(1 for _ in s.rows())",
    "python-calamine": "from python_calamine import CalamineWorkbook\n"
                       "n = sum(1 for _ in CalamineWorkbook.from_path(PATH_XLSX).get_sheet_by_index(0).iter_rows())",
    "openpyxl read-only": "import openpyxl\nwb = openpyxl.load_workbook(PATH_XLSX, read_only=True, data_only=True)\n"
                          "n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))",
}


def time_reader(code: str, csv_path: Path, xlsx_path: Path) -> tuple[float, int] | None:
    script = (f"import resource, time\nPATH_CSV, PATH_XLSX = {str(csv_path)!r}, {str(xlsx_path)!r}\n"
              f"t = time.process_time()\n{code}\n"
              "print(time.process_time() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(SRC)))
    if proc.returncode:
        return None  # not installed
    cpu, rss = proc.stdout.split()
    return float(cpu), int(rss)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=2, help="runs of each command (the best counts)")
    ap.add_argument("--write", nargs=2, metavar=("CSV", "XLSX"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.write:
        write_workbook(Path(args.write[0]), Path(args.write[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv_path, xlsx_path = tmp / "roster.csv", tmp / "roster.xlsx"
        to_file(csv_path, args.rows)
        started = time.perf_counter()
        # in a child process: a forked child starts with its parent's peak memory, and the workbook
        # is built in memory (shared strings), so the parent must stay small for the peaks below
        subprocess.run([sys.executable, __file__, "--write", str(csv_path), str(xlsx_path)], check=True)
        print(f"{args.rows:,} rows: CSV {csv_path.stat().st_size / 1e6:.1f} MB, .xlsx {xlsx_path.stat().st_size / 1e6:.1f} MB "
              f"(written in {time.perf_counter() - started:.1f} s)\n")
        print(f"{'batch eligible (all credentials)':40} {'CPU s':>7} {'peak MiB':>9}")
        best = {}
        for _ in range(args.runs):  # interleaved, so a busy machine slows both alike
            for label, path in (("CSV (floor)", csv_path), (".xlsx", xlsx_path)):
                cpu, rss, code = run_cli(["batch", "eligible", str(path), "-o", str(tmp / "out.csv"), "--as-of", AS_OF])
                assert code in (0, 4), f"exit {code}"
                if label not in best or cpu < best[label][0]:
                    best[label] = (cpu, rss)
        for label, (cpu, rss) in best.items():
            print(f"  {label:38} {cpu:7.2f} {rss:9d}")
        ratio = best[".xlsx"][0] / best["CSV (floor)"][0]
        print(f"  ratio .xlsx / CSV: {ratio:.2f}x (target 2x or less): {'OK' if ratio <= 2 else 'over target'}\n")
        print(f"{'reading the rows alone':40} {'CPU s':>7} {'peak MiB':>9} {'x floor':>8}")
        floor = None
        for label, code in READERS.items():
            got = time_reader(code, csv_path, xlsx_path)
            if got is None:
                print(f"  {label:38} (not installed)")
                continue
            floor = floor or got[0]
            print(f"  {label:38} {got[0]:7.2f} {got[1]:9d} {got[0] / floor:8.1f}")


if __name__ == "__main__":
    main()
