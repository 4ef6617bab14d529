"""Property: two versions of one condition are refused exactly when some day has both in force."""

from datetime import date, timedelta

from hypothesis import given, settings, strategies as st

from ma_cli.inputs.yamlio import load_text
from ma_cli.ruleset.rules import compile_credential

DAYS = st.one_of(st.none(), st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31)))
PERIOD = st.tuples(DAYS, DAYS).map(lambda p: p if None in p else tuple(sorted(p)))


def rule_text(a, b) -> str:
    def version(value, period):
        start, end = period
        lines = [f"        - {{id: age, test: at_least, field: age, value: {value}, source: S1",
                 f", effective: {start or 'unknown'}"]
        if end:
            lines.append(f", until: {end}")
        return "".join(lines) + "}\n"

    return ("credential: demo\nname: DEMO\nsources:\n  S1: {url: 'https://example.org', read: 2026-11-23}\n"
            "eligibility:\n  routes:\n    - id: r\n      name: R\n      source: S1\n      effective: unknown\n"
            "      when:\n" + version(17, a) + version(18, b))


def in_force(period, day):
    start, end = period
    return (start is None or start <= day) and (end is None or day <= end)


@settings(max_examples=300, deadline=None)
@given(PERIOD, PERIOD)
def test_overlap_refused_iff_a_day_has_both_versions(a, b):
    _, errors = compile_credential(load_text(rule_text(a, b), "demo.yaml", rule_file=True), "demo.yaml")
    # a shared day, if any, is one of the four ends (open ends stand for far past and far future)
    ends = [d for d in (*a, *b) if d] or [date(2020, 1, 1)]
    candidates = ends + [date(2000, 1, 1), date(2040, 1, 1)] + [d + timedelta(days=1) for d in ends]
    shared = any(in_force(a, d) and in_force(b, d) for d in candidates)
    overlap_errors = [e for e in errors if "two versions in force at the same time" in str(e)]
    assert bool(overlap_errors) == shared, (a, b, [str(e) for e in errors])
    if overlap_errors:
        assert str(overlap_errors[0]).startswith("demo.yaml:13:12: condition 'age' in route 'r' has two versions")
