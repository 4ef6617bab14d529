"""`ma-cli eligible`: which credentials can this person sit, by which route, until when."""

# No `from __future__ import annotations` here: Typer reads the command's signature on every run,
# and string annotations cost it an eval and a compile each (about 1 ms for a command's options).

from pathlib import Path
from typing import List, Optional

import typer

from ma_cli.commands import options
from ma_cli.commands.app import MaCommand, app, examples


@app.command(cls=MaCommand, epilog=examples(
    "ma-cli eligible --program caahep --graduated 2026-05-15 --cert cma",
    "ma-cli eligible --work 2024-10-01..present --high-school --explain",
    "ma-cli eligible --profile examples/person.yaml --json"), help="Which credentials this person may apply for today, by which route, and until when.\n\n"
                  "Exit codes: 0 eligible for at least one credential asked, 1 none, "
                  "3 none eligible but at least one needs review, 2 bad input.")
def eligible(
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
    cert: Optional[List[str]] = options.Certs,
    as_of: Optional[str] = options.AsOf,
    explain: bool = typer.Option(False, "--explain", help="Show every route and condition with its source."),
    json_out: bool = options.JsonOut,
    rules: Optional[Path] = options.RulesDir,
) -> None:
    from ma_cli import api
    from ma_cli.reasoning.engine import exit_code

    day = options.as_of_date(as_of)
    flags = options.person_from_flags(program, graduated, expected, military, work, high_school, age, field, clinical,
                                      {"venipunctures": venipunctures, "capillary_sticks": capillary_sticks,
                                       "ekgs": ekgs}, held, high_school_expected)
    person = options.load_person(profile, flags, day)
    # the rules that answered (origin): with --cert, only those credentials'
    decisions, origin, creds = api.decide(person, day, cert, rules, options.FLAGS)
    from ma_cli.output import render

    untils = api.last_days(person, creds, decisions, day)
    if json_out:
        from ma_cli.base import jsonout

        print(jsonout.dumps(render.eligibility_doc(day, decisions, origin, person.id, explain, untils), indent=2))
    else:
        render.eligibility_table(day, decisions, origin, person.id, explain, untils,
                                 options.grouping({c.id: c.field for c in creds}, person, cert))
    raise typer.Exit(exit_code(decisions))

