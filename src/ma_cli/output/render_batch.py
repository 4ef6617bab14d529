"""Output of `ma-cli batch`: result rows as CSV, JSON Lines or JSON; the summary; progress; the staff calendar.

The HTML page is html_batch.py; batch_formats.py picks the writer of each --format.

Every writer streams: a row is written as soon as it is evaluated, so memory stays flat.
Rich is imported only when a progress bar is actually shown.
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from typing import IO

from ma_cli.base.bounds import amount_of, amount_text
from ma_cli.base.jsonout import dumps
from ma_cli.base.literal import CSV_CELL, JSON_TEXT
from ma_cli.output.render_shared import iso
from ma_cli.reasoning.batch import Job, RowResult, Tally

_BASE = ("id", "line", "status", "error")

# how text a spreadsheet would run as a formula starts (a tab or CR before one is dropped by some)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(_FORMULA_START)


def escaped(text: str, formulas: bool = False) -> str:
    """Text as a cell of a results file holds it: control characters shown as escapes (`\\x1b`; tab and
    line breaks kept), and with `formulas` (a file a spreadsheet opens as text: CSV for Excel) a `'`
    before text that starts like a formula (=, +, -, @), so it is shown, not run. The one definition
    for every writer of cells: CSV, CSV for Excel, the workbook."""
    if not text.isprintable():
        text = text.translate(CSV_CELL)
    return "'" + text if formulas and text.startswith(_FORMULA_START) else text


def _cell(value) -> str:
    if value.__class__ is str:  # most cells: the words of an answer
        text = value
    elif value is None:
        return ""
    elif isinstance(value, float):
        return amount_text(value)
    else:
        text = value.isoformat() if isinstance(value, date) else str(value)
    return text if text.isprintable() else escaped(text)


_WORDS_AND_DAYS = frozenset((str, date, type(None)))  # the types of the answers whose texts are kept


def extra_headers(job: Job, extra_names: list[str]) -> list[str]:
    """Pass-through columns keep their header, unless it would clash with an output column."""
    return _unclashed(extra_names, set(_BASE) | {f"{c}_{f}" for c in job.credentials for f in job.fields})


def _unclashed(names: list[str], taken: set[str]) -> list[str]:
    """Each name, prefixed `input_` as often as it takes not to clash (case aside) with a name in `taken`
    or an earlier one. A name that clashes with neither is kept first, before any is renamed: renamed
    `input_Name`, a repeated `Name` took the name of the roster's own `input_Name` column, which was then
    shown as `input_input_Name`."""
    seen: set[str] = set()
    kept = []
    for name in names:
        key = name.lower()
        kept.append(key not in taken and key not in seen)
        seen.add(key)
    taken = taken | {name.lower() for name, keep in zip(names, kept) if keep}
    out = []
    for name, keep in zip(names, kept):
        label = name
        if not keep:
            while label.lower() in taken:
                label = f"input_{label}"
            taken.add(label.lower())
        out.append(label)
    return out


class _LineText:
    """A csv writer's file that hands the line back: `csv.writer(_LineText()).writerow(cells)` is the
    line's text (the writer returns what its file's write returns), quoted as the writer quotes it."""

    write = staticmethod(str)


class CsvRows:
    """The default CSV: one line per roster row.

    A roster repeats answers row after row, so the text of one credential's cells, quoted and joined
    by the csv writer, is kept per answer and put into the line as it is; each line's own cells (id,
    line, status, error, the pass-through cells) go through the same writer. A line whose own cells
    hold a control character is written cell by cell (`_write_cells`)."""

    def __init__(self, out: IO[str], job: Job, extra_names: list[str], as_of: date, origin: str):
        self._out = out
        self._w = csv.writer(out, lineterminator="\n")
        # the csv module quotes a cell holding \n but not a lone \r when lines end in \n; such rows quote all
        self._quote_all = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
        self._line = csv.writer(_LineText(), lineterminator="\n").writerow  # cells -> their text, "\n" last
        self._creds, self._width = job.credentials, len(job.fields)
        # a credential without an answer: its empty cells (one empty cell alone would be written "")
        self._blank = "," * (self._width - 1) if self._width > 1 else None
        # the text of answers seen before: only answers of words, dates and nothing, which no other value
        # equals (1 == 1.0 == True would mix numbers' texts up)
        self._texts: dict[tuple, str] | None = {}
        self._w.writerow(list(_BASE) + [f"{c}_{f}" for c in job.credentials for f in job.fields]
                         + [escaped(name) for name in extra_headers(job, extra_names)])

    def _answer_text(self, values: tuple) -> str:
        """One credential's cells as they stand in a line, without the separators around them."""
        texts = self._texts
        got = texts.get(values) if texts is not None else None
        if got is not None:
            return got
        if _WORDS_AND_DAYS.issuperset(map(type, values)):
            # the csv writer makes _cell's text of these itself (None empty, a day str(), which is its ISO
            # form) as long as no text needs an escape: then the line is printable, its quotes included
            got = self._line(values)[:-1]
            if not got.isprintable():
                got = self._line(tuple(map(_cell, values)))[:-1]
            if texts is not None:
                if len(texts) >= 2048:
                    texts.clear()
                texts[values] = got
            return got
        self._texts = None  # answers with numbers (renew): not worth remembering
        return self._line(tuple(map(_cell, values)))[:-1]

    def write(self, r: RowResult) -> None:
        extra = r.extra
        raw = "".join((r.id, r.error or "", *extra))
        blank = self._blank
        if not raw.isprintable() or blank is None:  # (a \r is not printable either)
            self._write_cells(r, raw)
            return
        parts = [self._line((r.id, r.line, r.status, r.error or ""))[:-1]]
        answers, texts = r.answers, self._texts
        for c in self._creds:
            values = answers.get(c)
            if values is None:
                parts.append(blank)
                continue
            got = texts.get(values) if texts is not None else None  # (_answer_text's first look, made here)
            parts.append(got if got is not None else self._answer_text(values))
        if extra:
            # one empty cell alone is written "" (a line that is not blank), not so at the end of a line
            parts.append(self._line(extra)[:-1] if extra != ("",) else "")
        self._out.write(",".join(parts) + "\n")

    def _write_cells(self, r: RowResult, raw: str) -> None:
        """A line cell by cell: control characters written as escapes (\x1b), and every cell quoted when
        one holds a \r."""
        cells = [r.id, r.line, r.status, r.error or ""]
        blank = ("",) * self._width
        answers = r.answers
        for c in self._creds:
            values = answers.get(c)
            cells.extend(blank if values is None else map(_cell, values))
        cells.extend(r.extra)
        if not raw.isprintable():  # an ESC or other control character is written as an escape (\x1b)
            cells = [escaped(c) if isinstance(c, str) else c for c in cells]
        (self._quote_all if "\r" in raw else self._w).writerow(cells)

    def close(self, tally: Tally) -> None:
        pass


