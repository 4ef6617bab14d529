"""`ma-cli renew`: when is a credential due, what CE is still missing, what happens if it is missed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import List, Optional

import typer

from ma_cli import options
from ma_cli.app import MaCommand, app, examples
from ma_cli.errors import InputError


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
                                          help="CE credits earned: CSV (date,credits,category,approved,kind,"
                                               "description) or YAML."),
    profile: Optional[Path] = typer.Option(None, "--profile", metavar="FILE", autocompletion=options.complete_files,
                                           help="A profile whose `held:` credentials are renewed."),
    as_of: Optional[str] = options.AsOf,
    warn_days: int = typer.Option(90, "--warn-days", metavar="N", help="Due within N days counts as due soon."),
    json_out: bool = options.JsonOut,
    rules: Optional[Path] = options.RulesDir,
    ics: Optional[Path] = typer.Option(None, "--ics", metavar="FILE", autocompletion=options.complete_files,
                                       help="Also write the due dates (with a reminder --warn-days before) "
                                            "as an iCalendar file."),
) -> None:
    from ma_cli.dates import parse_partial
    from ma_cli.renewal import exit_code, renew as renew_one
    from ma_cli.renewal_rules import compile_renewal
    from ma_cli.rules import describe_origin, load_rules

    day = options.as_of_date(as_of)
    if warn_days < 0:
        raise InputError(f"--warn-days: {warn_days} is negative (expected 0 or more days)")
    person_id = None
    if since is not None:
        if profile is not None:
            raise InputError("--since and --profile: give one or the other (the profile's held: entries carry "
                             "their own dates)")
        if not cert or len(cert) != 1:
            raise InputError("--since needs exactly one --cert, e.g. --cert cma --since 2022-03-15")
        start = parse_partial(since, "--since", allow_year=True)
        if start.first > day:
            raise InputError(f"--since {since} is after the as-of date {day}")
        wanted = [(cert[0], start)]
    elif profile is not None:
        from ma_cli.profile import parse_profile
        from ma_cli.yamlio import load_file

        data = load_file(profile, "profile")
        person = parse_profile(data, str(profile))  # validates every field, as `eligible` does
        person_id = person.id
        only = {c.strip().lower() for c in cert or []}
        wanted = []
        for i, held in enumerate(person.held):
            if only and held.credential not in only:
                continue
            if held.since is None:
                raise InputError(f"{profile}: held[{i}] ({held.credential}) needs 'since' (the date of "
                                 f"certification or last recertification) to renew")
            # read the text again so that `since: 2022-03` keeps its month precision
            start = parse_partial(data["held"][i]["since"], f"{profile}: held[{i}].since")
            if start.first > day:
                raise InputError(f"{profile}: held[{i}].since {start.text} is after the as-of date {day}")
            wanted.append((held.credential, start))
        if not wanted:
            raise InputError(f"{profile}: no held: credentials to renew"
                             + (f" among --cert {', '.join(sorted(only))}" if only else ""))
    else:
        raise InputError("renew needs --cert CRED --since DATE, or --profile FILE with held: credentials")

    ruleset = load_rules(rules)
    creds = ruleset.pick([name for name, _ in wanted])
    log = None
    if ce_log is not None:
        from ma_cli.celog import read_ce_log

        log = read_ce_log(ce_log, day)
    statuses = [renew_one(compile_renewal(cred), start, day, warn_days, log)
                for cred, (_, start) in zip(creds, wanted)]
    if ics is not None:
        from ma_cli.ics import calendar

        write_atomic(ics, calendar(statuses, day, warn_days), "--ics", (ce_log, profile))
    from ma_cli import render_renew

    if json_out:
        print(render_renew.renewal_json(day, statuses, describe_origin(creds), person_id))
    else:
        render_renew.renewal_table(day, statuses, describe_origin(creds), person_id)
    raise typer.Exit(exit_code(statuses))


def write_atomic(path: Path, text: str, what: str, inputs: tuple = ()) -> None:
    """Write via a temporary file in the same folder and rename: readers never see half a file."""
    from ma_cli.outfile import resolve_output

    shown = path
    path, atomic = resolve_output(path, what, tuple(Path(i) for i in inputs if i is not None))
    if not atomic:  # /dev/stdout, a named pipe: write straight through
        try:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        except OSError as err:
            raise InputError(f"{what} {shown}: cannot write: {err.strerror}") from None
        return
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise InputError(f"{what} {path}: cannot write in {folder}: {err.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise InputError(f"{what} {path}: cannot write: {err.strerror}") from None
