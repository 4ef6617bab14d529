from pathlib import Path

import pytest

from ma_cli.ruleset.rules import load_rules

CASES_DIR = Path(__file__).parent / "cases"


@pytest.fixture(scope="session")
def ruleset():
    return load_rules(None)
