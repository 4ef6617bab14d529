"""`ma-cli rules list|show|validate|test`: the rule set as a checkable, readable artifact."""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

import typer

from ma_cli.base.errors import InputError
from ma_cli.base.literal import say
from ma_cli.commands import options
from ma_cli.commands.app import MaCommand, MaHelpGroup, app, examples

rules_app = typer.Typer(
    name="rules",
    cls=MaHelpGroup,
    epilog=examples("ma-cli rules list", "ma-cli rules show cma", "ma-cli rules validate"),
    help="Look at, check and test the rule set (bundled, or a local folder given with --rules).",
    add_completion=False,
    no_args_is_help=True,  # `ma-cli rules` alone: one error line and exit 2, as `ma-cli` and `ma-cli batch` alone
    rich_markup_mode=None,
)
app.add_typer(rules_app, name="rules")

FORMATS = ("text", "yaml", "json")
FormatOpt = typer.Option("text", "--format", metavar="FORMAT", help="text (default), yaml or json.",
                         autocompletion=lambda incomplete: [f for f in FORMATS if f.startswith(incomplete)])


def _format(value: str, allowed=FORMATS) -> str:
    fmt = value.strip().lower()
    if fmt not in allowed:
        raise InputError(f"--format: '{value}' is not a format; expected one of: {', '.join(allowed)}")
    return fmt


@rules_app.command("list", cls=MaCommand, epilog=examples("ma-cli rules list", "ma-cli rules list --format json"),
                   help="Every credential with its routes, requirements and renewal rules, each with "
                                "its confidence and source.")
def list_rules(
    fmt: str = FormatOpt,
    rules: Optional[Path] = options.RulesDir,
) -> None:
    from ma_cli.output import render_rules
    from ma_cli.ruleset.rules_validate import load_rules

    fmt = _format(fmt)
    ruleset = load_rules(rules)
    creds = list(ruleset.credentials.values())
    if fmt == "text":
        say(render_rules.list_text(creds, ruleset.origin))
    else:
        print(render_rules.dump(render_rules.list_dict(creds, ruleset.origin), fmt))


@rules_app.command("show", cls=MaCommand, epilog=examples(
    "ma-cli rules show cma", "ma-cli rules show rma --as-of 2026-01-01", "ma-cli rules show cmac --format yaml"),
                   help="One credential in plain words: what a person must meet, with source links, "
                                "as the rules stood on --as-of (default today).")
def show_rules(
    credential: str = typer.Argument(..., metavar="CREDENTIAL", help="e.g. cma",
                                     autocompletion=options.complete_credentials),
    as_of: Optional[str] = options.AsOf,
    fmt: str = FormatOpt,
    rules: Optional[Path] = options.RulesDir,
) -> None:
    from ma_cli.output import render_rules
    from ma_cli.ruleset.rules_validate import load_rules

    fmt = _format(fmt)
    day = options.as_of_date(as_of)
    ruleset = load_rules(rules)
    (cred,) = ruleset.pick([credential], what="rules show CREDENTIAL")
    if fmt == "text":
        say(render_rules.show_text(cred, day))
    else:
        print(render_rules.dump(render_rules.credential_dict(cred, day), fmt))


@rules_app.command("validate", cls=MaCommand, epilog=examples(
    "ma-cli rules validate", "ma-cli rules validate rules/cma.yaml", "ma-cli rules validate --rules rules"),
                   help="Check a rule folder or one rule file and report every problem as "
                                    "file:line:column: message. Without PATH: the folder --rules (or MA_CLI_RULES) "
                                    "names, else the bundled rules.\n\n"
                                    "Exit codes: 0 valid, 1 problems found, 2 usage (e.g. no such folder).")
def validate_rules(
    ctx: typer.Context,
    path: Optional[Path] = typer.Argument(None, metavar="PATH", autocompletion=options.complete_files,
                                         **options.path_flag("a folder of rule files (*.yaml or *.yml), or one rule file", kind="either"),
                                         help="A rule folder or a rule file."),
    rules: Optional[Path] = options.RulesDir,
) -> None:
    from ma_cli.output import render_rules
    from ma_cli.ruleset.rules import bundled_rules_dir
    from ma_cli.ruleset.rules_validate import validate_path

    typed = rules is not None and _from_command_line(ctx, "rules")
    if path is not None and typed and not _same_file(path, rules):
        # which was meant cannot be told; MA_CLI_RULES, a standing default (a shell profile's), gives way to PATH
        raise InputError(f"--rules {rules}: PATH '{path}' is another folder or file (expected only one of them, "
                         f"or both naming the same folder)")
    target = path if path is not None else rules if rules is not None else bundled_rules_dir()
    files, problems = validate_path(target)
    say(render_rules.validate_text(files, problems))
    raise typer.Exit(1 if problems else 0)


