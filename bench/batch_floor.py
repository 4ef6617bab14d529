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

With `--cert cma` alone it also runs the second floor of issue 16, a hand-written CMA pipeline: the
same csv read, a light parse of each row into plain objects (no validation, no error wording),
CMA's answer worked out by bench/cma_floor.py (the rule numbers typed in, no trace) and the same
columns written, the decision's four real and `eligible_until`, `deadline_says` and `why` as text
of the usual length (the hand-written CMA has no walk forward and no wording). Before timing, it
checks that pipeline's answer, route, deadline and earliest day equal ma-cli's on every row ma-cli
answered. Target: ma-cli at most 1.3x that pipeline.

With `--budget` it also runs ma-cli with every answer replaced by a constant of the usual shape (the
roster read and checked, every row parsed into a Profile, counted and written as ever; no rule
asked): what ma-cli pays before and after the answers. What the 5x target then leaves for the
answers themselves (each credential's decision, and its `why` line or `eligible_until`) is printed
per credential and row beside what they cost now, and beside the hand-written CMA decision
(bench/cma_floor.py, no `why`, no `eligible_until`) on the same rows, the cheapest honest decision
there is for the simplest of the five.
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

from make_roster import to_file

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


class _Obj:
    """A plain record for the hand-written pipeline's light row parse."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


def _number(text: str) -> float | None:
    return float(text) if text else None


def _light_profile(cells: dict[str, str]):
    """The row as the hand-written CMA needs it (bench/cma_floor.py), or None for a row it cannot read."""
    days = {c: _day(cells[c]) if cells.get(c) else None for c in ("completed", "expected", "accredited_since")}
    if any(cells.get(c) and days[c] is None for c in days):
        return None
    programs = []
    if cells["program"]:
        if cells["program"] not in ("caahep", "abhes", "institutional", "none"):
            return None
        try:
            numbers = {c: _number(cells[c]) for c in ("academic_hours", "externship_hours", "injections",
                                                      "venipunctures")}
        except ValueError:
            return None
        completed = days["completed"]
        programs.append(_Obj(accreditation=cells["program"], completed=completed, expected=days["expected"],
                             end=completed or days["expected"], accredited_since=days["accredited_since"],
                             postsecondary=True, apprenticeship=False, award=cells["award"] or None, **numbers))
    work = []
    for period in filter(None, cells["work"].split(";")):
        role, _, period = period.rpartition(":")
        period, _, hours = period.partition("@")
        lo, _, hi = period.partition("..")
        start, end = _day(lo), None if hi == "present" else _day(hi)
        if start is None or (end is None and hi != "present"):
            return None
        work.append(_Obj(role=role or "medical-assistant", start=start, end=end,
                         hours_per_week=float(hours) if hours else 40.0))
    held = [_Obj(credential=entry.partition(":")[0]) for entry in filter(None, cells["held"].split(";"))]
    attempts = {}
    for entry in filter(None, cells["failed_attempts"].split(";")):
        cred, _, n = entry.partition(":")
        attempts[cred] = int(n)
    return _Obj(programs=programs, work=work, held=held, failed_attempts=attempts)


def cma_pipeline(roster: Path, out, as_of: date) -> list:
    """The hand-written CMA pipeline: read, light parse, bench/cma_floor.py's answer, the same columns
    written. Returns each row's (status, route, deadline, earliest) as written, None for a row it could
    not read (for the check against ma-cli)."""
    from cma_floor import cma

    answers = []
    with roster.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        extra = [i for i, name in enumerate(header) if name not in READ]
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "line", "status", "error"] + [f"cma_{k}" for k in PER_CREDENTIAL]
                        + [header[i] for i in extra])
        for line, row in enumerate(reader, start=2):
            profile = _light_profile(dict(zip(header, row)))
            if profile is None:
                answers.append(None)
                writer.writerow([row[0], str(line), "error", "line: cannot be read"] + [""] * 7
                                + [row[i] for i in extra])
                continue
            status, route, deadline, opens = cma(profile, as_of)
            answers.append((status, route or "", deadline.isoformat() if deadline else "",
                            opens.isoformat() if opens else ""))
            shown = (deadline or opens or as_of).isoformat()
            writer.writerow([row[0], str(line), "ok", "", status, route or "", answers[-1][2], answers[-1][3],
                             shown, "apply by", "Route name: condition says: program.completed = " + shown]
                            + [row[i] for i in extra])
    return answers


def check_pipeline(answers: list, ma_cli_out: Path) -> int:
    """Rows where the hand-written pipeline and ma-cli both answered and differ (should be none)."""
    differ = checked = 0
    with ma_cli_out.open(newline="", encoding="utf-8") as f:
        for mine, row in zip(answers, csv.DictReader(f)):
            if mine is None or row["status"] != "ok":
                continue
            checked += 1
            if mine != (row["cma_answer"], row["cma_route"], row["cma_deadline"], row["cma_earliest"]):
                differ += 1
                if differ <= 3:
                    print(f"  the hand-written pipeline differs on line {row['line']}: {mine} against ma-cli's "
                          f"{(row['cma_answer'], row['cma_route'], row['cma_deadline'], row['cma_earliest'])}")
    print(f"  hand-written CMA pipeline and ma-cli: the same answer, route and days on {checked - differ:,} "
          f"of {checked:,} rows both answered")
    return differ


def _bytecode_cached() -> bool:
    """Whether the ma-cli that runs here finds its packed rules already compiled (as `pip install` leaves them)."""
    import importlib.util

    spec = importlib.util.find_spec("ma_cli.ruleset.rules_packed_data")
    origin = spec.origin if spec is not None else None
    return origin is None or not origin.endswith(".py") or os.path.exists(importlib.util.cache_from_source(origin))


def cpu_of(fn) -> float:
    before = resource.getrusage(resource.RUSAGE_SELF)
    fn()
    after = resource.getrusage(resource.RUSAGE_SELF)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cli_cpu(args: list[str], how: list[str] | None = None) -> tuple[float, float]:
    """CPU seconds and peak memory (MiB, the largest resident set) of one ma-cli run (`how`: the
    interpreter's arguments before ma-cli's, `-m ma_cli` unless given)."""
    child = subprocess.Popen([sys.executable, *(how or ["-m", "ma_cli"]), *args], stdout=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0  # (reaped here; keeps Popen from waiting for it again)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # ru_maxrss: KiB on Linux


def _stubbed(cli: list[str]) -> None:
    """Run ma-cli's `batch eligible` in this process with every answer a constant (see --budget)."""
    import ma_cli.reasoning.batch as batch
    from ma_cli.commands.cli import main as ma_cli_main

    real = batch.eligible_job
    day = date.fromisoformat(AS_OF)

    def constant_job(credentials, as_of, rule_set=None):
        job = real(credentials, as_of, rule_set)  # (the rules compiled as ever: a run pays that once)
        same = ("not_eligible", "route-id", None, day, None, None, "Route name: condition says: program.completed = x")

        def evaluate(row):
            if row.error:
                return batch.failed(row, row.error)
            return batch.RowResult(row.line, row.id, None, dict.fromkeys(job.credentials, same), row.extra)

        return batch.Job(job.command, job.credentials, job.fields, job.answers, job.hits, job.headline, job.hit_key,
                         evaluate)

    batch.eligible_job = constant_job
    ma_cli_main(cli)


def _hand_cma_per_row(roster: Path) -> tuple[float, float]:
    """CPU microseconds a row: the hand-written CMA decision, and ma-cli's compiled CMA decision, on the
    same parsed profiles (best of three)."""
    from cma_floor import cma

    from ma_cli.api import ruleset
    from ma_cli.inputs.roster import ELIGIBILITY, Roster
    from ma_cli.reasoning.engine import Prepared

    day = date.fromisoformat(AS_OF)
    with roster.open(newline="", encoding="utf-8") as f:
        people = [r.subject for r in Roster(f, roster.name, ELIGIBILITY) if not r.error and not r.subject.vague]
    decide = Prepared(ruleset().credentials["cma"], day).decider()
    decide(people[0])  # (its first call makes what it keeps for the run)
    hand = min(cpu_of(lambda: [cma(p, day) for p in people]) for _ in range(3))
    ours = min(cpu_of(lambda: [decide(p) for p in people]) for _ in range(3))
    return hand / len(people) * 1e6, ours / len(people) * 1e6


def main() -> int:
    if sys.argv[1:2] == ["--stubbed-run"]:  # (the child --budget starts)
        _stubbed(sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cert", action="append", help="credentials (default: the five MA credentials)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", action="store_true",
                        help="also measure ma-cli with constant answers: what the target leaves for the answers")
    args = parser.parse_args()
    creds = tuple(args.cert or FIVE)
    with tempfile.TemporaryDirectory() as folder:  # (a million rows leave half a gigabyte of answers)
        return measure(args.rows, creds, args.repeat, Path(folder), args.budget)


def measure(rows: int, creds: tuple[str, ...], repeat: int, work: Path, budget: bool = False) -> int:
    roster = work / "roster.csv"
    to_file(roster, rows, "--seed", "1")  # (ma-cli's peak memory is read as its own only while this
    # process stays smaller than it, since a child starts as a copy of its parent)
    cert_args = [a for c in creds for a in ("--cert", c)]
    cli = ["batch", "eligible", str(roster), "--as-of", AS_OF, *cert_args, "-o", str(work / "answers.csv")]
    pipeline = creds == ("cma",)
    if pipeline:  # the hand-written pipeline must give ma-cli's answers before it is timed
        subprocess.run([sys.executable, "-m", "ma_cli", *cli], stdout=subprocess.DEVNULL, check=False)
        with open(os.devnull, "w", encoding="utf-8", newline="") as sink:
            if check_pipeline(cma_pipeline(roster, sink, date.fromisoformat(AS_OF)), work / "answers.csv"):
                print("the hand-written CMA pipeline does not give ma-cli's answers: not timed")
                return 1
    floors, ours, peaks, hand, stubbed = [], [], [], [], []
    for _ in range(repeat):  # interleaved, so a busy machine slows both alike
        with open(os.devnull, "w", encoding="utf-8", newline="") as sink:  # written and encoded, then dropped
            floors.append(cpu_of(lambda: floor(roster, creds, sink)))
        if pipeline:
            with open(os.devnull, "w", encoding="utf-8", newline="") as sink:
                hand.append(cpu_of(lambda: cma_pipeline(roster, sink, date.fromisoformat(AS_OF))))
        cpu, peak = cli_cpu(cli)
        ours.append(cpu)
        peaks.append(peak)
        if budget:
            stubbed.append(cli_cpu(cli, [str(HERE / "batch_floor.py"), "--stubbed-run"])[0])
    best_floor, best_ours = min(floors), min(ours)
    print(f"{rows:,} rows, {', '.join(creds)}")
    print(f"  floor: csv read + every date parsed + the same columns written  {best_floor:7.2f} s CPU")
    print(f"  ma-cli batch eligible                                             {best_ours:7.2f} s CPU")
    print(f"  ratio                                                             {best_ours / best_floor:7.1f}x")
    if pipeline:
        print(f"  hand-written CMA pipeline (bench/cma_floor.py), the same answers    {min(hand):7.2f} s CPU")
        print(f"  ratio to it (target 1.3x)                                         {best_ours / min(hand):7.1f}x")
    print(f"  ma-cli peak memory (largest resident set)                         {max(peaks):7.1f} MiB")
    if budget:
        _print_budget(rows, creds, best_floor, best_ours, min(stubbed), roster, min(hand) if pipeline else None)
    if not _bytecode_cached():
        print("  (ma-cli's bytecode is not cached here, as in an editable install run with "
              "PYTHONDONTWRITEBYTECODE: every start compiles the packed rules, 6-8 MiB more at the peak "
              "than an installed copy)")
    return 0


def _print_budget(rows: int, creds: tuple[str, ...], floor_cpu: float, ours: float, stubbed: float,
                  roster: Path, pipeline: float | None) -> None:
    """What the target leaves for the answers, against what they cost (see --budget): 5x the floor, or
    with --cert cma alone 1.3x the hand-written pipeline (`pipeline`, its CPU seconds)."""
    per = rows * len(creds) / 1e6  # (microseconds per credential and row)
    target, left = ("5x the floor", 5 * floor_cpu - stubbed) if pipeline is None else (
        "1.3x the hand-written pipeline", 1.3 * pipeline - stubbed)
    hand, compiled = _hand_cma_per_row(roster)
    lines = [
        ("ma-cli with constant answers (read, parse, count, write)",
         f"{stubbed:7.2f} s CPU ({stubbed / floor_cpu:.1f}x the floor)"),
        ("the answers (decisions, why, eligible_until) now",
         f"{ours - stubbed:7.2f} s CPU ({(ours - stubbed) / per:.1f} us a credential and row)"),
        (f"what {target} leaves for them", f"{left:7.2f} s CPU ({left / per:.1f} us a credential and row)"),
        ("CMA's decision alone, hand-written (bench/cma_floor.py)",
         f"{hand:7.1f} us a row (ma-cli's compiled decision: {compiled:.1f} us)"),
    ]
    for label, figure in lines:
        print(f"  {label:<65}{figure}")

if __name__ == "__main__":
    sys.exit(main())
