"""Time reading a roster into profiles, without answering (the batch input path):

    .venv/bin/python bench/make_roster.py 100000 > /tmp/roster.csv
    PYTHONPATH=src .venv/bin/python bench/roster_read.py /tmp/roster.csv [--repeat 5]

Reports the best of --repeat runs, in CPU time, of `Roster` over the file (decoding, cells, the
fast path roster_fast.quick_profile, and the full way for rows it declines), and how many rows each
way took. Compare two versions in the same session, one after the other: CPU time on a shared
machine moves by 20-40% with other load. Not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import time

from ma_cli.inputs.roster import Roster
from ma_cli.inputs.roster_fast import quick_profile


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("roster")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    best = float("inf")
    rows = errors = 0
    for _ in range(args.repeat):
        start = time.process_time()
        with open(args.roster, "rb") as f:
            rows = errors = 0
            for row in Roster(f, args.roster):
                rows += 1
                errors += row.error is not None
        best = min(best, time.process_time() - start)
    with open(args.roster, "rb") as f:
        roster = Roster(f, args.roster)
        names = [name for name, _ in sorted(roster.known.items(), key=lambda kv: kv[1])]
        import csv
        import io
        f.seek(0)
        reader = csv.reader(io.TextIOWrapper(f, encoding="utf-8-sig", newline=""))
        header = [h.strip().lower() for h in next(reader)]
        fast = sum(quick_profile({n: r[header.index(n)].strip() for n in names}) is not None for r in reader)
    print(f"{rows:,} rows ({errors:,} errors, {fast:,} by the fast path): best of {args.repeat} "
          f"{best:.3f} s CPU, {best / rows * 1e6:.2f} µs a row")


if __name__ == "__main__":
    main()
