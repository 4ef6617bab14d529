"""What `why` and `eligible_until` cost per row in `batch eligible` (one command):

    .venv/bin/python bench/why_until.py [--rows 20000] [--repeat 5] [--cert cma ...]

Reads a generated roster (bench/make_roster.py, seed 1) and answers it as batch does (reasoning/batch.py:
per row, each credential's compiled decision, then `eligible_until` for an eligible answer and the
`why` line for any other), three ways, interleaved: the decisions alone, the decisions and
`eligible_until`, the decisions and `why`. What `eligible_until` and `why` add is the difference, so
each is measured as batch asks it, right after the decision on the same person (the memos they share
with it warm as in a real run). The decisions, `why` and `eligible_until` are made afresh for each pass,
so what they remember does not carry over from one pass to the next. Prints CPU microseconds per row (all the credentials asked), best of --repeat.

CPU time on a shared machine moves with other load; compare runs made back to back. Instruction
counts do not move: `--only MODE` makes one pass of one of the three (decisions, until, why) and
nothing else, to be run under valgrind's callgrind once per mode, the difference from
`--only decisions` being what `eligible_until` or `why` adds:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null .venv/bin/python bench/why_until.py --rows 2000 --only why

Not a test: nothing here fails on a slow machine; it prints the figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from make_roster import to_file

AS_OF = date(2026, 11, 23)
FIVE = ("cma", "rma", "ccma", "ncma", "cmac")


def profiles_of(roster: Path) -> list:
    from ma_cli.inputs.roster import Roster

    with roster.open("rb") as f:
        return [row.subject for row in Roster(f, str(roster)) if row.subject is not None]


def one_pass(creds: list, profiles: list, until: bool, why: bool) -> float:
    """CPU seconds for one pass over the profiles: the decisions, with `eligible_until` and/or `why`."""
    from ma_cli.reasoning.engine import ELIGIBLE, Prepared
    from ma_cli.reasoning.until import Until
    from ma_cli.reasoning.why import Why

    prepared = [Prepared(c, AS_OF) for c in creds]
    asked = [(p.decider(), Until(c, AS_OF, decider=p.decider()).last_day, Why(p).line)
             for c, p in zip(creds, prepared)]
    start = time.process_time()
    for profile in profiles:
        for answer, last_day, line in asked:
            decision = answer(profile)
            if decision[0] == ELIGIBLE:
                if until:
                    last_day(profile, decision)
            elif why:
                line(profile, decision)
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cert", action="append", help="credentials (default: the five MA credentials)")
    parser.add_argument("--only", choices=("decisions", "until", "why"), help="one pass of this alone, no figures")
    args = parser.parse_args()
    from ma_cli.ruleset.rules_validate import load_rules

    rules = load_rules(None)
    creds = [rules.credentials[c] for c in (args.cert or FIVE)]
    with tempfile.TemporaryDirectory() as folder:
        roster = Path(folder) / "roster.csv"
        to_file(roster, args.rows, "--seed", "1")
        profiles = profiles_of(roster)
    if args.only:
        one_pass(creds, profiles, args.only == "until", args.only == "why")
        return 0
    best = {"decisions": float("inf"), "until": float("inf"), "why": float("inf")}
    for _ in range(args.repeat):  # interleaved, so a busy machine slows all three alike
        best["decisions"] = min(best["decisions"], one_pass(creds, profiles, False, False))
        best["until"] = min(best["until"], one_pass(creds, profiles, True, False))
        best["why"] = min(best["why"], one_pass(creds, profiles, False, True))
    n = len(profiles)
    per_row = {k: v / n * 1e6 for k, v in best.items()}
    print(f"{n:,} rows, {', '.join(c.id for c in creds)}: CPU per row, best of {args.repeat}")
    print(f"  the decisions alone                 {per_row['decisions']:8.1f} µs")
    print(f"  eligible_until added                {per_row['until'] - per_row['decisions']:8.1f} µs")
    print(f"  why added                           {per_row['why'] - per_row['decisions']:8.1f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
