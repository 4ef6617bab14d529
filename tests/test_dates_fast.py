"""The fast calendar helpers answer exactly as the calendar module and the uncached arithmetic do."""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from ma_cli.base.dates import _days_in_month, add_months, end_of_month, years_to_days


def test_days_in_month_matches_calendar_for_every_month_of_every_year():
    assert all(_days_in_month(y, m) == calendar.monthrange(y, m)[1] for y in range(1, 10000) for m in range(1, 13))


@given(st.dates(), st.integers(-1200, 1200))
def test_add_months_and_end_of_month(d, months):
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    if 1 <= y <= 9999:
        want = date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))
        assert add_months(d, months) == want
    assert end_of_month(d) == date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


@given(st.sampled_from([0.5, 1, 2, 2.0, 3, 5, 7.5]), st.dates(min_value=date(1000, 1, 1)))
def test_years_to_days_cache_is_transparent(years, ending):
    assert years_to_days(years, ending) == years_to_days.__wrapped__(years, ending)


@given(st.dates(min_value=date(100, 1, 1), max_value=date(9800, 1, 1)), st.integers(-5, 5), st.integers(-30, 30),
       st.integers(-400, 400))
def test_offset_apply_skipping_zero_parts_is_the_full_formula(d, years, months, days):
    from datetime import timedelta

    from ma_cli.base.dates import Offset

    assert Offset(years, months, days).apply(d) == add_months(d, years * 12 + months) + timedelta(days=days)


_FULL_FORM = __import__("re").compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


@given(st.one_of(st.dates().map(date.isoformat), st.text("0123456789-/ x\u0661", min_size=8, max_size=11),
                 st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")))
def test_full_day_reads_exactly_the_year_month_day_form(text):
    """full_day: the day of a YYYY-MM-DD text in ASCII digits, ValueError for no such day, None otherwise."""
    from ma_cli.base.dates import full_day

    m = _FULL_FORM.fullmatch(text)
    try:
        want = date(int(m[1]), int(m[2]), int(m[3])) if m else None
    except ValueError:
        with pytest.raises(ValueError):
            full_day(text)
        return
    assert full_day(text) == want


# dates crowded around month ends and 29 February, where the fast paths could go wrong
_EDGY = st.one_of(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)),
                  st.builds(lambda y, m, back: add_months(date(y, m, 1), 1) - timedelta(days=back),
                            st.integers(1900, 2198), st.integers(1, 12), st.integers(1, 4)),
                  st.sampled_from([date(y, 2, 29) for y in (1904, 1996, 2000, 2024, 2028, 2196)]))


@given(_EDGY, st.integers(-1200, 1200))
def test_add_months_skipping_the_month_length_for_early_days_is_the_general_rule(d, months):
    """add_months looks the target month's length up only for days 29-31: for every day, month end and
    29 February it gives the last-day-of-month rule worked out in full."""
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    if 1 <= y <= 9999:
        assert add_months(d, months) == date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


@given(_EDGY, _EDGY)
def test_years_since_made_directly_equals_the_anniversaries_subtracted(first, day):
    """years_since makes the anniversary passed and counts the days of its year without making the next one
    (every first day but 29 February): the very float, and type, of the general path."""
    from ma_cli.base.dates import _years_since_by_anniversaries, years_since

    if 1 < first.year < 9998 and 1 < day.year < 9998:
        fast, general = years_since(first, day), _years_since_by_anniversaries(first, day)
        assert fast == general and type(fast) is float


def test_years_since_over_a_29_february_counts_366_days():
    from ma_cli.base.dates import years_since

    assert years_since(date(2023, 3, 1), date(2024, 2, 29)) == 365 / 366  # the year holding 2024-02-29
    assert years_since(date(2024, 2, 28), date(2025, 2, 27)) == 365 / 366
    assert years_since(date(2024, 3, 1), date(2025, 2, 28)) == 364 / 365
    assert years_since(date(2024, 2, 29), date(2025, 2, 28)) == 1.0  # falls to 28 February
