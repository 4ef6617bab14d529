"""Benchmark `ma-cli batch` (one command):  .venv/bin/python bench/run.py [--rows 100000]

1. Makes realistic rosters (bench/make_roster.py) of --small and --rows people.
2. Runs `ma-cli batch eligible` (all credentials, the five MA credentials as before the nine
   companion credentials, and --cert cma) and `ma-cli batch renew` on
   each in a fresh process,
   reporting wall time, CPU time (one core), rows/s on CPU time, and peak memory (max RSS):
   the same peak for both sizes means memory is flat in N.
3. Times the engine against the hand-written floor (bench/cma_floor.py) for CMA on the same
   profiles, after checking both give the same answer on every one of them: the engine as batch
   runs it (rules compiled once per run: `Prepared.decider()`, compiled.py), as a Decision
   without trace, and with the full trace (`eligible`).

CPU time on a shared machine moves by 20-40% from run to run with other load; compare runs
made back to back (instruction counts, say from valgrind's callgrind, do not move).

Not a test: nothing here fails on a slow machine; it prints the figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from make_roster import to_file

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

AS_OF = "2026-11-23"


def run_cli(args: list[str]) -> tuple[float, float, int, int, str]:
    """-> wall seconds, CPU seconds, peak RSS in MiB, exit code, stderr (the summary line)."""
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "ma_cli", *args], stderr=subprocess.PIPE, env=env)
    err = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, proc.returncode, err.strip()


def engine_vs_floor(roster: Path, limit: int) -> None:
    from cma_floor import cma as floor

    from ma_cli.inputs.roster import Roster
    from ma_cli.reasoning.engine import Prepared, evaluate_credential
    from ma_cli.ruleset.rules_validate import load_rules

    cred = load_rules(None).credentials["cma"]
    as_of = date.fromisoformat(AS_OF)
    with open(roster, "rb") as f:
        profiles = []
        for row in Roster(f, str(roster)):
            if row.profile is not None:
                profiles.append(row.profile)
            if len(profiles) >= limit:
                break
    prepared = Prepared(cred, as_of)  # as batch does: the rules resolved once per run, no trace
    decider = prepared.decider()  # the compiled function batch calls per row (compiled.py)
    wrong = 0
    for p in profiles:
        status, route, deadline, opens = decider(p)
        for answer in ((d.status, d.route, d.deadline, d.opens)
                       for d in (evaluate_credential(cred, p, as_of), prepared.decide(p, trace=False))):
            if answer != floor(p, as_of):
                wrong += 1
                if wrong <= 3:
                    print(f"  floor disagrees: {p}\n    engine {answer}\n    floor  {floor(p, as_of)}")
        if (status, route.id if route else None, deadline, opens) != floor(p, as_of):
            wrong += 1
    timings = {}
    for name, fn in (("traced", lambda p: evaluate_credential(cred, p, as_of)),
                     ("decision", lambda p: prepared.decide(p, trace=False)),
                     ("engine", decider),
                     ("floor", lambda p: floor(p, as_of))):
        best = float("inf")
        for _ in range(3):
            t = time.process_time()
            for p in profiles:
                fn(p)
            best = min(best, time.process_time() - t)
        timings[name] = best / len(profiles) * 1e6
    print(f"\nCMA per evaluation over {len(profiles):,} profiles (CPU time, best of 3); "
          f"answers agree on {3 * len(profiles) - wrong:,}/{3 * len(profiles):,} (all three engine paths):")
    print(f"  engine as batch runs it (Prepared.decider(), compiled)      {timings['engine']:8.1f} µs")
    print(f"  engine, a Decision without trace (decide trace=False)       {timings['decision']:8.1f} µs")
    print(f"  engine with the full trace (evaluate_credential)            {timings['traced']:8.1f} µs")
    print(f"  hand-written floor                                          {timings['floor']:8.1f} µs")
    print(f"  engine (as batch runs it) / floor                           {timings['engine'] / timings['floor']:8.1f}x"
          f"   (target: 3x or less)")
    print(f"  engine (full trace) / floor                                 {timings['traced'] / timings['floor']:8.1f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description="Benchmark ma-cli batch.")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--small", type=int, default=10_000, help="a smaller roster, to show memory is flat in N")
    ap.add_argument("--floor-rows", type=int, default=20_000, help="profiles for the engine-vs-floor timing")
    args = ap.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs visible; ma-cli runs on one core.")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sizes = sorted({args.small, args.rows})
        for n in sizes:
            to_file(tmp / f"roster-{n}.csv", n)
            to_file(tmp / f"renewals-{n}.csv", n, "--renewals")
        print(f"\n{'command':58} {'rows':>8} {'wall s':>7} {'CPU s':>6} {'rows/s (CPU)':>12} {'peak MiB':>8}  exit")
        five = [arg for c in ("cma", "rma", "ccma", "ncma", "cmac") for arg in ("--cert", c)]
        commands = [("batch eligible (all fourteen credentials)", ["batch", "eligible"], [], "roster"),
                    ("batch eligible (the five MA credentials)", ["batch", "eligible"], five, "roster"),
                    ("batch eligible --cert cma", ["batch", "eligible"], ["--cert", "cma"], "roster"),
                    ("batch renew (one credential a row, CE totals)", ["batch", "renew"], [], "renewals")]
        for label, command, extra, kind in commands:
            for n in sizes:
                roster = tmp / f"{kind}-{n}.csv"
                wall, cpu, rss, code, summary = run_cli([*command, str(roster), "-o", str(tmp / "out.csv"),
                                                        "--as-of", AS_OF, *extra])
                print(f"{label:58} {n:>8,} {wall:7.2f} {cpu:6.2f} {n / cpu:12,.0f} {rss:8d}  {code}")
        print(f"  (last summary: {summary})")
        engine_vs_floor(tmp / f"roster-{sizes[-1]}.csv", args.floor_rows)


if __name__ == "__main__":
    main()
