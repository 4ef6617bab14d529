"""`ma-cli plan`: when will this person be eligible, by which route, and until when."""

# No `from __future__ import annotations` here: Typer reads the command's signature on every run,
# and string annotations cost it an eval and a compile each (about 1 ms for a command's options).

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from ma_cli.base.errors import InputError, one_line
from ma_cli.commands import options
from ma_cli.commands.app import MaCommand, app, examples


@app.command(cls=MaCommand, epilog=examples(
    "ma-cli plan --work 2024-10-01..present --assume 'program: caahep, completed 2027-06'",
    "ma-cli plan --program caahep --expected 2027-05-10 --cert cma --ics key-dates.ics",
    "ma-cli plan --profile examples/person.yaml --html plan.html"), help="When this person becomes (or stops being) eligible, by which route, if nothing changes but "
                  "time; --assume adds what-ifs. Looks ahead 10 years.\n\n"
                  "Exit codes (for today, as `eligible`): 0 eligible now for at least one credential asked, "
                  "1 none, 3 none eligible now but at least one needs review, 2 bad input.")
def plan(
    profile: Optional[Path] = options.ProfileFile,
    program: Optional[str] = options.Program,
    graduated: Optional[str] = options.Graduated,
    expected: Optional[str] = options.Expected,
    military: Optional[str] = options.MilitaryDone,
    work: Optional[List[str]] = options.WorkPeriods,
    high_school: Optional[bool] = options.HighSchool,
    high_school_expected: Optional[str] = options.HighSchoolExpected,
    age: Optional[int] = options.Age,
    field: Optional[str] = options.Field,
    clinical: Optional[bool] = options.Clinical,
    venipunctures: Optional[int] = options.Venipunctures,
    capillary_sticks: Optional[int] = options.CapillarySticks,
    ekgs: Optional[int] = options.Ekgs,
    held: Optional[List[str]] = options.HeldCreds,
    assume: Optional[List[str]] = typer.Option(
        None, "--assume", metavar="WHAT-IF",
        help="A what-if (repeatable): 'work: 20h/week from 2027-01 [to DATE] [as ROLE]', "
             "'work: full-time from 2027-01', 'program: caahep, completed 2027-06' (a field may follow the "
             "accreditation: 'program: naacls phlebotomy, ...'), 'military: completed 2027-03', "
             "'high-school: 2027-06', 'skills: venipunctures 30, capillary_sticks 10', 'held: rma'."),
    cert: Optional[List[str]] = options.Certs,
    as_of: Optional[str] = options.AsOf,
    explain: bool = typer.Option(False, "--explain",
                                 help="On each day the answer changes, show every route and condition with its source."),
    json_out: bool = options.JsonOut,
    ics: Optional[Path] = typer.Option(None, "--ics", metavar="FILE", **options.OutputFile, autocompletion=options.complete_files,
                                       help="Also write the key dates as an iCalendar file; - prints it instead of the table."),
    html: Optional[Path] = typer.Option(None, "--html", metavar="FILE", **options.OutputFile, autocompletion=options.complete_files,
                                        help="Also write the plan as one self-contained web page with a timeline; "
                                             "- prints it instead of the table."),
    rules: Optional[Path] = options.RulesDir,
) -> None:
    from ma_cli import api
    from ma_cli.reasoning.engine import exit_code

    day = options.as_of_date(as_of)
    ics_out = options.output_to_stdout(ics, "--ics", json_out)
    html_out = options.output_to_stdout(html, "--html", json_out)
    if ics_out and html_out:
        raise InputError("--ics - and --html -: both would print to standard output; give one of them a file name")
    if ics is not None and html is not None and not (ics_out or html_out) \
            and os.path.realpath(ics) == os.path.realpath(html):  # the second would replace the first
        raise InputError(f"--ics {ics}: is the --html file too (expected two different files)")
    flags = options.person_from_flags(program, graduated, expected, military, work, high_school, age, field, clinical,
                                      {"venipunctures": venipunctures, "capillary_sticks": capillary_sticks,
                                       "ekgs": ekgs}, held, high_school_expected)
    person = options.load_person(profile, flags, day)
    plans, origin, given = api.plan_for(person, day, cert, assume or (), rules, options.FLAGS)
    from ma_cli.output import render_plan

    files = []  # (the output's file, its flag, its text): written before standard output, below
    printed = None  # FILE -: the output that is printed instead of the table
    for name, target, to_stdout in (("ics", ics, ics_out), ("html", html, html_out)):
        if target is None:
            continue
        text = render_plan.FORMATTERS[name](day, plans, origin, person, given, explain)
        if to_stdout:
            printed = text
        else:
            files.append((target, f"--{name}", text))
    # --ics and --html are written first (each refused if it is an input read, or standard output's file) and
    # replace their files only once both are written and standard output is (outfile.after_stdout)
    with options.files_after_stdout(files):
        if printed is not None:
            options.write_stdout(printed)
        elif json_out:
            print(render_plan.FORMATTERS["json"](day, plans, origin, person, given, explain), end="")
        else:
            from ma_cli.reasoning.assume import apply_assumptions

            projected = apply_assumptions(person, given, day)  # the facts the table groups by include the what-ifs
            render_plan.plan_table(day, plans, origin, person.id, given, explain,
                                   options.grouping({p.credential: p.field for p in plans}, projected, cert))
    empty = render_plan.ics_left_empty(plans) if ics is not None else None
    if empty is not None:  # (once the calendar is written)
        sys.stderr.write(one_line(f"ma-cli: note: --ics {ics}: {empty}") + "\n")
    raise typer.Exit(exit_code([p.now for p in plans]))
