"""Dated versions: the engine picks the version in force on the right day (a small rule file inline)."""

from datetime import date

from ma_cli.base.dates import PartialDate
from ma_cli.inputs.yamlio import load_text
from ma_cli.reasoning.renewal import renew
from ma_cli.ruleset.renewal_rules import compile_renewal
from ma_cli.ruleset.rules import compile_credential

RULE = """
credential: demo
name: DEMO
sources:
  A: {url: "https://example.org/a", read: 2026-11-23}
renewal:
  period:
    - {length: {months: 24}, anchor: anniversary, source: A, effective: unknown, until: 2014-12-31}
    - {length: {months: 36}, anchor: end_of_month, source: A, effective: 2015-01-01}
  grace:
    - {length: {days: 30}, source: A, effective: unknown, until: 2019-12-31}
    - {length: {days: 60}, source: A, effective: 2020-01-01}
  also:
    - {id: cpr, says: hold current CPR, source: A, effective: unknown, until: 2013-05-31}
  ce_total: {credits: 10, source: A, effective: unknown}
  ce_kinds:
    - {kind: employment, counts: true, source: A, effective: unknown, until: 2020-12-31}
    - {kind: employment, counts: false, says: employment stopped counting, source: A, effective: 2021-01-01}
"""


def rules():
    cred, errors = compile_credential(load_text(RULE, "demo.yaml", rule_file=True), "demo.yaml")
    assert not errors
    return compile_renewal(cred)


def day(text):
    d = date.fromisoformat(text)
    return PartialDate(d, d, "day", text)


def test_period_version_follows_the_period_start():
    assert renew(rules(), day("2014-12-31"), date(2015, 1, 1)).due == date(2016, 12, 31)
    assert renew(rules(), day("2015-01-01"), date(2015, 1, 1)).due == date(2018, 1, 31)


def test_grace_version_follows_the_due_date():
    s = renew(rules(), day("2016-12-10"), date(2020, 1, 5))  # due 2019-12-31: 30 days
    assert s.due == date(2019, 12, 31) and s.grace_end == date(2020, 1, 30) and s.status == "grace"
    s = renew(rules(), day("2017-01-10"), date(2020, 1, 5))  # due 2020-01-31: 60 days
    assert s.due == date(2020, 1, 31) and s.status == "due_soon"
    assert renew(rules(), day("2017-01-10"), date(2020, 3, 31)).grace_end == date(2020, 3, 31)


def test_also_applies_only_while_in_force():
    early = renew(rules(), day("2011-03-01"), date(2012, 1, 1))  # due 2013-03-01
    late = renew(rules(), day("2012-03-01"), date(2013, 1, 1))  # due 2014-03-01
    assert any("hold current CPR" in a for a in early.actions)
    assert not any("CPR" in a for a in late.actions)


def test_kind_version_follows_the_entry_date():
    from ma_cli.inputs.celog import CeEntry

    log = [CeEntry(date(2020, 12, 31), 3, None, None, "employment", "", "a"),
           CeEntry(date(2021, 1, 1), 4, None, None, "employment", "", "b")]
    s = renew(rules(), day("2019-06-01"), date(2021, 6, 1), log=log)
    assert s.ce.counted == 3
    assert [n.entry.where for n in s.ce.not_counted] == ["b"]
    assert "employment stopped counting" in s.ce.not_counted[0].reason
