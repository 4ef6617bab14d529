"""`ma-cli eligible`: which credentials can this person sit, by which route, until when."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ma_cli import options
from ma_cli.app import app
from ma_cli.profile import ACCREDITATIONS


@app.command(help="Which credentials this person may apply for today, by which route, and until when.\n\n"
                  "Exit codes: 0 eligible for at least one credential asked, 1 none, "
                  "3 none eligible but at least one needs review, 2 bad input.")
def eligible(
    profile: Optional[Path] = typer.Option(None, "--profile", metavar="FILE", help="A person's YAML profile."),
    program: Optional[str] = typer.Option(None, "--program", metavar="ACCREDITATION",
                                          help=f"Program accreditation: {' | '.join(ACCREDITATIONS)}."),
    graduated: Optional[str] = typer.Option(None, "--graduated", metavar="DATE", help="Program completion date."),
    expected: Optional[str] = typer.Option(None, "--expected", metavar="DATE",
                                           help="Expected completion date (current student)."),
    military: Optional[str] = typer.Option(None, "--military", metavar="DATE",
                                           help="US Armed Forces medical training completed on DATE."),
    work: Optional[List[str]] = typer.Option(None, "--work", metavar="FROM:TO[@H]",
                                             help="MA work period, TO may be 'present'; @H hours/week (repeatable)."),
    high_school: Optional[bool] = typer.Option(None, "--high-school/--no-high-school",
                                               help="Has a high-school diploma or GED."),
    age: Optional[int] = typer.Option(None, "--age", help="Age in years."),
    cert: Optional[List[str]] = options.Certs,
    as_of: Optional[str] = options.AsOf,
    explain: bool = typer.Option(False, "--explain", help="Show every route and condition with its source."),
    json_out: bool = options.JsonOut,
    rules: Optional[Path] = options.RulesDir,
) -> None:
    from ma_cli.engine import evaluate, exit_code
    from ma_cli.rules import load_rules

    day = options.as_of_date(as_of)
    flags = options.person_from_flags(program, graduated, expected, military, work, high_school, age)
    person = options.load_person(profile, flags, day)
    ruleset = load_rules(rules)
    decisions = evaluate(person, ruleset.pick(cert), day)
    from ma_cli import render

    if json_out:
        print(render.eligibility_json(day, decisions, ruleset.origin, person.id, explain))
    else:
        render.eligibility_table(day, decisions, ruleset.origin, person.id, explain)
    raise typer.Exit(exit_code(decisions))