def _json(record: dict) -> str:
    """One record as JSON, UTF-8 text as it is; DEL, C1 and bidi controls as JSON escapes (\\u009b)."""
    text = dumps(record, ensure_ascii=False)
    return text if text.isascii() or text.isprintable() else text.translate(JSON_TEXT)


class JsonLinesRows:
    def __init__(self, out: IO[str], job: Job, extra_names: list[str], as_of: date, origin: str):
        # a repeated header would be one key holding the last cell only: each is kept, named as the CSV names it
        self._out, self._fields, self._extra = out, job.fields, _unclashed(list(extra_names), set())

    def record(self, r: RowResult) -> dict:
        results = {c: {f: iso(v) for f, v in zip(self._fields, values)} for c, values in r.answers.items()}
        return {"id": r.id, "line": r.line, "status": r.status, "error": r.error,
                "results": results, "extra": dict(zip(self._extra, r.extra))}

    def write(self, r: RowResult) -> None:
        self._out.write(_json(self.record(r)) + "\n")

    def close(self, tally: Tally) -> None:
        pass


class JsonRows(JsonLinesRows):
    """One JSON document, still written row by row: the summary comes last."""

    def __init__(self, out: IO[str], job: Job, extra_names: list[str], as_of: date, origin: str):
        super().__init__(out, job, extra_names, as_of, origin)
        out.write('{"command": %s, "as_of": %s, "rules": %s, "rows": [' % (
            dumps(job.command), dumps(as_of.isoformat()), dumps(origin)))
        self._first = True

    def write(self, r: RowResult) -> None:
        self._out.write(("\n" if self._first else ",\n") + _json(self.record(r)))
        self._first = False

    def close(self, tally: Tally) -> None:
        self._out.write('\n], "summary": %s}\n' % dumps(summary_dict(tally)))


LAYOUTS = ("wide", "long")


# --- the rows as values, for the writers that are not the plain CSV (whose fast path is above) ------

def wide_header(job: Job, extra_names: list[str]) -> list[str]:
    """One row per roster row: per credential its fields side by side."""
    return list(_BASE) + [f"{c}_{f}" for c in job.credentials for f in job.fields] + extra_headers(job, extra_names)


def wide_values(job: Job, r: RowResult):
    blank = (None,) * len(job.fields)
    cells = [r.id, r.line, r.status, r.error or ""]
    for c in job.credentials:
        cells.extend(r.answers.get(c, blank))
    cells.extend(r.extra)
    yield cells


def long_header(job: Job, extra_names: list[str]) -> list[str]:
    """One row per roster row and credential: `id, line, credential, <fields>, error, <pass-through>`;
    the first field (status, answer) says error or skipped for a row that has no answer."""
    base = ["id", "line", "credential", *job.fields, "error"]
    return base + _unclashed(extra_names, {name.lower() for name in base})


def long_values(job: Job, r: RowResult):
    if r.answers:
        for cred, values in r.answers.items():
            yield [r.id, r.line, cred, *values, "", *r.extra]
    else:
        yield [r.id, r.line, "", r.status, *(None,) * (len(job.fields) - 1), r.error or "", *r.extra]


