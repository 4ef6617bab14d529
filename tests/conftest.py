from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from ma_cli.ruleset.rules_validate import load_rules

# The properties check behaviour, not speed (performance lives in bench/): no per-example deadline, and
# data generation slowed by a busy machine (CI runs several suites at once) is not a failure.
settings.register_profile("ma-cli", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ma-cli")

CASES_DIR = Path(__file__).parent / "cases"


@pytest.fixture(scope="session")
def ruleset():
    return load_rules(None)
