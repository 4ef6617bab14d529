"""Runs every YAML case under tests/cases against the bundled rules."""

from pathlib import Path

import pytest

from ma_cli.reasoning.cases import check_case, load_cases

CASES = [case for path in sorted((Path(__file__).parent / "cases").glob("*.yaml")) for case in load_cases(path)]


@pytest.mark.parametrize("case", CASES, ids=[f"{Path(c.file).stem}: {c.name}" for c in CASES])
def test_case(case, ruleset):
    assert check_case(case, ruleset) == []


def test_every_credential_with_routes_has_cases(ruleset):
    covered = {cred for c in CASES for cred in (c.data.get("expect") or {})}
    with_routes = {cid for cid, cred in ruleset.credentials.items() if cred.routes}
    assert with_routes and with_routes <= covered
