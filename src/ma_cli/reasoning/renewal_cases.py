"""Table-driven renewal cases: a credential, a date, an as-of date, an optional CE log, the answer.

Rule authors add cases in YAML (tests/renew_cases/*.yaml) without writing Python:

    - name: CMA certified 2022-03-15 is due 2027-03-31
      cert: cma
      since: 2022-03-15          # YYYY-MM-DD, YYYY-MM or YYYY
      as_of: 2026-11-23
      warn_days: 90              # optional
      log:                       # optional, the mappings of a YAML CE log
        - {date: 2023-01-10, credits: 12, category: administrative, approved: yes}
      expect:
        status: current
        due: 2027-03-31
        ce: {counted: 45, missing: 15, clinical: {missing: 2}, approved: {missing: 5}}
        not_counted: 1           # how many entries (or parts) do not count
        action: "2 clinical"     # text some action contains
        note: "..."              # text some note contains
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ma_cli.base.dates import parse_date, parse_partial
from ma_cli.base.errors import InputError
from ma_cli.inputs.celog import parse_ce_rows
from ma_cli.reasoning.renewal import RenewalStatus, renew
from ma_cli.ruleset.renewal_rules import compile_renewal
from ma_cli.ruleset.rules import RuleSet

_CASE_KEYS = ("name", "cert", "since", "as_of", "warn_days", "log", "expect", "note")
_DATE_KEYS = ("due", "period_start", "grace_end", "next_fee", "due_earliest", "due_latest")
_EXPECT_KEYS = ("status",) + _DATE_KEYS + ("ce", "not_counted", "action", "note", "fee_due", "days_left")
_CE_TOTALS = ("required", "counted", "missing")


def load_renewal_cases(path: Path) -> list[dict]:
    from ma_cli.reasoning.cases import read_case_list

    data = read_case_list(path, "renewal case file", _CASE_KEYS)
    for item in data:
        item["file"] = str(path)
    return data


def run_case(case: dict, ruleset: RuleSet) -> RenewalStatus:
    where = f"{case.get('file', '')}: case '{case['name']}'"
    as_of = parse_date(case.get("as_of"), f"{where}: as_of")
    (cred,) = ruleset.pick([str(case.get("cert"))])
    log = case.get("log")
    entries = parse_ce_rows(log, f"{where}: log", as_of) if log is not None else None
    since = parse_partial(case.get("since"), f"{where}: since", allow_year=True)
    return renew(compile_renewal(cred), since, as_of, int(case.get("warn_days", 90)), entries)


def check_renewal_case(case: dict, ruleset: RuleSet) -> list[str]:
    """Differences between the expected and the actual answer (empty: the case passes)."""
    where = f"{case.get('file', '')}: case '{case['name']}'"
    expect = case.get("expect")
    if not isinstance(expect, dict) or not expect:
        raise InputError(f"{where}: needs 'expect' (status, due, ce, ...)")
    got = run_case(case, ruleset)
    actual = _facts(got)
    diffs = []
    for key, want in expect.items():
        if key not in _EXPECT_KEYS:
            raise InputError(f"{where}: unknown expectation '{key}' (expected {', '.join(_EXPECT_KEYS)})")
        if key in ("action", "note"):
            texts = got.actions if key == "action" else got.notes
            if not any(str(want).lower() in t.lower() for t in texts):
                diffs.append(f"{key}: expected one to mention '{want}', got {list(texts)}")
        elif key == "ce":
            diffs += _check_ce(want, got)
        elif _text(actual[key]) != _text(want):
            diffs.append(f"{key}: expected {_text(want)}, got {_text(actual[key])} "
                         f"(status {got.status}; {'; '.join(got.notes + got.actions)})")
    return diffs


def _facts(s: RenewalStatus) -> dict[str, Any]:
    return {
        "status": s.status, "due": s.due, "period_start": s.period_start, "grace_end": s.grace_end,
        "next_fee": s.next_fee.strftime("%Y-%m") if s.next_fee else None,
        "fee_due": [d.strftime("%Y-%m") for d in s.fee_due],
        "due_earliest": s.due_range[0] if s.due_range else None,
        "due_latest": s.due_range[1] if s.due_range else None,
        "not_counted": len(s.ce.not_counted) if s.ce else 0,
        "days_left": s.days_left,
    }


def _check_ce(want: Any, got: RenewalStatus) -> list[str]:
    if want is None:
        return [] if got.ce is None else [f"ce: expected none, got {got.ce.required} required"]
    if got.ce is None:
        return ["ce: expected CE progress, the rules give none"]
    diffs = []
    rows = {r.id: r for r in got.ce.by_requirement}
    for key, value in want.items():
        if key in _CE_TOTALS:
            if _text(getattr(got.ce, key)) != _text(value):
                diffs.append(f"ce.{key}: expected {value}, got {_text(getattr(got.ce, key))}")
        elif key in rows and isinstance(value, dict):
            for field, number in value.items():
                have = getattr(rows[key], field, "no such field")
                if _text(have) != _text(number):
                    diffs.append(f"ce.{key}.{field}: expected {number}, got {_text(have)}")
        else:
            diffs.append(f"ce: no requirement '{key}' (have {', '.join(rows)})")
    return diffs


def _text(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_text(v) for v in value]
    return value
