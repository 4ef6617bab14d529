"""Every JSON output is strict JSON: never NaN or Infinity (issue 12, class 2).

Two CE entries of 1e308 used to print `"counted": Infinity` in `renew --json`, which jq and
JSON.parse refuse. Now the bounds stop such numbers at input (test_bounds.py), and every JSON
output goes through ma_cli.base.jsonout.dumps (allow_nan=False), so none can print them.
"""

from __future__ import annotations

import ast
import json
import math
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

import ma_cli
from ma_cli.base import jsonout
from ma_cli.base.bounds import BOUNDS
from ma_cli.commands.cli import app

SRC = Path(ma_cli.__file__).parent


def strict(text: str):
    def refuse(constant):
        raise AssertionError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def test_every_json_output_goes_through_the_one_strict_writer():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "jsonout.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("dumps", "dump") and \
                    isinstance(node.value, ast.Name) and node.value.id == "json":
                found.append(f"{path.name}:{node.lineno}")
    assert not found, f"json.dump(s) outside ma_cli.base.jsonout: {found}"


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, {"counted": math.inf}, [1.0, math.nan]])
def test_the_writer_refuses_what_is_not_json(value):
    with pytest.raises(ValueError):
        jsonout.dumps(value)


def test_the_largest_ce_logs_print_strict_json(tmp_path):
    top = BOUNDS["credits"].high
    log = tmp_path / "ce.csv"
    log.write_text("date,credits,category,approved\n" + f"2023-01-01,{top:g},clinical,yes\n" * 5000)
    r = CliRunner().invoke(app, ["renew", "--cert", "cma", "--since", "2022-03-15", "--as-of", "2026-11-23",
                                 "--ce-log", str(log), "--json"])
    assert r.exit_code == 0, r.output
    ce = strict(r.stdout)["results"][0]["ce"]
    assert ce["counted"] == 5000 * top  # the most a CE log can hold: far inside the floats
    roster = tmp_path / "r.csv"
    top_total = BOUNDS["ce_total"].high
    roster.write_text("id,credential,since,ce_general,ce_clinical,ce_administrative,ce_unapproved\n"
                      + f"m,cma,2022-03-15,{top_total:g},{top_total:g},{top_total:g},{top_total:g}\n" * 3)
    for fmt in ("json", "jsonl"):
        r = CliRunner().invoke(app, ["batch", "renew", str(roster), "--as-of", "2026-11-23", "--format", fmt])
        assert r.exit_code == 0, r.output
        for line in ([r.stdout] if fmt == "json" else r.stdout.splitlines()):
            strict(line)


entries = st.lists(st.fixed_dictionaries({
    "date": st.dates(min_value=date(2018, 1, 1), max_value=date(2026, 11, 23)),
    "credits": st.one_of(st.integers(0, int(BOUNDS["credits"].high)),
                         st.floats(0, BOUNDS["credits"].high, allow_nan=False)),
    "category": st.sampled_from(["", "administrative", "clinical", "general"]),
    "approved": st.booleans(),
}), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(entries, st.sampled_from(["cma", "rma", "ccma", "ncma", "cmac"]))
def test_any_ce_log_within_the_bounds_renews_to_strict_json(log, credential):
    doc = ma_cli.renew(credential=credential, since="2022-03-15", ce_log=log, as_of="2026-11-23")
    strict(jsonout.dumps(doc))


_KEYS = st.one_of(st.text(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.none())
_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
                            st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=25)


@settings(max_examples=400, deadline=None)
@given(value=_VALUES, indent=st.sampled_from([None, 2, 0, 4]), ensure_ascii=st.booleans())
def test_the_writer_writes_what_json_dumps_writes(value, indent, ensure_ascii):
    # the writer lays the text out itself (jsonout's docstring): byte for byte json.dumps's
    assert jsonout.dumps(value, indent=indent, ensure_ascii=ensure_ascii) == \
        json.dumps(value, allow_nan=False, indent=indent, ensure_ascii=ensure_ascii)


@pytest.mark.parametrize("value", [{1.5: [math.inf]}, {math.nan: 1}, [[{"a": -math.inf}]]])
def test_the_laid_out_writer_refuses_what_is_not_json(value):
    with pytest.raises(ValueError):
        jsonout.dumps(value, indent=2)


@pytest.mark.parametrize("value", [{"a": object()}, [{1, 2}], {(1, 2): 3}])
def test_the_writer_refuses_what_json_cannot_hold(value):
    with pytest.raises(TypeError):
        jsonout.dumps(value, indent=2)
    with pytest.raises(TypeError):
        jsonout.dumps(value)
