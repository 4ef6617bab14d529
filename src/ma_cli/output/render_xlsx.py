"""Batch results as a workbook (`-o results.xlsx`): the rows sheet first, then the summary.

Written with XlsxWriter in its constant-memory mode: each row goes to a temporary file as soon as
it is written, so memory stays flat at 100,000 rows. Measured on 100,000 result rows of 26 cells:
XlsxWriter 9.7 s at 21 MiB, openpyxl's write-only mode 18.8 s at 24 MiB. XlsxWriter is imported
only here, when a workbook is asked for. Its temporary files go to the folder the caller names
(beside the output), never to the system's.

Every cell is written as what it is (text as text, never a formula; numbers as numbers; dates as
date cells), the header is frozen with a filter on it, and answers carry a colour beside their text.
Text goes through render_batch.escaped as in every results file (control characters as escapes);
text that starts like a formula is also marked as typed text (Excel's quote prefix, the `'` one
types), so editing the cell in a spreadsheet keeps it text instead of running it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from ma_cli.base.errors import InputError
from ma_cli.output.render_batch import escaped, long_header, long_values, looks_like_formula, wide_header, wide_values
from ma_cli.reasoning.batch import Job, RowResult, Tally

# answer or status -> (fill, font colour): green for done, amber for look at it, red for act now
COLOURS = {
    "eligible": ("#C6EFCE", "#006100"), "current": ("#C6EFCE", "#006100"),
    "review": ("#FFEB9C", "#9C5700"), "due_soon": ("#FFEB9C", "#9C5700"),
    "grace": ("#FFC7CE", "#9C0006"), "lapsed": ("#FFC7CE", "#9C0006"), "error": ("#FFC7CE", "#9C0006"),
    "not_eligible": ("#EDEDED", "#3F3F3F"), "skipped": ("#EDEDED", "#3F3F3F"),
}
_ANSWER_FIELDS = ("answer", "status")
_CUT = -2  # what XlsxWriter's write_string returns for text it cut to a cell's most, 32,767 UTF-16 units


def too_long(named: str, where: str, text: str) -> InputError:
    """The refusal of text longer than a workbook cell holds (Excel's limit; XlsxWriter would cut it
    without a mark, and two long ids could come out the same): the whole run, not a cut cell."""
    units = len(text.encode("utf-16-le")) // 2  # (what a cell's limit counts: a character beyond U+FFFF is two)
    size = f"{len(text):,} characters" + (f" ({units:,} in Excel's count)" if units != len(text) else "")
    return InputError(f"{named}: {where}: {size}, more than a workbook cell holds (32,767); "
                      f"expected shorter text, or CSV output, which keeps it whole")


def typed_text_format(book, properties: dict | None = None):
    """The format (with `properties`, e.g. the header's bold) that marks a text cell as typed text (Excel's
    quote prefix: editing the cell keeps it text), or None with an XlsxWriter older than the mark (3.0.1 has
    none): the cell is written as text all the same (write_string, strings never read as formulas), only an
    edit in Excel could turn it into one."""
    typed = book.add_format(properties)
    if not hasattr(typed, "set_quote_prefix"):
        return None
    typed.set_quote_prefix()
    return typed


class XlsxRows:
    """The rows sheet (header in row 1, one row per roster row or, in the long layout, per row and
    credential), then a summary sheet written at the end."""

    def __init__(self, path, parts: Path, job: Job, extra_names: list[str], as_of: date, origin: str,
                 layout: str = "wide", rows: bool = True, named: str = "-o"):
        self._book = book = xlsxwriter.Workbook(_target(path), {
            "constant_memory": True, "tmpdir": str(parts),
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
        # created (and modified, which XlsxWriter writes the same) is the as-of day, not the clock: the same
        # question gives the same bytes, run after run and whatever --jobs
        book.set_properties({"title": f"ma-cli batch {job.command}", "comments": f"as of {as_of}; rules {origin}",
                             "created": datetime(as_of.year, as_of.month, as_of.day)})
        self._named = named
        self._job, self._as_of, self._origin = job, as_of, origin
        self._date = book.add_format({"num_format": "yyyy-mm-dd"})
        head = {"bold": True, "bottom": 1}
        self._head = book.add_format(head)
        self._typed = typed_text_format(book)
        # a pass-through column's name is the roster's text (`=SUM(A1)`, `-x`): marked as a body cell's is
        typed_head = typed_text_format(book, head)
        self._sheet = book.add_worksheet("rows") if rows else None
        self._summary = book.add_worksheet("summary")
        self._row = 0
        if self._sheet is None:
            return
        self._header = header = (long_header if layout == "long" else wide_header)(job, extra_names)
        self._values = long_values if layout == "long" else wide_values
        sheet = self._sheet
        sheet.activate()
        sheet.freeze_panes(1, 0)
        for c, name in enumerate(header):
            text = escaped(name)
            if sheet.write_string(0, c, text, typed_head if typed_head is not None and looks_like_formula(text)
                                  else self._head) == _CUT:
                raise too_long(named, f"the header of column {c + 1}", text)
            sheet.set_column(c, c, max(10, min(40, len(name) + 2)))
        self._answer_columns = [c for c, name in enumerate(header)
                                if name in _ANSWER_FIELDS or name.endswith(tuple(f"_{f}" for f in _ANSWER_FIELDS))
                                or name == "status"]

    def write(self, r: RowResult) -> None:
        sheet, fmt = self._sheet, self._date
        for values in self._values(self._job, r):
            self._row += 1
            row = self._row
            for c, v in enumerate(values):
                if v is None or v == "":
                    continue
                cls = v.__class__
                if cls is str:
                    text = escaped(v)
                    if sheet.write_string(row, c, text, self._typed if looks_like_formula(text) else None) == _CUT:
                        raise too_long(self._named, f"roster line {r.line}, column {self._header[c]}", text)
                elif cls is date:
                    sheet.write_datetime(row, c, v, fmt)
                elif cls is bool:
                    sheet.write_boolean(row, c, v)
                elif cls is int or cls is float:
                    sheet.write_number(row, c, v)
                else:
                    sheet.write_string(row, c, str(v))

    def close(self, tally: Tally) -> None:
        book = self._book
        if self._sheet is not None:
            last = max(self._row, 1)
            self._sheet.autofilter(0, 0, last, len(self._header) - 1)
            for word, (fill, font) in COLOURS.items():
                colour = book.add_format({"bg_color": fill, "font_color": font})
                for c in self._answer_columns:
                    self._sheet.conditional_format(1, c, last, c, {"type": "cell", "criteria": "==",
                                                                  "value": f'"{word}"', "format": colour})
        summary = self._summary
        summary.set_column(0, 0, 22)
        summary.set_column(1, 2, 14)
        t = tally
        facts = [("command", f"batch {t.job.command}"), ("as of", self._as_of), ("rules", self._origin),
                 ("rows", t.rows), ("errors", t.errors), ("skipped", t.skipped), (t.job.headline, t.hits)]
        for r, (label, value) in enumerate(facts):
            summary.write_string(r, 0, label, self._head if r == 0 else None)
            if isinstance(value, date):
                summary.write_datetime(r, 1, value, self._date)
            elif isinstance(value, int):
                summary.write_number(r, 1, value)
            else:
                summary.write_string(r, 1, str(value))
        r = len(facts) + 1
        for c, name in enumerate(("credential", "answer" if t.job.command == "eligible" else "status", "count")):
            summary.write_string(r, c, name, self._head)
        for cred, per in t.counts.items():
            for answer, n in per.items():
                r += 1
                summary.write_string(r, 0, cred)
                summary.write_string(r, 1, answer)
                summary.write_number(r, 2, n)
        if self._sheet is None:
            summary.activate()
        book.close()


def _target(path):
    """A file name for XlsxWriter, or the binary stream it writes the workbook into."""
    return str(path) if isinstance(path, (str, Path)) else path


def write_template(path, parts: Path, columns: dict[str, str], examples: dict[str, str],
                   dates: tuple[str, ...]) -> None:
    """A blank roster: the header row on the first sheet (date columns formatted as dates), and a
    sheet that says what each column holds."""
    book = xlsxwriter.Workbook(_target(path), {"tmpdir": str(parts), "strings_to_formulas": False,
                                           "strings_to_urls": False, "strings_to_numbers": False})
    head = book.add_format({"bold": True, "bottom": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("Roster")
    for c, name in enumerate(columns):
        sheet.write_string(0, c, name, head)
        sheet.set_column(c, c, max(12, len(name) + 2), day if name in dates else None)
    sheet.freeze_panes(1, 0)
    sheet.activate()
    about = book.add_worksheet("Columns")
    for c, name in enumerate(("column", "holds", "example")):
        about.write_string(0, c, name, head)
    about.set_column(0, 0, 20)
    about.set_column(1, 1, 70)
    about.set_column(2, 2, 30)
    for r, (name, meaning) in enumerate(columns.items(), 1):
        about.write_string(r, 0, name)
        about.write_string(r, 1, meaning)
        if examples.get(name):
            about.write_string(r, 2, examples[name])
    book.close()
