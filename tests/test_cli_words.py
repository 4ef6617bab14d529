"""How the CLI words bad input, as a class: every numeric option refuses a bad value in one shape, a
credential named twice reads alike in every command, and the exit-70 hint names a command that works."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ma_cli.base.errors import one_line
from ma_cli.commands import cli
from ma_cli.commands.app import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ENV = {"MA_CLI_DEBUG": None, "MA_CLI_RULES": None, "NO_COLOR": "1"}
AS_OF = ["--as-of", "2026-11-23"]
# what each command needs besides the option under test, so the option's value is what is refused
BASE = {
    "eligible": [*AS_OF],
    "plan": [*AS_OF],
    "renew": ["--cert", "cma", "--since", "2022-03-15", *AS_OF],
    "batch eligible": [str(EXAMPLES / "roster.csv"), *AS_OF],
    "batch renew": [str(EXAMPLES / "renewals.csv"), *AS_OF],
}
NUMERIC = {
    "eligible": {"--age", "--venipunctures", "--capillary-sticks", "--ekgs"},
    "plan": {"--age", "--venipunctures", "--capillary-sticks", "--ekgs"},
    "renew": {"--warn-days"},
    "batch eligible": {"--jobs"},
    "batch renew": {"--warn-days", "--jobs"},
}
BAD_NUMBERS = ["abc", "-1", "1e9", "", " ", "2.5", "0x10", "4_0", "١٧", "１８", "99999999999999999999999",
               "9" * 5000, "[red]x[/red]", "\x1b[31m", "\u202e7", "nan", "inf"]

runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, list(args), env={**ENV, **(env or {})})


def numeric_options() -> dict[str, set[str]]:
    """Every option of every command whose value is a number (its metavar starts with N: `N`, `N|auto`)."""
    cli._register(cli.COMMANDS)
    found: dict[str, set[str]] = {}

    def walk(command, path):
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))
        for param in command.params:
            if param.param_type_name == "option" and (param.metavar or "").split("|")[0] == "N":
                found.setdefault(" ".join(path), set()).add(param.opts[-1])

    walk(typer.main.get_command(app), ())
    return found


def test_the_numeric_options_are_the_ones_checked_here():
    # a new numeric option shows here first, and then is checked by the tests below
    assert numeric_options() == NUMERIC


CASES = [(command, option, value) for command, options in NUMERIC.items() for option in sorted(options)
         for value in BAD_NUMBERS]


@pytest.mark.parametrize("command, option, value", CASES,
                         ids=[f"{c}-{o}-{v[:12]!r}" for c, o, v in CASES])
def test_a_bad_number_is_one_line_naming_the_option_the_value_and_what_is_expected(command, option, value):
    result = run(*command.split(), *BASE[command], option, value)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    # ma-cli's own shape, whatever Click is installed: not Click's "Invalid value for '--age': ..."
    assert re.fullmatch(rf"ma-cli: error: {option}: .+ \(expected .+\)", line), line
    shown = one_line(value.strip())
    assert (shown if len(shown) <= 20 else shown[:12]) in line
    assert "\x1b" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("option", ["--age", "--venipunctures", "--ekgs"])
def test_a_number_flag_reads_as_the_same_field_of_a_profile(tmp_path, option):
    """The flag and the profile field share one reader: a refusal differs only in the place named."""
    field = option.lstrip("-")
    path = tmp_path / "p.yaml"
    path.write_text(f"{field}: -1\n" if field == "age" else f"skills:\n  {field}: -1\n", encoding="utf-8")
    by_flag = run("eligible", option, "-1", *AS_OF).stderr
    by_file = run("eligible", "--profile", str(path), *AS_OF).stderr
    assert by_flag.startswith(f"ma-cli: error: {option}: ")
    assert by_flag.rpartition(": ")[2] == by_file.rpartition(": ")[2]


def test_a_good_number_is_still_read():
    assert run("eligible", "--age", " 17 ", "--cert", "cma", *AS_OF).exit_code == 1
    r = run("renew", *BASE["renew"], "--warn-days", "3650", "--json")
    assert r.exit_code in (0, 3), r.output


# --- a credential named twice ------------------------------------------------------------------

@pytest.mark.parametrize("command", ["eligible", "plan", "renew", "batch eligible", "batch renew"])
@pytest.mark.parametrize("again", ["cma", "CMA", " cma"])
def test_one_credential_named_twice_is_that_credential_in_every_command(command, again):
    once = run(*command.split(), *BASE[command][:0], *_cert_args(command, ["cma"]))
    twice = run(*command.split(), *_cert_args(command, ["cma", again]))
    assert twice.exit_code == once.exit_code, twice.output
    assert twice.stdout == once.stdout and twice.stderr == once.stderr


@pytest.mark.parametrize("command", ["eligible", "plan", "batch eligible", "batch renew"])
@pytest.mark.parametrize("listed", ["cma,rma", "cma, rma", "CMA,RMA"])
def test_credentials_listed_with_commas_are_those_credentials_in_every_command(command, listed):
    repeated = run(*command.split(), *_cert_args(command, ["cma", "rma"]))
    commas = run(*command.split(), *_cert_args(command, [listed]))
    assert commas.exit_code == repeated.exit_code, commas.output
    assert commas.stdout == repeated.stdout and commas.stderr == repeated.stderr
    assert "RMA" in commas.stdout or "rma_" in commas.stdout


@pytest.mark.parametrize("listed", ["cma,", ",cma", "cma,,rma"])
def test_an_empty_name_in_a_list_of_credentials_is_refused(listed):
    r = run("eligible", *_cert_args("eligible", [listed]))
    assert r.exit_code == 2
    assert r.stderr == (f"ma-cli: error: --cert '{listed}': an empty name in the list (expected credential ids "
                        f"or fields separated by commas, e.g. cma,rma)\n")


def test_renew_since_with_two_credentials_in_a_list_is_refused():
    r = run("renew", "--cert", "cma,rma", "--since", "2022-03-15", *AS_OF)
    assert r.exit_code == 2 and "('cma', then 'rma')" in r.stderr


def _cert_args(command: str, certs: list[str]) -> list[str]:
    base = [a for a in BASE[command] if a not in ("--cert", "cma")]
    return [*base, *(word for cert in certs for word in ("--cert", cert))]


def test_renew_since_with_two_credentials_is_refused_naming_both():
    r = run("renew", "--cert", "cma", "--cert", "rma", "--since", "2022-03-15", *AS_OF)
    assert r.exit_code == 2
    assert r.stderr == ("ma-cli: error: --cert names two credentials ('cma', then 'rma'); expected one --cert with "
                        "--since (the date of one credential's certification)\n")


def test_renew_since_still_needs_a_cert():
    r = run("renew", "--since", "2022-03-15", *AS_OF)
    assert r.exit_code == 2
    assert r.stderr == "ma-cli: error: --since needs exactly one --cert, e.g. --cert cma --since 2022-03-15\n"


# --- the exit-70 hint -------------------------------------------------------------------------

@pytest.fixture
def broken_engine(monkeypatch):
    import ma_cli.reasoning.batch
    import ma_cli.reasoning.engine

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(ma_cli.reasoning.engine, "evaluate", boom)
    monkeypatch.setattr(ma_cli.reasoning.batch, "eligible_job", boom)  # a roster's rows are not answered by evaluate


@pytest.mark.parametrize("args", [
    ["eligible", "--program", "caahep", "--graduated", "2026-05-15", *AS_OF],
    ["batch", "eligible", str(EXAMPLES / "roster.csv"), *AS_OF],
], ids=["eligible", "batch eligible"])
def test_the_debug_hint_is_a_command_that_shows_the_traceback(broken_engine, args):
    r = run(*args)
    assert r.exit_code == 70
    hint = re.search(r"run it again as '(ma-cli [^']*) \.\.\.'", r.stderr)
    assert hint is not None, r.stderr
    words = hint.group(1).split()[1:]
    assert words[0] == "--debug" and args[:len(words) - 1] == words[1:]
    again = run(*words, *args[len(words) - 1:])
    assert isinstance(again.exception, RuntimeError)  # raised: Python prints its traceback


# --- every option of every command, given odd values -------------------------------------------

ODD = ["", " ", "[red]x[/red]", "\x1b[31m", "\u202e", "é", "-1", "99999999999999999999999", "a\nb"]
# what a command needs to get as far as its options (`rules show` its credential, `batch template` its file)
NEEDS = {**BASE, "rules show": ["cma"], "batch template": ["out.csv"]}


def value_options():
    cli._register(cli.COMMANDS)

    def walk(command, path):
        subs = getattr(command, "commands", {})
        for name, sub in subs.items():
            yield from walk(sub, (*path, name))
        if not subs:
            for param in command.params:
                if param.param_type_name == "option" and not param.is_flag and param.name != "help":
                    yield " ".join(path), param.opts[-1]

    return sorted(walk(typer.main.get_command(app), ()))


@pytest.mark.parametrize("command, option", value_options(), ids=[f"{c} {o}" for c, o in value_options()])
def test_odd_values_never_end_in_a_traceback_exit_70_or_an_escape(tmp_path, monkeypatch, command, option):
    monkeypatch.chdir(tmp_path)  # an output option writes its odd name here
    for value in ODD:
        result = run(*command.split(), *NEEDS.get(command, []), option, value)
        shown = f"{command} {option} {value!r}"
        assert result.exit_code != 70 and result.exception is None or isinstance(result.exception, SystemExit), shown
        assert "Traceback" not in result.output and "\x1b" not in result.output, shown
        if result.exit_code == 2:
            (line,) = result.stderr.splitlines()
            assert line.startswith("ma-cli: error: ") and result.stdout == "", shown


def test_a_staff_calendar_that_cannot_be_written_is_refused_before_the_rows_header(tmp_path):
    result = run("batch", "renew", str(EXAMPLES / "renewals.csv"), *AS_OF, "--ics", str(tmp_path / "no" / "x.ics"))
    assert result.exit_code == 2
    assert result.stdout == ""  # it printed the CSV header, then the error
    assert result.stderr == f"ma-cli: error: --ics: '{tmp_path}/no/x.ics' is in folder '{tmp_path}/no', which is " \
                            f"not found (expected a file name in an existing folder, or - for standard output)\n"


# --- every file and folder name --------------------------------------------------------------

# what each file or folder option or argument (as --help names it) must name: a file to read, a folder,
# either, or a file to write
PATHS = {
    "eligible": {"--profile": "file", "--rules": "folder"},
    "plan": {"--profile": "file", "--rules": "folder", "--ics": "written", "--html": "written"},
    "renew": {"--profile": "file", "--ce-log": "file", "--rules": "folder", "--ics": "written"},
    "batch eligible": {"ROSTER": "file", "-o": "written", "--rules": "folder"},
    "batch renew": {"ROSTER": "file", "-o": "written", "--rules": "folder", "--ce-dir": "folder", "--ics": "written"},
    "batch template": {"FILE": "written"},
    "rules list": {"--rules": "folder"},
    "rules show": {"--rules": "folder"},
    "rules validate": {"PATH": "either", "--rules": "folder"},
    "rules test": {"CASES": "either", "--rules": "folder"},
}
NAME_METAVARS = {"FILE", "DIR", "PATH", "ROSTER", "CASES"}
MARKUP, ESCAPE = "[red]x[/red]", "\x1b[31m"


def path_parameters() -> dict[str, dict[str, str]]:
    """Every option or argument of every command that takes a file or folder name (by its metavar)."""
    cli._register(cli.COMMANDS)
    found: dict[str, dict[str, str]] = {}

    def walk(command, path):
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))
        for param in command.params:
            if param.metavar in NAME_METAVARS:
                shown = param.metavar if param.param_type_name == "argument" else param.opts[0]
                found.setdefault(" ".join(path), {})[shown] = PATHS.get(" ".join(path), {}).get(shown, "?")

    walk(typer.main.get_command(app), ())
    return found


def test_the_path_parameters_are_the_ones_checked_here():
    # a new file or folder option shows here first (with '?'), and then is checked by the tests below
    assert path_parameters() == PATHS


def bad_names(kind: str, tmp: Path) -> list[tuple[str, str]]:
    """(what is wrong, the name) for a parameter of this kind; tmp holds a file `f.csv` and a folder `d`."""
    names = [("empty", "")]
    if kind == "written":  # a markup or escape name that is only missing would be written: put it in no folder
        names += [("folder", str(tmp / "d")), ("missing folder", str(tmp / "no" / "out.csv")),
                  ("through a file", str(tmp / "f.csv" / "out.csv")),
                  ("markup", str(tmp / MARKUP / "out.csv")), ("escape", str(tmp / ESCAPE / "out.csv"))]
    else:
        names += [("missing", str(tmp / "missing.csv")), ("markup", str(tmp / MARKUP)),
                  ("escape", str(tmp / ESCAPE))]
        if kind == "file":
            names.append(("folder", str(tmp / "d")))
        if kind == "folder":
            names.append(("file", str(tmp / "f.csv")))
    return names


PATH_CASES = [(command, name, kind) for command, params in PATHS.items() for name, kind in sorted(params.items())]


def args_with(command: str, name: str, value: str) -> list[str]:
    """The command's words with `value` given to the option or argument `name`, the rest as NEEDS has them."""
    needs = list(NEEDS.get(command, []))
    if name.isupper():  # the command's one argument: the value takes its place
        needs = [a for a in needs if a not in ("out.csv", str(EXAMPLES / "roster.csv"), str(EXAMPLES / "renewals.csv"))]
        return [*command.split(), value, *needs]
    return [*command.split(), *needs, name, value]


