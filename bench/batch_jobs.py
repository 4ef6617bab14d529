"""Benchmark `ma-cli batch ... --jobs N` against `--jobs 1` in the same run (one command):

    .venv/bin/python bench/batch_jobs.py [--rows 100000] [--small 300] [--jobs 2] [--repeat 3] [--busy 0]

1. Makes an eligibility roster and a renewal roster (bench/make_roster.py, seed 1) of --rows people,
   and small ones of --small people (where starting the workers is most of the run).
2. Runs each command with --jobs 1 and with --jobs N, alternating, --repeat times, each in a fresh
   process, writing to a file (-o): wall time, CPU time (user + system, the workers' included: they
   are waited for), and the peak memory of the largest process (max RSS).
3. Prints the medians and the ratios against --jobs 1 measured in the same run: wall 1/N (above 1:
   the workers pay) and CPU N/1 (what the pipes between the processes cost), and checks that every
   --jobs N output is byte-identical to the --jobs 1 output.

--busy K keeps K other processes spinning on the CPU during the runs: a machine without free cores.
On a shared machine the figures move with other load; compare the ratios, measured side by side.
Not a test: nothing here fails on a slow machine; it prints the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from make_roster import to_file

HERE = Path(__file__).resolve().parent
AS_OF = "2026-11-23"
SPIN = "while True: pass"


def run_cli(args: list[str], output: Path) -> tuple[float, float, int, str]:
    """-> wall seconds, CPU seconds (with the workers'), peak RSS in MiB, sha256 of the output."""
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "ma_cli", *args, "-o", str(output)], stderr=subprocess.PIPE,
                            env=env)
    err = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 4):
        sys.exit(f"ma-cli {' '.join(args)}: exit {code}: {err.strip()}")
    with open(output, "rb") as f:  # in pieces: this process stays small (a copy of it starts each run)
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, digest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--small", type=int, default=300)
    ap.add_argument("--jobs", default="2", help="the --jobs value compared with 1 (a number, or auto)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--busy", type=int, default=0, help="processes kept spinning on the CPU meanwhile")
    ap.add_argument("--only", default="", help="run only the commands whose label holds this text")
    args = ap.parse_args()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"Python {sys.version.split()[0]}, {cpus} usable CPUs, load average {os.getloadavg()[0]:.2f} at start; "
          f"--jobs {args.jobs} against --jobs 1, {args.repeat} alternating runs each, medians"
          + (f"; {args.busy} spinning processes alongside" if args.busy else ""))
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(args.busy)]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            sizes = sorted({args.small, args.rows})
            for n in sizes:
                to_file(folder / f"roster-{n}.csv", n)
                to_file(folder / f"renewals-{n}.csv", n, "--renewals")
            commands = [("batch eligible (all fourteen credentials)", ["batch", "eligible"], [], "roster"),
                        ("batch eligible --cert ma (the five MA credentials)", ["batch", "eligible"],
                         ["--cert", "ma"], "roster"),
                        ("batch eligible --cert cma", ["batch", "eligible"], ["--cert", "cma"], "roster"),
                        ("batch renew (CE totals)", ["batch", "renew"], [], "renewals")]
            print(f"\n{'command':52} {'rows':>8} {'jobs':>4} {'wall s':>7} {'CPU s':>7} {'peak MiB':>8}"
                  f"  {'wall 1/N':>8} {'CPU N/1':>7}  output")
            for label, command, extra, kind in commands:
                if args.only not in label:
                    continue
                for n in sizes:
                    base = [*command, str(folder / f"{kind}-{n}.csv"), "--as-of", AS_OF, *extra]
                    runs: dict[str, list[tuple[float, float, int, str]]] = {"1": [], args.jobs: []}
                    for _ in range(args.repeat):
                        for jobs in runs:
                            runs[jobs].append(run_cli([*base, "--jobs", jobs], folder / f"out-{jobs}.csv"))
                    (wall1, cpu1, rss1), (wall, cpu, rss) = ([statistics.median(r[i] for r in runs[j]) for i in range(3)]
                                                             for j in runs)
                    same = {r[3] for r in runs["1"] + runs[args.jobs]}
                    print(f"{label:52} {n:>8,} {1:>4} {wall1:7.2f} {cpu1:7.2f} {rss1:8.0f}")
                    print(f"{'':52} {n:>8,} {args.jobs:>4} {wall:7.2f} {cpu:7.2f} {rss:8.0f}  {wall1 / wall:7.2f}x"
                          f" {cpu / cpu1:6.2f}x  {'byte-identical' if len(same) == 1 else 'DIFFERENT'}")
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


if __name__ == "__main__":
    main()
