"""`ma-cli renew`: when is a credential due, what CE is still missing, what happens if it is missed."""

# No `from __future__ import annotations` here: Typer reads the command's signature on every run,
# and string annotations cost it an eval and a compile each (about 1 ms for a command's options).

from pathlib import Path
from typing import List, Optional

import typer

from ma_cli.base.errors import InputError
from ma_cli.commands import options
from ma_cli.commands.app import MaCommand, app, examples


@app.command(cls=MaCommand, epilog=examples(
    "ma-cli renew --cert cma --since 2022-03-15",
    "ma-cli renew --cert cma --since 2022-03-15 --ce-log examples/ce/chloe.csv --json",
    "ma-cli renew --profile examples/person.yaml --warn-days 120"), help="When a credential is due for renewal, what CE is still missing, and what happens after.\n\n"
                  "Exit codes: 0 current and not due soon, 3 action needed (due soon, in a grace window, "
                  "or review), 1 lapsed, 2 bad input.")
def renew(
    cert: Optional[List[str]] = options.Certs,
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE",
                                        help="Date of certification or last recertification: YYYY-MM-DD, "
                                             "YYYY-MM or YYYY (a range of due dates; the earliest is planned on)."),
    ce_log: Optional[Path] = typer.Option(None, "--ce-log", metavar="FILE", autocompletion=options.complete_files,
                                         **options.path_flag("a CE log file, CSV or YAML", dash=True),
                                          help="CE credits earned: CSV (date,credits,category,approved,kind,"
                                               "description) or YAML; - reads standard input."),
    profile: Optional[Path] = typer.Option(None, "--profile", metavar="FILE", autocompletion=options.complete_files,
                                          **options.path_flag("a profile file", dash=True),
                                           help="A profile whose `held:` credentials are renewed; - reads standard input."),
    as_of: Optional[str] = options.AsOf,
    warn_days: int = options.WarnDays,
    json_out: bool = options.JsonOut,
    rules: Optional[Path] = options.RulesDir,
    encoding: Optional[str] = options.Encoding,
    ics: Optional[Path] = typer.Option(None, "--ics", metavar="FILE", **options.OutputFile, autocompletion=options.complete_files,
                                       help="Also write the due dates (with a reminder --warn-days before) "
                                            "as an iCalendar file; - prints it instead of the table."),
) -> None:
    from ma_cli import api
    from ma_cli.reasoning.renewal import exit_code

    ics_out = options.output_to_stdout(ics, "--ics", json_out)
    if ce_log is not None and profile is not None and str(ce_log) == str(profile) == "-":
        raise InputError("--profile - and --ce-log -: standard input can be read once; give one of them a file")
    day, statuses, origin, person_id = api.renewals(credential=cert, since=since, profile=profile, ce_log=ce_log,
                                                    as_of=options.as_of_date(as_of), warn_days=warn_days,
                                                    rules=rules, encoding=encoding, args=options.FLAGS)
    text = None
    if ics is not None:
        from ma_cli.output.ics import calendar

        text = calendar(statuses, day, warn_days, person_id)
    from ma_cli.output import render_renew

    # --ics FILE is written first (refused if it is an input read, or standard output's file), and replaces
    # its file only once the table is printed (outfile.after_stdout)
    with options.files_after_stdout([] if ics_out or ics is None else [(ics, "--ics", text)]):
        if ics_out:  # --ics -: the calendar is the output
            options.write_stdout(text)
        elif json_out:
            from ma_cli.base import jsonout

            print(jsonout.dumps(render_renew.renewal_doc(day, statuses, origin, person_id), indent=2))
        else:
            render_renew.renewal_table(day, statuses, origin, person_id)
    raise typer.Exit(exit_code(statuses))
