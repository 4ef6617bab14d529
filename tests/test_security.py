"""Safety: YAML never runs code, ma-cli never opens a socket, starts a process or writes a file
it was not asked to, input sizes are bounded, and only --debug / MA_CLI_DEBUG shows a traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ma_cli.base.errors import InputError
from ma_cli.commands.cli import app
from ma_cli.inputs import yamlio

SRC = Path(__file__).resolve().parents[1] / "src" / "ma_cli"
CLEAN_ENV = {"MA_CLI_DEBUG": None, "MA_CLI_RULES": None}

PAYLOADS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.check_call [['touch', '{marker}']]",
    "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
    "!!python/name:os.system",
    "!!python/module:os",
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("where", ["profile", "rule file"])
def test_python_tags_do_nothing_and_are_refused(tmp_path, payload, where):
    marker = tmp_path / "MARKER"
    text = f"id: {payload.format(marker=marker)}\n"
    with pytest.raises(InputError, match="is not allowed"):
        yamlio.load_text(text, "p.yaml", rule_file=(where == "rule file"))
    assert not marker.exists()


def test_os_system_payload_in_a_profile_does_nothing_through_the_cli(tmp_path):
    marker = tmp_path / "MARKER"
    profile = tmp_path / "p.yaml"
    profile.write_text(f"id: !!python/object/apply:os.system ['touch {marker}']\n")
    proc = subprocess.run([sys.executable, "-m", "ma_cli", "eligible", "--profile", str(profile)],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 2
    assert "is not allowed" in proc.stderr
    assert not marker.exists()


def test_yaml_loads_only_through_the_safe_loader():
    assert yamlio._Base in (yamlio.yaml.SafeLoader, getattr(yamlio.yaml, "CSafeLoader", None))
    unsafe = re.compile(r"yaml\.(unsafe_load|full_load|load_all)\b|\b(Unsafe|Full)Loader\b|yaml\.load\((?![^)]*Loader=_Loader)")
    hits = [f"{p.name}: {line.strip()}" for p in SRC.rglob("*.py") for line in p.read_text().splitlines()
            if unsafe.search(line)]
    assert hits == []


FORBIDDEN = re.compile(r"^\s*(import|from)\s+(subprocess|socket|urllib|http|requests|httpx|ftplib|smtplib|"
                       r"pickle|shelve|marshal|ctypes)\b|\bos\.(system|popen|exec\w*|spawn\w*|fork)\b|"
                       r"\b(eval|exec)\(")


# Reviewed exceptions: frozen.py builds a record's __init__ (as dataclasses itself does), from stand-in
# names `_0`, `_1`, ... alone, the class's own field names put in afterwards; no user input reaches it.
REVIEWED = {("frozen.py", "exec(source, env)  # noqa: S102 - the source is built above from numbers alone")}


def test_no_shell_outs_network_or_code_execution_in_src():
    hits = [f"{p.relative_to(SRC)}:{n}: {line.strip()}" for p in sorted(SRC.rglob("*.py"))
            for n, line in enumerate(p.read_text().splitlines(), 1)
            if FORBIDDEN.search(line) and (p.name, line.strip()) not in REVIEWED]
    assert hits == []


# An audit hook sees every file opened for writing, every socket and every process start, even
# those made by libraries; the CLI runs in a fresh interpreter with the hook installed first. A
# copy of the process (a --jobs worker) keeps the hook and reports at once, as "AUDIT worker ...".
AUDIT = textwrap.dedent("""
    import os, sys
    seen = []
    MAIN = os.getpid()
    WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
    def note(item):
        if os.getpid() == MAIN:
            seen.append(item)
        else:
            os.write(2, f"AUDIT worker {item}\\n".encode())
    def hook(event, args):
        if event == "open":
            path, mode, flags = args
            if isinstance(path, int):  # reopening a descriptor whose own open was seen already
                return
            if (isinstance(mode, str) and set(mode) & set("wax+")) or (isinstance(flags, int) and flags & WRITE):
                note(f"write {path}")
        elif event.startswith(("socket.", "subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                               "os.fork", "os.forkpty", "pty.", "urllib.", "http.")):
            note(event)
    sys.addaudithook(hook)
    from ma_cli.commands.cli import app
    try:
        app(sys.argv[1:], prog_name="ma-cli")
    except SystemExit as done:
        code = done.code
    sys.stderr.write("".join(f"AUDIT {item}\\n" for item in seen))
    sys.exit(code)
""")


@pytest.mark.parametrize("extra", [[], ["--json"], ["--json", "--explain"], ["--explain"]])
def test_a_run_opens_no_socket_starts_no_process_and_writes_no_file(tmp_path, extra):
    profile = tmp_path / "p.yaml"
    profile.write_text("programs:\n  - accreditation: caahep\n    completed: 2026-05-15\n")
    env = {**os.environ, "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("MA_CLI_RULES", None)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    proc = subprocess.run([sys.executable, "-c", AUDIT, "eligible", "--profile", str(profile),
                           "--as-of", "2026-11-23", *extra], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert [line for line in proc.stderr.splitlines() if line.startswith("AUDIT")] == []
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("command, output", [
    (["batch", "eligible", "{roster}", "-o", "{dir}/out.csv"], "out.csv"),
    (["batch", "eligible", "{roster}", "--format", "json", "-o", "{dir}/out.json"], "out.json"),
    (["batch", "eligible", "{roster}", "-o", "{dir}/out.xlsx"], "out.xlsx"),
    (["renew", "--cert", "cma", "--since", "2022-03-15", "--ics", "{dir}/due.ics"], "due.ics"),
    (["plan", "--program", "caahep", "--expected", "2026-12-10", "--ics", "{dir}/plan.ics"], "plan.ics"),
])
def test_writes_only_the_named_output_file(tmp_path, command, output):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,program,completed\ns1,caahep,2026-05-15\ns2,caahep,2027-13-01\n")
    env = {**os.environ, "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("MA_CLI_RULES", None)
    args = [a.format(dir=tmp_path, roster=roster) for a in command]
    proc = subprocess.run([sys.executable, "-c", AUDIT, *args, "--as-of", "2026-11-23"], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path, env=env)
    assert proc.returncode in (0, 3, 4), proc.stderr
    writes = [line.split(" ", 2)[2] for line in proc.stderr.splitlines() if line.startswith("AUDIT write ")]
    others = [line for line in proc.stderr.splitlines() if line.startswith("AUDIT") and "AUDIT write " not in line]
    assert others == []
    # the output itself, or a temporary file beside it that is renamed into place (a workbook writer's
    # own temporary files: in a temporary folder beside it, named after it)
    assert writes and all(_beside(Path(w), tmp_path, output) for w in writes), writes
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["roster.csv", output])


def _beside(path: Path, folder: Path, output: str) -> bool:
    return (path.parent == folder and output in path.name) or (path.parent.parent == folder
                                                               and output in path.parent.name)


@pytest.mark.parametrize("command", [["batch", "eligible", "{roster}", "-o", "{dir}/out.csv"],
                                     ["batch", "renew", "{renewals}", "-o", "{dir}/out.csv"]])
def test_jobs_starts_only_copies_of_this_process_and_they_write_nothing(tmp_path, command):
    """--jobs N: the only processes started are N copies of this one (fork: this same interpreter running
    ma-cli's own worker code, no exec of anything); the copies open no file for writing and no socket,
    and start nothing themselves. Without --jobs the tests above show that no process starts at all."""
    roster = tmp_path / "roster.csv"
    roster.write_text("id,program,completed\n" + "s1,caahep,2026-05-15\ns2,caahep,2027-13-01\n" * 300)
    renewals = tmp_path / "renewals.csv"
    (tmp_path / "ce.csv").write_text("date,credits\n2025-01-01,5\n")
    renewals.write_text("id,credential,since,ce_log\n" + "m1,cma,2022-03-15,ce.csv\nm2,rma,2021-01-01,\n" * 300)
    env = {**os.environ, "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("MA_CLI_RULES", None)
    args = [a.format(dir=tmp_path, roster=roster, renewals=renewals) for a in command]
    proc = subprocess.run([sys.executable, "-c", AUDIT, *args, "--as-of", "2026-11-23", "--jobs", "3"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert proc.returncode in (0, 4), proc.stderr
    audit = [line for line in proc.stderr.splitlines() if line.startswith("AUDIT")]
    assert [line for line in audit if not line.startswith("AUDIT write ")] == ["AUDIT os.fork"] * 3
    writes = [line.split(" ", 2)[2] for line in audit if line.startswith("AUDIT write ")]
    assert writes and all(_beside(Path(w), tmp_path, "out.csv") for w in writes), writes


def test_only_the_worker_module_may_start_processes():
    """The one place that starts processes is base/workers.py (fork, for --jobs); no other module imports
    multiprocessing or concurrent.futures."""
    starts = re.compile(r"^\s*(import|from)\s+(multiprocessing|concurrent)\b|\bget_context\(")
    hits = sorted({str(p.relative_to(SRC)) for p in SRC.rglob("*.py") for line in p.read_text().splitlines()
                   if starts.search(line)})
    assert hits == ["base/workers.py"]


def test_batch_renew_writes_only_the_workbook_and_the_calendar(tmp_path):
    roster = tmp_path / "staff.csv"
    roster.write_text("id,credential,since\nm1,cma,2022-03-15\nm2,rma,2021-01-01\n")
    env = {**os.environ, "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("MA_CLI_RULES", None)
    proc = subprocess.run([sys.executable, "-c", AUDIT, "batch", "renew", str(roster), "-o", str(tmp_path / "due.xlsx"),
                           "--ics", str(tmp_path / "staff.ics"), "--as-of", "2026-11-23"], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    writes = [line.split(" ", 2)[2] for line in proc.stderr.splitlines() if line.startswith("AUDIT write ")]
    assert [line for line in proc.stderr.splitlines() if line.startswith("AUDIT") and "AUDIT write " not in line] == []
    assert writes and all(_beside(Path(w), tmp_path, "due.xlsx") or _beside(Path(w), tmp_path, "staff.ics")
                          for w in writes), writes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["due.xlsx", "staff.csv", "staff.ics"]


def test_the_audit_hook_would_see_a_write(tmp_path):
    # the test above must be able to fail: the same hook reports a file opened for writing
    probe = textwrap.dedent(AUDIT).replace("from ma_cli.commands.cli import app",
                                           f"open({str(tmp_path / 'x')!r}, 'w').close()\nfrom ma_cli.commands.cli import app")
    proc = subprocess.run([sys.executable, "-c", probe, "--version"], capture_output=True, text=True, timeout=60)
    assert f"AUDIT write {tmp_path / 'x'}" in proc.stderr


def test_input_size_is_bounded_with_a_clear_message(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (yamlio.MAX_BYTES + 1))
    with pytest.raises(InputError, match=r"big.yaml: profile is larger than 5,242,880 bytes"):
        yamlio.read_text(big, "profile")
    exact = tmp_path / "exact.yaml"
    exact.write_bytes(b"#" * yamlio.MAX_BYTES)
    assert len(yamlio.read_text(exact, "profile")) == yamlio.MAX_BYTES


# --- tracebacks: never by default, on request for developers ------------------------------

@pytest.fixture
def broken_engine(monkeypatch):
    import ma_cli.reasoning.engine

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(ma_cli.reasoning.engine, "evaluate", boom)


ARGS = ["eligible", "--program", "caahep", "--graduated", "2026-05-15", "--as-of", "2026-11-23"]


def test_a_bug_is_one_line_and_exit_70_by_default(broken_engine):
    result = CliRunner().invoke(app, ARGS, env=CLEAN_ENV)
    assert result.exit_code == 70
    assert result.stderr == ("ma-cli: error: internal error: RuntimeError: simulated bug "
                             "(to see the traceback, run it again as 'ma-cli --debug eligible ...' or with MA_CLI_DEBUG=1)\n")
    assert result.stdout == ""


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_lets_the_traceback_through(broken_engine, how):
    args = ["--debug", *ARGS] if how == "flag" else ARGS
    env = {**CLEAN_ENV, "MA_CLI_DEBUG": "1"} if how == "env" else CLEAN_ENV
    result = CliRunner().invoke(app, args, env=env)
    assert isinstance(result.exception, RuntimeError)  # raised, so Python prints the traceback


def test_debug_prints_the_traceback_of_an_input_error_then_the_line():
    result = CliRunner().invoke(app, ["--debug", "eligible", "--as-of", "someday"], env=CLEAN_ENV)
    assert result.exit_code == 2
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert result.stderr.splitlines()[-1] == ("ma-cli: error: --as-of: 'someday' is not a date "
                                              "(expected YYYY-MM-DD or YYYY-MM)")


def test_debug_is_not_sticky_between_runs(broken_engine):
    CliRunner().invoke(app, ["--debug", *ARGS], env=CLEAN_ENV)
    assert CliRunner().invoke(app, ARGS, env=CLEAN_ENV).exit_code == 70


def test_a_real_process_never_prints_a_traceback_for_bad_input(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "ma_cli", "eligible", "--as-of", "2026-13-45"],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "MA_CLI_DEBUG": ""})
    assert proc.returncode == 2
    assert proc.stderr == ("ma-cli: error: --as-of: '2026-13-45' is not a real calendar date "
                           "(expected YYYY-MM-DD or YYYY-MM)\n")


def test_ma_cli_debug_0_means_off(broken_engine):
    result = CliRunner().invoke(app, ARGS, env={**CLEAN_ENV, "MA_CLI_DEBUG": "0"})
    assert result.exit_code == 70 and "Traceback" not in result.stderr


# --- the named output file: never the input, never a replaced link, device or pipe -------------

ROSTER = "id,program,completed\ns1,caahep,2026-05-15\n"


def _batch(tmp_path, output):
    return subprocess.run([sys.executable, "-m", "ma_cli", "batch", "eligible", str(tmp_path / "r.csv"), "-o",
                           str(output), "--as-of", "2026-11-23", "--cert", "cma"], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)


def test_output_over_the_input_is_refused_and_the_input_kept(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER)
    (tmp_path / "link.csv").symlink_to(roster)
    for output in (roster, tmp_path / "link.csv"):
        proc = _batch(tmp_path, output)
        assert proc.returncode == 2
        assert proc.stderr == (f"ma-cli: error: -o {output}: is the input file {roster}; expected a different "
                               f"file (writing there would destroy the input)\n")
        assert roster.read_text() == ROSTER


def test_output_through_a_symlink_keeps_the_link(tmp_path):
    (tmp_path / "r.csv").write_text(ROSTER)
    (tmp_path / "link.csv").symlink_to("results.csv")
    proc = _batch(tmp_path, tmp_path / "link.csv")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "link.csv").is_symlink()
    assert (tmp_path / "results.csv").read_text().startswith("id,line,status,error,cma_answer")


def test_output_to_a_named_pipe_writes_into_the_pipe(tmp_path):
    import stat
    import threading

    (tmp_path / "r.csv").write_text(ROSTER)
    fifo = tmp_path / "results.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    proc = _batch(tmp_path, fifo)
    reader.join(timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode), "the pipe was replaced by a plain file"
    assert received and received[0].startswith("id,line,status,error,cma_answer")