@pytest.mark.parametrize("command, name, kind", PATH_CASES, ids=[f"{c} {n}" for c, n, _ in PATH_CASES])
def test_a_bad_file_or_folder_name_is_one_line_naming_the_parameter_the_name_and_what_is_expected(
        tmp_path, monkeypatch, command, name, kind):
    monkeypatch.chdir(tmp_path)  # nothing is written, but if it were, here
    (tmp_path / "f.csv").write_text("name\n", encoding="utf-8")
    (tmp_path / "d").mkdir()
    for wrong, value in bad_names(kind, tmp_path):
        result = run(*args_with(command, name, value))
        shown = f"{command} {name} {wrong} {value!r}"
        assert result.exit_code == 2, (shown, result.output)
        assert result.stdout == "", shown
        (line,) = result.stderr.splitlines()
        # ma-cli's own shape, whatever Click is installed: not Click's "Invalid value for '--profile': ..."
        quoted = re.escape(f"'{one_line(value)}'")
        assert re.fullmatch(rf"ma-cli: error: {re.escape(name)}: {quoted} .+ \(expected .+\)", line), (shown, line)
        assert "\x1b" not in result.stderr and "Traceback" not in result.stderr, shown
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "f.csv"]  # nothing was written


def test_what_is_wrong_with_a_name_is_said():
    assert run("eligible", "--profile", "").stderr == \
        "ma-cli: error: --profile: '' is an empty name (expected a profile file, or - for standard input)\n"
    assert run("batch", "eligible", str(EXAMPLES), *AS_OF).stderr == \
        f"ma-cli: error: ROSTER: '{EXAMPLES}' is a folder (expected a CSV or .xlsx roster file, or - for standard input)\n"
    assert run("eligible", "--rules", str(EXAMPLES / "roster.csv")).stderr == \
        f"ma-cli: error: --rules: '{EXAMPLES}/roster.csv' is a file (expected a folder of rule files (*.yaml or *.yml))\n"
    assert run("rules", "test", str(EXAMPLES / "nothing")).stderr == \
        f"ma-cli: error: CASES: '{EXAMPLES}/nothing' is not found (expected a case file or a folder of *.yaml case files)\n"


