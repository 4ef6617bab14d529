"""Benchmark the HTML pages (one command):  .venv/bin/python bench/html_report.py [--rows 10000] [--repeat 3]

1. Makes a realistic roster of --rows people (bench/make_roster.py, with its share of bad rows),
   writes `batch eligible --format html` and `batch renew --format html` for it, and a plan page.
2. Reports each page's size (the budgets: a plan under 200 KB, a 10,000-row report under 5 MB).
3. Times Chromium on each page two ways, each the best of --repeat runs, as wall time and as CPU
   time (Chromium run with --single-process, so that all of its work is counted: on a busy
   machine the CPU time is the steadier figure):
   - drawn: `--screenshot` at 1280x900, the page loaded, its scripts run and its first screen
     laid out and painted: what a reader waits for;
   - loaded: `--dump-dom`, the page loaded and its scripts run, then its whole DOM written out
     (writing it out costs in proportion to the page: this is the figure earlier runs reported).
   Against floors measured the same way in the same run: Chromium on an empty page (starting the
   browser), and on a plain table of as many rows of eight short cells (what a table that long
   costs when the browser lays it all out). A page's own cost is its time over the empty page's;
   the budget for a 10,000-row report is 2 s over it.
4. In the eligibility report itself: how long the first sort, a filter, a search and clearing them
   take (performance.now around each, in a copy of the page with a timing script, read back with
   --dump-dom; each the best of --repeat loads).

Not a test: nothing here fails on a slow machine; it prints the figures.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from make_roster import to_file

HERE = Path(__file__).resolve().parent
MA_CLI = [sys.executable, "-m", "ma_cli"]
AS_OF = "2026-11-23"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BUDGET = 2.0  # s over the empty page, for a 10,000-row report
# after the page's own script: the interactions a reader starts with, each timed to its layout done
# (the last header is a credential's; "err" is a choice of the Show filter on every report)
TIMING = """<script>addEventListener('load',function(){
var t=document.getElementById('rows'),f=document.getElementById('f'),q=document.getElementById('q'),
heads=t.tHead.rows[0].cells,sort=heads[heads.length-1].querySelector('button'),out={};
function time(name,act){var start=performance.now();act();document.body.offsetHeight;
out[name]=performance.now()-start}
time('first sort',function(){sort.click()});
time('sort the other way',function(){sort.click()});
time('show error rows',function(){f.value='err';f.dispatchEvent(new Event('change'))});
time('find "p00012"',function(){f.value='';q.value='p00012';f.dispatchEvent(new Event('change'))});
time('clear',function(){q.value='';f.dispatchEvent(new Event('change'))});
var p=document.createElement('pre');p.id='timing';p.textContent=JSON.stringify(out);document.body.appendChild(p)})
</script>"""


def load_time(chromium: str, page: Path, work: Path, repeat: int, how: str) -> tuple[float, float]:
    """The best wall time and the best CPU time of Chromium on `page`: "drawn" or "loaded" (see above)."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        profile = Path(tempfile.mkdtemp(dir=work))
        what = [f"--screenshot={profile / 'shot.png'}"] if how == "drawn" else ["--dump-dom"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([chromium, *FLAGS, "--single-process", f"--user-data-dir={profile}", "--window-size=1280,900",
                        *what, page.as_uri()], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = min(wall, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall, cpu


def interactions(chromium: str, page: Path, work: Path, repeat: int) -> dict[str, float]:
    """In-page ms of each interaction in TIMING, the best of `repeat` loads."""
    timed = work / f"timed-{page.name}"
    timed.write_text(page.read_text(encoding="utf-8").replace("</body>", TIMING + "</body>", 1), encoding="utf-8")
    best: dict[str, float] = {}
    for _ in range(repeat):
        profile = Path(tempfile.mkdtemp(dir=work))
        dom = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", "--window-size=1280,900", "--dump-dom",
                              timed.as_uri()], check=True, capture_output=True, text=True).stdout
        found = re.search(r'<pre id="timing">(.*?)</pre>', dom)
        if found is None:
            return {}
        for name, ms in json.loads(found[1].replace("&quot;", '"')).items():
            best[name] = min(best.get(name, ms), ms)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        roster, renewals = work / "roster.csv", work / "renewals.csv"
        to_file(roster, args.rows)
        to_file(renewals, args.rows, "--renewals")
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
        plain = work / "plain.html"
        plain.write_text("<!DOCTYPE html><html><head><title>floor</title></head><body><table>" + "".join(
            f"<tr><td>{i}<td>s-{i}<td>name<td>eligible<td>review<td>a<td>b<td>c</tr>\n" for i in range(args.rows))
            + "</table></body></html>\n")
        for name, page in pages.items():
            print(f"size   {name:<28} {page.stat().st_size / 1024:>9,.1f} KB")
        if chromium is None:
            print("Chromium is not installed: sizes only")
            return
        for how in ("drawn", "loaded"):
            floor = load_time(chromium, empty, work, args.repeat, how)
            print(f"{how:<6} floor: an empty page                    wall {floor[0]:.2f} s, CPU {floor[1]:.2f} s")
            table = load_time(chromium, plain, work, args.repeat, how)
            table_cost = table[1] - floor[1]
            print(f"{how:<6} floor: a plain table of {args.rows:,} rows       wall {table[0]:.2f} s, CPU {table[1]:.2f} s"
                  f" = empty page + {table[0] - floor[0]:.2f} s wall, + {table_cost:.2f} s CPU")
            for name, page in pages.items():
                t = load_time(chromium, page, work, args.repeat, how)
                own = t[1] - floor[1]
                line = (f"{how:<6} {name:<34} wall {t[0]:.2f} s, CPU {t[1]:.2f} s = empty page + "
                        f"{t[0] - floor[0]:.2f} s wall, + {own:.2f} s CPU ({t[1] / floor[1]:.2f}x")
                if name != "plan" and table_cost > 0:
                    line += f"; its own CPU {own / table_cost:.2f}x the plain table's"
                print(line + ")")
        timed = interactions(chromium, pages[f"batch eligible, {args.rows:,} rows"], work, args.repeat)
        if timed:
            print(f"in the eligibility report ({args.rows:,} rows), ms in the page: "
                  + ", ".join(f"{name} {ms:.0f}" for name, ms in timed.items()))
        print(f"budgets: a plan under 200 KB; a 10,000-row report under 5 MB, drawn within {BUDGET:g} s of the empty "
              "page (wall and CPU)")


if __name__ == "__main__":
    main()
