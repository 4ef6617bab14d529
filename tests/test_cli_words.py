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


def _cert_args(command: str, certs: list[str]) -> list[str]:
    base = [a for a in BASE[command] if a not in ("--cert", "cma")]
    return [*base, *(word for cert in certs for word in ("--cert", cert))]


def test_renew_since_with_two_credentials_is_worded_as_a_repeat():
    r = run("renew", "--cert", "cma", "--cert", "rma", "--since", "2022-03-15", *AS_OF)
    assert r.exit_code == 2
    assert r.stderr == ("ma-cli: error: --cert given twice ('cma', then 'rma'); expected one --cert with --since "
                        "(the date of one credential's certification)\n")


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
    assert result.stderr == f"ma-cli: error: --ics {tmp_path}/no/x.ics: folder '{tmp_path}/no' not found " \
                            f"(expected an existing folder)\n"
