"""`batch --format NAME`: the writer of each output format, and the `--summary` report in each.

Above the writers (render_batch.py for CSV and JSON, html_batch.py for the page, which uses
render_batch's headers and summary line): the page is imported only when it is asked for.
"""

from __future__ import annotations

import csv
import os
from datetime import date
from typing import IO, Any

from ma_cli.base.jsonout import dumps
from ma_cli.output.render_batch import CsvRows, JsonLinesRows, JsonRows, summary_dict
from ma_cli.reasoning.batch import Job, Tally


def HtmlRows(out: IO[str], job: Job, extra_names: list[str], as_of: date, origin: str) -> Any:
    """A self-contained web page (html_batch, imported only when asked for)."""
    from ma_cli.output.html_batch import HtmlRows as Page

    return Page(out, job, extra_names, as_of, origin)


# one writer per output format: --format NAME picks WRITERS[NAME]
WRITERS = {"csv": CsvRows, "jsonl": JsonLinesRows, "json": JsonRows, "html": HtmlRows}
FORMATS = tuple(WRITERS)

# the format an output file's name says (case-insensitive): -o results.json writes JSON without --format,
# and a --format that says otherwise is refused; any other name is CSV unless --format says otherwise
SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".json": "json", ".html": "html", ".htm": "html",
            ".xlsx": "xlsx"}


# names of spreadsheet files ma-cli does not write: under them it would write CSV, which Excel opens only
# after warning that the content does not match the name (.xls) or not at all (.xlsb), nor do the others.
# Every name a spreadsheet program saves or opens as its own format (workbooks, templates, add-ins,
# workspaces), whatever the program: a name missing here gets CSV under it with exit 0
OTHER_SHEETS = {
    # Excel
    ".xls": "an Excel 97-2003 workbook's", ".xlsb": "a binary Excel workbook's",
    ".xlt": "an Excel 97-2003 template's", ".xltx": "an Excel template's",
    ".xltm": "an Excel macro-enabled template's", ".xlam": "an Excel add-in's",
    ".xla": "an Excel 97-2003 add-in's", ".xlw": "an Excel workspace's",
    # OpenDocument (LibreOffice, OpenOffice) and its StarOffice forebear
    ".ods": "an OpenDocument spreadsheet's", ".fods": "a flat OpenDocument spreadsheet's",
    ".ots": "an OpenDocument spreadsheet template's", ".sxc": "a StarOffice spreadsheet's",
    ".stc": "a StarOffice spreadsheet template's",
    # the other spreadsheet programs
    ".numbers": "a Numbers spreadsheet's", ".et": "a WPS spreadsheet's", ".ett": "a WPS spreadsheet template's",
    ".gnumeric": "a Gnumeric workbook's", ".xlr": "a Works spreadsheet's",
    ".wk1": "a Lotus 1-2-3 worksheet's", ".wks": "a Lotus 1-2-3 or Works worksheet's",
    ".123": "a Lotus 1-2-3 workbook's", ".qpw": "a Quattro Pro workbook's",
}

def format_named(name: object, what: str = "-o") -> str | None:
    """The output format a file name's suffix says (SUFFIXES), or None: no such suffix, or `-`. A
    macro workbook's name (.xlsm) is refused: Excel will not open a workbook without macros under it;
    so is another spreadsheet format's name (OTHER_SHEETS), which would get CSV under it."""
    # the name as a file system keeps it: Windows drops a trailing dot or space (`r.xls.` is r.xls), and
    # a name that is all suffix (`.xls`) is that suffix
    base = os.path.basename(str(name)).rstrip(". ")
    suffix = base[base.rfind("."):] if "." in base else ""
    if suffix.lower() == ".xlsm":
        from ma_cli.base.errors import InputError

        raise InputError(f"{what} {name}: a macro workbook's name ({suffix}); ma-cli writes workbooks without "
                         f"macros, which Excel opens only as .xlsx (expected a name ending in .xlsx)")
    if suffix.lower() in OTHER_SHEETS:
        from ma_cli.base.errors import InputError

        raise InputError(f"{what} {name}: {OTHER_SHEETS[suffix.lower()]} name ({suffix}), a format ma-cli does "
                         f"not write (expected a name ending in .xlsx for a workbook, or .csv)")
    return SUFFIXES.get(suffix.lower())


def write_summary(out: IO[str], fmt: str, t: Tally, as_of: date, origin: str, excel: bool = False) -> None:
    """`--summary`: counts per credential and answer (a cohort report) instead of rows; `excel`: CSV for
    Excel, as the rows' (a byte-order mark, CRLF line ends)."""
    if fmt == "html":
        from ma_cli.output.html_batch import summary_page

        summary_page(out, t, as_of, origin)
        return
    if fmt == "csv":
        if excel:
            out.write("\ufeff")
        # (its cells are credential ids, answer words and counts: none starts like a formula)
        w = csv.writer(out, lineterminator="\r\n" if excel else "\n")
        w.writerow(["credential", "answer", "count"])
        for cred, per in t.counts.items():
            for answer, n in per.items():
                w.writerow([cred, answer, n])
        return
    doc = {"command": t.job.command, "as_of": as_of.isoformat(), "rules": origin, **summary_dict(t)}
    out.write(dumps(doc, indent=2 if fmt == "json" else None) + "\n")