def test_a_rule_folder_set_in_the_environment_is_named_by_its_variable(tmp_path):
    r = run("rules", "list", env={"MA_CLI_RULES": str(tmp_path / "gone")})
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == (f"ma-cli: error: MA_CLI_RULES: '{tmp_path}/gone' is not found "
                        f"(expected a folder of rule files (*.yaml or *.yml))\n")


def test_good_names_are_still_read(tmp_path):
    # standard input, a file, an output beside the roster, and a name with markup in an existing folder
    person = (EXAMPLES / "person.yaml").read_text(encoding="utf-8")
    assert runner.invoke(app, ["eligible", "--profile", "-", *AS_OF], input=person, env=ENV).exit_code in (0, 1)
    assert run("eligible", "--profile", str(EXAMPLES / "person.yaml"), *AS_OF).exit_code in (0, 1)
    out = tmp_path / "[red]x.csv"  # (markup in a name; [/red] would be a folder)
    r = run("batch", "eligible", str(EXAMPLES / "roster.csv"), *AS_OF, "-o", str(out))
    assert r.exit_code == 0, r.output
    assert out.is_file()
    assert run("rules", "validate", str(ROOT / "rules")).exit_code == 0
    assert run("rules", "validate", str(ROOT / "rules" / "cma.yaml")).exit_code == 0


@pytest.mark.parametrize("option", ["--show-completion", "--install-completion"])
@pytest.mark.parametrize("value", ["x", MARKUP, ESCAPE])
def test_an_unknown_shell_is_one_line_in_the_same_shape(option, value):
    r = run(option, value)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == (f"ma-cli: error: {option}: '{one_line(value)}' is not a shell ma-cli completes (expected one "
                        f"of: bash, zsh, fish)\n")


def test_an_extra_argument_is_refused_before_the_roster_is_looked_for(tmp_path):
    # an unquoted name with a space: the second word is the problem, not that the first is not found
    r = run("batch", "eligible", str(tmp_path / "my"), "roster.csv", *AS_OF)
    assert r.exit_code == 2
    assert r.stderr.startswith("ma-cli: error: more arguments than expected: roster.csv (expected ROSTER)")
