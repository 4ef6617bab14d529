"""Start-up benchmark: `ma-cli eligible|renew|plan ... --json` and one table run against `import typer`.

    .venv/bin/python bench/startup.py [--runs N]

The floor is `python -c "import typer"`: what any Typer CLI pays before doing anything (target:
the three --json runs within 1.10x of it). `import typer, rich, yaml` is shown beside it, the
floor of a Typer CLI that prints Rich tables and reads YAML. ma-cli runs one person's answer with
the cyclic garbage collector off from its first line, Typer's import included (commands/cli.py),
and skips the interpreter's teardown: `import typer` done the same way (the collector off, ended by
os._exit) is shown too, with the ratios against it, so that what those two save is not mistaken for
a smaller ma-cli. ma-cli is run the way users run it,
as the `ma-cli` console script that pip installed next to this interpreter, with every bundled
credential (no --cert for eligible and plan). The table row (`eligible` without --json, its standard
output a pseudo-terminal 100 columns wide) draws Rich tables, which cost more: its ratio says how much.
(Into a pipe or file the same command prints the plain layout, which loads no Rich.)

Every command runs once per round, in a shuffled order, for N rounds (after one warm-up run each),
so a busy machine slows all of them alike. Printed per command: the median wall time, its spread
(min and max, and the middle half), the median user+sys CPU time of the process, and the ratio of
medians to the floor. Bytecode writing is allowed, as it is for an installed wheel, even if
PYTHONDONTWRITEBYTECODE is set.
"""

from __future__ import annotations

import argparse
import os
import pty
import random
import statistics
import subprocess
import sys
import threading
import time

PY = sys.executable
SCRIPT = os.path.join(os.path.dirname(PY), "ma-cli")
DAY = ["--as-of", "2026-11-23"]
PERSON = ["--program", "caahep", "--graduated", "2026-05-15"]
FLOOR = "import typer"
BARE = "import typer (no gc, _exit)"  # the floor started and ended as ma-cli starts and ends
ROWS = {
    FLOOR: [PY, "-c", "import typer"],
    BARE: [PY, "-c", "import gc; gc.disable(); import os, sys, typer; sys.stdout.flush(); os._exit(0)"],
    "import typer, rich, yaml": [PY, "-c", "import typer, rich, yaml"],
    "ma-cli eligible ... --json": [SCRIPT, "eligible", *PERSON, *DAY, "--json"],
    "ma-cli renew ... --json": [SCRIPT, "renew", "--cert", "cma", "--since", "2022-03-15", *DAY, "--json"],
    "ma-cli plan ... --json": [SCRIPT, "plan", *PERSON, *DAY, "--json"],
    "ma-cli eligible ... (table)": [SCRIPT, "eligible", *PERSON, *DAY],
}
TABLE = "ma-cli eligible ... (table)"  # run on a terminal (a pseudo-terminal): Rich draws tables only there
JSON_ROWS = ("ma-cli eligible ... --json", "ma-cli renew ... --json", "ma-cli plan ... --json")
TARGET = 1.10
# Installed packages run from cached bytecode (pip compiles them); measure ma-cli the same way
# even where the environment disables writing .pyc files. A fixed terminal width keeps the table
# run's work the same from one machine to the next.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "COLUMNS": "100"}


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:  # EIO: the terminal's last writer has gone
        pass


def run_once(cmd: list[str], terminal: bool = False) -> tuple[float, float]:
    """(wall seconds, user+sys CPU seconds) of one run; the exit code is the command's own (1, 3 are answers).

    With `terminal`, standard output is a pseudo-terminal, read by a thread as the child writes."""
    reader = None
    if terminal:
        master, slave = pty.openpty()
        reader = threading.Thread(target=_drain, args=(master,))
        reader.start()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=slave if terminal else subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    if terminal:
        os.close(slave)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if reader is not None:
        reader.join()
        os.close(master)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1, 3):
        raise SystemExit(f"{' '.join(cmd)}: exit {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def quartiles(values: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="rounds (runs of each command; default 40)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the shuffled order (default: random)")
    args = parser.parse_args()
    if not os.access(SCRIPT, os.X_OK):
        parser.error(f"no console script at {SCRIPT}: install ma-cli into this interpreter's environment first")
    rng = random.Random(args.seed)
    for name, cmd in ROWS.items():  # warm caches, write bytecode
        run_once(cmd, terminal=name == TABLE)
    wall: dict[str, list[float]] = {name: [] for name in ROWS}
    cpu: dict[str, list[float]] = {name: [] for name in ROWS}
    names = list(ROWS)
    for _ in range(max(2, args.runs)):
        rng.shuffle(names)
        for name in names:
            w, c = run_once(ROWS[name], terminal=name == TABLE)
            wall[name].append(w)
            cpu[name].append(c)
    floor_wall, floor_cpu = statistics.median(wall[FLOOR]), statistics.median(cpu[FLOOR])
    print(f"{'':30s} {'wall median':>11s} {'(min-max; middle half)':>26s} {'cpu median':>11s}  ratio: wall  cpu")
    for name in ROWS:
        w, c = wall[name], cpu[name]
        q1, q3 = quartiles(w)
        print(f"{name:30s} {statistics.median(w) * 1000:8.1f} ms "
              f"({min(w) * 1000:5.1f}-{max(w) * 1000:5.1f}; {q1 * 1000:5.1f}-{q3 * 1000:5.1f}) "
              f"{statistics.median(c) * 1000:8.1f} ms   {statistics.median(w) / floor_wall:9.2f}x "
              f"{statistics.median(c) / floor_cpu:5.2f}x")
    worst = max(statistics.median(wall[name]) / floor_wall for name in JSON_ROWS)
    print(f"{len(wall[FLOOR])} interleaved runs each. --json runs against `{FLOOR}` (wall, medians): at most "
          f"{worst:.2f}x (target {TARGET}x): {'OK' if worst <= TARGET else 'over target'}")
    bare = statistics.median(wall[BARE])
    print(f"against `{BARE}` ({bare * 1000:.1f} ms): "
          + ", ".join(f"{name.split(' ')[1]} {statistics.median(wall[name]) / bare:.2f}x" for name in JSON_ROWS))
    table = statistics.median(wall[TABLE]) - statistics.median(wall[JSON_ROWS[0]])
    table_cpu = statistics.median(cpu[TABLE]) - statistics.median(cpu[JSON_ROWS[0]])
    print(f"eligible's Rich table (on a terminal) costs {table * 1000:.1f} ms more than its --json "
          f"({table_cpu * 1000:.1f} ms CPU; medians)")
    import typer

    print(f"typer {typer.__version__}, Python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
