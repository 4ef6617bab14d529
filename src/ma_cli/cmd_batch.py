"""`ma-cli batch`: a whole roster (CSV) in one process, one output row per input row.

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

from ma_cli import options
from ma_cli.app import MaCommand, MaHelpGroup, app, examples
from ma_cli.errors import InputError
from ma_cli.outfile import check_stdout, open_output

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

Roster = typer.Argument(..., metavar="ROSTER", autocompletion=options.complete_files, help="The roster CSV file, or - for standard input.")
Output = typer.Option(None, "-o", "--output", metavar="FILE", autocompletion=options.complete_files,
                      help="Write here instead of standard output (replaced only when the run completes); "
                           "- is standard output.")
Format = typer.Option("csv", "--format", metavar="csv|jsonl|json|html",
                      help="Output format (html: one self-contained page, best with -o FILE).",
                      autocompletion=lambda incomplete: [f for f in ("csv", "jsonl", "json", "html")
                                                         if f.startswith(incomplete)])
Summary = typer.Option(False, "--summary", help="Print counts per credential and answer instead of rows.")
Encoding = typer.Option(None, "--encoding", metavar="CODEC",
                        help="The CSV roster's text encoding, a Python codec name such as cp1252 (default UTF-8, "
                             "or UTF-16 when the file starts with its byte-order mark).")
Delimiter = typer.Option(None, "--delimiter", metavar="SEP",
                         help="The CSV cell separator: , ; tab or | (default: told from the header line).")
DateOrder = typer.Option(None, "--date-order", metavar="mdy|dmy",
                         help="Read slash dates as month/day/year (5/15/2026) or day/month/year (15/5/2026).")
ColumnMap = typer.Option(None, "--column", metavar="HEADER=COLUMN",
                         help="Read the roster's column HEADER as the roster column COLUMN, "
                              "e.g. --column \"Student ID=id\" (repeatable).")

_EXITS = ("\n\nExit codes: 0 every row evaluated, 4 some rows have status=error (the run still completes), "
          "2 the roster cannot be read or bad options.")


@batch_app.command("eligible", cls=MaCommand, short_help="Eligibility for every person in a roster.", epilog=examples(
    "ma-cli batch eligible examples/roster.csv",
    "ma-cli batch eligible examples/roster.csv --cert cma -o results.csv",
    "ma-cli batch eligible - --format jsonl < examples/roster.csv"), help="Eligibility for every person in ROSTER: per credential the answer, "
                                    "route, deadline and earliest date." + _EXITS)
def batch_eligible(
    roster: str = Roster,
    output: Optional[Path] = Output,
    fmt: str = Format,
    summary: bool = Summary,
    cert: Optional[List[str]] = options.Certs,
    as_of: Optional[str] = options.AsOf,
    rules: Optional[Path] = options.RulesDir,
    encoding: Optional[str] = Encoding,
    delimiter: Optional[str] = Delimiter,
    date_order: Optional[str] = DateOrder,
    column: Optional[List[str]] = ColumnMap,
) -> None:
    from ma_cli.batch import eligible_job
    from ma_cli.roster import ELIGIBILITY
    from ma_cli.rules import describe_origin, load_rules

    fmt = _format(fmt)
    read = _read_options(ELIGIBILITY, encoding, delimiter, date_order, column)
    day = options.as_of_date(as_of)
    ruleset = load_rules(rules)  # compiled once for the whole run
    creds = ruleset.pick(cert)
    job = eligible_job(creds, day)
    raise typer.Exit(run(job, None, roster, output, fmt, summary, day, describe_origin(creds), read))


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
                                          help="The folder the roster's ce_log paths are in, and must stay in "
                                               "(default: the roster's folder; the current folder for -)."),
    encoding: Optional[str] = Encoding,
    delimiter: Optional[str] = Delimiter,
    date_order: Optional[str] = DateOrder,
    column: Optional[List[str]] = ColumnMap,
) -> None:
    from ma_cli.batch import renew_job
    from ma_cli.roster_renew import renewal_kind
    from ma_cli.rules import describe_origin, load_rules

    fmt = _format(fmt)
    day = options.as_of_date(as_of)
    from ma_cli.api import warn_days_checked

    warn_days = warn_days_checked(warn_days)
    ruleset = load_rules(rules)  # compiled once for the whole run
    creds = ruleset.pick(cert)
    job = renew_job(creds, day, warn_days)
    if ce_dir is not None and not ce_dir.is_dir():
        raise InputError(f"--ce-dir {ce_dir}: not a folder (expected the existing folder the roster's CE logs are in)")
    folder = ce_dir if ce_dir is not None else Path.cwd() if roster == "-" else Path(roster).parent
    kind = renewal_kind(list(ruleset.credentials), day, folder)
    read = _read_options(kind, encoding, delimiter, date_order, column)
    raise typer.Exit(run(job, kind, roster, output, fmt, summary, day, describe_origin(creds), read))


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
    from ma_cli.roster import COLUMNS as ELIGIBLE_COLUMNS, REQUIRED as ELIGIBLE_REQUIRED

    if kind.strip().lower() == "eligible":
        columns, required = ELIGIBLE_COLUMNS, ELIGIBLE_REQUIRED
    elif kind.strip().lower() == "renew":
        from ma_cli.roster_renew import COLUMNS as columns, REQUIRED as required
    else:
        raise InputError(f"KIND: '{kind}' is not a roster kind; expected eligible or renew")
    if header:
        print(",".join(columns))
        return
    width = max(map(len, columns))
    for name, says in columns.items():
        print(f"{name:<{width}}  {says}" + (" [required]" if name in required and "required" not in says else ""))


def _format(value: str) -> str:
    from ma_cli.render_batch import FORMATS

    fmt = value.strip().lower()
    if fmt not in FORMATS:
        raise InputError(f"--format: '{value}' is not known; expected one of: {', '.join(FORMATS)}")
    return fmt


def _read_options(kind, encoding, delimiter, date_order, columns):
    """The options that say how to read the roster file, checked before anything is read."""
    from ma_cli.roster import ReadOptions, check_columns, check_date_order, check_delimiter, check_encoding

    return ReadOptions(encoding=check_encoding(encoding) if encoding is not None else None,
                       delimiter=check_delimiter(delimiter) if delimiter is not None else None,
                       date_order=check_date_order(date_order) if date_order is not None else None,
                       columns=check_columns(columns, kind))


def run(job, kind, roster_path: str, output: Optional[Path], fmt: str, summary: bool, as_of, origin: str,
        read=None) -> int:
    """Stream the roster through job.evaluate into the chosen output; the exit code."""
    from ma_cli import render_batch
    from ma_cli.batch import Tally
    from ma_cli.roster import Roster, open_roster

    stream, name = open_roster(roster_path)
    with contextlib.nullcontext(stream) if roster_path == "-" else stream:
        roster = Roster(stream, name, kind, read)  # a bad header fails here, before any output exists
        size, position = _size(stream)
        tally = Tally(job)
        progress = render_batch.Progress(size, position)
        try:
            with _target(output, (0,) if roster_path == "-" else (Path(roster_path),)) as out:
                writer = None if summary else render_batch.WRITERS[fmt](out, job, roster.extra_names, as_of, origin)
                evaluate, add = job.evaluate, tally.add
                for row in roster:
                    result = evaluate(row)
                    add(result)
                    if writer is not None:
                        writer.write(result)
                    progress.update(tally.rows)
                if writer is not None:
                    writer.close(tally)
                else:
                    render_batch.write_summary(out, fmt, tally, as_of, origin)
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


@contextlib.contextmanager
def _target(output: Optional[Path], inputs: tuple = ()) -> Iterator[IO[str]]:
    """Standard output, or FILE through the one output writer (outfile.open_output: whole or not at all)."""
    if output is None or str(output) == "-":  # -o -: standard output, as without -o
        check_stdout(inputs)
        yield sys.stdout
        sys.stdout.flush()
        return
    with open_output(output, "-o", inputs) as out:
        yield out
