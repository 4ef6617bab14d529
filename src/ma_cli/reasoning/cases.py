"""Table-driven rule cases: a profile, an as-of date, and the expected answer per credential.

Rule authors add cases in YAML without writing Python; pytest and `ma-cli rules test` both
run them through `check_case`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ma_cli.base.dates import parse_date
from ma_cli.base.errors import InputError
from ma_cli.base.frozen import record
from ma_cli.inputs.profile import parse_profile
from ma_cli.reasoning.engine import evaluate
from ma_cli.ruleset.rules import RuleSet

_CASE_KEYS = ("name", "as_of", "profile", "expect", "note")
_EXPECT_KEYS = ("status", "route", "deadline", "earliest", "reason")


@record
class Case:
    name: str
    file: str
    data: dict


def read_case_list(path: Path, what: str, keys) -> list[dict]:
    """A case file's cases, each a mapping with a 'name' and only the given keys."""
    from ma_cli.inputs.yamlio import load_file

    data = load_file(path, what)
    if not isinstance(data, list):
        raise InputError(f"{path}: a {what} should be a list of cases (- name: ...)")
    for i, item in enumerate(data):
        if not isinstance(item, dict) or "name" not in item:
            raise InputError(f"{path}: case {i + 1} should be a mapping with a 'name'")
        for key in item:
            if key not in keys:
                raise InputError(f"{path}: case '{item['name']}': unknown key '{key}'")
    return data


def load_cases(path: Path) -> list[Case]:
    return [Case(str(item["name"]), str(path), item) for item in read_case_list(path, "case file", _CASE_KEYS)]


def check_case(case: Case, ruleset: RuleSet) -> list[str]:
    """Evaluate one case; return the differences between expected and actual (empty = pass)."""
    data = case.data
    where = f"{case.file}: case '{case.name}'"
    as_of = parse_date(data.get("as_of"), f"{where}: as_of")
    profile = parse_profile(data.get("profile") or {}, f"{where}: profile")
    expect: dict[str, Any] = data.get("expect") or {}
    if not expect:
        raise InputError(f"{where}: needs 'expect' (credential: {{status: ...}})")
    creds = ruleset.pick(list(expect))
    decisions = {d.credential: d for d in evaluate(profile, creds, as_of)}
    diffs = []
    for cred, want in expect.items():
        if isinstance(want, str):
            want = {"status": want}
        got = decisions[cred.lower()]
        for key, value in want.items():
            if key not in _EXPECT_KEYS:
                raise InputError(f"{where}: unknown expectation '{key}' (expected {', '.join(_EXPECT_KEYS)})")
            if key == "reason":
                text = " | ".join(got.reasons)
                if str(value).lower() not in text.lower():
                    diffs.append(f"{cred}.reason: expected to mention '{value}', got '{text}'")
                continue
            actual = {"status": got.status, "route": got.route, "deadline": got.deadline,
                      "earliest": got.opens}[key]
            actual_text = actual.isoformat() if hasattr(actual, "isoformat") else actual
            want_text = value.isoformat() if hasattr(value, "isoformat") else value
            if actual_text != want_text:
                diffs.append(f"{cred}.{key}: expected {want_text}, got {actual_text}"
                             + (f" ({'; '.join(got.reasons)})" if key == "status" else ""))
    return diffs
