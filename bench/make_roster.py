"""Write a realistic roster of N people as CSV (for `ma-cli batch` benchmarks).

    python bench/make_roster.py 100000 > roster.csv   [--seed 1] [--bad 0.002]
    python bench/make_roster.py 100000 --renewals > renewals.csv

The mix: graduates of accredited programs (recent and long ago), current students,
institutional programs with hours and skill counts, unaccredited programs, military
training, work histories (full- and part-time, some ongoing, some teaching), credentials
already held, a few failed attempts, and a small share of bad cells (`--bad`) so the
error path is exercised too. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
from datetime import date, timedelta

HEADER = ["id", "name", "high_school", "age", "program", "completed", "expected", "accredited_since",
          "academic_hours", "externship_hours", "award", "injections", "venipunctures", "military",
          "work", "held", "failed_attempts", "cohort"]
TODAY = date(2026, 11, 23)


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def _work(rng: random.Random, since: date) -> str:
    periods, start = [], since
    for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
        start = _day(rng, start, min(TODAY, start + timedelta(days=700)))
        if start >= TODAY:
            break
        end = _day(rng, start, TODAY + timedelta(days=1)) if rng.random() < 0.6 else None
        role = "instructor:" if rng.random() < 0.05 else ""
        hours = rng.choice(("", "", "@40", "@32", "@24", "@20"))
        periods.append(f"{role}{start}..{end or 'present'}{hours}")
        if end is None:
            break
        start = end + timedelta(days=rng.randrange(1, 120))
    return ";".join(periods)


def person(rng: random.Random, n: int, bad: float) -> list[str]:
    row = dict.fromkeys(HEADER, "")
    row["id"] = f"p{n:07d}"
    row["name"] = f"Person {n}"
    row["cohort"] = f"{rng.choice(('fall', 'spring', 'summer'))}-{rng.randrange(2015, 2027)}"
    row["age"] = str(rng.randrange(17, 61))
    row["high_school"] = "yes" if rng.random() < 0.95 else rng.choice(("no", "2027-06-01"))
    kind = rng.random()
    program_end = None
    if kind < 0.35:  # graduate of an accredited program
        row["program"] = rng.choice(("caahep", "abhes"))
        program_end = _day(rng, date(2008, 1, 1), TODAY)
        row["completed"] = program_end.isoformat()
        if rng.random() < 0.2:
            row["accredited_since"] = _day(rng, date(2005, 1, 1), TODAY).isoformat()
    elif kind < 0.50:  # current student
        row["program"] = rng.choice(("caahep", "abhes", "institutional"))
        row["expected"] = _day(rng, TODAY, TODAY + timedelta(days=400)).isoformat()
    elif kind < 0.65:  # institutional program with the Category 4 details, some missing
        row["program"] = "institutional"
        program_end = _day(rng, date(2012, 1, 1), TODAY)
        row["completed"] = program_end.isoformat()
        for col, lo, hi in (("academic_hours", 400, 900), ("externship_hours", 0, 240),
                            ("injections", 0, 20), ("venipunctures", 0, 20)):
            if rng.random() < 0.85:
                row[col] = str(rng.randrange(lo, hi))
        row["award"] = rng.choice(("certificate", "diploma", "associate", ""))
    elif kind < 0.75:  # a program without accreditation
        row["program"] = "none"
        program_end = _day(rng, date(2010, 1, 1), TODAY)
        row["completed"] = program_end.isoformat()
    elif kind < 0.85:  # military medical training
        program_end = _day(rng, date(2005, 1, 1), TODAY)
        row["military"] = program_end.isoformat()
    # else: work experience only
    row["work"] = _work(rng, program_end or date(2010, 1, 1))
    if rng.random() < 0.08:
        row["held"] = rng.choice(("cma", "rma", "ccma")) + f":{_day(rng, date(2010, 1, 1), TODAY)}"
    if rng.random() < 0.03:
        row["failed_attempts"] = f"cma:{rng.randrange(1, 4)}"
    if rng.random() < bad:  # the kind of cell a spreadsheet export produces
        col = rng.choice(("completed", "age", "program", "work"))
        row[col] = rng.choice(("31/12/2021", "2021-02-30", "n/a", "caahep?", "2021-01-01 to present"))
    return [row[h] for h in HEADER]


RENEWAL_HEADER = ["id", "name", "credential", "since", "ce_administrative", "ce_clinical", "ce_general",
                  "ce_unapproved"]


def renewal(rng: random.Random, n: int, bad: float) -> list[str]:
    """One credential held: certified 0-6 years ago (some to the month or year), CE totals for most."""
    cred = rng.choice(("cma", "cma", "rma", "ccma", "ncma", "cmac"))
    day = _day(rng, date(2020, 6, 1), TODAY)
    since = rng.choice((day.isoformat(),) * 8 + (f"{day:%Y-%m}", str(day.year)))
    ce = [""] * 4
    if rng.random() < 0.8:
        ce = [str(rng.randrange(0, 25)) if rng.random() < 0.9 else "" for _ in range(4)]
    if rng.random() < bad:
        since = rng.choice(("15/03/2022", "2022-02-30", "soon"))
    return [f"m{n:07d}", f"Person {n}", cred, since, *ce]


def to_file(path, rows: int, *options: str) -> None:
    """Write a roster of `rows` people to `path` (`options` as on the command line: "--renewals",
    "--seed", "2"), made by a child process, so the benchmark's own memory stays as it was (and a
    process it starts later, a copy of it at first, starts no bigger)."""
    with open(path, "wb") as f:
        subprocess.run([sys.executable, __file__, str(rows), *options], stdout=f, check=True)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bad", type=float, default=0.002, help="share of rows with one bad cell")
    ap.add_argument("--renewals", action="store_true", help="a renewal roster (ma-cli batch renew) instead")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(RENEWAL_HEADER if args.renewals else HEADER)
    make = renewal if args.renewals else person
    for n in range(1, args.rows + 1):
        w.writerow(make(rng, n, args.bad))


if __name__ == "__main__":
    main()
