"""What a start costs: `ma-cli CMD` imports CMD's module only, and `eligible --json` pulls in neither
Rich nor the other commands; the bundled rules are read without YAML; help and unknown names still
see every command; the program ends without the interpreter's teardown, and only when that is safe."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rule_copies import rule_folder

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"

PROBE = """
import io, json, sys, contextlib
from ma_cli.commands.cli import main
out = io.StringIO()
try:
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(m for m in sys.modules
                  if m.startswith(("ma_cli", "rich", "yaml")))}))
"""


def probe(*args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_eligible_json_imports_only_what_it_uses():
    r = probe("eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--json")
    assert r["code"] == 0
    assert json.loads(r["out"])["results"]
    commands = [m for m in r["modules"] if m.startswith("ma_cli.commands.cmd_")]
    assert commands == ["ma_cli.commands.cmd_eligible"]
    assert not [m for m in r["modules"] if m.startswith("rich")]  # tables only


JSON_RUNS = [
    ["eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--json"],
    ["renew", "--cert", "cma", "--since", "2022-03-15", "--as-of", "2026-11-23", "--json"],
    ["plan", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--json"],
]


@pytest.mark.parametrize("args", JSON_RUNS, ids=lambda a: a[0])
def test_the_bundled_rules_are_read_without_yaml(args):
    """The packed form of the bundled rules (rules_packed.py) spares PyYAML's import and parsing."""
    r = probe(*args)
    assert json.loads(r["out"])
    assert "ma_cli.ruleset.rules_packed" in r["modules"]
    assert not [m for m in r["modules"] if m.startswith(("yaml", "ma_cli.inputs.yamlio"))]


def test_a_profile_file_or_a_rule_folder_is_still_read_as_yaml(tmp_path):
    (tmp_path / "p.yaml").write_text("programs: [{accreditation: caahep, completed: 2026-05-15}]\n")
    r = probe("eligible", "--profile", str(tmp_path / "p.yaml"), "--as-of", "2026-11-23", "--json")
    assert r["code"] == 0 and "yaml" in r["modules"]
    rule_folder(tmp_path / "rules")
    r = probe(*JSON_RUNS[0], "--rules", str(tmp_path / "rules"))
    assert r["code"] == 0 and "yaml" in r["modules"]
    assert str(tmp_path / "rules") in json.loads(r["out"])["rules"]  # the folder answered for cma


# what the program does last: an exit hook that prints proves the interpreter's teardown ran
ENDING = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("teardown\\n"))
for name in sys.argv[1].split(","):
    if name:
        __import__(name)
