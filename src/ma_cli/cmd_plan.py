"""`ma-cli plan`: when will this person be eligible, by which route, and until when."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ma_cli import options
from ma_cli.app import MaCommand, app, examples
from ma_cli.errors import InputError


@app.command(cls=MaCommand, epilog=examples(
    "ma-cli plan --program caahep --expected 2026-12-10 --cert cma",
    "ma-cli plan --work 2024-10-01..present --assume 'program: caahep, completed 2027-06'",
    "ma-cli plan --profile examples/person.yaml --ics - --cert cma"), help="When this person becomes (or stops being) eligible, by which route, if nothing changes but "
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
    age: Optional[int] = options.Age,
    assume: Optional[List[str]] = typer.Option(
        None, "--assume", metavar="WHAT-IF",
        help="A what-if (repeatable): 'work: 20h/week from 2027-01 [to DATE] [as instructor]', "
             "'work: full-time from 2027-01', 'program: caahep, completed 2027-06', 'military: completed 2027-03', "
             "'high-school: 2027-06'."),
    cert: Optional[List[str]] = options.Certs,
    as_of: Optional[str] = options.AsOf,
    explain: bool = typer.Option(False, "--explain",
                                 help="On each day the answer changes, show every route and condition with its source."),
    json_out: bool = options.JsonOut,
    ics: Optional[Path] = typer.Option(None, "--ics", metavar="FILE", autocompletion=options.complete_files,
                                       help="Also write the key dates as an iCalendar file."),
    rules: Optional[Path] = options.RulesDir,
) -> None:
    from ma_cli.assume import apply_assumptions
    from ma_cli.engine import exit_code
    from ma_cli.planner import plan as make_plan
    from ma_cli.rules import describe_origin, load_rules

    from ma_cli.planner import HORIZON_YEARS

    day = options.as_of_date(as_of)
    if day.year > 9999 - HORIZON_YEARS - 1:
        raise InputError(f"--as-of {day}: too far in the future to look {HORIZON_YEARS} years ahead")
    flags = options.person_from_flags(program, graduated, expected, military, work, high_school, age)
    person = apply_assumptions(options.load_person(profile, flags, day), assume, day)
    ruleset = load_rules(rules)
    creds = ruleset.pick(cert)
    plans = make_plan(person, creds, day)
    origin = describe_origin(creds)
    from ma_cli import render_plan

    if ics is not None:
        from ma_cli.cmd_renew import write_atomic

        write_atomic(ics, render_plan.plan_ics(day, plans), "--ics", (profile,))
    if json_out:
        print(render_plan.plan_json(day, plans, origin, person.id, list(assume or ()), explain))
    else:
        render_plan.plan_table(day, plans, origin, person.id, list(assume or ()), explain)
    raise typer.Exit(exit_code([p.now for p in plans]))
