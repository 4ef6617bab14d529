"""Fingerprints of everything ma-cli answers, to show a refactor changed no answer (one command):

    .venv/bin/python bench/fingerprint.py [--rows 100000] [--people 3000] > before.txt
    ... change the code ...
    .venv/bin/python bench/fingerprint.py [--rows 100000] [--people 3000] > after.txt
    diff before.txt after.txt        # no output: byte-identical

One line per kind of output, `name sha256 size`:
- `batch eligible` and `batch renew` over a generated roster (bench/make_roster.py, seed 1) in every
  format (csv, jsonl, json, html);
- the full traced answers (`eligible --json --explain` as the Python API gives it) of the roster's
  first --people people x every bundled credential x several as-of days around the roster's;
- their plans (`plan --json --explain`) for a tenth of them;
- `rules show` of every credential in text and JSON, `rules test`, and `.ci/same-output`.

The checkout's folder is written `<checkout>` before hashing, so two clones can be compared.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from make_roster import to_file

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MA_CLI = [sys.executable, "-m", "ma_cli"]
AS_OF = date(2026, 11, 23)
DAYS = [AS_OF + timedelta(days=d) for d in (-400, 0, 29, 180, 365, 1000)]


def line(name: str, data: bytes) -> None:
    # the checkout's own folder (rules show names the rule folder) is the same answer from any clone
    data = data.replace(str(ROOT).encode(), b"<checkout>")
    print(f"{name} {hashlib.sha256(data).hexdigest()} {len(data)}", flush=True)


def run(*args: str) -> bytes:
    done = subprocess.run([*MA_CLI, *args], capture_output=True)
    return done.stdout + done.stderr + f"[exit {done.returncode}]".encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="roster rows for the batch runs")
    parser.add_argument("--people", type=int, default=3000, help="people whose full traces are taken")
    args = parser.parse_args()

    from ma_cli import api
    from ma_cli.base import jsonout
    from ma_cli.inputs.roster import Roster
    from ma_cli.ruleset.rules_validate import load_rules

    work = Path(tempfile.mkdtemp())
    roster, renewals = work / "roster.csv", work / "renewals.csv"
    to_file(roster, args.rows, "--seed", "1")
    to_file(renewals, args.rows, "--seed", "1", "--renewals")

    for fmt in ("csv", "jsonl", "json", "html"):
        line(f"batch-eligible-{fmt}", run("batch", "eligible", str(roster), "--as-of", str(AS_OF), "--format", fmt))
        line(f"batch-renew-{fmt}", run("batch", "renew", str(renewals), "--as-of", str(AS_OF), "--format", fmt))

    people = []
    with roster.open("rb") as f:
        for row in Roster(f, "roster"):
            if row.profile is not None:
                people.append(row.profile)
            if len(people) >= args.people:
                break
    creds = sorted(load_rules(None).credentials)
    traces, plans = io.BytesIO(), io.BytesIO()
    for i, who in enumerate(people):
        for day in DAYS:
            doc = api.eligible(who, as_of=day, credentials=creds, explain=True)
            traces.write(jsonout.dumps(doc).encode() + b"\n")
        if i % 10 == 0:
            doc = api.plan(who, as_of=AS_OF, credentials=creds, explain=True)
            plans.write(jsonout.dumps(doc).encode() + b"\n")
    line(f"traces-{len(people)}x{len(creds)}x{len(DAYS)}", traces.getvalue())
    line(f"plans-{len(people[::10])}x{len(creds)}", plans.getvalue())

    for cred in creds:
        line(f"rules-show-{cred}", run("rules", "show", cred, "--as-of", str(AS_OF))
             + run("rules", "show", cred, "--as-of", str(AS_OF), "--format", "json"))
    line("rules-test", run("rules", "test"))
    venv = Path(sys.executable).parent.parent
    same = subprocess.run([str(ROOT / ".ci" / "same-output"), str(venv)], capture_output=True)
    line("same-output", same.stdout + same.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