sys.argv = ["ma-cli", *sys.argv[2:]]
from ma_cli.commands.cli import main
main()
"""


def ending(loaded: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", ENDING, loaded, *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("args, code", [(JSON_RUNS[0], 0), (JSON_RUNS[1], 0), (["eligible", "--age", "x"], 2),
                                        (["eligible", "--age", "24", "--as-of", "2026-11-23"], 1)])
def test_the_program_ends_without_teardown_once_its_output_is_out(args, code):
    proc = ending("", *args)
    assert (proc.returncode, proc.stderr.count("teardown")) == (code, 0), proc.stderr
    if code == 0:
        assert json.loads(proc.stdout)  # all of it, flushed before the end
    else:
        assert proc.stderr.startswith("ma-cli: error: ") or code == 1


@pytest.mark.parametrize("loaded", ["multiprocessing", "logging", "concurrent.futures"])
def test_with_exit_work_to_do_the_program_ends_the_ordinary_way(loaded):
    proc = ending(loaded, *JSON_RUNS[0])
    assert (proc.returncode, proc.stderr) == (0, "teardown\n")
    assert json.loads(proc.stdout)


def test_with_another_thread_running_the_program_ends_the_ordinary_way():
    # the other thread runs for as long as the main thread does, however slow the machine: it stops once
    # the interpreter starts ending the ordinary way (threading marks the main thread stopped first)
    proc = subprocess.run([sys.executable, "-c", "import threading, time\n"
                           "main = threading.main_thread()\n"
                           "threading.Thread(target=lambda: [time.sleep(0.005) for _ in iter(main.is_alive, False)])"
                           ".start()\n" + ENDING, "", *JSON_RUNS[0]], capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stderr) == (0, "teardown\n")


def test_called_with_arguments_main_raises_system_exit_as_before():
    """Tests and programs embedding ma-cli call main(argv): it must not end their process."""
    r = probe(*JSON_RUNS[0])
    assert r["code"] == 0 and json.loads(r["out"])


@pytest.mark.parametrize("args", [["--help"], ["--debug", "--help"], ["elig"]])
def test_help_and_unknown_names_see_every_command(args):
    r = probe(*args)
    assert {m for m in r["modules"] if m.startswith("ma_cli.commands.cmd_")} == {
        "ma_cli.commands.cmd_eligible", "ma_cli.commands.cmd_renew", "ma_cli.commands.cmd_rules", "ma_cli.commands.cmd_batch", "ma_cli.commands.cmd_plan",
        "ma_cli.commands.cmd_schema"}


def test_help_lists_every_command():
    r = probe("--help")
    listed = r["out"].split("Commands:")[1].split()
    assert {"eligible", "renew", "plan", "rules", "batch"} <= set(listed)


@pytest.mark.parametrize("args", [
    ["plan", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--json"],
    ["batch", "eligible", str(EXAMPLES / "roster.csv"), "--as-of", "2026-11-23"],
    ["batch", "renew", str(EXAMPLES / "renewals.csv"), "--as-of", "2026-11-23", "--format", "json"],
])
def test_nothing_html_is_imported_on_an_ordinary_run(args):
    r = probe(*args)
    assert not [m for m in r["modules"] if m.startswith(("ma_cli.output.html", "html"))]


# whether the cyclic garbage collector is on when the command has run (the end replaced by a report)
COLLECTOR = """
import gc, sys
from ma_cli.commands import cli
cli._end_now = lambda code: sys.stderr.write(f"collector {'on' if gc.isenabled() else 'off'}\\n")
sys.argv = ["ma-cli", *sys.argv[1:]]
try:
    cli.main()
except SystemExit:
    pass
"""


@pytest.mark.parametrize("args, state", [
    (JSON_RUNS[0], "off"), (JSON_RUNS[1], "off"), (JSON_RUNS[2], "off"),
    # a roster's rows are unbounded: the collector keeps memory flat
    (["batch", "eligible", str(EXAMPLES / "roster.csv"), "--as-of", "2026-11-23", "--cert", "cma"], "on"),
])
def test_the_program_runs_one_persons_answer_without_the_collector_and_a_roster_with_it(args, state):
    proc = subprocess.run([sys.executable, "-c", COLLECTOR, *args], capture_output=True, text=True, timeout=60)
    assert proc.stderr.splitlines()[-1] == f"collector {state}", proc.stderr


def test_called_with_arguments_main_leaves_the_collector_alone():
    import gc

    from ma_cli.commands.cli import main

    with pytest.raises(SystemExit):
        main(["eligible", "--age", "x"])
    assert gc.isenabled()


# Ctrl-C while the command is still loading (Typer, the command's module, Typer building the command):
# the program's own handler in app.py does not run yet, so cli.main answers it, the same way
CTRL_C_WHILE = """
import sys
from ma_cli.commands import cli
def interrupted(*args, **kwargs):
    raise KeyboardInterrupt
if sys.argv[1] == "loading":
    cli._register = interrupted
else:
    from ma_cli.commands.app import app
    type(app).__call__ = interrupted
sys.argv = ["ma-cli", "eligible", "--program", "caahep", "--graduated", "2024-05-15"]
cli.main()
"""


@pytest.mark.parametrize("when", ["loading", "building"])
def test_ctrl_c_before_the_command_runs_is_one_line_and_exit_130(when):
    run = subprocess.run([sys.executable, "-c", CTRL_C_WHILE, when], capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout, run.stderr) == (130, "", "ma-cli: interrupted by SIGINT\n")
