"""The bad-input catalog: every file under tests/bad_inputs/ is one hostile or broken input.

Each case is a small YAML file:

    what: one line saying what is wrong with the input
    args: [eligible, --profile, "{dir}/p.yaml"]   # argv; {dir} is the case's scratch folder
    files:                                        # optional, written into {dir} before the run
      p.yaml: "text"                              #   UTF-8 text ({dir} is substituted)
      q.yaml: {latin1: "caf\xe9"}                 #   or {hex: "ff fe"}, {base64: ...},
      big.yaml: {repeat: "# pad\n", times: 600000, head: "", tail: ""}  # generated, never committed
    dirs: [rules]                                 # optional empty folders to create
    env: {MA_CLI_RULES: "{dir}/rules"}            # optional
    stdin: "..."                                  # optional
    runner: subprocess                            # optional: a real process instead of CliRunner
    exit: 2                                       # default 2 (74: an output could not be written)
    stderr: "ma-cli: error: ..."                  # the exact line, or
    stderr_contains: "..."                        # a part of it (or a list of parts)
    stdout_contains: "..."                        # for inputs that are accepted (exit 0/1/3)
    stdout_excludes: "..."                        # text that must not be printed (or a list)
    absent: ["{dir}/MARKER"]                      # files that must not exist afterwards

On exit 2 (and 74) the contract is checked for every case: exactly one stderr line, starting
`ma-cli: error: `, nothing on stdout, no traceback anywhere, and no file left behind that the
case lists under `absent` (a partial output file, a marker a hostile payload would create).
Whatever the exit, neither stream may carry an ESC character: user text is shown literally.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ma_cli.commands.cli import app

CATALOG = Path(__file__).parent / "bad_inputs"
CASE_FILES = sorted(CATALOG.glob("*.yaml"))
CASE_KEYS = {"what", "args", "files", "dirs", "env", "stdin", "runner", "exit", "stderr", "stderr_contains",
             "stdout_contains", "stdout_excludes", "absent"}
# the environment a case starts from: no developer settings leak in
CLEAN_ENV = {"MA_CLI_DEBUG": None, "MA_CLI_RULES": None, "NO_COLOR": "1"}
ERROR_EXITS = (2, 74)  # bad input or usage; an output that could not be written


def load_case(path: Path) -> dict:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(case, dict), f"{path.name}: a case is a mapping"
    assert set(case) <= CASE_KEYS, f"{path.name}: unknown keys {set(case) - CASE_KEYS}"
    assert case.get("what") and case.get("args"), f"{path.name}: needs 'what' and 'args'"
    assert ("stderr" in case) != ("stderr_contains" in case) or case.get("exit", 2) not in ERROR_EXITS, \
        f"{path.name}: give exactly one of 'stderr' or 'stderr_contains'"
    return case


def fill(value, folder: Path) -> str:
    return str(value).replace("{dir}", str(folder))


def file_bytes(spec, folder: Path) -> bytes:
    if isinstance(spec, str):
        return fill(spec, folder).encode("utf-8")
    if "latin1" in spec:
        return spec["latin1"].encode("latin-1")
    if "hex" in spec:
        return bytes.fromhex(spec["hex"])
    if "base64" in spec:
        return base64.b64decode(spec["base64"])
    if "repeat" in spec:
        return (spec.get("head", "") + spec["repeat"] * spec["times"] + spec.get("tail", "")).encode("utf-8")
    raise AssertionError(f"unknown file spec {spec}")


def prepare(case: dict, folder: Path) -> None:
    for name in case.get("dirs") or []:
        (folder / name).mkdir(parents=True, exist_ok=True)
    for name, spec in (case.get("files") or {}).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file_bytes(spec, folder))


def run_case(case: dict, folder: Path) -> tuple[int, str, str]:
    """Run the real CLI on the case; return (exit code, stdout, stderr)."""
    prepare(case, folder)
    args = [fill(a, folder) for a in case["args"]]
    env = dict(CLEAN_ENV)
    env.update({k: fill(v, folder) for k, v in (case.get("env") or {}).items()})
    stdin = case.get("stdin")
    if case.get("runner") == "subprocess":
        full_env = {k: v for k, v in {**os.environ, **env}.items() if v is not None}
        proc = subprocess.run([sys.executable, "-m", "ma_cli", *args], input=stdin, capture_output=True,
                              text=True, env=full_env, cwd=folder, timeout=60)
        return proc.returncode, proc.stdout, proc.stderr
    result = CliRunner().invoke(app, args, input=stdin, env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the CLI raised {result.exception!r}") from result.exception
    return result.exit_code, result.stdout, result.stderr


def check_case(case: dict, code: int, out: str, err: str, folder: Path) -> None:
    expected_code = case.get("exit", 2)
    assert code == expected_code, f"exit {code}, expected {expected_code}; stderr: {err!r}"
    assert "Traceback" not in err + out
    assert "\x1b" not in err + out, "an ESC character reached the terminal"
    if expected_code in ERROR_EXITS:
        lines = err.splitlines()
        assert len(lines) == 1, f"expected one stderr line, got {lines!r}"
        assert lines[0].startswith("ma-cli: error: "), lines[0]
        assert out == "", f"no data on stdout when the input is refused, got {out[:200]!r}"
    else:  # accepted (batch may still report row errors in its rows, and a summary line on stderr)
        assert "ma-cli: error:" not in err, f"an accepted input should print no error line, got {err!r}"
    if "stderr" in case:
        assert err.rstrip("\n") == fill(case["stderr"], folder)
    wanted = case.get("stderr_contains", [])
    for part in [wanted] if isinstance(wanted, str) else wanted:
        assert fill(part, folder) in err
    wanted = case.get("stdout_contains", [])
    for part in [wanted] if isinstance(wanted, str) else wanted:
        assert fill(part, folder) in out
    wanted = case.get("stdout_excludes", [])
    for part in [wanted] if isinstance(wanted, str) else wanted:
        assert fill(part, folder) not in out, f"{part!r} was printed"
    for path in case.get("absent") or []:
        assert not Path(fill(path, folder)).exists(), f"{fill(path, folder)} was created"


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_bad_input(path, tmp_path):
    case = load_case(path)
    code, out, err = run_case(case, tmp_path)
    check_case(case, code, out, err, tmp_path)


def test_catalog_is_broad():
    assert len(CASE_FILES) >= 40