class CsvLayoutRows:
    """CSV in the long layout, or for Excel (`--excel`: a byte-order mark, CRLF line ends, and text
    cells that start like a formula neutralised); the default CSV is CsvRows."""

    def __init__(self, out: IO[str], job: Job, extra_names: list[str], as_of: date, origin: str,
                 layout: str = "wide", excel: bool = False):
        self._job, self._excel = job, excel
        self._values = long_values if layout == "long" else wide_values
        end = "\r\n" if excel else "\n"
        self._w = csv.writer(out, lineterminator=end)
        self._quote_all = csv.writer(out, lineterminator=end, quoting=csv.QUOTE_ALL)
        header = (long_header if layout == "long" else wide_header)(job, extra_names)
        if excel:
            out.write("\ufeff")
        self._w.writerow([escaped(h, excel) for h in header])

    def write(self, r: RowResult) -> None:
        excel = self._excel
        for values in self._values(self._job, r):
            cells = [escaped(v, True) if excel and v.__class__ is str else _cell(v) for v in values]
            raw = "\n".join(c for c in cells if c.__class__ is str)
            (self._quote_all if "\r" in raw and not excel else self._w).writerow(cells)

    def close(self, tally: Tally) -> None:
        pass


def summary_dict(t: Tally) -> dict:
    return {"rows": t.rows, "errors": t.errors, "skipped": t.skipped, t.job.hit_key: t.hits, "credentials": t.counts}


def summary_line(t: Tally) -> str:
    """`1,200 rows: 840 eligible for at least one credential, 3 errors`."""
    skipped = f", {t.skipped:,} skipped" if t.skipped else ""
    return (f"{t.rows:,} row{'s' if t.rows != 1 else ''}: {t.hits:,} {t.job.headline}, "
            f"{t.errors:,} error{'s' if t.errors != 1 else ''}{skipped}")


class Progress:
    """A progress bar on stderr for a large roster when stderr is a terminal; otherwise nothing.

    `size` is the roster's size in bytes (None for standard input: a row counter once it is large).
    """

    LARGE_BYTES = 1 << 20
    LARGE_ROWS = 10_000
    EVERY = 1000  # rows between updates: the bar must not cost the run

    def __init__(self, size: int | None, position=None):
        self.on = sys.stderr.isatty() and (size is None or size >= self.LARGE_BYTES)  # False: update() does nothing
        self._size, self._position, self._bar, self._task = size, position, None, None

    def update(self, rows: int) -> None:
        if not self.on or rows % self.EVERY:
            return
        if self._bar is None:
            if self._size is None and rows < self.LARGE_ROWS:
                return
            self._start()
        if self._size is None:
            self._bar.update(self._task, completed=rows, description=f"{rows:,} rows")
        else:
            self._bar.update(self._task, completed=self._position(),
                             description=f"{rows:,} rows")

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress as Bar, TextColumn, TimeRemainingColumn

        columns = [TextColumn("{task.description}")]
        if self._size is not None:
            columns += [BarColumn(), TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn()]
        self._bar = Bar(*columns, console=Console(stderr=True), transient=True)
        self._bar.start()
        self._task = self._bar.add_task("reading", total=self._size)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


class StaffCalendar:
    """`batch renew --ics FILE`: per person and credential an all-day event on the due date (with a
    reminder some days before) and one on the last day of the grace window.

    UIDs are made of the id, the credential and the kind of event, not the date: importing next
    month's file again moves an event whose date changed instead of adding a second one. A row
    whose id and credential were seen before gets its count among those rows in its UIDs (`-2`), not
    its roster line, which a row added or removed above it would change.
    """

    def __init__(self, out: IO[str], names: dict[str, str], as_of: date, remind_days: int):
        import ma_cli.output.ics as ics

        self._ics, self._out, self._names, self._remind = ics, out, names, remind_days
        self._stamp = ics.stamp(as_of)
        self._seen: dict[tuple[str, str], int] = {}
        out.write(ics.begin("batch renew", "Credential renewals"))

    def write(self, r: RowResult) -> None:
        for cred, values in r.answers.items():
            status, due, days_left, grace_end = values[:4]
            if due is None:
                continue
            key = (r.id, cred)
            nth = self._seen[key] = self._seen.get(key, 0) + 1
            name = self._names.get(cred, cred.upper())
            missing = values[6]
            ce = f" CE still missing: {amount_of(missing, values[7])}." if missing else ""
            event = self._ics.event
            lines = event(self._ics.uid(r.id, cred, "due", nth=nth), self._stamp, due, f"{r.id}: {name} renewal due",
                          f"{r.id}: {name} renewal due {due} (status {status}).{ce}", self._remind)
            if grace_end:
                lines += event(self._ics.uid(r.id, cred, "grace", nth=nth), self._stamp, grace_end, f"{r.id}: {name} grace window ends",
                               f"{r.id}: last day of the {name} grace window after {due}.", 0)
            self._out.write(self._ics.text(lines))

    def close(self) -> None:
        self._out.write(self._ics.end())

