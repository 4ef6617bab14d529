"""Start-up benchmark: one `ma-cli eligible ... --json` run against the import floor.

    .venv/bin/python bench/startup.py [--runs N]

The floor is `python -c "import typer, rich, yaml"`: what any Typer/Rich/PyYAML CLI pays
before doing anything. ma-cli is run the way users run it, as the `ma-cli` console script that
pip installed next to this interpreter (it runs `ma_cli.cli.main` under the same interpreter), and
also as `python -m ma_cli` (runpy adds a little). Bytecode writing is allowed, as it is for an
installed wheel, even if PYTHONDONTWRITEBYTECODE is set. Prints the median wall time of N runs of
each (after one warm-up run each) and the ratio for the console script; target: within 1.3x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

FLOOR = [sys.executable, "-c", "import typer, rich, yaml"]
# the floor plus everything ma-cli itself imports and the rule loading, without Typer running a command
OURS = [sys.executable, "-c", "import typer, rich, yaml, ma_cli.cli, ma_cli.engine, ma_cli.render, ma_cli.yamlio; "
                              "ma_cli.rules.load_rules()"]
ARGS = ["eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--json"]
SCRIPT = os.path.join(os.path.dirname(sys.executable), "ma-cli")
COMMAND = [SCRIPT, *ARGS]
MODULE = [sys.executable, "-m", "ma_cli", *ARGS]
TARGET = 1.3
# Installed packages run from cached bytecode (pip compiles them); measure ma-cli the same way
# even where the environment disables writing .pyc files.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall_times(cmd: list[str], runs: int) -> list[float]:
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=ENV)  # warm caches, write bytecode
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=ENV)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs of each command (default 21)")
    args = parser.parse_args()
    if not os.access(SCRIPT, os.X_OK):
        parser.error(f"no console script at {SCRIPT}: install ma-cli into this interpreter's environment first")
    rows = {"floor: import typer, rich, yaml": FLOOR,
            "floor + ma_cli imports + load_rules()": OURS,
            "python -m ma_cli eligible ... --json": MODULE,
            "ma-cli eligible ... --json": COMMAND}
    times: dict[str, list[float]] = {name: [] for name in rows}
    # interleave the commands so a busy machine slows all of them alike
    rounds = 3
    for _ in range(rounds):
        for name, cmd in rows.items():
            times[name] += wall_times(cmd, max(1, args.runs // rounds))
    for name, values in times.items():
        print(f"{name:42s} median {statistics.median(values) * 1000:7.1f} ms   "
              f"min {min(values) * 1000:7.1f} ms   ({len(values)} runs)")
    floor, ours = times["floor: import typer, rich, yaml"], times["ma-cli eligible ... --json"]
    ratio = statistics.median(ours) / statistics.median(floor)
    print(f"ratio of medians {ratio:.2f}x, of minimums {min(ours) / min(floor):.2f}x "
          f"(target {TARGET}x): {'OK' if ratio <= TARGET else 'over target'}")
    try:
        import typer

        print(f"typer {typer.__version__}" + ("; it coerces option values with pydantic, imported at run time"
                                             if _typer_uses_pydantic() else ""))
    except ImportError:  # pragma: no cover
        pass
    return 0


def _typer_uses_pydantic() -> bool:
    import importlib.util

    return importlib.util.find_spec("typer._adapters") is not None


if __name__ == "__main__":
    sys.exit(main())
