"""A Renewer kept for a whole roster (its memos filled by earlier rows) answers every row as a fresh
`renew` does, and its `standing` is exactly the fields of that answer (hypothesis).

Certification dates are drawn around the due dates, warn windows and grace ends of the as-of day,
over the bundled rules and an inline rule file whose parameters change versions over time and
include low-confidence ones (a grace window and a CE kind: the review paths).
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from ma_cli.base.dates import PartialDate
from ma_cli.base.errors import InputError
from ma_cli.inputs.celog import CATEGORIES, CeEntry
from ma_cli.inputs.yamlio import load_text
from ma_cli.reasoning.renewal import Renewer, renew
from ma_cli.ruleset.renewal_rules import compile_renewal
from ma_cli.ruleset.rules import compile_credential

CREDS = ("cma", "rma", "ccma", "ncma", "cmac")

RULE = """
credential: demo
name: DEMO
sources:
  A: {url: "https://example.org/a", read: 2026-11-23}
renewal:
  period:
    - {length: {months: 24}, anchor: anniversary, source: A, effective: 2012-01-01, until: 2018-12-31}
    - {length: {months: 36}, anchor: end_of_month, source: A, effective: 2019-01-01}
  grace:
    - {length: {days: 30}, source: A, effective: unknown, until: 2021-12-31}
    - {length: {days: 60}, then: take the exam again, source: A, effective: 2022-01-01, confidence: low,
       note: the sources disagree on the length.}
  ce_total: {credits: 30, unit: points, source: A, effective: unknown}
  ce_minimums: {credits: {clinical: 10, general: 5}, source: A, effective: unknown}
  ce_approved: {minimum: 20, label: accredited, source: A, effective: unknown}
  ce_unapproved: {maximum: 6, source: A, effective: unknown}
  ce_kinds:
    - {kind: cpr-card, credits_each: 4, category: clinical, approved: true, max_items: 2, source: A,
       effective: unknown}
    - {kind: employment, counts: true, source: A, effective: unknown, until: 2023-12-31, confidence: low}
    - {kind: employment, counts: false, says: employment stopped counting, source: A, effective: 2024-01-01}
  fees: {every: {years: 1}, due: anniversary_month, source: A, effective: unknown}
  exam: {allowed: true, pass_before: {months: 3}, apply_before: {months: 4}, source: A, effective: unknown}
  also:
    - {id: cpr, says: hold current CPR, source: A, effective: unknown, until: 2024-05-31}
"""


@pytest.fixture(scope="module")
def compiled(ruleset):
    out = {c: compile_renewal(ruleset.credentials[c]) for c in CREDS}
    cred, errors = compile_credential(load_text(RULE, "demo.yaml", rule_file=True), "demo.yaml")
    assert not errors
    out["demo"] = compile_renewal(cred)
    return out


def partial(d: date, precision: str) -> PartialDate:
    if precision == "day":
        return PartialDate(d, d, "day", d.isoformat())
    if precision == "month":
        last = (d.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return PartialDate(d.replace(day=1), last, "month", d.strftime("%Y-%m"))
    return PartialDate(date(d.year, 1, 1), date(d.year, 12, 31), "year", str(d.year))


# how long before the as-of day a certification was: whole cycles, give or take the warn and grace windows
ages = st.builds(lambda years, days: max(0, 365 * years + days), st.integers(0, 6), st.integers(-120, 200))
entries = st.builds(
    lambda back, credits, cat, appr, kind: (back, CeEntry(date(2000, 1, 1), credits, cat, appr, kind, "", "gen")),
    st.integers(-30, 2500),
    st.sampled_from([0, 0.5, 1, 2, 4, 5, 10, 12, 30]),
    st.sampled_from((None,) + CATEGORIES),
    st.sampled_from([None, True, False]),
    st.sampled_from([None, "course", "cpr-card", "employment"]),
)
asks = st.tuples(ages, st.sampled_from(("day", "day", "month", "year")),
                 st.one_of(st.none(), st.lists(entries, max_size=8)))


def dated(as_of: date, log):
    """Entries dated relative to the as-of day (some after it: a log may run ahead of the question)."""
    if log is None:
        return None
    return [CeEntry(as_of - timedelta(days=back), e.credits, e.category, e.approved, e.kind, e.description, e.where)
            for back, e in log]


def typed(values) -> list:
    return [(type(v), v) for v in values]  # 0 and 0.0 are equal but print differently


@settings(max_examples=250, deadline=None)
@given(cred=st.sampled_from(CREDS + ("demo", "demo")), as_of=st.dates(date(2013, 1, 1), date(2031, 12, 31)),
       warn=st.sampled_from([0, 30, 90]), rows=st.lists(asks, min_size=1, max_size=12))
def test_a_shared_renewer_answers_each_row_as_a_fresh_renew(compiled, cred, as_of, warn, rows):
    rules = compiled[cred]
    shared = Renewer(rules, as_of, warn)
    for age, precision, log in rows + rows[::-1]:  # each row twice: the second time from the memos
        since = partial(as_of - timedelta(days=age), precision)
        log = dated(as_of, log)
        if since.first > as_of:
            with pytest.raises(InputError):
                renew(rules, since, as_of, warn, log)
            with pytest.raises(InputError):
                shared.standing(since, log)
            continue
        fresh = renew(rules, since, as_of, warn, log)
        assert shared.renew(since, log) == fresh
        ce = fresh.ce
        assert typed(shared.standing(since, log)) == typed(
            (fresh.status, fresh.due, fresh.days_left, fresh.grace_end, ce.required if ce else None,
             ce.counted if ce else None, ce.missing if ce else None, ce.unit if ce else None))


def test_the_demo_rules_reach_the_paths_the_property_relies_on(compiled):
    """The inline rules do produce a review from a low-confidence grace, and from a CE kind only
    when an entry of that kind is counted (else the property would not test the kinds path)."""
    rules = compiled["demo"]
    lapsed_soft = renew(rules, partial(date(2022, 1, 10), "day"), date(2025, 2, 15))  # due 2025-01-31, in grace
    assert lapsed_soft.status == "review"
    plain = Renewer(rules, date(2022, 6, 1)).standing(partial(date(2021, 1, 5), "day"), [])
    with_kind = Renewer(rules, date(2022, 6, 1)).standing(
        partial(date(2021, 1, 5), "day"), [CeEntry(date(2021, 6, 1), 3, None, None, "employment", "", "a")])
    assert plain[0] == "current" and with_kind[0] == "review"
