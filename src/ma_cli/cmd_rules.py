"""`ma-cli rules list|show|validate|test`: the rule set as a checkable, readable artifact."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ma_cli import options
from ma_cli.app import app
from ma_cli.errors import InputError

rules_app = typer.Typer(
    name="rules",
    help="Look at, check and test the rule set (bundled, or a local folder given with --rules).",
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(rules_app, name="rules")


@rules_app.callback(invoke_without_command=True)
def _rules(ctx: typer.Context) -> None:
    # `ma-cli rules` alone shows the help (as --help does), rather than a usage error squeezed onto one line
    if ctx.invoked_subcommand is None:
        print(ctx.get_help())
        raise typer.Exit(0)

FORMATS = ("text", "yaml", "json")
FormatOpt = typer.Option("text", "--format", metavar="FORMAT", help="text (default), yaml or json.")


def _format(value: str, allowed=FORMATS) -> str:
    fmt = value.strip().lower()
    if fmt not in allowed:
        raise InputError(f"--format: '{value}' is not a format; expected one of: {', '.join(allowed)}")
    return fmt


@rules_app.command("list", help="Every credential with its routes, requirements and renewal rules, each with "
                                "its confidence and source.")
def list_rules(
    fmt: str = FormatOpt,
    rules: Optional[Path] = options.RulesDir,
) -> None:
    from ma_cli import render_rules
    from ma_cli.rules import load_rules

    fmt = _format(fmt)
    ruleset = load_rules(rules)
    creds = list(ruleset.credentials.values())
    if fmt == "text":
        print(render_rules.list_text(creds, ruleset.origin))
    else:
        print(render_rules.dump(render_rules.list_dict(creds, ruleset.origin), fmt))


@rules_app.command("show", help="One credential in plain words: what a person must meet, with source links, "
                                "as the rules stood on --as-of (default today).")
def show_rules(
    credential: str = typer.Argument(..., metavar="CREDENTIAL", help="e.g. cma"),
    as_of: Optional[str] = options.AsOf,
    fmt: str = FormatOpt,
    rules: Optional[Path] = options.RulesDir,
) -> None:
    from ma_cli import render_rules
    from ma_cli.rules import load_rules

    fmt = _format(fmt)
    day = options.as_of_date(as_of)
    ruleset = load_rules(rules)
    (cred,) = ruleset.pick([credential], what="rules show CREDENTIAL")
    if fmt == "text":
        print(render_rules.show_text(cred, day))
    else:
        print(render_rules.dump(render_rules.credential_dict(cred, day), fmt))


@rules_app.command("validate", help="Check a rule folder (default: the bundled rules) or one rule file and "
                                    "report every problem as file:line:column: message.\n\n"
                                    "Exit codes: 0 valid, 1 problems found, 2 usage (e.g. no such folder).")
def validate_rules(
    path: Optional[Path] = typer.Argument(None, metavar="PATH", help="A rule folder or a rule file."),
) -> None:
    from ma_cli import render_rules
    from ma_cli.rules import bundled_rules_dir, validate_path

    files, problems = validate_path(path if path is not None else bundled_rules_dir())
    print(render_rules.validate_text(files, problems))
    raise typer.Exit(1 if problems else 0)


def default_cases_dir() -> Path | None:
    """The project's own cases: tests/cases next to the bundled rules in a source checkout."""
    from ma_cli.rules import bundled_rules_dir

    candidate = bundled_rules_dir().parent / "tests" / "cases"
    return candidate if candidate.is_dir() else None


def _case_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.yaml") if p.is_file())
            if not found:
                raise InputError(f"{path}: no *.yaml case files in this folder")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path}: case file or folder not found")
    return files


@rules_app.command("test", help="Run YAML case files (profile, as-of date, expected answer per credential) "
                                "against the rules and print a pass/fail summary with one line per difference.\n\n"
                                "CASES are files or folders of *.yaml; default: the project's tests/cases in a "
                                "source checkout (the installed wheel ships no cases).\n\n"
                                "Exit codes: 0 all passed, 1 a case failed or is broken, 2 usage.")
def test_rules(
    cases: Optional[List[Path]] = typer.Argument(None, metavar="CASES", help="Case files or folders."),
    rules: Optional[Path] = options.RulesDir,
) -> None:
    from ma_cli import render_rules
    from ma_cli.cases import check_case, load_cases
    from ma_cli.rules import load_rules

    if not cases:
        found = default_cases_dir()
        if found is None:
            raise InputError("no CASES given and no tests/cases folder next to the bundled rules; "
                             "give case files or folders")
        cases = [found]
    ruleset = load_rules(rules)
    loaded = [case for path in _case_files(list(cases)) for case in load_cases(path)]
    results = []
    for case in loaded:
        try:
            unknown_routes(case, ruleset)
            results.append((case, check_case(case, ruleset), None))
        except InputError as err:  # a broken case is reported with the others, not fatal
            results.append((case, [], str(err)))
    print(render_rules.case_results_text(results, ruleset.origin))
    raise typer.Exit(0 if all(not d and not e for _, d, e in results) else 1)


def unknown_routes(case, ruleset) -> None:
    """A case that expects a route the rules do not have can never pass: say so plainly."""
    for cred_name, want in (case.data.get("expect") or {}).items():
        route = want.get("route") if isinstance(want, dict) else None
        cred = ruleset.credentials.get(str(cred_name).lower())
        if route is None or cred is None:
            continue
        ids = list(dict.fromkeys(r.id for r in cred.routes))
        if route not in ids:
            from ma_cli.profile import suggest

            raise InputError(f"expects route '{route}' for {cred.id}, but {cred.file} has no such route"
                             f"{suggest(str(route), ids)}; routes: {', '.join(ids) or 'none'}")
