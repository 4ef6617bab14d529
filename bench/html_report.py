"""Benchmark the HTML pages (one command):  .venv/bin/python bench/html_report.py [--rows 10000]

1. Makes a realistic roster of --rows people (bench/make_roster.py, with its share of bad rows),
   writes `batch eligible --format html` and `batch renew --format html` for it, and a plan page.
2. Reports each page's size (the budgets: a plan under 200 KB, a 10,000-row report under 5 MB).
3. Times Chromium loading each page to the end of its load (`--dump-dom`, scripts run, layout
   done: the page's own sorting/filtering script reads every row) against the floor measured in
   the floors measured in the same run: Chromium loading an empty page (starting the browser), and
   a plain table of as many rows of eight short cells (what any table that long costs the
   browser). The page's own cost is the difference from the empty page; the budget for a
   10,000-row report is 2 s over it, on an idle machine. Each is the best of --repeat runs, as
   wall time and as CPU time (Chromium run with --single-process, so that all of its work is
   counted: on a busy machine the CPU time is the steadier figure).

Not a test: nothing here fails on a slow machine; it prints the figures.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MA_CLI = [sys.executable, "-m", "ma_cli"]
AS_OF = "2026-11-23"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def load_time(chromium: str, page: Path, work: Path, repeat: int) -> tuple[float, float]:
    """The best wall time and the best CPU time of Chromium loading `page` (--dump-dom: after load)."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        profile = Path(tempfile.mkdtemp(dir=work))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([chromium, *FLAGS, "--single-process", f"--user-data-dir={profile}", "--window-size=1280,900",
                        "--dump-dom", page.as_uri()], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = min(wall, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        roster, renewals = work / "roster.csv", work / "renewals.csv"
        with open(roster, "w") as f:
            subprocess.run([sys.executable, str(HERE / "make_roster.py"), str(args.rows)], stdout=f, check=True)
        with open(renewals, "w") as f:
            subprocess.run([sys.executable, str(HERE / "make_roster.py"), str(args.rows), "--renewals"], stdout=f,
                           check=True)
        pages = {"plan": work / "plan.html", f"batch eligible, {args.rows:,} rows": work / "eligible.html",
                 f"batch renew, {args.rows:,} rows": work / "renew.html"}
        subprocess.run([*MA_CLI, "plan", "--profile", str(HERE.parent / "examples" / "person.yaml"), "--as-of", AS_OF,
                        "--html", str(pages["plan"])], stdout=subprocess.DEVNULL, check=False)
        for kind, source, page in (("eligible", roster, work / "eligible.html"), ("renew", renewals, work / "renew.html")):
            start = time.perf_counter()
            subprocess.run([*MA_CLI, "batch", kind, str(source), "--as-of", AS_OF, "--format", "html", "-o", str(page)],
                           stderr=subprocess.DEVNULL, check=False)
            print(f"write  batch {kind} --format html, {args.rows:,} rows: {time.perf_counter() - start:.2f} s")
        empty = work / "empty.html"
        empty.write_text("<!DOCTYPE html><html><head><title>floor</title></head><body></body></html>\n")
        if chromium is None:
            print("Chromium is not installed: sizes only")
        plain = work / "plain.html"
        plain.write_text("<!DOCTYPE html><html><head><title>floor</title></head><body><table>" + "".join(
            f"<tr><td>{i}<td>s-{i}<td>name<td>eligible<td>review<td>a<td>b<td>c</tr>\n" for i in range(args.rows))
            + "</table></body></html>\n")
        floor = load_time(chromium, empty, work, args.repeat) if chromium else None
        if floor is not None:
            print(f"floor  Chromium loading an empty page: wall {floor[0]:.2f} s, CPU {floor[1]:.2f} s")
            t = load_time(chromium, plain, work, args.repeat)
            print(f"floor  a plain table of {args.rows:,} rows: wall {t[0]:.2f} s, CPU {t[1]:.2f} s = "
                  f"empty page + {t[1] - floor[1]:.2f} s CPU")
        for name, page in pages.items():
            size = page.stat().st_size
            line = f"{name:<28} {size / 1024:>9,.1f} KB"
            if floor is not None:
                t = load_time(chromium, page, work, args.repeat)
                line += (f"   wall {t[0]:.2f} s, CPU {t[1]:.2f} s = empty page + {t[1] - floor[1]:.2f} s CPU "
                         f"({t[1] / floor[1]:.2f}x)")
            print(line)


if __name__ == "__main__":
    main()
