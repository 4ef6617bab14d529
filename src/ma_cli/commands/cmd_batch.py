"""`ma-cli batch`: a whole roster (CSV) in one run, one output row per input row.

One process unless `--jobs N` asks for worker processes to answer the rows (base/workers.py);
either way the roster is read, and every output written, by this process in the roster's order.

Exit codes: 0 every row evaluated, 4 some rows could not be evaluated (they carry
status=error), 2 the roster itself cannot be read (or bad options).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path
from typing import IO, Iterator, List, Optional

import typer

from ma_cli.base.errors import InputError
from ma_cli.base.frozen import record
from ma_cli.base.outfile import Outputs, fitting_stem, held_stdout, open_output, stdout_unused, together
from ma_cli.commands import options
from ma_cli.commands.app import MaCommand, MaHelpGroup, app, examples

EXIT_ROW_ERRORS = 4

batch_app = typer.Typer(
    name="batch",
    cls=MaHelpGroup,
    help="Answer for a whole roster (CSV, one person a row) in one run; `ma-cli batch columns` lists the columns.",
    epilog=examples("ma-cli batch eligible examples/roster.csv", "ma-cli batch renew examples/renewals.csv --summary",
                    "ma-cli batch columns"),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(batch_app, name="batch")

Roster = typer.Argument(..., metavar="ROSTER", autocompletion=options.complete_files,
                        **options.path_flag("a CSV or .xlsx roster file", dash=True, convert=str),
                        help="The roster: a CSV or .xlsx file, or - for CSV on standard input.")
Output = typer.Option(None, "-o", "--output", metavar="FILE", autocompletion=options.complete_files,
                      **options.OutputFile,
                      help="Write here instead of standard output (replaced only when the run completes); "
                           "- is standard output; the name's ending picks the format: .csv, .jsonl, .json, "
                           ".html, .xlsx (a workbook).")
Format = typer.Option(None, "--format", metavar="csv|jsonl|json|html|xlsx",
                      help="Output format (default: the one -o's name ends in, .csv .jsonl .json .html/.htm "
                           ".xlsx, else csv; html: one self-contained page, best with -o FILE).",
                      autocompletion=lambda incomplete: [f for f in ("csv", "jsonl", "json", "html", "xlsx")
                                                         if f.startswith(incomplete)])
Excel = typer.Option(False, "--excel", help="CSV for Excel: a byte-order mark, CRLF line ends, and text cells that "
                                            "start like a formula (= + - @) prefixed with ' so they stay text.")
Summary = typer.Option(False, "--summary", help="Print counts per credential and answer instead of rows.")
Delimiter = typer.Option(None, "--delimiter", metavar="SEP",
                         help="The CSV cell separator: , ; tab or | (default: told from the header line).")
DateOrder = typer.Option(None, "--date-order", metavar="mdy|dmy",
                         help="Read slash dates as month/day/year (5/15/2026) or day/month/year (15/5/2026).")
SheetName = typer.Option(None, "--sheet", metavar="NAME",
                         help="For an .xlsx roster: the sheet to read (default: the first).")
ColumnMap = typer.Option(None, "--column", metavar="HEADER=COLUMN",
                         help="Read the roster's column HEADER as the roster column COLUMN, "
                              "e.g. --column \"Student ID=id\" (repeatable); HEADER= passes a column "
                              "that looks like a roster column but is not one through as it is.")

_EXITS = ("\n\nExit codes: 0 every row evaluated, 4 some rows have status=error (the run still completes), "
          "2 the roster cannot be read or bad options.")


@batch_app.command("eligible", cls=MaCommand, short_help="Eligibility for every person in a roster.", epilog=examples(
    "ma-cli batch eligible examples/roster.csv",
    "ma-cli batch eligible examples/roster.csv --cert cma -o results.csv",
    "ma-cli batch eligible - --format jsonl < examples/roster.csv"), help="Eligibility for every person in ROSTER: per credential the answer, "
                                    "route, deadline and earliest date, the last day eligible by any route "
                                    "(eligible_until), what the deadline is for (deadline_says) and, when not "
                                    "eligible, why (one line)." + _EXITS)
def batch_eligible(
    roster: str = Roster,
    output: Optional[Path] = Output,
    fmt: str = Format,
    summary: bool = Summary,
    cert: Optional[List[str]] = options.Certs,
    as_of: Optional[str] = options.AsOf,
    rules: Optional[Path] = options.RulesDir,
    encoding: Optional[str] = options.Encoding,
    delimiter: Optional[str] = Delimiter,
    date_order: Optional[str] = DateOrder,
    column: Optional[List[str]] = ColumnMap,
    sheet: Optional[str] = SheetName,
    excel: bool = Excel,
    jobs: Optional[str] = options.Jobs,
) -> None:
    from ma_cli.inputs.roster import ELIGIBILITY
    from ma_cli.reasoning.batch import eligible_job
    from ma_cli.ruleset.rules import describe_origin
    from ma_cli.ruleset.rules_validate import load_rules

    out = _output(fmt, output, excel, None, None, "wide")
    workers = options.jobs_count(jobs)
    read = _read_options(ELIGIBILITY, encoding, delimiter, date_order, column, sheet)
    day = options.as_of_date(as_of)
    ruleset = load_rules(rules)  # compiled once for the whole run
    creds = ruleset.pick(cert, fields=True)
    job = eligible_job(creds, day, ruleset)
    raise typer.Exit(run(job, None, roster, output, out, summary, day, describe_origin(creds), read,
                         workers=workers))


@batch_app.command("renew", cls=MaCommand, short_help="Renewal status for every credential in a roster.", epilog=examples(
    "ma-cli batch renew examples/renewals.csv",
    "ma-cli batch renew examples/renewals.csv --cert cma --warn-days 120 -o due.csv",
    "ma-cli batch renew examples/renewals.csv --summary --format json"),
                   help="Renewal for every row of ROSTER (one credential held by one person a row: id, credential, "
                        "since, CE totals or a CE log): status, due date, grace end and CE still missing. "
                        "With --cert, rows for other credentials are skipped (status=skipped)." + _EXITS)
def batch_renew(
    roster: str = Roster,
    output: Optional[Path] = Output,
    fmt: str = Format,
    summary: bool = Summary,
    cert: Optional[List[str]] = options.Certs,
    as_of: Optional[str] = options.AsOf,
    warn_days: int = options.WarnDays,
    rules: Optional[Path] = options.RulesDir,
    ce_dir: Optional[Path] = typer.Option(None, "--ce-dir", metavar="DIR", autocompletion=options.complete_files,
                                          **options.path_flag("the existing folder the roster's CE logs are in", kind="folder"),
                                          help="The folder the roster's ce_log paths are in, and must stay in "
                                               "(default: the roster's folder; the current folder for -)."),
    encoding: Optional[str] = options.Encoding,
    delimiter: Optional[str] = Delimiter,
    date_order: Optional[str] = DateOrder,
    column: Optional[List[str]] = ColumnMap,
    sheet: Optional[str] = SheetName,
    excel: bool = Excel,
    layout: Optional[str] = typer.Option(None, "--layout", metavar="wide|long",
                                         help="wide: one row per roster row, per credential its columns (CSV "
                                              "default); long: one row per row and credential (credential, status, "
                                              "due, ...), which sorts and filters (the .xlsx default)."),
    ics: Optional[Path] = typer.Option(None, "--ics", metavar="FILE", **options.OutputFile,
                                       help="Also write a staff calendar: per person and credential the due date "
                                            "(with a reminder --warn-days before) and the end of the grace window."),
    jobs: Optional[str] = options.Jobs,
) -> None:
    from ma_cli.inputs.roster_renew import renewal_kind
    from ma_cli.reasoning.batch import renew_job
    from ma_cli.ruleset.rules import describe_origin
    from ma_cli.ruleset.rules_validate import load_rules

    out = _output(fmt, output, excel, layout, ics)
    workers = options.jobs_count(jobs)
    day = options.as_of_date(as_of)
    from ma_cli.api import warn_days_checked

    warn_days = warn_days_checked(warn_days, options.FLAGS)
    ruleset = load_rules(rules)  # compiled once for the whole run
    creds = ruleset.pick(cert, fields=True)
    job = renew_job(creds, day, warn_days)
    folder = ce_dir if ce_dir is not None else Path.cwd() if roster == "-" else Path(roster).parent
    from ma_cli.inputs.roster import check_date_order, check_encoding

    # --encoding and --date-order are the CE logs' too (roster_renew.CeFolder)
    kind = renewal_kind(list(ruleset.credentials), day, folder, check_encoding(encoding) if encoding is not None else None,
                        check_date_order(date_order) if date_order is not None else None)
    read = _read_options(kind, encoding, delimiter, date_order, column, sheet)
    raise typer.Exit(run(job, kind, roster, output, out, summary, day, describe_origin(creds), read,
                         (ics, {c.id: c.name for c in creds}, warn_days) if ics is not None else None, workers))


@batch_app.command("columns", cls=MaCommand, short_help="The roster columns, and what each holds.", epilog=examples(
    "ma-cli batch columns", "ma-cli batch columns renew", "ma-cli batch columns --header > roster.csv"),
    help="The roster columns KIND reads (eligible, the default, or renew): name and what each holds. "
         "Names match case-insensitively, in any order; only the required ones must be there; other columns "
         "pass through to the output.")
def batch_columns(
    kind: str = typer.Argument("eligible", metavar="[KIND]", autocompletion=lambda: ["eligible", "renew"],
                               help="eligible or renew."),
    header: bool = typer.Option(False, "--header", help="Print only a CSV header line with every column."),
) -> None:
    from ma_cli.inputs.roster import COLUMNS as ELIGIBLE_COLUMNS, REQUIRED as ELIGIBLE_REQUIRED

    if kind.strip().lower() == "eligible":
        columns, required = ELIGIBLE_COLUMNS, ELIGIBLE_REQUIRED
    elif kind.strip().lower() == "renew":
        from ma_cli.inputs.roster_renew import COLUMNS as columns, REQUIRED as required
    else:
        raise InputError(f"KIND: '{kind}' is not a roster kind; expected eligible or renew")
    if header:
        print(",".join(columns))
        return
    width = max(map(len, columns))
    for name, says in columns.items():
        print(f"{name:<{width}}  {says}" + (" [required]" if name in required and "required" not in says else ""))


# how a template's FILE is named in messages (it is an argument, not -o)
TEMPLATE = "batch template"


@batch_app.command("template", cls=MaCommand, short_help="Write a blank roster with the right header columns.",
                   epilog=examples("ma-cli batch template roster.xlsx", "ma-cli batch template staff.xlsx --renew",
                                   "ma-cli batch template roster.csv"),
                   help="Write a blank roster to FILE: an .xlsx workbook (the header row, date columns formatted "
                        "as dates, and a sheet saying what each column holds) or CSV (the header line); - for CSV "
                        "on standard output; a file that exists and is not empty is never replaced. Fill it in "
                        "and run `ma-cli batch eligible FILE` (or `batch renew` with --renew).")
def batch_template(
    file: str = typer.Argument(..., metavar="FILE", **options.output_flag(str),
                               help="roster.xlsx, roster.csv, or - for standard output."),
    renew: bool = typer.Option(False, "--renew", help="A renewal roster (for batch renew) instead of eligibility."),
) -> None:
    from ma_cli.inputs import roster as eligibility

    if renew:
        from ma_cli.inputs import roster_renew as which
    else:
        which = eligibility
    columns, examples = which.COLUMNS, which.EXAMPLES
    dates = ("since",) if renew else eligibility.DATE_COLUMNS[:-1]  # (high_school holds yes/no too)
    if file != "-" and Path(file).is_file() and Path(file).stat().st_size:
        # a blank template over a roster someone has filled in loses their work: -o of a run replaces its
        # answers, but this writes over the input of one
        raise InputError(f"{TEMPLATE} {file}: already exists and is not empty; a blank template would replace what it holds "
                         f"(expected a new file name, or remove the file first)")
    from ma_cli.output.batch_formats import format_named

    named = format_named(file, TEMPLATE) if file != "-" else None
    if named not in (None, "csv", "xlsx"):  # (a roster is read from CSV or a workbook only)
        raise InputError(f"{TEMPLATE} {file}: the name ends in {os.path.splitext(file)[1]}, which is {named} output, "
                         f"not a roster (expected a name ending in .xlsx or .csv)")
    if file != "-":
        stdout_unused()  # (`batch template t.csv > t.csv`, or with standard output closed: nothing is printed)
    if named == "xlsx":
        from ma_cli.output.render_xlsx import write_template

        with _target_workbook(Path(file), what=TEMPLATE) as (path, parts):
            write_template(path, parts, columns, examples, dates)
        return
    with _target(None if file == "-" else Path(file), what=TEMPLATE) as out:
        out.write(",".join(columns) + "\n")


def _format(value: str) -> str:
    from ma_cli.output.batch_formats import FORMATS

    fmt = value.strip().lower()
    if fmt not in FORMATS + ("xlsx",):
        raise InputError(f"--format: '{value}' is not known; expected one of: {', '.join(FORMATS)}, xlsx")
    return fmt


@record
class _Out:
    format: str   # csv | jsonl | json | xlsx
    layout: str   # wide | long
    excel: bool   # CSV for Excel


def _output(fmt: Optional[str], output: Optional[Path], excel: bool, layout: Optional[str], ics,
            default_layout: Optional[str] = None) -> _Out:
    """The output asked for, checked before anything is read: the format (from -o's name unless given)."""
    from ma_cli.output.batch_formats import format_named
    from ma_cli.output.render_batch import LAYOUTS

    named = format_named(output) if output is not None else None  # (None for -)
    chosen = _format(fmt) if fmt is not None else named or "csv"
    if chosen == "xlsx" and output is None:
        raise InputError("--format xlsx: a workbook needs -o FILE.xlsx (it is not written to standard output)")
    # the name says what the file is: a workbook under results.csv would open as garbled text, CSV under
    # results.json would not load as JSON
    if chosen == "xlsx" and named != "xlsx" and str(output) != "-":  # (- has its own message, _target_workbook)
        raise InputError(f"-o {output}: --format xlsx writes a workbook, but the name does not end in .xlsx "
                         f"(expected -o FILE.xlsx, or a --format that fits the name)")
    if named is not None and chosen != named:
        raise InputError(f"-o {output}: the name ends in {os.path.splitext(str(output))[1]}, which is {named} "
                         f"output, but --format is {chosen} (expected --format {named}, or a file name that fits "
                         f"the format)")
    if excel and chosen != "csv":
        raise InputError(f"--excel: is for CSV output (the output is {chosen})")
    if layout is not None:
        layout = layout.strip().lower()
        if layout not in LAYOUTS:
            raise InputError(f"--layout: '{layout}' is not known; expected one of: {', '.join(LAYOUTS)}")
        if chosen not in ("csv", "xlsx"):
            raise InputError(f"--layout: is for CSV and .xlsx output (the output is {chosen})")
    default = default_layout or ("long" if chosen == "xlsx" else "wide")
    if ics is not None and str(ics) == "-" and (output is None or str(output) == "-"):
        raise InputError("--ics -: the rows go to standard output too (expected -o FILE, or --ics FILE)")
    if ics is not None and output is not None and Path(os.path.realpath(ics)) == Path(os.path.realpath(output)):
        raise InputError(f"--ics {ics}: is the -o file too (expected two different files)")
    return _Out(chosen, layout or default, excel)


def _read_options(kind, encoding, delimiter, date_order, columns, sheet=None):
    """The options that say how to read the roster file, checked before anything is read."""
    from ma_cli.inputs.roster import ReadOptions, check_columns, check_date_order, check_delimiter, check_encoding

    return ReadOptions(encoding=check_encoding(encoding) if encoding is not None else None,
                       delimiter=check_delimiter(delimiter) if delimiter is not None else None,
                       date_order=check_date_order(date_order) if date_order is not None else None,
                       columns=check_columns(columns, kind), sheet=sheet)


def run(job, kind, roster_path: str, output: Optional[Path], out: "_Out", summary: bool, as_of, origin: str,
        read=None, ics=None, workers: int = 1) -> int:
    """Stream the roster through job.evaluate into the chosen output(s); the exit code.

    `ics` is (FILE, credential names, reminder days) for a staff calendar written beside the rows.
    With `workers` > 1 (--jobs), worker processes run job.evaluate (base/workers.py); the roster is
    still read, and every output written and counted, here, in the roster's order.
    """
    import ma_cli.output.render_batch as render_batch
    from ma_cli.inputs.roster import Roster, open_roster
    from ma_cli.output.batch_formats import WRITERS, write_summary
    from ma_cli.reasoning.batch import Tally

    if not _is_stdout(output) and not (ics is not None and _is_stdout(ics[0])):
        stdout_unused()  # (`-o out.csv >> roster.csv` destroys nothing: only the summary line is printed, on stderr)
    stream, name = open_roster(roster_path, read.sheet if read is not None else None)
    with contextlib.nullcontext(stream) if roster_path == "-" else stream:
        roster = Roster(stream, name, kind, read)  # a bad header fails here, before any output exists
        size, position = _size(stream)
        tally = Tally(job)
        progress = render_batch.Progress(size, position)
        try:
            with contextlib.ExitStack() as stack:
                # every output is replaced only once all of them are written (a failing --ics keeps -o's file)
                outputs = stack.enter_context(together())
                if workers > 1:  # copies of this process, made before any output is opened
                    from ma_cli.base.workers import Workers

                    if roster.kind.reads_files:  # a renewal row's CE log is read here, where the outputs are known
                        answer, rows = job.evaluate, iter(roster)
                    else:  # the workers parse the cells too: a parsed row costs more to send than its cells
                        finish, evaluate = roster.finisher(), job.evaluate
                        answer, rows = (lambda read: evaluate(finish(read))), roster.records()
                    results = stack.enter_context(Workers(answer, workers)).map(rows)
                else:
                    results = map(job.evaluate, roster)
                # the calendar's file first: one that cannot be written is refused before the rows' output has
                # its header (on standard output, a CSV header and then exit 2)
                calendar = None
                if ics is not None:
                    ics_path, names, remind = ics
                    ics_out = stack.enter_context(_target(ics_path, outputs, "--ics", hold=roster.kind.reads_files))
                    calendar = render_batch.StaffCalendar(ics_out, names, as_of, remind)
                target = None
                if out.format == "xlsx":
                    from ma_cli.output.render_xlsx import XlsxRows

                    path, parts = stack.enter_context(_target_workbook(output, outputs))  # (a binary stream)
                    writer = XlsxRows(path, parts, job, roster.extra_names, as_of, origin, out.layout, not summary,
                                      f"-o {output}")
                else:
                    # a renewal row's CE log is opened while the rows are written: standard output that is a
                    # file is held back until every log read was checked against it
                    target = stack.enter_context(_target(output, outputs, hold=roster.kind.reads_files))
                    if summary:
                        writer = None
                    elif out.format == "csv" and (out.layout == "long" or out.excel):
                        writer = render_batch.CsvLayoutRows(target, job, roster.extra_names, as_of, origin,
                                                            out.layout, out.excel)
                    else:
                        writer = WRITERS[out.format](target, job, roster.extra_names, as_of, origin)
                rows_writer = None if summary else writer  # --summary: a workbook gets the summary sheet alone
                # what each row goes through, looked up once: the tally, then the outputs there are
                steps = [tally.add] + [w.write for w in (rows_writer, calendar) if w is not None]
                if progress.on:
                    steps.append(lambda result: progress.update(tally.rows))
                if len(steps) == 2:  # the common run: count the row, write it
                    add, write = steps
                    for result in results:
                        add(result)
                        write(result)
                else:
                    for result in results:
                        for step in steps:
                            step(result)
                if writer is not None:
                    writer.close(tally)
                else:
                    write_summary(target, out.format, tally, as_of, origin, out.excel)
                if calendar is not None:
                    calendar.close()
        finally:
            progress.close()
    sys.stderr.write(render_batch.summary_line(tally) + "\n")
    return EXIT_ROW_ERRORS if tally.errors else 0


def _size(raw) -> tuple[int | None, object]:
    """The roster's size in bytes and how far reading has got; (None, None) when not a plain file."""
    try:
        info = os.fstat(raw.fileno())
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
        return None, None
    if not stat.S_ISREG(info.st_mode):
        return None, None
    return info.st_size, raw.tell


def _is_stdout(output: Optional[Path]) -> bool:
    return output is None or str(output) == "-"


@contextlib.contextmanager
def _target(output: Optional[Path], outputs: Optional[Outputs] = None, what: str = "-o",
            hold: bool = False) -> Iterator[IO[str]]:
    """Standard output, or FILE through the one output writer (outfile.open_output: whole or not at all)."""
    if _is_stdout(output):  # -o -: standard output, as without -o
        with contextlib.ExitStack() as stack:
            group = outputs if outputs is not None else stack.enter_context(together())
            yield stack.enter_context(held_stdout(group, hold))
        return
    with open_output(output, what, outputs) as out:
        yield out


@contextlib.contextmanager
def _target_workbook(output: Optional[Path], outputs: Optional[Outputs] = None,
                     what: str = "-o") -> Iterator[tuple[IO[bytes], Path]]:
    """(the binary stream of FILE through the one output writer, a folder beside FILE for the workbook
    writer's own temporary files); the folder is gone however the run ends."""
    import shutil

    from ma_cli.base.errors import WriteError

    if output is None or str(output) == "-":
        raise InputError("-o -: a workbook is not written to standard output (expected -o FILE.xlsx)")
    with open_output(output, what, outputs) as out:
        name = Path(output).name
        parts = Path(os.path.dirname(os.path.abspath(output))) / f".{fitting_stem(name)}.{os.getpid()}.parts"
        try:
            os.mkdir(parts, 0o700)
        except OSError as err:
            raise InputError(f"{what} {output}: cannot write in folder '{parts.parent}' ({err.strerror})") from None
        try:
            yield out.buffer, parts
        except OSError as err:  # the workbook writer's own temporary files (disk full)
            raise WriteError(f"{what} {output}: cannot write: {err.strerror}") from None
        finally:
            shutil.rmtree(parts, ignore_errors=True)
