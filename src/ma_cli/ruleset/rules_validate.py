"""`rules validate`: every problem in a rule folder, the eligibility schema's (rules.py) and the
`renewal:` schema's (renewal_rules.py) together.

It sits above both, so that rules.py needs nothing from renewal_rules.py (which builds on it).
"""

from __future__ import annotations

import os
from pathlib import Path

from ma_cli.base.errors import InputError, RuleError
from ma_cli.language.rule_records import Credential
from ma_cli.ruleset.renewal_rules import check_renewal
from ma_cli.ruleset.rules import load_directory, rule_files


def validate_path(path: str | os.PathLike[str]) -> tuple[list[Path], list[RuleError]]:
    """Every problem in a rule folder (or one rule file), in file and line order."""
    target = Path(path)
    if not target.exists():
        raise InputError(f"{target}: not found (expected a folder of rule files (*.yaml or *.yml), or one rule file)")
    files = rule_files(target) if target.is_dir() else [target]
    if not files:
        raise InputError(f"{target}: no rule files (*.yaml or *.yml) in this folder")
    problems: list[RuleError] = []
    flawed: list[Credential] = []  # files with problems elsewhere: their renewal section is checked all the same
    creds = load_directory(target, str(target), collect=problems, flawed=flawed)
    for cred in creds + flawed:
        if cred.renewal is not None:
            problems.extend(check_renewal(cred)[1])
    problems.sort(key=lambda e: (e.file, e.line, e.column))
    return files, problems
