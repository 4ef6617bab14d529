"""The habits of command-line tools: -h, examples in every help, whole summaries, shell completion,
the roster columns from the CLI itself."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ma_cli.commands.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
ENV = {"MA_CLI_DEBUG": None, "MA_CLI_RULES": None, "COLUMNS": "100"}

COMMANDS = [[], ["eligible"], ["plan"], ["renew"], ["rules"], ["rules", "list"], ["rules", "show"],
            ["rules", "validate"], ["rules", "test"], ["batch"], ["batch", "eligible"], ["batch", "renew"],
            ["batch", "columns"], ["batch", "template"], ["schema"]]


def run(*args, input=None, env=None):
    return runner.invoke(app, list(args), input=input, env={**ENV, **(env or {})})


def help_of(command):
    r = run(*command, "--help")
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_h_is_help(command):
    r = run(*command, "-h")
    assert r.exit_code == 0, r.output
    assert r.stdout == help_of(command)


def examples_of(text: str) -> list[str]:
    tail = text.rsplit("Examples:", 1)[1]
    return [line.strip() for line in tail.splitlines() if line.strip()]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_help_ends_with_two_or_three_examples(command):
    text = help_of(command)
    assert "Examples:" in text
    found = examples_of(text)
    assert 2 <= len(found) <= 3, found
    assert all(line.startswith("ma-cli ") for line in found)
    if command:  # a command's examples run that command
        assert all(line.split()[1:1 + len(command)] == command for line in found), found


def all_examples() -> list[str]:
    return sorted({line for command in COMMANDS for line in examples_of(help_of(command))})


def test_the_examples_are_real(tmp_path, monkeypatch):
    """Each example, run from a folder holding the project's examples/, rules/ and tests/cases/, gives an answer."""
    for folder in ("examples", "rules", "tests/cases"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    for line in all_examples():
        words = shlex.split(line)[1:]
        stdin = None
        if "<" in words:
            at = words.index("<")
            stdin = Path(words[at + 1]).read_text(encoding="utf-8")
            words = words[:at] + words[at + 2:]
        if ">" in words:
            words = words[:words.index(">")]
        if "--install-completion" in words:
            continue
        r = run(*words, input=stdin)
        assert r.exit_code in (0, 1, 3), (line, r.output)
        written = [words[i + 1] for i, w in enumerate(words) if w in ("-o", "--ics") and words[i + 1] != "-"]
        if words[:2] == ["batch", "template"] and words[2] != "-":
            written.append(words[2])  # the file it writes is its argument
        assert r.stdout or all(Path(w).is_file() for w in written) and written, line


def test_command_lists_show_whole_summaries():
    for group in ([], ["rules"], ["batch"]):
        listed = help_of(group).split("Commands:")[1].split("Examples:")[0]
        assert "..." not in listed, listed
    assert "by which route, and until when" in " ".join(help_of([]).split())


def test_usage_lines_read_plainly():
    assert "Usage: ma-cli batch eligible [OPTIONS] ROSTER" in help_of(["batch", "eligible"])
    assert "Usage: ma-cli rules show [OPTIONS] CREDENTIAL" in help_of(["rules", "show"])
    for command in COMMANDS:
        assert "{" not in help_of(command).splitlines()[0]


def test_batch_help_points_at_the_cli_not_a_readme():
    text = help_of(["batch"])
    assert "README" not in text and "ma-cli batch columns" in " ".join(text.split())


def test_batch_columns_lists_what_the_roster_reads():
    from ma_cli.inputs import roster, roster_renew

    r = run("batch", "columns")
    assert r.exit_code == 0
    assert [line.split()[0] for line in r.stdout.splitlines()] == list(roster.COLUMNS)
    assert "FROM..TO" in r.stdout
    r = run("batch", "columns", "renew", "--header")
    assert r.stdout == ",".join(roster_renew.COLUMNS) + "\n"
    r = run("batch", "columns", "spreadsheet")
    assert r.exit_code == 2 and "expected eligible or renew" in r.stderr


# --- shell completion ------------------------------------------------------------------------

def complete(env: dict) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("_MA_CLI", "_TYPER", "COMP_"))}
    return subprocess.run([sys.executable, "-m", "ma_cli"], env={**full, **env}, capture_output=True,
                          text=True, timeout=60)