def _from_command_line(ctx: typer.Context, name: str) -> bool:
    """The parameter was typed, not taken from its environment variable (or its default)."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name == "COMMANDLINE"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


CASE_DIRS = ("cases", "renew_cases")  # eligibility cases, renewal cases (tests/<dir> of a checkout)
# where the wheel carries them (pyproject.toml: force-include)
CASES_DATA = Path(__file__).resolve().parents[1] / "cases_data"  # (ma_cli/cases_data, in a wheel)


def default_case_dirs() -> list[Path]:
    """The project's own cases: shipped in the package (cases_data/), or tests/cases and tests/renew_cases
    next to the rules in a source checkout."""
    from ma_cli.ruleset.rules import bundled_rules_dir

    for folder in (CASES_DATA, bundled_rules_dir().parent / "tests"):
        found = [folder / name for name in CASE_DIRS if (folder / name).is_dir()]
        if found:
            return found
    return []


def _case_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            from ma_cli.ruleset.rules import rule_files

            found = rule_files(path)  # (case files are named as rule files are: .yaml or .yml, in any case)
            if not found:
                raise InputError(f"{path}: no case files (*.yaml or *.yml) in this folder")
            files += found
        elif path.is_file():
            files.append(path)
        elif path.exists():  # /dev/null, a pipe: "not found" would be untrue
            raise InputError(f"{path}: not a file or folder (a device or pipe); expected a case file or a folder of "
                             f"*.yaml case files")
        else:
            raise InputError(f"{path}: case file or folder not found")
    return files


@rules_app.command("test", cls=MaCommand, epilog=examples(
    "ma-cli rules test", "ma-cli rules test tests/cases/cma.yaml"),
                   help="Run YAML case files (profile, as-of date, expected answer per credential) "
                                "against the rules and print a pass/fail summary with one line per difference.\n\n"
                                "CASES are files or folders of *.yaml (eligibility cases, or renewal cases with "
                                "'cert:'); default: the project's own cases, shipped with ma-cli (tests/cases and "
                                "tests/renew_cases of the source).\n\n"
                                "Exit codes: 0 all passed, 1 a case failed or is broken, 2 usage.")
def test_rules(
    cases: Optional[List[Path]] = typer.Argument(None, metavar="CASES", autocompletion=options.complete_files,
                                               **options.path_flag("a case file or a folder of *.yaml case files", kind="either"),
                                                 help="Case files or folders."),
    rules: Optional[Path] = options.RulesDir,
) -> None:
    from ma_cli.output import render_rules
    from ma_cli.ruleset.rules_validate import load_rules

    if not cases:
        cases = default_case_dirs()
        if not cases:
            raise InputError("no CASES given and this installation has no cases of its own (expected "
                             f"{CASES_DATA} or tests/cases in a source checkout); give case files or folders")
    ruleset = load_rules(rules)
    runs = [run for path in _case_files(list(cases)) for run in _case_runs(path)]
    results = []
    for where, name, check in runs:
        try:
            results.append((where, name, check(ruleset), None))
        except InputError as err:  # a broken case is reported with the others, not fatal
            results.append((where, name, [], str(err)))
    say(render_rules.case_results_text(results, ruleset.origin))
    raise typer.Exit(0 if all(not d and not e for _, _, d, e in results) else 1)


def _case_runs(path: Path) -> list[tuple]:
    """(file, case name, check(ruleset) -> differences) for each case in one file.

    A file of renewal cases (each names its credential with `cert:`) runs through the renewal
    case runner; any other file holds eligibility cases.
    """
    from ma_cli.inputs.yamlio import load_file

    data = load_file(path, "case file")
    if isinstance(data, list) and any(isinstance(item, dict) and "cert" in item for item in data):
        from ma_cli.reasoning.renewal_cases import check_renewal_case, load_renewal_cases

        return [(str(path), str(case["name"]), lambda rs, case=case: check_renewal_case(case, rs))
                for case in load_renewal_cases(path)]
    from ma_cli.reasoning.cases import check_case, load_cases

    def check(ruleset, case):
        unknown_routes(case, ruleset)
        return check_case(case, ruleset)

    return [(case.file, case.name, lambda rs, case=case: check(rs, case)) for case in load_cases(path)]


def unknown_routes(case, ruleset) -> None:
    """A case that expects a route the rules do not have can never pass: say so plainly."""
    for cred_name, want in (case.data.get("expect") or {}).items():
        route = want.get("route") if isinstance(want, dict) else None
        cred = ruleset.credentials.get(str(cred_name).lower())
        if route is None or cred is None:
            continue
        ids = list(dict.fromkeys(r.id for r in cred.routes))
        if route not in ids:
            from ma_cli.inputs.profile import suggest

            raise InputError(f"expects route '{route}' for {cred.id}, but {cred.file} has no such route"
                             f"{suggest(str(route), ids)}; routes: {', '.join(ids) or 'none'}")
