"""The floor for `batch eligible`: what any program pays to read a roster and write an answer file of
the same shape, with no eligibility worked out at all (one command):

    .venv/bin/python bench/batch_floor.py [--rows 100000] [--cert cma --cert rma ...]

It reads the roster with the csv module, parses every date in it (the date columns, each work
period's two ends) with date.fromisoformat, and writes, per row, the columns ma-cli writes for
those credentials (id, line, status, error, seven per credential, the pass-through columns), the
cells filled with text of the usual length (dates written back as ISO text), to a file that drops
them (the text is still encoded and written, as ma-cli's is). Then it runs
`ma-cli batch eligible` on the same roster and prints both CPU times (one core, best of --repeat)
and the ratio: the target for the five medical-assistant credentials is 5x (issue 16); and ma-cli's peak
memory (target: under 30 MiB whatever the number of rows).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = "2026-11-23"
FIVE = ("cma", "rma", "ccma", "ncma", "cmac")
DATE_COLUMNS = ("completed", "expected", "accredited_since", "military")
PER_CREDENTIAL = ("answer", "route", "deadline", "earliest", "eligible_until", "deadline_says", "why")
READ = ("id", "high_school", "age", "program", "completed", "expected", "accredited_since", "academic_hours",
        "externship_hours", "award", "injections", "venipunctures", "military", "work", "held", "failed_attempts")


def _day(text: str) -> date | None:
    if len(text) != 10 or text[4] != "-":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:  # the roster's share of bad cells
        return None


def floor(roster: Path, creds: tuple[str, ...], out) -> int:
    """Read, parse every date, write the same shape; returns the rows written."""
    with roster.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        at = {name: i for i, name in enumerate(header)}
        dated = [at[c] for c in DATE_COLUMNS if c in at]
        work = at.get("work")
        extra = [i for i, name in enumerate(header) if name not in READ]
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "line", "status", "error"] + [f"{c}_{k}" for c in creds for k in PER_CREDENTIAL]
                        + [header[i] for i in extra])
        n = 0
        for line, row in enumerate(reader, start=2):
            days = [_day(row[i]) for i in dated]
            if work is not None and row[work]:
                for period in row[work].split(";"):
                    lo, _, hi = period.partition("..")
                    days.append(_day(lo.strip()[-10:]))
                    days.append(_day(hi.strip()[:10]))
            first = next((d for d in days if d is not None), None)
            shown = first.isoformat() if first else ""
            cells = [row[at["id"]], str(line), "ok", ""]
            for _ in creds:  # an answer, a route, three dates, the deadline's words and a why line
                cells += ["not_eligible", "route-id", shown, shown, "", "apply by",
                          "Route name: condition says: program.completed = " + shown]
            writer.writerow(cells + [row[i] for i in extra])
            n += 1
    return n


def cpu_of(fn) -> float:
    before = resource.getrusage(resource.RUSAGE_SELF)
    fn()
    after = resource.getrusage(resource.RUSAGE_SELF)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cli_cpu(args: list[str]) -> tuple[float, float]:
    """CPU seconds and peak memory (MiB, the largest resident set) of one ma-cli run."""
    child = subprocess.Popen([sys.executable, "-m", "ma_cli", *args], stdout=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0  # (reaped here; keeps Popen from waiting for it again)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # ru_maxrss: KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cert", action="append", help="credentials (default: the five MA credentials)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    creds = tuple(args.cert or FIVE)
    with tempfile.TemporaryDirectory() as folder:  # (a million rows leave half a gigabyte of answers)
        return measure(args.rows, creds, args.repeat, Path(folder))


def measure(rows: int, creds: tuple[str, ...], repeat: int, work: Path) -> int:
    roster = work / "roster.csv"
    with roster.open("wb") as made:  # (straight to the file: ma-cli's peak memory is read as its own only
        # while this process stays smaller than it, since a child starts as a copy of its parent)
        subprocess.run([sys.executable, str(HERE / "make_roster.py"), str(rows), "--seed", "1"],
                       stdout=made, check=True)
    cert_args = [a for c in creds for a in ("--cert", c)]
    cli = ["batch", "eligible", str(roster), "--as-of", AS_OF, *cert_args, "-o", str(work / "answers.csv")]
    floors, ours, peaks = [], [], []
    for _ in range(repeat):  # interleaved, so a busy machine slows both alike
        with open(os.devnull, "w", encoding="utf-8", newline="") as sink:  # written and encoded, then dropped
            floors.append(cpu_of(lambda: floor(roster, creds, sink)))
        cpu, peak = cli_cpu(cli)
        ours.append(cpu)
        peaks.append(peak)
    best_floor, best_ours = min(floors), min(ours)
    print(f"{rows:,} rows, {', '.join(creds)}")
    print(f"  floor: csv read + every date parsed + the same columns written  {best_floor:7.2f} s CPU")
    print(f"  ma-cli batch eligible                                             {best_ours:7.2f} s CPU")
    print(f"  ratio                                                             {best_ours / best_floor:7.1f}x")
    print(f"  ma-cli peak memory (largest resident set)                         {max(peaks):7.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
