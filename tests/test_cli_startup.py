"""What a start costs: `ma-cli CMD` imports CMD's module only, and `eligible --json` pulls in neither
Rich nor the other commands; help and unknown names still see every command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"

PROBE = """
import io, json, sys, contextlib
from ma_cli.cli import main
out = io.StringIO()
try:
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(m for m in sys.modules
                  if m.startswith(("ma_cli", "rich")))}))
"""


def probe(*args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_eligible_json_imports_only_what_it_uses():
    r = probe("eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23", "--json")
    assert r["code"] == 0
    assert json.loads(r["out"])["results"]
    commands = [m for m in r["modules"] if m.startswith("ma_cli.cmd_")]
    assert commands == ["ma_cli.cmd_eligible"]
    assert not [m for m in r["modules"] if m.startswith("rich")]  # tables only


@pytest.mark.parametrize("args", [["--help"], ["--debug", "--help"], ["elig"]])
def test_help_and_unknown_names_see_every_command(args):
    r = probe(*args)
    assert {m for m in r["modules"] if m.startswith("ma_cli.cmd_")} == {
        "ma_cli.cmd_eligible", "ma_cli.cmd_renew", "ma_cli.cmd_rules", "ma_cli.cmd_batch", "ma_cli.cmd_plan",
        "ma_cli.cmd_schema"}


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
    assert not [m for m in r["modules"] if m.startswith(("ma_cli.html", "html"))]
