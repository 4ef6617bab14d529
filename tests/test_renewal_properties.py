"""Invariants of the renewal engine over generated dates and CE logs (hypothesis)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from ma_cli.base.dates import PartialDate
from ma_cli.inputs.celog import CATEGORIES, CeEntry
from ma_cli.reasoning.renewal import CURRENT, DUE_SOON, GRACE, LAPSED, REVIEW, renew
from ma_cli.ruleset.renewal_rules import compile_renewal

CREDS = ("cma", "rma", "ccma", "ncma", "cmac")
ORDER = {CURRENT: 0, DUE_SOON: 1, GRACE: 2, LAPSED: 3}
days = st.dates(min_value=date(2012, 1, 1), max_value=date(2030, 12, 31))


@pytest.fixture(scope="module")
def compiled(ruleset):
    return {c: compile_renewal(ruleset.credentials[c]) for c in CREDS}


def exact(d: date) -> PartialDate:
    return PartialDate(d, d, "day", d.isoformat())


@settings(max_examples=200, deadline=None)
@given(cred=st.sampled_from(CREDS), start=days, gap=st.integers(0, 3000), later=st.integers(0, 400))
def test_status_never_goes_back_in_time(compiled, cred, start, gap, later):
    rules = compiled[cred]
    a = renew(rules, exact(start), start + timedelta(days=gap))
    b = renew(rules, exact(start), start + timedelta(days=gap + later))
    assert a.due == b.due and a.due > start
    if a.status in ORDER and b.status in ORDER:
        assert ORDER[a.status] <= ORDER[b.status]
    if a.status == REVIEW:
        assert a.notes  # a review always says why


@settings(max_examples=200, deadline=None)
@given(cred=st.sampled_from(CREDS), d=days)
def test_a_coarser_date_never_plans_later(compiled, cred, d):
    rules = compiled[cred]
    as_of = date(2031, 1, 1)
    day = renew(rules, exact(d), as_of)
    month = renew(rules, PartialDate(d.replace(day=1), (d.replace(day=28) + timedelta(days=4)).replace(day=1)
                                     - timedelta(days=1), "month", d.strftime("%Y-%m")), as_of)
    year = renew(rules, PartialDate(date(d.year, 1, 1), date(d.year, 12, 31), "year", str(d.year)), as_of)
    assert year.due <= month.due <= day.due <= month.due_range[1] <= year.due_range[1]


entries = st.builds(
    lambda d, credits, cat, appr, kind: CeEntry(d, credits, cat, appr, kind, "", "gen"),
    st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 11, 23)),
    st.sampled_from([0, 0.5, 1, 2, 4, 5, 10, 12, 30]),
    st.sampled_from((None,) + CATEGORIES),
    st.sampled_from([None, True, False]),
    st.sampled_from([None, "course", "cpr-card", "employment"]),
)


@settings(max_examples=300, deadline=None)
@given(cred=st.sampled_from(("cma", "rma", "ccma", "cmac")), log=st.lists(entries, max_size=25),
       start=st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 11, 23)))
def test_every_entry_is_counted_or_explained(compiled, cred, log, start):
    s = renew(compiled[cred], exact(start), date(2026, 11, 23), log=log)
    ce = s.ce
    assert ce is not None
    seen = [c.entry for c in ce.counted_entries] + [n.entry for n in ce.not_counted]
    assert all(e in seen for e in log)  # never a silently dropped row
    assert all(n.reason for n in ce.not_counted)
    assert ce.counted == pytest.approx(sum(c.credits for c in ce.counted_entries))
    assert 0 <= ce.missing <= ce.required
    for r in ce.by_requirement:
        if r.maximum is not None:
            assert r.counted <= r.maximum
        else:
            assert r.missing == pytest.approx(max(0, r.required - r.counted))
    window_start, due = ce.window
    assert all(window_start <= c.entry.date <= due for c in ce.counted_entries)
    cards = [c for c in ce.counted_entries if c.entry.kind == "cpr-card"]
    if cred == "cma":
        assert len(cards) <= 3 and all(c.credits == 4 and c.category == "clinical" for c in cards)
        # a card the log wrote otherwise is never rewritten silently; credits replaced are a review
        for c in cards:
            e = c.entry
            if e.credits != 4 or e.category not in (None, "clinical") or e.approved is False:
                assert any(f"{e.where} (cpr-card, written as" in n for n in s.notes), s.notes
            if e.credits != 4:
                assert s.status in (REVIEW, LAPSED)


@settings(max_examples=300, deadline=None)
@given(cred=st.sampled_from(CREDS), log=st.lists(entries, max_size=8),
       start=st.dates(min_value=date(2019, 1, 1), max_value=date(2024, 12, 31)), gap=st.integers(700, 2000))
def test_no_advice_names_a_day_gone_by(compiled, cred, log, start, gap):
    """Earning or submitting credits 'by' a day before the as-of day is advice nobody can take (in a
    grace window the CE advice named the due date that had passed)."""
    import re

    as_of = start + timedelta(days=gap)  # (around the due dates: 1 to 5 years on)
    s = renew(compiled[cred], exact(start), as_of, log=[e for e in log if e.date <= as_of])
    for action in s.actions:
        for m in re.finditer(r"\b(?:[Ee]arn|submit)\b[^.;]*? (?:by|between \S+ and) (\d{4}-\d{2}-\d{2})", action):
            assert date.fromisoformat(m.group(1)) >= as_of, action


@settings(max_examples=300, deadline=None)
@given(start=st.dates(min_value=date(2015, 1, 1), max_value=date(2024, 12, 31)), after=st.integers(1, 120))
def test_the_grace_end_shown_is_the_cited_readings(compiled, start, after):
    """The CMA's grace end shown comes from the reading cited first for the grace: 90 days (QA13) or three
    calendar months to the same day (QA12); never one reading's date beside the other's quote."""
    from ma_cli.base.dates import add_months

    s = renew(compiled["cma"], exact(start), start + timedelta(days=1850 + after))
    if s.grace_end is None:
        return
    quote = next(c.quote for c in s.citations if c.param == "grace")
    by_quote = {"QA13": s.due + timedelta(days=90), "QA12": add_months(s.due, 3)}
    assert by_quote[quote] == s.grace_end


# credits written with up to three decimals, as a CE log may hold them
written = st.decimals(min_value=0, max_value=40, places=3, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(cred=st.sampled_from(("cma", "rma", "ccma", "cmac")), amounts=st.lists(written, min_size=1, max_size=12))
def test_ce_sums_and_what_is_missing_are_exact_never_rounded_away(compiled, cred, amounts):
    from decimal import Decimal

    log = [CeEntry(date(2024, 1, 1) + timedelta(days=n), float(a), "general", True, None, "", f"e{n}")
           for n, a in enumerate(amounts)]
    ce = renew(compiled[cred], exact(date(2022, 3, 15)), date(2026, 11, 23), log=log).ce
    assert ce is not None
    in_window = [Decimal(repr(c.credits)) for c in ce.counted_entries]
    counted = sum(in_window, Decimal(0))
    assert Decimal(repr(ce.counted)) == counted  # 10 + 10 + 39.996 is 59.996, not 59.99600000000001
    total = ce.by_requirement[0]
    assert Decimal(repr(total.missing)) == max(Decimal(0), Decimal(repr(total.required)) - counted)
    assert (ce.missing > 0) == (ce.counted < ce.required or any(r.missing for r in ce.by_requirement))