def bash(line: str) -> list[str]:
    words = line.split(" ")
    r = complete({"_MA_CLI_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)})
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_the_script_for_a_named_shell(shell):
    r = run("--show-completion", shell)
    assert r.exit_code == 0, r.output
    assert "_MA_CLI_COMPLETE" in r.stdout and "ma-cli" in r.stdout


def test_show_completion_refuses_an_unknown_shell_in_one_line():
    r = run("--show-completion", "tcsh")
    assert r.exit_code == 2 and r.stdout == ""
    (line,) = r.stderr.splitlines()
    assert line.startswith("ma-cli: error:") and "bash, zsh, fish" in line


@pytest.mark.parametrize("shell, written", [("bash", ".bash_completions/ma-cli.sh"), ("zsh", ".zfunc/_ma-cli"),
                                            ("fish", ".config/fish/completions/ma-cli.fish")])
def test_install_completion_writes_under_home(tmp_path, shell, written):
    r = run("--install-completion", shell, env={"HOME": str(tmp_path)})
    assert r.exit_code == 0, r.output
    assert (tmp_path / written).is_file()
    assert "_MA_CLI_COMPLETE" in (tmp_path / written).read_text()
    assert str(tmp_path / written) in r.stdout


@pytest.mark.parametrize("instruction", ["source_bash", "bash_source"])
def test_the_completion_variable_gives_the_script_either_way_round(instruction):
    r = complete({"_MA_CLI_COMPLETE": instruction})
    assert r.returncode == 0 and "complete -o default -F" in r.stdout, r.stderr


@pytest.mark.parametrize("env, says", [
    # Click said "Invalid completion instruction." and exited 1, which reads as "not eligible"
    ({"_MA_CLI_COMPLETE": "garbage"}, "_MA_CLI_COMPLETE=garbage: not a completion request ma-cli knows"),
    ({"_MA_CLI_COMPLETE": "complete_powershell"}, "not a completion request ma-cli knows"),
    ({"_MA_CLI_COMPLETE": "x\x1b[31m"}, "_MA_CLI_COMPLETE=x\\x1b[31m:"),
    # a completion request without the shell's variables was "internal error: KeyError: 'COMP_WORDS'", exit 70
    ({"_MA_CLI_COMPLETE": "complete_bash"}, "_MA_CLI_COMPLETE=complete_bash: COMP_WORDS and COMP_CWORD are not set"),
    ({"_MA_CLI_COMPLETE": "complete_bash", "COMP_WORDS": "ma-cli eli"}, ": COMP_CWORD is not set"),
    ({"_MA_CLI_COMPLETE": "bash_complete", "COMP_WORDS": "ma-cli eli", "COMP_CWORD": "x"},
     "COMP_CWORD is 'x', not a whole number"),
])
def test_a_malformed_completion_request_is_one_line_exit_2(env, says):
    r = complete({**env, "MA_CLI_DEBUG": ""})
    assert r.returncode == 2 and r.stdout == "", (r.returncode, r.stdout)
    (line,) = r.stderr.splitlines()
    assert line.startswith("ma-cli: error: ") and says in line, line
    assert "Error" not in line  # ma-cli's words, not Python's (KeyError: 'COMP_WORDS')


@pytest.mark.parametrize("shell", ["powershell", "pwsh"])
def test_powershell_is_not_installed(tmp_path, shell):
    """README: completion for bash, zsh and fish, and ma-cli starts no other program (Typer's PowerShell
    install starts `pwsh`: a FileNotFoundError, exit 70, where it is not installed)."""
    r = run("--install-completion", shell, env={"HOME": str(tmp_path)})
    assert r.exit_code == 2 and "expected one of: bash, zsh, fish" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_roster_run_leaves_no_file_open():
    """The roster's text reader was let go at its last line while its file was still open: a ResourceWarning
    (shown with PYTHONWARNINGS=default) for every CSV run."""
    for args in (["batch", "eligible", "examples/roster.csv"], ["batch", "renew", "examples/renewals.csv"]):
        r = subprocess.run([sys.executable, "-W", "error::ResourceWarning", "-m", "ma_cli", *args,
                            "--as-of", "2026-11-23", "--format", "jsonl"], cwd=ROOT, capture_output=True,
                           text=True, timeout=120)
        assert r.returncode in (0, 3), r.stderr
        assert "ResourceWarning" not in r.stderr and "Exception ignored" not in r.stderr, r.stderr


def test_completion_offers_commands_credentials_programs_and_files():
    assert bash("ma-cli eli") == ["eligible"]
    assert bash("ma-cli batch ") == ["eligible", "renew", "columns", "template"]
    assert bash("ma-cli eligible --cert ") == ["ccma", "cet", "cma", "cmaa", "cmac", "cmas", "coa", "cpt", "ncet",
                                               "ncma", "ncpt", "pbt", "rma", "rpt"]
    assert bash("ma-cli renew --cert cm") == ["cma", "cmaa", "cmac", "cmas"]
    # a list (--cert cma,rma): the last name is completed, the ones before it kept and not offered again
    assert bash("ma-cli eligible --cert cma,r") == ["cma,rma", "cma,rpt"]
    assert bash("ma-cli batch eligible x.csv --cert rma,cma,cm") == ["rma,cma,cmaa", "rma,cma,cmac", "rma,cma,cmas"]
    assert bash("ma-cli plan --program ") == ["caahep", "abhes", "institutional", "none", "naacls", "coa-omp",
                                              "independent-study"]
    assert bash("ma-cli rules show r") == ["rma", "rpt"]
    assert bash("ma-cli batch eligible x.csv --format j") == ["jsonl", "json"]
    # a file: no words of ours, so the shell lists files (bash -o default, zsh _files, fish files)
    assert bash("ma-cli eligible --profile ex") == []
    assert bash("ma-cli batch eligible ") == []
    zsh = complete({"_MA_CLI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "ma-cli renew --ce-log "})
    assert zsh.stdout.strip() == "_files"
    fish = complete({"_MA_CLI_COMPLETE": "complete_fish", "_TYPER_COMPLETE_FISH_ACTION": "get-args",
                     "_TYPER_COMPLETE_ARGS": "ma-cli eligible --cert c"})
    assert fish.stdout.split() == ["ccma", "cet", "cma", "cmaa", "cmac", "cmas", "coa", "cpt"]


# --- one syntax for work periods ---------------------------------------------------------------

def eligible_json(*args):
    import json

    r = run("eligible", "--as-of", "2026-11-23", "--json", "--explain", *args)
    assert r.exit_code in (0, 1, 3), r.output
    return json.loads(r.stdout)


@pytest.mark.parametrize("dots, colon", [
    ("2024-10-01..present", "2024-10-01:present"),
    ("2021-01..2023-06@20", "2021-01:2023-06@20"),
    ("2024-10-01..", "2024-10-01:"),
    ("instructor:2020-01-01..2024-12-31", "instructor:2020-01-01:2024-12-31"),
])
def test_work_flag_reads_the_roster_form_and_the_old_one_alike(dots, colon):
    assert eligible_json("--work", dots) == eligible_json("--work", colon)


def test_work_flag_answers_as_the_roster_cell(tmp_path):
    import json

    cell = "2021-01-01..2023-06-30@40;instructor:2024-01-01..present@20"
    roster = tmp_path / "r.csv"
    roster.write_text(f"id,work,high_school\ns-1,{cell},yes\n", encoding="utf-8")
    batch = run("batch", "eligible", str(roster), "--as-of", "2026-11-23", "--format", "jsonl")
    row = json.loads(batch.stdout)
    flags = eligible_json("--work", "2021-01-01..2023-06-30@40", "--work", "instructor:2024-01-01..present@20",
                          "--high-school")
    assert {r["credential"]: r["status"] for r in flags["results"]} == \
        {c: v["answer"] for c, v in row["results"].items()}


# --- '-' is standard input for every input, standard output for every output ----------------------

PERSON = ROOT / "examples" / "person.yaml"
CE_CSV = ROOT / "examples" / "ce" / "chloe.csv"


@pytest.mark.parametrize("command", [["eligible", "--json"], ["plan", "--json", "--cert", "cma"],
                                     ["renew", "--json"], ["eligible"], ["renew"]])
def test_profile_dash_reads_standard_input(command):
    from_file = run(*command, "--profile", str(PERSON), "--as-of", "2026-11-23")
    from_stdin = run(*command, "--profile", "-", "--as-of", "2026-11-23", input=PERSON.read_text(encoding="utf-8"))
    assert from_stdin.exit_code == from_file.exit_code != 2
    assert from_stdin.stdout == from_file.stdout.replace(str(PERSON), "<stdin>")


def test_ce_log_dash_reads_csv_or_yaml_from_standard_input():
    args = ["renew", "--cert", "cma", "--since", "2022-03-15", "--as-of", "2026-11-23", "--json"]
    from_file = run(*args, "--ce-log", str(CE_CSV))
    from_stdin = run(*args, "--ce-log", "-", input=CE_CSV.read_text(encoding="utf-8"))
    assert from_stdin.exit_code == from_file.exit_code != 2
    assert from_stdin.stdout == from_file.stdout.replace(str(CE_CSV), "<stdin>")
    yaml_log = "# earned\n- {date: 2024-02-10, credits: 10, category: clinical, approved: yes}\n"
    r = run(*args, "--ce-log", "-", input=yaml_log)
    assert r.exit_code != 2, r.stderr
    assert '"counted": 10' in r.stdout


def test_standard_input_is_read_once():
    r = run("renew", "--profile", "-", "--ce-log", "-", input="")
    assert r.exit_code == 2 and "standard input can be read once" in r.stderr


def test_a_bad_profile_on_standard_input_is_named_stdin():
    r = run("eligible", "--profile", "-", input="age: [\n")
    assert r.exit_code == 2 and r.stderr.startswith("ma-cli: error: <stdin>:")


def test_o_dash_is_standard_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    roster = str(ROOT / "examples" / "roster.csv")
    plain = run("batch", "eligible", roster, "--as-of", "2026-11-23")
    dash = run("batch", "eligible", roster, "--as-of", "2026-11-23", "-o", "-")
    assert dash.exit_code == 0 and dash.stdout == plain.stdout
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("command", [["renew", "--cert", "cma", "--since", "2022-03-15"],
                                     ["plan", "--program", "caahep", "--graduated", "2026-05-15"]])
def test_ics_dash_prints_the_calendar(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    r = run(*command, "--as-of", "2026-11-23", "--ics", "-")
    assert r.exit_code in (0, 1, 3), r.output
    assert r.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n") and r.stdout_bytes.endswith(b"END:VCALENDAR\r\n")
    assert not (tmp_path / "-").exists()
    r = run(*command, "--as-of", "2026-11-23", "--ics", "-", "--json")
    assert r.exit_code == 2 and "both would print to standard output" in r.stderr


# --- rules test from an installed wheel ----------------------------------------------------------

def test_the_wheel_ships_the_cases_where_rules_test_looks():
    import tomllib

    from ma_cli.commands import cmd_rules

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = project["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    for name in cmd_rules.CASE_DIRS:
        assert shipped[f"tests/{name}"] == f"ma_cli/{cmd_rules.CASES_DATA.name}/{name}"
    assert shipped["rules"] == "ma_cli/rules_data"


def test_rules_test_runs_the_shipped_cases(tmp_path, monkeypatch):
    """As installed from a wheel: the cases sit in ma_cli/cases_data, and no checkout is near."""
    from ma_cli.commands import cmd_rules

    for name in cmd_rules.CASE_DIRS:
        shutil.copytree(ROOT / "tests" / name, tmp_path / "cases_data" / name)
    monkeypatch.setattr(cmd_rules, "CASES_DATA", tmp_path / "cases_data")
    monkeypatch.chdir(tmp_path)
    r = run("rules", "test")
    assert r.exit_code == 0, r.output
    assert " 0 failed" in r.stdout
    monkeypatch.setattr(cmd_rules, "CASES_DATA", tmp_path / "nothing")
    monkeypatch.setattr("ma_cli.ruleset.rules.bundled_rules_dir", lambda: tmp_path / "rules")
    r = run("rules", "test")
    assert r.exit_code == 2 and "give case files or folders" in r.stderr


# --- wording ---------------------------------------------------------------------------------------

def test_a_requirement_every_route_shares_is_said_once(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("failed_attempts: {cma: 3}\nprograms:\n  - {accreditation: caahep, completed: 2026-05-15}\n",
                    encoding="utf-8")
    (result,) = eligible_json("--profile", str(path), "--cert", "cma")["results"]
    assert result["status"] == "not_eligible"
    assert sum("failed attempts" in r for r in result["reasons"]) == 1, result["reasons"]
    table = run("eligible", "--profile", str(path), "--cert", "cma", "--as-of", "2026-11-23", env={"COLUMNS": "200"})
    assert table.stdout.count("Fewer than three failed attempts") == 1, table.stdout


def test_one_year_is_a_year_and_no_program_is_an_unaccredited_one():
    doc = eligible_json("--work", "2025-06-01..present", "--cert", "cmac", "--high-school")
    text = json.dumps(doc)
    assert "in the 1 years" not in text and "in the year to 2026-11-23" in text
    doc = eligible_json("--program", "none", "--graduated", "2025-12-01", "--age", "18", "--cert", "cmac")
    text = json.dumps(doc)
    assert "none program" not in text and "unaccredited program, completed 2025-12-01" in text


# --- layouts: a pipe, a narrow terminal, absurd COLUMNS ------------------------------------------------

PERSON_ARGS = ["--profile", str(PERSON), "--as-of", "2026-11-23"]
LAYOUT_COMMANDS = [["eligible", *PERSON_ARGS], ["eligible", *PERSON_ARGS, "--explain", "--cert", "cma"],
                   ["plan", *PERSON_ARGS, "--cert", "cma", "--cert", "cmac"],
                   ["renew", *PERSON_ARGS, "--ce-log", str(CE_CSV)]]


def answers_of(command):
    """What the table must still say: every credential's name and answer, from the JSON."""
    r = run(*[a for a in command if a != "--explain"], "--json")
    doc = json.loads(r.stdout)
    items = doc.get("results") or doc.get("plans")
    return [(i["name"], (i.get("status") or i["now"]["status"]).replace("_", " ")) for i in items]


def shown(name: str, status: str, text: str) -> bool:
    """An answer is in the text as 'NAME: status', or, not eligible in a field the person gives no facts
    for, by its id in that field's one folded entry (fields.py)."""
    if f"{name}: {status}" in text:
        return True
    short = name.split()[0]
    flat = " ".join(text.split())
    return status == "not eligible" and any(short in part.split(":")[0] for part in flat.split(" - ")[1:]
                                            if "given (--cert" in part)


@pytest.mark.parametrize("command", LAYOUT_COMMANDS, ids=lambda c: " ".join(c[:1] + c[5:]))
def test_a_pipe_gets_a_plain_layout_with_the_id_and_the_date(command):
    r = run(*command)
    assert r.exit_code in (0, 1, 3), r.output
    first = r.stdout.splitlines()[0]
    assert "s-0042" in first and "2026-11-23" in first
    assert not set("┏┃━│└") & set(r.stdout)
    for name, status in answers_of(command):
        assert shown(name, status, r.stdout), name


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setattr("ma_cli.output.render_plain.is_terminal", lambda: True)


@pytest.mark.parametrize("command", LAYOUT_COMMANDS, ids=lambda c: " ".join(c[:1] + c[5:]))
def test_a_40_column_terminal_keeps_every_column_meaning(terminal, command):
    r = run(*command, env={"COLUMNS": "40"})
    assert r.exit_code in (0, 1, 3), r.output
    for line in r.stdout.splitlines():  # only a word longer than the line (a URL) may pass the edge
        assert len(line) <= 40 or max(map(len, line.split())) > 30, line
    assert "…" not in r.stdout.replace("to …", "")
    for name, status in answers_of(command):
        assert shown(name, status, r.stdout), name
    if command[0] == "eligible":
        assert "route: " in r.stdout and "- " in r.stdout  # the route, or why not
    if command[0] == "renew":
        assert "due: 2027-03-31" in r.stdout and "CE: 22 of 60 points" in r.stdout


@pytest.mark.parametrize("columns", [40, 50, 60])
def test_a_plan_timeline_fits_a_narrow_terminal(terminal, columns):
    """A stretch's days and answer ('    2026-11-23 to 2027-05-15  not eligible  ') reached 48 columns at 40:
    narrow, the days stand on a line of their own, for every stretch alike."""
    r = run("plan", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--cert", "cma",
            "--cert", "rma", env={"COLUMNS": str(columns)})
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert max(map(len, lines)) <= columns
    timeline = lines[lines.index("  timeline:") + 1:]
    assert timeline[0].strip() == "2026-11-23 to 2027-05-15" or timeline[0].split()[3] == "eligible", timeline
    assert "2027-05-16 to …" in r.stdout and "Category 2, nonrecent" in " ".join(r.stdout.split())


@pytest.mark.parametrize("command", LAYOUT_COMMANDS + [["plan", "--program", "caahep", "--expected", "2026-12-10",
                                                        "--as-of", "2026-10-31", "--cert", "cma", "--cert", "rma"]],
                         ids=lambda c: " ".join(c[:1] + c[5:]))
def test_a_narrow_terminal_ends_no_line_in_spaces(terminal, command):
    """As a pipe gets it: Rich 15 kept the spaces after an answer with no route words ('not eligible  '),
    Rich 13 did not, so the same terminal showed different text with the version installed."""
    r = run(*command, env={"COLUMNS": "40"})
    assert r.exit_code in (0, 1, 3), r.output
    assert [line for line in r.stdout.splitlines() if line != line.rstrip()] == []


@pytest.mark.parametrize("columns", ["0", "-5", "abc", "3", "100000", ""])
def test_absurd_columns_still_print_the_answer(terminal, columns):
    for command in (["renew", "--cert", "cma", "--since", "2022-03-15", "--as-of", "2026-11-23"],
                    ["eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23"]):
        r = run(*command, env={"COLUMNS": columns})
        assert r.exit_code == 0, r.output
        assert "CMA (AAMA)" in r.stdout and ("current" in r.stdout or "eligible" in r.stdout)
        assert max(map(len, r.stdout.splitlines())) <= 300


def test_explain_at_80_columns_indents_continuations_and_keeps_urls_whole(terminal):
    command = ["eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--cert", "cma"]
    r = run(*command, "--explain", env={"COLUMNS": "80"})
    assert r.exit_code == 0
    trace = r.stdout.split("CMA (AAMA): eligible", 1)[1].split("Rules:")[0]
    for line in trace.splitlines():
        assert not line or line.startswith(" "), line  # a continuation sits under its text, not at column 0
    doc = json.loads(run(*command, "--explain", "--json").stdout)
    urls = {c["source"] for route in doc["results"][0]["trace"] for c in route["conditions"] if c["source"]}
    assert urls and all(url in r.stdout for url in urls)


@pytest.fixture
def oldest_typer_arguments(monkeypatch):
    """Arguments as Typer 0.19 (the oldest pyproject allows) makes them under the newest Click.

    Typer 0.19 sets an argument's help before calling Click's Parameter.__init__, which since Click 8.5
    sets it again, to None; with Rich installed it escapes the `[required]` it appends for Rich markup
    even when markup is off; and it shows an explicit metavar as given (`CASES`, not `[CASES]`).
    """
    from typer.core import TyperArgument

    init, record, metavar = TyperArgument.__init__, TyperArgument.get_help_record, TyperArgument.make_metavar

    def init_losing_help(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.help = None

    def escaped_record(self, ctx):
        name, text = record(self, ctx)
        return name, text.replace("\\[", "[").replace("[", "\\[")  # (once, whichever Typer runs)

    def metavar_as_given(self, ctx=None, **kwargs):
        return self.metavar if self.metavar is not None else metavar(self, ctx, **kwargs)

    monkeypatch.setattr(TyperArgument, "__init__", init_losing_help)
    monkeypatch.setattr(TyperArgument, "get_help_record", escaped_record)
    monkeypatch.setattr(TyperArgument, "make_metavar", metavar_as_given)


@pytest.mark.parametrize("command", [["batch", "eligible"], ["batch", "renew"], ["rules", "test"]], ids=" ".join)
def test_help_names_each_argument_and_its_description_at_every_typer(command, request):
    """The ROSTER argument's description, and every help row, read the same at the oldest and newest Typer."""
    newest = help_of(command)
    request.getfixturevalue("oldest_typer_arguments")
    oldest = help_of(command)
    if command[0] == "batch":
        assert "ROSTER The roster: a CSV or .xlsx file, or - for CSV on standard input." in " ".join(oldest.split())
    else:
        assert "Usage: ma-cli rules test [OPTIONS] [CASES]" in oldest, oldest
    assert "\\[" not in oldest
    assert oldest == newest


# --- an option that holds one value, given more than once -----------------------------------------

@pytest.mark.parametrize("args", [
    ["--as-of", "2026-11-23", "--as-of", "2026-11-23"],     # a script's default repeated: the same value
    ["--as-of", "2026-11-23", "--as-of=2026-11-23"],        # written the other way
    ["--json", "--json"],                                    # a flag twice
    ["--work", "2024-01-01..present", "--work", "2025-06-01..present"],  # repeatable: both kept
])
def test_an_option_repeated_with_the_same_value_or_a_repeatable_one_runs(args):
    r = run("eligible", "--program", "caahep", "--graduated", "2026-05-15", *args)
    assert r.exit_code == 0, r.stderr


def test_a_value_that_looks_like_an_option_is_the_value_not_a_repeat(tmp_path, monkeypatch):
    # the word after -o is its value, even when it reads like an option the command has
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.csv").write_text("id,program,completed\ns1,caahep,2026-05-15\n")
    r = run("batch", "eligible", "r.csv", "--as-of", "2026-11-23", "-o", "--as-of")
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "--as-of").read_text().startswith("id,line,status")


def test_the_help_is_shown_whatever_else_is_repeated():
    r = run("eligible", "--as-of", "2026-11-23", "--as-of", "2026-11-24", "--help")
    assert r.exit_code == 0 and r.stdout.startswith("Usage: ma-cli eligible")


# --- a flag's date reads as a cell's and a file's -----------------------------------------------

DATE_FLAG_CALLS = [  # {D}: the date under test, every date flag of every command
    ["eligible", "--program", "caahep", "--graduated", "{D}", "--as-of", "2026-11-23", "--json"],
    ["eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "{D}", "--json"],
    ["eligible", "--program", "caahep", "--expected", "{D}", "--as-of", "2026-01-05", "--json"],
    ["eligible", "--military", "{D}", "--as-of", "2026-11-23", "--json"],
    ["eligible", "--work", "{D}..present", "--as-of", "2027-11-23", "--json"],
    ["eligible", "--work", "2024-01-01..{D}", "--as-of", "2027-11-23", "--json"],
    ["eligible", "--held", "rma:{D}", "--as-of", "2027-11-23", "--cert", "cmas", "--json"],
    ["plan", "--program", "caahep", "--expected", "{D}", "--as-of", "2026-01-05", "--cert", "cma", "--json"],
    ["renew", "--cert", "cma", "--since", "{D}", "--as-of", "2027-11-23", "--json"],
]


ASSUME_CALLS = [  # the dates inside a plan's what-ifs, each of its forms with a date
    ["plan", "--work", "2024-01-01..present", "--assume", "work: 20h/week from {D}", "--as-of", "2026-01-05", "--json"],
    ["plan", "--work", "2024-01-01..present", "--assume", "work: full-time from 2026-02-01 to {D}",
     "--as-of", "2026-01-05", "--json"],
    ["plan", "--assume", "program: caahep, completed {D}", "--as-of", "2026-01-05", "--cert", "cma", "--json"],
    ["plan", "--assume", "military: completed {D}", "--as-of", "2026-01-05", "--json"],
    ["plan", "--work", "2024-01-01..present", "--assume", "high-school: {D}", "--as-of", "2026-01-05", "--json"],
    ["plan", "--assume", "held: rma since {D}", "--as-of", "2027-01-05", "--cert", "cmas", "--json"],
]


@pytest.mark.parametrize("call", DATE_FLAG_CALLS + ASSUME_CALLS, ids=lambda c: " ".join(c[:3]))
@pytest.mark.parametrize("stamp", [" 00:00:00", "T00:00:00", " 0:00", "T00:00:00Z", " 00:00:00+00:00", " 00:00 "])
def test_a_date_flag_takes_an_exports_midnight_as_cells_and_files_do(call, stamp):
    # a script passing a spreadsheet's datetime through (`2026-05-15 00:00:00`) was refused by the flags
    # alone: a roster cell, a profile and a CE log read it as the date
    plain = run(*[a.replace("{D}", "2026-05-15") for a in call])
    stamped = run(*[a.replace("{D}", "2026-05-15" + stamp) for a in call])
    assert plain.exit_code in (0, 1, 3), plain.output
    # (a plan names its what-ifs as typed, the time with them)
    said = stamped.stdout.replace("2026-05-15" + stamp, "2026-05-15").replace("2026-05-15" + stamp.rstrip(), "2026-05-15")
    assert (stamped.exit_code, said) == (plain.exit_code, plain.stdout)


@pytest.mark.parametrize("call", DATE_FLAG_CALLS, ids=lambda c: " ".join(c[:3]))
def test_a_date_flag_with_another_time_of_day_is_still_refused_quoting_it(call):
    r = run(*[a.replace("{D}", "2026-05-15 14:30") for a in call])
    assert r.exit_code == 2 and r.stdout == ""
    (line,) = r.stderr.splitlines()
    assert "'2026-05-15 14:30' is not a date" in line, line


@pytest.mark.parametrize("call", ASSUME_CALLS, ids=lambda c: c[c.index("--assume") + 1])
def test_a_what_if_with_another_time_of_day_is_refused_quoting_it(call):
    r = run(*[a.replace("{D}", "2026-05-15 14:30") for a in call])
    assert r.exit_code == 2 and r.stdout == ""
    (line,) = r.stderr.splitlines()
    assert line.startswith("ma-cli: error: --assume '") and "2026-05-15 14:30'" in line, line
