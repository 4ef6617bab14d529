"""Cross-check and time the planner against a day-by-day scan of the engine.

    .venv/bin/python bench/plan_vs_daily.py [N] [SEED]

For N random people (default 200), plans every credential of the bundled rules plus the fixture
rules in tests/plan_fixtures over the 10-year horizon, scans every day of the horizon with the
engine, and reports any disagreement and the time each approach took.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from ma_cli.inputs.profile import ACCREDITATIONS, parse_profile
from ma_cli.reasoning.planner import decision_on, plan_credential
from ma_cli.ruleset.rules_validate import load_rules

ROOT = Path(__file__).resolve().parents[1]


def random_person(rng: random.Random, as_of: date) -> dict:
    def day(lo_days: int, hi_days: int) -> date:
        return as_of + timedelta(days=rng.randint(lo_days, hi_days))

    data: dict = {"high_school": rng.choice([True, True, False, day(-400, 900).isoformat()])}
    data["programs"] = []
    for _ in range(rng.randint(0, 2)):
        end = day(-3000, 900)
        data["programs"].append({"accreditation": rng.choice(ACCREDITATIONS),
                                 ("completed" if end <= as_of else "expected"): end.isoformat(),
                                 "academic_hours": 600, "externship_hours": rng.choice([100, 200]),
                                 "award": "diploma", "injections": 12, "venipunctures": 12})
    if rng.random() < 0.3:
        end = day(-2000, 700)
        data["military"] = [{("completed" if end <= as_of else "expected"): end.isoformat()}]
    data["work"] = []
    for _ in range(rng.randint(0, 3)):
        start = day(-3000, 400)
        job = {"from": start.isoformat(), "role": rng.choice(["medical-assistant", "medical-assistant", "instructor"]),
               "hours_per_week": rng.choice([10, 20, 30, 40]), "supervised": rng.choice([True, False])}
        if rng.random() < 0.5:
            job["to"] = (start + timedelta(days=rng.randint(0, 3000))).isoformat()
        data["work"].append(job)
    if rng.random() < 0.5:
        data["birth_date"] = day(-25 * 365, -15 * 365).isoformat()
    return data


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    rules = load_rules(ROOT / "tests" / "plan_fixtures")
    creds = [c for c in rules.credentials.values() if c.routes]
    plan_time = scan_time = 0.0
    plans = mismatches = 0
    for _ in range(n):
        as_of = date(2020, 1, 1) + timedelta(days=rng.randint(0, 3650))
        person = parse_profile(random_person(rng, as_of))
        for cred in creds:
            t0 = time.perf_counter()
            p = plan_credential(cred, person, as_of)
            t1 = time.perf_counter()
            scanned, last, day = [], None, as_of
            while day <= p.horizon:
                d = decision_on(cred, person, as_of, day)
                if (d.status, d.route) != last:
                    scanned.append((day, d.status, d.route))
                    last = (d.status, d.route)
                day += timedelta(days=1)
            t2 = time.perf_counter()
            plan_time += t1 - t0
            scan_time += t2 - t1
            plans += 1
            got = [(s.start, s.status, s.route) for s in p.segments]
            if got != scanned or p.warnings:
                mismatches += 1
                print(f"MISMATCH {cred.id} as_of {as_of}: plan {got} scan {scanned} {p.warnings}")
    print(f"{plans} plans ({n} people x {len(creds)} credentials): {mismatches} disagreements with the daily scan; "
          f"planner {plan_time / plans * 1000:.1f} ms/plan, daily scan {scan_time / plans * 1000:.1f} ms/plan")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
