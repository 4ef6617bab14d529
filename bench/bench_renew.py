"""Benchmark of the renewal engine and the CE log parser. Run: .venv/bin/python bench/bench_renew.py

Not a test: it prints timings and asserts nothing about them.
"""

import random
import time
from datetime import date, timedelta

from ma_cli.base.dates import parse_partial
from ma_cli.inputs.celog import parse_ce_csv
from ma_cli.reasoning.renewal import Renewer, renew
from ma_cli.ruleset.renewal_rules import compile_renewal
from ma_cli.ruleset.rules_validate import load_rules

AS_OF = date(2026, 11, 23)


def main() -> None:
    rng = random.Random(7)
    rows = ["date,credits,category,approved,kind,description"]
    for _ in range(5000):
        d = date(2021, 1, 1) + timedelta(days=rng.randrange(2100))
        rows.append(f"{d},{rng.choice([1, 2, 4, 0.5])},{rng.choice(['administrative', 'clinical', 'general'])},"
                    f"{rng.choice(['yes', 'no'])},{rng.choice(['course', 'cpr-card', ''])},course {d}")
    text = "\n".join(rows) + "\n"
    t = time.perf_counter()
    log = parse_ce_csv(text, "bench.csv", AS_OF)
    print(f"parse 5000-row CSV log: {1000 * (time.perf_counter() - t):.1f} ms")

    t = time.perf_counter()
    rules = load_rules(None)
    compiled = {c: compile_renewal(cred) for c, cred in rules.credentials.items()}
    print(f"load + compile rules: {1000 * (time.perf_counter() - t):.1f} ms")

    since = parse_partial("2022-03-15", "since")
    n = 2000
    t = time.perf_counter()
    for i in range(n):
        renew(compiled["cma"], since, AS_OF - timedelta(days=i % 900))
    print(f"renew without a log: {1e6 * (time.perf_counter() - t) / n:.0f} us per call")

    # as batch renew asks: one Renewer per credential and run, certification dates spread over 7 years
    starts = [parse_partial(str(date(2019, 12, 1) + timedelta(days=i % 2500)), "since") for i in range(n)]
    renewer = Renewer(compiled["cma"], AS_OF)
    t = time.perf_counter()
    for since_i in starts:
        renewer.standing(since_i)
    first = time.perf_counter() - t
    t = time.perf_counter()
    for since_i in starts:
        renewer.standing(since_i)
    print(f"Renewer.standing without a log: {1e6 * first / n:.0f} us per call for a new date, "
          f"{1e6 * (time.perf_counter() - t) / n:.1f} us for a date seen before")

    t = time.perf_counter()
    for _ in range(20):
        renew(compiled["cma"], since, AS_OF, log=log)
    print(f"renew with a 5000-entry log: {1000 * (time.perf_counter() - t) / 20:.1f} ms per call")


if __name__ == "__main__":
    main()
