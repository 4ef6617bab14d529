"""Runs every YAML renewal case under tests/renew_cases against the bundled rules."""

from pathlib import Path

import pytest

from ma_cli.reasoning.renewal_cases import check_renewal_case, load_renewal_cases
from ma_cli.ruleset.renewal_rules import compile_renewal

CASES = [case for path in sorted((Path(__file__).parent / "renew_cases").glob("*.yaml"))
         for case in load_renewal_cases(path)]


@pytest.mark.parametrize("case", CASES, ids=[f"{Path(c['file']).stem}: {c['name']}" for c in CASES])
def test_renewal_case(case, ruleset):
    assert check_renewal_case(case, ruleset) == []


def test_every_credential_with_renewal_rules_has_cases(ruleset):
    covered = {str(c["cert"]).lower() for c in CASES}
    with_rules = {cid for cid, cred in ruleset.credentials.items() if cred.renewal is not None}
    assert with_rules and with_rules <= covered


def test_bundled_renewal_rules_compile(ruleset):
    for cred in ruleset.credentials.values():
        if cred.renewal is not None:
            assert compile_renewal(cred).has("period")
