"""`rules validate`, and the loading of a local rule folder, which is checked the same way: every
problem in a rule folder, the eligibility schema's (rules.py) and the `renewal:` schema's
(renewal_rules.py) together.

It sits above both, so that rules.py needs nothing from renewal_rules.py (which builds on it).
"""

from __future__ import annotations

import os
from pathlib import Path

from ma_cli.base.errors import InputError, RuleError
from ma_cli.language.rule_records import Credential
from ma_cli.ruleset.rules import (
    RULES_ENV,
    RuleSet,
    describe_origin,
    load_bundled,
    load_directory,
    override_files,
    rule_files,
)


def validate_path(path: str | os.PathLike[str]) -> tuple[list[Path], list[RuleError]]:
    """Every problem in a rule folder (or one rule file), in file and line order."""
    target = Path(path)
    if not target.exists() and not target.is_symlink():
        raise InputError(f"{target}: not found (expected a folder of rule files (*.yaml or *.yml), or one rule file)")
    files = rule_files(target) if target.is_dir() else [target]
    if not files:
        raise InputError(f"{target}: no rule files (*.yaml or *.yml) in this folder")
    return files, _problems(target, str(target))[1]


def _problems(target: Path, origin: str) -> tuple[list[Credential], list[RuleError]]:
    """The credentials of a rule folder (or file) that compiled without a problem, named as from `origin`,
    and every problem in it."""
    # (imported here: a run on the bundled rules alone, checked when they were packed, never needs it)
    from ma_cli.ruleset.renewal_rules import check_renewal

    problems: list[RuleError] = []
    flawed: list[Credential] = []  # files with problems elsewhere: their renewal section is checked all the same
    creds = load_directory(target, origin, collect=problems, flawed=flawed)
    for cred in creds + flawed:
        if cred.renewal is not None:
            problems.extend(check_renewal(cred)[1])
    problems.sort(key=lambda e: (e.file, e.line, e.column))
    return creds, problems


def load_rules(extra_dir: str | os.PathLike[str] | None = None) -> RuleSet:
    """Load the bundled rules, then a local directory whose files override or add credentials.

    The local folder is refused, naming its first problem, when `rules validate` would list any in it
    (its renewal sections too): every command answers from a folder that passes, or from none. The
    bundled rules are checked when they are packed (pack_rules), not on each run."""
    extra = extra_dir if extra_dir is not None else os.environ.get(RULES_ENV)
    if extra_dir is None and extra == "":  # set, but to nothing: surely not a wish for the bundled rules alone
        raise InputError(f"{RULES_ENV}: '' is an empty name (expected a folder of rule files (*.yaml or *.yml), "
                         f"or {RULES_ENV} unset for the bundled rules)")
    creds: dict[str, Credential] = {}
    for cred in load_bundled():
        creds[cred.id] = cred
    if extra:
        directory = Path(extra)
        override_files(directory)
        found, problems = _problems(directory, str(extra))
        if problems:
            raise problems[0]
        for cred in found:
            creds[cred.id] = cred
    return RuleSet(creds, describe_origin(list(creds.values())))
